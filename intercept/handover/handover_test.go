package handover_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var t0 = time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)

var ccKey = intercept.StreamKey{LIID: intercept.MustParseLIID("BE-TEST-1"), CIN: 7, Stream: intercept.CC}

type rig struct {
	t    *testing.T
	enc  *etsi.Encoder
	lemf *lemf.Receiver
	ho   *handover.Handover
	se   *etsi.StreamEncoder
	next intercept.Seq
	// lastAccepted is the last number Deliver accepted; refused lists
	// the numbers it refused.
	lastAccepted intercept.Seq
	refused      []intercept.Seq
	buf          []byte
	clock        *timesynctest.Clock
	addr         string // the receiver's, for rigs that start it late
}

// newRig starts a LEMF and a handover to it (HI2 and HI3 on the same
// receiver) with short keep-alive timings.
func newRig(t *testing.T, queue int, interval, timeout time.Duration) *rig {
	t.Helper()
	enc, err := etsi.NewEncoder(itest.Profile(interval, timeout))
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, enc: enc, clock: timesynctest.NewClock(t0)}
	r.lemf, err = lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: r.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.lemf.Close() })
	addr := r.lemf.Addr().String()
	r.ho, err = handover.New(handover.Config{
		HI2: addr, HI3: addr, Encoder: enc, Clock: r.clock, QueueBytes: queue,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, DrainTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.ho.Close() })
	r.se, err = enc.NewStream(ccKey)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// send encodes and delivers n CC records of size bytes, numbering them
// as a pipeline would (a refused record keeps its number: a gap). It
// returns how many were refused.
func (r *rig) send(n, size int) (refused int) {
	pkt := itest.Packet(netip4(1), netip4(2), size, 0)
	for range n {
		var err error
		r.buf, err = r.se.AppendCC(r.buf[:0], &intercept.CCRecord{Seq: r.next, Time: t0, Packet: pkt})
		if err != nil {
			r.t.Fatal(err)
		}
		if err := r.ho.Deliver(ccKey, r.next, r.buf); err != nil {
			if !errors.Is(err, handover.ErrQueueFull) {
				r.t.Fatal(err)
			}
			r.refused = append(r.refused, r.next)
			refused++
		} else {
			r.lastAccepted = r.next
		}
		r.next++
	}
	return refused
}

// sendOne delivers one more record, retrying with new numbers (each
// refusal a counted gap) until one is accepted, so that a test knows the
// last number the receiver must get.
func (r *rig) sendOne() {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if r.send(1, 100) == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.t.Fatalf("no record accepted for 20 s: %s", r.ho.Stats())
}

// wait sends a last record and waits until the LEMF has it and every
// accepted record before it; it returns the LEMF's report of the stream
// and how many numbers before the last were refused.
func (r *rig) wait() (lemf.StreamReport, int) {
	r.t.Helper()
	r.sendOne()
	last := r.lastAccepted
	ctx, cancel := context.WithTimeout(r.t.Context(), 20*time.Second)
	defer cancel()
	rep, err := r.lemf.WaitFor(ctx, func(rep lemf.Report) bool {
		s, ok := rep.Stream(ccKey)
		return ok && s.Next == last.Next()
	})
	if err != nil {
		r.t.Fatalf("the LEMF did not get everything: %v\n%s\n%s", err, rep, r.ho.Stats())
	}
	s, _ := rep.Stream(ccKey)
	return s, len(r.refused)
}

func TestDeliversInOrderAndDrainsOnClose(t *testing.T) {
	r := newRig(t, 1<<20, 50*time.Millisecond, 2*time.Second)
	r.send(2000, 300)
	s, _ := r.wait()
	if s.Gaps != 0 || s.Duplicates != 0 || s.Unique != 2001 {
		t.Errorf("stream report = %+v", s)
	}
	if err := r.ho.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	st := r.ho.Stats()
	if st.HI3.Accepted != 2001 || st.HI3.Refused != 0 || st.HI3.QueuedBytes != 0 || st.HI3.ConfirmedBytes != st.HI3.AcceptedBytes {
		t.Errorf("stats after drain: %+v", st.HI3)
	}
	if st.HI3.KeepAliveResponses == 0 {
		t.Errorf("no keep-alive was answered: %+v", st.HI3)
	}
	if err := r.ho.Deliver(ccKey, 0, []byte{1}); !errors.Is(err, handover.ErrClosed) {
		t.Errorf("Deliver after Close: %v", err)
	}
}

