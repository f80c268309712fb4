package mediation

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var fuzzT0 = time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)

type fuzzHandover struct {
	mu  sync.Mutex
	got []struct {
		key intercept.StreamKey
		seq intercept.Seq
		pdu []byte
	}
}

func (h *fuzzHandover) Deliver(key intercept.StreamKey, seq intercept.Seq, pdu []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, struct {
		key intercept.StreamKey
		seq intercept.Seq
		pdu []byte
	}{key, seq, bytes.Clone(pdu)})
	return nil
}

func (h *fuzzHandover) Close() error { return nil }

func fuzzTask() intercept.Task {
	return intercept.Task{
		ID: [16]byte{0xa1, 1}, LIID: intercept.MustParseLIID("LIID-F"),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("192.0.2.10/32"))},
		NotBefore: fuzzT0.Add(-time.Hour), NotAfter: fuzzT0.Add(time.Hour),
		Delivery: intercept.IRIAndCC, Agency: "A",
	}
}

// seedStream is what an NE sends: an IRI record, CC records of both
// families, a retransmission and a keep-alive.
func seedStream(tb testing.TB) []byte {
	enc, err := etsi.NewEncoder(itest.Profile(time.Minute, time.Second))
	if err != nil {
		tb.Fatal(err)
	}
	x, err := x2x3.NewEncoder([]intercept.Task{fuzzTask()}, enc)
	if err != nil {
		tb.Fatal(err)
	}
	liid := fuzzTask().LIID
	cc, _ := x.Stream(intercept.StreamKey{LIID: liid, CIN: 4, Stream: intercept.CC})
	iri, _ := x.Stream(intercept.StreamKey{LIID: liid, CIN: 4, Stream: intercept.IRI})
	var b []byte
	b, err = iri.AppendIRI(b, &intercept.IRIRecord{Type: intercept.IRIReport, Event: intercept.AccessEvent{
		Type: intercept.AccessAttempt, Time: fuzzT0, Username: "u", AccessType: intercept.AccessLAN,
		Addresses: []netip.Prefix{netip.MustParsePrefix("192.0.2.10/32")}}})
	if err != nil {
		tb.Fatal(err)
	}
	v4 := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.20"), 40, 1)
	v6 := itest.Packet(netip.MustParseAddr("2001:db8::10"), netip.MustParseAddr("2001:db8::20"), 60, 2)
	for i, p := range [][]byte{v4, v6, v4} {
		b, _ = cc.AppendCC(b, &intercept.CCRecord{Seq: intercept.Seq(i % 2), Time: fuzzT0, Packet: p})
	}
	return x2x3.AppendKeepAlive(b, 9)
}

// FuzzServe feeds any byte stream to a connection of the mediation
// function: it never panics, its counters balance, and everything it
// hands over is a PS-PDU under the task's LIID whose header names the
// stream and number it was delivered under.
func FuzzServe(f *testing.F) {
	seed := seedStream(f)
	f.Add(seed)
	f.Add(seed[:len(seed)-7])
	f.Add(x2x3.AppendKeepAlive(nil, 1))
	f.Add([]byte{0, 5, 0, 2, 0, 0, 0, 40, 0, 0, 0, 0})
	enc, err := etsi.NewEncoder(itest.Profile(time.Minute, time.Second))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		clock := timesynctest.NewClock(fuzzT0)
		tab := NewTable(clock)
		if err := tab.Activate(fuzzTask()); err != nil {
			t.Fatal(err)
		}
		ho := &fuzzHandover{}
		s, err := New(Config{
			TLS:   &tls.Config{Certificates: []tls.Certificate{{}}, ClientCAs: x509.NewCertPool()},
			Tasks: tab, Clock: clock, MaxPDU: 4096, MaxCommunications: 8,
			Agencies: map[string]Agency{"A": {Encoder: enc, Handover: ho}},
		})
		if err != nil {
			t.Fatal(err)
		}
		ne := s.ne("fuzz")
		err = s.newConnState(ne).serve(bytes.NewReader(in), io.Discard, nil)
		st := ne.c.load("fuzz")
		if st.Received != st.Delivered+st.Duplicates+st.RefusedTotal() {
			t.Fatalf("counters do not balance: %s (%v)", st, err)
		}
		if int(st.Delivered) != len(ho.got) {
			t.Fatalf("%d delivered, the handover got %d", st.Delivered, len(ho.got))
		}
		for _, d := range ho.got {
			p, err := etsi.Decode(d.pdu)
			if err != nil {
				t.Fatalf("a delivered record does not decode: %v", err)
			}
			if p.Header.LIID != fuzzTask().LIID || d.key.LIID != p.Header.LIID || p.Header.CIN != d.key.CIN || p.Header.Seq != d.seq || d.key.CIN == 0 {
				t.Fatalf("a delivered record's header is not its stream's")
			}
		}
	})
}

