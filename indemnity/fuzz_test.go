package indemnity_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
)

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"92", "12.50", "-3.4", "0.00000001", "1e3", "", "-", "1234567890.12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := indemnity.ParseAmount(s)
		if err != nil {
			if !errors.Is(err, indemnity.ErrAmount) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		back, err := indemnity.ParseAmount(a.String())
		if err != nil || !back.Equal(a) {
			t.Fatalf("%q -> %v -> %v, %v", s, a, back, err)
		}
		for _, tag := range indemnity.Languages() {
			if out := a.Format(tag); !strings.Contains(out, "€") {
				t.Fatalf("%v: %q", tag, out)
			}
		}
	})
}

func FuzzParseTariff(f *testing.F) {
	header := "code,edition,in_force_from,in_force_until,in_force_certainty,item,service,unit,amount,certainty,fr_official,nl_official,fr,nl,de,en,instrument,source_url,notes\n"
	f.Add([]byte(header + "X,2017,2017-01-01,,V,1°,forfait,per-request,9,V,,,a,b,c,d,i,u,n\n"))
	f.Add([]byte(header))
	f.Add([]byte("a,b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := indemnity.ParseTariff(data)
		if err != nil {
			if !errors.Is(err, indemnity.ErrTariffData) {
				t.Fatalf("error %v does not wrap ErrTariffData", err)
			}
			return
		}
		for _, l := range lines {
			if l.Code == "" || l.Known && l.Amount.Sign() <= 0 || l.Until != 0 && l.Until <= l.From {
				t.Fatalf("accepted an impossible line %+v", l)
			}
		}
	})
}

func FuzzDecodeClaim(f *testing.F) {
	c, err := indemnity.NewClaim(indemnity.Header{Number: "1", Authority: "Parquet"}, executedIn2026(),
		indemnity.ClaimOptions{VAT: &indemnity.Factor{Rate: indemnity.MustParseRate("0.21"), Source: "caller"}})
	if err != nil {
		f.Fatal(err)
	}
	b, _ := json.Marshal(c)
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := indemnity.DecodeClaim(data)
		if err != nil {
			if !errors.Is(err, indemnity.ErrClaim) {
				t.Fatalf("error %v does not wrap ErrClaim", err)
			}
			return
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := indemnity.DecodeClaim(b); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		var sb strings.Builder
		_ = c.Text(&sb, language.French)
	})
}

func TestDecodeClaim(t *testing.T) {
	c, _ := indemnity.NewClaim(indemnity.Header{Number: "1", Authority: "Parquet"}, executedIn2026(), indemnity.ClaimOptions{})
	b, _ := json.Marshal(c)
	back, err := indemnity.DecodeClaim(b)
	if err != nil || !back.Total.Equal(c.Total) {
		t.Fatalf("%v, %v", back.Total, err)
	}
	tampered := strings.Replace(string(b), `"total":"436.00"`, `"total":"4360.00"`, 1)
	if _, err := indemnity.DecodeClaim([]byte(tampered)); !errors.Is(err, indemnity.ErrClaim) || !strings.Contains(err.Error(), "not those of the lines") {
		t.Errorf("tampered total accepted: %v", err)
	}
	if _, err := indemnity.DecodeClaim([]byte(`{"totall": "1"}`)); !errors.Is(err, indemnity.ErrClaim) {
		t.Errorf("unknown field accepted: %v", err)
	}
}

func TestDecodeClaimRefusesImpossibleDays(t *testing.T) {
	for _, day := range []string{"2026-00-00", "99999-99-99", "2026-02-30", "+2026-01-01"} {
		_, err := indemnity.DecodeClaim([]byte(`{"issued":"` + day + `"}`))
		if !errors.Is(err, indemnity.ErrClaim) || !slices.Contains(problemLines(t, err), "issued: invalid value: want a date YYYY-MM-DD") {
			t.Errorf("%s: %v", day, err)
		}
	}
}
