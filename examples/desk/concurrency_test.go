package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// TestConcurrentMembers is issue 17: several members use the desk at
// once, as separate processes on one register, and some of those
// processes are killed at random moments. No receive or step the desk
// acknowledged (exit status 0 and its confirmation printed) may be lost,
// given to another case, or attributed to another member.
//
// What a kill may leave, and what is therefore asserted:
//   - a killed receive either wrote nothing that stays, or wrote its
//     whole record before it died (the write completed; the process died
//     before it synced or printed): such a case is found although it was
//     never acknowledged — at most one per killed receive of that member,
//     and attributed to that member;
//   - a kill in the middle of the write leaves a torn tail, which the next
//     writer moves to a quarantine file; a torn record never was a record,
//     so its case ID is taken by the next receive: the IDs found are
//     exactly YYYY-0001 … YYYY-N, without a gap.
//
// SIGKILL almost never tears a write of a few kilobytes (the kernel copies
// it whole), so the test also leaves torn tails itself, under the
// journal's lock, exactly as a writer that crashed mid-write leaves them
// (see tear), and sometimes runs desk repair at once, racing the other
// writers; first, several desk repair run at once on one torn tail.
// Every torn tail must end whole in a quarantine file, and the
// quarantine files hold nothing else.
//
// Each member has an anchor directory of their own, as on their own
// machines: every process checks the register against that member's
// checkpoints when it opens it, and saves a new one when it closes. A
// shared directory would be legitimate too (one desk PC), but separate
// ones are how the desk is meant to be deployed, and each is still
// written by several processes at once (the writers acting as the same
// member), so Anchors.Save is exercised concurrently either way.
//
// The CI subset is 8 writers × 15 rounds. CCJKIT_SOAK=1 runs the soak:
// at least 200 rounds per writer and until at least 1,000 runs were
// killed (it takes minutes: go test -timeout 0).
func TestConcurrentMembers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the desk")
	}
	soak := os.Getenv("CCJKIT_SOAK") != ""
	cfg := soakConfig{writers: 8, rounds: 15, killOneIn: 3, tearOneIn: 10}
	if soak {
		cfg = soakConfig{writers: 8, rounds: 200, maxRounds: 2000, minKills: 1000, killOneIn: 2, tearOneIn: 20}
	}
	h := newHarness(t)
	h.setUp()
	h.repairRace(5, 6)
	h.calibrate(5)
	start := time.Now()
	h.hammer(cfg)
	elapsed := time.Since(start)
	lost := h.check()

	s := &h.stats
	t.Logf("%d concurrent writer processes (alice, bob, carol) × %d to %d rounds in %v; %d runs of the desk, %d killed (%d receives, %d other commands), median unkilled receive %v at the end",
		cfg.writers, s.minRounds, s.maxRounds, elapsed.Round(time.Second), s.runs, s.kills, s.killedReceives(), s.kills-s.killedReceives(), h.median().Round(time.Millisecond))
	t.Logf("acknowledged: %d receives, %d acknowledgements, %d checks; found: %d cases (%d written by a killed receive, never acknowledged), %d records",
		len(s.received), len(s.acks), len(s.checks), h.found, h.unacknowledged, h.records)
	tears := 0
	for _, tt := range s.torn {
		tears += len(tt)
	}
	t.Logf("torn tails: %d left at the end of the journal as a crashed writer leaves them (%d not, the journal ending with one already), %d left by a killed desk",
		tears, s.tornSkipped, h.crashTails)
	t.Logf("desk repair: %d set the tail aside, %d found it set aside already by another member's write", s.repaired, s.nothingToRepair)
	t.Logf("repairs: %d quarantine file(s), %d of them named by a repair record (the others' writer was killed between cutting the tail and the write that records it), %d empty and %d partial (killed while writing them); refusals: %d (%d acknowledgements, %d checks, all \"not allowed\"); lost or misattributed: %d",
		h.quarantined, h.repairRecords, h.emptyQuarantine, h.partialQuarantine, len(s.refusedAcks)+len(s.refusedChecks), len(s.refusedAcks), len(s.refusedChecks), lost)
	if soak && s.kills < cfg.minKills {
		t.Errorf("the soak killed %d runs, fewer than %d", s.kills, cfg.minKills)
	}
}

