package register

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
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

// States returns every state, in lifecycle order.
func States() []State {
	return []State{Received, Acknowledged, Lawful, ClarificationAsked, Contested, InProgress, Answered, Invoiced, Closed, Expired, Cancelled}
}

// Open reports whether a case in state s still waits for its answer:
// received, acknowledged, lawful, clarification asked or in progress.
func (s State) Open() bool { return slices.Contains(openStates(), s) }

func openStates() []State {
	return []State{Received, Acknowledged, Lawful, ClarificationAsked, InProgress}
}

// Event is what a member does to a case.
type Event string

// The events of a case's life. [IssueWorkOrder], [AttachResult] and
// [Answer] carry data and have their own methods
// ([Register.IssueWorkOrder], [Register.AttachResult],
// [Register.Answer]); the others go through [Register.Apply].
const (
	Acknowledge      Event = "acknowledge"
	CheckLawful      Event = "check-lawful"
	AskClarification Event = "ask-clarification"
	Contest          Event = "contest"
	IssueWorkOrder   Event = "work-order" // a technician's work order goes out
	AttachResult     Event = "result"     // a technician's result is attached
	Answer           Event = "answer"
	Invoice          Event = "invoice"
	Close            Event = "close"
	Expire           Event = "expire"
	Cancel           Event = "cancel"
)

// Events returns every event.
func Events() []Event {
	return []Event{Acknowledge, CheckLawful, AskClarification, Contest, IssueWorkOrder, AttachResult, Answer, Invoice, Close, Expire, Cancel}
}

type transition struct {
	from []State
	to   State
}

// transitions lists, for each event, the states it may leave from and the
// state it leads to.
func transitions(ev Event) (transition, bool) {
	switch ev {
	case Acknowledge:
		return transition{[]State{Received}, Acknowledged}, true
	case CheckLawful:
		return transition{[]State{Acknowledged, ClarificationAsked}, Lawful}, true
	case AskClarification:
		return transition{[]State{Acknowledged}, ClarificationAsked}, true
	case Contest:
		return transition{[]State{Acknowledged, ClarificationAsked}, Contested}, true
	case IssueWorkOrder:
		return transition{[]State{Lawful, InProgress}, InProgress}, true
	case AttachResult:
		return transition{[]State{InProgress}, InProgress}, true
	case Answer:
		return transition{[]State{Lawful, InProgress}, Answered}, true
	case Invoice:
		return transition{[]State{Answered}, Invoiced}, true
	case Close:
		return transition{[]State{Answered, Invoiced, Contested, Cancelled, Expired}, Closed}, true
	case Expire, Cancel:
		return transition{openStates(), map[Event]State{Expire: Expired, Cancel: Cancelled}[ev]}, true
	}
	return transition{}, false
}

// Next returns the state event leads to from state from, and whether the
// transition is allowed.
func Next(from State, ev Event) (State, bool) {
	t, ok := transitions(ev)
	if !ok || !slices.Contains(t.from, from) {
		return "", false
	}
	return t.to, true
}

// Evidence is the clock-synchronisation verdict at the moment of a
// transition, kept as proof that its time can be trusted to the second.
// Checked is zero when no verdict was available: the time is then
// recorded, but nothing vouches for it.
type Evidence struct {
	Checked      timesync.Timestamp `json:"checked,omitzero"`
	Synchronised bool               `json:"synchronised"`
	ToTheSecond  bool               `json:"to_the_second"`
	Traceable    bool               `json:"traceable"`
	ErrorBound   time.Duration      `json:"error_bound_ns"`
	Reference    string             `json:"reference,omitempty"`
}

// EvidenceOf summarises a verdict. The zero Verdict (no check was made)
// gives the zero Evidence.
func EvidenceOf(v timesync.Verdict) Evidence {
	if v.At.IsZero() && !v.Synchronised {
		return Evidence{}
	}
	return Evidence{Checked: timesync.FromTime(v.At), Synchronised: v.Synchronised, ToTheSecond: v.ToTheSecond, Traceable: v.Traceable, ErrorBound: v.ErrorBound, Reference: v.Reference}
}

