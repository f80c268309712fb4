package pgjournal

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// Options configure [Open].
type Options struct {
	// Clock times records. Required.
	Clock timesync.Clock
	// Signer, when set, signs every record this Store appends, as the
	// file journal's Options.Signer does. Nil appends unsigned records,
	// which a journal that holds signed ones refuses.
	Signer ed25519.PrivateKey
	// Create: when the database holds no journal yet, write its header
	// (a new random identity). Without it, an empty database is an error
	// wrapping [ErrNoJournal].
	Create bool
	// ID, when set, is the journal the caller expects: a database that
	// holds another is refused with an error wrapping [ErrJournalID]
	// (a connection string pointing at the wrong database, or a restored
	// dump of another cell's register).
	ID *[16]byte
	// Timeout bounds each operation: connecting, waiting for the
	// journal's lock, writing, and looking up a write whose COMMIT lost
	// its answer. 0 means one minute.
	Timeout time.Duration
}

// Store is a journal kept in a PostgreSQL database: the same records,
// framed, chained and signed as the file journal's, written by any number
// of processes on any number of machines. It implements [journal.Store]
// and is safe for concurrent use.
type Store struct {
	cfg     *pgx.ConnConfig
	opts    Options
	lockKey int64
	id      [16]byte

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []*entry
	flushing bool // a goroutine owns the fields below
	closed   bool

	// conn is the Store's connection, made when needed, closed after
	// any error that may have left it in a transaction.
	conn    *pgx.Conn
	seen    journal.ChainState // the chain as far as this Store has read it
	foreign []journal.Record   // records of other writers not yet handed over
	initial []journal.Record
	// contended says the last write found records of other writers
	// under the lock: the next one reads and checks them before it takes
	// the lock, so that the time under it — the others' wait — holds
	// only what was appended meanwhile.
	contended bool
}

var _ journal.Store = (*Store)(nil)

type entry struct {
	kind    string
	payload []byte
	rec     journal.Record
	err     error
	done    bool
}

// lockBase is the high half of the advisory lock that serialises the
// writers of a journal ("ccjk"); the low half is the records table's oid,
// so that journals in two schemas of one database do not share a lock.
const lockBase = 0x63636a6b << 32

// Open connects to the database at dsn (a postgres:// URL or key=value
// string; see pgx.ParseConfig), checks that its schema is this code's
// ([SchemaVersion]), reads and checks every record (hash, chain,
// signature, whole writes — [journal.ReadFrames]), and returns the Store,
// whose [Store.Initial] hands those records over. With [Options.Create],
// an empty database gets the journal's header. The connection string
// holds a password only if it must: prefer a password file (PGPASSFILE)
// or a client certificate, and never pass it on a command line.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.Clock == nil {
		return nil, fmt.Errorf("%w: a store needs a clock", journal.ErrConfig)
	}
	if opts.Signer != nil && len(opts.Signer) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: the signer is not an ed25519 private key", journal.ErrRecord)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: the connection string: %v", journal.ErrConfig, redact(err))
	}
	s := &Store{cfg: cfg, opts: opts}
	s.cond = sync.NewCond(&s.mu)
	if err := s.open(ctx); err != nil {
		s.drop()
		return nil, err
	}
	return s, nil
}

// connect returns the Store's connection, connecting first if there is
// none; the caller owns the Store.
func (s *Store) connect(ctx context.Context) (*pgx.Conn, error) {
	if s.conn != nil && !s.conn.IsClosed() {
		return s.conn, nil
	}
	c, err := connect(ctx, s.cfg)
	if err != nil {
		return nil, err
	}
	s.conn = c
	return c, nil
}

// connect opens a connection with the store's settings.
func connect(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, classify("connecting", err)
	}
	if err := afterConnect(ctx, c); err != nil {
		c.Close(context.Background())
		return nil, classify("connecting", err)
	}
	return c, nil
}

// drop closes the Store's connection, after an error that may have left
// it inside a transaction.
func (s *Store) drop() {
	if s.conn != nil {
		s.conn.Close(context.Background())
		s.conn = nil
	}
}

