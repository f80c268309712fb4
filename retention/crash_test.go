package retention

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// crashBatch returns the mappings of batch i of the crash test: some
// batches small, some of several blocks.
func crashBatch(i int) []Mapping {
	n := 20
	if i%5 == 4 {
		n = 9000
	}
	base := ts("2026-10-29T21:00:00+01:00").Add(time.Duration(i) * time.Second)
	out := make([]Mapping, n)
	for k := range out {
		out[k] = Mapping{Public: netip.AddrFrom4([4]byte{198, 51, 100, byte(i % 16)}), Ports: PortRange{First: uint16(k % 60000), Last: uint16(k % 60000)},
			Inside: netip.AddrFrom4([4]byte{100, 64, byte(i), byte(k)}), InsidePort: uint16(i), Protocol: 6,
			From: base, Until: base.Add(time.Duration(1+k%90) * time.Second), Source: Evidence{Kind: CGNAT, Device: "cgnat-1"}}
	}
	return out
}

// TestCrashChild is the child process of TestCrashDuringIngest: it
// ingests batches from CRASH_FROM on and prints "ack N" once batch N is
// acknowledged, until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("RETENTION_CRASH_DIR")
	if dir == "" {
		t.Skip("the child of TestCrashDuringIngest")
	}
	ring, err := register.NewKeyring(os.Getenv("RETENTION_CRASH_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	from, _ := strconv.Atoi(os.Getenv("RETENTION_CRASH_FROM"))
	clock := timesync.ClockFunc(func() time.Time { return day("2026-10-30") })
	s, _, err := Open(Config{Dir: filepath.Join(dir, "data"), KeyDir: filepath.Join(dir, "keys"), Clock: clock, Keyring: ring,
		Policy: Policy{Assignments: Law2022Identification(), Mappings: OperatorPeriod(12, "test")}})
	if err != nil {
		t.Fatal(err)
	}
	for i := from; ; i++ {
		if err := s.IngestMappings(crashBatch(i)); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("ack %d\n", i)
	}
}

// SIGKILL during ingest, many times: every batch acknowledged before the
// kill is there afterwards, whole; the store opens and verifies after
// each kill.
func TestCrashDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	f := newFixture(t, day("2026-10-30"))
	root := filepath.Dir(f.dir)
	rounds := 8
	acked := map[int]bool{}
	next := 0
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RETENTION_CRASH_DIR="+root, "RETENTION_CRASH_KEY="+f.id.Public().Seal,
			"RETENTION_CRASH_FROM="+strconv.Itoa(next))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		want := 1 + rand.IntN(6)
		sc := bufio.NewScanner(out)
		got := 0
		for got < want && sc.Scan() {
			if n, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
				i, _ := strconv.Atoi(n)
				acked[i] = true
				next = max(next, i+1)
				got++
			}
		}
		// Kill at once, or after a moment, in the middle of the next writes.
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() { // acknowledgements printed before the kill landed
			if n, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
				i, _ := strconv.Atoi(n)
				acked[i] = true
				next = max(next, i+1)
			}
		}
		cmd.Wait()
		if got < want {
			t.Fatalf("round %d: the child stopped after %d acknowledgements: %s", round, got, stderr.String())
		}
		next++ // a batch may have been written but not acknowledged: skip its number
		s := f.open(true)
		if _, err := s.Verify(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		s.Close()
	}
	s := f.open(true)
	defer s.Close()
	have := map[row]bool{}
	for _, rows := range contents(t, s) {
		for _, r := range rows {
			have[r] = true
		}
	}
	for i := range acked {
		for _, m := range crashBatch(i) {
			if !have[rowOfMapping(m)] {
				t.Fatalf("batch %d was acknowledged and is not all there", i)
			}
		}
	}
	t.Logf("%d rounds, %d batches acknowledged", rounds, len(acked))
}

