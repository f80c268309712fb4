package ccjkit_test

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// A cell receives an identification order, takes it, has it checked
// against the law and learns when the answer is due — every step signed,
// sealed and timed in the register.
func Example() {
	dir, _ := os.MkdirTemp("", "ccj")
	defer os.RemoveAll(dir)
	now := timesync.MustParseBrussels("2026-11-23 10:05", timesync.Strict).Time()
	clock := timesync.ClockFunc(func() time.Time { return now })
	verdict := timesync.Verdict{At: now, Synchronised: true, ToTheSecond: true, Traceable: true, Reference: "GPS via chrony"}

	alice, _ := register.NewIdentity("alice", register.RoleMember)
	reg, _, err := register.Open(filepath.Join(dir, "ccj.journal"), register.Config{Clock: clock, Identity: alice, Found: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reg.Close()

	order := requisition.Requisition{
		Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered:  timesync.MustParseBrussels("2026-11-23 09:00", timesync.Strict),
		Received: timesync.MustParseBrussels("2026-11-23 10:00", timesync.Strict), Reasoned: true,
		Items: []requisition.Item{requisition.ItemIdentity},
		Targets: []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("2001:db8::1a2f"),
			From: timesync.MustParseBrussels("2026-11-20 21:47:03", timesync.Strict), Until: timesync.MustParseBrussels("2026-11-20 21:47:04", timesync.Strict)}},
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: timesync.MustParseBrussels("2026-11-24 10:00", timesync.Strict)},
	}
	c, _ := reg.ReceiveNext(order, "alice", verdict)
	reg.Apply(c.ID, register.Acknowledge, "alice", verdict, "")
	c, findings, _ := reg.Check(c.ID, requisition.FromNextDay, "alice", verdict)
	dl, _ := c.Deadline()
	fmt.Println(c.ID, "—", c.State.Label(language.French), "—", len(findings), "finding(s)")
	fmt.Println("due before", dl.At.In(timesync.Brussels()).Format("2006-01-02 15:04 MST"))
	for _, d := range reg.OpenCases(now) {
		fmt.Println("open:", d.Case, d.Left)
	}
	// Output:
	// 2026-0001 — vérifié : régulier — 0 finding(s)
	// due before 2026-11-24 10:00 CET
	// open: 2026-0001 23h55m0s
}
