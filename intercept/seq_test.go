package intercept_test

import (
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/intercept"
)

func TestStreamText(t *testing.T) {
	for _, s := range []intercept.Stream{intercept.IRI, intercept.CC} {
		b, err := s.MarshalText()
		var back intercept.Stream
		if err != nil || back.UnmarshalText(b) != nil || back != s {
			t.Errorf("%v: %q, %v, back %v", s, b, err, back)
		}
	}
	var s intercept.Stream
	if _, err := s.MarshalText(); err == nil {
		t.Error("the zero Stream encodes")
	}
	if err := s.UnmarshalText([]byte("X3-secret")); err == nil || strings.Contains(err.Error(), "X3-secret") {
		t.Errorf("UnmarshalText: %v", err)
	}
}
