package main

import (
	"bytes"
	"crypto/tls"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/timesync"
)

// pki is the test's certificates, as PEM files.
type pki struct {
	ca, admfCA         *tlstest.CA
	dir                string
	mfCert, mfKey      string
	caFile, admfCAFile string
}

func newPKI(t *testing.T) *pki {
	p := &pki{ca: tlstest.NewCA(t, "ccjkit test CA"), admfCA: tlstest.NewCA(t, "ccjkit test ADMF CA"), dir: t.TempDir()}
	p.mfCert, p.mfKey = tlstest.WritePair(t, p.ca.Server(t, "mf.test"), p.dir, "mf")
	p.caFile = p.ca.WriteCA(t, p.dir, "ca.crt")
	p.admfCAFile = p.admfCA.WriteCA(t, p.dir, "admf-ca.crt")
	return p
}

// admf returns an X1 client of the ADMF ("admf", certified by the ADMF's
// authority) to the NE named ne at addr, closed when the test ends.
func (p *pki) admf(t *testing.T, addr, ne string) *x1.Client {
	t.Helper()
	cfg, err := x1.ClientTLS(p.admfCA.Client(t, "admf"), p.ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x1.NewClient("https://"+addr, cfg, "admf", ne, timesync.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// build compiles the mediator into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the mediator with")
	}
	bin := filepath.Join(t.TempDir(), "mediator")
	if out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is the running mediator, its output collected.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr itest.SyncBuffer
	wg             sync.WaitGroup
}

func start(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...)}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.wg.Go(func() { io.Copy(&p.stdout, out) })
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

// addr waits for the line starting with prefix and returns the address
// that ends it.
func (p *process) addr(t *testing.T, prefix string) string {
	t.Helper()
	re := regexp.MustCompile("(?m)^" + regexp.QuoteMeta(prefix) + " (\\S+)$")
	var a string
	itest.WaitFor(t, "the mediator to say "+prefix, func() bool {
		m := re.FindStringSubmatch(p.stdout.String())
		if m != nil {
			a = m[1]
		}
		return m != nil || p.cmd.ProcessState != nil
	})
	if a == "" {
		t.Fatalf("no %q line:\n%s\n%s", prefix, p.stdout.String(), p.stderr.String())
	}
	return a
}

// stop ends the mediator with SIGTERM and returns its exit code.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.wg.Wait()
	p.cmd.Wait()
	return p.cmd.ProcessState.ExitCode()
}

// ne is a point of interception as a capture point would send: an X2/X3
// encoder over TLS.
type ne struct {
	t    *testing.T
	conn *tls.Conn
	se   map[intercept.Stream]*x2x3.StreamEncoder
	ka   uint32
	fr   *x2x3.Framer
}

