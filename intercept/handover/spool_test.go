package handover_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// newSpoolRig makes a handover with a spool in dir to an address where
// nobody listens yet; startLEMF opens the receiver there.
func newSpoolRig(t *testing.T, dir string, queue int, spool int64) *rig {
	t.Helper()
	enc, err := etsi.NewEncoder(itest.Profile(30*time.Millisecond, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, enc: enc, clock: timesynctest.NewClock(t0), addr: ln.Addr().String()}
	ln.Close()
	r.se, err = enc.NewStream(ccKey)
	if err != nil {
		t.Fatal(err)
	}
	r.reopen(dir, queue, spool)
	return r
}

// reopen starts a new handover on dir, as a restarted process would.
func (r *rig) reopen(dir string, queue int, spool int64) {
	r.t.Helper()
	var err error
	r.ho, err = handover.New(handover.Config{
		HI2: r.addr, HI3: r.addr, Encoder: r.enc, Clock: r.clock, QueueBytes: queue,
		SpoolDir: dir, SpoolBytes: spool, SpoolSync: 20 * time.Millisecond,
		MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, DrainTimeout: 2 * time.Second,
	})
	if err != nil {
		r.t.Fatal(err)
	}
	ho := r.ho
	r.t.Cleanup(func() { ho.Close() })
}

// startLEMF opens the receiver at the rig's address, retrying while the
// port is in TIME_WAIT.
func (r *rig) startLEMF() {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.t.Context(), 5*time.Second)
	defer cancel()
	var err error
	for {
		r.lemf, err = lemf.Listen(ctx, "tcp", r.addr, lemf.Config{Encoder: r.enc, Clock: r.clock})
		if err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatal(err)
	}
	l := r.lemf
	r.t.Cleanup(func() { l.Close() })
}

// writtenOut waits until every byte the HI3 spool holds is in its segment
// files (SpoolSync wrote the stage out): what a crash of the process from
// then on would leave on disk.
func (r *rig) writtenOut(dir string) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var onDisk int64
		for _, seg := range segments(r.t, dir) {
			if fi, err := os.Stat(seg); err == nil {
				onDisk += fi.Size()
			}
		}
		st := r.ho.Stats().HI3.Spool
		if uint64(onDisk) == st.Bytes {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the spool holds %d bytes, %d of them in its files after 20 s", st.Bytes, onDisk)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func segments(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "HI3", "*.spool"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// An outage many times the memory queue loses nothing: the overflow goes
// to disk and arrives, in order, once the receiver is back; then the
// spool empties.
func TestSpoolCarriesAnOutage(t *testing.T) {
	dir := t.TempDir()
	r := newSpoolRig(t, dir, 64<<10, 8<<20)
	if refused := r.send(6000, 300); refused != 0 { // about 2.4 MB: 37 times the memory queue
		t.Fatalf("%d records refused with room in the spool", refused)
	}
	r.writtenOut(dir)
	st := r.ho.Stats().HI3
	if st.Spool.Records == 0 || st.Spool.Bytes < 2<<20 || st.QueuedBytes > 64<<10 || len(segments(t, dir)) == 0 {
		t.Fatalf("the overflow did not go to disk: %s", st)
	}
	r.startLEMF()
	s, _ := r.wait()
	if s.Gaps != 0 || s.Unique != uint64(r.next) || s.Next != r.next {
		t.Errorf("stream report = %+v, want %d records and no gap", s, r.next)
	}
	if err := r.ho.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	st = r.ho.Stats().HI3
	if st.Spool.Bytes != 0 || len(segments(t, dir)) != 0 {
		t.Errorf("the spool kept what the receiver confirmed: %s %v", st, segments(t, dir))
	}
}

// When the spool is full too, records are refused, each a gap the
// receiver sees, and what was accepted stays one unbroken run.
func TestSpoolQuotaRefuses(t *testing.T) {
	dir := t.TempDir()
	r := newSpoolRig(t, dir, 64<<10, 1<<20)
	refused := r.send(6000, 300)
	if refused == 0 {
		t.Fatal("nothing refused past memory and spool")
	}
	st := r.ho.Stats().HI3
	if st.Spool.Bytes > st.Spool.Quota || st.Refused != uint64(refused) {
		t.Fatalf("quota broken or refusals miscounted: %s (refused %d)", st, refused)
	}
	r.startLEMF()
	s, gaps := r.wait()
	if s.Gaps != uint64(gaps) || s.Unique+s.Gaps != uint64(r.next) || len(s.GapStarts) != 1 {
		t.Errorf("stream report = %+v; the pipeline counted %d gaps in %d numbers", s, gaps, r.next)
	}
	if err := r.ho.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// What is unconfirmed at Close stays in the spool, and the next handover
// on the directory sends it before anything new.
func TestSpoolKeepsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	r := newSpoolRig(t, dir, 64<<10, 8<<20)
	r.send(3000, 300) // memory queue and spool
	if err := r.ho.Close(); err != nil {
		t.Fatalf("Close with a spool = %v, want nil: nothing is lost", err)
	}
	kept := r.ho.Stats().HI3.Spool.Bytes
	if kept < 3000*300 {
		t.Fatalf("the spool kept %d bytes of about %d", kept, 3000*330)
	}
	r.reopen(dir, 64<<10, 8<<20)
	if st := r.ho.Stats().HI3.Spool; st.Recovered != kept || st.Damaged != 0 {
		t.Fatalf("recovered %+v, want %d bytes", st, kept)
	}
	r.send(1000, 300)
	r.startLEMF()
	s, _ := r.wait()
	if s.Gaps != 0 || s.Unique != uint64(r.next) {
		t.Errorf("stream report = %+v, want %d records and no gap", s, r.next)
	}
	if err := r.ho.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if !strings.Contains(r.ho.Stats().String(), "left by the previous run") {
		t.Errorf("the status does not say records came from the previous run:\n%s", r.ho.Stats())
	}
}

// A record torn by a crash at the end of a segment is cut off and counted
// as damaged; everything before it arrives.
func TestSpoolCutsATornRecord(t *testing.T) {
	dir := t.TempDir()
	r := newSpoolRig(t, dir, 64<<10, 8<<20)
	r.send(500, 300)
	if err := r.ho.Close(); err != nil {
		t.Fatal(err)
	}
	segs := segments(t, dir)
	last := segs[len(segs)-1]
	f, err := os.OpenFile(last, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(r.buf[:50]) // the start of a record, no more
	f.Close()
	r.reopen(dir, 64<<10, 8<<20)
	st := r.ho.Stats()
	if st.HI3.Spool.Damaged != 50 || !strings.Contains(st.String(), "DAMAGED") {
		t.Fatalf("damaged = %d, want 50\n%s", st.HI3.Spool.Damaged, st)
	}
	r.startLEMF()
	s, _ := r.wait()
	if s.Gaps != 0 || s.Unique != uint64(r.next) {
		t.Errorf("stream report = %+v, want %d records and no gap", s, r.next)
	}
}

func TestSpoolRefusals(t *testing.T) {
	enc, _ := etsi.NewEncoder(itest.Profile(time.Second, time.Second))
	cfg := func(dir string) handover.Config {
		return handover.Config{HI2: "127.0.0.1:1", HI3: "127.0.0.1:1", Encoder: enc, Clock: timesynctest.NewClock(t0), SpoolDir: dir}
	}
	t.Run("in use", func(t *testing.T) {
		dir := t.TempDir()
		first, err := handover.New(cfg(dir))
		if err != nil {
			t.Fatal(err)
		}
		defer first.Close()
		if _, err := handover.New(cfg(dir)); !errors.Is(err, handover.ErrSpool) {
			t.Errorf("a second handover on the directory: %v, want ErrSpool", err)
		}
	})
	t.Run("not a segment", func(t *testing.T) {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "HI2"), 0o700)
		os.WriteFile(filepath.Join(dir, "HI2", "notes.spool"), []byte("x"), 0o600)
		_, err := handover.New(cfg(dir))
		if !errors.Is(err, handover.ErrSpool) || !strings.Contains(err.Error(), "notes.spool") {
			t.Errorf("New = %v, want ErrSpool naming the file", err)
		}
		// The failed New released its locks: a corrected directory opens.
		os.Remove(filepath.Join(dir, "HI2", "notes.spool"))
		ho, err := handover.New(cfg(dir))
		if err != nil {
			t.Fatalf("after the fix: %v", err)
		}
		ho.Close()
	})
	t.Run("spool smaller than memory", func(t *testing.T) {
		c := cfg(t.TempDir())
		c.SpoolBytes = 1 << 20
		c.QueueBytes = 2 << 20
		if _, err := handover.New(c); !errors.Is(err, handover.ErrConfig) {
			t.Errorf("New = %v, want ErrConfig", err)
		}
	})
}

