package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		{"check in June 2027", "2027-06-15 12:00", []string{"check"}, []string{"covered around the clock from 2027-06-15T12:00:00+02:00"}, 0},
		// Seven days from 10:05: today's shift, which started at 08:00,
		// and one starting each of the next seven mornings.
		{"export a week", "2026-11-23 10:05", []string{"export", "-days", "7"}, []string{"DTSTART;TZID=Europe/Brussels:20261123T080000", "DTSTART;TZID=Europe/Brussels:20261130T080000"}, 8},
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
		{"an export longer than ten years", []string{"rota", "export", "-days", "4000"}, []string{"-days", "3660"}},
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