func dialNE(t *testing.T, p *pki, addr string, task intercept.Task) *ne {
	t.Helper()
	cfg := &tls.Config{RootCAs: p.ca.Pool, MinVersion: tls.VersionTLS12,
		Certificates: []tls.Certificate{p.ca.Client(t, "router-1.ne.test")}}
	c, err := tls.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	iri, err := etsi.NewEncoder(rehearsal())
	if err != nil {
		t.Fatal(err)
	}
	enc, err := x2x3.NewEncoder([]intercept.Task{task}, iri)
	if err != nil {
		t.Fatal(err)
	}
	n := &ne{t: t, conn: c, se: map[intercept.Stream]*x2x3.StreamEncoder{}, fr: x2x3.NewFramer(c, 0)}
	for _, s := range []intercept.Stream{intercept.IRI, intercept.CC} {
		if n.se[s], err = enc.NewStream(intercept.StreamKey{LIID: task.LIID, CIN: 77, Stream: s}); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

var (
	target = netip.MustParseAddr("192.0.2.10")
	peer   = netip.MustParseAddr("198.51.100.7")
)

// send sends cc X3 and iri X2 PDUs numbered from seq, then a keep-alive,
// and waits for its answer: everything before it has been handled.
func (n *ne) send(seq, cc, iri int, at time.Time) {
	n.t.Helper()
	var b []byte
	var err error
	for i := range cc {
		pkt := itest.Packet(target, peer, 120, byte(i))
		b, err = n.se[intercept.CC].AppendCC(b, &intercept.CCRecord{Seq: intercept.Seq(seq + i), Time: at, Direction: intercept.FromTarget, Packet: pkt})
		if err != nil {
			n.t.Fatal(err)
		}
	}
	for i := range iri {
		b, err = n.se[intercept.IRI].AppendIRI(b, &intercept.IRIRecord{Seq: intercept.Seq(seq + i), Type: intercept.IRIContinue,
			Event: intercept.AccessEvent{Type: intercept.InterimUpdate, Time: at, SessionID: "s1", Username: "alice@example.net",
				Addresses: []netip.Prefix{netip.PrefixFrom(target, 32)}, Assignment: intercept.AssignmentDynamic, Start: at}})
		if err != nil {
			n.t.Fatal(err)
		}
	}
	n.ka++
	b = x2x3.AppendKeepAlive(b, n.ka)
	if _, err := n.conn.Write(b); err != nil {
		n.t.Fatal(err)
	}
	n.conn.SetReadDeadline(time.Now().Add(time.Minute))
	ack, err := n.fr.Next()
	if err != nil {
		n.t.Fatalf("no keep-alive answer: %v", err)
	}
	if p, err := x2x3.Decode(ack); err != nil || p.Type != x2x3.KeepAliveAck || p.Seq != n.ka {
		n.t.Fatalf("keep-alive answered with %v, %v", p, err)
	}
}

// TestX1TaskedMediator builds and runs the mediator: an ADMF activates a
// task on it over X1, an NE sends X2 and X3 over TLS, the test LEMF
// receives them on HI2 and HI3 numbered without a gap; the ADMF
// deactivates the task, and the NE's further records are refused and
// counted, shown on SIGUSR1 and at exit; nothing printed names the
// target.
func TestX1TaskedMediator(t *testing.T) {
	bin := build(t)
	p := newPKI(t)
	enc, _ := etsi.NewEncoder(rehearsal())
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	mf := start(t, bin, "-listen", "127.0.0.1:0", "-cert", p.mfCert, "-key", p.mfKey, "-ne-ca", p.caFile,
		"-x1-listen", "127.0.0.1:0", "-x1-ca", p.admfCAFile, "-lemf", rx.Addr().String())
	x2x3Addr := mf.addr(t, "X2/X3 from the NEs on")
	x1Addr := mf.addr(t, "X1 from the ADMF on")

	admf := p.admf(t, x1Addr, "mediator")
	now := time.Now().UTC().Truncate(time.Second)
	liid := intercept.MustParseLIID("BE-DEMO-9")
	xid, _ := x1.NewUUID(nil)
	td := x1.TaskDetails{XID: xid, Targets: []intercept.Target{intercept.AddressTarget(netip.PrefixFrom(target, 32))},
		Delivery:  intercept.IRIAndCC,
		Mediation: []x1.MediationDetails{{LIID: liid, Delivery: intercept.IRIAndCC, Start: now.Add(-time.Minute), End: now.Add(time.Hour)}}}
	if err := admf.ActivateTask(t.Context(), td); err != nil {
		t.Fatal(err)
	}
	if got, err := admf.GetTaskDetails(t.Context(), xid); err != nil || got.Task.Mediation[0].LIID != liid {
		t.Fatalf("GetTaskDetails: %+v, %v", got, err)
	}

	// The NE's own task: it knows the XID, not the agency's LIID.
	neTask := intercept.Task{ID: [16]byte(xid), LIID: intercept.MustParseLIID("ne-local"), Targets: td.Targets,
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Hour), Delivery: intercept.IRIAndCC, Agency: "mf"}
	n := dialNE(t, p, x2x3Addr, neTask)
	n.send(0, 30, 5, time.Now())
	n.send(30, 20, 0, time.Now())
	itest.WaitFor(t, "the LEMF to have 50 CC and 5 IRI records", func() bool {
		cc, iri := count(rx.Report(), liid)
		return cc == 50 && iri == 5
	})
	for _, s := range rx.Report().Streams {
		if s.Key.LIID != liid || s.Gaps != 0 || s.Duplicates != 0 || uint64(s.Next) != s.Unique {
			t.Errorf("stream %+v", s)
		}
	}

	if err := admf.DeactivateTask(t.Context(), xid); err != nil {
		t.Fatal(err)
	}
	n.send(50, 7, 2, time.Now())
	mf.cmd.Process.Signal(syscall.SIGUSR1)
	itest.WaitFor(t, "statistics on SIGUSR1", func() bool { return strings.Contains(mf.stdout.String(), "ended-task 9") })
	if !strings.Contains(mf.stdout.String(), `NE "router-1.ne.test": 1 connection(s) (1 open, 0 fault(s)); 64 PDU(s) received, 55 delivered, 0 duplicate(s), 9 refused (ended-task 9)`) {
		t.Errorf("SIGUSR1 statistics:\n%s", mf.stdout.String())
	}
	if code := mf.stop(t); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, mf.stdout.String(), mf.stderr.String())
	}
	if cc, iri := count(rx.Report(), liid); cc != 50 || iri != 5 {
		t.Errorf("after deactivation the LEMF has %d CC and %d IRI records", cc, iri)
	}
	out := mf.stdout.String() + mf.stderr.String()
	t.Logf("the mediator's output:\n%s", out)
	if n := strings.Count(out, "ended-task 9"); n != 2 {
		t.Errorf("statistics printed %d times, want on SIGUSR1 and at exit:\n%s", n, out)
	}
	for _, secret := range []string{target.String(), "alice", "BE-DEMO-9"} {
		if strings.Contains(out, secret) {
			t.Errorf("the mediator printed %q:\n%s", secret, out)
		}
	}
}

