package handover_test

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// x2x3Receiver is the smallest mediation function: it reads X2/X3 PDUs,
// answers keep-alives with acknowledgements, and keeps every X3 PDU's
// sequence number. With cutAfter > 0 it drops the connection that brings
// the cutAfter-th X3 PDU, once, before acknowledging it.
type x2x3Receiver struct {
	ln       net.Listener
	mu       sync.Mutex
	seqs     []uint32
	cut      bool
	cutAfter int
}

func newX2X3Receiver(t *testing.T, cutAfter int) *x2x3Receiver {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &x2x3Receiver{ln: ln, cutAfter: cutAfter}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.serve(c)
		}
	}()
	return r
}

func (r *x2x3Receiver) serve(c net.Conn) {
	defer c.Close()
	fr := x2x3.NewFramer(c, 0)
	for {
		b, err := fr.Next()
		if err != nil {
			return
		}
		p, err := x2x3.Decode(b)
		if err != nil {
			return
		}
		switch p.Type {
		case x2x3.KeepAlive:
			if _, err := c.Write(x2x3.AppendKeepAliveAck(nil, p.Seq)); err != nil {
				return
			}
		case x2x3.X3:
			r.mu.Lock()
			r.seqs = append(r.seqs, p.Seq)
			cut := !r.cut && len(r.seqs) == r.cutAfter
			r.cut = r.cut || cut
			r.mu.Unlock()
			if cut {
				return
			}
		}
	}
}

// unique returns how many distinct X3 sequence numbers arrived, and all
// that arrived.
func (r *x2x3Receiver) unique() (distinct, all int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[uint32]bool{}
	for _, s := range r.seqs {
		seen[s] = true
	}
	return len(seen), len(r.seqs)
}

// x3Records encodes n X3 PDUs of one task, numbered from 0.
func x3Records(t *testing.T, n int) (intercept.StreamKey, [][]byte) {
	t.Helper()
	task := intercept.Task{ID: [16]byte{9}, LIID: intercept.MustParseLIID("x"), NotBefore: t0, NotAfter: t0.Add(time.Hour),
		Delivery: intercept.IRIAndCC, Agency: "mf",
		Targets: []intercept.Target{intercept.AddressTarget(netip.PrefixFrom(netip4(1), 32))}}
	enc, err := x2x3.NewEncoder([]intercept.Task{task}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := intercept.StreamKey{LIID: task.LIID, CIN: 3, Stream: intercept.CC}
	se, err := enc.NewStream(key)
	if err != nil {
		t.Fatal(err)
	}
	pkt := itest.Packet(netip4(1), netip4(2), 200, 0)
	var out [][]byte
	for seq := range intercept.Seq(n) {
		b, err := se.AppendCC(nil, &intercept.CCRecord{Seq: seq, Time: t0, Packet: pkt})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return key, out
}

// TestX2X3: the handover carries X2/X3 PDUs to a mediation function with
// the same machinery as HI2/HI3 — keep-alives acknowledged as
// checkpoints, a dropped connection resent from the last one (duplicates
// the mediation function drops, never a hole), and Close confirmed.
func TestX2X3(t *testing.T) {
	rx := newX2X3Receiver(t, 50)
	addr := rx.ln.Addr().String()
	ho, err := handover.New(handover.Config{
		Protocol: handover.X2X3, HI2: addr, HI3: addr, Clock: timesynctest.NewClock(t0),
		KeepAliveInterval: 20 * time.Millisecond, KeepAliveTimeout: time.Second,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, DrainTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	key, recs := x3Records(t, 200)
	for i, b := range recs {
		if err := ho.Deliver(key, intercept.Seq(i), b); err != nil {
			t.Fatal(err)
		}
	}
	itest.WaitFor(t, "every X3 PDU to arrive", func() bool { d, _ := rx.unique(); return d == len(recs) })
	if err := ho.Close(); err != nil {
		t.Fatal(err)
	}
	st := ho.Stats()
	if st.HI3.Name != "X3" || st.HI2.Name != "X2" || !strings.HasPrefix(st.String(), "X2 → ") {
		t.Errorf("links named %q and %q:\n%s", st.HI2.Name, st.HI3.Name, st)
	}
	if st.HI3.KeepAliveResponses == 0 || st.HI3.Connects < 2 || st.HI3.ConfirmedBytes != st.HI3.AcceptedBytes {
		t.Errorf("X3 link: %s", st.HI3)
	}
	if d, all := rx.unique(); d != len(recs) || all < len(recs) {
		t.Errorf("%d distinct of %d received", d, all)
	}
}

// TestX2X3Spool: what the mediation function never confirmed is kept in
// the X3 spool at Close and sent first by the next handover.
func TestX2X3Spool(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing listens there any more
	cfg := handover.Config{
		Protocol: handover.X2X3, HI2: dead, HI3: dead, Clock: timesynctest.NewClock(t0),
		KeepAliveInterval: 20 * time.Millisecond, KeepAliveTimeout: time.Second, SpoolDir: dir,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, DrainTimeout: 50 * time.Millisecond,
	}
	ho, err := handover.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	key, recs := x3Records(t, 100)
	for i, b := range recs {
		if err := ho.Deliver(key, intercept.Seq(i), b); err != nil {
			t.Fatal(err)
		}
	}
	if err := ho.Close(); err != nil {
		t.Fatalf("Close with a spool: %v", err)
	}
	rx := newX2X3Receiver(t, 0)
	cfg.HI2, cfg.HI3 = rx.ln.Addr().String(), rx.ln.Addr().String()
	cfg.DrainTimeout = 10 * time.Second
	ho, err = handover.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st := ho.Stats().HI3.Spool; st.Recovered == 0 || st.Damaged != 0 {
		t.Errorf("spool: %+v", st)
	}
	itest.WaitFor(t, "the spooled PDUs to arrive", func() bool { d, _ := rx.unique(); return d == len(recs) })
	if err := ho.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestX2X3Config: X2X3 needs its keep-alive timings, and no Encoder.
func TestX2X3Config(t *testing.T) {
	_, err := handover.New(handover.Config{Protocol: handover.X2X3, HI2: "a:1", HI3: "a:1", Clock: timesynctest.NewClock(t0)})
	if !errors.Is(err, handover.ErrConfig) || !strings.Contains(err.Error(), "KeepAliveInterval") {
		t.Errorf("no timings: %v", err)
	}
	_, err = handover.New(handover.Config{Protocol: 7, HI2: "a:1", HI3: "a:1", Clock: timesynctest.NewClock(t0)})
	if !errors.Is(err, handover.ErrConfig) {
		t.Errorf("unknown protocol: %v", err)
	}
	if handover.X2X3.String() != "X2X3" || handover.ETSI.String() != "ETSI" {
		t.Error("names")
	}
}