// afterConnect makes a connection's commits durable: a server (or a role,
// or a database) whose synchronous_commit is off acknowledges a commit
// before its WAL is flushed, and a crash loses it — the store then asks
// for on, which never weakens what the administrator chose otherwise
// (local, remote_write, remote_apply).
func afterConnect(ctx context.Context, c *pgx.Conn) error {
	var sc string
	if err := c.QueryRow(ctx, "SELECT current_setting('synchronous_commit')").Scan(&sc); err != nil {
		return err
	}
	if sc == "off" {
		_, err := c.Exec(ctx, "SET synchronous_commit TO on")
		return err
	}
	return nil
}

// redact keeps a password out of an error about a connection string.
func redact(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "password"); i >= 0 {
		return msg[:i] + "(the rest is not shown: it may hold a password)"
	}
	return msg
}

func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.opts.Timeout)
}

// open checks the schema, finds the lock's key, reads every record, and
// writes the header of a new journal.
func (s *Store) open(ctx context.Context) error {
	conn, err := s.connect(ctx)
	if err != nil {
		return err
	}
	v, err := schemaVersion(ctx, conn)
	if err != nil {
		return classify("reading the schema's version", err)
	}
	if v != SchemaVersion {
		return &SchemaError{Have: v, Want: SchemaVersion}
	}
	var oid uint32
	if err := conn.QueryRow(ctx, "SELECT 'ccjkit_journal_records'::regclass::oid").Scan(&oid); err != nil {
		return classify("finding the records table", err)
	}
	s.lockKey = lockBase | int64(oid)
	recs, st, err := readAll(ctx, conn, journal.ChainState{}, -1)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		if !s.opts.Create {
			return ErrNoJournal
		}
		if recs, st, err = s.create(ctx, conn); err != nil {
			return err
		}
	}
	copy(s.id[:], recs[0].Payload)
	if s.opts.ID != nil && *s.opts.ID != s.id {
		return fmt.Errorf("%w: it holds journal %x, not %x", ErrJournalID, s.id, *s.opts.ID)
	}
	s.seen, s.initial = st, recs
	return nil
}

// create writes a new journal's header under the lock, unless another
// process wrote one first; it returns the journal's records.
func (s *Store) create(ctx context.Context, c *pgx.Conn) ([]journal.Record, journal.ChainState, error) {
	var id [16]byte
	rand.Read(id[:])
	fr, hdr := journal.SealHeader(id, timesync.Now(s.opts.Clock), s.opts.Signer)
	err := pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", s.lockKey); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM ccjkit_journal_records LIMIT 1) AS first").Scan(&n); err != nil || n > 0 {
			return err // another process created it: read it below
		}
		_, err := tx.Exec(ctx, "INSERT INTO ccjkit_journal_records (seq, prev, hash, frame) VALUES (0, $1, $2, $3)", hdr.Prev[:], hdr.Hash[:], fr)
		return err
	})
	if err != nil {
		return nil, journal.ChainState{}, ioErr(classify("creating the journal", err))
	}
	recs, st, err := readAll(ctx, c, journal.ChainState{}, -1)
	if err == nil && len(recs) == 0 {
		err = fmt.Errorf("%w: the journal's header is not there after it was written", journal.ErrCorrupt)
	}
	return recs, st, err
}

// readAll reads and checks the records from st.Next, up to (not
// including) before unless it is negative, in one statement — whose
// snapshot holds only whole transactions, so whole writes.
func readAll(ctx context.Context, c *pgx.Conn, st journal.ChainState, before int64) ([]journal.Record, journal.ChainState, error) {
	q := "SELECT frame FROM ccjkit_journal_records WHERE seq >= $1 ORDER BY seq"
	args := []any{int64(st.Next)}
	if before >= 0 {
		q = "SELECT frame FROM ccjkit_journal_records WHERE seq >= $1 AND seq < $2 ORDER BY seq"
		args = append(args, before)
	}
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, st, classify("reading the journal", err)
	}
	frames, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, st, classify("reading the journal", err)
	}
	return checkFrames(st, frames)
}

func checkFrames(st journal.ChainState, frames [][]byte) ([]journal.Record, journal.ChainState, error) {
	recs, after, err := journal.ReadFrames(st, frames)
	if err != nil {
		return nil, st, err
	}
	return recs, after, nil
}

// ID returns the journal's identity, the payload of its header.
func (s *Store) ID() [16]byte { return s.id }

