package register_test

import (
	"errors"
	"net/netip"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The work order's type may only ever hold what a technician strictly
// needs (brochure §3.16). Adding a field to it, to Lookup or to
// requisition.Target — say the case ID or the authority — fails here
// until this list is changed on purpose, with a reason.
func TestWorkOrderFieldsAreExactlyTheAllowedList(t *testing.T) {
	allowed := map[reflect.Type][]string{
		reflect.TypeFor[register.WorkOrder](): {"Ref", "Issued", "Due", "Lookups"},
		reflect.TypeFor[register.Lookup]():    {"Items", "Target"},
		reflect.TypeFor[requisition.Target](): {"Kind", "Addr", "Port", "Prefix", "Value", "From", "Until"},
	}
	// Leaf types a work order may reach; none of them can hold a case.
	leaves := []reflect.Type{
		reflect.TypeFor[register.Ref](), reflect.TypeFor[timesync.Timestamp](), reflect.TypeFor[requisition.Item](),
		reflect.TypeFor[requisition.TargetKind](), reflect.TypeFor[netip.Addr](), reflect.TypeFor[netip.Prefix](),
		reflect.TypeFor[uint16](), reflect.TypeFor[string](),
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		if typ.Kind() == reflect.Slice {
			walk(typ.Elem(), path+"[]")
			return
		}
		if slices.Contains(leaves, typ) {
			return
		}
		want, ok := allowed[typ]
		if !ok {
			t.Errorf("%s: type %v is not allowed in a work order", path, typ)
			return
		}
		if seen[typ] {
			return
		}
		seen[typ] = true
		var got []string
		for f := range typ.Fields() {
			got = append(got, f.Name)
			walk(f.Type, path+"."+f.Name)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("fields of %v changed (-allowed +now):\n%s", typ, diff)
		}
	}
	walk(reflect.TypeFor[register.WorkOrder](), "WorkOrder")
}

func lawfulCase(t *testing.T, reg *register.Register, id string, req requisition.Requisition) {
	t.Helper()
	if _, err := reg.Receive(id, req, "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful} {
		if _, err := reg.Apply(id, ev, "alice", goodClock, ""); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIssueWorkOrder(t *testing.T) {
	clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	req := sampleRequisition()
	other := req.Targets[0]
	other.Addr = netip.MustParseAddr("2001:db8::2")
	rt := sampleRequisition()
	rt.Response = requisition.ResponsePolicy{Kind: requisition.Immediately}
	lawfulCase(t, reg, "c1", req)
	lawfulCase(t, reg, "c2", req)
	lawfulCase(t, reg, "rt", rt)

	for _, tc := range []struct {
		name    string
		id      string
		lookups []register.Lookup
		due     time.Time
	}{
		{"a target the order does not name", "c1", []register.Lookup{{Items: req.Items, Target: other}}, time.Time{}},
		{"an item the order does not ask", "c1", []register.Lookup{{Items: []requisition.Item{requisition.ItemTrafficRecords}, Target: req.Targets[0]}}, time.Time{}},
		{"no item", "c1", []register.Lookup{{Target: req.Targets[0]}}, time.Time{}},
		{"no lookup", "c1", []register.Lookup{}, time.Time{}},
		{"due already past", "c1", nil, at("2026-11-23 10:00").Time()},
		{"no fixed deadline and no due time", "rt", nil, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := reg.IssueWorkOrder(tc.id, tc.lookups, tc.due, "alice", goodClock); !errors.Is(err, register.ErrInput) {
				t.Errorf("accepted: %v", err)
			}
		})
	}

	wo1, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	want := register.WorkOrder{Ref: wo1.Ref, Issued: at("2026-11-23 10:30"), Due: at("2026-11-24 10:00"),
		Lookups: []register.Lookup{{Items: req.Items, Target: req.Targets[0]}}}
	if diff := cmp.Diff(want, wo1, cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}, timesync.Timestamp{})); diff != "" {
		t.Errorf("work order (-want +got):\n%s", diff)
	}
	wo2, _ := reg.IssueWorkOrder("c1", []register.Lookup{{Items: req.Items[:1], Target: req.Targets[0]}}, at("2026-11-23 18:00").Time(), "alice", goodClock)
	wo3, _ := reg.IssueWorkOrder("c2", nil, time.Time{}, "alice", goodClock)
	wo4, err := reg.IssueWorkOrder("rt", nil, at("2026-11-23 11:00").Time(), "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	refs := []register.Ref{wo1.Ref, wo2.Ref, wo3.Ref, wo4.Ref}
	for _, r := range refs {
		if !r.Valid() {
			t.Errorf("reference %q is malformed", r)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(refs)))) != len(refs) {
		t.Errorf("references repeat: %v", refs)
	}
	if c, _ := reg.Case("c1"); c.State != register.InProgress || len(c.WorkOrders) != 2 {
		t.Errorf("case after two work orders: %s, %d orders", c.State, len(c.WorkOrders))
	}
	if got, ok := reg.WorkOrderFor(wo2.Ref); !ok || got.Ref != wo2.Ref || got.Due != at("2026-11-23 18:00") {
		t.Errorf("WorkOrderFor: %+v %v", got, ok)
	}
}

