package register_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Suppression never shows a small count, never shows a wrong one, and
// never leaves a hidden count that the shown ones and the published sum
// pin down: checked by brute force over every assignment a reader could
// make ("< N" in [1, N-1], "c" at least N).
func TestSuppressProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		counts := rapid.SliceOfN(rapid.IntRange(0, 9), 1, 5).Draw(t, "counts")
		th := rapid.IntRange(3, 5).Draw(t, "threshold")
		out, ok := register.Suppress(counts, th)
		sum := 0
		var hidden []int
		for i, c := range out {
			sum += counts[i]
			v, shown := c.Value()
			switch {
			case shown && v != counts[i]:
				t.Fatalf("count %d shown as %d", counts[i], v)
			case shown && counts[i] > 0 && counts[i] < th:
				t.Fatalf("count %d shown under threshold %d", counts[i], th)
			case !shown:
				if v != 0 {
					t.Fatalf("a hidden count keeps its value %d", v)
				}
				hidden = append(hidden, i)
			}
		}
		if sum < th {
			return
		}
		if !ok {
			for i, n := range counts {
				if v, shown := out[i].Value(); n > 0 && shown {
					t.Fatalf("an unsafe table still shows %d", v)
				}
			}
			return // the caller withholds the total
		}
		rest := sum
		for i := range counts {
			if v, shown := out[i].Value(); shown {
				rest -= v
			}
		}
		// Every assignment of the hidden cells a reader could make.
		seen := make([]map[int]bool, len(hidden))
		for k := range seen {
			seen[k] = map[int]bool{}
		}
		vals := make([]int, len(hidden))
		var try func(k, left int)
		try = func(k, left int) {
			if k == len(hidden) {
				if left == 0 {
					for j, v := range vals {
						seen[j][v] = true
					}
				}
				return
			}
			lo, hi := 1, th-1
			if out[hidden[k]].Hidden == "c" {
				lo, hi = th, left
			}
			for v := lo; v <= hi && v <= left; v++ {
				vals[k] = v
				try(k+1, left-v)
			}
		}
		try(0, rest)
		for k, i := range hidden {
			if len(seen[k]) < 2 {
				t.Fatalf("counts %v, threshold %d, published %v: count %d is pinned to %v", counts, th, out, i, seen[k])
			}
		}
	})
}

// The nearest-rank percentile is a value of the list, with at least p %
// of the values at or below it and fewer than p % strictly below.
func TestNearestRankProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		xs := rapid.SliceOfN(rapid.Int64Range(0, 1000), 1, 50).Draw(t, "xs")
		p := rapid.IntRange(1, 100).Draw(t, "p")
		slices.Sort(xs)
		v := register.NearestRank(xs, p)
		if !slices.Contains(xs, v) {
			t.Fatalf("%d is not in the list", v)
		}
		atOrBelow, below := 0, 0
		for _, x := range xs {
			if x <= v {
				atOrBelow++
			}
			if x < v {
				below++
			}
		}
		if atOrBelow*100 < p*len(xs) || below*100 >= p*len(xs) {
			t.Fatalf("p%d of %v = %d", p, xs, v)
		}
	})
}

