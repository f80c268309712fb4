package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/testenv"
	"github.com/ccjkit/ccjkit/timesync"
)

// The tap captures live on an interface of a network namespace the test
// makes, for a two-second window, and hands the target's packets (and
// nobody else's) to a receiver on the host's loopback.
func TestLiveTap(t *testing.T) {
	a, b := itest.VethPair(t)
	enc, _ := etsi.NewEncoder(rehearsal())
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	var target, other *net.UDPConn
	if err := b.Do(func() (err error) {
		if target, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(itest.VethTarget4)}); err != nil {
			return err
		}
		other, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(itest.VethOther4)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	defer other.Close()
	sink := newSink(t, a)

	stop := make(chan struct{})
	sent := make(chan struct{})
	go func() { // both send all along the window, however long the tap takes to open it
		defer close(sent)
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			target.WriteToUDP([]byte("the target's datagram"), sink.addr)
			other.WriteToUDP([]byte("someone else's"), sink.addr)
		}
	}()
	var out, errOut bytes.Buffer
	var code int
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	// run opens its capture socket on the namespace's thread; its
	// handover dials from other threads, on the host's loopback.
	a.Do(func() error {
		code = run(ctx, []string{"-lemf", rx.Addr().String(), "-iface", itest.VethA, "-target", itest.VethTarget4 + "/32", "-for", "2s", "-liid", "BE-LIVE-1"}, &out, &errOut)
		return nil
	})
	close(stop)
	<-sent
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	// The kernel filter kept the other sender out: every packet the
	// pipeline saw was the target's. Those captured in the window were
	// intercepted; those captured after its end (the capture stops at the
	// first packet after it) were counted outside it, not as nobody's: the
	// ended task stays in the table until the capture has passed its end.
	var seen, ofTarget, noTarget, delivered, matched, outside uint64
	if _, err := fmt.Sscanf(line(out.String(), "packets: "), "packets: %d seen, %d of a target, %d of no target", &seen, &ofTarget, &noTarget); err != nil {
		t.Fatalf("output: %v\n%s", err, out.String())
	}
	liid := line(out.String(), "LIID BE-LIVE-1 ")
	if _, err := fmt.Sscanf(liid, "LIID BE-LIVE-1 (ended): CC %d delivered of %d", &delivered, &matched); err != nil {
		t.Fatalf("output: %v\n%s", err, out.String())
	}
	if strings.HasSuffix(liid, "outside the order's period (not intercepted, as required)") {
		if _, err := fmt.Sscanf(liid[strings.LastIndex(liid, "; ")+2:], "%d outside", &outside); err != nil {
			t.Fatalf("output: %v\n%s", err, out.String())
		}
	}
	if noTarget != 0 || seen != ofTarget || ofTarget != matched+outside || delivered != matched || !strings.Contains(liid, "nothing lost") {
		t.Errorf("output:\n%s", out.String())
	}
	rep := rx.Report()
	cc, iri := uint64(0), uint64(0)
	for _, s := range rep.Streams {
		if s.Gaps != 0 || s.Duplicates != 0 {
			t.Errorf("stream %+v", s)
		}
		if s.Key.Stream == intercept.CC {
			cc += s.Unique
		} else {
			iri += s.Unique
		}
	}
	// The receiver got every record the pipeline made: liActivated and
	// liDeactivated, and a CC record per packet of the window (about 200).
	if cc != delivered || cc == 0 || iri != 2 {
		t.Errorf("the receiver got %d CC and %d IRI records:\n%s\n%s", cc, iri, rep, out.String())
	}
	t.Logf("%d CC records in the window, %d packets after it", cc, outside)
}

