package indemnity_test

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
)

func TestOverridesAreChecked(t *testing.T) {
	ex := indemnity.Executed{Service: indemnity.Interception, Executed: at("2026-01-12 10:00")}
	for name, o := range map[string]*indemnity.Overrides{
		"negative":     {Source: "s", Amounts: map[string]indemnity.Amount{"BE2017-4": indemnity.MustParseAmount("-50")}},
		"zero":         {Source: "s", Amounts: map[string]indemnity.Amount{"BE2017-4": indemnity.MustParseAmount("0")}},
		"sub-cent":     {Source: "s", Amounts: map[string]indemnity.Amount{"BE2017-4": indemnity.MustParseAmount("0.005")}},
		"unknown code": {Source: "s", Amounts: map[string]indemnity.Amount{"BE2017-04": indemnity.MustParseAmount("50")}},
		"blank source": {Source: " ", Amounts: map[string]indemnity.Amount{"BE2017-4": indemnity.MustParseAmount("50")}},
	} {
		if _, err := (indemnity.Pricer{Overrides: o}).Price(ex); !errors.Is(err, indemnity.ErrExecuted) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// An empty Overrides is no override at all.
	rt := indemnity.Executed{Service: indemnity.RealTimeObservation, Executed: at("2026-01-12 10:00")}
	if _, err := (indemnity.Pricer{Overrides: &indemnity.Overrides{}}).Price(rt); err != nil {
		t.Errorf("empty overrides: %v", err)
	}
	// Specific requests can be claimed once the operator supplies the amount.
	sp := indemnity.Executed{Service: indemnity.Specific, Executed: at("2026-01-12 10:00")}
	if _, err := (indemnity.Pricer{}).Price(sp); !errors.Is(err, indemnity.ErrUnknownAmount) {
		t.Errorf("specific without override: %v", err)
	}
	o := &indemnity.Overrides{Source: "agreement with the parquet, letter of 3 March 2026", Amounts: map[string]indemnity.Amount{"BE2017-S": indemnity.MustParseAmount("40")}}
	c, err := indemnity.NewClaim(indemnity.Header{Number: "1", Authority: "P"}, []indemnity.Executed{sp}, indemnity.ClaimOptions{Pricer: indemnity.Pricer{Overrides: o}})
	if err != nil || c.Total.String() != "40.00" || c.Lines[0].Source.Certainty.String() != "[U]" || !strings.Contains(c.Lines[0].Source.Instrument, "letter of 3 March") {
		t.Errorf("specific with override: %+v, %v", c, err)
	}
}

func TestPricingRejectsInconsistencies(t *testing.T) {
	_, err := indemnity.Pricer{}.Price(indemnity.Executed{Service: indemnity.RealTimeObservation, Ordered: at("2017-03-01 10:00"), Executed: at("2017-02-01 10:00")})
	if !errors.Is(err, indemnity.ErrExecuted) {
		t.Errorf("executed before ordered: %v", err)
	}
	_, err = indemnity.NewClaim(indemnity.Header{Number: "1", Authority: "P"}, nil, indemnity.ClaimOptions{VAT: &indemnity.Factor{Rate: indemnity.MustParseRate("21"), Source: "s"}})
	if !errors.Is(err, indemnity.ErrClaim) {
		t.Errorf("VAT of 2100%%: %v", err)
	}
	_, err = indemnity.Pricer{}.Price(indemnity.Executed{Service: indemnity.IPIdentification, Executed: at("2013-03-05 10:00")})
	if !errors.Is(err, indemnity.ErrNoLine) || !strings.Contains(err.Error(), "editions in force: none known") {
		t.Errorf("before the 2013 edition: %v", err)
	}
}

// The date basis reads correctly in every language: French elides before
// "exécution" and not before "réquisition".
func TestExplainDateBasis(t *testing.T) {
	for _, tc := range []struct {
		basis indemnity.DateBasis
		fr    string
	}{{indemnity.ByExecution, "date de l'exécution"}, {indemnity.ByOrder, "date de la réquisition"}} {
		p, err := indemnity.Pricer{Basis: tc.basis}.Price(indemnity.Executed{Service: indemnity.HistoricalObservation,
			Ordered: at("2026-11-02 10:00"), Executed: at("2026-11-03 10:00")})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Explain(language.French); !strings.Contains(got, tc.fr) {
			t.Errorf("%v in French: %s", tc.basis, got)
		}
		for _, tag := range indemnity.Languages() {
			if got := p.Explain(tag); strings.Contains(got, "l'r") || strings.Contains(got, "the order date") && tag != language.English {
				t.Errorf("%v in %v: %s", tc.basis, tag, got)
			}
		}
	}
}