// A process that dies without Close (os.Exit, as kill -9 would) loses
// what was in memory only; what it had spooled and SpoolSync had written
// out arrives after the restart as one unbroken run up to its last
// accepted record.
func TestSpoolSurvivesACrash(t *testing.T) {
	if dir := os.Getenv("CCJKIT_SPOOL_CRASH_DIR"); dir != "" {
		crashingProducer(t, dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSpoolSurvivesACrash$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CCJKIT_SPOOL_CRASH_DIR="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("the producer did not crash as planned: %v\n%s", err, out.String())
	}
	var sent int
	if _, err := fmt.Sscanf(out.String()[strings.Index(out.String(), "accepted "):], "accepted %d", &sent); err != nil {
		t.Fatalf("the producer's report: %v\n%s", err, out.String())
	}

	r := newSpoolRig(t, dir, 64<<10, 8<<20)
	r.next = 0
	st := r.ho.Stats().HI3.Spool
	if st.Recovered == 0 {
		t.Fatalf("nothing recovered: %+v", st)
	}
	r.startLEMF()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	rep, err := r.lemf.WaitFor(ctx, func(rep lemf.Report) bool {
		s, ok := rep.Stream(ccKey)
		return ok && int(s.Next) == sent
	})
	if err != nil {
		t.Fatalf("the spooled records did not arrive: %v\n%s", err, rep)
	}
	s, _ := rep.Stream(ccKey)
	// The memory queue's records died with the process: one gap at the
	// start, none after.
	if len(s.GapStarts) > 1 || (len(s.GapStarts) == 1 && s.GapStarts[0] != 0) || s.Unique+s.Gaps != uint64(sent) {
		t.Errorf("stream report = %+v, want an unbroken run up to %d", s, sent)
	}
	t.Logf("recovered %d bytes, %d of %d records", st.Recovered, s.Unique, sent)
}

// crashingProducer spools records to a receiver that never answers, then
// exits without Close.
func crashingProducer(t *testing.T, dir string) {
	r := newSpoolRig(t, dir, 64<<10, 8<<20)
	r.send(3000, 300)
	r.writtenOut(dir)
	fmt.Println("accepted " + strconv.Itoa(int(r.next)))
	os.Exit(3)
}
