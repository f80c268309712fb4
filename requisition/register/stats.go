package register

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
	"golang.org/x/text/language"
)

// DefaultThreshold is the smallest count statistics show as a number:
// smaller ones (1 and 2) are shown as "< 3". A cell of a small ISP
// receives few requisitions, and a published "1 interception in March"
// can point at a person; hiding the counts of one and two is the usual
// rule of statistical disclosure control (national statistics offices
// suppress cells under a minimum frequency), chosen here by ccjkit, not
// by the law [T]. Zero is shown: it reveals no case.
const DefaultThreshold = 3

// Count is a number of cases as published: either the number, or hidden.
// A hidden count does not hold its value, so it cannot leak it.
type Count struct {
	n int
	// Hidden is "" for a count shown as a number; "< N" for a count
	// below the threshold N; "c" (confidential) for a count hidden only
	// because it, added to the others, would reveal one that is below the
	// threshold (secondary suppression).
	Hidden string
}

// Value returns the count and true, or 0 and false when it is hidden.
func (c Count) Value() (int, bool) { return c.n, c.Hidden == "" }

// String returns the number or the hidden form.
func (c Count) String() string {
	if c.Hidden != "" {
		return c.Hidden
	}
	return strconv.Itoa(c.n)
}

// MarshalJSON writes a number, or the hidden form as a string.
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Hidden != "" {
		return json.Marshal(c.Hidden)
	}
	return []byte(strconv.Itoa(c.n)), nil
}

// suppress publishes counts whose sum is published too: counts between
// 1 and threshold-1 are hidden as "< threshold"; when exactly one is, the
// smallest other non-zero count is hidden as "c", so that the sum cannot
// give the first back.
func suppress(counts []int, threshold int) []Count {
	out := make([]Count, len(counts))
	primary := 0
	for i, n := range counts {
		out[i] = Count{n: n}
		if n > 0 && n < threshold {
			out[i] = Count{Hidden: fmt.Sprintf("< %d", threshold)}
			primary++
		}
	}
	if primary == 1 {
		best := -1
		for i, n := range counts {
			if out[i].Hidden == "" && n > 0 && (best < 0 || n < counts[best]) {
				best = i
			}
		}
		if best >= 0 {
			out[best] = Count{Hidden: "c"}
		}
	}
	return out
}

// Outcome of a case, for statistics.
const (
	OutcomeAnswered  = "answered"
	OutcomeContested = "contested"
	OutcomeCancelled = "cancelled"
	OutcomeExpired   = "expired"
	OutcomeOpen      = "open"
)

func caseOutcomes() []string {
	return []string{OutcomeAnswered, OutcomeContested, OutcomeCancelled, OutcomeExpired, OutcomeOpen}
}

func outcomeOf(c *Case) string {
	if c.Delivery != nil {
		return OutcomeAnswered
	}
	for _, t := range slices.Backward(c.History) {
		switch t.To {
		case Contested:
			return OutcomeContested
		case Cancelled:
			return OutcomeCancelled
		case Expired:
			return OutcomeExpired
		}
	}
	return OutcomeOpen
}

// Row is one line of a count table.
type Row struct {
	Key   string `json:"key"`
	Count Count  `json:"count"`
}

// Times are response times, in whole seconds, over the answered cases of a
// row: the median and the 95th percentile by the nearest-rank method (the
// smallest time that at least half, or 95 %, of the times do not exceed —
// always the time of an actual case, never an interpolation), and the
// worst.
type Times struct {
	Median int64 `json:"median_s"`
	P95    int64 `json:"p95_s"`
	Worst  int64 `json:"worst_s"`
}

// ResponseRow is the response times of one measure ("all" for every
// measure), with how the answers stood against their deadlines. Times is
// nil when there are fewer answers than the threshold; a row whose count
// is hidden only to protect another ("c") still shows its times.
//
// Rows can be compared with the "all" row: when a measure has a hidden
// count, the difference between the "all" row's worst time and the other
// rows' may be the time of one of its answers. Publish the "all" row
// alone, or not at all, if that matters for a given period.
type ResponseRow struct {
	Measure    string `json:"measure"`
	Answered   Count  `json:"answered"`
	Times      *Times `json:"times,omitempty"`
	OnTime     Count  `json:"on_time"`
	Late       Count  `json:"late"`
	NoFixedDue Count  `json:"no_fixed_deadline"`
}