// Compliant reports whether the clock was synchronised, to the second, to
// a traceable reference.
func (e Evidence) Compliant() bool { return e.Synchronised && e.ToTheSecond && e.Traceable }

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
	// Check is what Register.Check recorded of the examination, as data
	// that [Transition.NoteText] says in the reader's language; nil for
	// every other step (and for a check an earlier version recorded as an
	// English note).
	Check *CheckSummary `json:"check,omitempty"`
	// Requisition is set on the receipt only.
	Requisition *requisition.Requisition `json:"requisition,omitempty"`
	// WorkOrder, Result and Delivery are set by the events that carry
	// them.
	WorkOrder *WorkOrder  `json:"work_order,omitempty"`
	Result    *WorkResult `json:"result,omitempty"`
	Delivery  *Delivery   `json:"delivery,omitempty"`
	// Submission is, on a receipt by [Register.ReceiveSubmission], the
	// number of the submission the requisition came in (0 for none).
	Submission uint64 `json:"submission,omitempty"`
}

// Case is a requisition and its life in the cell. It holds the case's
// details: it is for members only. A technician gets a [WorkOrder].
type Case struct {
	ID          string                  `json:"id"`
	Requisition requisition.Requisition `json:"requisition"`
	State       State                   `json:"state"`
	History     []Transition            `json:"history"`
	// WorkOrders are those issued, in order; Results those attached.
	WorkOrders []WorkOrder  `json:"work_orders,omitempty"`
	Results    []WorkResult `json:"results,omitempty"`
	// Delivery is the answer, once given.
	Delivery *Delivery `json:"delivery,omitempty"`
	// Submission is the number of the submission the requisition came in
	// ([Register.ReceiveSubmission]: an e-mail's intake), 0 for one
	// received otherwise.
	Submission uint64 `json:"submission,omitempty"`
}

// Deadline returns the case's answer deadline, computed from its
// requisition's response policy and time of receipt.
func (c Case) Deadline() (requisition.Deadline, error) {
	return c.Requisition.Response.Due(c.Requisition.Received.Time())
}

// The errors of the register, for errors.Is. They never carry a case's
// details.
var (
	ErrTransition  = errors.New("register: transition not allowed")
	ErrUnknownCase = errors.New("register: no such case")
	ErrCaseExists  = errors.New("register: case already received")
	ErrActor       = errors.New("register: actor is not a member of the cell")
	// ErrEventData is returned by Apply for an event that carries data
	// and has its own method.
	ErrEventData = errors.New("register: this event carries data: use its own method")
	// ErrConfig is returned by Open for an incomplete Config.
	ErrConfig = errors.New("register: incomplete configuration")
	// ErrInput is wrapped by errors about the data given to a
	// transition (a work order, a result, a delivery).
	ErrInput = errors.New("register: invalid input")
)

// replayable checks that a journaled transition fits the cases replayed so
// far, so that a record sealed by a member but not written by this
// package cannot put a case in an impossible state.
func (r *Register) replayable(t Transition) error {
	if t.Event == "" {
		if t.Requisition == nil || t.To != Received || r.cases[t.Case] != nil || t.WorkOrder != nil || t.Result != nil || t.Delivery != nil {
			return errors.New("receipt out of place")
		}
		if !validCaseID(t.Case) || t.Requisition.Received.IsZero() {
			return errors.New("receipt that Receive refuses")
		}
		if t.Submission != 0 {
			s, ok := r.submission(t.Submission)
			if !ok || s.Unreadable || r.linked[t.Submission] != "" || t.Requisition.Received.Time().After(s.At.Time()) {
				return errors.New("receipt from a submission that ReceiveSubmission refuses")
			}
		}
		return nil
	}
	c := r.cases[t.Case]
	if c == nil {
		return errors.New("transition of an unknown case")
	}
	to, ok := Next(c.State, t.Event)
	if !ok || to != t.To || t.From != c.State || t.Requisition != nil {
		return errors.New("transition not allowed")
	}
	if (t.Event == IssueWorkOrder) != (t.WorkOrder != nil) || (t.Event == AttachResult) != (t.Result != nil) || (t.Event == Answer) != (t.Delivery != nil) {
		return errors.New("transition without its data, or with another's")
	}
	switch {
	case t.WorkOrder != nil:
		if !t.WorkOrder.Ref.Valid() || r.refs[t.WorkOrder.Ref] != "" {
			return errors.New("work order with a malformed or reused reference")
		}
	case t.Result != nil:
		if r.refs[t.Result.Ref] != t.Case || r.results[t.Result.Ref] || len(t.Result.problems()) > 0 {
			return errors.New("result that AttachResult refuses")
		}
	case t.Delivery != nil:
		if len(deliveryProblems(*t.Delivery, c, t.At)) > 0 {
			return errors.New("delivery that Answer refuses")
		}
	}
	return nil
}