// Initial returns the records [Open] read and checked, once; later calls
// return nil.
func (s *Store) Initial() []journal.Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := s.initial
	s.initial = nil
	return recs
}

// own waits until no goroutine of this Store is writing, and takes the
// Store.
func (s *Store) own() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.flushing && !s.closed {
		s.cond.Wait()
	}
	if s.closed {
		return journal.ErrClosed
	}
	s.flushing = true
	return nil
}

func (s *Store) release() {
	s.mu.Lock()
	s.flushing = false
	s.cond.Broadcast()
	s.mu.Unlock()
}

// Update holds the journal exclusively — the journal's advisory lock, in
// a transaction, against every other writer on any machine, and this
// Store against its other goroutines — reads what other writers appended
// since this Store last looked, and calls fn with a [journal.Tx] that
// hands those over ([journal.Tx.Foreign]). What fn stages is written in
// the same transaction, and Update returns it once COMMIT has returned.
// When fn returns an error nothing is written and Update returns it.
func (s *Store) Update(fn func(tx *journal.Tx) error) ([]journal.Record, error) {
	if err := s.own(); err != nil {
		return nil, err
	}
	defer s.release()
	return s.cycle(fn)
}

// Append appends one record and returns it once its transaction has
// committed. Appends from several goroutines of one Store are written in
// one transaction, one commit (group commit); see [Store.Update] for how
// writers on several machines share the chain.
func (s *Store) Append(kind string, payload []byte) (journal.Record, error) {
	if err := journal.CheckRecord(kind, payload); err != nil {
		return journal.Record{}, err
	}
	e := &entry{kind: kind, payload: payload}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return journal.Record{}, journal.ErrClosed
	}
	s.queue = append(s.queue, e)
	for !e.done {
		if s.flushing {
			s.cond.Wait()
			continue
		}
		if s.closed {
			break
		}
		// Lead: write what is queued in one transaction.
		batch := s.queue
		s.queue = nil
		s.flushing = true
		s.mu.Unlock()
		taken := 0
		recs, err := s.cycle(func(tx *journal.Tx) error {
			for _, b := range batch {
				if _, err := tx.Append(b.kind, b.payload); err != nil {
					break // a write is full: the rest waits for the next
				}
				taken++
			}
			return nil
		})
		s.mu.Lock()
		if err != nil && taken == 0 {
			// The write failed before anything was staged (the database
			// unreachable, the journal damaged): nothing of the batch was
			// written, and every append in it fails now rather than
			// waiting for the database to come back.
			taken = len(batch)
		}
		s.queue = append(batch[taken:], s.queue...)
		for i, b := range batch[:taken] {
			b.err, b.done = err, true
			if err == nil {
				b.rec = recs[i]
			}
		}
		s.flushing = false
		s.cond.Broadcast()
	}
	s.mu.Unlock()
	if !e.done {
		return journal.Record{}, journal.ErrClosed
	}
	return e.rec, e.err
}

// The statements of a write. The lock and the read of what others
// appended are two statements, in this order: under READ COMMITTED each
// statement sees what was committed when it began, so the read, begun
// once the lock is held, sees every write of the writers that held it
// before. (In one statement the read's snapshot would predate the wait.)
const (
	lockSQL   = "SELECT pg_advisory_xact_lock($1)"
	insertSQL = "INSERT INTO ccjkit_journal_records (seq, prev, hash, frame) " +
		"SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[])"
	sinceSQL = "SELECT frame FROM ccjkit_journal_records WHERE seq >= $1 ORDER BY seq"
	// resolveSQL makes a transaction write WAL, and so its COMMIT wait
	// for synchronous standbys, without touching the journal.
	resolveSQL = "CREATE TEMPORARY TABLE ccjkit_journal_resolve () ON COMMIT DROP"
)

