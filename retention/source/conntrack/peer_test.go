package conntrack_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/testenv"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// collector gathers what a Reader hands on from another goroutine.
type collector struct {
	mu       sync.Mutex
	mappings []retention.Mapping
	closed   int
	open     map[flowKey]bool
}

// flowKey is what a closed mapping shares with its open one.
type flowKey struct {
	public, inside netip.AddrPort
	proto          uint8
	from           timesync.Timestamp
}

func (c *collector) emit(m retention.Mapping) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mappings = append(c.mappings, m)
	k := flowKey{netip.AddrPortFrom(m.Public, m.Ports.First), netip.AddrPortFrom(m.Inside, m.InsidePort), m.Protocol, m.From}
	if c.open == nil {
		c.open = map[flowKey]bool{}
	}
	if m.Open() {
		c.open[k] = true
	} else {
		c.closed++
		delete(c.open, k)
	}
	return nil
}

// counts returns how many mappings were handed on, how many closed, and
// how many are open.
func (c *collector) counts() (all, closed, open int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.mappings), c.closed, len(c.open)
}

// settled reports whether each of the flows the test looks up (by
// protocol, its inside address and port) was reported destroyed, and none
// of them is open again. The warm-up flows are left out: on a loaded
// machine the kernel may drop some of their events (netlink's buffer is
// full), which is conntrack's limit, not the reader's.
func (c *collector) settled(inside map[uint8]netip.AddrPort) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for proto, in := range inside {
		closed := false
		for _, m := range c.mappings {
			if !m.Open() && m.Protocol == proto && netip.AddrPortFrom(m.Inside, m.InsidePort) == in {
				closed = true
			}
		}
		if !closed {
			return false
		}
		for k := range c.open {
			if k.proto == proto && k.inside == in {
				return false
			}
		}
	}
	return true
}

// seen is what the server saw of one exchange: the public address and
// port the client came from, and when.
type seen struct {
	from  netip.AddrPort
	at    time.Time
	proto uint8
}

