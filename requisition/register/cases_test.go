package register_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var goodClock = timesync.Verdict{At: t0, Synchronised: true, ToTheSecond: true, Traceable: true, ErrorBound: 2 * time.Millisecond, Reference: "GPS via chrony"}

// at is the instant Brussels clocks show at s; it panics on a time that does
// not exist or exists twice.
func at(s string) timesync.Timestamp { return timesync.MustParseBrussels(s, timesync.Strict) }

// The sample's secrets, which must never appear in clear anywhere but the
// sealed records and the member's views.
const (
	secretAddr = "2001:db8::1"
	secretRef  = "BR.12.34.567890/26"
)

func sampleRequisition() requisition.Requisition {
	return requisition.Requisition{
		Reference: secretRef, Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: at("2026-11-23 09:00"), Received: at("2026-11-23 10:00"), Reasoned: true,
		Items:    []requisition.Item{requisition.ItemIdentity, requisition.ItemAddress},
		Targets:  []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr(secretAddr), From: at("2026-11-20 14:03:12"), Until: at("2026-11-20 14:03:13")}},
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: at("2026-11-24 10:00")},
	}
}

type keys struct {
	alice, bob register.Identity
}

func newKeys(t testing.TB) keys {
	alice, err := register.NewIdentity("alice", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := register.NewIdentity("bob", register.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	return keys{alice, bob}
}

// config opens the register as alice, its founder.
func (k keys) config(clock timesync.Clock) register.Config {
	return register.Config{Clock: clock, Identity: k.alice, Found: true}
}

// as opens the register as another identity.
func (k keys) as(clock timesync.Clock, id register.Identity) register.Config {
	return register.Config{Clock: clock, Identity: id}
}

func openReg(t testing.TB, k keys, clock timesync.Clock) (*register.Register, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ccj.journal")
	reg, _, err := register.Open(path, k.config(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg, path
}

func delivery(ts timesync.Timestamp) register.Delivery {
	return register.Delivery{At: ts, To: "FCCU Bruxelles", Channel: register.ByEmail, Items: []requisition.Item{requisition.ItemIdentity},
		WithoutResult: "looked up by the member"}
}

// deliveryOf is delivery for case id of reg: with no reason for answering
// without a result when one is attached, as the register requires.
func deliveryOf(reg *register.Register, id string, ts timesync.Timestamp) register.Delivery {
	d := delivery(ts)
	if c, ok := reg.Case(id); ok && len(c.Results) > 0 {
		d.WithoutResult = ""
	}
	return d
}

func result(ref register.Ref, ts timesync.Timestamp) register.WorkResult {
	return register.WorkResult{Ref: ref, By: "tech-1", Completed: ts, Outcome: register.Found, Data: "(the subscriber's record)"}
}

// The lifecycle as a rapid state machine against a simple model, with the
// register closed and reopened (replaying the sealed journal) between
// steps. Events that carry data go through their own methods.
type lifecycle struct {
	path    string
	clock   *timesynctest.Clock
	k       keys
	reg     *register.Register // alice's
	bobReg  *register.Register // bob's, on the same journal: two members at once
	model   map[string]register.State
	pending map[string][]register.Ref // work orders without a result
	done    []register.Ref            // work orders with one
	n       int
}

func (m *lifecycle) Receive(t *rapid.T) {
	id := fmt.Sprintf("case-%d", m.n)
	m.n++
	if _, err := m.reg.Receive(id, sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	m.model[id] = register.Received
	if _, err := m.bobReg.Receive(id, sampleRequisition(), "bob", goodClock); !errors.Is(err, register.ErrCaseExists) {
		t.Fatalf("received twice: %v", err)
	}
}

func (m *lifecycle) Apply(t *rapid.T) {
	if len(m.model) == 0 {
		t.Skip("no case yet")
	}
	ids := make([]string, 0, len(m.model))
	for id := range m.model {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	id := rapid.SampledFrom(ids).Draw(t, "case")
	ev := rapid.SampledFrom(register.Events()).Draw(t, "event")
	actor := rapid.SampledFrom([]string{"alice", "bob"}).Draw(t, "actor")
	reg := m.reg
	if actor == "bob" {
		reg = m.bobReg
	}
	m.clock.Advance(time.Duration(rapid.IntRange(1, 600).Draw(t, "seconds")) * time.Second)
	now := timesync.Now(m.clock)
	want, legal := register.Next(m.model[id], ev)
	var c register.Case
	var err error
	switch ev {
	case register.IssueWorkOrder:
		var wo register.WorkOrder
		wo, err = reg.IssueWorkOrder(id, nil, now.Add(time.Hour).Time(), actor, goodClock)
		if err == nil {
			m.pending[id] = append(m.pending[id], wo.Ref)
			c, _ = reg.Case(id)
		}
	case register.AttachResult:
		if len(m.pending[id]) == 0 {
			if len(m.done) > 0 {
				_, err := reg.AttachResult(result(m.done[0], now), actor, goodClock)
				if !errors.Is(err, register.ErrTransition) {
					t.Fatalf("a second result was accepted: %v", err)
				}
			}
			t.Skip("no work order waits for a result")
		}
		ref := m.pending[id][0]
		c, err = reg.AttachResult(result(ref, now), actor, goodClock)
		if err == nil {
			m.pending[id] = m.pending[id][1:]
			m.done = append(m.done, ref)
		}
	case register.Answer:
		c, err = reg.Answer(id, deliveryOf(reg, id, now), actor, goodClock)
	default:
		c, err = reg.Apply(id, ev, actor, goodClock, "")
	}
	if legal {
		if err != nil || c.State != want {
			t.Fatalf("%s from %s: got %s, %v; want %s", ev, m.model[id], c.State, err, want)
		}
		m.model[id] = want
	} else if !errors.Is(err, register.ErrTransition) {
		t.Fatalf("illegal %s from %s accepted: %v", ev, m.model[id], err)
	}
}

func (m *lifecycle) Reopen(t *rapid.T) {
	if err := m.reg.Close(); err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(m.path, m.k.config(m.clock))
	if err != nil {
		t.Fatal(err)
	}
	m.reg = reg
}

func (m *lifecycle) Check(t *rapid.T) {
	if err := m.bobReg.Refresh(); err != nil {
		t.Fatal(err)
	}
	if err := m.reg.Refresh(); err != nil {
		t.Fatal(err)
	}
	for id, st := range m.model {
		for _, reg := range []*register.Register{m.reg, m.bobReg} {
			if c, _ := reg.Case(id); c.State != st {
				t.Fatalf("case %s: a register says %s, model %s", id, c.State, st)
			}
		}
		c, ok := m.reg.Case(id)
		if !ok || c.State != st {
			t.Fatalf("case %s: register %s, model %s", id, c.State, st)
		}
		for i := 1; i < len(c.History); i++ {
			if c.History[i].From != c.History[i-1].To || c.History[i].At.Before(c.History[i-1].At) {
				t.Fatalf("case %s: history out of order at %d", id, i)
			}
		}
		if (c.Delivery != nil) != slices.ContainsFunc(c.History, func(t register.Transition) bool { return t.Event == register.Answer }) {
			t.Fatalf("case %s: delivery and history disagree", id)
		}
	}
}

func TestLifecycleStateMachine(t *testing.T) {
	k := newKeys(t)
	rapid.Check(t, func(t *rapid.T) {
		dir, err := os.MkdirTemp("", "register")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		m := &lifecycle{path: filepath.Join(dir, "j"), clock: timesynctest.NewClock(t0.Add(2 * time.Hour)), k: k,
			model: map[string]register.State{}, pending: map[string][]register.Ref{}}
		m.reg, _, err = register.Open(m.path, k.config(m.clock))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { m.reg.Close() }()
		if _, err := m.reg.AddMember(k.bob.Public(), goodClock); err != nil {
			t.Fatal(err)
		}
		m.bobReg, _, err = register.Open(m.path, k.as(m.clock, k.bob))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { m.bobReg.Close() }()
		t.Repeat(rapid.StateMachineActions(m))
		recs, err := journal.ReadFile(m.path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := register.AuditRecords(recs); err != nil {
			t.Fatal(err)
		}
	})
}

// Next is the table the issue describes; a few rows spelt out.
func TestNext(t *testing.T) {
	for _, tc := range []struct {
		name string
		from register.State
		ev   register.Event
		to   register.State
		ok   bool
	}{
		{"answer an unacknowledged case", register.Received, register.Answer, "", false},
		{"invoice an unanswered case", register.InProgress, register.Invoice, "", false},
		{"work order before the check", register.Acknowledged, register.IssueWorkOrder, "", false},
		{"first work order", register.Lawful, register.IssueWorkOrder, register.InProgress, true},
		{"second work order", register.InProgress, register.IssueWorkOrder, register.InProgress, true},
		{"answer without work orders", register.Lawful, register.Answer, register.Answered, true},
		{"result once answered", register.Answered, register.AttachResult, "", false},
		{"clarified, then lawful", register.ClarificationAsked, register.CheckLawful, register.Lawful, true},
		{"cancel a contested case", register.Contested, register.Cancel, "", false},
		{"expire while in progress", register.InProgress, register.Expire, register.Expired, true},
		{"close after invoicing", register.Invoiced, register.Close, register.Closed, true},
		{"reopen a closed case", register.Closed, register.Acknowledge, "", false},
		{"unknown event", register.Received, "shred", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			to, ok := register.Next(tc.from, tc.ev)
			if to != tc.to || ok != tc.ok {
				t.Errorf("Next(%s, %s) = %s, %v; want %s, %v", tc.from, tc.ev, to, ok, tc.to, tc.ok)
			}
		})
	}
}

func TestIllegalTransitionsAreRefused(t *testing.T) {
	reg, path := openReg(t, newKeys(t), timesynctest.NewClock(t0.Add(2*time.Hour)))
	if _, err := reg.Receive("c1", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if _, err := reg.Answer("c1", delivery(at("2026-11-23 10:30")), "alice", goodClock); !errors.Is(err, register.ErrTransition) {
		t.Errorf("answered an unacknowledged case: %v", err)
	}
	if _, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock); !errors.Is(err, register.ErrTransition) {
		t.Errorf("work order on an unchecked case: %v", err)
	}
	if _, err := reg.Apply("c1", register.Invoice, "alice", goodClock, ""); !errors.Is(err, register.ErrTransition) {
		t.Errorf("invoiced an unanswered case: %v", err)
	}
	if _, err := reg.Apply("c1", register.Answer, "alice", goodClock, ""); !errors.Is(err, register.ErrEventData) {
		t.Errorf("answer through Apply: %v", err)
	}
	if _, err := reg.Apply("c1", register.Acknowledge, "mallory", goodClock, ""); !errors.Is(err, register.ErrActor) {
		t.Errorf("a non-member acted: %v", err)
	}
	if _, err := reg.Apply("nope", register.Acknowledge, "alice", goodClock, ""); !errors.Is(err, register.ErrUnknownCase) {
		t.Errorf("unknown case: %v", err)
	}
	for _, id := range []string{"", "with space", "é", string(make([]byte, register.MaxCaseID+1))} {
		if _, err := reg.Receive(id, sampleRequisition(), "alice", goodClock); !errors.Is(err, register.ErrInput) {
			t.Errorf("case ID %q accepted: %v", id, err)
		}
	}
	noReceipt := sampleRequisition()
	noReceipt.Received = timesync.Timestamp{}
	if _, err := reg.Receive("c2", noReceipt, "alice", goodClock); !errors.Is(err, register.ErrInput) {
		t.Errorf("a requisition with no time of receipt: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !slices.Equal(before, after) {
		t.Error("a refused step changed the journal")
	}
}

func TestOpenRegisterNeedsConfig(t *testing.T) {
	k := newKeys(t)
	svc, _ := register.NewIdentity("intake", register.RoleService)
	full := k.config(timesynctest.NewClock(t0))
	for name, cfg := range map[string]register.Config{
		"no clock":           {Identity: full.Identity},
		"no identity":        {Clock: full.Clock},
		"a service identity": {Clock: full.Clock, Identity: svc},
	} {
		if _, _, err := register.Open(filepath.Join(t.TempDir(), "j"), cfg); !errors.Is(err, register.ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// An identity that is not in the roster cannot open the register; once a
// member adds it, it reads the whole history, written before it joined,
// without anything being rewritten; once removed, it is shut out again.
func TestOutsiderJoinsAndLeaves(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	if _, err := reg.Receive("c1", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	if _, _, err := register.Open(path, k.as(clock, k.bob)); !errors.Is(err, register.ErrActor) {
		t.Fatalf("an identity outside the roster: %v", err)
	}
	before, _ := os.ReadFile(path)
	if _, err := reg.AddMember(k.bob.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.HasPrefix(after, before) {
		t.Fatal("adding a member rewrote the journal")
	}
	bobReg, _, err := register.Open(path, k.as(clock, k.bob))
	if err != nil {
		t.Fatalf("a member added later: %v", err)
	}
	if c, ok := bobReg.Case("c1"); !ok || c.Requisition.Reference != secretRef {
		t.Fatalf("a member added later does not read the history: %+v", c)
	}
	bobReg.Close()
	if err := reg.RemoveMember("bob", goodClock); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Receive("c2", sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	if _, _, err := register.Open(path, k.as(clock, k.bob)); !errors.Is(err, register.ErrActor) {
		t.Fatalf("a removed member opened the register: %v", err)
	}
	recs, _ := journal.ReadFile(path)
	a, err := register.AuditRecords(recs)
	if err != nil || a.Epoch != 1 || len(a.Members) != 2 || a.Members[1].Active || a.Members[1].RemovedBy != "alice" {
		t.Fatalf("audit: %+v %v", a, err)
	}
}

// A case replayed from the journal is the case that was written.
func TestReplayIsFaithful(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	reg.Receive("c1", sampleRequisition(), "alice", goodClock)
	reg.Apply("c1", register.Acknowledge, "alice", goodClock, "")
	reg.Apply("c1", register.CheckLawful, "alice", goodClock, "checked against art. 46bis")
	wo, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	reg.AttachResult(result(wo.Ref, timesync.Now(clock)), "alice", goodClock)
	want, err := reg.Answer("c1", deliveryOf(reg, "c1", timesync.Now(clock)), "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	reg.Close()
	again, _, err := register.Open(path, k.config(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	got, _ := again.Case("c1")
	if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}, timesync.Timestamp{})); diff != "" {
		t.Errorf("replayed case differs (-written +replayed):\n%s", diff)
	}
	if _, ok := again.WorkOrderFor(wo.Ref); !ok {
		t.Error("the work order's reference is lost on reopening")
	}
}

func TestDueWithin(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(t0.Add(2*time.Hour)))
	reg.Receive("stated", sampleRequisition(), "alice", goodClock)
	rt := sampleRequisition()
	rt.Response = requisition.ResponsePolicy{Kind: requisition.RealTime}
	reg.Receive("realtime", rt, "alice", goodClock)
	later := sampleRequisition()
	later.Response.Stated = at("2026-11-30 10:00")
	reg.Receive("later", later, "alice", goodClock)
	ids := func(ds []register.Due) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Case)
		}
		return out
	}
	got := reg.DueWithin(at("2026-11-24 08:00").Time(), 4*time.Hour)
	if diff := cmp.Diff([]string{"realtime", "stated"}, ids(got)); diff != "" || got[1].Overdue || got[1].Left != 2*time.Hour {
		t.Fatalf("%s %+v", diff, got)
	}
	got = reg.DueWithin(at("2026-11-24 11:00").Time(), time.Hour)
	if diff := cmp.Diff([]string{"stated", "realtime"}, ids(got)); diff != "" || !got[0].Overdue || got[0].Left != -time.Hour {
		t.Fatalf("%s %+v", diff, got)
	}
	reg.Apply("stated", register.Acknowledge, "alice", goodClock, "")
	reg.Apply("stated", register.Cancel, "alice", goodClock, "withdrawn")
	if got := reg.DueWithin(at("2026-11-24 11:00").Time(), time.Hour); len(got) != 1 || got[0].Case != "realtime" {
		t.Fatalf("a cancelled case is still due: %+v", got)
	}
}
