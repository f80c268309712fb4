package main

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestPrintsRecordsAndReport(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errOut itest.SyncBuffer
	addrc := make(chan string, 1)
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0"}, &out, &errOut, func(a string) { addrc <- a })
	}()
	addr := <-addrc

	enc, _ := etsi.NewEncoder(rehearsal())
	at := time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC) // 14:00 in Brussels
	ho, err := handover.New(handover.Config{HI2: addr, HI3: addr, Encoder: enc, Clock: timesynctest.NewClock(at), DrainTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	key := intercept.StreamKey{LIID: intercept.MustParseLIID("BE-DEMO-1"), CIN: 9, Stream: intercept.CC}
	se, _ := enc.NewStream(key)
	pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("203.0.113.5"), 100, 0)
	for seq := range intercept.Seq(3) {
		b, err := se.AppendCC(nil, &intercept.CCRecord{Seq: seq, Time: at, Packet: pkt})
		if err != nil {
			t.Fatal(err)
		}
		if err := ho.Deliver(key, seq, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := ho.Close(); err != nil { // drained: the receiver confirmed all three
		t.Fatal(err)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"2026-11-23 14:00:00.000000  LIID BE-DEMO-1 CIN 9 seq 2  CC fromTarget, 100-byte packet",
		"LIID BE-DEMO-1 CIN 9 CC: 3 record(s), 0 missing, 0 duplicate(s), next 3",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "192.0.2.10") {
		t.Errorf("the receiver printed a target address")
	}
}
