package paging_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
)

// pageRec is the record of an escalation step paged at t for case c.
func pageRec(c string, step int, t time.Time, members ...string) paging.Record {
	kind, who := paging.NewRequest, paging.OnCallPrimary
	if step > 0 {
		kind, who = paging.Escalation, paging.OnCallBackup
	}
	in := paging.Intake{Case: paging.MustParseCaseID(c), Received: t, Class: paging.Unread}
	a := paging.Action{At: t, Kind: kind, Step: step, Who: who, Members: members}
	return paging.Record{Intake: in, Action: a, Event: a.Done(t)}
}

// reminderRec is the record of a reminder at percent paged at t.
func reminderRec(c string, percent int, t time.Time, members ...string) paging.Record {
	in := paging.Intake{Case: paging.MustParseCaseID(c), Received: t.Add(-time.Hour), Class: paging.Urgent, Due: t.Add(time.Hour)}
	a := paging.Action{At: t, Kind: paging.Reminder, Percent: percent, Who: paging.Handler, Members: members}
	return paging.Record{Intake: in, Action: a, Event: a.Done(t)}
}

func ackOf(c, member string, t time.Time) paging.Ack {
	return paging.Ack{Case: paging.MustParseCaseID(c), Member: member, At: t}
}

// The figures of November 2026, case by case.
func TestMeasure(t *testing.T) {
	from, until := at("2026-11-01 00:00:00"), at("2026-12-01 00:00:00")
	night := at("2026-11-28 02:10:00")
	mins := func(n float64) time.Duration { return time.Duration(n * float64(time.Minute)) }
	type want struct {
		paged, acked, escalated int
		median, worst           time.Duration
		never                   []string
		cases                   []string
	}
	for _, tc := range []struct {
		name    string
		records []paging.Record
		acks    []paging.Ack
		want    want
	}{
		{name: "nothing paged", want: want{never: []string{}}},
		{name: "acknowledged after the first page",
			records: []paging.Record{pageRec("I-3", 0, night, "alice")},
			acks:    []paging.Ack{ackOf("I-3", "alice", night.Add(mins(3)))},
			want:    want{paged: 1, acked: 1, median: mins(3), worst: mins(3), never: []string{}, cases: []string{"I-3"}}},
		{name: "escalated twice, the third acknowledges; the two before never did",
			records: []paging.Record{pageRec("I-3", 0, night, "carol"), pageRec("I-3", 1, night.Add(mins(5)), "alice"), pageRec("I-3", 2, night.Add(mins(10)), "bob")},
			acks:    []paging.Ack{ackOf("I-3", "bob", night.Add(mins(13)))},
			want:    want{paged: 1, acked: 1, escalated: 1, median: mins(13), worst: mins(13), never: []string{"alice", "carol"}, cases: []string{"I-3"}}},
		{name: "nobody acknowledges: no time, every member paged listed",
			records: []paging.Record{pageRec("2026-0042", 0, night, "bob"), pageRec("2026-0042", 1, night.Add(mins(5)), "carol"),
				pageRec("2026-0042", 2, night.Add(mins(10)), "alice", "bob", "carol")},
			want: want{paged: 1, escalated: 1, never: []string{"alice", "bob", "carol"}, cases: []string{"2026-0042"}}},
		{name: "a first page before the period is not the period's, nor its escalation after it",
			records: []paging.Record{pageRec("I-2", 0, from.Add(-mins(2)), "bob"), pageRec("I-2", 1, from.Add(mins(3)), "carol")},
			want:    want{never: []string{}}},
		{name: "a first page at the period's first second is the period's",
			records: []paging.Record{pageRec("I-2", 0, from, "bob")},
			want:    want{paged: 1, never: []string{"bob"}, cases: []string{"I-2"}}},
		{name: "a first page at the period's end is the next period's",
			records: []paging.Record{pageRec("I-2", 0, until, "bob")},
			want:    want{never: []string{}}},
		{name: "an escalation after the period's end counts with the case first paged in it",
			records: []paging.Record{pageRec("I-4", 0, until.Add(-mins(2)), "bob"), pageRec("I-4", 1, until.Add(mins(3)), "carol")},
			acks:    []paging.Ack{ackOf("I-4", "carol", until.Add(mins(4)))},
			want:    want{paged: 1, acked: 1, escalated: 1, median: mins(6), worst: mins(6), never: []string{"bob"}, cases: []string{"I-4"}}},
		{name: "reminders count for nothing",
			records: []paging.Record{reminderRec("2026-0042", 50, night, "alice"), pageRec("2026-0043", 0, night, "bob"),
				reminderRec("2026-0043", 80, night.Add(time.Hour), "carol")},
			acks: []paging.Ack{ackOf("2026-0043", "bob", night.Add(mins(1)))},
			want: want{paged: 1, acked: 1, median: mins(1), worst: mins(1), never: []string{}, cases: []string{"2026-0043"}}},
		{name: "an acknowledgement before the first page counts as zero",
			records: []paging.Record{pageRec("I-5", 0, night, "alice")},
			acks:    []paging.Ack{ackOf("I-5", "alice", night.Add(-mins(1)))},
			want:    want{paged: 1, acked: 1, never: []string{}, cases: []string{"I-5"}}},
		{name: "records out of order and one recorded twice: the earliest is the first page",
			records: []paging.Record{pageRec("I-6", 1, night.Add(mins(5)), "bob"), pageRec("I-6", 0, night.Add(mins(1)), "alice"), pageRec("I-6", 0, night, "alice")},
			acks:    []paging.Ack{ackOf("I-6", "bob", night.Add(mins(7))), ackOf("I-6", "alice", night.Add(mins(9)))},
			want:    want{paged: 1, acked: 1, escalated: 1, median: mins(7), worst: mins(7), never: []string{}, cases: []string{"I-6"}}},
		{name: "an intake and the case received from it are two: the case's acknowledgement is not the intake's",
			records: []paging.Record{pageRec("I-3", 0, night, "carol")},
			acks:    []paging.Ack{ackOf("2026-0009", "carol", night.Add(mins(2)))},
			want:    want{paged: 1, never: []string{"carol"}, cases: []string{"I-3"}}},
		{name: "the median of two is the shorter, the worst the longer",
			records: []paging.Record{pageRec("I-1", 0, night, "alice"), pageRec("I-2", 0, night.Add(time.Hour), "bob")},
			acks:    []paging.Ack{ackOf("I-1", "alice", night.Add(mins(8))), ackOf("I-2", "bob", night.Add(time.Hour+mins(2)))},
			want:    want{paged: 2, acked: 2, median: mins(2), worst: mins(8), never: []string{}, cases: []string{"I-1", "I-2"}}},
		{name: "the median of three is the middle one; of four the second",
			records: []paging.Record{pageRec("I-1", 0, night, "a"), pageRec("I-2", 0, night, "a"), pageRec("I-3", 0, night, "a"), pageRec("I-4", 0, night.Add(-time.Hour), "a")},
			acks: []paging.Ack{ackOf("I-1", "a", night.Add(mins(1))), ackOf("I-2", "a", night.Add(mins(5))), ackOf("I-3", "a", night.Add(mins(9))),
				ackOf("I-4", "a", night.Add(-time.Hour+mins(2)))},
			want: want{paged: 4, acked: 4, median: mins(2), worst: mins(9), never: []string{}, cases: []string{"I-4", "I-1", "I-2", "I-3"}}},
		{name: "a member who acknowledged one case they were paged for is not listed for another",
			records: []paging.Record{pageRec("I-1", 0, night, "alice"), pageRec("I-2", 0, night.Add(time.Hour), "alice")},
			acks:    []paging.Ack{ackOf("I-2", "alice", night.Add(time.Hour+mins(1)))},
			want:    want{paged: 2, acked: 1, median: mins(1), worst: mins(1), never: []string{}, cases: []string{"I-1", "I-2"}}},
		{name: "acknowledging a case one was not paged for does not count as acknowledging one's own",
			records: []paging.Record{pageRec("I-1", 0, night, "alice"), pageRec("I-2", 0, night, "bob")},
			acks:    []paging.Ack{ackOf("I-2", "alice", night.Add(mins(1)))},
			want:    want{paged: 2, acked: 1, median: mins(1), worst: mins(1), never: []string{"alice", "bob"}, cases: []string{"I-1", "I-2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := paging.Measure(tc.records, tc.acks, from, until)
			got := want{f.Paged, f.Acknowledged, f.Escalated, time.Duration(f.MedianToAck), time.Duration(f.WorstToAck), f.NeverAcknowledged, nil}
			for _, c := range f.Cases {
				got.cases = append(got.cases, c.Case.String())
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			checkFigures(t, f)
		})
	}
}

// Of two acknowledgements at the same instant, the smaller member ID's
// is the case's, as Next has it.
func TestMeasureAckTie(t *testing.T) {
	night := at("2026-11-28 02:10:00")
	f := paging.MeasureMonth([]paging.Record{pageRec("I-3", 0, night, "carol", "bob")},
		[]paging.Ack{ackOf("I-3", "carol", night.Add(time.Minute)), ackOf("I-3", "bob", night.Add(time.Minute))}, 2026, time.November)
	if len(f.Cases) != 1 || f.Cases[0].AckBy != "bob" || f.NeverAcknowledged == nil || len(f.NeverAcknowledged) != 0 {
		t.Fatalf("%+v", f)
	}
}

// MeasureMonth's month is Brussels's: from midnight, winter time, to the
// next month's midnight.
func TestMeasureMonth(t *testing.T) {
	for _, tc := range []struct {
		name        string
		year        int
		month       time.Month
		from, until string
	}{
		{"November, winter time", 2026, time.November, "2026-11-01 00:00:00 +01:00", "2026-12-01 00:00:00 +01:00"},
		{"October, across the change", 2026, time.October, "2026-10-01 00:00:00 +02:00", "2026-11-01 00:00:00 +01:00"},
		{"December, into the next year", 2026, time.December, "2026-12-01 00:00:00 +01:00", "2027-01-01 00:00:00 +01:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := paging.MeasureMonth(nil, nil, tc.year, tc.month)
			if show(f.From) != tc.from || show(f.Until) != tc.until {
				t.Errorf("%s to %s", show(f.From), show(f.Until))
			}
		})
	}
	// A page at 23:59:59 on 31 October, summer time gone, is October's.
	r := pageRec("I-1", 0, at("2026-10-31 23:59:59"), "alice")
	if oct, nov := paging.MeasureMonth([]paging.Record{r}, nil, 2026, time.October), paging.MeasureMonth([]paging.Record{r}, nil, 2026, time.November); oct.Paged != 1 || nov.Paged != 0 {
		t.Errorf("October %d, November %d", oct.Paged, nov.Paged)
	}
}

// The figures as text: in each language, and in the pseudo-locale
// nothing but data outside the catalogue's runs.
func TestFiguresText(t *testing.T) {
	night := at("2026-11-28 02:10:00")
	records := []paging.Record{pageRec("I-3", 0, night, "carol"), pageRec("I-3", 1, night.Add(5*time.Minute), "alice"),
		pageRec("I-3", 2, night.Add(10*time.Minute), "bob")}
	acks := []paging.Ack{ackOf("I-3", "bob", night.Add(13*time.Minute+7*time.Second))}
	for _, tc := range []struct {
		name          string
		records       []paging.Record
		acks          []paging.Ack
		english, data []string
	}{
		{"acknowledged after escalation", records, acks,
			[]string{"1 case or intake paged, 1 acknowledged, 1 needed escalation.", "median 13m7s, worst 13m7s.", "Paged, never acknowledged: alice, carol."},
			[]string{"13m7s", "alice, carol", "1"}},
		{"nothing acknowledged", records, nil,
			[]string{"1 case or intake paged, 0 acknowledged, 1 needed escalation.", "Time to acknowledge: nothing was acknowledged.", "never acknowledged: alice, bob, carol."},
			[]string{"alice, bob, carol", "1", "0"}},
		{"everyone acknowledged", records[:1], []paging.Ack{ackOf("I-3", "carol", night.Add(time.Minute))},
			[]string{"Every member paged acknowledged at least once."}, []string{"1m", "1", "0"}},
		{"nothing paged", nil, nil, []string{"no case was paged."}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := paging.MeasureMonth(tc.records, tc.acks, 2026, time.November)
			texts := map[string]bool{}
			for _, tag := range paging.Languages() {
				s := f.Text(tag)
				if strings.Contains(s, "%!") || !strings.Contains(s, timesync.FromTime(f.From).Display(tag)) {
					t.Errorf("%s: %q", tag, s)
				}
				texts[s] = true
			}
			if len(texts) != len(paging.Languages()) {
				t.Errorf("%d different texts for %d languages", len(texts), len(paging.Languages()))
			}
			en := f.Text(language.English)
			for _, w := range tc.english {
				if !strings.Contains(en, w) {
					t.Errorf("the English text lacks %q:\n%s", w, en)
				}
			}
			data := map[string]bool{show(f.From): true, show(f.Until): true}
			for _, d := range tc.data {
				data[d] = true
			}
			for _, run := range unmarked(f.Text(i18n.Pseudo())) {
				if !data[run] {
					t.Errorf("the text holds %q outside the catalogue", run)
				}
			}
		})
	}
}