// cycle is one write, by the goroutine that owns the Store: begin, take
// the journal's lock, read what others appended, let fill stage records;
// then, if fill succeeded and staged any, insert them and commit — the
// INSERT and the COMMIT sent together.
func (s *Store) cycle(fill func(tx *journal.Tx) error) ([]journal.Record, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	if s.contended {
		// Other writers are at work: read and check (ed25519, SHA-256)
		// what they committed before taking the lock, outside any
		// transaction — committed records, whole writes only — so that
		// the check under the lock covers only the last few. A failure
		// here is no failure of the write: the read under the lock
		// reads them.
		if c, err := s.connect(ctx); err == nil {
			if recs, st, err := readAll(ctx, c, s.seen, -1); err == nil {
				s.seen = st
				s.foreign = append(s.foreign, recs...)
			} else if !errors.Is(err, journal.ErrCorrupt) {
				s.drop()
			}
		}
	}
	c, frames, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	s.contended = len(frames) > 0
	rollback := func() {
		if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
			s.drop()
		}
	}
	recs, st, err := checkFrames(s.seen, frames)
	if err != nil {
		rollback()
		return nil, err
	}
	s.seen = st
	s.foreign = append(s.foreign, recs...)
	if st.Signed && s.opts.Signer == nil {
		rollback()
		return nil, fmt.Errorf("%w: the journal holds signed records and this Store has no signer", journal.ErrRecord)
	}
	tx := journal.NewTx(s.opts.Clock, st.Next, s.foreign, func() ([]journal.Record, error) {
		recs, _, err := readAll(ctx, c, journal.ChainState{}, int64(st.Next))
		return recs, err
	})
	s.foreign = nil
	if err := fill(tx); err != nil || tx.Len() == 0 {
		s.foreign = tx.Unread()
		rollback()
		return nil, err
	}
	sealed, out, after := journal.Seal(tx, st, s.opts.Signer)
	seqs := make([]int64, len(out))
	prevs := make([][]byte, len(out))
	hashes := make([][]byte, len(out))
	for i, r := range out {
		seqs[i], prevs[i], hashes[i] = int64(r.Seq), r.Prev[:], r.Hash[:]
	}
	w := &pgx.Batch{}
	w.Queue(insertSQL, seqs, prevs, hashes, sealed)
	w.Queue("COMMIT")
	err = c.SendBatch(ctx, w).Close()
	if err == nil {
		s.seen = after
		return out, nil
	}
	if definite(err) {
		// The server refused the INSERT or the COMMIT: the transaction
		// is rolled back, nothing was written.
		rollback()
		return nil, ioErr(classify("writing", err))
	}
	// The connection broke after the COMMIT may have been sent: look.
	s.drop()
	return s.resolve(out, after, err)
}

// begin begins a write: BEGIN, the journal's lock, and the read of what
// others appended, in one round trip. A connection found broken — the
// server restarted since the last write — is replaced once: nothing was
// committed on it, so beginning again on a new one is safe.
func (s *Store) begin(ctx context.Context) (*pgx.Conn, [][]byte, error) {
	for attempt := 0; ; attempt++ {
		reused := s.conn != nil
		c, err := s.connect(ctx)
		if err != nil {
			return nil, nil, ioErr(err)
		}
		b := &pgx.Batch{}
		b.Queue("BEGIN")
		b.Queue(lockSQL, s.lockKey)
		var frames [][]byte
		b.Queue(sinceSQL, int64(s.seen.Next)).Query(func(rows pgx.Rows) error {
			var err error
			frames, err = pgx.CollectRows(rows, pgx.RowTo[[]byte])
			return err
		})
		err = c.SendBatch(ctx, b).Close()
		if err == nil {
			return c, frames, nil
		}
		s.drop()
		if !reused || attempt > 0 || definite(err) || ctx.Err() != nil {
			return nil, nil, ioErr(classify("taking the journal's lock", err))
		}
	}
}

