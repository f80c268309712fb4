package ccj

import (
	"fmt"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// checkedDays is how far ahead of the day checked Validate and Check look
// for a pattern time that does not exist: a year and a week, so that both
// clock changes are met whatever the day.
const checkedDays = 372

// Validate returns every finding about the cell's records at instant at:
// what [Cell.Check] finds (members' identifiers, the escalation list,
// shifts and patterns) and the members' papers (names, channels, roles,
// residence, advices).
func (c Cell) Validate(at time.Time) []provenance.Finding {
	day := timesync.Day(at)
	out := c.structure(day)
	for i, m := range c.Members {
		out = append(out, m.validate(day, fmt.Sprintf("members[%d]", i))...)
	}
	return out
}

// Check returns a *provenance.Problems (What "ccj: cell") listing every
// error among the findings without which the cell's rota cannot be read,
// or nil: a cell with no member ([ErrMember]); a member identifier that is
// missing, malformed or shared ([ErrMember]); a shift that does not end
// after it starts, has no primary or names someone who is not a member, an
// escalation entry that names no member ([ErrRota]); a pattern that is
// malformed, names someone who is not a member, or has a time that does
// not exist in Brussels on a day of the year from at ([ErrPattern]).
// Warnings do not make an error.
//
// The members' papers — channels, roles, residence, advices — are not
// checked: a cell works with an incomplete record, and [Cell.Validate]
// and [Cell.Report] flag it. A program that reads a cell file checks it
// with Check before using it.
func (c Cell) Check(at time.Time) error {
	return provenance.Check(whatCell, c.structure(timesync.Day(at)))
}

// structure returns the findings of Check: the records that hold the
// cell's rota together, on day.
func (c Cell) structure(day date.Date) []provenance.Finding {
	var out []provenance.Finding
	if len(c.Members) == 0 {
		out = append(out, memberFinding(provenance.Error, "members", "the cell has no member"))
	}
	seen := map[string]bool{}
	for i, m := range c.Members {
		if !validID(m.ID) {
			out = append(out, memberFinding(provenance.Error, fmt.Sprintf("members[%d].id", i), "the member needs a short identifier without spaces"))
		} else if seen[m.ID] {
			out = append(out, memberFinding(provenance.Error, fmt.Sprintf("members[%d].id", i), "two members share the identifier %s", m.ID))
		}
		seen[m.ID] = true
	}
	rota := func(sev provenance.Severity, field, key string) {
		out = append(out, newFinding("rota", sev, field, technicalSource("rota"), ErrRota, key))
	}
	unknown := func(id string) bool {
		_, ok := c.Member(id)
		return id != "" && !ok
	}
	for i, id := range c.Escalation {
		if unknown(id) || id == "" {
			rota(provenance.Error, fmt.Sprintf("escalation[%d]", i), "the escalation list names someone who is not a member of the cell")
		}
	}
	for i, s := range c.Shifts {
		field := fmt.Sprintf("shifts[%d]", i)
		if !s.End.After(s.Start) {
			rota(provenance.Error, field, "the shift ends before it starts")
		}
		if s.Primary == "" {
			rota(provenance.Error, field, "the shift has no primary")
		}
		if s.Primary != "" && s.Primary == s.Backup {
			rota(provenance.Warning, field, "the primary and the backup are the same person")
		}
		if unknown(s.Primary) {
			rota(provenance.Error, field+".primary", "the shift names someone who is not a member of the cell")
		}
		if unknown(s.Backup) {
			rota(provenance.Error, field+".backup", "the shift names someone who is not a member of the cell")
		}
	}
	ps, problems := expand(c.Patterns, day, day+checkedDays)
	out = append(out, problems...)
	// Two different shifts of one primary starting at the same instant
	// (a one-off shift and a pattern's — a week's backup swapped — or two
	// one-off shifts): both count for who is on call, but the calendar
	// export would give them one UID (ShiftUID) and refuses them, so
	// Validate warns. The same shift twice is one shift.
	all := make([]placed, 0, len(c.Shifts)+len(ps))
	for i, s := range c.Shifts {
		all = append(all, placed{s, origin{index: i}})
	}
	all = append(all, ps...)
	type key struct {
		primary string
		start   int64
	}
	first := map[key]placed{}
	reported := map[string]bool{}
	for _, s := range all {
		if s.Primary == "" {
			continue
		}
		k := key{s.Primary, s.Start.Unix()}
		before, ok := first[k]
		if !ok {
			first[k] = s
			continue
		}
		if before.same(s.Shift) || reported[before.field()+s.field()] {
			continue
		}
		reported[before.field()+s.field()] = true
		at := s // name the one-off shift, the one a person added by hand
		if !before.pattern {
			at = before
		}
		rota(provenance.Warning, at.field(), "two different shifts give one member a shift starting at the same instant: both count, and the calendar export refuses them")
	}
	if len(c.Patterns) > MaxPatterns {
		return out
	}
	for i, p := range c.Patterns {
		for _, l := range []struct {
			name string
			ids  []string
		}{{"primaries", p.Primaries}, {"backups", p.Backups}} {
			for j, id := range l.ids {
				if unknown(id) {
					out = append(out, patternFinding(provenance.Error, fmt.Sprintf("patterns[%d].%s[%d]", i, l.name, j),
						"the pattern names someone who is not a member of the cell"))
				}
			}
		}
	}
	return out
}
