package register_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A watch reads the whole register and writes submissions; it acts on no
// case, changes nothing of the roster, and its forged roster records are
// named by the audit. Removing it starts a new epoch.
func TestWatchRole(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	watch, err := register.NewIdentity("watch", register.RoleWatch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AddMember(watch.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	c, err := reg.ReceiveNext(sampleRequisition(), "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	w, _, err := register.Open(path, register.Config{Clock: clock, Identity: watch})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got, ok := w.Case(c.ID); !ok || got.Requisition.Reference != c.Requisition.Reference {
		t.Fatal("the watch does not read the cases")
	}
	if _, err := register.Submit(path, watch, clock, "page", []byte("paged")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Apply(c.ID, register.Acknowledge, "watch", goodClock, ""); !errors.Is(err, register.ErrActor) {
		t.Fatalf("a watch acted on a case: %v", err)
	}
	bob := k.bob.Public()
	if _, err := w.AddMember(bob, goodClock); !errors.Is(err, register.ErrMember) {
		t.Fatalf("a watch added a member: %v", err)
	}
	if err := w.RemoveMember("alice", goodClock); !errors.Is(err, register.ErrMember) {
		t.Fatalf("a watch removed a member: %v", err)
	}
	if err := w.RotateWorkOrderKey(); !errors.Is(err, register.ErrMember) {
		t.Fatalf("a watch drew a work-order key: %v", err)
	}
	if err := w.Refresh(); err != nil {
		t.Fatal(err)
	}
	if subs := w.Submissions(); len(subs) != 1 || string(subs[0].Data) != "paged" || subs[0].By != "watch" {
		t.Fatal("the watch does not read its own submissions")
	}
	recs, _ := journal.ReadFile(path)
	if _, err := register.AuditRecords(recs); err != nil {
		t.Fatalf("refusals wrote something: %v", err)
	}

	// A roster record the watch signs anyway is named.
	mc, _ := json.Marshal(register.MemberChange{Op: "add", Identity: bob})
	appendAs(t, path, register.SigningKey(watch), register.MemberKind, mc)
	recs, _ = journal.ReadFile(path)
	a, err := register.AuditRecords(recs)
	if err == nil || len(a.Violations) != 1 || !strings.Contains(a.Violations[0].Reason, "a watch (watch) changed the roster") {
		t.Fatalf("a watch's roster record: %+v, %v", a.Violations, err)
	}
}

// Removing a watch starts a new epoch it cannot read.
func TestWatchRemoved(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	reg, path := openReg(t, k, clock)
	watch, _ := register.NewIdentity("watch", register.RoleWatch)
	if _, err := reg.AddMember(watch.Public(), goodClock); err != nil {
		t.Fatal(err)
	}
	if err := reg.RemoveMember("watch", goodClock); err != nil {
		t.Fatal(err)
	}
	c, err := reg.ReceiveNext(sampleRequisition(), "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	reg.Close()
	if _, _, err := register.Open(path, register.Config{Clock: clock, Identity: watch}); err == nil {
		t.Fatalf("a removed watch opened the register and could read case %s", c.ID)
	}
}
