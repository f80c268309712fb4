package retentiontest

import (
	"bytes"
	"errors"
	"log/slog"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Setup is what a store under test is opened with: each implementation
// puts these into its own configuration.
type Setup struct {
	// Clock is the store's clock; the checks move it.
	Clock *timesynctest.Clock
	// Policy is the retention policy: identification data 12 months,
	// mappings 6 (an operator's figure).
	Policy retention.Policy
	// Keyring and Opener: the keys are wrapped to the keyring, and the
	// opener (a member's identity) unwraps them.
	Keyring register.Keyring
	Opener  retention.Opener
	// Register is the journal identity of the register the store must be
	// pinned to.
	Register [16]byte
	// Tolerance is the store's clock tolerance: zero.
	Tolerance time.Duration
	// Logger receives the store's log lines, which the checks search
	// for secrets.
	Logger *slog.Logger
}

// OpenFunc opens a fresh, empty store with s; the suite closes it.
type OpenFunc func(t *testing.T, s Setup) retention.Backend

// Checks returns the names of the checks [Run] runs, in order: each is a
// subtest of that name.
func Checks() []string {
	return []string{"ingest", "edges", "superseded", "need-to-know", "purge", "holds", "holds-by-subscriber", "verify", "closed"}
}

// Run runs every check against the stores open opens.
func Run(t *testing.T, open OpenFunc) {
	fns := map[string]func(*env){
		"ingest": checkIngest, "edges": checkEdges, "superseded": checkSuperseded, "need-to-know": checkNeedToKnow,
		"purge": checkPurge, "holds": checkHolds, "holds-by-subscriber": checkHoldBySubscriber, "verify": checkVerify, "closed": checkClosed,
	}
	for _, name := range Checks() {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open)
			fns[name](e)
			e.secrecy()
		})
	}
}

// env is one check's store, register and clock.
type env struct {
	t     *testing.T
	clock *timesynctest.Clock
	id    register.Identity
	reg   *register.Register
	s     retention.Backend
	logs  *lockedBuffer
	open  OpenFunc
	setup Setup
}

// dataDay is the day of the checks' data.
func dataDay() date.Date { return timesync.MustParseDay("2026-10-29") }

// opened is when the store is opened: the morning after.
func opened() timesync.Timestamp { return ts("2026-10-30T09:00:00+01:00") }

func ts(s string) timesync.Timestamp { return timesync.MustParseTimestamp(s) }

