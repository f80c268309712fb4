package indemnity_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/provenance"
)

// problemLines returns the findings of a *provenance.Problems as "field:
// text" lines ("text" alone for the input as a whole).
func problemLines(t *testing.T, err error) []string {
	t.Helper()
	var ps *provenance.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("%v is not a *provenance.Problems", err)
	}
	var out []string
	for _, f := range ps.Findings {
		out = append(out, strings.TrimPrefix(f.Field+": "+f.Text(language.English), ": "))
	}
	return out
}

var errWriter = errors.New("test: the writer refuses")

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWriter }

// Every exported function of indemnity that returns an error returns one
// that errors.Is recognises by an exported sentinel (or, for the renderers,
// by the writer's own error), and, where it lists problems, that errors.As
// reads as a *provenance.Problems. No error quotes a secret input.
func TestErrorsAreInspectable(t *testing.T) {
	const secret = "SECRET-4711"
	good, err := indemnity.NewClaim(indemnity.Header{Number: "1", Authority: "Parquet"}, executedIn2026(), indemnity.ClaimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	encoded, _ := json.Marshal(good)
	tampered := strings.Replace(string(encoded), `"total":"436.00"`, `"total":"4360.00"`, 1)
	for _, tc := range []struct {
		name     string
		err      error
		is       []error
		problems bool // errors.As *provenance.Problems
	}{
		{"ParseAmount", func() error { _, err := indemnity.ParseAmount(secret); return err }(), []error{indemnity.ErrAmount}, false},
		{"Amount.UnmarshalText", new(indemnity.Amount).UnmarshalText([]byte(secret)), []error{indemnity.ErrAmount}, false},
		{"ParseRate", func() error { _, err := indemnity.ParseRate(secret); return err }(), []error{indemnity.ErrAmount}, false},
		{"Rate.UnmarshalText", new(indemnity.Rate).UnmarshalText([]byte("-1")), []error{indemnity.ErrAmount}, false},
		{"ParseTariff, a bad row", func() error {
			_, err := indemnity.ParseTariff([]byte(strings.Join(tariffHeader(), ",") + "\nX1\n"))
			return err
		}(), []error{indemnity.ErrTariffData}, true},
		{"ParseTariff, a bad header", func() error { _, err := indemnity.ParseTariff([]byte("a,b\n")); return err }(), []error{indemnity.ErrTariffData}, true},
		{"ParseTariff, not CSV", func() error { _, err := indemnity.ParseTariff([]byte("a,\"b\n")); return err }(), []error{indemnity.ErrTariffData}, true},
		{"Pricer.Price", func() error {
			_, err := indemnity.Pricer{}.Price(indemnity.Executed{Service: indemnity.Interception, Reference: secret, Executed: at("2026-01-12 10:00")})
			return err
		}(), []error{indemnity.ErrUnknownAmount}, false},
		{"NewClaim", func() error {
			_, err := indemnity.NewClaim(indemnity.Header{Reference: secret}, []indemnity.Executed{
				{Service: indemnity.Forfait, Reference: secret, Executed: at("2026-01-12 10:00")},
				{Service: indemnity.RealTimeObservation, Reference: secret},
			}, indemnity.ClaimOptions{})
			return err
		}(), []error{indemnity.ErrClaim, indemnity.ErrNotPerRequest, indemnity.ErrExecuted}, true},
		{"DecodeClaim, the encoding", func() error {
			_, err := indemnity.DecodeClaim([]byte(`{"reference": 1, "issued": "` + secret + `"}`))
			return err
		}(), []error{indemnity.ErrClaim}, true},
		{"DecodeClaim, the totals", func() error { _, err := indemnity.DecodeClaim([]byte(tampered)); return err }(), []error{indemnity.ErrClaim}, true},
		{"Claim.Text", good.Text(failingWriter{}, language.French), []error{errWriter}, false},
		{"Claim.CSV", good.CSV(failingWriter{}), []error{errWriter}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, is := range tc.is {
				if !errors.Is(tc.err, is) {
					t.Errorf("err = %v, want one that wraps %v", tc.err, is)
				}
			}
			var ps *provenance.Problems
			if errors.As(tc.err, &ps) != tc.problems {
				t.Errorf("errors.As *provenance.Problems = %v, want %v (%v)", !tc.problems, tc.problems, tc.err)
			}
			if tc.err != nil && strings.Contains(tc.err.Error(), secret) {
				t.Errorf("the error quotes its input: %v", tc.err)
			}
		})
	}
}

// NewClaim's findings name the request at fault and carry its pricing
// sentinel itself, so that a caller can switch on f.Err.
func TestClaimFindings(t *testing.T) {
	_, err := indemnity.NewClaim(indemnity.Header{Authority: "P"}, []indemnity.Executed{
		{Service: indemnity.RealTimeObservation, Executed: at("2026-01-12 10:00")},
		{Service: indemnity.Forfait, Executed: at("2026-01-12 10:00")},
	}, indemnity.ClaimOptions{VAT: &indemnity.Factor{Rate: indemnity.MustParseRate("0.21")}})
	var ps *provenance.Problems
	if !errors.As(err, &ps) || ps.What != "indemnity: claim" || len(ps.Findings) != 2 {
		t.Fatalf("err = %v", err)
	}
	want := []struct {
		rule, field string
		err         error
	}{{"factor-source", "vat.source", indemnity.ErrClaim}, {"price", "executed[1]", indemnity.ErrNotPerRequest}}
	for i, w := range want {
		f := ps.Findings[i]
		if f.Rule != w.rule || f.Field != w.field || f.Err != w.err || f.Severity != provenance.Error || f.Text(language.English) == "" {
			t.Errorf("finding %d = %+v, want rule %s, field %s, err %v", i, f, w.rule, w.field, w.err)
		}
	}
}

// tariffHeader is the header tariff.csv must have.
func tariffHeader() []string {
	return []string{"code", "edition", "in_force_from", "in_force_until", "in_force_certainty", "item", "service", "unit", "amount", "certainty",
		"fr_official", "nl_official", "fr", "nl", "de", "en", "instrument", "source_url", "notes"}
}
