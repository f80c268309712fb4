package itest

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// Netns is a network namespace a test made; it is deleted when the test
// ends.
type Netns struct{ Name string }

// The addresses of a VethPair: A holds VethA4 and VethA6 on interface
// VethA; B holds the target addresses VethTarget4/6 and the others'
// VethOther4/6 on its end.
const (
	VethA       = "cap0"
	VethA4      = "192.0.2.1"
	VethA6      = "2001:db8::1"
	VethTarget4 = "192.0.2.10"
	VethTarget6 = "2001:db8::10"
	VethOther4  = "192.0.2.20"
	VethOther6  = "2001:db8::20"
)

// VethPair makes two network namespaces joined by a veth pair, A and B,
// with the addresses above (IPv6 without duplicate address detection, so
// they are usable at once). It needs root and `ip` (iproute2); without
// them it skips the test, naming what is missing — except under CI=true,
// where it fails: CI must run what it can run.
func VethPair(t *testing.T) (a, b Netns) {
	t.Helper()
	if os.Geteuid() != 0 {
		skipOrFail(t, "needs root (network namespaces)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		skipOrFail(t, "needs ip from iproute2 (apt-get install iproute2)")
	}
	// A random name, unique without a counter shared by the tests.
	n := rand.Text()[:10]
	a = Netns{Name: fmt.Sprintf("ccjkit-%d-%sa", os.Getpid(), n)}
	b = Netns{Name: fmt.Sprintf("ccjkit-%d-%sb", os.Getpid(), n)}
	for _, ns := range []Netns{a, b} {
		ip(t, "netns", "add", ns.Name)
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns.Name).Run() })
	}
	ip(t, "link", "add", VethA, "netns", a.Name, "type", "veth", "peer", "name", "peer0", "netns", b.Name)
	for _, c := range [][]string{
		{"-n", a.Name, "link", "set", "lo", "up"},
		{"-n", a.Name, "addr", "add", VethA4 + "/24", "dev", VethA},
		{"-n", a.Name, "addr", "add", VethA6 + "/64", "dev", VethA, "nodad"},
		{"-n", a.Name, "link", "set", VethA, "up"},
		{"-n", b.Name, "link", "set", "lo", "up"},
		{"-n", b.Name, "addr", "add", VethTarget4 + "/24", "dev", "peer0"},
		{"-n", b.Name, "addr", "add", VethOther4 + "/24", "dev", "peer0"},
		{"-n", b.Name, "addr", "add", VethTarget6 + "/64", "dev", "peer0", "nodad"},
		{"-n", b.Name, "addr", "add", VethOther6 + "/64", "dev", "peer0", "nodad"},
		{"-n", b.Name, "link", "set", "peer0", "up"},
	} {
		ip(t, c...)
	}
	return a, b
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("live capture test %s, and CI must not skip it", why)
	}
	t.Skipf("live capture test %s", why)
}

func ip(t *testing.T, args ...string) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command("ip", args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("ip %v: %v\n%s", args, err, out.String())
	}
}

// Do runs fn on an OS thread that has entered ns, and returns its error:
// sockets fn opens belong to ns and stay there after Do returns. The
// calling goroutine is not moved.
func (ns Netns) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// The thread returns to the original namespace before it is
		// unlocked; if it cannot, it stays locked and dies with the
		// goroutine, as the runtime does with tainted threads.
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer unix.Close(orig)
		target, err := unix.Open(filepath.Join("/run/netns", ns.Name), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer unix.Close(target)
		if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		ferr := fn()
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("leaving network namespace %s: %w", ns.Name, err)
			return // the thread stays locked and is discarded
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}
