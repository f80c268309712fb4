package retention

import (
	"bytes"
	"log/slog"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// fixture is a store's directories, clock and keys.
type fixture struct {
	t      testing.TB
	dir    string
	keyDir string
	clock  *timesynctest.Clock
	id     register.Identity
	ring   register.Keyring
	policy Policy
	logs   *bytes.Buffer
	// register is the journal identity of the register the store answers.
	register [16]byte
}

func newFixture(t testing.TB, now time.Time) *fixture {
	t.Helper()
	id, err := register.NewIdentity("alice", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := register.NewKeyring(id.Public().Seal)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	return &fixture{t: t, dir: filepath.Join(root, "data"), keyDir: filepath.Join(root, "keys"),
		clock: timesynctest.NewClock(now), id: id, ring: ring, logs: &bytes.Buffer{},
		policy: Policy{Assignments: Law2022Identification(), Mappings: OperatorPeriod(12, "retention policy of the test ISP")}}
}

func (f *fixture) config(read bool) Config {
	c := Config{Dir: f.dir, KeyDir: f.keyDir, Clock: f.clock, Policy: f.policy, Keyring: f.ring, Register: f.register,
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if read {
		c.Opener = f.id
	}
	return c
}

func (f *fixture) open(read bool) *Store {
	f.t.Helper()
	s, _, err := Open(f.config(read))
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// contents reads every record of every scope, as the store holds them.
func contents(t testing.TB, s *Store) map[string][]row {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	scopes, err := s.scopes()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]row{}
	for _, sc := range scopes {
		files, err := s.dataFiles(sc)
		if err != nil {
			t.Fatal(err)
		}
		var rows []row
		for _, f := range files {
			for i := range f.refs {
				rs, _, err := s.blockRows(f, &f.refs[i])
				if err != nil {
					t.Fatal(err)
				}
				for k := range rs {
					rs[k].run = 0
				}
				rows = append(rows, rs...)
			}
		}
		slices.SortFunc(rows, func(a, b row) int { return compareRows(&a, &b) })
		rows = slices.CompactFunc(rows, func(a, b row) bool { return sameRecord(&a, &b) })
		if len(rows) > 0 {
			out[sc] = rows
		}
	}
	return out
}

// expect files rows by scope as the store should: the day of the last
// second, or of now while open.
func expect(now timesync.Timestamp, as []Assignment, ms []Mapping) map[string][]row {
	out := map[string][]row{}
	for _, a := range as {
		sc := scopeOf(dayOf(a.Until, now), ClassAssignments)
		out[sc] = append(out[sc], rowOfAssignment(a))
	}
	for _, m := range ms {
		sc := scopeOf(dayOf(m.Until, now), ClassMappings)
		out[sc] = append(out[sc], rowOfMapping(m))
	}
	for sc, rows := range out {
		slices.SortFunc(rows, func(a, b row) int { return compareRows(&a, &b) })
		out[sc] = slices.CompactFunc(rows, func(a, b row) bool { return sameRecord(&a, &b) })
	}
	return out
}

// Brussels instants for tests and generators: the days around the
// clocks' changes of 2026 (29 March, 25 October), and ordinary ones.
var testDays = []string{"2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30", "2026-06-15",
	"2026-10-24", "2026-10-25", "2026-10-26", "2026-10-29"}

func day(s string) time.Time { return timesync.DayStart(timesync.MustParseDay(s)) }

func ts(s string) timesync.Timestamp { return timesync.MustParseTimestamp(s) }

// genInstant draws an instant of the test days, often near midnight or
// the hour the clocks change.
func genInstant() *rapid.Generator[timesync.Timestamp] {
	return rapid.Custom(func(t *rapid.T) timesync.Timestamp {
		d := day(rapid.SampledFrom(testDays).Draw(t, "day"))
		off := rapid.OneOf(
			rapid.Int64Range(0, 25*3600),
			rapid.Int64Range(0, 120),
			rapid.Int64Range(3600-60, 3600+60),
			rapid.Int64Range(2*3600-60, 3*3600+60),
			rapid.Int64Range(23*3600, 25*3600),
		).Draw(t, "offset")
		return timesync.FromTime(d).Add(time.Duration(off) * time.Second)
	})
}

var (
	publics = []netip.Addr{netip.MustParseAddr("198.51.100.7"), netip.MustParseAddr("198.51.100.8"), netip.MustParseAddr("2001:db8:ffff::1")}
	insides = []netip.Addr{netip.MustParseAddr("100.64.0.1"), netip.MustParseAddr("100.64.0.2"), netip.MustParseAddr("100.64.0.3"),
		netip.MustParseAddr("100.64.1.9")}
	prefixes = []netip.Prefix{netip.MustParsePrefix("100.64.0.1/32"), netip.MustParsePrefix("100.64.0.2/32"), netip.MustParsePrefix("100.64.0.0/30"),
		netip.MustParsePrefix("100.64.1.9/32"), netip.MustParsePrefix("198.51.100.7/32"), netip.MustParsePrefix("198.51.100.8/32"),
		netip.MustParsePrefix("2001:db8:1200::/56"), netip.MustParsePrefix("2001:db8:1200:34::/64"), netip.MustParsePrefix("2001:db8:1200:34::1/128")}
	subscribers = []Subscriber{"C-000001", "C-000002", "C-000003", "C-000042"}
)

func genPorts() *rapid.Generator[PortRange] {
	return rapid.Custom(func(t *rapid.T) PortRange {
		if rapid.Bool().Draw(t, "all") {
			return PortRange{}
		}
		first := uint16(rapid.IntRange(1, 8).Draw(t, "block")) * 1024
		return PortRange{First: first, Last: first + uint16(rapid.SampledFrom([]int{1023, 2047}).Draw(t, "size"))}
	})
}

func genInterval(t *rapid.T) (timesync.Timestamp, timesync.Timestamp) {
	from := genInstant().Draw(t, "from")
	if rapid.IntRange(0, 9).Draw(t, "open") == 0 {
		return from, timesync.Timestamp{}
	}
	d := rapid.OneOf(rapid.Int64Range(1, 120), rapid.Int64Range(1, 6*3600), rapid.Int64Range(1, 3*86400)).Draw(t, "duration")
	return from, from.Add(time.Duration(d) * time.Second)
}

func genEvidence(t *rapid.T, kinds ...SourceKind) Evidence {
	e := Evidence{Kind: rapid.SampledFrom(kinds).Draw(t, "kind"), Device: rapid.SampledFrom([]string{"nas-1", "dhcp-1", "cgnat-1"}).Draw(t, "device")}
	if rapid.Bool().Draw(t, "hashed") {
		e.Hash = HashRecord([]byte(rapid.String().Draw(t, "record")))
	}
	return e
}

func genClock(t *rapid.T) Clock {
	return rapid.SampledFrom([]Clock{{Synchronised: true, ToTheSecond: true, ErrorBound: 20 * time.Millisecond},
		{Synchronised: true, ToTheSecond: true, ErrorBound: 2 * time.Second}, {ErrorBound: -1}}).Draw(t, "clock")
}

func genAssignment() *rapid.Generator[Assignment] {
	return rapid.Custom(func(t *rapid.T) Assignment {
		from, until := genInterval(t)
		return Assignment{Subscriber: rapid.SampledFrom(subscribers).Draw(t, "subscriber"), Prefix: rapid.SampledFrom(prefixes).Draw(t, "prefix"),
			Ports: genPorts().Draw(t, "ports"), From: from, Until: until, Source: genEvidence(t, Static, RADIUS, DHCP), Clock: genClock(t)}
	})
}

func genMapping() *rapid.Generator[Mapping] {
	return rapid.Custom(func(t *rapid.T) Mapping {
		from, until := genInterval(t)
		m := Mapping{Public: rapid.SampledFrom(publics).Draw(t, "public"), Ports: genPorts().Draw(t, "ports"),
			Inside: rapid.SampledFrom(insides).Draw(t, "inside"), InsidePort: uint16(rapid.IntRange(0, 65535).Draw(t, "inside port")),
			Protocol: rapid.SampledFrom([]uint8{0, 6, 17}).Draw(t, "protocol"), From: from, Until: until,
			Source: genEvidence(t, CGNAT, DeterministicNAT), Clock: genClock(t)}
		m.Source.Hash = [32]byte{}
		return m
	})
}
