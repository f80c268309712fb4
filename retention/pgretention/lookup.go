package pgretention

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// The lookup's statements, prepared on every connection when it opens.
//
// A period's rows are readable while its retention lasts: its scope (the
// day, 'YYYY-MM-DD') is at least the first day still kept ($4 for
// mappings, $5 for assignments) and below 'hold'; a hold's rows are
// readable when its scope is in $6, the holds in force placed for the
// work order's case. Each table is read in two branches, its periods'
// and its holds', each bounded on the partition key by a constant
// ('hold'), so that the planner keeps only the periods' partitions in
// one and the holds' in the other, and the executor prunes, before it
// reads any, the partitions of periods past their retention ($4, $5),
// even in a generic plan (an OR of the two, or a list of scopes, would
// leave every partition in the plan, each searched). Each partition
// left is searched through its GiST index on (address, interval,
// ports).
const (
	stmtLookup = "pgretention_lookup"
	stmtEnded  = "pgretention_ended"
	stmtGap    = "pgretention_gap"
)

// readableCTEs are the rows a lookup may read, as common table
// expressions the planner inlines (and so prunes and indexes).
const readableCTEs = `
rm AS NOT MATERIALIZED (
	SELECT scope, kid, public, ports, inside, during, sealed FROM retention_mappings WHERE scope >= $4 AND scope < 'hold'
	UNION ALL
	SELECT scope, kid, public, ports, inside, during, sealed FROM retention_mappings WHERE scope >= 'hold' AND scope = ANY($6)
),
ra AS NOT MATERIALIZED (
	SELECT scope, kid, prefix, ports, during, sealed FROM retention_assignments WHERE scope >= $5 AND scope < 'hold'
	UNION ALL
	SELECT scope, kid, prefix, ports, during, sealed FROM retention_assignments WHERE scope >= 'hold' AND scope = ANY($6)
)`

// inForceCTEs are readableCTEs with every hold in force, whatever its
// case: the lookup drops, unopened, the rows of holds it may not read.
const inForceCTEs = `
rm AS NOT MATERIALIZED (
	SELECT scope, kid, public, ports, inside, during, sealed FROM retention_mappings WHERE scope >= $4 AND scope < 'hold'
	UNION ALL
	SELECT scope, kid, public, ports, inside, during, sealed FROM retention_mappings
	WHERE scope >= 'hold' AND scope IN (SELECT id FROM retention_holds WHERE lifted IS NULL)
),
ra AS NOT MATERIALIZED (
	SELECT scope, kid, prefix, ports, during, sealed FROM retention_assignments WHERE scope >= $5 AND scope < 'hold'
	UNION ALL
	SELECT scope, kid, prefix, ports, during, sealed FROM retention_assignments
	WHERE scope >= 'hold' AND scope IN (SELECT id FROM retention_holds WHERE lifted IS NULL)
)`

// sqlLookup returns, in one statement, every row a lookup may need: the
// mappings of the public address and ports near the instant (branch 0),
// the assignments of the address itself (1), and the assignments of the
// inside addresses of those mappings (2) — in the interval $3 (the
// instant widened by the largest tolerance). The chain is a lateral
// subquery kept apart (OFFSET 0), so that each inside address is looked
// up through the assignments' index whatever the planner estimates.
// It reads the holds in force of every case (inForceCTEs), in the same
// round trip: the rows of another case's hold are dropped unopened. Which are candidates, and
// how exactly, is decided once the rows are opened: the clocks' error
// bounds are sealed.
const sqlLookup = `
WITH ` + inForceCTEs + `,
m AS MATERIALIZED (
	SELECT scope, kid, public, ports, inside, during, sealed FROM rm WHERE public = $1 AND ports && $2 AND during && $3
)
SELECT 0::int2, scope, kid, public, lower(ports), upper(ports), inside,
	extract(epoch FROM lower(during))::int8, coalesce(extract(epoch FROM upper(during))::int8, 0), sealed
FROM m
UNION ALL
SELECT 1::int2, scope, kid, prefix, lower(ports), upper(ports), NULL::inet,
	extract(epoch FROM lower(during))::int8, coalesce(extract(epoch FROM upper(during))::int8, 0), sealed
FROM ra
WHERE prefix >>= $1 AND ports && $2 AND during && $3
UNION ALL
SELECT 2::int2, a.scope, a.kid, a.prefix, lower(a.ports), upper(a.ports), NULL::inet,
	extract(epoch FROM lower(a.during))::int8, coalesce(extract(epoch FROM upper(a.during))::int8, 0), a.sealed
FROM (SELECT DISTINCT inside FROM m) i,
LATERAL (SELECT * FROM ra WHERE ra.prefix >>= i.inside AND ra.during && $3 OFFSET 0) a`

