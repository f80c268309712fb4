package retention_test

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A CGNAT identification: who was behind 198.51.100.7 port 40312 at
// 2026-10-29 21:47:03? The work order comes from the register, the
// store answers for it only, and the register records the lookup. The
// same question without the port is refused: the order names the port.
func ExampleStore_Lookup() {
	dir, _ := os.MkdirTemp("", "retention-example")
	defer os.RemoveAll(dir)
	at := func(s string) timesync.Timestamp { return timesync.MustParseTimestamp(s) }
	clock := timesynctest.NewClock(at("2026-10-30T09:30:00+01:00").Time())

	alice, _ := register.NewIdentity("alice", register.RoleMember)
	reg, _, _ := register.Open(filepath.Join(dir, "ccj.journal"), register.Config{Clock: clock, Identity: alice, Found: true})
	defer reg.Close()
	target := requisition.Target{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("198.51.100.7"), Port: 40312,
		From: at("2026-10-29T21:47:03+01:00"), Until: at("2026-10-29T21:47:04+01:00")}
	req := requisition.Requisition{Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: at("2026-10-30T08:00:00+01:00"), Received: at("2026-10-30T09:00:00+01:00"), Reasoned: true,
		Items: []requisition.Item{requisition.ItemIdentity}, Targets: []requisition.Target{target},
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: at("2026-10-31T10:00:00+01:00")}}
	reg.Receive("2026-0042", req, "alice", timesync.Verdict{})
	reg.Apply("2026-0042", register.Acknowledge, "alice", timesync.Verdict{}, "")
	reg.Apply("2026-0042", register.CheckLawful, "alice", timesync.Verdict{}, "")
	wo, _ := reg.IssueWorkOrder("2026-0042", nil, time.Time{}, "alice", timesync.Verdict{})

	ring, _ := register.NewKeyring(alice.Public().Seal)
	store, rep, err := retention.Open(retention.Config{Dir: filepath.Join(dir, "data"), KeyDir: filepath.Join(dir, "keys"),
		Clock: clock, Keyring: ring, Opener: alice, Register: reg.JournalID(),
		Policy: retention.Policy{Assignments: retention.Law2022Identification(),
			Mappings: retention.OperatorPeriod(12, "retention policy of 2026-01-15")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	for _, f := range rep.Findings {
		fmt.Println(f.Severity, f.Field, f.Source.Certainty)
	}
	sync := retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}
	store.IngestMappings([]retention.Mapping{
		{Public: netip.MustParseAddr("198.51.100.7"), Ports: retention.PortRange{First: 40000, Last: 40999}, Inside: netip.MustParseAddr("100.64.0.1"),
			From: at("2026-10-29T21:40:00+01:00"), Until: at("2026-10-29T22:10:00+01:00"), Source: retention.Evidence{Kind: retention.CGNAT, Device: "cgnat-1"}, Clock: sync},
		{Public: netip.MustParseAddr("198.51.100.7"), Ports: retention.PortRange{First: 41000, Last: 41999}, Inside: netip.MustParseAddr("100.64.0.2"),
			From: at("2026-10-29T21:30:00+01:00"), Until: at("2026-10-29T22:30:00+01:00"), Source: retention.Evidence{Kind: retention.CGNAT, Device: "cgnat-1"}, Clock: sync},
	})
	store.IngestAssignments([]retention.Assignment{
		{Subscriber: "C-000042", Prefix: netip.MustParsePrefix("100.64.0.1/32"), From: at("2026-10-29T18:00:00+01:00"), Until: at("2026-10-29T23:00:00+01:00"),
			Source: retention.Evidence{Kind: retention.RADIUS, Device: "nas-1"}, Clock: sync},
		{Subscriber: "C-000007", Prefix: netip.MustParsePrefix("100.64.0.2/32"), From: at("2026-10-29T18:00:00+01:00"), Until: at("2026-10-29T23:00:00+01:00"),
			Source: retention.Evidence{Kind: retention.DHCP, Device: "dhcp-1"}, Clock: sync},
	})

	q := retention.Request{Ref: wo.Ref, By: "tech-1", Addr: target.Addr, Port: target.Port, At: target.From}
	ans, err := store.Lookup(reg, q, "alice")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range ans.Candidates {
		fmt.Printf("%s: %s from %s to %s, via %s on %s, exact %v\n", c.Subscriber, c.Assignment.Prefix,
			c.Assignment.From.Format(timesync.DisplayLayout), c.Assignment.Until.Format(timesync.DisplayLayout),
			c.Mapping.Source.Kind, c.Mapping.Source.Device, c.Exact)
	}
	fmt.Println("ambiguous:", ans.Ambiguous())

	q.Port = 0
	_, err = store.Lookup(reg, q, "alice")
	fmt.Println(err)
	for _, l := range reg.Lookups() {
		fmt.Printf("recorded: %s by %s at %s, %d candidate(s)\n", l.Actor, l.By, l.At.Format(timesync.DisplayLayout), l.Candidates)
	}
	// Output:
	// info assignments [S]
	// warning mappings [U]
	// C-000042: 100.64.0.1/32 from 2026-10-29 18:00:00 +01:00 to 2026-10-29 23:00:00 +01:00, via cgnat on cgnat-1, exact true
	// ambiguous: false
	// retention: the work order does not allow this lookup: the address, port or instant is not one of the work order's targets in its window
	// recorded: alice by tech-1 at 2026-10-30 09:30:00 +01:00, 1 candidate(s)
}
