package capture_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/internal/itest"
)

// sender is a UDP socket in namespace B bound to one of its addresses,
// sending to namespace A.
type sender struct {
	conn *net.UDPConn
	to   *net.UDPAddr
}

func newSender(t *testing.T, b itest.Netns, from, to string, port int) sender {
	t.Helper()
	var s sender
	err := b.Do(func() error {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(from)})
		s.conn = c
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.conn.Close() })
	s.to = &net.UDPAddr{IP: net.ParseIP(to), Port: port}
	return s
}

// sink listens in namespace A, so that nothing answers "port unreachable".
func sink(t *testing.T, a itest.Netns) int {
	t.Helper()
	var c4, c6 *net.UDPConn
	err := a.Do(func() error {
		var err error
		if c4, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(itest.VethA4)}); err != nil {
			return err
		}
		c6, err = net.ListenUDP("udp6", &net.UDPAddr{IP: net.ParseIP(itest.VethA6), Port: c4.LocalAddr().(*net.UDPAddr).Port})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c4.Close(); c6.Close() })
	for _, c := range []*net.UDPConn{c4, c6} {
		go func() {
			b := make([]byte, 2048)
			for {
				if _, _, err := c.ReadFrom(b); err != nil {
					return
				}
			}
		}()
	}
	return c4.LocalAddr().(*net.UDPAddr).Port
}

type seen struct {
	mu   sync.Mutex
	pkts []intercept.Packet
}

func (s *seen) deliver(batch []intercept.Packet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range batch {
		p.Data = bytes.Clone(p.Data)
		s.pkts = append(s.pkts, p)
	}
}

func (s *seen) udpFrom(src netip.Addr) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]byte
	for _, p := range s.pkts {
		if a, proto, payload := parse(p.Data); a == src && proto == 17 {
			out = append(out, payload)
		}
	}
	return out
}

// parse returns a datagram's source, protocol and UDP payload.
func parse(b []byte) (netip.Addr, byte, []byte) {
	if b[0]>>4 == 4 {
		a, _ := netip.AddrFromSlice(b[12:16])
		return a, b[9], b[20+8:]
	}
	a, _ := netip.AddrFromSlice(b[8:24])
	return a, b[6], b[40+8:]
}

// Live capture on a veth pair between two namespaces the test makes: the
// kernel filter lets in the target's packets and no one else's, whole and
// byte for byte, with kernel timestamps; a new filter takes effect at
// once.
func TestLiveCapturesTheTargetsOnly(t *testing.T) {
	a, b := itest.VethPair(t)
	port := sink(t, a)
	var live *capture.Live
	if err := a.Do(func() (err error) { live, err = capture.NewLive(capture.LiveConfig{Interface: itest.VethA}); return }); err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	target4, target6 := netip.MustParseAddr(itest.VethTarget4), netip.MustParseAddr(itest.VethTarget6)
	if err := live.SetTargets([]netip.Prefix{netip.PrefixFrom(target4, 32), netip.PrefixFrom(target6, 128)}); err != nil {
		t.Fatal(err)
	}
	var s seen
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- live.Capture(ctx, s.deliver) }()

	senders := map[netip.Addr]sender{
		target4: newSender(t, b, itest.VethTarget4, itest.VethA4, port),
		target6: newSender(t, b, itest.VethTarget6, itest.VethA6, port),
	}
	others := []sender{
		newSender(t, b, itest.VethOther4, itest.VethA4, port),
		newSender(t, b, itest.VethOther6, itest.VethA6, port),
	}
	const n = 50
	before := time.Now()
	sent := map[netip.Addr][][]byte{}
	for i := range n {
		for src, snd := range senders {
			payload := []byte(fmt.Sprintf("target %v datagram %03d", src.Is4(), i))
			sent[src] = append(sent[src], payload)
			if _, err := snd.conn.WriteToUDP(payload, snd.to); err != nil {
				t.Fatal(err)
			}
		}
		for _, o := range others {
			if _, err := o.conn.WriteToUDP([]byte("not a target"), o.to); err != nil {
				t.Fatal(err)
			}
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && (len(s.udpFrom(target4)) < n || len(s.udpFrom(target6)) < n) {
		time.Sleep(10 * time.Millisecond)
	}
	after := time.Now()
	for src := range senders {
		if got := s.udpFrom(src); !equalPayloads(got, sent[src]) {
			t.Errorf("from the IPv4 target %v: %d datagrams captured, want the %d sent, in order", src.Is4(), len(got), n)
		}
	}

	// A filter without targets keeps everything out from now on. To know
	// that none of the datagrams sent then is still to come, the target
	// is let in again and sends a marker: the ring hands packets over in
	// order, so once the marker is here, any of them taken would be too.
	if err := live.SetTargets(nil); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	had := len(s.pkts)
	s.mu.Unlock()
	for range 10 {
		senders[target4].conn.WriteToUDP([]byte("after the task ended"), senders[target4].to)
	}
	if err := live.SetTargets([]netip.Prefix{netip.PrefixFrom(target4, 32)}); err != nil {
		t.Fatal(err)
	}
	const marker = "a new task"
	senders[target4].conn.WriteToUDP([]byte(marker), senders[target4].to)
	deadline = time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && !slices.ContainsFunc(s.udpFrom(target4), func(p []byte) bool { return string(p) == marker }) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Capture = %v, want context.Canceled", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pkts) != had+1 || string(s.pkts[had].Data[28:]) != marker {
		t.Fatalf("%d packets captured after the targets were removed, want only the marker after they came back", len(s.pkts)-had)
	}
	s.pkts = s.pkts[:had]
	for _, p := range s.pkts {
		src, _, _ := parse(p.Data)
		var dst netip.Addr
		if p.Data[0]>>4 == 4 {
			dst, _ = netip.AddrFromSlice(p.Data[16:20])
		} else {
			dst, _ = netip.AddrFromSlice(p.Data[24:40])
		}
		if src != target4 && src != target6 && dst != target4 && dst != target6 {
			t.Errorf("a packet of someone else was captured (%d octets)", len(p.Data))
		}
		if p.Time.Before(before.Add(-time.Second)) || p.Time.After(after) || p.Time.Location() != time.UTC {
			t.Errorf("kernel timestamp %v outside [%v, %v] or not UTC", p.Time, before, after)
		}
		if p.Length != len(p.Data) {
			t.Errorf("a packet of %d octets was cut to %d", p.Length, len(p.Data))
		}
	}
	if st := live.Stats(); st.Received != uint64(had+1) || st.KernelDropped != 0 || st.Truncated != 0 {
		t.Errorf("stats = %+v, want %d received and nothing dropped", st, had+1)
	}
}

