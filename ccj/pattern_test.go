package ccj_test

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// brussels is a Brussels wall-clock time that exists once.
func brussels(s string) time.Time { return timesync.MustParseBrussels(s, timesync.Strict).Time() }

// dailyPatterns is a rota of one 24-hour shift a day from 08:00, alice
// and bob taking turns week by week from the week of 19 October 2026.
func dailyPatterns() []ccj.Pattern {
	var ps []ccj.Pattern
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		ps = append(ps, ccj.Pattern{Weekday: wd, Start: "08:00", End: "08:00", Days: 1,
			Primaries: []string{"alice", "bob"}, Backups: []string{"bob", "alice"}, Anchor: date.New(2026, 10, 19)})
	}
	return ps
}

// patternCell is the sample cell with the daily patterns instead of its
// weekend shifts.
func patternCell(t testing.TB) ccj.Cell {
	c := sampleCell(t)
	c.Shifts = nil
	c.Patterns = dailyPatterns()
	return c
}

// The cell's queries see its patterns without the caller expanding them.
func TestQueriesSeePatterns(t *testing.T) {
	c := patternCell(t)
	for _, tc := range []struct {
		name  string
		at    time.Time
		order []string
	}{
		{"the repeated hour, first time: Saturday's shift, week 0", brussels("2026-10-25 02:30 CEST"), []string{"alice", "bob"}},
		{"the repeated hour, second time", brussels("2026-10-25 02:30 CET"), []string{"alice", "bob"}},
		{"Monday of week 1", brussels("2026-10-26 10:00"), []string{"bob", "alice"}},
		{"before the anchor's week: week -1", brussels("2026-10-18 12:00"), []string{"bob", "alice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The escalation list adds nobody: carol's advice is pending,
			// bob is on duty already.
			oc := c.OnCall(tc.at)
			if !slices.Equal(oc.Order, tc.order) || oc.OnDuty != 2 || oc.Shift == nil || oc.Shift.Primary != tc.order[0] {
				t.Errorf("order %v on duty %d shift %+v, want %v", oc.Order, oc.OnDuty, oc.Shift, tc.order)
			}
		})
	}
	// A shift that started the day before the window covers its start.
	from, to := brussels("2026-10-19 00:00"), brussels("2026-11-02 00:00")
	if gaps, fs := c.Gaps(from, to); len(gaps) != 0 || len(fs) != 0 {
		t.Errorf("gaps %v, findings %v", gaps, fs)
	}
	var coverage []string
	for _, f := range c.Report(brussels("2026-10-23 12:00"), ccj.ReportOptions{Horizon: 14 * 24 * time.Hour}) {
		if f.Rule == "coverage" {
			coverage = append(coverage, f.Severity.String()+" "+f.Text(language.English))
		}
	}
	if len(coverage) != 1 || !strings.Contains(coverage[0], "info the cell is covered around the clock") {
		t.Errorf("coverage findings %q", coverage)
	}
	// A broken pattern's shifts are left out, and said so.
	c.Patterns[6].Start = "02:30" // Saturdays: exists every Saturday
	c.Patterns[0].Start = "02:30" // Sundays: not on 29 March 2026
	gaps, fs := c.Gaps(brussels("2026-03-28 12:00"), brussels("2026-03-29 12:00"))
	if len(gaps) != 1 || !gaps[0].Start.Equal(brussels("2026-03-29 08:00")) {
		t.Errorf("gaps %v", gaps)
	}
	if len(fs) != 1 || fs[0].Field != "patterns[0].start" || !errors.Is(fs[0], ccj.ErrPattern) ||
		!strings.Contains(fs[0].Text(language.English), "2026-03-29") {
		t.Errorf("findings %v", fs)
	}
}

