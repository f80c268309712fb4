package paging

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/timesync"
)

// Figures are a period's measured acknowledgement figures, for the
// cell's compliance report: how many cases were paged, how many were
// acknowledged and how soon, how many needed escalation, and which
// members were paged but never acknowledged. They are computed from what
// the register keeps — the page records (Record) and the
// acknowledgements (Ack) — by Measure, and nothing else.
//
// What counts, exactly:
//
//   - A case is a CaseID as the records carry it. An intake paged as
//     "I-17" and the case "2026-0042" later received from it are two:
//     a Record does not say which case an intake became, so Measure does
//     not guess. (A case received from an intake goes on from the
//     intake's acknowledgement and is seldom paged under its own number
//     but for reminders, which do not count: see below.)
//   - Only the escalation's pages count — the first page (NewRequest) and
//     the escalation steps (Escalation). Reminders are sent after the
//     acknowledgement, to whoever handles the case, and measure nothing
//     of how fast the cell woke: they are left out of every figure.
//   - A case is in the period when its first page — the earliest Paged
//     event of its escalation records — falls from From included to Until
//     excluded. All its escalation records count then, those after Until
//     too (an escalation at 00:02 of a case first paged at 23:58 on the
//     month's last day is that month's).
//   - A case is acknowledged when an Ack of its CaseID was given, at any
//     instant. Its time to acknowledge runs from its first page to its
//     earliest acknowledgement (of two at the same instant, the smaller
//     member ID's); an acknowledgement recorded before the first page —
//     a member who saw the intake before the page went out — counts as
//     zero.
//   - The median is by nearest rank: of the n times sorted from the
//     shortest, the ⌈n/2⌉-th (of two, the shorter). Median and worst are
//     zero when nothing was acknowledged.
//   - A case needed escalation when a step from 1 on was paged for it.
//   - The members paged for a case are those its escalation records name
//     (Action.Members): a page no channel took is a page the member was
//     owed all the same, as the Paged event says; the attempts in the
//     register say why it was not taken. Never acknowledged lists, sorted,
//     each member paged for a case of the period who acknowledged none of
//     the cases they were paged for.
//
// Instants are given in Brussels time; durations to the second, as the
// register records them.
type Figures struct {
	// From and Until bound the period, From included, Until excluded.
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
	// Paged counts the cases whose first page fell in the period;
	// Acknowledged those of them acknowledged; Escalated those of them
	// for which a step from 1 on was paged.
	Paged        int `json:"paged"`
	Acknowledged int `json:"acknowledged"`
	Escalated    int `json:"escalated"`
	// MedianToAck and WorstToAck are the median (by nearest rank) and
	// the longest time from the first page to the acknowledgement, over
	// the acknowledged cases; zero when there is none.
	MedianToAck Duration `json:"median_to_ack"`
	WorstToAck  Duration `json:"worst_to_ack"`
	// NeverAcknowledged are the members paged in the period who
	// acknowledged nothing they were paged for, sorted.
	NeverAcknowledged []string `json:"never_acknowledged"`
	// Cases are the cases counted, by their first page, then CaseID.
	Cases []CaseFigures `json:"cases"`
}

// CaseFigures are one case's figures: when it was first paged, how far
// its escalation went, whom it paged, and who acknowledged it when.
type CaseFigures struct {
	Case      CaseID    `json:"case"`
	FirstPage time.Time `json:"first_page"`
	// LastStep is the highest escalation step paged: 0 when only the
	// first page was.
	LastStep int `json:"last_step"`
	// Paged are the members paged, in the order they were first paged
	// (then by the action's order), each once.
	Paged []string `json:"paged"`
	// AckBy and AckAt are the first acknowledgement's member and instant,
	// "" and zero when nobody acknowledged; ToAck is the time from the
	// first page to it (zero when it came before the first page, or
	// there is none).
	AckBy string    `json:"acknowledged_by,omitempty"`
	AckAt time.Time `json:"acknowledged_at,omitzero"`
	ToAck Duration  `json:"to_acknowledge"`
}

// Escalated reports whether a step from 1 on was paged for the case.
func (c CaseFigures) Escalated() bool { return c.LastStep >= 1 }

// Acknowledged reports whether someone acknowledged the case.
func (c CaseFigures) Acknowledged() bool { return c.AckBy != "" }

