package register

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
)

// Ref is a work order's opaque reference: "wo-" and 24 base32 letters and
// digits. It is a keyed hash (HMAC-SHA256, under a secret key kept sealed
// in the journal) of the case's ID and the order's number, so that it
// leads back to the case only through the register, and two orders of one
// case do not look related.
type Ref string

const refPrefix = "wo-"

var refEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Valid reports whether r has the form of a reference.
func (r Ref) Valid() bool {
	s, ok := strings.CutPrefix(string(r), refPrefix)
	if !ok || len(s) != 24 {
		return false
	}
	_, err := refEncoding.DecodeString(strings.ToUpper(s))
	return err == nil && strings.ToLower(s) == s
}

// MarshalText returns the reference; an invalid one is an error.
func (r Ref) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("%w: malformed work-order reference", ErrInput)
	}
	return []byte(r), nil
}

// UnmarshalText accepts what [Ref.Valid] accepts; anything else is an
// error that wraps [ErrInput].
func (r *Ref) UnmarshalText(b []byte) error {
	if !Ref(b).Valid() {
		return fmt.Errorf("%w: a work-order reference is %s", ErrInput, Ref("").Hint())
	}
	*r = Ref(b)
	return nil
}

// Hint says what a reference looks like, for decoding errors.
func (Ref) Hint() string { return `"wo-" and 24 lower-case base32 characters` }

func workOrderRef(key []byte, caseID string, n int) Ref {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ccjkit work order v1\x00"))
	m.Write([]byte(caseID))
	m.Write([]byte{0})
	m.Write([]byte(strconv.Itoa(n)))
	return Ref(refPrefix + strings.ToLower(refEncoding.EncodeToString(m.Sum(nil)[:15])))
}

// Lookup is one thing a technician must extract: data of the kinds Items
// about the identifier Target, in Target's time window.
type Lookup struct {
	Items  []requisition.Item `json:"items"`
	Target requisition.Target `json:"target"`
}

// WorkOrder is what a technician receives (IBPT brochure §3.16:
// technicians are told only what they strictly need [S]). It is a type of
// its own, with no path back to the case: no case ID, no authority, no
// reference, no offence, not even the measure — only what to extract, by
// when, and an opaque reference to return the result with. A test keeps
// its fields to exactly this list.
type WorkOrder struct {
	Ref     Ref                `json:"ref"`
	Issued  timesync.Timestamp `json:"issued"`
	Due     timesync.Timestamp `json:"due"`
	Lookups []Lookup           `json:"lookups"`
}

// Text writes the work order for the technician, in the language tag asks
// for (French, Dutch, German or English), times in Brussels time with
// their offset, to the second.
func (w WorkOrder) Text(tag language.Tag) string {
	p := printer(tag)
	var b strings.Builder
	fmt.Fprintln(&b, p.Sprintf("Work order %s", string(w.Ref)))
	fmt.Fprintln(&b, p.Sprintf("Issued: %s", clock(w.Issued, tag)))
	fmt.Fprintln(&b, p.Sprintf("Due before: %s", clock(w.Due, tag)))
	for i, l := range w.Lookups {
		items := make([]string, len(l.Items))
		for k, it := range l.Items {
			items[k] = it.Label(tag)
		}
		fmt.Fprintf(&b, "%d. %s — %s\n", i+1, strings.Join(items, ", "), describeTarget(tag, l.Target))
	}
	fmt.Fprintln(&b, p.Sprintf("Return the result with the reference %s only. Keep this order secret.", string(w.Ref)))
	return b.String()
}

// clock formats a timestamp to the second in Brussels time with its
// offset, as people read it in the language tag asks for
// ([timesync.Timestamp.Display]): "2026-11-20 14:03:12 +01:00" in
// English, "20/11/2026 14:03:12 +01:00" in French.
func clock(ts timesync.Timestamp, tag language.Tag) string { return ts.Display(tag) }

// describeTarget names a target and its window for a technician.
func describeTarget(tag language.Tag, t requisition.Target) string {
	p := printer(tag)
	var id string
	switch t.Kind {
	case requisition.TargetIP:
		id = t.Addr.String()
		if t.Port != 0 {
			id = p.Sprintf("%s, source port %s", id, strconv.Itoa(int(t.Port)))
		}
	case requisition.TargetPrefix:
		id = t.Prefix.String()
	default:
		id = t.Value
	}
	s := p.Sprintf("target:"+t.Kind.String(), id)
	switch {
	case t.From.IsZero() && t.Until.IsZero():
	case t.Until.Sub(t.From) == time.Second:
		s += " " + p.Sprintf("at %s", clock(t.From, tag))
	case t.Until.IsZero():
		s += " " + p.Sprintf("from %s", clock(t.From, tag))
	default:
		s += " " + p.Sprintf("from %s to %s", clock(t.From, tag), clock(t.Until, tag))
	}
	return s
}

// Outcome is what a technician found.
type Outcome string

