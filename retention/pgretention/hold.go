package pgretention

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// holdSecret is what a hold seals to the keyring: its case and targets
// (the embedded store's form).
type holdSecret struct {
	Case    string                 `json:"case"`
	Targets []retention.HoldTarget `json:"targets"`
}

// event is a row of retention_events: what was destroyed, held, placed
// or lifted, its period or hold, and counts — never content.
type event struct {
	kind    retention.EventKind
	scope   string
	records int
	keys    int
	hold    retention.HoldID
}

func (e event) insert(ctx context.Context, tx pgx.Tx, at timesync.Timestamp) error {
	var hold *string
	if e.hold != "" {
		h := string(e.hold)
		hold = &h
	}
	_, err := tx.Exec(ctx, "INSERT INTO retention_events (at, kind, scope, records, keys, hold) VALUES ($1, $2, $3, $4, $5, $6)",
		at.Time(), string(e.kind), e.scope, e.records, e.keys, hold)
	return err
}

// PlaceHold places a preservation hold as [retention.Store.PlaceHold]
// does ([retention.CheckHold] first): its case and targets sealed to
// the keyring, its window in clear, in retention_holds with an event.
func (s *Store) PlaceHold(caseID string, targets []retention.HoldTarget, from, until timesync.Timestamp) (retention.Hold, error) {
	if s.isClosed() {
		return retention.Hold{}, retention.ErrClosed
	}
	if err := retention.CheckHold(caseID, targets, from, until); err != nil {
		return retention.Hold{}, err
	}
	sec := holdSecret{Case: caseID, Targets: slices.Clone(targets)}
	plain, err := json.Marshal(sec)
	if err != nil {
		return retention.Hold{}, err
	}
	sealed, err := s.cfg.Keyring.Seal(plain)
	if err != nil {
		return retention.Hold{}, fmt.Errorf("%w: sealing the hold: %v", retention.ErrIO, err)
	}
	var b [8]byte
	rand.Read(b[:])
	id := retention.HoldID("hold-" + hex.EncodeToString(b[:]))
	now := timesync.Now(s.cfg.Clock)
	conn, err := s.conn()
	if err != nil {
		return retention.Hold{}, err
	}
	defer s.pool.release(conn)
	err = pgx.BeginFunc(s.ctx, conn, func(tx pgx.Tx) error {
		// A purge running in another process holds purgeLock: the hold
		// is placed once it is over, so that no purge reads the holds in
		// force without it and then destroys what it must keep.
		if _, err := tx.Exec(s.ctx, "SELECT pg_advisory_xact_lock($1)", purgeLock); err != nil {
			return err
		}
		if _, err := tx.Exec(s.ctx, "INSERT INTO retention_holds (id, window_from, window_until, sealed, placed) VALUES ($1, $2, $3, $4, $5)",
			string(id), from.Time(), until.Time(), sealed, now.Time()); err != nil {
			return err
		}
		return event{kind: retention.EventHoldPlaced, scope: string(id), hold: id}.insert(s.ctx, tx, now)
	})
	if err != nil {
		return retention.Hold{}, dbErr("placing a hold", err)
	}
	s.mu.Lock()
	if s.secrets != nil {
		s.secrets[id] = &sec
	}
	s.mu.Unlock()
	s.log.Info("hold placed", "hold", string(id), "targets", len(targets))
	return retention.Hold{ID: id, Case: caseID, Targets: slices.Clone(targets), From: from, Until: until, Placed: now}, nil
}

// holdRow is a row of retention_holds.
type holdRow struct {
	id          retention.HoldID
	from, until time.Time
	sealed      []byte
	placed      time.Time
	lifted      pgtype.Timestamptz
}

// holdRows reads the holds, in the order they were placed; only those in
// force when inForce.
func (s *Store) holdRows(conn *pgx.Conn, inForce bool) ([]holdRow, error) {
	q := "SELECT id, window_from, window_until, sealed, placed, lifted FROM retention_holds"
	if inForce {
		q += " WHERE lifted IS NULL"
	}
	rows, err := conn.Query(s.ctx, q+" ORDER BY placed, id")
	if err != nil {
		return nil, dbErr("reading the holds", err)
	}
	var out []holdRow
	var h holdRow
	var id string
	_, err = pgx.ForEachRow(rows, []any{&id, &h.from, &h.until, &h.sealed, &h.placed, &h.lifted}, func() error {
		h.id = retention.HoldID(id)
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, dbErr("reading the holds", err)
	}
	return out, nil
}

// secret opens a hold's case and targets, once.
func (s *Store) secret(h holdRow) (*holdSecret, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, retention.ErrClosed
	}
	if sec := s.secrets[h.id]; sec != nil {
		return sec, nil
	}
	if s.cfg.Opener == nil {
		return nil, fmt.Errorf("%w: the store was opened without an identity that opens its holds", retention.ErrNoKey)
	}
	plain, err := s.cfg.Opener.Open(h.sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: the identity does not open a hold", retention.ErrNoKey)
	}
	var sec holdSecret
	if err := json.Unmarshal(plain, &sec); err != nil {
		return nil, fmt.Errorf("%w: a hold does not decode", retention.ErrTampered)
	}
	s.secrets[h.id] = &sec
	return &sec, nil
}

