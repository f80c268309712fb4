package paging_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk is what a program around the package does: it asks Next, waits
// (by moving the fake clock) until the actions are due, delivers each
// member's page with a code, and records what it did. Its only state
// worth keeping is events, as the register keeps them: a restart is a
// new desk given the same events.
type desk struct {
	policy paging.Policy
	cell   ccj.Cell
	intake paging.Intake
	clock  *timesynctest.Clock
	rec    *recorder
	events []paging.Event
	log    []string
}

func newDesk(t *testing.T, cell ccj.Cell, in paging.Intake, clock *timesynctest.Clock, events []paging.Event) *desk {
	return &desk{policy: paging.DefaultPolicy(), cell: cell, intake: in, clock: clock,
		rec: &recorder{clock: clock}, events: slices.Clone(events)}
}

// run carries out the plan's actions until nothing is due or the clock
// would pass stop (zero: no stop). It returns false when stopped.
func (d *desk) run(t *testing.T, stop time.Time) bool {
	t.Helper()
	disp := paging.Dispatcher{Clock: d.clock, Sleep: (&fakeSleep{clock: d.clock}).Sleep,
		Senders: map[ccj.ChannelKind]paging.Sender{ccj.Phone: d.rec, ccj.Email: d.rec, ccj.Matrix: d.rec, ccj.Ntfy: d.rec, ccj.Webhook: d.rec}}
	for {
		plan, err := paging.Next(d.policy, d.cell, d.intake, d.events)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Actions) == 0 {
			if !plan.Finished {
				t.Error("no action, and not finished")
			}
			return true
		}
		if !stop.IsZero() && plan.At.After(stop) {
			return false
		}
		if plan.At.After(d.clock.Now()) {
			d.clock.Set(plan.At) // waiting until the actions are due
		}
		now := d.clock.Now()
		for _, a := range plan.Actions {
			for _, m := range a.Members {
				page := a.Page(d.intake, d.policy)
				code, err := paging.NewCode(codeKey, m, d.intake.Case, now)
				if err != nil {
					t.Fatal(err)
				}
				page.Code = code
				contact, _ := d.cell.Contact(m)
				if _, err := disp.Deliver(context.Background(), contact, page); err != nil {
					t.Fatalf("deliver to %s: %v", m, err)
				}
			}
			d.log = append(d.log, fmt.Sprintf("%s %s %d%s %s %s", show(now), a.Kind, a.Step, pct(a.Percent), a.Who, strings.Join(a.Members, " ")))
			d.events = append(d.events, a.Done(now))
		}
	}
}

func pct(p int) string {
	if p == 0 {
		return ""
	}
	return fmt.Sprintf(" %d%%", p)
}

