package tasking_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/tasking"
	"github.com/ccjkit/ccjkit/timesync"
)

var journalID = [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}

func bxl(s string) time.Time { return timesync.MustParseBrussels(s, timesync.Strict).Time() }

func TestXIDFor(t *testing.T) {
	a := tasking.XIDFor(journalID, "2026-0042")
	if got, want := a.String(), tasking.XIDFor(journalID, "2026-0042").String(); got != want {
		t.Fatal("not deterministic")
	}
	if a[6]>>4 != 8 || a[8]>>6 != 2 {
		t.Fatalf("%s is not an RFC 9562 version 8 UUID", a)
	}
	if _, err := x1.ParseUUID(a.String()); err != nil {
		t.Fatalf("X1 refuses it: %v", err)
	}
	other := journalID
	other[0] = 9
	for name, b := range map[string]x1.UUID{
		"another case":     tasking.XIDFor(journalID, "2026-0043"),
		"another register": tasking.XIDFor(other, "2026-0042"),
	} {
		if b == a {
			t.Errorf("%s: the same XID", name)
		}
	}
}

func TestTargets(t *testing.T) {
	tests := []struct {
		name   string
		in     []requisition.Target
		want   []intercept.Target
		fields []string // the problems' fields, when refused
	}{
		{"an IPv4 address", []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("198.51.100.7")}},
			[]intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("198.51.100.7/32"))}, nil},
		{"an IPv4-mapped address is IPv4", []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("::ffff:198.51.100.7")}},
			[]intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("198.51.100.7/32"))}, nil},
		{"an IPv6 address and a prefix", []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("2001:db8::1a2f")},
			{Kind: requisition.TargetPrefix, Prefix: netip.MustParsePrefix("2001:db8:5::/48")}},
			[]intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("2001:db8::1a2f/128")), intercept.AddressTarget(netip.MustParsePrefix("2001:db8:5::/48"))}, nil},
		{"a username", []requisition.Target{{Kind: requisition.TargetUsername, Value: "client-0421@isp.example"}},
			[]intercept.Target{intercept.UsernameTarget("client-0421@isp.example")}, nil},
		{"a telephone number and a subscriber are refused, each", []requisition.Target{{Kind: requisition.TargetUsername, Value: "u"},
			{Kind: requisition.TargetPhone, Value: "+32470123456"}, {Kind: requisition.TargetSubscriber, Value: "C-0421"}}, nil,
			[]string{"targets[1]", "targets[2]"}},
		{"no target", nil, nil, []string{"targets"}},
		{"an address and a port: a subscriber behind a shared address", []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("198.51.100.7"), Port: 40001}}, nil,
			[]string{"targets[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tasking.Targets(tt.in)
			if tt.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
					t.Fatalf("(-want +got):\n%s", d)
				}
				return
			}
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, tasking.ErrTarget) {
				t.Fatalf("error %v", err)
			}
			var fields []string
			for _, f := range ps.Errors() {
				fields = append(fields, f.Field)
			}
			if d := cmp.Diff(tt.fields, fields); d != "" {
				t.Fatalf("fields (-want +got):\n%s", d)
			}
			for _, v := range []string{"+32470123456", "C-0421"} {
				if strings.Contains(err.Error(), v) {
					t.Fatalf("the error quotes a target: %v", err)
				}
			}
		})
	}
}

// interception returns a case of an interception order on target, in
// state s, valid until the Brussels time until ("" for none).
func interception(id string, s register.State, until string, targets ...requisition.Target) register.Case {
	r := requisition.Requisition{Measure: requisition.Interception, Targets: targets}
	if until != "" {
		r.ValidUntil = timesync.FromTime(bxl(until))
	}
	return register.Case{ID: id, State: s, Requisition: r}
}

var ip = requisition.Target{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("198.51.100.7")}

func start(c, liid, at string) tasking.Decision {
	return tasking.Decision{Case: c, Action: tasking.Start, LIID: liid, By: "alice", At: bxl(at)}
}

