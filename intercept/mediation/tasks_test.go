package mediation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestTable(t *testing.T) {
	clock := timesynctest.NewClock(t0.Add(-2 * time.Hour))
	tab := mediation.NewTable(clock)
	task := sampleTask(xidA, "LIID-A", intercept.IRIAndCC)
	if _, st := tab.Lookup(xidA); st != mediation.Unknown {
		t.Fatalf("status %v before activation", st)
	}
	if err := tab.Activate(task); err != nil {
		t.Fatal(err)
	}
	check := func(want mediation.Status) {
		t.Helper()
		got, st := tab.Lookup(xidA)
		if st != want || got.LIID != task.LIID {
			t.Fatalf("at %v: status %v, want %v", clock.Now(), st, want)
		}
	}
	check(mediation.Pending)
	clock.Set(task.NotBefore)
	check(mediation.Active)

	bad := task
	bad.Targets = nil
	for name, err := range map[string]error{
		"an invalid task":           tab.Activate(bad),
		"the same XID again":        tab.Activate(task),
		"the same LIID, other XID":  tab.Activate(sampleTask(xidB, "LIID-A", intercept.CCOnly)),
		"a modification's new LIID": tab.Modify(sampleTask(xidA, "LIID-Z", intercept.CCOnly)),
		"a modification of nothing": tab.Modify(sampleTask(xidB, "LIID-B", intercept.CCOnly)),
		"a deactivation of nothing": tab.Deactivate(xidB),
	} {
		if !errors.Is(err, mediation.ErrTask) {
			t.Errorf("%s: %v, want ErrTask", name, err)
		}
	}
	// Modification: the window is extended and the delivery narrowed.
	mod := task
	mod.NotAfter, mod.Delivery = task.NotAfter.Add(time.Hour), intercept.IRIOnly
	if err := tab.Modify(mod); err != nil {
		t.Fatal(err)
	}
	clock.Set(task.NotAfter)
	check(mediation.Active)
	if got, _ := tab.Lookup(xidA); got.Delivery != intercept.IRIOnly {
		t.Errorf("the modification did not take")
	}
	// Past its end, the task is ended though nobody deactivated it.
	clock.Set(mod.NotAfter)
	check(mediation.Ended)
	// Its LIID is free again, and its XID may be activated anew.
	clock.Set(t0)
	if err := tab.Deactivate(xidA); err != nil {
		t.Fatal(err)
	}
	check(mediation.Ended)
	if err := tab.Deactivate(xidA); !errors.Is(err, mediation.ErrTask) {
		t.Errorf("a second deactivation: %v", err)
	}
	if err := tab.Activate(sampleTask(xidB, "LIID-A", intercept.CCOnly)); err != nil {
		t.Errorf("the LIID of a deactivated task: %v", err)
	}
	if err := tab.Activate(sampleTask(xidA, "LIID-Y", intercept.CCOnly)); err != nil {
		t.Errorf("the XID of a deactivated task: %v", err)
	}
}

func TestStatusAndReasonNames(t *testing.T) {
	for s, want := range map[mediation.Status]string{mediation.Unknown: "unknown", mediation.Pending: "pending",
		mediation.Active: "active", mediation.Ended: "ended"} {
		if s.String() != want {
			t.Errorf("%d: %q", s, s.String())
		}
	}
	seen := map[string]bool{}
	for _, r := range mediation.Reasons() {
		if seen[r.String()] || r.String() == "" {
			t.Errorf("reason %d: name %q repeated or empty", r, r)
		}
		seen[r.String()] = true
	}
}
