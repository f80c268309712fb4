package intake_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// t0 is 2026-11-23 21:47:03 in Brussels.
var t0 = time.Date(2026, 11, 23, 20, 47, 3, 0, time.UTC)

var goodClock = timesync.Verdict{At: t0, Synchronised: true, ToTheSecond: true, Traceable: true, ErrorBound: 2 * time.Millisecond, Reference: "GPS via chrony"}

// cell is a register with a member, alice, and the intake service.
type cell struct {
	path    string
	clock   *timesynctest.Clock
	alice   register.Identity
	service register.Identity
	reg     *register.Register
	logs    *bytes.Buffer
}

func newCell(t *testing.T) *cell {
	t.Helper()
	alice, err := register.NewIdentity("alice", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	service, err := register.NewIdentity("intake", register.RoleService)
	if err != nil {
		t.Fatal(err)
	}
	c := &cell{path: filepath.Join(t.TempDir(), "register.journal"), clock: timesynctest.NewClock(t0), alice: alice, service: service, logs: &bytes.Buffer{}}
	reg, _, err := register.Open(c.path, register.Config{Clock: c.clock, Identity: alice, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	if _, err := reg.AddMember(service.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	c.reg = reg
	return c
}

func (c *cell) config() intake.Config {
	return intake.Config{Register: c.path, Identity: c.service, Clock: c.clock, Verdict: func() timesync.Verdict { return goodClock },
		Logger: slog.New(slog.NewTextHandler(c.logs, nil))}
}

// reader is the cell's e-mail reader: its server is mx.cell.example, and
// it lists the prosecutors' domain.
func reader() *intake.EmailReader {
	return &intake.EmailReader{AuthServID: "mx.cell.example", Domains: []string{"just.fgov.be"}}
}

func sampleJSON(t testing.TB) []byte {
	b, err := os.ReadFile("testdata/requisition.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// message builds an e-mail: headers, then a multipart/mixed body with a
// text part and the given attachments (name → content, base64).
func message(headers string, attachments ...[2]string) []byte {
	var b strings.Builder
	b.WriteString(headers)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
	b.WriteString("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVeuillez trouver ci-joint la réquisition.\r\n")
	for _, a := range attachments {
		ct := "application/pdf"
		if strings.HasSuffix(a[0], ".json") {
			ct = "application/json"
		}
		fmt.Fprintf(&b, "--b1\r\nContent-Type: %s\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n", ct, a[0], base64.StdEncoding.EncodeToString([]byte(a[1])))
	}
	b.WriteString("--b1--\r\n")
	return []byte(b.String())
}

const genuine = "Authentication-Results: mx.cell.example; spf=pass smtp.mailfrom=just.fgov.be; dkim=pass header.d=just.fgov.be; dmarc=pass header.from=just.fgov.be\r\n" +
	"From: Parquet de Bruxelles <parquet.bruxelles@just.fgov.be>\r\nTo: ccj@cell.example\r\nSubject: Réquisition BR.21.L1.009911/26\r\n" +
	"Date: Mon, 23 Nov 2026 21:47:01 +0100\r\nMessage-ID: <20261123214701.1@just.fgov.be>\r\n"

// An e-mail carrying a requisition becomes a readable intake, recorded
// once, at the second it was received; a member accepts it as a case
// whose deadlines count from that second.
func TestReceiveAndAccept(t *testing.T) {
	c := newCell(t)
	raw := message(genuine, [2]string{"requisition.json", string(sampleJSON(t))}, [2]string{"scan.pdf", "%PDF-1.4 not really"})
	res, err := intake.Receive(c.config(), reader(), bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicate || res.Status != intake.Readable || res.Requisitions != 1 || intake.ExitCode(err) != 0 {
		t.Fatalf("%+v", res)
	}
	// The mail server delivers it again, later: nothing new.
	c.clock.Advance(10 * time.Minute)
	again, err := intake.Receive(c.config(), reader(), bytes.NewReader(raw))
	if err != nil || !again.Duplicate || again.Seq != res.Seq {
		t.Fatalf("redelivery: %+v, %v", again, err)
	}
	if err := c.reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	pending := intake.Pending(c.reg)
	if len(pending) != 1 {
		t.Fatalf("%d pending intakes", len(pending))
	}
	in := pending[0]
	if in.Err != nil || in.At != timesync.FromTime(t0) || in.By != "intake" || !bytes.Equal(in.Record.Raw, raw) || !strings.HasPrefix(in.Record.Key, "message-id:<20261123214701.1@just.fgov.be> body-sha256:") {
		t.Fatalf("intake read back wrong: %v", in.Err)
	}
	want := intake.Authenticity{FromDomain: "just.fgov.be", Listed: true, ServID: "mx.cell.example", SPF: "pass", DKIM: "pass", DKIMDomains: []string{"just.fgov.be"}, DMARC: "pass"}
	if diff := cmp.Diff(want, in.Record.Authenticity); diff != "" {
		t.Fatal(diff)
	}
	if !in.Verified() || len(in.Findings()) != 0 {
		t.Fatalf("a genuine intake is not verified: %v", in.Findings())
	}
	if len(in.Record.Parts) != 3 || !in.Record.Parts[1].Requisition || in.Record.Parts[2].Filename != "scan.pdf" || in.Record.Parts[2].Requisition {
		t.Fatalf("parts: %+v", in.Record.Parts)
	}
	c.clock.Advance(time.Hour)
	cs, err := intake.Accept(c.reg, in.Seq, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Submission != in.Seq || cs.Requisition.Received != timesync.FromTime(t0) || cs.State != register.Received {
		t.Fatalf("case %+v", cs.Requisition.Received)
	}
	if _, err := intake.Accept(c.reg, in.Seq, "alice", goodClock); !errors.Is(err, register.ErrCaseExists) {
		t.Fatalf("accepted twice: %v", err)
	}
	if len(intake.Pending(c.reg)) != 0 || intake.List(c.reg)[0].Case != cs.ID {
		t.Fatal("the accepted intake is still pending")
	}
}

// An intake whose sender nothing vouches for is recorded, warned about,
// and verified by a call-back; a denial undoes every vouching.
func TestAuthenticity(t *testing.T) {
	base := "From: <parquet@just.fgov.be>\r\nMessage-ID: <x@just.fgov.be>\r\n"
	cases := []struct {
		name    string
		headers string
		rules   []string
	}{
		{"genuine", genuine, nil},
		{"no results", base, []string{"intake-authentication-results"}},
		{"results of another server are ignored", "Authentication-Results: mx.attacker.example; dmarc=pass header.from=just.fgov.be\r\n" + base, []string{"intake-authentication-results"}},
		{"dmarc fails", "Authentication-Results: mx.cell.example; spf=fail smtp.mailfrom=just.fgov.be; dmarc=fail header.from=just.fgov.be\r\n" + base, []string{"intake-dmarc"}},
		{"unlisted domain", "Authentication-Results: mx.cell.example; dmarc=pass header.from=justice-be.example\r\nFrom: <urgent@justice-be.example>\r\nMessage-ID: <y@justice-be.example>\r\n", []string{"intake-sender-listed"}},
		{"subdomain of a listed domain", "Authentication-Results: MX.CELL.EXAMPLE; dmarc=pass header.from=parquet.just.fgov.be\r\nFrom: <a@Parquet.Just.Fgov.Be>\r\nMessage-ID: <z@x>\r\n", nil},
		{"no From", "Authentication-Results: mx.cell.example; dmarc=pass header.from=just.fgov.be\r\nMessage-ID: <w@x>\r\n", []string{"intake-sender-listed", "intake-dmarc"}},
		{"DMARC passed for another domain", "Authentication-Results: mx.cell.example; dmarc=pass header.from=evil.example\r\n" + base, []string{"intake-dmarc"}},
		{"two From fields", "Authentication-Results: mx.cell.example; dmarc=pass header.from=just.fgov.be\r\nFrom: <a@just.fgov.be>\r\nFrom: <b@evil.example>\r\nMessage-ID: <v@x>\r\n", []string{"intake-sender-listed", "intake-dmarc"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := reader().Read(message(tc.headers))
			var got []string
			for _, f := range r.Authenticity.Findings() {
				got = append(got, f.Rule)
				if f.Severity.String() != "warning" || !errors.Is(f, intake.ErrUnverified) {
					t.Errorf("%s: %v, not a warning wrapping ErrUnverified", f.Rule, f.Severity)
				}
				if strings.Contains(f.Error(), "just.fgov.be") || strings.Contains(f.Error(), "justice-be") {
					t.Errorf("a finding names the sender: %v", f)
				}
			}
			if diff := cmp.Diff(tc.rules, got); diff != "" {
				t.Fatal(diff)
			}
		})
	}

	c := newCell(t)
	raw := message("From: <urgent@justice-be.example>\r\nMessage-ID: <forged@justice-be.example>\r\n", [2]string{"r.json", string(sampleJSON(t))})
	res, err := intake.Receive(c.config(), reader(), bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c.reg.Refresh()
	if in := intake.List(c.reg)[0]; in.Verified() || len(in.Findings()) != 2 {
		t.Fatalf("an unverified intake: verified %v, %d findings", in.Verified(), len(in.Findings()))
	}
	cb := intake.CallBack{Intake: res.Seq, Number: "+3225080000", Published: "annuaire du SPF Justice, https://justice.belgium.be", Outcome: intake.Confirmed}
	if _, err := intake.RecordCallBack(c.path, c.alice, c.clock, cb); err != nil {
		t.Fatal(err)
	}
	c.reg.Refresh()
	in := intake.List(c.reg)[0]
	if !in.Verified() || len(in.Findings()) != 0 || len(in.CallBacks) != 1 || in.CallBacks[0].By != "alice" {
		t.Fatalf("a confirmed intake: verified %v, %d findings", in.Verified(), len(in.Findings()))
	}
	cb.Outcome = intake.Denied
	if _, err := intake.RecordCallBack(c.path, c.alice, c.clock, cb); err != nil {
		t.Fatal(err)
	}
	c.reg.Refresh()
	if in := intake.List(c.reg)[0]; in.Verified() || len(in.Findings()) != 1 || in.Findings()[0].Rule != "intake-call-back" {
		t.Fatal("a denied intake is still verified")
	}
	bad := intake.CallBack{Number: "0475123456", Outcome: "maybe"}
	err = bad.Check()
	if err == nil || !errors.Is(err, intake.ErrCallBack) || strings.Count(err.Error(), "intake-call-back") != 4 {
		t.Fatalf("every problem of a call-back at once: %v", err)
	}
}

// Hostile or broken messages are each recorded — unreadable, never lost
// — or refused with the exit code that makes the mail server tell the
// sender; nothing of them is quoted in a problem.
func TestHostileMessages(t *testing.T) {
	deep := "From: <a@just.fgov.be>\r\nMessage-ID: <deep@x>\r\nContent-Type: multipart/mixed; boundary=\"d0\"\r\n\r\n"
	for i := 1; i <= 20; i++ {
		deep += fmt.Sprintf("--d%d\r\nContent-Type: multipart/mixed; boundary=\"d%d\"\r\n\r\n", i-1, i)
	}
	var many strings.Builder
	many.WriteString("From: <a@just.fgov.be>\r\nMessage-ID: <many@x>\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n")
	for range 150 {
		many.WriteString("--m\r\nContent-Type: text/plain\r\n\r\nSECRETPART\r\n")
	}
	many.WriteString("--m--\r\n")
	cases := []struct {
		name     string
		raw      []byte
		status   intake.Status
		exit     int
		problems int // at least
	}{
		{"not a message at all", []byte("SECRET\x00\x01garbage without a header end"), intake.Unreadable, 0, 1},
		{"empty", nil, intake.Unreadable, 0, 1},
		{"no Message-ID", []byte("From: <a@just.fgov.be>\r\n\r\nSECRET body\r\n"), intake.Unreadable, 0, 1},
		{"two Message-IDs", []byte("From: <a@just.fgov.be>\r\nMessage-ID: <1@x>\r\nMessage-ID: <2@x>\r\n\r\nSECRET\r\n"), intake.Unreadable, 0, 1},
		{"multipart without boundary", []byte("Message-ID: <nb@x>\r\nContent-Type: multipart/mixed\r\n\r\nSECRET\r\n"), intake.Unreadable, 0, 1},
		{"truncated multipart", []byte("Message-ID: <t@x>\r\nContent-Type: multipart/mixed; boundary=\"q\"\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nSECRET"), intake.Unreadable, 0, 1},
		{"nested too deep", []byte(deep), intake.Unreadable, 0, 1},
		{"too many parts", []byte(many.String()), intake.Unreadable, 0, 1},
		{"JSON in another charset", []byte("Message-ID: <cs@x>\r\nContent-Type: application/json; charset=iso-8859-1\r\n\r\n{\"reference\":\"SECRET\"}"), intake.Unreadable, 0, 1},
		{"JSON that is not a requisition", []byte("Message-ID: <nj@x>\r\nContent-Type: application/json\r\n\r\n{\"reference\":\"SECRET\",\"evil\":1}"), intake.Unreadable, 0, 1},
		{"bad base64", []byte("Message-ID: <b64@x>\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!SECRET!!!"), intake.Unreadable, 0, 1},
		{"unknown transfer encoding", []byte("Message-ID: <te@x>\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-secret\r\n\r\nSECRET"), intake.Unreadable, 0, 1},
		{"too large", append([]byte("Message-ID: <big@x>\r\n\r\n"), bytes.Repeat([]byte("SECRET"), 400_000)...), intake.Refused, intake.ExitDataErr, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCell(t)
			cfg := c.config()
			cfg.MaxSize = 2 << 20
			res, err := intake.Receive(cfg, reader(), bytes.NewReader(tc.raw))
			if got := intake.ExitCode(err); got != tc.exit {
				t.Fatalf("exit %d, want %d (%v)", got, tc.exit, err)
			}
			if res.Seq == 0 {
				t.Fatal("not recorded")
			}
			c.reg.Refresh()
			in := intake.List(c.reg)[0]
			if in.Err != nil || in.Record.Status != tc.status || len(in.Record.Problems) < tc.problems {
				t.Fatalf("status %s, %d problems, %v", in.Record.Status, len(in.Record.Problems), in.Err)
			}
			if tc.status != intake.Refused && !bytes.Equal(in.Record.Raw, tc.raw) {
				t.Fatal("the original is not kept whole")
			}
			for _, p := range in.Record.Problems {
				if strings.Contains(p, "SECRET") || strings.Contains(p, "iso-8859") || strings.Contains(p, "x-secret") {
					t.Fatalf("a problem quotes the message: %q", p)
				}
			}
			if strings.Contains(c.logs.String(), "SECRET") {
				t.Fatal("the log quotes the message")
			}
		})
	}
}

// When the register cannot be written, the mail server is told to try
// again later; when the intake is not set up, to wait for a fix.
func TestExitCodes(t *testing.T) {
	c := newCell(t)
	cfg := c.config()
	cfg.Register = filepath.Join(t.TempDir(), "missing.journal")
	_, err := intake.Receive(cfg, reader(), bytes.NewReader(message(genuine)))
	if !errors.Is(err, intake.ErrRegister) || intake.ExitCode(err) != intake.ExitTempFail {
		t.Fatalf("%v: exit %d", err, intake.ExitCode(err))
	}
	stranger, _ := register.NewIdentity("stranger", register.RoleService)
	cfg = c.config()
	cfg.Identity = stranger
	if _, err := intake.Receive(cfg, reader(), bytes.NewReader(message(genuine))); intake.ExitCode(err) != intake.ExitTempFail || !errors.Is(err, register.ErrActor) {
		t.Fatalf("an identity outside the roster: %v", err)
	}
	cfg = c.config()
	cfg.Identity = register.Identity{}
	if _, err := intake.Receive(cfg, reader(), bytes.NewReader(message(genuine))); intake.ExitCode(err) != intake.ExitTempFail {
		t.Fatalf("no identity: %v", err)
	}
	if _, err := intake.Receive(intake.Config{}, reader(), bytes.NewReader(nil)); !errors.Is(err, intake.ErrConfig) {
		t.Fatalf("empty config: %v", err)
	}
	if _, err := intake.Receive(c.config(), reader(), errReader{}); intake.ExitCode(err) != intake.ExitTempFail {
		t.Fatalf("a broken pipe: %v", err)
	}
	c.reg.Refresh()
	if n := len(intake.List(c.reg)); n != 0 {
		t.Fatalf("%d intakes recorded by failures", n)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken pipe") }

// A scan becomes an unreadable intake; a member transcribes it into a
// case received at the intake's second, the original linked.
func TestTranscribe(t *testing.T) {
	c := newCell(t)
	raw := message(genuine, [2]string{"réquisition scannée.pdf", "%PDF-1.4"})
	res, err := intake.Receive(c.config(), reader(), bytes.NewReader(raw))
	if err != nil || res.Status != intake.Unreadable {
		t.Fatalf("%+v, %v", res, err)
	}
	c.reg.Refresh()
	if _, err := intake.Accept(c.reg, res.Seq, "alice", goodClock); !errors.Is(err, intake.ErrTranscribe) {
		t.Fatalf("an unreadable intake accepted: %v", err)
	}
	if _, err := intake.Accept(c.reg, res.Seq+100, "alice", goodClock); !errors.Is(err, intake.ErrNoIntake) {
		t.Fatalf("%v", err)
	}
	req, err := requisition.Decode(sampleJSON(t))
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(2 * time.Hour)
	cs, err := intake.Transcribe(c.reg, res.Seq, req, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Submission != res.Seq || cs.Requisition.Received != timesync.FromTime(t0) {
		t.Fatal("the transcribed case is not received at the intake's second")
	}
	if in := intake.List(c.reg)[0]; in.Record.Parts[1].Filename != "réquisition scannée.pdf" {
		t.Fatalf("file name %q", in.Record.Parts[1].Filename)
	}
}

// The moment the cell's mail server accepted a message is read from its
// own Received field only, and counts as the receipt when the delivery
// was recorded later (a deferred delivery).
func TestAccepted(t *testing.T) {
	ours := "Received: from mx.just.fgov.be (mx.just.fgov.be [192.0.2.1])\r\n\tby mx.cell.example (Postfix) with ESMTPS id 4F2A1\r\n\tfor <ccj@cell.example>; Mon, 23 Nov 2026 21:40:00 +0100 (CET)\r\n"
	theirs := "Received: from a by mx.just.fgov.be with ESMTP; Mon, 23 Nov 2026 21:30:00 +0100\r\n"
	cases := []struct {
		name       string
		headers    string
		authServID string // "" for mx.cell.example
		receivedBy string
		want       string // Brussels time, "" for none
	}{
		{"ours on top", ours + theirs, "", "", "2026-11-23 21:40:00"},
		{"an authserv-id naming the domain, without ReceivedBy", ours + theirs, "cell.example", "", ""},
		{"an authserv-id naming the domain, ReceivedBy the host", ours + theirs, "cell.example", "mx.cell.example", "2026-11-23 21:40:00"},
		{"ReceivedBy another host", ours + theirs, "", "mx2.cell.example", ""},
		{"another server's on top", theirs + ours, "", "", ""},
		{"none", "", "", "", ""},
		{"later than the recording", strings.Replace(ours, "21:40:00", "21:50:00", 1), "", "", ""},
		{"more than five days before", strings.Replace(ours, "23 Nov", "17 Nov", 1), "", "", ""},
		{"unreadable date", strings.Replace(ours, "Mon, 23 Nov 2026 21:40:00 +0100", "yesterday", 1), "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCell(t)
			raw := message(tc.headers+genuine, [2]string{"r.json", string(sampleJSON(t))})
			rd := reader()
			if tc.authServID != "" {
				rd.AuthServID = tc.authServID
			}
			rd.ReceivedBy = tc.receivedBy
			res, err := intake.Receive(c.config(), rd, bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			c.reg.Refresh()
			in := intake.List(c.reg)[0]
			want := in.At
			if tc.want != "" {
				want = timesync.MustParseBrussels(tc.want, timesync.Strict)
			}
			if in.Receipt() != want {
				t.Fatalf("receipt %v, want %v", in.Receipt(), want)
			}
			cs, err := intake.Accept(c.reg, res.Seq, "alice", goodClock)
			if err != nil {
				t.Fatal(err)
			}
			if cs.Requisition.Received != want {
				t.Fatalf("case received %v, want %v", cs.Requisition.Received, want)
			}
		})
	}
}

// A bounce or a delivery report is recorded, and said to be automatic.
func TestAutomatic(t *testing.T) {
	cases := []struct {
		name    string
		headers string
		want    bool
	}{
		{"a person's message", genuine, false},
		{"a bounce", "Return-Path: <>\r\n" + genuine, true},
		{"an order from a platform, marked auto-generated: paged all the same", "Auto-Submitted: auto-generated\r\n" + genuine, false},
		{"said not to be", "Auto-Submitted: no\r\n" + genuine, false},
		{"a sender", "Return-Path: <parquet@just.fgov.be>\r\n" + genuine, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCell(t)
			res, err := intake.Receive(c.config(), reader(), bytes.NewReader(message(tc.headers)))
			if err != nil || res.Automatic != tc.want {
				t.Fatalf("automatic %v, want %v (%v)", res.Automatic, tc.want, err)
			}
			c.reg.Refresh()
			if intake.List(c.reg)[0].Record.Automatic != tc.want {
				t.Fatal("not recorded")
			}
		})
	}
}

// Two different messages under one Message-ID are two intakes: the key
// is the Message-ID and the body's digest. The same message delivered
// again with other transit headers is one.
func TestMessageIDReused(t *testing.T) {
	c := newCell(t)
	first := message(genuine, [2]string{"r.json", string(sampleJSON(t))})
	other := message(genuine, [2]string{"other.pdf", "%PDF another order"})
	again := append([]byte("Received: from relay2 by mx.cell.example; Mon, 23 Nov 2026 21:50:00 +0100\r\n"), first...)
	var seqs []uint64
	for _, raw := range [][]byte{first, other, again} {
		res, err := intake.Receive(c.config(), reader(), bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, res.Seq)
	}
	if seqs[0] == seqs[1] {
		t.Fatal("another message under the same Message-ID was taken for a redelivery, and not recorded")
	}
	if seqs[2] != seqs[0] {
		t.Fatal("the same message with other transit headers was recorded twice")
	}
}

// A delivery of the largest size accepted fits in one deposit, with its
// record around it (base64 and all); one byte more is refused, recorded
// cut at the limit, and bounced.
func TestLimitFitsDeposit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 60 MB")
	}
	c := newCell(t)
	head := []byte("Message-ID: <big@just.fgov.be>\r\nContent-Type: application/pdf\r\n\r\n")
	raw := append(head, bytes.Repeat([]byte{0xff}, intake.DefaultMaxSize-len(head))...)
	res, err := intake.Receive(c.config(), reader(), bytes.NewReader(raw))
	if err != nil || res.Status != intake.Unreadable {
		t.Fatalf("a delivery at the limit: %+v, %v", res, err)
	}
	raw = append(raw, 'x')
	raw = bytes.Replace(raw, []byte("<big@"), []byte("<big2@"), 1)
	res, err = intake.Receive(c.config(), reader(), bytes.NewReader(raw))
	if intake.ExitCode(err) != intake.ExitDataErr || res.Seq == 0 || res.Status != intake.Refused {
		t.Fatalf("a delivery over the limit: %+v, %v", res, err)
	}
}

// The intake service cannot vouch for what it received: a call-back it
// writes is not one; and an intake a member submits is not an intake.
func TestCallBackOnlyByMembers(t *testing.T) {
	c := newCell(t)
	raw := message("From: <urgent@justice-be.example>\r\nMessage-ID: <f@justice-be.example>\r\n", [2]string{"r.json", string(sampleJSON(t))})
	res, err := intake.Receive(c.config(), reader(), bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := json.Marshal(intake.CallBack{Intake: res.Seq, Number: "+3225080000", Published: "x", Outcome: intake.Confirmed})
	if _, err := register.Submit(c.path, c.service, c.clock, intake.CallBackType, forged); err != nil {
		t.Fatal(err)
	}
	if _, err := register.Submit(c.path, c.alice, c.clock, intake.SubmissionType, []byte(`{"version":1}`)); err != nil {
		t.Fatal(err)
	}
	c.reg.Refresh()
	list := intake.List(c.reg)
	if len(list) != 1 || list[0].Verified() || len(list[0].CallBacks) != 0 {
		t.Fatalf("%d intakes; the service's call-back counted: %v", len(list), list[0].Verified())
	}
	if _, err := intake.Accept(c.reg, res.Seq, "alice", goodClock); err != nil {
		t.Fatal(err) // Accept itself does not judge: the desk refuses an unverified intake
	}
}

// Text gives what a person wrote, its transfer encoding undone.
func TestText(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte("On it.\n> desk ack I-7 ABCDE-FGHJK\n"))
	raw := []byte("From: <a@b>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"x\"\r\n\r\n" +
		"--x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n" +
		"--x\r\nContent-Type: text/html\r\n\r\n<p>On it.</p>\r\n--x--\r\n")
	got := string(reader().Text(raw))
	if !strings.Contains(got, "desk ack I-7 ABCDE-FGHJK") || strings.Contains(got, "<p>") {
		t.Fatalf("%q", got)
	}
	if reader().Text([]byte("not a message")) != nil {
		t.Fatal("text of a message that cannot be read")
	}
}
