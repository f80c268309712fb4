package register_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
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
