package register

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/ccjkit/ccjkit/requisition"
)

// statsKind is one kind of case for the brute-force check: its measure,
// authority and how it stands.
type statsKind struct {
	m  requisition.Measure
	a  requisition.Authority
	d  Disposition
	tl Timeliness // for answered cases
}

// tallyOfKinds counts a multiset of case kinds as tallyOf counts cases.
func tallyOfKinds(kinds []statsKind) tally {
	t := tally{cases: len(kinds), byMeasure: make([]int, len(requisition.Measures())),
		byAuth: make([]int, len(requisition.Authorities())), byDisposal: make([]int, len(Dispositions())),
		times: map[requisition.Measure][]answered{}}
	for _, k := range kinds {
		t.byMeasure[slices.Index(requisition.Measures(), k.m)]++
		t.byAuth[slices.Index(requisition.Authorities(), k.a)]++
		t.byDisposal[slices.Index(Dispositions(), k.d)]++
		if k.d == DispositionAnswered {
			t.times[k.m] = append(t.times[k.m], answered{3600, k.tl})
		}
	}
	return t
}

// cells returns every published count of s with its true value in t,
// keyed by where it is published.
func cells(s Statistics, t tally) map[string]struct {
	c Count
	v int
} {
	out := map[string]struct {
		c Count
		v int
	}{}
	add := func(key string, c Count, v int) {
		out[key] = struct {
			c Count
			v int
		}{c, v}
	}
	add("cases", s.Cases, t.cases)
	for i, r := range s.ByMeasure {
		add("measure/"+r.Key, r.Count, t.byMeasure[i])
	}
	for i, r := range s.ByAuthority {
		add("authority/"+r.Key, r.Count, t.byAuth[i])
	}
	for i, r := range s.ByOutcome {
		add("outcome/"+r.Key, r.Count, t.byDisposal[i])
	}
	for i, m := range requisition.Measures() {
		r := s.Responses[i]
		list := t.times[m]
		add("answered/"+m.String(), r.Answered, len(list))
		var tl [3]int
		for _, a := range list {
			tl[slices.Index([]Timeliness{OnTime, Late, NoFixedDue}, a.tl)]++
		}
		add("on-time/"+m.String(), r.OnTime, tl[0])
		add("late/"+m.String(), r.Late, tl[1])
		add("no-deadline/"+m.String(), r.NoFixedDue, tl[2])
	}
	return out
}

// Property, by brute force: over every register of up to six cases drawn
// from two measures, two authorities and four ways a case stands, no
// count below the threshold that a withheld period hides (with its total
// or without) can be worked out from what it publishes, even by a reader
// who knows the algorithm: every tally that publishes the same is a
// possible truth, and a hidden count that takes one small value in all of
// them is given away.
func TestWithheldTotalProperty(t *testing.T) {
	const th = 3
	var kinds []statsKind
	for _, m := range []requisition.Measure{requisition.Identification, requisition.TrafficLocation} {
		for _, a := range []requisition.Authority{requisition.ProcureurDuRoi, requisition.JugeInstruction} {
			kinds = append(kinds,
				statsKind{m, a, DispositionAnswered, OnTime}, statsKind{m, a, DispositionAnswered, Late},
				statsKind{m, a, DispositionOpen, ""}, statsKind{m, a, DispositionContested, ""})
		}
	}
	published := map[string][]tally{}
	stats := map[string]Statistics{}
	var multisets func(start, left int, acc []statsKind)
	multisets = func(start, left int, acc []statsKind) {
		if len(acc) > 0 {
			tl := tallyOfKinds(acc)
			s := statsOf(tl, th)
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			published[string(b)] = append(published[string(b)], tl)
			stats[string(b)] = s
		}
		if left == 0 {
			return
		}
		for i := start; i < len(kinds); i++ {
			multisets(i, left-1, append(acc, kinds[i]))
		}
	}
	multisets(0, 6, nil)
	withheldTotals := 0
	for key, worlds := range published {
		s := stats[key]
		if !s.Withheld {
			// The breakdown mode is checked against a reader who knows
			// the published constraints (TestSuppressProperties), not yet
			// against one who also knows which tallies the algorithm
			// would have published otherwise: see docs/security.md.
			continue
		}
		if _, shown := s.Cases.Value(); shown {
			withheldTotals++
		}
		values := map[string]map[int]bool{}
		for _, w := range worlds {
			for k, c := range cells(s, w) {
				if values[k] == nil {
					values[k] = map[int]bool{}
				}
				values[k][c.v] = true
			}
		}
		for k, c := range cells(s, worlds[0]) {
			if _, shown := c.c.Value(); shown {
				continue
			}
			if vs := values[k]; len(vs) == 1 {
				for v := range vs {
					if v > 0 && v < th {
						t.Fatalf("%s is hidden (%s) but every register publishing the same has %d there\n%s", k, c.c, v, s.CSV())
					}
				}
			}
		}
	}
	if withheldTotals == 0 {
		t.Fatal("no withheld period kept its total: the check checked nothing of that mode")
	}
	t.Logf("%d distinct publications, %d withheld with their total", len(published), withheldTotals)
}
