package mediation_test

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
)

// streams groups deliveries by stream, checking each against its PDU:
// the header's LIID, CIN and number are the delivery's.
func streams(t *testing.T, got []delivery) map[intercept.StreamKey][]delivery {
	t.Helper()
	out := map[intercept.StreamKey][]delivery{}
	for _, d := range got {
		p, err := etsi.Decode(d.pdu)
		if err != nil {
			t.Fatalf("a delivered record does not decode: %v", err)
		}
		if p.Header.LIID != d.key.LIID || p.Header.CIN != d.key.CIN || p.Header.Seq != d.seq {
			t.Fatalf("record header (CIN %d seq %d) differs from its delivery (CIN %d seq %d)", p.Header.CIN, p.Header.Seq, d.key.CIN, d.seq)
		}
		want := etsi.CCSequence
		if d.key.Stream == intercept.IRI {
			want = etsi.IRISequence
		}
		if p.Payload.Kind != want {
			t.Fatalf("a %v record carries %v", d.key.Stream, p.Payload.Kind)
		}
		out[d.key] = append(out[d.key], d)
	}
	return out
}

// checkNumbering fails unless every stream is numbered 0, 1, 2... in
// delivery order.
func checkNumbering(t *testing.T, ss map[intercept.StreamKey][]delivery) {
	t.Helper()
	for k, ds := range ss {
		for i, d := range ds {
			if d.seq != intercept.Seq(i) {
				t.Fatalf("stream CIN %d %v: record %d numbered %d", k.CIN, k.Stream, i, d.seq)
			}
		}
	}
}

func checkBalance(t *testing.T, s mediation.NEStats) {
	t.Helper()
	if s.Received != s.Delivered+s.Duplicates+s.RefusedTotal() {
		t.Errorf("counters do not balance: %s", s)
	}
}

// Two NEs intercept for one task at once: every record arrives, under the
// task's LIID, each NE's communication under a CIN of its own, each
// stream numbered by the mediation function from 0 without gap.
func TestTwoNEsOneTask(t *testing.T) {
	r := newRig(t, nil)
	const perNE, iris = 300, 5
	nes := []*ne{r.mustDial(t, "router-1.isp.test"), r.mustDial(t, "vpn-1.isp.test")}
	var wg sync.WaitGroup
	for _, n := range nes {
		wg.Go(func() {
			for i := range iris {
				n.iri(r.task.LIID, 7, i, t0.Add(time.Duration(i)*time.Millisecond))
			}
			for i := range perNE {
				n.cc(r.task.LIID, 7, i, t0.Add(time.Duration(i)*time.Millisecond), 60+i)
			}
			n.keepAlive(1)
		})
	}
	wg.Wait()
	ss := streams(t, r.ho.records())
	checkNumbering(t, ss)
	if len(ss) != 4 {
		t.Fatalf("%d streams, want 4 (IRI and CC of each NE's communication)", len(ss))
	}
	cins := map[intercept.CIN]bool{}
	for k, ds := range ss {
		if k.LIID != r.task.LIID {
			t.Errorf("a stream under another LIID")
		}
		want := perNE
		if k.Stream == intercept.IRI {
			want = iris
		}
		if len(ds) != want {
			t.Errorf("stream CIN %d %v: %d records, want %d", k.CIN, k.Stream, len(ds), want)
		}
		cins[k.CIN] = true
	}
	if len(cins) != 2 || cins[0] {
		t.Errorf("CINs %v: want two, neither 0", cins)
	}
	// The packets are those sent, in order.
	for k, ds := range ss {
		if k.Stream != intercept.CC {
			continue
		}
		for i, d := range ds {
			p, _ := etsi.Decode(d.pdu)
			want := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("198.51.100.7"), 60+i, byte(i))
			if !bytes.Equal(p.Payload.CC[0].Packet, want) || !p.Header.Time.Equal(t0.Add(time.Duration(i)*time.Millisecond)) ||
				p.Payload.CC[0].Direction != intercept.FromTarget {
				t.Fatalf("CC record %d is not the packet sent", i)
			}
		}
	}
	st := r.srv.Stats()
	for _, name := range []string{"router-1.isp.test", "vpn-1.isp.test"} {
		s := st.NEs[name]
		if s.Received != perNE+iris || s.Delivered != perNE+iris || s.KeepAlives != 1 || s.Connections != 1 || s.RefusedTotal() != 0 {
			t.Errorf("stats: %s", s)
		}
		checkBalance(t, s)
	}
	if st.Communications != 2 {
		t.Errorf("%d communications, want 2", st.Communications)
	}
}

