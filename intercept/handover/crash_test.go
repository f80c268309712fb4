package handover_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// crashRun is what the test learnt of one killed run of the producer.
type crashRun struct {
	cin        uint32
	stalled    bool
	accepted   int  // records whose Deliver returned nil: 0 … last
	refused    int  // numbers refused (queue and spool full), not lost
	lastNumber int  // the highest number Deliver accepted, -1 if none
	syncs      bool // the producer called Sync every 256 records
	lastSynced int  // the highest number a Sync covered, -1 if none
	bound      handover.LossBound
	haveBound  bool
}

// TestCrashLossWithinBound kills a producer process many times while it
// delivers records through a handover with a spool — sometimes with the
// receiver reading, sometimes with it stalled so that the producer
// spools — and checks, for every kill, that the records the receiver
// never got lie within the bound the next run's restart reports. In some
// runs the producer calls Sync every 256 records, as a mediation
// function does before it answers a keep-alive: then nothing a Sync
// covered may be lost.
func TestCrashLossWithinBound(t *testing.T) {
	if os.Getenv("CCJKIT_HO_CRASH_DIR") != "" {
		crashProducerMain(t)
		return
	}
	rounds := 12
	if testing.Short() {
		rounds = 4
	}
	enc, err := etsi.NewEncoder(itest.Profile(30*time.Millisecond, 300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	recv, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesynctest.NewClock(t0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { recv.Close() })
	g := itest.NewGate(t, recv.Addr().String())
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))

	var runs []*crashRun
	for i := 0; i <= rounds; i++ {
		final := i == rounds
		run := &crashRun{cin: uint32(i + 1), stalled: !final && i%2 == 1, lastNumber: -1, syncs: i%4 >= 2, lastSynced: -1}
		g.Set(!run.stalled)
		want := 200 + rng.IntN(4000)
		if final {
			g.Set(true)
		}
		out := startProducer(t, dir, g.Addr(), run.cin, final, run.syncs)
		lines := bufio.NewScanner(out.stdout)
		gotBound := false
		for lines.Scan() {
			f := strings.Fields(lines.Text())
			switch {
			case len(f) == 4 && f[0] == "bound":
				if i > 0 && f[1] == "true" {
					lo, _ := strconv.ParseUint(f[2], 10, 64)
					hi, _ := strconv.ParseUint(f[3], 10, 64)
					runs[i-1].bound = handover.LossBound{Known: true, Min: lo, Max: hi}
					runs[i-1].haveBound = true
				}
				gotBound = true
			case len(f) == 2 && f[0] == "a":
				n, _ := strconv.Atoi(f[1])
				run.accepted++
				run.lastNumber = n
			case len(f) == 2 && f[0] == "r":
				run.refused++
			case len(f) == 2 && f[0] == "s":
				run.lastSynced, _ = strconv.Atoi(f[1])
			case len(f) == 1 && f[0] == "drained":
			}
			if !final && gotBound && run.accepted >= want {
				break
			}
		}
		if !gotBound {
			t.Fatalf("run %d: the producer reported no bound\n%s", i, out.stderr())
		}
		if final {
			if err := out.cmd.Wait(); err != nil {
				t.Fatalf("the last run did not drain cleanly: %v\n%s", err, out.stderr())
			}
			break
		}
		out.cmd.Process.Signal(syscall.SIGKILL)
		// What it wrote before the kill is still in the pipe.
		for lines.Scan() {
			f := strings.Fields(lines.Text())
			if len(f) == 2 && f[0] == "a" {
				n, _ := strconv.Atoi(f[1])
				run.accepted++
				run.lastNumber = n
			} else if len(f) == 2 && f[0] == "r" {
				run.refused++
			} else if len(f) == 2 && f[0] == "s" {
				run.lastSynced, _ = strconv.Atoi(f[1])
			}
		}
		out.cmd.Wait()
		runs = append(runs, run)
	}

	rep := recv.Report()
	var withLoss, sure, beyondMin int
	for i, run := range runs {
		if !run.haveBound {
			t.Errorf("run %d: no bound reported after its crash", i)
			continue
		}
		key := intercept.StreamKey{LIID: ccKey.LIID, CIN: intercept.CIN(run.cin), Stream: intercept.CC}
		s, _ := rep.Stream(key)
		// Numbers 0 … lastNumber were given to Deliver and accepted but for
		// the refused ones; number lastNumber+1 may have been accepted
		// without its line reaching us.
		got := s.Unique
		extra := uint64(0)
		if int(s.Next) > run.lastNumber+1 {
			extra = 1 // lastNumber+1 arrived: accepted, not lost
		}
		acc := uint64(run.accepted)
		lossLow := acc - min(acc, got-extra) // among the records we know were accepted
		lossHigh := lossLow
		if extra == 0 {
			lossHigh++ // lastNumber+1 may have been accepted and lost
		}
		if lossHigh < run.bound.Min || lossLow > run.bound.Max {
			t.Errorf("run %d (stalled %v): %d accepted, %d received: %d–%d lost, outside the reported bound [%d, %d]",
				i, run.stalled, acc, got-extra, lossLow, lossHigh, run.bound.Min, run.bound.Max)
		}
		if run.syncs && run.refused == 0 && lossLow > uint64(run.lastNumber-run.lastSynced) {
			t.Errorf("run %d: %d records lost, but only the %d after the last Sync could be", i, lossLow, run.lastNumber-run.lastSynced)
		}
		if run.bound.Max > acc+1 {
			t.Errorf("run %d: a bound of %d records lost of %d accepted", i, run.bound.Max, acc)
		}
		if lossLow > 0 {
			withLoss++
		}
		if lossLow > run.bound.Min {
			beyondMin++
		}
		if run.bound.Min > 0 {
			sure++
		}
		t.Logf("run %d (stalled %v, syncs %v): %d accepted, %d refused, lost %d (bound [%d, %d])",
			i, run.stalled, run.syncs, acc, run.refused, lossLow, run.bound.Min, run.bound.Max)
	}
	t.Logf("%d kills: %d lost records, %d with a certain loss, %d with a loss beyond it", len(runs), withLoss, sure, beyondMin)
	// Both sides of the bound were exercised: records lost for certain
	// (never written) and records lost in flight (written, not confirmed,
	// dropped with the stalled path).
	if sure == 0 || beyondMin == 0 {
		t.Errorf("the bound's sides were not both exercised: %d runs with a certain loss, %d with more", sure, beyondMin)
	}
}