func TestCellExpand(t *testing.T) {
	c := patternCell(t)
	own, _ := ccj.NewShift("2026-10-20 08:00", "2026-10-20 12:00", "carol", "")
	c.Shifts = []ccj.Shift{own}
	from, to := brussels("2026-10-19 00:00"), brussels("2026-10-26 00:00")
	e, err := c.Expand(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if e.Patterns != nil {
		t.Errorf("patterns left: %v", e.Patterns)
	}
	// Sunday 18 October's shift (it covers the window's first hours) to
	// Sunday 25 October's, with the one-off shift first of those starting
	// at 08:00 on the 20th.
	if len(e.Shifts) != 9 {
		t.Fatalf("%d shifts: %+v", len(e.Shifts), e.Shifts)
	}
	if !e.Shifts[0].Start.Equal(brussels("2026-10-18 08:00")) || !e.Shifts[8].Start.Equal(brussels("2026-10-25 08:00")) {
		t.Errorf("first %v, last %v", e.Shifts[0].Start, e.Shifts[8].Start)
	}
	if e.Shifts[2] != own || e.Shifts[3].Primary != "alice" || !e.Shifts[3].Start.Equal(own.Start) {
		t.Errorf("the one-off shift is not first of its start: %+v", e.Shifts[2:4])
	}
	if !slices.IsSortedFunc(e.Shifts, func(a, b ccj.Shift) int { return a.Start.Compare(b.Start) }) {
		t.Error("not in order of start")
	}
	// The night of the October change lasts 25 hours.
	if d := e.Shifts[7].Duration(); d != 25*time.Hour {
		t.Errorf("Saturday 24 October's shift lasts %v", d)
	}
	// The original cell is untouched, and the queries agree on both.
	if len(c.Shifts) != 1 || len(c.Patterns) != 7 {
		t.Error("Expand changed the cell")
	}
	g1, _ := c.Gaps(from, to)
	g2, _ := e.Gaps(from, to)
	if diff := cmp.Diff(g1, g2); diff != "" {
		t.Errorf("gaps differ (-patterns +expanded):\n%s", diff)
	}
	// A calendar is written from the expanded cell, not from the patterns.
	if err := c.WriteICalendar(io.Discard, from); !errors.Is(err, ccj.ErrICalendar) {
		t.Errorf("WriteICalendar with patterns: %v", err)
	}
	var b strings.Builder
	if err := e.WriteICalendar(&b, from); err != nil || strings.Count(b.String(), "BEGIN:VEVENT") != 9 {
		t.Errorf("WriteICalendar of the expanded cell: %v", err)
	}
}

func TestExpandWindow(t *testing.T) {
	p := dailyPatterns()[:1]
	for _, tc := range []struct {
		name     string
		from, to date.Date
		shifts   int
		err      error
	}{
		{"one day", date.New(2026, 10, 25), date.New(2026, 10, 25), 1, nil},
		{"a Monday to Saturday: no Sunday", date.New(2026, 10, 19), date.New(2026, 10, 24), 0, nil},
		{"ten years to the day", date.New(2026, 1, 1), date.New(2026, 1, 1) + ccj.MaxExpandDays, 523, nil},
		{"a day more than ten years", date.New(2026, 1, 1), date.New(2026, 1, 1) + ccj.MaxExpandDays + 1, 0, ccj.ErrWindow},
		{"ends before it starts", date.New(2026, 1, 2), date.New(2026, 1, 1), 0, ccj.ErrWindow},
		{"far in the future", date.New(3000, 1, 1), date.New(3000, 1, 7), 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shifts, err := ccj.Expand(p, tc.from, tc.to)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) || len(shifts) != tc.shifts {
				t.Errorf("%d shifts, %v; want %d, %v", len(shifts), err, tc.shifts, tc.err)
			}
		})
	}
	c := patternCell(t)
	at := brussels("2026-01-01 00:00")
	if _, err := c.Expand(at, at.AddDate(10, 1, 0)); !errors.Is(err, ccj.ErrWindow) {
		t.Errorf("Cell.Expand over ten years and a month: %v", err)
	}
	if _, err := c.Expand(at, at.Add(-time.Second)); !errors.Is(err, ccj.ErrWindow) {
		t.Errorf("Cell.Expand backwards: %v", err)
	}
	// The queries do not expand over more than the maximum either: they
	// say so.
	if _, fs := c.Gaps(at, at.AddDate(11, 0, 0)); len(fs) != 1 || !errors.Is(fs[0], ccj.ErrWindow) {
		t.Errorf("Gaps over eleven years: %v", fs)
	}
}