// BenchmarkRecord is the mediation's own cost per X3 record, without TLS
// or network: a connection's loop reading 64-byte packets' PDUs from
// memory into a handover that counts.
func BenchmarkRecord(b *testing.B) {
	enc, err := etsi.NewEncoder(itest.Profile(time.Minute, time.Second))
	if err != nil {
		b.Fatal(err)
	}
	clock := timesynctest.NewClock(fuzzT0)
	tab := NewTable(clock)
	if err := tab.Activate(fuzzTask()); err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{
		TLS:   &tls.Config{Certificates: []tls.Certificate{{}}, ClientCAs: x509.NewCertPool()},
		Tasks: tab, Clock: clock,
		Agencies: map[string]Agency{"A": {Encoder: enc, Handover: countHandover{new(int)}}},
	})
	if err != nil {
		b.Fatal(err)
	}
	x, _ := x2x3.NewEncoder([]intercept.Task{fuzzTask()}, nil)
	se, _ := x.NewStream(intercept.StreamKey{LIID: fuzzTask().LIID, CIN: 4, Stream: intercept.CC})
	pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.20"), 64, 1)
	in := make([]byte, 0, b.N*(len(pkt)+60))
	for i := range b.N {
		in, _ = se.AppendCC(in, &intercept.CCRecord{Seq: intercept.Seq(i), Time: fuzzT0, Packet: pkt})
	}
	ne := s.ne("bench")
	cs := s.newConnState(ne)
	b.ReportAllocs()
	b.ResetTimer()
	if err := cs.serve(bytes.NewReader(in), io.Discard, nil); err != nil {
		b.Fatal(err)
	}
	if st := ne.c.load("bench"); st.Delivered != uint64(b.N) {
		b.Fatalf("%s", st)
	}
}

type countHandover struct{ n *int }

func (h countHandover) Deliver(intercept.StreamKey, intercept.Seq, []byte) error { *h.n++; return nil }
func (h countHandover) Close() error                                             { return nil }

// tasksOnly hides a *Table behind the Tasks interface: the server then
// reads the task for every record.
type tasksOnly struct{ t *Table }

func (o tasksOnly) Lookup(xid [16]byte) (intercept.Task, Status) { return o.t.Lookup(xid) }

