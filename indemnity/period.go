package indemnity

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// Billing says under which service of the tariff each measure is claimed.
// The law does not say which line of the annex a measure falls under (see
// the package documentation), so the cell decides and writes it down; a
// measure with no entry is not billed, and [PeriodClaims] lists its cases
// apart. In JSON it is an object from measure keys ("identification") to
// service keys ("subscriber-identification").
type Billing map[requisition.Measure]Service

// Hint says what a valid value is, for a strict decoder's message.
func (Billing) Hint() string {
	return "an object from measure keys (identification, traffic-location, ...) to the services the tariff prices (historical-observation, ...)"
}

// Check returns an error wrapping [ErrNoLine] naming each measure whose
// service is no service of the tariff, nil when every entry names one.
func (b Billing) Check() error {
	var errs []error
	for _, m := range slices.Sorted(maps.Keys(b)) {
		if !slices.ContainsFunc(Tariff(), func(l Line) bool { return l.Service == b[m] }) {
			errs = append(errs, fmt.Errorf("%w: billing.%s names no service of the tariff", ErrNoLine, m))
		}
	}
	return errors.Join(errs...)
}

// Period is what the claims of a period say about themselves: the
// instants [From, Until) in which the answers were delivered, the day
// the claims are issued, the operator claiming, how measures are billed,
// and the caller's choices for each claim.
type Period struct {
	From, Until time.Time
	Issued      time.Time
	Operator    Party
	Billing     Billing
	Options     ClaimOptions
	// NothingHeld says whether a request answered "nothing held" is
	// claimed; see [NothingHeldPolicy].
	NothingHeld NothingHeldPolicy
	// Offices is the cell's own directory of offices, by key: where it
	// has an office, its claims are addressed as the directory says,
	// whatever the orders give, so that orders which disagree (an address
	// given on one and not on another, a name written two ways) can still
	// be claimed — received orders cannot be amended.
	Offices map[string]requisition.Office
}

// NothingHeldPolicy says whether a request whose every technician result
// was "nothing held" (register.NothingHeld: the operator holds no such
// data) is claimed. The royal decree of 9 January 2003 indemnifies the
// operator per request executed; whether a request executed without
// finding data is one was not found in the texts retrieved [U] (the
// annex's report to the King speaks of the cost of the work, which such a
// request still has, but does not settle it). So it is the cell's choice,
// written down with its reason, and the zero value makes none: such a
// case is listed as [Unbilled] until the cell chooses.
type NothingHeldPolicy uint8

const (
	// NothingHeldUndecided, the zero value: the cell has not chosen; the
	// case is not claimed and is listed with [ErrNothingHeldPolicy].
	NothingHeldUndecided NothingHeldPolicy = iota
	// NothingHeldBilled: the request is claimed at its line's full amount,
	// as any other.
	NothingHeldBilled
	// NothingHeldNotBilled: the request is never claimed; it is listed
	// with [ErrNotBilled].
	NothingHeldNotBilled
)

// NothingHeldPolicies returns every policy, the zero value first.
func NothingHeldPolicies() []NothingHeldPolicy {
	return []NothingHeldPolicy{NothingHeldUndecided, NothingHeldBilled, NothingHeldNotBilled}
}

// String returns the policy's key: "undecided", "billed" or "not-billed".
func (p NothingHeldPolicy) String() string {
	switch p {
	case NothingHeldUndecided:
		return "undecided"
	case NothingHeldBilled:
		return "billed"
	case NothingHeldNotBilled:
		return "not-billed"
	}
	return fmt.Sprintf("NothingHeldPolicy(%d)", uint8(p))
}

// MarshalText returns the key.
func (p NothingHeldPolicy) MarshalText() ([]byte, error) {
	if !slices.Contains(NothingHeldPolicies(), p) {
		return nil, fmt.Errorf("%w: %v", ErrClaim, p)
	}
	return []byte(p.String()), nil
}

// Hint says what a valid value is, for a strict decoder's message.
func (NothingHeldPolicy) Hint() string { return "one of undecided, billed, not-billed" }

// UnmarshalText accepts "undecided", "billed" or "not-billed".
func (p *NothingHeldPolicy) UnmarshalText(b []byte) error {
	for _, v := range NothingHeldPolicies() {
		if v.String() == string(b) {
			*p = v
			return nil
		}
	}
	return fmt.Errorf("%w: not a nothing-held policy (want undecided, billed or not-billed)", ErrClaim)
}

// ErrNothingHeldPolicy is wrapped by an [Unbilled] case's error when the
// request was answered "nothing held" and the cell has not chosen whether
// such requests are claimed ([NothingHeldPolicy]).
var ErrNothingHeldPolicy = errors.New("indemnity: whether a request answered nothing held is claimed is not decided")