func TestDesired(t *testing.T) {
	now := bxl("2026-12-06 10:00:00")
	cases := []register.Case{
		interception("2026-0001", register.Lawful, "2026-12-31 23:59:59", ip),
		interception("2026-0002", register.InProgress, "2026-12-20 00:00:00", ip),
		interception("2026-0003", register.Lawful, "2026-12-06 10:00:00", ip), // ends now
		interception("2026-0004", register.Contested, "2026-12-31 00:00:00", ip),
		interception("2026-0005", register.Lawful, "", ip),
		interception("2026-0006", register.Lawful, "2026-12-31 00:00:00", requisition.Target{Kind: requisition.TargetPhone, Value: "+32470123456"}),
		{ID: "2026-0007", State: register.Lawful, Requisition: requisition.Requisition{Measure: requisition.Identification}},
		interception("2026-0008", register.Closed, "2026-12-31 00:00:00", ip),
		interception("2026-0009", register.Lawful, "2026-12-31 00:00:00", ip), // never decided
	}
	decisions := []tasking.Decision{
		start("2026-0001", "LIID-A", "2026-12-05 09:00:00"),
		{Case: "2026-0001", Action: tasking.Start, LIID: "LIID-A", Delivery: "cc", Modifies: true, By: "bob", At: bxl("2026-12-06 08:00:00")}, // modified: same start
		start("2026-0002", "LIID-B", "2026-12-05 09:00:00"),
		{Case: "2026-0002", Action: tasking.Stop, By: "bob", At: bxl("2026-12-05 11:00:00")},
		start("2026-0002", "LIID-B2", "2026-12-05 12:00:00"), // started again: the latest counts
		start("2026-0003", "LIID-C", "2026-12-05 09:00:00"),
		start("2026-0004", "LIID-D", "2026-12-05 09:00:00"),
		start("2026-0005", "LIID-E", "2026-12-05 09:00:00"),
		start("2026-0006", "LIID-F", "2026-12-05 09:00:00"),
		start("2026-0007", "LIID-G", "2026-12-05 09:00:00"),
		start("2026-0008", "LIID-H", "2026-12-05 09:00:00"),
	}
	got, findings := tasking.Desired(journalID, cases, decisions, now)
	var ids, liids []string
	for _, o := range got {
		ids, liids = append(ids, o.Case), append(liids, o.LIID.String())
		want := intercept.IRIAndCC
		if o.Case == "2026-0001" {
			want = intercept.CCOnly
		}
		if o.XID != tasking.XIDFor(journalID, o.Case) || o.Delivery != want || len(o.Targets) != 1 {
			t.Errorf("order %+v", o)
		}
	}
	if d := cmp.Diff([]string{"2026-0001", "2026-0002"}, ids); d != "" {
		t.Fatalf("orders (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"LIID-A", "LIID-B2"}, liids); d != "" {
		t.Fatalf("LIIDs (-want +got):\n%s", d)
	}
	if !got[1].Start.Equal(bxl("2026-12-05 12:00:00")) || !got[1].End.Equal(bxl("2026-12-20 00:00:00")) {
		t.Fatalf("window %v – %v", got[1].Start, got[1].End)
	}
	// A modification changes the task, not when it began; a start after
	// a stop begins anew.
	if !got[0].Start.Equal(bxl("2026-12-05 09:00:00")) {
		t.Fatalf("the modified task starts at %v, want its first start", got[0].Start)
	}
	var flagged []string
	for _, f := range findings {
		flagged = append(flagged, f.Field)
		if f.Severity != provenance.Warning || strings.Contains(f.Text(english()), "+32470123456") {
			t.Errorf("finding %v", f)
		}
	}
	if d := cmp.Diff([]string{"2026-0004", "2026-0005", "2026-0006", "2026-0007", "2026-0008"}, flagged); d != "" {
		t.Fatalf("findings (-want +got):\n%s", d)
	}
}

func TestDecisionCheck(t *testing.T) {
	tests := []struct {
		name string
		d    tasking.Decision
		ok   bool
	}{
		{"a start", tasking.Decision{Case: "2026-0001", Action: tasking.Start, LIID: "LIID-A"}, true},
		{"a start delivering IRI only", tasking.Decision{Case: "2026-0001", Action: tasking.Start, LIID: "LIID-A", Delivery: "iri"}, true},
		{"a stop", tasking.Decision{Case: "2026-0001", Action: tasking.Stop}, true},
		{"a stop marked as a modification", tasking.Decision{Case: "2026-0001", Action: tasking.Stop, Modifies: true}, false},
		{"no case", tasking.Decision{Action: tasking.Stop}, false},
		{"no LIID", tasking.Decision{Case: "2026-0001", Action: tasking.Start}, false},
		{"an LIID too long", tasking.Decision{Case: "2026-0001", Action: tasking.Start, LIID: strings.Repeat("L", 26)}, false},
		{"an unknown delivery", tasking.Decision{Case: "2026-0001", Action: tasking.Start, LIID: "L", Delivery: "all"}, false},
		{"a stop with an LIID", tasking.Decision{Case: "2026-0001", Action: tasking.Stop, LIID: "L"}, false},
		{"an unknown action", tasking.Decision{Case: "2026-0001", Action: "pause"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Check()
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, tasking.ErrDecision)) {
				t.Fatalf("Check: %v", err)
			}
		})
	}
}

