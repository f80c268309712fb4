package indemnity_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/indemnity"
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

// An address given on several lines is printed on one, its lines joined
// by ", ", never run together.
func TestAddressOnOneLine(t *testing.T) {
	c, err := indemnity.NewClaim(indemnity.Header{Number: "N", Issued: date.New(2026, 12, 1), Authority: "Parquet",
		AuthorityAddress: "Rue de Bruxelles 2\n\n4000 Liège\r\n", Operator: indemnity.Party{Name: "Op", Address: "Rue 1\n1000 Bruxelles"}}, nil, indemnity.ClaimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	c.Text(&b, language.English)
	for _, want := range []string{"Rue de Bruxelles 2, 4000 Liège", "Rue 1, 1000 Bruxelles"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("lacks %q:\n%s", want, b.String())
		}
	}
}
