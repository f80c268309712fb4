package journaltest

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// An Opener opens the one journal a conformance test works on, signing
// with signer: every call opens the same journal, as another process or
// another machine would, and sees what the others wrote (records other
// writers appended are handed over by Update's Tx.Foreign and by
// Refresh).
type Opener func(signer ed25519.PrivateKey) (journal.Store, error)

// Run runs every conformance test against the store fresh makes: fresh
// is called once per test and returns the Opener of a new, empty journal.
func Run(t *testing.T, fresh func(t *testing.T) Opener) {
	for _, tc := range []struct {
		name string
		test func(t *testing.T, open Opener)
	}{
		{"appends are numbered and chained", appendsChain},
		{"a transaction is whole or not at all", transactionsAreWhole},
		{"writers see each other's records", writersSeeEachOther},
		{"concurrent writers make one chain", concurrentWritersOneChain},
		{"checkpoints check against the records", checkpointsCheck},
		{"a closed store refuses appends", closedRefuses},
		{"a write is bounded", writesAreBounded},
		{"acknowledged records survive reopening", reopenContinues},
		{"a refused transaction keeps others' records for Refresh", refusedKeepsForeign},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, fresh(t)) })
	}
}

// key returns a signing key derived from a name, so that failures repeat.
func key(name string) ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, name)
	return ed25519.NewKeyFromSeed(seed)
}

