package mediation_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
)

// A keep-alive is answered only once what the NE sent before it is
// durable (Agency.Sync); when Sync fails the keep-alive goes unanswered,
// the connection is closed, and the NE, which still holds its records,
// sends them again.
func TestKeepAliveWaitsForSync(t *testing.T) {
	var calls atomic.Int64
	var fail atomic.Bool
	var deliveredAtSync atomic.Int64
	var r *rig
	r = newRig(t, func(c *mediation.Config) {
		a := c.Agencies["NTSU-CTIF"]
		a.Sync = func() error {
			calls.Add(1)
			deliveredAtSync.Store(int64(r.ho.count()))
			if fail.Load() {
				return errors.New("disk full")
			}
			return nil
		}
		c.Agencies["NTSU-CTIF"] = a
	})
	n := r.mustDial(t, "router-1.isp.test")
	for i := range 3 {
		n.cc(r.task.LIID, 5, i, t0, 64)
	}
	n.keepAlive(1)
	if calls.Load() != 1 || deliveredAtSync.Load() != 3 {
		t.Fatalf("Sync called %d times, with %d records handed over; want once, after the 3", calls.Load(), deliveredAtSync.Load())
	}

	fail.Store(true)
	n.cc(r.task.LIID, 5, 3, t0, 64)
	n.write(x2x3.AppendKeepAlive(nil, 2))
	n.conn.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := x2x3.NewFramer(n.conn, 0).Next(); err == nil {
		t.Fatal("a keep-alive was answered although Sync failed")
	}
	st := r.srv.Stats().NEs["router-1.isp.test"]
	if st.SyncFailures != 1 || st.KeepAlives != 1 {
		t.Errorf("stats: %s", st)
	}

	// The NE reconnects and sends again; the record it sent is delivered
	// once.
	fail.Store(false)
	n = r.mustDial(t, "router-1.isp.test")
	n.cc(r.task.LIID, 5, 3, t0, 64)
	n.keepAlive(3)
	if got := r.ho.count(); got != 4 {
		t.Errorf("%d records delivered, want 4", got)
	}
}