// The IRI record handed over is what the agency's own stream encoder
// writes for the NE's record, byte for byte: the NE's PS-PDU keeps its
// payload and gets the mediation function's header.
func TestIRIRewrittenAsTheEncoderWritesIt(t *testing.T) {
	r := newRig(t, nil)
	n := r.mustDial(t, "router-1.isp.test")
	for i := range 3 {
		n.iri(r.task.LIID, 99, 40+i, t0.Add(time.Duration(i)*time.Second))
	}
	n.keepAlive(1)
	got := r.ho.records()
	if len(got) != 3 {
		t.Fatalf("%d records delivered, want 3", len(got))
	}
	se, err := r.enc.NewStream(got[0].key)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range got {
		rec := sampleIRI(0, t0.Add(time.Duration(i)*time.Second))
		rec.Seq = intercept.Seq(i)
		want, err := se.AppendIRI(nil, &rec)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.pdu, want) {
			t.Fatalf("record %d differs from the encoder's", i)
		}
	}
}

// What the mediation function must not hand over is refused and counted
// by reason, never delivered.
func TestRefusals(t *testing.T) {
	r := newRig(t, nil)
	ended := sampleTask(xidB, "LIID-B", intercept.IRIAndCC)
	if err := r.table.Activate(ended); err != nil {
		t.Fatal(err)
	}
	if err := r.table.Deactivate(ended.ID); err != nil {
		t.Fatal(err)
	}
	unknown := sampleTask([16]byte{0xc3, 1}, "LIID-C", intercept.IRIAndCC)
	iriOnly := sampleTask([16]byte{0xd4, 1}, "LIID-D", intercept.IRIOnly)
	if err := r.table.Activate(iriOnly); err != nil {
		t.Fatal(err)
	}
	pending := sampleTask([16]byte{0xe5, 1}, "LIID-E", intercept.IRIAndCC)
	pending.NotBefore, pending.NotAfter = t0.Add(time.Hour), t0.Add(2*time.Hour)
	if err := r.table.Activate(pending); err != nil {
		t.Fatal(err)
	}
	noAgency := sampleTask([16]byte{0xf6, 1}, "LIID-F", intercept.IRIAndCC)
	noAgency.Agency = "elsewhere"
	if err := r.table.Activate(noAgency); err != nil {
		t.Fatal(err)
	}

	n := r.mustDial(t, "router-1.isp.test", r.task, ended, unknown, iriOnly, pending, noAgency)
	n.cc(unknown.LIID, 1, 0, t0, 80)
	n.iri(unknown.LIID, 1, 0, t0)
	n.cc(ended.LIID, 1, 0, t0, 80)
	n.cc(iriOnly.LIID, 1, 0, t0, 80)
	n.cc(pending.LIID, 1, 0, t0.Add(90*time.Minute), 80)
	n.cc(noAgency.LIID, 1, 0, t0, 80)
	n.cc(r.task.LIID, 1, 0, t0.Add(-2*time.Hour), 80)                                              // captured before the window
	n.write([]byte("\x00\x05\x00\x09\x00\x00\x00\x28\x00\x00\x00\x00" + string(make([]byte, 28)))) // a PDU of unknown type
	n.keepAlive(1)
	// The task's window closes: from now on it is ended.
	r.clock.Set(r.task.NotAfter)
	n.cc(r.task.LIID, 1, 1, t0, 80)
	n.keepAlive(2)

	if got := r.ho.count(); got != 0 {
		t.Fatalf("%d records delivered, want none", got)
	}
	s := r.srv.Stats().NEs["router-1.isp.test"]
	want := map[mediation.Reason]uint64{
		mediation.UnknownTask: 2, mediation.EndedTask: 2, mediation.NotOrdered: 1, mediation.PendingTask: 1,
		mediation.NoAgency: 1, mediation.OutsideWindow: 1, mediation.Malformed: 1,
	}
	if fmt.Sprint(s.Refused) != fmt.Sprint(want) || s.Received != 9 || s.KeepAlives != 2 {
		t.Errorf("stats: %s\nwant refused %v", s, want)
	}
	checkBalance(t, s)
}

// A retransmission is delivered once; a gap in the NE's numbering stays a
// gap; an NE whose numbering starts again (later records, lower numbers)
// is delivered, not taken for a retransmission.
func TestRetransmission(t *testing.T) {
	r := newRig(t, nil)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Millisecond) }
	n := r.mustDial(t, "router-1.isp.test")
	for i := range 10 {
		n.cc(r.task.LIID, 5, i, at(i), 100)
	}
	n.keepAlive(1)
	n.conn.Close()
	// The NE reconnects and sends again from 5, as a handover resends
	// what was not confirmed, then goes on; record 15 it lost itself.
	n = r.mustDial(t, "router-1.isp.test")
	for i := 5; i < 20; i++ {
		if i != 15 {
			n.cc(r.task.LIID, 5, i, at(i), 100)
		}
	}
	// Restarted without its state: numbering from 0, later records.
	for i := range 3 {
		n.cc(r.task.LIID, 5, i, at(100+i), 100)
	}
	n.keepAlive(2)
	ss := streams(t, r.ho.records())
	if len(ss) != 1 {
		t.Fatalf("%d streams, want 1", len(ss))
	}
	var seqs []intercept.Seq
	for _, ds := range ss {
		for _, d := range ds {
			seqs = append(seqs, d.seq)
		}
	}
	want := "[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 16 17 18 19 20 21 22]"
	if fmt.Sprint(seqs) != want {
		t.Errorf("numbers delivered %v, want %s (15 lost by the NE stays a gap)", seqs, want)
	}
	s := r.srv.Stats().NEs["router-1.isp.test"]
	if s.Duplicates != 5 || s.Delivered != 22 || s.Renumbered != 1 || s.Connections != 2 {
		t.Errorf("stats: %s", s)
	}
	checkBalance(t, s)
}