// count returns the unique CC and IRI records the receiver got for liid.
func count(r lemf.Report, liid intercept.LIID) (cc, iri int) {
	for _, s := range r.Streams {
		if s.Key.LIID != liid {
			continue
		}
		if s.Key.Stream == intercept.CC {
			cc += int(s.Unique)
		} else {
			iri += int(s.Unique)
		}
	}
	return cc, iri
}

// TestStaticTasks: -tasks reads a static table, strictly; its problems
// never quote a value.
func TestStaticTasks(t *testing.T) {
	dir := t.TempDir()
	good := `{"tasks": [{"xid": "2b0d7b3e-8f5a-4c1e-9d2a-6e4f1a0b3c5d", "liid": "BE-DEMO-1", "delivery": "IRIAndCC",
	  "start": "2026-11-23T14:00:00+01:00", "end": "2026-11-24T00:00:00+01:00", "targets": ["192.0.2.10/32"], "usernames": []}]}`
	path := filepath.Join(dir, "tasks.json")
	os.WriteFile(path, []byte(good), 0o600)
	clock := timesync.ClockFunc(func() time.Time { return time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC) })
	table := mediation.NewTable(clock)
	if n, err := loadTasks(path, table); err != nil || n != 1 {
		t.Fatalf("%d, %v", n, err)
	}
	if _, st := table.Lookup(x1.MustParseUUID("2b0d7b3e-8f5a-4c1e-9d2a-6e4f1a0b3c5d")); st.String() != "active" {
		t.Errorf("status %v", st)
	}
	bad := strings.Replace(good, `"usernames": []`, `"usernames": [], "secret": "192.0.2.99"`, 1)
	os.WriteFile(path, []byte(bad), 0o600)
	if _, err := loadTasks(path, mediation.NewTable(clock)); err == nil || strings.Contains(err.Error(), "192.0.2.99") {
		t.Errorf("unknown field: %v", err)
	}
	bad = strings.Replace(good, "IRIAndCC", "Everything", 1)
	os.WriteFile(path, []byte(bad), 0o600)
	if _, err := loadTasks(path, mediation.NewTable(clock)); err == nil || !strings.Contains(err.Error(), "delivery") {
		t.Errorf("bad delivery: %v", err)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"-cert", "c", "-key", "k", "-ne-ca", "a"},
		{"-cert", "c", "-key", "k", "-ne-ca", "a", "-x1-listen", ":0"},
		{"-cert", "c", "-key", "k", "-ne-ca", "a", "-tasks", "t", "-lemf-cert", "x"},
	} {
		var out, errOut bytes.Buffer
		if code := run(t.Context(), args, &out, &errOut, nil); code != 2 {
			t.Errorf("%q: exit %d, %s", args, code, errOut.String())
		}
	}
}