// Reconciling an NE over X1 (mutual TLS): the desired orders are
// activated once, a changed order is modified, an order no longer desired
// is deactivated, another ADMF's task is left alone, and a second pass
// does nothing.
func TestReconcile(t *testing.T) {
	mem, client := startNE(t, "router-1")
	ctx := context.Background()
	now := bxl("2026-12-06 10:00:00")
	cases := []register.Case{
		interception("2026-0001", register.Lawful, "2026-12-31 23:59:59", ip),
		interception("2026-0002", register.Lawful, "2026-12-31 23:59:59", ip),
	}
	foreign := x1.MustParseUUID("0b1e5b7e-1111-4222-8333-444455556666")
	if err := mem.ActivateTask(ctx, x1.TaskDetails{XID: foreign, Targets: []intercept.Target{intercept.UsernameTarget("x")}, Delivery: intercept.IRIOnly,
		Mediation: []x1.MediationDetails{{LIID: intercept.MustParseLIID("OTHER"), Delivery: intercept.IRIOnly}}}); err != nil {
		t.Fatal(err)
	}
	steps := func(as []tasking.Action) []string {
		var out []string
		for _, a := range as {
			if a.Error != "" {
				t.Fatalf("%s %s: %s", a.Step, a.Case, a.Error)
			}
			out = append(out, string(a.Step)+" "+a.Case)
		}
		return out
	}
	ours := tasking.Ours(journalID, cases)
	pass := func(decisions ...tasking.Decision) []string {
		t.Helper()
		desired, _ := tasking.Desired(journalID, cases, decisions, now)
		return steps(tasking.Reconcile(ctx, client, "router-1", desired, ours, nil, now))
	}
	both := []tasking.Decision{start("2026-0001", "LIID-A", "2026-12-05 09:00:00"), start("2026-0002", "LIID-B", "2026-12-05 09:00:00")}
	if d := cmp.Diff([]string{"activated 2026-0001", "activated 2026-0002"}, pass(both...)); d != "" {
		t.Fatalf("first pass (-want +got):\n%s", d)
	}
	if got := pass(both...); len(got) != 0 {
		t.Fatalf("a second pass did %v", got)
	}
	held, err := mem.GetTaskDetails(ctx, tasking.XIDFor(journalID, "2026-0001"))
	if err != nil || held.Task.Mediation[0].LIID.String() != "LIID-A" || !held.Task.Mediation[0].End.Equal(bxl("2026-12-31 23:59:59")) {
		t.Fatalf("the NE holds %+v, %v", held, err)
	}
	// The order is extended; the second case is stopped.
	cases[0].Requisition.ValidUntil = timesync.FromTime(bxl("2027-01-15 00:00:00"))
	changed := append(both, tasking.Decision{Case: "2026-0002", Action: tasking.Stop, By: "bob", At: bxl("2026-12-06 09:00:00")})
	if d := cmp.Diff([]string{"modified 2026-0001", "deactivated "}, pass(changed...)); d != "" {
		t.Fatalf("after the change (-want +got):\n%s", d)
	}
	xids, _, _ := mem.ListAllDetails(ctx)
	if len(xids) != 2 {
		t.Fatalf("the NE holds %d tasks, want ours and the other ADMF's", len(xids))
	}
	// Started again under another LIID: the NE's task is ended and
	// activated anew (a mediation function refuses an LIID changed by
	// ModifyTask), one step.
	changed = append(changed, start("2026-0001", "LIID-A2", "2026-12-06 09:30:00"))
	if d := cmp.Diff([]string{"modified 2026-0001"}, pass(changed...)); d != "" {
		t.Fatalf("after the new LIID (-want +got):\n%s", d)
	}
	if held, err := mem.GetTaskDetails(ctx, tasking.XIDFor(journalID, "2026-0001")); err != nil || held.Task.Mediation[0].LIID.String() != "LIID-A2" {
		t.Fatalf("the NE holds %+v, %v", held, err)
	}
	// The order's end comes: its task is deactivated by itself.
	now = bxl("2027-01-15 00:00:00")
	if d := cmp.Diff([]string{"deactivated "}, pass(changed...)); d != "" {
		t.Fatalf("at the order's end (-want +got):\n%s", d)
	}
	if xids, _, _ := mem.ListAllDetails(ctx); len(xids) != 1 || xids[0] != foreign {
		t.Fatalf("the NE holds %v, want only the other ADMF's task", xids)
	}
}