type soakConfig struct {
	writers, rounds int
	// maxRounds and minKills: a writer goes on past rounds until
	// minKills runs were killed in all, up to maxRounds.
	maxRounds, minKills int
	killOneIn           int
	// tearOneIn: how rarely, before a round, a writer leaves a torn tail
	// at the end of the journal, as a writer that crashed in the middle
	// of its write would.
	tearOneIn int
}

// members of the sample cell, and so of the register.
var deskMembers = []string{"alice", "bob", "carol"}

type harness struct {
	t   *testing.T
	bin string
	dir string
	req string
	// identity files and anchor directories, by member.
	identity, anchors map[string]string

	mu    sync.Mutex
	durs  []time.Duration // the latest unkilled receives' durations
	stats stats

	// What check found.
	found, unacknowledged, records              int
	quarantined, repairRecords, emptyQuarantine int
	partialQuarantine, crashTails               int
}

type stats struct {
	runs, kills          int
	minRounds, maxRounds int
	// received: case → the member whose receive was acknowledged;
	// order: the same cases in order, for picking one at random.
	received map[string]string
	order    []string
	// acks: case → the acknowledgement as printed; checks: case →
	// member.
	acks   map[string]register.Transition
	checks map[string]string
	// refused: cases whose ack or check was refused as not allowed.
	refusedAcks, refusedChecks []string
	// killed receives, by member.
	killed map[string]int
	// torn tails left at the end of the journal: offset → bytes.
	torn map[int64][][]byte
	// tears not made because the journal already ended with one.
	tornSkipped int
	// desk repair: the tail set aside, or found set aside already.
	repaired, nothingToRepair int
}

func (s *stats) killedReceives() int {
	n := 0
	for _, k := range s.killed {
		n += k
	}
	return n
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, identity: map[string]string{}, anchors: map[string]string{}}
	h.stats.received = map[string]string{}
	h.stats.acks = map[string]register.Transition{}
	h.stats.checks = map[string]string{}
	h.stats.killed = map[string]int{}
	h.stats.torn = map[int64][][]byte{}
	h.bin = filepath.Join(t.TempDir(), "desk")
	if out, err := exec.Command("go", "build", "-o", h.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	h.dir, h.identity["alice"] = testDir(t)
	h.req = filepath.Join(t.TempDir(), "req.json")
	if err := os.WriteFile(h.req, []byte(requisitionJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, m := range deskMembers {
		h.anchors[m] = filepath.Join(t.TempDir(), m+"-anchors")
	}
	return h
}

// result is one run of the desk binary.
type result struct {
	stdout, stderr string
	code           int
	killed         bool
	took           time.Duration
}

// run runs the desk as member; with killAfter > 0, the process is sent
// SIGKILL after that long, if it is still running. Killed reports whether
// the signal ended it (a signal sent after it exited does nothing).
func (h *harness) run(member string, killAfter time.Duration, args ...string) result {
	cmd := exec.Command(h.bin, args...)
	cmd.Env = append(os.Environ(), "CCJKIT_IDENTITY="+h.identity[member], "CCJKIT_ANCHORS="+h.anchors[member])
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 30 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		h.t.Errorf("desk %v: %v", args, err)
		return result{code: -1}
	}
	if killAfter > 0 {
		timer := time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.killed, r.code = true, -1
		} else {
			r.code = ee.ExitCode()
		}
	default:
		h.t.Errorf("desk %v: %v", args, err)
		r.code = -1
	}
	h.mu.Lock()
	h.stats.runs++
	if r.killed {
		h.stats.kills++
	}
	h.mu.Unlock()
	return r
}

// must runs the desk as member, unkilled, and fails the test unless it
// exits 0.
func (h *harness) must(member string, args ...string) string {
	h.t.Helper()
	r := h.run(member, 0, args...)
	if r.code != exitOK {
		h.t.Fatalf("desk %v as %s: exit %d\n%s", args, member, r.code, r.stderr)
	}
	return r.stdout
}