// TestEscalationNight pages through the night of the October change
// (Europe/Brussels, 2026-10-25: 03:00 CEST becomes 02:00 CET) with
// nobody acknowledging, and gives the exact sequence and times of pages.
// Delays are elapsed: five real minutes at night, while the wall clock
// goes back an hour. A restart in the middle — the desk thrown away and
// a new one given the recorded events — changes nothing; a restart after
// the program was down sends the overdue step at once and counts the
// next delays from when it was really paged.
func TestEscalationNight(t *testing.T) {
	received := at("2026-10-25 02:41:17 CEST") // the first 02:41:17
	intake := paging.Intake{Case: paging.MustParseCaseID("2026-0042"), Received: received, Class: paging.Urgent, Due: received.Add(4 * time.Hour)}
	night := []string{
		"2026-10-25 02:41:17 +02:00 new 0 primary alice",
		"2026-10-25 02:46:17 +02:00 escalation 1 backup bob",
		"2026-10-25 02:51:17 +02:00 escalation 2 escalation-list carol",
		"2026-10-25 02:56:17 +02:00 escalation 3 escalation-list dan",
		"2026-10-25 02:01:17 +01:00 escalation 4 everyone alice bob carol dan erin", // five elapsed minutes after 02:56:17 CEST
		"2026-10-25 03:41:17 +01:00 reminder 0 50% handler alice bob carol dan erin",
		"2026-10-25 04:53:17 +01:00 reminder 0 80% handler alice bob carol dan erin",
		"2026-10-25 05:29:17 +01:00 reminder 0 95% handler alice bob carol dan erin",
	}
	tests := []struct {
		name    string
		intake  paging.Intake
		restart string // the instant the first desk stops, "" for none
		down    string // the instant the second desk starts, "" for at once
		want    []string
	}{
		{name: "nobody acknowledges", intake: intake, want: night},
		{name: "a restart after the third page changes nothing", intake: intake, restart: "2026-10-25 02:53:00 CEST", want: night},
		{name: "a restart across the change changes nothing", intake: intake, restart: "2026-10-25 02:00:00 CET", want: night},
		{name: "down 12 minutes: the overdue step at restart, then five minutes each", intake: intake,
			restart: "2026-10-25 02:47:00 CEST", down: "2026-10-25 02:58:00 CEST", want: []string{
				"2026-10-25 02:41:17 +02:00 new 0 primary alice",
				"2026-10-25 02:46:17 +02:00 escalation 1 backup bob",
				"2026-10-25 02:58:00 +02:00 escalation 2 escalation-list carol",
				"2026-10-25 02:03:00 +01:00 escalation 3 escalation-list dan",
				"2026-10-25 02:08:00 +01:00 escalation 4 everyone alice bob carol dan erin",
				"2026-10-25 03:41:17 +01:00 reminder 0 50% handler alice bob carol dan erin",
				"2026-10-25 04:53:17 +01:00 reminder 0 80% handler alice bob carol dan erin",
				"2026-10-25 05:29:17 +01:00 reminder 0 95% handler alice bob carol dan erin",
			}},
		{name: "evening into night: the delay is the one of the instant paged",
			intake: paging.Intake{Case: intake.Case, Received: at("2026-10-24 21:47:03"), Class: paging.Unread}, want: []string{
				"2026-10-24 21:47:03 +02:00 new 0 primary alice",
				"2026-10-24 21:57:03 +02:00 escalation 1 backup bob",            // paged by day: ten minutes
				"2026-10-24 22:07:03 +02:00 escalation 2 escalation-list carol", // bob paged at 21:57, by day
				"2026-10-24 22:12:03 +02:00 escalation 3 escalation-list dan",   // carol paged at night: five
				"2026-10-24 22:17:03 +02:00 escalation 4 everyone alice bob carol dan erin",
			}},
		{name: "morning: night then day",
			intake: paging.Intake{Case: intake.Case, Received: at("2026-10-25 06:52:00"), Class: paging.Ordinary}, want: []string{
				"2026-10-25 06:52:00 +01:00 new 0 primary alice",
				"2026-10-25 06:57:00 +01:00 escalation 1 backup bob",
				"2026-10-25 07:02:00 +01:00 escalation 2 escalation-list carol", // bob paged at 06:57, at night
				"2026-10-25 07:12:00 +01:00 escalation 3 escalation-list dan",
				"2026-10-25 07:22:00 +01:00 escalation 4 everyone alice bob carol dan erin",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := timesynctest.NewClock(tt.intake.Received)
			d := newDesk(t, weekendCell(), tt.intake, clock, nil)
			var log []string
			if tt.restart != "" {
				if d.run(t, at(tt.restart)) {
					t.Fatal("finished before the restart")
				}
				log = d.log
				if tt.down != "" {
					clock.Set(at(tt.down))
				}
				d = newDesk(t, weekendCell(), tt.intake, clock, d.events) // only the recorded events survive
			}
			d.run(t, time.Time{})
			log = append(log, d.log...)
			if diff := cmp.Diff(tt.want, log); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
			if tt.down == "" {
				// Planned ahead from the start, the schedule is the same.
				sched, err := paging.Schedule(paging.DefaultPolicy(), weekendCell(), tt.intake, nil)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, a := range sched {
					got = append(got, fmt.Sprintf("%s %s %d%s %s %s", show(a.At), a.Kind, a.Step, pct(a.Percent), a.Who, strings.Join(a.Members, " ")))
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Schedule (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// Each page the desk sent went to the member's first channel, with the
// page's own code, and every member's page of one step has its own key.
func TestEscalationPages(t *testing.T) {
	received := at("2026-10-25 02:41:17 CEST")
	in := paging.Intake{Case: paging.MustParseCaseID("2026-0042"), Received: received, Class: paging.Urgent}
	clock := timesynctest.NewClock(received)
	d := newDesk(t, weekendCell(), in, clock, nil)
	d.run(t, time.Time{})
	got := map[ccj.ChannelKind]int{}
	keys := map[paging.Key]bool{}
	for _, s := range d.rec.pages {
		got[s.Kind]++
		if keys[s.Key] {
			t.Errorf("key %s used for two pages", s.Key)
		}
		keys[s.Key] = true
		if s.Page.Code.IsZero() || s.Page.Case != in.Case {
			t.Errorf("page %+v", s.Page)
		}
	}
	// alice by ntfy twice (step 0 and everyone), bob by Matrix twice,
	// carol by phone twice, dan by webhook twice, erin by e-mail once.
	want := map[ccj.ChannelKind]int{ccj.Ntfy: 2, ccj.Matrix: 2, ccj.Phone: 2, ccj.Webhook: 2, ccj.Email: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages by channel (-want +got):\n%s", diff)
	}
}

// An acknowledgement stops the escalation; reminders then go to the
// member who acknowledged, and Closed stops them.
func TestAcknowledgement(t *testing.T) {
	received := at("2026-11-02 10:00:00")
	in := paging.Intake{Case: paging.MustParseCaseID("2026-0043"), Received: received, Class: paging.Ordinary, Due: received.Add(10 * 24 * time.Hour)}
	cell := weekendCell()
	cell.Shifts = []ccj.Shift{{Start: received.Add(-time.Hour), End: received.Add(time.Hour), Primary: "carol", Backup: "dan"}}
	p := paging.DefaultPolicy()
	events := []paging.Event{{Kind: paging.Paged, At: received, Step: 0}}
	plan, err := paging.Next(p, cell, in, events)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Actions) != 1 || plan.Actions[0].Who != paging.OnCallBackup || !plan.At.Equal(received.Add(10*time.Minute)) || plan.Actions[0].Members[0] != "dan" {
		t.Fatalf("before the acknowledgement: %+v", plan)
	}
	events = append(events, paging.Event{Kind: paging.Acknowledged, At: received.Add(4 * time.Minute), Member: "carol"})
	plan, err = paging.Next(p, cell, in, events)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Acknowledged != "carol" || len(plan.Actions) != 1 || plan.Actions[0].Kind != paging.Reminder ||
		!plan.At.Equal(received.Add(5*24*time.Hour)) || !slices.Equal(plan.Actions[0].Members, []string{"carol"}) {
		t.Fatalf("after the acknowledgement: %+v", plan)
	}
	events = append(events, paging.Event{Kind: paging.Closed, At: received.Add(24 * time.Hour)})
	plan, err = paging.Next(p, cell, in, events)
	if err != nil || len(plan.Actions) != 0 || !plan.Finished {
		t.Fatalf("after closing: %+v, %v", plan, err)
	}
}

func TestNextErrors(t *testing.T) {
	received := at("2026-11-02 10:00:00")
	in := paging.Intake{Case: paging.MustParseCaseID("2026-0043"), Received: received, Due: received.Add(time.Hour)}
	bad := paging.DefaultPolicy()
	bad.AckByDay = 0
	empty := weekendCell()
	empty.Members, empty.Patterns, empty.Escalation = nil, nil, nil
	tests := []struct {
		name   string
		policy paging.Policy
		cell   ccj.Cell
		in     paging.Intake
		events []paging.Event
		want   error
	}{
		{"an event without an instant", paging.DefaultPolicy(), weekendCell(), in, []paging.Event{{Kind: paging.Paged}}, paging.ErrEvent},
		{"an event of no kind", paging.DefaultPolicy(), weekendCell(), in, []paging.Event{{At: received}}, paging.ErrEvent},
		{"a negative step", paging.DefaultPolicy(), weekendCell(), in, []paging.Event{{Kind: paging.Paged, At: received, Step: -1}}, paging.ErrEvent},
		{"an acknowledgement by nobody", paging.DefaultPolicy(), weekendCell(), in, []paging.Event{{Kind: paging.Acknowledged, At: received}}, paging.ErrEvent},
		{"no case", paging.DefaultPolicy(), weekendCell(), paging.Intake{Received: received}, nil, paging.ErrEvent},
		{"an invalid policy", bad, weekendCell(), in, nil, paging.ErrPolicy},
		{"nobody to page", paging.DefaultPolicy(), empty, in, nil, paging.ErrNobody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := paging.Next(tt.policy, tt.cell, tt.in, tt.events); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// A reminder at a percentage the policy no longer has (the cell changed
// its policy) counts for nothing: the case is still followed.
func TestNextAfterPolicyChange(t *testing.T) {
	in := paging.Intake{Case: paging.MustParseCaseID("2026-0042"), Received: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), Class: paging.Ordinary, Due: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	events := []paging.Event{{Kind: paging.Paged, At: in.Received}, {Kind: paging.Paged, At: in.Received.Add(time.Hour), Percent: 60}}
	plan, err := paging.Next(paging.DefaultPolicy(), weekendCell(), in, events)
	if err != nil || plan.At.IsZero() {
		t.Fatalf("the case is no longer followed: %+v, %v", plan, err)
	}
}

// In a gap of the rota the escalation list is called first, and frank,
// without a valid security advice, is never called.
func TestStepsInAGap(t *testing.T) {
	in := paging.Intake{Case: paging.MustParseCaseID("2026-0044"), Received: at("2026-11-04 11:00:00")}
	steps, err := paging.Steps(weekendCell(), in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps {
		got = append(got, fmt.Sprintf("%d %s %s %s", s.Step, s.Kind, s.Who, strings.Join(s.Members, " ")))
	}
	want := []string{"0 new escalation-list carol", "1 escalation escalation-list dan", "2 escalation everyone alice bob carol dan erin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Events and plans are data: what the register keeps reads back into the
// same plan.
func TestEventsJSON(t *testing.T) {
	received := at("2026-10-25 02:41:17 CEST")
	in := paging.Intake{Case: paging.MustParseCaseID("2026-0042"), Received: received, Class: paging.Urgent, Due: received.Add(4 * time.Hour)}
	clock := timesynctest.NewClock(received)
	d := newDesk(t, weekendCell(), in, clock, nil)
	d.run(t, at("2026-10-25 02:00:00 CET"))
	d.events = append(d.events, paging.Event{Kind: paging.Acknowledged, At: at("2026-10-25 02:00:30 CET"), Member: "dan"})
	b, err := json.Marshal(struct {
		Intake paging.Intake
		Events []paging.Event
	}{in, d.events})
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Intake paging.Intake
		Events []paging.Event
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	want, err := paging.Next(paging.DefaultPolicy(), weekendCell(), in, d.events)
	if err != nil {
		t.Fatal(err)
	}
	got, err := paging.Next(paging.DefaultPolicy(), weekendCell(), back.Intake, back.Events)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-before +after):\n%s", diff)
	}
	if got.Acknowledged != "dan" || len(got.Actions) != 1 || got.Actions[0].Percent != 50 || got.Actions[0].Members[0] != "dan" {
		t.Errorf("%+v", got)
	}
	var plan paging.Plan
	pb, _ := json.Marshal(got)
	if err := json.Unmarshal(pb, &plan); err != nil || !cmp.Equal(plan, got) {
		t.Errorf("a plan does not read back: %v\n%s", err, pb)
	}
}
