package journal_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newJournal(t testing.TB, n int) (string, *journal.Journal) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal")
	j, rep, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)})
	if err != nil || rep.Records != 1 {
		t.Fatalf("open: %+v, %v", rep, err)
	}
	for i := range n {
		if _, err := j.Append("event", []byte(fmt.Sprintf("payload %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	return path, j
}

func TestAppendReopenVerify(t *testing.T) {
	path, j := newJournal(t, 10)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("event", nil); !errors.Is(err, journal.ErrClosed) {
		t.Errorf("append after close: %v", err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	j2, rep, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0.Add(time.Hour))})
	if err != nil || rep.Records != 11 || rep.Torn != nil {
		t.Fatalf("reopen: %+v %v", rep, err)
	}
	r, err := j2.Append("event", []byte("after reopen"))
	if err != nil || r.Seq != 11 || !r.Time.Time().Equal(t0.Add(time.Hour)) {
		t.Fatalf("%+v %v", r, err)
	}
	j2.Close()
	recs, err := journal.ReadFile(path)
	if err != nil || len(recs) != 12 || string(recs[11].Payload) != "after reopen" {
		t.Fatalf("verify: %d records, %v", len(recs), err)
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].Prev != recs[i-1].Hash || recs[i].Seq != uint64(i) {
			t.Fatalf("chain broken at %d", i)
		}
	}
}

func TestAppendRejects(t *testing.T) {
	_, j := newJournal(t, 0)
	defer j.Close()
	for _, kind := range []string{"", "journal", strings.Repeat("k", 65)} {
		if _, err := j.Append(kind, nil); !errors.Is(err, journal.ErrRecord) {
			t.Errorf("kind %q: %v", kind, err)
		}
	}
	if _, err := j.Append("event", make([]byte, journal.MaxPayload+1)); !errors.Is(err, journal.ErrRecord) {
		t.Errorf("huge payload: %v", err)
	}
}

// frames returns the byte ranges of the records in a journal file.
func frames(t *testing.T, data []byte) [][2]int {
	t.Helper()
	var out [][2]int
	for off := 0; off < len(data); {
		n := int(data[off+4])<<24 | int(data[off+5])<<16 | int(data[off+6])<<8 | int(data[off+7])
		end := off + 8 + n + 32
		out = append(out, [2]int{off, end})
		off = end
	}
	return out
}

func TestTamperIsNamed(t *testing.T) {
	path, j := newJournal(t, 8)
	j.Close()
	orig, _ := os.ReadFile(path)
	fr := frames(t, orig)
	other, j2 := newJournal(t, 8)
	j2.Close()
	otherData, _ := os.ReadFile(other)
	ofr := frames(t, otherData)

	tests := []struct {
		name   string
		edit   func() []byte
		wantAt uint64
	}{
		{"flip a byte of record 3's payload", func() []byte {
			b := bytes.Clone(orig)
			b[fr[3][1]-40] ^= 1
			return b
		}, 3},
		{"flip a byte of record 5's hash", func() []byte {
			b := bytes.Clone(orig)
			b[fr[5][1]-1] ^= 0x80
			return b
		}, 5},
		{"drop record 4", func() []byte {
			return append(bytes.Clone(orig[:fr[4][0]]), orig[fr[4][1]:]...)
		}, 4},
		{"reorder records 2 and 3", func() []byte {
			b := bytes.Clone(orig[:fr[2][0]])
			b = append(b, orig[fr[3][0]:fr[3][1]]...)
			b = append(b, orig[fr[2][0]:fr[2][1]]...)
			return append(b, orig[fr[3][1]:]...)
		}, 2},
		{"splice another journal's records from 6 on", func() []byte {
			return append(bytes.Clone(orig[:fr[6][0]]), otherData[ofr[6][0]:]...)
		}, 6},
		{"insert another journal's header", func() []byte {
			b := bytes.Clone(orig[:fr[6][0]])
			b = append(b, otherData[ofr[0][0]:ofr[0][1]]...)
			return append(b, orig[fr[6][0]:]...)
		}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, tt.edit(), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := journal.ReadFile(path)
			var ce *journal.CorruptError
			if !errors.As(err, &ce) || ce.Seq != tt.wantAt || journal.IsTornTail(err) {
				t.Fatalf("err = %v, want record %d named", err, tt.wantAt)
			}
			if _, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)}); !errors.Is(err, journal.ErrCorrupt) {
				t.Errorf("Open accepted a tampered journal: %v", err)
			}
		})
	}
}

