package tasking

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
)

// DecisionType is the register type of a Decision (register.Submit).
const DecisionType = "intercept"

// The errors of tasking, for errors.Is.
var (
	// ErrDecision: a decision that cannot be recorded or read.
	ErrDecision = errors.New("tasking: invalid decision")
	// ErrTarget: a target an X1 task cannot designate.
	ErrTarget = errors.New("tasking: a target X1 cannot designate")
)

// Intent is what a decision says: start or stop a case's interception.
type Intent string

// The intents of a decision.
const (
	Start Intent = "start"
	Stop  Intent = "stop"
)

// Decision is a member's decision about a case's interception, as the
// register keeps it (sealed, signed by the member).
type Decision struct {
	// Case is the case's ID in the register.
	Case string `json:"case"`
	// Action is start or stop.
	Action Intent `json:"action"`
	// LIID is, for start, the identifier the agency gave for the order.
	LIID string `json:"liid,omitempty"`
	// Delivery is, for start, what is delivered: "iri", "cc" or
	// "iri+cc" (the default).
	Delivery string `json:"delivery,omitempty"`
	// Modifies marks a start that changes a running interception's
	// delivery (desk intercept modify): its task keeps the start of the
	// decision it modifies, so that what was captured before the change
	// stays within its window. Any other start begins the task anew.
	Modifies bool `json:"modifies,omitempty"`
	// By and At are who recorded it and when: set from the register's
	// record when read back, not by the member.
	By string    `json:"-"`
	At time.Time `json:"-"`
}

// Check returns an error wrapping ErrDecision when d cannot be recorded:
// no case, an unknown action, a start without a valid LIID or with an
// unknown delivery, or a stop with either.
func (d Decision) Check() error {
	var why []string
	if d.Case == "" {
		why = append(why, "no case")
	}
	switch d.Action {
	case Start:
		if _, err := intercept.ParseLIID(d.LIID); err != nil {
			why = append(why, "the LIID is 1 to 25 printable ASCII characters, as the agency gave it")
		}
		if _, err := delivery(d.Delivery); err != nil {
			why = append(why, err.Error())
		}
	case Stop:
		if d.LIID != "" || d.Delivery != "" || d.Modifies {
			why = append(why, "a stop names the case only")
		}
	default:
		why = append(why, "the action is start or stop")
	}
	if len(why) > 0 {
		return fmt.Errorf("%w: %s", ErrDecision, joinWhy(why))
	}
	return nil
}

func joinWhy(why []string) string {
	s := why[0]
	for _, w := range why[1:] {
		s += "; " + w
	}
	return s
}

// delivery reads a decision's delivery.
func delivery(s string) (intercept.Delivery, error) {
	switch s {
	case "", "iri+cc":
		return intercept.IRIAndCC, nil
	case "iri":
		return intercept.IRIOnly, nil
	case "cc":
		return intercept.CCOnly, nil
	}
	return 0, errors.New("the delivery is iri, cc or iri+cc")
}

// Decisions reads the decisions of a register: submissions of
// DecisionType signed by a member (a program's or a service's are left
// out: only a member decides an interception), in order, each with who
// recorded it and when. A submission that does not decode or Check is
// left out.
func Decisions(reg *register.Register) []Decision {
	members := reg.Members()
	var out []Decision
	for _, s := range reg.Submissions() {
		if s.Type != DecisionType {
			continue
		}
		if role, _ := register.RoleAt(members, s.By, s.Seq); role != register.RoleMember {
			continue // judged by the role its signer had when it signed
		}
		var d Decision
		dec := json.NewDecoder(bytes.NewReader(s.Data))
		dec.DisallowUnknownFields()
		if dec.Decode(&d) != nil || dec.More() || d.Check() != nil {
			continue
		}
		d.By, d.At = s.By, s.At.Time()
		out = append(out, d)
	}
	return out
}

// XIDFor returns the XID of the task of case caseID in the register whose
// journal identity is journal: the first 16 bytes of the SHA-256 of
// "ccjkit xid v1", the identity and the case ID, as an RFC 9562 version 8
// UUID.
func XIDFor(journal [16]byte, caseID string) x1.UUID {
	h := sha256.New()
	h.Write([]byte("ccjkit xid v1\x00"))
	h.Write(journal[:])
	h.Write([]byte(caseID))
	var u x1.UUID
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return u
}