// ErrNothingHeld is wrapped, beside [ErrNotBilled] or
// [ErrNothingHeldPolicy], by an [Unbilled] case's error when the request
// was answered "nothing held".
var ErrNothingHeld = errors.New("indemnity: answered nothing held")

// nothingHeld reports whether every result attached to the case says the
// operator holds no such data (and there is at least one).
func nothingHeld(c register.Case) bool {
	if len(c.Results) == 0 {
		return false
	}
	for _, r := range c.Results {
		if r.Outcome != register.NothingHeld {
			return false
		}
	}
	return true
}

// Billable says whether case c, answered, is claimed under period p's
// rules, and under which request; when it is not, the [Unbilled] says
// why. It is the one rule [PeriodClaims] applies, so that a program that
// records a claim as sent for one case (register.Invoice) can refuse
// exactly the cases a claim leaves out. It does not look at the period's
// instants: whether the case falls in the period is the caller's
// question; nor at other cases: orders that give one office key different
// details ([ErrOfficeConflict]) are found by PeriodClaims only.
func Billable(c register.Case, p Period) (Executed, *Unbilled) {
	m := c.Requisition.Measure
	unbilled := func(u Unbilled) (Executed, *Unbilled) {
		u.Case, u.Measure, u.Reason = c.ID, m, u.Err.Error()
		return Executed{}, &u
	}
	if c.Delivery == nil {
		return unbilled(Unbilled{Err: fmt.Errorf("%w: the case was not answered", ErrNotBilled)})
	}
	if err := c.Requisition.Office.Check(); err != nil {
		return unbilled(Unbilled{Err: fmt.Errorf("%w: %w", ErrClaim, err)})
	}
	svc, ok := p.Billing[m]
	if !ok || !slices.Contains(requisition.Authorities(), c.Requisition.Authority) {
		return unbilled(Unbilled{Service: svc, Err: fmt.Errorf("%w: no billing entry for the measure %s, or an authority ccjkit does not know", ErrNotBilled, m)})
	}
	if nothingHeld(c) {
		switch p.NothingHeld {
		case NothingHeldBilled:
		case NothingHeldNotBilled:
			return unbilled(Unbilled{Service: svc, Err: fmt.Errorf("%w: %w, which the cell does not claim", ErrNotBilled, ErrNothingHeld)})
		default:
			return unbilled(Unbilled{Service: svc, Err: fmt.Errorf("%w [U]: %w; choose a NothingHeldPolicy", ErrNothingHeldPolicy, ErrNothingHeld)})
		}
	}
	e := Executed{Service: svc, Reference: c.Requisition.Reference, Ordered: c.Requisition.Ordered, Executed: c.Delivery.At}
	if _, err := p.Options.Pricer.Price(e); err != nil {
		u := Unbilled{Service: svc, Err: err}
		if l, ok := lineFor(p.Options.Pricer, e); ok {
			u.Line, u.Certainty = l.Code, l.Certainty
		}
		return unbilled(u)
	}
	return e, nil
}

// ErrNotBilled is wrapped by an [Unbilled] case's error when its measure
// has no entry in the [Billing] or its authority is none ccjkit knows:
// the cell has not said under which line to claim it.
var ErrNotBilled = errors.New("indemnity: not billed")

// Unbilled is an answered case of the period that no claim includes, and
// why: the cell settles it by hand, or learns that it cannot be claimed.
type Unbilled struct {
	// Case is the register's case ID (never the authority's reference).
	Case string `json:"case"`
	// Measure is the case's measure; Service the billing entry it had, if
	// any.
	Measure requisition.Measure `json:"measure"`
	Service Service             `json:"service,omitempty"`
	// Line is the code of the tariff line the service led to, when one is
	// in force ("BE2017-4"); Certainty how sure its amount is.
	Line      string               `json:"line,omitempty"`
	Certainty provenance.Certainty `json:"certainty,omitzero"`
	// Err says why, wrapping [ErrNotBilled], [ErrNoLine],
	// [ErrUnknownAmount], [ErrNotPerRequest] or [ErrExecuted]; its text
	// names the line and its source, never the case's reference.
	Err error `json:"-"`
	// Reason is Err's text, for JSON.
	Reason string `json:"reason"`
}

