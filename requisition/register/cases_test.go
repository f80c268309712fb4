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

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
	"pgregory.net/rapid"
)

var goodClock = timesync.Verdict{Synchronised: true, ToTheSecond: true, Traceable: true, ErrorBound: 2 * time.Millisecond, Reference: "GPS via chrony"}

func sampleRequisition() requisition.Requisition {
	at := func(s string) timesync.Timestamp { t, _ := timesync.ParseBrussels(s, timesync.Strict); return t }
	return requisition.Requisition{
		Reference: "BR.12.34.567890/26", Measure: requisition.Identification, Authority: requisition.ProcureurDuRoi,
		Ordered: at("2026-11-23 09:00"), Received: at("2026-11-23 10:00"), Reasoned: true,
		Items:    []requisition.Item{requisition.ItemIdentity},
		Targets:  []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("2001:db8::1"), From: at("2026-11-20 14:00"), Until: at("2026-11-20 15:00")}},
		Response: requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: at("2026-11-24 10:00")},
	}
}

type keys struct {
	alice register.Identity
	ring  register.Keyring
}

func newKeys(t testing.TB) keys {
	alice, err := register.NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	ring, _ := register.NewKeyring(alice.Public())
	return keys{alice, ring}
}

// The lifecycle as a rapid state machine against a simple model, with the
// register closed and reopened (replaying the sealed journal) between
// steps.
type lifecycle struct {
	path  string
	clock *timesynctest.Clock
	k     keys
	reg   *register.Register
	model map[string]register.State
	n     int
}

func (m *lifecycle) Receive(t *rapid.T) {
	id := fmt.Sprintf("case-%d", m.n)
	m.n++
	if _, err := m.reg.Receive(id, sampleRequisition(), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	m.model[id] = register.Received
	if _, err := m.reg.Receive(id, sampleRequisition(), "alice", goodClock); !errors.Is(err, register.ErrCaseExists) {
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
	ev := rapid.SampledFrom([]register.Event{register.Acknowledge, register.CheckLawful, register.AskClarification, register.Contest,
		register.StartWork, register.Answer, register.Invoice, register.Close, register.Expire, register.Cancel}).Draw(t, "event")
	m.clock.Advance(time.Duration(rapid.IntRange(1, 3600).Draw(t, "seconds")) * time.Second)
	want, legal := register.Next(m.model[id], ev)
	c, err := m.reg.Apply(id, ev, "alice", goodClock, "")
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
	reg, _, err := register.OpenRegister(m.path, m.clock, m.k.ring, m.k.alice, []string{"alice"})
	if err != nil {
		t.Fatal(err)
	}
	m.reg = reg
}

func (m *lifecycle) Check(t *rapid.T) {
	for id, st := range m.model {
		c, ok := m.reg.Case(id)
		if !ok || c.State != st {
			t.Fatalf("case %s: register %s, model %s", id, c.State, st)
		}
		for i := 1; i < len(c.History); i++ {
			if c.History[i].From != c.History[i-1].To || c.History[i].At.Before(c.History[i-1].At) {
				t.Fatalf("case %s: history out of order at %d", id, i)
			}
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
		m := &lifecycle{path: filepath.Join(dir, "j"), clock: timesynctest.NewClock(t0), k: k, model: map[string]register.State{}}
		m.reg, _, err = register.OpenRegister(m.path, m.clock, k.ring, k.alice, []string{"alice"})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { m.reg.Close() }()
		t.Repeat(rapid.StateMachineActions(m))
		if _, err := register.Verify(m.path); err != nil {
			t.Fatal(err)
		}
	})
}

func TestIllegalTransitionsAreRefused(t *testing.T) {
	k := newKeys(t)
	path := filepath.Join(t.TempDir(), "j")
	reg, _, err := register.OpenRegister(path, timesynctest.NewClock(t0), k.ring, k.alice, []string{"alice"})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	reg.Receive("c1", sampleRequisition(), "alice", goodClock)
	for _, ev := range []register.Event{register.Answer, register.Invoice, register.StartWork} {
		if _, err := reg.Apply("c1", ev, "alice", goodClock, ""); !errors.Is(err, register.ErrTransition) {
			t.Errorf("%s on an unacknowledged case: %v", ev, err)
		}
	}
	if _, err := reg.Apply("c1", register.Acknowledge, "mallory", goodClock, ""); !errors.Is(err, register.ErrActor) {
		t.Errorf("a non-member acted: %v", err)
	}
	if _, err := reg.Apply("nope", register.Acknowledge, "alice", goodClock, ""); !errors.Is(err, register.ErrUnknownCase) {
		t.Errorf("unknown case: %v", err)
	}
}

// Nothing sensitive reaches the journal file in clear, nor any error
// string.
func TestSecrecy(t *testing.T) {
	k := newKeys(t)
	path := filepath.Join(t.TempDir(), "j")
	reg, _, _ := register.OpenRegister(path, timesynctest.NewClock(t0), k.ring, k.alice, []string{"alice"})
	reg.Receive("c1", sampleRequisition(), "alice", goodClock)
	var errs []error
	for _, ev := range []register.Event{register.Answer, register.Acknowledge, register.Acknowledge, register.Invoice} {
		_, err := reg.Apply("c1", ev, "alice", goodClock, "")
		errs = append(errs, err)
	}
	_, err := reg.Receive("c1", sampleRequisition(), "alice", goodClock)
	errs = append(errs, err)
	reg.Close()
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{"2001:db8::1", "BR.12.34.567890/26", "procureur"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the journal shows %q in clear", secret)
		}
		for _, e := range errs {
			if e != nil && bytes.Contains([]byte(e.Error()), []byte(secret)) {
				t.Errorf("an error shows %q: %v", secret, e)
			}
		}
	}
}

func TestDueWithin(t *testing.T) {
	k := newKeys(t)
	reg, _, _ := register.OpenRegister(filepath.Join(t.TempDir(), "j"), timesynctest.NewClock(t0), k.ring, k.alice, []string{"alice"})
	defer reg.Close()
	reg.Receive("stated", sampleRequisition(), "alice", goodClock)
	rt := sampleRequisition()
	rt.Response = requisition.ResponsePolicy{Kind: requisition.RealTime}
	reg.Receive("realtime", rt, "alice", goodClock)
	due := func(s string) time.Time { ts, _ := timesync.ParseBrussels(s, timesync.Strict); return ts.Time() }
	got := reg.DueWithin(due("2026-11-24 08:00"), 4*time.Hour)
	if len(got) != 2 || got[0].Overdue || got[1].Overdue {
		t.Fatalf("%+v", got)
	}
	got = reg.DueWithin(due("2026-11-24 11:00"), time.Hour)
	if len(got) != 2 || !got[0].Overdue || got[0].Case != "stated" {
		t.Fatalf("%+v", got)
	}
	reg.Apply("stated", register.Acknowledge, "alice", goodClock, "")
	reg.Apply("stated", register.Cancel, "alice", goodClock, "withdrawn")
	if got := reg.DueWithin(due("2026-11-24 11:00"), time.Hour); len(got) != 1 || got[0].Case != "realtime" {
		t.Fatalf("a cancelled case is still due: %+v", got)
	}
}
