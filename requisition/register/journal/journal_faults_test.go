package journal_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The journal-level tests of issue 17: every single-bit flip and every
// truncation of a small journal, I/O faults at every step of creation,
// append and repair, and a full disk. The rule they hold the journal to:
// a torn last write — the one artefact of a crash, since a record is
// acknowledged only once its single write is synced — is set aside to a
// quarantine file and the repair recorded; anything else is corruption,
// refused and named, never cut; no acknowledged record ever disappears.

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// quarantineFiles lists the quarantine files beside the journal "journal"
// in dir.
func quarantineFiles(t testing.TB, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "journal.quarantine-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func removeQuarantines(t testing.TB, dir string) {
	t.Helper()
	for _, q := range quarantineFiles(t, dir) {
		if err := os.Remove(q); err != nil {
			t.Fatal(err)
		}
	}
}

var quarantineName = regexp.MustCompile(`^journal\.quarantine-\d{8}T\d{6}Z-(\d+)(-\d+)?$`)

// decodeRepair decodes a repair record and reads the quarantine file it
// names, which must hold the number of bytes, and the hash, it says.
func decodeRepair(t testing.TB, path string, r journal.Record) (journal.Repair, []byte) {
	t.Helper()
	if r.Kind != journal.RepairKind {
		t.Fatalf("record %d is a %q, not a repair", r.Seq, r.Kind)
	}
	var rp journal.Repair
	if err := json.Unmarshal(r.Payload, &rp); err != nil {
		t.Fatalf("record %d: repair %q: %v", r.Seq, r.Payload, err)
	}
	if m := quarantineName.FindStringSubmatch(rp.File); m == nil || m[1] != fmt.Sprint(rp.Offset) || rp.Reason == "" {
		t.Fatalf("record %d: quarantine file %q for offset %d, reason %q", r.Seq, rp.File, rp.Offset, rp.Reason)
	}
	q := mustRead(t, filepath.Join(filepath.Dir(path), rp.File))
	if sum := sha256.Sum256(q); int64(len(q)) != rp.Bytes || hex.EncodeToString(sum[:]) != rp.SHA256 {
		t.Fatalf("record %d: the quarantine file holds %d bytes (sha256 %x); the repair says %d (%s)", r.Seq, len(q), sum, rp.Bytes, rp.SHA256)
	}
	return rp, q
}

// checkRepair checks that r records the setting aside of tail, cut at
// offset from the journal at path, and that the quarantine file it names
// holds exactly those bytes.
func checkRepair(t testing.TB, path string, r journal.Record, offset int64, tail []byte) journal.Repair {
	t.Helper()
	rp, q := decodeRepair(t, path, r)
	sum := sha256.Sum256(tail)
	want := journal.Repair{Offset: offset, Bytes: int64(len(tail)), SHA256: hex.EncodeToString(sum[:]), File: rp.File, Reason: rp.Reason}
	if diff := cmp.Diff(want, rp); diff != "" {
		t.Fatalf("record %d: repair (-want +got):\n%s", r.Seq, diff)
	}
	if !bytes.Equal(q, tail) {
		t.Fatalf("record %d: the quarantine file holds other bytes than the %d cut", r.Seq, len(tail))
	}
	return rp
}

var testSigner = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))

func journalOptions(signed bool) journal.Options {
	o := journal.Options{Clock: timesynctest.NewClock(t0)}
	if signed {
		o.Signer = testSigner
	}
	return o
}

// memTempDir returns a temporary directory in memory (/dev/shm) where
// there is one, else t.TempDir(): the exhaustive tests make thousands of
// journals and repairs, whose fsyncs on a disk would take minutes and test
// nothing more.
func memTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "ccjkit-journal-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// smallJournalFile writes a journal of a header and four records of about
// 100 bytes of payload, signed or not, in memory, and returns its path and
// bytes.
func smallJournalFile(t *testing.T, signed bool) (string, []byte) {
	t.Helper()
	path := filepath.Join(memTempDir(t), "journal")
	j, _, err := journal.Open(path, journalOptions(signed))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		// Payloads without "CCJ" in them, like the ciphertext a register
		// stores would be (almost surely).
		p := bytes.Repeat([]byte{byte('a' + i)}, 90+7*i)
		if _, err := j.Append(fmt.Sprintf("kind%d", i), p); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path, mustRead(t, path)
}

// frameOf returns the index of the frame holding byte off.
func frameOf(fr [][2]int, off int) int {
	for i, f := range fr {
		if off < f[1] {
			return i
		}
	}
	return len(fr)
}

func signedName(signed bool) string {
	if signed {
		return "signed"
	}
	return "unsigned"
}