// An NE that cannot be reached: one action, its failure, nothing else.
func TestReconcileUnreachable(t *testing.T) {
	_, client := startNE(t, "router-2")
	client.Close()
	acts := tasking.Reconcile(context.Background(), unreachable{}, "router-2", nil, nil, nil, bxl("2026-12-06 10:00:00"))
	if len(acts) != 1 || acts[0].Step != tasking.Listed || acts[0].Error == "" {
		t.Fatalf("%+v", acts)
	}
}

type unreachable struct{ tasking.NE }

func (unreachable) ListAllDetails(context.Context) ([]x1.UUID, []x1.UUID, error) {
	return nil, nil, errors.New("dial tcp: connection refused")
}

// An address is the target's only in the window the order gives it: the
// task starts and ends with it, within the order's validity.
func TestDesiredTargetWindow(t *testing.T) {
	target := ip
	target.From = timesync.FromTime(bxl("2026-12-07 00:00:00"))
	target.Until = timesync.FromTime(bxl("2026-12-10 00:00:00"))
	cases := []register.Case{interception("2026-0001", register.Lawful, "2026-12-31 23:59:59", target)}
	decisions := []tasking.Decision{start("2026-0001", "LIID-A", "2026-12-06 09:00:00")}
	for _, tt := range []struct {
		name, now string
		active    bool
	}{
		{"before the target's window", "2026-12-06 23:59:59", false},
		{"at its start", "2026-12-07 00:00:00", true},
		{"the last second", "2026-12-09 23:59:59", true},
		{"at its end, before the order's", "2026-12-10 00:00:00", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, findings := tasking.Desired(journalID, cases, decisions, bxl(tt.now))
			if len(findings) != 0 || (len(got) == 1) != tt.active {
				t.Fatalf("orders %+v, findings %v", got, findings)
			}
			if tt.active && (!got[0].Start.Equal(bxl("2026-12-07 00:00:00")) || !got[0].End.Equal(bxl("2026-12-10 00:00:00"))) {
				t.Fatalf("window %v – %v", got[0].Start, got[0].End)
			}
		})
	}
	// A window outside the order's validity is said.
	target.Until = timesync.FromTime(bxl("2026-12-06 08:00:00"))
	target.From = timesync.FromTime(bxl("2026-12-01 00:00:00"))
	cases[0].Requisition.Targets = []requisition.Target{target}
	if got, findings := tasking.Desired(journalID, cases, decisions, bxl("2026-12-06 10:00:00")); len(got) != 0 || len(findings) != 1 {
		t.Fatalf("orders %+v, findings %v", got, findings)
	}
}

// A task's destinations are part of it: a change reaches the NE; and
// Deactivate removes what must end without giving anything.
func TestReconcileDestinationsAndDeactivate(t *testing.T) {
	mem, client := startNE(t, "router-3")
	ctx := context.Background()
	now := bxl("2026-12-06 10:00:00")
	old, nw := x1.MustParseUUID("11111111-1111-4111-8111-111111111111"), x1.MustParseUUID("22222222-2222-4222-8222-222222222222")
	for _, did := range []x1.UUID{old, nw} {
		if err := mem.CreateDestination(ctx, x1.DestinationDetails{DID: did, Delivery: intercept.IRIAndCC, Address: netip.MustParseAddrPort("192.0.2.10:9000")}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []register.Case{interception("2026-0001", register.Lawful, "2026-12-31 23:59:59", ip)}
	ours := tasking.Ours(journalID, cases)
	desired, _ := tasking.Desired(journalID, cases, []tasking.Decision{start("2026-0001", "LIID-A", "2026-12-05 09:00:00")}, now)
	if acts := tasking.Reconcile(ctx, client, "router-3", desired, ours, []x1.UUID{old}, now); len(acts) != 1 || acts[0].Step != tasking.Activated {
		t.Fatalf("%+v", acts)
	}
	acts := tasking.Reconcile(ctx, client, "router-3", desired, ours, []x1.UUID{nw}, now)
	if len(acts) != 1 || acts[0].Step != tasking.Modified || acts[0].Error != "" {
		t.Fatalf("a change of destination: %+v", acts)
	}
	if held, _ := mem.GetTaskDetails(ctx, desired[0].XID); len(held.Task.DIDs) != 1 || held.Task.DIDs[0] != nw {
		t.Fatalf("the NE's task delivers to %v", held.Task.DIDs)
	}
	// Deactivate with the order still desired does nothing; without it,
	// removes the task.
	if acts := tasking.Deactivate(ctx, client, "router-3", desired, ours, now); len(acts) != 0 {
		t.Fatalf("%+v", acts)
	}
	if acts := tasking.Deactivate(ctx, client, "router-3", nil, ours, now); len(acts) != 1 || acts[0].Step != tasking.Deactivated || acts[0].Error != "" {
		t.Fatalf("%+v", acts)
	}
}