// Expand reports every bad pattern, each at its field, not the first.
func TestExpandReportsEveryPattern(t *testing.T) {
	ps := dailyPatterns()
	ps[1].End = "8h"
	ps[2].Days = 9
	ps[3].Primaries = nil
	ps[4].Start, ps[4].End, ps[4].Days = "09:00", "10:00", 7 // a week and an hour
	ps[5].Primaries = []string{"alice", " "}
	ps[0].Start = "02:30" // Sunday 29 March 2026 has no 02:30
	_, err := ccj.Expand(ps, date.New(2026, 1, 1), date.New(2026, 12, 31))
	var p *provenance.Problems
	if !errors.As(err, &p) || !errors.Is(err, ccj.ErrPattern) || p.What != "ccj: patterns" {
		t.Fatalf("err = %v", err)
	}
	var fields []string
	for _, f := range p.Findings {
		fields = append(fields, f.Field)
		if f.Source.Certainty != provenance.Technical || f.Rule != "pattern" {
			t.Errorf("%s: rule %s, source %v", f.Field, f.Rule, f.Source)
		}
		for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
			if f.Text(tag) == f.Text(language.English) {
				t.Errorf("%s: not translated to %v: %s", f.Field, tag, f.Text(language.English))
			}
		}
	}
	want := []string{"patterns[0].start", "patterns[1].end", "patterns[2].days", "patterns[3].primaries", "patterns[4].end", "patterns[5].primaries[1]"}
	slices.Sort(fields)
	if !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
	if !strings.Contains(err.Error(), "on 2026-03-29 the time falls in the hour skipped") {
		t.Errorf("the spring gap's day is not named: %v", err)
	}
}

// A pattern's shift that would end in the second occurrence of the
// repeated hour, after the pattern's next one starts, ends when it starts.
func TestExpandRepeatedHourWeekShift(t *testing.T) {
	p := ccj.Pattern{Weekday: time.Sunday, Start: "02:30", End: "02:30", Days: 7, Primaries: []string{"alice", "bob"}}
	shifts, err := ccj.Expand([]ccj.Pattern{p}, date.New(2026, 10, 18), date.New(2026, 10, 25))
	if err != nil {
		t.Fatal(err)
	}
	if len(shifts) != 2 || !shifts[0].End.Equal(shifts[1].Start) || !shifts[1].Start.Equal(brussels("2026-10-25 02:30 CEST")) {
		t.Errorf("%+v", shifts)
	}
	if d := shifts[0].Duration(); d != 7*24*time.Hour {
		t.Errorf("the week before the change lasts %v", d)
	}
	// The last one, with no next one in the window, keeps its full length.
	if d := shifts[1].Duration(); d != 7*24*time.Hour+time.Hour {
		t.Errorf("the week of the change lasts %v", d)
	}
}

