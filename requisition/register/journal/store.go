package journal

import (
	"crypto/ed25519"

	"github.com/ccjkit/ccjkit/timesync"
)

// Store is what a register needs of a journal: the records it was opened
// with, transactions that decide what to append against everything
// written before (by any writer), appends, the records others wrote since,
// and signed checkpoints. [*Journal], a file, is one; a store shared by
// several machines (a database) implements the same methods with the
// same guarantees: numbered, hash-chained records, each acknowledged only
// once durable, nothing acknowledged ever lost or reordered. Package
// journaltest holds the conformance tests every Store passes.
//
// A store hands its [Tx] to the function given to Update; a Tx is made by
// package journal (it numbers, times and bounds what is staged). A store
// kept in another package (pgjournal, on PostgreSQL) makes it with
// [NewTx], seals what was staged with [Seal] (the file journal's frames,
// byte for byte) and checks what it reads back with [ReadFrames] and
// [Scan], so that no store frames, chains or checks a record its own way.
type Store interface {
	// ID returns the journal's identity, the payload of its header.
	ID() [16]byte
	// Initial returns the records the store read and checked when it was
	// opened, once; later calls return nil.
	Initial() []Record
	// Update runs fn holding the journal exclusively, then makes what fn
	// staged durable in one write, and returns those records.
	Update(fn func(tx *Tx) error) ([]Record, error)
	// Append appends one record and returns it once it is durable.
	Append(kind string, payload []byte) (Record, error)
	// Refresh returns the records other writers appended since this
	// store last looked.
	Refresh() ([]Record, error)
	// Checkpoint signs a checkpoint of the first n records.
	Checkpoint(n uint64, at timesync.Timestamp, key ed25519.PrivateKey) (Checkpoint, error)
	// Close releases the store.
	Close() error
}

var _ Store = (*Journal)(nil)
