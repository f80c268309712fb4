package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// t0 is 14:00 in Brussels on 23 November 2026.
var t0 = time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)

// sink is a Handover that keeps what it is given, refusing when told to.
type sink struct {
	mu     sync.Mutex
	got    []got
	refuse func(n int) bool
}

type got struct {
	key intercept.StreamKey
	seq intercept.Seq
	pdu []byte
}

func (s *sink) Deliver(key intercept.StreamKey, seq intercept.Seq, pdu []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse != nil && s.refuse(len(s.got)) {
		s.got = append(s.got, got{key: key, seq: seq}) // a refused one, kept as nil pdu
		return errors.New("full")
	}
	s.got = append(s.got, got{key: key, seq: seq, pdu: bytes.Clone(pdu)})
	return nil
}

func (s *sink) Close() error { return nil }

// pdus decodes what was accepted.
func (s *sink) pdus(t *testing.T) []*etsi.PDU {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*etsi.PDU
	for _, g := range s.got {
		if g.pdu == nil {
			continue
		}
		p, err := etsi.Decode(g.pdu)
		if err != nil {
			t.Fatalf("the pipeline wrote an undecodable PDU: %v", err)
		}
		if p.Header.Seq != g.seq || p.Header.LIID != g.key.LIID || p.Header.CIN != g.key.CIN {
			t.Fatalf("Deliver's key and seq disagree with the PDU's header")
		}
		out = append(out, p)
	}
	return out
}

type fixture struct {
	p     *pipeline.Pipeline
	sink  *sink
	clock *timesynctest.Clock
	logs  *bytes.Buffer
}

