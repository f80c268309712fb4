package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	imagepng "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// legacyCell writes the sample cell, edited, in the form the desk wrote
// before a ccj.Cell carried its patterns — {"cell": {...}, "rota": [...]}
// — and returns its path.
func legacyCell(t *testing.T, edit func(string) string) string {
	t.Helper()
	b, err := sample.ReadFile("sample/cell.json")
	if err != nil {
		t.Fatal(err)
	}
	var cell map[string]json.RawMessage
	if err := json.Unmarshal([]byte(edit(string(b))), &cell); err != nil {
		t.Fatal(err)
	}
	rota := cell["patterns"]
	delete(cell, "patterns")
	out, err := json.MarshalIndent(map[string]any{"cell": cell, "rota": rota}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cell.json")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func same(s string) string { return s }

// The rota comes from the cell file's patterns, expanded by ccj over the
// window each command needs, in any year; a cell file in the earlier form
// gives the same answers.
func TestRotaFromPatterns(t *testing.T) {
	dir, identity := testDir(t)
	legacy := legacyCell(t, same)
	if b, _ := os.ReadFile(legacy); !strings.Contains(string(b), `"rota"`) || strings.Contains(string(b), `"patterns"`) {
		t.Fatalf("not the earlier form:\n%s", b)
	}
	for _, tc := range []struct {
		name, now string
		args      []string
		want      []string
		events    int
	}{
		{"check in November 2026", "2026-11-23 10:05", []string{"check"}, []string{"covered around the clock"}, 0},
		{"check in June 2027", "2027-06-15 12:00", []string{"check"}, []string{"covered around the clock from 2027-06-15 12:00:00 +02:00"}, 0},
		// Seven days from today's midnight: yesterday's shift, which ends
		// at 08:00, and one starting each of the seven mornings.
		{"export a week", "2026-11-23 10:05", []string{"export", "-days", "7"}, []string{"DTSTART;TZID=Europe/Brussels:20261122T080000", "DTSTART;TZID=Europe/Brussels:20261129T080000"}, 8},
		{"export across the March change", "2027-03-27 09:00", []string{"export", "-days", "2"}, []string{"DTSTART;TZID=Europe/Brussels:20270328T080000", "DTEND;TZID=Europe/Brussels:20270329T080000"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var outs []string
			for _, cell := range []string{filepath.Join(dir, "cell.json"), legacy} {
				clock := timesynctest.NewClock(brussels(tc.now))
				args := append([]string{"rota", tc.args[0], "-dir", dir, "-identity", identity, "-cell", cell}, tc.args[1:]...)
				out, errs, code := desk(t, clock, args...)
				if code != exitOK {
					t.Fatalf("%s: exit %d: %s", cell, code, errs)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("%s: output lacks %q:\n%.600s", cell, w, out)
					}
				}
				if n := strings.Count(out, "BEGIN:VEVENT"); n != tc.events {
					t.Errorf("%s: %d events, want %d", cell, n, tc.events)
				}
				outs = append(outs, out)
			}
			if outs[0] != outs[1] {
				t.Errorf("the two forms of the cell file differ:\n%s\n---\n%s", outs[0], outs[1])
			}
		})
	}
}

// A cell file whose rota does not hold together is refused at load, in
// either form, with every problem at its field (at most three lines),
// status 2; a window longer than ccj expands is bad input too.
func TestRotaRefused(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	sampleCopy := func(edit func(string) string) string {
		b, _ := os.ReadFile(filepath.Join(dir, "cell.json"))
		path := filepath.Join(t.TempDir(), "cell.json")
		os.WriteFile(path, []byte(edit(string(b))), 0o600)
		return path
	}
	stranger := func(s string) string {
		return strings.Replace(s, `"primaries": ["alice", "bob", "carol"]`, `"primaries": ["mallory", "bob", "carol"]`, 1)
	}
	springGap := func(s string) string {
		return strings.Replace(s, `"weekday": 0, "start": "08:00"`, `"weekday": 0, "start": "02:30"`, 1)
	}
	for _, tc := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"a pattern naming a stranger", []string{"rota", "check", "-cell", sampleCopy(stranger)}, []string{"patterns[0].primaries[0]", "not a member"}},
		{"the same in the earlier form", []string{"rota", "check", "-cell", legacyCell(t, stranger)}, []string{"patterns[0].primaries[0]"}},
		{"a pattern in the spring gap, earlier form", []string{"list", "-cell", legacyCell(t, springGap)}, []string{"patterns[6].start", "2027-03-28"}},
		{"a shift ending before it starts", []string{"list", "-cell", sampleCopy(func(s string) string {
			return strings.Replace(s, `"escalation"`, `"shifts": [{"start": "2026-11-23T10:00:00Z", "end": "2026-11-23T09:00:00Z", "primary": "alice"}], "escalation"`, 1)
		})}, []string{"shifts[0]", "ends before it starts"}},
		{"two problems and more", []string{"list", "-cell", sampleCopy(func(s string) string {
			return strings.ReplaceAll(s, `"start": "08:00"`, `"start": "8h"`)
		})}, []string{"patterns[0].start", "patterns[1].start", "(5 more problems)"}},
		{"an export longer than ten years", []string{"rota", "export", "-days", "4000"}, []string{"-days", "3,660"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{tc.args[0], "-dir", dir, "-identity", identity}, tc.args[1:]...)
			out, errs, code := desk(t, clock, args...)
			if code != exitInput || out != "" {
				t.Errorf("exit %d, want %d; output %q: %s", code, exitInput, out, errs)
			}
			if n := strings.Count(strings.TrimRight(errs, "\n"), "\n") + 1; n > 3 {
				t.Errorf("%d lines of error:\n%s", n, errs)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(errs, m) {
					t.Errorf("the error does not name %q:\n%s", m, errs)
				}
			}
			if strings.Contains(errs, "mallory") {
				t.Errorf("the error quotes an identifier that names nobody:\n%s", errs)
			}
		})
	}
}

