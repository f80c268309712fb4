package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// brussels is the instant Brussels clocks show at s; it panics on a time
// that does not exist or exists twice.
func brussels(s string) time.Time { return timesync.MustParseBrussels(s, timesync.Strict).Time() }

// desk runs the desk in process with a fake clock.
func desk(t *testing.T, clock timesync.Clock, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb, clock)
	return out.String(), errb.String(), code
}

// untranslated lists the catalogue keys that must never reach output.
var untranslated = []string{"state:", "event:", "outcome:", "channel:", "timeliness:", "target:", "%!"}

// The demonstration runs in each language, completely, and every
// language says it differently.
func TestDemoInEachLanguage(t *testing.T) {
	outs := map[string]string{}
	for _, lang := range []string{"en", "fr", "nl", "de"} {
		out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "-lang", lang)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", lang, code, errs)
		}
		// One claim per office, each in its office's language (Parket Brussel in
		// Dutch); the interception (2026-0003) is listed as not billable,
		// its line's amount unknown [U].
		for _, want := range []string{"2026-0001", "2026-0007", "wo-", "PDF", "BE2017-2", "+01:00", "2026-11-procureur-du-roi-parket-brussel",
			"Parket van de procureur des Konings te Brussel", "2026-11-procureur-du-roi-parquet-bruxelles", "BE2017-4", "2026-0003"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q", lang, want)
			}
		}
		for _, key := range untranslated {
			if strings.Contains(out, key) {
				t.Errorf("%s: untranslated %q in the output", lang, key)
			}
		}
		outs[lang] = out
	}
	for _, lang := range []string{"fr", "nl", "de"} {
		if outs[lang] == outs["en"] {
			t.Errorf("%s output is the English one", lang)
		}
		// Outside the records quoted as they are (references, times), no
		// English sentence of the desk's own remains.
		for _, s := range []string{"what the technician sees", "no open case", "hash chain intact", "Cost statement"} {
			if strings.Contains(outs[lang], s) {
				t.Errorf("%s output has the English %q", lang, s)
			}
		}
	}
	if _, _, code := desk(t, timesync.SystemClock{}, "-lang", "xx"); code != exitInput {
		t.Errorf("-lang xx: exit %d", code)
	}
}