// The outcomes of a work order.
const (
	Found       Outcome = "found"        // the data is in Data
	NothingHeld Outcome = "nothing-held" // the operator holds no such data
	NotPossible Outcome = "not-possible" // it could not be extracted; Data says why
)

func outcomes() []Outcome { return []Outcome{Found, NothingHeld, NotPossible} }

// Hint lists the outcomes, for decoding errors.
func (Outcome) Hint() string { return "one of found, nothing-held, not-possible" }

// UnmarshalText accepts the outcomes' names; any other text is an error
// that wraps [ErrUnknownValue].
func (o *Outcome) UnmarshalText(b []byte) error {
	if !slices.Contains(outcomes(), Outcome(b)) {
		return fmt.Errorf("%w: not an outcome (want %s)", ErrUnknownValue, o.Hint())
	}
	*o = Outcome(b)
	return nil
}

// WorkResult is what a technician sends back: the work order's reference,
// who did the work, when it was completed, and the data or why there is
// none.
type WorkResult struct {
	Ref       Ref                `json:"ref"`
	By        string             `json:"by"`
	Completed timesync.Timestamp `json:"completed"`
	Outcome   Outcome            `json:"outcome"`
	// Data may span several lines: tabs and line feeds are its only
	// control characters (see DecodeWorkResult).
	Data string `json:"data,omitempty" strictjson:"lines"`
}

// Limits on what the register accepts as text.
const (
	// MaxText bounds a note or a description.
	MaxText = 4 << 10
	// MaxResultData bounds a work result's data.
	MaxResultData = 256 << 10
	// MaxResult bounds a work result's JSON encoding.
	MaxResult = MaxResultData*2 + 4<<10
	// MaxName bounds a person's or recipient's name.
	MaxName = 200
)

// ErrDecode is wrapped by every finding of the errors of
// [DecodeWorkResult].
var ErrDecode = errors.New("register: cannot decode")

// resultFormat is a work result's JSON encoding, as [DecodeWorkResult]
// reports its problems.
func resultFormat() strictjson.Format {
	return strictjson.Format{What: "register: decode work result", Name: "work result JSON encoding", Err: ErrDecode, Max: MaxResult, PlainText: true}
}

// DecodeWorkResult reads a technician's result from its JSON encoding,
// strictly (at most [MaxResult] bytes, no unknown field, every value of
// the right form, no control or bidirectional character in any text —
// [strictjson.IsControl] — but tabs and line feeds in data, so that no
// output printing the result can be repainted or forged) and checks it. Its error is a [*provenance.Problems]
// listing every problem, each a finding of rule "decode" with its field,
// never its value, that wraps [ErrDecode].
func DecodeWorkResult(data []byte) (WorkResult, error) {
	f := resultFormat()
	var w WorkResult
	if err := f.Decode(data, &w); err != nil {
		return WorkResult{}, err
	}
	if err := f.Check(w.check(f.Problem)); err != nil {
		return WorkResult{}, err
	}
	return w, nil
}

// problem makes the finding for a field of the input at fault, explained
// by a message that does not quote the input.
type problem func(field, msg string) provenance.Finding

// inputProblem returns the problems of the input to a step of a case,
// findings of rule that wrap [ErrInput].
func inputProblem(rule string) problem {
	return func(field, msg string) provenance.Finding {
		return provenance.Finding{Rule: rule, Severity: provenance.Error, Field: field, Source: provenance.Rule(rule),
			Err: ErrInput, Message: provenance.Text(msg)}
	}
}

// problems checks a work result as an input to [Register.AttachResult].
func (w WorkResult) problems() []provenance.Finding { return w.check(inputProblem("work-result")) }

// check checks a work result, each problem made by bad.
func (w WorkResult) check(bad problem) []provenance.Finding {
	var out []provenance.Finding
	if !w.Ref.Valid() {
		out = append(out, bad("ref", "want "+w.Ref.Hint()))
	}
	if w.By == "" || len(w.By) > MaxName {
		out = append(out, bad("by", fmt.Sprintf("the technician's name, 1 to %d bytes", MaxName)))
	}
	if w.Completed.IsZero() {
		out = append(out, bad("completed", "the time the work was completed is needed"))
	}
	if !slices.Contains(outcomes(), w.Outcome) {
		out = append(out, bad("outcome", "want "+w.Outcome.Hint()))
	}
	if len(w.Data) > MaxResultData {
		out = append(out, bad("data", fmt.Sprintf("more than %d bytes", MaxResultData)))
	}
	if !utf8.ValidString(w.By) {
		out = append(out, bad("by", "not valid UTF-8"))
	}
	if !utf8.ValidString(w.Data) {
		out = append(out, bad("data", "not valid UTF-8"))
	}
	if (w.Outcome == Found || w.Outcome == NotPossible) && strings.TrimSpace(w.Data) == "" {
		out = append(out, bad("data", "needed when the outcome is found or not-possible"))
	}
	return out
}

