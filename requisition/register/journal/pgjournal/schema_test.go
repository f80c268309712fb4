package pgjournal_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// asRole returns dsn with its user replaced (the test cluster trusts
// local connections).
func asRole(t testing.TB, dsn, role string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

func execSQL(t testing.TB, dsn, sql string, args ...any) error {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql, args...)
	return err
}

func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// The application role may read and append, nothing else; the triggers
// refuse to change or remove a record even to the table's owner (here a
// superuser), until it disables them — and Verify then names the record
// it changed. Migrate is idempotent and run by two processes at once
// applies each step once.
func TestRolesAndTriggers(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	owner := srv.CreateDatabase(t, "grants")
	if err := execSQL(t, owner, "CREATE ROLE ccjkit_app LOGIN"); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := pgjournal.Migrate(ctx, owner, pgjournal.MigrateOptions{AppRole: "ccjkit_app"})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if steps, err := pgjournal.Migrate(ctx, owner, pgjournal.MigrateOptions{AppRole: "ccjkit_app"}); err != nil || len(steps) != 0 {
		t.Fatalf("migrating a current schema applied %d steps, %v", len(steps), err)
	}
	var versions int
	c := srv.Connect(t, "grants")
	if err := c.QueryRow(ctx, "SELECT count(*) FROM ccjkit_journal_schema").Scan(&versions); err != nil || versions != pgjournal.SchemaVersion {
		t.Fatalf("the version table holds %d rows, %v", versions, err)
	}

	app := asRole(t, owner, "ccjkit_app")
	s := openStore(t, app, key("alice"))
	for i := range 5 {
		if _, err := s.Append("event", fmt.Appendf(nil, "secret-free payload %d", i)); err != nil {
			t.Fatalf("the application role appends: %v", err)
		}
	}
	for _, tc := range []struct {
		who, dsn, sql, code string
	}{
		{"the application role", app, "UPDATE ccjkit_journal_records SET frame = frame WHERE seq = 1", "42501"},
		{"the application role", app, "DELETE FROM ccjkit_journal_records WHERE seq = 5", "42501"},
		{"the application role", app, "TRUNCATE ccjkit_journal_records", "42501"},
		{"the application role", app, "INSERT INTO ccjkit_journal_schema (version, name) VALUES (9, 'x')", "42501"},
		{"the owner", owner, "UPDATE ccjkit_journal_records SET frame = frame WHERE seq = 1", "CJ001"},
		{"the owner", owner, "DELETE FROM ccjkit_journal_records WHERE seq = 5", "CJ001"},
		{"the owner", owner, "TRUNCATE ccjkit_journal_records", "CJ001"},
	} {
		if err := execSQL(t, tc.dsn, tc.sql); sqlstate(err) != tc.code {
			t.Errorf("%s: %s: %v, want SQLSTATE %s", tc.who, tc.sql, err, tc.code)
		}
	}
	if sum, err := s.Verify(journal.ScanOptions{}); err != nil || sum.Records != 6 {
		t.Fatalf("Verify: %d records, %v", sum.Records, err)
	}

	// A superuser disables the triggers and the foreign key, and rewrites
	// record 3 with a consistent hash: the CHECK holds, the signature and
	// the next record's link do not.
	var frame []byte
	if err := c.QueryRow(ctx, "SELECT frame FROM ccjkit_journal_records WHERE seq = 3").Scan(&frame); err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(frame), "payload 2")
	frame[i] = 'P'
	h := sha256.Sum256(frame[8 : len(frame)-32])
	copy(frame[len(frame)-32:], h[:])
	tamper := func(sql string, args ...any) {
		t.Helper()
		c, err := pgx.Connect(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "SET session_replication_role = replica"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	tamper("UPDATE ccjkit_journal_records SET frame = $1, hash = $2 WHERE seq = 3", frame, h[:])
	for _, tc := range []struct {
		opts journal.ScanOptions
		seq  uint64
	}{{journal.ScanOptions{}, 3}, {journal.ScanOptions{ChainOnly: true}, 4}} {
		_, err := pgjournal.Verify(ctx, app, tc.opts)
		var ce *journal.CorruptError
		if !errors.As(err, &ce) || ce.Seq != tc.seq {
			t.Errorf("Verify (chain only: %v) of a rewritten record 3: %v, want record %d named", tc.opts.ChainOnly, err, tc.seq)
		}
	}
	// A record removed is named too.
	tamper("DELETE FROM ccjkit_journal_records WHERE seq = 2")
	if _, err := pgjournal.Verify(ctx, app, journal.ScanOptions{}); !errors.Is(err, journal.ErrCorrupt) {
		t.Errorf("Verify after a record was deleted: %v", err)
	}
	if _, err := pgjournal.Open(ctx, app, pgjournal.Options{Clock: timesynctest.NewClock(t0)}); !errors.Is(err, journal.ErrCorrupt) {
		t.Errorf("Open of a tampered journal: %v", err)
	}
}

// Each error names its rule: a database unreachable, a schema missing,
// older or newer than the code, another journal than the one expected,
// an empty database without Create, a read-only database.
func TestErrors(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	clock := timesynctest.NewClock(t0)
	open := func(dsn string, o pgjournal.Options) error {
		o.Clock = clock
		s, err := pgjournal.Open(ctx, dsn, o)
		if err == nil {
			s.Close()
		}
		return err
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := fmt.Sprintf("postgres://postgres@%s/x?sslmode=disable&connect_timeout=5", l.Addr())
	l.Close()
	if err := open(closed, pgjournal.Options{Create: true}); !errors.Is(err, pgjournal.ErrUnreachable) {
		t.Errorf("a closed port: %v", err)
	}

	bare := srv.CreateDatabase(t, "bare")
	var se *pgjournal.SchemaError
	if err := open(bare, pgjournal.Options{Create: true}); !errors.As(err, &se) || se.Have != 0 || !strings.Contains(err.Error(), "run migrate") {
		t.Errorf("no schema: %v", err)
	}
	dsn := journalDB(t, srv, "journal")
	if err := open(dsn, pgjournal.Options{}); !errors.Is(err, pgjournal.ErrNoJournal) {
		t.Errorf("an empty journal without Create: %v", err)
	}
	s := openStore(t, dsn, key("alice"))
	id := s.ID()
	other := id
	other[0] ^= 1
	if err := open(dsn, pgjournal.Options{ID: &id}); err != nil {
		t.Errorf("the expected journal: %v", err)
	}
	if err := open(dsn, pgjournal.Options{ID: &other}); !errors.Is(err, pgjournal.ErrJournalID) {
		t.Errorf("another journal: %v", err)
	}

	if err := execSQL(t, dsn, "INSERT INTO ccjkit_journal_schema (version, name) VALUES ($1, 'future')", pgjournal.SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	if err := open(dsn, pgjournal.Options{}); !errors.As(err, &se) || se.Have != pgjournal.SchemaVersion+1 || !strings.Contains(err.Error(), "newer") {
		t.Errorf("a newer schema: %v", err)
	}
	if _, err := pgjournal.Migrate(ctx, dsn, pgjournal.MigrateOptions{}); !errors.Is(err, pgjournal.ErrSchema) {
		t.Errorf("migrating a newer schema: %v", err)
	}
	if _, err := pgjournal.Verify(ctx, dsn, journal.ScanOptions{}); !errors.Is(err, pgjournal.ErrSchema) {
		t.Errorf("verifying a newer schema: %v", err)
	}

	// Read-only: the store opens and reads, and a write says why it
	// failed, wrapping ErrIO (not acknowledged).
	ro := journalDB(t, srv, "readonly")
	openStore(t, ro, key("alice")) // writes the header
	if err := execSQL(t, srv.DSN("postgres"), "ALTER DATABASE readonly SET default_transaction_read_only = on"); err != nil {
		t.Fatal(err)
	}
	r := openStore(t, ro, key("bob"))
	if _, err := r.Append("event", nil); !errors.Is(err, pgjournal.ErrReadOnly) || !errors.Is(err, journal.ErrIO) {
		t.Errorf("an append to a read-only database: %v", err)
	}
}
