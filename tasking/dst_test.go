package tasking_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/tasking"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// An order whose validity ends at 02:30 on the night Belgium leaves summer
// time (25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 happens
// twice) ends at the second 02:30, CET — 01:30 UTC. The ADMF, run on a
// fake clock against an X1 NE over mutual TLS, keeps the task through the
// first 02:30 (CEST, an hour earlier) and the repeated hour, and
// deactivates it at the second.
func TestDeactivationAcrossOctoberChange(t *testing.T) {
	ca := tlstest.NewCA(t, "ccjkit test CA")
	mem := x1.NewMemory()
	stls, err := x1.ServerTLS(ca.Server(t, "vpn-1.ne.test"), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(&x1.Server{NE: mem, Identifier: "vpn-1", ADMF: "cell-admf"})
	srv.TLS = stls
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ctls, err := x1.ClientTLS(ca.Client(t, "cell-admf"), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	clock := timesynctest.NewClock(bxl("2026-10-24 18:00:00"))
	client, err := x1.NewClient(srv.URL, ctls, "cell-admf", "vpn-1", clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)

	end := timesync.MustParseBrussels("2026-10-25 02:30:00 CET", timesync.Strict).Time()
	if want := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC); !end.Equal(want) {
		t.Fatalf("02:30 CET is %v, want %v", end, want)
	}
	c := interception("2026-0100", register.Lawful, "", ip)
	c.Requisition.ValidUntil = timesync.FromTime(end)
	cases := []register.Case{c}
	decisions := []tasking.Decision{start("2026-0100", "LIID-DST", "2026-10-24 17:00:00")}
	ours := tasking.Ours(journalID, cases)
	xid := tasking.XIDFor(journalID, "2026-0100")

	// pass is one pass of the watch at the clock's time: what it did, and
	// whether the NE holds the task afterwards.
	pass := func() (steps []tasking.Step, held bool) {
		t.Helper()
		now := clock.Now()
		desired, findings := tasking.Desired(journalID, cases, decisions, now)
		if len(findings) != 0 {
			t.Fatalf("findings at %v: %v", now, findings)
		}
		for _, a := range tasking.Reconcile(context.Background(), client, "vpn-1", desired, ours, nil, now) {
			if a.Error != "" {
				t.Fatalf("%s at %v: %s", a.Step, now, a.Error)
			}
			steps = append(steps, a.Step)
		}
		_, err := mem.GetTaskDetails(context.Background(), xid)
		return steps, err == nil
	}

	steps, held := pass()
	if len(steps) != 1 || steps[0] != tasking.Activated || !held {
		t.Fatalf("first pass: %v, held %v", steps, held)
	}
	got, err := mem.GetTaskDetails(context.Background(), xid)
	if err != nil || !got.Task.Mediation[0].End.Equal(end) {
		t.Fatalf("the NE holds %+v, %v; want the end %v", got, err, end)
	}

	for _, tt := range []struct {
		at     string // Brussels, with its offset: the ambiguous hour named
		active bool
	}{
		{"2026-10-25 02:00:00 CEST", true},
		{"2026-10-25 02:29:59 CEST", true},
		{"2026-10-25 02:30:00 CEST", true}, // the first 02:30: the order is still in force
		{"2026-10-25 02:59:59 CEST", true},
		{"2026-10-25 02:00:00 CET", true}, // the clocks go back
		{"2026-10-25 02:29:59 CET", true},
		{"2026-10-25 02:30:00 CET", false}, // the second 02:30: the end
		{"2026-10-25 03:00:00 CET", false},
	} {
		clock.Set(timesync.MustParseBrussels(tt.at, timesync.Strict).Time())
		steps, held := pass()
		switch {
		case tt.active && (len(steps) != 0 || !held):
			t.Errorf("%s: %v, held %v; want the task kept untouched", tt.at, steps, held)
		case !tt.active && held:
			t.Errorf("%s: %v; the NE still holds the task", tt.at, steps)
		}
		if tt.at == "2026-10-25 02:30:00 CET" && (len(steps) != 1 || steps[0] != tasking.Deactivated) {
			t.Errorf("at the end: %v, want one deactivation", steps)
		}
		if tt.at == "2026-10-25 03:00:00 CET" && len(steps) != 0 {
			t.Errorf("after the end: %v, want nothing more", steps)
		}
	}
}
