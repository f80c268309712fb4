package pgretention

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// purgeLock is the advisory lock a purge holds: one purge at a time,
// whatever the processes.
const purgeLock int64 = 0x63636a6b70757267 // "ccjkpurg"

// partitions returns the partitions of table, by scope.
func (s *Store) partitions(conn *pgx.Conn, table string) (map[string]string, error) {
	rows, err := conn.Query(s.ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = $1::regclass`, table)
	if err != nil {
		return nil, dbErr("listing the partitions", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, dbErr("listing the partitions", err)
	}
	out := map[string]string{}
	for _, n := range names {
		if sc := scopeOfPartition(table, n); sc != "" {
			out[sc] = n
		}
	}
	return out, nil
}

// period is a retention period: a day and a class.
type period struct {
	day   date.Date
	class retention.Class
}

// Purge destroys every period whose end has come, as
// [retention.Store.Purge] does: first what a hold in force matches is
// copied, sealed under the hold's own key, into the hold's partition;
// then the period's keys are destroyed in the key directory — from then
// on its rows cannot be opened, in the database, in a dump or on a
// replica — and then, in one transaction, its partition is dropped and
// the destruction recorded (the period, the count of rows, the keys).
// A period whose keys a crash already destroyed is finished the same
// way. A period that cannot be destroyed does not stop the others. A
// store without an [Config.Opener] keeps whole every ended period while
// a hold is in force (it cannot tell what the hold needs), and says so.
// Lifted holds' partitions and keys are destroyed last.
func (s *Store) Purge() (retention.PurgeReport, error) {
	var rep retention.PurgeReport
	conn, err := s.conn()
	if err != nil {
		return rep, err
	}
	defer s.pool.release(conn)
	if _, err := conn.Exec(s.ctx, "SELECT pg_advisory_lock($1)", purgeLock); err != nil {
		return rep, dbErr("locking for a purge", err)
	}
	defer func() {
		// Unlocked even when the store is closing; a connection that
		// cannot unlock is closed, which releases its session's locks,
		// rather than given back to the pool holding the lock.
		if _, err := conn.Exec(context.WithoutCancel(s.ctx), "SELECT pg_advisory_unlock($1)", purgeLock); err != nil {
			conn.Close(context.Background())
		}
	}()
	now := timesync.Now(s.cfg.Clock)
	parts := map[retention.Class]map[string]string{}
	for _, c := range retention.Classes() {
		if parts[c], err = s.partitions(conn, tableOf(c)); err != nil {
			return rep, err
		}
	}
	keyed, err := s.keys.Scopes()
	if err != nil {
		return rep, err
	}
	var periods []period
	add := func(p period) {
		if !slices.Contains(periods, p) {
			periods = append(periods, p)
		}
	}
	for c, ps := range parts {
		for sc := range ps {
			if d, err := timesync.ParseDay(sc); err == nil {
				add(period{d, c})
			}
		}
	}
	for ks := range keyed {
		ds, cs, ok := strings.Cut(ks, ".")
		d, err := timesync.ParseDay(ds)
		if !ok || err != nil {
			continue
		}
		for _, c := range retention.Classes() {
			if c.String() == cs {
				add(period{d, c})
			}
		}
	}
	slices.SortFunc(periods, func(a, b period) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.class, b.class)) })
	all, err := s.holdRows(conn, false)
	if err != nil {
		return rep, err
	}
	var inForce []holdRow
	for _, h := range all {
		if !h.lifted.Valid {
			inForce = append(inForce, h)
		}
	}
	var errs []error
	for _, p := range periods {
		if now.Before(s.cfg.Policy.Period(p.class).End(p.day)) {
			continue
		}
		scope := dayString(p.day)
		if len(keyed[keyScope(p.class, scope)]) > 0 && len(inForce) > 0 {
			if s.cfg.Opener == nil {
				rep.Kept = append(rep.Kept, retention.Kept{Day: p.day, Class: p.class,
					Reason: "a hold is in force and the store has no identity to separate what it needs"})
				continue
			}
			if err := s.keepHeld(conn, p, inForce); err != nil {
				errs = append(errs, fmt.Errorf("pgretention: purge of %s: %w", keyScope(p.class, scope), err))
				continue
			}
		}
		n, keys, err := s.destroy(conn, keyScope(p.class, scope), "", map[retention.Class]string{p.class: parts[p.class][scope]})
		if err != nil {
			errs = append(errs, fmt.Errorf("pgretention: purge of %s: %w", keyScope(p.class, scope), err))
			continue
		}
		rep.Destroyed = append(rep.Destroyed, retention.Destruction{Day: p.day, Class: p.class, Records: n, Keys: keys})
	}
	for _, h := range all {
		if !h.lifted.Valid {
			continue
		}
		sc := string(h.id)
		hp := map[retention.Class]string{}
		for _, c := range retention.Classes() {
			if name, ok := parts[c][sc]; ok {
				hp[c] = name
			}
		}
		if len(hp) == 0 && len(keyed[sc]) == 0 {
			continue
		}
		n, keys, err := s.destroy(conn, sc, h.id, hp)
		if err != nil {
			errs = append(errs, fmt.Errorf("pgretention: purge of %s: %w", sc, err))
			continue
		}
		rep.Destroyed = append(rep.Destroyed, retention.Destruction{Hold: h.id, Records: n, Keys: keys})
	}
	return rep, errors.Join(errs...)
}

// destroy destroys a key scope's keys, then drops its partitions (class
// → name; "" for none) and records the destruction in one transaction.
// It returns the rows the partitions held and the keys destroyed.
func (s *Store) destroy(conn *pgx.Conn, ks string, hold retention.HoldID, parts map[retention.Class]string) (int, int, error) {
	n := 0
	for _, name := range parts {
		if name == "" {
			continue
		}
		var k int
		if err := conn.QueryRow(s.ctx, "SELECT count(*) FROM "+pgx.Identifier{name}.Sanitize()).Scan(&k); err != nil {
			return 0, 0, dbErr("counting a period's rows", err)
		}
		n += k
	}
	s.mu.Lock()
	delete(s.writing, ks)
	s.mu.Unlock()
	keys, err := s.keys.Destroy(ks)
	if err != nil {
		return 0, 0, err
	}
	err = pgx.BeginFunc(s.ctx, conn, func(tx pgx.Tx) error {
		for _, name := range parts {
			if name == "" {
				continue
			}
			if _, err := tx.Exec(s.ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
				return err
			}
		}
		return event{kind: retention.EventDestroyed, scope: ks, records: n, keys: keys, hold: hold}.insert(s.ctx, tx, timesync.Now(s.cfg.Clock))
	})
	if err != nil {
		return 0, keys, dbErr("dropping a period", err)
	}
	s.mu.Lock()
	for _, name := range parts {
		delete(s.parts, name)
	}
	s.mu.Unlock()
	s.log.Info("period destroyed", "period", ks, "records", n, "keys", keys)
	return n, keys, nil
}

// rowsOf opens every row of table's scope, or of every scope (scope ""),
// that meets [from, until) (Unix seconds); rows whose key is gone are
// skipped when skipGone (the chain of a hold is built from what can
// still be read), an error otherwise.
func (s *Store) rowsOf(conn *pgx.Conn, c retention.Class, scope string, from, until int64, skipGone bool, fn func(retention.Assignment, retention.Mapping)) error {
	sql := `SELECT scope, kid, public, lower(ports), upper(ports), inside,
		extract(epoch FROM lower(during))::int8, coalesce(extract(epoch FROM upper(during))::int8, 0), sealed
		FROM retention_mappings WHERE during && $1 AND ($2 = '' OR scope = $2)`
	if c == retention.ClassAssignments {
		sql = `SELECT scope, kid, prefix, lower(ports), upper(ports), NULL::inet,
		extract(epoch FROM lower(during))::int8, coalesce(extract(epoch FROM upper(during))::int8, 0), sealed
		FROM retention_assignments WHERE during && $1 AND ($2 = '' OR scope = $2)`
	}
	rows, err := conn.Query(s.ctx, sql, interval(from, until), scope)
	if err != nil {
		return dbErr("reading a period", err)
	}
	var r found
	_, err = pgx.ForEachRow(rows, []any{&r.scope, &r.kid, &r.addr, &r.lo, &r.hi, &r.inside, &r.from, &r.until, &r.sealed}, func() error {
		a, m, _, err := s.openRow(c, &r)
		if skipGone && errors.Is(err, retention.ErrNoKey) {
			return nil
		}
		if err != nil {
			return err
		}
		fn(a, m)
		return nil
	})
	if err != nil {
		return wrapRowErr("reading a period", err)
	}
	return nil
}

// keepHeld copies, before period p is destroyed, the rows each hold in
// force matches into the hold's partition, sealed under the hold's key,
// with an event saying how many — in one transaction per hold.
func (s *Store) keepHeld(conn *pgx.Conn, p period, holds []holdRow) error {
	scope := dayString(p.day)
	other := retention.ClassMappings
	if p.class == retention.ClassMappings {
		other = retention.ClassAssignments
	}
	for _, h := range holds {
		sec, err := s.secret(h)
		if err != nil {
			return err
		}
		m := &matcher{from: h.from.Unix(), until: h.until.Unix()}
		for _, t := range sec.Targets {
			if t.Prefix.IsValid() {
				m.prefixes = append(m.prefixes, t.Prefix)
			} else {
				m.subs = append(m.subs, t.Subscriber)
			}
		}
		direct := &matcher{from: m.from, until: m.until, prefixes: m.prefixes, subs: m.subs}
		err = s.rowsOf(conn, other, "", m.from, m.until, true, func(a retention.Assignment, r retention.Mapping) {
			if other == retention.ClassMappings {
				if direct.keepsMapping(r) {
					from, to := max(r.From.Unix(), m.from), min(endOf(untilOf(r.Until)), m.until)
					m.inside = append(m.inside, span{prefix: netipPrefixOf(r.Inside), from: from, to: to})
				}
				return
			}
			if direct.keepsAssignment(a) {
				from, to := max(a.From.Unix(), m.from), min(endOf(untilOf(a.Until)), m.until)
				m.inside = append(m.inside, span{prefix: a.Prefix.Masked(), from: from, to: to})
			}
		})
		if err != nil {
			return err
		}
		var kept []sealedRow
		var sealErr error
		err = s.rowsOf(conn, p.class, scope, m.from, m.until, false, func(a retention.Assignment, r retention.Mapping) {
			if sealErr != nil {
				return
			}
			var plain []byte
			var cl clearCols
			switch {
			case p.class == retention.ClassAssignments && m.keepsAssignment(a):
				plain, _ = jsonOf(a)
				cl = clearOfAssignment(a)
			case p.class == retention.ClassMappings && m.keepsMapping(r):
				plain, _ = jsonOf(r)
				cl = clearOfMapping(r)
			default:
				return
			}
			row, err := s.sealIn(p.class, string(h.id), cl, plain)
			if err != nil {
				sealErr = err
				return
			}
			kept = append(kept, row)
		})
		if err != nil {
			return err
		}
		if sealErr != nil {
			return sealErr
		}
		if len(kept) == 0 {
			continue
		}
		if err := s.writeOn(conn, p.class, kept, []event{{kind: retention.EventHeld, scope: keyScope(p.class, scope), hold: h.id, records: len(kept)}}); err != nil {
			return err
		}
	}
	return nil
}