// Text says in the language tag asks for why the case is not billed:
// "2026-0003 (interception): not billable — BE2017-4, amount unknown [U]".
func (u Unbilled) Text(tag language.Tag) string {
	p := messages().Printer(tag)
	var why string
	switch {
	case errors.Is(u.Err, ErrUnknownAmount):
		why = p.Sprintf("not billable — %s, amount unknown %s", u.Line, u.Certainty)
	case errors.Is(u.Err, ErrNotPerRequest):
		why = p.Sprintf("not billable per request — %s is priced per year", u.Line)
	case errors.Is(u.Err, ErrNoLine):
		why = p.Sprintf("no tariff line in force for the service %s", string(u.Service))
	case errors.Is(u.Err, ErrOfficeConflict):
		why = p.Sprintf("its orders give its office different names, addresses or languages: correct them")
	case errors.Is(u.Err, requisition.ErrOffice):
		why = p.Sprintf("its office is not valid: correct the order")
	case errors.Is(u.Err, ErrNothingHeldPolicy):
		why = p.Sprintf("answered nothing held: whether that is claimed is not known [U] and the cell has not decided")
	case errors.Is(u.Err, ErrNotBilled) && errors.Is(u.Err, ErrNothingHeld):
		why = p.Sprintf("answered nothing held, which the cell does not claim")
	case errors.Is(u.Err, ErrNotBilled):
		why = p.Sprintf("no billing entry for its measure")
	default:
		why = p.Sprintf("the request cannot be priced")
	}
	return u.Case + " (" + u.Measure.Label(tag) + "): " + why
}

// PeriodClaim is the claim to one issuing office — or, for orders that
// name none, to one authority — for the requests answered in a period.
type PeriodClaim struct {
	// Authority is the authority whose orders the claim covers; Office
	// the office that issued them, zero when the orders name none.
	// Claim.Authority holds the office's name, or the authority's in the
	// claim's language, and Claim.AuthorityAddress the office's address.
	Authority requisition.Authority
	Office    requisition.Office
	// Language is the claim's language: the office's, when its orders
	// give it, otherwise the one PeriodClaims was asked for. Render the
	// claim (Text, Document, PDF) in it.
	Language language.Tag
	Claim
}

// claimGroup is the orders of one authority and office.
type claimGroup struct {
	authority requisition.Authority
	office    requisition.Office
	executed  []Executed
	cases     []register.Case
	// conflict: orders with the office's key give it different details.
	conflict bool
}

// ErrOfficeConflict is wrapped by an [Unbilled] case's error when orders
// naming the same office key give it different names, addresses or
// languages: which one a claim is addressed to would be a guess.
var ErrOfficeConflict = fmt.Errorf("%w: orders name one office key with different details", ErrClaim)