// Measure computes the acknowledgement figures of the cases first paged
// from from included to until excluded, from the page records and the
// acknowledgements read back from the register (as Next reads them), in
// any order: see Figures for what counts. Alerts (AlertID) are not
// counted: the figures are about requests. It is pure.
func Measure(records []Record, acks []Ack, from, until time.Time) Figures {
	bxl := timesync.Brussels()
	f := Figures{From: from.In(bxl), Until: until.In(bxl), NeverAcknowledged: []string{}, Cases: []CaseFigures{}}

	// Each case's escalation records, in the order of their pages.
	byCase := map[CaseID][]Record{}
	for _, r := range records {
		if r.Action.Kind == Reminder || r.Event.Kind != Paged || r.Intake.Case.IsZero() || r.Event.At.IsZero() {
			continue
		}
		if _, _, alert := r.Intake.Case.Alert(); alert {
			continue // an alert is no request: the figures are about requests
		}
		byCase[r.Intake.Case] = append(byCase[r.Intake.Case], r)
	}
	// Each case's first acknowledgement.
	first := map[CaseID]Ack{}
	// Who acknowledged which case.
	acked := map[string]map[CaseID]bool{}
	for _, a := range acks {
		if a.Case.IsZero() || a.Member == "" || a.At.IsZero() {
			continue
		}
		if acked[a.Member] == nil {
			acked[a.Member] = map[CaseID]bool{}
		}
		acked[a.Member][a.Case] = true
		if b, ok := first[a.Case]; !ok || a.At.Before(b.At) || (a.At.Equal(b.At) && a.Member < b.Member) {
			first[a.Case] = a
		}
	}

	pagedFor := map[string][]CaseID{}
	var times []time.Duration
	for c, rs := range byCase {
		slices.SortStableFunc(rs, func(a, b Record) int { return a.Event.At.Compare(b.Event.At) })
		start := rs[0].Event.At
		if start.Before(from) || !start.Before(until) {
			continue
		}
		cf := CaseFigures{Case: c, FirstPage: start.In(bxl), Paged: []string{}}
		for _, r := range rs {
			cf.LastStep = max(cf.LastStep, r.Action.Step)
			for _, m := range r.Action.Members {
				if m != "" && !slices.Contains(cf.Paged, m) {
					cf.Paged = append(cf.Paged, m)
					pagedFor[m] = append(pagedFor[m], c)
				}
			}
		}
		if a, ok := first[c]; ok {
			cf.AckBy, cf.AckAt = a.Member, a.At.In(bxl)
			cf.ToAck = Duration(max(a.At.Sub(start), 0))
			times = append(times, time.Duration(cf.ToAck))
			f.Acknowledged++
		}
		if cf.Escalated() {
			f.Escalated++
		}
		f.Cases = append(f.Cases, cf)
	}
	f.Paged = len(f.Cases)
	slices.SortFunc(f.Cases, func(a, b CaseFigures) int {
		return cmp.Or(a.FirstPage.Compare(b.FirstPage), strings.Compare(a.Case.s, b.Case.s))
	})
	if n := len(times); n > 0 {
		slices.Sort(times)
		f.MedianToAck = Duration(times[(n+1)/2-1])
		f.WorstToAck = Duration(times[n-1])
	}
	for m, cs := range pagedFor {
		if !slices.ContainsFunc(cs, func(c CaseID) bool { return acked[m][c] }) {
			f.NeverAcknowledged = append(f.NeverAcknowledged, m)
		}
	}
	slices.Sort(f.NeverAcknowledged)
	return f
}

// MeasureMonth is Measure over a calendar month of Brussels: from its
// first day's midnight to the next month's, Brussels time.
func MeasureMonth(records []Record, acks []Ack, year int, month time.Month) Figures {
	bxl := timesync.Brussels()
	from := time.Date(year, month, 1, 0, 0, 0, 0, bxl)
	return Measure(records, acks, from, from.AddDate(0, 1, 0))
}

// Text renders the figures for a person, in language tag (French, Dutch,
// German, or English), a few lines without indentation. For example, in
// English:
//
//	Pages from 2026-11-01 00:00:00 +01:00 to 2026-12-01 00:00:00 +01:00: 3 cases or intakes paged, 2 acknowledged, 2 needed escalation.
//	Time to acknowledge from the first page: median 3m30s, worst 13m10s.
//	Paged, never acknowledged: carol.
func (f Figures) Text(tag language.Tag) string {
	pr := messages().Printer(tag)
	lang := messages().Match(tag)
	show := func(t time.Time) string { return timesync.FromTime(t).Display(lang) }
	var lines []string
	if f.Paged == 0 {
		lines = append(lines, pr.Sprintf("Pages from %[1]s to %[2]s: no case was paged.", show(f.From), show(f.Until)))
		return strings.Join(lines, "\n") + "\n"
	}
	lines = append(lines, pr.Sprintf("Pages from %[1]s to %[2]s: %[3]d {3:case or intake|cases or intakes} paged, %[4]d acknowledged, %[5]d needed escalation.",
		show(f.From), show(f.Until), f.Paged, f.Acknowledged, f.Escalated))
	if f.Acknowledged == 0 {
		lines = append(lines, pr.Sprintf("Time to acknowledge: nothing was acknowledged."))
	} else {
		lines = append(lines, pr.Sprintf("Time to acknowledge from the first page: median %[1]s, worst %[2]s.", f.MedianToAck.String(), f.WorstToAck.String()))
	}
	if len(f.NeverAcknowledged) == 0 {
		lines = append(lines, pr.Sprintf("Every member paged acknowledged at least once."))
	} else {
		lines = append(lines, pr.Sprintf("Paged, never acknowledged: %[1]s.", strings.Join(f.NeverAcknowledged, ", ")))
	}
	return strings.Join(lines, "\n") + "\n"
}
