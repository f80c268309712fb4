package intercept_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/timesync"
)

// A task for a prefix and a VPN username, valid for one month from a
// Brussels morning; a packet's own time decides whether it is intercepted.
func ExampleTask() {
	brussels := timesync.Brussels()
	task := intercept.Task{
		ID:   [16]byte{0x01},
		LIID: intercept.MustParseLIID("BE-2026-0042"),
		Targets: []intercept.Target{
			intercept.AddressTarget(netip.MustParsePrefix("2001:db8:42::/48")),
			intercept.UsernameTarget("member-0042"),
		},
		NotBefore: time.Date(2026, 11, 2, 9, 0, 0, 0, brussels),
		NotAfter:  time.Date(2026, 12, 2, 9, 0, 0, 0, brussels),
		Delivery:  intercept.IRIAndCC,
		Agency:    "NTSU-CTIF",
	}
	fmt.Println(task.Validate())
	fmt.Println(task.Active(time.Date(2026, 11, 2, 8, 59, 59, 0, brussels)))
	fmt.Println(task.Active(time.Date(2026, 11, 2, 9, 0, 0, 0, brussels)))
	fmt.Println(task.Delivery.Includes(intercept.CC))
	// Output:
	// <nil>
	// false
	// true
	// true
}

// Sequence numbers wrap at 2³²; Since counts the steps between two of them.
func ExampleSeq() {
	last := intercept.Seq(4294967294)
	now := intercept.Seq(1)
	fmt.Println(last.Next(), last.Next().Next())
	fmt.Println("records missed:", now.Since(last)-1)
	// Output:
	// 4294967295 0
	// records missed: 2
}