// PeriodClaims builds the cost statements of the cases answered in the
// period — those whose answer was delivered in [p.From, p.Until) — one
// per issuing office (requisition.Office, by its key), and one per
// authority for the orders that name no office: in the order of
// [requisition.Authorities], within an authority the orders without an
// office first, then the offices by key. Each is dated from the period's
// first day to its last in Brussels, addressed to the office (its name
// and address as the first of its orders gives them) or to the authority,
// and written in the office's language when its orders give one,
// otherwise in the language tag asks for (PeriodClaim.Language). A claim
// over one calendar month of Brussels is numbered YYYY-MM-authority, or
// YYYY-MM-authority-officekey; over another period, YYYYMMDD-YYYYMMDD-
// and the same (first and last day).
//
// A case is claimed under the service p.Billing gives its measure, priced
// by p.Options.Pricer. The answered cases that cannot be claimed are
// returned apart as [Unbilled], in the order of cases, each with why:
// their measure has no billing entry or their authority is none ccjkit
// knows ([ErrNotBilled]); or pricing fails — no line in force for the
// service ([ErrNoLine]), a line whose amount was not retrieved
// ([ErrUnknownAmount]: the interception line BE2017-4 today), a line
// priced per year; or it was answered "nothing held" and p.NothingHeld
// does not bill it ([ErrNothingHeldPolicy] while undecided). [Billable]
// is that rule for one case. Such a case never makes a whole claim fail, and the
// same case is never both claimed and unbilled. Orders of one office key
// may leave out its address or language; when they give different names,
// addresses or languages, and p.Offices does not settle it, the office's
// cases are listed apart ([ErrOfficeConflict]), as are those of an
// invalid office ([ErrClaim]).
// A claim that cannot be made for another reason (its options) is left
// out, its cases listed apart, and its error, naming the claim and
// wrapping a [*provenance.Problems], joined into the error returned. A period that ends before it starts, or has no day
// of issue, is an error wrapping [ErrClaim].
func PeriodClaims(cases []register.Case, p Period, tag language.Tag) ([]PeriodClaim, []Unbilled, error) {
	if !p.From.Before(p.Until) || p.Issued.IsZero() {
		return nil, nil, fmt.Errorf("%w: a period's claims need a period that ends after it starts and a day of issue", ErrClaim)
	}
	var groups []*claimGroup
	var unbilled []Unbilled
	for _, c := range cases {
		if c.Delivery == nil || c.Delivery.At.Time().Before(p.From) || !c.Delivery.At.Time().Before(p.Until) {
			continue
		}
		e, u := Billable(c, p)
		if u != nil {
			unbilled = append(unbilled, *u)
			continue
		}
		a, o := c.Requisition.Authority, c.Requisition.Office
		i := slices.IndexFunc(groups, func(g *claimGroup) bool { return g.authority == a && g.office.Key == o.Key })
		if i < 0 {
			groups = append(groups, &claimGroup{authority: a, office: o})
			i = len(groups) - 1
		}
		g := groups[i]
		g.executed, g.cases = append(g.executed, e), append(g.cases, c)
		g.office, g.conflict = mergeOffice(g.office, o, g.conflict)
	}
	for _, g := range groups {
		if d, ok := p.Offices[g.office.Key]; ok && g.office.Key != "" {
			g.office, g.conflict = d, false
		}
	}
	// A case no claim can hold is listed with why, never dropped.
	apart := func(g *claimGroup, err error) {
		for _, c := range g.cases {
			unbilled = append(unbilled, Unbilled{Case: c.ID, Measure: c.Requisition.Measure, Service: p.Billing[c.Requisition.Measure], Err: err, Reason: err.Error()})
		}
	}
	slices.SortStableFunc(groups, func(x, y *claimGroup) int {
		ia, ib := slices.Index(requisition.Authorities(), x.authority), slices.Index(requisition.Authorities(), y.authority)
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(x.office.Key, y.office.Key)
	})
	var out []PeriodClaim
	var errs []error
	from, to := timesync.Day(p.From), timesync.Day(p.Until.Add(-time.Second))
	for _, g := range groups {
		if g.conflict {
			apart(g, fmt.Errorf("%w: correct the orders of the office %s", ErrOfficeConflict, g.office.Key))
			continue
		}
		lang := tag
		if g.office.Language != "" {
			lang = language.Make(g.office.Language)
		}
		addressee := g.authority.Label(lang)
		if g.office.Name != "" {
			addressee = g.office.Name
		}
		h := Header{Number: periodNumber(p, g.authority, g.office), Issued: timesync.Day(p.Issued),
			Operator: p.Operator, Authority: addressee, AuthorityAddress: g.office.Address, From: from, To: to}
		c, err := NewClaim(h, g.executed, p.Options)
		if err != nil {
			err = fmt.Errorf("indemnity: the claim %s: %w", h.Number, err)
			errs = append(errs, err)
			apart(g, err)
			continue
		}
		out = append(out, PeriodClaim{Authority: g.authority, Office: g.office, Language: lang, Claim: c})
	}
	return out, unbilled, errors.Join(errs...)
}

// periodNumber numbers the claim of a period to authority a and office o.
func periodNumber(p Period, a requisition.Authority, o requisition.Office) string {
	suffix := a.String()
	if o.Key != "" {
		suffix += "-" + o.Key
	}
	return periodPrefix(p) + suffix
}

// periodPrefix is "YYYY-MM-" for a calendar month of Brussels, else
// "YYYYMMDD-YYYYMMDD-".
func periodPrefix(p Period) string {
	from, last := timesync.Day(p.From), timesync.Day(p.Until.Add(-time.Second))
	start := p.From.In(timesync.Brussels())
	month := start.Day() == 1 && start.Hour() == 0 && start.Minute() == 0 && start.Second() == 0 &&
		p.Until.Equal(start.AddDate(0, 1, 0))
	if month {
		return fmt.Sprintf("%04d-%02d-", from.Year(), int(from.Month()))
	}
	return fmt.Sprintf("%04d%02d%02d-%04d%02d%02d-", from.Year(), int(from.Month()), from.Day(), last.Year(), int(last.Month()), last.Day())
}

// lineFor returns the tariff line pr would price e on, if one is in force
// on the day pr's basis chooses.
func lineFor(pr Pricer, e Executed) (Line, bool) {
	t := e.Executed
	if pr.Basis == ByOrder {
		t = e.Ordered
	}
	if t.IsZero() {
		return Line{}, false
	}
	for _, l := range lines() {
		if l.InForce(t.Day()) && l.Service == e.Service {
			return l, true
		}
	}
	return Line{}, false
}

// mergeOffice merges what another order gives of the same office: the
// names must be the same; an address or a language one order gives and
// another leaves out is taken, two different ones are a conflict.
func mergeOffice(have, o requisition.Office, conflict bool) (requisition.Office, bool) {
	if have.Name != o.Name {
		return have, true
	}
	for _, f := range []struct{ have, o *string }{{&have.Address, &o.Address}, {&have.Language, &o.Language}} {
		switch {
		case *f.o == "":
		case *f.have == "":
			*f.have = *f.o
		case *f.have != *f.o:
			conflict = true
		}
	}
	return have, conflict
}