// Statistics describe the cases received in a period, with no case
// identifier, every count below the threshold hidden.
type Statistics struct {
	From      timesync.Timestamp `json:"from"`
	Until     timesync.Timestamp `json:"until"`
	Computed  timesync.Timestamp `json:"computed"`
	Threshold int                `json:"threshold"`
	Cases     Count              `json:"cases"`
	// ByMeasure, ByAuthority and ByOutcome each list every key, zeros
	// included, so that tables of different periods line up.
	ByMeasure   []Row         `json:"by_measure"`
	ByAuthority []Row         `json:"by_authority"`
	ByOutcome   []Row         `json:"by_outcome"`
	Responses   []ResponseRow `json:"response_times"`
}

// StatsOptions tune [Register.Statistics].
type StatsOptions struct {
	// Threshold is the smallest count shown; 0 means [DefaultThreshold],
	// 1 shows every count.
	Threshold int
}

// Statistics counts the cases received in [from, until) — by the time
// their requisition reached the cell — as the register stands now: by
// measure, by authority, by outcome (answered, contested, cancelled,
// expired, still open), and the response times of the answered ones,
// from receipt to delivery, against their deadlines.
func (r *Register) Statistics(from, until time.Time, opt StatsOptions) Statistics {
	th := opt.Threshold
	if th <= 0 {
		th = DefaultThreshold
	}
	r.mu.Lock()
	var sel []*Case
	for _, id := range r.sortedIDs() {
		c := r.cases[id]
		if at := c.Requisition.Received.Time(); !at.Before(from) && at.Before(until) {
			sel = append(sel, c)
		}
	}
	s := Statistics{From: timesync.FromTime(from), Until: timesync.FromTime(until), Computed: timesync.Now(r.cfg.Clock), Threshold: th}
	measures := requisition.Measures()
	authorities := []requisition.Authority{requisition.JugeInstruction, requisition.ProcureurDuRoi, requisition.AuditeurDuTravail, requisition.OfficierPoliceJudiciaire}
	byM := make([]int, len(measures))
	byA := make([]int, len(authorities))
	byO := make([]int, len(caseOutcomes()))
	type answered struct {
		secs int64
		tl   Timeliness
	}
	times := map[requisition.Measure][]answered{}
	for _, c := range sel {
		if i := slices.Index(measures, c.Requisition.Measure); i >= 0 {
			byM[i]++
		}
		if i := slices.Index(authorities, c.Requisition.Authority); i >= 0 {
			byA[i]++
		}
		byO[slices.Index(caseOutcomes(), outcomeOf(c))]++
		if c.Delivery != nil {
			dl, err := c.Deadline()
			tl := NoFixedDue
			if err == nil {
				tl = timeliness(dl, c.Delivery.At)
			}
			times[c.Requisition.Measure] = append(times[c.Requisition.Measure], answered{int64(c.Delivery.At.Sub(c.Requisition.Received) / time.Second), tl})
		}
	}
	r.mu.Unlock()

	s.Cases = suppress([]int{len(sel)}, th)[0]
	rows := func(keys []string, counts []int) []Row {
		cs := suppress(counts, th)
		out := make([]Row, len(keys))
		for i := range keys {
			out[i] = Row{keys[i], cs[i]}
		}
		return out
	}
	mk := make([]string, len(measures))
	for i, m := range measures {
		mk[i] = m.String()
	}
	ak := make([]string, len(authorities))
	for i, a := range authorities {
		ak[i] = a.String()
	}
	s.ByMeasure = rows(mk, byM)
	s.ByAuthority = rows(ak, byA)
	s.ByOutcome = rows(caseOutcomes(), byO)

	// Response times: one row per measure and one for all; the answered
	// counts are suppressed as one table (their sum is the "answered"
	// outcome), and each row's timeliness counts as another.
	var all []answered
	counts := make([]int, len(measures))
	for i, m := range measures {
		counts[i] = len(times[m])
		all = append(all, times[m]...)
	}
	ans := suppress(counts, th)
	row := func(key string, n Count, list []answered) ResponseRow {
		rr := ResponseRow{Measure: key, Answered: n}
		var tl [3]int
		secs := make([]int64, len(list))
		for i, a := range list {
			secs[i] = a.secs
			tl[slices.Index([]Timeliness{OnTime, Late, NoFixedDue}, a.tl)]++
		}
		if len(list) < th {
			// Too few answers to show their times or how they stood.
			hidden := Count{Hidden: n.Hidden}
			if len(list) == 0 {
				hidden = Count{}
			}
			rr.OnTime, rr.Late, rr.NoFixedDue = hidden, hidden, hidden
			return rr
		}
		slices.Sort(secs)
		rr.Times = &Times{Median: nearestRank(secs, 50), P95: nearestRank(secs, 95), Worst: secs[len(secs)-1]}
		tc := suppress(tl[:], th)
		rr.OnTime, rr.Late, rr.NoFixedDue = tc[0], tc[1], tc[2]
		return rr
	}
	for i, m := range measures {
		s.Responses = append(s.Responses, row(m.String(), ans[i], times[m]))
	}
	s.Responses = append(s.Responses, row("all", suppress([]int{len(all)}, th)[0], all))
	return s
}