// setUp opens the register as alice once (testDir founded it, as desk
// init does), and adds bob and carol the way members do: each makes an
// identity, alice adds its public line.
func (h *harness) setUp() {
	h.must("alice", "list", "-dir", h.dir)
	for _, m := range deskMembers[1:] {
		h.identity[m] = filepath.Join(h.t.TempDir(), m+".identity")
		out := h.must(m, "member", "keygen", "-name", m, "-identity", h.identity[m])
		var line string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "ccjkit-identity "+m+" ") {
				line = l
			}
		}
		if line == "" {
			h.t.Fatalf("keygen printed no public line:\n%s", out)
		}
		if out := h.must("alice", "member", "add", "-dir", h.dir, line); !strings.Contains(out, m+" added") {
			h.t.Fatalf("member add: %s", out)
		}
	}
}

var receivedAs = regexp.MustCompile(`(?m)^received as case (\d{4}-\d{4,})$`)

// receive runs one receive as member, killed after killAfter if that is
// not zero, and records what it acknowledged.
func (h *harness) receive(member string, killAfter time.Duration) {
	r := h.run(member, killAfter, "receive", "-duplicate", "-dir", h.dir, h.req) // one order, received again and again
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.killed:
		h.stats.killed[member]++
	case r.code != exitOK:
		h.t.Errorf("receive as %s: exit %d\n%s", member, r.code, r.stderr)
	default:
		m := receivedAs.FindStringSubmatch(r.stdout)
		if m == nil {
			h.t.Errorf("receive as %s: exit 0 without its confirmation:\n%s", member, r.stdout)
			return
		}
		if other, ok := h.stats.received[m[1]]; ok {
			h.t.Errorf("case %s acknowledged to %s, and to %s before", m[1], member, other)
			return
		}
		h.stats.received[m[1]] = member
		h.stats.order = append(h.stats.order, m[1])
		h.durs = append(h.durs, r.took)
		if len(h.durs) > 32 {
			h.durs = h.durs[len(h.durs)-32:]
		}
	}
}

// calibrate receives n times, unkilled, to learn how long a run takes on
// this machine now.
func (h *harness) calibrate(n int) {
	for i := range n {
		h.receive(deskMembers[i%len(deskMembers)], 0)
	}
	if h.t.Failed() {
		h.t.FailNow()
	}
}

// median is the median duration of the latest unkilled receives: the
// runs slow down as the journal grows and as the writers contend, and
// the kill delays follow.
func (h *harness) median() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := slices.Clone(h.durs)
	slices.Sort(d)
	return d[len(d)/2]
}

// killDelay draws when to kill a run: mostly in its second half, where
// the register is written, sometimes earlier or after it ended.
func (h *harness) killDelay(rng *rand.Rand) time.Duration {
	return time.Duration((0.2 + 1.1*rng.Float64()) * float64(h.median()))
}

// hammer runs the writers.
func (h *harness) hammer(cfg soakConfig) {
	seed := uint64(time.Now().UnixNano())
	h.t.Logf("seed %d", seed)
	h.stats.minRounds = -1
	var wg sync.WaitGroup
	for w := range cfg.writers {
		member := deskMembers[w%len(deskMembers)]
		rng := rand.New(rand.NewPCG(seed, uint64(w)))
		wg.Go(func() {
			round := 0
			for ; ; round++ {
				if round >= cfg.rounds {
					h.mu.Lock()
					kills := h.stats.kills
					h.mu.Unlock()
					if kills >= cfg.minKills || round >= cfg.maxRounds || h.t.Failed() {
						break
					}
				}
				if rng.IntN(cfg.tearOneIn) == 0 {
					h.tear(rng)
					// Half the time the member runs desk repair at once,
					// racing the other writers to set the tail aside.
					if rng.IntN(2) == 0 {
						var delay time.Duration
						if rng.IntN(cfg.killOneIn) == 0 {
							delay = h.killDelay(rng)
						}
						h.repair(member, delay)
					}
				}
				var delay time.Duration
				if rng.IntN(cfg.killOneIn) == 0 {
					delay = h.killDelay(rng)
				}
				h.receive(member, delay)
				if rng.IntN(4) == 0 {
					delay = 0
					if rng.IntN(cfg.killOneIn) == 0 {
						delay = h.killDelay(rng)
					}
					h.step(rng, member, delay)
				}
			}
			h.mu.Lock()
			if h.stats.minRounds < 0 || round < h.stats.minRounds {
				h.stats.minRounds = round
			}
			h.stats.maxRounds = max(h.stats.maxRounds, round)
			h.mu.Unlock()
		})
	}
	wg.Wait()
}

