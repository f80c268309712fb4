package tasking_test

import (
	"fmt"
	"net/netip"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/tasking"
	"github.com/ccjkit/ccjkit/timesync"
)

// An interception order found lawful, started by a member under the
// agency's LIID: the order the ADMF keeps active until its end.
func Example() {
	journal := [16]byte{0xcc, 0x1d}
	c := register.Case{ID: "2026-0042", State: register.Lawful, Requisition: requisition.Requisition{
		Measure:    requisition.Interception,
		Targets:    []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("2001:db8::1a2f")}},
		ValidUntil: timesync.MustParseBrussels("2026-12-31 23:59:59", timesync.Strict),
	}}
	d := tasking.Decision{Case: "2026-0042", Action: tasking.Start, LIID: "BE-NTSU-2026-0042",
		By: "alice", At: timesync.MustParseBrussels("2026-12-06 02:30:00", timesync.Strict).Time()}
	now := timesync.MustParseBrussels("2026-12-06 09:00:00", timesync.Strict).Time()

	orders, _ := tasking.Desired(journal, []register.Case{c}, []tasking.Decision{d}, now)
	for _, o := range orders {
		bxl := timesync.Brussels()
		fmt.Println(o.Case, o.XID, o.LIID, o.Delivery)
		fmt.Println(o.Start.In(bxl).Format("2006-01-02 15:04:05"), "to", o.End.In(bxl).Format("2006-01-02 15:04:05"))
	}
	// At the order's end, nothing is desired: the task is deactivated.
	end := c.Requisition.ValidUntil.Time()
	orders, _ = tasking.Desired(journal, []register.Case{c}, []tasking.Decision{d}, end)
	fmt.Println(len(orders), "orders at the end")
	// Output:
	// 2026-0042 587e2380-096e-8443-8bbf-a9bad79945de BE-NTSU-2026-0042 IRIAndCC
	// 2026-12-06 02:30:00 to 2026-12-31 23:59:59
	// 0 orders at the end
}
