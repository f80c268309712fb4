package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// pipe runs desk with stdin, as a mail server's pipe delivery does.
func pipe(t *testing.T, clock *timesynctest.Clock, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, bytes.NewReader(stdin), &out, &errb, clock)
	return out.String(), errb.String(), code
}

const intakeMail = "Authentication-Results: mx.cell.example; spf=pass smtp.mailfrom=just.fgov.be; dmarc=pass header.from=just.fgov.be\r\n" +
	"From: <parquet.bruxelles@just.fgov.be>\r\nTo: <ccj@cell.example>\r\nSubject: Requisition BR.21.L1.000777/26\r\n" +
	"Message-ID: <r1@just.fgov.be>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
	"--b\r\nContent-Type: text/plain\r\n\r\nSee the attached order.\r\n" +
	"--b\r\nContent-Type: application/json\r\nContent-Disposition: attachment; filename=\"order.json\"\r\n\r\n" + requisitionJSON + "\r\n--b--\r\n"

// The mail server pipes an e-mail to desk intake receive as the intake
// service; a redelivery adds nothing; a member lists it, accepts it
// once verified, and the case is received at the intake's second. An
// unverified sender needs a call-back or -unverified.
func TestDeskIntake(t *testing.T) {
	dir, alice := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 21:47:03"))
	// The cell lists the prosecutors' domain and names its mail server.
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	json.Unmarshal(b, &cfg)
	cfg.Intake = IntakeConfig{AuthServID: "mx.cell.example", Domains: []string{"just.fgov.be"}}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)

	service := filepath.Join(t.TempDir(), "intake.identity")
	out, errs, code := desk(t, clock, "member", "keygen", "-name", "intake", "-role", "service", "-identity", service, "-dir", dir)
	if code != exitOK {
		t.Fatalf("keygen: %d %s%s", code, out, errs)
	}
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ccjkit-identity intake service ") {
			line = l
		}
	}
	// Before the service is in the roster, the mail server must retry.
	if _, errs, code := pipe(t, clock, []byte(intakeMail), "intake", "receive", "-dir", dir, "-identity", service); code != intake.ExitTempFail {
		t.Fatalf("an intake outside the roster: exit %d, want %d: %s", code, intake.ExitTempFail, errs)
	}
	if _, errs, code := desk(t, clock, "member", "add", "-dir", dir, "-identity", alice, line); code != exitOK {
		t.Fatal(errs)
	}
	// A member's identity cannot run the pipe.
	if _, _, code := pipe(t, clock, []byte(intakeMail), "intake", "receive", "-dir", dir, "-identity", alice); code != intake.ExitTempFail {
		t.Fatalf("a member ran the pipe: exit %d", code)
	}
	for range 2 {
		out, errs, code := pipe(t, clock, []byte(intakeMail), "intake", "receive", "-dir", dir, "-identity", service)
		if code != 0 || out != "" || (errs != "" && !strings.Contains(errs, "clock not checked")) {
			t.Fatalf("receive: exit %d, %q %q", code, out, errs)
		}
		clock.Advance(5 * time.Minute)
	}
	out, errs, code = desk(t, clock, "intake", "list", "-dir", dir, "-identity", alice)
	if code != exitOK || strings.Count(out, "#") != 1 || !strings.Contains(out, "1 requisition read") || !strings.Contains(out, "sender verified") || !strings.Contains(out, "21:47:03") {
		t.Fatalf("list: %d\n%s%s", code, out, errs)
	}
	seq := strings.Fields(strings.SplitN(out, "#", 2)[1])[0]
	orig := filepath.Join(t.TempDir(), "original.eml")
	if out, errs, code := desk(t, clock, "intake", "show", "-dir", dir, "-identity", alice, "-o", orig, seq); code != exitOK || !strings.Contains(out, "order.json") {
		t.Fatalf("show: %d\n%s%s", code, out, errs)
	}
	if got, _ := os.ReadFile(orig); string(got) != intakeMail {
		t.Fatal("show -o did not write the original")
	}
	clock.Advance(time.Hour)
	out, errs, code = desk(t, clock, "intake", "accept", "-dir", dir, "-identity", alice, seq)
	if code != exitOK || !strings.Contains(out, "case 2026-0001 received from intake") || !strings.Contains(out, "21:47:03") {
		t.Fatalf("accept: %d\n%s%s", code, out, errs)
	}
	if _, _, code := desk(t, clock, "intake", "accept", "-dir", dir, "-identity", alice, seq); code != exitInput {
		t.Fatalf("accepted twice: exit %d", code)
	}
	if out, _, _ := desk(t, clock, "show", "-dir", dir, "-identity", alice, "2026-0001"); !strings.Contains(out, "21:47:03") {
		t.Fatalf("the case is not received at the intake's second:\n%s", out)
	}

	// A forged sender: warned, refused without a call-back, accepted
	// after one.
	forged := strings.NewReplacer("just.fgov.be", "justice-be.example", "<r1@", "<r2@").Replace(intakeMail)
	if _, errs, code := pipe(t, clock, []byte(forged), "intake", "receive", "-dir", dir, "-identity", service); code != 0 {
		t.Fatal(errs)
	}
	out, _, _ = desk(t, clock, "intake", "list", "-dir", dir, "-identity", alice)
	if !strings.Contains(out, "not one the cell listed") || strings.Contains(out, "justice-be") {
		t.Fatalf("list of a forged intake:\n%s", out)
	}
	seq2 := strings.Fields(strings.SplitN(out, "#", 2)[1])[0]
	if _, errs, code := desk(t, clock, "intake", "accept", "-dir", dir, "-identity", alice, seq2); code != exitInput || !strings.Contains(errs, "not verified") {
		t.Fatalf("an unverified intake accepted: %d %s", code, errs)
	}
	if out, errs, code := desk(t, clock, "intake", "callback", "-dir", dir, "-identity", alice, "-number", "+3225080000", "-published", "justice.belgium.be", "-outcome", "confirmed", seq2); code != exitOK || !strings.Contains(out, "confirmed") {
		t.Fatalf("callback: %d %s%s", code, out, errs)
	}
	if out, errs, code := desk(t, clock, "intake", "accept", "-dir", dir, "-identity", alice, seq2); code != exitOK {
		t.Fatalf("accept after a call-back: %d %s%s", code, out, errs)
	}
	if out, _, _ := desk(t, clock, "intake", "list", "-dir", dir, "-identity", alice); !strings.Contains(out, "(0)") {
		t.Fatalf("intakes still waiting:\n%s", out)
	}
	if out, _, _ := desk(t, clock, "verify", "-dir", dir, "-identity", alice); !strings.Contains(out, "intake (service)") {
		t.Fatalf("verify does not name the intake service:\n%s", out)
	}
}

