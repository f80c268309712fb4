package retention_test

import (
	"path/filepath"
	"testing"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/retentiontest"
)

// The embedded store passes the conformance suite every retention store
// passes (retention/pgretention runs it against PostgreSQL).
func TestConformance(t *testing.T) {
	retentiontest.Run(t, func(t *testing.T, s retentiontest.Setup) retention.Backend {
		dir := t.TempDir()
		store, _, err := retention.Open(retention.Config{Dir: filepath.Join(dir, "data"), KeyDir: filepath.Join(dir, "keys"),
			Clock: s.Clock, Policy: s.Policy, Keyring: s.Keyring, Opener: s.Opener, Register: s.Register,
			Tolerance: s.Tolerance, Logger: s.Logger})
		if err != nil {
			t.Fatal(err)
		}
		return store
	})
}
