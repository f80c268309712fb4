package pgretention

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// Store is the retention store on PostgreSQL: a [retention.Backend]
// with the embedded store's promises (package retention/retentiontest
// checks both). Unlike the embedded store, several processes — on
// several machines — may open one database at once: ingest, lookups
// and holds run side by side; purges and migrations take advisory
// locks. A Store is safe for concurrent use.
type Store struct {
	cfg    Config
	log    *slog.Logger
	keys   *retention.KeyDir
	pool   *pool
	ctx    context.Context // cancelled by Close: what runs then stops
	cancel context.CancelFunc

	mu     sync.Mutex
	closed bool
	// writing is the key this Store seals each key scope's new rows
	// with, drawn at its first write there.
	writing map[string]writeKey
	// parts are the partitions this Store knows exist.
	parts map[string]bool
	// secrets are the holds' cases and targets, once opened: a hold's
	// never change.
	secrets map[retention.HoldID]*holdSecret
}

// writeKey is a key drawn to seal rows.
type writeKey struct {
	kid  string
	aead cipher.AEAD
}

var _ retention.Backend = (*Store)(nil)

// Open connects to the database cfg names, checks that its schema is
// this package's [SchemaVersion] ([ErrSchema] otherwise: run [Migrate]
// first), and opens the key directory. ctx bounds the opening only.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pcfg, err := pgx.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("%w: the connection string does not parse", retention.ErrConfig)
	}
	conn, err := pgx.ConnectConfig(ctx, pcfg.Copy())
	if err != nil {
		return nil, dbErr("connecting", err)
	}
	v, err := version(ctx, conn)
	conn.Close(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	if v != SchemaVersion {
		return nil, fmt.Errorf("%w: the database's schema is version %d, this program's %d (run the migration)", ErrSchema, v, SchemaVersion)
	}
	keys, err := retention.OpenKeyDir(cfg.KeyDir, cfg.Keyring, cfg.Opener)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	max := int(cfg.MaxConns)
	if max == 0 {
		max = 4
	}
	s := &Store{cfg: cfg, log: log, keys: keys, writing: map[string]writeKey{}, parts: map[string]bool{}, secrets: map[retention.HoldID]*holdSecret{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.pool = newPool(pcfg, max, prepare)
	return s, nil
}

// Close closes the store's connections, stops what is running, and
// zeroes the keys it kept in memory. Every ingest that returned is
// committed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.cancel()
	s.pool.close()
	s.keys.Close()
	s.writing, s.secrets = nil, nil
	return nil
}

// conn returns a connection of the store's pool, or
// [retention.ErrClosed].
func (s *Store) conn() (*pgx.Conn, error) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, retention.ErrClosed
	}
	c, err := s.pool.acquire(s.ctx)
	if err != nil {
		return nil, dbErr("connecting", err)
	}
	return c, nil
}

func (s *Store) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// The tables, and the partitions of a scope.
const (
	assignmentsTable = "retention_assignments"
	mappingsTable    = "retention_mappings"
)

func tableOf(c retention.Class) string {
	if c == retention.ClassMappings {
		return mappingsTable
	}
	return assignmentsTable
}

// partitionOf names the partition of table for scope: a period's day
// "2026-10-29" is retention_mappings_p20261029, a hold's "hold-…"
// retention_mappings_hold_….
func partitionOf(table, scope string) string {
	if h, ok := strings.CutPrefix(scope, "hold-"); ok {
		return table + "_hold_" + h
	}
	return table + "_p" + strings.ReplaceAll(scope, "-", "")
}

// scopeOfPartition is partitionOf's inverse: "" for a table of no
// scope of ours.
func scopeOfPartition(table, name string) string {
	rest, ok := strings.CutPrefix(name, table+"_")
	switch {
	case !ok:
		return ""
	case strings.HasPrefix(rest, "hold_"):
		return "hold-" + rest[len("hold_"):]
	case len(rest) == 9 && rest[0] == 'p':
		return rest[1:5] + "-" + rest[5:7] + "-" + rest[7:9]
	}
	return ""
}

// keyScope is the key directory's scope of a partition's rows: the
// period and class ("2026-10-29.mappings", as the embedded store names
// them) or the hold.
func keyScope(c retention.Class, scope string) string {
	if strings.HasPrefix(scope, "hold-") {
		return scope
	}
	return scope + "." + c.String()
}

// rowAAD binds a sealed row to its table, scope and key: a row moved
// to another period, hold or class does not open.
func rowAAD(c retention.Class, scope, kid string) []byte {
	return fmt.Appendf(nil, "ccjkit pgretention row v1\x00%s\x00%s\x00%s\x00", c, scope, kid)
}