// The figures as JSON: the period, the counts, the durations as a policy
// writes them, the members, and each case.
func TestFiguresJSON(t *testing.T) {
	night := at("2026-11-28 02:10:00")
	f := paging.MeasureMonth([]paging.Record{pageRec("I-3", 0, night, "carol"), pageRec("I-3", 1, night.Add(5*time.Minute), "alice")},
		[]paging.Ack{ackOf("I-3", "alice", night.Add(7*time.Minute+30*time.Second))}, 2026, time.November)
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"from":"2026-11-01T00:00:00+01:00","until":"2026-12-01T00:00:00+01:00","paged":1,"acknowledged":1,"escalated":1,` +
		`"median_to_ack":"7m30s","worst_to_ack":"7m30s","never_acknowledged":["carol"],` +
		`"cases":[{"case":"I-3","first_page":"2026-11-28T02:10:00+01:00","last_step":1,"paged":["carol","alice"],` +
		`"acknowledged_by":"alice","acknowledged_at":"2026-11-28T02:17:30+01:00","to_acknowledge":"7m30s"}]}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	var back paging.Figures
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if b2, _ := json.Marshal(back); string(b2) != want {
		t.Fatalf("read back as %s", b2)
	}
	empty, _ := json.Marshal(paging.MeasureMonth(nil, nil, 2026, time.November))
	if !strings.Contains(string(empty), `"never_acknowledged":[],"cases":[]`) {
		t.Fatalf("no case: %s", empty)
	}
}

