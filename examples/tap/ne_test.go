package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/timesync"
)

// mf is a mediation function on loopback whose handover goes to a test
// LEMF: what the tap as an NE delivers to.
type mf struct {
	addr  string
	table *mediation.Table
	srv   *mediation.Server
	rx    *lemf.Receiver
}

// startMF starts the mediation function with ca's certificate, accepting
// NEs whose certificates ca issued, judging windows at the sample's time.
func startMF(t *testing.T, ca *tlstest.CA) *mf {
	t.Helper()
	enc, _ := etsi.NewEncoder(rehearsal())
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rx.Close() })
	ho, err := handover.New(handover.Config{HI2: rx.Addr().String(), HI3: rx.Addr().String(), Encoder: enc,
		Clock: timesync.SystemClock{}, DrainTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ho.Close() })
	clock := timesync.ClockFunc(func() time.Time { return itest.SampleStart.Add(time.Minute) })
	m := &mf{table: mediation.NewTable(clock), rx: rx}
	tlsCfg, err := x1.ServerTLS(ca.Server(t, "mf.test"), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	m.srv, err = mediation.New(mediation.Config{TLS: tlsCfg, Tasks: m.table, Clock: clock,
		Agencies: map[string]mediation.Agency{"NTSU-CTIF": {Encoder: enc, Handover: ho}}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.addr = ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- m.srv.Serve(ln) }()
	t.Cleanup(func() {
		m.srv.Close()
		if err := <-done; !errors.Is(err, mediation.ErrClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return m
}

// TestNE: the tap as a point of interception. An ADMF tasks it over X1
// (a destination, then a task naming the sample's target by its two
// addresses, without the agency's LIID), the tap replays the sample and
// sends X3 over TLS to a mediation function, which the ADMF tasked with
// the same XID and the LIID; the test LEMF receives the 40 records under
// that LIID, numbered without a gap.
func TestNE(t *testing.T) {
	ca, admfCA := tlstest.NewCA(t, "ccjkit test CA"), tlstest.NewCA(t, "ccjkit test ADMF CA")
	m := startMF(t, ca)

	xid, _ := x1.NewUUID(nil)
	liid := intercept.MustParseLIID("BE-DEMO-7")
	targets := []intercept.Target{
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget4, 32)),
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget6, 128)),
	}
	// The ADMF's task at the mediation function: the XID, the LIID, the window.
	if err := m.table.Activate(intercept.Task{ID: [16]byte(xid), LIID: liid, Targets: targets,
		NotBefore: itest.SampleStart.Add(-time.Hour), NotAfter: itest.SampleStart.Add(time.Hour),
		Delivery: intercept.IRIAndCC, Agency: "NTSU-CTIF"}); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr itest.SyncBuffer
	admf, exit := startNE(t, ca, admfCA, &stdout, &stderr, "-mf", m.addr)
	did, _ := x1.NewUUID(nil)
	if err := admf.CreateDestination(t.Context(), x1.DestinationDetails{DID: did, Delivery: intercept.IRIAndCC,
		Address: netip.MustParseAddrPort(m.addr)}); err != nil {
		t.Fatal(err)
	}
	if err := admf.ActivateTask(t.Context(), x1.TaskDetails{XID: xid, Targets: targets, Delivery: intercept.IRIAndCC,
		DIDs: []x1.UUID{did}}); err != nil {
		t.Fatal(err)
	}
	if code := <-exit; code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	t.Logf("the tap's output:\n%s", out)
	for _, want := range []string{
		"replayed 90 packets (10 frames without IP skipped)",
		"CC 40 delivered of 40",
		"X3 → " + m.addr + " ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, secret := range []string{itest.SampleTarget4.String(), itest.SampleTarget6.String(), liid.String()} {
		if strings.Contains(out+stderr.String(), secret) {
			t.Errorf("the tap printed %q", secret)
		}
	}
	itest.WaitFor(t, "the LEMF to have the 40 records", func() bool {
		n := 0
		for _, s := range m.rx.Report().Streams {
			if s.Key.LIID == liid && s.Key.Stream == intercept.CC {
				n += int(s.Unique)
			}
		}
		return n == itest.SampleTargetPackets
	})
	for _, s := range m.rx.Report().Streams {
		if s.Key.LIID != liid || s.Gaps != 0 || s.Duplicates != 0 {
			t.Errorf("stream %+v", s)
		}
	}
	st := m.srv.Stats().NEs["tap.test"]
	if st.Delivered != itest.SampleTargetPackets || st.RefusedTotal() != 0 {
		t.Errorf("at the MF: %s", st)
	}
}

// startNE runs the tap as an NE with args (besides its certificates,
// made by ca and admfCA) and returns an ADMF client to its X1 server and
// the channel its exit code comes on.
func startNE(t *testing.T, ca, admfCA *tlstest.CA, stdout, stderr *itest.SyncBuffer, args ...string) (*x1.Client, <-chan int) {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile := tlstest.WritePair(t, ca.Server(t, "tap.test"), dir, "tap")
	caFile, admfCAFile := ca.WriteCA(t, dir, "ca.crt"), admfCA.WriteCA(t, dir, "admf-ca.crt")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, append([]string{"-x1-listen", "127.0.0.1:0", "-x1-cert", certFile, "-x1-key", keyFile, "-x1-ca", admfCAFile,
			"-mf-ca", caFile}, args...), stdout, stderr)
	}()
	re := regexp.MustCompile(`X1 NE server on (\S+)`)
	var x1Addr string
	itest.WaitFor(t, "the tap's X1 server", func() bool {
		if mm := re.FindStringSubmatch(stdout.String()); mm != nil {
			x1Addr = mm[1]
		}
		return x1Addr != "" || strings.Contains(stderr.String(), "tap:")
	})
	if x1Addr == "" {
		t.Fatalf("no X1 server:\n%s\n%s", stdout.String(), stderr.String())
	}
	admfTLS, err := x1.ClientTLS(admfCA.Client(t, "admf"), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	admf, err := x1.NewClient("https://"+x1Addr, admfTLS, "admf", "tap", timesync.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admf.Close)
	return admf, exit
}

