package intake_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A requisition arrives by e-mail at 21:47:03 in Brussels; the mail
// server pipes it to the intake, and delivers it again after a restart.
// A member accepts it as a case, received at that second.
func Example() {
	dir, _ := os.MkdirTemp("", "intake-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "register.journal")
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 21, 47, 3, 0, timesync.Brussels()))
	alice, _ := register.NewIdentity("alice", register.RoleMember)
	service, _ := register.NewIdentity("intake", register.RoleService)
	reg, _, err := register.Open(path, register.Config{Clock: clock, Identity: alice, Found: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reg.Close()
	if _, err := reg.AddMember(service.Public(), timesync.Verdict{}); err != nil {
		fmt.Println(err)
		return
	}

	order, _ := os.ReadFile("testdata/requisition.json")
	mail := []byte("Authentication-Results: mx.cell.example; dmarc=pass header.from=just.fgov.be\r\n" +
		"From: <parquet.bruxelles@just.fgov.be>\r\nMessage-ID: <1@just.fgov.be>\r\n" +
		"Content-Type: application/json\r\n\r\n" + string(order))
	cfg := intake.Config{Register: path, Identity: service, Clock: clock}
	reader := &intake.EmailReader{AuthServID: "mx.cell.example", Domains: []string{"just.fgov.be"}}
	for range 2 {
		res, err := intake.Receive(cfg, reader, bytes.NewReader(mail))
		if res.Duplicate {
			fmt.Printf("submission %d: already recorded, exit code %d\n", res.Seq, intake.ExitCode(err))
		} else {
			fmt.Printf("submission %d: %s, exit code %d\n", res.Seq, res.Status, intake.ExitCode(err))
		}
		clock.Advance(5 * time.Minute)
	}

	reg.Refresh()
	for _, in := range intake.Pending(reg) {
		fmt.Println("pending:", in.Seq, in.Record.Status, "verified:", in.Verified())
		c, err := intake.Accept(reg, in.Seq, "alice", timesync.Verdict{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("case", c.ID, "received", c.Requisition.Received.Time().In(timesync.Brussels()).Format("2006-01-02 15:04:05"))
	}
	// Output:
	// submission 5: readable, exit code 0
	// submission 5: already recorded, exit code 0
	// pending: 5 readable verified: true
	// case 2026-0001 received 2026-11-23 21:47:03
}
