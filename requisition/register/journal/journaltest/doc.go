// Package journaltest holds the conformance tests every
// [journal.Store] passes, written once and run against each
// implementation: the file journal of package journal and the
// PostgreSQL store of package pgjournal. A store that passes them numbers
// and chains its records, acknowledges a record only once it is durable,
// keeps every acknowledged record across a reopening, lets several
// writers append to one chain without a fork, a gap or a lost append,
// writes a transaction whole or not at all (keeping others' records for
// Refresh when it writes nothing), and signs checkpoints that check
// against its records.
//
// Use it from a test of the store's package:
//
//	func TestConformance(t *testing.T) {
//		journaltest.Run(t, func(t *testing.T) journaltest.Opener {
//			path := filepath.Join(t.TempDir(), "journal")
//			return func(signer ed25519.PrivateKey) (journal.Store, error) {
//				j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: signer, Follow: true})
//				return j, err
//			}
//		})
//	}
package journaltest
