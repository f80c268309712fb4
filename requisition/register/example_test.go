package register_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A journal records what happens, durably; Verify proves nothing was
// changed, and names the first record that was.
func ExampleVerify() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ccj.journal")
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))

	j, _, _ := register.Open(path, clock)
	r, _ := j.Append("received", []byte("(ciphertext of a requisition)"))
	clock.Advance(90 * time.Second)
	j.Append("acknowledged", []byte("(ciphertext)"))
	j.Close()
	fmt.Println("record", r.Seq, r.Kind, "at", r.Time)

	recs, err := register.Verify(path)
	fmt.Println(len(recs), "records, verified:", err == nil)

	// Someone edits a byte of the first record's payload.
	data, _ := os.ReadFile(path)
	data[len(data)/2] ^= 1
	os.WriteFile(path, data, 0o600)
	_, err = register.Verify(path)
	var ce *register.CorruptError
	fmt.Println(errors.As(err, &ce), "first bad record:", ce.Seq)
	// Output:
	// record 1 received at 2026-11-23T10:00:00+01:00
	// 3 records, verified: true
	// true first bad record: 1
}

// A case from receipt to answer: every step is journaled, sealed to the
// cell's members, timed by the clock and kept with the clock's verdict.
func ExampleRegister_Apply() {
	dir, _ := os.MkdirTemp("", "register")
	defer os.RemoveAll(dir)
	alice, _ := register.NewIdentity()
	ring, _ := register.NewKeyring(alice.Public())
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	reg, _, _ := register.OpenRegister(filepath.Join(dir, "ccj.journal"), clock, ring, alice, []string{"alice"})
	defer reg.Close()

	verdict := timesync.Verdict{Synchronised: true, ToTheSecond: true, Traceable: true}
	reg.Receive("2026-0042", requisition.Requisition{Measure: requisition.Identification}, "alice", verdict)
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful, register.StartWork, register.Answer} {
		clock.Advance(17 * time.Minute)
		reg.Apply("2026-0042", ev, "alice", verdict, "")
	}
	_, err := reg.Apply("2026-0042", register.StartWork, "alice", verdict, "")
	c, _ := reg.Case("2026-0042")
	for _, t := range c.History {
		fmt.Println(t.At, t.Event, "→", t.To)
	}
	fmt.Println(err)
	// Output:
	// 2026-11-23T10:00:00+01:00  → received
	// 2026-11-23T10:17:00+01:00 acknowledge → acknowledged
	// 2026-11-23T10:34:00+01:00 check-lawful → lawful
	// 2026-11-23T10:51:00+01:00 start-work → in-progress
	// 2026-11-23T11:08:00+01:00 answer → answered
	// register: transition not allowed: start-work from answered
}
