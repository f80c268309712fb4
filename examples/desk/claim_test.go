package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk claim -format pdf -o: a directory gets one file per claim named by
// its number, a pattern has {number} replaced, a single file is refused
// when there are several claims (nothing written); desk invoice refuses a
// case that desk claim lists as not billed, and the desk.json setting for
// "nothing held" answers decides both.
func TestClaimOutputAndInvoice(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	common := []string{"-dir", dir, "-identity", identity}
	step := func(want int, args ...string) string {
		t.Helper()
		clock.Advance(time.Minute)
		out, errs, code := desk(t, clock, append(args[:1:1], append(common, args[1:]...)...)...)
		if code != want {
			t.Fatalf("desk %v: exit %d, want %d\n%s", args, code, want, errs)
		}
		return out
	}
	answer := func(id, ref, office, outcome string) {
		t.Helper()
		req := strings.Replace(requisitionJSON, `"reference": "BR.21.L1.000777/26"`, `"reference": "`+ref+`"`+office, 1)
		file := filepath.Join(t.TempDir(), "req.json")
		os.WriteFile(file, []byte(req), 0o600)
		step(exitOK, "receive", "-id", id, file)
		step(exitOK, "ack", id)
		step(exitOK, "check", id)
		var wo struct {
			Ref string `json:"ref"`
		}
		if err := json.Unmarshal([]byte(step(exitOK, "workorder", "-json", id)), &wo); err != nil {
			t.Fatal(err)
		}
		res := filepath.Join(t.TempDir(), "res.json")
		data := `,"data":"3 sessions"`
		if outcome == "nothing-held" {
			data = ""
		}
		os.WriteFile(res, []byte(`{"ref":"`+wo.Ref+`","by":"tech-1","completed":"`+timesync.FromTime(clock.Now()).String()+`","outcome":"`+outcome+`"`+data+`}`), 0o600)
		step(exitOK, "result", res)
		step(exitOK, "answer", id, "-to", "Cabinet JI", "-channel", "platform")
	}
	answer("2026-0001", "REF-A", `, "office": {"key": "ji-a", "name": "Cabinet A", "language": "nl"}`, "found")
	answer("2026-0002", "REF-B", `, "office": {"key": "ji-b", "name": "Cabinet B"}`, "found")
	answer("2026-0003", "REF-C", "", "nothing-held")

	out := step(exitOK, "claim", "2026-11")
	for _, want := range []string{"Kostenstaat 2026-11-juge-instruction-ji-a", "Cost statement 2026-11-juge-instruction-ji-b", "2026-0003", "nothing held"} {
		if !strings.Contains(out, want) {
			t.Errorf("claim lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		name, o string
		code    int
		files   []string
	}{
		{"a directory that exists", "", exitOK, []string{"claim-2026-11-juge-instruction-ji-a.pdf", "claim-2026-11-juge-instruction-ji-b.pdf"}},
		{"a directory to make", "new" + string(filepath.Separator), exitOK, []string{"new/claim-2026-11-juge-instruction-ji-a.pdf", "new/claim-2026-11-juge-instruction-ji-b.pdf"}},
		{"a pattern", "nov-{number}.pdf", exitOK, []string{"nov-2026-11-juge-instruction-ji-a.pdf", "nov-2026-11-juge-instruction-ji-b.pdf"}},
		{"one file for two claims", "claim.pdf", exitInput, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			step(tc.code, "claim", "-format", "pdf", "-o", filepath.Join(base, tc.o)+map[bool]string{true: string(filepath.Separator), false: ""}[strings.HasSuffix(tc.o, string(filepath.Separator))], "2026-11")
			entries, _ := os.ReadDir(base)
			if tc.files == nil && len(entries) != 0 {
				t.Errorf("refused, but wrote %v", entries)
			}
			for _, f := range tc.files {
				if b, err := os.ReadFile(filepath.Join(base, f)); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
	// Undecided: the nothing-held case is not billed, so not invoiced.
	if _, errs, code := desk(t, clock, append([]string{"invoice"}, append(common, "2026-0003")...)...); code != exitInput || !strings.Contains(errs, "not billed") {
		t.Errorf("invoice of a case not billed: exit %d: %s", code, errs)
	}
	step(exitOK, "invoice", "2026-0001")
	// The cell decides to bill such answers: claim and invoice follow.
	cfg, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	os.WriteFile(filepath.Join(dir, "desk.json"), bytes.Replace(cfg, []byte(`"month_rule"`), []byte(`"nothing_held":"billed","month_rule"`), 1), 0o600)
	if out := step(exitOK, "claim", "2026-11"); !strings.Contains(out, "REF-C") {
		t.Errorf("billed nothing-held answer not claimed:\n%s", out)
	}
	step(exitOK, "invoice", "2026-0003")
}

// The cases no claim holds are said in every format: in the text, beside
// the PDF files, on standard error for CSV, and in -json beside the claims.
func TestClaimUnbilledInEveryFormat(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	common := []string{"-dir", dir, "-identity", identity}
	// desk.json bills no traffic-location order: answered, it is not billed.
	file2 := filepath.Join(t.TempDir(), "req2.json")
	os.WriteFile(file2, []byte(requisitionJSON), 0o600)
	cfg, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	os.WriteFile(filepath.Join(dir, "desk.json"), bytes.Replace(cfg, []byte(`"traffic-location"`), []byte(`"extended-search"`), 1), 0o600)
	for _, args := range [][]string{{"receive", "-id", "2026-0002", file2}, {"ack", "2026-0002"}, {"check", "2026-0002"},
		{"answer", "2026-0002", "-to", "Cabinet", "-channel", "email", "-without-result", "from the contract file"}} {
		clock.Advance(time.Minute)
		if _, errs, code := desk(t, clock, append(args[:1:1], append(common, args[1:]...)...)...); code != exitOK {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	for _, tc := range []struct {
		name         string
		args         []string
		stdout, errs string
	}{
		{"text", nil, "2026-0002", ""},
		{"pdf", []string{"-format", "pdf", "-o", t.TempDir() + string(filepath.Separator)}, "2026-0002", ""},
		{"csv", []string{"-format", "csv"}, "", "2026-0002"},
		{"json", []string{"-json"}, `"case":"2026-0002"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"claim"}, common...), tc.args...)
			out, errs, code := desk(t, clock, append(args, "2026-11")...)
			if code != exitOK || !strings.Contains(strings.ReplaceAll(out, " ", ""), strings.ReplaceAll(tc.stdout, " ", "")) || !strings.Contains(errs, tc.errs) {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
		})
	}
}
