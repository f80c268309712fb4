package register_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var policy = register.PolicySource("keeping policy of the cell, approved 2026-01-05")

func TestKeepingLastDay(t *testing.T) {
	day := timesync.MustParseDay
	for _, tc := range []struct {
		name    string
		keeping register.Keeping
		closed  string
		last    string // "" for an error
		end     string // Brussels wall clock
	}{
		{"ten years, closing day not counted", register.Keeping{Years: 10}, "2026-03-10", "2036-03-10", "2036-03-11 00:00"},
		{"one year from a leap day", register.Keeping{Years: 1}, "2024-02-29", "2025-02-28", "2025-03-01 00:00"},
		{"four years from a leap day", register.Keeping{Years: 4}, "2024-02-29", "2028-02-29", "2028-03-01 00:00"},
		{"one month from 31 January", register.Keeping{Months: 1}, "2026-01-31", "2026-02-28", "2026-03-01 00:00"},
		{"months across a year's end", register.Keeping{Months: 3}, "2026-11-30", "2027-02-28", "2027-03-01 00:00"},
		{"years and months", register.Keeping{Years: 1, Months: 6}, "2026-08-31", "2028-02-29", "2028-03-01 00:00"},
		{"ends in summer time", register.Keeping{Years: 1}, "2026-06-15", "2027-06-15", "2027-06-16 00:00"},
		{"ends the day summer time begins", register.Keeping{Years: 1}, "2026-03-27", "2027-03-27", "2027-03-28 00:00"},
		{"the longest period", register.Keeping{Years: 100}, "2026-01-01", "2126-01-01", "2126-01-02 00:00"},
		{"no period", register.Keeping{}, "2026-01-01", "", ""},
		{"negative months", register.Keeping{Years: 1, Months: -1}, "2026-01-01", "", ""},
		{"more than a hundred years", register.Keeping{Years: 100, Months: 1}, "2026-01-01", "", ""},
		{"years that overflow", register.Keeping{Years: math.MaxInt}, "2026-01-01", "", ""},
		{"beyond 9999", register.Keeping{Years: 10}, "9995-01-01", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			last, err := tc.keeping.LastDay(day(tc.closed))
			end, endErr := tc.keeping.End(day(tc.closed))
			if tc.last == "" {
				if !errors.Is(err, register.ErrKeeping) || !errors.Is(endErr, register.ErrKeeping) {
					t.Fatalf("LastDay, End: %v, %v; want ErrKeeping", err, endErr)
				}
				return
			}
			if err != nil || endErr != nil {
				t.Fatal(err, endErr)
			}
			if diff := cmp.Diff(day(tc.last).String(), last.String()); diff != "" {
				t.Errorf("LastDay (-want +got):\n%s", diff)
			}
			if want := at(tc.end).Time(); !end.Equal(want) || end != timesync.DayEnd(last) {
				t.Errorf("End = %v, want %v = DayEnd(LastDay)", end, want)
			}
		})
	}
	if _, err := (register.Keeping{Years: 1}).LastDay(0); !errors.Is(err, register.ErrKeeping) {
		t.Errorf("no closing day: %v", err)
	}
}

// rules lists a finding list's rules with their severities.
func rules(fs []provenance.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Severity.String()+" "+f.Rule)
	}
	return out
}