// step acknowledges, or checks once acknowledged, a random case another
// member received.
func (h *harness) step(rng *rand.Rand, member string, delay time.Duration) {
	h.mu.Lock()
	var id string
	for range 8 {
		c := h.stats.order[rng.IntN(len(h.stats.order))]
		if h.stats.received[c] != member {
			id = c
			break
		}
	}
	_, acked := h.stats.acks[id]
	h.mu.Unlock()
	if id == "" {
		return
	}
	if !acked {
		r := h.run(member, delay, "ack", "-json", "-dir", h.dir, id)
		h.mu.Lock()
		defer h.mu.Unlock()
		switch {
		case r.killed:
		case r.code == exitFail && strings.Contains(r.stderr, "not allowed"):
			h.stats.refusedAcks = append(h.stats.refusedAcks, id)
		case r.code != exitOK:
			h.t.Errorf("ack %s as %s: exit %d\n%s", id, member, r.code, r.stderr)
		default:
			var tr register.Transition
			if err := json.Unmarshal([]byte(r.stdout), &tr); err != nil || tr.Case != id || tr.Event != register.Acknowledge || tr.Actor != member {
				h.t.Errorf("ack %s as %s printed %v:\n%s", id, member, err, r.stdout)
				return
			}
			if other, ok := h.stats.acks[id]; ok {
				h.t.Errorf("case %s acknowledged by %s, and by %s before", id, member, other.Actor)
				return
			}
			h.stats.acks[id] = tr
		}
		return
	}
	r := h.run(member, delay, "check", "-dir", h.dir, id)
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.killed:
	case r.code == exitFail && strings.Contains(r.stderr, "not allowed"):
		h.stats.refusedChecks = append(h.stats.refusedChecks, id)
	case r.code != exitOK:
		h.t.Errorf("check %s as %s: exit %d\n%s", id, member, r.code, r.stderr)
	case !strings.Contains(r.stdout, id+": "):
		h.t.Errorf("check %s as %s: exit 0 without the step:\n%s", id, member, r.stdout)
	default:
		if other, ok := h.stats.checks[id]; ok {
			h.t.Errorf("case %s checked by %s, and by %s before", id, member, other)
			return
		}
		h.stats.checks[id] = member
	}
}

