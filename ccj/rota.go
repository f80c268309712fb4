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
// shift is never silently an hour off.
func NewShift(start, end, primary, backup string) (Shift, error) {
	s, err := timesync.ParseBrussels(start, timesync.Strict)
	if err != nil {
		return Shift{}, err
	}
	e, err := timesync.ParseBrussels(end, timesync.Strict)
	if err != nil {
		return Shift{}, err
	}
	return Shift{Start: s.Time(), End: e.Time(), Primary: primary, Backup: backup}, nil
}

// Pattern is a weekly recurring shift: from Weekday at Start (wall clock,
// "18:00") to Days days later at End ("08:00"), with primaries and backups
// taking turns week by week, counted in Monday-to-Sunday weeks from the
// week that holds Anchor.
type Pattern struct {
	Weekday time.Weekday `json:"weekday"`
	Start   string       `json:"start"` // "hh:mm", Brussels time
	End     string       `json:"end"`   // "hh:mm", Brussels time
	// Days is how many days after the start day the shift ends: 0 for a
	// day shift, 1 for a night shift ending the next morning.
	Days int `json:"days"`
	// Primaries and Backups take turns: in the k-th week from Anchor the
	// primary is Primaries[k mod len] and the backup Backups[k mod len].
	Primaries []string  `json:"primaries"`
	Backups   []string  `json:"backups,omitempty"`
	Anchor    date.Date `json:"anchor"`
}

