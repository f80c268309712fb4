package mediation_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The ADMF gives a task; the mediation function delivers its records while
// it is active, and refuses them before it starts, once it is
// deactivated, or past its end.
func ExampleTable() {
	start := time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)
	clock := timesynctest.NewClock(start.Add(-time.Minute)) // use timesync.SystemClock{} in production
	tasks := mediation.NewTable(clock)
	xid := [16]byte{0x5e, 0x1f, 0x4a, 0x1b, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1}
	err := tasks.Activate(intercept.Task{
		ID: xid, LIID: intercept.MustParseLIID("BE-2026-0042"),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("192.0.2.10/32"))},
		NotBefore: start, NotAfter: start.Add(30 * 24 * time.Hour),
		Delivery: intercept.IRIAndCC, Agency: "NTSU-CTIF",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, st := tasks.Lookup(xid)
	fmt.Println("a minute before its window:", st)
	clock.Set(start)
	_, st = tasks.Lookup(xid)
	fmt.Println("at its start:", st)
	clock.Set(start.Add(30 * 24 * time.Hour))
	_, st = tasks.Lookup(xid)
	fmt.Println("at its end:", st)
	_, st = tasks.Lookup([16]byte{1})
	fmt.Println("another XID:", st)
	// Output:
	// a minute before its window: pending
	// at its start: active
	// at its end: ended
	// another XID: unknown
}
