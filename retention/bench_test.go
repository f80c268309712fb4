package retention

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// The benchmarks run the store, a naive in-memory sorted slice (the
// floor) and PostgreSQL (the baseline, what a sysadmin would pick
// instead: postgres_bench_test.go, BenchmarkPostgres*, a real server
// started by internal/pgtest, skipped without one) side by side on the
// same data, scaled down from the issue's figures (10,000 subscribers, 2
// million CGNAT mappings a day) to fit CI: benchSubs subscribers behind a
// CGNAT pool of 64 addresses with port blocks of 1,024, benchPerDay
// mappings a day over benchDays days. Run them all in one run with
//
//	go test -run '^$' -bench 'Lookup|Ingest|Bytes' -benchtime 100000x ./retention/
//
// (a few minutes; 100,000 ingested records are ten durable batches) and
// read records/s, bytes/mapping, and the lookups' p50 and p99 — the
// store's bare lookup (BenchmarkLookup) against PostgreSQL's
// (BenchmarkPostgresLookup). With the same -benchtime, the lookups see
// the same requests in the same order. The store's lookups run with its
// cache of decoded blocks as configured by default (64 MiB, which holds
// the benchDays days' blocks): after the first pass over the requests,
// they read nothing from the disk; BenchmarkLookupDays runs 1, 7 and 14
// days, with that cache and with none.
const (
	benchSubs   = 2000
	benchPerDay = 200_000
	benchDays   = 3
	benchPool   = 64
)

// benchData makes the sessions and mappings: each subscriber a RADIUS
// session per day on an inside address, and mappings of a few minutes on
// its port block of a public address.
func benchData(days int) ([]Assignment, []Mapping) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := timesync.FromTime(day("2026-10-24"))
	var as []Assignment
	var ms []Mapping
	sync := Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}
	for d := range days {
		ds := start.Add(time.Duration(d) * 24 * time.Hour)
		for i := range benchSubs {
			as = append(as, Assignment{Subscriber: Subscriber(fmt.Sprintf("C-%06d", i)), Prefix: netip.PrefixFrom(insideOf(i), 32),
				From: ds, Until: ds.Add(24 * time.Hour), Source: Evidence{Kind: RADIUS, Device: "nas-1", Hash: HashRecord(fmt.Appendf(nil, "%d-%d", d, i))}, Clock: sync})
		}
		for range benchPerDay {
			i := rng.IntN(benchSubs)
			from := ds.Add(time.Duration(rng.IntN(86400-600)) * time.Second)
			first := uint16(1024 + (i/benchPool)%63*1024)
			port := first + uint16(rng.IntN(1024))
			ms = append(ms, Mapping{Public: publicOf(i), Ports: PortRange{First: port, Last: port}, Inside: insideOf(i), InsidePort: uint16(rng.IntN(65536)),
				Protocol: 6, From: from, Until: from.Add(time.Duration(1+rng.IntN(600)) * time.Second), Source: Evidence{Kind: CGNAT, Device: "cgnat-1"}, Clock: sync})
		}
	}
	return as, ms
}

func insideOf(i int) netip.Addr { return netip.AddrFrom4([4]byte{100, 64, byte(i >> 8), byte(i)}) }
func publicOf(i int) netip.Addr { return netip.AddrFrom4([4]byte{198, 51, 100, byte(i % benchPool)}) }

// BenchmarkIngest measures ingest of CGNAT mappings, an op a record, in
// batches of 10,000 each acknowledged durable (synced) before the next.
// Besides records/s (wall time, the syncs' waits included), it reports
// cpu-ns/record: the process's CPU time (user and system, every thread:
// the collector's too) per record, whose inverse is the records a core
// ingests a second.
func BenchmarkIngest(b *testing.B) {
	_, ms := benchData(1)
	f := newFixture(b, day("2026-10-30"))
	s := f.open(false)
	defer s.Close()
	b.ResetTimer()
	defer reportCPU(b, cpuTime(b))
	for k := 0; k < b.N; k += 10000 {
		lo := k % len(ms)
		batch := ms[lo:min(lo+10000, len(ms), lo+b.N-k)]
		if err := s.IngestMappings(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(filesSize(b, filepath.Join(f.dir, scopesDir, "*", walPrefix+"*")))/float64(b.N), "wal-bytes/record")
}

// filesSize returns the bytes of the files matching pattern.
func filesSize(b *testing.B, pattern string) int64 {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil {
			size += info.Size()
		}
	}
	return size
}

