package main

import (
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The demonstration's interception: started by the member who checked
// it, tasked on its NE over X1, held until the order's end, removed by
// the watch's pass at that second.
func TestDemoIntercept(t *testing.T) {
	out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "-lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	sec := demoSection(t, out, "Interception tasked over X1")
	for _, w := range []string{
		"2026-11-09 16:47:00 +01:00  bob starts the interception of 2026-0003 under the LIID the NTSU-CTIF gave (desk intercept start); the ADMF tasks vpn-1 over X1, with mutual TLS: task activated",
		"vpn-1 holds 1 target under LIID BE-NTSU-2026-131, delivering IRI and content, until 2026-12-09 23:59:59 +01:00",
		"2026-12-09 23:59:59 +01:00  the order of 2026-0003 ends; desk watch's pass at that second: task deactivated",
	} {
		if !strings.Contains(sec, w) {
			t.Errorf("the section lacks %q:\n%s", w, sec)
		}
	}
	if strings.Contains(sec, "vpn-user-12") {
		t.Error("the section names the target")
	}
}

// The demonstration keeps its register in its own journal file, whatever
// database the environment names.
func TestDemoIgnoresRegisterDSN(t *testing.T) {
	t.Setenv(registerDSNEnv, "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if _, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "-lang", "en"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