// sqlEnded returns the ended rows that start when a lasting one does,
// of the same key ($1: a table's key; $2 the start), of class $3
// (0 assignments, 1 mappings): those that may end its session.
const sqlEnded = `
WITH ` + readableCTEs + `
SELECT scope, kid, public, lower(ports), upper(ports), inside,
	extract(epoch FROM lower(during))::int8, coalesce(extract(epoch FROM upper(during))::int8, 0), sealed
FROM rm
WHERE $3 = 1 AND public = $1 AND during @> $2::timestamptz AND lower(during) = $2 AND NOT upper_inf(during)
UNION ALL
SELECT scope, kid, prefix, lower(ports), upper(ports), NULL::inet,
	extract(epoch FROM lower(during))::int8, coalesce(extract(epoch FROM upper(during))::int8, 0), sealed
FROM ra
WHERE $3 = 0 AND prefix = $1 AND during @> $2::timestamptz AND lower(during) = $2 AND NOT upper_inf(during)`

// sqlGap returns, when no record covers the instant $7 (Unix seconds),
// the end of the last record of the address (and port) before it and
// the start of the first after it, within a day ($3) — from the
// intervals in clear, opening nothing.
const sqlGap = `
WITH ` + readableCTEs + `
SELECT max(u) FILTER (WHERE u <= $7), min(f) FILTER (WHERE f > $7) FROM (
	SELECT extract(epoch FROM lower(during))::int8 AS f, extract(epoch FROM upper(during))::int8 AS u
	FROM rm WHERE public = $1 AND ports && $2 AND during && $3
	UNION ALL
	SELECT extract(epoch FROM lower(during))::int8, extract(epoch FROM upper(during))::int8
	FROM ra WHERE prefix >>= $1 AND ports && $2 AND during && $3
) x`

// prepare prepares the lookup's statements on a new connection.
func prepare(ctx context.Context, c *pgx.Conn) error {
	for name, sql := range map[string]string{stmtLookup: sqlLookup, stmtEnded: sqlEnded, stmtGap: sqlGap} {
		if _, err := c.Prepare(ctx, name, sql); err != nil {
			return err
		}
	}
	return nil
}

// view is what a lookup may read: the periods whose retention lasts, and
// the holds in force placed for the case caseID — every hold in force
// when anyHold (the bare lookup of tests and benchmarks).
type view struct {
	caseID  string
	anyHold bool
}

// Lookup answers a request under need-to-know exactly as
// [retention.Store.Lookup] does: [retention.Authorize] first (the pinned
// register, the work order read from it, its targets and windows), then
// the answer from the periods in force and the holds of the work order's
// case, recorded in the register ([retention.RecordLookup]) before it is
// returned.
func (s *Store) Lookup(reg *register.Register, q retention.Request, actor string) (retention.Answer, error) {
	if s.isClosed() {
		return retention.Answer{}, retention.ErrClosed
	}
	caseID, err := retention.Authorize(reg, s.cfg.Register, q)
	if err != nil {
		return retention.Answer{}, err
	}
	ans, err := s.answer(view{caseID: caseID}, q.Addr, q.Port, q.At)
	if err != nil {
		return retention.Answer{}, err
	}
	ans.Ref = q.Ref
	if err := retention.RecordLookup(reg, q, ans, actor); err != nil {
		return retention.Answer{}, err
	}
	s.log.Info("lookup answered", "candidates", len(ans.Candidates), "ambiguous", ans.Ambiguous())
	return ans, nil
}

// hit is a record found for a lookup.
type hit struct {
	a     retention.Assignment
	m     retention.Mapping
	held  retention.HoldID
	exact bool
}

// firstKept returns the first day of class c's periods whose retention
// lasts at now: the scopes a lookup may read are it and later ones.
func (s *Store) firstKept(c retention.Class, now timesync.Timestamp) string {
	p := s.cfg.Policy.Period(c)
	d := now.Day().AddDate(0, -p.Months-1, -1)
	for !now.Before(p.End(d)) {
		d = d.AddDate(0, 0, 1)
	}
	return d.String()
}