func (r *Register) apply(t Transition) {
	if t.Requisition != nil {
		r.cases[t.Case] = &Case{ID: t.Case, Requisition: cloneRequisition(*t.Requisition), State: t.To, History: []Transition{t}, Submission: t.Submission}
		if t.Submission != 0 {
			r.linked[t.Submission] = t.Case
		}
		return
	}
	c := r.cases[t.Case]
	c.State = t.To
	c.History = append(c.History, t)
	switch {
	case t.WorkOrder != nil:
		c.WorkOrders = append(c.WorkOrders, *t.WorkOrder)
		r.refs[t.WorkOrder.Ref] = t.Case
	case t.Result != nil:
		c.Results = append(c.Results, *t.Result)
		r.results[t.Result.Ref] = true
	case t.Delivery != nil:
		d := *t.Delivery
		c.Delivery = &d
	}
}

// MaxCaseID bounds a case ID's length.
const MaxCaseID = 64

// ReceiveNext records a requisition like [Register.Receive], under the
// next case ID of the current year in Brussels — "YYYY-NNNN", one more
// than the highest of that year — chosen while the journal is held, so
// that members receiving at the same moment, in several processes, get
// distinct IDs.
func (r *Register) ReceiveNext(req requisition.Requisition, actor string, v timesync.Verdict) (Case, error) {
	return r.receive("", 0, req, actor, v)
}

// ReceiveSubmission records, like [Register.ReceiveNext], the requisition
// that the submission numbered seq brought — read from it by a program, or
// transcribed by a member from an original no program reads (a scan, a
// PDF) — as received when it reached the cell, not when a member turned
// it into a case: the deadlines count from that moment. req's time of
// receipt, when zero, is set to the second the submission was recorded;
// it may be earlier (the second the cell's mail server accepted the
// message, which package intake reads from it), never later. The case keeps the submission's number (Case.Submission),
// so the original stays linked to it. A submission becomes one case at
// most; one that no member can read cannot become a case.
func (r *Register) ReceiveSubmission(seq uint64, req requisition.Requisition, actor string, v timesync.Verdict) (Case, error) {
	if seq == 0 {
		return Case{}, fmt.Errorf("%w: no submission is numbered 0", ErrInput)
	}
	return r.receive("", seq, req, actor, v)
}

// submission returns the submission numbered seq.
func (r *Register) submission(seq uint64) (Submission, bool) {
	i, ok := slices.BinarySearchFunc(r.subs, seq, func(s Submission, seq uint64) int { return cmp.Compare(s.Seq, seq) })
	if !ok {
		return Submission{}, false
	}
	return r.subs[i], true
}

// Receive records a requisition as received by actor, under the cell's
// own case id (at most [MaxCaseID] bytes of printable ASCII: the ID
// appears in logs, so it must not be the authority's reference), with the
// clock verdict of the moment. The requisition is recorded as it came:
// checking it is the next step ([Acknowledge], then [CheckLawful] or
// [Contest]).
func (r *Register) Receive(id string, req requisition.Requisition, actor string, v timesync.Verdict) (Case, error) {
	if !validCaseID(id) {
		return Case{}, fmt.Errorf("%w: a case ID is 1 to %d printable ASCII characters", ErrInput, MaxCaseID)
	}
	return r.receive(id, 0, req, actor, v)
}

