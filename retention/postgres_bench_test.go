package retention

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/timesync"
)

// PostgreSQL as the baseline: the same data in the tables a sysadmin
// would make instead of this package's store, each a row per record
// holding what the store keeps of it (addresses, ports, the interval,
// the evidence and the clock verdict), with GiST indexes on (address,
// interval) — and the ports for mappings, the three conditions of a
// lookup: inet_ops and range_ops are both in core, no extension needed.
// The ports matter more than their selectivity: with (public, during)
// alone, the planner kept custom plans for the prepared lookup
// (plan_cache_mode auto), and planning (about 0.4 ms) then cost more
// than the execution (about 0.1 ms); with the ports the generic plan
// wins and is kept, at 25 more bytes of index a mapping (measured while
// choosing; TestPostgresBaselinePlan checks that both plans use the
// indexes). internal/pgtest starts a real server for each benchmark
// (fsync and synchronous commit on, the defaults: a committed batch is
// durable, as the store's is); the client is pgx over TCP loopback with
// its cache of prepared statements. Without PostgreSQL they are skipped
// (failed under CI).

// pgSchema makes the tables and their indexes.
const pgSchema = `
CREATE TABLE assignments (
	subscriber     text      NOT NULL,
	prefix         inet      NOT NULL,
	ports          int4range NOT NULL, -- every port: [0,65536)
	during         tstzrange NOT NULL, -- [from, until), until unbounded while it lasts
	kind           int2      NOT NULL,
	device         text      NOT NULL,
	hash           bytea,
	synchronised   bool      NOT NULL,
	to_the_second  bool      NOT NULL,
	error_bound_ns int8      NOT NULL
);
CREATE TABLE mappings (
	public         inet      NOT NULL,
	ports          int4range NOT NULL,
	inside         inet      NOT NULL,
	inside_port    int4      NOT NULL,
	protocol       int2      NOT NULL,
	during         tstzrange NOT NULL,
	kind           int2      NOT NULL,
	device         text      NOT NULL,
	hash           bytea,
	synchronised   bool      NOT NULL,
	to_the_second  bool      NOT NULL,
	error_bound_ns int8      NOT NULL
);
CREATE INDEX assignments_prefix_during ON assignments USING gist (prefix inet_ops, during);
CREATE INDEX mappings_public_during_ports ON mappings USING gist (public inet_ops, during, ports);
`

// pgLookup answers the store's question in one query: the subscribers
// of the assignments of the public address itself, and of those of the
// inside address of each mapping of the public address and port, at the
// instant — within the clock tolerance, as the store answers: a record
// whose interval [from, until) comes within tol of the instant is a
// candidate ($3, $4: the instant ∓ tol), exact when it holds the instant
// ($5). Each row carries the evidence of both records, as the store's
// candidates do.
const pgLookup = `
SELECT a.subscriber, a.during @> $5::timestamptz AND m.during @> $5::timestamptz,
	a.prefix, a.during, a.device, a.hash,
	m.inside, m.inside_port, m.protocol, m.during, m.device, m.hash
FROM mappings m
JOIN assignments a ON a.prefix >>= m.inside AND a.during && tstzrange($3, $4, '[]')
WHERE m.public = $1 AND m.ports @> $2::int4 AND m.during && tstzrange($3, $4, '[]')
UNION ALL
SELECT a.subscriber, a.during @> $5::timestamptz,
	a.prefix, a.during, a.device, a.hash,
	NULL::inet, NULL::int4, NULL::int2, NULL::tstzrange, NULL::text, NULL::bytea
FROM assignments a
WHERE a.prefix >>= $1 AND a.ports @> $2::int4 AND a.during && tstzrange($3, $4, '[]')`

// pgCandidate is a row of pgLookup.
type pgCandidate struct {
	subscriber    string
	exact         bool
	prefix        netip.Prefix
	during        pgtype.Range[pgtype.Timestamptz]
	device        string
	hash          []byte
	inside        netip.Prefix
	insidePort    pgtype.Int4
	protocol      pgtype.Int2
	mappingDuring pgtype.Range[pgtype.Timestamptz]
	mappingDevice pgtype.Text
	mappingHash   []byte
}

// pgBaseline is a connection to a server with the tables.
type pgBaseline struct{ conn *pgx.Conn }

func newPGBaseline(tb testing.TB) *pgBaseline {
	tb.Helper()
	srv := pgtest.Start(tb)
	srv.CreateDatabase(tb, "retention")
	p := &pgBaseline{conn: srv.Connect(tb, "retention")}
	p.exec(tb, pgSchema)
	return p
}