func TestCheck(t *testing.T) {
	withPattern := func(edit func(*ccj.Pattern)) ccj.Cell {
		c := patternCell(t)
		edit(&c.Patterns[3])
		return c
	}
	for _, tc := range []struct {
		name   string
		cell   ccj.Cell
		err    error
		fields []string
	}{
		{"the sample cell", sampleCell(t), nil, nil},
		{"the pattern cell", patternCell(t), nil, nil},
		{"no member", ccj.Cell{Name: "x"}, ccj.ErrMember, []string{"members"}},
		{"members' papers are not the rota's business", func() ccj.Cell {
			c := sampleCell(t)
			c.Members[0].Channels = []ccj.Channel{{Kind: ccj.Phone, Value: "0470"}}
			c.Members[1].Advice.Granted = 0
			return c
		}(), nil, nil},
		{"a malformed and a shared identifier", func() ccj.Cell {
			c := sampleCell(t)
			c.Members[1].ID = "bob smith"
			c.Members[2].ID = "alice"
			return c
		}(), ccj.ErrMember, []string{"members[1].id", "members[2].id", "shifts[0].backup", "shifts[1].primary", "shifts[2].backup", "shifts[3].primary", "escalation[0]", "escalation[1]"}},
		{"a shift backwards, one without primary", func() ccj.Cell {
			c := sampleCell(t)
			c.Shifts[0].End = c.Shifts[0].Start
			c.Shifts[1].Primary = ""
			return c
		}(), ccj.ErrRota, []string{"shifts[0]", "shifts[1]"}},
		{"a pattern naming a stranger", withPattern(func(p *ccj.Pattern) { p.Backups = []string{"mallory", "alice"} }), ccj.ErrPattern, []string{"patterns[3].backups[0]"}},
		{"a pattern in the spring gap", withPattern(func(p *ccj.Pattern) { p.Weekday, p.Start = time.Sunday, "02:00" }), ccj.ErrPattern, []string{"patterns[3].start"}},
		{"a malformed pattern", withPattern(func(p *ccj.Pattern) { p.Weekday = -1 }), ccj.ErrPattern, []string{"patterns[3].weekday"}},
		{"a one-off shift that repeats a pattern's", withOneOff(t, func(*ccj.Shift) {}), nil, nil},
		{"a one-off shift that starts with a pattern's and ends later: a warning", withOneOff(t, func(s *ccj.Shift) { s.End = s.End.Add(time.Hour) }), nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cell.Check(brussels("2026-01-10 12:00"))
			if tc.err == nil {
				if err != nil {
					t.Fatalf("Check = %v", err)
				}
				return
			}
			var p *provenance.Problems
			if !errors.Is(err, tc.err) || !errors.As(err, &p) || p.What != "ccj: cell" {
				t.Fatalf("Check = %v, want %v in a *provenance.Problems", err, tc.err)
			}
			var fields []string
			for _, f := range p.Errors() {
				fields = append(fields, f.Field)
			}
			slices.Sort(fields)
			slices.Sort(tc.fields)
			if !slices.Equal(fields, tc.fields) {
				t.Errorf("fields %v, want %v", fields, tc.fields)
			}
			// A stranger's identifier is not repeated in the text.
			if strings.Contains(err.Error(), "mallory") {
				t.Errorf("the error quotes an identifier that names nobody: %v", err)
			}
		})
	}
	// A week's backup swapped by a one-off shift: Validate warns, naming
	// the one-off shift.
	swapped := withOneOff(t, func(s *ccj.Shift) { s.Backup = "carol" })
	var warned []string
	for _, f := range swapped.Validate(brussels("2026-01-10 12:00")) {
		if f.Rule == "rota" && f.Severity == provenance.Warning {
			warned = append(warned, f.Field)
		}
	}
	if !slices.Contains(warned, "shifts[0]") {
		t.Errorf("no warning for the one-off shift: %v", warned)
	}
	// Validate has the same findings, and the papers'.
	c := patternCell(t)
	c.Patterns[0].Primaries = []string{"mallory"}
	c.Members[0].Channels = nil
	var fields []string
	for _, f := range c.Validate(brussels("2026-01-10 12:00")) {
		fields = append(fields, f.Field)
	}
	for _, want := range []string{"patterns[0].primaries[0]", "members[0].channels"} {
		if !slices.Contains(fields, want) {
			t.Errorf("Validate lacks %s: %v", want, fields)
		}
	}
}

// withOneOff is the pattern cell with, as a one-off shift, one of its
// patterns' shifts a week after the check's day, as edit leaves it.
func withOneOff(t *testing.T, edit func(*ccj.Shift)) ccj.Cell {
	t.Helper()
	c := patternCell(t)
	ex, err := c.Expand(brussels("2026-01-17 00:00"), brussels("2026-01-18 00:00"))
	if err != nil || len(ex.Shifts) == 0 {
		t.Fatalf("Expand: %v, %d shifts", err, len(ex.Shifts))
	}
	s := ex.Shifts[0]
	edit(&s)
	c.Shifts = append([]ccj.Shift{s}, c.Shifts...)
	return c
}

