package paging_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// scenario is a cell, a case and a policy drawn for the properties.
type scenario struct {
	cell     ccj.Cell
	intake   paging.Intake
	policy   paging.Policy
	eligible []string
}

func scenarioGen() *rapid.Generator[scenario] {
	return rapid.Custom(func(t *rapid.T) scenario {
		received := timesynctest.Instant().Draw(t, "received")
		day := timesync.Day(received)
		n := rapid.IntRange(1, 6).Draw(t, "members")
		var c ccj.Cell
		var ids, eligible []string
		for i := range n {
			id := fmt.Sprintf("m%d", i)
			m := member(id, ccj.Channel{Kind: ccj.Phone, Value: "+3247000000" + fmt.Sprint(i)})
			m.Advice.Granted = day - 30
			if rapid.IntRange(0, 4).Draw(t, "no advice") == 0 {
				m.Advice = ccj.Advice{Status: ccj.AdvicePending}
			} else {
				eligible = append(eligible, id)
			}
			c.Members = append(c.Members, m)
			ids = append(ids, id)
		}
		// A shift in force at receipt, or a gap.
		for range rapid.IntRange(0, 2).Draw(t, "shifts") {
			primary := rapid.SampledFrom(ids).Draw(t, "primary")
			backup := rapid.SampledFrom(append([]string{""}, ids...)).Draw(t, "backup")
			if backup == primary {
				backup = ""
			}
			c.Shifts = append(c.Shifts, ccj.Shift{Start: received.Add(-time.Hour), End: received.Add(time.Hour), Primary: primary, Backup: backup})
		}
		c.Escalation = rapid.SliceOfDistinct(rapid.SampledFrom(ids), func(s string) string { return s }).Draw(t, "escalation")
		in := paging.Intake{Case: paging.MustParseCaseID("2026-0042"), Received: received, Class: paging.Urgent}
		if rapid.Bool().Draw(t, "deadline") {
			in.Due = received.Add(time.Duration(rapid.Int64Range(int64(time.Minute), int64(30*24*time.Hour)).Draw(t, "due")))
		}
		p := paging.DefaultPolicy()
		p.AckByDay = paging.Duration(time.Duration(rapid.IntRange(1, 120).Draw(t, "day minutes")) * time.Minute)
		p.AckAtNight = paging.Duration(time.Duration(rapid.IntRange(1, 120).Draw(t, "night minutes")) * time.Minute)
		p.Reminders = rapid.SliceOfNDistinct(rapid.IntRange(1, 99), 0, 5, func(i int) int { return i }).Draw(t, "reminders")
		slices.Sort(p.Reminders)
		return scenario{cell: c, intake: in, policy: p, eligible: eligible}
	})
}

// Properties of the schedule when nobody acknowledges: the first page at
// receipt, times that never go back, each step paged once and nobody
// twice in a step, and everyone eligible paged in the end.
func TestScheduleProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := scenarioGen().Draw(t, "scenario")
		sched, err := paging.Schedule(s.policy, s.cell, s.intake, nil)
		if len(s.eligible) == 0 {
			if !errors.Is(err, paging.ErrNobody) {
				t.Fatalf("nobody eligible: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(sched) == 0 || !sched[0].At.Equal(s.intake.Received) || sched[0].Kind != paging.NewRequest || sched[0].Step != 0 {
			t.Fatalf("first action %+v", sched)
		}
		steps := map[int]bool{}
		var last paging.Action
		for i, a := range sched {
			if i > 0 && a.At.Before(sched[i-1].At) {
				t.Fatalf("action %d at %v before action %d at %v", i, a.At, i-1, sched[i-1].At)
			}
			if a.Kind == paging.Reminder {
				continue
			}
			if steps[a.Step] {
				t.Fatalf("step %d paged twice", a.Step)
			}
			steps[a.Step] = true
			if len(slices.Compact(slices.Sorted(slices.Values(a.Members)))) != len(a.Members) {
				t.Fatalf("step %d pages someone twice: %v", a.Step, a.Members)
			}
			for _, m := range a.Members {
				if !slices.Contains(s.eligible, m) {
					t.Fatalf("step %d pages %s, who may not answer", a.Step, m)
				}
			}
			last = a
		}
		if last.Who != paging.Everyone || !slices.Equal(last.Members, s.eligible) {
			t.Fatalf("the last step %+v does not page everyone %v", last, s.eligible)
		}
		// Reminders: one per percentage, when a deadline is known.
		reminders := 0
		for _, a := range sched {
			if a.Kind == paging.Reminder {
				reminders++
				if a.At.Before(s.intake.Received) || !a.At.Before(s.intake.Due) {
					t.Fatalf("reminder %d%% at %v, outside receipt %v and deadline %v", a.Percent, a.At, s.intake.Received, s.intake.Due)
				}
			}
		}
		if want := len(s.policy.Reminders); s.intake.Due.IsZero() && reminders != 0 || !s.intake.Due.IsZero() && reminders != want {
			t.Fatalf("%d reminders", reminders)
		}
	})
}