func mustOpen(t *testing.T, open Opener, signer ed25519.PrivateKey) journal.Store {
	t.Helper()
	s, err := open(signer)
	if err != nil {
		t.Fatalf("opening the store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// checkChain checks that recs are numbered from 0 without a gap, each
// after the hash of the one before, the header first.
func checkChain(t *testing.T, recs []journal.Record) {
	t.Helper()
	for i, r := range recs {
		if r.Seq != uint64(i) {
			t.Fatalf("record %d is numbered %d", i, r.Seq)
		}
		if i > 0 && r.Prev != recs[i-1].Hash {
			t.Fatalf("record %d does not follow record %d", i, i-1)
		}
	}
}

// all returns every record of the journal, as a reader that opens it
// again finds them.
func all(t *testing.T, open Opener) []journal.Record {
	t.Helper()
	s := mustOpen(t, open, key("reader"))
	recs := s.Initial()
	checkChain(t, recs)
	return recs
}

func appendsChain(t *testing.T, open Opener) {
	s := mustOpen(t, open, key("alice"))
	var acked []journal.Record
	for i := range 10 {
		r, err := s.Append("event", fmt.Appendf(nil, "payload %d", i))
		if err != nil {
			t.Fatal(err)
		}
		acked = append(acked, r)
	}
	recs := all(t, open)
	if len(recs) != 11 {
		t.Fatalf("%d records after 10 appends (and the header)", len(recs))
	}
	for i, a := range acked {
		r := recs[i+1]
		if r.Seq != a.Seq || r.Hash != a.Hash || r.Kind != "event" || !bytes.Equal(r.Payload, a.Payload) || !r.Signed() {
			t.Errorf("acknowledged record %d is not what the journal holds: %+v", a.Seq, r)
		}
	}
}

func transactionsAreWhole(t *testing.T, open Opener) {
	s := mustOpen(t, open, key("alice"))
	refused := errors.New("refused by the caller")
	if _, err := s.Update(func(tx *journal.Tx) error {
		tx.Append("event", []byte("a"))
		tx.Append("event", []byte("b"))
		return refused
	}); !errors.Is(err, refused) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	if n := len(all(t, open)); n != 1 {
		t.Fatalf("a refused transaction left %d records", n-1)
	}
	recs, err := s.Update(func(tx *journal.Tx) error {
		for _, p := range []string{"a", "b", "c"} {
			if _, err := tx.Append("event", []byte(p)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || len(recs) != 3 {
		t.Fatalf("Update: %d records, %v", len(recs), err)
	}
	for i, r := range recs {
		if r.Follows != uint32(2-i) {
			t.Errorf("record %d of a write of 3 says %d follow it", i, r.Follows)
		}
	}
	if got := all(t, open); len(got) != 4 || got[3].Hash != recs[2].Hash {
		t.Fatalf("after a transaction of 3: %d records", len(got))
	}
}

func writersSeeEachOther(t *testing.T, open Opener) {
	a := mustOpen(t, open, key("alice"))
	b := mustOpen(t, open, key("bob"))
	ra, err := a.Append("event", []byte("from alice"))
	if err != nil {
		t.Fatal(err)
	}
	var foreign []journal.Record
	recs, err := b.Update(func(tx *journal.Tx) error {
		foreign = slices.Clone(tx.Foreign())
		if tx.Next() != ra.Seq+1 {
			return fmt.Errorf("the next record would be %d, after alice's %d", tx.Next(), ra.Seq)
		}
		_, err := tx.Append("event", []byte("from bob"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(foreign) != 1 || foreign[0].Hash != ra.Hash {
		t.Errorf("bob's transaction was handed %d foreign records, want alice's", len(foreign))
	}
	if recs[0].Prev != ra.Hash {
		t.Error("bob's record does not follow alice's")
	}
	got, err := a.Refresh()
	if err != nil || len(got) != 1 || got[0].Hash != recs[0].Hash {
		t.Errorf("alice's Refresh: %d records, %v; want bob's", len(got), err)
	}
}

func concurrentWritersOneChain(t *testing.T, open Opener) {
	const writers, each = 4, 25
	var mu sync.Mutex
	acked := map[journal.Hash]string{}
	var wg sync.WaitGroup
	for w := range writers {
		s := mustOpen(t, open, key(fmt.Sprint("writer", w)))
		wg.Go(func() {
			for i := range each {
				p := fmt.Sprintf("w%d.%d", w, i)
				r, err := s.Append("event", []byte(p))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked[r.Hash] = p
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	recs := all(t, open)
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		if seen[string(r.Payload)] {
			t.Fatalf("%s is in the journal twice", r.Payload)
		}
		seen[string(r.Payload)] = true
		if p, ok := acked[r.Hash]; ok && p != string(r.Payload) {
			t.Fatalf("record %d holds %s, acknowledged as %s", r.Seq, r.Payload, p)
		}
	}
	for _, p := range acked {
		if !seen[p] {
			t.Fatalf("%s was acknowledged and is not in the journal", p)
		}
	}
}

func checkpointsCheck(t *testing.T, open Opener) {
	s := mustOpen(t, open, key("alice"))
	for range 3 {
		if _, err := s.Append("event", nil); err != nil {
			t.Fatal(err)
		}
	}
	signer := key("checkpoint")
	at := timesync.FromTime(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	cp, err := s.Checkpoint(3, at, signer)
	if err != nil {
		t.Fatal(err)
	}
	recs := all(t, open)
	if err := journal.VerifyCheckpoint(signer.Public().(ed25519.PublicKey), cp, recs); err != nil {
		t.Errorf("the checkpoint does not check against the records: %v", err)
	}
	if cp.Seq != 2 || cp.Hash != recs[2].Hash {
		t.Errorf("a checkpoint of 3 records vouches for record %d", cp.Seq)
	}
	if _, err := s.Checkpoint(99, at, signer); !errors.Is(err, journal.ErrCorrupt) {
		t.Errorf("a checkpoint of more records than the journal holds: %v", err)
	}
}

func closedRefuses(t *testing.T, open Opener) {
	s, err := open(key("alice"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append("event", nil); !errors.Is(err, journal.ErrClosed) {
		t.Errorf("Append after Close: %v", err)
	}
}

func writesAreBounded(t *testing.T, open Opener) {
	s := mustOpen(t, open, key("alice"))
	_, err := s.Update(func(tx *journal.Tx) error {
		for range journal.MaxWrite + 1 {
			if _, err := tx.Append("event", nil); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, journal.ErrRecord) {
		t.Errorf("a transaction of %d records: %v", journal.MaxWrite+1, err)
	}
	if n := len(all(t, open)); n != 1 {
		t.Errorf("a refused transaction left %d records", n-1)
	}
}

func reopenContinues(t *testing.T, open Opener) {
	s, err := open(key("alice"))
	if err != nil {
		t.Fatal(err)
	}
	var last journal.Record
	for i := range 3 {
		if last, err = s.Append("event", fmt.Appendf(nil, "before %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := mustOpen(t, open, key("alice"))
	recs := again.Initial()
	checkChain(t, recs)
	if len(recs) != 4 || recs[3].Hash != last.Hash || !bytes.Equal(recs[3].Payload, []byte("before 2")) {
		t.Fatalf("reopened: %d records, the last acknowledged not among them", len(recs))
	}
	if again.Initial() != nil {
		t.Error("Initial handed the records over twice")
	}
	if again.ID() != [16]byte(recs[0].Payload) {
		t.Error("ID is not the header's identity")
	}
	r, err := again.Append("event", []byte("after"))
	if err != nil || r.Seq != 4 || r.Prev != last.Hash {
		t.Fatalf("the append after reopening: record %d, %v", r.Seq, err)
	}
}

func refusedKeepsForeign(t *testing.T, open Opener) {
	a := mustOpen(t, open, key("alice"))
	b := mustOpen(t, open, key("bob"))
	ra, err := a.Append("event", []byte("from alice"))
	if err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	if _, err := b.Update(func(tx *journal.Tx) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("Update: %v", err)
	}
	got, err := b.Refresh()
	if err != nil || len(got) != 1 || got[0].Hash != ra.Hash {
		t.Fatalf("Refresh after a refused transaction that never asked for others' records: %d records, %v; want alice's", len(got), err)
	}
	if got, err := b.Refresh(); err != nil || len(got) != 0 {
		t.Fatalf("a second Refresh: %d records, %v", len(got), err)
	}
}
