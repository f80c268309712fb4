package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/indemnity/pdf"
	"github.com/ccjkit/ccjkit/internal/testenv"
	"github.com/ccjkit/ccjkit/timesync"
)

func sampleClaim(t testing.TB) indemnity.Claim {
	day := func(s string) timesync.Timestamp {
		ts, err := timesync.ParseBrussels(s, timesync.Strict)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	c, err := indemnity.NewClaim(indemnity.Header{
		Number: "2026-001", Issued: date.New(2026, 1, 31), Authority: "Parquet de Bruxelles / Parket van Brussel",
		Operator: indemnity.Party{Name: "Neutrinet asbl", EnterpriseNumber: "0000.000.000", IBAN: "BE00 0000 0000 0000"},
		From:     date.New(2026, 1, 1), To: date.New(2026, 1, 31),
	}, []indemnity.Executed{
		{Service: indemnity.RealTimeObservation, Reference: "BR.12.34.0001/26", Executed: day("2026-01-05 09:10"), Quantity: 3},
		{Service: indemnity.HistoricalObservation, Reference: "BR.12.34.0002/26", Executed: day("2026-01-19 16:45"), Quantity: 2},
	}, indemnity.ClaimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pdftotext reads the PDF as a person would; spaces are normalised, since
// the no-break spaces of the amounts come out as plain ones.
func pdftotext(t *testing.T, pdfBytes []byte) string {
	t.Helper()
	bin := testenv.LookPath(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "claim.pdf")
	if err := os.WriteFile(path, pdfBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-raw", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(string(out))
	return strings.Join(strings.Fields(text), " ")
}

func TestPDFReadsBack(t *testing.T) {
	c := sampleClaim(t)
	tests := []struct {
		lang language.Tag
		want []string
	}{
		{language.French, []string{"État de frais 2026-001", "Observation en temps réel", "Observation de données historiques",
			"3 92,00 € 276,00 €", "2 80,00 € 160,00 €", "Total 436,00 €", "Pas de TVA appliquée", "Sources"}},
		{language.Dutch, []string{"Kostenstaat 2026-001", "Observatie in werkelijke tijd", "Observatie van historische gegevens",
			"3 € 92,00 € 276,00", "Totaal € 436,00", "Geen btw toegepast", "Bronnen"}},
		{language.German, []string{"Kostenaufstellung 2026-001", "Echtzeitbeobachtung", "Gesamtbetrag 436,00 €"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang.String(), func(t *testing.T) {
			var b bytes.Buffer
			if err := pdf.Write(&b, c, tt.lang, pdf.Options{}); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", b.Bytes()[:min(8, b.Len())])
			}
			text := pdftotext(t, b.Bytes())
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF does not read %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestPDFManyLines(t *testing.T) {
	c := sampleClaim(t)
	for range 80 { // several pages
		c.Add(c.Lines[0])
	}
	var b bytes.Buffer
	if err := pdf.Write(&b, c, language.French, pdf.Options{Letter: true}); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, b.Bytes())
	if want := strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace("Total " + c.Total.Format(language.French)); !strings.Contains(text, want) {
		t.Errorf("the total %s is not in the PDF:\n%s", c.Total.Format(language.French), text[max(0, len(text)-800):])
	}
}

func TestPDFHostileText(t *testing.T) {
	c := sampleClaim(t)
	c.Operator.Name = "😀 Opérateur ∑ עברית"
	c.Number = strings.Repeat("N", 300)
	long := c.Lines[0]
	long.Reference = strings.Repeat("very-long-reference-", 1000)
	long.Quantity = 100_000_000
	c.Add(long)
	var b bytes.Buffer
	if err := pdf.Write(&b, c, language.French, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, b.Bytes())
	if !strings.Contains(text, "100000000") {
		t.Errorf("the quantity was wrapped or lost:\n%.600s", text)
	}
	if pages := bytes.Count(b.Bytes(), []byte("/Type /Page\n")) + bytes.Count(b.Bytes(), []byte("/Type /Page ")); pages < 1 || pages > 2 {
		t.Errorf("%d pages for three lines", pages)
	}
}