// A torn last write (here: the file cut at many points inside record 5)
// is reported by Open, which writes nothing; the next append, holding the
// lock, moves the bytes to a quarantine file, records the repair as record
// 5 and appends the caller's record as 6.
func TestTornTailIsQuarantinedAndReported(t *testing.T) {
	path, j := newJournal(t, 5)
	j.Close()
	data, _ := os.ReadFile(path)
	fr := frames(t, data)
	for cut := fr[5][0] + 1; cut < fr[5][1]; cut += 7 {
		if err := os.WriteFile(path, data[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		removeQuarantines(t, filepath.Dir(path))
		j, rep, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)})
		if err != nil || rep.Torn == nil || !journal.IsTornTail(rep.Torn) || rep.Records != 5 || rep.TornBytes != int64(cut-fr[5][0]) {
			t.Fatalf("cut at %d: %+v, %v", cut, rep, err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, data[:cut]) {
			t.Fatalf("cut at %d: Open changed the file", cut)
		}
		r, err := j.Append("event", []byte("again"))
		if err != nil || r.Seq != 6 {
			t.Fatalf("append after a torn tail: %+v %v", r, err)
		}
		j.Close()
		recs, err := journal.ReadFile(path)
		if err != nil || len(recs) != 7 {
			t.Fatalf("after repair: %d records, %v", len(recs), err)
		}
		checkRepair(t, path, recs[5], int64(fr[5][0]), data[fr[5][0]:cut])
		if string(recs[6].Payload) != "again" {
			t.Fatalf("record 6 is %q", recs[6].Payload)
		}
		for i := range 5 {
			if !bytes.Equal(data[fr[i][0]:fr[i][1]], mustRead(t, path)[fr[i][0]:fr[i][1]]) {
				t.Fatalf("cut at %d: record %d changed", cut, i)
			}
		}
	}
}

func TestGroupCommit(t *testing.T) {
	path, j := newJournal(t, 0)
	const writers, each = 8, 50
	var wg sync.WaitGroup
	seqs := make(chan uint64, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				r, err := j.Append("event", []byte(fmt.Sprintf("w%d-%d", w, i)))
				if err != nil {
					t.Error(err)
					return
				}
				seqs <- r.Seq
			}
		})
	}
	wg.Wait()
	close(seqs)
	j.Close()
	seen := map[uint64]bool{}
	for s := range seqs {
		if seen[s] {
			t.Fatalf("sequence %d returned twice", s)
		}
		seen[s] = true
	}
	recs, err := journal.ReadFile(path)
	if err != nil || len(recs) != writers*each+1 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
}

func TestCheckpoint(t *testing.T) {
	path, j := newJournal(t, 5)
	j.Close()
	recs, _ := journal.ReadFile(path)
	pub, priv, _ := ed25519.GenerateKey(nil)
	cp, err := journal.Sign(recs, timesync.Now(timesynctest.NewClock(t0)), priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := journal.VerifyCheckpoint(pub, cp, recs); err != nil {
		t.Fatal(err)
	}
	other, j2 := newJournal(t, 5)
	j2.Close()
	otherRecs, _ := journal.ReadFile(other)
	bad := cp
	bad.Seq = 3
	for name, check := range map[string]error{
		"another journal": journal.VerifyCheckpoint(pub, cp, otherRecs),
		"a shorter copy":  journal.VerifyCheckpoint(pub, cp, recs[:3]),
		"an altered seq":  journal.VerifyCheckpoint(pub, bad, recs),
		"another signer":  journal.VerifyCheckpoint(ed25519.PublicKey(make([]byte, 32)), cp, recs),
	} {
		if !errors.Is(check, journal.ErrCheckpoint) {
			t.Errorf("%s: %v", name, check)
		}
	}
}

// Two Journals of one process on one path — two opens, two open file
// descriptions, whose flocks exclude each other like two processes' —
// appending from several goroutines each: one chain, every acknowledged
// record in it once, at the sequence number its Append returned.
func TestTwoJournalsOneProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	var js [2]*journal.Journal
	for i := range js {
		j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0), Follow: i == 1})
		if err != nil {
			t.Fatal(err)
		}
		js[i] = j
	}
	const writers, each = 4, 40
	var mu sync.Mutex
	acked := map[string]uint64{}
	var wg sync.WaitGroup
	for ji, j := range js {
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					id := fmt.Sprintf("j%d-w%d-%d", ji, w, i)
					r, err := j.Append("event", []byte(id))
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					acked[id] = r.Seq
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	// The follower hands over the other Journal's records, in order.
	foreign, err := js[1].Refresh()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(foreign); i++ {
		if foreign[i].Seq <= foreign[i-1].Seq {
			t.Fatalf("foreign records out of order: %d after %d", foreign[i].Seq, foreign[i-1].Seq)
		}
	}
	for _, j := range js {
		j.Close()
	}
	recs, err := journal.ReadFile(path)
	if err != nil || len(recs) != 1+2*writers*each {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		id := string(r.Payload)
		if seen[id] {
			t.Fatalf("%s twice", id)
		}
		seen[id] = true
		if seq, ok := acked[id]; !ok || seq != r.Seq {
			t.Fatalf("%s at %d, acknowledged at %d (%v)", id, r.Seq, seq, ok)
		}
	}
}

