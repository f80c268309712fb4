package pgjournal_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// buildChild builds testdata/pgchild once for the test, without -race
// whatever the test binary was built with (children of a -race binary
// start slowly).
func buildChild(t *testing.T) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build the child with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "pgchild")
	if out, err := exec.Command(gotool, "build", "-o", bin, "./testdata/pgchild").CombinedOutput(); err != nil {
		t.Fatalf("building the child: %v\n%s", err, out)
	}
	return bin
}

// child is a pgchild process under way.
type child struct {
	name string
	cmd  *exec.Cmd
	out  bytes.Buffer
	err  bytes.Buffer
}

// startChild starts bin (through prefix, e.g. ip netns exec, when given)
// appending n records from g goroutines to the journal at dsn.
func startChild(t *testing.T, bin, dsn, name string, n, g int, prefix ...string) *child {
	t.Helper()
	args := append(prefix, bin)
	c := &child{name: name, cmd: exec.Command(args[0], args[1:]...)}
	c.cmd.Env = append(os.Environ(), "PGCHILD_DSN="+dsn, "PGCHILD_NAME="+name, "PGCHILD_N="+strconv.Itoa(n), "PGCHILD_G="+strconv.Itoa(g))
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.err
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return c
}

// outcome is what the children printed: the records acknowledged, by
// payload, with the number each child was told, and the appends that
// failed.
type outcome struct {
	acked  map[string]uint64
	failed map[string]string
}

// wait waits for the children and reads what they printed.
func wait(t *testing.T, children ...*child) outcome {
	t.Helper()
	o := outcome{acked: map[string]uint64{}, failed: map[string]string{}}
	for _, c := range children {
		if err := c.cmd.Wait(); err != nil {
			t.Errorf("child %s: %v\n%s", c.name, err, c.err.String())
		}
		sc := bufio.NewScanner(&c.out)
		for sc.Scan() {
			f := strings.SplitN(sc.Text(), " ", 3)
			switch {
			case len(f) == 3 && f[0] == "ack":
				seq, err := strconv.ParseUint(f[1], 10, 64)
				if err != nil {
					t.Fatalf("child %s: %q", c.name, sc.Text())
				}
				o.acked[f[2]] = seq
			case len(f) == 3 && f[0] == "err":
				o.failed[f[1]] = f[2]
			default:
				t.Fatalf("child %s printed %q", c.name, sc.Text())
			}
		}
	}
	return o
}

// checkJournal reads the journal at dsn and checks it against what was
// acknowledged: one chain that verifies, every acknowledged record at the
// number its writer was told, no payload twice. It returns the records.
func checkJournal(t *testing.T, dsn string, acked map[string]uint64) []journal.Record {
	t.Helper()
	sum, err := pgjournal.Verify(context.Background(), dsn, journal.ScanOptions{})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	s, err := pgjournal.Open(context.Background(), dsn, pgjournal.Options{Clock: timesynctest.NewClock(t0)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs := s.Initial()
	if uint64(len(recs)) != sum.Records || recs[len(recs)-1].Hash != sum.Last {
		t.Fatalf("Open read %d records, Verify %d", len(recs), sum.Records)
	}
	seen := map[string]uint64{}
	for _, r := range recs[1:] {
		p := string(r.Payload)
		if _, twice := seen[p]; twice {
			t.Fatalf("%s is in the journal twice (records %d and %d)", p, seen[p], r.Seq)
		}
		seen[p] = r.Seq
	}
	for p, seq := range acked {
		if got, ok := seen[p]; !ok {
			t.Errorf("%s was acknowledged as record %d and is not in the journal", p, seq)
		} else if got != seq {
			t.Errorf("%s was acknowledged as record %d and is record %d", p, seq, got)
		}
	}
	return recs
}

// Several processes append at once, each from several goroutines, to one
// journal: one chain, every acknowledged append present once at the
// number its writer was told, Verify clean.
func TestProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test skipped in -short mode")
	}
	bin := buildChild(t)
	srv := pgtest.Start(t)
	dsn := journalDB(t, srv, "procs")
	const procs, each, goroutines = 6, 60, 4
	var children []*child
	for p := range procs {
		children = append(children, startChild(t, bin, dsn, fmt.Sprintf("p%d", p), each, goroutines))
	}
	o := wait(t, children...)
	if len(o.failed) > 0 || len(o.acked) != procs*each {
		t.Fatalf("%d acknowledged, %d failed (%v)", len(o.acked), len(o.failed), o.failed)
	}
	recs := checkJournal(t, dsn, o.acked)
	if len(recs) != 1+procs*each {
		t.Errorf("%d records, want %d and the header", len(recs), procs*each)
	}
	// Group commit: fewer writes than records, and writes of several.
	writes := 0
	for _, r := range recs[1:] {
		if r.Follows == 0 {
			writes++
		}
	}
	t.Logf("%d records in %d transactions", len(recs)-1, writes)
}
