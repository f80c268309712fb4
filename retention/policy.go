package retention

import (
	"errors"
	"fmt"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Class is the kind of data a retention period holds: assignments (who
// had an address: identification data) or NAT mappings (which inside
// address was behind a public address and port). Each class has its own
// period, its own keys and its own files.
type Class uint8

const (
	// ClassAssignments holds [Assignment] records.
	ClassAssignments Class = iota + 1
	// ClassMappings holds [Mapping] records.
	ClassMappings
)

// Classes returns every class, in order.
func Classes() []Class { return []Class{ClassAssignments, ClassMappings} }

// String returns "assignments" or "mappings".
func (c Class) String() string {
	switch c {
	case ClassAssignments:
		return "assignments"
	case ClassMappings:
		return "mappings"
	}
	return fmt.Sprintf("Class(%d)", uint8(c))
}

func parseClass(s string) (Class, bool) {
	for _, c := range Classes() {
		if c.String() == s {
			return c, true
		}
	}
	return 0, false
}

// MaxPeriodMonths bounds a retention period: 120 months, ten years.
const MaxPeriodMonths = 120

// Period is how long one class of data is kept, in calendar months, and
// where that figure comes from. It is data, never a constant of the
// store: the law's figure comes with its source and certainty
// ([Law2022Identification]); a figure no text ccjkit holds gives is
// stated by the operator ([OperatorPeriod]) and reported as such by
// [Policy.Findings].
//
// Data of the Brussels day D are kept to the day with D's day-of-month
// Months later (or that month's last day when it has none) inclusive,
// and destroyed from the next midnight ([Period.End]): ccjkit's counting
// [T] ([PeriodCountSource]), the same as the register's keeping periods.
type Period struct {
	Months int               `json:"months"`
	Source provenance.Source `json:"source"`
}

// LastDay returns the last day on which the data of day d are kept.
func (p Period) LastDay(d date.Date) date.Date { return addMonths(d, p.Months) }

// End returns the first instant at which the data of day d are past
// their period: midnight, Brussels time, after [Period.LastDay].
func (p Period) End(d date.Date) timesync.Timestamp {
	return timesync.FromTime(timesync.DayEnd(p.LastDay(d)))
}

// addMonths returns the day with d's day-of-month n months later, or the
// last day of that month when it has no such day.
func addMonths(d date.Date, n int) date.Date {
	y, m, day := d.Date()
	first := date.New(y, m, 1).AddDate(0, n, 0)
	fy, fm, _ := first.Date()
	last := date.New(fy, fm+1, 1) - 1
	if t := date.New(fy, fm, day); t <= last {
		return t
	}
	return last
}

// Policy is the retention period of each class of data.
type Policy struct {
	Assignments Period `json:"assignments"`
	Mappings    Period `json:"mappings"`
}

// Period returns the period of class c.
func (p Policy) Period(c Class) Period {
	if c == ClassMappings {
		return p.Mappings
	}
	return p.Assignments
}

// ErrPolicy is wrapped by the findings of a policy that cannot be
// applied: a period missing, out of bounds, or without a source.
var ErrPolicy = errors.New("retention: invalid retention policy")

// Findings checks the policy and returns every finding: an error for a
// period the store cannot count (missing, negative, longer than
// [MaxPeriodMonths], without an instrument), and a warning for each
// period whose source is unverified [U] — a figure the operator states
// and must be able to justify, since ccjkit found no text that sets it.
// A period taken from the law of 20 July 2022 gets an information
// finding: the figure is the press's [S], and the outcome of the
// Constitutional Court's arrêt 97/2024 on that law was not retrieved [U].
func (p Policy) Findings() []provenance.Finding {
	var out []provenance.Finding
	for _, c := range Classes() {
		per := p.Period(c)
		field := c.String()
		bad := func(msg string) {
			out = append(out, provenance.Finding{Rule: "retention-period", Severity: provenance.Error, Field: field,
				Source: PeriodCountSource(), Err: ErrPolicy, Message: provenance.Text(msg)})
		}
		switch {
		case per.Months < 1 || per.Months > MaxPeriodMonths:
			bad(fmt.Sprintf("a period of 1 to %d months is needed: state it in the configuration", MaxPeriodMonths))
			continue
		case per.Source.Instrument == "":
			bad("the period needs a source: the text that sets it, or the operator's own decision (OperatorPeriod)")
			continue
		}
		switch per.Source.Certainty {
		case provenance.Unverified:
			out = append(out, provenance.Finding{Rule: "retention-period-stated", Severity: provenance.Warning, Field: field,
				Source: per.Source, Message: provenance.Text(fmt.Sprintf(
					"the %d months are the operator's own statement: ccjkit holds no text that sets this period; keep the decision and its reasons", per.Months))})
		case provenance.Secondary:
			out = append(out, provenance.Finding{Rule: "retention-period-secondary", Severity: provenance.Info, Field: field,
				Source: per.Source, Message: provenance.Text(
					"the period is read in a secondary source; the outcome of the Constitutional Court's arrêt 97/2024 on the law of 20 July 2022 was not retrieved [U]: check it")})
		}
	}
	return out
}

// Check returns a [*provenance.Problems] of every finding when one is
// an error, and nil otherwise.
func (p Policy) Check() error { return provenance.Check("retention: policy", p.Findings()) }

// Law2022Source returns the source of the law of 20 July 2022 on the
// collection and retention of identification data and metadata in the
// electronic communications sector (Moniteur belge 8 August 2022 [V]),
// which rewrote arts. 126 to 126/3 of the law of 13 June 2005 on
// electronic communications: identification data are retained generally
// for 12 months [S: the French Senate's comparative report and the Belgian
// press]; IP addresses assigned to the source of a connection may be
// retained generally [S]. Its days in force were not retrieved [U]: From
// is left open.
func Law2022Source() provenance.Source {
	return provenance.Source{
		Instrument: "loi du 20 juillet 2022 relative à la collecte et à la conservation des données d'identification et des métadonnées dans le secteur des communications électroniques (Moniteur belge 08-08-2022)",
		Article:    "loi du 13 juin 2005, arts. 126 to 126/3 as rewritten",
		Edition:    "identification data kept generally for 12 months, as the press and the French Senate report it; the consolidated text was not retrieved",
		Certainty:  provenance.Secondary,
		URL:        "https://www.senat.fr/rap/r23-110/r23-11027.html",
	}
}

// Law2022Identification returns the period of identification data under
// the law of 20 July 2022: 12 months [S] ([Law2022Source]). It is the
// period of [Assignment] records — who had an address when.
func Law2022Identification() Period { return Period{Months: 12, Source: Law2022Source()} }

// OperatorPeriod returns a period the operator states itself, document
// naming the decision ("retention policy of 2026-01-15, approved by the
// DPO", say): unverified [U], since ccjkit holds no text that sets it.
// The period of CGNAT port mappings is one: that a public address and
// source port must be kept to identify a subscriber behind a shared
// address was not found in Belgian law [U] (an informal agreement caps
// sharing at 16 subscribers per IPv4 address [S]).
func OperatorPeriod(months int, document string) Period {
	return Period{Months: months, Source: provenance.Source{Instrument: document,
		Edition: "the operator's own decision", Certainty: provenance.Unverified}}
}

// PeriodCountSource returns ccjkit's rule for counting a period: the
// data of a Brussels day are kept to the same day-of-month the period
// later (or that month's last day) inclusive — a technical rule [T].
func PeriodCountSource() provenance.Source {
	s := provenance.Rule("retention-period-count")
	s.Edition = "a record belongs to the Brussels day of its last second (of its report, while it lasts); kept to the same day-of-month the period later, or that month's last day"
	return s
}

// DestructionSource returns the rule that retained data are destroyed at
// the end of the retention period, and protected meanwhile against
// destruction, loss, alteration and unauthorised access, reachable only
// by the cell: the 2013 regime as a law firm summarises it [S]; the
// wording of the 2022 law and its royal decree of 4 October 2023 on
// these points was not retrieved [U].
func DestructionSource() provenance.Source {
	return provenance.Source{Instrument: "loi du 30 juillet 2013 and arrêté royal du 19 septembre 2013 (retention regime of 2013)",
		Edition:   "as summarised by a law firm; the 2022/2023 wording not retrieved",
		Certainty: provenance.Secondary, URL: "https://www.lexology.com/library/detail.aspx?g=f76f2742-911a-4f90-959f-2abc5229f67c",
		Until: date.New(2015, time.June, 11)}
}
