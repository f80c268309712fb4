package radius_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// collect is a Handover keeping every PDU.
type collect struct {
	mu   sync.Mutex
	pdus [][]byte
}

func (c *collect) Deliver(_ intercept.StreamKey, _ intercept.Seq, pdu []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pdus = append(c.pdus, bytes.Clone(pdu))
	return nil
}

func (c *collect) Close() error { return nil }

func (c *collect) decoded(t *testing.T) []*etsi.PDU {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*etsi.PDU
	for _, b := range c.pdus {
		p, err := etsi.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestServerFeedsThePipeline: an order names a subscriber, not an
// address. The NAS's accounting, through the Server, tells the pipeline
// which address the subscriber holds: the session's IRIs go out with the
// RADIUS attributes, the subscriber's packets are intercepted while the
// session lasts and not after it.
func TestServerFeedsThePipeline(t *testing.T) {
	const user = "alice@neutrinet.example"
	p, out := userPipeline(t, user, intercept.IRIAndCC)

	conn := listen(t)
	srv, err := radius.NewServer(conn, radius.Config{
		Clients: []radius.Client{{Prefix: netip.MustParsePrefix("127.0.0.1/32"), Secret: []byte(secret)}},
		Clock:   timesynctest.NewClock(at),
		Options: radius.Options{AccessType: intercept.AccessFTTx},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, p.HandleEvent) }()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Serve = %v", err)
		}
	}()
	n := dialNAS(t, &server{addr: udpAddr(conn)})

	addr := netip.MustParseAddr("198.51.100.7")
	peer := netip.MustParseAddr("203.0.113.5")
	pkt := itest.Packet(addr, peer, 100, 0)
	p.Process([]intercept.Packet{{Time: at, Data: pkt, Length: len(pkt)}}) // no session yet: not hers
	startReq := packet(t, secret, 1, u32(tStatus, 1), str(tSessionID, "s-42"), str(tUserName, user),
		str(tNASIdentifier, "bras-1"), ip(tFramedIP, addr.String()), u32(tEventTimestamp, uint32(at.Unix()+1)))
	n.send(startReq)
	n.answer(startReq) // answered once the pipeline has the session
	p.Process([]intercept.Packet{{Time: at.Add(2 * time.Second), Data: pkt, Length: len(pkt)}})
	stopReq := packet(t, secret, 2, u32(tStatus, 2), str(tSessionID, "s-42"), str(tUserName, user),
		str(tNASIdentifier, "bras-1"), u32(tSessionTime, 2), u32(tOutOctets, 100), u32(tEventTimestamp, uint32(at.Unix()+3)))
	n.send(stopReq)
	n.answer(stopReq)
	p.Process([]intercept.Packet{{Time: at.Add(4 * time.Second), Data: pkt, Length: len(pkt)}}) // session over

	var got []string
	for _, d := range out.decoded(t) {
		switch d.Payload.Kind {
		case etsi.IRISequence:
			x := d.Payload.IRI[0].IPIRI
			got = append(got, fmt.Sprintf("IRI %v %v user=%t access=%v addr=%v %v start=%s end=%s received=%v",
				d.Payload.IRI[0].Type, x.AccessEventType, x.TargetUsername == user, x.AccessType, x.TargetAddress.Prefix, x.TargetAddress.Assignment,
				x.StartTime.Format(time.TimeOnly), x.EndTime.Format(time.TimeOnly), deref(x.OctetsReceived)))
		case etsi.CCSequence:
			got = append(got, fmt.Sprintf("CC %v %d octets", d.Payload.CC[0].Direction, len(d.Payload.CC[0].Packet)))
		case etsi.HI1Operation:
			got = append(got, "HI1")
		}
	}
	want := []string{
		"HI1",
		"IRI iRI-Begin sessionStart user=true access=fiber addr=198.51.100.7/32 dynamic start=09:14:01 end=00:00:00 received=-",
		"CC fromTarget 100 octets",
		"IRI iRI-End sessionEnd user=true access=fiber addr=198.51.100.7/32 dynamic start=09:14:01 end=09:14:03 received=100",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("records handed over (-want +got):\n%s", d)
	}
}

// userPipeline is a pipeline with one task on a username, open an hour
// either side of at, and what it hands over.
func userPipeline(t *testing.T, user string, d intercept.Delivery) (*pipeline.Pipeline, *collect) {
	t.Helper()
	out := &collect{}
	enc, err := etsi.NewEncoder(itest.Profile(300*time.Second, 30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{
		Agencies: map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: enc, Handover: out}},
		Clock:    timesynctest.NewClock(at),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.SetTasks([]intercept.Task{{
		ID: [16]byte{7}, LIID: intercept.MustParseLIID("BE-2026-0077"),
		Targets:   []intercept.Target{intercept.UsernameTarget(user)},
		NotBefore: at.Add(-time.Hour), NotAfter: at.Add(time.Hour),
		Delivery: d, Agency: "NTSU-CTIF",
	}}); err != nil {
		t.Fatal(err)
	}
	return p, out
}

func deref(p *uint64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

func listen(t *testing.T) net.PacketConn {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func udpAddr(c net.PacketConn) *net.UDPAddr { return c.LocalAddr().(*net.UDPAddr) }

// TestTeeOneCaptureForSessionsAndPackets: one capture of a BRAS's uplink
// holds both the accounting and the subscriber's traffic. Through Tee the
// pipeline learns of the session before the packets that follow it, in
// capture order: the packet before the Start and the one after the Stop
// are nobody's, the one between is hers.
func TestTeeOneCaptureForSessionsAndPackets(t *testing.T) {
	p, out := userPipeline(t, "alice@neutrinet.example", intercept.CCOnly)
	data := func(d time.Duration, n byte) frame {
		return frame{at: d, src: "198.51.100.7:5000", dst: "203.0.113.5:443", payload: []byte{n, n, n}}
	}
	capFile := writeCapture(t, []frame{
		data(0, 1),
		{at: time.Second, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: packet(t, secret, 1, base(1, ip(tFramedIP, "198.51.100.7"))...)},
		data(2*time.Second, 2),
		{at: 3 * time.Second, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: packet(t, secret, 2, base(2)...)},
		data(4*time.Second, 3),
	})
	src, err := capture.NewFile(bytes.NewReader(capFile))
	if err != nil {
		t.Fatal(err)
	}
	m, err := radius.NewMirror(src, mirrorConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(t.Context(), m.Tee(func(ev intercept.AccessEvent) {
		if err := p.HandleEvent(ev); err != nil {
			t.Error(err)
		}
	})); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for _, d := range out.decoded(t) {
		if d.Payload.Kind == etsi.CCSequence {
			pk := d.Payload.CC[0].Packet
			got = append(got, pk[len(pk)-1])
		}
	}
	if d := cmp.Diff([]byte{2}, got); d != "" {
		t.Errorf("intercepted packets (-want +got):\n%s", d)
	}
	if st := m.Stats(); st.Events != 2 || st.Received != 2 {
		t.Errorf("Stats = %+v", st)
	}
}
