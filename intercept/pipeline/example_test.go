package pipeline_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// counter is a Handover that only counts; a real one is
// intercept/handover's.
type counter struct{ records, bytes int }

func (c *counter) Deliver(_ intercept.StreamKey, _ intercept.Seq, pdu []byte) error {
	c.records++
	c.bytes += len(pdu)
	return nil
}

func (c *counter) Close() error { return nil }

// A task on one address, valid from 14:00 to 15:00 in Brussels on
// 23 November 2026; three packets, one before the window opens.
func Example() {
	brussels, _ := time.LoadLocation("Europe/Brussels")
	open := time.Date(2026, 11, 23, 14, 0, 0, 0, brussels)
	enc, _ := etsi.NewEncoder(itest.Profile(300*time.Second, 30*time.Second))
	out := &counter{}
	p, err := pipeline.New(pipeline.Config{
		Agencies: map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: enc, Handover: out}},
		Clock:    timesynctest.NewClock(open),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	target := netip.MustParseAddr("192.0.2.10")
	err = p.SetTasks([]intercept.Task{{
		ID: [16]byte{1}, LIID: intercept.MustParseLIID("BE-2026-0042"),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.PrefixFrom(target, 32))},
		NotBefore: open, NotAfter: open.Add(time.Hour),
		Delivery: intercept.CCOnly, Agency: "NTSU-CTIF",
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	peer := netip.MustParseAddr("203.0.113.5")
	data := itest.Packet(target, peer, 100, 0)
	p.Process([]intercept.Packet{
		{Time: open.Add(-time.Second), Data: data, Length: len(data)},
		{Time: open, Data: data, Length: len(data)},
		{Time: open.Add(time.Minute), Data: itest.Packet(peer, target, 100, 0), Length: 100},
	})
	fmt.Print(p.Stats())
	fmt.Println("records handed over:", out.records)
	// Output:
	// packets: 3 seen, 3 of a target, 0 of no target, 0 not IP; 0 live session(s)
	// LIID BE-2026-0042 (active): CC 2 delivered of 2, IRI 1 delivered of 1; nothing lost; 1 outside the order's period (not intercepted, as required)
	// records handed over: 3
}
