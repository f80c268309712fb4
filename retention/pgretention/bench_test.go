package pgretention

import (
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// BenchmarkLookup puts the same identifications to the embedded store
// and to this one, loaded with the same day of data (benchSubs
// subscribers behind a CGNAT, each with a day's assignment and
// benchFlows mappings), in the same run, on the same machine:
//
//   - audit: what every lookup of either store costs before and after
//     the search — retention.Authorize and retention.RecordLookup, a
//     signed append to the register's journal, synced (on a tmpfs when
//     /dev/shm is there, so that a shared disk's sync does not drown the
//     stores' difference);
//   - embedded: the embedded store's Lookup (its day compacted, as a
//     cell's nightly run leaves it, its cache at the default);
//   - postgres: this store's Lookup;
//   - postgres-bare: this store's search alone (no work order, no
//     record), over its connection to PostgreSQL on loopback.
//
// Each reports the p50 and p99 of its lookups in µs. The requests are
// public addresses and ports at a second inside one of their mappings.
func BenchmarkLookup(b *testing.B) {
	f := newFixture(b, ts("2026-10-30T09:00:00+01:00").Time())
	day := timesync.FromTime(timesync.DayStart(timesync.MustParseDay("2026-10-29")))
	as, ms := genDay(day, benchSubs, benchFlows, 1)

	// The register on a tmpfs when there is one: its synced append is
	// the same for both stores, and on a shared disk its variance would
	// drown their difference (the audit line measures it apart).
	regDir := b.TempDir()
	if d, err := os.MkdirTemp("/dev/shm", "pgretention-bench"); err == nil {
		regDir = d
		defer os.RemoveAll(d)
	}
	reg, _, err := register.Open(filepath.Join(regDir, "ccj.journal"), register.Config{Clock: f.clock, Identity: f.id, Found: true})
	if err != nil {
		b.Fatal(err)
	}
	defer reg.Close()
	wo := benchWorkOrder(b, reg, timesync.Now(f.clock))
	caseID := reg.Cases()[0].ID

	emb, _, err := retention.Open(retention.Config{Dir: filepath.Join(b.TempDir(), "data"), KeyDir: filepath.Join(b.TempDir(), "embedded-keys"),
		Clock: f.clock, Policy: f.policy(), Keyring: f.ring, Opener: f.id, Register: reg.JournalID()})
	if err != nil {
		b.Fatal(err)
	}
	defer emb.Close()
	ingest(b, emb, as, ms)
	if _, err := emb.Compact(); err != nil {
		b.Fatal(err)
	}
	cfg := f.config(f.database())
	cfg.Register = reg.JournalID()
	pg, err := Open(b.Context(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer pg.Close()
	ingest(b, pg, as, ms)
	conn := f.srv.Connect(b, "retention_1")
	if _, err := conn.Exec(b.Context(), "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(3, 4))
	var qs []retention.Request
	for range 2000 {
		m := ms[rng.IntN(len(ms))]
		at := m.From.Add(time.Duration(rng.Int64N(int64(m.Until.Sub(m.From)/time.Second))) * time.Second)
		qs = append(qs, retention.Request{Ref: wo.Ref, By: "tech-1", Addr: m.Public, Port: m.Ports.First, At: at})
	}
	run := func(name string, fn func(q retention.Request) (int, error)) {
		b.Run(name, func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				q := qs[i%len(qs)]
				i++
				t0 := time.Now()
				n, err := fn(q)
				lat = append(lat, time.Since(t0))
				if err != nil || n == 0 && name != "audit" {
					b.Fatalf("%v, %d candidates", err, n)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
		})
	}
	run("audit", func(q retention.Request) (int, error) {
		if _, err := retention.Authorize(reg, reg.JournalID(), q); err != nil {
			return 0, err
		}
		return 0, retention.RecordLookup(reg, q, retention.Answer{}, "alice")
	})
	run("embedded", func(q retention.Request) (int, error) {
		ans, err := emb.Lookup(reg, q, "alice")
		return len(ans.Candidates), err
	})
	run("postgres", func(q retention.Request) (int, error) {
		ans, err := pg.Lookup(reg, q, "alice")
		return len(ans.Candidates), err
	})
	run("postgres-bare", func(q retention.Request) (int, error) {
		ans, err := pg.answer(view{caseID: caseID}, q.Addr, q.Port, q.At)
		return len(ans.Candidates), err
	})
}

// The benchmark's data: a day of a small CGNAT ISP.
const (
	benchSubs  = 5000
	benchFlows = 20
)

// benchWorkOrder issues a work order for the generated public addresses
// over the data day.
func benchWorkOrder(b *testing.B, reg *register.Register, now timesync.Timestamp) register.WorkOrder {
	b.Helper()
	from := timesync.FromTime(timesync.DayStart(timesync.MustParseDay("2026-10-29")))
	var targets []requisition.Target
	for _, p := range []string{"198.51.100.0/24", "203.0.113.0/24"} {
		targets = append(targets, requisition.Target{Kind: requisition.TargetPrefix, Prefix: netip.MustParsePrefix(p), From: from, Until: from.Add(48 * time.Hour)})
	}
	req := requisition.Requisition{Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: now.Add(-time.Hour), Received: now, Reasoned: true, Items: []requisition.Item{requisition.ItemIdentity}, Targets: targets,
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: now.Add(24 * time.Hour)}}
	if _, err := reg.Receive("2026-0042", req, "alice", timesync.Verdict{}); err != nil {
		b.Fatal(err)
	}
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful} {
		if _, err := reg.Apply("2026-0042", ev, "alice", timesync.Verdict{}, ""); err != nil {
			b.Fatal(err)
		}
	}
	wo, err := reg.IssueWorkOrder("2026-0042", nil, time.Time{}, "alice", timesync.Verdict{})
	if err != nil {
		b.Fatal(err)
	}
	return wo
}