// patternGen draws a well-formed pattern: any start to the minute (often
// in the hours of the clock changes), a span of a minute to a week.
func patternGen() *rapid.Generator[ccj.Pattern] {
	return rapid.Custom(func(t *rapid.T) ccj.Pattern {
		minute := rapid.OneOf(rapid.IntRange(0, 24*60-1), rapid.IntRange(120, 179), rapid.SampledFrom([]int{0, 8 * 60, 18 * 60})).Draw(t, "start")
		span := rapid.OneOf(rapid.IntRange(1, 7*24*60), rapid.SampledFrom([]int{60, 24 * 60, 14 * 60, 7 * 24 * 60})).Draw(t, "span")
		ids := []string{"alice", "bob", "carol"}
		return ccj.Pattern{
			Weekday:   time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday")),
			Start:     fmt.Sprintf("%02d:%02d", minute/60, minute%60),
			End:       fmt.Sprintf("%02d:%02d", (minute+span)%(24*60)/60, (minute+span)%60),
			Days:      (minute + span) / (24 * 60),
			Primaries: rapid.SliceOfN(rapid.SampledFrom(ids), 1, 3).Draw(t, "primaries"),
			Backups:   rapid.SliceOfN(rapid.SampledFrom(ids), 0, 3).Draw(t, "backups"),
			Anchor:    date.Date(rapid.IntRange(0, 40000).Draw(t, "anchor")),
		}
	})
}

// wallSpan is the pattern's span in wall-clock minutes.
func wallSpan(p ccj.Pattern) time.Duration {
	var sh, sm, eh, em int
	fmt.Sscanf(p.Start, "%d:%d", &sh, &sm)
	fmt.Sscanf(p.End, "%d:%d", &eh, &em)
	return time.Duration(p.Days*24*60+eh*60+em-sh*60-sm) * time.Minute
}

// Properties of Expand over any window of whole weeks: every shift starts
// on a day of the window, on its pattern's weekday, at its wall-clock
// time, and ends at its wall-clock time (DST days included: the elapsed
// time is the wall-clock span corrected by the change of offset); one
// pattern's shifts never overlap; each pattern gives one shift a week; the
// turns follow the lists. A time that does not exist is an error only in
// the hour the spring change skips.
func TestExpandProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := timesync.Day(timesynctest.Instant().Draw(t, "from"))
		weeks := rapid.IntRange(0, 60).Draw(t, "weeks")
		to := from + date.Date(7*weeks) - 1
		ps := rapid.SliceOfN(patternGen(), 1, 4).Draw(t, "patterns")
		all, err := ccj.Expand(ps, from, max(to, from))
		if err != nil {
			var p *provenance.Problems
			if !errors.As(err, &p) || !errors.Is(err, ccj.ErrPattern) {
				t.Fatalf("err = %v", err)
			}
			for _, f := range p.Errors() {
				var i int
				var which string
				fmt.Sscanf(f.Field, "patterns[%d].%s", &i, &which)
				hhmm := map[string]string{"start": ps[i].Start, "end": ps[i].End}[which]
				if !strings.HasPrefix(hhmm, "02:") || !strings.Contains(f.Text(language.English), "skipped") {
					t.Fatalf("%s (%q): %s", f.Field, hhmm, f.Text(language.English))
				}
			}
			return
		}
		if weeks > 0 && len(all) != weeks*len(ps) {
			t.Fatalf("%d shifts for %d patterns over %d weeks", len(all), len(ps), weeks)
		}
		var each []ccj.Shift
		for pi, p := range ps {
			shifts, err := ccj.Expand([]ccj.Pattern{p}, from, max(to, from))
			if err != nil {
				t.Fatalf("pattern %d alone: %v", pi, err)
			}
			each = append(each, shifts...)
			if weeks > 0 && len(shifts) != weeks {
				t.Fatalf("pattern %d: %d shifts over %d weeks", pi, len(shifts), weeks)
			}
			for i, s := range shifts {
				day := timesync.Day(s.Start)
				if day < from || day > max(to, from) || day.Weekday() != p.Weekday {
					t.Fatalf("pattern %d shift %d starts on %v (%v), window %v to %v", pi, i, day, day.Weekday(), from, to)
				}
				if !slices.Contains(p.Primaries, s.Primary) || s.Backup != "" && !slices.Contains(p.Backups, s.Backup) {
					t.Fatalf("pattern %d shift %d: %s / %s", pi, i, s.Primary, s.Backup)
				}
				ws := timesync.WallClockOf(timesync.FromTime(s.Start))
				if got := fmt.Sprintf("%02d:%02d", ws.Hour, ws.Minute); got != p.Start {
					t.Fatalf("pattern %d shift %d starts at %s, not %s", pi, i, got, p.Start)
				}
				clamped := i+1 < len(shifts) && s.End.Equal(shifts[i+1].Start)
				if i > 0 && s.Start.Before(shifts[i-1].End) {
					t.Fatalf("pattern %d: shifts %d and %d overlap", pi, i-1, i)
				}
				if clamped {
					continue
				}
				we := timesync.WallClockOf(timesync.FromTime(s.End))
				endDay := date.New(we.Year, we.Month, we.Day)
				if got := fmt.Sprintf("%02d:%02d", we.Hour, we.Minute); got != p.End || endDay != day+date.Date(p.Days) {
					t.Fatalf("pattern %d shift %d ends %v %s, not %v %s", pi, i, endDay, got, day+date.Date(p.Days), p.End)
				}
				_, offStart := s.Start.In(timesync.Brussels()).Zone()
				_, offEnd := s.End.In(timesync.Brussels()).Zone()
				want := wallSpan(p) + time.Duration(offStart-offEnd)*time.Second
				if d := s.Duration(); d != want || d <= 0 {
					t.Fatalf("pattern %d shift %d lasts %v, want %v", pi, i, d, want)
				}
			}
		}
		// All the patterns together are each pattern's shifts, in order of
		// start.
		slices.SortStableFunc(each, func(a, b ccj.Shift) int { return a.Start.Compare(b.Start) })
		if !slices.Equal(all, each) {
			t.Fatalf("together %v, one by one %v", all, each)
		}
	})
}

