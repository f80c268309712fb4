package indemnity_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/indemnity"
	"golang.org/x/text/language"
)

func TestCSVDefusesFormulas(t *testing.T) {
	c, err := indemnity.NewClaim(indemnity.Header{Number: "=1+1", Authority: "Parquet"},
		[]indemnity.Executed{{Service: indemnity.NetworkObservation, Reference: `=HYPERLINK("http://evil","x")`, Executed: at("2026-01-12 10:00")}}, indemnity.ClaimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := c.CSV(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `'=HYPERLINK`) || !strings.Contains(b.String(), "'=1+1") {
		t.Errorf("formula not defused:\n%s", b.String())
	}
}

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

func TestTextCannotBeForged(t *testing.T) {
	c, _ := indemnity.NewClaim(indemnity.Header{Number: "1", Authority: "A\nTotal: 0,00 €"},
		[]indemnity.Executed{{Service: indemnity.NetworkObservation, Reference: "R1\tX\nTotal: 1 000 000,00 €", Executed: at("2026-01-12 10:00")}}, indemnity.ClaimOptions{})
	var b strings.Builder
	if err := c.Text(&b, language.English); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "Total") && !strings.HasPrefix(line, "Total: 115,00") {
			t.Errorf("forged line: %q", line)
		}
	}
}

func TestAmountStringAndBigValues(t *testing.T) {
	if s := indemnity.MustParseAmount("1.100").String(); s != "1.100" && s != "1.10" {
		t.Errorf("1.100 -> %s", s)
	}
	if s := indemnity.MustParseAmount("1.1").String(); s != "1.10" {
		t.Errorf("1.1 -> %s", s)
	}
	big := indemnity.MustParseAmount("115").Times(100_000_000_000_000)
	b, _ := json.Marshal(big)
	var back indemnity.Amount
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(big) {
		t.Errorf("%s: %v %v", b, back, err)
	}
}
