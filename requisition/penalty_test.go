package requisition_test

import (
	"errors"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
)

func TestPenalties(t *testing.T) {
	ids := map[string]bool{}
	editions := map[string][]requisition.Penalty{}
	for _, p := range requisition.Penalties() {
		for _, e := range editions[p.ID] {
			if overlap(e.Source, p.Source) {
				t.Errorf("duplicate penalty %s: two editions in force on one day", p.ID)
			}
		}
		editions[p.ID] = append(editions[p.ID], p)
		ids[p.ID] = true
		if p.Source.Instrument == "" || p.Conduct == "" {
			t.Errorf("%s: no source or conduct", p.ID)
		}
		if p.FineMin > p.FineMax || p.PrisonMinMonths > p.PrisonMaxMonths {
			t.Errorf("%s: bounds reversed", p.ID)
		}
		_, _, err := p.FineWithSurcharge(big.NewRat(1, 1))
		if !p.Known && !errors.Is(err, requisition.ErrUnknownAmount) {
			t.Errorf("%s: unknown amounts priced: %v", p.ID, err)
		}
	}
	for _, want := range []string{"88bis-refusal", "88quater-refusal", "secrecy-breach", "destroying-retained-data", "not-retaining"} {
		if !ids[want] {
			t.Errorf("missing penalty %s", want)
		}
	}
	p, _ := requisition.LookupPenalty("88quater-refusal", date.New(2015, 6, 1))
	if p.FineMin != 26 || p.FineMax != 20_000 || p.PrisonMinMonths != 6 || p.PrisonMaxMonths != 12 || !p.Either {
		t.Errorf("88quater §3 = %+v; want 6 months to 1 year and/or 26 to 20,000 (seed text)", p)
	}
	if _, _, err := p.FineWithSurcharge(new(big.Rat)); !errors.Is(err, requisition.ErrSurcharge) {
		t.Errorf("factor 0: %v", err)
	}
	if _, ok := requisition.LookupPenalty("nope", date.New(2026, 1, 1)); ok {
		t.Error("found a penalty that does not exist")
	}
}

// overlap reports whether two sources are in force on a common day.
func overlap(a, b provenance.Source) bool {
	aEnd, bEnd := a.Until, b.Until
	if aEnd == 0 {
		aEnd = date.New(9999, 1, 1)
	}
	if bEnd == 0 {
		bEnd = date.New(9999, 1, 1)
	}
	return a.From < bEnd && b.From < aEnd
}

// The penalty is the one in force on the day of the facts: a refusal of
// an 88quater order in 2015 risks one year, in 2018 three (after the law
// of 25 December 2016), each with its edition and source.
func TestPenaltyByDateOfFacts(t *testing.T) {
	for _, tc := range []struct {
		name      string
		facts     date.Date
		found     bool
		prisonMax int
		known     bool
		certainty provenance.Certainty
	}{
		{"facts of 2015", date.New(2015, 6, 1), true, 12, true, provenance.Verified},
		{"the eve of the law of 29 May 2016", requisition.Law2016RetentionInForce() - 1, true, 12, true, provenance.Verified},
		{"that law's first day: the text is not known", requisition.Law2016RetentionInForce(), false, 0, false, 0},
		{"the eve of the law of 25 December 2016", requisition.Law2016InForce() - 1, false, 0, false, 0},
		{"its first day", requisition.Law2016InForce(), true, 36, false, provenance.Secondary},
		{"facts of 2018", date.New(2018, 6, 1), true, 36, false, provenance.Secondary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := requisition.LookupPenalty("88quater-refusal", tc.facts)
			if ok != tc.found {
				t.Fatalf("found %v, want %v: %+v", ok, tc.found, p)
			}
			if ok && (p.PrisonMaxMonths != tc.prisonMax || p.Known != tc.known || p.Source.Certainty != tc.certainty || !p.Source.InForce(tc.facts)) {
				t.Errorf("%+v", p)
			}
		})
	}
}

// The décimes additionnels of the Yahoo case: 10,000 × 5.5 = 55,000 exactly
// (fact sheet §4.2), which an integer factor could not express.
func TestSurchargeDecimalFactor(t *testing.T) {
	p, _ := requisition.LookupPenalty("88bis-refusal", date.New(2015, 6, 1))
	for _, tc := range []struct{ name, factor, lo, hi string }{
		{"the Yahoo factor", "5.5", "143.00", "55000.00"},
		{"a whole factor", "8", "208.00", "80000.00"},
		{"a factor with cents", "6.25", "162.50", "62500.00"},
		{"a fraction", "10/3", "86.67", "33333.33"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := new(big.Rat).SetString(tc.factor)
			if !ok {
				t.Fatal("bad factor")
			}
			before := new(big.Rat).Set(f)
			lo, hi, err := p.FineWithSurcharge(f)
			if err != nil || lo.FloatString(2) != tc.lo || hi.FloatString(2) != tc.hi || f.Cmp(before) != 0 {
				t.Fatalf("× %s = %v..%v, %v", tc.factor, lo, hi, err)
			}
		})
	}
}

// Property: the surcharge multiplies both bounds exactly.
func TestSurchargeProperty(t *testing.T) {
	known := []requisition.Penalty{}
	for _, p := range requisition.Penalties() {
		if p.Known && p.FineMax > 0 {
			known = append(known, p)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SampledFrom(known).Draw(t, "penalty")
		// A factor of 1 to 1000 with up to two decimals, as n/100.
		n := rapid.Int64Range(100, 100_000).Draw(t, "factor_hundredths")
		f := big.NewRat(n, 100)
		lo, hi, err := p.FineWithSurcharge(f)
		if err != nil {
			t.Fatal(err)
		}
		// Exact: fine × n / 100, checked in integer cents.
		if c := new(big.Rat).Mul(lo, big.NewRat(100, 1)); !c.IsInt() || c.Num().Int64() != p.FineMin*n {
			t.Fatalf("%s × %v: minimum %v", p.ID, f, lo)
		}
		if c := new(big.Rat).Mul(hi, big.NewRat(100, 1)); !c.IsInt() || c.Num().Int64() != p.FineMax*n {
			t.Fatalf("%s × %v: maximum %v", p.ID, f, hi)
		}
		if lo.Cmp(hi) > 0 {
			t.Fatalf("%s: %v > %v", p.ID, lo, hi)
		}
	})
}

func TestOffences(t *testing.T) {
	for _, id := range []string{"penal-347bis", "penal-470", "telecom-145-3", "telecom-145-3bis", "90ter-terrorism"} {
		o, ok := requisition.LookupOffence(id)
		if !ok || o.Source.Instrument == "" {
			t.Errorf("%s: %+v %v", id, o, ok)
		}
	}
	o, _ := requisition.LookupOffence("penal-347bis")
	if !o.In(requisition.ListNoConfirmation) || !o.In(requisition.List90ter) || o.In(requisition.ListPlaintiff) {
		t.Errorf("347bis lists: %v", o.Lists)
	}
}

// The brochure's figures are given from the day they were seen in force,
// never for facts before it, whose text is not known.
func TestBrochurePenaltiesDated(t *testing.T) {
	for _, id := range []string{"destroying-retained-data", "not-retaining", "late-or-refused-cooperation"} {
		if p, ok := requisition.LookupPenalty(id, date.New(2005, 6, 1)); ok {
			t.Errorf("%s for facts of 2005: %+v", id, p)
		}
		if _, ok := requisition.LookupPenalty(id, date.New(2021, 2, 10)); !ok {
			t.Errorf("%s for facts of 10 February 2021: not found", id)
		}
	}
}