// statsRegister fills a register with a month of cases: seven
// identifications answered after 1 to 7 hours (the sixth late), one
// interception answered, two traffic-data orders contested, and one
// identification of the month before.
func statsRegister(t *testing.T) *register.Register {
	clock := timesynctest.NewClock(at("2026-12-20 12:00").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	n := 0
	add := func(req requisition.Requisition, answerAfter time.Duration, contest bool) {
		n++
		id := fmt.Sprintf("2026-%04d", n)
		if _, err := reg.Receive(id, req, "alice", goodClock); err != nil {
			t.Fatal(err)
		}
		reg.Apply(id, register.Acknowledge, "alice", goodClock, "")
		if contest {
			reg.Apply(id, register.Contest, "alice", goodClock, "no legal basis given")
			return
		}
		reg.Apply(id, register.CheckLawful, "alice", goodClock, "")
		if _, err := reg.Answer(id, delivery(req.Received.Add(answerAfter)), "alice", goodClock); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 7; i++ {
		req := sampleRequisition()
		req.Received = at(fmt.Sprintf("2026-11-%02d 10:00", i))
		req.Response.Stated = req.Received.Add(5*time.Hour + 30*time.Minute)
		add(req, time.Duration(i)*time.Hour, false)
	}
	icpt := sampleRequisition()
	icpt.Measure, icpt.Authority, icpt.Received = requisition.Interception, requisition.JugeInstruction, at("2026-11-10 08:00")
	icpt.Response = requisition.ResponsePolicy{Kind: requisition.Immediately}
	add(icpt, 90*time.Second, false)
	for i := range 2 {
		tr := sampleRequisition()
		tr.Measure, tr.Received = requisition.TrafficLocation, at(fmt.Sprintf("2026-11-%02d 09:00", 20+i))
		add(tr, 0, true)
	}
	old := sampleRequisition()
	old.Received, old.Response.Stated = at("2026-10-31 23:59:59"), at("2026-11-02 10:00")
	add(old, time.Hour, false)
	return reg
}

func TestStatistics(t *testing.T) {
	reg := statsRegister(t)
	s := reg.Statistics(at("2026-11-01 00:00").Time(), at("2026-12-01 00:00").Time(), register.StatsOptions{})
	counts := func(rows []register.Row) map[string]string {
		m := map[string]string{}
		for _, r := range rows {
			m[r.Key] = r.Count.String()
		}
		return m
	}
	if s.Cases.String() != "10" {
		t.Errorf("cases: %s", s.Cases)
	}
	// Interception 1 and traffic 2 are below 3: two hidden counts, so no
	// secondary suppression is needed.
	if diff := cmp.Diff(map[string]string{"identification": "7", "traffic-location": "< 3", "interception": "< 3", "extended-search": "0", "cooperation": "0"}, counts(s.ByMeasure)); diff != "" {
		t.Errorf("by measure:\n%s", diff)
	}
	// The juge d'instruction's single order is hidden, and so is the
	// procureur's 9, which with the total would give it back.
	if diff := cmp.Diff(map[string]string{"juge-instruction": "< 3", "procureur-du-roi": "c", "auditeur-du-travail": "0", "officier-police-judiciaire": "0"}, counts(s.ByAuthority)); diff != "" {
		t.Errorf("by authority:\n%s", diff)
	}
	// Contested 2 is hidden; answered 8 with it, or the total gives it.
	if got := counts(s.ByOutcome); got["answered"] != "c" || got["contested"] != "< 3" || got["open"] != "0" {
		t.Errorf("by outcome: %v", got)
	}
	ident := s.Responses[slices.IndexFunc(s.Responses, func(r register.ResponseRow) bool { return r.Measure == "identification" })]
	// The outcome table hides counts (contested 2), so the answered counts
	// by measure are not published at all ("x", zeros included), nor
	// their times: beside the counts by measure they would give the
	// contested ones back.
	if ident.Answered.String() != "x" || ident.Times != nil || ident.OnTime.String() != "x" || ident.Late.String() != "x" || ident.NoFixedDue.String() != "x" {
		t.Errorf("identification times: %+v %+v", ident, ident.Times)
	}
	icpt := s.Responses[slices.IndexFunc(s.Responses, func(r register.ResponseRow) bool { return r.Measure == "interception" })]
	if icpt.Times != nil || icpt.Answered.String() != "x" {
		t.Errorf("a hidden row shows its times: %+v", icpt)
	}
	all := s.Responses[len(s.Responses)-1]
	// The "all" row shows the answered outcome as published there, and
	// the times of its eight answers (1 to 7 hours and 90 seconds:
	// median 3 h, worst 7 h); not how they stood against their deadlines.
	want := register.Times{Median: 3 * 3600, P95: 7 * 3600, Worst: 7 * 3600}
	if all.Measure != "all" || all.Answered.String() != "c" || all.Times == nil || *all.Times != want || all.Late.String() != "x" {
		t.Errorf("all: %+v %+v", all, all.Times)
	}

	// No case identifier, reference or target in any rendering.
	js, _ := json.Marshal(s)
	for name, out := range map[string]string{"JSON": string(js), "CSV": string(s.CSV()), "text": s.Text(language.French)} {
		for _, secret := range []string{"2026-00", secretRef, secretAddr} {
			if strings.Contains(out, secret) {
				t.Errorf("%s shows %q", name, secret)
			}
		}
	}
	if !strings.Contains(string(js), `"by_measure":[{"key":"identification","count":{"value":7,"text":"7"}},{"key":"traffic-location","count":{"value":null,"text":"\u003c 3"}}`) {
		t.Errorf("JSON: %s", js)
	}
	assertTranslated(t, func(tag language.Tag) string { return s.Text(tag) })

	// Threshold 1 shows every count.
	s1 := reg.Statistics(at("2026-11-01 00:00").Time(), at("2026-12-01 00:00").Time(), register.StatsOptions{Threshold: 1})
	if got := counts(s1.ByAuthority); got["juge-instruction"] != "1" || got["procureur-du-roi"] != "9" {
		t.Errorf("threshold 1: %v", got)
	}
}

func ExampleRegister_Statistics() {
	alice, _ := register.NewIdentity("alice", register.RoleMember)
	dir, _ := os.MkdirTemp("", "register")
	defer os.RemoveAll(dir)
	clock := timesynctest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	reg, _, _ := register.Open(filepath.Join(dir, "ccj.journal"), register.Config{
		Clock: clock, Identity: alice, Found: true})
	defer reg.Close()
	// Four identifications in November, answered after 20, 40, 60 and 80
	// minutes, each within the 24 hours the requisition gave.
	for i := range 4 {
		received := timesync.FromTime(time.Date(2026, 11, 2+i, 9, 0, 0, 0, time.UTC)) // 10:00 in Brussels
		req := requisition.Requisition{Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
			Items: []requisition.Item{requisition.ItemIdentity}, Received: received, Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: received.Add(24 * time.Hour)}}
		id := fmt.Sprintf("2026-%04d", i+1)
		reg.Receive(id, req, "alice", timesync.Verdict{})
		reg.Apply(id, register.Acknowledge, "alice", timesync.Verdict{}, "")
		reg.Apply(id, register.CheckLawful, "alice", timesync.Verdict{}, "")
		reg.Answer(id, register.Delivery{At: received.Add(time.Duration(i+1) * 20 * time.Minute), To: "police", Channel: register.ByEmail,
			Items: []requisition.Item{requisition.ItemIdentity}, WithoutResult: "looked up by the member"}, "alice", timesync.Verdict{})
	}
	s := reg.Statistics(time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), register.StatsOptions{})
	fmt.Print(string(s.CSV()))
	// Output:
	// table,key,count,median_s,p95_s,worst_s,on_time,late,no_fixed_deadline
	// cases,all,4
	// measure,identification,4
	// measure,traffic-location,0
	// measure,interception,0
	// measure,extended-search,0
	// measure,cooperation,0
	// authority,juge-instruction,0
	// authority,procureur-du-roi,4
	// authority,auditeur-du-travail,0
	// authority,officier-police-judiciaire,0
	// outcome,answered,4
	// outcome,contested,0
	// outcome,cancelled,0
	// outcome,expired,0
	// outcome,open,0
	// response,identification,4,2400,4800,4800,4,0,0
	// response,traffic-location,0,,,,0,0,0
	// response,interception,0,,,,0,0,0
	// response,extended-search,0,,,,0,0,0
	// response,cooperation,0,,,,0,0,0
	// response,all,4,2400,4800,4800,4,0,0
}

