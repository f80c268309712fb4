package paging

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/timesync"
)

// Intake is the case whose members are paged: its number, when it was
// received, its deadline class and its deadline (zero when not known yet:
// then no reminder is due).
type Intake struct {
	Case     CaseID    `json:"case"`
	Received time.Time `json:"received"`
	Class    Class     `json:"class"`
	Due      time.Time `json:"due,omitzero"`
}

// EventKind is what an Event records.
type EventKind uint8

// The kinds of event.
const (
	// Paged: the pages of an action were sent (or tried: a page no
	// channel took is a page the member was owed all the same) at At —
	// the escalation step Step, or the reminder at Percent.
	Paged EventKind = iota + 1
	// Acknowledged: Member acknowledged the case at At. Escalation stops;
	// reminders go to Member from then on (the first to acknowledge; of
	// two at the same instant, the smaller member ID).
	Acknowledged
	// Closed: the case was answered or closed at At. Nothing more is
	// paged for it.
	Closed
)

var eventKeys = []string{"", "paged", "acknowledged", "closed"}

// String returns "paged", "acknowledged" or "closed".
func (k EventKind) String() string {
	if k != 0 && int(k) < len(eventKeys) {
		return eventKeys[k]
	}
	return "event(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText returns EventKind.String's key.
func (k EventKind) MarshalText() ([]byte, error) {
	if k == 0 || int(k) >= len(eventKeys) {
		return nil, fmt.Errorf("%w: unknown event kind %d", ErrEvent, k)
	}
	return []byte(eventKeys[k]), nil
}

// UnmarshalText accepts paged, acknowledged or closed.
func (k *EventKind) UnmarshalText(b []byte) error {
	for i, key := range eventKeys {
		if i > 0 && string(b) == key {
			*k = EventKind(i)
			return nil
		}
	}
	return fmt.Errorf("%w: not an event kind (want paged, acknowledged or closed)", ErrEvent)
}

// Event is a fact of a case's paging as the register records it. The
// escalation's state is nothing but the intake and these events: replayed
// after a restart, they give the same plan.
type Event struct {
	Kind EventKind `json:"kind"`
	At   time.Time `json:"at"`
	// Step is, for Paged, the escalation step that was paged (Action.Step);
	// Percent, for Paged, the reminder's percentage (then Step is not
	// read).
	Step    int `json:"step,omitempty"`
	Percent int `json:"percent,omitempty"`
	// Member is, for Acknowledged, who acknowledged.
	Member string `json:"member,omitempty"`
}

// Who is whom an action pages.
type Who uint8

// The recipients of actions.
const (
	// OnCallPrimary: the primary of a shift in force at the intake.
	OnCallPrimary Who = iota + 1
	// OnCallBackup: the backup of a shift in force at the intake.
	OnCallBackup
	// ListMember: a member of the cell's escalation list.
	ListMember
	// Everyone: every member of the cell eligible on the intake's day,
	// those paged before included — a second ring for them.
	Everyone
	// Handler: a reminder's recipients — the member who acknowledged, or
	// before anyone did, every member paged so far.
	Handler
)

var whoKeys = []string{"", "primary", "backup", "escalation-list", "everyone", "handler"}

// String returns "primary", "backup", "escalation-list", "everyone" or
// "handler".
func (w Who) String() string {
	if w != 0 && int(w) < len(whoKeys) {
		return whoKeys[w]
	}
	return "who(" + strconv.Itoa(int(w)) + ")"
}

// MarshalText returns Who.String's key.
func (w Who) MarshalText() ([]byte, error) {
	if w == 0 || int(w) >= len(whoKeys) {
		return nil, fmt.Errorf("%w: unknown recipient %d", ErrEvent, w)
	}
	return []byte(whoKeys[w]), nil
}

// UnmarshalText accepts the keys Who.String returns.
func (w *Who) UnmarshalText(b []byte) error {
	for i, key := range whoKeys {
		if i > 0 && string(b) == key {
			*w = Who(i)
			return nil
		}
	}
	return fmt.Errorf("%w: not a recipient (want primary, backup, escalation-list, everyone or handler)", ErrEvent)
}

// Action is a page the plan says to send: to whom, when, and which event
// records it once sent.
type Action struct {
	// At is when the action is due. It may be in the past: an action not
	// carried out in time (the program was stopped) is overdue, and due
	// now.
	At time.Time `json:"at"`
	// Kind is the page's kind: NewRequest for step 0, Escalation for the
	// later steps, Reminder.
	Kind Kind `json:"kind"`
	// Step is the escalation step, from 0; Percent, for a reminder, its
	// percentage (and Step 0).
	Step    int `json:"step"`
	Percent int `json:"percent,omitempty"`
	// Who says why Members are paged, and Members who they are (member
	// IDs), in the cell's order of calling.
	Who     Who      `json:"who"`
	Members []string `json:"members"`
}

// Page returns the page of the action about case in, in language of p
// (Policy.Lang), without a code: the caller adds each member's
// (NewCode) — or leaves it out — before Dispatcher.Deliver.
func (a Action) Page(in Intake, p Policy) Page {
	pg := Page{Case: in.Case, Received: in.Received, Class: in.Class, Kind: a.Kind, Step: a.Step, Lang: p.Lang()}
	if a.Kind == Reminder {
		pg.Percent, pg.Due = a.Percent, in.Due
	}
	return pg
}

// Done returns the event that records the action as carried out at at:
// Paged, with its step or percentage. The caller records it once the
// action's pages were sent or tried — every member's — and uses the same
// instant, to the second, as the issue instant of the pages' codes.
func (a Action) Done(at time.Time) Event {
	e := Event{Kind: Paged, At: timesync.FromTime(at).Time(), Step: a.Step}
	if a.Kind == Reminder {
		e.Step, e.Percent = 0, a.Percent
	}
	return e
}

// Plan is what the state machine says next.
type Plan struct {
	// At is when Actions are due; zero when there is none.
	At time.Time `json:"at,omitzero"`
	// Actions are the actions due at At, escalation first, then
	// reminders.
	Actions []Action `json:"actions"`
	// Acknowledged is who acknowledged the case, "" when nobody has.
	Acknowledged string `json:"acknowledged,omitempty"`
	// Finished says nothing more will be due without a new event: the
	// case is closed, or acknowledged (or everyone was paged) with no
	// reminder left.
	Finished bool `json:"finished"`
}

// Steps returns the escalation steps of case in for cell c: who is
// called in which order, read once, from the rota at the instant the case
// was received (ccj.Cell.OnCall, which leaves out members without a valid
// security advice): the primary, the backup, then each member of the
// escalation list in turn, one step each; then every member eligible on
// the day of receipt (Everyone), those paged before included. A change of
// shift during the escalation does not reorder it: the member on call
// when the request arrived is the one who was paged. A rota in a gap
// starts with the escalation list; a cell with nobody eligible has no
// step, and an error wrapping ErrNobody.
func Steps(c ccj.Cell, in Intake) ([]Action, error) {
	oc := c.OnCall(in.Received)
	var steps []Action
	for i, m := range oc.Order {
		who := ListMember
		if i < oc.OnDuty {
			who = OnCallBackup
			if oc.Shift != nil && i == 0 {
				who = OnCallPrimary
			}
		}
		steps = append(steps, Action{Step: len(steps), Who: who, Members: []string{m}})
	}
	day := timesync.Day(in.Received)
	var all []string
	for _, m := range c.Members {
		if m.Eligible(day) && !slices.Contains(all, m.ID) {
			all = append(all, m.ID)
		}
	}
	if len(all) > 0 {
		steps = append(steps, Action{Step: len(steps), Who: Everyone, Members: all})
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("%w: nobody on call, no escalation list, no member with a valid security advice", ErrNobody)
	}
	for i := range steps {
		steps[i].Kind = Escalation
	}
	steps[0].Kind = NewRequest
	return steps, nil
}

// Next is the paging state machine: given the policy, the cell, the case
// and the events recorded so far (in any order), it returns the actions
// due next and when. It is pure: the same arguments give the same plan,
// so a program that restarts reads the events back from the register and
// carries on where it stopped, and Next reads no clock.
//
//   - Escalation. Step 0 (Steps) is due at receipt. Each later step is
//     due when the one before it was paged (its Paged event's At, the
//     earliest if recorded twice) plus the policy's delay for that instant
//     (Policy.AckDelay: elapsed time, day or night by the Brussels wall
//     clock at that instant), unless someone acknowledged. A step is paged
//     once: the next step is the one after the highest paged. After the
//     last step (Everyone) nothing more is paged.
//   - Reminders. For each of the policy's percentages, a reminder is due
//     at receipt plus that share of the elapsed time to the deadline,
//     unless it was paged. It goes to the member
//     who acknowledged, or before anyone did, to every member paged so far
//     (the first step's when nobody was).
//   - Closed stops everything.
//
// The plan's actions are those due at the earliest instant among all
// pending ones. Malformed events (an unknown kind, no instant, a negative
// step, a percentage the policy does not have, an acknowledgement without
// a member) are an error wrapping ErrEvent; an invalid policy one
// wrapping ErrPolicy.
func Next(p Policy, c ccj.Cell, in Intake, events []Event) (Plan, error) {
	pending, ack, finished, err := pending(p, c, in, events)
	if err != nil || len(pending) == 0 {
		return Plan{Acknowledged: ack, Finished: finished, Actions: []Action{}}, err
	}
	at := pending[0].At
	for _, a := range pending[1:] {
		if a.At.Before(at) {
			at = a.At
		}
	}
	plan := Plan{At: at, Acknowledged: ack, Actions: []Action{}}
	for _, a := range pending {
		if a.At.Equal(at) {
			plan.Actions = append(plan.Actions, a)
		}
	}
	return plan, nil
}

// Schedule returns every action Next would give from here on if each were
// carried out when due and nobody acknowledged or closed the case: the
// sequence of pages and their times, for a person to read ("who will be
// called when") and for tests. Actions follow each other in time.
func Schedule(p Policy, c ccj.Cell, in Intake, events []Event) ([]Action, error) {
	evs := slices.Clone(events)
	var out []Action
	for {
		plan, err := Next(p, c, in, evs)
		if err != nil {
			return nil, err
		}
		if len(plan.Actions) == 0 {
			return out, nil
		}
		for _, a := range plan.Actions {
			out = append(out, a)
			evs = append(evs, a.Done(plan.At))
		}
	}
}

// pending returns every action due (in no particular order of time),
// who acknowledged, and whether nothing more can be due.
func pending(p Policy, c ccj.Cell, in Intake, events []Event) ([]Action, string, bool, error) {
	if err := p.Check(); err != nil {
		return nil, "", false, err
	}
	if in.Case.IsZero() || in.Received.IsZero() {
		return nil, "", false, fmt.Errorf("%w: the intake has no case or no receipt instant", ErrEvent)
	}
	steps, err := Steps(c, in)
	if err != nil {
		return nil, "", false, err
	}
	highest := -1 // the highest step paged
	var highestAt time.Time
	stepAt := map[int]time.Time{}
	reminded := map[int]bool{}
	ack, ackAt := "", time.Time{}
	closed := false
	for i, e := range events {
		if e.At.IsZero() {
			return nil, "", false, fmt.Errorf("%w: event %d has no instant", ErrEvent, i)
		}
		switch e.Kind {
		case Paged:
			if e.Percent != 0 {
				// A reminder at a percentage the policy no longer has (the
				// cell changed it) was sent, and counts for nothing now:
				// refusing it would stop every page of the case.
				if slices.Contains(p.Reminders, e.Percent) {
					reminded[e.Percent] = true
				}
				continue
			}
			if e.Step < 0 {
				return nil, "", false, fmt.Errorf("%w: event %d: a negative step", ErrEvent, i)
			}
			if t, ok := stepAt[e.Step]; !ok || e.At.Before(t) {
				stepAt[e.Step] = e.At
			}
			if e.Step > highest {
				highest = e.Step
			}
		case Acknowledged:
			if e.Member == "" {
				return nil, "", false, fmt.Errorf("%w: event %d: an acknowledgement names no member", ErrEvent, i)
			}
			// The first acknowledgement counts; two at the same second,
			// the smaller member ID, so that the order the register
			// returns them in does not matter.
			if ack == "" || e.At.Before(ackAt) || e.At.Equal(ackAt) && e.Member < ack {
				ack, ackAt = e.Member, e.At
			}
		case Closed:
			closed = true
		default:
			return nil, "", false, fmt.Errorf("%w: event %d: unknown kind", ErrEvent, i)
		}
	}
	if closed {
		return nil, ack, true, nil
	}
	if highest >= 0 {
		highestAt = stepAt[highest]
	}
	var out []Action
	escalating := ack == "" && highest+1 < len(steps)
	if escalating {
		a := steps[highest+1]
		if highest < 0 {
			a.At = in.Received
		} else {
			a.At = highestAt.Add(p.AckDelay(highestAt))
		}
		out = append(out, a)
	}
	remindersLeft := false
	if !in.Due.IsZero() && in.Due.After(in.Received) {
		var to []string
		switch {
		case ack != "":
			to = []string{ack}
		default:
			for s := 0; s <= highest && s < len(steps); s++ {
				for _, m := range steps[s].Members {
					if !slices.Contains(to, m) {
						to = append(to, m)
					}
				}
			}
			if len(to) == 0 {
				to = slices.Clone(steps[0].Members)
			}
		}
		for _, pct := range p.Reminders {
			if reminded[pct] {
				continue
			}
			remindersLeft = true
			out = append(out, Action{At: reminderAt(in.Received, in.Due, pct), Kind: Reminder, Percent: pct, Who: Handler, Members: to})
		}
	}
	return out, ack, !escalating && !remindersLeft, nil
}

// reminderAt is received plus pct per cent of the elapsed time to due,
// exactly (to the nanosecond, rounded down): never before receipt, and
// before the deadline for a percentage under 100. (Rounding to the second
// would put a 99 % reminder of a one-minute deadline on the deadline.)
func reminderAt(received, due time.Time, pct int) time.Time {
	d := due.Sub(received)
	off := d/100*time.Duration(pct) + d%100*time.Duration(pct)/100
	return received.Add(off).UTC()
}