// Property: the queries of a cell with patterns agree with those of the
// same cell expanded over their window.
func TestPatternQueriesAgreeWithExpandProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		start := timesynctest.Instant().Draw(t, "start")
		c := ccj.Cell{Members: []ccj.Member{
			member("alice", "A", timesync.Day(start)-date.Date(rapid.IntRange(0, 2000).Draw(t, "alice"))),
			member("bob", "B", timesync.Day(start)-date.Date(rapid.IntRange(0, 2000).Draw(t, "bob"))),
			member("carol", "C", timesync.Day(start)-date.Date(rapid.IntRange(0, 2000).Draw(t, "carol"))),
		}}
		c.Patterns = rapid.SliceOfN(patternGen(), 1, 4).Draw(t, "patterns")
		from := start.Add(time.Duration(rapid.IntRange(-48, 48).Draw(t, "from_h")) * time.Hour)
		to := from.Add(time.Duration(rapid.IntRange(1, 21*24).Draw(t, "hours")) * time.Hour)
		e, err := c.Expand(from, to)
		if err != nil {
			t.Skip("a pattern time in the spring gap", err)
		}
		g1, _ := c.Gaps(from, to)
		g2, _ := e.Gaps(from, to)
		if !cmp.Equal(g1, g2) {
			t.Fatalf("gaps differ:\n%s", cmp.Diff(g1, g2))
		}
		when := from.Add(time.Duration(rapid.Int64Range(0, int64(to.Sub(from))-1).Draw(t, "when")))
		if o1, o2 := c.OnCall(when), e.OnCall(when); !slices.Equal(o1.Order, o2.Order) || o1.OnDuty != o2.OnDuty {
			t.Fatalf("at %v: with patterns %v, expanded %v", when, o1.Order, o2.Order)
		}
	})
}

// OnCall on a cell with patterns expands the week around the instant; the
// baseline is the same cell expanded beforehand over a year.
func BenchmarkOnCallWithPatterns(b *testing.B) {
	c := patternCell(b)
	when := brussels("2026-12-30 03:00")
	b.Run("patterns", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.OnCall(when)
		}
	})
	e, err := c.Expand(brussels("2026-06-30 00:00"), brussels("2027-06-30 00:00"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("baseline=expanded-year", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e.OnCall(when)
		}
	})
}
