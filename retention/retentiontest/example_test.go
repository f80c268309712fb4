package retentiontest_test

import (
	"fmt"

	"github.com/ccjkit/ccjkit/retention/retentiontest"
)

// A store's test runs the suite with a function that opens a fresh store
// from a Setup:
//
//	func TestConformance(t *testing.T) {
//		retentiontest.Run(t, func(t *testing.T, s retentiontest.Setup) retention.Backend {
//			store, _, err := retention.Open(retention.Config{Dir: …, KeyDir: …, Clock: s.Clock,
//				Policy: s.Policy, Keyring: s.Keyring, Opener: s.Opener, Register: s.Register,
//				Tolerance: s.Tolerance, Logger: s.Logger})
//			if err != nil {
//				t.Fatal(err)
//			}
//			return store
//		})
//	}
//
// Each check is a subtest, named as Checks lists them.
func ExampleChecks() {
	for _, c := range retentiontest.Checks() {
		fmt.Println(c)
	}
	// Output:
	// ingest
	// edges
	// superseded
	// need-to-know
	// purge
	// holds
	// holds-by-subscriber
	// verify
	// closed
}
