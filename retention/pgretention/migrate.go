package pgretention

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ccjkit/ccjkit/retention"
)

// The schema's migrations: migrations/NNNN_name.sql, applied in order,
// each in a transaction of its own with its row in the version table.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one file of the schema.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations reads the embedded migrations, in order.
func migrations() ([]migration, error) {
	ents, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != len(out)+1 {
			return nil, fmt.Errorf("%w: migration %s is not numbered in order", retention.ErrConfig, e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	return out, nil
}

// SchemaVersion is the version of the schema this package reads and
// writes: the number of its migrations.
const SchemaVersion = 1

// migrateLock is the advisory lock migrations hold: one migrating
// process at a time, whatever the number of programs started at once.
const migrateLock int64 = 0x63636a6b72657431 // "ccjkret1"

// versionTable records the migrations applied.
const versionTable = `CREATE TABLE IF NOT EXISTS retention_schema_version (
	version int4        PRIMARY KEY,
	name    text        NOT NULL,
	applied timestamptz NOT NULL DEFAULT now()
)`

// Migrate creates or upgrades the schema of the database dsn names to
// [SchemaVersion], and returns the versions it found and left. It holds
// an advisory lock while it works, so that two programs migrating at
// once apply each migration once; each migration runs in a transaction
// with its row in the version table (retention_schema_version), so that
// a migration is applied whole or not at all. A schema newer than this
// package knows is refused with [ErrSchema], untouched.
func Migrate(ctx context.Context, dsn string) (from, to int, err error) {
	ms, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	conn, err := connect(ctx, dsn)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
		return 0, 0, dbErr("locking for a migration", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock)
	if _, err := conn.Exec(ctx, versionTable); err != nil {
		return 0, 0, dbErr("creating the version table", err)
	}
	from, err = version(ctx, conn)
	if err != nil {
		return 0, 0, err
	}
	if from > len(ms) {
		return from, from, fmt.Errorf("%w: the database's schema is version %d, newer than this program's %d", ErrSchema, from, len(ms))
	}
	to = from
	for _, m := range ms[from:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO retention_schema_version (version, name) VALUES ($1, $2)", m.version, m.name)
			return err
		})
		if err != nil {
			return from, to, dbErr("applying migration "+m.name, err)
		}
		to = m.version
	}
	return from, to, nil
}

// version returns the schema's version: 0 when it has none.
func version(ctx context.Context, conn *pgx.Conn) (int, error) {
	var v int
	err := conn.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM retention_schema_version").Scan(&v)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table: no schema yet
		return 0, nil
	}
	if err != nil {
		return 0, dbErr("reading the schema's version", err)
	}
	return v, nil
}

// connect opens one connection.
func connect(ctx context.Context, dsn string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: the connection string does not parse", retention.ErrConfig)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, dbErr("connecting", err)
	}
	return conn, nil
}

// dbErr wraps a database error in [retention.ErrIO] (or
// [retention.ErrClosed] when the store's context ended), saying what
// was being done and, for an error of the server, its SQLSTATE — never
// its message, which may quote a value.
func dbErr(what string, err error) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %s: %w", retention.ErrClosed, what, context.Canceled)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		code := pe.Code
		if slices.Contains([]string{"25006", "42501"}, code) {
			return fmt.Errorf("%w: %s: %w (SQLSTATE %s)", retention.ErrIO, what, ErrReadOnly, code)
		}
		return fmt.Errorf("%w: %s: SQLSTATE %s", retention.ErrIO, what, code)
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return fmt.Errorf("%w: %s: %w", retention.ErrIO, what, ErrUnreachable)
	}
	// Other errors (the client's own) are named by their type only: an
	// encoding error may quote the value it could not encode.
	return fmt.Errorf("%w: %s failed (%T)", retention.ErrIO, what, err)
}
