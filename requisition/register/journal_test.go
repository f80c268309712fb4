package register_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newJournal(t testing.TB, n int) (string, *register.Journal) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal")
	j, rep, err := register.Open(path, timesynctest.NewClock(t0))
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
	if _, err := j.Append("event", nil); !errors.Is(err, register.ErrClosed) {
		t.Errorf("append after close: %v", err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	j2, rep, err := register.Open(path, timesynctest.NewClock(t0.Add(time.Hour)))
	if err != nil || rep.Records != 11 || rep.Torn != nil {
		t.Fatalf("reopen: %+v %v", rep, err)
	}
	r, err := j2.Append("event", []byte("after reopen"))
	if err != nil || r.Seq != 11 || !r.Time.Time().Equal(t0.Add(time.Hour)) {
		t.Fatalf("%+v %v", r, err)
	}
	j2.Close()
	recs, err := register.Verify(path)
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
		if _, err := j.Append(kind, nil); !errors.Is(err, register.ErrRecord) {
			t.Errorf("kind %q: %v", kind, err)
		}
	}
	if _, err := j.Append("event", make([]byte, register.MaxPayload+1)); !errors.Is(err, register.ErrRecord) {
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
			_, err := register.Verify(path)
			var ce *register.CorruptError
			if !errors.As(err, &ce) || ce.Seq != tt.wantAt || register.IsTornTail(err) {
				t.Fatalf("err = %v, want record %d named", err, tt.wantAt)
			}
			if _, _, err := register.Open(path, timesynctest.NewClock(t0)); !errors.Is(err, register.ErrCorrupt) {
				t.Errorf("Open accepted a tampered journal: %v", err)
			}
		})
	}
}

func TestTornTailIsCutAndReported(t *testing.T) {
	path, j := newJournal(t, 5)
	j.Close()
	data, _ := os.ReadFile(path)
	fr := frames(t, data)
	for cut := fr[5][0] + 1; cut < fr[5][1]; cut += 7 {
		if err := os.WriteFile(path, data[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		j, rep, err := register.Open(path, timesynctest.NewClock(t0))
		if err != nil || rep.Torn == nil || !register.IsTornTail(rep.Torn) || rep.Records != 5 || rep.TornBytes != int64(cut-fr[5][0]) {
			t.Fatalf("cut at %d: %+v, %v", cut, rep, err)
		}
		if r, err := j.Append("event", []byte("again")); err != nil || r.Seq != 5 {
			t.Fatalf("append after a torn tail: %+v %v", r, err)
		}
		j.Close()
		if recs, err := register.Verify(path); err != nil || len(recs) != 6 {
			t.Fatalf("after repair: %d records, %v", len(recs), err)
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
	recs, err := register.Verify(path)
	if err != nil || len(recs) != writers*each+1 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
}

func TestCheckpoint(t *testing.T) {
	path, j := newJournal(t, 5)
	j.Close()
	recs, _ := register.Verify(path)
	pub, priv, _ := ed25519.GenerateKey(nil)
	cp, err := register.Sign(recs, priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := register.VerifyCheckpoint(pub, cp, recs); err != nil {
		t.Fatal(err)
	}
	other, j2 := newJournal(t, 5)
	j2.Close()
	otherRecs, _ := register.Verify(other)
	bad := cp
	bad.Seq = 3
	for name, check := range map[string]error{
		"another journal": register.VerifyCheckpoint(pub, cp, otherRecs),
		"a shorter copy":  register.VerifyCheckpoint(pub, cp, recs[:3]),
		"an altered seq":  register.VerifyCheckpoint(pub, bad, recs),
		"another signer":  register.VerifyCheckpoint(ed25519.PublicKey(make([]byte, 32)), cp, recs),
	} {
		if !errors.Is(check, register.ErrCheckpoint) {
			t.Errorf("%s: %v", name, check)
		}
	}
}

// The crash test: a child process appends and prints each sequence number
// once Append has returned; the parent kills it with SIGKILL at a random
// moment. Every printed record must be there afterwards, the chain must
// verify, and a torn tail must be reported, never silently kept.
func TestCrash(t *testing.T) {
	if os.Getenv("CCJKIT_CRASH_CHILD") != "" {
		crashChild()
		return
	}
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	path := filepath.Join(t.TempDir(), "journal")
	total, torn := 0, 0
	defer func() { t.Logf("%d records after 12 kills, %d torn tails repaired", total, torn) }()
	for round := range 12 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrash$")
		cmd.Env = append(os.Environ(), "CCJKIT_CRASH_CHILD="+path)
		var out bytes.Buffer
		cmd.Stdout = &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		acked := strings.Fields(out.String())
		j, rep, err := register.Open(path, timesynctest.NewClock(t0))
		if err != nil {
			t.Fatalf("round %d: open after kill: %v", round, err)
		}
		j.Close()
		recs, err := register.Verify(path)
		if err != nil {
			t.Fatalf("round %d: verify after kill: %v", round, err)
		}
		for _, a := range acked {
			if a == "ready" {
				continue
			}
			seq, _ := strconv.ParseUint(a, 10, 64)
			if seq >= uint64(len(recs)) {
				t.Fatalf("round %d: record %d was acknowledged but is lost (%d records)", round, seq, len(recs))
			}
		}
		if rep.Torn != nil {
			if !register.IsTornTail(rep.Torn) {
				t.Fatalf("round %d: %v", round, rep.Torn)
			}
			torn++
		}
		total = len(recs)
	}
	if total < 2 {
		t.Fatalf("the children appended nothing (%d records)", total)
	}
}

func crashChild() {
	path := os.Getenv("CCJKIT_CRASH_CHILD")
	j, _, err := register.Open(path, timesync.SystemClock{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("ready")
	payload := bytes.Repeat([]byte("x"), 3000) // records span pages: tears happen mid-record
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				r, err := j.Append("event", append(payload, byte(w), byte(i)))
				if err != nil {
					os.Exit(3)
				}
				mu.Lock()
				fmt.Println(r.Seq)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