// BenchmarkNaiveIngest is the floor: sorting each batch into a slice
// held in memory.
func BenchmarkNaiveIngest(b *testing.B) {
	_, ms := benchData(1)
	b.ResetTimer()
	defer reportCPU(b, cpuTime(b))
	var all []Mapping
	for k := 0; k < b.N; k += 10000 {
		lo := k % len(ms)
		batch := ms[lo:min(lo+10000, len(ms), lo+b.N-k)]
		if len(all) > len(ms) {
			all = all[:0]
		}
		all = append(all, batch...)
		slices.SortFunc(all[len(all)-len(batch):], compareMappings)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time the process used since start per op
// (a record): cpu-ns/record.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/record")
}

func compareMappings(a, b Mapping) int {
	return cmp.Or(a.Public.Compare(b.Public), cmp.Compare(a.Ports.First, b.Ports.First), a.From.Compare(b.From))
}

// benchStore is a compacted store of benchDays days, and the queries: a
// mapping's public address and port at an instant inside it.
func benchStore(b *testing.B) (*Store, []Assignment, []Mapping, []Request) {
	as, ms := benchData(benchDays)
	f := newFixture(b, day("2026-10-24"))
	s := f.open(true)
	for k := 0; k < len(ms); k += 50000 {
		if err := s.IngestMappings(ms[k:min(k+50000, len(ms))]); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.IngestAssignments(as); err != nil {
		b.Fatal(err)
	}
	f.clock.Set(day("2026-11-01"))
	if _, err := s.Compact(); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	qs := make([]Request, 4096)
	for i := range qs {
		m := ms[rng.IntN(len(ms))]
		qs[i] = Request{Addr: m.Public, Port: m.Ports.First, At: m.From.Add(time.Duration(rng.Int64N(int64(m.Until.Sub(m.From)/time.Second))) * time.Second)}
	}
	return s, as, ms, qs
}

// BenchmarkBytesPerRecord reports the disk a compacted mapping costs.
func BenchmarkBytesPerRecord(b *testing.B) {
	for range 1 { // a measure of size, not of time: once, whatever b.N
		_, ms := benchData(1)
		f := newFixture(b, day("2026-10-24"))
		s := f.open(true)
		if err := s.IngestMappings(ms); err != nil {
			b.Fatal(err)
		}
		f.clock.Set(day("2026-11-01"))
		if _, err := s.Compact(); err != nil {
			b.Fatal(err)
		}
		size := filesSize(b, filepath.Join(f.dir, scopesDir, "*.mappings", segPrefix+"*"))
		s.Close()
		b.ReportMetric(float64(size)/float64(len(ms)), "bytes/mapping")
	}
}

// BenchmarkLookup is the bare lookup (no work order, no register append):
// a public address and port at a second, through the mapping to the
// subscriber, with evidence.
func BenchmarkLookup(b *testing.B) {
	s, _, _, qs := benchStore(b)
	defer s.Close()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		t0 := time.Now()
		ans, err := s.answer(q.Addr, q.Port, q.At)
		lat = append(lat, time.Since(t0))
		if err != nil || len(ans.Candidates) == 0 {
			b.Fatalf("%v, %d candidates", err, len(ans.Candidates))
		}
	}
	reportRepeats(b, lat, len(qs))
	reportPercentiles(b, lat)
	reportBlocks(b, s)
}

// reportBlocks reports the blocks a lookup read, and those it read from
// the disk (not in the cache: the first pass over the requests reads
// each block once).
func reportBlocks(b *testing.B, s *Store) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.cache.hits + s.cache.misses; n > 0 {
		b.ReportMetric(float64(s.cache.misses)/float64(b.N), "disk-reads/op")
		b.ReportMetric(float64(n)/float64(b.N), "blocks/op")
	}
}