// check verifies the register once every writer stopped, and returns how
// many acknowledged receives and steps are lost or misattributed.
func (h *harness) check() (lost int) {
	t := h.t
	s := &h.stats
	path := journalPath(h.dir)

	// The register as the writers left it: whole, perhaps with a torn
	// tail.
	if _, err := journal.ReadFile(path); err != nil && !journal.IsTornTail(err) {
		t.Errorf("the journal as the writers left it: %v", err)
	}
	// Each member's desk verifies it against their own checkpoints, and
	// replays it with their identity.
	for _, m := range deskMembers {
		r := h.run(m, 0, "verify", "-dir", h.dir)
		if r.code != exitOK || !strings.Contains(r.stdout, "hash chain intact") || !strings.Contains(r.stdout, "checkpoints kept on this machine hold") ||
			!strings.Contains(r.stdout, "every record opened and replayed") {
			t.Errorf("desk verify with %s's checkpoints: exit %d\n%s%s", m, r.code, r.stdout, r.stderr)
		}
	}
	// A torn tail the last writer left is set aside by desk repair
	// (reading commands leave it where it is).
	h.repair("alice", 0)
	if _, err := journal.ReadFile(path); err != nil {
		t.Errorf("after desk repair: %v", err)
	}
	// Each member's desk lists every case once (none is closed: every
	// case is open).
	var lists [][]string
	for _, m := range deskMembers {
		var due []register.Due
		if err := json.Unmarshal([]byte(h.must(m, "list", "-json", "-dir", h.dir)), &due); err != nil {
			t.Fatalf("list -json as %s: %v", m, err)
		}
		var ids []string
		for _, d := range due {
			ids = append(ids, d.Case)
		}
		slices.Sort(ids)
		if c := slices.Compact(slices.Clone(ids)); len(c) != len(ids) {
			t.Errorf("%s's list shows a case twice", m)
		}
		lists = append(lists, ids)
	}
	// The roster: three members, each signed records.
	var ms []register.MemberInfo
	if err := json.Unmarshal([]byte(h.must("bob", "member", "list", "-json", "-dir", h.dir)), &ms); err != nil {
		t.Fatalf("member list -json: %v", err)
	}
	signed := map[string]int{}
	for _, m := range ms {
		if m.Active && m.Role == register.RoleMember {
			signed[m.Name] = m.Records
		}
	}
	for _, m := range deskMembers {
		if signed[m] == 0 {
			t.Errorf("member list: %s signed no record (%v)", m, signed)
		}
	}

	// The library's view: the chain, every signature, the roster rules.
	recs, err := journal.ReadFile(path)
	if err != nil {
		t.Fatalf("after the desk's last writes the journal does not verify: %v", err)
	}
	h.records = len(recs)
	audit, err := register.AuditRecords(recs)
	if err != nil || audit.Unsigned != 0 {
		t.Errorf("audit: %v, %d unsigned record(s)", err, audit.Unsigned)
	}
	for _, m := range audit.Members {
		if m.Records != signed[m.Name] {
			t.Errorf("audit: %s signed %d records, the desk says %d", m.Name, m.Records, signed[m.Name])
		}
	}
	b, err := os.ReadFile(h.identity["carol"])
	if err != nil {
		t.Fatal(err)
	}
	carol, err := register.ParseIdentity(string(b))
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(path, register.Config{Clock: timesync.SystemClock{}, Identity: carol})
	if err != nil {
		t.Fatalf("OpenRegister: %v", err)
	}
	defer reg.Close()
	ids := reg.CaseIDs()
	h.found = len(ids)
	for i, l := range lists {
		if !slices.Equal(l, ids) {
			t.Errorf("%s's list shows %d cases, the register holds %d", deskMembers[i], len(l), len(ids))
		}
	}

	// A few cases as each member's desk shows them.
	for i, m := range deskMembers {
		for _, k := range []int{0, len(s.order) / 2, len(s.order) - 1} {
			id := s.order[(k+i)%len(s.order)]
			var c register.Case
			if err := json.Unmarshal([]byte(h.must(m, "show", "-json", "-dir", h.dir, id)), &c); err != nil {
				t.Fatalf("show -json %s as %s: %v", id, m, err)
			}
			if c.ID != id || c.History[0].Actor != s.received[id] {
				t.Errorf("%s's desk shows case %s received by %s, not %s", m, id, c.History[0].Actor, s.received[id])
			}
			if ack, ok := s.acks[id]; ok && (len(c.History) < 2 || c.History[1].Actor != ack.Actor || c.History[1].Event != register.Acknowledge) {
				t.Errorf("%s's desk shows case %s without %s's acknowledgement", m, id, ack.Actor)
			}
		}
	}

	// The IDs are YYYY-0001 … YYYY-N: a torn receive took no ID.
	for i, id := range ids {
		if want := fmt.Sprintf("%s-%04d", ids[0][:4], i+1); id != want {
			t.Errorf("case %d is %s, not %s: a gap in the IDs", i+1, id, want)
			break
		}
	}
	// Every acknowledged receive, under its ID, by its member.
	extra := map[string]int{}
	for _, id := range ids {
		c, _ := reg.Case(id)
		by := c.History[0].Actor
		want, ok := s.received[id]
		switch {
		case !ok:
			extra[by]++
		case by != want:
			t.Errorf("case %s was received by %s and is recorded as received by %s", id, want, by)
			lost++
		}
	}
	for id := range s.received {
		if _, ok := reg.Case(id); !ok {
			t.Errorf("case %s was acknowledged to %s and is not in the register", id, s.received[id])
			lost++
		}
	}
	for m, n := range extra {
		h.unacknowledged += n
		if n > s.killed[m] {
			t.Errorf("%d cases received by %s were never acknowledged, but only %d of their receives were killed", n, m, s.killed[m])
		}
	}
	// Every acknowledged step, once, by its member, as printed.
	steps := func(id string, evs ...register.Event) []register.Transition {
		c, _ := reg.Case(id)
		var out []register.Transition
		for _, tr := range c.History {
			if slices.Contains(evs, tr.Event) {
				out = append(out, tr)
			}
		}
		return out
	}
	for id, want := range s.acks {
		got := steps(id, register.Acknowledge)
		if len(got) != 1 || got[0].Actor != want.Actor || got[0].At != want.At {
			t.Errorf("case %s: acknowledged by %s at %v; the register holds %+v", id, want.Actor, want.At, got)
			lost++
		}
	}
	for _, id := range s.refusedAcks {
		if len(steps(id, register.Acknowledge)) != 1 {
			t.Errorf("case %s: an acknowledgement was refused as not allowed, and the case holds none", id)
		}
	}
	for id, by := range s.checks {
		got := steps(id, register.CheckLawful, register.Contest)
		if len(got) != 1 || got[0].Actor != by {
			t.Errorf("case %s: checked by %s; the register holds %+v", id, by, got)
			lost++
		}
	}
	for _, id := range s.refusedChecks {
		if len(steps(id, register.CheckLawful, register.Contest)) != 1 {
			t.Errorf("case %s: a check was refused as not allowed, and the case holds none", id)
		}
	}

	h.checkQuarantine(recs)
	return lost
}