// A torn last write — the log cut anywhere inside its last record, as a
// power cut can leave it — is set aside into a quarantine file at the
// next open, never deleted; every block before it stays.
func TestTornTailSetAside(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	s := f.open(true)
	for i := range 3 {
		if err := s.IngestMappings(crashBatch(i)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	logs, _ := filepath.Glob(filepath.Join(f.dir, scopesDir, "*", walPrefix+"*"+walSuffix))
	if len(logs) != 1 {
		t.Fatalf("logs: %v", logs)
	}
	whole, err := os.ReadFile(logs[0])
	if err != nil {
		t.Fatal(err)
	}
	frames, _, err := logFrames(whole, 0)
	if err != nil {
		t.Fatal(err)
	}
	lastStart := frames[len(frames)-1].off - (8 + 50 + int64(len(blockKind)) + 4)
	for _, cut := range []int64{lastStart + 1, lastStart + 7, lastStart + 60, (lastStart + int64(len(whole))) / 2, int64(len(whole)) - 1} {
		t.Run(fmt.Sprintf("cut at %d", cut), func(t *testing.T) {
			if err := os.WriteFile(logs[0], whole[:cut], 0o600); err != nil {
				t.Fatal(err)
			}
			for _, q := range quarantines(t, logs[0]) {
				os.Remove(q)
			}
			s, rep, err := Open(f.config(true))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if len(rep.Repaired) != 1 {
				t.Errorf("repaired: %v", rep.Repaired)
			}
			q := quarantines(t, logs[0])
			if len(q) != 1 {
				t.Fatalf("quarantine files: %v", q)
			}
			if b, _ := os.ReadFile(q[0]); string(b) != string(whole[lastStart:cut]) {
				t.Errorf("the quarantine holds %d bytes, not the %d cut", len(b), cut-lastStart)
			}
			have := map[row]bool{}
			for _, rows := range contents(t, s) {
				for _, r := range rows {
					have[r] = true
				}
			}
			for i := range 2 {
				for _, m := range crashBatch(i) {
					if !have[rowOfMapping(m)] {
						t.Fatalf("batch %d lost", i)
					}
				}
			}
			if _, err := s.Verify(); err != nil {
				t.Error(err)
			}
		})
	}
}

func quarantines(t *testing.T, log string) []string {
	q, err := filepath.Glob(log + ".quarantine-*")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// Verify names every changed byte's place — the log's record, the
// segment's block, index or table, the events journal's record — and
// never quotes content.
func TestVerifyNamesTamper(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	s := f.open(true)
	a := Assignment{Subscriber: "C-000042", Prefix: netip.MustParsePrefix("198.51.100.7/32"), From: ts("2026-10-28T21:00:00+01:00"),
		Until: ts("2026-10-28T22:00:00+01:00"), Source: Evidence{Kind: RADIUS, Device: "nas-1"}}
	if err := s.IngestAssignments([]Assignment{a}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	b := a
	b.From, b.Until = ts("2026-10-29T21:00:00+01:00"), ts("2026-10-29T22:00:00+01:00")
	if err := s.IngestAssignments([]Assignment{b}); err != nil {
		t.Fatal(err)
	}
	if err := s.IngestMappings(crashBatch(0)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	seg, _ := filepath.Glob(filepath.Join(f.dir, scopesDir, "2026-10-28.assignments", segPrefix+"*"))
	wal, _ := filepath.Glob(filepath.Join(f.dir, scopesDir, "2026-10-29.assignments", walPrefix+"*"+walSuffix))
	if len(seg) != 1 || len(wal) != 1 {
		t.Fatalf("files: %v %v", seg, wal)
	}
	_, l, err := readSegmentLayout(seg[0])
	if err != nil {
		t.Fatal(err)
	}
	walData, _ := os.ReadFile(wal[0])
	frames, _, _ := logFrames(walData, 0)
	blockAt := frames[len(frames)-1].off
	for _, tc := range []struct {
		name  string
		file  string
		at    int64
		where string
	}{
		{"a segment's block", seg[0], l.blocks[0].off + 40, fmt.Sprintf("block 0, bytes %d to %d", l.blocks[0].off, l.blocks[0].off+l.blocks[0].n)},
		{"a segment's index", seg[0], l.indexOff + 20, "index, bytes"},
		{"a segment's table", seg[0], l.indexOff + l.indexLen + 20, "table, bytes"},
		{"a segment's tail", seg[0], l.size - 60, "table, bytes"},
		{"a log's block", wal[0], blockAt + 30, "record 1, byte"},
		{"the events journal", filepath.Join(f.dir, eventsFile), 100, "events.journal: record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			flipped := append([]byte(nil), data...)
			flipped[tc.at] ^= 0x20
			if err := os.WriteFile(tc.file, flipped, 0o600); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(tc.file, data, 0o600)
			s, _, err := Open(f.config(true))
			if err != nil {
				// The events journal is read at open: its damage is named there.
				if tc.file != filepath.Join(f.dir, eventsFile) || !strings.Contains(err.Error(), "record") {
					t.Fatalf("open: %v", err)
				}
				return
			}
			defer s.Close()
			_, err = s.Verify()
			var p *provenance.Problems
			if !errors.As(err, &p) || !errors.Is(err, ErrTampered) {
				t.Fatalf("verify: %v", err)
			}
			if !strings.Contains(p.Findings[0].Field, tc.where) {
				t.Errorf("named %q, want %q", p.Findings[0].Field, tc.where)
			}
			for _, secret := range []string{"198.51.100", "C-000042"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes %q", secret)
				}
			}
		})
	}
	// Restored, every file verifies again.
	s = f.open(true)
	defer s.Close()
	if rep, err := s.Verify(); err != nil || !rep.Opened || rep.Records == 0 {
		t.Fatalf("restored: %+v %v", rep, err)
	}
}
