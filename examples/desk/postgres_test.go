package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/intake"
	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/tasking"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk migrate creates the register's schema in a real PostgreSQL, once;
// the connection string comes from a private file or the environment,
// never from the command line.
func TestMigrate(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := srv.CreateDatabase(t, "ccjkit")
	ctx := context.Background()
	admin := srv.Connect(t, "ccjkit")
	if _, err := admin.Exec(ctx, "CREATE ROLE ccjkit_desk LOGIN"); err != nil {
		t.Fatal(err)
	}
	dir, _ := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-12-06 10:00"))
	file := filepath.Join(t.TempDir(), "register.dsn")
	os.WriteFile(file, []byte(dsn+"\n"), 0o600)

	out, errs, code := desk(t, clock, "migrate", "-dir", dir, "-register-dsn", file, "-app-role", "ccjkit_desk", "-lang", "en")
	if code != exitOK || !strings.Contains(out, "applied: 0001") || !strings.Contains(out, "schema is at version 1") {
		t.Fatalf("migrate: %d\n%s%s", code, out, errs)
	}
	out, errs, code = desk(t, clock, "migrate", "-dir", dir, "-register-dsn", file, "-lang", "en")
	if code != exitOK || strings.Contains(out, "applied") {
		t.Fatalf("migrate again: %d\n%s%s", code, out, errs)
	}
	// The desks' role may read and append, nothing more.
	var grants string
	if err := admin.QueryRow(ctx, `SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants
		WHERE grantee = 'ccjkit_desk' AND table_name = 'ccjkit_journal_records'`).Scan(&grants); err != nil {
		t.Fatal(err)
	}
	if grants != "INSERT,SELECT" {
		t.Fatalf("the desks' role holds %q on the records", grants)
	}
	// From the environment too.
	t.Setenv(registerDSNEnv, dsn)
	if out, errs, code := desk(t, clock, "migrate", "-dir", dir, "-lang", "en"); code != exitOK {
		t.Fatalf("migrate from the environment: %d\n%s%s", code, out, errs)
	}

	refusals := []struct {
		name string
		args []string
		want string
	}{
		{"a connection string on the command line", []string{"migrate", "-dir", dsn}, "ps"},
		{"a key=value connection string on the command line", []string{"migrate", "-dir", "host=127.0.0.1 user=ccjkit password=s3cret dbname=ccjkit"}, "ps"},
		{"a retention connection string as -store", []string{"retention", "migrate", "-dir", dir, "-store", "host=127.0.0.1 password=s3cret"}, "ps"},
		{"an embedded store and a PostgreSQL one", []string{"retention", "migrate", "-dir", dir, "-store", t.TempDir(), "-store-dsn", file}, "give one"},
		{"a file others can read", []string{"migrate", "-dir", dir, "-register-dsn", func() string {
			f := filepath.Join(t.TempDir(), "open.dsn")
			os.WriteFile(f, []byte(dsn), 0o644)
			return f
		}()}, "chmod 600"},
		{"a file of two lines", []string{"migrate", "-dir", dir, "-register-dsn", func() string {
			f := filepath.Join(t.TempDir(), "two.dsn")
			os.WriteFile(f, []byte(dsn+"\n"+dsn), 0o600)
			return f
		}()}, "one line"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := desk(t, clock, append(tt.args, "-lang", "en")...)
			if code != exitInput || !strings.Contains(errs, tt.want) || strings.Contains(errs, "127.0.0.1") || strings.Contains(errs, "s3cret") {
				t.Fatalf("%d %s", code, errs)
			}
		})
	}
	// An unreachable database is a clear error, without the connection
	// string.
	srv.Stop(t, "fast")
	_, errs, code = desk(t, clock, "migrate", "-dir", dir, "-register-dsn", file, "-timeout", "5s", "-lang", "en")
	if code == exitOK || !strings.Contains(errs, "unreachable") || strings.Contains(errs, dsn) {
		t.Fatalf("an unreachable database: %d %s", code, errs)
	}
}

