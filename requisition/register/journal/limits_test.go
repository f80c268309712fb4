package journal_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
)

// What Tx.Staged returns is a copy: changing it changes nothing written.
func TestStagedIsACopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	j, _, err := journal.Open(path, journalOptions(true))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := j.Update(func(tx *journal.Tx) error {
		if _, err := tx.Append("event", []byte("x")); err != nil {
			return err
		}
		st := tx.Staged()
		st[0].Kind, st[0].Seq, st[0].Payload[0] = "journal", 99, 'y'
		return nil
	})
	j.Close()
	if err != nil || len(recs) != 1 || recs[0].Kind != "event" || recs[0].Seq != 1 || string(recs[0].Payload) != "x" {
		t.Fatalf("Update: %+v, %v", recs, err)
	}
	if _, err := journal.ReadFile(path); err != nil {
		t.Fatalf("the journal no longer reads: %v", err)
	}
}

// A write is bounded: a transaction cannot stage more than MaxWrite
// records; a group commit of more concurrent appends is split into
// writes of at most MaxWrite; and a write said to hold more is
// corruption, to ReadRecords and Scan alike.
func TestWritesAreBounded(t *testing.T) {
	path := filepath.Join(memTempDir(t), "journal")
	j, _, err := journal.Open(path, journalOptions(true))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	_, err = j.Update(func(tx *journal.Tx) error {
		for range journal.MaxWrite + 1 {
			if _, err := tx.Append("event", nil); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, journal.ErrRecord) {
		t.Fatalf("a transaction of %d records: %v", journal.MaxWrite+1, err)
	}
	var wg sync.WaitGroup
	for i := range journal.MaxWrite + 200 {
		wg.Go(func() {
			if _, err := j.Append("event", fmt.Appendf(nil, "%d", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Follows >= journal.MaxWrite {
			t.Fatalf("record %d starts a write of %d records", r.Seq, r.Follows+1)
		}
	}

	// A forged header whose write says it holds MaxWrite records.
	data := mustRead(t, path)
	fr := frames(t, data)
	hdr := bytes.Clone(data[:fr[0][1]])
	body := hdr[8 : len(hdr)-32]
	// follows sits before the signer (32) and the signature (64).
	binary.BigEndian.PutUint32(body[len(body)-100:], journal.MaxWrite)
	// Signed again with the key the test wrote it with: a writer that
	// holds a key could write it.
	msg := append([]byte("ccjkit journal record v2\x00"), body[:len(body)-ed25519.SignatureSize]...)
	copy(body[len(body)-ed25519.SignatureSize:], ed25519.Sign(testSigner, msg))
	h := sha256.Sum256(body)
	copy(hdr[len(hdr)-32:], h[:])
	_, _, rerr := journal.ReadRecords(hdr)
	_, serr := journal.Scan(bytes.NewReader(hdr), journal.ScanOptions{ChainOnly: true}, nil)
	var ce *journal.CorruptError
	if !errors.As(rerr, &ce) || journal.IsTornTail(rerr) || fmt.Sprint(rerr) != fmt.Sprint(serr) || !strings.Contains(ce.Reason, "more than a writer writes") {
		t.Errorf("a write said to hold %d records: ReadRecords %v, Scan %v", journal.MaxWrite+1, rerr, serr)
	}
}

// Holding a write of many records until it is whole costs memory
// proportional to that write, not several times it.
func TestHeldWriteMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	path := filepath.Join(memTempDir(t), "journal")
	j, _, err := journal.Open(path, journalOptions(true))
	if err != nil {
		t.Fatal(err)
	}
	payload := bytes.Repeat([]byte{7}, 64<<10)
	const n = 500 // 32 MiB in one write
	if _, err := j.Update(func(tx *journal.Tx) error {
		for range n {
			if _, err := tx.Append("event", payload); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sum, err := journal.Verify(path, journal.ScanOptions{ChainOnly: true})
	runtime.ReadMemStats(&after)
	if err != nil || sum.Records != n+1 {
		t.Fatal(sum.Records, err)
	}
	write := uint64(n * len(payload))
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*write {
		t.Errorf("verifying a write of %d MiB allocated %d MiB", write>>20, alloc>>20)
	} else {
		t.Logf("verifying a write of %d MiB allocated %d MiB", write>>20, alloc>>20)
	}
}
