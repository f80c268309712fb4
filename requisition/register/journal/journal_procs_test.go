package journal_test

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

	"golang.org/x/sys/unix"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// journalChild is a child process that appends to a journal and prints a
// line per acknowledged record ("ack <seq> <id>"), read by a goroutine as
// it comes, so that the parent can wait for an event — the child's first
// acknowledged append — instead of sleeping.
type journalChild struct {
	cmd    *exec.Cmd
	errBuf bytes.Buffer
	onAck  func() // called for each acknowledgement as it is read, if set

	mu     sync.Mutex
	lines  []string
	nacks  int
	notify chan struct{} // a line arrived
	done   chan struct{} // stdout closed: the child is gone
}

type childAck struct {
	seq uint64
	id  string
}

// noAckLimit bounds the wait for a child's acknowledgements: reaching it
// is a failure (a child wedged on the lock, say), not a timing.
const noAckLimit = 2 * time.Minute

func startJournalChild(t testing.TB, cmd *exec.Cmd, onAck ...func()) *journalChild {
	t.Helper()
	c := &journalChild{cmd: cmd, notify: make(chan struct{}, 1), done: make(chan struct{})}
	if len(onAck) > 0 {
		c.onAck = onAck[0]
	}
	cmd.Stderr = &c.errBuf
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.mu.Lock()
			c.lines = append(c.lines, sc.Text())
			isAck := strings.HasPrefix(sc.Text(), "ack ")
			if isAck {
				c.nacks++
			}
			c.mu.Unlock()
			if isAck && c.onAck != nil {
				c.onAck()
			}
			select {
			case c.notify <- struct{}{}:
			default:
			}
		}
	}()
	return c
}

// waitLine waits until the child printed a line starting with prefix; it
// reports false if the child ended first, or printed nothing for
// noAckLimit.
func (c *journalChild) waitLine(prefix string) bool {
	return c.waitFor(func() bool {
		for _, l := range c.lines {
			if strings.HasPrefix(l, prefix) {
				return true
			}
		}
		return false
	})
}

// waitAcks waits until the child acknowledged n records.
func (c *journalChild) waitAcks(n int) bool {
	return c.waitFor(func() bool { return c.nacks >= n })
}

func (c *journalChild) waitFor(ok func() bool) bool {
	timeout := time.NewTimer(noAckLimit)
	defer timeout.Stop()
	for {
		c.mu.Lock()
		got := ok()
		c.mu.Unlock()
		if got {
			return true
		}
		select {
		case <-c.notify:
		case <-c.done:
			c.mu.Lock()
			defer c.mu.Unlock()
			return ok()
		case <-timeout.C:
			return false
		}
	}
}

// kill sends SIGKILL and waits for the child and its last lines.
func (c *journalChild) kill() {
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
	c.cmd.Wait()
}

// killedBySignal reports whether the child ended by our SIGKILL rather
// than exiting by itself.
func (c *journalChild) killedBySignal() bool {
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

func (c *journalChild) stderr() string {
	<-c.done
	c.cmd.Wait()
	return c.errBuf.String()
}

func (c *journalChild) acks() []childAck {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []childAck
	for _, l := range c.lines {
		f := strings.Fields(l)
		if len(f) != 3 || f[0] != "ack" {
			continue
		}
		seq, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil {
			continue
		}
		out = append(out, childAck{seq, f[2]})
	}
	return out
}

// value returns the rest of the first line starting with prefix.
func (c *journalChild) value(prefix string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.lines {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return v
		}
	}
	return ""
}

// buildJournalChild builds testdata/journalchild once for the test,
// without -race whatever the test binary was built with: eight children
// of a -race binary would take seconds each to start.
func buildJournalChild(t *testing.T) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build the child with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "journalchild")
	cmd := exec.Command(gotool, "build", "-o", bin, "./testdata/journalchild")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the child: %v\n%s", err, out)
	}
	return bin
}