// checkFigures checks what any figures must satisfy: the counts agree with
// the cases, the median lies between the shortest and the worst, the
// members never acknowledging are exactly those paged for cases of the
// period who acknowledged none of them.
func checkFigures(t interface {
	Helper()
	Fatalf(string, ...any)
}, f paging.Figures) {
	t.Helper()
	acked, escalated := 0, 0
	var times []paging.Duration
	pagedFor := map[string][]paging.CaseFigures{}
	for i, c := range f.Cases {
		if c.FirstPage.Before(f.From) || !c.FirstPage.Before(f.Until) {
			t.Fatalf("case %s first paged at %v, outside the period", c.Case, c.FirstPage)
		}
		if i > 0 && c.FirstPage.Before(f.Cases[i-1].FirstPage) {
			t.Fatalf("cases out of order")
		}
		if c.Acknowledged() {
			acked++
			times = append(times, c.ToAck)
			if want := max(c.AckAt.Sub(c.FirstPage), 0); time.Duration(c.ToAck) != want {
				t.Fatalf("case %s: %v to acknowledge, acknowledged at %v after a first page at %v", c.Case, c.ToAck, c.AckAt, c.FirstPage)
			}
		} else if c.ToAck != 0 || !c.AckAt.IsZero() {
			t.Fatalf("case %s: a time to acknowledge without an acknowledgement", c.Case)
		}
		if c.Escalated() {
			escalated++
		}
		if len(c.Paged) == 0 {
			t.Fatalf("case %s: nobody paged", c.Case)
		}
		for _, m := range c.Paged {
			pagedFor[m] = append(pagedFor[m], c)
		}
	}
	if f.Paged != len(f.Cases) || f.Acknowledged != acked || f.Escalated != escalated || acked > f.Paged || escalated > f.Paged {
		t.Fatalf("counts: paged %d acknowledged %d escalated %d for %d cases, %d acknowledged, %d escalated", f.Paged, f.Acknowledged, f.Escalated, len(f.Cases), acked, escalated)
	}
	if len(times) == 0 {
		if f.MedianToAck != 0 || f.WorstToAck != 0 {
			t.Fatalf("a median or worst without acknowledgement")
		}
	} else if lo, hi := slices.Min(times), slices.Max(times); f.MedianToAck < lo || f.MedianToAck > f.WorstToAck || f.WorstToAck != hi {
		t.Fatalf("median %v, worst %v for times from %v to %v", f.MedianToAck, f.WorstToAck, lo, hi)
	}
	if !slices.IsSorted(f.NeverAcknowledged) || len(slices.Compact(slices.Clone(f.NeverAcknowledged))) != len(f.NeverAcknowledged) {
		t.Fatalf("never acknowledged not sorted or repeated: %v", f.NeverAcknowledged)
	}
	for _, m := range f.NeverAcknowledged {
		if len(pagedFor[m]) == 0 {
			t.Fatalf("%s listed, never paged", m)
		}
	}
}