func newFixture(t *testing.T, state string) *fixture {
	t.Helper()
	enc, err := etsi.NewEncoder(itest.Profile(300*time.Second, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{sink: &sink{}, clock: timesynctest.NewClock(t0.Add(-time.Hour)), logs: &bytes.Buffer{}}
	f.p, err = pipeline.New(pipeline.Config{
		Agencies:  map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: enc, Handover: f.sink}},
		Clock:     f.clock,
		StatePath: state,
		Logger:    slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var (
	alice4 = netip.MustParseAddr("192.0.2.10")
	alice6 = netip.MustParseAddr("2001:db8:10::1")
	bob4   = netip.MustParseAddr("198.51.100.7")
	peer4  = netip.MustParseAddr("203.0.113.99")
	peer6  = netip.MustParseAddr("2001:db8:ffff::9")
)

func task(id byte, liid string, nb, na time.Time, targets ...intercept.Target) intercept.Task {
	return intercept.Task{
		ID: [16]byte{id}, LIID: intercept.MustParseLIID(liid), Targets: targets,
		NotBefore: nb, NotAfter: na, Delivery: intercept.IRIAndCC, Agency: "NTSU-CTIF",
		AccessType: intercept.AccessType(0),
	}
}

func pkt(at time.Time, src, dst netip.Addr) intercept.Packet {
	d := itest.Packet(src, dst, 80, 1)
	return intercept.Packet{Time: at, Data: d, Length: len(d)}
}

func TestStaticTargetsDirectionAndCounts(t *testing.T) {
	f := newFixture(t, "")
	f.clock.Set(t0)
	err := f.p.SetTasks([]intercept.Task{task(1, "LIID-A", t0, t0.Add(time.Hour),
		intercept.AddressTarget(netip.PrefixFrom(alice4, 32)),
		intercept.AddressTarget(netip.MustParsePrefix("2001:db8:10::/48")))})
	if err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Minute)
	batch := []intercept.Packet{
		pkt(at, alice4, peer4),
		pkt(at, peer4, alice4),
		pkt(at, alice4, alice4),
		pkt(at, bob4, peer4),
		pkt(at, alice6, peer6),
		pkt(at, peer6, alice6),
		{Time: at, Data: []byte{0x45, 0}, Length: 2},
		{Time: at, Data: []byte{0x10, 1, 2}, Length: 3},
	}
	f.p.Process(batch)
	var dirs []intercept.Direction
	var packets [][]byte
	for _, p := range f.sink.pdus(t) {
		if p.Payload.Kind != etsi.CCSequence {
			continue
		}
		dirs = append(dirs, p.Payload.CC[0].Direction)
		packets = append(packets, p.Payload.CC[0].Packet)
	}
	want := []intercept.Direction{intercept.FromTarget, intercept.ToTarget, intercept.Indeterminate, intercept.FromTarget, intercept.ToTarget}
	if diff := cmp.Diff(want, dirs); diff != "" {
		t.Errorf("directions (-want +got):\n%s", diff)
	}
	for i, j := range []int{0, 1, 2, 4, 5} {
		if !bytes.Equal(packets[i], batch[j].Data) {
			t.Errorf("record %d does not carry packet %d byte for byte", i, j)
		}
	}
	st := f.p.Stats()
	if st.Packets != 8 || st.NotIP != 2 || st.Unmatched != 1 {
		t.Errorf("packets/notIP/unmatched = %d/%d/%d, want 8/2/1", st.Packets, st.NotIP, st.Unmatched)
	}
	if len(st.LIIDs) != 1 || st.LIIDs[0].CC.Delivered != 5 || st.LIIDs[0].CC.Matched != 5 || st.LIIDs[0].State != "active" {
		t.Errorf("LIID stats = %+v", st.LIIDs)
	}
}

func TestValidityWindowBoundaries(t *testing.T) {
	nb := t0
	na := t0.Add(30 * time.Minute)
	tests := []struct {
		name string
		at   time.Time
		in   bool
	}{
		{"one nanosecond before NotBefore", nb.Add(-1), false},
		{"at NotBefore", nb, true},
		{"one nanosecond before NotAfter", na.Add(-1), true},
		{"at NotAfter", na, false},
		{"long after", na.Add(24 * time.Hour), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "")
			if err := f.p.SetTasks([]intercept.Task{task(1, "LIID-W", nb, na, intercept.AddressTarget(netip.PrefixFrom(alice4, 32)))}); err != nil {
				t.Fatal(err)
			}
			f.p.Process([]intercept.Packet{pkt(tc.at, alice4, peer4)})
			st := f.p.Stats().LIIDs[0]
			if got := st.CC.Delivered == 1; got != tc.in {
				t.Errorf("intercepted = %v, want %v", got, tc.in)
			}
			if got := st.OutsideWindow == 1; got == tc.in {
				t.Errorf("OutsideWindow = %d", st.OutsideWindow)
			}
		})
	}
}

// TestEndJudgedOnCaptureTime: Tick ends a task on the clock, while the
// capture may still hold packets captured inside its window (a ring block
// the kernel has not handed over, a capture thread behind under load).
// They are intercepted when they come, not dropped as nobody's; a packet
// captured at the end is outside the window; once the packet path has
// judged it, the next Tick takes the task out of the table and the kernel
// filter.
func TestEndJudgedOnCaptureTime(t *testing.T) {
	f := newFixture(t, "")
	f.clock.Set(t0)
	end := t0.Add(time.Hour)
	alice := netip.PrefixFrom(alice4, 32)
	if err := f.p.SetTasks([]intercept.Task{task(1, "LIID-E", t0, end, intercept.AddressTarget(alice))}); err != nil {
		t.Fatal(err)
	}
	src := &filteringSource{started: make(chan struct{})}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.p.Run(ctx, src) }()
	<-src.started

	f.p.Process([]intercept.Packet{pkt(end.Add(-time.Minute), alice4, peer4)})
	f.p.Tick(end.Add(50 * time.Millisecond)) // the capture is behind the clock
	f.p.Process([]intercept.Packet{pkt(end.Add(-time.Millisecond), peer4, alice4), pkt(end, alice4, peer4)})
	if got := src.last(); len(got) != 1 || got[0] != alice {
		t.Errorf("filter while the ended task lingers: %v, want %v", got, alice)
	}
	f.p.Tick(end.Add(time.Second))
	f.p.Process([]intercept.Packet{pkt(end.Add(time.Second), alice4, peer4)})
	if got := src.last(); len(got) != 0 {
		t.Errorf("filter after the task left the table: %v, want empty", got)
	}
	cancel()
	<-done

	st := f.p.Stats()
	l := st.LIIDs[0]
	if l.State != "ended" || l.CC.Delivered != 2 || l.OutsideWindow != 1 || st.Unmatched != 1 {
		t.Errorf("stats = %+v, unmatched %d: want 2 intercepted, 1 outside the window, 1 of no target", l, st.Unmatched)
	}
	want := []string{"HI1 liActivated 13:00 seq=0", "HI1 liDeactivated 14:00 seq=1"}
	if diff := cmp.Diff(want, iris(t, f.sink)); diff != "" {
		t.Errorf("HI1 records (-want +got):\n%s", diff)
	}
}

