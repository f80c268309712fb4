package ident_test

import (
	"testing"

	"github.com/ccjkit/ccjkit/internal/ident"
)

func TestIsE164(t *testing.T) {
	for s, want := range map[string]bool{"+32470123456": true, "+12345678": true, "+1234567": false, "0470123456": false,
		"+3247012345678901": false, "+32 470": false, "+": false, "": false} {
		if ident.IsE164(s) != want {
			t.Errorf("IsE164(%q) = %v", s, !want)
		}
	}
}
