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
// A case is claimed under the service p.Billing gives its measure. The
// IDs of the answered cases that cannot be claimed — their measure has no
// billing entry, or their authority is none ccjkit knows — are returned
// apart, in the order of cases, for the cell to settle by hand. A claim
// that cannot be made (a service with no tariff line in force on the day
// of execution, say) is left out and its error, naming the authority and
// wrapping a [*provenance.Problems], joined into the error returned. A
// period that ends before it starts, or has no day of issue, is an error
// wrapping [ErrClaim].
func PeriodClaims(cases []register.Case, p Period, tag language.Tag) ([]PeriodClaim, []string, error) {
	if !p.From.Before(p.Until) || p.Issued.IsZero() {
		return nil, nil, fmt.Errorf("%w: a period's claims need a period that ends after it starts and a day of issue", ErrClaim)
	}
	groups := map[requisition.Authority][]Executed{}
	var unbilled []string
	for _, c := range cases {
		if c.Delivery == nil || c.Delivery.At.Time().Before(p.From) || !c.Delivery.At.Time().Before(p.Until) {
			continue
		}
		svc, ok := p.Billing[c.Requisition.Measure]
		if !ok || !slices.Contains(requisition.Authorities(), c.Requisition.Authority) {
			unbilled = append(unbilled, c.ID)
			continue
		}
		groups[c.Requisition.Authority] = append(groups[c.Requisition.Authority], Executed{
			Service: svc, Reference: c.Requisition.Reference, Ordered: c.Requisition.Ordered, Executed: c.Delivery.At})
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
