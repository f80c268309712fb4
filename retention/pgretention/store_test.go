package pgretention

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// The lookup's statement uses the partitions' GiST indexes — never a
// scan of a table — in the custom plans and in the generic plan a
// prepared statement may settle on, and reads no partition of a period
// past its retention: the planner prunes it, or, in the generic plan,
// the executor does ("Subplans Removed").
func TestLookupPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a PostgreSQL server")
	}
	f := newFixture(t, ts("2026-11-01T09:00:00+01:00").Time())
	dsn := f.database()
	s := f.open(dsn)
	for k, day := range []string{"2026-10-28", "2026-10-29", "2026-10-30"} {
		as, ms := genDay(timesync.FromTime(timesync.DayStart(timesync.MustParseDay(day))), 2000, 10, uint64(k))
		ingest(t, s, as, ms)
	}
	// The first day's mappings are past their six months.
	f.clock.Set(ts("2027-04-29T12:00:00+02:00").Time())
	conn := f.srv.Connect(t, "retention_1")
	if _, err := conn.Exec(t.Context(), "VACUUM ANALYZE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), "PREPARE lookup AS "+sqlLookup); err != nil {
		t.Fatal(err)
	}
	now := timesync.Now(f.clock)
	at := ts("2026-10-29T12:00:00+01:00")
	args := fmt.Sprintf("'%s', '[%d,%d)', '[%s,%s]', '%s', '%s'", publicOf(7), blockOf(7).First, blockOf(7).First+1,
		at.Time().Add(-time.Hour).Format(time.RFC3339), at.Time().Add(time.Hour).Format(time.RFC3339),
		s.firstKept(retention.ClassMappings, now), s.firstKept(retention.ClassAssignments, now))
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		if _, err := conn.Exec(t.Context(), "SET plan_cache_mode = "+mode); err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(t.Context(), "EXPLAIN EXECUTE lookup("+args+")")
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.Join(lines, "\n")
		for _, index := range []string{"retention_mappings_p20261029_public_during_ports_idx", "retention_assignments_p20261029_prefix_during_ports_idx"} {
			if !strings.Contains(plan, index) {
				t.Errorf("%s: the plan does not use %s:\n%s", mode, index, plan)
			}
		}
		if strings.Contains(plan, "Seq Scan") {
			t.Errorf("%s: the plan scans a table:\n%s", mode, plan)
		}
		if generic := strings.Contains(plan, "$1"); generic != (mode == "force_generic_plan") {
			t.Errorf("%s: the plan is not the one asked for:\n%s", mode, plan)
		}
		if strings.Contains(plan, "retention_mappings_p20261028") && !strings.Contains(plan, "Subplans Removed") {
			t.Errorf("%s: the plan may read the mappings of a period past its retention:\n%s", mode, plan)
		}
		t.Logf("%s:\n%s", mode, plan)
	}
	// The store's own statement, as prepared on its connections, answers.
	ans, err := s.answer(view{anyHold: true}, publicOf(7), 0, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Ambiguities) == 0 && len(ans.Candidates) == 0 {
		t.Errorf("the plan's lookup: %+v", ans)
	}
}