// TestLiveTapUser: live, the order names a subscriber. Her NAS (FreeRADIUS's
// radclient, inside the capture's namespace) tells the tap's accounting
// server that she holds the target address; her datagrams are intercepted
// from then until her Stop, and none before or after it.
func TestLiveTapUser(t *testing.T) {
	radclient := testenv.LookPath(t, "radclient", "freeradius-utils")
	a, b := itest.VethPair(t)
	enc, _ := etsi.NewEncoder(rehearsal())
	intercepted := newTally()
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{}, Decode: true,
		OnPDU: func(_ lemf.ConnInfo, p *etsi.PDU) {
			if p.Payload.Kind == etsi.CCSequence {
				pk := p.Payload.CC[0].Packet
				if len(pk) < 28 || pk[9] != 17 {
					return // not her UDP datagram
				}
				intercepted.add(string(pk[28:])) // after the IPv4 and UDP headers
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	var target *net.UDPConn
	if err := b.Do(func() (err error) {
		target, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(itest.VethTarget4)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	sink := newSink(t, a)
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte("live-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	out := newTally() // run's output, line by line
	var errOut itest.SyncBuffer
	var code int
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Do(func() error {
			// The test ends the capture (as Ctrl-C would) when it has sent
			// everything: no window to outlast.
			code = run(ctx, []string{"-lemf", rx.Addr().String(), "-iface", itest.VethA, "-user", "alice@example.net",
				"-radius-listen", "127.0.0.1:0", "-radius-secret-file", secretFile, "-for", "1h", "-liid", "BE-LIVE-2"}, out, &errOut)
			return nil
		})
	}()
	fail := func(format string, args ...any) {
		t.Helper()
		cancel()
		<-done
		t.Fatalf(format+"\nexit %d: %s\n%s", append(args, code, errOut.String(), out.String())...)
	}
	// The server answers once the capture runs with its kernel filter.
	const ready = "RADIUS accounting server on "
	if err := out.wait(ctx, done, ready, 1); err != nil {
		fail("the accounting server did not start: %v", err)
	}
	radiusAddr := strings.TrimPrefix(out.first(ready), ready)
	acct := func(status string) {
		t.Helper()
		req := fmt.Sprintf("Acct-Status-Type = %s\nAcct-Session-Id = \"live-1\"\nUser-Name = \"alice@example.net\"\nNAS-Identifier = \"vpn-1\"\nFramed-IP-Address = %s\n", status, itest.VethTarget4)
		cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
		defer ccancel()
		// One request, answered when the pipeline holds the event: a
		// retransmission would show in the server's counts.
		cmd := exec.CommandContext(cctx, "ip", "netns", "exec", a.Name, radclient, "-r", "1", "-t", "25", radiusAddr, "acct", "live-secret")
		cmd.Stdin = strings.NewReader(req)
		if b, err := cmd.CombinedOutput(); err != nil {
			fail("radclient %s: %v\n%s", status, err, b)
		}
	}
	// send sends n datagrams of hers and waits until each has passed the
	// capture (the sink behind it has them all), or, with intercepted,
	// until the receiver has them all.
	send := func(what string, n int, arrived *tally) {
		t.Helper()
		for i := range n {
			target.WriteToUDP([]byte(fmt.Sprintf("%s %d", what, i)), sink.addr)
		}
		if err := arrived.wait(ctx, done, what+" ", n); err != nil {
			fail("%d %q datagrams sent: %v", n, what, err)
		}
	}
	send("before", 20, sink.got) // no session yet: nobody's
	acct("Start")                // answered once the pipeline and the kernel filter hold her session
	send("during", 50, intercepted)
	acct("Stop") // answered once they no longer do
	send("after", 20, sink.got)
	cancel()
	<-done
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	var want []string
	for i := range 50 {
		want = append(want, fmt.Sprintf("during %d", i))
	}
	if got := intercepted.lines(); !slices.Equal(got, want) {
		t.Errorf("intercepted %q, want her 50 datagrams of the session, in order", got)
	}
	if !strings.Contains(out.String(), "RADIUS accounting: 2 request(s) read, 2 access event(s) delivered, 2 answered; nothing refused or lost") ||
		!strings.Contains(out.String(), "nothing lost") {
		t.Errorf("output:\n%s", out.String())
	}
}

// line returns the first line of s that starts with prefix, or "".
func line(s, prefix string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// tally keeps lines written from several goroutines (an io.Writer's,
// or added one by one), and lets a test wait for them.
type tally struct {
	mu      sync.Mutex
	partial []byte
	all     []string
	changed chan struct{}
}

func newTally() *tally { return &tally{changed: make(chan struct{}, 1)} }

func (c *tally) add(l string) {
	c.mu.Lock()
	c.all = append(c.all, l)
	c.mu.Unlock()
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

func (c *tally) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.partial = append(c.partial, p...)
	var ls []string
	for {
		i := bytes.IndexByte(c.partial, '\n')
		if i < 0 {
			break
		}
		ls = append(ls, string(c.partial[:i]))
		c.partial = c.partial[i+1:]
	}
	c.mu.Unlock()
	for _, l := range ls {
		c.add(l)
	}
	return len(p), nil
}

func (c *tally) lines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.all)
}

func (c *tally) String() string { return strings.Join(c.lines(), "\n") }

// first returns the first line starting with prefix, or "".
func (c *tally) first(prefix string) string {
	for _, l := range c.lines() {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// wait returns once n lines start with prefix, or an error when ctx is
// done or stopped (the program under test returned) first.
func (c *tally) wait(ctx context.Context, stopped <-chan struct{}, prefix string, n int) error {
	for {
		k := 0
		for _, l := range c.lines() {
			if strings.HasPrefix(l, prefix) {
				k++
			}
		}
		if k >= n {
			return nil
		}
		select {
		case <-c.changed:
		case <-stopped:
			return fmt.Errorf("the tap returned with %d of %d", k, n)
		case <-ctx.Done():
			return fmt.Errorf("%d of %d: %w", k, n, ctx.Err())
		}
	}
}

// sinkSocket is a UDP socket in namespace a that the senders in b send
// to: a datagram it has received has passed the capture on a's interface.
// (Its default receive buffer holds the 20 datagrams a test waits for.)
type sinkSocket struct {
	addr *net.UDPAddr
	got  *tally
}

func newSink(t *testing.T, a itest.Netns) sinkSocket {
	t.Helper()
	var c *net.UDPConn
	if err := a.Do(func() (err error) {
		c, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(itest.VethA4)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s := sinkSocket{addr: c.LocalAddr().(*net.UDPAddr), got: newTally()}
	stopped := make(chan struct{})
	t.Cleanup(func() { c.Close(); <-stopped })
	go func() {
		defer close(stopped)
		buf := make([]byte, 2048)
		for {
			n, _, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			s.got.add(string(buf[:n]))
		}
	}()
	return s
}