// iris returns the IRI and HI1 PDUs as short descriptions.
func iris(t *testing.T, s *sink) []string {
	t.Helper()
	var out []string
	for _, p := range s.pdus(t) {
		h := p.Header
		switch p.Payload.Kind {
		case etsi.IRISequence:
			ip := p.Payload.IRI[0]
			out = append(out, ip.Type.String()+"/"+ip.IPIRI.AccessEventType.String()+" "+h.Time.Format("15:04")+" seq="+itoa(h.Seq))
		case etsi.HI1Operation:
			out = append(out, "HI1 "+[...]string{"", "liActivated", "liDeactivated", "liModified"}[p.Payload.HI1.Kind]+" "+p.Payload.HI1.Time.Format("15:04")+" seq="+itoa(h.Seq))
		}
	}
	return out
}

func itoa(s intercept.Seq) string { return string(rune('0' + s)) }

func TestSessionLifecycleAndIRIs(t *testing.T) {
	f := newFixture(t, "")
	tk := task(1, "LIID-S", t0, t0.Add(time.Hour), intercept.UsernameTarget("alice@vpn"))
	if err := f.p.SetTasks([]intercept.Task{tk}); err != nil {
		t.Fatal(err)
	}
	sess := intercept.AccessEvent{
		Type: intercept.SessionStart, Time: t0.Add(-10 * time.Minute), SessionID: "acct-1",
		Username: "alice@vpn", Addresses: []netip.Prefix{netip.PrefixFrom(alice4, 32), netip.MustParsePrefix("2001:db8:10::/56")},
		Assignment: intercept.AssignmentDynamic, AccessType: intercept.AccessType(5),
	}
	// The session starts before the window: nothing is sent, the session is kept.
	if err := f.p.HandleEvent(sess); err != nil {
		t.Fatal(err)
	}
	f.p.Process([]intercept.Packet{pkt(t0.Add(-time.Minute), alice4, peer4)})
	f.p.Tick(t0.Add(3 * time.Second)) // the window opened at t0
	f.p.Process([]intercept.Packet{pkt(t0.Add(time.Minute), alice4, peer4), pkt(t0.Add(time.Minute), peer6, alice6)})
	up := sess
	up.Type, up.Time, up.Addresses = intercept.InterimUpdate, t0.Add(5*time.Minute), nil
	up.Start = t0.Add(-9 * time.Minute) // derived again, less precisely: the first start stays
	if err := f.p.HandleEvent(up); err != nil {
		t.Fatal(err)
	}
	end := up
	end.Type, end.Time, end.EndReason = intercept.SessionEnd, t0.Add(10*time.Minute), intercept.EndRegular
	end.End, end.Username = end.Time, "" // a stop reporting its end and counts, not the identity
	sent := uint64(4321)
	end.OctetsSent = &sent
	if err := f.p.HandleEvent(end); err != nil {
		t.Fatal(err)
	}
	f.p.Process([]intercept.Packet{pkt(t0.Add(11*time.Minute), alice4, peer4)}) // the address is no longer alice's
	again := sess
	again.SessionID, again.Time = "acct-2", t0.Add(20*time.Minute)
	if err := f.p.HandleEvent(again); err != nil {
		t.Fatal(err)
	}
	f.p.Tick(t0.Add(time.Hour + time.Second))
	// Captured at the end, judged after Tick ended the task: outside the
	// window, on its capture time; the packet path has passed the end, so
	// the next Tick takes the task out of the table.
	f.p.Process([]intercept.Packet{pkt(t0.Add(time.Hour), alice4, peer4)})
	f.p.Tick(t0.Add(time.Hour + 2*time.Second))
	f.p.Process([]intercept.Packet{pkt(t0.Add(time.Hour+2*time.Second), alice4, peer4)})

	want := []string{
		"HI1 liActivated 13:00 seq=0",
		"iRI-Begin/startOfInterceptionWithSessionActive 13:00 seq=0",
		"iRI-Continue/interimUpdate 13:05 seq=1",
		"iRI-End/sessionEnd 13:10 seq=2",
		"iRI-Begin/sessionStart 13:20 seq=0",
		"iRI-End/endOfInterceptionWithSessionActive 14:00 seq=1",
		"HI1 liDeactivated 14:00 seq=1",
	}
	if diff := cmp.Diff(want, iris(t, f.sink)); diff != "" {
		t.Errorf("IRI and HI1 records (-want +got):\n%s", diff)
	}
	// The mid-session IRI-Begin carries the whole session.
	for _, p := range f.sink.pdus(t) {
		if p.Payload.Kind == etsi.IRISequence && p.Payload.IRI[0].IPIRI.AccessEventType == intercept.StartOfInterceptionWithSessionActive {
			ip := p.Payload.IRI[0].IPIRI
			if ip.TargetUsername != "alice@vpn" || ip.TargetAddress.Prefix != netip.PrefixFrom(alice4, 32) ||
				ip.AdditionalAddress.Prefix != netip.MustParsePrefix("2001:db8:10::/56") ||
				!ip.StartTime.Equal(t0.Add(-10*time.Minute)) || ip.AccessType != 5 {
				t.Errorf("the mid-session IRI-Begin lacks the session's attributes: %+v", ip)
			}
		}
	}
	// The IRI-End carries the session's attributes with the end's own.
	for _, p := range f.sink.pdus(t) {
		if p.Payload.Kind == etsi.IRISequence && p.Payload.IRI[0].IPIRI.AccessEventType == intercept.SessionEnd {
			ip := p.Payload.IRI[0].IPIRI
			if ip.TargetUsername != "alice@vpn" || ip.TargetAddress.Prefix != netip.PrefixFrom(alice4, 32) ||
				!ip.EndTime.Equal(t0.Add(10*time.Minute)) || ip.EndReason != intercept.EndRegular ||
				!ip.StartTime.Equal(t0.Add(-10*time.Minute)) ||
				ip.OctetsTransmitted == nil || *ip.OctetsTransmitted != 4321 {
				t.Errorf("the IRI-End lacks the session's or the end's attributes: %+v", ip)
			}
		}
	}
	st := f.p.Stats()
	l := st.LIIDs[0]
	if l.CC.Delivered != 2 || l.OutsideWindow != 2 || l.IRI.Delivered != 7 || l.HI1 != 2 || l.State != "ended" {
		t.Errorf("stats = %+v", l)
	}
	// After the session ended its address is nobody's, and after the
	// task ended and left the table it is nobody's again: both packets
	// match nothing.
	if st.Unmatched != 2 {
		t.Errorf("unmatched = %d, want 2", st.Unmatched)
	}
}

