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

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
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
	// below the threshold N; "c" (confidential) for a count of at least N
	// hidden only because it, added to the others, would reveal one that
	// is below the threshold (secondary suppression); "x" for a count
	// that is not zero and not published, in a period withheld with its
	// total; "x" for a count not published at all, zero included, where
	// even which counts are zero would give one away.
	Hidden string
}

// The hidden forms of a Count that do not depend on the threshold.
const (
	hiddenSecondary = "c"
	hiddenAll       = "x"
)

// Value returns the count and true, or 0 and false when it is hidden.
func (c Count) Value() (int, bool) { return c.n, c.Hidden == "" }

// String returns the number or the hidden form.
func (c Count) String() string {
	if c.Hidden != "" {
		return c.Hidden
	}
	return strconv.Itoa(c.n)
}

// countJSON is a Count's one JSON shape: {"value": 7, "text": "7"} for a
// shown count, {"value": null, "text": "< 3"} for a hidden one.
type countJSON struct {
	Value *int   `json:"value"`
	Text  string `json:"text"`
}

// MarshalJSON writes the count in one shape whether it is shown or not:
// an object whose "value" is the number, or null when hidden, and whose
// "text" is what the tables print ("7", "< 3", "c").
func (c Count) MarshalJSON() ([]byte, error) {
	j := countJSON{Text: c.String()}
	if c.Hidden == "" {
		n := c.n
		j.Value = &n
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes, strictly: a shown count
// whose text is its value, or a hidden one ("< N", "c" or "x")
// with a null value. Its errors wrap [ErrInput].
func (c *Count) UnmarshalJSON(b []byte) error {
	var j countJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: a count is {\"value\": n or null, \"text\": ...}: %w", ErrInput, err)
	}
	switch {
	case j.Value != nil && *j.Value >= 0 && j.Text == strconv.Itoa(*j.Value):
		*c = Count{n: *j.Value}
	case j.Value == nil && (j.Text == hiddenSecondary || j.Text == hiddenAll || belowForm(j.Text)):
		*c = Count{Hidden: j.Text}
	default:
		return fmt.Errorf("%w: a count's value and text disagree", ErrInput)
	}
	return nil
}

// belowForm reports whether s is "< N" for a whole N of at least 2.
func belowForm(s string) bool {
	n, ok := strings.CutPrefix(s, "< ")
	v, err := strconv.Atoi(n)
	return ok && err == nil && v >= 2 && strconv.Itoa(v) == n
}

// suppress publishes counts whose sum is published too. Counts between 1
// and threshold-1 are hidden as "< threshold" (primary suppression). Then,
// as long as some hidden count could be worked out from the shown ones and
// the sum — a reader knows a "< N" count lies in [1, N-1] and a "c" count
// is at least N — the smallest shown non-zero count is hidden as "c" too
// (secondary suppression). A table is safe when every hidden count has at
// least two values consistent with everything published.
//
// When even hiding every non-zero count leaves one pinned (a table of 1 and
// 4 with a published total of 5, say), ok is false: the table's total must
// not be published either.
func suppress(counts []int, threshold int) (out []Count, ok bool) {
	out = make([]Count, len(counts))
	if threshold <= 1 {
		for i, n := range counts {
			out[i] = Count{n: n}
		}
		return out, true
	}
	for i, n := range counts {
		out[i] = Count{n: n}
		if n > 0 && n < threshold {
			out[i] = Count{Hidden: fmt.Sprintf("< %d", threshold)}
		}
	}
	for !safe(counts, out, threshold) {
		best := -1
		for i, n := range counts {
			if out[i].Hidden == "" && n > 0 && (best < 0 || n < counts[best]) {
				best = i
			}
		}
		if best < 0 {
			return out, false // everything non-zero is hidden, and still pinned
		}
		out[best] = Count{Hidden: "c"}
	}
	return out, true
}

// safe reports whether every hidden count of a table has at least two
// values consistent with the shown counts and the published sum.
func safe(counts []int, out []Count, threshold int) bool {
	const unbounded = 1 << 40
	sum, hiddenSum := 0, 0
	type span struct{ lo, hi int }
	var spans []span
	for i, n := range counts {
		sum += n
		switch out[i].Hidden {
		case "":
		case "c":
			spans = append(spans, span{threshold, unbounded})
			hiddenSum += n
		default:
			spans = append(spans, span{1, threshold - 1})
			hiddenSum += n
		}
	}
	if sum < threshold {
		// The sum is hidden too, as "< N": a reader knows it is at most
		// N-1, so k non-zero cells each lie in [1, N-k]: two values or
		// more only while k <= N-2 (or k is 1, the cell being the sum).
		k := 0
		for _, n := range counts {
			if n > 0 {
				k++
			}
		}
		return k <= 1 || k <= threshold-2
	}
	for i, sp := range spans {
		// The other hidden counts add up to hiddenSum - v, within [olo, ohi].
		olo, ohi := 0, 0
		for j, o := range spans {
			if j != i {
				olo, ohi = olo+o.lo, min(ohi+o.hi, unbounded)
			}
		}
		vlo := max(sp.lo, hiddenSum-ohi)
		vhi := min(sp.hi, hiddenSum-olo)
		if vhi-vlo < 1 {
			return false
		}
	}
	return true
}

// Disposition is how a case stands for statistics: answered, contested,
// withdrawn by the authority, expired, or still open.
type Disposition string

// The dispositions of a case.
const (
	DispositionAnswered  Disposition = "answered"
	DispositionContested Disposition = "contested"
	DispositionCancelled Disposition = "cancelled"
	DispositionExpired   Disposition = "expired"
	DispositionOpen      Disposition = "open"
)

// Dispositions returns every disposition, in the order statistics list
// them.
func Dispositions() []Disposition {
	return []Disposition{DispositionAnswered, DispositionContested, DispositionCancelled, DispositionExpired, DispositionOpen}
}

// Label returns the disposition's name in the language tag asks for, such
// as "withdrawn by the authority".
func (d Disposition) Label(tag language.Tag) string { return label(tag, "outcome", d, Dispositions()) }

// DispositionOf returns how the case stands: answered once delivered,
// else the last of contested, cancelled or expired it reached, else open.
func DispositionOf(c Case) Disposition {
	if c.Delivery != nil {
		return DispositionAnswered
	}
	for _, t := range slices.Backward(c.History) {
		switch t.To {
		case Contested:
			return DispositionContested
		case Cancelled:
			return DispositionCancelled
		case Expired:
			return DispositionExpired
		}
	}
	return DispositionOpen
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
// is hidden only to protect another ("c") still shows its times, but not
// its on-time, late and no-deadline counts, which would add up to it.
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
	// Withheld says the period publishes no breakdown: it has fewer cases
	// than the threshold, or no breakdown could hide its small counts.
	// Every count of the tables is then "x" — zeros included, since even
	// which counts are zero could give one away to a reader who knows
	// this algorithm — and the response times are left out. The total
	// (Cases) is shown when it is at least the threshold, "< N" below.
	//
	// A withheld period's counts can be recovered by difference from
	// periods that contain it: publish a year or its months, never both.
	Withheld bool  `json:"withheld"`
	Cases    Count `json:"cases"`
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
	// 1 shows every count. 2 would protect nothing ("< 2" can only mean
	// 1) and is raised to 3.
	Threshold int
}

// Statistics counts the cases received in [from, until) — by the time
// their requisition reached the cell — as the register stands now: by
// measure, by authority, by disposition (answered, contested, cancelled,
// expired, still open), and the response times of the answered ones,
// from receipt to delivery, against their deadlines.
func (r *Register) Statistics(from, until time.Time, opt StatsOptions) Statistics {
	th := opt.Threshold
	if th <= 0 || th == 2 {
		th = DefaultThreshold
	}
	r.mu.Lock()
	t := tallyOf(r.received(from, until))
	r.mu.Unlock()
	s := statsOf(t, th)
	s.From, s.Until, s.Computed = timesync.FromTime(from), timesync.FromTime(until), timesync.Now(r.cfg.Clock)
	return s
}

// statsOf publishes tally t with threshold th. A period with fewer cases
// than th publishes only that ("< th"): whether its breakdown could be
// protected would itself depend on the counts, and tell them to a reader
// who knows this algorithm.
func statsOf(t tally, th int) Statistics {
	s := Statistics{Threshold: th}
	withhold := s.countTables(t, th)
	withhold = s.responseRows(t, th) || withhold
	if withhold || t.cases > 0 && t.cases < th {
		s.withhold(t.cases >= th)
	}
	return s
}

// received returns the cases received in [from, until), in the order of
// their IDs; the caller holds r.mu.
func (r *Register) received(from, until time.Time) []*Case {
	var sel []*Case
	for _, id := range r.sortedIDs() {
		c := r.cases[id]
		if at := c.Requisition.Received.Time(); !at.Before(from) && at.Before(until) {
			sel = append(sel, c)
		}
	}
	return sel
}

// answered is one answered case's response time and timeliness.
type answered struct {
	secs int64
	tl   Timeliness
}

// tally is what statistics count, before any count is hidden.
type tally struct {
	cases                         int
	byMeasure, byAuth, byDisposal []int
	times                         map[requisition.Measure][]answered
}

// tallyOf counts the cases by measure, authority and disposition, and
// collects the response times of the answered ones.
func tallyOf(sel []*Case) tally {
	t := tally{cases: len(sel), byMeasure: make([]int, len(requisition.Measures())),
		byAuth: make([]int, len(requisition.Authorities())), byDisposal: make([]int, len(Dispositions())),
		times: map[requisition.Measure][]answered{}}
	for _, c := range sel {
		if i := slices.Index(requisition.Measures(), c.Requisition.Measure); i >= 0 {
			t.byMeasure[i]++
		}
		if i := slices.Index(requisition.Authorities(), c.Requisition.Authority); i >= 0 {
			t.byAuth[i]++
		}
		t.byDisposal[slices.Index(Dispositions(), DispositionOf(*c))]++
		if c.Delivery != nil {
			dl, err := c.Deadline()
			tl := NoFixedDue // no fixed deadline, or none that can be computed
			if err == nil {
				tl = timeliness(dl, c.Delivery.At)
			}
			t.times[c.Requisition.Measure] = append(t.times[c.Requisition.Measure], answered{int64(c.Delivery.At.Sub(c.Requisition.Received) / time.Second), tl})
		}
	}
	return t
}

// keys returns the text forms of an enumeration's values.
func keys[T fmt.Stringer](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

// countTables fills the count tables, hiding counts below th; it reports
// whether some table could not hide its small counts from its total.
func (s *Statistics) countTables(t tally, th int) (withhold bool) {
	cases, _ := suppress([]int{t.cases}, th)
	s.Cases = cases[0]
	rows := func(keys []string, counts []int) []Row {
		cs, ok := suppress(counts, th)
		withhold = withhold || !ok
		out := make([]Row, len(keys))
		for i := range keys {
			out[i] = Row{keys[i], cs[i]}
		}
		return out
	}
	s.ByMeasure = rows(keys(requisition.Measures()), t.byMeasure)
	s.ByAuthority = rows(keys(requisition.Authorities()), t.byAuth)
	ds := make([]string, len(Dispositions()))
	for i, d := range Dispositions() {
		ds[i] = string(d)
	}
	s.ByOutcome = rows(ds, t.byDisposal)
	return withhold
}

// responseRows fills the response times: one row per measure and one for
// all. The answered counts are suppressed as one table (their sum is the
// "answered" disposition, and the "all" row shows that disposition's
// count as it is published there). A row's on-time, late and no-deadline
// counts add up to its answered count, so they are shown only when that
// count is; the "all" row's only when every measure's is, or the
// difference would give a hidden row's. It reports whether the answered
// counts could not be hidden from their total.
func (s *Statistics) responseRows(t tally, th int) (withhold bool) {
	measures := requisition.Measures()
	var all []answered
	counts := make([]int, len(measures))
	for i, m := range measures {
		counts[i] = len(t.times[m])
		all = append(all, t.times[m]...)
	}
	ans, ok := suppress(counts, th)
	// A measure's answered count, beside its total (by measure), gives
	// how many of its cases were not answered; summed over the measures,
	// the answered outcome and the other outcomes; and the answered counts
	// add up to the answered outcome, which may be hidden. So when the
	// outcome table hides a count, the answered counts by measure are not
	// published at all, zeros included, nor their times.
	if slices.ContainsFunc(s.ByOutcome, func(r Row) bool { _, shown := r.Count.Value(); return !shown }) {
		for i := range ans {
			ans[i] = Count{Hidden: hiddenAll}
		}
	}
	everyShown := true
	for i, m := range measures {
		s.Responses = append(s.Responses, responseRow(m.String(), ans[i], t.times[m], true, th))
		_, shown := ans[i].Value()
		everyShown = everyShown && shown
	}
	answeredRow := s.ByOutcome[slices.Index(Dispositions(), DispositionAnswered)].Count
	s.Responses = append(s.Responses, responseRow("all", answeredRow, all, everyShown, th))
	return !ok
}

// responseRow is the response times of list, whose published count is n;
// its timeliness counts are shown only with breakdown.
func responseRow(key string, n Count, list []answered, breakdown bool, th int) ResponseRow {
	rr := ResponseRow{Measure: key, Answered: n}
	var tl [3]int
	secs := make([]int64, len(list))
	for i, a := range list {
		secs[i] = a.secs
		tl[slices.Index([]Timeliness{OnTime, Late, NoFixedDue}, a.tl)]++
	}
	if n.Hidden == hiddenAll {
		rr.OnTime, rr.Late, rr.NoFixedDue = n, n, n
		return rr
	}
	if len(list) == 0 {
		return rr
	}
	if len(list) >= th {
		// Enough answers to show their times without pointing at one.
		slices.Sort(secs)
		rr.Times = &Times{Median: nearestRank(secs, 50), P95: nearestRank(secs, 95), Worst: secs[len(secs)-1]}
	}
	// The timeliness counts add up to the row's count: unless it is
	// shown, none of them is published, zeros included.
	hidden := []Count{{Hidden: hiddenAll}, {Hidden: hiddenAll}, {Hidden: hiddenAll}}
	if _, shown := n.Value(); !shown || !breakdown {
		rr.OnTime, rr.Late, rr.NoFixedDue = hidden[0], hidden[1], hidden[2]
		return rr
	}
	tc, ok := suppress(tl[:], th)
	if !ok {
		tc = hidden
	}
	rr.OnTime, rr.Late, rr.NoFixedDue = tc[0], tc[1], tc[2]
	return rr
}

// withhold hides every non-zero count and every time: a period with so few
// cases that some table cannot hide its small counts from its total
// publishes no breakdown at all — and its total only when keepTotal.
func (s *Statistics) withhold(keepTotal bool) {
	s.Withheld = true
	// Not even which counts are zero is published: a reader who knows
	// the algorithm could otherwise narrow the tallies that publish the
	// same to one (TestWithheldTotalProperty).
	hide := func(c *Count) { *c = Count{Hidden: hiddenAll} }
	for _, rows := range [][]Row{s.ByMeasure, s.ByAuthority, s.ByOutcome} {
		for i := range rows {
			hide(&rows[i].Count)
		}
	}
	for i := range s.Responses {
		r := &s.Responses[i]
		r.Times = nil
		// Which measures have answers, and how they stood, are not
		// published: the answered counts by measure add up to the
		// answered outcome, and their timeliness to each of them.
		r.Answered, r.OnTime, r.Late, r.NoFixedDue = Count{Hidden: hiddenAll}, Count{Hidden: hiddenAll}, Count{Hidden: hiddenAll}, Count{Hidden: hiddenAll}
	}
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
	fmt.Fprintln(&b, p.Sprintf("Requisitions received from %s to %s: %s", clock(s.From, tag), clock(s.Until, tag), s.Cases.String()))
	if !s.Withheld {
		fmt.Fprintln(&b, p.Sprintf("(counts below %d are shown as \"< %d\"; \"c\" hides a count that would reveal one of them)", s.Threshold, s.Threshold))
	} else {
		if _, shown := s.Cases.Value(); shown {
			fmt.Fprintln(&b, p.Sprintf("Too few cases in this period for a breakdown that protects them: the total is shown, every other count is \"x\" (not published, zeros included) and no response time is given. A longer period (a year) may allow one: publish it or its months, never both, or the difference gives these counts back."))
		} else {
			fmt.Fprintln(&b, p.Sprintf("Too few cases in this period for a breakdown that protects them, or even for its total: every count is \"x\" (not published, zeros included) and no response time is given. A longer period (a year) may allow one: publish it or its months, never both, or the difference gives these counts back."))
		}
	}
	table := func(title string, rows []Row, label func(string) string) {
		fmt.Fprintln(&b, p.Sprintf(title))
		for _, r := range rows {
			fmt.Fprintf(&b, "  %-44s %6s\n", label(r.Key), r.Count.String())
		}
	}
	table("By measure", s.ByMeasure, func(k string) string {
		var m requisition.Measure
		m.UnmarshalText([]byte(k))
		return m.Label(tag)
	})
	table("By authority", s.ByAuthority, func(k string) string {
		var a requisition.Authority
		a.UnmarshalText([]byte(k))
		return a.Label(tag)
	})
	table("By outcome", s.ByOutcome, func(k string) string { return Disposition(k).Label(tag) })
	fmt.Fprintln(&b, p.Sprintf("Response times (receipt to delivery, hours:minutes:seconds)"))
	fmt.Fprintf(&b, "  %-30s %8s %10s %10s %10s %8s %8s\n", "", p.Sprintf("answered"), p.Sprintf("median"), p.Sprintf("95th pct."), p.Sprintf("worst"), p.Sprintf("on time"), p.Sprintf("late"))
	for _, r := range s.Responses {
		name := p.Sprintf("all measures")
		if r.Measure != "all" {
			var m requisition.Measure
			m.UnmarshalText([]byte(r.Measure))
			name = m.Label(tag)
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
