package ccj_test

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/timesync"
)

// weeklyCell is a cell of three members with a valid advice whose rota is
// the desk sample's: a 24-hour shift from 08:00 each day, primaries and
// backups turning weekly.
func weeklyCell(t fataler) ccj.Cell {
	c := sampleCell(t)
	c.Members[2] = member("carol", "Carol Schmit", date.New(2025, 2, 10))
	c.Members[2].Channels = []ccj.Channel{{Kind: ccj.Phone, Value: "+32470000003"}, {Kind: ccj.Matrix, Value: "@carol:example.be"}}
	c.Shifts = nil
	c.Escalation = []string{"carol", "alice", "bob"}
	ids := []string{"alice", "bob", "carol"}
	for wd := range 7 {
		k := wd % 3
		c.Patterns = append(c.Patterns, ccj.Pattern{Weekday: time.Weekday(wd), Start: "08:00", End: "08:00", Days: 1,
			Primaries: []string{ids[k], ids[(k+1)%3], ids[(k+2)%3]}, Backups: []string{ids[(k+1)%3], ids[(k+2)%3], ids[k]},
			Anchor: date.New(2026, 11, 2)})
	}
	return c
}

// fataler is what the helpers need of a test: a *testing.T or a
// *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func export(t fataler, c ccj.Cell, e ccj.Export) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.ExportICalendar(&b, e); err != nil {
		t.Fatalf("export: %v", err)
	}
	return b.String()
}

// unfold undoes RFC 5545 §3.1's folding.
func unfold(s string) string {
	return strings.NewReplacer("\r\n ", "", "\r\n\t", "").Replace(s)
}

// events returns the VEVENTs of an unfolded calendar by UID, each the
// event's lines but its DTSTAMP.
func events(t fataler, cal string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, block := range strings.Split(cal, "BEGIN:VEVENT\r\n")[1:] {
		block, _, _ = strings.Cut(block, "END:VEVENT\r\n")
		var uid string
		var kept []string
		for line := range strings.SplitSeq(block, "\r\n") {
			if u, ok := strings.CutPrefix(line, "UID:"); ok {
				uid = u
			}
			if !strings.HasPrefix(line, "DTSTAMP:") {
				kept = append(kept, line)
			}
		}
		if _, dup := out[uid]; dup || uid == "" {
			t.Fatalf("UID %q missing or repeated", uid)
		}
		out[uid] = strings.Join(kept, "\r\n")
	}
	return out
}

// overlapping returns the shifts of c that overlap [from, until), as
// Cell.Expand gives them, in order of start.
func overlapping(t fataler, c ccj.Cell, from, until time.Time) []ccj.Shift {
	t.Helper()
	x, err := c.Expand(from, until)
	if err != nil {
		t.Fatal(err)
	}
	var out []ccj.Shift
	for _, s := range x.Shifts {
		if s.End.After(from) && s.Start.Before(until) {
			if s.Backup == s.Primary {
				s.Backup = ""
			}
			if !slices.ContainsFunc(out, func(o ccj.Shift) bool { return cmp.Equal(o, s) }) {
				out = append(out, s)
			}
		}
	}
	if out == nil {
		out = []ccj.Shift{}
	}
	return out
}

