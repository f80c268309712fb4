package pgjournal_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/ccjkit/ccjkit/internal/pgtest"
)

// netnsHost is a network namespace joined to this one by a veth pair:
// this side holds Server, the namespace's side Client.
type netnsHost struct {
	Name, Server, Client string
}

// netnsHosts makes n network namespaces, each joined to this one by a
// veth pair on a /30 of 10.231.0.0/16, deleted when the test ends. It
// needs root and ip (iproute2) with network namespaces: without them the
// test is skipped, with a message, or fails under CI.
func netnsHosts(t *testing.T, n int) []netnsHost {
	t.Helper()
	unavailable := func(why string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but %s", why)
		}
		t.Skip("skipping: " + why)
	}
	if os.Geteuid() != 0 {
		unavailable("network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		unavailable("ip is not installed (Debian package iproute2)")
	}
	ip := func(args ...string) error {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("ip %v: %v: %s", args, err, bytes.TrimSpace(out))
		}
		return nil
	}
	tag := rand.Text()[:6]
	var hosts []netnsHost
	for i := range n {
		// A subnet per run, so that two runs at once do not collide.
		b := make([]byte, 1)
		rand.Read(b)
		h := netnsHost{Name: fmt.Sprintf("ccjkit-pg-%s-%d", tag, i),
			Server: fmt.Sprintf("10.231.%d.%d", b[0], 4*i+1), Client: fmt.Sprintf("10.231.%d.%d", b[0], 4*i+2)}
		if err := ip("netns", "add", h.Name); err != nil {
			if i == 0 {
				unavailable(err.Error())
			}
			t.Fatal(err)
		}
		t.Cleanup(func() { exec.Command("ip", "netns", "del", h.Name).Run() }) // the veth pair goes with it
		local := fmt.Sprintf("pgv%s%d", tag[:4], i)
		for _, args := range [][]string{
			{"link", "add", local, "type", "veth", "peer", "name", "eth0", "netns", h.Name},
			{"addr", "add", h.Server + "/30", "dev", local},
			{"link", "set", local, "up"},
			{"-n", h.Name, "addr", "add", h.Client + "/30", "dev", "eth0"},
			{"-n", h.Name, "link", "set", "eth0", "up"},
			{"-n", h.Name, "link", "set", "lo", "up"},
		} {
			if err := ip(args...); err != nil {
				t.Fatal(err)
			}
		}
		hosts = append(hosts, h)
	}
	return hosts
}

// Two writers in network namespaces of their own, each reaching the server
// over a veth pair as another machine would over the network, and two on
// loopback, append at once: one chain, every acknowledged append present
// once at its number, Verify clean.
func TestNetworkNamespaces(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test skipped in -short mode")
	}
	hosts := netnsHosts(t, 2)
	bin := buildChild(t)
	opts := pgtest.Options{}
	for _, h := range hosts {
		opts.Listen = append(opts.Listen, h.Server)
		opts.Trust = append(opts.Trust, h.Client+"/32")
	}
	srv := pgtest.StartWith(t, opts)
	dsn := journalDB(t, srv, "netns")
	const each, goroutines = 50, 3
	var children []*child
	for i, h := range hosts {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.Host = net.JoinHostPort(h.Server, strconv.Itoa(srv.Port()))
		children = append(children, startChild(t, bin, u.String(), fmt.Sprintf("ns%d", i), each, goroutines, "ip", "netns", "exec", h.Name))
	}
	for i := range 2 {
		children = append(children, startChild(t, bin, dsn, fmt.Sprintf("lo%d", i), each, goroutines))
	}
	o := wait(t, children...)
	if len(o.failed) > 0 || len(o.acked) != len(children)*each {
		t.Fatalf("%d acknowledged, %d failed (%v)", len(o.acked), len(o.failed), o.failed)
	}
	recs := checkJournal(t, dsn, o.acked)
	// Each namespace's writer wrote: its connections came over its veth.
	seen := map[string]int{}
	for _, r := range recs[1:] {
		seen[string(r.Payload[:3])]++
	}
	for i := range hosts {
		if seen[fmt.Sprintf("ns%d", i)] != each {
			t.Errorf("writer ns%d has %d records, want %d", i, seen[fmt.Sprintf("ns%d", i)], each)
		}
	}
}
