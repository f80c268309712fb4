package pgjournal

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one step of the schema: an SQL file embedded in the
// package, named NNNN_name.sql, applied once, in order.
type Migration struct {
	// Version is the schema's version once the step is applied.
	Version int
	// Name is the file's name without its number and extension.
	Name string
	// SQL is the step's statements.
	SQL string
}

// SchemaVersion is the schema version this code reads and writes: the
// version of the last [Migration].
const SchemaVersion = 1

// versionTable records the migrations applied, one row each.
const versionTable = "ccjkit_journal_schema"

// migrationLock is the key of the advisory lock under which migrations
// run ("ccjm" and a 1), so that two desks migrating at once apply each
// step once.
const migrationLock = 0x63636a6d_00000001

// Migrations returns the schema's steps, in order. They are plain SQL
// embedded in the package (migrations/*.sql), applied by [Migrate] with a
// version table, rather than by a migration tool such as goose: each step
// runs in one transaction with its version row, under an advisory lock,
// which is all a single append-only table needs — and the library adds no
// dependency, nor a tool's own table and conventions, to every program
// that embeds it.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, name := range names { // fs.Glob sorts
		base := strings.TrimSuffix(path.Base(name), ".sql")
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != len(out)+1 {
			return nil, fmt.Errorf("%w: migration file %s is not numbered %04d", ErrSchema, name, len(out)+1)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	if len(out) != SchemaVersion {
		return nil, fmt.Errorf("%w: %d migration files for schema version %d", ErrSchema, len(out), SchemaVersion)
	}
	return out, nil
}

// MigrateOptions configure [Migrate].
type MigrateOptions struct {
	// AppRole, when set, is the role the desks connect as: it is granted
	// SELECT and INSERT on the records — nothing more (no UPDATE, no
	// DELETE, no TRUNCATE) — and SELECT on the version table. The role
	// must exist (CREATE ROLE is the administrator's, not ours).
	AppRole string
}

// Migrate brings the schema of the database at dsn to [SchemaVersion],
// connecting as a role that may create tables (the owner of the schema,
// never the desks' role): each step not yet applied runs in its own
// transaction, with the row that records it, under an advisory lock, so
// that two processes migrating at once apply it once, and a failed step
// leaves nothing behind. It returns the steps applied (none when the
// schema is current). A database whose schema is newer than this code is
// refused with an error wrapping [ErrSchema].
func Migrate(ctx context.Context, dsn string, opts MigrateOptions) ([]Migration, error) {
	steps, err := Migrations()
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, classify("connecting to migrate", err)
	}
	defer conn.Close(context.Background())
	var applied []Migration
	for _, m := range steps {
		done, err := migrateOne(ctx, conn, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m)
		}
	}
	if opts.AppRole != "" {
		role := pgx.Identifier{opts.AppRole}.Sanitize()
		_, err := conn.Exec(ctx, "REVOKE ALL ON ccjkit_journal_records, "+versionTable+" FROM "+role+";"+
			"GRANT SELECT, INSERT ON ccjkit_journal_records TO "+role+";"+
			"GRANT SELECT ON "+versionTable+" TO "+role)
		if err != nil {
			return applied, classify("granting the application role", err)
		}
	}
	return applied, nil
}

// migrateOne applies m unless the version table says it was; it reports
// whether it did.
func migrateOne(ctx context.Context, conn *pgx.Conn, m Migration) (bool, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return false, classify("migrating", err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
		return false, classify("migrating", err)
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+versionTable+
		" (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"); err != nil {
		return false, classify("migrating", err)
	}
	var have int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+versionTable).Scan(&have); err != nil {
		return false, classify("migrating", err)
	}
	if have > SchemaVersion {
		return false, &SchemaError{Have: have, Want: SchemaVersion}
	}
	if have >= m.Version {
		return false, nil
	}
	if have != m.Version-1 {
		return false, &SchemaError{Have: have, Want: SchemaVersion}
	}
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, classify("migrating", err))
	}
	if _, err := tx.Exec(ctx, "INSERT INTO "+versionTable+" (version, name) VALUES ($1, $2)", m.Version, m.Name); err != nil {
		return false, classify("migrating", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return false, classify("migrating", err)
	}
	return true, nil
}

// schemaVersion reads the version of the schema q's database holds: 0
// when it has none.
func schemaVersion(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, error) {
	var v int
	err := q.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM "+versionTable).Scan(&v)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table
		return 0, nil
	}
	return v, err
}