func seal(aead cipher.AEAD, aad, plain []byte) []byte {
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, plain, aad)
}

func open(aead cipher.AEAD, aad, sealed []byte) ([]byte, error) {
	n := aead.NonceSize()
	if len(sealed) < n+aead.Overhead() {
		return nil, retention.ErrTampered
	}
	return aead.Open(nil, sealed[:n], sealed[n:], aad)
}

// sealingKey returns the key this Store seals a key scope's new rows
// with, drawn at the first write.
func (s *Store) sealingKey(ks string) (writeKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return writeKey{}, retention.ErrClosed
	}
	if k, ok := s.writing[ks]; ok {
		return k, nil
	}
	kid, aead, err := s.keys.Create(ks)
	if err != nil {
		return writeKey{}, err
	}
	k := writeKey{kid: kid, aead: aead}
	s.writing[ks] = k
	return k, nil
}

// clearCols is what a row shows in clear, as the record gives it: the key
// (prefix, or public address), the ports [lo, hi), the inside address,
// the interval in Unix seconds (until 0 while it lasts).
type clearCols struct {
	addr   netip.Prefix
	lo, hi int32
	inside netip.Addr
	from   int64
	until  int64
}

func portsOf(r retention.PortRange) (int32, int32) {
	if r.All() {
		return 0, 65536
	}
	return int32(r.First), int32(r.Last) + 1
}

func untilOf(t timesync.Timestamp) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func clearOfAssignment(a retention.Assignment) clearCols {
	lo, hi := portsOf(a.Ports)
	return clearCols{addr: a.Prefix.Masked(), lo: lo, hi: hi, from: a.From.Unix(), until: untilOf(a.Until)}
}

func clearOfMapping(m retention.Mapping) clearCols {
	lo, hi := portsOf(m.Ports)
	return clearCols{addr: netip.PrefixFrom(m.Public, m.Public.BitLen()), lo: lo, hi: hi, inside: m.Inside, from: m.From.Unix(), until: untilOf(m.Until)}
}

// values are a row's columns for COPY.
func (c clearCols) ports() pgtype.Range[pgtype.Int4] {
	return pgtype.Range[pgtype.Int4]{Lower: pgtype.Int4{Int32: c.lo, Valid: true}, Upper: pgtype.Int4{Int32: c.hi, Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true}
}

func (c clearCols) during() pgtype.Range[pgtype.Timestamptz] {
	return interval(c.from, c.until)
}

// interval is [from, until) in Unix seconds, unbounded above when
// until is 0.
func interval(from, until int64) pgtype.Range[pgtype.Timestamptz] {
	r := pgtype.Range[pgtype.Timestamptz]{Lower: pgtype.Timestamptz{Time: time.Unix(from, 0).UTC(), Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true}
	if until == 0 {
		r.UpperType = pgtype.Unbounded
	} else {
		r.Upper = pgtype.Timestamptz{Time: time.Unix(until, 0).UTC(), Valid: true}
	}
	return r
}

// sealedRow is a row to write.
type sealedRow struct {
	scope, kid string
	clearCols
	sealed []byte
}

// IngestAssignments stores assignments as [retention.Store.IngestAssignments]
// does: checked first (none stored if one is refused, the same
// [*provenance.Problems]), each filed in the period of its day, sealed
// under that period's key, and committed — durable, with PostgreSQL's
// synchronous commit — in one transaction before it returns.
func (s *Store) IngestAssignments(as []retention.Assignment) error {
	if s.isClosed() {
		return retention.ErrClosed
	}
	days, err := retention.FileAssignments(s.cfg.Policy, timesync.Now(s.cfg.Clock), as)
	if err != nil {
		return err
	}
	rows := make([]sealedRow, len(as))
	for i, a := range as {
		plain, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("%w: encoding a record", retention.ErrInput)
		}
		if rows[i], err = s.sealRow(retention.ClassAssignments, days[i], clearOfAssignment(a), plain); err != nil {
			return err
		}
	}
	return s.write(retention.ClassAssignments, rows, nil)
}

// IngestMappings stores NAT mappings as [Store.IngestAssignments] stores
// assignments.
func (s *Store) IngestMappings(ms []retention.Mapping) error {
	if s.isClosed() {
		return retention.ErrClosed
	}
	days, err := retention.FileMappings(s.cfg.Policy, timesync.Now(s.cfg.Clock), ms)
	if err != nil {
		return err
	}
	rows := make([]sealedRow, len(ms))
	for i, m := range ms {
		plain, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("%w: encoding a record", retention.ErrInput)
		}
		if rows[i], err = s.sealRow(retention.ClassMappings, days[i], clearOfMapping(m), plain); err != nil {
			return err
		}
	}
	return s.write(retention.ClassMappings, rows, nil)
}

