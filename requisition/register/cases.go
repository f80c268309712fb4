package register

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
)

// State is where a case stands.
type State string

// The states of a case.
const (
	Received           State = "received"            // in the cell's hands, nobody has taken it yet
	Acknowledged       State = "acknowledged"        // a member took it
	Lawful             State = "lawful"              // checked: the order may be executed
	ClarificationAsked State = "clarification-asked" // checked: the authority was asked to clarify
	Contested          State = "contested"           // checked: the cell contests it, with reasons
	InProgress         State = "in-progress"         // work orders are out
	Answered           State = "answered"            // the answer was delivered (to the second)
	Invoiced           State = "invoiced"            // the cost statement was sent
	Closed             State = "closed"              // nothing more to do
	Expired            State = "expired"             // the order's validity or the deadline passed unanswered
	Cancelled          State = "cancelled"           // the authority withdrew it
)

// Event is what a member does to a case.
type Event string

// The events of a case's life.
const (
	Acknowledge      Event = "acknowledge"
	CheckLawful      Event = "check-lawful"
	AskClarification Event = "ask-clarification"
	Contest          Event = "contest"
	StartWork        Event = "start-work"
	Answer           Event = "answer"
	Invoice          Event = "invoice"
	Close            Event = "close"
	Expire           Event = "expire"
	Cancel           Event = "cancel"
)

// transitions lists, for each event, the states it may leave from and the
// state it leads to.
func transitions() map[Event]struct {
	from []State
	to   State
} {
	open := []State{Received, Acknowledged, Lawful, ClarificationAsked, InProgress}
	return map[Event]struct {
		from []State
		to   State
	}{
		Acknowledge:      {[]State{Received}, Acknowledged},
		CheckLawful:      {[]State{Acknowledged, ClarificationAsked}, Lawful},
		AskClarification: {[]State{Acknowledged}, ClarificationAsked},
		Contest:          {[]State{Acknowledged, ClarificationAsked}, Contested},
		StartWork:        {[]State{Lawful}, InProgress},
		Answer:           {[]State{Lawful, InProgress}, Answered},
		Invoice:          {[]State{Answered}, Invoiced},
		Close:            {[]State{Answered, Invoiced, Contested, Cancelled, Expired}, Closed},
		Expire:           {open, Expired},
		Cancel:           {open, Cancelled},
	}
}

// Next returns the state event leads to from state from, and whether the
// transition is allowed.
func Next(from State, ev Event) (State, bool) {
	t, ok := transitions()[ev]
	if !ok || !slices.Contains(t.from, from) {
		return "", false
	}
	return t.to, true
}

// Evidence is the clock-synchronisation verdict at the moment of a
// transition, kept as proof that its time can be trusted to the second.
type Evidence struct {
	Synchronised bool          `json:"synchronised"`
	ToTheSecond  bool          `json:"to_the_second"`
	Traceable    bool          `json:"traceable"`
	ErrorBound   time.Duration `json:"error_bound_ns"`
	Reference    string        `json:"reference,omitempty"`
}

// EvidenceOf summarises a verdict.
func EvidenceOf(v timesync.Verdict) Evidence {
	return Evidence{Synchronised: v.Synchronised, ToTheSecond: v.ToTheSecond, Traceable: v.Traceable, ErrorBound: v.ErrorBound, Reference: v.Reference}
}

// Transition is one step of a case's life, as journaled.
type Transition struct {
	Case  string             `json:"case"`
	Event Event              `json:"event"` // "" for the receipt
	From  State              `json:"from,omitempty"`
	To    State              `json:"to"`
	Actor string             `json:"actor"`
	At    timesync.Timestamp `json:"at"`
	Clock Evidence           `json:"clock"`
	Note  string             `json:"note,omitempty"`
	// Requisition is set on the receipt only.
	Requisition *requisition.Requisition `json:"requisition,omitempty"`
}

// Case is a requisition and its life in the cell. It holds the case's
// details: it is for members only.
type Case struct {
	ID          string                  `json:"id"`
	Requisition requisition.Requisition `json:"requisition"`
	State       State                   `json:"state"`
	History     []Transition            `json:"history"`
}

// The errors of the register, for errors.Is. They never carry a case's
// details.
var (
	ErrTransition  = errors.New("register: transition not allowed")
	ErrUnknownCase = errors.New("register: no such case")
	ErrCaseExists  = errors.New("register: case already received")
	ErrActor       = errors.New("register: actor is not a member of the cell")
)

// Register is the cell's record of cases, kept in a sealed journal.
type Register struct {
	mu      sync.Mutex
	j       *Journal
	ring    Keyring
	clock   timesync.Clock
	members []string
	cases   map[string]*Case
}

const caseKind = "case"