// resolve learns whether a write whose COMMIT lost its answer is in the
// database: it waits for the journal's lock — held by the old session
// until the server has ended its transaction, committed or rolled back —
// and looks for the write's first record by number and hash (a
// transaction commits whole). Found, the write is acknowledged once it is
// as durable as a COMMIT makes it (with a synchronous standby: on the
// standby too); absent, it was not committed and is not written again.
func (s *Store) resolve(out []journal.Record, after journal.ChainState, cause error) ([]journal.Record, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var lastErr error
	found := false // the write is on the server, not yet known durable
	for {
		var h []byte
		c, err := s.connect(ctx)
		if err == nil {
			err = pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, lockSQL, s.lockKey); err != nil {
					return err
				}
				err := tx.QueryRow(ctx, "SELECT hash FROM ccjkit_journal_records WHERE seq = $1", int64(out[0].Seq)).Scan(&h)
				if errors.Is(err, pgx.ErrNoRows) {
					return nil
				}
				if err != nil {
					return err
				}
				found = found || [32]byte(h) == out[0].Hash
				// Present is not yet durable: a COMMIT waiting for a
				// synchronous standby that is cancelled (as pgx does when
				// it gives up on a connection) commits on the primary
				// alone. This transaction's COMMIT waits as the write's
				// did, for the WAL up to its own — the write's included —
				// once it has written some: a temporary table's catalogue
				// rows (TEMP is every role's by default; refused, the
				// write stays in doubt).
				_, err = tx.Exec(ctx, resolveSQL)
				return err
			})
			if err != nil {
				s.drop()
			}
		}
		switch {
		case err == nil && h != nil && [32]byte(h) == out[0].Hash:
			s.seen = after
			return out, nil
		case err == nil:
			// Absent, or another writer's record in its place: ours was
			// rolled back.
			return nil, fmt.Errorf("%w: %w: record %d and the %d after it (%v)", journal.ErrIO, ErrNotCommitted, out[0].Seq, len(out)-1, cause)
		}
		lastErr = err
		// The server is away (restarting after a crash, say): try again
		// until the deadline, on an event — the next connection attempt
		// — rather than a fixed pause alone.
		select {
		case <-ctx.Done():
			if found {
				return nil, fmt.Errorf("%w: %w: records %d to %d are on the server, but not known to be durable: a COMMIT there did not return within the timeout (a synchronous standby, named by synchronous_standby_names, down?): %v; then: %w",
					journal.ErrIO, ErrInDoubt, out[0].Seq, out[len(out)-1].Seq, cause, classify("confirming", lastErr))
			}
			return nil, fmt.Errorf("%w: %w: records %d to %d: %v; looking for them: %w", journal.ErrIO, ErrInDoubt, out[0].Seq, out[len(out)-1].Seq, cause, classify("looking", lastErr))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Refresh returns the records other writers appended since this Store
// last looked, read in one statement (so whole writes only) and checked.
func (s *Store) Refresh() ([]journal.Record, error) {
	if err := s.own(); err != nil {
		return nil, err
	}
	defer s.release()
	ctx, cancel := s.ctx()
	defer cancel()
	var recs []journal.Record
	var st journal.ChainState
	for attempt := 0; ; attempt++ {
		reused := s.conn != nil
		conn, err := s.connect(ctx)
		if err != nil {
			return nil, err
		}
		recs, st, err = readAll(ctx, conn, s.seen, -1)
		if err == nil {
			break
		}
		if errors.Is(err, journal.ErrCorrupt) {
			return nil, err
		}
		// A connection broken since the last use (a server restarted)
		// is replaced once: reading twice is harmless.
		s.drop()
		if !reused || attempt > 0 || ctx.Err() != nil {
			return nil, err
		}
	}
	s.seen = st
	out := append(s.foreign, recs...)
	s.foreign = nil
	return out, nil
}

// Checkpoint signs, with key, a checkpoint of the first n records of the
// journal (its header included) at the instant at, once they have been
// read from the database and checked, streaming, as [Verify] checks them:
// it vouches only for records that verify. A journal that holds fewer
// than n records is an error wrapping [journal.ErrCorrupt].
func (s *Store) Checkpoint(n uint64, at timesync.Timestamp, key ed25519.PrivateKey) (journal.Checkpoint, error) {
	if n == 0 {
		return journal.Checkpoint{}, fmt.Errorf("%w: no journal header", journal.ErrCheckpoint)
	}
	ctx, cancel := s.ctx()
	defer cancel()
	sum, err := s.verify(ctx, int64(n), journal.ScanOptions{})
	if err != nil {
		return journal.Checkpoint{}, err
	}
	if sum.Records < n {
		return journal.Checkpoint{}, &journal.CorruptError{Seq: sum.Records, Reason: "the journal is shorter than what its reader read"}
	}
	return journal.SignHash(sum.ID, n-1, sum.Last, at, key)
}

// Verify checks the journal in the database as [journal.Verify] checks
// a file, streaming its records in order in one read-only snapshot, in
// constant memory: every record's hash, chain and signature (the chain
// only with opts.ChainOnly), and that each row's columns are its frame's.
// It returns what it found and nil, or an error naming the first bad
// record (a [*journal.CorruptError], whose Offset counts the bytes of the
// frames before it).
func (s *Store) Verify(opts journal.ScanOptions) (journal.Summary, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.verify(ctx, -1, opts)
}

// verify verifies on a connection of its own, so that a long
// verification never holds up the Store's writes.
func (s *Store) verify(ctx context.Context, n int64, opts journal.ScanOptions) (journal.Summary, error) {
	c, err := connect(ctx, s.cfg)
	if err != nil {
		return journal.Summary{}, err
	}
	defer c.Close(context.Background())
	return verify(ctx, c, n, opts)
}

// Verify is [Store.Verify] on the database at dsn, without opening a
// Store: for an auditor's read-only role, or a replica.
func Verify(ctx context.Context, dsn string, opts journal.ScanOptions) (journal.Summary, error) {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return journal.Summary{}, classify("connecting", err)
	}
	defer c.Close(context.Background())
	v, err := schemaVersion(ctx, c)
	if err != nil {
		return journal.Summary{}, classify("reading the schema's version", err)
	}
	if v != SchemaVersion {
		return journal.Summary{}, &SchemaError{Have: v, Want: SchemaVersion}
	}
	return verify(ctx, c, -1, opts)
}

