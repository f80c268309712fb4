package journal_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A journal records what happens, durably; Verify proves, in one
// streaming pass, that nothing was changed, and names the first record
// that was.
func ExampleVerify() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ccj.journal")
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))

	j, _, _ := journal.Open(path, journal.Options{Clock: clock})
	r, _ := j.Append("received", []byte("(ciphertext of a requisition)"))
	clock.Advance(90 * time.Second)
	j.Append("acknowledged", []byte("(ciphertext)"))
	j.Close()
	fmt.Println("record", r.Seq, r.Kind, "at", r.Time)

	sum, err := journal.Verify(path, journal.ScanOptions{})
	fmt.Println(sum.Records, "records, verified:", err == nil)

	// Someone edits a byte of the first record's payload.
	data, _ := os.ReadFile(path)
	data[len(data)/2] ^= 1
	os.WriteFile(path, data, 0o600)
	_, err = journal.Verify(path, journal.ScanOptions{})
	var ce *journal.CorruptError
	fmt.Println(errors.As(err, &ce), "first bad record:", ce.Seq)
	// Output:
	// record 1 received at 2026-11-23T10:00:00+01:00
	// 3 records, verified: true
	// true first bad record: 1
}

// Records walks a journal's records as they are checked, one at a time,
// in constant memory.
func ExampleRecords() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ccj.journal")
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	j, _, _ := journal.Open(path, journal.Options{Clock: clock})
	for _, kind := range []string{"received", "acknowledged", "answered"} {
		clock.Advance(time.Minute)
		j.Append(kind, []byte("(ciphertext)"))
	}
	j.Close()

	f, _ := os.Open(path)
	defer f.Close()
	var kinds []string
	for rec, err := range journal.Records(f, journal.ScanOptions{}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		kinds = append(kinds, fmt.Sprintf("%d %s %s", rec.Seq, rec.Kind, rec.Time.Format("15:04")))
	}
	fmt.Println(strings.Join(kinds, "\n"))
	// Output:
	// 0 journal 10:00
	// 1 received 10:01
	// 2 acknowledged 10:02
	// 3 answered 10:03
}