// Every single-bit flip, and every byte inverted, of a complete journal:
// since its last record is whole, no flip can be a crash's torn write, so
// every one must be refused — never repaired. Every flip is read by
// ReadRecords (the reader of Verify, Open and every append), which must
// name damage at or before the flipped record and read the records before
// it as they were; the byte's lowest bit flipped, and the byte inverted,
// are also put to the commands on disk: Verify names the damage, Open
// refuses with ErrCorrupt, RecoverHeaderless refuses, the file stays
// byte-identical and no quarantine file is made. (All nine on disk take
// over two minutes under -race on a loaded machine, and test the same
// reader.)
func TestFlipEveryByte(t *testing.T) {
	for _, signed := range []bool{false, true} {
		t.Run(signedName(signed), func(t *testing.T) {
			path, orig := smallJournalFile(t, signed)
			dir := filepath.Dir(path)
			fr := frames(t, orig)
			good, err := journal.ReadFile(path)
			if err != nil || len(good) != 5 {
				t.Fatalf("%d records, %v", len(good), err)
			}
			masks := []byte{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF}
			onDisk := map[byte]bool{0x01: true, 0xFF: true}
			var tried, refused, commands, repaired int
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for off := range orig {
				k := frameOf(fr, off)
				for _, m := range masks {
					tried++
					b := bytes.Clone(orig)
					b[off] ^= m
					what := fmt.Sprintf("byte %d (record %d) ^ %#02x", off, k, m)
					// named at or before the flipped record, the records before
					// it read as they were
					named := func(who string, recs []journal.Record, err error) {
						t.Helper()
						var ce *journal.CorruptError
						if !errors.As(err, &ce) || journal.IsTornTail(err) {
							t.Fatalf("%s: %s: %v, want damage named", what, who, err)
						}
						if ce.Seq > uint64(k) || ce.Offset > int64(fr[k][0]) || len(recs) != int(ce.Seq) {
							t.Fatalf("%s: %s names record %d at %d with %d records before", what, who, ce.Seq, ce.Offset, len(recs))
						}
						for i, r := range recs {
							if r.Hash != good[i].Hash {
								t.Fatalf("%s: %s read record %d differently", what, who, i)
							}
						}
					}
					recs, _, err := journal.ReadRecords(b)
					named("ReadRecords", recs, err)
					refused++
					if !onDisk[m] {
						continue
					}
					commands++
					// The byte flipped in place, as rot would.
					if _, err := f.WriteAt(b[off:off+1], int64(off)); err != nil {
						t.Fatal(err)
					}
					recs, err = journal.ReadFile(path)
					named("Verify", recs, err)
					j, rep, err := journal.Open(path, journalOptions(signed))
					if err == nil {
						_, aerr := j.Append("event", []byte("after the flip"))
						j.Close()
						if aerr == nil {
							repaired++
						}
						t.Errorf("%s: Open accepted the damaged journal (%+v); append: %v", what, rep, aerr)
						if err := os.WriteFile(path, orig, 0o600); err != nil {
							t.Fatal(err)
						}
						removeQuarantines(t, dir)
						continue
					}
					if !errors.Is(err, journal.ErrCorrupt) {
						t.Fatalf("%s: Open: %v, want ErrCorrupt", what, err)
					}
					if dst, err := journal.RecoverHeaderless(path, timesynctest.NewClock(t0)); err == nil {
						t.Fatalf("%s: RecoverHeaderless moved the journal to %s", what, dst)
					}
					if !bytes.Equal(mustRead(t, path), b) {
						t.Fatalf("%s: the refused journal was changed", what)
					}
					if q := quarantineFiles(t, dir); len(q) > 0 {
						t.Fatalf("%s: quarantine files %v", what, q)
					}
					if _, err := f.WriteAt(orig[off:off+1], int64(off)); err != nil {
						t.Fatal(err)
					}
				}
			}
			t.Logf("%s journal of %d bytes, %d records: %d flips tried, %d refused with the damage named, %d of them put to Verify, Open and RecoverHeaderless on disk (refused, file unchanged); %d repaired",
				signedName(signed), len(orig), len(fr), tried, refused, commands, repaired)
			if repaired != 0 || refused != tried {
				t.Errorf("%d of %d flips repaired, %d refused", repaired, tried, refused)
			}
		})
	}
}

