package register

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// How long a cell keeps a closed case: see "Keeping" in the package
// documentation for the rules looked for and what was found.

// ErrKeeping is wrapped by the errors about a keeping period that cannot
// be counted (no period, a negative or too long one, no source).
var ErrKeeping = errors.New("register: invalid keeping period")

// MaxKeepingMonths bounds a keeping period: 1200 months, a hundred years.
const MaxKeepingMonths = 1200

// Keeping is how long the cell keeps a case after closing it, and where
// that period comes from. The period is Years years and Months months,
// counted on the calendar from the day the case was closed, by ccjkit's
// rule [T] ([KeepingCountSource]): the day of closing is not counted, and
// the period's last day is the day with the closing's day-of-month Years
// and Months later — or that month's last day when it has no such day.
// A case closed on 2026-03-10 and kept ten years is kept to 2036-03-10
// inclusive ([Keeping.LastDay]); its period ends at 2036-03-11 00:00
// Brussels time ([Keeping.End]). Closed on 2024-02-29 and kept one year:
// to 2025-02-28. The counting errs on keeping a day longer rather than
// archiving a day early: the record is the cell's proof of what it
// answered.
type Keeping struct {
	// Years and Months are the period; together 1 to [MaxKeepingMonths]
	// months, neither negative.
	Years  int `json:"years"`
	Months int `json:"months,omitempty"`
	// Source is where the period comes from: the cell's written policy
	// ([PolicySource], certainty [U]), or the text that sets it, with its
	// certainty and days in force. Its Instrument is required.
	Source provenance.Source `json:"source"`
}

// PolicySource returns the Source of a keeping period the cell decided
// itself, document naming the decision ("keeping policy of the cell,
// approved 2026-01-15 by the DPO", say): unverified [U], since no text
// ccjkit holds sets the period.
func PolicySource(document string) provenance.Source {
	return provenance.Source{Instrument: document, Edition: "the cell's own policy",
		Certainty: provenance.Unverified}
}

// StorageLimitationSource returns the GDPR's storage limitation: personal
// data are "kept in a form which permits identification of data subjects
// for no longer than is necessary for the purposes for which the personal
// data are processed" (Regulation (EU) 2016/679 art. 5(1)(e)), read as
// a secondary source quotes it from EUR-Lex [S]; it sets no period. The
// Regulation applies from 25 May 2018 (art. 99(2), as quoted by
// https://gdpr-expert.com/article.html?mid=17&id=99 [S]).
func StorageLimitationSource() provenance.Source {
	return provenance.Source{Instrument: "Regulation (EU) 2016/679 (GDPR)", Article: "art. 5(1)(e)",
		Edition: "storage limitation; text as quoted from EUR-Lex", Certainty: provenance.Secondary,
		URL: "https://www.legiscope.com/blog/gdpr-article-5-storage-limitation-eur-lex.html", From: date.New(2018, time.May, 25)}
}

// AccountingBooksSource returns the rule that an undertaking keeps its
// accounting books for seven years from the first of January of the year
// after their closing (Code de droit économique art. III.88 al. 2, as the
// Commission des normes comptables reproduces it [S]; its days in force
// were not retrieved). It is about the operator's accounting, not the
// cell's register; the cost statements the cell sends are invoices that
// the accounting records.
func AccountingBooksSource() provenance.Source {
	return provenance.Source{Instrument: "Code de droit économique", Article: "art. III.88 al. 2",
		Edition: "as reproduced by the Commission des normes comptables; days in force not retrieved", Certainty: provenance.Secondary,
		URL: "https://www.cnc-cbn.be/fr/node/738"}
}

// accountingMonths is how long, at most, after a case is closed its cost
// statement may still have to be kept with the books of
// [AccountingBooksSource]: seven years from 1 January of the year after
// the financial year closes — with a calendar financial year, a case
// closed on 2 January of one year has its statement in books kept to 1
// January eight years later, so eight years.
const accountingMonths = 8 * 12

// KeepingCountSource returns ccjkit's rule for counting a keeping period
// ([Keeping]): a technical rule [T], since no text counts it.
func KeepingCountSource() provenance.Source {
	s := provenance.Rule("keeping-count")
	s.Edition = "the closing day not counted; the last day is the same day-of-month the period later, or that month's last day"
	return s
}

// months returns the period in months, and whether it is one ccjkit
// counts: 1 to [MaxKeepingMonths], neither part negative.
func (k Keeping) months() (int, bool) {
	if k.Years < 0 || k.Months < 0 || k.Years > MaxKeepingMonths/12 || k.Months > MaxKeepingMonths {
		return 0, false // also keeps Years*12 from overflowing
	}
	n := k.Years*12 + k.Months
	return n, n >= 1 && n <= MaxKeepingMonths
}

