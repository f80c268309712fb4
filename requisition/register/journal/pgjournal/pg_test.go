package pgjournal_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/journaltest"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var t0 = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

// key returns a signing key derived from a name.
func key(name string) ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, name)
	return ed25519.NewKeyFromSeed(seed)
}

// journalDB creates database name on srv with the journal's schema and
// returns its DSN.
func journalDB(t testing.TB, srv *pgtest.Server, name string) string {
	t.Helper()
	dsn := srv.CreateDatabase(t, name)
	if _, err := pgjournal.Migrate(context.Background(), dsn, pgjournal.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// openStore opens the store at dsn, closed when the test ends.
func openStore(t testing.TB, dsn string, signer ed25519.PrivateKey) *pgjournal.Store {
	t.Helper()
	s, err := pgjournal.Open(context.Background(), dsn, pgjournal.Options{Clock: timesynctest.NewClock(t0), Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The PostgreSQL store passes the conformance tests every Store passes,
// each on a database of its own on one server.
func TestConformance(t *testing.T) {
	srv := pgtest.Start(t)
	n := 0
	journaltest.Run(t, func(t *testing.T) journaltest.Opener {
		n++
		dsn := journalDB(t, srv, fmt.Sprintf("conformance%d", n))
		clock := timesynctest.NewClock(t0)
		return func(signer ed25519.PrivateKey) (journal.Store, error) {
			return pgjournal.Open(context.Background(), dsn, pgjournal.Options{Clock: clock, Signer: signer, Create: true})
		}
	})
}