// A full handover refuses the record, which is counted; the next record
// has the next number, so the receiver sees the gap.
func TestHandoverFull(t *testing.T) {
	r := newRig(t, nil)
	n := r.mustDial(t, "router-1.isp.test")
	n.cc(r.task.LIID, 5, 0, t0, 100)
	n.keepAlive(1)
	r.ho.mu.Lock()
	r.ho.full = true
	r.ho.mu.Unlock()
	n.cc(r.task.LIID, 5, 1, t0, 100)
	n.keepAlive(2)
	r.ho.mu.Lock()
	r.ho.full = false
	r.ho.mu.Unlock()
	n.cc(r.task.LIID, 5, 2, t0, 100)
	n.keepAlive(3)
	got := r.ho.records()
	if len(got) != 2 || got[0].seq != 0 || got[1].seq != 2 {
		t.Errorf("delivered %d records, want numbers 0 and 2", len(got))
	}
	s := r.srv.Stats().NEs["router-1.isp.test"]
	if s.Refused[mediation.HandoverRefused] != 1 {
		t.Errorf("stats: %s", s)
	}
	checkBalance(t, s)
}

// Only an NE with a valid certificate from the NEs' authority is served.
func TestTLSRefusals(t *testing.T) {
	r := newRig(t, nil)
	stranger := tlstest.NewCA(t, "someone else")
	tests := []struct {
		name string
		ca   *tlstest.CA
	}{{"no client certificate", nil}, {"certificate from another authority", stranger}}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := r.dial(t, "intruder", tt.ca)
			if err == nil {
				// TLS 1.3: the client learns of the refusal on reading.
				n.conn.Write(make([]byte, 60))
				n.conn.SetReadDeadline(time.Now().Add(time.Minute))
				_, err = n.conn.Read(make([]byte, 1))
			}
			if err == nil {
				t.Fatal("the connection was served")
			}
			itest.WaitFor(t, "the handshake's refusal to be counted", func() bool { return r.srv.Stats().Handshakes == uint64(i+1) })
		})
	}
	t.Run("certificate expired", func(t *testing.T) {
		c, err := tls.Dial("tcp", r.addr, &tls.Config{RootCAs: r.serverCA.Pool, ServerName: "mf.test",
			Certificates: []tls.Certificate{r.ca.Expired(t, "router-1.isp.test")}})
		if err == nil {
			defer c.Close()
			c.Write(make([]byte, 60))
			c.SetReadDeadline(time.Now().Add(time.Minute))
			_, err = c.Read(make([]byte, 1))
		}
		if err == nil {
			t.Fatal("the connection was served")
		}
		itest.WaitFor(t, "the handshake's refusal to be counted", func() bool { return r.srv.Stats().Handshakes == 3 })
	})
	t.Run("plain TCP", func(t *testing.T) {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write(make([]byte, 300))
		c.SetReadDeadline(time.Now().Add(time.Minute))
		c.Read(make([]byte, 512)) // an alert, then the end
		itest.WaitFor(t, "the handshake's refusal to be counted", func() bool { return r.srv.Stats().Handshakes == 4 })
	})
	st := r.srv.Stats()
	if r.ho.count() != 0 || len(st.NEs) != 0 {
		t.Errorf("something was served: %s", st)
	}
}

// A keep-alive is answered with its number, and counted.
func TestKeepAlive(t *testing.T) {
	r := newRig(t, nil)
	n := r.mustDial(t, "router-1.isp.test")
	for i := range uint32(3) {
		n.keepAlive(1000 + i)
	}
	if s := r.srv.Stats().NEs["router-1.isp.test"]; s.KeepAlives != 3 || s.Received != 0 || s.Bytes != 3*48 {
		t.Errorf("stats: %s", s)
	}
}

// Shutdown ends the NEs' connections and returns once they are served.
func TestShutdown(t *testing.T) {
	r := newRig(t, nil)
	n := r.mustDial(t, "router-1.isp.test")
	n.keepAlive(1)
	if err := r.srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	n.conn.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := n.conn.Read(make([]byte, 1)); err == nil {
		t.Error("the connection outlived Shutdown")
	}
	if s := r.srv.Stats().NEs["router-1.isp.test"]; s.Open != 0 || s.Faults != 0 {
		t.Errorf("stats after Shutdown: %s", s)
	}
}
