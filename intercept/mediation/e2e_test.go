package mediation_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/intercept/mediation"
)

// Two NEs → the mediation function → the real handover → the test LEMF:
// every stream arrives whole, without gap or duplicate, under the task's
// LIID.
func TestEndToEndThroughHandover(t *testing.T) {
	var ho *handover.Handover
	var rcv *lemf.Receiver
	r := newRig(t, func(cfg *mediation.Config) {
		enc := cfg.Agencies["NTSU-CTIF"].Encoder
		clock := cfg.Clock
		var err error
		rcv, err = lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rcv.Close() })
		addr := rcv.Addr().String()
		ho, err = handover.New(handover.Config{HI2: addr, HI3: addr, Encoder: enc, Clock: clock,
			MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Agencies = map[string]mediation.Agency{"NTSU-CTIF": {Encoder: enc, Handover: ho}}
	})
	const perNE, iris = 500, 3
	var wg sync.WaitGroup
	for _, name := range []string{"router-1.isp.test", "router-2.isp.test"} {
		n := r.mustDial(t, name)
		wg.Go(func() {
			for i := range iris {
				n.iri(r.task.LIID, 3, i, t0)
			}
			for i := range perNE {
				n.cc(r.task.LIID, 3, i, t0.Add(time.Duration(i)*time.Microsecond), 1200)
			}
			n.keepAlive(1)
		})
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	rep, err := rcv.WaitFor(ctx, func(rep lemf.Report) bool {
		return rep.PDUs >= 2*(perNE+iris)
	})
	if err != nil {
		t.Fatalf("the LEMF did not get every record: %v\n%s\n%s", err, rep, r.srv.Stats())
	}
	if len(rep.Streams) != 4 {
		t.Fatalf("%d streams at the LEMF, want 4:\n%s", len(rep.Streams), rep)
	}
	for _, s := range rep.Streams {
		want := uint64(perNE)
		if s.Key.Stream == intercept.IRI {
			want = iris
		}
		if s.Key.LIID != r.task.LIID || s.Unique != want || s.Gaps != 0 || s.Duplicates != 0 {
			t.Errorf("stream at the LEMF: %+v", s)
		}
	}
	if err := r.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ho.Close(); err != nil {
		t.Errorf("handover Close: %v", err)
	}
}