// Properties of a run in which the desk carries out actions late or on
// time, members acknowledge and cases close at random moments, and the
// desk restarts at every step: the plan depends on the events only (not
// their order: a restart replays them as the register returns them), a
// step is never paged twice, and after an acknowledgement no escalation
// page is due.
func TestRunProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := scenarioGen().Draw(t, "scenario")
		if len(s.eligible) == 0 {
			return
		}
		var events []paging.Event
		now := s.intake.Received
		acked := false
		paged := map[int]bool{}
		for range 60 {
			plan, err := paging.Next(s.policy, s.cell, s.intake, events)
			if err != nil {
				t.Fatal(err)
			}
			// A restart: the same events in another order, the same plan.
			shuffled := rapid.Permutation(events).Draw(t, "register order")
			again, err := paging.Next(s.policy, s.cell, s.intake, shuffled)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(plan, again); diff != "" {
				t.Fatalf("a restart changes the plan (-before +after):\n%s", diff)
			}
			if len(plan.Actions) == 0 {
				if !plan.Finished {
					t.Fatal("no action, not finished")
				}
				return
			}
			for _, a := range plan.Actions {
				if acked && a.Kind != paging.Reminder {
					t.Fatalf("an escalation page after the acknowledgement: %+v", a)
				}
			}
			switch rapid.IntRange(0, 9).Draw(t, "what happens") {
			case 0: // someone paged acknowledges before the actions are due
				var who []string
				for _, e := range events {
					if e.Kind == paging.Paged && e.Percent == 0 {
						steps, _ := paging.Steps(s.cell, s.intake)
						who = append(who, steps[e.Step].Members...)
					}
				}
				if len(who) == 0 {
					continue
				}
				ackAt := now.Add(time.Duration(rapid.Int64Range(0, int64(max(plan.At.Sub(now), 0))+1).Draw(t, "ack after")))
				if ackAt.After(now) {
					now = ackAt
				}
				events = append(events, paging.Event{Kind: paging.Acknowledged, At: now, Member: rapid.SampledFrom(who).Draw(t, "who acks")})
				acked = true
			case 1: // the case is answered
				events = append(events, paging.Event{Kind: paging.Closed, At: now})
			default: // the actions are carried out, on time or late
				late := time.Duration(rapid.Int64Range(0, int64(20*time.Minute)).Draw(t, "late"))
				if at := plan.At.Add(late); at.After(now) {
					now = at
				}
				for _, a := range plan.Actions {
					if a.Kind != paging.Reminder {
						if paged[a.Step] {
							t.Fatalf("step %d is due again", a.Step)
						}
						paged[a.Step] = true
					}
					events = append(events, a.Done(now))
				}
			}
		}
		t.Fatal("the run did not finish in 60 rounds")
	})
}
