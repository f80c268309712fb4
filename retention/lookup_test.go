package retention

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// model is the naive store: every record in a slice, a lookup a
// brute-force scan.
type model struct {
	as  []Assignment
	ms  []Mapping
	tol time.Duration
}

func (m *model) near(from, until timesync.Timestamp, clk Clock, t timesync.Timestamp) (exact, near bool) {
	exact = !t.Before(from) && (until.IsZero() || t.Before(until))
	d := m.tol
	if clk.Synchronised && clk.ErrorBound >= 0 && clk.ErrorBound <= maxTolerance {
		d += clk.ErrorBound
	}
	tol := time.Duration(int64((d+time.Second-1)/time.Second)) * time.Second
	near = !exact && !t.Before(from.Add(-tol)) && (until.IsZero() || t.Before(until.Add(tol)))
	return
}

// live drops lasting records of which an ended record of the same
// session is also there — the same subscriber (or inside address), prefix
// (or public address), ports, start and source, whatever its evidence hash
// and clock — and duplicates.
func liveAssignments(as []Assignment) []Assignment {
	var out []Assignment
	for _, a := range as {
		if slices.ContainsFunc(out, func(b Assignment) bool { x, y := rowOfAssignment(a), rowOfAssignment(b); return sameRecord(&x, &y) }) {
			continue
		}
		if a.Open() && slices.ContainsFunc(as, func(b Assignment) bool {
			return !b.Open() && b.Subscriber == a.Subscriber && b.Prefix.Masked() == a.Prefix.Masked() && b.Ports == a.Ports &&
				b.From.Unix() == a.From.Unix() && b.Source.Kind == a.Source.Kind && b.Source.Device == a.Source.Device
		}) {
			continue
		}
		out = append(out, a)
	}
	return out
}

func liveMappings(ms []Mapping) []Mapping {
	var out []Mapping
	for _, m := range ms {
		if slices.ContainsFunc(out, func(b Mapping) bool { return rowOfMapping(b) == rowOfMapping(m) }) {
			continue
		}
		if m.Open() && slices.ContainsFunc(ms, func(b Mapping) bool {
			return !b.Open() && b.Public == m.Public && b.Ports == m.Ports && b.Inside == m.Inside && b.InsidePort == m.InsidePort &&
				b.Protocol == m.Protocol && b.From.Unix() == m.From.Unix() && b.Source.Kind == m.Source.Kind && b.Source.Device == m.Source.Device
		}) {
			continue
		}
		out = append(out, m)
	}
	return out
}

type modelCandidate struct {
	Sub     Subscriber
	A       Assignment
	M       Mapping
	Through bool
	Exact   bool
}

func (m *model) lookup(addr netip.Addr, port uint16, t timesync.Timestamp) []modelCandidate {
	var out []modelCandidate
	as, ms := liveAssignments(m.as), liveMappings(m.ms)
	assigned := func(addr netip.Addr, port uint16) []Assignment {
		var hits []Assignment
		for _, a := range as {
			if !a.Prefix.Contains(addr) || port != 0 && !a.Ports.Contains(port) {
				continue
			}
			if e, n := m.near(a.From, a.Until, a.Clock, t); e || n {
				hits = append(hits, a)
			}
		}
		return hits
	}
	for _, a := range assigned(addr, port) {
		e, _ := m.near(a.From, a.Until, a.Clock, t)
		out = append(out, modelCandidate{Sub: a.Subscriber, A: a, Exact: e})
	}
	for _, mp := range ms {
		if mp.Public != addr || port != 0 && !mp.Ports.Contains(port) {
			continue
		}
		me, mn := m.near(mp.From, mp.Until, mp.Clock, t)
		if !me && !mn {
			continue
		}
		for _, a := range assigned(mp.Inside, 0) {
			e, _ := m.near(a.From, a.Until, a.Clock, t)
			out = append(out, modelCandidate{Sub: a.Subscriber, A: a, M: mp, Through: true, Exact: e && me})
		}
	}
	return out
}

func sortCandidates(cs []modelCandidate) {
	slices.SortFunc(cs, func(a, b modelCandidate) int {
		x, y := rowOfAssignment(a.A), rowOfAssignment(b.A)
		p, q := rowOfMapping(a.M), rowOfMapping(b.M)
		return cmp.Or(compareRows(&x, &y), compareRows(&p, &q), cmp.Compare(b2u(a.Exact), b2u(b.Exact)))
	})
}

