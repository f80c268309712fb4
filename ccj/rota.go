package ccj

import (
	"fmt"
	"slices"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Shift is a period during which a member is on call, with a backup.
// Start and End are instants (UTC); people plan shifts in Brussels
// wall-clock terms, see [NewShift].
type Shift struct {
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Primary string    `json:"primary"`          // member ID
	Backup  string    `json:"backup,omitempty"` // member ID, "" for none
}

// Duration is the shift's elapsed time: a night shift from Saturday 18:00
// to Sunday 08:00 lasts 14 hours, but 15 across the October change and 13
// across the March change.
func (s Shift) Duration() time.Duration { return s.End.Sub(s.Start) }

// Covers reports whether the instant t falls in the shift, Start included,
// End excluded.
func (s Shift) Covers(t time.Time) bool { return !t.Before(s.Start) && t.Before(s.End) }

// NewShift builds a shift from Belgian wall-clock times as people plan
// them, "2026-10-24 18:00" to "2026-10-25 08:00". A time that does not
// exist (the spring gap) is an error; a time that occurs twice (the autumn
// hour) is an error unless it carries an offset ("02:30 CET"), so that a
// shift is never silently an hour off. A shift that does not end after it
// starts, or has no primary, is an error too.
//
// Its errors wrap [ErrRota] and, for a time, timesync's error
// (timesync.ErrNonexistent, timesync.ErrAmbiguous, a *timesync.ParseError).
func NewShift(start, end, primary, backup string) (Shift, error) {
	s, err := timesync.ParseBrussels(start, timesync.Strict)
	if err != nil {
		return Shift{}, fmt.Errorf("%w: the start: %w", ErrRota, err)
	}
	e, err := timesync.ParseBrussels(end, timesync.Strict)
	if err != nil {
		return Shift{}, fmt.Errorf("%w: the end: %w", ErrRota, err)
	}
	switch {
	case !e.Time().After(s.Time()):
		return Shift{}, fmt.Errorf("%w: the shift does not end after it starts", ErrRota)
	case primary == "":
		return Shift{}, fmt.Errorf("%w: the shift has no primary", ErrRota)
	}
	return Shift{Start: s.Time(), End: e.Time(), Primary: primary, Backup: backup}, nil
}

// Address is where the cell is established.
type Address struct {
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
	// Country is the ISO 3166 code, "BE" for Belgium.
	Country string `json:"country"`
}

// Procedure is the cell's internal procedure for handling requisitions,
// which practitioners say must exist and be communicated to BIPT
// (Timelex [S]).
type Procedure struct {
	Reference string    `json:"reference"`
	Dated     date.Date `json:"dated"`
}

// Cell is a Justice Coordination Cell: its members, its rota, its papers.
type Cell struct {
	Name     string   `json:"name"`
	Operator string   `json:"operator"`
	Address  Address  `json:"address"`
	Members  []Member `json:"members"`
	// Shifts are the rota's one-off shifts, and Patterns its weekly ones:
	// the cell's queries look at both (see [Cell.Expand]).
	Shifts   []Shift   `json:"shifts,omitempty"`
	Patterns []Pattern `json:"patterns,omitempty"`
	// Escalation lists, in order, the members to call when neither the
	// primary nor the backup on call answers.
	Escalation []string  `json:"escalation,omitempty"`
	Procedure  Procedure `json:"procedure"`
	// PlatformUpdated is when the cell's contact details were last updated
	// on BIPT's notification platform; MembersChanged when the membership
	// last changed. Both are the caller's records.
	PlatformUpdated date.Date `json:"platform_updated,omitzero"`
	MembersChanged  date.Date `json:"members_changed,omitzero"`
}

// Member returns the member with the given ID.
func (c Cell) Member(id string) (Member, bool) {
	i := slices.IndexFunc(c.Members, func(m Member) bool { return m.ID == id })
	if i < 0 {
		return Member{}, false
	}
	return c.Members[i], true
}

// eligible reports whether member id may answer on day d.
func (c Cell) eligible(id string, d date.Date) bool {
	m, ok := c.Member(id)
	return ok && m.Eligible(d)
}

// OnCall is who answers at an instant.
type OnCall struct {
	At time.Time `json:"at"`
	// Shift is the first shift in force, nil when none.
	Shift *Shift `json:"shift,omitempty"`
	// Order lists the eligible members to call, in order: the primary and
	// backup of each shift in force (in the order of Shifts), then the
	// escalation list, each once.
	Order []string `json:"order"`
	// OnDuty is how many of Order are on call by a shift; the rest come
	// from the escalation list.
	OnDuty int `json:"on_duty"`
	// Findings say who was skipped and why, and which patterns could not
	// be expanded.
	Findings []provenance.Finding `json:"findings,omitempty"`
}

// OnCall answers who is on call at instant t: the primary and backup of
// every shift covering t (in the order of Shifts, or with patterns in
// order of start, a pattern's shift after a one-off shift starting at the
// same time) if eligible that day, then the escalation list — so that
// whenever [Cell.Gaps] says the instant is covered, OnCall names someone
// on duty. Members without a valid security advice are left out of the
// order and reported once each in the findings.
func (c Cell) OnCall(t time.Time) OnCall {
	out := OnCall{At: t.UTC(), Order: []string{}}
	day := timesync.Day(t)
	shifts, _, problems := c.rota(t, t.Add(time.Nanosecond))
	out.Findings = append(out.Findings, problems...)
	skipped := map[string]bool{}
	add := func(id string) {
		if id == "" || slices.Contains(out.Order, id) || skipped[id] {
			return
		}
		if !c.eligible(id, day) {
			skipped[id] = true
			out.Findings = append(out.Findings, c.ineligible(id, day, ""))
			return
		}
		out.Order = append(out.Order, id)
	}
	for i := range shifts {
		if s := &shifts[i]; s.Covers(t) {
			if out.Shift == nil {
				first := *s
				out.Shift = &first
			}
			add(s.Primary)
			add(s.Backup)
		}
	}
	out.OnDuty = len(out.Order)
	for _, id := range c.Escalation {
		add(id)
	}
	return out
}

// ineligible is the finding about id, on call on day but not eligible:
// not a member (an error; the text does not quote the identifier, which
// names nobody the cell knows) or a member without a valid advice.
func (c Cell) ineligible(id string, day date.Date, field string) provenance.Finding {
	if _, ok := c.Member(id); !ok {
		return newFinding("rota", provenance.Error, field, technicalSource("rota"), ErrRota, "the rota names someone who is not a member of the cell")
	}
	return newFinding("rota", provenance.Warning, field, bipt(), nil, "%s is on call on %s without a valid security advice: not eligible", id, day)
}

// Interval is a span of time, Start included, End excluded.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Duration is the interval's elapsed time.
func (i Interval) Duration() time.Duration { return i.End.Sub(i.Start) }

// Gaps returns every interval within [from, to) during which no eligible
// member is on call — neither the primary nor the backup of any shift or
// pattern — exactly, merged and in order, and the findings about members
// who were on call but not eligible (a member whose advice lapses
// mid-shift stops covering at Brussels midnight) and about patterns that
// could not be expanded over the window. Escalation members do not count
// as on call: they are called when the on-call pair does not answer.
func (c Cell) Gaps(from, to time.Time) ([]Interval, []provenance.Finding) {
	covered, findings, problems := c.covered(from, to)
	return complement(covered, from, to), append(findings, problems...)
}

// complement returns the intervals of [from, to) that the merged, ordered
// intervals covered leave out.
func complement(covered []Interval, from, to time.Time) []Interval {
	var gaps []Interval
	cur := from
	for _, iv := range covered {
		if iv.Start.After(cur) {
			gaps = append(gaps, Interval{cur.UTC(), iv.Start.UTC()})
		}
		if iv.End.After(cur) {
			cur = iv.End
		}
	}
	if cur.Before(to) {
		gaps = append(gaps, Interval{cur.UTC(), to.UTC()})
	}
	return gaps
}

// Covered returns the merged intervals within [from, to) during which an
// eligible member is on call; with Gaps it partitions the window.
func (c Cell) Covered(from, to time.Time) []Interval {
	iv, _, _ := c.covered(from, to)
	return iv
}

// covered returns the merged covered intervals within [from, to), the
// findings about members on call but not eligible, and the problems of
// patterns that could not be expanded.
func (c Cell) covered(from, to time.Time) ([]Interval, []provenance.Finding, []provenance.Finding) {
	var pieces []Interval
	var findings []provenance.Finding
	type key struct {
		origin
		id string
	}
	reported := map[key]bool{}
	shifts, origins, problems := c.rota(from, to)
	for i, s := range shifts {
		o := originOf(origins, i)
		start, end := maxTime(s.Start, from), minTime(s.End, to)
		if !start.Before(end) {
			continue
		}
		// Eligibility is decided per Brussels day: cut at midnights.
		for t := start; t.Before(end); {
			day := timesync.Day(t)
			next := minTime((day + 1).MidnightIn(timesync.Brussels()).UTC(), end.UTC())
			ok := false
			for _, id := range []string{s.Primary, s.Backup} {
				if id == "" {
					continue
				}
				if c.eligible(id, day) {
					ok = true
				} else if k := (key{o, id}); !reported[k] {
					reported[k] = true
					findings = append(findings, c.ineligible(id, day, o.field()))
				}
			}
			if ok {
				pieces = append(pieces, Interval{t.UTC(), next})
			}
			t = next
		}
	}
	slices.SortFunc(pieces, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	var merged []Interval
	for _, p := range pieces {
		if n := len(merged); n > 0 && !p.Start.After(merged[n-1].End) {
			merged[n-1].End = maxTime(merged[n-1].End, p.End)
			continue
		}
		merged = append(merged, p)
	}
	return merged, findings, problems
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
