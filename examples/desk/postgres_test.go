package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/pgtest"
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
			if code != exitInput || !strings.Contains(errs, tt.want) || strings.Contains(errs, "127.0.0.1") {
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
// machines (two directories, one database), its rows ciphertext; the
// commands this version runs on a journal file only say so.
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
	if out := run(exitInput, "watch", "-once", "-dir", one, "-identity", alice); !strings.Contains(out, "PostgreSQL") {
		t.Fatalf("watch: %s", out)
	}
}