// Targets turns a requisition's targets into what an X1 task
// designates: an IP address or a prefix (Desired keeps the task within
// the windows the order gives them), or a username. An address with a
// source port (a subscriber behind a shared address) and any other kind
// are refused, every one named by its position and kind in one problem
// list wrapping ErrTarget, never by its value.
func Targets(ts []requisition.Target) ([]intercept.Target, error) {
	var out []intercept.Target
	var fs []provenance.Finding
	refuse := func(field, msg string) {
		fs = append(fs, provenance.Finding{Rule: "x1-target", Severity: provenance.Error, Field: field,
			Source: provenance.Rule("x1-target"), Err: ErrTarget, Message: provenance.Text(msg)})
	}
	for i, t := range ts {
		switch t.Kind {
		case requisition.TargetIP:
			if t.Port != 0 {
				// An address and a port: a subscriber behind a shared
				// address. Tasking the address would intercept everyone
				// who shares it.
				refuse(fmt.Sprintf("targets[%d]", i), "an address with a source port designates one of those who share the address: identify the subscriber first (an identification), and task their own address or username")
				continue
			}
			a := t.Addr.Unmap()
			out = append(out, intercept.AddressTarget(netip.PrefixFrom(a, a.BitLen())))
		case requisition.TargetPrefix:
			out = append(out, intercept.AddressTarget(t.Prefix.Masked()))
		case requisition.TargetUsername:
			out = append(out, intercept.UsernameTarget(t.Value))
		default:
			refuse(fmt.Sprintf("targets[%d]", i), fmt.Sprintf("a %s: an X1 task designates addresses, prefixes and usernames; identify it first", t.Kind))
		}
	}
	if len(ts) == 0 {
		refuse("targets", "the order designates no target")
	}
	if err := provenance.Check("targets", fs); err != nil {
		return nil, err
	}
	return out, nil
}

// Order is an interception the register shows must be active: a case,
// its task's XID, the agency's LIID, what the order designates and
// delivers, and its window.
type Order struct {
	Case     string
	XID      x1.UUID
	LIID     intercept.LIID
	Targets  []intercept.Target
	Delivery intercept.Delivery
	// Start is when the member decided it; End the order's end
	// (ValidUntil), the first instant it is no longer in force.
	Start, End time.Time
}

// TaskDetails is the X1 task of the order, with its mediation details
// (the LIID, what is delivered to the agency, the window) and the
// destinations dids.
func (o Order) TaskDetails(dids []x1.UUID) x1.TaskDetails {
	return x1.TaskDetails{XID: o.XID, Targets: o.Targets, Delivery: o.Delivery, DIDs: slices.Clone(dids),
		Mediation: []x1.MediationDetails{{LIID: o.LIID, Delivery: o.Delivery, Start: o.Start, End: o.End}}}
}

// executable reports whether an order in state s may be carried out.
func executable(s register.State) bool {
	switch s {
	case register.Lawful, register.InProgress, register.Answered, register.Invoiced:
		return true
	}
	return false
}