func TestIdleKeepAlives(t *testing.T) {
	r := newRig(t, 1<<20, 20*time.Millisecond, 2*time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := r.lemf.WaitFor(ctx, func(rep lemf.Report) bool { return rep.KeepAlives >= 6 }); err != nil {
		t.Fatalf("idle links sent no keep-alives: %v", err)
	}
	st := r.ho.Stats()
	if st.HI2.KeepAlives == 0 || st.HI3.KeepAlives == 0 || len(st.HI2.Faults)+len(st.HI3.Faults) != 0 {
		t.Errorf("stats = %s", st)
	}
}

// faultCase rehearses one misbehaviour: records flow, the LEMF misbehaves,
// then behaves again; nothing accepted may be lost, and the fault must be
// seen.
func TestFaultsLoseNothingAccepted(t *testing.T) {
	tests := []struct {
		name  string
		fault func(r *rig)
		heal  func(r *rig)
		seen  string // the fault the handover must report ("" : none required)
	}{
		{
			name:  "receiver resets mid-stream",
			fault: func(r *rig) { r.lemf.Reset() },
			seen:  "connection closed or reset by receiver",
		},
		{
			name:  "receiver sends garbage",
			fault: func(r *rig) { r.lemf.SendGarbage() },
			seen:  "unexpected bytes from receiver",
		},
		{
			name:  "receiver answers keep-alives late",
			fault: func(r *rig) { r.lemf.SetMode(lemf.Mode{KeepAliveDelay: time.Second}) },
			heal:  func(r *rig) { r.lemf.SetMode(lemf.Mode{}) },
			seen:  "keep-alive response late",
		},
		{
			name:  "receiver answers keep-alives wrongly",
			fault: func(r *rig) { r.lemf.SetMode(lemf.Mode{WrongKeepAlive: true}) },
			heal:  func(r *rig) { r.lemf.SetMode(lemf.Mode{}) },
			seen:  "wrong keep-alive response",
		},
		{
			name:  "receiver stalls",
			fault: func(r *rig) { r.lemf.SetMode(lemf.Mode{Stall: true}) },
			heal:  func(r *rig) { r.lemf.SetMode(lemf.Mode{}) },
		},
		{
			name:  "receiver is slow",
			fault: func(r *rig) { r.lemf.SetMode(lemf.Mode{ReadDelay: time.Millisecond, ReadSize: 4096}) },
			heal:  func(r *rig) { r.lemf.SetMode(lemf.Mode{}) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, 256<<10, 30*time.Millisecond, 300*time.Millisecond)
			r.send(300, 400)
			r.wait()
			tc.fault(r)
			r.send(1500, 400)
			if tc.seen != "" {
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				for ctx.Err() == nil && r.ho.Stats().HI3.Faults[tc.seen] == 0 {
					r.send(10, 400)
					time.Sleep(20 * time.Millisecond)
				}
				cancel()
				if r.ho.Stats().HI3.Faults[tc.seen] == 0 {
					t.Fatalf("the fault %q was not seen: %s", tc.seen, r.ho.Stats())
				}
			}
			if tc.heal != nil {
				tc.heal(r)
			}
			r.send(200, 400)
			s, refused := r.wait()
			st := r.ho.Stats().HI3
			if st.Refused != uint64(refused) {
				t.Errorf("the handover counted %d refused, Deliver refused %d", st.Refused, refused)
			}
			if s.Gaps != uint64(refused) {
				t.Errorf("the LEMF saw %d missing numbers; %d were refused and counted\n%+v\n%s", s.Gaps, refused, s, r.ho.Stats())
			}
			if s.Unique+s.Gaps != uint64(r.next) || s.Next != r.next {
				t.Errorf("unique %d + gaps %d != %d sent", s.Unique, s.Gaps, r.next)
			}
			if st.QueuedBytes > 256<<10 {
				t.Errorf("the queue holds %d bytes, over its bound", st.QueuedBytes)
			}
			if err := r.ho.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

func TestReceiverRestarts(t *testing.T) {
	r := newRig(t, 1<<20, 30*time.Millisecond, 300*time.Millisecond)
	addr := r.lemf.Addr().String()
	r.send(500, 200)
	first, _ := r.wait()
	r.lemf.Close()
	r.send(500, 200) // queued while the receiver is away
	time.Sleep(100 * time.Millisecond)
	var err error
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for {
		r.lemf, err = lemf.Listen(ctx, "tcp", addr, lemf.Config{Encoder: r.enc, Clock: r.clock})
		if err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.lemf.Close() })
	second, _ := r.wait()
	// The new receiver gets everything the old one had not confirmed: it
	// starts at or before the first unconfirmed number (a gap at its start
	// is what the old one had), with no hole after it.
	if second.Gaps > uint64(first.Next) || len(second.GapStarts) > 1 || second.Unique+second.Gaps != uint64(r.next) {
		t.Errorf("second receiver: %+v (first had %d)", second, first.Next)
	}
	if err := r.ho.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestCloseReportsUndelivered(t *testing.T) {
	enc, _ := etsi.NewEncoder(itest.Profile(time.Second, time.Second))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	ho, err := handover.New(handover.Config{HI2: addr, HI3: addr, Encoder: enc, Clock: timesynctest.NewClock(t0),
		MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, DrainTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := ho.Deliver(ccKey, 0, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	err = ho.Close()
	if !errors.Is(err, handover.ErrUndelivered) {
		t.Errorf("Close = %v, want ErrUndelivered", err)
	}
	if st := ho.Stats(); st.HI3.Faults["cannot connect"] == 0 {
		t.Errorf("no connection fault counted: %s", st)
	}
}

func TestConfigRefusals(t *testing.T) {
	enc, _ := etsi.NewEncoder(itest.Profile(time.Second, time.Second))
	c := timesynctest.NewClock(t0)
	for name, cfg := range map[string]handover.Config{
		"no addresses":   {Encoder: enc, Clock: c},
		"no encoder":     {HI2: "a:1", HI3: "a:1", Clock: c},
		"no clock":       {HI2: "a:1", HI3: "a:1", Encoder: enc},
		"tiny queue":     {HI2: "a:1", HI3: "a:1", Encoder: enc, Clock: c, QueueBytes: 100},
		"backoff upside": {HI2: "a:1", HI3: "a:1", Encoder: enc, Clock: c, MinBackoff: time.Second, MaxBackoff: time.Millisecond},
	} {
		if _, err := handover.New(cfg); !errors.Is(err, handover.ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func netip4(b byte) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, 2, b}) }
