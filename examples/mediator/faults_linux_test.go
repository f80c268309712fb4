package main

import (
	"net"
	"net/netip"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
)

// printed is how many records the LEMF printed.
func printed(p *proc) int {
	n := 0
	for _, seqs := range records(p.stdout.String()) {
		n += len(seqs)
	}
	return n
}

// neStat returns a counter of the NE's line in the last statistics the
// mediator printed ("received", "delivered", "duplicate(s)", "skipped").
func neStat(t *testing.T, out, ne, what string) int {
	t.Helper()
	lines := regexp.MustCompile(`(?m)^  NE "`+regexp.QuoteMeta(ne)+`": .*$`).FindAllString(out, -1)
	if len(lines) == 0 {
		return -1
	}
	m := regexp.MustCompile(`(\d+) (?:PDU\(s\) )?` + regexp.QuoteMeta(what)).FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// traffic sends a datagram on conn every millisecond until the function
// it returns is called, which returns how many were sent (0 when called
// again).
func traffic(conn *net.UDPConn) func() int {
	stop, sent := make(chan struct{}), make(chan int, 1)
	go func() {
		n := 0
		defer func() { sent <- n }()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if _, err := conn.Write([]byte("a datagram of the target's")); err == nil {
					n++
				}
			}
		}
	}()
	var once sync.Once
	return func() (n int) {
		once.Do(func() {
			close(stop)
			n = <-sent
		})
		return n
	}
}

