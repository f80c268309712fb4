package pgjournal

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
)

// The errors of the PostgreSQL store, for errors.Is. Those of a failed
// write also wrap [journal.ErrIO], as the file journal's do: the record
// was not acknowledged.
var (
	// ErrUnreachable: the database could not be reached, or the
	// connection broke (the server stopped, the network failed).
	ErrUnreachable = errors.New("pgjournal: the database is unreachable")
	// ErrReadOnly: the server refused a write because it is read-only —
	// a hot standby (SQLSTATE 25006), or default_transaction_read_only.
	// Connect the writers to the primary.
	ErrReadOnly = errors.New("pgjournal: the database is read-only (a standby?): writes go to the primary")
	// ErrSchema: the database's schema is not the one this code reads
	// (none, older or newer); see [SchemaError].
	ErrSchema = errors.New("pgjournal: the schema is not this version's")
	// ErrJournalID: the database holds another journal than the one
	// expected ([Options.ID]).
	ErrJournalID = errors.New("pgjournal: the database holds another journal")
	// ErrNoJournal: the database holds no journal yet and
	// [Options.Create] was not set.
	ErrNoJournal = errors.New("pgjournal: the database holds no journal (create it, or found the register)")
	// ErrAppendOnly: the database refused to change or remove a record —
	// the schema's triggers, or the role's missing privilege. Nothing in
	// this package ever asks it to; seeing this means someone else did.
	ErrAppendOnly = errors.New("pgjournal: records are never changed or removed")
	// ErrDiskFull: the server could not write for want of space
	// (SQLSTATE class 53: disk full, out of memory, too many
	// connections). The write was rolled back.
	ErrDiskFull = errors.New("pgjournal: the database server is out of space or resources")
	// ErrInDoubt: the connection broke while the database was committing
	// a write, and the store could not learn afterwards whether the write
	// is there. It was not acknowledged, and is never written again by
	// the store; it may be durable all the same. The next Update or
	// Refresh hands it over as a record of the journal if it is.
	ErrInDoubt = errors.New("pgjournal: a write's outcome is unknown (the connection broke during COMMIT)")
	// ErrNotCommitted: the connection broke during COMMIT and, looking
	// again under the journal's lock, the write is not in the database:
	// it was rolled back, and was not acknowledged.
	ErrNotCommitted = errors.New("pgjournal: the write was not committed (the connection broke during COMMIT)")
)

// SchemaError is the error of a database whose schema is not the
// version this code reads: Have is the database's (0 for none), Want
// the code's ([SchemaVersion]).
type SchemaError struct{ Have, Want int }

// Error names both versions and what to do.
func (e *SchemaError) Error() string {
	switch {
	case e.Have == 0:
		return fmt.Sprintf("%v: the database has no journal schema (version %d needed): run migrate (desk migrate, or pgjournal.Migrate) as the schema's owner", ErrSchema, e.Want)
	case e.Have < e.Want:
		return fmt.Sprintf("%v: the database's schema is version %d, older than this code's %d: run migrate (desk migrate, or pgjournal.Migrate) as the schema's owner", ErrSchema, e.Have, e.Want)
	default:
		return fmt.Sprintf("%v: the database's schema is version %d, newer than this code's %d: upgrade ccjkit on this machine (never migrate down)", ErrSchema, e.Have, e.Want)
	}
}

// Unwrap returns [ErrSchema].
func (e *SchemaError) Unwrap() error { return ErrSchema }

// classify wraps err, met while doing what, in the sentinel it is:
// read-only, unreachable, refused as a change of history, or as it is.
func classify(what string, err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "25006": // read_only_sql_transaction
			return fmt.Errorf("%w: %s: %w", ErrReadOnly, what, err)
		case pe.Code == "CJ001" || pe.Code == "42501": // our trigger; insufficient_privilege
			return fmt.Errorf("%w: %s: %w", ErrAppendOnly, what, err)
		case pe.Code == "42P01" || pe.Code == "42703": // undefined_table, undefined_column
			return fmt.Errorf("%w: %s: %w (run migrate)", ErrSchema, what, err)
		case len(pe.Code) == 5 && pe.Code[:2] == "53": // insufficient_resources: disk_full...
			return fmt.Errorf("%w: %s: %w", ErrDiskFull, what, err)
		case len(pe.Code) == 5 && (pe.Code[:2] == "08" || pe.Code[:3] == "57P"): // connection exception; shutdown
			return fmt.Errorf("%w: %s: %w", ErrUnreachable, what, err)
		}
		return fmt.Errorf("pgjournal: %s: %w", what, err)
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("pgjournal: %s: %w", what, err)
	}
	// Anything else from pgx is the connection's: refused, reset, timed
	// out, closed.
	return fmt.Errorf("%w: %s: %w", ErrUnreachable, what, err)
}

// definite reports whether err, from a statement or a commit, is the
// server's answer — the transaction certainly did not commit — rather
// than the connection's failure, after which a COMMIT sent may or may not
// have been applied.
func definite(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (len(pe.Code) < 2 || pe.Code[:2] != "57")
}

// ioErr wraps a write's error in [journal.ErrIO] too, as the file
// journal's failed writes are: not acknowledged.
func ioErr(err error) error {
	if err == nil || errors.Is(err, journal.ErrIO) {
		return err
	}
	return fmt.Errorf("%w: %w", journal.ErrIO, err)
}
