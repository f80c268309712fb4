package indemnity_test

import (
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
)

// go test -run='^$' -bench=. -benchmem ./indemnity/
func BenchmarkFormat(b *testing.B) {
	a := indemnity.MustParseAmount("1234567.89")
	b.Run("ccjkit/fr", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = a.Format(language.French)
		}
	})
	b.Run("baseline=String", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = a.String()
		}
	})
}

func BenchmarkNewClaim(b *testing.B) {
	ex := executedIn2026()
	for range 5 {
		ex = append(ex, ex...)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := indemnity.NewClaim(indemnity.Header{Number: "1", Authority: "x"}, ex, indemnity.ClaimOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
