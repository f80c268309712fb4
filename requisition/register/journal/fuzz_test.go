package journal_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Any bytes: ReadRecords never panics; bytes without a whole header are
// ErrNoHeader with nothing valid (as Open and Verify say); other damage
// is named with a *CorruptError at the end of the valid prefix; only
// records that chain from a header are returned, and the valid prefix
// re-reads to the same records cleanly. Scan agrees with it.
func FuzzReadRecords(f *testing.F) {
	dir := f.TempDir()
	for i, key := range []ed25519.PrivateKey{nil, ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))} {
		path := filepath.Join(dir, fmt.Sprint("j", i))
		j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0), Signer: key})
		if err != nil {
			f.Fatal(err)
		}
		j.Append("event", []byte("hello"))
		j.Append("answer", []byte("world"))
		j.Close()
		data, _ := os.ReadFile(path)
		f.Add(data)
		f.Add(data[:len(data)-5])
	}
	f.Add([]byte("CCJR"))
	f.Add([]byte("CCJS\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, valid, err := journal.ReadRecords(data)
		if valid < 0 || valid > int64(len(data)) {
			t.Fatalf("valid prefix %d of %d bytes", valid, len(data))
		}
		var ce *journal.CorruptError
		switch {
		case errors.Is(err, journal.ErrNoHeader):
			if len(recs) != 0 || valid != 0 {
				t.Fatalf("no header, but %d records and %d valid bytes", len(recs), valid)
			}
			return
		case err == nil && valid != int64(len(data)):
			t.Fatalf("no error, but only %d of %d bytes valid", valid, len(data))
		case err != nil && !errors.Is(err, journal.ErrCorrupt):
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		case err != nil && (!errors.As(err, &ce) || ce.Offset != valid || ce.Seq != uint64(len(recs))):
			t.Fatalf("error %v for %d records and %d valid bytes", err, len(recs), valid)
		}
		for i, r := range recs {
			if r.Seq != uint64(i) || (i > 0 && r.Prev != recs[i-1].Hash) || (i == 0) != (r.Kind == "journal") {
				t.Fatalf("record %d: seq %d, kind %q, does not chain", i, r.Seq, r.Kind)
			}
		}
		// The valid prefix re-reads to the same records, cleanly.
		again, v2, err2 := journal.ReadRecords(data[:valid])
		if valid == 0 && errors.Is(err2, journal.ErrNoHeader) {
			err2 = nil // nothing valid: no header, the one case with no record
		}
		if err2 != nil || v2 != valid || len(again) != len(recs) {
			t.Fatalf("prefix re-read: %d records, %v", len(again), err2)
		}
		n := 0
		sum, serr := journal.Scan(bytes.NewReader(data), journal.ScanOptions{}, func(r journal.Record) error {
			if r.Hash != recs[n].Hash {
				t.Fatalf("Scan's record %d differs from ReadRecords'", n)
			}
			n++
			return nil
		})
		if sum.Valid != valid || n != len(recs) || (serr == nil) != (err == nil) || (err != nil && serr.Error() != err.Error()) {
			t.Fatalf("Scan: %d records, %d valid, %v; ReadRecords: %d, %d, %v", n, sum.Valid, serr, len(recs), valid, err)
		}
	})
}
