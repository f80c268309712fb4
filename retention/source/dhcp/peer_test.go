package dhcp_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/testenv"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/dhcp"
	"github.com/ccjkit/ccjkit/timesync"
)

// callsEnv names the file the test binary, run by dnsmasq as its
// --dhcp-script, appends its calls to.
const callsEnv = "CCJKIT_TEST_DNSMASQ_CALLS"

// TestMain is the lease-change script when dnsmasq runs the test binary
// as one: it writes the call as EncodeCall's line, as the package
// comment's script does.
func TestMain(m *testing.M) {
	if path := os.Getenv(callsEnv); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
		if err == nil {
			_, err = f.Write(dhcp.EncodeCall(nil, os.Args[1:], os.Environ(), time.Now()))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestDnsmasqPeer: a real dnsmasq in a network namespace hands an IPv4
// lease to a real DHCP client (ISC dhclient) over a veth pair, which
// then releases it; dnsmasq's --dhcp-script calls, written by this test
// binary run as the script, become the subscriber's assignment of the
// address the client got, from the lease to its release.
func TestDnsmasqPeer(t *testing.T) {
	dnsmasq := testenv.LookPath(t, "dnsmasq", "dnsmasq-base")
	dhclient := testenv.LookPath(t, "dhclient", "isc-dhcp-client")
	ns := itest.Namespaces(t, 2)
	srv, cli := ns[0], ns[1]
	itest.Veth(t, srv, "dhs0", "192.0.2.1/24", cli, "dhc0", "")
	const mac = "02:00:00:00:00:42"
	cli.Run(t, "ip", "link", "set", "dhc0", "address", mac)

	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	calls := filepath.Join(dir, "calls")
	script := filepath.Join(dir, "lease-script")
	writeScript(t, script, fmt.Sprintf("#!/bin/sh\n%s=%s exec %s \"$@\"\n", callsEnv, calls, self))
	bound := filepath.Join(dir, "bound")
	// The client configures the address, as a subscriber's router does,
	// and says which it got.
	clientScript := filepath.Join(dir, "dhclient-script")
	writeScript(t, clientScript, fmt.Sprintf(`#!/bin/sh
case "$reason" in
BOUND|RENEW|REBIND|REBOOT) ip addr add "$new_ip_address/24" dev "$interface" && echo "$new_ip_address" > %s ;;
RELEASE|EXPIRE|STOP) ip addr flush dev "$interface" ;;
esac
exit 0
`, bound))

	d := srv.Command(dnsmasq, "--no-daemon", "--conf-file=/dev/null", "--port=0", "--user=root",
		"--interface=dhs0", "--bind-interfaces", "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,10m",
		"--dhcp-script="+script, "--dhcp-leasefile="+filepath.Join(dir, "leases"), "--pid-file="+filepath.Join(dir, "pid"))
	var dlog itest.SyncBuffer
	d.Stdout, d.Stderr = &dlog, &dlog
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Process.Signal(syscall.SIGTERM); _ = d.Wait() })

	// dhclient takes a lease (-1: one try), goes to the background once
	// bound, and is then told to release it (-r).
	dhArgs := []string{"-v", "-sf", clientScript, "-lf", filepath.Join(dir, "dhclient.leases"), "-pf", filepath.Join(dir, "dhclient.pid")}
	t.Cleanup(func() { _ = cli.Command(dhclient, append(slices.Clone(dhArgs), "-x", "dhc0")...).Run() })
	before := time.Now()
	out, err := cli.Command(dhclient, append(slices.Clone(dhArgs), "-1", "dhc0")...).CombinedOutput()
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(calls)
			t.Logf("dhclient:\n%s\ndnsmasq:\n%s\ncalls:\n%s", out, dlog.String(), b)
		}
	})
	if err != nil {
		t.Fatalf("dhclient: %v", err)
	}
	got, err := os.ReadFile(bound)
	if err != nil {
		t.Fatalf("dhclient bound no address: %v", err)
	}
	addr := netip.MustParseAddr(strings.TrimSpace(string(got)))
	if rel, err := cli.Command(dhclient, append(slices.Clone(dhArgs), "-r", "dhc0")...).CombinedOutput(); err != nil {
		t.Fatalf("dhclient -r: %v\n%s", err, rel)
	}

	// dnsmasq runs the script for the add, then the del.
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(calls)
			t.Logf("udhcpc:\n%s\ndnsmasq:\n%s\ncalls:\n%s", out, dlog.String(), b)
		}
	})
	itest.WaitFor(t, "dnsmasq's add and del calls", func() bool {
		b, _ := os.ReadFile(calls)
		return bytes.Contains(b, []byte(`"del"`))
	})
	after := time.Now()

	l, err := dhcp.NewLeases(dhcp.Config{Device: "dnsmasq-1", Clock: func() retention.Clock { return synced },
		Subscribers: dhcp.Subscribers{ByMAC: map[string]retention.Subscriber{"02:00:00:00:00:42": "C-000042"}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(calls)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var as []retention.Assignment
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if err := l.Line(sc.Bytes(), func(a retention.Assignment) error { as = append(as, a); return nil }); err != nil {
			t.Errorf("a line dnsmasq's call made was refused: %v", err)
		}
	}
	if len(as) != 2 || !as[0].Open() || as[1].Open() { // an "old" for the hostname the client sent changes nothing
		t.Fatalf("assignments %+v, want one opened then closed; dnsmasq said:\n%s", as, dlog.String())
	}
	a := as[1]
	want := netip.PrefixFrom(addr, 32)
	if a.Subscriber != "C-000042" || a.Prefix != want || a.Source.Kind != retention.DHCP || a.Source.Device != "dnsmasq-1" {
		t.Errorf("assignment %+v, want C-000042 holding %v", a, want)
	}
	if a.From.Before(timesync.FromTime(before)) || a.Until.After(timesync.FromTime(after).Add(time.Second)) || !a.From.Before(a.Until) {
		t.Errorf("assignment from %v until %v, outside the exchange %v to %v", a.From, a.Until, before, after)
	}
	if !a.Covers(addr, 0, a.From) {
		t.Error("the assignment does not cover its address at its start")
	}
	if st := l.Stats(); st.Opened != 1 || st.Closed != 1 || st.Unmapped != 0 {
		t.Errorf("stats %+v", st)
	}
}

func writeScript(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}

var synced = retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 2 * time.Millisecond}