type producer struct {
	cmd    *exec.Cmd
	stdout io.Reader
	errBuf *itest.SyncBuffer
}

func (p producer) stderr() string { return p.errBuf.String() }

func startProducer(t *testing.T, dir, addr string, cin uint32, final, syncs bool) producer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashLossWithinBound$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CCJKIT_HO_CRASH_DIR="+dir, "CCJKIT_HO_CRASH_ADDR="+addr,
		"CCJKIT_HO_CRASH_CIN="+strconv.Itoa(int(cin)), "CCJKIT_HO_CRASH_FINAL="+strconv.FormatBool(final), "CCJKIT_HO_CRASH_SYNC="+strconv.FormatBool(syncs))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var eb itest.SyncBuffer
	cmd.Stderr = &eb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return producer{cmd: cmd, stdout: out, errBuf: &eb}
}

// crashProducerMain is the producer: it reports the bound its handover
// found for the previous run, then delivers numbered records on its own
// CIN until killed, writing "a N" (unbuffered) after each accepted one;
// the final run only drains what earlier runs left, and exits.
func crashProducerMain(t *testing.T) {
	dir, addr := os.Getenv("CCJKIT_HO_CRASH_DIR"), os.Getenv("CCJKIT_HO_CRASH_ADDR")
	cin, _ := strconv.Atoi(os.Getenv("CCJKIT_HO_CRASH_CIN"))
	final := os.Getenv("CCJKIT_HO_CRASH_FINAL") == "true"
	syncs := os.Getenv("CCJKIT_HO_CRASH_SYNC") == "true"
	enc, err := etsi.NewEncoder(itest.Profile(30*time.Millisecond, 300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ho, err := handover.New(handover.Config{
		HI2: addr, HI3: addr, Encoder: enc, Clock: timesynctest.NewClock(t0), QueueBytes: 64 << 10,
		SpoolDir: dir, SpoolBytes: 256 << 20, SpoolSync: 20 * time.Millisecond,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, DrainTimeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	c := ho.Stats().HI3.Spool.Crash
	fmt.Printf("bound %v %d %d\n", c.Known, c.Min, c.Max)
	if final {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		for ho.Queued() > 0 && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		if err := ho.Close(); err != nil || ctx.Err() != nil {
			fmt.Fprintln(os.Stderr, "not drained:", err, ho.Stats())
			os.Exit(1)
		}
		fmt.Println("drained")
		os.Exit(0)
	}
	key := intercept.StreamKey{LIID: ccKey.LIID, CIN: intercept.CIN(cin), Stream: intercept.CC}
	se, err := enc.NewStream(key)
	if err != nil {
		t.Fatal(err)
	}
	pkt := itest.Packet(netip4(1), netip4(2), 200, 0)
	var buf []byte
	line := make([]byte, 0, 32)
	for n := 0; ; n++ {
		buf, err = se.AppendCC(buf[:0], &intercept.CCRecord{Seq: intercept.Seq(n), Time: t0, Packet: pkt})
		if err != nil {
			t.Fatal(err)
		}
		if err := ho.Deliver(key, intercept.Seq(n), buf); err != nil {
			if !errors.Is(err, handover.ErrQueueFull) {
				t.Fatal(err)
			}
			line = append(line[:0], "r "...)
		} else {
			line = append(line[:0], "a "...)
		}
		line = strconv.AppendInt(line, int64(n), 10)
		line = append(line, '\n')
		os.Stdout.Write(line)
		if n%64 == 63 {
			time.Sleep(time.Millisecond) // a capture's pace, not a flood
		}
		if syncs && n%256 == 255 {
			if err := ho.Sync(); err != nil {
				t.Fatal(err)
			}
			line = strconv.AppendInt(append(line[:0], "s "...), int64(n), 10)
			os.Stdout.Write(append(line, '\n'))
		}
	}
}