// BenchmarkLookupDays is the bare lookup over 1, 7 and 14 days of CGNAT
// mappings (benchPerDay a day, each day's data its own draw), the
// requests anywhere in them: its time should not grow with the days
// kept — a lookup reads the one or two periods of the instant, and in
// each the blocks of the address and port. With the cache as by default
// (64 MiB: it holds about 2,500 blocks of 256 mappings, some 3 days of
// these; beyond, the requests' blocks are read from the disk as often as
// they miss it), and with none (every block read from the disk,
// decrypted, inflated and decoded: a lookup's cost when nothing of its
// period was read before).
func BenchmarkLookupDays(b *testing.B) {
	for _, days := range []int{1, 7, 14} {
		b.Run(fmt.Sprintf("days=%d", days), func(b *testing.B) {
			s, qs := benchStoreDays(b, days)
			defer s.Close()
			for _, c := range []struct {
				name  string
				bytes int64
			}{{"cache=default", 0}, {"cache=none", -1}} {
				b.Run(c.name, func(b *testing.B) {
					s.mu.Lock()
					s.cache.reset()
					s.cache.flush()
					s.cache.max = cacheBytes(c.bytes)
					s.cache.hits, s.cache.misses = 0, 0
					s.mu.Unlock()
					lat := make([]time.Duration, 0, b.N)
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						q := qs[i%len(qs)]
						t0 := time.Now()
						ans, err := s.answer(q.Addr, q.Port, q.At)
						lat = append(lat, time.Since(t0))
						if err != nil || len(ans.Candidates) == 0 {
							b.Fatalf("%v, %d candidates", err, len(ans.Candidates))
						}
					}
					reportPercentiles(b, lat)
					reportBlocks(b, s)
				})
			}
		})
	}
}

// benchStoreDays is a compacted store of days days of benchDay's data,
// and 4,096 requests drawn from its mappings as benchStore draws them.
func benchStoreDays(b *testing.B, days int) (*Store, []Request) {
	f := newFixture(b, day("2026-10-24"))
	s := f.open(true)
	rng := rand.New(rand.NewPCG(3, 4))
	qs := make([]Request, 4096)
	seen := 0
	for d := range days {
		as, ms := benchDay(d)
		for k := 0; k < len(ms); k += 50000 {
			if err := s.IngestMappings(ms[k:min(k+50000, len(ms))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.IngestAssignments(as); err != nil {
			b.Fatal(err)
		}
		// Reservoir sampling: each mapping of every day equally likely.
		for _, m := range ms {
			seen++
			i := seen - 1
			if i >= len(qs) {
				i = rng.IntN(seen)
			}
			if i < len(qs) {
				qs[i] = Request{Addr: m.Public, Port: m.Ports.First, At: m.From.Add(time.Duration(rng.Int64N(int64(m.Until.Sub(m.From)/time.Second))) * time.Second)}
			}
		}
	}
	f.clock.Set(day("2026-10-24").AddDate(0, 0, days+2))
	if _, err := s.Compact(); err != nil {
		b.Fatal(err)
	}
	return s, qs
}

// benchDay is day d (from 2026-10-24) of benchData's kind of data, drawn
// on its own: each subscriber a session, benchPerDay mappings.
func benchDay(d int) ([]Assignment, []Mapping) {
	rng := rand.New(rand.NewPCG(1, 100+uint64(d)))
	ds := timesync.FromTime(day("2026-10-24")).Add(time.Duration(d) * 24 * time.Hour)
	sync := Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}
	as := make([]Assignment, 0, benchSubs)
	for i := range benchSubs {
		as = append(as, Assignment{Subscriber: Subscriber(fmt.Sprintf("C-%06d", i)), Prefix: netip.PrefixFrom(insideOf(i), 32),
			From: ds, Until: ds.Add(24 * time.Hour), Source: Evidence{Kind: RADIUS, Device: "nas-1", Hash: HashRecord(fmt.Appendf(nil, "%d-%d", d, i))}, Clock: sync})
	}
	ms := make([]Mapping, 0, benchPerDay)
	for range benchPerDay {
		i := rng.IntN(benchSubs)
		from := ds.Add(time.Duration(rng.IntN(86400-600)) * time.Second)
		first := uint16(1024 + (i/benchPool)%63*1024)
		port := first + uint16(rng.IntN(1024))
		ms = append(ms, Mapping{Public: publicOf(i), Ports: PortRange{First: port, Last: port}, Inside: insideOf(i), InsidePort: uint16(rng.IntN(65536)),
			Protocol: 6, From: from, Until: from.Add(time.Duration(1+rng.IntN(600)) * time.Second), Source: Evidence{Kind: CGNAT, Device: "cgnat-1"}, Clock: sync})
	}
	return as, ms
}

// BenchmarkAuditedLookup is the lookup as a technician makes it: under a
// work order read from the register, and recorded there (a sealed,
// signed, synced journal record) before the answer is returned.
func BenchmarkAuditedLookup(b *testing.B) {
	s, _, _, qs := benchStore(b)
	defer s.Close()
	clock := s.cfg.Clock
	id := s.cfg.Opener.(register.Identity)
	reg, _, err := register.Open(filepath.Join(b.TempDir(), "ccj.journal"), register.Config{Clock: clock, Identity: id, Found: true})
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	s.cfg.Register = reg.JournalID()
	target := requisition.Target{Kind: requisition.TargetPrefix, Prefix: netip.MustParsePrefix("198.51.100.0/24"),
		From: timesync.FromTime(day("2026-10-24")), Until: timesync.FromTime(day("2026-10-28"))}
	req := requisition.Requisition{Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: ts("2026-10-31T20:00:00+01:00"), Received: ts("2026-10-31T21:00:00+01:00"), Reasoned: true,
		Items: []requisition.Item{requisition.ItemIdentity}, Targets: []requisition.Target{target},
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: ts("2026-11-02T10:00:00+01:00")}}
	if _, err := reg.Receive("2026-0042", req, id.Name(), timesync.Verdict{}); err != nil {
		b.Fatal(err)
	}
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful} {
		if _, err := reg.Apply("2026-0042", ev, id.Name(), timesync.Verdict{}, ""); err != nil {
			b.Fatal(err)
		}
	}
	wo, err := reg.IssueWorkOrder("2026-0042", nil, time.Time{}, id.Name(), timesync.Verdict{})
	if err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		q.Ref, q.By = wo.Ref, "tech-1"
		t0 := time.Now()
		ans, err := s.Lookup(reg, q, id.Name())
		lat = append(lat, time.Since(t0))
		if err != nil || len(ans.Candidates) == 0 {
			b.Fatalf("%v, %d candidates", err, len(ans.Candidates))
		}
	}
	reportPercentiles(b, lat)
}

