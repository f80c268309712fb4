package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
)

// buildAll compiles the tap, the mediator and the test LEMF into one
// temporary directory, in one go build.
func buildAll(t *testing.T) (tap, mediator, lemf string) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the programs with")
	}
	dir := t.TempDir()
	if out, err := exec.Command(gobin, "build", "-o", dir, "../tap", "../lemf", ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "tap"), filepath.Join(dir, "mediator"), filepath.Join(dir, "lemf")
}

// proc is a program the test runs, its output collected.
type proc struct {
	name           string
	cmd            *exec.Cmd
	stdout, stderr itest.SyncBuffer
	wg             sync.WaitGroup
	done           chan struct{}
	err            error
}

// launch starts cmd; it is killed when the test ends if still running.
func launch(t *testing.T, name string, cmd *exec.Cmd) *proc {
	t.Helper()
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errp, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.wg.Go(func() { io.Copy(&p.stdout, out) })
	p.wg.Go(func() { io.Copy(&p.stderr, errp) })
	go func() {
		p.wg.Wait()
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the program to end and returns its exit code.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	itest.WaitFor(t, p.name+" to end", p.exited)
	return p.cmd.ProcessState.ExitCode()
}

// line waits for a line of stdout or stderr matching re (one group) and
// returns the group.
func (p *proc) line(t *testing.T, re string) string {
	t.Helper()
	rx := regexp.MustCompile("(?m)" + re)
	var got string
	itest.WaitFor(t, p.name+" to print "+re, func() bool {
		if m := rx.FindStringSubmatch(p.stdout.String() + p.stderr.String()); m != nil {
			got = m[1]
			return true
		}
		return p.exited()
	})
	if got == "" {
		t.Fatalf("%s ended without printing %s:\n%s\n%s", p.name, re, p.stdout.String(), p.stderr.String())
	}
	return got
}

// sh runs a command that sets up the network, failing the test if it
// fails.
func sh(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// neHost is a point of interception in a network namespace of its own,
// joined to the host by a veth pair: the host's end holds host, the
// namespace's addr, whose default route is the host. target is a third
// address of the pair's /29, which a test may give the namespace for a
// target's traffic to pass the NE.
type neHost struct {
	ns                 itest.Netns
	name               string // its certificate's name
	host, addr, target netip.Addr
}

// neNetwork makes n namespaces, each joined to the host by a veth pair
// in a /29 of 198.19.0.0/16 (RFC 2544's benchmarking block) whose third
// octet is drawn at random, with interface names unique to the run; the
// namespaces (and with them the pairs) are deleted when the test ends,
// however it ends. It skips without root or ip (fails under CI).
func neNetwork(t *testing.T, n int) []neHost {
	t.Helper()
	nss := itest.Namespaces(t, n)
	var b [1]byte
	rand.Read(b[:])
	tag := strings.ToLower(rand.Text()[:6])
	out := make([]neHost, n)
	for i, ns := range nss {
		hostIf := fmt.Sprintf("cj%sh%d", tag, i)
		e := neHost{ns: ns, name: fmt.Sprintf("ne-%d.test", i),
			host:   netip.AddrFrom4([4]byte{198, 19, b[0], byte(8*i + 1)}),
			addr:   netip.AddrFrom4([4]byte{198, 19, b[0], byte(8*i + 2)}),
			target: netip.AddrFrom4([4]byte{198, 19, b[0], byte(8*i + 3)})}
		sh(t, "ip", "link", "add", hostIf, "type", "veth", "peer", "name", "eth0", "netns", ns.Name)
		t.Cleanup(func() { exec.Command("ip", "link", "del", hostIf).Run() })
		sh(t, "ip", "addr", "add", e.host.String()+"/29", "dev", hostIf)
		sh(t, "ip", "link", "set", hostIf, "up")
		sh(t, "ip", "-n", ns.Name, "addr", "add", e.addr.String()+"/29", "dev", "eth0")
		sh(t, "ip", "-n", ns.Name, "link", "set", "eth0", "up")
		sh(t, "ip", "-n", ns.Name, "route", "add", "default", "via", e.host.String())
		out[i] = e
	}
	return out
}

// splitSample writes the tap's sample capture as len(bounds)-1 pcap
// files in dir, file k holding frames bounds[k] to bounds[k+1]-1: one
// target's traffic split across the NEs, in unequal shares.
func splitSample(t *testing.T, dir string, bounds []int) []string {
	t.Helper()
	var sample bytes.Buffer
	if err := itest.WriteSample(&sample); err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewNgReader(&sample, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	var w *pcapgo.Writer
	var f *os.File
	for i := 0; ; i++ {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if k := len(paths); k < len(bounds)-1 && i == bounds[k] {
			if f != nil {
				f.Close()
			}
			paths = append(paths, filepath.Join(dir, fmt.Sprintf("ne-%d.pcap", k)))
			if f, err = os.Create(paths[k]); err != nil {
				t.Fatal(err)
			}
			w = pcapgo.NewWriterNanos(f)
			if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return paths
}

// records is what the LEMF printed: the numbers received per stream
// (LIID, CIN, stream).
func records(out string) map[string][]int {
	got := map[string][]int{}
	rx := regexp.MustCompile(`(?m)LIID (\S+) CIN (\d+) seq (\d+)  (CC|IRI)`)
	for _, m := range rx.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[3])
		key := m[1] + " CIN " + m[2] + " " + m[4]
		got[key] = append(got[key], n)
	}
	return got
}

// TestNEsInNamespaces: four points of interception, each examples/tap as
// an NE in a network namespace of its own, joined to the host by a veth
// pair, replaying its share of one target's traffic (the sample split
// 4/8/12/16); one ADMF — the test — tasks all four over X1 across the
// veth links and the mediator on the host's loopback; the NEs send X2/X3
// over mutual TLS across the veth links to the mediator, whose handover
// goes to examples/lemf. Every record arrives once, numbered per stream
// from 0 without a gap, under the ADMF's LIID; the mediator's per-NE
// statistics show each NE's share.
func TestNEsInNamespaces(t *testing.T) {
	nes := neNetwork(t, 4)
	tapBin, mfBin, lemfBin := buildAll(t)
	p := newPKI(t)
	mfAddr := nes[0].host // the MF listens on the host's end of the first pair; every NE routes to it
	mfCert, mfKey := tlstest.WritePair(t, p.ca.Server(t, "mf.test", net.IP(mfAddr.AsSlice())), p.dir, "mf-netns")
	shares := []int{4, 8, 12, 16}
	files := splitSample(t, p.dir, []int{0, 10, 30, 60, 100})

	lemfP := launch(t, "the LEMF", exec.Command(lemfBin, "-listen", "127.0.0.1:0"))
	lemfAddr := lemfP.line(t, `^lemf: listening on (\S+)$`)
	mf := launch(t, "the mediator", exec.Command(mfBin, "-listen", mfAddr.String()+":0", "-cert", mfCert, "-key", mfKey,
		"-ne-ca", p.caFile, "-x1-listen", "127.0.0.1:0", "-x1-ca", p.admfCAFile, "-lemf", lemfAddr))
	x2x3Addr := mf.line(t, `^X2/X3 from the NEs on (\S+)$`)
	mfX1 := mf.line(t, `^X1 from the ADMF on (\S+)$`)

	client := func(addr, ne string) *x1.Client { return p.admf(t, addr, ne) }
	liid := intercept.MustParseLIID("BE-NETNS-1")
	xid, _ := x1.NewUUID(nil)
	targets := []intercept.Target{
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget4, 32)),
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget6, 128)),
	}
	// The MF's window covers the capture's time (its records' own) and
	// now (its clock's).
	if err := client(mfX1, "mediator").ActivateTask(t.Context(), x1.TaskDetails{XID: xid, Targets: targets, Delivery: intercept.IRIAndCC,
		Mediation: []x1.MediationDetails{{LIID: liid, Delivery: intercept.IRIAndCC,
			Start: itest.SampleStart.Add(-time.Hour), End: time.Now().Add(time.Hour).Truncate(time.Second)}}}); err != nil {
		t.Fatal(err)
	}

	// Each NE in its namespace; the ADMF reaches its X1 server across
	// the veth link, gives it the MF as destination, and activates.
	taps := make([]*proc, len(nes))
	for i, ne := range nes {
		cert, key := tlstest.WritePair(t, p.ca.Server(t, ne.name, net.IP(ne.addr.AsSlice())), p.dir, ne.name)
		taps[i] = launch(t, ne.name, ne.ns.Command(tapBin, "-x1-listen", ne.addr.String()+":0", "-x1-cert", cert, "-x1-key", key,
			"-x1-ca", p.admfCAFile, "-x1-ne", ne.name, "-mf", x2x3Addr, "-mf-ca", p.caFile, "-file", files[i]))
	}
	did, _ := x1.NewUUID(nil)
	for i, ne := range nes {
		c := client(taps[i].line(t, `X1 NE server on (\S+)`), ne.name)
		if err := c.CreateDestination(t.Context(), x1.DestinationDetails{DID: did, Delivery: intercept.IRIAndCC,
			Address: netip.MustParseAddrPort(x2x3Addr)}); err != nil {
			t.Fatal(err)
		}
		if err := c.ActivateTask(t.Context(), x1.TaskDetails{XID: xid, Targets: targets, Delivery: intercept.IRIAndCC, DIDs: []x1.UUID{did}}); err != nil {
			t.Fatal(err)
		}
	}
	for i, tp := range taps {
		if code := tp.wait(t); code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", nes[i].name, code, tp.stdout.String(), tp.stderr.String())
		}
		if want := fmt.Sprintf("CC %d delivered of %d, IRI 0 delivered of 0; nothing lost", shares[i], shares[i]); !strings.Contains(tp.stdout.String(), want) {
			t.Errorf("%s's output lacks %q:\n%s", nes[i].name, want, tp.stdout.String())
		}
	}

	itest.WaitFor(t, "the LEMF to print the 40 records", func() bool {
		n := 0
		for _, seqs := range records(lemfP.stdout.String()) {
			n += len(seqs)
		}
		return n >= itest.SampleTargetPackets
	})
	// Each NE's pipeline makes a communication per target address, and the
	// MF a CIN per communication of each NE: several streams per NE.
	got := records(lemfP.stdout.String())
	if len(got) < len(nes) {
		t.Errorf("%d streams at the LEMF, want at least one per NE: %v", len(got), got)
	}
	var sizes []int
	total := 0
	for key, seqs := range got {
		if !strings.HasPrefix(key, liid.String()+" ") || !strings.HasSuffix(key, " CC") {
			t.Errorf("stream %s: not the ADMF's LIID's CC", key)
		}
		for i, s := range seqs {
			if s != i {
				t.Errorf("stream %s: numbers %v, want 0 to %d once each, in order", key, seqs, len(seqs)-1)
				break
			}
		}
		sizes = append(sizes, len(seqs))
		total += len(seqs)
	}
	if total != itest.SampleTargetPackets {
		t.Errorf("%d records at the LEMF, want %d", total, itest.SampleTargetPackets)
	}

	mf.cmd.Process.Signal(syscall.SIGUSR1)
	last := fmt.Sprintf("NE %q", nes[len(nes)-1].name)
	itest.WaitFor(t, "the mediator's statistics", func() bool { return strings.Contains(mf.stdout.String(), last) || mf.exited() })
	for i, ne := range nes {
		want := regexp.MustCompile(fmt.Sprintf(`NE %q: 2 connection\(s\) \(0 open, 0 fault\(s\)\); %d PDU\(s\) received, %d delivered, 0 duplicate\(s\), 0 refused`,
			ne.name, shares[i], shares[i]))
		if !want.MatchString(mf.stdout.String()) {
			t.Errorf("the mediator's statistics lack %s:\n%s", want, mf.stdout.String())
		}
	}
	mf.cmd.Process.Signal(syscall.SIGTERM)
	if code := mf.wait(t); code != 0 {
		t.Errorf("the mediator: exit %d\n%s", code, mf.stderr.String())
	}
	lemfP.cmd.Process.Signal(syscall.SIGINT)
	if code := lemfP.wait(t); code != 0 {
		t.Errorf("the LEMF: exit %d", code)
	}
	report := lemfP.stdout.String()[strings.LastIndex(lemfP.stdout.String(), "conn "):]
	for _, n := range sizes {
		if !regexp.MustCompile(fmt.Sprintf(`CC: %d record\(s\), 0 missing, 0 duplicate\(s\), next %d`, n, n)).MatchString(report) {
			t.Errorf("the LEMF's report lacks a stream of %d records without a gap:\n%s", n, report)
		}
	}
	t.Logf("the mediator's statistics:\n%s", mf.stdout.String())
	out := mf.stdout.String() + mf.stderr.String()
	for _, tp := range taps {
		out += tp.stdout.String() + tp.stderr.String()
	}
	for _, secret := range []string{itest.SampleTarget4.String(), itest.SampleTarget6.String(), liid.String()} {
		if strings.Contains(out, secret) {
			t.Errorf("the mediator or a tap printed %q", secret)
		}
	}
}
