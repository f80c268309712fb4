package x2x3_test

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/timesync"
)

// A keep-alive, the PDU a capture node sends on an idle X2/X3 link.
func ExampleAppendKeepAlive() {
	b := x2x3.AppendKeepAlive(nil, 1)
	fmt.Println(hex.EncodeToString(b[:16]))
	fmt.Println(hex.EncodeToString(b[40:]))
	// Output:
	// 00050003000000300000000000000000
	// 0008000400000001
}

// An intercepted packet as an X3 PDU, read back as a delivery node would.
func ExampleStreamEncoder_AppendCC() {
	brussels := timesync.Brussels()
	task := intercept.Task{
		ID: [16]byte{0x5a, 0x1d, 0x3e, 0x10, 0x42, 0x42, 0x4f, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0x01}, LIID: intercept.MustParseLIID("BE-2026-0042"),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("192.0.2.7/32"))},
		NotBefore: time.Date(2026, 11, 2, 9, 0, 0, 0, brussels), NotAfter: time.Date(2026, 12, 2, 9, 0, 0, 0, brussels),
		Delivery: intercept.CCOnly, Agency: "NTSU-CTIF",
	}
	enc, err := x2x3.NewEncoder([]intercept.Task{task}, nil)
	if err != nil {
		panic(err)
	}
	s, err := enc.NewStream(intercept.StreamKey{LIID: task.LIID, CIN: 7, Stream: intercept.CC})
	if err != nil {
		panic(err)
	}
	b, err := s.AppendCC(nil, &intercept.CCRecord{
		Seq: 12, Direction: intercept.ToTarget, Time: time.Date(2026, 11, 23, 9, 30, 0, 0, brussels),
		Packet: []byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 198, 51, 100, 1, 192, 0, 2, 7},
	})
	if err != nil {
		panic(err)
	}
	p, err := x2x3.Decode(b)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Type, p.PayloadFormat == x2x3.FormatIPv4, p.Direction == x2x3.DirectionToTarget)
	fmt.Printf("XID %x, correlation %d, seq %d\n", p.XID, p.CorrelationID, p.Seq)
	fmt.Println(p.Time.In(brussels).Format(time.DateTime), len(p.Payload), "octets")
	// Output:
	// X3 true true
	// XID 5a1d3e1042424f008000000000000001, correlation 7, seq 12
	// 2026-11-23 09:30:00 20 octets
}