// sealRow seals a record of day d under the period's key.
func (s *Store) sealRow(c retention.Class, d date.Date, cl clearCols, plain []byte) (sealedRow, error) {
	return s.sealIn(c, d.String(), cl, plain)
}

// sealIn seals a record into scope (a period's day or a hold).
func (s *Store) sealIn(c retention.Class, scope string, cl clearCols, plain []byte) (sealedRow, error) {
	k, err := s.sealingKey(keyScope(c, scope))
	if err != nil {
		return sealedRow{}, err
	}
	sealed := seal(k.aead, rowAAD(c, scope, k.kid), plain)
	clear(plain)
	return sealedRow{scope: scope, kid: k.kid, clearCols: cl, sealed: sealed}, nil
}

// write makes sure the rows' partitions exist, then copies the rows in
// one transaction, with the events given, committed before it returns.
func (s *Store) write(c retention.Class, rows []sealedRow, events []event) error {
	if len(rows) == 0 && len(events) == 0 {
		return nil
	}
	conn, err := s.conn()
	if err != nil {
		return err
	}
	defer s.pool.release(conn)
	return s.writeOn(conn, c, rows, events)
}

// writeOn is write on a connection the caller holds: a purge copies what
// holds keep on its own connection, never waiting for a second one from
// the pool (with MaxConns 1, or several purges waiting on the purge
// lock, the wait would never end).
func (s *Store) writeOn(conn *pgx.Conn, c retention.Class, rows []sealedRow, events []event) error {
	if len(rows) == 0 && len(events) == 0 {
		return nil
	}
	var scopes []string
	for _, r := range rows {
		if !slices.Contains(scopes, r.scope) {
			scopes = append(scopes, r.scope)
		}
	}
	slices.Sort(scopes)
	table := tableOf(c)
	for _, sc := range scopes {
		if err := s.partition(conn, table, sc); err != nil {
			return err
		}
	}
	cols := []string{"scope", "kid", "prefix", "ports", "during", "sealed"}
	if c == retention.ClassMappings {
		cols = []string{"scope", "kid", "public", "ports", "inside", "during", "sealed"}
	}
	err := pgx.BeginFunc(s.ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(s.ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			r := &rows[i]
			if c == retention.ClassMappings {
				return []any{r.scope, r.kid, r.addr.Addr(), r.ports(), r.inside, r.during(), r.sealed}, nil
			}
			return []any{r.scope, r.kid, r.addr, r.ports(), r.during(), r.sealed}, nil
		}))
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := e.insert(s.ctx, tx, timesync.Now(s.cfg.Clock)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return dbErr("writing "+c.String(), err)
	}
	if len(rows) > 0 {
		s.log.Info("ingested", "class", c.String(), "records", len(rows), "periods", len(scopes))
	}
	return nil
}

// partition creates table's partition for scope if it does not exist,
// in a transaction of its own (creating a partition locks its table a
// moment; the rows' transaction then takes no such lock), under an
// advisory lock so that two writers create it once.
func (s *Store) partition(conn *pgx.Conn, table, scope string) error {
	name := partitionOf(table, scope)
	s.mu.Lock()
	known := s.parts[name]
	s.mu.Unlock()
	if known {
		return nil
	}
	err := pgx.BeginFunc(s.ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(s.ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", name); err != nil {
			return err
		}
		_, err := tx.Exec(s.ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s PARTITION OF %s FOR VALUES IN (%s)",
			pgx.Identifier{name}.Sanitize(), pgx.Identifier{table}.Sanitize(), quote(scope)))
		return err
	})
	if err != nil {
		return dbErr("creating a partition", err)
	}
	s.mu.Lock()
	s.parts[name] = true
	s.mu.Unlock()
	return nil
}

// quote is a string literal of a scope (lower-case letters, digits, '-'
// and '.': nothing to escape, checked all the same).
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// jsonOf is a record's sealed form.
func jsonOf(v any) ([]byte, error) { return json.Marshal(v) }

// netipPrefixOf is an address as a prefix of its full length.
func netipPrefixOf(a netip.Addr) netip.Prefix { return netip.PrefixFrom(a, a.BitLen()) }