// A journal that holds signed records refuses an unsigned one: appending
// it would break the chain's rule ("never back") and make the journal
// unreadable after an acknowledged write.
func TestUnsignedAfterSignedIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal")
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0), Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("event", []byte("signed")); err != nil {
		t.Fatal(err)
	}
	j.Close()
	before := mustRead(t, path)
	u, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if _, err := u.Append("event", []byte("unsigned")); !errors.Is(err, journal.ErrRecord) {
		t.Errorf("unsigned append after signed records: %v, want ErrRecord", err)
	}
	if _, err := u.Update(func(tx *journal.Tx) error {
		_, err := tx.Append("event", []byte("unsigned"))
		return err
	}); !errors.Is(err, journal.ErrRecord) {
		t.Errorf("unsigned Update after signed records: %v, want ErrRecord", err)
	}
	if !bytes.Equal(before, mustRead(t, path)) {
		t.Error("the refused appends changed the file")
	}
	if recs, err := journal.ReadFile(path); err != nil || len(recs) != 2 {
		t.Errorf("verify: %d records, %v", len(recs), err)
	}
}

// The crash test: a child process appends from four goroutines and prints
// each record's sequence number and name once Append has returned; the
// parent waits for the child's first acknowledged append — a -race test
// binary can take over a second to start on a loaded machine, and a kill
// before it appended anything tests nothing — then kills it with SIGKILL
// at a random moment after. Every printed record must be there afterwards
// at the printed sequence number, the chain must verify, and a torn tail
// must be reported by Open and set aside by the next append, never kept.
func TestCrash(t *testing.T) {
	if os.Getenv("CCJKIT_CRASH_CHILD") != "" {
		crashChild()
		return
	}
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	path := filepath.Join(t.TempDir(), "journal")
	const rounds = 12
	total, torn, acks := 0, 0, 0
	defer func() {
		t.Logf("%d records after %d kills, %d acknowledged, %d torn tails found", total, rounds, acks, torn)
	}()
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
		cmd.Env = append(os.Environ(), "CCJKIT_CRASH_CHILD="+path)
		c := startJournalChild(t, cmd)
		if !c.waitAcks(1) {
			t.Fatalf("round %d: the child stopped before its first append: %s", round, c.stderr())
		}
		time.Sleep(time.Duration(rand.IntN(30_000)) * time.Microsecond) // the kill moment, after the first ack
		c.kill()
		j, rep, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)})
		if err != nil {
			t.Fatalf("round %d: open after kill: %v", round, err)
		}
		j.Close()
		recs, err := journal.ReadFile(path)
		if err != nil && !(rep.Torn != nil && journal.IsTornTail(err)) {
			t.Fatalf("round %d: verify after kill: %v (open reported %v)", round, err, rep.Torn)
		}
		for _, a := range c.acks() {
			if a.seq >= uint64(len(recs)) {
				t.Fatalf("round %d: record %d was acknowledged but is lost (%d records)", round, a.seq, len(recs))
			}
			if got := recs[a.seq].Payload; !bytes.HasSuffix(got, []byte(a.id)) {
				t.Fatalf("round %d: record %d was acknowledged as %s but holds …%q", round, a.seq, a.id, got[max(0, len(got)-20):])
			}
		}
		acks += len(c.acks())
		if rep.Torn != nil {
			if !journal.IsTornTail(rep.Torn) {
				t.Fatalf("round %d: %v", round, rep.Torn)
			}
			torn++
		}
		total = len(recs)
	}
	// The last kill may have left a torn tail: the next append sets it aside.
	j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("event", []byte("after the last kill")); err != nil {
		t.Fatal(err)
	}
	j.Close()
	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatalf("verify at the end: %v", err)
	}
	total = len(recs)
	repairs := 0
	for _, r := range recs {
		if r.Kind == journal.RepairKind {
			repairs++
		}
	}
	if repairs != torn {
		t.Errorf("%d repair records for %d torn tails", repairs, torn)
	}
	if acks < rounds {
		t.Fatalf("the children acknowledged %d records in %d rounds", acks, rounds)
	}
}

func crashChild() {
	path := os.Getenv("CCJKIT_CRASH_CHILD")
	j, _, err := journal.Open(path, journal.Options{Clock: timesync.SystemClock{}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	payload := bytes.Repeat([]byte("x"), 3000) // records span pages: tears happen mid-record
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("w%d-%d", w, i)
				r, err := j.Append("event", append(bytes.Clone(payload), id...))
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(3)
				}
				fmt.Printf("ack %d %s\n", r.Seq, id) // one write(2), whole in the pipe
			}
		})
	}
	wg.Wait()
}