// The store's lookup finds exactly the naive scan's candidates — over
// random sessions, overlaps, port blocks, prefixes and instants on the
// clocks' changes and at midnight — with evidence that verifies, before
// and after compaction, and with the cache of decoded blocks as it is
// by default, none, one too small for any block, or one of a few blocks
// (evicting): lookups between two ingests, and before and after a
// compaction, read what was cached before.
func TestLookupAgainstModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t, day("2026-10-30"))
		cfg := f.config(true)
		cfg.Tolerance = time.Duration(rapid.IntRange(0, 2).Draw(rt, "tolerance")) * time.Second
		cfg.CacheBytes = rapid.SampledFrom([]int64{0, -1, 1, 12 << 10}).Draw(rt, "cache bytes")
		s, _, err := Open(cfg)
		if err != nil {
			rt.Fatal(err)
		}
		defer s.Close()
		as := rapid.SliceOfN(genAssignment(), 0, 40).Draw(rt, "assignments")
		ms := rapid.SliceOfN(genMapping(), 0, 40).Draw(rt, "mappings")
		// Sessions reported lasting, then ended by a report of another
		// hash and clock (RADIUS Start then Stop, DHCP add then del).
		for _, a := range rapid.SliceOfN(genAssignment(), 0, 8).Draw(rt, "ended assignments") {
			if a.Open() {
				a.Until = a.From.Add(time.Duration(rapid.Int64Range(1, 6*3600).Draw(rt, "ended after")) * time.Second)
			}
			open := a
			open.Until, open.Clock = timesync.Timestamp{}, genClock(rt)
			open.Source.Hash = HashRecord([]byte(rapid.String().Draw(rt, "start record")))
			as = append(as, open, a)
		}
		for _, m := range rapid.SliceOfN(genMapping(), 0, 8).Draw(rt, "ended mappings") {
			if m.Open() {
				m.Until = m.From.Add(time.Duration(rapid.Int64Range(1, 6*3600).Draw(rt, "ended after")) * time.Second)
			}
			open := m
			open.Until, open.Clock = timesync.Timestamp{}, genClock(rt)
			open.Source.Hash = HashRecord([]byte(rapid.String().Draw(rt, "new record")))
			ms = append(ms, open, m)
		}
		ka := rapid.IntRange(0, len(as)).Draw(rt, "assignments first")
		km := rapid.IntRange(0, len(ms)).Draw(rt, "mappings first")
		if err := s.IngestAssignments(as[:ka]); err != nil {
			rt.Fatal(err)
		}
		if err := s.IngestMappings(ms[:km]); err != nil {
			rt.Fatal(err)
		}
		check(rt, s, &model{as: as[:ka], ms: ms[:km], tol: cfg.Tolerance}, 3)
		if err := s.IngestAssignments(as[ka:]); err != nil {
			rt.Fatal(err)
		}
		if err := s.IngestMappings(ms[km:]); err != nil {
			rt.Fatal(err)
		}
		m := &model{as: as, ms: ms, tol: cfg.Tolerance}
		if rapid.Bool().Draw(rt, "compact") {
			check(rt, s, m, 3)
			if _, err := s.Compact(); err != nil {
				rt.Fatal(err)
			}
		}
		check(rt, s, m, 10)
	})
}

