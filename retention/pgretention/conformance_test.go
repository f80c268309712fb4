package pgretention_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/pgretention"
	"github.com/ccjkit/ccjkit/retention/retentiontest"
)

// opener opens fresh stores on one server, each in a database of its
// own, migrated, with its key directory in a temporary directory.
func opener(srv *pgtest.Server) retentiontest.OpenFunc {
	var n atomic.Int64
	return func(t *testing.T, s retentiontest.Setup) retention.Backend {
		dsn := srv.CreateDatabase(t, fmt.Sprintf("conformance_%d", n.Add(1)))
		if _, _, err := pgretention.Migrate(context.Background(), dsn); err != nil {
			t.Fatal(err)
		}
		store, err := pgretention.Open(context.Background(), pgretention.Config{DSN: dsn, KeyDir: filepath.Join(t.TempDir(), "keys"),
			Clock: s.Clock, Policy: s.Policy, Keyring: s.Keyring, Opener: s.Opener, Register: s.Register, Tolerance: s.Tolerance, Logger: s.Logger})
		if err != nil {
			t.Fatal(err)
		}
		return store
	}
}

// The PostgreSQL store passes the conformance suite the embedded store
// passes.
func TestConformance(t *testing.T) {
	retentiontest.Run(t, opener(pgtest.Start(t)))
}