// The window is honoured: the events are the shifts that overlap it, no
// more, whatever the window — and they read back as those shifts.
func TestExportWindow(t *testing.T) {
	c := weeklyCell(t)
	oneOff, _ := ccj.NewShift("2026-11-25 20:00", "2026-11-26 02:00", "carol", "")
	far, _ := ccj.NewShift("2027-06-01 08:00", "2027-06-01 12:00", "carol", "")
	c.Shifts = []ccj.Shift{oneOff, far}
	for _, tc := range []struct {
		name         string
		from, until  string
		events       int
		first, final string // the first and last DTSTART
	}{
		{"one day from midnight: the shift begun the day before and the day's", "2026-11-23 00:00", "2026-11-24 00:00", 2, "20261122T080000", "20261123T080000"},
		{"fourteen days, and a one-off shift", "2026-11-23 00:00", "2026-12-07 00:00", 16, "20261122T080000", "20261206T080000"},
		{"a window from 08:00 leaves out the shift that ends then", "2026-11-23 08:00", "2026-11-24 08:00", 1, "20261123T080000", "20261123T080000"},
		{"a one-off shift in the window", "2026-11-25 12:00", "2026-11-25 21:00", 2, "20261125T080000", "20261125T200000"},
		{"across the October change: a 25-hour day", "2026-10-25 00:00", "2026-10-26 00:00", 2, "20261024T080000", "20261025T080000"},
		{"across the March change: a 23-hour day", "2027-03-28 00:00", "2027-03-29 00:00", 2, "20270327T080000", "20270328T080000"},
		{"a minute", "2026-11-23 09:00", "2026-11-23 09:01", 1, "20261123T080000", "20261123T080000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, until := at(tc.from), at(tc.until)
			cal := export(t, c, ccj.Export{From: from, Until: until, Stamp: at("2026-11-23 10:05")})
			if n := strings.Count(cal, "BEGIN:VEVENT"); n != tc.events {
				t.Errorf("%d events, want %d", n, tc.events)
			}
			starts := regexp.MustCompile(`DTSTART;TZID=Europe/Brussels:(\d{8}T\d{6})`).FindAllStringSubmatch(cal, -1)
			if len(starts) == 0 || starts[0][1] != tc.first || starts[len(starts)-1][1] != tc.final {
				t.Errorf("starts %v, want %s to %s", starts, tc.first, tc.final)
			}
			im, err := c.ImportICalendar(strings.NewReader(cal))
			if err != nil || len(im.Unmapped) > 0 {
				t.Fatalf("re-import: %v %+v", err, im.Unmapped)
			}
			if diff := cmp.Diff(overlapping(t, c, from, until), im.Shifts); diff != "" {
				t.Errorf("the events are not the shifts of the window (-want +got):\n%s", diff)
			}
		})
	}
}