// Expand returns the shifts of the patterns that start on a day in
// [from, to], in order of start. Wall-clock times are resolved in Brussels
// time: a start or end in the autumn's repeated hour takes the earlier
// occurrence for a start and the later for an end (so the shift is never
// shortened), and one in the spring gap is an error.
func Expand(patterns []Pattern, from, to date.Date) ([]Shift, error) {
	var out []Shift
	if to-from > 3660 {
		return nil, fmt.Errorf("ccj: %d days to expand: at most ten years", to-from)
	}
	for pi, p := range patterns {
		if len(p.Primaries) == 0 {
			return nil, fmt.Errorf("ccj: pattern %d has no primary", pi)
		}
		if p.Days < 0 || p.Days > 7 {
			return nil, fmt.Errorf("ccj: pattern %d spans %d days (0 to 7)", pi, p.Days)
		}
		if p.Weekday < time.Sunday || p.Weekday > time.Saturday {
			return nil, fmt.Errorf("ccj: pattern %d has weekday %d (0 Sunday to 6 Saturday)", pi, p.Weekday)
		}
		if p.Days == 0 && p.End <= p.Start {
			return nil, fmt.Errorf("ccj: pattern %d ends at %s, not after its start %s on the same day", pi, p.End, p.Start)
		}
		first := from
		for first.Weekday() != p.Weekday {
			first++
		}
		anchorMonday := p.Anchor - date.Date((int(p.Anchor.Weekday())+6)%7)
		for day := first; day <= to; day += 7 {
			offset := int(day - anchorMonday)
			week := offset / 7
			if offset < 0 && offset%7 != 0 {
				week--
			}
			k := ((week % len(p.Primaries)) + len(p.Primaries)) % len(p.Primaries)
			backup := ""
			if len(p.Backups) > 0 {
				backup = p.Backups[((week%len(p.Backups))+len(p.Backups))%len(p.Backups)]
			}
			start, err := wallOn(day, p.Start, timesync.Earlier)
			if err != nil {
				return nil, fmt.Errorf("ccj: pattern %d on %v: %w", pi, day, err)
			}
			end, err := wallOn(day+date.Date(p.Days), p.End, timesync.Later)
			if err != nil {
				return nil, fmt.Errorf("ccj: pattern %d on %v: %w", pi, day, err)
			}
			if !end.After(start) {
				return nil, fmt.Errorf("ccj: pattern %d on %v does not end after it starts", pi, day)
			}
			out = append(out, Shift{Start: start, End: end, Primary: p.Primaries[k], Backup: backup})
		}
	}
	slices.SortStableFunc(out, func(a, b Shift) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// wallOn resolves "hh:mm" on day d in Brussels time.
func wallOn(d date.Date, hhmm string, fold timesync.Fold) (time.Time, error) {
	ts, err := timesync.ParseBrussels(d.String()+" "+hhmm, fold)
	return ts.Time(), err
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
	Shifts   []Shift  `json:"shifts"`
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
	// Findings say who was skipped and why.
	Findings []Finding `json:"findings,omitempty"`
}

// OnCall answers who is on call at instant t: the primary and backup of
// every shift covering t (in the order of Shifts) if eligible that day,
// then the escalation list — so that whenever [Cell.Gaps] says the instant
// is covered, OnCall names someone on duty. Members without a valid
// security advice are left out of the order and reported once each in the
// findings.
func (c Cell) OnCall(t time.Time) OnCall {
	out := OnCall{At: t.UTC(), Order: []string{}}
	day := brusselsDay(t)
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
	for i := range c.Shifts {
		if c.Shifts[i].Covers(t) {
			if out.Shift == nil {
				s := c.Shifts[i]
				out.Shift = &s
			}
			add(c.Shifts[i].Primary)
			add(c.Shifts[i].Backup)
		}
	}
	out.OnDuty = len(out.Order)
	for _, id := range c.Escalation {
		add(id)
	}
	return out
}

func (c Cell) ineligible(id string, day date.Date, field string) Finding {
	if _, ok := c.Member(id); !ok {
		return newFinding("rota", provenance.Error, field, technicalSource("rota"), "%s is on the rota but is not a member of the cell", id)
	}
	return newFinding("rota", provenance.Warning, field, bipt(), "%s is on call on %s without a valid security advice: not eligible", id, day.String())
}

// Interval is a span of time, Start included, End excluded.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Duration is the interval's elapsed time.
func (i Interval) Duration() time.Duration { return i.End.Sub(i.Start) }

// Gaps returns every interval within [from, to) during which no eligible
// member is on call — neither the primary nor the backup of any shift —
// exactly, merged and in order, and the findings about members who were on
// call but not eligible (a member whose advice lapses mid-shift stops
// covering at Brussels midnight). Escalation members do not count as on
// call: they are called when the on-call pair does not answer.
func (c Cell) Gaps(from, to time.Time) ([]Interval, []Finding) {
	covered, findings := c.covered(from, to)
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
	return gaps, findings
}

// Covered returns the merged intervals within [from, to) during which an
// eligible member is on call; with Gaps it partitions the window.
func (c Cell) Covered(from, to time.Time) []Interval {
	iv, _ := c.covered(from, to)
	return iv
}

func (c Cell) covered(from, to time.Time) ([]Interval, []Finding) {
	var pieces []Interval
	var findings []Finding
	type key struct {
		shift int
		id    string
	}
	reported := map[key]bool{}
	for si, s := range c.Shifts {
		start, end := maxTime(s.Start, from), minTime(s.End, to)
		if !start.Before(end) {
			continue
		}
		// Eligibility is decided per Brussels day: cut at midnights.
		for t := start; t.Before(end); {
			day := brusselsDay(t)
			next := minTime((day + 1).MidnightIn(timesync.Brussels()).UTC(), end.UTC())
			ok := false
			for _, id := range []string{s.Primary, s.Backup} {
				if id == "" {
					continue
				}
				if c.eligible(id, day) {
					ok = true
				} else if k := (key{si, id}); !reported[k] {
					reported[k] = true
					findings = append(findings, c.ineligible(id, day, fmt.Sprintf("shifts[%d]", si)))
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
	return merged, findings
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

// Validate returns every finding about the cell's records: members
// (identifiers, names, channels, roles, advices), duplicate identifiers,
// and shifts (order of times, primary present and known, distinct backup).
func (c Cell) Validate(at time.Time) []Finding {
	day := brusselsDay(at)
	var out []Finding
	seen := map[string]bool{}
	for i, m := range c.Members {
		out = append(out, m.validate(day, fmt.Sprintf("members[%d]", i))...)
		if seen[m.ID] {
			out = append(out, newFinding("member", provenance.Error, fmt.Sprintf("members[%d].id", i), technicalSource("member records"),
				"two members share the identifier %s", m.ID))
		}
		seen[m.ID] = true
	}
	for i, id := range c.Escalation {
		if _, ok := c.Member(id); !ok {
			out = append(out, newFinding("rota", provenance.Error, fmt.Sprintf("escalation[%d]", i), technicalSource("rota"),
				"the escalation list names %s, who is not a member of the cell", id))
		}
	}
	for i, s := range c.Shifts {
		field := fmt.Sprintf("shifts[%d]", i)
		if !s.End.After(s.Start) {
			out = append(out, newFinding("rota", provenance.Error, field, technicalSource("rota"), "the shift ends before it starts"))
		}
		if s.Primary == "" {
			out = append(out, newFinding("rota", provenance.Error, field, technicalSource("rota"), "the shift has no primary"))
		}
		if s.Primary != "" && s.Primary == s.Backup {
			out = append(out, newFinding("rota", provenance.Warning, field, technicalSource("rota"), "the primary and the backup are the same person"))
		}
		for _, id := range []string{s.Primary, s.Backup} {
			if _, ok := c.Member(id); id != "" && !ok {
				out = append(out, newFinding("rota", provenance.Error, field, technicalSource("rota"), "the shift names %s, who is not a member of the cell", id))
			}
		}
	}
	return out
}
