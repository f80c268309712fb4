package etsi_test

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/timesync"
)

// exampleProfile is a Belgian profile with the choices the NTSU-CTIF has
// not published filled with placeholders, as a test bench would.
func exampleProfile() intercept.Profile {
	p, err := intercept.Belgium(intercept.Profile{
		OperatorID: "NEUTRINET", HI1OperatorID: "NTNET",
		Timestamps: intercept.Microseconds, PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID: intercept.MustParseLIID("ccjkit"), KeepAliveInterval: 5 * time.Minute, KeepAliveTimeout: 30 * time.Second,
	})
	if err != nil {
		panic(err)
	}
	return p
}

// A keep-alive, as sent on an idle handover link on a Brussels morning.
func ExampleEncoder_AppendKeepAlive() {
	enc, err := etsi.NewEncoder(exampleProfile())
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, timesync.Brussels())
	b, err := enc.AppendKeepAlive(nil, 1, at)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(b), "octets")
	fmt.Println(hex.EncodeToString(b))
	// Output:
	// 70 octets
	// 3044a13c800704000202050111810663636a6b697482024245a314a00b80094e45555452494e455481010082024245840101a70980046b03f988810100880102a204a2028300
}

// Encode an intercepted packet as an IPCC record, then read it back as a
// receiver would.
func ExampleStreamEncoder_AppendCC() {
	enc, err := etsi.NewEncoder(exampleProfile())
	if err != nil {
		panic(err)
	}
	s, err := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("BE-2026-0042"), CIN: 7, Stream: intercept.CC})
	if err != nil {
		panic(err)
	}
	packet := []byte{0x45, 0x00, 0x00, 0x14, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 7, 198, 51, 100, 1}
	b, err := s.AppendCC(nil, &intercept.CCRecord{
		Seq: 4294967295, Direction: intercept.FromTarget, Packet: packet,
		Time: time.Date(2026, 11, 23, 9, 30, 0, 250000000, timesync.Brussels()),
	})
	if err != nil {
		panic(err)
	}
	p, err := etsi.Decode(b)
	if err != nil {
		panic(err)
	}
	h, cc := p.Header, p.Payload.CC[0]
	fmt.Println(h.LIID, h.CIN, h.Seq, h.Seq.Next())
	fmt.Println(h.Time.In(timesync.Brussels()).Format("2006-01-02 15:04:05.000 MST"), h.Qualifier)
	fmt.Println(p.Payload.Kind, cc.Direction, len(cc.Packet), "octets, IPAccessPDU version", cc.IPAccessVersion)
	// Output:
	// BE-2026-0042 7 4294967295 0
	// 2026-11-23 09:30:00.250 CET timeOfInterception
	// cCPayloadSequence fromTarget 20 octets, IPAccessPDU version 10
}
