package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// watchUnitThreshold is the most exposure systemd-analyze security may
// find in the watch's unit, in its tenths (12 is "1.2 OK"): the unit
// scores 1.2, what remains being the network it needs to page (no
// PrivateNetwork, no IP allow list: ntfy, Matrix and mail relays are
// anywhere) and the host's root directory. 15 lets nothing of the
// sandbox be loosened unnoticed — dropping ProtectSystem, the user, or the
// system-call filter costs more than 0.3.
const watchUnitThreshold = "15"

// The watch's systemd unit is valid (systemd-analyze verify, with the
// desk it starts) and as confined as its threshold says (systemd-analyze
// security --offline). Neither needs systemd as PID 1.
func TestWatchUnit(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but systemd-analyze is not installed (Debian package systemd)")
		}
		t.Skip("skipping: systemd-analyze is not installed (Debian package systemd)")
	}
	unit, err := os.ReadFile("systemd/ccjkit-watch.service")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "desk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if !strings.Contains(string(unit), "ExecStart=/usr/local/bin/desk watch ") {
		t.Fatal("the unit does not start desk watch from /usr/local/bin")
	}
	path := filepath.Join(dir, "ccjkit-watch.service")
	os.WriteFile(path, []byte(strings.ReplaceAll(string(unit), "/usr/local/bin/desk", bin)), 0o644)
	if out, err := exec.Command(sa, "verify", path).CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err := exec.Command(sa, "security", "--offline=true", "--threshold="+watchUnitThreshold, path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security above %s: %v\n%s", watchUnitThreshold, err, out)
	}
	if !strings.Contains(string(out), "Overall exposure level for ccjkit-watch.service") {
		t.Fatalf("systemd-analyze security said:\n%s", out)
	}
}