func TestTaskAddedModifiedRemovedMidSession(t *testing.T) {
	f := newFixture(t, "")
	f.clock.Set(t0.Add(-time.Hour))
	if err := f.p.HandleEvent(intercept.AccessEvent{Type: intercept.AccessAccept, Time: t0.Add(-time.Hour), SessionID: "s",
		Username: "bob", Addresses: []netip.Prefix{netip.PrefixFrom(bob4, 32)}}); err != nil {
		t.Fatal(err)
	}
	// Given at 13:15 for a window that opened at 13:00: activated at 13:15.
	f.clock.Set(t0.Add(15 * time.Minute))
	tk := task(2, "LIID-M", t0, t0.Add(5*time.Hour), intercept.UsernameTarget("bob"))
	if err := f.p.SetTasks([]intercept.Task{tk}); err != nil {
		t.Fatal(err)
	}
	// Modified at 13:30: CC dropped, same LIID; it stays active.
	f.clock.Set(t0.Add(30 * time.Minute))
	tk.Delivery = intercept.IRIOnly
	if err := f.p.SetTasks([]intercept.Task{tk}); err != nil {
		t.Fatal(err)
	}
	f.p.Process([]intercept.Packet{pkt(t0.Add(31*time.Minute), bob4, peer4)})
	// Removed at 13:45.
	f.clock.Set(t0.Add(45 * time.Minute))
	if err := f.p.SetTasks(nil); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"HI1 liActivated 13:15 seq=0",
		"iRI-Begin/startOfInterceptionWithSessionActive 13:15 seq=0",
		"HI1 liModified 13:30 seq=1",
		"iRI-End/endOfInterceptionWithSessionActive 13:45 seq=1",
		"HI1 liDeactivated 13:45 seq=2",
	}
	if diff := cmp.Diff(want, iris(t, f.sink)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if st := f.p.Stats(); st.LIIDs[0].CC.Matched != 0 || st.LIIDs[0].State != "removed" {
		t.Errorf("stats = %+v", st.LIIDs[0])
	}
}