// IssueWorkOrder makes a work order for case id, issued by actor. Lookups
// say what to extract; each must name one of the requisition's targets
// and only items the requisition asks for — a work order cannot ask for
// more than the order does. Nil lookups mean everything the requisition
// asks, about each of its targets. Due is when the result is needed; zero
// means the case's answer deadline, which must then be a fixed instant.
// The case must be lawful or in progress. Problems with the lookups or
// the due time come together in a [*provenance.Problems] whose findings
// wrap [ErrInput].
func (r *Register) IssueWorkOrder(id string, lookups []Lookup, due time.Time, actor string, v timesync.Verdict) (WorkOrder, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var wo WorkOrder
	_, err := r.commit(func() (Transition, error) {
		t, c, err := r.begin(id, IssueWorkOrder, actor, v)
		if err != nil {
			return Transition{}, err
		}
		req := c.Requisition
		if lookups == nil {
			for _, tg := range req.Targets {
				lookups = append(lookups, Lookup{Items: slices.Clone(req.Items), Target: tg})
			}
		}
		if len(lookups) == 0 {
			return Transition{}, fmt.Errorf("%w: a work order needs at least one lookup", ErrInput)
		}
		bad := inputProblem("work-order")
		var probs []provenance.Finding
		for i, l := range lookups {
			if !slices.Contains(req.Targets, l.Target) {
				probs = append(probs, bad(fmt.Sprintf("lookups[%d].target", i), "not one of the requisition's targets"))
			}
			if len(l.Items) == 0 {
				probs = append(probs, bad(fmt.Sprintf("lookups[%d].items", i), "no item to extract"))
			}
			for k, it := range l.Items {
				if !slices.Contains(req.Items, it) {
					probs = append(probs, bad(fmt.Sprintf("lookups[%d].items[%d]", i, k), fmt.Sprintf("%s is not asked for by the requisition", it)))
				}
			}
		}
		if due.IsZero() {
			dl, err := c.Deadline()
			if err != nil || dl.Kind != requisition.Fixed {
				probs = append(probs, bad("due", "the case's deadline has no fixed instant; give the work order's own"))
			} else {
				due = dl.At
			}
		}
		if !due.IsZero() && !due.After(t.At.Time()) {
			probs = append(probs, bad("due", "the time is already past"))
		}
		if err := provenance.Check("register: work order", probs); err != nil {
			return Transition{}, err
		}
		wo = WorkOrder{
			Ref:    workOrderRef(r.woKey, id, len(c.WorkOrders)+1),
			Issued: t.At,
			Due:    timesync.FromTime(due),
		}
		for _, l := range lookups {
			wo.Lookups = append(wo.Lookups, Lookup{Items: slices.Clone(l.Items), Target: l.Target})
		}
		t.WorkOrder = &wo
		return t, nil
	})
	if err != nil {
		return WorkOrder{}, err
	}
	return cloneWorkOrder(wo), nil
}

// ErrUnknownRef is returned for a result whose reference matches no work
// order.
var ErrUnknownRef = errors.New("register: no work order has this reference")

// AttachResult attaches a technician's result to the case its reference
// leads to, on behalf of actor, a member. The case must be in progress,
// the work order must have no result yet, and the result must not claim
// to be completed before its order was issued or after now. A result
// that [DecodeWorkResult] would refuse is refused with a
// [*provenance.Problems] whose findings wrap [ErrInput].
func (r *Register) AttachResult(res WorkResult, actor string, v timesync.Verdict) (Case, error) {
	if err := provenance.Check("register: work result", res.problems()); err != nil {
		return Case{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(func() (Transition, error) {
		if err := r.checkActor(actor); err != nil {
			return Transition{}, err
		}
		id, ok := r.refs[res.Ref]
		if !ok {
			return Transition{}, ErrUnknownRef
		}
		if r.results[res.Ref] {
			return Transition{}, fmt.Errorf("%w: this work order already has a result", ErrTransition)
		}
		t, c, err := r.begin(id, AttachResult, actor, v)
		if err != nil {
			return Transition{}, err
		}
		for _, wo := range c.WorkOrders {
			if wo.Ref == res.Ref && res.Completed.Before(wo.Issued) {
				return Transition{}, fmt.Errorf("%w: completed before the work order was issued", ErrInput)
			}
		}
		if res.Completed.After(t.At) {
			return Transition{}, fmt.Errorf("%w: completed in the future", ErrInput)
		}
		t.Result = &res
		return t, nil
	})
}

// WorkOrderFor returns the work order with reference ref, as its
// technician sees it.
func (r *Register) WorkOrderFor(ref Ref) (WorkOrder, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.refs[ref]
	if !ok {
		return WorkOrder{}, false
	}
	for _, wo := range r.cases[id].WorkOrders {
		if wo.Ref == ref {
			return cloneWorkOrder(wo), true
		}
	}
	return WorkOrder{}, false
}