// nearestRank returns the p-th percentile of sorted by the nearest-rank
// method: the value at rank ⌈p/100 × n⌉.
func nearestRank(sorted []int64, p int) int64 {
	rank := (p*len(sorted) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

// CSV writes the statistics as one table with the columns table, key,
// count, median_s, p95_s, worst_s, on_time, late, no_fixed_deadline.
func (s Statistics) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"table", "key", "count", "median_s", "p95_s", "worst_s", "on_time", "late", "no_fixed_deadline"})
	w.Write([]string{"cases", "all", s.Cases.String()})
	for _, t := range []struct {
		name string
		rows []Row
	}{{"measure", s.ByMeasure}, {"authority", s.ByAuthority}, {"outcome", s.ByOutcome}} {
		for _, r := range t.rows {
			w.Write([]string{t.name, r.Key, r.Count.String()})
		}
	}
	for _, r := range s.Responses {
		rec := []string{"response", r.Measure, r.Answered.String(), "", "", ""}
		if r.Times != nil {
			rec[3], rec[4], rec[5] = strconv.FormatInt(r.Times.Median, 10), strconv.FormatInt(r.Times.P95, 10), strconv.FormatInt(r.Times.Worst, 10)
		}
		w.Write(append(rec, r.OnTime.String(), r.Late.String(), r.NoFixedDue.String()))
	}
	w.Flush()
	return b.Bytes()
}

// Text writes the statistics as tables a person reads, in the language
// tag asks for.
func (s Statistics) Text(tag language.Tag) string {
	p := printer(tag)
	var b strings.Builder
	fmt.Fprintln(&b, p.Sprintf("Requisitions received from %s to %s: %s", clock(s.From), clock(s.Until), s.Cases.String()))
	fmt.Fprintln(&b, p.Sprintf("(counts below %d are shown as \"< %d\"; \"c\" hides a count that would reveal one of them)", s.Threshold, s.Threshold))
	table := func(title string, rows []Row, label func(string) string) {
		fmt.Fprintln(&b, p.Sprintf(title))
		for _, r := range rows {
			fmt.Fprintf(&b, "  %-44s %6s\n", label(r.Key), r.Count.String())
		}
	}
	labelOf := func(parse func(string) any) func(string) string {
		return func(k string) string { return requisition.Label(tag, parse(k)) }
	}
	table("By measure", s.ByMeasure, labelOf(func(k string) any {
		var m requisition.Measure
		m.UnmarshalText([]byte(k))
		return m
	}))
	table("By authority", s.ByAuthority, labelOf(func(k string) any {
		var a requisition.Authority
		a.UnmarshalText([]byte(k))
		return a
	}))
	table("By outcome", s.ByOutcome, func(k string) string { return p.Sprintf("outcome:" + k) })
	fmt.Fprintln(&b, p.Sprintf("Response times (receipt to delivery, hours:minutes:seconds)"))
	fmt.Fprintf(&b, "  %-30s %8s %10s %10s %10s %8s %8s\n", "", p.Sprintf("answered"), p.Sprintf("median"), p.Sprintf("95th pct."), p.Sprintf("worst"), p.Sprintf("on time"), p.Sprintf("late"))
	for _, r := range s.Responses {
		name := p.Sprintf("all measures")
		if r.Measure != "all" {
			var m requisition.Measure
			m.UnmarshalText([]byte(r.Measure))
			name = requisition.Label(tag, m)
		}
		med, p95, worst := "", "", ""
		if r.Times != nil {
			med, p95, worst = hms(r.Times.Median), hms(r.Times.P95), hms(r.Times.Worst)
		}
		fmt.Fprintf(&b, "  %-30s %8s %10s %10s %10s %8s %8s\n", name, r.Answered.String(), med, p95, worst, r.OnTime.String(), r.Late.String())
	}
	return b.String()
}

// hms writes seconds as hours:minutes:seconds, hours unbounded: "64:56:57".
func hms(secs int64) string {
	return fmt.Sprintf("%d:%02d:%02d", secs/3600, secs%3600/60, secs%60)
}
