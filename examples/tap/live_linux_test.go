package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
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