// A dump of the database taken before a period is destroyed holds no
// subscriber reference, device or evidence hash in clear — its rows
// hold the addresses, ports and intervals, as docs/security.md says —
// and once the purge has destroyed the period's keys, its rows open for
// no one, the cell included: the dump restored into a new database and
// read with the cell's identity and key directory answers nothing but
// ErrNoKey. The purge dropped the partition.
func TestDumpUnreadableAfterPurge(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a PostgreSQL server")
	}
	f := newFixture(t, ts("2026-10-30T09:00:00+01:00").Time())
	dsn := f.database()
	s := f.open(dsn)
	day := timesync.FromTime(timesync.DayStart(timesync.MustParseDay("2026-10-29")))
	as, ms := genDay(day, 50, 4, 1)
	ingest(t, s, as, ms)
	dump := filepath.Join(t.TempDir(), "before.sql")
	out, err := exec.Command(f.srv.Bin("pg_dump"), "--dbname", dsn, "--file", dump).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, out)
	}
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("retention_mappings_p20261029")) || !bytes.Contains(b, []byte(publicOf(3).String())) {
		t.Fatalf("the dump does not hold the period's rows: %d bytes", len(b))
	}
	for _, a := range as {
		for _, secret := range []string{string(a.Subscriber), a.Source.Device, fmt.Sprintf("%x", a.Source.Hash)} {
			if bytes.Contains(b, []byte(secret)) {
				t.Fatalf("the dump holds %q in clear", secret)
			}
		}
	}
	if bytes.Contains(b, []byte("cgnat-1")) {
		t.Fatal("the dump holds a device's name in clear")
	}
	// Twelve months and a day on: everything of the day is destroyed.
	f.clock.Set(ts("2027-10-31T00:00:00+01:00").Time())
	rep, err := s.Purge()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Destroyed) != 2 || rep.Destroyed[0].Records != len(as) || rep.Destroyed[1].Records != len(ms) {
		t.Fatalf("destroyed: %+v", rep.Destroyed)
	}
	conn := f.srv.Connect(t, "retention_1")
	var parts int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_class WHERE relname LIKE 'retention_%_p20261029'`).Scan(&parts); err != nil {
		t.Fatal(err)
	}
	if parts != 0 {
		t.Errorf("%d partitions of the destroyed day left", parts)
	}
	if ks, _ := s.keys.Scopes(); len(ks) != 0 {
		t.Errorf("keys left: %v", ks)
	}
	// The dump, restored, with the cell's identity and key directory.
	restored := f.srv.CreateDatabase(t, "restored")
	if out, err := exec.Command(f.srv.Bin("psql"), "--dbname", restored, "--quiet", "--set", "ON_ERROR_STOP=1", "--file", dump).CombinedOutput(); err != nil {
		t.Fatalf("psql: %v: %s", err, out)
	}
	f.clock.Set(ts("2026-10-30T09:00:00+01:00").Time()) // as if the period were still in force
	old := f.open(restored)
	_, err = old.answer(view{anyHold: true}, publicOf(3), 0, ms[3*4].From)
	if !errors.Is(err, retention.ErrNoKey) {
		t.Errorf("a lookup in the restored dump: %v", err)
	}
	_, err = old.Verify()
	var p *provenance.Problems
	if !errors.As(err, &p) || len(p.Errors()) != len(as)+len(ms) {
		t.Errorf("verifying the restored dump: %v", err)
	}
	for _, secret := range []string{"C-0000", publicOf(3).String()} {
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("an error quotes %q", secret)
		}
	}
}

// A row whose address, ports or interval were changed in clear by
// whoever can write to the database no longer says what its sealed
// record says: a lookup that reads it refuses with ErrTampered, and
// Verify names its partition and place; a row moved to another day's
// partition does not open.
func TestTamperNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a PostgreSQL server")
	}
	f := newFixture(t, ts("2026-10-31T09:00:00+01:00").Time())
	dsn := f.database()
	s := f.open(dsn)
	day := timesync.FromTime(timesync.DayStart(timesync.MustParseDay("2026-10-29")))
	as, ms := genDay(day, 20, 2, 1)
	ingest(t, s, as, ms)
	next, _ := genDay(day.Add(24*time.Hour), 1, 0, 2)
	ingest(t, s, next, nil)
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	conn := f.srv.Connect(t, "retention_1")
	// A mapping's interval moved an hour; an assignment moved to the next day.
	if _, err := conn.Exec(t.Context(), `UPDATE retention_mappings SET during = tstzrange(lower(during) + interval '1 hour', upper(during) + interval '1 hour')
		WHERE ctid = (SELECT ctid FROM retention_mappings_p20261029 WHERE public = $1 LIMIT 1)`, ms[0].Public); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), `INSERT INTO retention_assignments SELECT '2026-10-30', kid, prefix, ports, during, sealed
		FROM retention_assignments_p20261029 WHERE prefix = $1`, as[1].Prefix); err != nil {
		t.Fatal(err)
	}
	_, err := s.answer(view{anyHold: true}, ms[0].Public, ms[0].Ports.First, ms[0].From.Add(time.Hour))
	if !errors.Is(err, retention.ErrTampered) {
		t.Errorf("a lookup of the changed row: %v", err)
	}
	_, err = s.Verify()
	var p *provenance.Problems
	if !errors.As(err, &p) || len(p.Errors()) != 2 {
		t.Fatalf("verify: %v", err)
	}
	fields := []string{p.Errors()[0].Field, p.Errors()[1].Field}
	slices.Sort(fields)
	if !strings.HasPrefix(fields[0], "retention_assignments_p20261030 row (") || !strings.HasPrefix(fields[1], "retention_mappings_p20261029 row (") {
		t.Errorf("verify names %v", fields)
	}
	if strings.Contains(err.Error(), "198.51") || strings.Contains(err.Error(), "100.64") || strings.Contains(err.Error(), "C-0") {
		t.Errorf("verify quotes a record: %v", err)
	}
}

// Migrations: a database with no schema is refused by Open; Migrate
// creates it, a second Migrate finds nothing to do, programs migrating at
// once migrate once; a schema newer than the program's is refused by
// both.
func TestMigrate(t *testing.T) {
	f := newFixture(t, ts("2026-10-31T09:00:00+01:00").Time())
	dsn := f.srv.CreateDatabase(t, "fresh")
	if _, err := Open(context.Background(), f.config(dsn)); !errors.Is(err, ErrSchema) {
		t.Errorf("a database with no schema: %v", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	tos := make([]int, 4)
	for i := range 4 {
		wg.Go(func() { _, tos[i], errs[i] = Migrate(context.Background(), dsn) })
	}
	wg.Wait()
	for i := range 4 {
		if errs[i] != nil || tos[i] != SchemaVersion {
			t.Errorf("migration %d: to %d, %v", i, tos[i], errs[i])
		}
	}
	from, to, err := Migrate(context.Background(), dsn)
	if from != SchemaVersion || to != SchemaVersion || err != nil {
		t.Errorf("again: %d → %d, %v", from, to, err)
	}
	conn := f.srv.Connect(t, "fresh")
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM retention_schema_version").Scan(&n); err != nil || n != SchemaVersion {
		t.Errorf("the version table holds %d rows: %v", n, err)
	}
	s := f.open(dsn)
	s.Close()
	if _, err := conn.Exec(t.Context(), "INSERT INTO retention_schema_version (version, name) VALUES ($1, 'from the future')", SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), f.config(dsn)); !errors.Is(err, ErrSchema) {
		t.Errorf("a newer schema: %v", err)
	}
	if _, _, err := Migrate(context.Background(), dsn); !errors.Is(err, ErrSchema) {
		t.Errorf("migrating a newer schema: %v", err)
	}
	// Unreachable: a clear error, the connection string not quoted.
	cfg := f.config("postgres://postgres:secret-password@127.0.0.1:1/none?connect_timeout=2")
	if _, err := Open(context.Background(), cfg); !errors.Is(err, ErrUnreachable) || strings.Contains(err.Error(), "secret-password") {
		t.Errorf("an unreachable server: %v", err)
	}
}