// keepingFinding makes a finding whose severity is capped by its source's
// certainty (provenance.MaxSeverity).
func keepingFinding(rule string, sev provenance.Severity, field string, src provenance.Source, msg string, args ...any) provenance.Finding {
	sev = min(sev, provenance.MaxSeverity(src.Certainty))
	f := provenance.Finding{Rule: rule, Severity: sev, Field: field, Source: src, Message: &text{msg: msg, args: args}}
	if sev == provenance.Error {
		f.Err = ErrKeeping
	}
	return f
}

// Findings checks the keeping period and returns every finding:
//
//   - keeping-period, an error [T]: no period, a negative part, or more
//     than [MaxKeepingMonths];
//   - keeping-source, an error [T]: the period names no source;
//   - keeping-policy, a warning under the period's own source: the
//     period is the cell's policy (a source neither verified [V] nor read
//     in a secondary source [S]) — the cell states and justifies it;
//   - keeping-storage-limitation, information under
//     [StorageLimitationSource]: what the GDPR asks of the period;
//   - keeping-accounting, information under [AccountingBooksSource], for
//     a period shorter than seven years: keep the claims with the books.
func (k Keeping) Findings() []provenance.Finding {
	var fs []provenance.Finding
	n, ok := k.months()
	if !ok {
		fs = append(fs, keepingFinding("keeping-period", provenance.Error, "years", provenance.Rule("keeping-period"),
			"a keeping period is 1 to %d months in all (years and months, neither negative)", MaxKeepingMonths))
	}
	if k.Source.Instrument == "" {
		fs = append(fs, keepingFinding("keeping-source", provenance.Error, "source", provenance.Rule("keeping-source"),
			"say where the period comes from: the cell's written policy (PolicySource) or the text that sets it"))
	}
	if c := k.Source.Certainty; c != provenance.Verified && c != provenance.Secondary {
		fs = append(fs, keepingFinding("keeping-policy", provenance.Warning, "source", k.Source,
			"the keeping period is the cell's own policy: ccjkit found no Belgian text that sets how long a cell keeps a closed case "+
				"(Telecom Act art. 127/3 was not retrieved); state it in the operator's record of processing, justified by its purpose, "+
				"and have the data-protection officer check it"))
	}
	fs = append(fs, keepingFinding("keeping-storage-limitation", provenance.Info, "", StorageLimitationSource(),
		"personal data are kept no longer than necessary for their purpose: when a case's period ends, the register lists it, "+
			"and the cell archives or destroys the journal that holds it (docs/recovery.md); the register itself deletes nothing"))
	if ok && n < accountingMonths {
		fs = append(fs, keepingFinding("keeping-accounting", provenance.Info, "years", AccountingBooksSource(),
			"the cost statements the cell sends (the invoice step) are the operator's invoices, and its accounting books are kept "+
				"seven years from 1 January of the year after their closing: keep the statements with the accounting, not only through this register"))
	}
	return fs
}

// Validate returns a *provenance.Problems holding every finding of
// [Keeping.Findings] when one is an error, and nil otherwise.
func (k Keeping) Validate() error { return provenance.Check("register: keeping", k.Findings()) }

// LastDay returns the last day a case closed on day closed is kept,
// inclusive, by the rule of [Keeping]. It returns an error wrapping
// [ErrKeeping] for a period that cannot be counted or a day that would
// end after 9999.
func (k Keeping) LastDay(closed date.Date) (date.Date, error) {
	n, ok := k.months()
	if !ok {
		return 0, fmt.Errorf("%w: %d years and %d months", ErrKeeping, k.Years, k.Months)
	}
	y, m, d := closed.Date()
	if closed == 0 || y < 1 || y+n/12+1 > 9999 {
		return 0, fmt.Errorf("%w: the period must fall within the years 1 to 9999", ErrKeeping)
	}
	// The month n months on, counted on the calendar (not AddDate, which
	// would turn 31 January + 1 month into March).
	total := int(m) - 1 + n
	ey, em := y+total/12, time.Month(total%12+1)
	lastOfMonth := date.New(ey, em+1, 1) - 1
	return min(date.New(ey, em, 1)+date.Date(d-1), lastOfMonth), nil
}

// End returns the first instant a case closed on day closed is no longer
// kept: [timesync.DayEnd] of [Keeping.LastDay], 24:00 Brussels time.
func (k Keeping) End(closed date.Date) (time.Time, error) {
	last, err := k.LastDay(closed)
	if err != nil {
		return time.Time{}, err
	}
	return timesync.DayEnd(last), nil
}

// KeptCase is a closed case as its keeping period stands at an instant.
type KeptCase struct {
	Case string `json:"case"`
	// Closed is the day the case was closed, in Brussels.
	Closed date.Date `json:"closed"`
	// LastDay is the last day it is kept, inclusive; End the first
	// instant it is no longer kept (24:00 Brussels on LastDay).
	LastDay date.Date `json:"last_day"`
	End     time.Time `json:"end"`
	// Ended: the period is over at the instant asked (at >= End).
	Ended bool `json:"ended"`
}