// A message over the limit is bounced (EX_DATAERR) and its beginning
// recorded as refused; a register that cannot be written defers.
func TestDeskIntakeLimits(t *testing.T) {
	dir, alice := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 21:47:03"))
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	json.Unmarshal(b, &cfg)
	cfg.Intake = IntakeConfig{MaxSize: 4096}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	service := filepath.Join(t.TempDir(), "intake.identity")
	out, _, _ := desk(t, clock, "member", "keygen", "-name", "intake", "-role", "service", "-identity", service, "-dir", dir)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ccjkit-identity intake service ") {
			desk(t, clock, "member", "add", "-dir", dir, "-identity", alice, l)
		}
	}
	big := intakeMail + strings.Repeat("x", 8192)
	if _, errs, code := pipe(t, clock, []byte(big), "intake", "receive", "-dir", dir, "-identity", service); code != intake.ExitDataErr || strings.Contains(errs, "BR.21") {
		t.Fatalf("a message over the limit: exit %d: %s", code, errs)
	}
	if out, _, _ := desk(t, clock, "intake", "list", "-dir", dir, "-identity", alice); !strings.Contains(out, "refused") {
		t.Fatalf("the refused message is not listed:\n%s", out)
	}
	if _, _, code := pipe(t, clock, []byte(intakeMail), "intake", "receive", "-dir", t.TempDir(), "-identity", service); code != intake.ExitTempFail {
		t.Fatalf("no register: exit %d", code)
	}
}
