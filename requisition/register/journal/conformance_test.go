package journal_test

import (
	"crypto/ed25519"
	"path/filepath"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/journaltest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The file journal passes the conformance tests every Store passes.
func TestConformance(t *testing.T) {
	journaltest.Run(t, func(t *testing.T) journaltest.Opener {
		path := filepath.Join(t.TempDir(), "journal")
		clock := timesynctest.NewClock(t0)
		return func(signer ed25519.PrivateKey) (journal.Store, error) {
			j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: signer, Follow: true})
			return j, err
		}
	})
}