// KeepingReport is where the register's cases stand against a keeping
// period at an instant.
type KeepingReport struct {
	At      timesync.Timestamp `json:"at"`
	Keeping Keeping            `json:"keeping"`
	// Ended are the closed cases whose period is over: the cell archives
	// or destroys what holds them (docs/recovery.md). Kept are the other
	// closed cases. Both by End, then by ID.
	Ended []KeptCase `json:"ended"`
	Kept  []KeptCase `json:"kept"`
	// Unclosed are the cases that can only be closed (contested,
	// withdrawn, expired, invoiced) but were not: their period has not
	// begun. Open holds the number of the other cases not closed.
	Unclosed []string `json:"unclosed,omitempty"`
	Open     int      `json:"open"`
	// Retirable: the register holds at least one case, and every case is
	// closed and its period over — the whole journal may be retired.
	Retirable bool `json:"retirable"`
	// Findings are the period's ([Keeping.Findings]), and those about the
	// cases: keeping-in-force (the period's source is not in force on the
	// day), keeping-unclosed.
	Findings []provenance.Finding `json:"findings"`
}

// onlyClose reports whether Close is the one event a case in state s may
// still take.
func onlyClose(s State) bool {
	for _, ev := range Events() {
		if _, ok := Next(s, ev); ok != (ev == Close) {
			return false
		}
	}
	return true
}

// KeepingReport sets every case of the register against keeping period k
// at instant at: the closed cases whose period has ended (at is not before
// their End), the closed cases still kept, and those not closed. It
// writes nothing, and deletes nothing: the register never does. A period
// with an error finding ([Keeping.Validate]) is refused with its
// *provenance.Problems.
func (r *Register) KeepingReport(at time.Time, k Keeping) (KeepingReport, error) {
	fs := k.Findings()
	if err := provenance.Check("register: keeping", fs); err != nil {
		return KeepingReport{}, err
	}
	if at.IsZero() {
		return KeepingReport{}, fmt.Errorf("%w: no instant to judge the period at", ErrKeeping)
	}
	rep := KeepingReport{At: timesync.FromTime(at), Keeping: k, Ended: []KeptCase{}, Kept: []KeptCase{}}
	if day := timesync.Day(at); !k.Source.InForce(day) {
		rep.Findings = append(rep.Findings, keepingFinding("keeping-in-force", provenance.Warning, "source", k.Source,
			"the text the keeping period comes from is not in force on %s: check which period applies", day))
	}
	total, err := r.sortKept(at, k, &rep)
	if err != nil {
		return KeepingReport{}, err
	}
	for _, l := range [][]KeptCase{rep.Ended, rep.Kept} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].End.Before(l[j].End) })
	}
	rep.Retirable = total > 0 && len(rep.Ended) == total
	if n := len(rep.Unclosed); n > 0 {
		rep.Findings = append(rep.Findings, keepingFinding("keeping-unclosed", provenance.Warning, "unclosed", provenance.Rule("keeping-unclosed"),
			"%[1]d {1:case|cases} can only be closed but {1:was|were} not: {1:its|their} keeping period has not begun (a member closes {1:it|them})", n))
	}
	rep.Findings = append(fs, rep.Findings...)
	return rep, nil
}

// sortKept puts each case of the register in rep — ended, kept, unclosed
// or open — and returns how many there are.
func (r *Register) sortKept(at time.Time, k Keeping, rep *KeepingReport) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range r.sortedIDs() {
		c := r.cases[id]
		switch {
		case c.State == Closed:
			closed := c.History[len(c.History)-1].At.Day() // Closed is final: the last step closed it
			last, err := k.LastDay(closed)
			if err != nil {
				return 0, fmt.Errorf("case %s: %w", id, err)
			}
			end := timesync.DayEnd(last)
			kc := KeptCase{Case: id, Closed: closed, LastDay: last, End: end, Ended: !at.Before(end)}
			if kc.Ended {
				rep.Ended = append(rep.Ended, kc)
			} else {
				rep.Kept = append(rep.Kept, kc)
			}
		case onlyClose(c.State):
			rep.Unclosed = append(rep.Unclosed, id)
		default:
			rep.Open++
		}
	}
	return len(r.cases), nil
}

// KeepingEnded returns the closed cases whose keeping period k is over at
// instant at — at is not before their End — by End, then by ID. It is
// [Register.KeepingReport]'s Ended, and refuses what it refuses.
func (r *Register) KeepingEnded(at time.Time, k Keeping) ([]KeptCase, error) {
	rep, err := r.KeepingReport(at, k)
	return rep.Ended, err
}
