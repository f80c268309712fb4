package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/internal/mtatest"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// publicDir makes a directory that the pipe's unprivileged user can
// reach (t.TempDir's parents are the test user's alone), removed when the
// test ends.
func publicDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ccjkit-desk-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buildDeskIn builds the desk into dir.
func buildDeskIn(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "desk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// From an e-mail sent to the cell to an intake in the register, through
// a real Postfix: the message goes in over SMTP, Postfix pipes it to
// desk intake receive running as an unprivileged user, and the intake is
// recorded at the second Postfix accepted it; the same message sent again
// is recognised; a register that cannot be written makes Postfix defer,
// not bounce, and the message arrives once the register is back.
func TestPostfixIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Postfix test in -short mode")
	}
	root := publicDir(t)
	dir := filepath.Join(root, "cell")
	src, alice := testDir(t)
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	json.Unmarshal(b, &cfg)
	cfg.Intake = IntakeConfig{AuthServID: mtatest.Hostname, Domains: []string{"just.fgov.be"}}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)

	service, err := register.NewIdentity("intake", register.RoleService)
	if err != nil {
		t.Fatal(err)
	}
	idFile := filepath.Join(root, "intake.identity")
	os.WriteFile(idFile, []byte(service.Secret()), 0o600)
	aliceID := mustIdentity(t, alice)
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: timesync.SystemClock{}, Identity: aliceID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AddMember(service.Public(), timesync.Verdict{}); err != nil {
		t.Fatal(err)
	}
	reg.Close()

	bin := buildDeskIn(t, root)
	mta := mtatest.Start(t, mtatest.Config{Pipe: []string{bin, "intake", "receive", "-dir", dir, "-identity", idFile, "-lang", "en"}})
	mta.Chown(t, root)

	send := func(id string) (before, after time.Time) {
		t.Helper()
		msg := strings.Replace(intakeMail, "<r1@just.fgov.be>", id, 1)
		before = time.Now().Truncate(time.Second)
		if err := mta.Send("parquet.bruxelles@just.fgov.be", []string{"ccj@" + mtatest.CellDomain}, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		return before, time.Now()
	}
	before, accepted := send("<pf1@just.fgov.be>")
	sent := regexp.MustCompile(`relay=ccjintake.*status=sent`)
	mta.WaitLog(t, "the pipe delivery", sent, 1)
	send("<pf1@just.fgov.be>") // the same message again
	mta.WaitLog(t, "the second pipe delivery", sent, 2)

	// The register cannot be written: Postfix defers (4.3.0), then
	// delivers once it can.
	journal := journalPath(dir)
	if err := os.Chmod(journal, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(journal, 0, 0); err != nil {
		t.Fatal(err)
	}
	send("<pf2@just.fgov.be>")
	mta.WaitLog(t, "a deferred pipe delivery", regexp.MustCompile(`relay=ccjintake.*dsn=4\.3\.0, status=deferred`), 1)
	mta.Chown(t, journal)
	os.Chmod(journal, 0o600)
	mta.WaitLog(t, "the deferred message delivered", sent, 3)
	if strings.Contains(mta.Log(), "status=bounced") {
		t.Fatalf("a message bounced:\n%s", mta.Log())
	}
	if strings.Contains(mta.Log(), "BR.21") {
		t.Fatal("the mail log quotes the order")
	}

	reg, _, err = register.Open(journal, register.Config{Clock: timesync.SystemClock{}, Identity: aliceID})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	list := intake.List(reg)
	if len(list) != 2 {
		t.Fatalf("%d intakes, want 2 (one redelivery recognised)", len(list))
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Seq < list[j].Seq })
	first := list[0]
	if first.Err != nil || first.Record.Status != intake.Readable || !first.Verified() && first.Record.Authenticity.FromDomain != "just.fgov.be" {
		t.Fatalf("intake: %+v, %v", first.Record.Status, first.Err)
	}
	at := first.At.Time()
	if at.Before(before) || at.After(accepted.Add(time.Minute)) {
		t.Fatalf("received at %v, the message was accepted between %v and %v", at, before, accepted)
	}
	// The message as Postfix delivered it: its own Received field is
	// above the sender's, and says when Postfix accepted it.
	if !strings.Contains(string(first.Record.Raw), "Received: from") {
		t.Fatal("the intake is not the message as Postfix delivered it")
	}
	for _, in := range list {
		acc := in.Record.Accepted.Time()
		if in.Record.Accepted.IsZero() || acc.After(in.At.Time()) || in.Receipt() != in.Record.Accepted {
			t.Fatalf("intake %d: accepted %v, recorded %v", in.Seq, acc, in.At)
		}
	}
	if acc := first.Record.Accepted.Time(); acc.Before(before) || acc.After(accepted) {
		t.Fatalf("accepted at %v, the SMTP transaction ended between %v and %v", acc, before, accepted)
	}
}

// mustIdentity reads an identity file.
func mustIdentity(t *testing.T, path string) register.Identity {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	id, err := register.ParseIdentity(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return id
}
