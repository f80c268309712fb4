package pgretention

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// The errors of this package, besides retention's own, for errors.Is.
var (
	// ErrSchema: the database has no schema, an older one (run
	// [Migrate]) or a newer one than this program knows.
	ErrSchema = errors.New("pgretention: the database's schema is not this program's")
	// ErrUnreachable: the server could not be reached (it comes with
	// [retention.ErrIO]).
	ErrUnreachable = errors.New("pgretention: the database server is unreachable")
	// ErrReadOnly: the server refused to write — a standby, a read-only
	// transaction, or a role without the grant (it comes with
	// [retention.ErrIO]). Nothing was written.
	ErrReadOnly = errors.New("pgretention: the database refused to write")
)

// Config is what [Open] needs: where the database is, where the keys
// are, and the same settings as the embedded store's [retention.Config].
type Config struct {
	// DSN is the connection string (a URL or key=value pairs, as pgx
	// reads it). Read it from a file or the environment: a password in
	// it must not appear on a command line. It is never quoted in an
	// error or a log line.
	DSN string
	// KeyDir holds the period keys, each wrapped to Keyring, one file
	// per key ([retention.KeyDir]) — on the cell's machine, never in the
	// database nor in its backups: destroying a key is what makes a
	// period's rows unreadable in every dump and replica. Required.
	//
	// Every Store on one database must use the same key directory (one
	// directory the cell's machines share, or one machine that ingests,
	// looks up and purges): a key drawn into another machine's directory
	// is one this Store cannot open — a lookup meeting its rows fails —
	// nor destroy, so that its period's rows, dropped here, would stay
	// readable in a dump to whoever holds that directory. The store does
	// not detect a second directory.
	KeyDir string
	// Clock gives every "now". Required.
	Clock timesync.Clock
	// Policy is how long each class of data is kept. Required.
	Policy retention.Policy
	// Keyring is who can unwrap the store's keys and open the holds.
	// Required.
	Keyring register.Keyring
	// Opener unwraps the keys to read: lookups, holds, verifying the
	// records. Nil for a write-only store (ingest, purge).
	Opener retention.Opener
	// Register is the journal identity of the register whose work
	// orders allow lookups ([retention.Config.Register]). Zero refuses
	// every lookup.
	Register [16]byte
	// Tolerance widens every lookup by this much on each side, beyond
	// each record's own clock error bound ([retention.Config.Tolerance]).
	Tolerance time.Duration
	// Logger, when set, receives a line per ingest, destruction and
	// hold: periods and counts, never an address, a subscriber
	// reference or a case.
	Logger *slog.Logger
	// MaxConns bounds the connections the store opens: 4 when zero.
	MaxConns int32
}

// Validate checks the configuration without connecting, and returns
// every problem at once in a [*provenance.Problems] whose findings wrap
// [retention.ErrConfig] — naming the field, never quoting the
// connection string.
func (c Config) Validate() error {
	var probs []provenance.Finding
	bad := func(field, msg string) {
		probs = append(probs, provenance.Finding{Rule: "pgretention-config", Severity: provenance.Error, Field: field,
			Source: provenance.Rule("pgretention-config"), Err: retention.ErrConfig, Message: provenance.Text(msg)})
	}
	if c.DSN == "" {
		bad("dsn", "a connection string is needed")
	} else if _, err := pgx.ParseConfig(c.DSN); err != nil {
		bad("dsn", "the connection string does not parse")
	}
	if c.KeyDir == "" {
		bad("key_dir", "a key directory, apart from the database and its backups, is needed")
	}
	if c.Clock == nil {
		bad("clock", "a clock is needed")
	}
	if len(c.Keyring.Keys()) == 0 {
		bad("keyring", "a keyring is needed to wrap the store's keys")
	}
	if c.Tolerance < 0 {
		bad("tolerance", "the tolerance is zero or more")
	}
	if c.MaxConns < 0 {
		bad("max_conns", "the connections are zero (the default) or more")
	}
	probs = append(probs, c.Policy.Findings()...)
	if err := provenance.Check("pgretention: configuration", probs); err != nil {
		return fmt.Errorf("%w: %w", retention.ErrConfig, err)
	}
	return nil
}