// quarantineName is how a journal names the file it moves a torn tail to:
// the time, then the offset the tail began at.
var quarantineName = regexp.MustCompile(`^ccj\.journal\.quarantine-\d{8}T\d{6}Z-(\d+)(-\d+)?$`)

// checkQuarantine checks that the quarantine files hold nothing but torn
// tails: put back at the offset they were cut from, after the records
// before them, they read as an incomplete write and not one whole record
// more. Each repair record names a file that holds what it says. A file
// no repair record names is one whose writer was killed before it could
// record the repair (the next writer set the tail aside again, or found
// it cut already).
func (h *harness) checkQuarantine(recs []journal.Record) {
	t := h.t
	data, err := os.ReadFile(journalPath(h.dir))
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]journal.Repair{}
	for _, r := range recs {
		if r.Kind != journal.RepairKind {
			continue
		}
		h.repairRecords++
		var rp journal.Repair
		if err := json.Unmarshal(r.Payload, &rp); err != nil {
			t.Errorf("repair record %d: %v", r.Seq, err)
			continue
		}
		named[rp.File] = rp
	}
	// Every torn tail left is set aside whole, in a quarantine file of
	// its own.
	whole := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(h.dir, "*.quarantine-*"))
	for _, f := range files {
		h.quarantined++
		name := filepath.Base(f)
		m := quarantineName.FindStringSubmatch(name)
		if m == nil {
			t.Errorf("%s: not the name of a torn tail's quarantine", name)
			continue
		}
		off, _ := strconv.ParseInt(m[1], 10, 64)
		tail, err := os.ReadFile(f)
		if err != nil {
			t.Error(err)
			continue
		}
		if len(tail) == 0 {
			h.emptyQuarantine++ // its writer was killed before it wrote it
		}
		left := false
		for _, torn := range h.stats.torn[off] {
			if bytes.Equal(torn, tail) {
				whole[fmt.Sprint(off, len(tail))], left = true, true
			} else if bytes.HasPrefix(torn, tail) {
				h.partialQuarantine++ // its writer was killed while it wrote it
				left = true
			}
		}
		if !left {
			h.crashTails++ // a desk killed while it wrote its record
		}
		if off > int64(len(data)) {
			t.Errorf("%s: cut at byte %d of a %d-byte journal", name, off, len(data))
			continue
		}
		_, valid, rerr := journal.ReadRecords(append(data[:off:off], tail...))
		if valid != off || (len(tail) > 0 && !journal.IsTornTail(rerr)) {
			t.Errorf("%s (%d bytes at byte %d) is not a torn tail: %d valid bytes, %v", name, len(tail), off, valid, rerr)
		}
		if rp, ok := named[name]; ok {
			if rp.Offset != off || rp.Bytes != int64(len(tail)) || rp.SHA256 != fmt.Sprintf("%x", sha256.Sum256(tail)) {
				t.Errorf("%s does not hold what its repair record says: %+v", name, rp)
			}
			delete(named, name)
		}
	}
	for name := range named {
		t.Errorf("a repair record names %s, which is not there", name)
	}
	for off, tails := range h.stats.torn {
		for _, torn := range tails {
			if !whole[fmt.Sprint(off, len(torn))] {
				t.Errorf("the torn tail left at byte %d (%d bytes) is in no quarantine file", off, len(torn))
			}
		}
	}
	if others, _ := filepath.Glob(filepath.Join(h.dir, ".ccj.journal.new-*")); len(others) > 0 {
		t.Errorf("temporary journals left: %v", others)
	}
}