// TestFaults: a point of interception (examples/tap capturing live in a
// network namespace, its spool and sequence state in -spool) is killed
// with SIGKILL mid-task while a target's traffic flows, and restarted on
// its spool; then the mediator is restarted. At the LEMF:
//
//   - what the NE delivered before the crash arrives once (no duplicate);
//   - the crash's loss is a gap the LEMF sees — the NE continues past its
//     reserved numbers — and the mediator counts the numbers skipped, the
//     same as the LEMF's gap: an upper bound of the loss, never silent;
//   - after the mediator's restart its numbering starts at 0 again,
//     unannounced (it keeps no state): the LEMF sees it as numbers it had
//     already (duplicates), and the mediator warns of it when it starts.
func TestFaults(t *testing.T) {
	nes := neNetwork(t, 1)
	ne := nes[0]
	sh(t, "ip", "-n", ne.ns.Name, "addr", "add", ne.target.String()+"/29", "dev", "eth0")
	// A socket for the target's traffic in the namespace, never read: the
	// datagrams arrive (and are captured), and no ICMP comes back.
	var sink *net.UDPConn
	if err := ne.ns.Do(func() (err error) {
		sink, err = net.ListenUDP("udp", &net.UDPAddr{IP: net.IP(ne.target.AsSlice()), Port: 9999})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	tapBin, mfBin, lemfBin := buildAll(t)
	p := newPKI(t)
	mfCert, mfKey := tlstest.WritePair(t, p.ca.Server(t, "mf.test", net.IP(ne.host.AsSlice())), p.dir, "mf-netns")
	neCert, neKey := tlstest.WritePair(t, p.ca.Server(t, ne.name, net.IP(ne.addr.AsSlice())), p.dir, ne.name)
	spool := filepath.Join(t.TempDir(), "spool")

	lemfP := launch(t, "the LEMF", exec.Command(lemfBin, "-listen", "127.0.0.1:0"))
	lemfAddr := lemfP.line(t, `^lemf: listening on (\S+)$`)
	mfArgs := func(listen, x1Listen string) []string {
		return []string{"-listen", listen, "-cert", mfCert, "-key", mfKey, "-ne-ca", p.caFile,
			"-x1-listen", x1Listen, "-x1-ca", p.admfCAFile, "-lemf", lemfAddr}
	}
	mf := launch(t, "the mediator", exec.Command(mfBin, mfArgs(ne.host.String()+":0", "127.0.0.1:0")...))
	x2x3Addr := mf.line(t, `^X2/X3 from the NEs on (\S+)$`)
	mfX1 := mf.line(t, `^X1 from the ADMF on (\S+)$`)
	if !strings.Contains(mf.stderr.String(), "start again from 0") {
		t.Errorf("the mediator does not warn that it numbers from 0:\n%s", mf.stderr.String())
	}

	client := func(addr, ne string) *x1.Client { return p.admf(t, addr, ne) }
	liid := intercept.MustParseLIID("BE-FAULTS-1")
	xid, _ := x1.NewUUID(nil)
	did, _ := x1.NewUUID(nil)
	targets := []intercept.Target{intercept.AddressTarget(netip.PrefixFrom(ne.target, 32))}
	now := time.Now().Truncate(time.Second)
	taskMF := func() {
		t.Helper()
		if err := client(mfX1, "mediator").ActivateTask(t.Context(), x1.TaskDetails{XID: xid, Targets: targets, Delivery: intercept.IRIAndCC,
			Mediation: []x1.MediationDetails{{LIID: liid, Delivery: intercept.IRIAndCC, Start: now.Add(-time.Minute), End: now.Add(time.Hour)}}}); err != nil {
			t.Fatal(err)
		}
	}
	taskMF()
	startNE := func() *proc {
		t.Helper()
		tp := launch(t, ne.name, ne.ns.Command(tapBin, "-iface", "eth0", "-for", "10m", "-x1-listen", ne.addr.String()+":0",
			"-x1-cert", neCert, "-x1-key", neKey, "-x1-ca", p.admfCAFile, "-x1-ne", ne.name,
			"-mf", x2x3Addr, "-mf-ca", p.caFile, "-spool", spool))
		c := client(tp.line(t, `X1 NE server on (\S+)`), ne.name)
		if err := c.CreateDestination(t.Context(), x1.DestinationDetails{DID: did, Delivery: intercept.IRIAndCC,
			Address: netip.MustParseAddrPort(x2x3Addr)}); err != nil {
			t.Fatal(err)
		}
		if err := c.ActivateTask(t.Context(), x1.TaskDetails{XID: xid, Targets: targets, Delivery: intercept.IRIAndCC, DIDs: []x1.UUID{did}}); err != nil {
			t.Fatal(err)
		}
		return tp
	}

	// The target's traffic: a datagram every millisecond from the host.
	conn, err := net.DialUDP("udp", nil, &net.UDPAddr{IP: net.IP(ne.target.AsSlice()), Port: 9999})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stopTraffic := traffic(conn)
	defer stopTraffic()

	// The crash.
	tap := startNE()
	itest.WaitFor(t, "300 records at the LEMF", func() bool { return printed(lemfP) >= 300 })
	tap.cmd.Process.Signal(syscall.SIGKILL)
	tap.wait(t)
	atKill := printed(lemfP)
	tap = startNE()
	if !strings.Contains(tap.stdout.String(), "sequence state of an earlier run found") {
		t.Errorf("the restarted NE does not say it continues its numbering:\n%s", tap.stdout.String())
	}
	itest.WaitFor(t, "300 records more at the LEMF", func() bool { return printed(lemfP) >= atKill+300 })
	datagrams := stopTraffic()
	tap.cmd.Process.Signal(syscall.SIGINT) // a clean stop: its handover drains
	if code := tap.wait(t); code != 0 {
		t.Fatalf("the restarted NE: exit %d\n%s\n%s", code, tap.stdout.String(), tap.stderr.String())
	}
	mf.cmd.Process.Signal(syscall.SIGUSR1)
	itest.WaitFor(t, "the mediator's statistics", func() bool { return neStat(t, mf.stdout.String(), ne.name, "delivered") >= 0 })
	delivered := neStat(t, mf.stdout.String(), ne.name, "delivered")
	itest.WaitFor(t, "the LEMF to have what the mediator delivered", func() bool { return printed(lemfP) >= delivered })
	got := records(lemfP.stdout.String())
	if len(got) != 1 {
		t.Fatalf("%d streams at the LEMF, want the target's one: %v", len(got), got)
	}
	var seqs []int
	for _, s := range got {
		seqs = s
	}
	gaps, lemfGap := 0, 0
	for i := 1; i < len(seqs); i++ {
		switch d := seqs[i] - seqs[i-1]; {
		case d <= 0:
			t.Fatalf("number %d after %d: a record twice or out of order", seqs[i], seqs[i-1])
		case d > 1:
			gaps++
			lemfGap += d - 1
		}
	}
	skipped := neStat(t, mf.stdout.String(), ne.name, "number(s) skipped")
	t.Logf("%d datagrams sent; the LEMF got %d records numbered 0 to %d, %d missing in %d gap(s); the mediator: %d delivered, %d skipped, %d duplicate(s)",
		datagrams, len(seqs), seqs[len(seqs)-1], lemfGap, gaps, delivered, skipped, neStat(t, mf.stdout.String(), ne.name, "duplicate(s)"))
	if seqs[0] != 0 || len(seqs) != delivered {
		t.Errorf("the LEMF got %d records from %d, the mediator delivered %d", len(seqs), seqs[0], delivered)
	}
	if gaps != 1 || lemfGap == 0 || lemfGap != skipped || lemfGap > 1024+500 {
		t.Errorf("the crash shows as %d gap(s) of %d at the LEMF and %d skipped at the mediator; want one gap, counted, within a reservation", gaps, lemfGap, skipped)
	}
	// The restarted NE's handover bounds the crash's loss from its ledger:
	// what it lost for certain is missing at the LEMF (whose gap also
	// holds the reserved numbers never used).
	if m := regexp.MustCompile(`X3: the previous run crashed and lost between (\d+) and (\d+) accepted record`).FindStringSubmatch(tap.stdout.String()); m != nil {
		lo, _ := strconv.Atoi(m[1])
		hi, _ := strconv.Atoi(m[2])
		if lo > lemfGap || lo > hi {
			t.Errorf("the NE reports a loss of %d to %d records; the LEMF misses %d numbers", lo, hi, lemfGap)
		}
		t.Logf("the restarted NE: the crash lost %d to %d records", lo, hi)
	} else {
		t.Logf("the restarted NE reports no loss from its ledger:\n%s", tap.stdout.String())
	}

	// The mediator restarts (on the same addresses; the ADMF tasks it
	// again); the NE, restarted too, sends on, and the LEMF sees numbers
	// it had already.
	mf.cmd.Process.Signal(syscall.SIGTERM)
	if code := mf.wait(t); code != 0 {
		t.Fatalf("the mediator: exit %d\n%s", code, mf.stderr.String())
	}
	mf = launch(t, "the restarted mediator", exec.Command(mfBin, mfArgs(x2x3Addr, mfX1)...))
	mf.line(t, `^X1 from the ADMF on (\S+)$`)
	taskMF()
	before := printed(lemfP)
	stopTraffic = traffic(conn)
	tap = startNE()
	itest.WaitFor(t, "50 records more at the LEMF", func() bool { return printed(lemfP) >= before+50 })
	stopTraffic()
	tap.cmd.Process.Signal(syscall.SIGINT)
	tap.wait(t)
	lemfP.cmd.Process.Signal(syscall.SIGINT)
	lemfP.wait(t)
	report := lemfP.stdout.String()[strings.LastIndex(lemfP.stdout.String(), "conn "):]
	t.Logf("the LEMF's report:\n%s", report)
	m := regexp.MustCompile(`LIID ` + liid.String() + ` CIN \d+ CC: (\d+) record\(s\), (\d+) missing, (\d+) duplicate\(s\)`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no report of the stream:\n%s", report)
	}
	if dup, _ := strconv.Atoi(m[3]); dup == 0 {
		t.Errorf("after the mediator's restart the LEMF saw no number again: %s", m[0])
	}
	if missing, _ := strconv.Atoi(m[2]); missing != lemfGap {
		t.Errorf("the LEMF reports %s missing, want the crash's %d", m[2], lemfGap)
	}
	out := mf.stdout.String() + mf.stderr.String() + tap.stdout.String() + tap.stderr.String()
	for _, secret := range []string{ne.target.String(), liid.String()} {
		if strings.Contains(out, secret) {
			t.Errorf("a program printed %q", secret)
		}
	}
}