// TestNEDestinations: the ADMF's destinations choose where X2/X3 go. Two
// mediation functions, the tap's -mf the first, both tasked with the
// XID. A task naming a destination at the second (its DID) is delivered
// there only; a task naming none goes to -mf only. The LEMF behind the
// MF that got them has the sample's 40 records, without a gap; the other
// got none (-mf's handover connects at the start, and only keeps its
// link up).
func TestNEDestinations(t *testing.T) {
	ca, admfCA := tlstest.NewCA(t, "ccjkit test CA"), tlstest.NewCA(t, "ccjkit test ADMF CA")
	targets := []intercept.Target{
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget4, 32)),
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget6, 128)),
	}
	for _, dests := range []int{1, 0, 2} {
		toDID := dests > 0
		name := map[int]string{1: "a destination", 0: "no destination", 2: "two destinations at one address: each record once"}[dests]
		t.Run(name, func(t *testing.T) {
			def, other := startMF(t, ca), startMF(t, ca)
			xid, _ := x1.NewUUID(nil)
			liid := intercept.MustParseLIID("BE-DEMO-8")
			for _, m := range []*mf{def, other} {
				if err := m.table.Activate(intercept.Task{ID: [16]byte(xid), LIID: liid, Targets: targets,
					NotBefore: itest.SampleStart.Add(-time.Hour), NotAfter: itest.SampleStart.Add(time.Hour),
					Delivery: intercept.IRIAndCC, Agency: "NTSU-CTIF"}); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr itest.SyncBuffer
			admf, exit := startNE(t, ca, admfCA, &stdout, &stderr, "-mf", def.addr)
			td := x1.TaskDetails{XID: xid, Targets: targets, Delivery: intercept.IRIAndCC, DIDs: []x1.UUID{}}
			want, not := def, other
			if !toDID {
				// X1 lets a task name no destination when it has mediation
				// details (x1.Memory refuses one with neither).
				td.Mediation = []x1.MediationDetails{{LIID: liid, Delivery: intercept.IRIAndCC,
					Start: itest.SampleStart.Add(-time.Hour), End: itest.SampleStart.Add(time.Hour)}}
			}
			for range dests {
				did, _ := x1.NewUUID(nil)
				if err := admf.CreateDestination(t.Context(), x1.DestinationDetails{DID: did, Delivery: intercept.IRIAndCC,
					Address: netip.MustParseAddrPort(other.addr)}); err != nil {
					t.Fatal(err)
				}
				td.DIDs = append(td.DIDs, did)
				want, not = other, def
			}
			if err := admf.ActivateTask(t.Context(), td); err != nil {
				t.Fatal(err)
			}
			if code := <-exit; code != 0 {
				t.Fatalf("exit %d:\n%s\n%s", code, stdout.String(), stderr.String())
			}
			out := stdout.String()
			t.Logf("the tap's output:\n%s", out)
			if !strings.Contains(out, "CC 40 delivered of 40") || !regexp.MustCompile(`X3 → `+regexp.QuoteMeta(want.addr)+` \w+: 40 records accepted`).MatchString(out) {
				t.Errorf("the output does not show the 40 records sent to %s", want.addr)
			}
			itest.WaitFor(t, "the LEMF to have the 40 records", func() bool {
				n := 0
				for _, s := range want.rx.Report().Streams {
					if s.Key.LIID == liid && s.Key.Stream == intercept.CC {
						n += int(s.Unique)
					}
				}
				return n == itest.SampleTargetPackets
			})
			for _, s := range want.rx.Report().Streams {
				if s.Gaps != 0 || s.Duplicates != 0 {
					t.Errorf("stream %+v", s)
				}
			}
			if st := want.srv.Stats().NEs["tap.test"]; st.Delivered != itest.SampleTargetPackets || st.RefusedTotal() != 0 {
				t.Errorf("at the MF chosen: %s", st)
			}
			if st := not.srv.Stats().NEs["tap.test"]; st.Received != 0 {
				t.Errorf("the other MF got records from the tap: %s", st)
			}
		})
	}
}

// TestNEUsage: NE mode refuses what belongs to the other mode, and wants
// its TLS files.
func TestNEUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"-x1-listen", ":0"}, "-mf"},
		{[]string{"-x1-listen", ":0", "-mf", "a:1"}, "-x1-cert"},
		{[]string{"-x1-listen", ":0", "-mf", "a:1", "-target", "192.0.2.1/32"}, "-target"},
		{[]string{"-x1-listen", ":0", "-mf", "a:1", "-lemf", "a:2"}, "-lemf"},
	} {
		var out, errOut bytes.Buffer
		if code := run(t.Context(), tt.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tt.says) {
			t.Errorf("%q: exit %d, %s", tt.args, code, errOut.String())
		}
	}
}