func (p *pgBaseline) exec(tb testing.TB, sql string, args ...any) {
	tb.Helper()
	if _, err := p.conn.Exec(tb.Context(), sql, args...); err != nil {
		tb.Fatalf("%s: %v", strings.TrimSpace(sql), err)
	}
}

// pgRange is [from, until), unbounded above while the record lasts.
func pgRange(from, until timesync.Timestamp) pgtype.Range[pgtype.Timestamptz] {
	r := pgtype.Range[pgtype.Timestamptz]{Lower: pgtype.Timestamptz{Time: from.Time(), Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true}
	if until.IsZero() {
		r.UpperType = pgtype.Unbounded
	} else {
		r.Upper = pgtype.Timestamptz{Time: until.Time(), Valid: true}
	}
	return r
}

// pgPorts is the port range as int4range, every port [0,65536).
func pgPorts(r PortRange) pgtype.Range[pgtype.Int4] {
	if r.All() {
		r = PortRange{First: 0, Last: 65535}
	}
	return pgtype.Range[pgtype.Int4]{Lower: pgtype.Int4{Int32: int32(r.First), Valid: true}, Upper: pgtype.Int4{Int32: int32(r.Last), Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Inclusive, Valid: true}
}

// pgHash is the evidence hash, NULL when there is none (as the store
// keeps none).
func pgHash(h [32]byte) []byte {
	if h == ([32]byte{}) {
		return nil
	}
	return h[:]
}

// copyMappings writes the mappings with one COPY, committed when it
// returns.
func (p *pgBaseline) copyMappings(ctx context.Context, ms []Mapping) error {
	_, err := p.conn.CopyFrom(ctx, pgx.Identifier{"mappings"},
		[]string{"public", "ports", "inside", "inside_port", "protocol", "during", "kind", "device", "hash", "synchronised", "to_the_second", "error_bound_ns"},
		pgx.CopyFromSlice(len(ms), func(i int) ([]any, error) {
			m := &ms[i]
			return []any{m.Public, pgPorts(m.Ports), m.Inside, int32(m.InsidePort), int16(m.Protocol), pgRange(m.From, m.Until),
				int16(m.Source.Kind), m.Source.Device, pgHash(m.Source.Hash), m.Clock.Synchronised, m.Clock.ToTheSecond, int64(m.Clock.ErrorBound)}, nil
		}))
	return err
}

// copyAssignments writes the assignments with one COPY.
func (p *pgBaseline) copyAssignments(ctx context.Context, as []Assignment) error {
	_, err := p.conn.CopyFrom(ctx, pgx.Identifier{"assignments"},
		[]string{"subscriber", "prefix", "ports", "during", "kind", "device", "hash", "synchronised", "to_the_second", "error_bound_ns"},
		pgx.CopyFromSlice(len(as), func(i int) ([]any, error) {
			a := &as[i]
			return []any{string(a.Subscriber), a.Prefix, pgPorts(a.Ports), pgRange(a.From, a.Until),
				int16(a.Source.Kind), a.Source.Device, pgHash(a.Source.Hash), a.Clock.Synchronised, a.Clock.ToTheSecond, int64(a.Clock.ErrorBound)}, nil
		}))
	return err
}

// load writes the data in batches of 10,000 (each a COPY, committed) into
// the indexed tables, as they would arrive, then vacuums and analyses
// them, as autovacuum would.
func (p *pgBaseline) load(tb testing.TB, as []Assignment, ms []Mapping) {
	tb.Helper()
	for k := 0; k < len(as); k += 10000 {
		if err := p.copyAssignments(tb.Context(), as[k:min(k+10000, len(as))]); err != nil {
			tb.Fatal(err)
		}
	}
	for k := 0; k < len(ms); k += 10000 {
		if err := p.copyMappings(tb.Context(), ms[k:min(k+10000, len(ms))]); err != nil {
			tb.Fatal(err)
		}
	}
	p.exec(tb, "VACUUM ANALYZE assignments, mappings")
}

// pgTolerance is the store's for the benchmarks' records: their clock's
// error bound rounded up to the second (Config.Tolerance is zero).
func pgTolerance(c Clock) time.Duration {
	return (c.ErrorBound + time.Second - 1).Truncate(time.Second)
}

// lookup runs pgLookup for q, reading every column of every row.
func (p *pgBaseline) lookup(ctx context.Context, q Request, tol time.Duration) ([]pgCandidate, error) {
	at := q.At.Time()
	rows, err := p.conn.Query(ctx, pgLookup, q.Addr, int32(q.Port), at.Add(-tol), at.Add(tol), at)
	if err != nil {
		return nil, err
	}
	var out []pgCandidate
	var c pgCandidate
	_, err = pgx.ForEachRow(rows, []any{&c.subscriber, &c.exact, &c.prefix, &c.during, &c.device, &c.hash,
		&c.inside, &c.insidePort, &c.protocol, &c.mappingDuring, &c.mappingDevice, &c.mappingHash}, func() error {
		c.hash, c.mappingHash = slices.Clone(c.hash), slices.Clone(c.mappingHash)
		out = append(out, c)
		return nil
	})
	return out, err
}

// pgSubscribers returns the distinct subscribers of the candidates,
// sorted (all, or only the exact ones).
func pgSubscribers(cs []pgCandidate, exactOnly bool) []Subscriber {
	var out []Subscriber
	for _, c := range cs {
		if c.exact || !exactOnly {
			out = append(out, Subscriber(c.subscriber))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// BenchmarkPostgresIngest is BenchmarkIngest's work for PostgreSQL: the
// CGNAT mappings, an op a record, in batches of 10,000, each a COPY into
// the indexed table, committed (synced) before the next.
func BenchmarkPostgresIngest(b *testing.B) {
	p := newPGBaseline(b)
	_, ms := benchData(1)
	b.ResetTimer()
	for k := 0; k < b.N; k += 10000 {
		lo := k % len(ms)
		batch := ms[lo:min(lo+10000, len(ms), lo+b.N-k)]
		if err := p.copyMappings(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkPostgresBytesPerRecord reports the disk a mapping costs in
// PostgreSQL: the table with its index, TOAST, free space and visibility
// maps (pg_total_relation_size), after a day's mappings arrived in
// batches and a VACUUM ANALYZE; the heap and the index apart too.
func BenchmarkPostgresBytesPerRecord(b *testing.B) {
	for range 1 { // a measure of size, not of time: once, whatever b.N
		p := newPGBaseline(b)
		_, ms := benchData(1)
		p.load(b, nil, ms)
		var total, heap, index int64
		if err := p.conn.QueryRow(b.Context(), `SELECT pg_total_relation_size('mappings'), pg_relation_size('mappings'),
			pg_indexes_size('mappings')`).Scan(&total, &heap, &index); err != nil {
			b.Fatal(err)
		}
		n := float64(len(ms))
		b.ReportMetric(float64(total)/n, "bytes/mapping")
		b.ReportMetric(float64(heap)/n, "heap-bytes/mapping")
		b.ReportMetric(float64(index)/n, "index-bytes/mapping")
	}
}

// BenchmarkPostgresLookup is BenchmarkLookup's question put to
// PostgreSQL: the same data (benchStore's) and the same requests, a
// public address and port at a second, through the mapping to the
// subscriber, with evidence, in one query. It runs the benchmark
// function once (b.Loop), so the server is loaded once.
func BenchmarkPostgresLookup(b *testing.B) {
	p := newPGBaseline(b) // first: without PostgreSQL, skip at once
	s, as, ms, qs := benchStore(b)
	s.Close()
	p.load(b, as, ms)
	tol := pgTolerance(ms[0].Clock)
	ctx := b.Context()
	var lat []time.Duration
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		t0 := time.Now()
		cs, err := p.lookup(ctx, q, tol)
		lat = append(lat, time.Since(t0))
		if err != nil || len(cs) == 0 {
			b.Fatalf("%v, %d candidates", err, len(cs))
		}
	}
	reportRepeats(b, lat, len(qs))
	reportPercentiles(b, lat)
}

// TestPostgresBaselineAgrees: the baseline answers the store's question —
// for a few hundred requests, inside mappings, at their edges (where
// the clock tolerance decides) and anywhere, PostgreSQL's subscribers are
// the store's, all of them and the exact ones.
func TestPostgresBaselineAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a PostgreSQL server")
	}
	p := newPGBaseline(t) // first: without PostgreSQL, skip at once
	as, ms := benchData(1)
	ms = ms[:40000] // a day's assignments, a fifth of its mappings: enough, and quick under -race
	f := newFixture(t, day("2026-10-24"))
	s := f.open(true)
	defer s.Close()
	if err := s.IngestMappings(ms); err != nil {
		t.Fatal(err)
	}
	if err := s.IngestAssignments(as); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(day("2026-11-01"))
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	p.load(t, as, ms)
	tol := pgTolerance(ms[0].Clock)

	rng := rand.New(rand.NewPCG(5, 6))
	var qs []Request
	for range 300 {
		m := ms[rng.IntN(len(ms))]
		at := m.From.Add(time.Duration(rng.Int64N(int64(m.Until.Sub(m.From)/time.Second))) * time.Second)
		switch rng.IntN(4) {
		case 0:
			at = m.From.Add(-time.Second) // just before: near, not exact
		case 1:
			at = m.Until // the excluded end: near, not exact
		}
		qs = append(qs, Request{Addr: m.Public, Port: m.Ports.First, At: at})
	}
	for range 100 {
		i := rng.IntN(benchSubs)
		qs = append(qs, Request{Addr: publicOf(i), Port: uint16(1024 + rng.IntN(63*1024)),
			At: timesync.FromTime(day("2026-10-24")).Add(time.Duration(rng.IntN(86400)) * time.Second)})
	}
	qs = append(qs, Request{Addr: netip.MustParseAddr("100.64.0.7"), Port: 80, At: ts("2026-10-24T12:00:00+02:00")}) // an inside address: no mapping

	found, exact := 0, 0
	for _, q := range qs {
		ans, err := s.answer(q.Addr, q.Port, q.At)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := p.lookup(t.Context(), q, tol)
		if err != nil {
			t.Fatal(err)
		}
		var storeExact []Subscriber
		for _, c := range ans.Candidates {
			if c.Exact {
				storeExact = append(storeExact, c.Subscriber)
			}
		}
		slices.Sort(storeExact)
		storeExact = slices.Compact(storeExact)
		if got, want := pgSubscribers(cs, false), ans.Subscribers(); !slices.Equal(got, want) {
			t.Errorf("%v port %d at %v: PostgreSQL says %v, the store %v", q.Addr, q.Port, q.At, got, want)
		}
		if got := pgSubscribers(cs, true); !slices.Equal(got, storeExact) {
			t.Errorf("%v port %d at %v: exactly, PostgreSQL says %v, the store %v", q.Addr, q.Port, q.At, got, storeExact)
		}
		found += min(1, len(ans.Candidates))
		exact += min(1, len(storeExact))
	}
	// The requests must exercise both sides of the comparison.
	if found < 250 || exact < 100 || found == len(qs) {
		t.Errorf("%d of %d requests found someone, %d exactly: the requests do not test the baseline", found, len(qs), exact)
	}
	t.Logf("%d requests, %d answered, %d exactly", len(qs), found, exact)
}

// TestPostgresBaselinePlan: the baseline's query uses both GiST indexes
// (a competent sysadmin's plan), not a scan of a table, in its custom
// plans and in the generic plan its prepared statement settles on.
func TestPostgresBaselinePlan(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a PostgreSQL server")
	}
	p := newPGBaseline(t)
	as, ms := benchData(1)
	p.load(t, as, ms[:50000])
	m := ms[0]
	p.exec(t, "PREPARE lookup(inet, int4, timestamptz, timestamptz, timestamptz) AS "+pgLookup)
	at := m.From.Time()
	args := fmt.Sprintf("'%s', %d, '%s', '%s', '%s'", m.Public, m.Ports.First,
		at.Add(-time.Second).Format(time.RFC3339), at.Add(time.Second).Format(time.RFC3339), at.Format(time.RFC3339))
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		p.exec(t, "SET plan_cache_mode = "+mode)
		rows, err := p.conn.Query(t.Context(), "EXPLAIN EXECUTE lookup("+args+")")
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.Join(lines, "\n")
		for _, index := range []string{"mappings_public_during_ports", "assignments_prefix_during"} {
			if !strings.Contains(plan, index) {
				t.Errorf("%s: the plan does not use %s:\n%s", mode, index, plan)
			}
		}
		if generic := strings.Contains(plan, "$1"); generic != (mode == "force_generic_plan") {
			t.Errorf("%s: the plan is not the one asked for:\n%s", mode, plan)
		}
		if strings.Contains(plan, "Seq Scan") {
			t.Errorf("%s: the plan scans a table:\n%s", mode, plan)
		}
		t.Logf("%s:\n%s", mode, plan)
	}
}
