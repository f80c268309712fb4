package indemnity

import (
	"errors"
	"fmt"
	"maps"
	"slices"
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
	case errors.Is(u.Err, ErrNotBilled):
		why = p.Sprintf("no billing entry for its measure")
	default:
		why = p.Sprintf("the request cannot be priced")
	}
	return u.Case + " (" + u.Measure.Label(tag) + "): " + why
}

// PeriodClaim is the claim of one authority for the requests answered in
// a period.
type PeriodClaim struct {
	// Authority is the authority the claim is addressed to; Claim.Authority
	// holds its name in the claim's language.
	Authority requisition.Authority
	Claim
}

// PeriodClaims builds the cost statements of the cases answered in the
// period — those whose answer was delivered in [p.From, p.Until) — one
// per requesting authority, in the order of [requisition.Authorities],
// each dated from the period's first day to its last in Brussels and
// naming its authority in the language tag asks for. A claim over one
// calendar month of Brussels is numbered YYYY-MM-authority; over another
// period, YYYYMMDD-YYYYMMDD-authority (first and last day).
//
// A case is claimed under the service p.Billing gives its measure, priced
// by p.Options.Pricer. The answered cases that cannot be claimed are
// returned apart as [Unbilled], in the order of cases, each with why:
// their measure has no billing entry or their authority is none ccjkit
// knows ([ErrNotBilled]); or pricing fails — no line in force for the
// service ([ErrNoLine]), a line whose amount was not retrieved
// ([ErrUnknownAmount]: the interception line BE2017-4 today), a line
// priced per year. Such a case never makes a whole claim fail, and the
// same case is never both claimed and unbilled. A claim that cannot be
// made for another reason (its options) is left out and its error,
// naming the authority and wrapping a [*provenance.Problems], joined into
// the error returned. A period that ends before it starts, or has no day
// of issue, is an error wrapping [ErrClaim].
func PeriodClaims(cases []register.Case, p Period, tag language.Tag) ([]PeriodClaim, []Unbilled, error) {
	if !p.From.Before(p.Until) || p.Issued.IsZero() {
		return nil, nil, fmt.Errorf("%w: a period's claims need a period that ends after it starts and a day of issue", ErrClaim)
	}
	groups := map[requisition.Authority][]Executed{}
	var unbilled []Unbilled
	for _, c := range cases {
		if c.Delivery == nil || c.Delivery.At.Time().Before(p.From) || !c.Delivery.At.Time().Before(p.Until) {
			continue
		}
		m := c.Requisition.Measure
		svc, ok := p.Billing[m]
		if !ok || !slices.Contains(requisition.Authorities(), c.Requisition.Authority) {
			err := fmt.Errorf("%w: no billing entry for the measure %s, or an authority ccjkit does not know", ErrNotBilled, m)
			unbilled = append(unbilled, Unbilled{Case: c.ID, Measure: m, Service: svc, Err: err, Reason: err.Error()})
			continue
		}
		e := Executed{Service: svc, Reference: c.Requisition.Reference, Ordered: c.Requisition.Ordered, Executed: c.Delivery.At}
		if _, err := p.Options.Pricer.Price(e); err != nil {
			u := Unbilled{Case: c.ID, Measure: m, Service: svc, Err: err, Reason: err.Error()}
			if l, ok := lineFor(p.Options.Pricer, e); ok {
				u.Line, u.Certainty = l.Code, l.Certainty
			}
			unbilled = append(unbilled, u)
			continue
		}
		groups[c.Requisition.Authority] = append(groups[c.Requisition.Authority], e)
	}
	var out []PeriodClaim
	var errs []error
	from, to := timesync.Day(p.From), timesync.Day(p.Until.Add(-time.Second))
	for _, a := range requisition.Authorities() {
		ex := groups[a]
		if len(ex) == 0 {
			continue
		}
		h := Header{Number: periodNumber(p, a), Issued: timesync.Day(p.Issued),
			Operator: p.Operator, Authority: a.Label(tag), From: from, To: to}
		c, err := NewClaim(h, ex, p.Options)
		if err != nil {
			errs = append(errs, fmt.Errorf("indemnity: the claim to the %s: %w", a, err))
			continue
		}
		out = append(out, PeriodClaim{Authority: a, Claim: c})
	}
	return out, unbilled, errors.Join(errs...)
}

// periodNumber numbers the claim of a period to authority a.
func periodNumber(p Period, a requisition.Authority) string {
	from, last := timesync.Day(p.From), timesync.Day(p.Until.Add(-time.Second))
	start := p.From.In(timesync.Brussels())
	month := start.Day() == 1 && start.Hour() == 0 && start.Minute() == 0 && start.Second() == 0 &&
		p.Until.Equal(start.AddDate(0, 1, 0))
	if month {
		return fmt.Sprintf("%04d-%02d-%s", from.Year(), int(from.Month()), a)
	}
	return fmt.Sprintf("%04d%02d%02d-%04d%02d%02d-%s", from.Year(), int(from.Month()), from.Day(), last.Year(), int(last.Month()), last.Day(), a)
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