// querier is what verify needs of a connection or a pool.
type querier interface {
	BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
}

// verify streams the first n records (all when n < 0) into journal.Scan.
func verify(ctx context.Context, q querier, n int64, opts journal.ScanOptions) (journal.Summary, error) {
	// One snapshot for the whole read, which never writes: on a standby
	// too.
	tx, err := q.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return journal.Summary{}, classify("verifying", err)
	}
	defer tx.Rollback(context.Background())
	if n < 0 {
		n = 1<<63 - 1
	}
	rows, err := tx.Query(ctx, "SELECT seq, hash, frame FROM ccjkit_journal_records WHERE seq < $1 ORDER BY seq", n)
	if err != nil {
		return journal.Summary{}, classify("verifying", err)
	}
	defer rows.Close()
	r := &rowReader{rows: rows}
	sum, err := journal.Scan(r, opts, func(rec journal.Record) error {
		if len(r.cols) == 0 {
			return &journal.CorruptError{Seq: rec.Seq, Reason: "a record read that no row holds"}
		}
		c := r.cols[0]
		r.cols = r.cols[1:]
		if c.seq != int64(rec.Seq) || c.hash != rec.Hash {
			return &journal.CorruptError{Seq: rec.Seq, Reason: fmt.Sprintf("the row numbered %d says another number or hash than its frame", c.seq)}
		}
		return nil
	})
	if r.err != nil {
		return sum, classify("verifying", r.err)
	}
	if journal.IsTornTail(err) {
		var ce *journal.CorruptError
		errors.As(err, &ce)
		return sum, &journal.CorruptError{Seq: ce.Seq, Offset: ce.Offset,
			Reason: ce.Reason + " (a database commits a write whole: records were removed, or a row changed)"}
	}
	return sum, err
}

// rowReader reads the frames of rows one after the other, as one stream
// (an export of the journal, as a file holds it), keeping each row's
// number and hash until its record is checked.
type rowReader struct {
	rows pgx.Rows
	cur  []byte
	cols []rowCols
	err  error
}

type rowCols struct {
	seq  int64
	hash journal.Hash
}

func (r *rowReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if !r.rows.Next() {
			if r.err = r.rows.Err(); r.err != nil {
				return 0, r.err
			}
			return 0, io.EOF
		}
		var seq int64
		var hash, frame []byte
		if r.err = r.rows.Scan(&seq, &hash, &frame); r.err != nil {
			return 0, r.err
		}
		var h journal.Hash
		copy(h[:], hash)
		r.cols = append(r.cols, rowCols{seq, h})
		r.cur = frame
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// Close closes the store once the write under way, if any, is done:
// every Append that returned a record is committed. Appends after Close
// fail with [journal.ErrClosed].
func (s *Store) Close() error {
	s.mu.Lock()
	for s.flushing {
		s.cond.Wait()
	}
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
	s.drop()
	return nil
}