// readableHolds returns the scopes of the holds in force a lookup of v
// may read: those placed for its case (every one when v.anyHold).
func (s *Store) readableHolds(conn *pgx.Conn, v view) ([]string, error) {
	hs, err := s.holdRows(conn, true)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, h := range hs {
		if !v.anyHold {
			sec, err := s.secret(h)
			if err != nil {
				return nil, err
			}
			if v.caseID == "" || sec.Case != v.caseID {
				continue
			}
		}
		out = append(out, string(h.id))
	}
	return out, nil
}

// LiftHold lifts hold id of case caseID, as [retention.Store.LiftHold]
// does: a hold not in force, or of another case, is refused with
// [retention.ErrHold]; lookups stop reading it at once, and the next
// purge destroys what it kept.
func (s *Store) LiftHold(id retention.HoldID, caseID string) error {
	conn, err := s.conn()
	if err != nil {
		return err
	}
	defer s.pool.release(conn)
	hs, err := s.holdRows(conn, true)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(hs, func(h holdRow) bool { return h.id == id })
	if i < 0 {
		return fmt.Errorf("%w: no hold in force has this identity", retention.ErrHold)
	}
	sec, err := s.secret(hs[i])
	if err != nil {
		return err
	}
	if sec.Case != caseID {
		return fmt.Errorf("%w: the hold was placed for another case", retention.ErrHold)
	}
	now := timesync.Now(s.cfg.Clock)
	err = pgx.BeginFunc(s.ctx, conn, func(tx pgx.Tx) error {
		tag, err := tx.Exec(s.ctx, "UPDATE retention_holds SET lifted = $2 WHERE id = $1 AND lifted IS NULL", string(id), now.Time())
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return retention.ErrHold
		}
		return event{kind: retention.EventHoldLifted, scope: string(id), hold: id}.insert(s.ctx, tx, now)
	})
	if err == retention.ErrHold {
		return fmt.Errorf("%w: the hold was lifted meanwhile", retention.ErrHold)
	}
	if err != nil {
		return dbErr("lifting a hold", err)
	}
	s.log.Info("hold lifted", "hold", string(id))
	return nil
}

// Holds returns the holds, in force and lifted, in the order they were
// placed; their cases and targets need an [Config.Opener].
func (s *Store) Holds() ([]retention.Hold, error) {
	conn, err := s.conn()
	if err != nil {
		return nil, err
	}
	defer s.pool.release(conn)
	hs, err := s.holdRows(conn, false)
	if err != nil {
		return nil, err
	}
	var out []retention.Hold
	for _, h := range hs {
		sec, err := s.secret(h)
		if err != nil {
			return nil, err
		}
		hold := retention.Hold{ID: h.id, Case: sec.Case, Targets: slices.Clone(sec.Targets), From: timesync.FromTime(h.from),
			Until: timesync.FromTime(h.until), Placed: timesync.FromTime(h.placed)}
		if h.lifted.Valid {
			hold.Lifted = timesync.FromTime(h.lifted.Time)
		}
		out = append(out, hold)
	}
	return out, nil
}

// span is an address range held during an interval, through the chain.
type span struct {
	prefix   netip.Prefix
	from, to int64
}

// matcher decides which records of a period a hold keeps: the embedded
// store's rule (retention/hold.go) — a record meeting the window whose
// prefix meets a target prefix or whose subscriber is a target, a
// mapping whose public address is in a target prefix, and the chain: an
// assignment of the inside address of a matching mapping while it
// lasted, a mapping from an address a matching assignment held.
type matcher struct {
	from, until int64
	prefixes    []netip.Prefix
	subs        []retention.Subscriber
	inside      []span
}

func endOf(until int64) int64 {
	if until == 0 {
		return 1<<63 - 1
	}
	return until
}

func (m *matcher) keepsAssignment(a retention.Assignment) bool {
	from, end := a.From.Unix(), endOf(untilOf(a.Until))
	if !(from < m.until && end > m.from) {
		return false
	}
	p := a.Prefix.Masked()
	if slices.Contains(m.subs, a.Subscriber) || slices.ContainsFunc(m.prefixes, p.Overlaps) {
		return true
	}
	return slices.ContainsFunc(m.inside, func(sp span) bool { return p.Overlaps(sp.prefix) && from < sp.to && end > sp.from })
}

func (m *matcher) keepsMapping(r retention.Mapping) bool {
	from, end := r.From.Unix(), endOf(untilOf(r.Until))
	if !(from < m.until && end > m.from) {
		return false
	}
	if slices.ContainsFunc(m.prefixes, func(p netip.Prefix) bool { return p.Contains(r.Public) }) {
		return true
	}
	return slices.ContainsFunc(m.inside, func(sp span) bool { return sp.prefix.Contains(r.Inside) && from < sp.to && end > sp.from })
}