// What a connection keeps of the last record's task and communication is
// never older than what it would read again: a task modified, deactivated,
// ended by the clock or activated anew, and a communication forgotten, are
// seen by the next record on the same connection.
func TestConnKeepsNothingStale(t *testing.T) {
	for _, name := range []string{"table", "tasks"} {
		t.Run(name, func(t *testing.T) {
			enc, err := etsi.NewEncoder(itest.Profile(time.Minute, time.Second))
			if err != nil {
				t.Fatal(err)
			}
			clock := timesynctest.NewClock(fuzzT0)
			tab := NewTable(clock)
			task := fuzzTask()
			if err := tab.Activate(task); err != nil {
				t.Fatal(err)
			}
			var tasks Tasks = tab
			if name == "tasks" {
				tasks = tasksOnly{tab}
			}
			ho := &fuzzHandover{}
			s, err := New(Config{
				TLS:   &tls.Config{Certificates: []tls.Certificate{{}}, ClientCAs: x509.NewCertPool()},
				Tasks: tasks, Clock: clock,
				Agencies: map[string]Agency{"A": {Encoder: enc, Handover: ho}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if (s.table != nil) != (name == "table") {
				t.Fatalf("server's table: %v", s.table)
			}
			ne := s.ne("ne")
			cs := s.newConnState(ne)
			pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.20"), 64, 1)
			seq := 0
			// send serves one X3 PDU of task (its XID, correlation ID 4)
			// and returns the reason it was refused, 0 when delivered.
			send := func(task intercept.Task) Reason {
				t.Helper()
				x, err := x2x3.NewEncoder([]intercept.Task{task}, nil)
				if err != nil {
					t.Fatal(err)
				}
				se, err := x.NewStream(intercept.StreamKey{LIID: task.LIID, CIN: 4, Stream: intercept.CC})
				if err != nil {
					t.Fatal(err)
				}
				in, err := se.AppendCC(nil, &intercept.CCRecord{Seq: intercept.Seq(seq), Time: fuzzT0, Packet: pkt})
				if err != nil {
					t.Fatal(err)
				}
				seq++
				before := ne.c.load("ne")
				if err := cs.serve(bytes.NewReader(in), io.Discard, nil); err != nil {
					t.Fatal(err)
				}
				after := ne.c.load("ne")
				if after.Received != before.Received+1 {
					t.Fatalf("not received: %s", after)
				}
				if after.Delivered == before.Delivered+1 {
					return 0
				}
				for _, r := range Reasons() {
					if after.Refused[r] == before.Refused[r]+1 {
						return r
					}
				}
				t.Fatalf("neither delivered nor refused: %s", after)
				return 0
			}
			check := func(what string, got, want Reason) {
				t.Helper()
				if got != want {
					t.Fatalf("%s: refused for %v, want %v", what, got, want)
				}
			}
			check("the task", send(task), 0)
			first := cs.last

			iriOnly := task
			iriOnly.Delivery = intercept.IRIOnly
			if err := tab.Modify(iriOnly); err != nil {
				t.Fatal(err)
			}
			check("after ModifyTask to IRI only", send(task), NotOrdered)
			if err := tab.Modify(task); err != nil {
				t.Fatal(err)
			}
			check("after ModifyTask back", send(task), 0)
			if cs.last != first {
				t.Fatal("a modification that kept the LIID and agency changed the communication")
			}

			clock.Set(task.NotAfter)
			check("at the window's end", send(task), EndedTask)
			clock.Set(fuzzT0)
			check("back in the window", send(task), 0)

			if err := tab.Deactivate(task.ID); err != nil {
				t.Fatal(err)
			}
			check("after DeactivateTask", send(task), EndedTask)

			again := task
			again.LIID = intercept.MustParseLIID("LIID-G")
			if err := tab.Activate(again); err != nil {
				t.Fatal(err)
			}
			check("the XID activated anew", send(again), 0)
			if cs.last == first || !first.gone.Load() || cs.last.liid != again.LIID {
				t.Fatal("the XID's new task was delivered under its old communication")
			}

			// The communication forgotten (as a sweep does) is looked up
			// again, not numbered under its released CIN.
			old := cs.last
			s.mu.Lock()
			ne.mu.Lock()
			s.forget(ne, cs.lastKey, old)
			ne.mu.Unlock()
			s.mu.Unlock()
			check("after its communication was forgotten", send(again), 0)
			if cs.last == old || ne.comms[cs.lastKey] != cs.last || s.ncomms != 1 {
				t.Fatal("a forgotten communication was used again")
			}

			if last := ho.got[len(ho.got)-1]; last.key.LIID != again.LIID || last.key.CIN != cs.last.cin {
				t.Fatal("the last record was not delivered under its communication")
			}
		})
	}
}
