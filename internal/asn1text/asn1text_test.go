package asn1text_test

import (
	"fmt"
	"testing"

	"github.com/ccjkit/ccjkit/internal/asn1text"
)

func TestPrintable(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"", true}, {"BE", true}, {"vpn-1 (a)+,./:=?'", true},
		{"a_b", false}, {"a@b", false}, {"é", false}, {"a\x00", false}, {"*", false},
	} {
		if got := asn1text.Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func ExamplePrintable() {
	fmt.Println(asn1text.Printable("NTSU-CTIF"), asn1text.Printable("ntsu_ctif"))
	// Output: true false
}