// check looks n random requests up in the store and in the model, and
// fails if their candidates differ, or the evidence does not verify.
func check(rt *rapid.T, s *Store, m *model, n int) {
	for range n {
		var addr netip.Addr
		switch rapid.IntRange(0, 2).Draw(rt, "which") {
		case 0:
			addr = rapid.SampledFrom(publics).Draw(rt, "public")
		case 1:
			addr = rapid.SampledFrom(insides).Draw(rt, "inside")
		default:
			addr = rapid.SampledFrom(prefixes).Draw(rt, "prefix").Addr()
		}
		port := uint16(rapid.SampledFrom([]int{0, 0, 1024, 2047, 3000, 5000, 40000}).Draw(rt, "port"))
		at := genInstant().Draw(rt, "at")
		ans, err := s.answer(addr, port, at)
		if err != nil {
			rt.Fatal(err)
		}
		var got []modelCandidate
		for _, c := range ans.Candidates {
			mc := modelCandidate{Sub: c.Subscriber, A: c.Assignment, Exact: c.Exact}
			if !VerifyProof(LeafOfAssignment(c.Assignment), c.Evidence.Proof, c.Evidence.Root) {
				rt.Fatalf("an assignment's evidence does not verify")
			}
			if c.Mapping != nil {
				mc.M, mc.Through = *c.Mapping, true
				if !VerifyProof(LeafOfMapping(*c.Mapping), c.MappingEvidence.Proof, c.MappingEvidence.Root) {
					rt.Fatalf("a mapping's evidence does not verify")
				}
			}
			got = append(got, mc)
		}
		want := m.lookup(addr, port, at)
		sortCandidates(got)
		sortCandidates(want)
		if len(got) != len(want) {
			rt.Fatalf("%v port %d at %v: %d candidates, the model %d:\n%+v\n%+v", addr, port, at, len(got), len(want), got, want)
		}
		for i := range got {
			x, y := rowOfAssignment(got[i].A), rowOfAssignment(want[i].A)
			p, q := rowOfMapping(got[i].M), rowOfMapping(want[i].M)
			if !sameRecord(&x, &y) || got[i].Through != want[i].Through || got[i].Through && !sameRecord(&p, &q) || got[i].Exact != want[i].Exact {
				rt.Fatalf("candidate %d: %#v, the model %#v", i, got[i], want[i])
			}
		}
		subs := map[Subscriber]bool{}
		for _, c := range want {
			subs[c.Sub] = true
		}
		if len(subs) > 1 && port == 0 && !slices.Contains(ans.Ambiguities, SharedAddress) {
			rt.Fatalf("several subscribers without a port, not said: %v", ans.Ambiguities)
		}
		if ans.Ambiguous() != (len(ans.Ambiguities) > 0 || len(subs) != 1) {
			rt.Fatal("Ambiguous disagrees")
		}
	}
}

// lookupFixture is a register with one case in progress whose work order
// asks who had 198.51.100.7 port 40312 at 2026-10-29 21:47:03, and a
// store that holds the answer — a mapping to an inside address, and the
// subscriber's session.
type lookupFixture struct {
	f     *fixture
	s     *Store
	reg   *register.Register
	wo    register.WorkOrder
	alice register.Identity
}

var (
	samplePublic = netip.MustParseAddr("198.51.100.7")
	sampleAt     = ts("2026-10-29T21:47:03+01:00")
)

