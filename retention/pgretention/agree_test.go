package pgretention

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// Both stores, given the same random records — sessions overlapping,
// lasting and then ended, port blocks and every port, IPv4 and IPv6
// prefixes nested in one another, clocks synchronised or not, around
// the autumn change of the clocks — answer every request alike:
// the same candidates (their records, chains, exactness and holds),
// ambiguities and gaps. Evidence differs by design (a block's Merkle
// proof, a row's own leaf) and is checked to verify.
func TestAgreesWithEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a PostgreSQL server")
	}
	f := newFixture(t, ts("2026-10-31T09:00:00+01:00").Time())
	reg, _, err := register.Open(filepath.Join(t.TempDir(), "ccj.journal"), register.Config{Clock: f.clock, Identity: f.id, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	from := ts("2026-10-23T00:00:00+02:00")
	var targets []requisition.Target
	for _, p := range []string{"198.51.100.0/24", "100.64.0.0/24", "2001:db8:1200::/48"} {
		targets = append(targets, requisition.Target{Kind: requisition.TargetPrefix, Prefix: netip.MustParsePrefix(p), From: from, Until: from.Add(8 * 24 * time.Hour)})
	}
	now := timesync.Now(f.clock)
	req := requisition.Requisition{Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: now.Add(-time.Hour), Received: now, Reasoned: true, Items: []requisition.Item{requisition.ItemIdentity}, Targets: targets,
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: now.Add(24 * time.Hour)}}
	if _, err := reg.Receive("2026-0042", req, "alice", timesync.Verdict{}); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful} {
		if _, err := reg.Apply("2026-0042", ev, "alice", timesync.Verdict{}, ""); err != nil {
			t.Fatal(err)
		}
	}
	wo, err := reg.IssueWorkOrder("2026-0042", nil, time.Time{}, "alice", timesync.Verdict{})
	if err != nil {
		t.Fatal(err)
	}
	emb, _, err := retention.Open(retention.Config{Dir: filepath.Join(t.TempDir(), "data"), KeyDir: filepath.Join(t.TempDir(), "embedded-keys"),
		Clock: f.clock, Policy: f.policy(), Keyring: f.ring, Opener: f.id, Register: reg.JournalID(), Tolerance: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	cfg := f.config(f.database())
	cfg.Register, cfg.Tolerance = reg.JournalID(), time.Second
	pg, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	rng := rand.New(rand.NewPCG(11, 12))
	publics := []netip.Addr{netip.MustParseAddr("198.51.100.7"), netip.MustParseAddr("198.51.100.8")}
	insides := []netip.Addr{netip.MustParseAddr("100.64.0.1"), netip.MustParseAddr("100.64.0.2"), netip.MustParseAddr("100.64.0.3")}
	prefixes := []netip.Prefix{netip.MustParsePrefix("100.64.0.1/32"), netip.MustParsePrefix("100.64.0.2/32"), netip.MustParsePrefix("100.64.0.0/30"),
		netip.MustParsePrefix("198.51.100.8/32"), netip.MustParsePrefix("2001:db8:1200::/56"), netip.MustParsePrefix("2001:db8:1200:34::/64")}
	clocks := []retention.Clock{syncClock, {Synchronised: true, ToTheSecond: true, ErrorBound: 2 * time.Second}, {ErrorBound: -1}}
	subs := []retention.Subscriber{"C-000001", "C-000002", "C-000003"}
	// Instants around the night of 24 to 25 October (02:00-03:00 twice).
	base := ts("2026-10-25T00:00:00+02:00")
	instant := func() timesync.Timestamp {
		return base.Add(time.Duration(rng.IntN(6*3600)-3600) * time.Second)
	}
	ports := func() retention.PortRange {
		if rng.IntN(2) == 0 {
			return retention.PortRange{}
		}
		first := uint16(1024 * (1 + rng.IntN(4)))
		return retention.PortRange{First: first, Last: first + 1023}
	}
	interval := func() (timesync.Timestamp, timesync.Timestamp) {
		a := instant()
		return a, a.Add(time.Duration(1+rng.IntN(5400)) * time.Second)
	}
	var as []retention.Assignment
	var ms []retention.Mapping
	for range 60 {
		a, b := interval()
		as = append(as, retention.Assignment{Subscriber: subs[rng.IntN(len(subs))], Prefix: prefixes[rng.IntN(len(prefixes))], Ports: ports(),
			From: a, Until: b, Source: retention.Evidence{Kind: retention.RADIUS, Device: "nas-1"}, Clock: clocks[rng.IntN(len(clocks))]})
		a, b = interval()
		ms = append(ms, retention.Mapping{Public: publics[rng.IntN(len(publics))], Ports: ports(), Inside: insides[rng.IntN(len(insides))],
			InsidePort: uint16(rng.IntN(65536)), Protocol: 6, From: a, Until: b, Source: cgnatEvidence, Clock: clocks[rng.IntN(len(clocks))]})
	}
	// Sessions reported lasting, then ended with another hash and clock.
	for i := range 8 {
		open := as[i]
		open.Until, open.Source.Hash = timesync.Timestamp{}, retention.HashRecord([]byte("start"))
		as = append(as, open)
		mopen := ms[i]
		mopen.Until, mopen.Clock = timesync.Timestamp{}, clocks[2]
		ms = append(ms, mopen)
	}
	// And sessions still lasting.
	for i := 8; i < 12; i++ {
		open := as[i]
		open.Until = timesync.Timestamp{}
		as = append(as, open)
	}
	for _, s := range []retention.Backend{emb, pg} {
		if err := s.IngestAssignments(as); err != nil {
			t.Fatal(err)
		}
		if err := s.IngestMappings(ms); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := emb.Compact(); err != nil {
		t.Fatal(err)
	}
	addrs := append(slices.Clone(publics), insides...)
	addrs = append(addrs, netip.MustParseAddr("2001:db8:1200:34::1"), netip.MustParseAddr("2001:db8:1200:99::1"))
	found, ambiguous := 0, 0
	for range 400 {
		q := retention.Request{Ref: wo.Ref, By: "tech-1", Addr: addrs[rng.IntN(len(addrs))], At: instant()}
		if rng.IntN(3) > 0 {
			q.Port = uint16(1024 + rng.IntN(4*1024+100))
		}
		if rng.IntN(4) == 0 { // at an edge
			r := as[rng.IntN(len(as))]
			q.At = r.From.Add(time.Duration(rng.IntN(5)-2) * time.Second)
		}
		want, err := emb.Lookup(reg, q, "alice")
		if err != nil {
			t.Fatal(err)
		}
		got, err := pg.Lookup(reg, q, "alice")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got.Candidates {
			if !retention.VerifyProof(retention.LeafOfAssignment(c.Assignment), c.Evidence.Proof, c.Evidence.Root) ||
				c.Mapping != nil && !retention.VerifyProof(retention.LeafOfMapping(*c.Mapping), c.MappingEvidence.Proof, c.MappingEvidence.Root) {
				t.Fatalf("evidence that does not verify")
			}
		}
		if !sameAnswer(got, want) {
			t.Fatalf("%v port %d at %v:\npostgres %s\nembedded %s", q.Addr, q.Port, q.At, describe(got), describe(want))
		}
		found += min(1, len(want.Candidates))
		if want.Ambiguous() {
			ambiguous++
		}
	}
	if found < 100 || ambiguous < 50 {
		t.Errorf("%d requests found someone, %d ambiguous: the requests do not test the stores", found, ambiguous)
	}
	t.Logf("400 requests, %d found someone, %d ambiguous", found, ambiguous)
}

var cgnatEvidence = retention.Evidence{Kind: retention.CGNAT, Device: "cgnat-1"}

// sameAnswer compares answers but for evidence.
func sameAnswer(a, b retention.Answer) bool {
	if a.Ref != b.Ref || a.Addr != b.Addr || a.Port != b.Port || a.At != b.At || !slices.Equal(a.Ambiguities, b.Ambiguities) ||
		(a.Gap == nil) != (b.Gap == nil) || a.Gap != nil && *a.Gap != *b.Gap || len(a.Candidates) != len(b.Candidates) {
		return false
	}
	key := func(c retention.Candidate) string {
		var m retention.Mapping
		if c.Mapping != nil {
			m = *c.Mapping
		}
		c.Evidence, c.Mapping, c.MappingEvidence = retention.BlockEvidence{}, nil, nil
		return fmt.Sprintf("%+v %+v", c, m)
	}
	x, y := make([]string, 0, len(a.Candidates)), make([]string, 0, len(b.Candidates))
	for i := range a.Candidates {
		x, y = append(x, key(a.Candidates[i])), append(y, key(b.Candidates[i]))
	}
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func describe(a retention.Answer) string {
	s := ""
	for _, c := range a.Candidates {
		s += "\n  " + string(c.Subscriber) + " " + c.Assignment.Prefix.String() + " " + c.Assignment.From.String() + "-" + c.Assignment.Until.String()
		s += " " + c.Assignment.Ports.String() + " " + string(c.Held)
		if c.Exact {
			s += " exact"
		}
		if c.Mapping != nil {
			m := c.Mapping
			s += " via " + m.Public.String() + ":" + m.Ports.String() + "->" + m.Inside.String() + " " + m.From.String() + "-" + m.Until.String()
		}
		s += " " + c.Assignment.Source.Device
	}
	for _, x := range a.Ambiguities {
		s += " [" + string(x) + "]"
	}
	if a.Gap != nil {
		s += " gap " + a.Gap.Before.String() + "/" + a.Gap.After.String()
	}
	return s
}
