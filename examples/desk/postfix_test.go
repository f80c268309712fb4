package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/internal/mtatest"
	"github.com/ccjkit/ccjkit/paging"
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
	mta.WaitLogFlushing(t, "the deferred message delivered", sent, 3)
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

// pagingCell prepares a cell directory for the Postfix tests and
// benchmarks under root: the sample cell with every member's e-mail at
// the members' domain, the sample desk.json, a register founded by
// alice, the intake service in its roster. It returns the directory, the
// service's identity file, alice's identity file and alice's identity.
func pagingCell(tb testing.TB, root string) (dir, service, aliceFile string, alice register.Identity) {
	tb.Helper()
	dir = filepath.Join(root, "cell")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	var cell map[string]any
	b, _ := sample.ReadFile("sample/cell.json")
	json.Unmarshal(b, &cell)
	for _, m := range cell["members"].([]any) {
		m := m.(map[string]any)
		var chans []any
		for _, c := range m["channels"].([]any) {
			if c.(map[string]any)["kind"] != "email" {
				chans = append(chans, c)
			}
		}
		m["channels"] = append(chans, map[string]any{"kind": "email", "value": m["id"].(string) + "@" + mtatest.MemberDomain})
	}
	b, _ = json.Marshal(cell)
	os.WriteFile(filepath.Join(dir, "cell.json"), b, 0o600)
	var cfg Config
	if err := readSample("desk.json", &cfg); err != nil {
		tb.Fatal(err)
	}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	var err error
	if alice, err = register.NewIdentity("alice", register.RoleMember); err != nil {
		tb.Fatal(err)
	}
	aliceFile = filepath.Join(root, "alice.identity")
	os.WriteFile(aliceFile, []byte(alice.Secret()), 0o600)
	svc, err := register.NewIdentity("intake", register.RoleService)
	if err != nil {
		tb.Fatal(err)
	}
	service = filepath.Join(root, "intake.identity")
	os.WriteFile(service, []byte(svc.Secret()), 0o600)
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: timesync.SystemClock{}, Identity: alice, Found: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer reg.Close()
	if _, err := reg.AddMember(svc.Public(), timesync.Verdict{}); err != nil {
		tb.Fatal(err)
	}
	return dir, service, aliceFile, alice
}

// writePagingConfig points desk.json's paging at the SMTP port.
func writePagingConfig(t testing.TB, dir string, port int) {
	t.Helper()
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	json.Unmarshal(b, &cfg)
	cfg.Intake = IntakeConfig{AuthServID: mtatest.Hostname, Domains: []string{"just.fgov.be"}}
	cfg.Paging = &PagingConfig{SMTP: &SMTPConfig{Host: "127.0.0.1", Port: port, From: "ccj@" + mtatest.CellDomain, TLS: "none"}, Timeout: "1m"}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
}