// Desired returns the orders that must be active at now, and a finding
// for each case a member decided to start that cannot be (why, never its
// targets): see the package documentation for the rule. Orders are
// sorted by case ID.
func Desired(journal [16]byte, cases []register.Case, decisions []Decision, now time.Time) ([]Order, []provenance.Finding) {
	last := map[string]Decision{}
	// since is when the case's task began: a modification (a start
	// marked Modifies, following a start under the same LIID) changes what
	// is delivered, not when the interception began.
	since := map[string]time.Time{}
	for _, d := range decisions {
		if p, ok := last[d.Case]; !ok || !d.Modifies || p.Action != Start || p.LIID != d.LIID {
			since[d.Case] = d.At
		}
		last[d.Case] = d
	}
	var out []Order
	var findings []provenance.Finding
	finding := func(c, why string) {
		findings = append(findings, provenance.Finding{Rule: "tasking", Severity: provenance.Warning, Field: c,
			Message: provenance.Text(fmt.Sprintf("case %s is not tasked: %s", c, why)), Source: provenance.Rule("tasking")})
	}
	for _, c := range cases {
		d, ok := last[c.ID]
		if !ok || d.Action != Start {
			continue
		}
		r := c.Requisition
		switch {
		case r.Measure != requisition.Interception:
			finding(c.ID, "its measure is not an interception")
			continue
		case !executable(c.State):
			finding(c.ID, fmt.Sprintf("its state, %s, is not one in which an order is executed", c.State))
			continue
		case r.ValidUntil.IsZero():
			finding(c.ID, "the order states no end")
			continue
		case !now.Before(r.ValidUntil.Time()):
			continue // ended: deactivated by itself
		}
		targets, err := Targets(r.Targets)
		if err != nil {
			finding(c.ID, "the order designates targets an X1 task cannot: "+err.Error())
			continue
		}
		// An address or a prefix is the target's only in the window the
		// order gives it: the task runs within every such window.
		start, end := since[c.ID].UTC().Truncate(time.Second), r.ValidUntil.Time().UTC()
		for _, t := range r.Targets {
			if t.Kind != requisition.TargetIP && t.Kind != requisition.TargetPrefix {
				continue
			}
			if !t.From.IsZero() && t.From.Time().After(start) {
				start = t.From.Time().UTC()
			}
			if !t.Until.IsZero() && t.Until.Time().Before(end) {
				end = t.Until.Time().UTC()
			}
		}
		if !end.After(start) {
			finding(c.ID, "its targets' windows leave no time within the order's validity")
			continue
		}
		if now.Before(start) || !now.Before(end) {
			continue // not yet, or no longer, the targets' time: deactivated
		}
		liid, _ := intercept.ParseLIID(d.LIID)
		dl, _ := delivery(d.Delivery)
		out = append(out, Order{Case: c.ID, XID: XIDFor(journal, c.ID), LIID: liid, Targets: targets, Delivery: dl, Start: start, End: end})
	}
	slices.SortFunc(out, func(a, b Order) int { return compareStrings(a.Case, b.Case) })
	return out, findings
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Ours returns the XIDs this register's ADMF may have given: those of its
// interception cases, whether tasked now or not. Reconcile removes only
// tasks whose XID is among them.
func Ours(journal [16]byte, cases []register.Case) map[x1.UUID]bool {
	out := map[x1.UUID]bool{}
	for _, c := range cases {
		if c.Requisition.Measure == requisition.Interception {
			out[XIDFor(journal, c.ID)] = true
		}
	}
	return out
}

// NE is the ADMF's view of one point of interception or mediation
// function: *x1.Client is one.
type NE interface {
	ListAllDetails(ctx context.Context) (xids, dids []x1.UUID, err error)
	GetTaskDetails(ctx context.Context, xid x1.UUID) (*x1.TaskResponseDetails, error)
	ActivateTask(ctx context.Context, t x1.TaskDetails) error
	ModifyTask(ctx context.Context, t x1.TaskDetails) error
	DeactivateTask(ctx context.Context, xid x1.UUID) error
}

// Step is what Reconcile did, or tried, to one task on one NE.
type Step string

// The steps of reconciliation.
const (
	Activated   Step = "activated"
	Modified    Step = "modified"
	Deactivated Step = "deactivated"
	// Listed: the NE's task list could not be read; nothing else was
	// done on it.
	Listed Step = "listed"
)

// Action is one step of a reconciliation, as the register keeps it: the
// NE, the step, the task's XID and case ("" for a list), when, and the
// outcome — "" when it succeeded, else the error's text (which names no
// target: X1's errors and the transport's say only a code or a cause).
type Action struct {
	NE    string    `json:"ne"`
	Step  Step      `json:"step"`
	XID   x1.UUID   `json:"xid,omitzero"`
	Case  string    `json:"case,omitempty"`
	At    time.Time `json:"at"`
	Error string    `json:"error,omitempty"`
}

// ActionType is the register type of the Actions a reconciliation
// records.
const ActionType = "x1"

// Reconcile brings the NE named name to the desired orders, at now: it
// activates each order the NE does not hold, modifies each it holds
// differently, and deactivates each task of ours (ours) that is not
// desired. dids are the destinations a task is delivered to. It returns
// every action tried, in order, with its outcome.
func Reconcile(ctx context.Context, ne NE, name string, desired []Order, ours map[x1.UUID]bool, dids []x1.UUID, now time.Time) []Action {
	return reconcile(ctx, ne, name, desired, ours, dids, now, true)
}

// Deactivate is the half of Reconcile that removes: it deactivates every
// task of ours the NE holds that is not among desired, and nothing else.
// Run it when the NE cannot be brought to the desired set whole (a
// destination it lacks): what must end still ends.
func Deactivate(ctx context.Context, ne NE, name string, desired []Order, ours map[x1.UUID]bool, now time.Time) []Action {
	return reconcile(ctx, ne, name, desired, ours, nil, now, false)
}

// reconcile is Reconcile, or with give false only its removing half.
func reconcile(ctx context.Context, ne NE, name string, desired []Order, ours map[x1.UUID]bool, dids []x1.UUID, now time.Time, give bool) []Action {
	at := now.UTC().Truncate(time.Second)
	act := func(step Step, xid x1.UUID, c string, err error) Action {
		a := Action{NE: name, Step: step, XID: xid, Case: c, At: at}
		if err != nil {
			a.Error = err.Error()
		}
		return a
	}
	xids, _, err := ne.ListAllDetails(ctx)
	if err != nil {
		return []Action{act(Listed, x1.UUID{}, "", err)}
	}
	held := map[x1.UUID]bool{}
	for _, x := range xids {
		held[x] = true
	}
	var out []Action
	want := map[x1.UUID]bool{}
	for _, o := range desired {
		want[o.XID] = true
		if !give {
			continue
		}
		td := o.TaskDetails(dids)
		if !held[o.XID] {
			err := ne.ActivateTask(ctx, td)
			if errors.Is(err, x1.XIDAlreadyExists) {
				err = nil // a task sent before a crash, or by another pass: the same XID is the same order
			}
			out = append(out, act(Activated, o.XID, o.Case, err))
			continue
		}
		cur, err := ne.GetTaskDetails(ctx, o.XID)
		if err != nil {
			out = append(out, act(Modified, o.XID, o.Case, err))
			continue
		}
		switch {
		case sameTask(cur.Task, td):
		case !sameLIIDs(cur.Task, td):
			// An LIID names the interception at the mediation function,
			// which refuses to change it by ModifyTask: the task is ended
			// and activated again under the new one.
			err := ne.DeactivateTask(ctx, o.XID)
			if err == nil || errors.Is(err, x1.XIDDoesNotExist) {
				err = ne.ActivateTask(ctx, td)
			}
			out = append(out, act(Modified, o.XID, o.Case, err))
		default:
			out = append(out, act(Modified, o.XID, o.Case, ne.ModifyTask(ctx, td)))
		}
	}
	for _, x := range xids {
		if ours[x] && !want[x] {
			err := ne.DeactivateTask(ctx, x)
			if errors.Is(err, x1.XIDDoesNotExist) {
				err = nil
			}
			out = append(out, act(Deactivated, x, "", err))
		}
	}
	return out
}

// sameLIIDs reports whether two tasks' mediation details name the same
// LIIDs, in order.
func sameLIIDs(a, b x1.TaskDetails) bool {
	if len(a.Mediation) == 0 || len(b.Mediation) == 0 {
		return true // an NE that keeps no mediation details has no LIID to change
	}
	return slices.EqualFunc(a.Mediation, b.Mediation, func(x, y x1.MediationDetails) bool { return x.LIID == y.LIID })
}

// sameTask reports whether the NE's task is the order's: same targets
// and destinations (in any order), delivery, and mediation details to
// the second.
func sameTask(a, b x1.TaskDetails) bool {
	if a.Delivery != b.Delivery || len(a.Targets) != len(b.Targets) || len(a.Mediation) != len(b.Mediation) || len(a.DIDs) != len(b.DIDs) {
		return false
	}
	ad, bd := slices.Clone(a.DIDs), slices.Clone(b.DIDs)
	byBytes := func(x, y x1.UUID) int { return bytes.Compare(x[:], y[:]) }
	slices.SortFunc(ad, byBytes)
	slices.SortFunc(bd, byBytes)
	if !slices.Equal(ad, bd) {
		return false
	}
	key := func(t intercept.Target) string {
		return fmt.Sprint(t.Kind) + "\x00" + t.Prefix.String() + "\x00" + t.Username
	}
	as, bs := make([]string, len(a.Targets)), make([]string, len(b.Targets))
	for i := range a.Targets {
		as[i], bs[i] = key(a.Targets[i]), key(b.Targets[i])
	}
	slices.Sort(as)
	slices.Sort(bs)
	if !slices.Equal(as, bs) {
		return false
	}
	for i := range a.Mediation {
		x, y := a.Mediation[i], b.Mediation[i]
		if x.LIID.String() != y.LIID.String() || x.Delivery != y.Delivery ||
			!x.Start.Truncate(time.Second).Equal(y.Start.Truncate(time.Second)) || !x.End.Truncate(time.Second).Equal(y.End.Truncate(time.Second)) {
			return false
		}
	}
	return true
}
