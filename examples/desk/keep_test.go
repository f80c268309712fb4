package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk keep lists the closed cases whose keeping period is over, warns
// that the period is the cell's policy, writes nothing to the journal,
// and refuses a period it cannot count.
func TestKeep(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	common := []string{"-dir", dir, "-identity", identity}
	cmd := func(args ...string) (string, string, int) {
		t.Helper()
		return desk(t, clock, append(args[:1:1], append(common, args[1:]...)...)...)
	}
	reqFile := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(reqFile, []byte(requisitionJSON), 0o600)
	for _, args := range [][]string{{"receive", reqFile}, {"cancel", "2026-0001"}, {"close", "2026-0001"}, {"receive", "-duplicate", reqFile}, {"expire", "2026-0002"}} {
		clock.Advance(time.Minute)
		if _, errs, code := cmd(args...); code != exitOK {
			t.Fatalf("desk %v: exit %d\n%s", args, code, errs)
		}
	}
	policy := []string{"-years", "1", "-policy", "keeping policy of the cell, approved 2026-01-05"}

	for _, tc := range []struct {
		name  string
		at    string
		want  []string
		never []string
	}{
		{"the last day of the period", "2027-11-23 23:59:59",
			[]string{"Ended (0)", "Kept (1):", "2026-0001    closed 2026-11-23, kept to 2027-11-23", "Not closed, with nothing left to do (1)", "2026-0002",
				"the keeping period is the cell's own policy", "keep the statements with the accounting"},
			[]string{"may be retired"}},
		{"the next day", "2027-11-24 00:00",
			[]string{"Ended (1)", "2026-0001    closed 2026-11-23, kept to 2027-11-23", "Kept (0)"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock.Set(brussels(tc.at))
			before, _ := os.ReadFile(journalPath(dir))
			out, errs, code := cmd(append([]string{"keep"}, policy...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			for _, never := range tc.never {
				if strings.Contains(out, never) {
					t.Errorf("output has %q:\n%s", never, out)
				}
			}
			if after, _ := os.ReadFile(journalPath(dir)); !bytes.Equal(before, after) {
				t.Error("desk keep wrote to the journal")
			}
		})
	}

	// Once the expired case is closed too, the register may be retired.
	clock.Set(brussels("2027-11-24 00:00"))
	if _, errs, code := cmd("close", "2026-0002"); code != exitOK {
		t.Fatalf("close: %s", errs)
	}
	clock.Set(brussels("2028-11-25 00:00"))
	out, errs, code := cmd(append([]string{"keep", "-json"}, policy...)...)
	var rep register.KeepingReport
	if code != exitOK || json.Unmarshal([]byte(out), &rep) != nil || !rep.Retirable || len(rep.Ended) != 2 {
		t.Errorf("keep -json: exit %d, %s\n%s", code, errs, out)
	}

	for _, bad := range [][]string{
		{"keep", "-years", "1"},                         // no policy
		{"keep", "-policy", "p"},                        // no period
		{"keep", "-years", "-1", "-policy", "p"},        // a negative one
		{"keep", "-years", "1", "-policy", "p", "2026"}, // an argument
	} {
		if _, errs, code := cmd(bad...); code != exitInput {
			t.Errorf("desk %v: exit %d, want %d\n%s", bad, code, exitInput, errs)
		}
	}
}
