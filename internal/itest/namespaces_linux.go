package itest

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// Namespaces makes n network namespaces with their loopback up, deleted
// when the test ends, for tests that build their own topology (a NAT box
// between two hosts, a DHCP server and its client) with Veth. It needs
// root and `ip` (iproute2); without them it skips the test, naming what
// is missing — except under CI=true, where it fails.
func Namespaces(t *testing.T, n int) []Netns {
	t.Helper()
	if os.Geteuid() != 0 {
		needs(t, "needs root (network namespaces)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		needs(t, "needs ip from iproute2 (apt-get install iproute2)")
	}
	tag := rand.Text()[:8]
	out := make([]Netns, n)
	for i := range out {
		out[i] = Netns{Name: fmt.Sprintf("ccjkit-%d-%s%d", os.Getpid(), tag, i)}
		ip(t, "netns", "add", out[i].Name)
		name := out[i].Name
		t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
		ip(t, "-n", name, "link", "set", "lo", "up")
	}
	return out
}

// Veth joins a and b with a veth pair, interface ifA in a holding the
// prefix addrA (such as "100.64.0.2/24", "" for none) and ifB in b
// holding addrB, both up. IPv6 addresses skip duplicate address
// detection, so that they are usable at once.
func Veth(t *testing.T, a Netns, ifA, addrA string, b Netns, ifB, addrB string) {
	t.Helper()
	ip(t, "link", "add", ifA, "netns", a.Name, "type", "veth", "peer", "name", ifB, "netns", b.Name)
	for _, e := range []struct{ ns, ifc, addr string }{{a.Name, ifA, addrA}, {b.Name, ifB, addrB}} {
		if e.addr != "" {
			ip(t, "-n", e.ns, "addr", "add", e.addr, "dev", e.ifc, "nodad")
		}
		ip(t, "-n", e.ns, "link", "set", e.ifc, "up")
	}
}

// Run runs a program in ns (ip netns exec) and returns its output,
// failing the test if it fails.
func (ns Netns) Run(t *testing.T, program string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name, program}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v in %s: %v\n%s", program, args, ns.Name, err, out.String())
	}
	return out.String()
}

// Command returns the command running program in ns, for a program that
// runs beside the test (a daemon, an event monitor).
func (ns Netns) Command(program string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns.Name, program}, args...)...)
}

func needs(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("network namespace test %s, and CI must not skip it", why)
	}
	t.Skipf("network namespace test %s", why)
}