// Properties over drawn records and acknowledgements: the figures hold
// together (checkFigures), a member listed never acknowledged any case
// they were paged for and one not listed did, and two adjacent periods
// count what their union counts.
func TestMeasureProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := at("2026-11-01 00:00:00")
		span := int64(30 * 24 * time.Hour / time.Second)
		members := []string{"alice", "bob", "carol", "dan"}
		cases := []string{"I-1", "I-2", "I-3", "2026-0001", "2026-0002", "2026-0003"}
		instant := func(label string) time.Time {
			return base.Add(time.Duration(rapid.Int64Range(-span/4, span+span/4).Draw(t, label)) * time.Second)
		}
		var records []paging.Record
		for range rapid.IntRange(0, 20).Draw(t, "records") {
			c := rapid.SampledFrom(cases).Draw(t, "case")
			ms := rapid.SliceOfNDistinct(rapid.SampledFrom(members), 1, 3, func(s string) string { return s }).Draw(t, "members")
			if rapid.IntRange(0, 5).Draw(t, "reminder") == 0 {
				records = append(records, reminderRec(c, 50, instant("at"), ms...))
			} else {
				records = append(records, pageRec(c, rapid.IntRange(0, 3).Draw(t, "step"), instant("at"), ms...))
			}
		}
		var acks []paging.Ack
		for range rapid.IntRange(0, 10).Draw(t, "acks") {
			acks = append(acks, ackOf(rapid.SampledFrom(cases).Draw(t, "case"), rapid.SampledFrom(members).Draw(t, "member"), instant("at")))
		}
		from, until := base, base.Add(time.Duration(span)*time.Second)
		f := paging.Measure(records, acks, from, until)
		checkFigures(t, f)

		ackedBy := map[string]map[string]bool{}
		for _, a := range acks {
			if ackedBy[a.Member] == nil {
				ackedBy[a.Member] = map[string]bool{}
			}
			ackedBy[a.Member][a.Case.String()] = true
		}
		for _, m := range members {
			var paged, acked bool
			for _, c := range f.Cases {
				if slices.Contains(c.Paged, m) {
					paged = true
					acked = acked || ackedBy[m][c.Case.String()]
				}
			}
			if listed := slices.Contains(f.NeverAcknowledged, m); listed != (paged && !acked) {
				t.Fatalf("%s: listed %v, paged %v, acknowledged %v", m, listed, paged, acked)
			}
		}

		mid := base.Add(time.Duration(rapid.Int64Range(0, span).Draw(t, "mid")) * time.Second)
		a, b := paging.Measure(records, acks, from, mid), paging.Measure(records, acks, mid, until)
		if a.Paged+b.Paged != f.Paged || a.Acknowledged+b.Acknowledged != f.Acknowledged || a.Escalated+b.Escalated != f.Escalated {
			t.Fatalf("split at %v: %d+%d paged, %d+%d acknowledged, %d+%d escalated; whole: %d, %d, %d", mid,
				a.Paged, b.Paged, a.Acknowledged, b.Acknowledged, a.Escalated, b.Escalated, f.Paged, f.Acknowledged, f.Escalated)
		}
		if max(a.WorstToAck, b.WorstToAck) != f.WorstToAck {
			t.Fatalf("worst %v and %v, whole %v", a.WorstToAck, b.WorstToAck, f.WorstToAck)
		}
	})
}
