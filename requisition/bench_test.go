package requisition_test

import (
	"encoding/json"
	"testing"

	"github.com/ccjkit/ccjkit/requisition"
)

// Strict decoding against plain encoding/json on the same document, in the
// same run: go test -run='^$' -bench=. -benchmem ./requisition/
func BenchmarkDecode(b *testing.B) {
	data := []byte(goodJSON)
	b.Run("ccjkit/strict", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := requisition.Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var r requisition.Requisition
			if err := json.Unmarshal(data, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkValidate(b *testing.B) {
	r := base()
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Validate(checkedAt, requisition.FromNextDay); err != nil {
			b.Fatal(err)
		}
	}
}
