package pgretention

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// fixture is a server, a store's settings and a key directory.
type fixture struct {
	t      testing.TB
	srv    *pgtest.Server
	clock  *timesynctest.Clock
	id     register.Identity
	ring   register.Keyring
	keyDir string
	n      int
}

func newFixture(t testing.TB, now time.Time) *fixture {
	t.Helper()
	srv := pgtest.Start(t) // first: without PostgreSQL, skip at once (fail under CI)
	id, err := register.NewIdentity("alice", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := register.NewKeyring(id.Public().Seal)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, srv: srv, clock: timesynctest.NewClock(now), id: id, ring: ring, keyDir: filepath.Join(t.TempDir(), "keys")}
}

func (f *fixture) policy() retention.Policy {
	return retention.Policy{Assignments: retention.Law2022Identification(), Mappings: retention.OperatorPeriod(6, "retention policy of the test ISP")}
}

// database creates a database, migrated.
func (f *fixture) database() string {
	f.t.Helper()
	f.n++
	dsn := f.srv.CreateDatabase(f.t, fmt.Sprintf("retention_%d", f.n))
	if _, _, err := Migrate(context.Background(), dsn); err != nil {
		f.t.Fatal(err)
	}
	return dsn
}

func (f *fixture) config(dsn string) Config {
	return Config{DSN: dsn, KeyDir: f.keyDir, Clock: f.clock, Policy: f.policy(), Keyring: f.ring, Opener: f.id}
}

func (f *fixture) open(dsn string) *Store {
	f.t.Helper()
	s, err := Open(context.Background(), f.config(dsn))
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { s.Close() })
	return s
}

func ts(s string) timesync.Timestamp { return timesync.MustParseTimestamp(s) }

var syncClock = retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}

// The generated data: subscribers behind a CGNAT of 512 public
// addresses, each subscriber's inside address 100.64.x.y assigned for
// the whole day (RADIUS), and its flows' mappings, each on a port of
// the subscriber's block of 2,048 ports on its public address.
const genPublics = 512

func publicOf(i int) netip.Addr {
	if i%genPublics < 256 {
		return netip.AddrFrom4([4]byte{198, 51, 100, byte(i % genPublics)})
	}
	return netip.AddrFrom4([4]byte{203, 0, 113, byte(i % genPublics)})
}

func insideOf(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{100, 64 + byte(i>>16), byte(i >> 8), byte(i)})
}

func blockOf(i int) retention.PortRange {
	first := uint16(1024 + (i/genPublics)*2048)
	return retention.PortRange{First: first, Last: first + 2047}
}

// genDay generates a day's data: an assignment per subscriber and perSub
// mappings each.
func genDay(d timesync.Timestamp, subs, perSub int, seed uint64) ([]retention.Assignment, []retention.Mapping) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var as []retention.Assignment
	var ms []retention.Mapping
	for i := range subs {
		as = append(as, retention.Assignment{Subscriber: retention.Subscriber(fmt.Sprintf("C-%06d", i)), Prefix: netip.PrefixFrom(insideOf(i), 32),
			From: d, Until: d.Add(24 * time.Hour), Source: retention.Evidence{Kind: retention.RADIUS, Device: "nas-1",
				Hash: retention.HashRecord(fmt.Appendf(nil, "session %d %d", seed, i))}, Clock: syncClock})
		for range perSub {
			from := d.Add(time.Duration(rng.IntN(86400-1800)) * time.Second)
			port := blockOf(i).First + uint16(rng.IntN(2048))
			ms = append(ms, retention.Mapping{Public: publicOf(i), Ports: retention.PortRange{First: port, Last: port}, Inside: insideOf(i),
				InsidePort: uint16(1024 + rng.IntN(60000)), Protocol: 6, From: from, Until: from.Add(time.Duration(30+rng.IntN(1800)) * time.Second),
				Source: retention.Evidence{Kind: retention.CGNAT, Device: "cgnat-1"}, Clock: syncClock})
		}
	}
	return as, ms
}

// ingest writes the records in batches of 10,000.
func ingest(tb testing.TB, s retention.Backend, as []retention.Assignment, ms []retention.Mapping) {
	tb.Helper()
	for k := 0; k < len(as); k += 10000 {
		if err := s.IngestAssignments(as[k:min(k+10000, len(as))]); err != nil {
			tb.Fatal(err)
		}
	}
	for k := 0; k < len(ms); k += 10000 {
		if err := s.IngestMappings(ms[k:min(k+10000, len(ms))]); err != nil {
			tb.Fatal(err)
		}
	}
}