func TestKeepingFindings(t *testing.T) {
	verified := provenance.Source{Instrument: "a law that sets the period", Article: "art. 1", Certainty: provenance.Verified, URL: "https://example.org"}
	for _, tc := range []struct {
		name    string
		keeping register.Keeping
		want    []string
	}{
		{"the cell's policy, ten years", register.Keeping{Years: 10, Source: policy},
			[]string{"warning keeping-policy", "info keeping-storage-limitation"}},
		{"the cell's policy, one year: shorter than the books", register.Keeping{Years: 1, Source: policy},
			[]string{"warning keeping-policy", "info keeping-storage-limitation", "info keeping-accounting"}},
		{"seven years from the closing is shorter than the books (seven from the next 1 January)", register.Keeping{Years: 6, Months: 12, Source: policy},
			[]string{"warning keeping-policy", "info keeping-storage-limitation", "info keeping-accounting"}},
		{"eight years is not shorter than the books", register.Keeping{Years: 7, Months: 12, Source: policy},
			[]string{"warning keeping-policy", "info keeping-storage-limitation"}},
		{"a period from a verified text", register.Keeping{Years: 10, Source: verified},
			[]string{"info keeping-storage-limitation"}},
		{"a technical rule is no keeping law", register.Keeping{Years: 10, Source: provenance.Rule("x")},
			[]string{"warning keeping-policy", "info keeping-storage-limitation"}},
		{"no source", register.Keeping{Years: 10},
			[]string{"error keeping-source", "warning keeping-policy", "info keeping-storage-limitation"}},
		{"no period", register.Keeping{Source: policy},
			[]string{"error keeping-period", "warning keeping-policy", "info keeping-storage-limitation"}},
		{"a negative period", register.Keeping{Years: -1, Months: 24, Source: verified},
			[]string{"error keeping-period", "info keeping-storage-limitation"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := tc.keeping.Findings()
			if diff := cmp.Diff(tc.want, rules(fs)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			errs := 0
			for _, f := range fs {
				if f.Severity > provenance.MaxSeverity(f.Source.Certainty) {
					t.Errorf("%s: %s above its source's certainty %s", f.Rule, f.Severity, f.Source.Certainty)
				}
				if f.Text(language.English) == "" {
					t.Errorf("%s: no text", f.Rule)
				}
				if f.Severity == provenance.Error {
					errs++
				}
			}
			err := tc.keeping.Validate()
			var probs *provenance.Problems
			switch {
			case errs == 0 && err != nil:
				t.Errorf("Validate: %v, want nil (warnings are no error)", err)
			case errs > 0 && (!errors.As(err, &probs) || !errors.Is(err, register.ErrKeeping) || len(probs.Findings) != len(fs)):
				t.Errorf("Validate: %v, want every finding in a *provenance.Problems wrapping ErrKeeping", err)
			}
		})
	}
}

// keepReg is a register whose cases are received, withdrawn and closed
// at the Brussels times given.
type keepReg struct {
	t     tb
	reg   *register.Register
	clock *timesynctest.Clock
}

// tb is what keepReg needs of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func newKeepReg(t tb, path string) *keepReg {
	t.Helper()
	clock := timesynctest.NewClock(at("2026-01-05 09:00").Time())
	alice, err := register.NewIdentity("alice", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(path, register.Config{Clock: clock, Identity: alice, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	return &keepReg{t, reg, clock}
}

// step moves the clock to instant when and applies ev to case id ("" for
// its receipt).
func (k *keepReg) step(id string, ev register.Event, when time.Time) {
	k.t.Helper()
	k.clock.Set(when)
	var err error
	if ev == "" {
		_, err = k.reg.Receive(id, sampleRequisition(), "alice", goodClock)
	} else {
		_, err = k.reg.Apply(id, ev, "alice", goodClock, "")
	}
	if err != nil {
		k.t.Fatalf("%s %s: %v", id, ev, err)
	}
}

// closeAt receives case id, records its withdrawal and closes it at when.
func (k *keepReg) closeAt(id string, when time.Time) {
	k.t.Helper()
	k.step(id, "", when.Add(-2*time.Minute))
	k.step(id, register.Cancel, when.Add(-time.Minute))
	k.step(id, register.Close, when)
}

func TestKeepingReport(t *testing.T) {
	k := newKeepReg(t, filepath.Join(t.TempDir(), "ccj.journal"))
	defer k.reg.Close()
	year := register.Keeping{Years: 1, Source: policy}
	// Closed late on New Year's Eve in Brussels: 22:30 UTC, the day is
	// still 31 December.
	k.closeAt("2025-0001", at("2025-12-31 23:30").Time())
	k.closeAt("2026-0001", at("2026-02-10 10:00").Time())
	k.closeAt("2026-0002", at("2026-03-02 10:00").Time())
	k.step("2026-0003", "", at("2026-03-03 10:00").Time())
	k.step("2026-0003", register.Acknowledge, at("2026-03-03 10:01").Time())
	k.step("2026-0003", register.Contest, at("2026-03-03 10:02").Time()) // contested, never closed
	k.step("2026-0004", "", at("2026-03-04 10:00").Time())               // still open

	kept := func(id, closed, last, end string, ended bool) register.KeptCase {
		return register.KeptCase{Case: id, Closed: timesync.MustParseDay(closed), LastDay: timesync.MustParseDay(last), End: at(end).Time(), Ended: ended}
	}
	c0 := kept("2025-0001", "2025-12-31", "2026-12-31", "2027-01-01 00:00", true)
	c1 := kept("2026-0001", "2026-02-10", "2027-02-10", "2027-02-11 00:00", true)
	c2 := kept("2026-0002", "2026-03-02", "2027-03-02", "2027-03-03 00:00", false)
	kept0, kept1 := c0, c1
	kept0.Ended, kept1.Ended = false, false
	for _, tc := range []struct {
		name        string
		at          string
		ended, kept []register.KeptCase
	}{
		{"nothing ended yet", "2026-12-31 23:59:59", []register.KeptCase{}, []register.KeptCase{kept0, kept1, c2}},
		{"the first instant after the last day", "2027-01-01 00:00", []register.KeptCase{c0}, []register.KeptCase{kept1, c2}},
		{"the last second of a last day", "2027-03-02 23:59:59", []register.KeptCase{c0, c1}, []register.KeptCase{c2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := k.reg.KeepingReport(at(tc.at).Time(), year)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.ended, rep.Ended); diff != "" {
				t.Errorf("Ended (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.kept, rep.Kept); diff != "" {
				t.Errorf("Kept (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"2026-0003"}, rep.Unclosed); diff != "" || rep.Open != 1 || rep.Retirable {
				t.Errorf("Unclosed %v, Open %d, Retirable %v", rep.Unclosed, rep.Open, rep.Retirable)
			}
			want := []string{"warning keeping-policy", "info keeping-storage-limitation", "info keeping-accounting", "warning keeping-unclosed"}
			if diff := cmp.Diff(want, rules(rep.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			ended, err := k.reg.KeepingEnded(at(tc.at).Time(), year)
			if err != nil || !cmp.Equal(ended, rep.Ended) {
				t.Errorf("KeepingEnded = %v, %v; want the report's Ended", ended, err)
			}
		})
	}

	// Refused: a period that cannot be counted, no instant.
	if _, err := k.reg.KeepingReport(at("2027-01-01 00:00").Time(), register.Keeping{Source: policy}); !errors.Is(err, register.ErrKeeping) {
		t.Errorf("no period: %v", err)
	}
	if _, err := k.reg.KeepingEnded(time.Time{}, year); !errors.Is(err, register.ErrKeeping) {
		t.Errorf("no instant: %v", err)
	}
	// A source no longer in force on the day is a warning, capped by
	// its certainty.
	old := register.Keeping{Years: 1, Source: provenance.Source{Instrument: "an old rule", Certainty: provenance.Verified, Until: timesync.MustParseDay("2026-06-01")}}
	rep, err := k.reg.KeepingReport(at("2026-07-01 12:00").Time(), old)
	if err != nil || !slices.Contains(rules(rep.Findings), "warning keeping-in-force") {
		t.Errorf("source out of force: %v, %v", rules(rep.Findings), err)
	}
}

// A register whose every case is closed and past its period may be
// retired as a whole; the report writes nothing.
func TestKeepingRetirable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ccj.journal")
	k := newKeepReg(t, path)
	defer k.reg.Close()
	months := register.Keeping{Months: 6, Source: policy}
	if rep, err := k.reg.KeepingReport(at("2026-01-05 10:00").Time(), months); err != nil || rep.Retirable {
		t.Errorf("an empty register: Retirable %v, %v", rep.Retirable, err)
	}
	k.closeAt("2026-0001", at("2026-01-15 10:00").Time())
	k.closeAt("2026-0002", at("2026-01-20 10:00").Time())
	before, _ := os.ReadFile(path)
	for _, tc := range []struct {
		at   string
		want bool
	}{{"2026-07-20 23:59:59", false}, {"2026-07-21 00:00", true}} {
		rep, err := k.reg.KeepingReport(at(tc.at).Time(), months)
		if err != nil || rep.Retirable != tc.want {
			t.Errorf("%s: Retirable %v, want %v (%v)", tc.at, rep.Retirable, tc.want, err)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the report wrote to the journal")
	}
}

// The property: a closed case is in Ended iff the instant is not before
// its End, and End is DayEnd of its LastDay — whatever the closing
// instants, the period and the instant asked.
func TestKeepingEndedProperty(t *testing.T) {
	dir := t.TempDir()
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		k := newKeepReg(rt, filepath.Join(dir, fmt.Sprintf("p%d.journal", n)))
		defer k.reg.Close()
		keeping := register.Keeping{Years: rapid.IntRange(0, 3).Draw(rt, "years"), Months: rapid.IntRange(0, 13).Draw(rt, "months"), Source: policy}
		if keeping.Years == 0 && keeping.Months == 0 {
			keeping.Months = 1
		}
		when := at("2026-01-05 09:00").Time()
		closedAt := map[string]time.Time{}
		for i := range rapid.IntRange(1, 3).Draw(rt, "cases") {
			when = when.Add(time.Duration(rapid.Int64Range(180, 400*24*3600).Draw(rt, "seconds")) * time.Second)
			id := fmt.Sprintf("case-%d", i)
			k.closeAt(id, when)
			closedAt[id] = when
		}
		now := when.Add(time.Duration(rapid.Int64Range(-3600, 5*366*24*3600).Draw(rt, "later")) * time.Second)
		rep, err := k.reg.KeepingReport(now, keeping)
		if err != nil {
			rt.Fatal(err)
		}
		got := map[string]bool{}
		for _, c := range append(append([]register.KeptCase{}, rep.Ended...), rep.Kept...) {
			last, err := keeping.LastDay(timesync.Day(closedAt[c.Case]))
			if err != nil {
				rt.Fatal(err)
			}
			if c.LastDay != last || !c.End.Equal(timesync.DayEnd(last)) {
				rt.Fatalf("%s: LastDay %s End %v, want %s and DayEnd of it", c.Case, c.LastDay, c.End, last)
			}
			if c.Ended != !now.Before(c.End) {
				rt.Fatalf("%s: Ended %v at %v, End %v", c.Case, c.Ended, now, c.End)
			}
			if timesync.Day(c.End.Add(-time.Nanosecond)) != last || timesync.Day(c.End) != last+1 {
				rt.Fatalf("%s: End %v is not 24:00 Brussels on %s", c.Case, c.End, last)
			}
			got[c.Case] = c.Ended
		}
		if len(got) != len(closedAt) {
			rt.Fatalf("%d cases reported, %d closed", len(got), len(closedAt))
		}
		for _, c := range rep.Ended {
			if !got[c.Case] {
				rt.Fatalf("%s in Ended but not ended", c.Case)
			}
		}
	})
}

// The calendar rule: the last day is n months on, on the closing's
// day-of-month or the month's last day, and a longer period never ends
// earlier.
func TestKeepingCalendarProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		closed := date.New(rapid.IntRange(1900, 2300).Draw(rt, "year"), time.Month(rapid.IntRange(1, 12).Draw(rt, "month")), 1) +
			date.Date(rapid.IntRange(0, 30).Draw(rt, "day"))
		n := rapid.IntRange(1, register.MaxKeepingMonths-1).Draw(rt, "months")
		k := register.Keeping{Years: n / 12, Months: n % 12}
		last, err := k.LastDay(closed)
		if err != nil {
			rt.Fatal(err)
		}
		longer, err := register.Keeping{Months: n + 1}.LastDay(closed)
		if err != nil {
			rt.Fatal(err)
		}
		cy, cm, cd := closed.Date()
		ly, lm, ld := last.Date()
		monthsOn := (ly-cy)*12 + int(lm) - int(cm)
		lastOfMonth := date.New(ly, lm+1, 1) - 1
		if monthsOn != n || ld != min(cd, lastOfMonth.Day()) || !(longer > last) || !(last > closed) {
			rt.Fatalf("closed %s, %d months: last day %s (one more month: %s)", closed, n, last, longer)
		}
	})
}

// How long a closed case is kept: the cell states its period (here six
// months, its own policy, so a warning says so); the register lists the
// cases whose period is over, and deletes nothing.
func ExampleRegister_KeepingReport() {
	dir, _ := os.MkdirTemp("", "register")
	defer os.RemoveAll(dir)
	alice, _ := register.NewIdentity("alice", register.RoleMember)
	clock := timesynctest.NewClock(time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC))
	reg, _, _ := register.Open(filepath.Join(dir, "ccj.journal"), register.Config{Clock: clock, Identity: alice, Found: true})
	defer reg.Close()
	req := sampleRequisition()
	for _, c := range []struct {
		id   string
		days int // closed this many days after 15 January
	}{{"2026-0001", 0}, {"2026-0002", 74}} {
		clock.Set(time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC).AddDate(0, 0, c.days))
		reg.Receive(c.id, req, "alice", timesync.Verdict{})
		reg.Apply(c.id, register.Cancel, "alice", timesync.Verdict{}, "withdrawn by the authority")
		reg.Apply(c.id, register.Close, "alice", timesync.Verdict{}, "")
	}

	keeping := register.Keeping{Months: 6, Source: register.PolicySource("keeping policy of the cell, approved 2026-01-05")}
	now := timesync.MustParseBrussels("2026-07-16 10:00", timesync.Strict).Time()
	rep, err := reg.KeepingReport(now, keeping)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Ended {
		fmt.Printf("ended: %s, closed %s, kept to %s, ended %s\n", c.Case, c.Closed, c.LastDay, timesync.FromTime(c.End))
	}
	for _, c := range rep.Kept {
		fmt.Printf("kept:  %s, closed %s, kept to %s\n", c.Case, c.Closed, c.LastDay)
	}
	for _, f := range rep.Findings {
		fmt.Println(f.Severity, f.Rule, f.Source.Certainty)
	}
	// Output:
	// ended: 2026-0001, closed 2026-01-15, kept to 2026-07-15, ended 2026-07-16T00:00:00+02:00
	// kept:  2026-0002, closed 2026-03-30, kept to 2026-09-30
	// warning keeping-policy [U]
	// info keeping-storage-limitation [S]
	// info keeping-accounting [S]
}
