package register_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A lookup under a work order is recorded, sealed and signed, and read
// back after a reopening; it is refused for an unknown order, an order
// with a result, a case no longer in progress, another actor, and
// without who asked or when.
func TestRecordLookup(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
	reg, path := openReg(t, k, clock)
	lawfulCase(t, reg, "c1", sampleRequisition())
	wo, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AuthorizeLookup("wo-aaaaaaaaaaaaaaaaaaaaaaaa"); !errors.Is(err, register.ErrUnknownRef) {
		t.Errorf("an unknown order authorised: %v", err)
	}
	got, err := reg.AuthorizeLookup(wo.Ref)
	if err != nil || got.Ref != wo.Ref || len(got.Lookups) != len(wo.Lookups) {
		t.Fatalf("authorise: %+v %v", got, err)
	}
	asked := at("2026-11-20 21:47")
	l := register.LookupRecord{Ref: wo.Ref, By: "tech-1", Asked: asked, Candidates: 2, Ambiguous: true}
	for _, tc := range []struct {
		name  string
		l     register.LookupRecord
		actor string
		want  error
	}{
		{"unknown order", register.LookupRecord{Ref: "wo-aaaaaaaaaaaaaaaaaaaaaaaa", By: "tech-1", Asked: asked}, "alice", register.ErrUnknownRef},
		{"nobody asked", register.LookupRecord{Ref: wo.Ref, Asked: asked}, "alice", register.ErrInput},
		{"no instant", register.LookupRecord{Ref: wo.Ref, By: "tech-1"}, "alice", register.ErrInput},
		{"another actor", l, "bob", register.ErrActor},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := reg.RecordLookup(tc.l, tc.actor); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	rec, err := reg.RecordLookup(l, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Actor != "alice" || rec.At != timesync.Now(clock) || rec.Candidates != 2 || !rec.Ambiguous || rec.Seq == 0 {
		t.Errorf("recorded: %+v", rec)
	}
	reg.Close()
	reg, _, err = register.Open(path, k.config(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	if ls := reg.Lookups(); len(ls) != 1 || ls[0] != rec {
		t.Errorf("after reopening: %+v", ls)
	}
	clock.Advance(time.Minute)
	if _, err := reg.AttachResult(result(wo.Ref, timesync.Now(clock)), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AuthorizeLookup(wo.Ref); !errors.Is(err, register.ErrTransition) {
		t.Errorf("an order with a result authorised: %v", err)
	}
	if _, err := reg.RecordLookup(l, "alice"); !errors.Is(err, register.ErrTransition) {
		t.Errorf("a lookup after the result: %v", err)
	}
}