// The same case ID in two registers (two cells, or one register
// recreated) gives unrelated references: they are keyed.
func TestRefsAreKeyed(t *testing.T) {
	var refs []register.Ref
	for range 2 {
		clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
		reg, _ := openReg(t, newKeys(t), clock)
		lawfulCase(t, reg, "c1", sampleRequisition())
		wo, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, wo.Ref)
	}
	if refs[0] == refs[1] {
		t.Fatal("two registers gave the same reference for the same case ID")
	}
}

func TestAttachResult(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
	reg, path := openReg(t, k, clock)
	lawfulCase(t, reg, "c1", sampleRequisition())
	wo, _ := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	old, _ := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	clock.Advance(time.Hour)
	now := timesync.Now(clock)

	for _, tc := range []struct {
		name string
		res  register.WorkResult
		want error
	}{
		{"unknown reference", result("wo-aaaaaaaaaaaaaaaaaaaaaaaa", now), register.ErrUnknownRef},
		{"malformed reference", result("case-1", now), register.ErrInput},
		{"completed before issued", result(wo.Ref, at("2026-11-23 10:00")), register.ErrInput},
		{"completed in the future", result(wo.Ref, now.Add(time.Minute)), register.ErrInput},
		{"found, without data", register.WorkResult{Ref: wo.Ref, By: "tech-1", Completed: now, Outcome: register.Found}, register.ErrInput},
		{"no technician", register.WorkResult{Ref: wo.Ref, Completed: now, Outcome: register.NothingHeld}, register.ErrInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := reg.AttachResult(tc.res, "alice", goodClock); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	c, err := reg.AttachResult(result(wo.Ref, now), "alice", goodClock)
	if err != nil || len(c.Results) != 1 || c.Results[0].Ref != wo.Ref {
		t.Fatalf("attach: %v, %+v", err, c.Results)
	}
	if _, err := reg.AttachResult(result(wo.Ref, now), "alice", goodClock); !errors.Is(err, register.ErrTransition) {
		t.Errorf("a second result for one work order: %v", err)
	}

	// After a key rotation and a reopening, old references still lead to
	// their case, and new ones are new.
	if err := reg.RotateWorkOrderKey(); err != nil {
		t.Fatal(err)
	}
	reg.Close()
	reg, _, err = register.Open(path, k.config(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	if _, err := reg.AttachResult(register.WorkResult{Ref: old.Ref, By: "tech-2", Completed: now, Outcome: register.NothingHeld}, "alice", goodClock); err != nil {
		t.Errorf("an order issued before the rotation: %v", err)
	}
	if _, err := reg.AttachResult(result(wo.Ref, now), "alice", goodClock); !errors.Is(err, register.ErrTransition) {
		t.Errorf("a second result after reopening: %v", err)
	}
	wo3, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	if err != nil || wo3.Ref == wo.Ref || wo3.Ref == old.Ref {
		t.Errorf("after rotation: %v %v", wo3.Ref, err)
	}
}

func TestDecodeWorkResult(t *testing.T) {
	ok := `{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"tech-1","completed":"2026-11-23T11:00:00+01:00","outcome":"found","data":"x"}`
	if _, err := register.DecodeWorkResult([]byte(ok)); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"unknown field":      `{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"t","completed":"2026-11-23T11:00:00+01:00","outcome":"found","data":"x","case":"c1"}`,
		"bad outcome":        `{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"t","completed":"2026-11-23T11:00:00+01:00","outcome":"maybe"}`,
		"upper-case ref":     `{"ref":"wo-7K3M2Q5XV4BND6FJ5HC6TW3R","by":"t","completed":"2026-11-23T11:00:00+01:00","outcome":"nothing-held"}`,
		"no completion time": `{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"t","outcome":"nothing-held"}`,
		"fractional second":  `{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"t","completed":"2026-11-23T11:00:00.5+01:00","outcome":"nothing-held"}`,
		"trailing data":      ok + `{}`,
	} {
		if _, err := register.DecodeWorkResult([]byte(in)); !errors.Is(err, register.ErrDecode) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Every language says the same work order, differently.
func TestWorkOrderTextLanguages(t *testing.T) {
	wo := register.WorkOrder{Ref: "wo-7k3m2q5xv4bnd6fj5hc6tw3r", Issued: at("2026-11-23 10:00"), Due: at("2026-11-24 10:00")}
	for _, tg := range sampleRequisition().Targets {
		wo.Lookups = append(wo.Lookups, register.Lookup{Items: []requisition.Item{requisition.ItemIdentity}, Target: tg})
	}
	for _, k := range []requisition.TargetKind{requisition.TargetPrefix, requisition.TargetPhone, requisition.TargetEmail, requisition.TargetUsername,
		requisition.TargetIMEI, requisition.TargetIMSI, requisition.TargetMAC, requisition.TargetSubscriber} {
		tg := requisition.Target{Kind: k, Value: "v", From: at("2026-11-01 00:00")}
		if k == requisition.TargetPrefix {
			tg = requisition.Target{Kind: k, Prefix: netip.MustParsePrefix("2001:db8::/48"), From: at("2026-11-01 00:00"), Until: at("2026-11-02 00:00")}
		}
		wo.Lookups = append(wo.Lookups, register.Lookup{Items: []requisition.Item{requisition.ItemIdentity}, Target: tg})
	}
	assertTranslated(t, func(tag language.Tag) string { return wo.Text(tag) })
}