// rota runs desk rota SUB with the test register and the sample cell at
// the Brussels time now.
func rota(t *testing.T, now string, sub string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	dir, identity := testDir(t)
	return desk(t, timesynctest.NewClock(brussels(now)), append([]string{"rota", sub, "-dir", dir, "-identity", identity}, args...)...)
}

// uids returns the events of an iCalendar by UID, unfolded, each without
// its DTSTAMP.
func uids(t *testing.T, cal string) map[string]string {
	t.Helper()
	cal = strings.NewReplacer("\r\n ", "", "\r\n\t", "").Replace(cal)
	out := map[string]string{}
	for _, block := range strings.Split(cal, "BEGIN:VEVENT\r\n")[1:] {
		block, _, _ = strings.Cut(block, "END:VEVENT")
		uid := regexp.MustCompile(`(?m)^UID:(\S+)\r$`).FindStringSubmatch(block)
		if uid == nil {
			t.Fatalf("an event without a UID:\n%s", block)
		}
		out[uid[1]] = regexp.MustCompile(`(?m)^DTSTAMP:.*\r\n`).ReplaceAllString(block, "")
	}
	return out
}

// desk rota export honours its window — -days Brussels days from -from,
// today by default — and writes what a phone shows: a description with
// the call order and the duty desk, an alarm, the members as attendees.
func TestRotaExport(t *testing.T) {
	start := regexp.MustCompile(`DTSTART;TZID=Europe/Brussels:(\d{8})T`)
	for _, tc := range []struct {
		name        string
		now         string
		args        []string
		first, last string // the first and last days a shift starts
		events      int
		want, not   []string
	}{
		{"-days 14: fourteen days, not two months back and one ahead", "2026-11-23 10:05", []string{"-days", "14"}, "20261122", "20261206", 15,
			[]string{"BEGIN:VALARM", "TRIGGER:-PT15M", "ATTENDEE;CN=Alice Dubois;", "tel:+32470000003", "If nobody answers",
				"NTSU-CTIF (interceptions): duty desk: +32 2 642 77 11", "X-CCJKIT-PRIMARY:"}, []string{"METHOD:"}},
		{"-from moves the window", "2026-11-23 10:05", []string{"-from", "2026-12-01", "-days", "2"}, "20261130", "20261202", 3, nil, nil},
		{"no alarm, the cell's address as organizer, in French", "2026-11-23 10:05", []string{"-days", "1", "-alarm", "0", "-organizer", "ccj@example.be", "-lang", "fr"},
			"20261122", "20261123", 2, []string{"ORGANIZER;CN=CCJ Neutrinet (sample):mailto:ccj@example.be", "DESCRIPTION:De garde"}, []string{"VALARM"}},
		{"an alarm an hour ahead", "2026-11-23 10:05", []string{"-days", "1", "-alarm", "1h"}, "20261122", "20261123", 2, []string{"TRIGGER:-PT1H\r"}, nil},
		{"the day the clocks go back", "2026-10-25 12:00", []string{"-days", "1"}, "20261024", "20261025", 2, []string{"DTEND;TZID=Europe/Brussels:20261025T080000"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := rota(t, tc.now, "export", tc.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			flat := strings.NewReplacer("\r\n ", "").Replace(out)
			days := start.FindAllStringSubmatch(flat, -1)
			if len(days) != tc.events || days[0][1] != tc.first || days[len(days)-1][1] != tc.last {
				t.Errorf("%d events from %v to %v, want %d from %s to %s", len(days), days[0], days[len(days)-1], tc.events, tc.first, tc.last)
			}
			for _, w := range tc.want {
				if !strings.Contains(flat, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(flat, n) {
					t.Errorf("holds %q", n)
				}
			}
		})
	}
}

// An export made the next day, over a window that overlaps, gives every
// shift they share the same UID and the same event: importing it into a
// phone updates, never duplicates. And the desk reads its own export
// back: every event maps, to shifts the rota has.
func TestRotaExportStable(t *testing.T) {
	today, _, code1 := rota(t, "2026-11-23 10:05", "export", "-days", "7")
	tomorrow, _, code2 := rota(t, "2026-11-24 18:30", "export", "-days", "7")
	if code1 != exitOK || code2 != exitOK {
		t.Fatal(code1, code2)
	}
	a, b := uids(t, today), uids(t, tomorrow)
	shared := 0
	for uid, ev := range a {
		if other, ok := b[uid]; ok {
			shared++
			if other != ev {
				t.Errorf("%s differs:\n%s\n---\n%s", uid, ev, other)
			}
		}
	}
	// The windows share 23-30 November from the 24th: the shifts of the
	// 23rd to the 29th.
	if shared != 7 || len(a) != 8 || len(b) != 8 {
		t.Errorf("%d and %d events, %d shared; want 8, 8 and 7", len(a), len(b), shared)
	}
	path := filepath.Join(t.TempDir(), "rota.ics")
	if err := os.WriteFile(path, []byte(today), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := rota(t, "2026-11-23 10:05", "import", path)
	if code != exitOK || !strings.Contains(out, "8 events mapped to shifts (0 new, 8 already in the rota), 0 not mapped, 0 cancelled") {
		t.Errorf("exit %d:\n%s%s", code, out, errs)
	}
}

// desk rota import lists what it mapped — new, or already in the rota —
// and every event it could not map, with why and when it starts; an
// event it could not map is bad input (2). It quotes nothing of the file
// but the instants it read.
func TestRotaImport(t *testing.T) {
	cal := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Nextcloud//EN\r\n" +
		// the rota's shift of 23 November, as Nextcloud writes it
		"BEGIN:VEVENT\r\nUID:n1\r\nDTSTAMP:20261101T090000Z\r\nDTSTART;TZID=Europe/Brussels:20261123T080000\r\nDTEND;TZID=Europe/Brussels:20261124T080000\r\nSUMMARY:Alice Dubois / bob\r\nEND:VEVENT\r\n" +
		// a swap the rota does not have
		"BEGIN:VEVENT\r\nUID:n2\r\nDTSTAMP:20261101T090000Z\r\nDTSTART;TZID=Europe/Brussels:20261124T200000\r\nDTEND;TZID=Europe/Brussels:20261125T080000\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:SECRET-UID\r\nDTSTAMP:20261101T090000Z\r\nDTSTART:20261125T070000Z\r\nDTEND:20261126T070000Z\r\nSUMMARY:Mallory\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:n4\r\nDTSTAMP:20261101T090000Z\r\nDTSTART;TZID=Secret/Zone:20261126T080000\r\nDTEND:20261126T070000Z\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:n5\r\nDTSTAMP:20261101T090000Z\r\nSTATUS:CANCELLED\r\nDTSTART:20261127T070000Z\r\nDTEND:20261128T070000Z\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	path := filepath.Join(t.TempDir(), "shared.ics")
	if err := os.WriteFile(path, []byte(cal), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := rota(t, "2026-11-23 10:05", "import", path)
	if code != exitInput {
		t.Errorf("exit %d, want %d", code, exitInput)
	}
	for _, w := range []string{
		"2 events mapped to shifts (1 new, 1 already in the rota), 2 not mapped, 1 cancelled",
		"2026-11-23 08:00:00 +01:00 → 2026-11-24 08:00:00 +01:00  Alice Dubois / Bob Peeters  [in the rota]",
		"2026-11-24 20:00:00 +01:00 → 2026-11-25 08:00:00 +01:00  Alice Dubois  [new]",
		"events[2] (starts 2026-11-25 08:00:00 +01:00): the primary in the summary: it names no member",
		"events[3]: DTSTART is in another time zone",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(errs, "2 events could not be mapped") || strings.Count(strings.TrimRight(errs, "\n"), "\n") > 2 {
		t.Errorf("standard error:\n%s", errs)
	}
	for _, secret := range []string{"Mallory", "SECRET", "Secret"} {
		if strings.Contains(out+errs, secret) {
			t.Errorf("the output quotes the file's %q", secret)
		}
	}
	// -json: the same, for scripts; the new shift as the cell file
	// writes shifts.
	out, _, code = rota(t, "2026-11-23 10:05", "import", path, "-json")
	var got struct {
		Shifts []struct {
			Start   time.Time `json:"start"`
			Primary string    `json:"primary"`
			InRota  bool      `json:"in_rota"`
		} `json:"shifts"`
		Unmapped []struct {
			Event   int `json:"event"`
			Problem struct {
				Field string `json:"field"`
				Text  string `json:"text"`
			} `json:"problem"`
		} `json:"unmapped"`
		Cancelled int `json:"cancelled"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != exitInput {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if len(got.Shifts) != 2 || !got.Shifts[0].InRota || got.Shifts[1].InRota || got.Shifts[1].Primary != "alice" ||
		len(got.Unmapped) != 2 || got.Unmapped[0].Event != 2 || got.Unmapped[1].Problem.Field != "events[3]" || got.Cancelled != 1 {
		t.Errorf("%+v", got)
	}
	for _, tc := range []struct{ name, content string }{
		{"no file", ""},
		{"not a calendar", "BEGIN:VCARD\r\nEND:VCARD\r\n"},
		{"a malformed line", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSECRET\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "x.ics")
			if tc.content != "" {
				os.WriteFile(file, []byte(tc.content), 0o600)
			}
			out, errs, code := rota(t, "2026-11-23 10:05", "import", file)
			if code != exitInput || out != "" || strings.Contains(errs, "SECRET") {
				t.Errorf("exit %d, output %q: %s", code, out, errs)
			}
		})
	}
}

// desk rota show -svg FILE draws the month; a real renderer, librsvg's
// rsvg-convert, draws the file to a PNG of the size the library gives.
func TestRotaShow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rota.svg")
	out, errs, code := rota(t, "2026-11-23 10:05", "show", "-month", "2026-10", "-svg", path)
	if code != exitOK || !strings.Contains(out, "2026-10 drawn in "+path) {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	svg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w, h := ccj.MonthSVGSize(31, 3)
	for _, want := range []string{fmt.Sprintf(`width="%d" height="%d"`, w, h), "CCJ Neutrinet (sample) — October 2026", "Sun 25 (25 h)", "Alice Dubois", "Carol Schmit"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the drawing lacks %q", want)
		}
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Errorf("not XML: %v", err)
	}
	// This month, by default, to standard output, in Dutch.
	out, _, code = rota(t, "2026-11-23 10:05", "show", "-svg", "-", "-lang", "nl")
	if code != exitOK || !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, "november 2026") {
		t.Errorf("exit %d: %.300s", code, out)
	}
	rsvg := lookPath(t, "rsvg-convert", "librsvg2-bin")
	png := filepath.Join(t.TempDir(), "rota.png")
	if b, err := exec.Command(rsvg, "-o", png, path).CombinedOutput(); err != nil {
		t.Fatalf("rsvg-convert: %v: %s", err, b)
	}
	f, err := os.Open(png)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := imagepng.DecodeConfig(f)
	if err != nil || cfg.Width != w || cfg.Height != h {
		t.Errorf("the PNG is %d×%d (%v), want %d×%d", cfg.Width, cfg.Height, err, w, h)
	}
}

// lookPath finds a program a test needs: locally a missing one skips the
// test, naming the Debian package; under CI (CI set, as .ci/run installs
// every such program) it fails it.
func lookPath(t *testing.T, program, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	msg := program + " is not installed (Debian package " + pkg + "; .ci/run installs it)"
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but %s", msg)
	}
	t.Skip("skipping: " + msg)
	return ""
}

// desk rota refuses flags it cannot honour, as bad input, writing
// nothing on standard output and repeating nothing typed.
func TestRotaBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		sub  string
		args []string
		says string
	}{
		{"-from that is no day", "export", []string{"-from", "2026-13-01"}, "-from: a day YYYY-MM-DD"},
		{"-days 0", "export", []string{"-days", "0"}, "-days: 1 to 3,660"},
		{"an alarm two days ahead", "export", []string{"-alarm", "48h"}, "-alarm"},
		{"an organizer that is no address", "export", []string{"-organizer", "SECRET"}, "organizer"},
		{"show without -svg", "show", nil, "-svg FILE"},
		{"-month that is no month", "show", []string{"-month", "SECRET", "-svg", "-"}, "-month: a month YYYY-MM"},
		{"a month ccjkit does not place", "show", []string{"-month", "1850-01", "-svg", "-"}, "not a month"},
		{"an unknown subcommand", "SECRET", nil, "check, export, import FILE.ics or show"},
		{"import without a file", "import", nil, "give one FILE.ics"},
		{"check with an argument", "check", []string{"SECRET"}, "rota check takes no argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := rota(t, "2026-11-23 10:05", tc.sub, tc.args...)
			if code != exitInput || out != "" || !strings.Contains(errs, tc.says) || strings.Contains(errs, "SECRET") {
				t.Errorf("exit %d, output %q, error %q", code, out, errs)
			}
		})
	}
}

// desk rota's own sentences are in the desk's catalogue, in every
// language.
func TestRotaSentences(t *testing.T) {
	for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
		if got := printer(tag).Sprintf("in the rota"); got == "in the rota" {
			t.Errorf("%v: not translated", tag)
		}
	}
}
