package pgretention

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// Verify checks every row the store holds and returns every problem,
// each naming the partition and the row's place (its ctid), never its
// content: with an [Config.Opener], that each row opens under its
// period's (or hold's) key, bound to its class, scope and key, that its
// record says what its columns in clear say — an address, port range or
// interval changed by whoever can write to the database is named — and
// that a period's record belongs to that period's day; without one, that
// every row's key is in the key directory. And that no period or hold
// recorded as destroyed left a partition. The error is a
// [*provenance.Problems] whose findings wrap [retention.ErrTampered].
//
// What Verify cannot see: a row deleted, or a whole partition dropped,
// by whoever can write to the database — rows are not chained (the
// register's journal is); a dump compared with the events' counts shows
// it. See docs/security.md, "Retention on PostgreSQL".
func (s *Store) Verify() (retention.VerifyReport, error) {
	var rep retention.VerifyReport
	conn, err := s.conn()
	if err != nil {
		return rep, err
	}
	defer s.pool.release(conn)
	rep.Opened = s.cfg.Opener != nil
	var probs []provenance.Finding
	bad := func(where, msg string) {
		probs = append(probs, provenance.Finding{Rule: "retention-integrity", Severity: provenance.Error, Field: where,
			Source: provenance.Rule("retention-integrity"), Err: retention.ErrTampered, Message: provenance.Text(msg)})
	}
	keyed, err := s.keys.Scopes()
	if err != nil {
		return rep, err
	}
	rows, err := conn.Query(s.ctx, "SELECT scope FROM retention_events WHERE kind = $1", string(retention.EventDestroyed))
	if err != nil {
		return rep, dbErr("reading the events", err)
	}
	destroyed, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return rep, dbErr("reading the events", err)
	}
	for _, c := range retention.Classes() {
		table := tableOf(c)
		parts, err := s.partitions(conn, table)
		if err != nil {
			return rep, err
		}
		for _, sc := range sortedKeys(parts) {
			name := parts[sc]
			rep.Files++
			if slices.Contains(destroyed, keyScope(c, sc)) {
				bad(name, "a period or hold recorded as destroyed left its partition")
			}
			day, isPeriod := time.Time{}, !strings.HasPrefix(sc, "hold-")
			if isPeriod {
				d, err := timesync.ParseDay(sc)
				if err != nil {
					bad(name, "a partition of no period")
					continue
				}
				day = timesync.DayStart(d)
			}
			q := fmt.Sprintf(`SELECT ctid::text, scope, kid, %s, lower(ports), upper(ports), %s,
				extract(epoch FROM lower(during))::int8, coalesce(extract(epoch FROM upper(during))::int8, 0), sealed FROM %s`,
				map[bool]string{true: "public", false: "prefix"}[c == retention.ClassMappings],
				map[bool]string{true: "inside", false: "NULL::inet"}[c == retention.ClassMappings], pgx.Identifier{name}.Sanitize())
			rs, err := conn.Query(s.ctx, q)
			if err != nil {
				return rep, dbErr("reading a partition", err)
			}
			var r found
			var ctid string
			_, err = pgx.ForEachRow(rs, []any{&ctid, &r.scope, &r.kid, &r.addr, &r.lo, &r.hi, &r.inside, &r.from, &r.until, &r.sealed}, func() error {
				rep.Records++
				where := name + " row " + ctid
				if r.scope != sc {
					bad(where, "a row of another scope")
					return nil
				}
				if !slices.Contains(keyed[keyScope(c, sc)], r.kid) {
					bad(where, "the row's key is not in the key directory")
					return nil
				}
				if !rep.Opened {
					return nil
				}
				a, m, _, err := s.openRow(c, &r)
				var er *errRow
				if errors.As(err, &er) {
					bad(where, er.reason)
					return nil
				}
				if err != nil {
					return err
				}
				if isPeriod {
					until := a.Until
					if c == retention.ClassMappings {
						until = m.Until
					}
					if !until.IsZero() && until.Add(-time.Second).Day() != timesync.FromTime(day).Day() {
						bad(where, "a record of another period")
					}
				}
				return nil
			})
			if err != nil {
				return rep, wrapRowErr("reading a partition", err)
			}
		}
	}
	rep.Blocks = rep.Records // a row is its own block
	if err := provenance.Check("pgretention: verify", probs); err != nil {
		return rep, err
	}
	return rep, nil
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