// tear leaves at the end of the journal what a writer killed in the
// middle of its write leaves: the first bytes of the next record's frame
// — its magic, length, sequence number, time, the previous record's hash,
// kind and part of its payload — cut anywhere before its end. It takes
// the journal's lock as a writer does; it does nothing when the journal
// already ends with a torn tail (a crashed writer's successor repairs
// before it writes).
func (h *harness) tear(rng *rand.Rand) {
	t := h.t
	f, err := os.OpenFile(journalPath(h.dir), os.O_RDWR, 0)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Error(err)
		return
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	data, err := os.ReadFile(journalPath(h.dir))
	if err != nil {
		t.Error(err)
		return
	}
	recs, valid, err := journal.ReadRecords(data)
	if err != nil || valid != int64(len(data)) {
		h.mu.Lock()
		h.stats.tornSkipped++
		h.mu.Unlock()
		if !journal.IsTornTail(err) {
			t.Errorf("the journal under the lock: %v", err)
		}
		return
	}
	last := recs[len(recs)-1]
	payload := make([]byte, 600+rng.IntN(1500))
	for i := range payload {
		payload[i] = byte(rng.Uint32())
	}
	body := binary.BigEndian.AppendUint64(nil, last.Seq+1)
	body = binary.BigEndian.AppendUint64(body, uint64(time.Now().Unix()))
	body = append(body, last.Hash[:]...)
	body = binary.BigEndian.AppendUint16(body, 4)
	body = append(body, "case"...)
	body = binary.BigEndian.AppendUint32(body, uint32(len(payload)))
	body = append(body, payload...)
	body = append(body, make([]byte, 4+32+64)...) // follows, signer and signature, never reached
	frame := binary.BigEndian.AppendUint32([]byte("CCJS"), uint32(len(body)))
	frame = append(frame, body...)
	frame = frame[:1+rng.IntN(len(frame)-1)] // the hash is never reached either
	if _, err := f.WriteAt(frame, int64(len(data))); err != nil {
		t.Error(err)
		return
	}
	h.mu.Lock()
	h.stats.torn[int64(len(data))] = append(h.stats.torn[int64(len(data))], frame)
	h.mu.Unlock()
}

// repair runs desk repair as member, killed after killAfter if that is
// not zero: it sets a torn tail aside, or finds that another member's
// write did.
func (h *harness) repair(member string, killAfter time.Duration) {
	r := h.run(member, killAfter, "repair", "-dir", h.dir)
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.killed:
	case r.code != exitOK:
		h.t.Errorf("repair as %s: exit %d\n%s", member, r.code, r.stderr)
	case strings.HasPrefix(r.stdout, "the incomplete last write was set aside"):
		h.stats.repaired++
	case strings.Contains(r.stdout, "nothing to repair"):
		h.stats.nothingToRepair++
	default:
		h.t.Errorf("repair as %s: %s", member, r.stdout)
	}
}

// repairRace leaves a torn tail, then runs desk repair in n processes at
// once, as members who all saw the crash would: exactly one sets the tail
// aside, the others find nothing to repair.
func (h *harness) repairRace(rounds, n int) {
	for range rounds {
		h.tear(rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0)))
		h.mu.Lock()
		before := h.stats.repaired
		h.mu.Unlock()
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { h.repair(deskMembers[i%len(deskMembers)], 0) })
		}
		wg.Wait()
		h.mu.Lock()
		done := h.stats.repaired - before
		h.mu.Unlock()
		if done != 1 {
			h.t.Errorf("%d processes ran desk repair at once: %d set the torn tail aside, want 1", n, done)
		}
	}
	if h.t.Failed() {
		h.t.FailNow()
	}
}