func newLookupFixture(t *testing.T) *lookupFixture {
	t.Helper()
	f := newFixture(t, day("2026-10-30").Add(9*time.Hour))
	reg, _, err := register.Open(filepath.Join(t.TempDir(), "ccj.journal"), register.Config{Clock: f.clock, Identity: f.id, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	f.register = reg.JournalID()
	target := requisition.Target{Kind: requisition.TargetIP, Addr: samplePublic, Port: 40312, From: sampleAt, Until: sampleAt.Add(time.Second)}
	wo := issueWorkOrder(t, reg, "2026-0042", target)
	s := f.open(true)
	t.Cleanup(func() { s.Close() })
	sync := Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}
	if err := s.IngestMappings([]Mapping{
		{Public: samplePublic, Ports: PortRange{First: 40000, Last: 40999}, Inside: netip.MustParseAddr("100.64.0.1"),
			From: ts("2026-10-29T21:40:00+01:00"), Until: ts("2026-10-29T22:10:00+01:00"), Source: Evidence{Kind: CGNAT, Device: "cgnat-1"}, Clock: sync},
		{Public: samplePublic, Ports: PortRange{First: 41000, Last: 41999}, Inside: netip.MustParseAddr("100.64.0.2"),
			From: ts("2026-10-29T21:30:00+01:00"), Until: ts("2026-10-29T22:30:00+01:00"), Source: Evidence{Kind: CGNAT, Device: "cgnat-1"}, Clock: sync},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.IngestAssignments([]Assignment{
		{Subscriber: "C-000042", Prefix: netip.MustParsePrefix("100.64.0.1/32"), From: ts("2026-10-29T18:00:00+01:00"),
			Until: ts("2026-10-29T23:00:00+01:00"), Source: Evidence{Kind: RADIUS, Device: "nas-1", Hash: HashRecord([]byte("Acct-Status-Type = Stop"))}, Clock: sync},
		{Subscriber: "C-000007", Prefix: netip.MustParsePrefix("100.64.0.2/32"), From: ts("2026-10-29T18:00:00+01:00"),
			Until: ts("2026-10-29T23:00:00+01:00"), Source: Evidence{Kind: DHCP, Device: "dhcp-1"}, Clock: sync},
	}); err != nil {
		t.Fatal(err)
	}
	return &lookupFixture{f: f, s: s, reg: reg, wo: wo, alice: f.id}
}

// The store answers only for the work order's targets and window, read
// from the register: a caller who tries another address, another port,
// no port, another second, an unknown or made-up order, or an order
// already answered, gets nothing — and no lookup is recorded; the one
// allowed lookup is recorded with its count.
func TestLookupNeedToKnow(t *testing.T) {
	x := newLookupFixture(t)
	ok := Request{Ref: x.wo.Ref, By: "tech-1", Addr: samplePublic, Port: 40312, At: sampleAt}
	mod := func(fn func(*Request)) Request { q := ok; fn(&q); return q }
	for _, tc := range []struct {
		name string
		q    Request
	}{
		{"another address", mod(func(q *Request) { q.Addr = netip.MustParseAddr("198.51.100.8") })},
		{"another port", mod(func(q *Request) { q.Port = 41500 })},
		{"no port, to see everyone behind the address", mod(func(q *Request) { q.Port = 0 })},
		{"the second before", mod(func(q *Request) { q.At = sampleAt.Add(-time.Second) })},
		{"the second after", mod(func(q *Request) { q.At = sampleAt.Add(time.Second) })},
		{"an inside address, directly", mod(func(q *Request) { q.Addr = netip.MustParseAddr("100.64.0.2") })},
		{"a made-up order", mod(func(q *Request) { q.Ref = "wo-aaaaaaaaaaaaaaaaaaaaaaaa" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := x.s.Lookup(x.reg, tc.q, "alice"); !errors.Is(err, ErrNotAuthorised) {
				t.Errorf("looked past the work order: %v", err)
			}
		})
	}
	if n := len(x.reg.Lookups()); n != 0 {
		t.Fatalf("%d refused lookups recorded", n)
	}
	if _, err := x.s.Lookup(nil, ok, "alice"); !errors.Is(err, ErrNotAuthorised) {
		t.Errorf("a lookup without the register: %v", err)
	}
	ans, err := x.s.Lookup(x.reg, ok, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if ans.Ambiguous() || len(ans.Candidates) != 1 || ans.Candidates[0].Subscriber != "C-000042" || !ans.Candidates[0].Exact {
		t.Fatalf("answer: %+v", ans)
	}
	ls := x.reg.Lookups()
	if len(ls) != 1 || ls[0].Ref != x.wo.Ref || ls[0].By != "tech-1" || ls[0].Actor != "alice" || ls[0].Candidates != 1 || ls[0].Asked != sampleAt {
		t.Errorf("recorded: %+v", ls)
	}
	// Once the result is attached, the order allows no more lookups.
	if _, err := x.reg.AttachResult(register.WorkResult{Ref: x.wo.Ref, By: "tech-1", Completed: timesync.Now(x.f.clock), Outcome: register.Found, Data: "C-000042"}, "alice", timesync.Verdict{}); err != nil {
		t.Fatal(err)
	}
	if _, err := x.s.Lookup(x.reg, ok, "alice"); !errors.Is(err, ErrNotAuthorised) {
		t.Errorf("a lookup after the result: %v", err)
	}
	for _, secret := range []string{"198.51.100", "100.64", "C-0000", "BR.12"} {
		if strings.Contains(x.f.logs.String(), secret) {
			t.Errorf("the logs quote %q", secret)
		}
	}
}

// Each ambiguity is said plainly.
func TestAmbiguities(t *testing.T) {
	x := newLookupFixture(t)
	for _, tc := range []struct {
		name  string
		addr  string
		port  uint16
		at    timesync.Timestamp
		subs  int
		want  []Ambiguity
		exact bool
	}{
		{"the port tells", "198.51.100.7", 40312, sampleAt, 1, nil, true},
		{"no port: two subscribers shared the address", "198.51.100.7", 0, sampleAt, 2, []Ambiguity{SharedAddress}, true},
		{"between two sessions", "100.64.0.1", 0, ts("2026-10-29T23:30:00+01:00"), 0, []Ambiguity{BetweenSessions}, false},
		{"a second after the end, within the clock's tolerance", "198.51.100.7", 40312, ts("2026-10-29T22:10:00+01:00"), 1, []Ambiguity{ClockTolerance, BetweenSessions}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ans, err := x.s.answer(netip.MustParseAddr(tc.addr), tc.port, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if len(ans.Subscribers()) != tc.subs || !slices.Equal(ans.Ambiguities, tc.want) {
				t.Errorf("subscribers %v, ambiguities %v; want %d, %v", ans.Subscribers(), ans.Ambiguities, tc.subs, tc.want)
			}
			if tc.subs > 0 && ans.Candidates[0].Exact != tc.exact {
				t.Errorf("exact: %v", ans.Candidates[0].Exact)
			}
			if tc.name == "between two sessions" && (ans.Gap == nil || ans.Gap.Before != ts("2026-10-29T23:00:00+01:00")) {
				t.Errorf("gap: %+v", ans.Gap)
			}
			for _, a := range ans.Ambiguities {
				if a.Text() == string(a) {
					t.Errorf("no text for %s", a)
				}
			}
		})
	}
}

func (c modelCandidate) String() string { return fmt.Sprintf("%s %v", c.Sub, c.Exact) }

// A session reported open (RADIUS Start, DHCP add, a contracts file) and
// then closed (Stop, del) carries a different evidence hash in each
// report: the closed report still ends the open one, so that whoever
// holds the address next is the only one behind it — for an assignment
// and for a mapping, before and after compaction.
func TestOpenSessionEndedByItsClose(t *testing.T) {
	for _, compact := range []bool{false, true} {
		f := newFixture(t, day("2026-10-30").Add(9*time.Hour))
		s := f.open(true)
		defer s.Close()
		sync := Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}
		inside := netip.MustParsePrefix("100.64.0.1/32")
		start := Evidence{Kind: RADIUS, Device: "nas-1", Hash: HashRecord([]byte("Acct-Status-Type = Start"))}
		stop := Evidence{Kind: RADIUS, Device: "nas-1", Hash: HashRecord([]byte("Acct-Status-Type = Stop"))}
		from := ts("2026-10-29T10:00:00+01:00")
		open := Assignment{Subscriber: "C-000001", Prefix: inside, From: from, Source: start, Clock: sync}
		closed := open
		closed.Until, closed.Source = ts("2026-10-29T11:00:00+01:00"), stop
		next := Assignment{Subscriber: "C-000002", Prefix: inside, From: closed.Until, Until: ts("2026-10-29T13:00:00+01:00"),
			Source: Evidence{Kind: RADIUS, Device: "nas-1", Hash: HashRecord([]byte("Stop 2"))}, Clock: sync}
		f.clock.Set(from.Time().Add(time.Minute))
		if err := s.IngestAssignments([]Assignment{open}); err != nil {
			t.Fatal(err)
		}
		mopen := Mapping{Public: samplePublic, Ports: PortRange{First: 1024, Last: 2047}, Inside: inside.Addr(), InsidePort: 5000, Protocol: 6,
			From: from, Source: Evidence{Kind: CGNAT, Device: "cgnat-1", Hash: HashRecord([]byte("[NEW]"))}, Clock: sync}
		if err := s.IngestMappings([]Mapping{mopen}); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(day("2026-10-30").Add(9 * time.Hour))
		mclosed := mopen
		mclosed.Until, mclosed.Source.Hash = closed.Until, HashRecord([]byte("[DESTROY]"))
		mnext := Mapping{Public: samplePublic, Ports: PortRange{First: 1024, Last: 2047}, Inside: netip.MustParseAddr("100.64.0.2"),
			From: closed.Until, Until: next.Until, Source: Evidence{Kind: CGNAT, Device: "cgnat-1"}, Clock: sync}
		next2 := next
		next2.Prefix = netip.MustParsePrefix("100.64.0.2/32")
		if err := s.IngestAssignments([]Assignment{closed, next, next2}); err != nil {
			t.Fatal(err)
		}
		if err := s.IngestMappings([]Mapping{mclosed, mnext}); err != nil {
			t.Fatal(err)
		}
		if compact {
			if _, err := s.Compact(); err != nil {
				t.Fatal(err)
			}
		}
		at := ts("2026-10-29T12:00:00+01:00")
		for _, q := range []struct {
			addr netip.Addr
			port uint16
		}{{inside.Addr(), 0}, {samplePublic, 1500}} {
			ans, err := s.answer(q.addr, q.port, at)
			if err != nil {
				t.Fatal(err)
			}
			if subs := ans.Subscribers(); !slices.Equal(subs, []Subscriber{"C-000002"}) || ans.Ambiguous() {
				t.Errorf("compact %v, %v: subscribers %v, ambiguities %v", compact, q.addr, subs, ans.Ambiguities)
			}
		}
	}
}

// Once a period is over, its records answer nothing — even before a
// purge destroys them — and the answer says why it is empty.
func TestLookupPastPeriodUnpurged(t *testing.T) {
	x := newLookupFixture(t)
	x.f.clock.Set(day("2027-12-30"))
	ans, err := x.s.answer(samplePublic, 40312, sampleAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Candidates) != 0 || !slices.Contains(ans.Ambiguities, PeriodOver) || !ans.Ambiguous() {
		t.Fatalf("14 months later, unpurged: %d candidates, ambiguities %v", len(ans.Candidates), ans.Ambiguities)
	}
	x.f.clock.Set(day("2027-10-29"))
	ans, err = x.s.answer(samplePublic, 40312, sampleAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Candidates) != 1 || slices.Contains(ans.Ambiguities, PeriodOver) {
		t.Fatalf("on the period's last day: %d candidates, ambiguities %v", len(ans.Candidates), ans.Ambiguities)
	}
}

// issueWorkOrder receives a case for target in reg, makes it lawful and
// issues its work order.
func issueWorkOrder(t *testing.T, reg *register.Register, id string, target requisition.Target) register.WorkOrder {
	t.Helper()
	req := requisition.Requisition{
		Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: ts("2026-10-30T08:00:00+01:00"), Received: ts("2026-10-30T09:00:00+01:00"), Reasoned: true,
		Items:    []requisition.Item{requisition.ItemIdentity},
		Targets:  []requisition.Target{target},
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: ts("2026-10-31T10:00:00+01:00")},
	}
	if _, err := reg.Receive(id, req, "alice", timesync.Verdict{}); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful} {
		if _, err := reg.Apply(id, ev, "alice", timesync.Verdict{}, ""); err != nil {
			t.Fatal(err)
		}
	}
	wo, err := reg.IssueWorkOrder(id, nil, time.Time{}, "alice", timesync.Verdict{})
	if err != nil {
		t.Fatal(err)
	}
	return wo
}

// A member who founds a register of their own, with their own identity,
// and issues themselves a work order for every address, is refused: the
// store answers only the register it is pinned to; and a work order of
// that register whose target is a whole network is refused too.
func TestLookupForeignRegisterAndWideTarget(t *testing.T) {
	x := newLookupFixture(t)
	everyone := requisition.Target{Kind: requisition.TargetPrefix, Prefix: netip.MustParsePrefix("0.0.0.0/0"),
		From: sampleAt.Add(-time.Hour), Until: sampleAt.Add(time.Hour)}
	own, _, err := register.Open(filepath.Join(t.TempDir(), "own.journal"), register.Config{Clock: x.f.clock, Identity: x.alice, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	wo := issueWorkOrder(t, own, "2026-0099", everyone)
	q := Request{Ref: wo.Ref, By: "tech-1", Addr: samplePublic, Port: 40312, At: sampleAt}
	if _, err := x.s.Lookup(own, q, "alice"); !errors.Is(err, ErrForeignRegister) || !errors.Is(err, ErrNotAuthorised) {
		t.Errorf("a register of one's own: %v", err)
	}
	if n := len(own.Lookups()); n != 0 {
		t.Errorf("%d lookups recorded in the foreign register", n)
	}
	for _, p := range []string{"0.0.0.0/0", "198.51.0.0/16", "198.51.100.0/23"} {
		wide := everyone
		wide.Prefix = netip.MustParsePrefix(p)
		wo := issueWorkOrder(t, x.reg, "2026-"+strings.NewReplacer(".", "", "/", "").Replace(p), wide)
		q := Request{Ref: wo.Ref, By: "tech-1", Addr: samplePublic, Port: 40312, At: sampleAt}
		if _, err := x.s.Lookup(x.reg, q, "alice"); !errors.Is(err, ErrTargetTooWide) || !errors.Is(err, ErrNotAuthorised) {
			t.Errorf("a %d-bit target: %v", wide.Prefix.Bits(), err)
		}
	}
	narrow := everyone
	narrow.Prefix = netip.MustParsePrefix("198.51.100.0/24")
	wo = issueWorkOrder(t, x.reg, "2026-0100", narrow)
	if _, err := x.s.Lookup(x.reg, Request{Ref: wo.Ref, By: "tech-1", Addr: samplePublic, Port: 40312, At: sampleAt}, "alice"); err != nil {
		t.Errorf("a /24 target: %v", err)
	}
}

// What a hold keeps past its period answers only the work orders of the
// hold's own case, and only while the hold is in force.
func TestHeldDataOnlyForItsCase(t *testing.T) {
	x := newLookupFixture(t)
	target := requisition.Target{Kind: requisition.TargetIP, Addr: samplePublic, Port: 40312, From: sampleAt, Until: sampleAt.Add(time.Second)}
	other := issueWorkOrder(t, x.reg, "2026-0043", target)
	h, err := x.s.PlaceHold("2026-0042", []HoldTarget{{Prefix: netip.PrefixFrom(samplePublic, 32)}}, ts("2026-10-29T21:00:00+01:00"), ts("2026-10-29T22:00:00+01:00"))
	if err != nil {
		t.Fatal(err)
	}
	x.f.clock.Set(day("2027-12-30"))
	if _, err := x.s.Purge(); err != nil {
		t.Fatal(err)
	}
	lookup := func(ref register.Ref) Answer {
		t.Helper()
		ans, err := x.s.Lookup(x.reg, Request{Ref: ref, By: "tech-1", Addr: samplePublic, Port: 40312, At: sampleAt}, "alice")
		if err != nil {
			t.Fatal(err)
		}
		return ans
	}
	if ans := lookup(x.wo.Ref); len(ans.Candidates) != 1 || ans.Candidates[0].Held != h.ID {
		t.Fatalf("the hold's own case: %d candidates", len(ans.Candidates))
	}
	if ans := lookup(other.Ref); len(ans.Candidates) != 0 {
		t.Errorf("another case read the hold: %d candidates", len(ans.Candidates))
	}
	if err := x.s.LiftHold(h.ID, "2026-0042"); err != nil {
		t.Fatal(err)
	}
	if ans := lookup(x.wo.Ref); len(ans.Candidates) != 0 {
		t.Errorf("a lifted hold answered: %d candidates", len(ans.Candidates))
	}
}

// Two records of one subscriber's session (two reports of one lease, one
// per source) are one subscriber: the answer is not ambiguous for that.
func TestOneSubscriberTwoRecordsNotAmbiguous(t *testing.T) {
	x := newLookupFixture(t)
	sync := Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}
	if err := x.s.IngestAssignments([]Assignment{{Subscriber: "C-000042", Prefix: netip.MustParsePrefix("100.64.0.1/32"),
		From: ts("2026-10-29T18:00:00+01:00"), Until: ts("2026-10-29T23:00:00+01:00"), Source: Evidence{Kind: DHCP, Device: "dhcp-1"}, Clock: sync}}); err != nil {
		t.Fatal(err)
	}
	ans, err := x.s.answer(samplePublic, 40312, sampleAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Candidates) != 2 || len(ans.Ambiguities) != 0 || ans.Ambiguous() {
		t.Fatalf("%d candidates, ambiguities %v, ambiguous %v", len(ans.Candidates), ans.Ambiguities, ans.Ambiguous())
	}
}
