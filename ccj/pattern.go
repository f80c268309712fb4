package ccj

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Pattern is a weekly recurring shift: from Weekday at Start (wall clock,
// "18:00") to Days days later at End ("08:00"), with primaries and backups
// taking turns week by week, counted in Monday-to-Sunday weeks from the
// week that holds Anchor.
//
// A pattern's shift lasts more than nothing and at most a week of wall
// clock: Days is 0 to 7, a day shift (Days 0) ends after it starts, and a
// shift of Days 7 ends no later than the time it starts. Start and End
// are "hh:mm", two digits each, in Brussels time.
type Pattern struct {
	Weekday time.Weekday `json:"weekday"`
	Start   string       `json:"start"` // "hh:mm", Brussels time
	End     string       `json:"end"`   // "hh:mm", Brussels time
	// Days is how many days after the start day the shift ends: 0 for a
	// day shift, 1 for a night shift ending the next morning, 7 for a
	// week on call.
	Days int `json:"days"`
	// Primaries and Backups take turns: in the k-th week from Anchor the
	// primary is Primaries[k mod len] and the backup Backups[k mod len]
	// ("" for no backup that week). Each list holds at most [MaxTurns].
	Primaries []string  `json:"primaries"`
	Backups   []string  `json:"backups,omitempty"`
	Anchor    date.Date `json:"anchor"`
}

// Bounds of patterns and of their expansion, so that a cell file cannot
// make [Expand] or [Cell.Expand] build an unbounded list.
const (
	// MaxExpandDays is the longest window, in Brussels calendar days,
	// that [Expand] and [Cell.Expand] turn patterns into shifts over: 3,660
	// days, ten years with their leap days. A year of a cell with a
	// pattern for each night and day is about 730 shifts.
	MaxExpandDays = 3660
	// MaxPatterns is the most patterns a cell holds: a rota of a shift a
	// day needs 7, one of three shifts a day 21.
	MaxPatterns = 200
	// MaxTurns is the most primaries, and the most backups, that take
	// turns in one pattern.
	MaxTurns = 64
)

// Expand returns the shifts of the patterns that start on a Brussels day
// in [from, to], in order of start (patterns in their order for the same
// start). Wall-clock times are resolved in Brussels time: a start or end in
// the autumn's repeated hour takes the earlier occurrence for a start and
// the later for an end, so that the shift is never shortened — except that
// a pattern's shift always ends by the time its next one starts. A start
// or end in the hour skipped in spring does not exist: it is an error.
//
// The window is any span of Brussels days of at most [MaxExpandDays];
// one that ends before it starts, or is longer, is an error wrapping
// [ErrWindow]. Every problem with the patterns, all of them, is listed in
// a *provenance.Problems (What "ccj: patterns") whose findings wrap
// [ErrPattern], with the field at fault ("patterns[2].end"): a malformed
// pattern, and each of its times that does not exist on a day of the
// window (once per field, with the first such day).
func Expand(patterns []Pattern, from, to date.Date) ([]Shift, error) {
	if err := checkWindow(from, to); err != nil {
		return nil, err
	}
	ps, fs := expand(patterns, from, to)
	if err := provenance.Check(whatPatterns, fs); err != nil {
		return nil, err
	}
	slices.SortStableFunc(ps, byStart)
	out := make([]Shift, len(ps))
	for i, p := range ps {
		out[i] = p.Shift
	}
	return out, nil
}

// Expand returns a copy of the cell whose patterns are shifts over [from,
// to): its Shifts are its own shifts, all of them, and its patterns'
// shifts that overlap the window — including a night or week shift that
// started before from — in order of start, its own first for the same
// start; its Patterns are nil. Use it to publish or store a rota as
// shifts ([Cell.WriteICalendar] writes shifts only); the cell's queries
// ([Cell.OnCall], [Cell.Gaps], [Cell.Report], ...) expand the patterns
// they need themselves.
//
// The window's Brussels days span at most [MaxExpandDays]; a window that
// ends before it starts, or is longer, is an error wrapping [ErrWindow].
// Problems with the patterns are reported as by [Expand].
func (c Cell) Expand(from, to time.Time) (Cell, error) {
	if to.Before(from) {
		return Cell{}, fmt.Errorf("%w: it ends before it starts", ErrWindow)
	}
	if err := checkWindow(timesync.Day(from), timesync.Day(to)); err != nil {
		return Cell{}, err
	}
	ps, fs := expand(c.Patterns, timesync.Day(from)-longestDays, timesync.Day(to))
	if err := provenance.Check(whatPatterns, fs); err != nil {
		return Cell{}, err
	}
	out := c
	out.Shifts = slices.Clone(c.Shifts)
	for _, p := range ps {
		if p.End.After(from) && p.Start.Before(to) {
			out.Shifts = append(out.Shifts, p.Shift)
		}
	}
	slices.SortStableFunc(out.Shifts, func(a, b Shift) int { return a.Start.Compare(b.Start) })
	out.Patterns = nil
	return out, nil
}

// longestDays is how many days before the day it covers a pattern's shift
// may start: a shift of Days 7 ends on the seventh day after its start.
const longestDays = 7

func checkWindow(from, to date.Date) error {
	switch {
	case to < from:
		return fmt.Errorf("%w: it ends before it starts", ErrWindow)
	case to-from > MaxExpandDays:
		return fmt.Errorf("%w: %d days, more than %d", ErrWindow, to-from, MaxExpandDays)
	}
	return nil
}

// origin is the record a shift of the rota comes from: Shifts[index] or
// Patterns[index].
type origin struct {
	index   int
	pattern bool
}

// field is the origin's path, "shifts[3]" or "patterns[1]", made only
// when a finding names it.
func (o origin) field() string {
	if o.pattern {
		return fmt.Sprintf("patterns[%d]", o.index)
	}
	return fmt.Sprintf("shifts[%d]", o.index)
}

// placed is a shift and its origin.
type placed struct {
	Shift
	origin
}

func byStart(a, b placed) int { return a.Start.Compare(b.Start) }

// rota returns the shifts the cell's queries look at over [from, to): with
// no patterns, its own Shifts as they are (origins nil: the i-th is
// shifts[i]); with patterns, its own shifts and the patterns' shifts that
// overlap the window, in order of start, and the origin of each. The
// findings are the problems of patterns that could not be expanded: their
// shifts are left out.
func (c Cell) rota(from, to time.Time) ([]Shift, []origin, []provenance.Finding) {
	if len(c.Patterns) == 0 {
		return c.Shifts, nil, nil
	}
	all := make([]placed, len(c.Shifts))
	for i, s := range c.Shifts {
		all[i] = placed{s, origin{index: i}}
	}
	var fs []provenance.Finding
	first, last := timesync.Day(from)-longestDays, max(timesync.Day(to), timesync.Day(from))
	if last-first > MaxExpandDays {
		fs = append(fs, newFinding("pattern", provenance.Error, "patterns", technicalSource("rota patterns"), ErrWindow,
			"the patterns are not expanded over a window longer than %d days", MaxExpandDays))
	} else {
		var ps []placed
		ps, fs = expand(c.Patterns, first, last)
		for _, p := range ps {
			if p.End.After(from) && p.Start.Before(to) {
				all = append(all, p)
			}
		}
		slices.SortStableFunc(all, byStart)
	}
	shifts, origins := make([]Shift, len(all)), make([]origin, len(all))
	for i, p := range all {
		shifts[i], origins[i] = p.Shift, p.origin
	}
	return shifts, origins, fs
}

// originOf returns the origin of the i-th of the shifts rota returned
// with origins.
func originOf(origins []origin, i int) origin {
	if origins == nil {
		return origin{index: i}
	}
	return origins[i]
}

// expand returns the shifts of the patterns that start on a day in
// [first, last], pattern by pattern and in order of start within each,
// and every problem found: the problems of each pattern (whose shifts are
// then left out, if they are errors) and each time that does not exist on
// a day of the window (that day's shift left out; reported once per
// field).
func expand(patterns []Pattern, first, last date.Date) ([]placed, []provenance.Finding) {
	if len(patterns) > MaxPatterns {
		return nil, []provenance.Finding{patternFinding(provenance.Error, "patterns", "the cell has more than %d patterns", MaxPatterns)}
	}
	var out []placed
	var fs []provenance.Finding
	for i, p := range patterns {
		field := fmt.Sprintf("patterns[%d]", i)
		problems := p.problems(field)
		fs = append(fs, problems...)
		if w, _ := provenance.Worst(problems); w == provenance.Error {
			continue
		}
		start, _ := parseHHMM(p.Start)
		end, _ := parseHHMM(p.End)
		day := first + date.Date((int(p.Weekday)-int(first.Weekday())+7)%7)
		mine := len(out)
		reported := map[string]bool{}
		missing := func(sub string, on date.Date, err error) {
			if reported[sub] {
				return
			}
			reported[sub] = true
			key := "on %s the time falls in the hour skipped when clocks go forward"
			if !errors.Is(err, timesync.ErrNonexistent) {
				key = "on %s the time is outside the years ccjkit places in Brussels time"
			}
			fs = append(fs, patternFinding(provenance.Error, field+sub, key, on))
		}
		for ; day <= last; day += 7 {
			s, err := hhmm(start).on(day).Resolve(timesync.Earlier)
			if err != nil {
				missing(".start", day, err)
				continue
			}
			e, err := hhmm(end).on(day + date.Date(p.Days)).Resolve(timesync.Later)
			if err != nil {
				missing(".end", day+date.Date(p.Days), err)
				continue
			}
			primary, backup := p.turn(day)
			sh := placed{Shift{Start: s.Time(), End: e.Time(), Primary: primary, Backup: backup}, origin{i, true}}
			// A shift ending in the second occurrence of the repeated
			// hour ends when the pattern's next one starts, if sooner.
			if n := len(out); n > mine && out[n-1].End.After(sh.Start) {
				out[n-1].End = sh.Start
			}
			out = append(out, sh)
		}
	}
	return out, fs
}

// turn returns who is on call in the week of day: weeks are counted
// Monday to Sunday from the week that holds the anchor, before it too.
func (p Pattern) turn(day date.Date) (primary, backup string) {
	anchorMonday := p.Anchor - date.Date((int(p.Anchor.Weekday())+6)%7)
	offset := int(day - anchorMonday)
	week := offset / 7
	if offset < 0 && offset%7 != 0 {
		week--
	}
	primary = p.Primaries[mod(week, len(p.Primaries))]
	if len(p.Backups) > 0 {
		backup = p.Backups[mod(week, len(p.Backups))]
	}
	return primary, backup
}

func mod(a, n int) int { return ((a % n) + n) % n }

// problems returns what is wrong with the pattern itself, field being its
// path ("patterns[2]"); whether the members it names exist is the cell's
// question.
func (p Pattern) problems(field string) []provenance.Finding {
	var out []provenance.Finding
	bad := func(sub, key string, args ...any) {
		out = append(out, patternFinding(provenance.Error, field+sub, key, args...))
	}
	if p.Weekday < time.Sunday || p.Weekday > time.Saturday {
		bad(".weekday", "the weekday is not 0 (Sunday) to 6 (Saturday)")
	}
	start, okStart := parseHHMM(p.Start)
	if !okStart {
		bad(".start", "the start is not a time hh:mm")
	}
	end, okEnd := parseHHMM(p.End)
	if !okEnd {
		bad(".end", "the end is not a time hh:mm")
	}
	switch span := p.Days*24*60 + end - start; {
	case p.Days < 0 || p.Days > 7:
		bad(".days", "the shift must end 0 to 7 days after the day it starts")
	case !okStart || !okEnd:
	case span <= 0:
		bad(".end", "the shift does not end after it starts")
	case span > 7*24*60:
		bad(".end", "the shift lasts more than a week: it would overlap the pattern's next one")
	}
	if len(p.Primaries) == 0 {
		bad(".primaries", "the pattern has no primary")
	}
	for _, l := range []struct {
		name string
		ids  []string
	}{{".primaries", p.Primaries}, {".backups", p.Backups}} {
		if len(l.ids) > MaxTurns {
			bad(l.name, "more than %d take turns", MaxTurns)
		}
	}
	for j, id := range p.Primaries {
		if strings.TrimSpace(id) == "" {
			bad(fmt.Sprintf(".primaries[%d]", j), "a primary's turn names nobody")
		}
	}
	if len(out) > 0 || len(p.Backups) == 0 {
		return out
	}
	// The turns repeat every len(Primaries) * len(Backups) weeks at most.
	for w := range len(p.Primaries) * len(p.Backups) {
		if p.Primaries[w%len(p.Primaries)] == p.Backups[w%len(p.Backups)] {
			out = append(out, patternFinding(provenance.Warning, field+".backups", "in some weeks the primary and the backup are the same person"))
			break
		}
	}
	return out
}

func patternFinding(sev provenance.Severity, field, key string, args ...any) provenance.Finding {
	return newFinding("pattern", sev, field, technicalSource("rota patterns"), ErrPattern, key, args...)
}

// hhmm is a time of day in minutes.
type hhmm int

// on returns the wall-clock time of day d at h.
func (h hhmm) on(d date.Date) timesync.WallClock {
	y, m, dd := d.Date()
	return timesync.WallClock{Year: y, Month: m, Day: dd, Hour: int(h) / 60, Minute: int(h) % 60}
}

// parseHHMM reads "hh:mm", two digits each, 00:00 to 23:59, in minutes.
func parseHHMM(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	n := [4]int{}
	for i, j := range []int{0, 1, 3, 4} {
		if s[j] < '0' || s[j] > '9' {
			return 0, false
		}
		n[i] = int(s[j] - '0')
	}
	h, m := n[0]*10+n[1], n[2]*10+n[3]
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}