func (r *Register) receive(id string, sub uint64, req requisition.Requisition, actor string, v timesync.Verdict) (Case, error) {
	if req.Received.IsZero() && sub == 0 {
		return Case{}, fmt.Errorf("%w: the requisition's time of receipt is needed: its deadlines count from it", ErrInput)
	}
	texts := []string{req.Reference}
	texts = append(texts, req.Offences...)
	for _, tg := range req.Targets {
		texts = append(texts, tg.Value)
	}
	if !validText(texts...) {
		return Case{}, fmt.Errorf("%w: the requisition holds text that is not valid UTF-8", ErrInput)
	}
	if err := req.Office.Check(); err != nil {
		return Case{}, fmt.Errorf("%w: %w", ErrInput, err)
	}
	req = cloneRequisition(req)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(func() (Transition, error) {
		if err := r.checkActor(actor); err != nil {
			return Transition{}, err
		}
		id := id
		if id == "" {
			id = nextID(r.sortedIDs(), r.cfg.Clock.Now())
		}
		if _, ok := r.cases[id]; ok {
			return Transition{}, ErrCaseExists
		}
		if sub != 0 {
			s, ok := r.submission(sub)
			switch {
			case !ok:
				return Transition{}, fmt.Errorf("%w: no submission has this number", ErrInput)
			case s.Unreadable:
				return Transition{}, fmt.Errorf("%w: the submission cannot be read", ErrInput)
			case r.linked[sub] != "":
				return Transition{}, fmt.Errorf("%w: a case was already received from this submission", ErrCaseExists)
			}
			req := cloneRequisition(req)
			switch {
			case req.Received.IsZero():
				req.Received = s.At
			case req.Received.Time().After(s.At.Time()):
				return Transition{}, fmt.Errorf("%w: a requisition cannot be received after the submission that brought it was recorded", ErrInput)
			}
			return Transition{Case: id, To: Received, Actor: actor, At: timesync.Now(r.cfg.Clock), Clock: EvidenceOf(v), Requisition: &req, Submission: sub}, nil
		}
		return Transition{Case: id, To: Received, Actor: actor, At: timesync.Now(r.cfg.Clock), Clock: EvidenceOf(v), Requisition: &req}, nil
	})
}

// nextID returns the next case ID of the year: YYYY-NNNN.
func nextID(ids []string, now time.Time) string {
	year := timesync.Day(now).Year()
	n := 1
	for _, id := range ids {
		var y, k int
		if c, _ := fmt.Sscanf(id, "%d-%d", &y, &k); c == 2 && y == year && k >= n {
			n = k + 1
		}
	}
	return fmt.Sprintf("%d-%04d", year, n)
}