// A journal cut at every offset. At a frame boundary the cut is invisible
// at this level — the journal verifies with fewer records; a signed
// checkpoint kept outside the register (checkpoint.go) is what catches
// it. Inside the header, the file is header-less: refused with
// ErrNoHeader, set aside by RecoverHeaderless. Inside any other frame, it
// is a torn last write: Verify and Open report it with the right byte
// count, Open leaves the file alone, and the next append moves exactly the
// cut bytes to a quarantine file, records the repair, and appends after
// it, every whole record before the cut untouched.
func TestTruncateEveryOffset(t *testing.T) {
	for _, signed := range []bool{false, true} {
		t.Run(signedName(signed), func(t *testing.T) {
			path, orig := smallJournalFile(t, signed)
			dir := filepath.Dir(path)
			fr := frames(t, orig)
			good, err := journal.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var boundaries, torn, headerless int
			for cut := range len(orig) {
				if err := os.WriteFile(path, orig[:cut], 0o600); err != nil {
					t.Fatal(err)
				}
				removeQuarantines(t, dir)
				k := frameOf(fr, cut)
				what := fmt.Sprintf("cut at %d (record %d)", cut, k)
				recs, verr := journal.ReadFile(path)
				for i, r := range recs {
					if i >= k || r.Hash != good[i].Hash {
						t.Fatalf("%s: Verify read record %d differently", what, i)
					}
				}
				switch {
				case k == 0:
					headerless++
					if !errors.Is(verr, journal.ErrNoHeader) {
						t.Fatalf("%s: Verify: %v, want ErrNoHeader", what, verr)
					}
					if _, _, err := journal.Open(path, journalOptions(signed)); !errors.Is(err, journal.ErrNoHeader) {
						t.Fatalf("%s: Open: %v, want ErrNoHeader", what, err)
					}
					if !bytes.Equal(mustRead(t, path), orig[:cut]) {
						t.Fatalf("%s: Open changed a header-less file", what)
					}
					dst, err := journal.RecoverHeaderless(path, timesynctest.NewClock(t0))
					if err != nil {
						t.Fatalf("%s: RecoverHeaderless: %v", what, err)
					}
					if !bytes.Equal(mustRead(t, dst), orig[:cut]) {
						t.Fatalf("%s: the set-aside file differs", what)
					}
					os.Remove(dst)
					j, rep, err := journal.Open(path, journalOptions(signed))
					if err != nil || !rep.Created {
						t.Fatalf("%s: Open after recovery: %+v, %v", what, rep, err)
					}
					j.Close()
				case cut == fr[k][0]:
					boundaries++
					if verr != nil || len(recs) != k {
						t.Fatalf("%s: Verify: %d records, %v", what, len(recs), verr)
					}
					j, rep, err := journal.Open(path, journalOptions(signed))
					if err != nil || rep.Torn != nil || rep.Records != k {
						t.Fatalf("%s: Open: %+v, %v", what, rep, err)
					}
					if r, err := j.Append("event", []byte("after the cut")); err != nil || r.Seq != uint64(k) {
						t.Fatalf("%s: Append: %d, %v", what, r.Seq, err)
					}
					j.Close()
					if q := quarantineFiles(t, dir); len(q) > 0 {
						t.Fatalf("%s: quarantine files %v after a clean cut", what, q)
					}
				default:
					torn++
					var ce *journal.CorruptError
					if !journal.IsTornTail(verr) || !errors.As(verr, &ce) || ce.Seq != uint64(k) || ce.Offset != int64(fr[k][0]) || len(recs) != k {
						t.Fatalf("%s: Verify: %d records, %v", what, len(recs), verr)
					}
					j, rep, err := journal.Open(path, journalOptions(signed))
					if err != nil || !journal.IsTornTail(rep.Torn) || rep.TornBytes != int64(cut-fr[k][0]) || rep.Records != k {
						t.Fatalf("%s: Open: %+v, %v", what, rep, err)
					}
					if !bytes.Equal(mustRead(t, path), orig[:cut]) || len(quarantineFiles(t, dir)) > 0 {
						t.Fatalf("%s: Open wrote", what)
					}
					r, err := j.Append("event", []byte("after the cut"))
					if err != nil || r.Seq != uint64(k+1) {
						t.Fatalf("%s: Append: %d, %v", what, r.Seq, err)
					}
					j.Close()
					recs, err := journal.ReadFile(path)
					if err != nil || len(recs) != k+2 {
						t.Fatalf("%s: after the repair: %d records, %v", what, len(recs), err)
					}
					if !bytes.Equal(mustRead(t, path)[:fr[k][0]], orig[:fr[k][0]]) {
						t.Fatalf("%s: the whole records before the cut changed", what)
					}
					checkRepair(t, path, recs[k], int64(fr[k][0]), orig[fr[k][0]:cut])
					if q := quarantineFiles(t, dir); len(q) != 1 {
						t.Fatalf("%s: quarantine files %v", what, q)
					}
				}
			}
			t.Logf("%s journal of %d bytes: %d cuts: %d at a frame boundary (verify clean, fewer records: for the checkpoints), %d inside the header (ErrNoHeader, recovered), %d torn (reported, set aside, repair recorded), 0 whole records lost",
				signedName(signed), len(orig), len(orig), boundaries, headerless, torn)
		})
	}
}

var (
	errEIO    = fmt.Errorf("injected: %w", syscall.EIO)
	errENOSPC = fmt.Errorf("injected: %w", syscall.ENOSPC)
	errKilled = errors.New("injected: the process was killed here")
)

// opLog records the operations a faulty layer was asked about, in order.
type opLog struct{ ops []string }