// A period too small for a breakdown still publishes its total when no
// table can be worked out from it, and says what it hid; a total that
// would pin a count (every answered measure at 1) is hidden too.
func TestStatisticsWithheldTotal(t *testing.T) {
	reg := statsRegister(t)
	for _, tc := range []struct {
		name, from, until string
		withheld          bool
		cases             string
	}{
		{"three identifications and an interception: the total is shown", "2026-11-05 00:00", "2026-11-11 00:00", true, "4"},
		{"one answer per answered measure: the total only", "2026-11-07 00:00", "2026-11-22 00:00", true, "4"},
		{"one case per measure: the total only", "2026-11-07 00:00", "2026-11-21 00:00", true, "3"},
		{"two cases: below the threshold, nothing but that", "2026-11-20 00:00", "2026-11-22 00:00", true, "< 3"},
		{"a month with a breakdown", "2026-11-01 00:00", "2026-12-01 00:00", false, "10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := reg.Statistics(at(tc.from).Time(), at(tc.until).Time(), register.StatsOptions{})
			if s.Withheld != tc.withheld || s.Cases.String() != tc.cases {
				t.Fatalf("withheld %v, cases %s; want %v, %s", s.Withheld, s.Cases, tc.withheld, tc.cases)
			}
			if !s.Withheld {
				return
			}
			for _, rows := range [][]register.Row{s.ByMeasure, s.ByAuthority, s.ByOutcome} {
				for _, r := range rows {
					if v, shown := r.Count.Value(); shown && v != 0 {
						t.Errorf("%s shows %d in a withheld period", r.Key, v)
					}
				}
			}
			for _, r := range s.Responses {
				if r.Times != nil {
					t.Errorf("%s shows response times in a withheld period", r.Measure)
				}
			}
			text := s.Text(language.English)
			if !strings.Contains(text, "Too few cases in this period") || !strings.Contains(text, "a year") {
				t.Errorf("the text does not explain the suppression:\n%s", text)
			}
		})
	}
}

// A count has one JSON shape, shown or hidden, and reads back strictly.
func TestCountJSON(t *testing.T) {
	reg := statsRegister(t)
	s := reg.Statistics(at("2026-11-01 00:00").Time(), at("2026-12-01 00:00").Time(), register.StatsOptions{})
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back register.Statistics
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.CSV(), back.CSV()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"shown", `{"value":7,"text":"7"}`, true},
		{"zero", `{"value":0,"text":"0"}`, true},
		{"below the threshold", `{"value":null,"text":"< 3"}`, true},
		{"confidential", `{"value":null,"text":"c"}`, true},
		{"value and text disagree", `{"value":7,"text":"8"}`, false},
		{"a hidden count with its value", `{"value":1,"text":"< 3"}`, false},
		{"negative", `{"value":-1,"text":"-1"}`, false},
		{"the old bare number", `7`, false},
		{"the old bare string", `"c"`, false},
		{"an unknown field", `{"value":7,"text":"7","n":7}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c register.Count
			err := json.Unmarshal([]byte(tc.in), &c)
			if (err == nil) != tc.ok {
				t.Fatalf("%s: %v", tc.in, err)
			}
			if err == nil {
				out, _ := json.Marshal(c)
				var want, got any
				json.Unmarshal([]byte(tc.in), &want)
				json.Unmarshal(out, &got)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s written back as %s", tc.in, out)
				}
			}
		})
	}
}