func equalPayloads(got, want [][]byte) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			return false
		}
	}
	return true
}

// A ring nobody reads fills; the kernel drops what follows and says how
// many, and every packet the filter let in is either received or counted
// as dropped.
func TestLiveCountsKernelDrops(t *testing.T) {
	a, b := itest.VethPair(t)
	port := sink(t, a)
	var live *capture.Live
	err := a.Do(func() (err error) {
		live, err = capture.NewLive(capture.LiveConfig{Interface: itest.VethA, BlockBytes: 8192, Blocks: 2, FrameBytes: 4096})
		return
	})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if err := live.SetTargets([]netip.Prefix{netip.MustParsePrefix(itest.VethTarget4 + "/32")}); err != nil {
		t.Fatal(err)
	}
	snd := newSender(t, b, itest.VethTarget4, itest.VethA4, port)
	const n = 300
	payload := make([]byte, 1000)
	for range n {
		if _, err := snd.conn.WriteToUDP(payload, snd.to); err != nil {
			t.Fatal(err)
		}
	}
	// Every datagram has passed the capture (the ring took it or the
	// kernel counted it dropped) once namespace A's UDP has taken it in.
	deadline := time.Now().Add(20 * time.Second)
	for udpIn(t, a) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d datagrams reached namespace A in 20 s", udpIn(t, a), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Read the ring until every datagram is accounted for, or more than
	// were sent.
	var s seen
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	target := netip.MustParseAddr(itest.VethTarget4)
	live.Capture(ctx, func(b []intercept.Packet) {
		s.deliver(b)
		if uint64(len(s.udpFrom(target)))+live.Stats().KernelDropped >= n {
			cancel()
		}
	})
	st := live.Stats()
	got := len(s.udpFrom(target))
	if st.KernelDropped == 0 || uint64(got)+st.KernelDropped != n || st.Received != uint64(got) {
		t.Errorf("stats %+v with %d datagrams captured of %d sent: want received + dropped = sent", st, got, n)
	}
}

// udpIn returns how many UDP datagrams namespace ns has taken in, to a
// socket or refused for want of room in it (/proc/net/snmp's Udp
// InDatagrams and InErrors): each had passed the packet sockets of the
// interface it came in on.
func udpIn(t *testing.T, ns itest.Netns) uint64 {
	t.Helper()
	var n uint64
	err := ns.Do(func() error {
		b, err := os.ReadFile("/proc/thread-self/net/snmp") // the thread's namespace's
		if err != nil {
			return err
		}
		var names, values []string
		for l := range strings.SplitSeq(string(b), "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == "Udp:" {
				if names == nil {
					names = f
				} else {
					values = f
				}
			}
		}
		if len(names) != len(values) {
			return fmt.Errorf("no Udp counters in /proc/net/snmp")
		}
		for i, name := range names {
			if name == "InDatagrams" || name == "InErrors" {
				v, err := strconv.ParseUint(values[i], 10, 64)
				if err != nil {
					return err
				}
				n += v
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