func TestRestartSendsCINReset(t *testing.T) {
	state := filepath.Join(t.TempDir(), "seq.json")
	tk := task(3, "LIID-R", t0, t0.Add(time.Hour), intercept.AddressTarget(netip.PrefixFrom(alice4, 32)))
	f := newFixture(t, state)
	if err := f.p.SetTasks([]intercept.Task{tk}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		f.p.Process([]intercept.Packet{pkt(t0.Add(time.Minute), alice4, peer4)})
	}
	if err := f.p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.p.SetTasks(nil); !errors.Is(err, pipeline.ErrClosed) {
		t.Errorf("SetTasks after Close: %v", err)
	}
	data, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(data), `"next": 3`) {
		t.Fatalf("state file: %v\n%s", err, data)
	}

	g := newFixture(t, state)
	if err := g.p.SetTasks([]intercept.Task{tk}); err != nil {
		t.Fatal(err)
	}
	g.p.Process([]intercept.Packet{pkt(t0.Add(2*time.Minute), alice4, peer4), pkt(t0.Add(2*time.Minute), alice4, peer4)})
	var got []string
	for _, p := range g.sink.pdus(t) {
		if p.Header.CIN == 0 {
			continue // HI1 on the LIID's own stream
		}
		switch p.Payload.Kind {
		case etsi.TRIPayload:
			got = append(got, "TRI "+p.Payload.TRI.String()+" seq="+itoa(p.Header.Seq))
		case etsi.CCSequence:
			got = append(got, "CC seq="+itoa(p.Header.Seq))
		}
	}
	want := []string{"TRI cINReset seq=0", "CC seq=0", "CC seq=1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after restart (-want +got):\n%s", diff)
	}
	if l := g.p.Stats().LIIDs[0]; l.CINResets != 1 { // the CC stream; the HI1 stream has sent nothing yet
		t.Errorf("CINResets = %d, want 1", l.CINResets)
	}
}