// A register kept in PostgreSQL: founded by desk init, worked on from two
// machines (two directories, one database), its rows ciphertext.
func TestRegisterOnPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := srv.CreateDatabase(t, "cell")
	clock := timesynctest.NewClock(brussels("2026-12-06 10:00"))
	t.Setenv(registerDSNEnv, dsn)
	if out, errs, code := desk(t, clock, "migrate", "-dir", t.TempDir()); code != exitOK {
		t.Fatalf("migrate: %d %s%s", code, out, errs)
	}
	cell, _ := sample.ReadFile("sample/cell.json")
	one, two := t.TempDir(), t.TempDir()
	alice := filepath.Join(t.TempDir(), "alice.identity")
	os.WriteFile(filepath.Join(one, "cell.json"), cell, 0o600)
	run := func(want int, args ...string) string {
		t.Helper()
		clock.Advance(time.Minute)
		out, errs, code := desk(t, clock, append(args, "-lang", "en")...)
		if code != want {
			t.Fatalf("desk %v: exit %d, want %d\n%s%s", args, code, want, out, errs)
		}
		return out + errs
	}
	run(exitOK, "init", "-dir", one, "-identity", alice, "-name", "alice")
	if _, err := os.Stat(journalPath(one)); !os.IsNotExist(err) {
		t.Fatalf("a journal file was written beside a PostgreSQL register: %v", err)
	}
	req := filepath.Join(t.TempDir(), "requisition.json")
	b, _ := sample.ReadFile("sample/requisition.json")
	os.WriteFile(req, b, 0o600)
	if out := run(exitOK, "receive", "-dir", one, "-identity", alice, req); !strings.Contains(out, "2026-0001") {
		t.Fatalf("receive: %s", out)
	}
	// The other machine: its own directory, the same database.
	for _, f := range []string{"cell.json", "desk.json"} {
		b, _ := os.ReadFile(filepath.Join(one, f))
		os.WriteFile(filepath.Join(two, f), b, 0o600)
	}
	run(exitOK, "ack", "-dir", two, "-identity", alice, "2026-0001")
	if out := run(exitOK, "show", "-dir", one, "-identity", alice, "2026-0001"); !strings.Contains(out, "acknowledged") {
		t.Fatalf("show on the first machine: %s", out)
	}
	// The server holds ciphertext: no reference in its rows.
	conn := srv.Connect(t, "cell")
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM ccjkit_journal_records WHERE position('NOT.2026' in encode(frame, 'escape')) > 0`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows holding the reference in clear: %d, %v", n, err)
	}
	if out := run(exitOK, "verify", "-dir", one, "-identity", alice); !strings.Contains(out, "register in PostgreSQL verifies") {
		t.Fatal(out)
	}
}

// pgWatchCell is watchCell on a register kept in PostgreSQL (a real
// server, started for the test): the same cell, paged by webhooks to
// hookURL, desk.json's paging and its register_dsn_file — how the mail
// pipe, which Postfix starts without an environment, finds the database
// — and alice's register founded in the database with the intake service
// and the watch in its roster. No journal file is left in the directory.
func pgWatchCell(t *testing.T, hookURL string) (srv *pgtest.Server, dsn, dir, alice, service, watch string) {
	t.Helper()
	srv = pgtest.Start(t)
	dsn = srv.CreateDatabase(t, "cell")
	ctx := context.Background()
	if _, err := pgjournal.Migrate(ctx, dsn, pgjournal.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	dir, alice, service, watch = watchCell(t, hookURL)
	if err := os.Remove(journalPath(dir)); err != nil {
		t.Fatal(err)
	}
	dsnFile := filepath.Join(t.TempDir(), "register.dsn")
	os.WriteFile(dsnFile, []byte(dsn+"\n"), 0o600)
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.RegisterDSNFile = dsnFile
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	clock := timesynctest.NewClock(brussels("2026-10-01 09:00"))
	reg, err := register.OpenStore(func(signer ed25519.PrivateKey) (journal.Store, error) {
		return pgjournal.Open(ctx, dsn, pgjournal.Options{Clock: clock, Signer: signer, Create: true})
	}, register.Config{Clock: clock, Identity: mustIdentity(t, alice), Found: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	for _, id := range []string{service, watch} {
		if _, err := reg.AddMember(mustIdentity(t, id).Public(), timesync.Verdict{}); err != nil {
			t.Fatal(err)
		}
	}
	return srv, dsn, dir, alice, service, watch
}

// pgRegister opens the register in the database at dsn as the identity
// in the file id, read as it stands now.
func pgRegister(t *testing.T, dsn, id string) *register.Register {
	t.Helper()
	clock := timesynctest.NewClock(brussels("2026-12-31 09:00"))
	reg, err := register.OpenStore(func(signer ed25519.PrivateKey) (journal.Store, error) {
		return pgjournal.Open(context.Background(), dsn, pgjournal.Options{Clock: clock, Signer: signer})
	}, register.Config{Clock: clock, Identity: mustIdentity(t, id)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg
}

// The services on a register kept in PostgreSQL, whose connection string
// only desk.json names: the mail pipe records an intake in the database
// (once, however often it is delivered) and pages the member on call; a
// member records a call-back; desk watch escalates from what the
// database holds — and does nothing while another watch, on any machine,
// holds the database's lock; desk ack I-N stops the escalation; a member
// starts an interception, recorded in the database, and the NE is tasked
// over X1; the watch's daily check verifies the register in the database.
// With the database down, the pipe asks the mail server to retry and
// names no secret.
func TestServicesOnPostgres(t *testing.T) {
	h, hsrv := hookServer(t)
	srv, dsn, dir, alice, service, watch := pgWatchCell(t, hsrv.URL)
	rig := newX1Rig(t, "router-1")
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	json.Unmarshal(b, &cfg)
	cfg.X1 = &X1Config{ADMF: "cell-admf", Cert: rig.cert, Key: rig.key, CA: rig.caFile, NEs: []X1NE{{Name: "router-1", URL: rig.url}}}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	received := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := timesynctest.NewClock(received)
	run := func(want int, args ...string) string {
		t.Helper()
		out, errs, code := desk(t, clock, append(args, "-dir", dir, "-lang", "en")...)
		if code != want {
			t.Fatalf("desk %v: exit %d, want %d\n%s%s", args, code, want, out, errs)
		}
		return out + errs
	}

	// The mail pipe: recorded in the database, paged, once.
	for range 2 {
		if _, errs, code := pipe(t, clock, []byte(intakeMail), "intake", "receive", "-dir", dir, "-identity", service); code != 0 {
			t.Fatalf("receive: %d %s", code, errs)
		}
	}
	pages := h.got()
	if len(pages) != 1 {
		t.Fatalf("%d pages for one intake delivered twice, want 1", len(pages))
	}
	ic := pages[0].body.Case
	seq, ok := ic.Intake()
	if !ok {
		t.Fatalf("the page is about %s, not an intake", ic)
	}
	reg := pgRegister(t, dsn, alice)
	if list := intake.List(reg); len(list) != 1 || list[0].Seq != seq || list[0].By != "service" {
		t.Fatalf("%d intakes in the database", len(list))
	}
	if records, _ := trustedPaging(reg); len(records) != 1 {
		t.Fatalf("%d page records in the database, want 1", len(records))
	}
	clock.Advance(time.Minute)
	run(exitOK, "intake", "callback", "-identity", alice, "-number", "+3225080000", "-published", "annuaire du SPF Justice", "-outcome", "confirmed", fmt.Sprint(seq))

	// The watch escalates from the database — not while another watch
	// holds its lock.
	b, _ = os.ReadFile(filepath.Join(dir, "cell.json"))
	cell, err := ccj.DecodeCell(b)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := paging.Schedule(paging.DefaultPolicy(), cell, paging.Intake{Case: ic, Received: received, Class: paging.Unread}, nil)
	if err != nil || len(steps) < 2 {
		t.Fatalf("%d steps, %v", len(steps), err)
	}
	clock.Set(steps[1].At)
	other := srv.Connect(t, "cell")
	ctx := context.Background()
	lockArg := "$1::bigint | 'ccjkit_journal_records'::regclass::oid::bigint"
	if _, err := other.Exec(ctx, "SELECT pg_advisory_lock("+lockArg+")", watchLockBase); err != nil {
		t.Fatal(err)
	}
	if out := run(exitOK, "watch", "-once", "-identity", watch); !strings.Contains(out, "another watch") {
		t.Fatalf("a watch beside another: %s", out)
	}
	if n := len(h.got()); n != 1 {
		t.Fatalf("a second watch paged while the first held the lock: %d pages", n)
	}
	if _, err := other.Exec(ctx, "SELECT pg_advisory_unlock("+lockArg+")", watchLockBase); err != nil {
		t.Fatal(err)
	}
	run(exitOK, "watch", "-once", "-identity", watch)
	escalated := len(h.got())
	if escalated < 2 {
		t.Fatal("the watch did not escalate from the database")
	}
	if err := reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	if records, _ := trustedPaging(reg); len(records) != 2 {
		t.Fatalf("%d page records in the database, want 2", len(records))
	}

	// desk ack I-N stops the escalation.
	if out := run(exitOK, "ack", "-identity", alice, ic.String()); !strings.Contains(out, "escalation stops") {
		t.Fatalf("ack: %s", out)
	}
	clock.Advance(time.Hour)
	run(exitOK, "watch", "-once", "-identity", watch)
	if n := len(h.got()); n != escalated {
		t.Fatalf("paged after the acknowledgement: %d pages, %d before", n, escalated)
	}

	// An interception decided by a member, recorded in the database, and
	// tasked over X1.
	order := filepath.Join(t.TempDir(), "order.json")
	os.WriteFile(order, []byte(`{"reference": "NOT.2026/0990 JI Example", "measure": "interception", "authority": "juge-instruction",
  "ordered": "2026-11-23T11:30:00+01:00", "received": "2026-11-23T11:35:00+01:00", "reasoned": true,
  "valid_until": "2026-12-20T00:00:00+01:00", "offences": ["penal-347bis"], "items": ["content"],
  "targets": [{"kind": "username", "value": "client-0421@isp.example"}], "response": {"kind": "immediately"}}`), 0o600)
	clock.Set(brussels("2026-11-23 11:40"))
	run(exitOK, "receive", "-identity", alice, order)
	run(exitOK, "ack", "-identity", alice, "2026-0001")
	run(exitOK, "check", "-identity", alice, "2026-0001")
	if out := run(exitOK, "intercept", "start", "-identity", alice, "-liid", "BE-NTSU-0990", "2026-0001"); !strings.Contains(out, "interception decided by alice") {
		t.Fatalf("intercept start: %s", out)
	}
	if out := run(exitOK, "intercept", "sync", "-identity", alice); !strings.Contains(out, "activated") || strings.Contains(out, "failed") {
		t.Fatalf("sync: %s", out)
	}
	if tasks := rig.ne.Tasks(); len(tasks) != 1 || tasks[0].Mediation[0].LIID.String() != "BE-NTSU-0990" {
		t.Fatalf("the NE holds %+v", tasks)
	}
	if err := reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	var decided, activated bool
	for _, sub := range reg.Submissions() {
		switch {
		case sub.Type == tasking.DecisionType && sub.By == "alice":
			decided = true
		case sub.Type == tasking.ActionType && sub.By == "alice" && strings.Contains(string(sub.Data), `"activated"`):
			activated = true
		}
	}
	if !decided || !activated {
		t.Fatalf("in the database: the decision %v, the activation %v", decided, activated)
	}

	// The watch's daily check verifies the register in the database: no
	// alert.
	cfg.Watch = &WatchConfig{Checks: &[]paging.Condition{paging.RegisterCondition}}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	clock.Advance(time.Minute)
	run(exitOK, "watch", "-once", "-identity", watch)
	if err := reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	if alerts := trustedAlerts(reg); len(alerts) != 0 {
		t.Fatalf("the register in the database raised %d alerts", len(alerts))
	}
	if _, err := os.Stat(journalPath(dir)); !os.IsNotExist(err) {
		t.Fatalf("a journal file was written beside the register in PostgreSQL: %v", err)
	}
	if out := run(exitOK, "verify", "-identity", alice); !strings.Contains(out, "register in PostgreSQL verifies") {
		t.Fatal(out)
	}

	// The database down: the mail server keeps the message and retries;
	// nothing of the connection string is said.
	srv.Stop(t, "fast")
	clock.Advance(time.Minute)
	other2 := strings.Replace(intakeMail, "<r1@just.fgov.be>", "<r2@just.fgov.be>", 1)
	_, errs, code := pipe(t, clock, []byte(other2), "intake", "receive", "-dir", dir, "-identity", service)
	if code != 75 || strings.Contains(errs, dsn) || strings.Contains(errs, "127.0.0.1") {
		t.Fatalf("receive with the database down: %d %s", code, errs)
	}
}
