package ccj

import (
	"fmt"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// ReportOptions tune the compliance report.
type ReportOptions struct {
	// Horizon is how far ahead coverage is checked; zero means 30 days.
	Horizon time.Duration
	// RenewalNotice is how early an expiring advice is flagged; zero
	// means 90 days.
	RenewalNotice time.Duration
}

// Report checks the cell against each rule at instant at and returns every
// finding, good and bad, each with its source and certainty:
//
//   - established in Belgium (BIPT's letter quoted by Neutrinet; Timelex [S]);
//   - at least one member with a valid security advice, and no member
//     without one (BIPT [V]);
//   - reachable around the clock: no gap in the rota over the horizon
//     (BIPT [V]);
//   - advices expiring within the renewal notice (five-year renewal [S]);
//   - members living in Belgium, or having lived there five years
//     (Timelex [S]);
//   - a complete contact sheet (ccjkit [T]);
//   - the internal procedure on file with its date (Timelex [S]);
//   - the contact details updated on BIPT's platform, after the last change
//     of members (BIPT [V]).
//
// The records themselves are checked too ([Cell.Validate]), the cell's
// patterns expanded over the horizon. The error-severity findings about
// the regulator's rules wrap [ErrCompliance], those about the records the
// sentinels of [Cell.Check], so that provenance.Check turns a report into
// an error a caller can inspect.
func (c Cell) Report(at time.Time, opt ReportOptions) []provenance.Finding {
	horizon := cmpOr(opt.Horizon, 30*24*time.Hour)
	notice := cmpOr(opt.RenewalNotice, 90*24*time.Hour)
	r := &report{out: c.Validate(at)}
	c.reportAddress(r)
	c.reportMembers(r, at, notice)
	c.reportCoverage(r, at, at.Add(horizon))
	c.reportContactSheet(r, at, at.Add(horizon))
	c.reportProcedure(r)
	c.reportPlatform(r)
	return r.out
}

// report collects the findings of a compliance report.
type report struct{ out []provenance.Finding }

func (r *report) add(rule string, sev provenance.Severity, field string, src provenance.Source, msg string, args ...any) {
	r.out = append(r.out, newFinding(rule, sev, field, src, ErrCompliance, msg, args...))
}

// reportAddress: the cell is established in Belgium.
func (c Cell) reportAddress(r *report) {
	if c.Address.Country == "BE" {
		r.add("belgium", provenance.Info, "address", belgium(), "the cell is established in Belgium")
	} else {
		r.add("belgium", provenance.Error, "address", belgium(), "the cell must be established in Belgium; its address is not Belgian")
	}
}

// reportMembers: each member's security advice and its renewal, and
// residence; at least one member may answer.
func (c Cell) reportMembers(r *report, at time.Time, notice time.Duration) {
	day := timesync.Day(at)
	valid := 0
	for i, m := range c.Members {
		if m.Eligible(day) {
			valid++
			if last := m.Advice.LastDay(); last < timesync.Day(at.Add(notice)) {
				r.add("advice-renewal", provenance.Warning, fmt.Sprintf("members[%d].advice", i), timelex(),
					"the security advice of %s is valid to %s inclusive: start the renewal", m.ID, last)
			}
		} else {
			r.add("advice", provenance.Warning, fmt.Sprintf("members[%d].advice", i), bipt(),
				"%s has no valid security advice and may not answer requisitions", m.ID)
		}
		if !m.ResidesInBelgium && m.YearsInBelgium < 5 {
			r.add("residence", provenance.Warning, fmt.Sprintf("members[%d]", i), timelex(),
				"%s neither lives in Belgium nor has lived there five years, as practitioners expect of a member", m.ID)
		}
	}
	if valid == 0 {
		r.add("advice", provenance.Error, "members", bipt(), "no member holds a valid security advice: nobody may answer a requisition")
	} else {
		r.add("advice", provenance.Info, "members", bipt(), "members with a valid security advice: %d", valid)
	}
}

// reportCoverage: somebody eligible is on call around the clock over
// [at, end).
func (c Cell) reportCoverage(r *report, at, end time.Time) {
	covered, findings, problems := c.covered(at, end)
	gaps := complement(covered, at, end)
	r.out = append(r.out, findings...)
	// Validate reported the patterns' problems over a year; a longer
	// horizon may meet others.
	for _, p := range problems {
		if !slices.ContainsFunc(r.out, func(f provenance.Finding) bool { return f.Field == p.Field && f.Rule == p.Rule }) {
			r.out = append(r.out, p)
		}
	}
	for _, g := range gaps {
		r.add("coverage", provenance.Error, "shifts", bipt(), "nobody eligible is on call from %s to %s (%s)",
			timesync.FromTime(g.Start), timesync.FromTime(g.End), span(g.Duration()))
	}
	if len(gaps) == 0 {
		r.add("coverage", provenance.Info, "shifts", bipt(), "the cell is covered around the clock from %s to %s",
			timesync.FromTime(at), timesync.FromTime(end))
	}
}

// reportContactSheet: the contact sheet names the cell, the operator, and
// a phone for every eligible member on the rota over [at, end).
func (c Cell) reportContactSheet(r *report, at, end time.Time) {
	complete := true
	lack := func(field string, what any) {
		complete = false
		r.add("contact-sheet", provenance.Error, field, technicalSource("contact sheet"), "the contact sheet lacks %s", what)
	}
	if c.Name == "" {
		lack("name", phrase("the cell's name"))
	}
	if c.Operator == "" {
		lack("operator", phrase("the operator"))
	}
	onRota := map[string]bool{}
	shifts, _, _ := c.rota(at, end)
	for _, s := range shifts {
		if s.End.After(at) && s.Start.Before(end) {
			onRota[s.Primary], onRota[s.Backup] = true, true
		}
	}
	for _, id := range c.Escalation {
		onRota[id] = true
	}
	day := timesync.Day(at)
	for i, m := range c.Members {
		if onRota[m.ID] && m.Eligible(day) && m.Phone() == "" {
			lack(fmt.Sprintf("members[%d].channels", i), phraseArgs{"a phone number for %s, who is on the rota", m.ID})
		}
	}
	if complete {
		r.add("contact-sheet", provenance.Info, "", technicalSource("contact sheet"), "the contact sheet is complete")
	}
}

// reportProcedure: an internal procedure for requisitions is on file.
func (c Cell) reportProcedure(r *report) {
	if c.Procedure.Dated != 0 && c.Procedure.Reference != "" {
		r.add("procedure", provenance.Info, "procedure", procedure(), "the internal procedure for requisitions is on file (%s) and dated %s",
			c.Procedure.Reference, c.Procedure.Dated)
	} else {
		r.add("procedure", provenance.Error, "procedure", procedure(), "no internal procedure for handling requisitions is on file")
	}
}

// reportPlatform: the cell's contact details on BIPT's platform are up to
// date with its members.
func (c Cell) reportPlatform(r *report) {
	switch {
	case c.PlatformUpdated == 0:
		r.add("platform", provenance.Error, "platform_updated", bipt(), "no update of the cell's contact details on BIPT's platform is recorded")
	case c.MembersChanged != 0 && c.MembersChanged > c.PlatformUpdated:
		r.add("platform", provenance.Error, "platform_updated", bipt(), "members changed after the last update on BIPT's platform (%s): update it",
			c.PlatformUpdated)
	default:
		r.add("platform", provenance.Info, "platform_updated", bipt(), "the cell's contact details were updated on BIPT's platform on %s",
			c.PlatformUpdated)
	}
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