// N processes append to one journal at once, each from two goroutines,
// and the parent kills them with SIGKILL at random moments and starts them
// again. A kill seldom tears a write on Linux here (the kernel mostly
// finishes a buffered write before the process dies: 0 torn in 100 kills
// of a loop of 1 MiB writes, 2 in the 1,040 kills of a soak run), so the
// parent also plays a writer that dies mid-write — a power cut, or a
// kernel that tears: at random moments it takes the lock and leaves the
// first bytes of a real next record at the end, for the children to set
// aside. Each child's life signs with a key of its own, printed first, so
// that every record can be traced to the life that wrote it. At the end:
// every acknowledged record present exactly once, at the sequence number
// its child was told, signed by its child's key; the chain verifies with
// no gap; every torn tail was set aside to a quarantine file that a repair
// record names, and no quarantined bytes hold an acknowledged record.
//
// CI runs 8 processes × 6 lives each; CCJKIT_SOAK=1 runs 8 × 130 (1,040
// kills) and logs the figures.
func TestJournalProcs(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test skipped in -short mode")
	}
	procs, lives := 8, 6
	if os.Getenv("CCJKIT_SOAK") != "" {
		lives = 130
	}
	bin := buildJournalChild(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "journal")
	start := time.Now()

	var mu sync.Mutex
	acked := map[string]uint64{} // record id -> the sequence number its child was told
	keys := map[string]string{}  // life -> its public key, in hex
	kills, selfExits := 0, 0
	acks := make(chan struct{}, 4096)
	onAck := func() {
		select {
		case acks <- struct{}{}:
		default:
		}
	}
	stop := make(chan struct{})
	var tears [][]byte
	tearDone := make(chan struct{})
	go func() {
		defer close(tearDone)
		scratch := t.TempDir()
		for n := 0; ; n++ {
			for range 3 + rand.IntN(12) { // after a random number of acknowledgements
				select {
				case <-acks:
				case <-stop:
					return
				}
			}
			if b, err := tearJournal(path, scratch, fmt.Sprintf("tear.%d", n)); err != nil {
				t.Errorf("tearing the journal: %v", err)
				return
			} else if b != nil {
				tears = append(tears, b)
			}
		}
	}()
	var wg sync.WaitGroup
	for slot := range procs {
		wg.Go(func() {
			for life := range lives {
				name := fmt.Sprintf("p%d.l%d", slot, life)
				c := startJournalChild(t, exec.Command(bin, path, name, "2"), onAck)
				// The kill moment: after a random number of this child's
				// acknowledged appends, and a random fraction of one more.
				n := 1 + rand.IntN(6)
				if !c.waitAcks(n) {
					c.kill()
					t.Errorf("%s stopped before acknowledging %d records: %s", name, n, c.stderr())
					return
				}
				time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
				c.kill()
				mu.Lock()
				if c.killedBySignal() {
					kills++
				} else {
					selfExits++
					t.Errorf("%s exited by itself: %v: %s", name, c.cmd.ProcessState, c.stderr())
				}
				keys[name] = c.value("key ")
				for _, a := range c.acks() {
					if _, dup := acked[a.id]; dup {
						t.Errorf("%s acknowledged twice", a.id)
					}
					acked[a.id] = a.seq
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(stop)
	<-tearDone
	if t.Failed() {
		t.FailNow()
	}

	// The last kills may have left a torn tail: the next append sets it
	// aside, as any member's next command would.
	j, rep, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0), Signer: ed25519.NewKeyFromSeed(make([]byte, 32))})
	if err != nil {
		t.Fatalf("open after the last kill: %v", err)
	}
	if _, err := j.Append("event", []byte("parent.final")); err != nil {
		t.Fatal(err)
	}
	j.Close()
	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}

	found := map[string]int{}
	var repairs int
	var quarantined int64
	var cutBytes [][]byte
	for i, r := range recs {
		if r.Seq != uint64(i) {
			t.Fatalf("record %d has sequence number %d", i, r.Seq)
		}
		switch r.Kind {
		case "journal":
		case journal.RepairKind:
			repairs++
			var rp journal.Repair
			if err := json.Unmarshal(r.Payload, &rp); err != nil {
				t.Fatalf("record %d: repair %q: %v", i, r.Payload, err)
			}
			q, err := os.ReadFile(filepath.Join(dir, rp.File))
			if err != nil {
				t.Fatalf("record %d: the quarantine file: %v", i, err)
			}
			if sum := sha256.Sum256(q); int64(len(q)) != rp.Bytes || hex.EncodeToString(sum[:]) != rp.SHA256 {
				t.Fatalf("record %d: quarantine file %s holds %d bytes, the repair says %d", i, rp.File, len(q), rp.Bytes)
			}
			quarantined += rp.Bytes
			cutBytes = append(cutBytes, q)
		case "event":
			id, _, _ := strings.Cut(string(r.Payload), " ")
			found[id]++
			if found[id] > 1 {
				t.Errorf("%s present %d times", id, found[id])
			}
			if id == "parent.final" {
				continue
			}
			life := id[:max(0, strings.LastIndex(id, ".w"))]
			if hex.EncodeToString(r.Signer) != keys[life] {
				t.Errorf("record %d (%s) signed by %x, not by %s's key %s", i, id, r.Signer, life, keys[life])
			}
			if seq, ok := acked[id]; ok && seq != r.Seq {
				t.Errorf("%s acknowledged as record %d, found at %d", id, seq, r.Seq)
			}
		default:
			t.Errorf("record %d of kind %q", i, r.Kind)
		}
	}
	lost := 0
	for id := range acked {
		if found[id] != 1 {
			lost++
			if lost < 10 {
				t.Errorf("acknowledged record %s found %d times", id, found[id])
			}
		}
		for _, q := range cutBytes {
			if bytes.Contains(q, []byte(id+" ")) {
				t.Errorf("a quarantine file holds acknowledged record %s", id)
			}
		}
	}
	qfiles, _ := filepath.Glob(filepath.Join(dir, "journal.quarantine-*"))
	if len(qfiles) != repairs {
		t.Errorf("%d quarantine files for %d repair records", len(qfiles), repairs)
	}
	// Every torn write the parent left was set aside, once. Any other
	// bytes set aside are a killed child's torn write (rare: a kill
	// seldom lands inside the copy of a write): the start of a frame,
	// holding no acknowledged record (checked above).
	left := map[[32]byte]int{}
	for _, b := range tears {
		left[sha256.Sum256(b)]++
	}
	killTorn := 0
	for _, q := range cutBytes {
		h := sha256.Sum256(q)
		if left[h] > 0 {
			left[h]--
			continue
		}
		killTorn++
		if !bytes.HasPrefix(q, []byte("CCJS")[:min(4, len(q))]) {
			t.Errorf("set aside %d bytes the parent did not leave and that start no frame: %q", len(q), q[:min(len(q), 16)])
		}
	}
	for h, n := range left {
		if n > 0 {
			t.Errorf("a torn write the parent left (sha256 %x) was set aside %d times too few", h, n)
		}
	}
	for id := range found {
		if strings.HasPrefix(id, "tear.") {
			t.Errorf("the torn record %s is in the journal", id)
		}
	}
	t.Logf("%d processes × %d lives: %d kills (%d exits by themselves), %d records acknowledged, %d found (%d lost), %d records in the journal (%d unacknowledged but whole), %d torn writes left by the parent and %d by kills, %d repairs setting aside %d bytes, Open at the end saw %d torn bytes; %v",
		procs, lives, kills, selfExits, len(acked), len(acked)-lost, lost, len(recs), len(found)-1-(len(acked)-lost), len(tears), killTorn, repairs, quarantined, rep.TornBytes, time.Since(start).Round(time.Millisecond))
}

