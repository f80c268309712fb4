package indemnity

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
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
// each numbered YYYY-MM-authority after the month the period starts in
// Brussels, dated from the period's first day to its last, its
// authority named in the language tag asks for. A case is claimed under
// the service p.Billing gives its measure; the IDs of the answered cases
// whose measure has no entry are returned apart, in the order of cases,
// for the cell to settle by hand. A claim that cannot be made (a service
// with no tariff line in force on the day of execution, say) is left out
// and its error, a [*provenance.Problems], joined into the error
// returned.
func PeriodClaims(cases []register.Case, p Period, tag language.Tag) ([]PeriodClaim, []string, error) {
	groups := map[requisition.Authority][]Executed{}
	var unbilled []string
	for _, c := range cases {
		if c.Delivery == nil || c.Delivery.At.Time().Before(p.From) || !c.Delivery.At.Time().Before(p.Until) {
			continue
		}
		svc, ok := p.Billing[c.Requisition.Measure]
		if !ok {
			unbilled = append(unbilled, c.ID)
			continue
		}
		groups[c.Requisition.Authority] = append(groups[c.Requisition.Authority], Executed{
			Service: svc, Reference: c.Requisition.Reference, Ordered: c.Requisition.Ordered, Executed: c.Delivery.At})
	}
	var out []PeriodClaim
	var errs []error
	from := requisition.BrusselsDate(p.From)
	for _, a := range requisition.Authorities() {
		ex := groups[a]
		if len(ex) == 0 {
			continue
		}
		h := Header{Number: fmt.Sprintf("%04d-%02d-%s", from.Year(), int(from.Month()), a), Issued: requisition.BrusselsDate(p.Issued),
			Operator: p.Operator, Authority: a.Label(tag), From: from, To: requisition.BrusselsDate(p.Until.Add(-time.Second))}
		c, err := NewClaim(h, ex, p.Options)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, PeriodClaim{Authority: a, Claim: c})
	}
	return out, unbilled, errors.Join(errs...)
}