func (l *opLog) add(op string) int {
	l.ops = append(l.ops, op)
	return len(l.ops) - 1
}

// Creation, faulted at every step and killed at every step (every
// operation from the kill on does nothing, as after SIGKILL): the path is
// absent or a whole journal, never a file without a header, and an Open
// after succeeds.
func TestCreateFaults(t *testing.T) {
	var ref opLog
	refDir := t.TempDir()
	j, _, err := journal.OpenFaulty(filepath.Join(refDir, "journal"), journalOptions(true), func(op string, n int) error {
		ref.add(op)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	j.Close()
	t.Logf("creation's operations: %v", ref.ops)

	tests := []struct {
		name  string
		kill  bool
		fault func(op string) error
	}{
		{"killed", true, nil},
		{"EIO", false, func(string) error { return errEIO }},
		{"ENOSPC", false, func(string) error { return errENOSPC }},
		{"short write", false, func(op string) error {
			if op != "write" {
				return nil
			}
			return &journal.ShortWrite{Keep: 40}
		}},
		{"short write then ENOSPC", false, func(op string) error {
			if op != "write" {
				return nil
			}
			return &journal.ShortWrite{Keep: 40, Err: syscall.ENOSPC}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var absent, whole, failed, leftovers int
			for step := range ref.ops {
				dir := t.TempDir()
				path := filepath.Join(dir, "journal")
				var log opLog
				j, _, err := journal.OpenFaulty(path, journalOptions(true), func(op string, n int) error {
					i := log.add(op)
					switch {
					case tt.kill && i >= step:
						return errKilled
					case !tt.kill && i == step:
						return tt.fault(op)
					}
					return nil
				})
				what := fmt.Sprintf("%s at step %d (%s)", tt.name, step, ref.ops[step])
				if err == nil {
					j.Close()
				} else {
					failed++
				}
				recs, verr := journal.ReadFile(path)
				switch {
				case errors.Is(verr, os.ErrNotExist):
					absent++
					if err == nil {
						t.Fatalf("%s: Open succeeded but there is no journal", what)
					}
				case verr == nil && len(recs) == 1:
					whole++
				default:
					t.Fatalf("%s: the path holds %d records: %v (Open: %v)", what, len(recs), verr, err)
				}
				tmps, _ := filepath.Glob(filepath.Join(dir, ".journal.new-*"))
				if !tt.kill && len(tmps) > 0 {
					t.Fatalf("%s: temporary files left: %v", what, tmps)
				}
				leftovers += len(tmps)
				j, rep, err := journal.Open(path, journalOptions(true))
				if err != nil {
					t.Fatalf("%s: Open after: %v", what, err)
				}
				j.Close()
				if recs, err := journal.ReadFile(path); err != nil || len(recs) != 1 || rep.Torn != nil {
					t.Fatalf("%s: after: %d records, %v", what, len(recs), err)
				}
			}
			t.Logf("%s at each of %d steps: Open failed %d times; journal absent %d, whole %d, partial 0; %d temporary files left", tt.name, len(ref.ops), failed, absent, whole, leftovers)
		})
	}
}

// RecoverHeaderless faulted, or killed, at every step: the header-less
// file is at its path or at its quarantine name, never lost; done again
// without faults, it completes.
func TestRecoverHeaderlessFaults(t *testing.T) {
	content := []byte("CCJR\x00\x00") // a header cut short by an old version
	var ref opLog
	refDir := t.TempDir()
	os.WriteFile(filepath.Join(refDir, "journal"), content, 0o600)
	if _, err := journal.RecoverHeaderlessFaulty(filepath.Join(refDir, "journal"), timesynctest.NewClock(t0), func(op string, n int) error {
		ref.add(op)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, kill := range []bool{false, true} {
		for step := range ref.ops {
			dir := t.TempDir()
			path := filepath.Join(dir, "journal")
			os.WriteFile(path, content, 0o600)
			var log opLog
			_, err := journal.RecoverHeaderlessFaulty(path, timesynctest.NewClock(t0), func(op string, n int) error {
				i := log.add(op)
				if i == step || (kill && i > step) {
					return errEIO
				}
				return nil
			})
			what := fmt.Sprintf("fault (kill %v) at step %d (%s): %v", kill, step, ref.ops[step], err)
			q := quarantineFiles(t, dir)
			_, serr := os.Stat(path)
			if len(q)+btoi(serr == nil) != 1 {
				t.Fatalf("%s: the file is at its path %v and in %v", what, serr == nil, q)
			}
			for _, f := range append(q, path) {
				if b, err := os.ReadFile(f); err == nil && !bytes.Equal(b, content) {
					t.Fatalf("%s: %s changed", what, f)
				}
			}
			if serr == nil {
				if _, err := journal.RecoverHeaderless(path, timesynctest.NewClock(t0)); err != nil {
					t.Fatalf("%s: again: %v", what, err)
				}
			}
			j, _, err := journal.Open(path, journalOptions(false))
			if err != nil {
				t.Fatalf("%s: Open after: %v", what, err)
			}
			j.Close()
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// appendScenario appends, one step after the other, to a journal opened
// through a faulty layer: single Appends and an Update of two records. The
// faults are injected in the steps before the last, which shows that the
// journal works after them.
var appendScenario = [][]string{{"a0"}, {"u1", "u2"}, {"a3"}, {"a4"}, {"a5"}, {"end"}}

type scenarioRun struct {
	errs    []error // per step
	reopens []int   // per step: how many times the journal was reopened ("open")
	acked   []string
	failed  []string
}

// runAppendScenario opens path through fault (armed once Open returned)
// and runs the scenario.
func runAppendScenario(t *testing.T, path string, fault func(op string, i int) error) scenarioRun {
	t.Helper()
	armed := false
	var log opLog
	var opens int
	j, _, err := journal.OpenFaulty(path, journalOptions(true), func(op string, n int) error {
		if !armed {
			return nil
		}
		if op == "open" {
			opens++
		}
		return fault(op, log.add(op))
	})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	armed = true
	var run scenarioRun
	for _, ids := range appendScenario {
		before := opens
		var err error
		if len(ids) == 1 {
			_, err = j.Append("event", []byte(ids[0]))
		} else {
			_, err = j.Update(func(tx *journal.Tx) error {
				for _, id := range ids {
					if _, err := tx.Append("event", []byte(id)); err != nil {
						return err
					}
				}
				return nil
			})
		}
		run.errs = append(run.errs, err)
		run.reopens = append(run.reopens, opens-before)
		if err == nil {
			run.acked = append(run.acked, ids...)
		} else {
			run.failed = append(run.failed, ids...)
		}
	}
	return run
}

// eventIDs returns the payloads of the "event" records, and the repair
// records.
func eventIDs(recs []journal.Record) (ids []string, repairs []journal.Record) {
	for _, r := range recs[1:] {
		switch r.Kind {
		case "event":
			ids = append(ids, string(r.Payload))
		case journal.RepairKind:
			repairs = append(repairs, r)
		}
	}
	return ids, repairs
}

// An I/O error, a full disk or a short write at every write, sync and
// lock of appends: the append that saw it fails with ErrIO and its
// records are not stored; the next append reads the journal back from the
// disk (a failed fdatasync is never retried as if nothing happened) and
// succeeds; every acknowledged record is there, once, in order.
func TestAppendFaults(t *testing.T) {
	refPath := filepath.Join(t.TempDir(), "journal")
	counts := map[string]int{}
	if run := runAppendScenario(t, refPath, func(op string, i int) error { counts[op]++; return nil }); len(run.failed) > 0 {
		t.Fatalf("the fault-free run failed: %v", run.errs)
	}
	t.Logf("operations of the scenario: %v", counts)
	for op := range counts {
		counts[op]-- // not in the last step
	}
	kinds := []struct {
		name string
		op   string
		err  error
	}{
		{"write EIO", "write", errEIO},
		{"write ENOSPC", "write", errENOSPC},
		{"short write", "write", &journal.ShortWrite{Keep: 100}},
		{"short write, 1 byte", "write", &journal.ShortWrite{Keep: 1}},
		{"short write then ENOSPC", "write", &journal.ShortWrite{Keep: 200, Err: syscall.ENOSPC}},
		{"fdatasync EIO", "sync", errEIO},
		{"fdatasync ENOSPC", "sync", errENOSPC},
		{"lock EIO", "lock", errEIO},
	}
	tried := 0
	for _, k := range kinds {
		for n := range counts[k.op] {
			t.Run(fmt.Sprintf("%s/%d", k.name, n), func(t *testing.T) {
				tried++
				path, j := newJournal(t, 0)
				j.Close()
				seen := 0
				run := runAppendScenario(t, path, func(op string, i int) error {
					if op != k.op {
						return nil
					}
					seen++
					if seen == n+1 {
						return k.err
					}
					return nil
				})
				checkFaultRun(t, path, run, 1, false)
			})
		}
	}
	t.Logf("%d single faults injected", tried)
}

// checkFaultRun checks a scenario run in which fails consecutive steps
// failed: with ErrIO; the step after them read the journal back from the
// disk and succeeded; the journal verifies and holds every acknowledged
// record once and in order, and none of the failed ones — unless inDoubt
// (the cleanup after the failure failed too), when they may all be there.
func checkFaultRun(t *testing.T, path string, run scenarioRun, fails int, inDoubt bool) []journal.Record {
	t.Helper()
	first, n := -1, 0
	for i, err := range run.errs {
		if err == nil {
			continue
		}
		if !errors.Is(err, journal.ErrIO) {
			t.Fatalf("step %d: %v, want ErrIO", i, err)
		}
		if first < 0 {
			first = i
		}
		if i != first+n {
			t.Fatalf("steps failed apart: %v", run.errs)
		}
		n++
	}
	if n != fails {
		t.Fatalf("%d steps failed, want %d: %v", n, fails, run.errs)
	}
	after := first + fails
	if after >= len(run.errs) {
		t.Fatalf("the last step failed: nothing shows the journal works after it")
	}
	if run.reopens[after] == 0 && !strings.Contains(run.errs[first].Error(), "locking") {
		t.Errorf("the append after the fault did not read the journal back from the disk")
	}
	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	got, _ := eventIDs(recs)
	want := run.acked
	if inDoubt && len(got) == len(run.acked)+len(run.failed) {
		want = nil
		for _, ids := range appendScenario {
			want = append(want, ids...)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("records after the fault (-want +got):\n%s\nerrors: %v", diff, run.errs)
	}
	return recs
}

// A second fault while cleaning up after the first — the file cannot be
// cut back, or not reopened: the failing appends say so with ErrIO, the
// journal stays verifiable with every acknowledged record, and a torn
// write that could not be cut is set aside by the next append. Records
// written whole whose sync failed and that could not be cut away are "in
// doubt": not acknowledged, yet in the journal — as with any store whose
// acknowledgement was lost; they are whole and correctly chained.
func TestAppendDoubleFaults(t *testing.T) {
	tests := []struct {
		name    string
		first   string
		err     error
		second  string
		fails   int  // steps that fail
		inDoubt bool // the failed records may be there
		torn    int  // bytes of a torn write left, to be set aside
	}{
		{"write EIO, truncate EIO", "write", errEIO, "truncate", 1, false, 0},
		{"short write, truncate EIO", "write", &journal.ShortWrite{Keep: 100}, "truncate", 1, false, 100},
		{"short write then ENOSPC, truncate EIO", "write", &journal.ShortWrite{Keep: 30, Err: syscall.ENOSPC}, "truncate", 1, false, 30},
		{"fdatasync EIO, truncate EIO", "sync", errEIO, "truncate", 1, true, 0},
		{"write EIO, reopen EIO", "write", errEIO, "open", 2, false, 0},
		{"fdatasync EIO, reopen EIO", "sync", errEIO, "open", 2, false, 0},
	}
	for _, tt := range tests {
		for _, n := range []int{0, 1, 3} { // the first append, the Update, a later append
			t.Run(fmt.Sprintf("%s/%d", tt.name, n), func(t *testing.T) {
				path, j := newJournal(t, 0)
				j.Close()
				seen, fired, secondDone := 0, false, false
				run := runAppendScenario(t, path, func(op string, i int) error {
					if op == tt.first && !fired {
						if seen == n {
							fired = true
							return tt.err
						}
						seen++
					}
					if op == tt.second && fired && !secondDone {
						secondDone = true
						return errEIO
					}
					return nil
				})
				recs := checkFaultRun(t, path, run, tt.fails, tt.inDoubt)
				_, repairs := eventIDs(recs)
				if tt.torn == 0 {
					if len(repairs) != 0 {
						t.Fatalf("%d repair records", len(repairs))
					}
					return
				}
				if len(repairs) != 1 {
					t.Fatalf("%d repair records, want 1", len(repairs))
				}
				rp, q := decodeRepair(t, path, repairs[0])
				if rp.Bytes != int64(tt.torn) || !bytes.HasPrefix(q, []byte("CCJS")) {
					t.Fatalf("the repair set aside %d bytes (%q…), want the %d of the torn write", rp.Bytes, q[:min(len(q), 8)], tt.torn)
				}
			})
		}
	}
}

// A torn tail being set aside, faulted at every operation of the repair
// and of the append that carries it: the append fails with ErrIO or
// succeeds; the next one succeeds; in the end exactly one repair record
// names exactly one quarantine file holding exactly the torn bytes, every
// whole record before it is untouched, and every acknowledged record is
// there once.
func TestRepairFaults(t *testing.T) {
	src, j := newJournal(t, 4)
	j.Close()
	full := mustRead(t, src)
	fr := frames(t, full)
	cut := fr[4][0] + (fr[4][1]-fr[4][0])/2
	torn := full[fr[4][0]:cut]

	var ref opLog
	refPath := filepath.Join(t.TempDir(), "journal")
	os.WriteFile(refPath, full[:cut], 0o600)
	armed := false
	jr, _, err := journal.OpenFaulty(refPath, journal.Options{Clock: timesynctest.NewClock(t0)}, func(op string, n int) error {
		if armed {
			ref.add(op)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	armed = true
	for _, id := range []string{"r0", "r1"} {
		if _, err := jr.Append("event", []byte(id)); err != nil {
			t.Fatal(err)
		}
	}
	jr.Close()
	t.Logf("operations of a repair and an append: %v", ref.ops)

	faults := []struct {
		name string
		err  func(op string) error
	}{
		{"EIO", func(string) error { return errEIO }},
		{"ENOSPC", func(string) error { return errENOSPC }},
		{"short write", func(op string) error {
			if op == "write" {
				return &journal.ShortWrite{Keep: 10}
			}
			return errEIO
		}},
	}
	var failures, runs int
	for _, f := range faults {
		for step, op := range ref.ops {
			if op == "close" && step == len(ref.ops)-1 {
				continue // the Journal's own Close, after the scenario
			}
			t.Run(fmt.Sprintf("%s/%d-%s", f.name, step, op), func(t *testing.T) {
				runs++
				dir := t.TempDir()
				path := filepath.Join(dir, "journal")
				os.WriteFile(path, full[:cut], 0o600)
				armed := false
				var log opLog
				j, _, err := journal.OpenFaulty(path, journal.Options{Clock: timesynctest.NewClock(t0)}, func(op string, n int) error {
					if armed && log.add(op) == step {
						return f.err(op)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				armed = true
				var acked []string
				fails := 0
				for _, id := range []string{"r0", "r1", "r2"} {
					_, err := j.Append("event", []byte(id))
					switch {
					case err == nil:
						acked = append(acked, id)
					case errors.Is(err, journal.ErrIO):
						fails++
					default:
						t.Fatalf("append %s: %v", id, err)
					}
				}
				j.Close()
				if fails > 1 {
					t.Fatalf("%d appends failed after one fault", fails)
				}
				failures += fails
				recs, err := journal.ReadFile(path)
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				if !bytes.Equal(mustRead(t, path)[:fr[4][0]], full[:fr[4][0]]) {
					t.Fatal("the whole records before the torn tail changed")
				}
				ids, repairs := eventIDs(recs)
				if diff := cmp.Diff(append([]string{"payload 0", "payload 1", "payload 2"}, acked...), ids); diff != "" {
					t.Fatalf("records (-want +got):\n%s", diff)
				}
				if len(repairs) != 1 || repairs[0].Seq != 4 {
					t.Fatalf("%d repair records (want 1, record 4)", len(repairs))
				}
				checkRepair(t, path, repairs[0], int64(fr[4][0]), torn)
				if q := quarantineFiles(t, dir); len(q) != 1 {
					t.Fatalf("quarantine files: %v", q)
				}
			})
		}
	}
	t.Logf("%d faulted repairs: %d appends failed with ErrIO, 0 records lost, one repair record and one quarantine file each", runs, failures)
}

// A real full disk, on a 64 KB tmpfs: creating a journal there fails
// cleanly (no path, no temporary file) or succeeds whole; appending until
// the disk is full fails with ErrIO and leaves the journal verifiable
// with every acknowledged record; once space is freed, appends go on.
func TestCreateAndAppendOnFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	path := filepath.Join(dir, "journal")
	filler := filepath.Join(dir, "filler")
	fill := func() int {
		f, err := os.OpenFile(filler, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		n := 0
		for {
			w, err := f.Write(make([]byte, 512))
			n += w
			if err != nil {
				return n
			}
		}
	}
	fill()
	j, _, err := journal.Open(path, journalOptions(true))
	if err == nil {
		t.Log("the journal was created on a full disk (its header fit)")
		j.Close()
	} else {
		if _, serr := os.Stat(path); !errors.Is(serr, os.ErrNotExist) {
			t.Fatalf("creation on a full disk failed (%v) but left %s: %v", err, path, serr)
		}
		if tmps, _ := filepath.Glob(filepath.Join(dir, ".journal.new-*")); len(tmps) > 0 {
			t.Fatalf("temporary files left: %v", tmps)
		}
		t.Logf("creation on a full disk: %v; no file left", err)
	}
	// Room for the header and a few records.
	if err := os.Truncate(filler, 0); err != nil {
		t.Fatal(err)
	}
	j, _, err = journal.Open(path, journalOptions(true))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	filled := fill()
	if err := os.Truncate(filler, int64(filled-6000)); err != nil {
		t.Fatal(err)
	}
	var acked []string
	var ioErr error
	for i := 0; ioErr == nil; i++ {
		id := fmt.Sprintf("rec-%03d", i)
		if _, err := j.Append("event", append([]byte(id), make([]byte, 700)...)); err != nil {
			ioErr = err
			break
		}
		acked = append(acked, id)
		if i > 100 {
			t.Fatal("the disk never filled")
		}
	}
	if !errors.Is(ioErr, journal.ErrIO) {
		t.Fatalf("append on a full disk: %v, want ErrIO", ioErr)
	}
	check := func(when string, extra ...string) {
		t.Helper()
		recs, err := journal.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: verify: %v", when, err)
		}
		var ids []string
		for _, r := range recs[1:] {
			ids = append(ids, string(r.Payload[:7]))
		}
		if diff := cmp.Diff(append(append([]string(nil), acked...), extra...), ids); diff != "" {
			t.Fatalf("%s: records (-acknowledged +found):\n%s", when, diff)
		}
	}
	check("after the first ErrIO")
	if _, err := j.Append("event", append([]byte("rec-xxx"), make([]byte, 700)...)); !errors.Is(err, journal.ErrIO) {
		t.Fatalf("a second append on the full disk: %v, want ErrIO", err)
	}
	check("after the second ErrIO")
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("event", append([]byte("rec-end"), make([]byte, 700)...)); err != nil {
		t.Fatalf("append after space was freed: %v", err)
	}
	check("after space was freed", "rec-end")
	t.Logf("full 64 KB tmpfs: %d records acknowledged before ErrIO (%v); all there, journal verifies; appends resume once space is freed", len(acked), ioErr)
}

// Bytes after the last whole record: torn only if every byte present is
// what the next record's write would have put there, else corruption —
// refused, the file unchanged.
func TestTailBytes(t *testing.T) {
	for _, signed := range []bool{false, true} {
		t.Run(signedName(signed), func(t *testing.T) { testTailBytes(t, signed) })
	}
}

func testTailBytes(t *testing.T, signed bool) {
	path := filepath.Join(t.TempDir(), "journal")
	j, _, err := journal.Open(path, journalOptions(signed))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := j.Append("event", []byte(fmt.Sprintf("payload %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	base := mustRead(t, path)
	// The frame the next append writes.
	j, _, err = journal.Open(path, journalOptions(signed))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("event", bytes.Repeat([]byte("n"), 300)); err != nil {
		t.Fatal(err)
	}
	j.Close()
	next := mustRead(t, path)[len(base):]
	last := base[frames(t, base)[3][0]:]
	with := func(b []byte, i int, x byte) []byte { b = bytes.Clone(b); b[i] ^= x; return b }
	other := []byte("CCJS") // the other format's magic
	if signed {
		other = []byte("CCJR")
	}
	tests := []struct {
		name string
		tail []byte
		torn bool
	}{
		{"1 byte of the magic", next[:1], true},
		{"3 bytes of the magic", next[:3], true},
		{"the magic", next[:4], true},
		{"the magic and half the length", next[:6], true},
		{"the frame header", next[:8], true},
		{"into the sequence number", next[:12], true},
		{"into the previous hash", next[:40], true},
		{"into the kind", next[:8+50+2], true},
		{"all but the last byte", next[:len(next)-1], true},
		// A signed record may follow unsigned ones, never the reverse.
		{"the other format's magic", other, !signed},
		{"1 byte of no magic", []byte("X"), false},
		{"4 bytes of no magic", []byte("XXXX"), false},
		{"7 bytes of no magic", []byte("XXXXXXX"), false},
		{"a damaged magic", []byte("CCJX"), false},
		{"the magic and half a length no record has", append(bytes.Clone(next[:4]), 0xFF, 0xFF), false},
		{"a page of zeros", make([]byte, 4096), false},
		{"a wrong sequence number", with(next[:30], 8+7, 1), false},
		{"a wrong previous hash", with(next[:60], 8+16+3, 1), false},
		{"a length below any record", with(next[:20], 4, 0xFF), false},
		{"the last record again, whole", last, false},
		{"the last record again, cut", last[:len(last)-10], false},
		{"the next record whole but one hash byte changed", with(next, len(next)-1, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := append(bytes.Clone(base), tt.tail...)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			removeQuarantines(t, filepath.Dir(path))
			recs, verr := journal.ReadFile(path)
			j, rep, oerr := journal.Open(path, journalOptions(true))
			if tt.torn {
				if !journal.IsTornTail(verr) || len(recs) != 4 || oerr != nil || rep.TornBytes != int64(len(tt.tail)) {
					t.Fatalf("Verify: %d records, %v; Open: %+v, %v", len(recs), verr, rep, oerr)
				}
				if _, err := j.Append("event", []byte("after")); err != nil {
					t.Fatal(err)
				}
				j.Close()
				recs, err := journal.ReadFile(path)
				if err != nil || len(recs) != 6 {
					t.Fatalf("after the repair: %d records, %v", len(recs), err)
				}
				checkRepair(t, path, recs[4], int64(len(base)), tt.tail)
				return
			}
			if oerr == nil {
				j.Close()
			}
			if !errors.Is(verr, journal.ErrCorrupt) || journal.IsTornTail(verr) || !errors.Is(oerr, journal.ErrCorrupt) {
				t.Fatalf("Verify: %v; Open: %v; want both ErrCorrupt", verr, oerr)
			}
			var ce *journal.CorruptError
			if errors.As(verr, &ce); ce.Seq != 4 || ce.Offset != int64(len(base)) {
				t.Fatalf("Verify names record %d at %d", ce.Seq, ce.Offset)
			}
			if !bytes.Equal(mustRead(t, path), data) {
				t.Fatal("the file was changed")
			}
		})
	}
}