func TestBrokenStateFileIsRefused(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":        "{",
		"unknown field":   `{"version":1,"streams":[],"extra":1}`,
		"wrong version":   `{"version":9,"streams":[]}`,
		"unknown stream":  `{"version":1,"streams":[{"liid":"L","cin":1,"stream":"X","next":1}]}`,
		"LIID too long":   `{"version":1,"streams":[{"liid":"12345678901234567890123456","cin":1,"stream":"CC","next":1}]}`,
		"negative number": `{"version":1,"streams":[{"liid":"L","cin":-1,"stream":"CC","next":1}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "seq.json")
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			enc, _ := etsi.NewEncoder(itest.Profile(time.Minute, time.Second))
			_, err := pipeline.New(pipeline.Config{
				Agencies: map[string]pipeline.Agency{"A": {Encoder: enc, Handover: &sink{}}},
				Clock:    timesynctest.NewClock(t0), StatePath: path,
			})
			if !errors.Is(err, pipeline.ErrState) {
				t.Errorf("err = %v, want ErrState", err)
			}
		})
	}
}

func TestRefusedRecordsAreCountedGaps(t *testing.T) {
	f := newFixture(t, "")
	f.sink.refuse = func(n int) bool { return n%3 == 2 }
	if err := f.p.SetTasks([]intercept.Task{task(4, "LIID-Q", t0, t0.Add(time.Hour), intercept.AddressTarget(netip.PrefixFrom(alice4, 32)))}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(t0)
	for range 9 {
		f.p.Process([]intercept.Packet{pkt(t0.Add(time.Second), alice4, peer4)})
	}
	var seqs []intercept.Seq
	for _, p := range f.sink.pdus(t) {
		if p.Payload.Kind == etsi.CCSequence {
			seqs = append(seqs, p.Header.Seq)
		}
	}
	l := f.p.Stats().LIIDs[0]
	gaps := 0
	for i := 1; i < len(seqs); i++ {
		gaps += int(seqs[i].Since(seqs[i-1]) - 1)
	}
	if l.CC.Matched != 9 || l.CC.Delivered+l.CC.Refused != 9 || uint64(len(seqs)) != l.CC.Delivered {
		t.Errorf("stats %+v, %d delivered", l.CC, len(seqs))
	}
	lastRefused := 9 - int(seqs[len(seqs)-1]) - 1 // refusals after the last delivered number
	if uint64(gaps+lastRefused+int(seqs[0])) != l.CC.Refused {
		t.Errorf("the receiver would see %d missing numbers, the pipeline counted %d refused", gaps+lastRefused+int(seqs[0]), l.CC.Refused)
	}
	if !strings.Contains(f.p.Stats().String(), "LOST: handover queue full") {
		t.Errorf("status does not say what was lost:\n%s", f.p.Stats())
	}
}

func TestSetTasksRefusesWholeSetListingEveryProblem(t *testing.T) {
	f := newFixture(t, "")
	good := task(5, "SECRET-LIID", t0, t0.Add(time.Hour), intercept.AddressTarget(netip.PrefixFrom(alice4, 32)))
	dupID := task(5, "OTHER", t0, t0.Add(time.Hour), intercept.UsernameTarget("alice"))
	dupLIID := task(6, "SECRET-LIID", t0, t0.Add(time.Hour), intercept.UsernameTarget("alice"))
	unknown := task(7, "THIRD", t0, t0.Add(time.Hour), intercept.UsernameTarget("alice"))
	unknown.Agency = "nobody"
	invalid := task(8, "FOURTH", t0.Add(time.Hour), t0, intercept.UsernameTarget("alice"))
	err := f.p.SetTasks([]intercept.Task{good, dupID, dupLIID, unknown, invalid})
	if !errors.Is(err, pipeline.ErrTasks) || !errors.Is(err, intercept.ErrTask) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"tasks[1].ID", "tasks[2].LIID", "tasks[3].Agency", "tasks[4]: intercept: task"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	for _, secret := range []string{"SECRET", "alice", "192.0.2"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error quotes case detail %q", secret)
		}
	}
	if st := f.p.Stats(); len(st.LIIDs) != 0 {
		t.Errorf("a refused set changed the pipeline: %+v", st.LIIDs)
	}
	// Moving a task to another agency is refused.
	if err := f.p.SetTasks([]intercept.Task{good}); err != nil {
		t.Fatal(err)
	}
	moved := good
	moved.Agency = "elsewhere"
	if err := f.p.SetTasks([]intercept.Task{moved}); !errors.Is(err, pipeline.ErrTasks) {
		t.Errorf("agency change: %v", err)
	}
}

func TestEventsRefused(t *testing.T) {
	f := newFixture(t, "")
	for name, ev := range map[string]intercept.AccessEvent{
		"no session ID":  {Type: intercept.SessionStart, Time: t0},
		"unknown type":   {Type: 99, Time: t0, SessionID: "x"},
		"no time":        {Type: intercept.SessionStart, SessionID: "x"},
		"invalid prefix": {Type: intercept.SessionStart, Time: t0, SessionID: "x", Addresses: []netip.Prefix{{}}},
	} {
		if err := f.p.HandleEvent(ev); !errors.Is(err, pipeline.ErrEvent) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestNoTargetInLogsOrStatus(t *testing.T) {
	f := newFixture(t, "")
	if err := f.p.HandleEvent(intercept.AccessEvent{Type: intercept.SessionStart, Time: t0, SessionID: "sess-secret",
		Username: "carol@example", Addresses: []netip.Prefix{netip.PrefixFrom(alice4, 32)}}); err != nil {
		t.Fatal(err)
	}
	tk := task(9, "LIID-X", t0, t0.Add(time.Hour), intercept.UsernameTarget("carol@example"), intercept.AddressTarget(netip.MustParsePrefix("2001:db8:10::/48")))
	f.clock.Set(t0.Add(time.Minute))
	if err := f.p.SetTasks([]intercept.Task{tk}); err != nil {
		t.Fatal(err)
	}
	f.p.Process([]intercept.Packet{pkt(t0.Add(2*time.Minute), alice4, peer4)})
	f.p.Tick(t0.Add(2 * time.Hour))
	out := f.logs.String() + f.p.Stats().String()
	for _, secret := range []string{"carol", "192.0.2.10", "2001:db8:10", "sess-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("logs or status quote %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(f.logs.String(), "interception activated") {
		t.Errorf("the activation was not logged:\n%s", f.logs)
	}
}

func TestStaticSessionSource(t *testing.T) {
	f := newFixture(t, "")
	src := pipeline.Static{{SessionID: "static-1", Time: t0, Username: "dave", Addresses: []netip.Prefix{netip.PrefixFrom(bob4, 32)}}}
	if err := f.p.RunSessions(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	if err := f.p.SetTasks([]intercept.Task{task(10, "LIID-D", t0, t0.Add(time.Hour), intercept.UsernameTarget("dave"))}); err != nil {
		t.Fatal(err)
	}
	f.p.Tick(t0)
	f.p.Process([]intercept.Packet{pkt(t0.Add(time.Second), peer4, bob4)})
	l := f.p.Stats().LIIDs[0]
	if l.CC.Delivered != 1 || l.IRI.Delivered != 2 { // HI1 + startOfInterceptionWithSessionActive
		t.Errorf("stats = %+v", l)
	}
	for _, p := range f.sink.pdus(t) {
		if p.Payload.Kind == etsi.IRISequence && p.Payload.IRI[0].IPIRI.TargetAddress.Assignment != intercept.AssignmentStatic {
			t.Errorf("a static session's address is not marked static")
		}
	}
}
