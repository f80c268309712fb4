package lemf_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Rehearse: a receiver on loopback, a handover to it, four CC records of
// which number 2 was lost before the handover (a gap the receiver
// reports).
func Example() {
	at := time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC) // 14:00 in Brussels
	enc, _ := etsi.NewEncoder(itest.Profile(time.Minute, 5*time.Second))
	clock := timesynctest.NewClock(at)
	rx, err := lemf.Listen(context.Background(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rx.Close()
	ho, err := handover.New(handover.Config{HI2: rx.Addr().String(), HI3: rx.Addr().String(), Encoder: enc, Clock: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	key := intercept.StreamKey{LIID: intercept.MustParseLIID("BE-2026-0042"), CIN: 5, Stream: intercept.CC}
	se, _ := enc.NewStream(key)
	pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("203.0.113.5"), 80, 0)
	for _, seq := range []intercept.Seq{0, 1, 3, 4} {
		b, _ := se.AppendCC(nil, &intercept.CCRecord{Seq: seq, Time: at, Packet: pkt})
		ho.Deliver(key, seq, b)
	}
	fmt.Println("handover closed:", ho.Close()) // waits for the receiver to confirm
	rep := rx.Report()
	s, _ := rep.Stream(key)
	fmt.Printf("received %d, missing %d (from %v), duplicates %d\n", s.Unique, s.Gaps, s.GapStarts, s.Duplicates)
	// Output:
	// handover closed: <nil>
	// received 4, missing 1 (from [2]), duplicates 0
}
