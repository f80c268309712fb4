package journal_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// scanJournal writes a journal of single records and one write of three
// records (a transaction), so that scans meet a write of several.
func scanJournal(t *testing.T, signed bool) []byte {
	t.Helper()
	path := filepath.Join(memTempDir(t), "journal")
	j, _, err := journal.Open(path, journalOptions(signed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("one", bytes.Repeat([]byte{'a'}, 70)); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Update(func(tx *journal.Tx) error {
		for i := range 3 {
			if _, err := tx.Append("batch", bytes.Repeat([]byte{byte('b' + i)}, 40+i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("last", bytes.Repeat([]byte{'z'}, 33)); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return mustRead(t, path)
}

// scanned is what a scan reports, in a form go-cmp compares.
type scanned struct {
	Hashes []journal.Hash
	Valid  int64
	Err    string
	Torn   bool
	NoHdr  bool
}

func fromRead(data []byte) scanned {
	recs, valid, err := journal.ReadRecords(data)
	s := scanned{Valid: valid, Torn: journal.IsTornTail(err), NoHdr: errors.Is(err, journal.ErrNoHeader)}
	for _, r := range recs {
		s.Hashes = append(s.Hashes, r.Hash)
	}
	if err != nil && !s.NoHdr {
		s.Err = err.Error()
	}
	return s
}

func fromScan(t *testing.T, data []byte, bufSize int, oneByte bool) scanned {
	t.Helper()
	r := iotestReader(data, oneByte)
	var s scanned
	sum, err := journal.ScanBuffered(r, bufSize, journal.ScanOptions{}, func(rec journal.Record) error {
		s.Hashes = append(s.Hashes, rec.Hash)
		return nil
	})
	if uint64(len(s.Hashes)) != sum.Records {
		t.Fatalf("summary counts %d records, the function was given %d", sum.Records, len(s.Hashes))
	}
	s.Valid, s.Torn, s.NoHdr = sum.Valid, journal.IsTornTail(err), errors.Is(err, journal.ErrNoHeader)
	if s.NoHdr {
		s.Valid = 0
	}
	if err != nil && !s.NoHdr {
		s.Err = err.Error()
	}
	return s
}

func iotestReader(data []byte, oneByte bool) interface{ Read([]byte) (int, error) } {
	if oneByte {
		return iotest.OneByteReader(bytes.NewReader(data))
	}
	return bytes.NewReader(data)
}

// A scan and ReadRecords are one reader: for every cut and every byte
// inverted of a journal holding a write of several records, they give
// the same records, the same valid length and the same error (the same
// record named, at the same byte, for the same reason) — with a buffer
// smaller than a record, so that the scan refills and moves its window
// in the middle of frames and of the write of several, and with a reader
// that gives one byte at a time.
func TestScanAgreesWithReadRecords(t *testing.T) {
	for _, signed := range []bool{false, true} {
		t.Run(signedName(signed), func(t *testing.T) {
			orig := scanJournal(t, signed)
			var inputs [][]byte
			for cut := range len(orig) + 1 {
				inputs = append(inputs, orig[:cut])
			}
			for i := range orig {
				b := bytes.Clone(orig)
				b[i] ^= 0xFF
				inputs = append(inputs, b)
			}
			for n, in := range inputs {
				want := fromRead(in)
				for _, v := range []struct {
					buf     int
					oneByte bool
				}{{64, false}, {100, true}, {1 << 20, false}} {
					got := fromScan(t, in, v.buf, v.oneByte)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("input %d (%d bytes), buffer %d, one byte at a time %v (-ReadRecords +Scan):\n%s", n, len(in), v.buf, v.oneByte, diff)
					}
				}
			}
		})
	}
}

// The one case with no record: an empty file, or one cut inside its
// header, is ErrNoHeader for Verify, ReadFile, ReadRecords, Scan and
// Open alike.
func TestNoHeaderIsOneCase(t *testing.T) {
	orig := scanJournal(t, true)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty file", nil},
		{"magic only", orig[:4]},
		{"cut inside the header", orig[:40]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, verr := journal.Verify(path, journal.ScanOptions{})
			_, ferr := journal.ReadFile(path)
			_, _, rerr := journal.ReadRecords(tc.data)
			_, serr := journal.Scan(bytes.NewReader(tc.data), journal.ScanOptions{}, nil)
			_, _, oerr := journal.Open(path, journalOptions(true))
			for name, err := range map[string]error{"Verify": verr, "ReadFile": ferr, "ReadRecords": rerr, "Scan": serr, "Open": oerr} {
				if !errors.Is(err, journal.ErrNoHeader) {
					t.Errorf("%s: %v, want ErrNoHeader", name, err)
				}
			}
			if !bytes.Equal(mustRead(t, path), tc.data) {
				t.Error("the file changed")
			}
		})
	}
}

// Verify's summary names the journal, counts the records and ends on
// the last one's hash; its progress reports grow to the file's size.
func TestVerifySummaryAndProgress(t *testing.T) {
	path, j := newJournal(t, 200)
	j.Close()
	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	var calls [][2]int64
	sum, err := journal.Verify(path, journal.ScanOptions{ProgressEvery: 1000, Progress: func(done, total int64) {
		calls = append(calls, [2]int64{done, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := journal.Summary{Records: uint64(len(recs)), Unsigned: uint64(len(recs)), Last: recs[len(recs)-1].Hash,
		Created: recs[0].Time, LastTime: recs[len(recs)-1].Time, Valid: fi.Size(), Size: fi.Size()}
	copy(want.ID[:], recs[0].Payload)
	if diff := cmp.Diff(want, sum, cmpopts.EquateComparable(timesync.Timestamp{})); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if len(calls) < 5 {
		t.Fatalf("%d progress reports for %d bytes every 1000", len(calls), fi.Size())
	}
	for i, c := range calls {
		if c[1] != fi.Size() || (i > 0 && c[0] < calls[i-1][0]) {
			t.Fatalf("progress report %d: %v (size %d)", i, c, fi.Size())
		}
	}
	if last := calls[len(calls)-1]; last[0] != fi.Size() {
		t.Errorf("last progress report %v, want done = %d", last, fi.Size())
	}
}

// Records stops when the loop breaks, and yields the scan's error last.
func TestRecordsIterator(t *testing.T) {
	orig := scanJournal(t, true)
	n := 0
	for rec, err := range journal.Records(bytes.NewReader(orig), journal.ScanOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 2 || rec.Seq != uint64(n-1) {
			break
		}
	}
	if n != 2 {
		t.Errorf("the loop ran %d times, want 2", n)
	}
	var last error
	count := 0
	for _, err := range journal.Records(bytes.NewReader(orig[:len(orig)-3]), journal.ScanOptions{}) {
		count++
		last = err
	}
	if !journal.IsTornTail(last) || count != 6 {
		t.Errorf("a cut journal: %d values, last error %v; want 5 records then the torn tail", count, last)
	}
}

// ChainOnly checks the chain and not the signatures: a record whose
// signature was replaced and whose hash was recomputed passes it, and is
// refused by the full check.
func TestScanChainOnly(t *testing.T) {
	data := scanJournal(t, true)
	recs, _, err := journal.ReadRecords(data)
	if err != nil {
		t.Fatal(err)
	}
	// Forge the last record: change a byte of its signature and recompute
	// its hash. Nothing follows it, so the chain still holds.
	fr := frames(t, data)
	start, end := fr[len(fr)-1][0], fr[len(fr)-1][1]
	body := data[start+8 : end-32]
	body[len(body)-1] ^= 1
	h := sha256.Sum256(body)
	copy(data[end-32:], h[:])
	if _, err := journal.Scan(bytes.NewReader(data), journal.ScanOptions{ChainOnly: true}, nil); err != nil {
		t.Errorf("chain only: %v", err)
	}
	_, err = journal.Scan(bytes.NewReader(data), journal.ScanOptions{}, nil)
	var ce *journal.CorruptError
	if !errors.As(err, &ce) || ce.Seq != uint64(len(recs)-1) || ce.Reason != "the signature does not verify" {
		t.Errorf("full check: %v, want the last record's signature named", err)
	}
}

// Verifying allocates nothing per record: the allocations of a journal
// of 50 records and of one of 1,000 are the same.
func TestVerifyAllocatesNothingPerRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	allocs := map[int]float64{}
	for _, n := range []int{50, 1000} {
		path, j := newJournal(t, n)
		j.Close()
		allocs[n] = testing.AllocsPerRun(3, func() {
			if _, err := journal.Verify(path, journal.ScanOptions{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if allocs[1000] > allocs[50] {
		t.Errorf("allocations: %v for 50 records, %v for 1,000", allocs[50], allocs[1000])
	}
	t.Logf("allocations per Verify: %v", allocs)
}

// A scan checks the checkpoints it is given as the records stream by,
// with the same verdicts as Checkpoint.Check on the records in memory.
func TestScanCheckpoints(t *testing.T) {
	path, j := newJournal(t, 5)
	j.Close()
	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data := mustRead(t, path)
	fr := frames(t, data)
	_, priv, _ := ed25519.GenerateKey(nil)
	cp, err := journal.Sign(recs, timesync.Now(timesynctest.NewClock(t0)), priv)
	if err != nil {
		t.Fatal(err)
	}
	early, err := journal.Sign(recs[:3], timesync.Now(timesynctest.NewClock(t0)), priv)
	if err != nil {
		t.Fatal(err)
	}
	other, j2 := newJournal(t, 5)
	j2.Close()
	forged := cp
	forged.Seq = 2
	for _, tc := range []struct {
		name  string
		data  []byte
		cps   []journal.Checkpoint
		held  int
		fails bool
	}{
		{"both hold", data, []journal.Checkpoint{early, cp}, 2, false},
		{"cut short before the last", data[:fr[4][1]], []journal.Checkpoint{early, cp}, 1, true},
		{"rolled back before both", data[:fr[1][1]], []journal.Checkpoint{early, cp}, 0, true},
		{"another journal's", mustRead(t, other), []journal.Checkpoint{cp}, 0, true},
		{"a changed number breaks the signature", data, []journal.Checkpoint{forged}, 0, true},
		{"none kept", data, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked [16]byte
			sum, err := journal.Scan(bytes.NewReader(tc.data), journal.ScanOptions{Checkpoints: func(id [16]byte) ([]journal.Checkpoint, error) {
				asked = id
				return tc.cps, nil
			}}, nil)
			if asked != sum.ID {
				t.Errorf("Checkpoints was asked for %x, the journal is %x", asked, sum.ID)
			}
			if sum.Checkpoints != tc.held || errors.Is(err, journal.ErrCheckpoint) != tc.fails || (!tc.fails && err != nil) {
				t.Errorf("%d held, error %v; want %d held, failure %v", sum.Checkpoints, err, tc.held, tc.fails)
			}
			// The same verdict as on the records in memory.
			got, _, _ := journal.ReadRecords(tc.data)
			inMemory := false
			for _, cp := range tc.cps {
				inMemory = inMemory || cp.Check(got) != nil
			}
			if inMemory != tc.fails {
				t.Errorf("in memory, a checkpoint fails: %v", inMemory)
			}
		})
	}
}