// TestMain keeps the tests' checkpoints in a directory of their own
// instead of the user's ~/.local/state, and runs them in English in the
// current directory whatever the environment says (the tests of $LANG and
// $CCJKIT_DIR set them).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ccjkit-anchors-")
	if err != nil {
		panic(err)
	}
	os.Setenv("CCJKIT_ANCHORS", dir)
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "CCJKIT_DIR"} {
		os.Unsetenv(v)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testDir makes a register directory with the sample cell and desk.json,
// and alice's identity in a file, and alice founds the register.
func testDir(t *testing.T) (dir, identity string) {
	dir = t.TempDir()
	identity = identityFile(t, "alice")
	cell, _ := sample.ReadFile("sample/cell.json")
	os.WriteFile(filepath.Join(dir, "cell.json"), cell, 0o600)
	var cfg Config
	if err := readSample("desk.json", &cfg); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	// Alice founds the register, as desk init does.
	text, _ := os.ReadFile(identity)
	id, err := register.ParseIdentity(string(text))
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: timesynctest.NewClock(brussels("2026-11-01 09:00")), Identity: id, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	reg.Close()
	return dir, identity
}

// identityFile writes a new member identity to a file.
func identityFile(t *testing.T, name string) string {
	t.Helper()
	id, err := register.NewIdentity(name, register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+".identity")
	if err := os.WriteFile(path, []byte(id.Secret()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const requisitionJSON = `{
	"reference": "BR.21.L1.000777/26", "measure": "traffic-location", "authority": "juge-instruction", "reasoned": true,
	"ordered": "2026-11-23T09:00:00+01:00", "received": "2026-11-23T10:00:00+01:00",
	"valid_until": "2026-12-20T00:00:00+01:00", "offences": ["90ter-fraud"], "items": ["traffic-records"],
	"targets": [{"kind": "ip", "addr": "2001:db8::beef", "from": "2026-11-20T00:00:00+01:00", "until": "2026-11-21T00:00:00+01:00"}],
	"response": {"kind": "at-stated-moment", "stated": "2026-11-24T10:00:00+01:00"}}`

// A day at the desk: receive → ack → check → work order → result →
// answer → claim → stats → verify, and the views in between.
func TestDailyUse(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	common := []string{"-dir", dir, "-identity", identity}
	step := func(args ...string) string {
		t.Helper()
		clock.Advance(3 * time.Minute)
		out, errs, code := desk(t, clock, append(args[:1:1], append(common, args[1:]...)...)...)
		if code != exitOK {
			t.Fatalf("desk %v: exit %d\n%s", args, code, errs)
		}
		return out
	}
	reqFile := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(reqFile, []byte(requisitionJSON), 0o600)

	if out := step("receive", reqFile); !strings.Contains(out, "2026-0001") {
		t.Errorf("receive: %s", out)
	}
	if out := step("list"); !strings.Contains(out, "2026-0001") || !strings.Contains(out, "left") {
		t.Errorf("list: %s", out)
	}
	step("ack", "2026-0001")
	if out := step("check", "2026-0001"); !strings.Contains(out, "lawful") {
		t.Errorf("check: %s", out)
	}
	var wo register.WorkOrder
	if err := json.Unmarshal([]byte(step("workorder", "-json", "2026-0001")), &wo); err != nil || !wo.Ref.Valid() {
		t.Fatalf("workorder: %v %+v", err, wo)
	}
	if out := step("workorder", "2026-0001", "-due", "2h"); !strings.Contains(out, "2001:db8::beef") || strings.Contains(out, "BR.21") {
		t.Errorf("the technician's view: %s", out)
	}
	resFile := filepath.Join(t.TempDir(), "res.json")
	os.WriteFile(resFile, []byte(fmt.Sprintf(`{"ref":%q,"by":"tech-1","completed":"2026-11-23T10:25:00+01:00","outcome":"found","data":"3 sessions"}`, wo.Ref)), 0o600)
	step("result", resFile)
	if out := step("answer", "2026-0001", "-to", "Cabinet JI", "-channel", "platform", "-at", "2026-11-23 10:28:07"); !strings.Contains(out, "10:28:07 +01:00") || !strings.Contains(out, "within the deadline") {
		t.Errorf("answer: %s", out)
	}
	if out := step("show", "2026-0001", "-lang", "fr"); !strings.Contains(out, "Historique") || !strings.Contains(out, "ordre de travail émis") {
		t.Errorf("show: %s", out)
	}
	if out := step("claim", "2026-11"); !strings.Contains(out, "80,00") || !strings.Contains(out, "BR.21.L1.000777/26") {
		t.Errorf("claim: %s", out)
	}
	prefix := filepath.Join(t.TempDir(), "claim-{number}.pdf")
	if out := step("claim", "-format", "pdf", "-o", prefix, "2026-11"); !strings.Contains(out, "claim-2026-11-juge-instruction.pdf") {
		t.Errorf("claim pdf: %s", out)
	} else if b, err := os.ReadFile(strings.TrimSpace(out)); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("the PDF: %v", err)
	}
	if out := step("stats", "2026", "-format", "csv"); !strings.Contains(out, "cases,all,< 3") || !strings.Contains(out, "measure,traffic-location,x") {
		t.Errorf("stats: %s", out)
	}
	step("invoice", "2026-0001")
	step("close", "2026-0001", "-note", "paid")
	if out := step("list"); !strings.Contains(out, "no open case") {
		t.Errorf("list after closing: %s", out)
	}
	out, _, code := desk(t, clock, "verify", "-dir", dir)
	if code != exitOK || !strings.Contains(out, "hash chain intact") {
		t.Errorf("verify: %d %s", code, out)
	}
	if out := step("rota", "check"); !strings.Contains(out, "covered around the clock") {
		t.Errorf("rota check: %s", out)
	}
	if out := step("rota", "export", "-days", "7"); !strings.Contains(out, "BEGIN:VCALENDAR") {
		t.Errorf("rota export: %.200s", out)
	}
	// An illegal step fails, with status 1, and writes nothing.
	before, _ := os.ReadFile(journalPath(dir))
	if _, errs, code := desk(t, clock, append([]string{"ack"}, append(common, "2026-0001")...)...); code != exitFail || !strings.Contains(errs, "not allowed") {
		t.Errorf("ack a closed case: %d %s", code, errs)
	}
	after, _ := os.ReadFile(journalPath(dir))
	if !bytes.Equal(before, after) {
		t.Error("a refused step changed the register")
	}
}

// Bad input of every kind: a short error naming the file, status 2, and
// the register's bytes unchanged.
func TestBadInput(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	good := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(good, []byte(requisitionJSON), 0o600)
	if _, errs, code := desk(t, clock, "receive", "-dir", dir, "-identity", identity, good); code != exitOK {
		t.Fatal(errs)
	}
	write := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	cellCopy := func(edit func(string) string) string {
		b, _ := os.ReadFile(filepath.Join(dir, "cell.json"))
		return write("cell.json", edit(string(b)))
	}
	for _, tc := range []struct {
		name, mentions string
		args           []string
	}{
		{"requisition not JSON", "req.json", []string{"receive", write("req.json", "{")}},
		{"requisition with an unknown field", "shoe_size", []string{"receive", write("req.json", strings.Replace(requisitionJSON, `"reasoned"`, `"shoe_size": 42, "reasoned"`, 1))}},
		{"requisition with a bad address", "targets[0].addr", []string{"receive", write("req.json", strings.Replace(requisitionJSON, "2001:db8::beef", "2001:db8::zz", 1))}},
		{"requisition missing", "nope.json", []string{"receive", filepath.Join(dir, "nope.json")}},
		{"result malformed", "res.json", []string{"result", write("res.json", `{"ref":"wo-x"}`)}},
		{"cell missing", "missing.json", []string{"list", "-cell", filepath.Join(dir, "missing.json")}},
		{"cell malformed", "cell.json", []string{"list", "-cell", write("cell.json", `{"cell": {"members": 3}}`)}},
		{"cell without members", "members", []string{"list", "-cell", write("cell.json", `{"cell": {"name": "x"}}`)}},
		{"rota in the spring gap", "patterns[6].start", []string{"list", "-cell", cellCopy(func(s string) string {
			return strings.Replace(s, `"weekday": 0, "start": "08:00"`, `"weekday": 0, "start": "02:30"`, 1)
		})}},
		{"not a member of the cell", "not a member", []string{"list", "-identity", identityFile(t, "mallory")}},
		{"no identity", "identity", []string{"list", "-identity", ""}},
		{"bad month", "YYYY-MM", []string{"claim", "2026-13"}},
		{"bad answer channel", "channel", []string{"answer", "-to", "x", "-channel", "pigeon", "2026-0001"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(journalPath(dir))
			args := append([]string{tc.args[0], "-dir", dir, "-identity", identity}, tc.args[1:]...)
			_, errs, code := desk(t, clock, args...)
			if code != exitInput {
				t.Errorf("exit %d, want %d: %s", code, exitInput, errs)
			}
			if n := strings.Count(strings.TrimRight(errs, "\n"), "\n") + 1; n > 3 {
				t.Errorf("%d lines of error:\n%s", n, errs)
			}
			if !strings.Contains(errs, tc.mentions) {
				t.Errorf("the error does not name %q:\n%s", tc.mentions, errs)
			}
			after, _ := os.ReadFile(journalPath(dir))
			if !bytes.Equal(before, after) {
				t.Error("the register changed")
			}
		})
	}
	// A desk.json that does not decode.
	os.WriteFile(filepath.Join(dir, "desk.json"), []byte(`{"operator": []}`), 0o600)
	if _, errs, code := desk(t, clock, "list", "-dir", dir, "-identity", identity); code != exitInput || !strings.Contains(errs, "desk.json") {
		t.Errorf("bad desk.json: %d %s", code, errs)
	}
}

// A register that fails verification is reported with its first bad
// record and left as it is.
func TestVerifyTampered(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	good := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(good, []byte(requisitionJSON), 0o600)
	desk(t, clock, "receive", "-dir", dir, "-identity", identity, good)
	desk(t, clock, "ack", "-dir", dir, "-identity", identity, "2026-0001")
	b, _ := os.ReadFile(journalPath(dir))
	b[len(b)-100] ^= 0x20
	os.WriteFile(journalPath(dir), b, 0o600)
	_, errs, code := desk(t, clock, "verify", "-dir", dir)
	if code != exitFail || !strings.Contains(errs, "first bad one") || !strings.Contains(errs, "record 5") {
		t.Errorf("exit %d: %s", code, errs)
	}
	after, _ := os.ReadFile(journalPath(dir))
	if !bytes.Equal(b, after) {
		t.Error("verify modified the register")
	}
}

// The desk killed in the middle of receive leaves a register that opens
// and verifies (a torn last write, if any, is reported and set aside by
// the next write, never kept).
func TestCrashDuringReceive(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the desk")
	}
	bin := filepath.Join(t.TempDir(), "desk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir, identity := testDir(t)
	req := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(req, []byte(requisitionJSON), 0o600)
	env := append(os.Environ(), "CCJKIT_IDENTITY="+identity)
	received := 0
	for i := range 20 {
		cmd := exec.Command(bin, "receive", "-duplicate", "-dir", dir, req)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(i%10) * 3 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err == nil {
			received++
		}
		// The next opening repairs a torn tail; the chain then verifies.
		list := exec.Command(bin, "list", "-dir", dir)
		list.Env = env
		if out, err := list.CombinedOutput(); err != nil {
			t.Fatalf("after kill %d, list: %v\n%s", i, err, out)
		}
		if _, err := journal.ReadFile(journalPath(dir)); err != nil && !journal.IsTornTail(err) {
			t.Fatalf("after kill %d: %v", i, err)
		}
	}
	t.Logf("%d of 20 receives completed before the kill", received)
}

// desk.json's billing is indemnity.Billing: a measure or a service that
// ccjkit does not know is bad input, named in at most three lines, with
// status 2 and the register unchanged.
func TestBadBilling(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	good, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	for _, tc := range []struct {
		name, billing string
		mentions      []string
	}{
		{"an unknown measure", `{"shoe-repair": "historical-observation"}`, []string{"desk.json", "billing"}},
		{"an unknown service", `{"traffic-location": "free-lunch"}`, []string{"desk.json", "billing.traffic-location", "no service of the tariff"}},
		{"two unknown services", `{"traffic-location": "free-lunch", "interception": "free-dinner"}`, []string{"billing.interception", "billing.traffic-location"}},
		{"not an object", `["traffic-location"]`, []string{"desk.json", "billing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cfg map[string]json.RawMessage
			if err := json.Unmarshal(good, &cfg); err != nil {
				t.Fatal(err)
			}
			cfg["billing"] = json.RawMessage(tc.billing)
			b, _ := json.Marshal(cfg)
			os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
			before, _ := os.ReadFile(journalPath(dir))
			_, errs, code := desk(t, clock, "claim", "-dir", dir, "-identity", identity, "2026-11")
			if code != exitInput {
				t.Errorf("exit %d, want %d: %s", code, exitInput, errs)
			}
			if n := strings.Count(strings.TrimRight(errs, "\n"), "\n") + 1; n > 3 {
				t.Errorf("%d lines of error:\n%s", n, errs)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(errs, m) {
					t.Errorf("the error does not name %q:\n%s", m, errs)
				}
			}
			if strings.Contains(errs, "free-lunch") || strings.Contains(errs, "shoe-repair") {
				t.Errorf("the error quotes the value it refuses:\n%s", errs)
			}
			if after, _ := os.ReadFile(journalPath(dir)); !bytes.Equal(before, after) {
				t.Error("the register changed")
			}
		})
	}
}