// validText reports whether every string is valid UTF-8: the journal
// keeps JSON, which would silently replace invalid bytes.
func validText(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

func validCaseID(id string) bool {
	if id == "" || len(id) > MaxCaseID {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// Apply performs event on case id by actor, with the clock verdict of the
// moment and an optional note (the reasons of a contest, say). An
// illegal transition — answering a case nobody acknowledged, invoicing an
// unanswered one — is refused with [ErrTransition] and nothing is
// written. Events that carry data are refused with [ErrEventData].
func (r *Register) Apply(id string, ev Event, actor string, v timesync.Verdict, note string) (Case, error) {
	if ev == IssueWorkOrder || ev == AttachResult || ev == Answer {
		return Case{}, fmt.Errorf("%w (%s)", ErrEventData, ev)
	}
	if len(note) > MaxText || !validText(note) {
		return Case{}, fmt.Errorf("%w: a note is at most %d bytes of UTF-8", ErrInput, MaxText)
	}
	return r.applyStep(id, ev, actor, v, note, nil)
}

// applyStep records step ev on case id with a note and, for a check,
// its summary.
func (r *Register) applyStep(id string, ev Event, actor string, v timesync.Verdict, note string, check *CheckSummary) (Case, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(func() (Transition, error) {
		t, _, err := r.begin(id, ev, actor, v)
		t.Note, t.Check = note, check
		return t, err
	})
}

// CheckSummary is what [Register.Check] records of a member's
// examination: the findings counted, and each rule not met with its
// article — never a target or a reference. It is recorded as data and
// said in the reader's language when shown ([CheckSummary.Text]), so that
// a step recorded today reads in French, Dutch, German or English for as
// long as the register is kept.
type CheckSummary struct {
	// Findings counts every finding, warnings and information included;
	// Warnings the warnings among them.
	Findings int `json:"findings"`
	Warnings int `json:"warnings,omitempty"`
	// NotMet are the rules not met (the error findings), in order: none
	// for an order found lawful.
	NotMet []RuleNotMet `json:"not_met,omitempty"`
}

// RuleNotMet is a rule an order does not meet: its identifier, such as
// "88bis-authority", and the article it rests on.
type RuleNotMet struct {
	Rule    string `json:"rule"`
	Article string `json:"article,omitempty"`
}

// Text says the summary in the language tag asks for (French, Dutch,
// German; English otherwise): "rules not met: 46bis-reasoned (art. 46bis
// §1)", « 2 constats, aucune erreur ; 1 avertissement à vérifier ».
func (s CheckSummary) Text(tag language.Tag) string {
	p := printer(tag)
	if len(s.NotMet) > 0 {
		rules := make([]string, len(s.NotMet))
		for i, n := range s.NotMet {
			rules[i] = n.Rule
			if n.Article != "" {
				rules[i] += " (" + n.Article + ")"
			}
		}
		return p.Sprintf("rules not met: %s", strings.Join(rules, "; "))
	}
	if s.Warnings > 0 {
		return p.Sprintf("%[1]d {1:finding|findings}, none an error; %[2]d {2:warning|warnings} to check", s.Findings, s.Warnings)
	}
	return p.Sprintf("%[1]d {1:finding|findings}, none an error", s.Findings)
}

// NoteText returns the step's note in the language tag asks for: a
// check's summary (Check) said in that language; the English note an
// earlier version of ccjkit recorded for a check ("2 finding(s), none an
// error", "rules not met: …"), read back as a summary and said in that
// language too; any other note — a member's own words — as it was
// written, never translated.
func (t Transition) NoteText(tag language.Tag) string {
	if t.Check != nil {
		return t.Check.Text(tag)
	}
	if t.Event == CheckLawful || t.Event == Contest {
		if s, ok := earlierCheckNote(t.Note); ok {
			return s.Text(tag)
		}
	}
	return t.Note
}

// earlierCheckNote reads back the note Register.Check recorded before it
// recorded a CheckSummary: "N finding(s), none an error", with "; M
// warning(s) to check" when there were warnings, or "rules not met: " and
// each rule with its article, separated by "; ".
func earlierCheckNote(note string) (CheckSummary, bool) {
	var s CheckSummary
	if list, ok := strings.CutPrefix(note, "rules not met: "); ok {
		for _, r := range strings.Split(list, "; ") {
			rule, article, _ := strings.Cut(r, " (")
			if rule == "" || strings.ContainsAny(rule, " ()") {
				return CheckSummary{}, false
			}
			s.NotMet = append(s.NotMet, RuleNotMet{Rule: rule, Article: strings.TrimSuffix(article, ")")})
		}
		return s, true
	}
	counts, warnings, hasWarnings := strings.Cut(note, " finding(s), none an error; ")
	if hasWarnings {
		w, ok := strings.CutSuffix(warnings, " warning(s) to check")
		n1, err1 := strconv.Atoi(counts)
		n2, err2 := strconv.Atoi(w)
		if !ok || err1 != nil || err2 != nil || n1 < 0 || n2 < 0 {
			return CheckSummary{}, false
		}
		return CheckSummary{Findings: n1, Warnings: n2}, true
	}
	counts, ok := strings.CutSuffix(note, " finding(s), none an error")
	n, err := strconv.Atoi(counts)
	if !ok || err != nil || n < 0 {
		return CheckSummary{}, false
	}
	return CheckSummary{Findings: n}, true
}

// Review is a case's requisition examined at a moment, with nothing
// recorded: every finding, and the step [Register.Check] would record
// from them. It names rules and articles, never a target or a reference.
type Review struct {
	Case  string             `json:"case"`
	State State              `json:"state"`
	At    timesync.Timestamp `json:"at"`
	// Findings are all of them, warnings and information included.
	Findings []provenance.Finding `json:"findings"`
	// Step is what Check would record: CheckLawful when no finding is
	// an error, Contest otherwise; Summary what it would keep — the
	// findings counted, and each rule not met with its article.
	Step    Event        `json:"step"`
	Summary CheckSummary `json:"summary"`
	// Allowed reports whether the case's state allows Step now: Check,
	// [AskClarification] and [Contest] are recorded on an acknowledged
	// case, or one whose authority was asked to clarify.
	Allowed bool `json:"allowed"`
}

// Review examines case id's requisition at the register clock's now, with
// periods in months counted by rule, and records nothing: what a member
// reads before deciding, and what [Register.Check] would record.
func (r *Register) Review(id string, rule requisition.MonthRule) (Review, error) {
	c, ok := r.Case(id)
	if !ok {
		return Review{}, ErrUnknownCase
	}
	now := r.cfg.Clock.Now()
	rv := Review{Case: id, State: c.State, At: timesync.FromTime(now), Findings: c.Requisition.Findings(now, rule)}
	rv.Step = CheckLawful
	rv.Summary.Findings = len(rv.Findings)
	for _, f := range rv.Findings {
		switch f.Severity {
		case provenance.Error:
			rv.Step = Contest
			rv.Summary.NotMet = append(rv.Summary.NotMet, RuleNotMet{Rule: f.Rule, Article: f.Source.Article})
		case provenance.Warning:
			rv.Summary.Warnings++
		}
	}
	_, rv.Allowed = Next(c.State, rv.Step)
	return rv, nil
}

// Check records a member's examination of a case's requisition at the
// register clock's now, with periods in months counted by rule: when no
// finding is an error, the case is found lawful (CheckLawful, its
// [CheckSummary] counting the findings); otherwise it is contested
// (Contest), the summary naming each rule not met and its article — never
// a target or a reference. It returns the case after the step and every finding,
// warnings and information included, for the member to read.
// [Register.Review] says the same and records nothing.
//
// A finding is an error only where ccjkit holds the rule in force with the
// certainty to say so; the cell may still contest or execute as it judges,
// with [Register.Apply].
func (r *Register) Check(id string, rule requisition.MonthRule, actor string, v timesync.Verdict) (Case, []provenance.Finding, error) {
	rv, err := r.Review(id, rule)
	if err != nil {
		return Case{}, nil, err
	}
	c, err := r.applyStep(id, rv.Step, actor, v, "", &rv.Summary)
	return c, rv.Findings, err
}

// CasesWithReference returns, sorted, the IDs of the cases whose
// requisition carries the authority's reference ref, compared as people
// retype a reference: whatever its spaces and letter case. An order
// received twice (sent again, or by two channels) shows here before it
// becomes a second case. The reference is secret: say which cases, by
// their IDs, never the reference. An empty ref matches no case.
func (r *Register) CasesWithReference(ref string) []string {
	key := referenceKey(ref)
	if key == "" {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for _, id := range r.sortedIDs() {
		if referenceKey(r.cases[id].Requisition.Reference) == key {
			ids = append(ids, id)
		}
	}
	return ids
}

// referenceKey is a reference without its spaces, in lower case: the
// form two typings of one reference share.
func referenceKey(ref string) string {
	return strings.ToLower(strings.Join(strings.Fields(ref), ""))
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

func (r *Register) snapshot(id string) Case { return cloneCase(*r.cases[id]) }

// cloneCase copies a case deeply: nothing the caller holds shares memory
// with the register.
func cloneCase(c Case) Case {
	c.Requisition = cloneRequisition(c.Requisition)
	c.History = slices.Clone(c.History)
	for i, t := range c.History {
		if t.Requisition != nil {
			req := cloneRequisition(*t.Requisition)
			c.History[i].Requisition = &req
		}
		if t.WorkOrder != nil {
			wo := cloneWorkOrder(*t.WorkOrder)
			c.History[i].WorkOrder = &wo
		}
		if t.Result != nil {
			res := *t.Result
			c.History[i].Result = &res
		}
		if t.Delivery != nil {
			d := *t.Delivery
			d.Items = slices.Clone(d.Items)
			c.History[i].Delivery = &d
		}
	}
	c.WorkOrders = slices.Clone(c.WorkOrders)
	for i, wo := range c.WorkOrders {
		c.WorkOrders[i] = cloneWorkOrder(wo)
	}
	c.Results = slices.Clone(c.Results)
	if c.Delivery != nil {
		d := *c.Delivery
		d.Items = slices.Clone(d.Items)
		c.Delivery = &d
	}
	return c
}

func cloneRequisition(r requisition.Requisition) requisition.Requisition {
	r.Offences = slices.Clone(r.Offences)
	r.Items = slices.Clone(r.Items)
	r.Targets = slices.Clone(r.Targets)
	return r
}

func cloneWorkOrder(wo WorkOrder) WorkOrder {
	wo.Lookups = slices.Clone(wo.Lookups)
	for i := range wo.Lookups {
		wo.Lookups[i].Items = slices.Clone(wo.Lookups[i].Items)
	}
	return wo
}

// CaseIDs returns the IDs of all cases, sorted.
func (r *Register) CaseIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sortedIDs()
}

// Cases returns every case, in the order of their IDs. Each is a copy:
// changing it changes nothing in the register.
func (r *Register) Cases() []Case {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Case, 0, len(r.cases))
	for _, id := range r.sortedIDs() {
		out = append(out, r.snapshot(id))
	}
	return out
}

// Due is a case's answer deadline as re-evaluated at a moment.
type Due struct {
	Case     string               `json:"case"`
	State    State                `json:"state"`
	Deadline requisition.Deadline `json:"deadline"`
	// Overdue: the deadline has passed. Left is the time still left,
	// negative when overdue, zero for a deadline with no fixed instant.
	Overdue bool          `json:"overdue"`
	Left    time.Duration `json:"left_ns"`
	// Unknown: the deadline cannot be computed from the requisition as
	// recorded (a stated moment before receipt, say): a member must look.
	Unknown bool `json:"unknown,omitempty"`
}

// DueWithin re-evaluates, at instant at, the answer deadline of every open
// case (received up to in progress) and returns those overdue or falling
// due within d: overdue first, then by deadline. Cases whose answer is
// due "in real time" or "immediately" have no fixed instant and are always
// listed while open, after the overdue ones; cases whose deadline cannot
// be computed are listed first, marked Unknown.
func (r *Register) DueWithin(at time.Time, d time.Duration) []Due {
	return r.due(at, func(dl requisition.Deadline) bool { return dl.At.Before(at.Add(d)) })
}

// OpenCases re-evaluates, at instant at, the answer deadline of every open
// case (received up to in progress) and returns them all, in the order of
// [Register.DueWithin]: those whose deadline cannot be computed and those
// overdue first, then those due in real time or immediately, then the
// others by deadline.
func (r *Register) OpenCases(at time.Time) []Due {
	return r.due(at, func(requisition.Deadline) bool { return true })
}

// due lists the open cases whose fixed deadline keep accepts, with every
// open case whose deadline is unknown or has no fixed instant.
func (r *Register) due(at time.Time, keep func(requisition.Deadline) bool) []Due {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Due
	for _, id := range r.sortedIDs() {
		c := r.cases[id]
		if !c.State.Open() {
			continue
		}
		dl, err := c.Deadline()
		switch {
		case err != nil:
			out = append(out, Due{Case: id, State: c.State, Unknown: true})
		case dl.Kind == requisition.Unfixed:
			out = append(out, Due{Case: id, State: c.State, Deadline: dl})
		case keep(dl):
			out = append(out, Due{Case: id, State: c.State, Deadline: dl, Overdue: !dl.Before(at), Left: dl.At.Sub(at)})
		}
	}
	rank := func(x Due) int {
		switch {
		case x.Overdue || x.Unknown:
			return 0
		case x.Deadline.Kind == requisition.Unfixed:
			return 1
		}
		return 2
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i].Deadline.At.Before(out[j].Deadline.At)
	})
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
