package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk answer -json lists every problem the library finds — a time in the
// future and no technician's result together — and writes nothing.
func TestAnswerListsEveryProblem(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	common := []string{"-dir", dir, "-identity", identity}
	reqFile := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(reqFile, []byte(requisitionJSON), 0o600)
	for _, args := range [][]string{{"receive", reqFile}, {"ack", "2026-0001"}, {"check", "2026-0001"}} {
		clock.Advance(time.Minute)
		if _, errs, code := desk(t, clock, append(args[:1:1], append(common, args[1:]...)...)...); code != exitOK {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	before, _ := os.ReadFile(journalPath(dir))
	out, errs, code := desk(t, clock, append([]string{"answer", "-json"}, append(common, "-to", "Cabinet", "-channel", "email", "-at", "2026-11-30 10:00", "2026-0001")...)...)
	if code != exitInput {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got problemsJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	var fields []string
	for _, p := range got.Problems {
		fields = append(fields, p.Field)
	}
	if len(fields) < 2 || !strings.Contains(strings.Join(fields, " "), "without_result") {
		t.Errorf("problems at %v; want the time and the missing result", fields)
	}
	if after, _ := os.ReadFile(journalPath(dir)); string(before) != string(after) {
		t.Error("the register changed")
	}
}