// OpenRegister opens (or creates) the register kept in the journal at
// path. Records are sealed to ring and read back with me, a member's
// identity; members lists who may act on cases. Transitions are timed by
// clock.
func OpenRegister(path string, clock timesync.Clock, ring Keyring, me Identity, members []string) (*Register, OpenReport, error) {
	j, rep, err := Open(path, clock)
	if err != nil {
		return nil, rep, err
	}
	r := &Register{j: j, ring: ring, clock: clock, members: slices.Clone(members), cases: map[string]*Case{}}
	recs, err := Verify(path)
	if err != nil {
		j.Close()
		return nil, rep, err
	}
	for _, rec := range recs[1:] {
		if rec.Kind != caseKind {
			continue
		}
		plain, err := me.Open(rec.Payload)
		if err != nil {
			j.Close()
			return nil, rep, fmt.Errorf("record %d: %w", rec.Seq, err)
		}
		var t Transition
		if err := json.Unmarshal(plain, &t); err != nil {
			j.Close()
			return nil, rep, fmt.Errorf("%w: record %d does not decode", ErrCorrupt, rec.Seq)
		}
		r.apply(t)
	}
	return r, rep, nil
}

// Close closes the journal.
func (r *Register) Close() error { return r.j.Close() }

func (r *Register) apply(t Transition) {
	if t.Requisition != nil {
		r.cases[t.Case] = &Case{ID: t.Case, Requisition: *t.Requisition, State: t.To, History: []Transition{t}}
		return
	}
	c := r.cases[t.Case]
	c.State = t.To
	c.History = append(c.History, t)
}

func (r *Register) journal(t Transition) error {
	plain, err := json.Marshal(t)
	if err != nil {
		return err
	}
	sealed, err := r.ring.Seal(plain)
	if err != nil {
		return err
	}
	_, err = r.j.Append(caseKind, sealed)
	return err
}

// Receive records a requisition as received by actor, under the cell's
// own case id, with the clock verdict of the moment.
func (r *Register) Receive(id string, req requisition.Requisition, actor string, v timesync.Verdict) (Case, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.members, actor) {
		return Case{}, ErrActor
	}
	if _, ok := r.cases[id]; ok || id == "" {
		return Case{}, ErrCaseExists
	}
	t := Transition{Case: id, To: Received, Actor: actor, At: timesync.Now(r.clock), Clock: EvidenceOf(v), Requisition: &req}
	if err := r.journal(t); err != nil {
		return Case{}, err
	}
	r.apply(t)
	return r.snapshot(id), nil
}

// Apply performs event on case id by actor, with the clock verdict of the
// moment and an optional note (the reasons of a contest, say). An
// illegal transition — answering a case nobody acknowledged, invoicing an
// unanswered one — is refused with [ErrTransition] and nothing is written.
func (r *Register) Apply(id string, ev Event, actor string, v timesync.Verdict, note string) (Case, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.members, actor) {
		return Case{}, ErrActor
	}
	c, ok := r.cases[id]
	if !ok {
		return Case{}, ErrUnknownCase
	}
	to, ok := Next(c.State, ev)
	if !ok {
		return Case{}, fmt.Errorf("%w: %s from %s", ErrTransition, ev, c.State)
	}
	t := Transition{Case: id, Event: ev, From: c.State, To: to, Actor: actor, At: timesync.Now(r.clock), Clock: EvidenceOf(v), Note: note}
	if err := r.journal(t); err != nil {
		return Case{}, err
	}
	r.apply(t)
	return r.snapshot(id), nil
}

// Case returns a copy of case id.
func (r *Register) Case(id string) (Case, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.cases[id]; !ok {
		return Case{}, false
	}
	return r.snapshot(id), true
}

func (r *Register) snapshot(id string) Case {
	c := *r.cases[id]
	c.History = slices.Clone(c.History)
	return c
}

// Cases returns the IDs of all cases, sorted.
func (r *Register) Cases() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.cases))
	for id := range r.cases {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Due is a case's answer deadline as re-evaluated at a moment.
type Due struct {
	Case     string               `json:"case"`
	Deadline requisition.Deadline `json:"deadline"`
	Overdue  bool                 `json:"overdue"`
}

// DueWithin re-evaluates, at instant at, the answer deadline of every open
// case (received up to in progress) and returns those overdue or falling
// due within d, overdue first. Cases whose answer is due "in real time" or
// "immediately" have no fixed instant and are always listed while open.
func (r *Register) DueWithin(at time.Time, d time.Duration) []Due {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Due
	for _, id := range r.sortedIDs() {
		c := r.cases[id]
		if !slices.Contains([]State{Received, Acknowledged, Lawful, ClarificationAsked, InProgress}, c.State) {
			continue
		}
		dl, err := c.Requisition.Response.Due(c.Requisition.Received.Time())
		if err != nil {
			continue
		}
		if dl.Kind == requisition.Unfixed || dl.At.Before(at.Add(d)) {
			out = append(out, Due{Case: id, Deadline: dl, Overdue: dl.Kind == requisition.Fixed && !dl.Before(at)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Overdue && !out[j].Overdue })
	return out
}

func (r *Register) sortedIDs() []string {
	ids := make([]string, 0, len(r.cases))
	for id := range r.cases {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