// Exports that refuse, each with its sentinel.
func TestExportRefused(t *testing.T) {
	c := weeklyCell(t)
	from := at("2026-11-23 00:00")
	gap := weeklyCell(t)
	gap.Patterns[0].Start = "02:30" // Sundays: the spring gap
	twice := weeklyCell(t)
	s, _ := ccj.NewShift("2026-11-23 08:00", "2026-11-23 20:00", "bob", "") // bob's pattern shift starts then too
	twice.Shifts = []ccj.Shift{s}
	for _, tc := range []struct {
		name string
		cell ccj.Cell
		e    ccj.Export
		want error
		says string
	}{
		{"a window that ends when it starts", c, ccj.Export{From: from, Until: from}, ccj.ErrWindow, "does not end after"},
		{"a window of eleven years", c, ccj.Export{From: from, Until: from.AddDate(11, 0, 0)}, ccj.ErrWindow, "3660"},
		{"a pattern in the spring gap", gap, ccj.Export{From: at("2027-03-01 00:00"), Until: at("2027-04-01 00:00")}, ccj.ErrPattern, "patterns[0].start"},
		{"an alarm two days ahead", c, ccj.Export{From: from, Until: from.Add(time.Hour), Stamp: from, Alarm: 48 * time.Hour}, ccj.ErrICalendar, "alarm"},
		{"no stamp", c, ccj.Export{From: from, Until: from.Add(time.Hour)}, ccj.ErrICalendar, "DTSTAMP"},
		{"an organizer that is not an address", c, ccj.Export{From: from, Until: from.Add(time.Hour), Stamp: from, OrganizerEmail: "CCJ <ccj@example.be>"}, ccj.ErrICalendar, "organizer"},
		{"two shifts of one member from one instant", twice, ccj.Export{From: from, Until: from.Add(48 * time.Hour), Stamp: from}, ccj.ErrICalendar, "shifts[0]"},
		{"a failing writer", c, ccj.Export{From: from, Until: from.Add(time.Hour), Stamp: from}, ccj.ErrWrite, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.want == ccj.ErrWrite {
				err = tc.cell.ExportICalendar(failingWriter{}, tc.e)
			} else {
				err = tc.cell.ExportICalendar(&bytes.Buffer{}, tc.e)
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("err = %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
}

// A shift that a one-off shift repeats is one event.
func TestExportSameShiftOnce(t *testing.T) {
	c := weeklyCell(t)
	x, err := c.Expand(at("2026-11-23 12:00"), at("2026-11-23 13:00"))
	if err != nil || len(x.Shifts) != 1 {
		t.Fatal(x.Shifts, err)
	}
	c.Shifts = x.Shifts
	e := ccj.Export{From: at("2026-11-23 12:00"), Until: at("2026-11-23 13:00"), Stamp: at("2026-11-23 10:05")}
	if n := strings.Count(export(t, c, e), "BEGIN:VEVENT"); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}

// Golden property: the same shift has the same UID, and the same event,
// in every export whose window it overlaps; a UID is in both of two
// exports exactly when its shift overlaps both windows; and an export
// read back maps every event, to the shifts of the window.
func TestExportStableProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := randomWeeklyCell(t)
		base := date.New(rapid.IntRange(2020, 2035).Draw(t, "year"), time.January, 1) + date.Date(rapid.IntRange(0, 364).Draw(t, "day"))
		window := func(name string) (time.Time, time.Time) {
			from := timesync.DayStart(base + date.Date(rapid.IntRange(0, 20).Draw(t, name+"_day"))).Add(time.Duration(rapid.IntRange(0, 23).Draw(t, name+"_hour")) * time.Hour)
			return from, from.Add(time.Duration(rapid.IntRange(1, 30*24).Draw(t, name+"_hours")) * time.Hour)
		}
		fromA, untilA := window("a")
		fromB, untilB := window("b")
		stamp := timesync.DayStart(base)
		a := events(t, unfold(export(t, c, ccj.Export{From: fromA, Until: untilA, Stamp: stamp})))
		b := events(t, unfold(export(t, c, ccj.Export{From: fromB, Until: untilB, Stamp: stamp.Add(time.Hour)})))
		both := 0
		for _, s := range overlapping(t, c, fromA, untilA) {
			uid := ccj.ShiftUID(c.Name, s.Primary, s.Start)
			if _, ok := a[uid]; !ok {
				t.Fatalf("shift %+v of window A has no event %s", s, uid)
			}
			inB := s.End.After(fromB) && s.Start.Before(untilB)
			if _, ok := b[uid]; ok != inB {
				t.Fatalf("shift %+v: in B's export %v, overlaps B %v", s, ok, inB)
			}
			if inB {
				both++
				if a[uid] != b[uid] {
					t.Fatalf("the event of %s differs between the exports:\n%s\n---\n%s", uid, a[uid], b[uid])
				}
			}
		}
		for _, w := range []struct {
			from, until time.Time
			events      map[string]string
		}{{fromA, untilA, a}, {fromB, untilB, b}} {
			want := overlapping(t, c, w.from, w.until)
			if len(w.events) != len(want) {
				t.Fatalf("%d events for %d shifts", len(w.events), len(want))
			}
			im, err := c.ImportICalendar(strings.NewReader(export(t, c, ccj.Export{From: w.from, Until: w.until, Stamp: stamp})))
			if err != nil || len(im.Unmapped) > 0 || im.Cancelled != 0 {
				t.Fatalf("re-import: %v, %+v", err, im)
			}
			if diff := cmp.Diff(want, im.Shifts); diff != "" {
				t.Fatalf("re-import (-want +got):\n%s", diff)
			}
		}
	})
}

// randomWeeklyCell is the weekly cell with random patterns: no two start
// on the same weekday at the same time, none in the spring gap.
func randomWeeklyCell(t *rapid.T) ccj.Cell {
	c := weeklyCell(t)
	c.Patterns = nil
	ids := []string{"alice", "bob", "carol"}
	turns := rapid.SliceOfN(rapid.SampledFrom(ids), 1, 3)
	times := []string{"00:00", "06:00", "08:00", "12:30", "18:00", "23:00"}
	taken := map[string]bool{}
	for range rapid.IntRange(1, 8).Draw(t, "patterns") {
		p := ccj.Pattern{Weekday: time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday")), Start: rapid.SampledFrom(times).Draw(t, "start"),
			End: rapid.SampledFrom(times).Draw(t, "end"), Days: rapid.IntRange(1, 2).Draw(t, "days"),
			Primaries: turns.Draw(t, "primaries"), Backups: turns.Draw(t, "backups"), Anchor: date.New(2026, 1, 1) + date.Date(rapid.IntRange(0, 30).Draw(t, "anchor"))}
		if key := fmt.Sprint(p.Weekday, p.Start); !taken[key] {
			taken[key] = true
			c.Patterns = append(c.Patterns, p)
		}
	}
	return c
}

// The calendar is RFC 5545: CRLF lines of at most 75 octets, folded
// without splitting a character, properties well formed, components
// nested, the properties each component requires, texts escaped, an
// organizer wherever there are attendees and no METHOD (RFC 5546
// PUBLISH allows no attendee). Each row changes the cell or the export
// and says what the calendar must then hold.
func TestExportRFC5545(t *testing.T) {
	window := ccj.Export{From: at("2026-10-24 00:00"), Until: at("2026-10-26 00:00"), Stamp: at("2026-10-01 09:00")}
	for _, tc := range []struct {
		name   string
		edit   func(*ccj.Cell, *ccj.Export)
		want   []string // in the unfolded calendar
		absent []string
	}{
		{"the weekend of the October change", func(*ccj.Cell, *ccj.Export) {}, []string{
			"DTSTART;TZID=Europe/Brussels:20261024T080000", "DTEND;TZID=Europe/Brussels:20261025T080000",
			"ATTENDEE;CN=Bob Peeters;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:bob@example.be",
			"ATTENDEE;CN=Carol Schmit;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=OPT-PARTICIPANT;RSVP=FALSE:tel:+32470000003",
			"ORGANIZER;CN=Bob Peeters:mailto:bob@example.be",
			`DESCRIPTION:On call: Bob Peeters\, +32470000001\nBackup: Carol Schmit\, +32470000003\nIf nobody answers\, call in this order:\n1. Alice Dubois\, +32470000001\nNTSU-CTIF (interceptions): duty desk: +32 2 642 77 11\, DSU.NTSU.CTIF.PERM@police.belgium.eu`,
			"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:CCJ: Bob Peeters / Carol Schmit\r\nEND:VALARM",
		}, []string{"METHOD:"}},
		{"a shift starting in the repeated hour's second occurrence is in UTC", func(c *ccj.Cell, _ *ccj.Export) {
			s, _ := ccj.NewShift("2026-10-25 02:30 CET", "2026-10-25 07:00", "carol", "")
			c.Shifts = append(c.Shifts, s)
		}, []string{"DTSTART:20261025T013000Z", "DTEND;TZID=Europe/Brussels:20261025T070000"}, nil},
		{"a long name in accents is folded between characters", func(c *ccj.Cell, _ *ccj.Export) {
			c.Members[1].Name = strings.Repeat("é", 60) + " Peeters"
		}, []string{"SUMMARY:CCJ: " + strings.Repeat("é", 60) + " Peeters / Carol Schmit"}, nil},
		{"commas, semicolons, quotes and a line feed in a name", func(c *ccj.Cell, _ *ccj.Export) {
			c.Members[1].Name = "Peeters, Bob; \"Bobby\"\nO'Neill\\"
		}, []string{`SUMMARY:CCJ: Peeters\, Bob\; "Bobby"\nO'Neill\\ / Carol Schmit`, "ATTENDEE;CN=Peeters Bob Bobby O’Neill;"}, nil},
		{"control and bidirectional characters are dropped", func(c *ccj.Cell, _ *ccj.Export) {
			c.Members[1].Name = "Bob\x1b[31m\u202e Peeters\r"
		}, []string{"SUMMARY:CCJ: Bob[31m Peeters / Carol Schmit"}, []string{"\x1b", "\u202e", "\r\r"}},
		{"a member with a phone only is a tel: attendee", func(c *ccj.Cell, _ *ccj.Export) {
			c.Members[1].Channels = []ccj.Channel{{Kind: ccj.Phone, Value: "+32470000002"}}
		}, []string{"ROLE=REQ-PARTICIPANT;RSVP=FALSE:tel:+32470000002", "ORGANIZER;CN=Bob Peeters:tel:+32470000002"}, nil},
		{"a member with neither is no attendee, the backup organises", func(c *ccj.Cell, _ *ccj.Export) {
			c.Members[1].Channels = []ccj.Channel{{Kind: ccj.Matrix, Value: "@bob:example.be"}}
		}, []string{"ORGANIZER;CN=Carol Schmit:tel:+32470000003"}, []string{"ATTENDEE;CN=Bob"}},
		{"the cell's address organises", func(_ *ccj.Cell, e *ccj.Export) { e.OrganizerEmail = "ccj@example.be" },
			[]string{"ORGANIZER;CN=Neutrinet CCJ:mailto:ccj@example.be"}, nil},
		{"no alarm", func(_ *ccj.Cell, e *ccj.Export) { e.Alarm = -1 }, nil, []string{"VALARM"}},
		{"an alarm an hour and a half ahead", func(_ *ccj.Cell, e *ccj.Export) { e.Alarm = 90 * time.Minute }, []string{"TRIGGER:-PT1H30M"}, nil},
		{"descriptions in French", func(_ *ccj.Cell, e *ccj.Export) { e.Lang = language.French },
			[]string{"DESCRIPTION:De garde\u00a0: Bob Peeters", "Si personne ne répond\\, appelez dans cet ordre"}, nil},
		{"members without a valid advice: marked on the shift, left out of the escalation", func(c *ccj.Cell, _ *ccj.Export) {
			c.Members[0].Advice.Granted = date.New(2019, 1, 1)
			c.Members[2].Advice.Granted = date.New(2019, 1, 1)
		}, []string{`Backup: Carol Schmit\, +32470000003 (no valid security advice)\nNTSU-CTIF`}, []string{"If nobody answers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, e := weeklyCell(t), window
			tc.edit(&c, &e)
			cal := export(t, c, e)
			checkRFC5545(t, cal)
			flat := unfold(cal)
			for _, w := range tc.want {
				if !strings.Contains(flat, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(flat, a) {
					t.Errorf("holds %q", a)
				}
			}
			if t.Failed() {
				t.Logf("%s", flat)
			}
			if im, err := c.ImportICalendar(strings.NewReader(cal)); err != nil || len(im.Unmapped) > 0 || len(im.Shifts) == 0 {
				t.Errorf("re-import: %v %+v", err, im)
			}
		})
	}
}

// The lines of RFC 5545 §3.1 and the components of §3.4–§3.6.
var (
	contentLine = regexp.MustCompile(`^([A-Z][A-Z0-9-]*)((?:;[A-Z0-9-]+=(?:"[^"\x00-\x1f]*"|[^";:,\x00-\x1f]*)(?:,(?:"[^"\x00-\x1f]*"|[^";:,\x00-\x1f]*))*)*):([^\x00-\x08\x0a-\x1f\x7f]*)$`)
	textValue   = regexp.MustCompile(`^(?:[^\\;,]|\\[\\;,nN])*$`)
)

func checkRFC5545(t *testing.T, cal string) {
	t.Helper()
	if !strings.HasSuffix(cal, "\r\n") || strings.Contains(strings.ReplaceAll(cal, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(cal, "\r\n", ""), "\r") {
		t.Fatal("lines are not CRLF-terminated")
	}
	for i, line := range strings.Split(strings.TrimSuffix(cal, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d: %d octets: %q", i, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d: folded inside a character: %q", i, line)
		}
	}
	type component struct {
		name  string
		props map[string]int
	}
	var stack []component
	method, attendees, organizers := false, 0, 0
	lines := strings.Split(strings.TrimSuffix(unfold(cal), "\r\n"), "\r\n")
	for i, line := range lines {
		m := contentLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("content line %d is malformed: %q", i, line)
			continue
		}
		name, value := m[1], m[3]
		switch name {
		case "BEGIN":
			if i > 0 && len(stack) == 0 {
				t.Fatalf("line %d: a component after the calendar", i)
			}
			stack = append(stack, component{value, map[string]int{}})
			continue
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].name != value {
				t.Fatalf("line %d: END:%s closes nothing", i, value)
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			required := map[string][]string{"VCALENDAR": {"VERSION", "PRODID"}, "VEVENT": {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"},
				"VALARM": {"ACTION", "TRIGGER", "DESCRIPTION"}, "VTIMEZONE": {"TZID"}, "STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
				"DAYLIGHT": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"}}[top.name]
			for _, p := range required {
				if top.props[p] != 1 {
					t.Errorf("line %d: %s has %d %s", i, top.name, top.props[p], p)
				}
			}
			if top.name == "VEVENT" {
				if top.props["ATTENDEE"] > 0 && top.props["ORGANIZER"] != 1 {
					t.Errorf("line %d: attendees without an organizer", i)
				}
				attendees += top.props["ATTENDEE"]
				organizers += top.props["ORGANIZER"]
			}
			continue
		}
		if len(stack) == 0 {
			t.Fatalf("line %d: a property outside the calendar", i)
		}
		stack[len(stack)-1].props[name]++
		if name == "METHOD" {
			method = true
		}
		if (name == "SUMMARY" || name == "DESCRIPTION") && !textValue.MatchString(value) {
			t.Errorf("line %d: TEXT not escaped: %q", i, value)
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed %v", stack)
	}
	if method && attendees > 0 {
		t.Error("METHOD with attendees: iTIP's PUBLISH allows none")
	}
	if attendees == 0 || organizers == 0 {
		t.Errorf("%d attendees, %d organizers", attendees, organizers)
	}
}

// The member's contact fields are one record: the calendar, the contact
// sheet and paging read Member.Contact.
func TestContact(t *testing.T) {
	m := ccj.Member{ID: "dan", Name: "Dan", Channels: []ccj.Channel{{Kind: ccj.Matrix, Value: "@dan:example.be"}, {Kind: ccj.Email, Value: "dan@example.be"},
		{Kind: ccj.Phone, Value: "+32470000009"}, {Kind: ccj.Other, Value: "pager 12"}, {Kind: ccj.Phone, Value: "+32470000010"}, {Kind: ccj.Email, Value: "d2@example.be"}}}
	got := m.Contact()
	want := ccj.Contact{ID: "dan", Name: "Dan", Phone: "+32470000009", Email: "dan@example.be",
		Paging:   []ccj.Channel{{Kind: ccj.Matrix, Value: "@dan:example.be"}, {Kind: ccj.Phone, Value: "+32470000009"}, {Kind: ccj.Phone, Value: "+32470000010"}},
		Channels: m.Channels}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if m.Phone() != got.Phone {
		t.Error("Phone and Contact disagree")
	}
	if ct := (ccj.Member{ID: "x"}).Contact(); ct.Channels == nil || ct.Paging != nil || ct.Phone != "" {
		t.Errorf("%+v", ct)
	}
	// The phone the contact sheet prints is the one the calendar prints.
	c := weeklyCell(t)
	c.Members[1].Channels = []ccj.Channel{{Kind: ccj.Email, Value: "bob@example.be"}, {Kind: ccj.Phone, Value: "+32470000222"}}
	var sheet bytes.Buffer
	if err := c.ContactSheet(&sheet, at("2026-11-23 10:05"), language.English); err != nil {
		t.Fatal(err)
	}
	cal := unfold(export(t, c, ccj.Export{From: at("2026-11-23 10:00"), Until: at("2026-11-23 11:00"), Stamp: at("2026-11-23 10:05")}))
	if !strings.Contains(sheet.String(), "Bob Peeters (on call now) +32470000222") || !strings.Contains(cal, `On call: Bob Peeters\, +32470000222`) {
		t.Errorf("sheet and calendar disagree:\n%s\n%s", sheet.String(), cal)
	}
	if ct, ok := c.Contact("bob"); !ok || ct.Phone != "+32470000222" {
		t.Errorf("Cell.Contact: %+v %v", ct, ok)
	}
	if _, ok := c.Contact("mallory"); ok {
		t.Error("a contact for a stranger")
	}
}

// An import maps what it can and lists every event it cannot, with why
// and, when it could be read, when the event starts; its texts quote
// nothing of the file.
func TestImportUnmapped(t *testing.T) {
	c := weeklyCell(t)
	head := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n"
	ev := func(uid, body string) string {
		return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261001T090000Z\r\n" + body + "END:VEVENT\r\n"
	}
	good := "DTSTART;TZID=Europe/Brussels:20261123T080000\r\nDTEND;TZID=Europe/Brussels:20261124T080000\r\nSUMMARY:Alice Dubois / bob\r\n"
	for _, tc := range []struct {
		name      string
		body      string
		mapped    int
		cancelled int
		problems  map[int]string // event → what its problem says
		starts    map[int]string // event → its start, when read
	}{
		{"an export of Nextcloud's", ev("n1", good), 1, 0, nil, nil},
		{"a cancelled event is counted", ev("n1", good) + ev("n2", "STATUS:CANCELLED\r\n"+good), 1, 1, nil, nil},
		{"a stranger in the summary", ev("n1", good) + ev("SECRET-UID", "DTSTART:20261124T070000Z\r\nDTEND:20261125T070000Z\r\nSUMMARY:Mallory\r\n"), 1, 0,
			map[int]string{1: "the primary in the summary: it names no member"}, map[int]string{1: "2026-11-24T08:00:00+01:00"}},
		{"a time zone of elsewhere", ev("p", "DTSTART;TZID=Secret/Zone:20261124T080000\r\nDTEND;TZID=Secret/Zone:20261125T080000\r\nSUMMARY:alice\r\n"), 0, 0,
			map[int]string{0: "DTSTART is in another time zone"}, nil},
		{"a date-time that is none", ev("v", "DTSTART:2026SECRETZ\r\nDTEND:20261125T070000Z\r\nSUMMARY:alice\r\n"), 0, 0,
			map[int]string{0: "DTSTART is not a date-time"}, nil},
		{"the same UID twice", ev("u", good) + ev("u", good), 1, 0, map[int]string{1: "same UID"}, map[int]string{1: "2026-11-23T08:00:00+01:00"}},
		{"a bad duration", ev("d", "DTSTART:20261124T070000Z\r\nDURATION:PSECRET\r\nSUMMARY:alice\r\n"), 0, 0, map[int]string{0: "DURATION is not a positive duration"}, map[int]string{0: "2026-11-24T08:00:00+01:00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im, err := c.ImportICalendar(strings.NewReader(head + tc.body + "END:VCALENDAR\r\n"))
			if err != nil {
				t.Fatal(err)
			}
			if len(im.Shifts) != tc.mapped || im.Cancelled != tc.cancelled || len(im.Unmapped) != len(tc.problems) {
				t.Fatalf("%d mapped, %d cancelled, %d unmapped: %+v", len(im.Shifts), im.Cancelled, len(im.Unmapped), im)
			}
			for _, u := range im.Unmapped {
				text := u.Problem.Text(language.English)
				if !strings.Contains(text, tc.problems[u.Event]) || u.Problem.Field != fmt.Sprintf("events[%d]", u.Event) || !errors.Is(u.Problem, ccj.ErrICalendar) {
					t.Errorf("event %d: %s %q", u.Event, u.Problem.Field, text)
				}
				if got := timesync.FromTime(u.Start).String(); u.Start.IsZero() && tc.starts[u.Event] != "" || !u.Start.IsZero() && got != tc.starts[u.Event] {
					t.Errorf("event %d starts %v, want %q", u.Event, u.Start, tc.starts[u.Event])
				}
				for _, secret := range []string{"SECRET", "Secret", "Mallory"} {
					if strings.Contains(text, secret) {
						t.Errorf("event %d: the problem quotes the file: %q", u.Event, text)
					}
				}
			}
		})
	}
	// A calendar that is not one says where, not what.
	_, err := c.ImportICalendar(strings.NewReader(head + "BEGIN:VEVENT\r\nSECRET\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	if !errors.Is(err, ccj.ErrICalendar) || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("err = %v", err)
	}
}

// A rota knows the shifts it has, one-off or from a pattern.
func TestHasShift(t *testing.T) {
	c := weeklyCell(t)
	x, _ := c.Expand(at("2026-11-23 12:00"), at("2026-11-23 13:00"))
	s := x.Shifts[0]
	if !c.HasShift(s) {
		t.Errorf("the pattern's shift %+v is not found", s)
	}
	other := s
	other.Backup = "alice"
	if c.HasShift(other) {
		t.Error("a shift with another backup is found")
	}
	c.Patterns = nil
	c.Shifts = []ccj.Shift{other}
	if !c.HasShift(other) || c.HasShift(s) {
		t.Error("one-off shifts")
	}
}