// portRange is the ports a request asks: the port alone, or all of them.
func portRange(port uint16) pgtype.Range[pgtype.Int4] {
	if port == 0 {
		return clearCols{lo: 0, hi: 65536}.ports()
	}
	return clearCols{lo: int32(port), hi: int32(port) + 1}.ports()
}

// answer is the lookup of what v may read, without a work order.
func (s *Store) answer(v view, addr netip.Addr, port uint16, at timesync.Timestamp) (retention.Answer, error) {
	ans := retention.Answer{Addr: addr, Port: port, At: at}
	if s.cfg.Opener == nil {
		return ans, fmt.Errorf("%w: the store was opened without an identity that opens its keys", retention.ErrNoKey)
	}
	conn, err := s.conn()
	if err != nil {
		return ans, err
	}
	defer s.pool.release(conn)
	now := timesync.Now(s.cfg.Clock)
	minM, minA := s.firstKept(retention.ClassMappings, now), s.firstKept(retention.ClassAssignments, now)
	t := at.Unix()
	reach := int64((retention.MaxTolerance + s.cfg.Tolerance + time.Second - 1) / time.Second)
	rows, err := conn.Query(s.ctx, stmtLookup, addr, portRange(port), interval(t-reach, t+reach+1), minM, minA)
	if err != nil {
		return ans, dbErr("looking up", err)
	}
	var maps, direct, chained []hit
	var r found
	var branch int16
	var heldRows []found // rows of holds in force, kept until their holds are known
	var heldBranch []int16
	_, err = pgx.ForEachRow(rows, []any{&branch, &r.scope, &r.kid, &r.addr, &r.lo, &r.hi, &r.inside, &r.from, &r.until, &r.sealed}, func() error {
		if strings.HasPrefix(r.scope, "hold-") {
			heldRows, heldBranch = append(heldRows, r), append(heldBranch, branch)
			return nil
		}
		c := retention.ClassAssignments
		if branch == 0 {
			c = retention.ClassMappings
		}
		h, ok, err := s.openHit(c, &r, t)
		if err != nil || !ok {
			return err
		}
		switch branch {
		case 0:
			maps = append(maps, h)
		case 1:
			direct = append(direct, h)
		default:
			chained = append(chained, h)
		}
		return nil
	})
	if err != nil {
		return ans, wrapRowErr("looking up", err)
	}
	// The holds this lookup may read: only when a held row came back
	// (a hold in force kept records of this address) are they asked for.
	var holds []string
	readable := func() ([]string, error) {
		if holds == nil {
			var err error
			holds, err = s.readableHolds(conn, v)
			return holds, err
		}
		return holds, nil
	}
	if len(heldRows) > 0 {
		if _, err := readable(); err != nil {
			return ans, err
		}
	}
	for i := range heldRows {
		r, branch := &heldRows[i], heldBranch[i]
		if !slices.Contains(holds, r.scope) {
			continue // another case's hold: not opened
		}
		c := retention.ClassAssignments
		if branch == 0 {
			c = retention.ClassMappings
		}
		h, ok, err := s.openHit(c, r, t)
		if err != nil {
			return ans, wrapRowErr("looking up", err)
		}
		if !ok {
			continue
		}
		switch branch {
		case 0:
			maps = append(maps, h)
		case 1:
			direct = append(direct, h)
		default:
			chained = append(chained, h)
		}
	}
	if maps, err = s.live(conn, retention.ClassMappings, maps, minM, minA, readable); err != nil {
		return ans, err
	}
	if direct, err = s.live(conn, retention.ClassAssignments, direct, minM, minA, readable); err != nil {
		return ans, err
	}
	if chained, err = s.live(conn, retention.ClassAssignments, chained, minM, minA, readable); err != nil {
		return ans, err
	}
	for _, a := range direct {
		ans.Candidates = append(ans.Candidates, candidateOf(a, nil))
	}
	for _, m := range maps {
		for _, a := range chained {
			if a.a.Prefix.Contains(m.m.Inside) {
				ans.Candidates = append(ans.Candidates, candidateOf(a, &m))
			}
		}
	}
	slices.SortFunc(ans.Candidates, func(a, b retention.Candidate) int {
		return cmp.Or(cmp.Compare(a.Subscriber, b.Subscriber), a.Assignment.From.Compare(b.Assignment.From))
	})
	ans.Ambiguities = ambiguities(ans, port)
	for _, c := range retention.Classes() {
		if !now.Before(s.cfg.Policy.Period(c).End(at.Day())) && !slices.Contains(ans.Ambiguities, retention.PeriodOver) {
			ans.Ambiguities = append(ans.Ambiguities, retention.PeriodOver)
		}
	}
	if !slices.ContainsFunc(ans.Candidates, func(c retention.Candidate) bool { return c.Exact }) {
		var before, after pgtype.Int8
		holds, err := readable()
		if err != nil {
			return ans, err
		}
		err = conn.QueryRow(s.ctx, stmtGap, addr, portRange(port), interval(t-86400, t+86401), minM, minA, holds, t).Scan(&before, &after)
		if err != nil {
			return ans, dbErr("looking up", err)
		}
		if before.Valid || after.Valid {
			g := &retention.Gap{}
			if before.Valid {
				g.Before = timesync.Unix(before.Int64)
			}
			if after.Valid {
				g.After = timesync.Unix(after.Int64)
			}
			ans.Gap = g
			ans.Ambiguities = append(ans.Ambiguities, retention.BetweenSessions)
		}
	}
	return ans, nil
}

