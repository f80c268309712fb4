package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
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
	var sink *net.UDPConn
	if err := a.Do(func() (err error) {
		sink, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(itest.VethA4)})
		return
	}); err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := sink.ReadFrom(buf); err != nil {
				return
			}
		}
	}()

	stop := make(chan struct{})
	go func() { // both send all along the window
		to := sink.LocalAddr().(*net.UDPAddr)
		for i := 0; i < 400; i++ {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			target.WriteToUDP([]byte("the target's datagram"), to)
			other.WriteToUDP([]byte("someone else's"), to)
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
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	// The kernel filter kept the other sender out: every packet the
	// pipeline saw was the target's.
	if !strings.Contains(out.String(), " 0 of no target") || !strings.Contains(out.String(), "nothing lost") {
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
	// About 200 of the target's datagrams fall in the window.
	if cc < 50 || iri != 2 {
		t.Errorf("the receiver got %d CC and %d IRI records:\n%s\n%s", cc, iri, rep, out.String())
	}
	t.Logf("%d CC records in the window", cc)
}

// TestLiveTapUser: live, the order names a subscriber. Her NAS (FreeRADIUS's
// radclient, inside the capture's namespace) tells the tap's accounting
// server that she holds the target address; her datagrams are intercepted
// from then until her Stop, and none after it.
func TestLiveTapUser(t *testing.T) {
	radclient := testenv.LookPath(t, "radclient", "freeradius-utils")
	a, b := itest.VethPair(t)
	enc, _ := etsi.NewEncoder(rehearsal())
	var mu sync.Mutex
	var payloads []string
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{}, Decode: true,
		OnPDU: func(_ lemf.ConnInfo, p *etsi.PDU) {
			if p.Payload.Kind == etsi.CCSequence {
				pk := p.Payload.CC[0].Packet
				if len(pk) < 28 || pk[9] != 17 {
					return // not her UDP datagram (an ICMP port unreachable to her, say: hers too)
				}
				mu.Lock()
				payloads = append(payloads, string(pk[28:])) // after the IPv4 and UDP headers
				mu.Unlock()
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
	to := &net.UDPAddr{IP: net.ParseIP(itest.VethA4), Port: 9}
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte("live-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const radiusAddr = "127.0.0.1:18130" // in the capture's namespace, fresh
	acct := func(status string) {
		t.Helper()
		req := fmt.Sprintf("Acct-Status-Type = %s\nAcct-Session-Id = \"live-1\"\nUser-Name = \"alice@example.net\"\nNAS-Identifier = \"vpn-1\"\nFramed-IP-Address = %s\n", status, itest.VethTarget4)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "ip", "netns", "exec", a.Name, radclient, "-r", "10", "-t", "1", radiusAddr, "acct", "live-secret")
		cmd.Stdin = strings.NewReader(req)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("radclient %s: %v\n%s", status, err, out)
		}
	}

	var out, errOut bytes.Buffer
	var code int
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Do(func() error {
			code = run(ctx, []string{"-lemf", rx.Addr().String(), "-iface", itest.VethA, "-user", "alice@example.net",
				"-radius-listen", radiusAddr, "-radius-secret-file", secretFile, "-for", "4s", "-liid", "BE-LIVE-2"}, &out, &errOut)
			return nil
		})
	}()
	send := func(what string, n int) {
		for i := range n {
			target.WriteToUDP([]byte(fmt.Sprintf("%s %d", what, i)), to)
			time.Sleep(10 * time.Millisecond)
		}
	}
	send("before", 20) // no session yet: nobody's
	acct("Start")      // answered once the pipeline holds her session
	time.Sleep(200 * time.Millisecond)
	send("during", 50)
	acct("Stop")
	send("after", 20)
	<-done
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	during := 0
	for _, p := range payloads {
		if !strings.HasPrefix(p, "during ") {
			t.Errorf("intercepted %q, outside her session", p)
			continue
		}
		during++
	}
	if during < 25 {
		t.Errorf("%d of her 50 datagrams during the session were intercepted\n%s", during, out.String())
	}
	if !strings.Contains(out.String(), "RADIUS accounting: 2 request(s) read, 2 access event(s) delivered, 2 answered; nothing refused or lost") {
		t.Errorf("output:\n%s", out.String())
	}
	t.Logf("%d of 50 datagrams during the session intercepted", during)
}