// tearJournal plays a writer that dies in the middle of its write: under
// the journal's exclusive lock, unless the journal already ends with a
// torn write (the children have not set the last one aside yet), it
// leaves at the end the first bytes — from 1 to all but one — of the
// record an append would write next (made by appending to a copy in
// scratch), and returns them.
func tearJournal(path, scratch, id string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		return nil, err
	}
	defer unix.Flock(int(f.Fd()), unix.LOCK_UN)
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if _, _, err := journal.ReadRecords(data); err != nil {
		if journal.IsTornTail(err) {
			return nil, nil
		}
		return nil, err
	}
	cp := filepath.Join(scratch, "copy")
	if err := os.WriteFile(cp, data, 0o600); err != nil {
		return nil, err
	}
	j, _, err := journal.Open(cp, journal.Options{Clock: timesynctest.NewClock(t0), Signer: ed25519.NewKeyFromSeed(make([]byte, 32))})
	if err != nil {
		return nil, err
	}
	_, err = j.Append("event", append([]byte(id+" "), bytes.Repeat([]byte{'.'}, rand.IntN(20000))...))
	j.Close()
	if err != nil {
		return nil, err
	}
	next, err := os.ReadFile(cp)
	if err != nil {
		return nil, err
	}
	next = next[len(data):]
	torn := next[:1+rand.IntN(len(next)-1)]
	if _, err := f.WriteAt(torn, int64(len(data))); err != nil {
		return nil, err
	}
	return torn, nil
}

// A child killed at a random moment while it creates the journal (eight
// at once racing to create it, each killed at its own moment): the path
// is absent or a whole journal, never a file without a header; an Open
// after succeeds.
func TestCreateKilledProcs(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test skipped in -short mode")
	}
	bin := buildJournalChild(t)
	const trials, racers = 25, 4
	var absent, whole, leftovers int
	for trial := range trials {
		dir := t.TempDir()
		path := filepath.Join(dir, "journal")
		var wg sync.WaitGroup
		for r := range racers {
			wg.Go(func() {
				c := startJournalChild(t, exec.Command(bin, path, fmt.Sprintf("t%d.r%d", trial, r), "0"))
				if !c.waitLine("key ") { // printed just before Open
					c.kill()
					t.Errorf("the child did not start: %s", c.stderr())
					return
				}
				time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
				c.kill()
			})
		}
		wg.Wait()
		recs, err := journal.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			absent++
		case err == nil && len(recs) >= 1:
			whole++
		default:
			t.Fatalf("trial %d: after the kills: %d records, %v", trial, len(recs), err)
		}
		tmps, _ := filepath.Glob(filepath.Join(dir, ".journal.new-*"))
		leftovers += len(tmps)
		j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0)})
		if err != nil {
			t.Fatalf("trial %d: open after the kills: %v", trial, err)
		}
		j.Close()
	}
	t.Logf("%d trials of %d creators killed at random: journal absent %d times, whole %d times, never partial; %d temporary files left by the kills", trials, racers, absent, whole, leftovers)
}