// found is a row as the lookup's statements return it.
type found struct {
	scope, kid string
	addr       netip.Prefix
	lo, hi     int32
	inside     *netip.Prefix
	from       int64
	until      int64
	sealed     []byte
}

func (r *found) clear() clearCols {
	c := clearCols{addr: r.addr, lo: r.lo, hi: r.hi, from: r.from, until: r.until}
	if r.inside != nil {
		c.inside = r.inside.Addr()
	}
	return c
}

// errRow is a row that does not open or does not say what its columns
// say: [retention.ErrTampered], naming the partition only.
type errRow struct {
	partition string
	reason    string
}

func (e *errRow) Error() string {
	return fmt.Sprintf("%v: a row of %s %s", retention.ErrTampered, e.partition, e.reason)
}

func (e *errRow) Unwrap() error { return retention.ErrTampered }

// wrapRowErr returns an error met while reading rows: the store's own
// (a row that does not open, a key gone, the store closed) as it is,
// the database's wrapped by dbErr.
func wrapRowErr(what string, err error) error {
	for _, own := range []error{retention.ErrTampered, retention.ErrNoKey, retention.ErrClosed, retention.ErrConfig} {
		if errors.Is(err, own) {
			return err
		}
	}
	return dbErr(what, err)
}

// openRow opens a row of class c: its record, checked against its
// columns in clear, and the hold it belongs to.
func (s *Store) openRow(c retention.Class, r *found) (retention.Assignment, retention.Mapping, retention.HoldID, error) {
	var a retention.Assignment
	var m retention.Mapping
	part := partitionOf(tableOf(c), r.scope)
	aead, err := s.keys.Cipher(keyScope(c, r.scope), r.kid)
	if err != nil {
		return a, m, "", fmt.Errorf("%w (%s)", err, part)
	}
	plain, err := open(aead, rowAAD(c, r.scope, r.kid), r.sealed)
	if err != nil {
		return a, m, "", &errRow{part, "does not open under its period's key"}
	}
	defer clear(plain)
	var cl clearCols
	if c == retention.ClassMappings {
		err = json.Unmarshal(plain, &m)
		cl = clearOfMapping(m)
	} else {
		err = json.Unmarshal(plain, &a)
		cl = clearOfAssignment(a)
	}
	if err != nil {
		return a, m, "", &errRow{part, "does not decode"}
	}
	if cl != r.clear() {
		return a, m, "", &errRow{part, "says other than its columns in clear"}
	}
	var held retention.HoldID
	if strings.HasPrefix(r.scope, "hold-") {
		held = retention.HoldID(r.scope)
	}
	return a, m, held, nil
}

// openHit opens a row and says whether it covers instant t, exactly or
// within its tolerance.
func (s *Store) openHit(c retention.Class, r *found, t int64) (hit, bool, error) {
	a, m, held, err := s.openRow(c, r)
	if err != nil {
		return hit{}, false, err
	}
	clk := a.Clock
	if c == retention.ClassMappings {
		clk = m.Clock
	}
	tol := int64(retention.ToleranceOf(s.cfg.Tolerance, clk) / time.Second)
	end := r.until
	if end == 0 {
		end = 1<<63 - 1
	}
	exact := r.from <= t && t < end
	near := !exact && r.from-tol <= t && (r.until == 0 || t < r.until+tol)
	return hit{a: a, m: m, held: held, exact: exact}, exact || near, nil
}