// TestMasqueradePeer: a real nftables masquerade box in a network
// namespace between a subscriber and a server, with conntrack -E
// reporting its events while UDP and TCP traffic flows; the events are
// read into mappings, and the public address and port the server saw, at
// the second it saw them, lead back to the subscriber's inside address
// and port.
func TestMasqueradePeer(t *testing.T) {
	nft := testenv.LookPath(t, "nft", "nftables")
	ct := testenv.LookPath(t, "conntrack", "conntrack")
	ns := itest.Namespaces(t, 3)
	client, box, server := ns[0], ns[1], ns[2]
	itest.Veth(t, client, "sub0", "100.64.0.2/24", box, "in0", "100.64.0.1/24")
	itest.Veth(t, box, "out0", "198.51.100.1/24", server, "srv0", "198.51.100.2/24")
	client.Run(t, "ip", "route", "add", "default", "via", "100.64.0.1")
	box.Run(t, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward")
	// A closing connection's late segments must not open a flow again
	// after the table is flushed (the box's own namespace: its sysctl
	// only): no pick-up of TCP flows in mid-stream.
	box.Run(t, "sh", "-c", "echo 0 > /proc/sys/net/netfilter/nf_conntrack_tcp_loose")
	ruleset := "table ip ccjkit_nat {\n chain post {\n  type nat hook postrouting priority srcnat;\n  oifname \"out0\" masquerade\n }\n}\n"
	cmd := box.Command(nft, "-f", "-")
	cmd.Stdin = strings.NewReader(ruleset)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nft: %v\n%s", err, out)
	}

	// conntrack -E on the box, read as it prints.
	mon := box.Command(ct, "-E", "-o", "timestamp,extended")
	stdout, err := mon.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr itest.SyncBuffer
	mon.Stderr = &stderr
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mon.Process.Kill(); _ = mon.Wait() })
	r := newReader(t)
	var got collector
	done := make(chan error, 1)
	// What conntrack printed is kept for a failure's log: test traffic,
	// between test addresses.
	var raw itest.SyncBuffer
	go func() { done <- r.ReadAll(io.TeeReader(stdout, &raw), got.emit) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("conntrack printed:\n%s", raw.String())
		}
	})

	// Listeners on the server.
	var udp *net.UDPConn
	var tcp *net.TCPListener
	if err := server.Do(func() (err error) {
		if udp, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 51, 100, 2), Port: 9000}); err != nil {
			return err
		}
		tcp, err = net.ListenTCP("tcp4", &net.TCPAddr{IP: net.IPv4(198, 51, 100, 2), Port: 9001})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	defer tcp.Close()

	// Until conntrack reports, send warm-up datagrams from new ports.
	itest.WaitFor(t, "conntrack -E to report a flow", func() bool {
		_ = client.Do(func() error {
			c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IPv4(198, 51, 100, 2), Port: 9})
			if err == nil {
				_, _ = c.Write([]byte("warm-up"))
				c.Close()
			}
			return nil
		})
		n, _, _ := got.counts()
		return n > 0
	})

	var exchanges []seen
	// UDP from a fixed inside port; the second datagram, 1.2 s after
	// the first, is the one looked up: by then conntrack has surely
	// reported the flow.
	var uc *net.UDPConn
	if err := client.Do(func() (err error) {
		uc, err = net.DialUDP("udp4", &net.UDPAddr{IP: net.IPv4(100, 64, 0, 2), Port: 40000}, &net.UDPAddr{IP: net.IPv4(198, 51, 100, 2), Port: 9000})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	for i := range 2 {
		if i == 1 {
			time.Sleep(1200 * time.Millisecond)
		}
		if _, err := uc.Write([]byte("hello")); err != nil {
			t.Fatal(err)
		}
		_ = udp.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, from, err := udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			exchanges = append(exchanges, seen{netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), time.Now(), 17})
		}
	}
	uc.Close()

	// TCP: a connection held open over a second.
	var tc *net.TCPConn
	if err := client.Do(func() (err error) {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(100, 64, 0, 2), Port: 40001}}
		c, err := d.DialContext(context.Background(), "tcp4", "198.51.100.2:9001")
		if err == nil {
			tc = c.(*net.TCPConn)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sc, err := tcp.AcceptTCP()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1200 * time.Millisecond)
	if _, err := tc.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(sc, buf[:5]); err != nil {
		t.Fatal(err)
	}
	from := sc.RemoteAddr().(*net.TCPAddr).AddrPort()
	exchanges = append(exchanges, seen{netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), time.Now(), 6})
	tc.Close()
	sc.Close()

	// Flush the box's table: every flow is destroyed, and reported so.
	// The closing connection's last segments may open a flow again after
	// a flush: flush until the looked-up flows are closed and none of
	// them is open.
	inside := map[uint8]netip.AddrPort{17: netip.MustParseAddrPort("100.64.0.2:40000"), 6: netip.MustParseAddrPort("100.64.0.2:40001")}
	itest.WaitFor(t, "the looked-up flows' DESTROY", func() bool {
		if got.settled(inside) {
			return true
		}
		_ = box.Command(ct, "-D").Run()
		return false
	})
	_ = mon.Process.Kill()
	if err := <-done; err != nil && !errors.Is(err, io.EOF) {
		t.Errorf("ReadAll refused conntrack's own lines: %v", err)
	}

	for _, e := range exchanges {
		at := timesync.FromTime(e.at)
		var hits []retention.Mapping
		got.mu.Lock()
		for _, m := range got.mappings {
			if !m.Open() && m.Protocol == e.proto && m.Covers(e.from.Addr(), e.from.Port(), at) {
				hits = append(hits, m)
			}
		}
		got.mu.Unlock()
		// One mapping, or a second one begun in the same second by the
		// closing connection's last segments after a flush: all name
		// the subscriber.
		if len(hits) == 0 {
			t.Errorf("protocol %d, public %v at %v: no closed mapping covers it", e.proto, e.from, at)
		}
		for _, m := range hits {
			if netip.AddrPortFrom(m.Inside, m.InsidePort) != inside[e.proto] || m.Public != netip.MustParseAddr("198.51.100.1") || m.Source.Device != "cgnat-1" {
				t.Errorf("protocol %d: mapping %s, want inside %v", e.proto, brief(m), inside[e.proto])
			}
		}
	}
	// Warm-up flows sent before conntrack listened are seen late.
	if st := r.Stats(); st.Refused != 0 || st.Late > st.Closed-2 {
		t.Errorf("stats %+v", st)
	}
	t.Logf("conntrack: %s; reader %+v", strings.TrimSpace(stderr.String()), r.Stats())
}