func newEnv(t *testing.T, open OpenFunc) *env {
	t.Helper()
	clock := timesynctest.NewClock(opened().Time())
	id, err := register.NewIdentity("alice", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := register.NewKeyring(id.Public().Seal)
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(filepath.Join(t.TempDir(), "ccj.journal"), register.Config{Clock: clock, Identity: id, Found: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	logs := &lockedBuffer{}
	setup := Setup{Clock: clock, Keyring: ring, Opener: id, Register: reg.JournalID(),
		Policy: retention.Policy{Assignments: retention.Law2022Identification(),
			Mappings: retention.OperatorPeriod(6, "retention policy of the test ISP")},
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	s := open(t, setup)
	t.Cleanup(func() { s.Close() })
	return &env{t: t, clock: clock, id: id, reg: reg, s: s, logs: logs, open: open, setup: setup}
}

// lockedBuffer is a buffer a logger may write from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// secrets are the strings no log line of a store may hold: the
// checks' addresses, subscriber references and cases.
func secrets() []string {
	return []string{"198.51.100", "100.64.", "2001:db8", "C-0000", "2026-0042", "2026-0043", "BR.12"}
}

func (e *env) secrecy() {
	e.t.Helper()
	for _, s := range secrets() {
		if strings.Contains(e.logs.String(), s) {
			e.t.Errorf("the store's logs quote %q", s)
		}
	}
}

// noSecret fails when an error quotes a secret.
func (e *env) noSecret(err error) {
	e.t.Helper()
	if err == nil {
		return
	}
	for _, s := range secrets() {
		if strings.Contains(err.Error(), s) {
			e.t.Errorf("an error quotes %q: %v", s, err)
		}
	}
}

// workOrder receives case id for targets, makes it lawful and issues its
// work order, at the clock's now.
func (e *env) workOrder(id string, targets ...requisition.Target) register.WorkOrder {
	e.t.Helper()
	now := timesync.Now(e.clock)
	req := requisition.Requisition{
		Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: now.Add(-time.Hour), Received: now, Reasoned: true,
		Items: []requisition.Item{requisition.ItemIdentity}, Targets: targets,
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: now.Add(24 * time.Hour)},
	}
	if _, err := e.reg.Receive(id, req, "alice", timesync.Verdict{}); err != nil {
		e.t.Fatal(err)
	}
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful} {
		if _, err := e.reg.Apply(id, ev, "alice", timesync.Verdict{}, ""); err != nil {
			e.t.Fatal(err)
		}
	}
	wo, err := e.reg.IssueWorkOrder(id, nil, time.Time{}, "alice", timesync.Verdict{})
	if err != nil {
		e.t.Fatal(err)
	}
	return wo
}

// prefixTarget is a prefix target over the data day and the next.
func prefixTarget(p string) requisition.Target {
	return requisition.Target{Kind: requisition.TargetPrefix, Prefix: netip.MustParsePrefix(p),
		From: timesync.FromTime(timesync.DayStart(dataDay())), Until: timesync.FromTime(timesync.DayStart(dataDay().AddDate(0, 0, 30)))}
}

func (e *env) lookup(wo register.WorkOrder, addr string, port uint16, at timesync.Timestamp) retention.Answer {
	e.t.Helper()
	ans, err := e.s.Lookup(e.reg, retention.Request{Ref: wo.Ref, By: "tech-1", Addr: netip.MustParseAddr(addr), Port: port, At: at}, "alice")
	if err != nil {
		e.t.Fatalf("lookup of %s port %d at %v: %v", addr, port, at, err)
	}
	return ans
}

// public is the checks' shared public address.
const public = "198.51.100.7"

// syncClock is a synchronised source's verdict: a second's tolerance.
func syncClock() retention.Clock {
	return retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 5 * time.Millisecond}
}

// cgnat is the NAT box's evidence.
func cgnat() retention.Evidence { return retention.Evidence{Kind: retention.CGNAT, Device: "cgnat-1"} }

// The check data: two CGNAT port blocks of one public address, each to
// an inside address, the inside addresses' sessions, an IPv6 prefix, an
// address of an unsynchronised source, and a session still lasting.
func sampleMappings() []retention.Mapping {
	return []retention.Mapping{
		{Public: netip.MustParseAddr(public), Ports: retention.PortRange{First: 40000, Last: 40999}, Inside: netip.MustParseAddr("100.64.0.1"), InsidePort: 51000, Protocol: 6,
			From: ts("2026-10-29T21:40:00+01:00"), Until: ts("2026-10-29T22:10:00+01:00"), Source: cgnat(), Clock: syncClock()},
		{Public: netip.MustParseAddr(public), Ports: retention.PortRange{First: 41000, Last: 41999}, Inside: netip.MustParseAddr("100.64.0.2"),
			From: ts("2026-10-29T21:30:00+01:00"), Until: ts("2026-10-29T22:30:00+01:00"), Source: cgnat(), Clock: syncClock()},
	}
}

func sampleAssignments() []retention.Assignment {
	return []retention.Assignment{
		{Subscriber: "C-000042", Prefix: netip.MustParsePrefix("100.64.0.1/32"), From: ts("2026-10-29T18:00:00+01:00"), Until: ts("2026-10-29T23:00:00+01:00"),
			Source: retention.Evidence{Kind: retention.RADIUS, Device: "nas-1", Hash: retention.HashRecord([]byte("Acct-Status-Type = Stop"))}, Clock: syncClock()},
		{Subscriber: "C-000007", Prefix: netip.MustParsePrefix("100.64.0.2/32"), From: ts("2026-10-29T18:00:00+01:00"), Until: ts("2026-10-29T23:00:00+01:00"),
			Source: retention.Evidence{Kind: retention.DHCP, Device: "dhcp-1"}, Clock: syncClock()},
		{Subscriber: "C-000099", Prefix: netip.MustParsePrefix("2001:db8:1200::/56"), From: ts("2026-10-29T10:00:00+01:00"), Until: ts("2026-10-29T20:00:00+01:00"),
			Source: retention.Evidence{Kind: retention.Static, Device: "contracts"}, Clock: syncClock()},
		{Subscriber: "C-000050", Prefix: netip.MustParsePrefix("198.51.100.9/32"), From: ts("2026-10-29T12:00:00+01:00"), Until: ts("2026-10-29T13:00:00+01:00"),
			Source: retention.Evidence{Kind: retention.DHCP, Device: "dhcp-2"}, Clock: retention.Clock{ErrorBound: -1}},
		{Subscriber: "C-000060", Prefix: netip.MustParsePrefix("198.51.100.10/32"), From: ts("2026-10-29T08:00:00+01:00"),
			Source: retention.Evidence{Kind: retention.RADIUS, Device: "nas-1", Hash: retention.HashRecord([]byte("Acct-Status-Type = Start"))}, Clock: syncClock()},
	}
}

func (e *env) ingestSample() {
	e.t.Helper()
	if err := e.s.IngestMappings(sampleMappings()); err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.IngestAssignments(sampleAssignments()); err != nil {
		e.t.Fatal(err)
	}
}

func checkIngest(e *env) {
	good := sampleAssignments()[0]
	bad := good
	bad.Subscriber = "not a reference"
	bad.Prefix = netip.MustParsePrefix("100.64.0.0/24")
	err := e.s.IngestAssignments([]retention.Assignment{good, bad})
	var p *provenance.Problems
	if !errors.Is(err, retention.ErrInput) || !errors.As(err, &p) || len(p.Errors()) != 1 {
		e.t.Errorf("a batch with a bad subscriber reference: %v", err)
	}
	e.noSecret(err)
	badMap := sampleMappings()[0]
	badMap.Until = badMap.From
	err = e.s.IngestMappings([]retention.Mapping{sampleMappings()[1], badMap})
	if !errors.Is(err, retention.ErrInput) {
		e.t.Errorf("a batch with a mapping that ends as it starts: %v", err)
	}
	e.noSecret(err)
	old := good
	old.From, old.Until = ts("2025-01-01T10:00:00+01:00"), ts("2025-01-01T11:00:00+01:00")
	err = e.s.IngestAssignments([]retention.Assignment{good, old})
	if !errors.Is(err, retention.ErrExpired) {
		e.t.Errorf("a record past its period: %v", err)
	}
	e.noSecret(err)
	// None of the batches refused was stored, not even their good records.
	wo := e.workOrder("2026-0042", prefixTarget("198.51.100.0/24"))
	if ans := e.lookup(wo, public, 40312, ts("2026-10-29T21:47:03+01:00")); len(ans.Candidates) != 0 {
		e.t.Errorf("a refused batch left %d candidates", len(ans.Candidates))
	}
	e.ingestSample()
	if ans := e.lookup(wo, public, 40312, ts("2026-10-29T21:47:03+01:00")); len(ans.Candidates) != 1 {
		e.t.Errorf("after a good batch, %d candidates", len(ans.Candidates))
	}
}

// edge is a request and what every store answers it.
type edge struct {
	name  string
	addr  string
	port  uint16
	at    string
	subs  []retention.Subscriber
	exact bool // every candidate exact
	amb   []retention.Ambiguity
	gap   *retention.Gap
}

func checkEdges(e *env) {
	e.ingestSample()
	wo := e.workOrder("2026-0042", prefixTarget("198.51.100.0/24"), prefixTarget("2001:db8:1200::/48"))
	s42, s7 := []retention.Subscriber{"C-000042"}, []retention.Subscriber{"C-000007"}
	near, between := retention.ClockTolerance, retention.BetweenSessions
	for _, c := range []edge{
		{"inside the block and the session", public, 40312, "2026-10-29T21:47:03+01:00", s42, true, nil, nil},
		{"the block's first port, the mapping's first second", public, 40000, "2026-10-29T21:40:00+01:00", s42, true, nil, nil},
		{"the block's last port, the mapping's last second", public, 40999, "2026-10-29T22:09:59+01:00", s42, true, nil, nil},
		{"the mapping's excluded end, within a second's tolerance", public, 40999, "2026-10-29T22:10:00+01:00", s42, false,
			[]retention.Ambiguity{near, between}, &retention.Gap{Before: ts("2026-10-29T22:10:00+01:00")}},
		{"beyond the tolerance after the end", public, 40999, "2026-10-29T22:10:01+01:00", nil, false,
			[]retention.Ambiguity{between}, &retention.Gap{Before: ts("2026-10-29T22:10:00+01:00")}},
		{"a second before the start, within the tolerance", public, 40500, "2026-10-29T21:39:59+01:00", s42, false,
			[]retention.Ambiguity{near, between}, &retention.Gap{After: ts("2026-10-29T21:40:00+01:00")}},
		{"the port before the block", public, 39999, "2026-10-29T21:47:03+01:00", nil, false, nil, nil},
		{"the next block's first port", public, 41000, "2026-10-29T21:47:03+01:00", s7, true, nil, nil},
		{"the next block's last port", public, 41999, "2026-10-29T22:29:59+01:00", s7, true, nil, nil},
		{"no port: two subscribers shared the address", public, 0, "2026-10-29T21:47:03+01:00",
			[]retention.Subscriber{"C-000007", "C-000042"}, true, []retention.Ambiguity{retention.SharedAddress}, nil},
		{"an IPv6 address in a /56", "2001:db8:1200:34::1", 0, "2026-10-29T15:00:00+01:00", []retention.Subscriber{"C-000099"}, true, nil, nil},
		{"the /56's excluded end", "2001:db8:1200:34::1", 0, "2026-10-29T20:00:00+01:00", []retention.Subscriber{"C-000099"}, false,
			[]retention.Ambiguity{near, between}, &retention.Gap{Before: ts("2026-10-29T20:00:00+01:00")}},
		{"an IPv6 address outside the /56", "2001:db8:1200:100::1", 0, "2026-10-29T15:00:00+01:00", nil, false, nil, nil},
		{"an unsynchronised source", "198.51.100.9", 0, "2026-10-29T12:30:00+01:00", []retention.Subscriber{"C-000050"}, true,
			[]retention.Ambiguity{retention.UnboundedClock}, nil},
		{"an unsynchronised source's end: no tolerance", "198.51.100.9", 0, "2026-10-29T13:00:00+01:00", nil, false,
			[]retention.Ambiguity{between}, &retention.Gap{Before: ts("2026-10-29T13:00:00+01:00")}},
		{"a session still lasting", "198.51.100.10", 0, "2026-10-29T21:00:00+01:00", []retention.Subscriber{"C-000060"}, true,
			[]retention.Ambiguity{retention.OpenSession}, nil},
	} {
		e.t.Run(c.name, func(t *testing.T) {
			x := *e
			x.t = t
			ans := x.lookup(wo, c.addr, c.port, ts(c.at))
			if got := ans.Subscribers(); !slices.Equal(got, c.subs) {
				t.Errorf("subscribers %v, want %v", got, c.subs)
			}
			for _, cand := range ans.Candidates {
				if cand.Exact != c.exact {
					t.Errorf("candidate %s exact %v, want %v", cand.Subscriber, cand.Exact, c.exact)
				}
				checkCandidate(t, cand)
			}
			if !slices.Equal(ans.Ambiguities, c.amb) {
				t.Errorf("ambiguities %v, want %v", ans.Ambiguities, c.amb)
			}
			if (ans.Gap == nil) != (c.gap == nil) || ans.Gap != nil && *ans.Gap != *c.gap {
				t.Errorf("gap %+v, want %+v", ans.Gap, c.gap)
			}
			if ans.Ref != wo.Ref || ans.Addr != netip.MustParseAddr(c.addr) || ans.Port != c.port || ans.At != ts(c.at) {
				t.Errorf("the answer does not say what was asked: %+v", ans)
			}
		})
	}
}

// checkCandidate checks that a candidate gives back the records as they
// were ingested, the chain as it was, and evidence that verifies.
func checkCandidate(t *testing.T, c retention.Candidate) {
	t.Helper()
	if c.Assignment.Subscriber != c.Subscriber {
		t.Errorf("the candidate's subscriber is not its assignment's")
	}
	if !slices.Contains(sampleAssignments(), c.Assignment) {
		t.Errorf("an assignment not as ingested: %+v", c.Assignment)
	}
	if !retention.VerifyProof(retention.LeafOfAssignment(c.Assignment), c.Evidence.Proof, c.Evidence.Root) {
		t.Errorf("an assignment's evidence does not verify")
	}
	if c.Mapping == nil {
		return
	}
	if !slices.Contains(sampleMappings(), *c.Mapping) {
		t.Errorf("a mapping not as ingested: %+v", *c.Mapping)
	}
	if !c.Assignment.Prefix.Contains(c.Mapping.Inside) {
		t.Errorf("the chain does not hold: the mapping's inside address is not the assignment's")
	}
	if c.MappingEvidence == nil || !retention.VerifyProof(retention.LeafOfMapping(*c.Mapping), c.MappingEvidence.Proof, c.MappingEvidence.Root) {
		t.Errorf("a mapping's evidence does not verify")
	}
}

// A session reported lasting (a RADIUS Start, a conntrack NEW) and then
// ended (Stop, DESTROY) with another hash and clock lasted only to its
// end: the next holder of the address is the only one behind it after.
func checkSuperseded(e *env) {
	inside := netip.MustParsePrefix("100.64.0.1/32")
	from := ts("2026-10-29T10:00:00+01:00")
	start := retention.Evidence{Kind: retention.RADIUS, Device: "nas-1", Hash: retention.HashRecord([]byte("Start"))}
	open := retention.Assignment{Subscriber: "C-000001", Prefix: inside, From: from, Source: start, Clock: retention.Clock{ErrorBound: -1}}
	e.clock.Set(from.Time().Add(time.Minute))
	if err := e.s.IngestAssignments([]retention.Assignment{open}); err != nil {
		e.t.Fatal(err)
	}
	mopen := retention.Mapping{Public: netip.MustParseAddr(public), Ports: retention.PortRange{First: 1024, Last: 2047}, Inside: inside.Addr(),
		From: from, Source: retention.Evidence{Kind: retention.CGNAT, Device: "cgnat-1", Hash: retention.HashRecord([]byte("[NEW]"))}, Clock: syncClock()}
	if err := e.s.IngestMappings([]retention.Mapping{mopen}); err != nil {
		e.t.Fatal(err)
	}
	e.clock.Set(opened().Time())
	closed := open
	closed.Until, closed.Clock = ts("2026-10-29T11:00:00+01:00"), syncClock()
	closed.Source.Hash = retention.HashRecord([]byte("Stop"))
	next := retention.Assignment{Subscriber: "C-000002", Prefix: inside, From: closed.Until, Until: ts("2026-10-29T13:00:00+01:00"),
		Source: retention.Evidence{Kind: retention.RADIUS, Device: "nas-1"}, Clock: syncClock()}
	mclosed := mopen
	mclosed.Until, mclosed.Source.Hash = closed.Until, retention.HashRecord([]byte("[DESTROY]"))
	next2 := next
	next2.Prefix = netip.MustParsePrefix("100.64.0.2/32")
	mnext := retention.Mapping{Public: netip.MustParseAddr(public), Ports: retention.PortRange{First: 1024, Last: 2047}, Inside: next2.Prefix.Addr(),
		From: closed.Until, Until: next.Until, Source: cgnat(), Clock: syncClock()}
	if err := e.s.IngestAssignments([]retention.Assignment{closed, next, next2}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.IngestMappings([]retention.Mapping{mclosed, mnext}); err != nil {
		e.t.Fatal(err)
	}
	wo := e.workOrder("2026-0042", prefixTarget("198.51.100.0/24"))
	ans := e.lookup(wo, public, 1500, ts("2026-10-29T12:00:00+01:00"))
	if subs := ans.Subscribers(); !slices.Equal(subs, []retention.Subscriber{"C-000002"}) || ans.Ambiguous() {
		e.t.Errorf("after the session ended: subscribers %v, ambiguities %v", subs, ans.Ambiguities)
	}
	ans = e.lookup(wo, public, 1500, ts("2026-10-29T10:30:00+01:00"))
	if subs := ans.Subscribers(); !slices.Equal(subs, []retention.Subscriber{"C-000001"}) || len(ans.Candidates) != 1 ||
		ans.Candidates[0].Assignment.Until != closed.Until || ans.Candidates[0].Mapping.Until != closed.Until {
		e.t.Errorf("during the session: %+v", ans.Candidates)
	}
}

func checkNeedToKnow(e *env) {
	e.ingestSample()
	at := ts("2026-10-29T21:47:03+01:00")
	target := requisition.Target{Kind: requisition.TargetIP, Addr: netip.MustParseAddr(public), Port: 40312, From: at, Until: at.Add(time.Second)}
	wo := e.workOrder("2026-0042", target)
	ok := retention.Request{Ref: wo.Ref, By: "tech-1", Addr: netip.MustParseAddr(public), Port: 40312, At: at}
	mod := func(fn func(*retention.Request)) retention.Request { q := ok; fn(&q); return q }
	own, _, err := register.Open(filepath.Join(e.t.TempDir(), "own.journal"), register.Config{Clock: e.clock, Identity: e.id, Found: true})
	if err != nil {
		e.t.Fatal(err)
	}
	defer own.Close()
	everyone := requisition.Target{Kind: requisition.TargetPrefix, Prefix: netip.MustParsePrefix("0.0.0.0/0"), From: at.Add(-time.Hour), Until: at.Add(time.Hour)}
	ownWO := (&env{t: e.t, clock: e.clock, reg: own}).workOrder("2026-0099", everyone)
	wide := everyone
	wide.Prefix = netip.MustParsePrefix("198.51.100.0/23")
	wideWO := e.workOrder("2026-0043", wide)
	for _, c := range []struct {
		name string
		reg  *register.Register
		q    retention.Request
		also error
	}{
		{"another address", e.reg, mod(func(q *retention.Request) { q.Addr = netip.MustParseAddr("198.51.100.8") }), nil},
		{"another port", e.reg, mod(func(q *retention.Request) { q.Port = 41500 }), nil},
		{"no port, to see everyone behind the address", e.reg, mod(func(q *retention.Request) { q.Port = 0 }), nil},
		{"the second before", e.reg, mod(func(q *retention.Request) { q.At = at.Add(-time.Second) }), nil},
		{"the second after", e.reg, mod(func(q *retention.Request) { q.At = at.Add(time.Second) }), nil},
		{"an inside address, directly", e.reg, mod(func(q *retention.Request) { q.Addr = netip.MustParseAddr("100.64.0.2") }), nil},
		{"a made-up order", e.reg, mod(func(q *retention.Request) { q.Ref = "wo-aaaaaaaaaaaaaaaaaaaaaaaa" }), nil},
		{"no register", nil, ok, nil},
		{"a register of one's own", own, mod(func(q *retention.Request) { q.Ref = ownWO.Ref }), retention.ErrForeignRegister},
		{"a target wider than a /24", e.reg, mod(func(q *retention.Request) { q.Ref = wideWO.Ref }), retention.ErrTargetTooWide},
	} {
		e.t.Run(c.name, func(t *testing.T) {
			_, err := e.s.Lookup(c.reg, c.q, "alice")
			if !errors.Is(err, retention.ErrNotAuthorised) || c.also != nil && !errors.Is(err, c.also) {
				t.Errorf("looked past the work order: %v", err)
			}
			e.noSecret(err)
		})
	}
	if n := len(e.reg.Lookups()) + len(own.Lookups()); n != 0 {
		e.t.Fatalf("%d refused lookups recorded", n)
	}
	ans, err := e.s.Lookup(e.reg, ok, "alice")
	if err != nil {
		e.t.Fatal(err)
	}
	if ans.Ambiguous() || len(ans.Candidates) != 1 || ans.Candidates[0].Subscriber != "C-000042" || !ans.Candidates[0].Exact {
		e.t.Fatalf("the lookup allowed: %+v", ans)
	}
	ls := e.reg.Lookups()
	if len(ls) != 1 || ls[0].Ref != wo.Ref || ls[0].By != "tech-1" || ls[0].Actor != "alice" || ls[0].Candidates != 1 || ls[0].Asked != at {
		e.t.Errorf("recorded: %+v", ls)
	}
	if _, err := e.reg.AttachResult(register.WorkResult{Ref: wo.Ref, By: "tech-1", Completed: timesync.Now(e.clock), Outcome: register.Found, Data: "C-000042"},
		"alice", timesync.Verdict{}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.s.Lookup(e.reg, ok, "alice"); !errors.Is(err, retention.ErrNotAuthorised) {
		e.t.Errorf("a lookup after the result: %v", err)
	}
}

// destroyed is what the suite compares of a destruction.
type destroyed struct {
	Day     date.Date
	Class   retention.Class
	Hold    retention.HoldID
	Records int
}

func (e *env) purge() []destroyed {
	e.t.Helper()
	rep, err := e.s.Purge()
	if err != nil {
		e.t.Fatal(err)
	}
	var out []destroyed
	for _, d := range rep.Destroyed {
		if d.Keys < 1 {
			e.t.Errorf("a destruction of no key: %+v", d)
		}
		out = append(out, destroyed{d.Day, d.Class, d.Hold, d.Records})
	}
	return out
}

func checkPurge(e *env) {
	e.ingestSample()
	later := timesync.MustParseDay("2026-11-15")
	e.clock.Set(ts("2026-11-16T09:00:00+01:00").Time())
	ms := []retention.Mapping{{Public: netip.MustParseAddr(public), Ports: retention.PortRange{First: 40000, Last: 40999}, Inside: netip.MustParseAddr("100.64.0.3"),
		From: ts("2026-11-15T10:00:00+01:00"), Until: ts("2026-11-15T11:00:00+01:00"), Source: cgnat(), Clock: syncClock()}}
	as := []retention.Assignment{{Subscriber: "C-000003", Prefix: netip.MustParsePrefix("100.64.0.3/32"), From: ts("2026-11-15T09:00:00+01:00"),
		Until: ts("2026-11-15T12:00:00+01:00"), Source: retention.Evidence{Kind: retention.DHCP, Device: "dhcp-1"}, Clock: syncClock()}}
	if err := e.s.IngestMappings(ms); err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.IngestAssignments(as); err != nil {
		e.t.Fatal(err)
	}
	wo := e.workOrder("2026-0042", prefixTarget("198.51.100.0/24"))
	first, second := ts("2026-10-29T21:47:03+01:00"), ts("2026-11-15T10:30:00+01:00")
	answers := func(when string, at timesync.Timestamp, sub retention.Subscriber) {
		e.t.Helper()
		ans := e.lookup(wo, public, 40312, at)
		if !slices.Equal(ans.Subscribers(), []retention.Subscriber{sub}) || slices.Contains(ans.Ambiguities, retention.PeriodOver) {
			e.t.Errorf("%s: %v, ambiguities %v", when, ans.Subscribers(), ans.Ambiguities)
		}
	}
	over := func(when string, at timesync.Timestamp) {
		e.t.Helper()
		ans := e.lookup(wo, public, 40312, at)
		if len(ans.Candidates) != 0 || !slices.Contains(ans.Ambiguities, retention.PeriodOver) || !ans.Ambiguous() {
			e.t.Errorf("%s: %d candidates, ambiguities %v: not said to be past its period", when, len(ans.Candidates), ans.Ambiguities)
		}
	}
	if d := e.purge(); len(d) != 0 {
		e.t.Errorf("a purge before any period's end destroyed %+v", d)
	}
	answers("before any end", first, "C-000042")
	// The first day's mappings (six months) have ended: not yet purged,
	// they answer nothing already, and the answer says why.
	e.clock.Set(ts("2027-04-30T00:00:00+02:00").Time())
	over("the first day's mappings ended, not purged", first)
	answers("the second day", second, "C-000003")
	want := []destroyed{{Day: dataDay(), Class: retention.ClassMappings, Records: 2}}
	if d := e.purge(); !slices.Equal(d, want) {
		e.t.Errorf("destroyed %+v, want %+v", d, want)
	}
	over("the first day's mappings destroyed", first)
	answers("the second day, after the first's purge", second, "C-000003")
	if d := e.purge(); len(d) != 0 {
		e.t.Errorf("a second purge destroyed %+v", d)
	}
	// The second day's mappings a day before their end, then after.
	e.clock.Set(ts("2027-05-15T23:59:59+02:00").Time())
	if d := e.purge(); len(d) != 0 {
		e.t.Errorf("a purge on the last second of a period destroyed %+v", d)
	}
	answers("the second day's last second of retention", second, "C-000003")
	e.clock.Set(ts("2027-05-16T00:00:00+02:00").Time())
	want = []destroyed{{Day: later, Class: retention.ClassMappings, Records: 1}}
	if d := e.purge(); !slices.Equal(d, want) {
		e.t.Errorf("destroyed %+v, want %+v", d, want)
	}
	over("the second day's mappings destroyed", second)
	// Twelve months on, the assignments: the lasting session was filed on
	// the day it was reported, the morning after.
	e.clock.Set(ts("2027-11-17T00:00:00+01:00").Time())
	want = []destroyed{{Day: dataDay(), Class: retention.ClassAssignments, Records: 4},
		{Day: dataDay().AddDate(0, 0, 1), Class: retention.ClassAssignments, Records: 1},
		{Day: later, Class: retention.ClassAssignments, Records: 1}}
	if d := e.purge(); !slices.Equal(d, want) {
		e.t.Errorf("destroyed %+v, want %+v", d, want)
	}
	ans := e.lookup(wo, "198.51.100.9", 0, ts("2026-10-29T12:30:00+01:00"))
	if len(ans.Candidates) != 0 || !slices.Equal(ans.Ambiguities, []retention.Ambiguity{retention.PeriodOver}) {
		e.t.Errorf("a direct assignment destroyed: %d candidates, ambiguities %v", len(ans.Candidates), ans.Ambiguities)
	}
	if _, err := e.s.Verify(); err != nil {
		e.t.Errorf("after the purges: %v", err)
	}
}

func checkHolds(e *env) {
	e.ingestSample()
	at := ts("2026-10-29T21:47:03+01:00")
	target := requisition.Target{Kind: requisition.TargetIP, Addr: netip.MustParseAddr(public), Port: 40312, From: at, Until: at.Add(time.Second)}
	mine := e.workOrder("2026-0042", target)
	other := e.workOrder("2026-0043", target)
	if _, err := e.s.PlaceHold("2026-0042", []retention.HoldTarget{{Subscriber: "bad one"}, {}}, at, at); !errors.Is(err, retention.ErrHold) {
		e.t.Errorf("a malformed hold: %v", err)
	} else {
		var p *provenance.Problems
		if errors.As(err, &p); p == nil || len(p.Errors()) != 3 {
			e.t.Errorf("every problem of a hold: %v", err)
		}
		e.noSecret(err)
	}
	targets := []retention.HoldTarget{{Prefix: netip.MustParsePrefix(public + "/32")}}
	from, until := ts("2026-10-29T21:00:00+01:00"), ts("2026-10-29T22:00:00+01:00")
	h, err := e.s.PlaceHold("2026-0042", targets, from, until)
	if err != nil {
		e.t.Fatal(err)
	}
	if !h.ID.Valid() || h.Case != "2026-0042" || !slices.Equal(h.Targets, targets) || h.From != from || h.Until != until || h.Placed != timesync.Now(e.clock) {
		e.t.Errorf("the hold placed: %+v", h)
	}
	// Past both periods: the periods go, what the hold matches stays —
	// the two mappings of the address in its window, and the sessions of
	// their inside addresses.
	e.clock.Set(ts("2027-11-17T00:00:00+01:00").Time())
	want := []destroyed{{Day: dataDay(), Class: retention.ClassAssignments, Records: 4}, {Day: dataDay(), Class: retention.ClassMappings, Records: 2},
		{Day: dataDay().AddDate(0, 0, 1), Class: retention.ClassAssignments, Records: 1}}
	if d := e.purge(); !slices.Equal(d, want) {
		e.t.Errorf("destroyed %+v, want %+v", d, want)
	}
	ans := e.lookup(mine, public, 40312, at)
	if len(ans.Candidates) != 1 || ans.Candidates[0].Subscriber != "C-000042" || ans.Candidates[0].Held != h.ID || !ans.Candidates[0].Exact {
		e.t.Errorf("the hold's own case: %+v", ans.Candidates)
	}
	for _, c := range ans.Candidates {
		checkCandidate(e.t, c)
	}
	if ans := e.lookup(other, public, 40312, at); len(ans.Candidates) != 0 || !slices.Contains(ans.Ambiguities, retention.PeriodOver) {
		e.t.Errorf("another case read the hold: %d candidates, ambiguities %v", len(ans.Candidates), ans.Ambiguities)
	}
	if d := e.purge(); len(d) != 0 {
		e.t.Errorf("a hold in force was purged: %+v", d)
	}
	if err := e.s.LiftHold(h.ID, "2026-0043"); !errors.Is(err, retention.ErrHold) {
		e.t.Errorf("lifted for another case: %v", err)
	}
	if err := e.s.LiftHold(h.ID, "2026-0042"); err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.LiftHold(h.ID, "2026-0042"); !errors.Is(err, retention.ErrHold) {
		e.t.Errorf("lifted twice: %v", err)
	}
	if ans := e.lookup(mine, public, 40312, at); len(ans.Candidates) != 0 {
		e.t.Errorf("a lifted hold answered: %d candidates", len(ans.Candidates))
	}
	want = []destroyed{{Hold: h.ID, Records: 4}}
	if d := e.purge(); !slices.Equal(d, want) {
		e.t.Errorf("destroyed %+v, want %+v", d, want)
	}
	hs, err := e.s.Holds()
	if err != nil || len(hs) != 1 || hs[0].ID != h.ID || hs[0].Case != "2026-0042" || !slices.Equal(hs[0].Targets, targets) ||
		hs[0].From != from || hs[0].Until != until || hs[0].Lifted.IsZero() {
		e.t.Errorf("holds: %+v %v", hs, err)
	}
	if _, err := e.s.Verify(); err != nil {
		e.t.Errorf("after the hold: %v", err)
	}
}

// A hold on a subscriber keeps their sessions in its window and, through
// the chain, the mappings from their inside address while they held it —
// nothing of anyone else.
func checkHoldBySubscriber(e *env) {
	e.ingestSample()
	wo := e.workOrder("2026-0042", prefixTarget("198.51.100.0/24"))
	h, err := e.s.PlaceHold("2026-0042", []retention.HoldTarget{{Subscriber: "C-000007"}}, ts("2026-10-29T21:00:00+01:00"), ts("2026-10-29T22:00:00+01:00"))
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Set(ts("2027-11-17T00:00:00+01:00").Time())
	e.purge()
	at := ts("2026-10-29T21:47:03+01:00")
	ans := e.lookup(wo, public, 41000, at)
	if len(ans.Candidates) != 1 || ans.Candidates[0].Subscriber != "C-000007" || ans.Candidates[0].Held != h.ID || ans.Candidates[0].Mapping == nil {
		e.t.Errorf("the held subscriber, through the held mapping: %+v", ans.Candidates)
	}
	for _, c := range ans.Candidates {
		checkCandidate(e.t, c)
	}
	if ans := e.lookup(wo, public, 40312, at); len(ans.Candidates) != 0 || !slices.Contains(ans.Ambiguities, retention.PeriodOver) {
		e.t.Errorf("another subscriber kept: %d candidates, ambiguities %v", len(ans.Candidates), ans.Ambiguities)
	}
	if err := e.s.LiftHold(h.ID, "2026-0042"); err != nil {
		e.t.Fatal(err)
	}
	if d, want := e.purge(), []destroyed{{Hold: h.ID, Records: 2}}; !slices.Equal(d, want) {
		e.t.Errorf("destroyed %+v, want %+v", d, want)
	}
}

func checkVerify(e *env) {
	e.ingestSample()
	rep, err := e.s.Verify()
	if err != nil {
		e.t.Fatal(err)
	}
	if !rep.Opened || rep.Records < len(sampleMappings())+len(sampleAssignments()) {
		e.t.Errorf("verified: %+v", rep)
	}
}

func checkClosed(e *env) {
	e.ingestSample()
	wo := e.workOrder("2026-0042", prefixTarget("198.51.100.0/24"))
	if err := e.s.Close(); err != nil {
		e.t.Fatal(err)
	}
	if err := e.s.Close(); err != nil {
		e.t.Errorf("closed twice: %v", err)
	}
	at := ts("2026-10-29T21:47:03+01:00")
	_, lookupErr := e.s.Lookup(e.reg, retention.Request{Ref: wo.Ref, By: "tech-1", Addr: netip.MustParseAddr(public), Port: 40312, At: at}, "alice")
	_, holdErr := e.s.PlaceHold("2026-0042", []retention.HoldTarget{{Subscriber: "C-000042"}}, at, at.Add(time.Hour))
	_, holdsErr := e.s.Holds()
	_, purgeErr := e.s.Purge()
	_, verifyErr := e.s.Verify()
	for name, err := range map[string]error{
		"IngestAssignments": e.s.IngestAssignments(sampleAssignments()), "IngestMappings": e.s.IngestMappings(sampleMappings()),
		"Lookup": lookupErr, "PlaceHold": holdErr, "LiftHold": e.s.LiftHold("hold-0123456789abcdef", "2026-0042"), "Holds": holdsErr,
		"Purge": purgeErr, "Verify": verifyErr,
	} {
		if !errors.Is(err, retention.ErrClosed) {
			e.t.Errorf("%s on a closed store: %v", name, err)
		}
	}
	if n := len(e.reg.Lookups()); n != 0 {
		e.t.Errorf("a closed store's lookup was recorded")
	}
}