// live drops duplicates (the same record twice, or in a period and a
// hold: the period's is kept) and the lasting records whose session has
// an ended record anywhere the lookup reads, as the embedded store does.
func (s *Store) live(conn *pgx.Conn, c retention.Class, hs []hit, minM, minA string, readable func() ([]string, error)) ([]hit, error) {
	slices.SortStableFunc(hs, func(x, y hit) int { return cmp.Compare(x.held, y.held) })
	var out []hit
	for _, h := range hs {
		if !slices.ContainsFunc(out, func(o hit) bool { return o.a == h.a && o.m == h.m }) {
			out = append(out, h)
		}
	}
	ended := map[hit]bool{}
	for _, h := range out {
		open := h.a.Open()
		key, from := any(h.a.Prefix.Masked()), h.a.From
		class := 0
		if c == retention.ClassMappings {
			open, key, from, class = h.m.Open(), h.m.Public, h.m.From, 1
		}
		if !open {
			continue
		}
		k := sessionOf(h)
		if _, asked := ended[k]; asked {
			continue
		}
		ended[k] = false
		holds, err := readable()
		if err != nil {
			return nil, err
		}
		rows, err := conn.Query(s.ctx, stmtEnded, key, from.Time(), class, minM, minA, holds)
		if err != nil {
			return nil, dbErr("looking up", err)
		}
		var r found
		_, err = pgx.ForEachRow(rows, []any{&r.scope, &r.kid, &r.addr, &r.lo, &r.hi, &r.inside, &r.from, &r.until, &r.sealed}, func() error {
			a, m, _, err := s.openRow(c, &r)
			if err != nil {
				return err
			}
			if sessionOf(hit{a: a, m: m}) == k {
				ended[k] = true
			}
			return nil
		})
		if err != nil {
			return nil, wrapRowErr("looking up", err)
		}
	}
	return slices.DeleteFunc(out, func(h hit) bool {
		return (h.a.Open() && c == retention.ClassAssignments || h.m.Open() && c == retention.ClassMappings) && ended[sessionOf(h)]
	}), nil
}

// sessionOf is a record's session identity, as the embedded store's:
// the record without its end, clock verdict and evidence hash.
func sessionOf(h hit) hit {
	k := hit{a: h.a, m: h.m}
	k.a.Prefix = k.a.Prefix.Masked()
	k.a.Until, k.a.Clock, k.a.Source.Hash = timesync.Timestamp{}, retention.Clock{}, [32]byte{}
	k.m.Until, k.m.Clock, k.m.Source.Hash = timesync.Timestamp{}, retention.Clock{}, [32]byte{}
	return k
}

// evidence is a row's: each row is sealed and authenticated on its own,
// so it is its own block of one record — the root is its leaf, and the
// proof is empty.
func evidence(leaf [32]byte) retention.BlockEvidence {
	return retention.BlockEvidence{Root: leaf, Proof: retention.Proof{Index: 0, Count: 1}}
}

func candidateOf(a hit, m *hit) retention.Candidate {
	c := retention.Candidate{Subscriber: a.a.Subscriber, Assignment: a.a, Evidence: evidence(retention.LeafOfAssignment(a.a)),
		Exact: a.exact, Held: a.held}
	if m != nil {
		mm := m.m
		ev := evidence(retention.LeafOfMapping(mm))
		c.Mapping, c.MappingEvidence = &mm, &ev
		c.Exact = c.Exact && m.exact
		if c.Held == "" {
			c.Held = m.held
		}
	}
	return c
}

// ambiguities says why an answer is not one subscriber for certain, as
// the embedded store says it.
func ambiguities(ans retention.Answer, port uint16) []retention.Ambiguity {
	var out []retention.Ambiguity
	add := func(a retention.Ambiguity) {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(ans.Subscribers()) > 1 {
		if port == 0 {
			add(retention.SharedAddress)
		} else {
			add(retention.SeveralSubscribers)
		}
	}
	for _, c := range ans.Candidates {
		if !c.Exact {
			add(retention.ClockTolerance)
		}
		if c.Assignment.Open() || c.Mapping != nil && c.Mapping.Open() {
			add(retention.OpenSession)
		}
		if !c.Assignment.Clock.Bounded() || c.Mapping != nil && !c.Mapping.Clock.Bounded() {
			add(retention.UnboundedClock)
		}
	}
	return out
}

// dayString is a day as a period's scope.
func dayString(d date.Date) string { return d.String() }
