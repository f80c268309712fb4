package mediation

import (
	"testing"

	"github.com/ccjkit/ccjkit/intercept"
)

// A stream forgotten, found again (its reset sent), then forgotten
// anew, is remembered by its new place in the ring: when the ring comes
// round to its old place, it is not dropped.
func TestForgottenRingKeepsARememberedKey(t *testing.T) {
	s := &Server{forgotten: map[intercept.StreamKey]int{}}
	key := func(i int) intercept.StreamKey {
		return intercept.StreamKey{LIID: intercept.MustParseLIID("LIID-A"), CIN: intercept.CIN(i + 1), Stream: intercept.CC}
	}
	k := key(0)
	s.rememberForgotten(k)
	if reset, _ := s.firstRecord(k); !reset {
		t.Fatal("a forgotten stream made again gets no reset")
	}
	for i := 1; i < maxForgotten-1; i++ {
		s.rememberForgotten(key(i))
	}
	s.rememberForgotten(k)                 // forgotten anew, in the ring's last place
	s.rememberForgotten(key(maxForgotten)) // the ring comes round to k's old place
	if reset, _ := s.firstRecord(k); !reset {
		t.Error("the ring dropped a stream it still remembered")
	}
	if len(s.forgotten) > maxForgotten {
		t.Errorf("%d streams remembered, at most %d", len(s.forgotten), maxForgotten)
	}
}