// BenchmarkNaiveLookup is the floor: the same lookups by binary search
// in sorted in-memory slices.
func BenchmarkNaiveLookup(b *testing.B) {
	as, ms := benchData(benchDays)
	slices.SortFunc(ms, compareMappings)
	slices.SortFunc(as, func(x, y Assignment) int {
		return cmp.Or(x.Prefix.Addr().Compare(y.Prefix.Addr()), x.From.Compare(y.From))
	})
	rng := rand.New(rand.NewPCG(3, 4))
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := ms[rng.IntN(len(ms))]
		at := m.From
		t0 := time.Now()
		k := sort.Search(len(ms), func(j int) bool {
			return cmp.Or(ms[j].Public.Compare(m.Public), cmp.Compare(ms[j].Ports.First, m.Ports.First)) >= 0
		})
		found := 0
		for ; k < len(ms) && ms[k].Public == m.Public && ms[k].Ports.First == m.Ports.First; k++ {
			if ms[k].Covers(m.Public, m.Ports.First, at) {
				in := ms[k].Inside
				j := sort.Search(len(as), func(j int) bool { return as[j].Prefix.Addr().Compare(in) >= 0 })
				for ; j < len(as) && as[j].Prefix.Addr() == in; j++ {
					if as[j].Covers(in, 0, at) {
						found++
					}
				}
			}
		}
		lat = append(lat, time.Since(t0))
		if found == 0 {
			b.Fatal("not found")
		}
	}
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// reportRepeats reports the p99 of the lookups of requests asked before
// (the passes over the requests after the first): what a store's cache,
// or PostgreSQL's buffers, hold by then. Before reportPercentiles, which
// sorts lat.
func reportRepeats(b *testing.B, lat []time.Duration, requests int) {
	if len(lat) <= requests {
		return
	}
	rep := slices.Clone(lat[requests:])
	slices.Sort(rep)
	b.ReportMetric(float64(rep[len(rep)*99/100].Microseconds()), "p99-repeat-µs")
}
