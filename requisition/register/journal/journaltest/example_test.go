package journaltest_test

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/journaltest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// An Opener opens the same journal each time, as another writer would:
// here two writers of one file journal append to one chain.
func ExampleOpener() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "journal")
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	var open journaltest.Opener = func(signer ed25519.PrivateKey) (journal.Store, error) {
		j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: signer, Follow: true})
		return j, err
	}
	_, alice, _ := ed25519.GenerateKey(nil)
	_, bob, _ := ed25519.GenerateKey(nil)
	a, _ := open(alice)
	defer a.Close()
	b, _ := open(bob)
	defer b.Close()
	ra, _ := a.Append("event", []byte("from alice"))
	rb, _ := b.Append("event", []byte("from bob"))
	fmt.Println(ra.Seq, rb.Seq, rb.Prev == ra.Hash)
	// Output:
	// 1 2 true
}