// From an e-mail sent to the cell to a page in the on-call member's
// mailbox, through a real Postfix: the requisition goes in over SMTP,
// Postfix pipes it to desk intake receive, which records it and pages the
// member on call by e-mail through the same Postfix; the page, read back
// from the member's mailbox, says the intake's number, when it arrived
// and how to acknowledge — and nothing of the order. The member replies
// with the code; the reply is piped back and recorded as the
// acknowledgement, once, however often it is sent.
func TestPostfixPage(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the Postfix test in -short mode")
	}
	root := publicDir(t)
	dir, service, aliceFile, alice := pagingCell(t, root)
	bin := buildDeskIn(t, root)
	mta := mtatest.Start(t, mtatest.Config{Pipe: []string{bin, "intake", "receive", "-dir", dir, "-identity", service, "-lang", "en"}, Mailboxes: []string{"alice", "bob", "carol"}})
	writePagingConfig(t, dir, mta.Port)
	mta.Chown(t, root)

	b, _ := os.ReadFile(filepath.Join(dir, "cell.json"))
	cell, err := ccj.DecodeCell(b)
	if err != nil {
		t.Fatal(err)
	}
	onCall := cell.OnCall(time.Now()).Order[0]

	if err := mta.Send("parquet.bruxelles@just.fgov.be", []string{"ccj@" + mtatest.CellDomain}, []byte(intakeMail)); err != nil {
		t.Fatal(err)
	}
	mta.WaitLog(t, "the page delivered to the member's mailbox", regexp.MustCompile(`to=<`+onCall+`@`+mtatest.MemberDomain+`>.*status=sent`), 1)
	page := mta.Mailbox(onCall)
	for _, secret := range []string{"BR.21", "000777", "2001:db8::beef", "juge", "parquet", "just.fgov.be"} {
		if strings.Contains(page, secret) {
			t.Fatalf("the page holds %q:\n%s", secret, page)
		}
	}
	ack := regexp.MustCompile(`desk ack (I-[0-9]+) ([0-9A-Z]{5}-[0-9A-Z]{5})`).FindStringSubmatch(page)
	if ack == nil || !strings.Contains(page, "Subject: CCJ "+ack[1]) {
		t.Fatalf("the page says no acknowledgement:\n%s", page)
	}

	// The test's Postfix runs no milter: the reply carries the result the
	// cell's OpenDMARC would have written. A reply without it (a forged
	// From) and an out-of-office quoting the page acknowledge nothing:
	// they are recorded as intakes.
	reply := "From: <" + onCall + "@" + mtatest.MemberDomain + ">\r\nTo: <ccj@" + mtatest.CellDomain + ">\r\nSubject: Re: CCJ " + ack[1] + "\r\n" +
		"Message-ID: <reply1@" + mtatest.MemberDomain + ">\r\n\r\nOn it.\r\n\r\n> " + ack[0] + "\r\n"
	forged := strings.Replace(reply, "<reply1@", "<forged@", 1)
	away := strings.Replace(reply, "Message-ID: <reply1@", "Auto-Submitted: auto-replied\r\nMessage-ID: <away@", 1)
	reply = "Authentication-Results: " + mtatest.Hostname + "; dmarc=pass header.from=" + mtatest.MemberDomain + "\r\n" + reply
	away = "Authentication-Results: " + mtatest.Hostname + "; dmarc=pass header.from=" + mtatest.MemberDomain + "\r\n" + away
	for _, m := range []string{forged, away} {
		if err := mta.Send(onCall+"@"+mtatest.MemberDomain, []string{"ccj@" + mtatest.CellDomain}, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	mta.WaitLog(t, "the forged replies piped", regexp.MustCompile(`relay=ccjintake.*status=sent`), 3)
	for range 2 {
		if err := mta.Send(onCall+"@"+mtatest.MemberDomain, []string{"ccj@" + mtatest.CellDomain}, []byte(reply)); err != nil {
			t.Fatal(err)
		}
	}
	mta.WaitLog(t, "the replies piped", regexp.MustCompile(`relay=ccjintake.*status=sent`), 5)

	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: timesync.SystemClock{}, Identity: alice})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	var pages []paging.Record
	var acks []paging.Ack
	intakes := 0
	for _, s := range reg.Submissions() {
		switch s.Type {
		case paging.RecordType:
			r, err := paging.DecodeRecord(s.Data)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, r)
		case paging.AckType:
			a, err := paging.DecodeAck(s.Data)
			if err != nil {
				t.Fatal(err)
			}
			acks = append(acks, a)
		case intake.SubmissionType:
			intakes++
		}
	}
	if intakes != 3 {
		t.Fatalf("%d intakes, want the order and the two replies that acknowledge nothing", intakes)
	}
	if len(pages) < 1 || len(pages[0].Attempts) == 0 || !pages[0].Attempts[len(pages[0].Attempts)-1].Sent || pages[0].Intake.Case.String() != ack[1] {
		t.Fatalf("page records: %+v", pages)
	}
	if len(acks) != 1 || acks[0].Member != onCall || !acks[0].ByCode || acks[0].Case.String() != ack[1] {
		t.Fatalf("acknowledgements: %+v", acks)
	}
	plan, err := paging.Next(paging.DefaultPolicy(), cell, pages[0].Intake, paging.Events(pages[0].Intake.Case, pages, acks))
	if err != nil || plan.Acknowledged != onCall {
		t.Fatalf("the escalation does not stop: %+v, %v", plan, err)
	}
	reg.Close()
	out, errs, code := desk(t, timesync.SystemClock{}, "intake", "list", "-all", "-dir", dir, "-identity", aliceFile, "-anchors", "")
	if code != exitOK || !strings.Contains(out, "paged "+onCall) || !strings.Contains(out, "sent (email)") || !strings.Contains(out, "acknowledged by "+onCall) {
		t.Fatalf("intake list: %d\n%s%s", code, out, errs)
	}
}

// The latency from a requisition accepted by the cell's mail server to
// the page in the on-call member's mailbox (the pipe records the intake,
// pages by SMTP through the same Postfix, which delivers it), against the
// same Postfix piping the same message to a bare command (tee into a
// file): the floor, what any pipe delivery costs. Run both in one run:
//
//	go test -run '^$' -bench Postfix -benchtime 20x ./examples/desk/
//
// and read the medians (ms) and their ratio.
func BenchmarkPostfixPage(b *testing.B) {
	benchPostfix(b, false)
}

// BenchmarkPostfixBarePipe is the baseline of BenchmarkPostfixPage.
func BenchmarkPostfixBarePipe(b *testing.B) {
	benchPostfix(b, true)
}

func benchPostfix(b *testing.B, bare bool) {
	root, err := os.MkdirTemp("", "ccjkit-desk-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(root)
	os.Chmod(root, 0o755)
	sink := filepath.Join(root, "sink")
	var pipe []string
	var dir string
	if bare {
		tee, err := exec.LookPath("tee")
		if err != nil {
			b.Skip("no tee")
		}
		pipe = []string{tee, "-a", sink}
	} else {
		dir, _, _, _ = pagingCell(b, root)
		bin := filepath.Join(root, "desk")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			b.Fatalf("go build: %v\n%s", err, out)
		}
		pipe = []string{bin, "intake", "receive", "-dir", dir, "-identity", filepath.Join(root, "intake.identity"), "-lang", "en"}
	}
	mta := mtatest.Start(b, mtatest.Config{Pipe: pipe, Mailboxes: []string{"alice", "bob", "carol"}})
	if !bare {
		writePagingConfig(b, dir, mta.Port)
	}
	os.WriteFile(sink, nil, 0o644)
	mta.Chown(b, root)
	done := func() int {
		if bare {
			fi, _ := os.Stat(sink)
			if fi == nil {
				return 0
			}
			return int(fi.Size())
		}
		n := 0
		for _, m := range []string{"alice", "bob", "carol"} {
			n += strings.Count(mta.Mailbox(m), "\nSubject: CCJ I-")
		}
		return n
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		before := done()
		msg := strings.Replace(intakeMail, "<r1@just.fgov.be>", fmt.Sprintf("<bench%d-%d@just.fgov.be>", i, time.Now().UnixNano()), 1)
		if err := mta.Send("parquet.bruxelles@just.fgov.be", []string{"ccj@" + mtatest.CellDomain}, []byte(msg)); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for deadline := start.Add(time.Minute); done() == before; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				b.Fatalf("no delivery within a minute:\n%s", mta.Log())
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(lat[len(lat)*9/10].Microseconds())/1000, "p90-ms")
}
