package indemnity

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Executed is one executed request to be paid for.
type Executed struct {
	Service Service `json:"service"`
	// Reference is the requesting authority's reference for the request.
	Reference string `json:"reference"`
	// Ordered and Executed date the order and its execution.
	Ordered  timesync.Timestamp `json:"ordered"`
	Executed timesync.Timestamp `json:"executed"`
	// Quantity is the number of identical requests (1 when zero).
	Quantity int64 `json:"quantity,omitzero"`
}

// DateBasis says which date chooses the edition of the tariff.
type DateBasis uint8

const (
	// ByExecution, the default, prices a request by the tariff in force on
	// the day it was executed: the indemnity pays for a service rendered,
	// and the cost statement describes that service. The transitional rules
	// of the decrees that replaced the annex were not retrieved [U]; a
	// caller who knows better chooses ByOrder.
	ByExecution DateBasis = iota
	// ByOrder prices by the tariff in force on the day of the order.
	ByOrder
)

// String returns "execution" or "order".
func (b DateBasis) String() string {
	if b == ByOrder {
		return "order"
	}
	return "execution"
}

// Overrides are amounts the caller supplies for tariff lines, with the
// source they come from — for lines whose amount ccjkit does not know, or
// that the caller has read in the Moniteur belge. Every claim that uses one
// says so and prints the source.
type Overrides struct {
	// Source says where the amounts come from; required.
	Source string `json:"source"`
	// Amounts maps line codes ("BE2017-4") to amounts in euros.
	Amounts map[string]Amount `json:"amounts"`
}

// check validates the caller's amounts: a source, known line codes,
// positive amounts in whole cents. An Overrides with no amounts is the same
// as none.
func (o *Overrides) check() error {
	if o == nil || len(o.Amounts) == 0 {
		return nil
	}
	if strings.TrimSpace(o.Source) == "" {
		return fmt.Errorf("%w: overrides without the source of their amounts", ErrExecuted)
	}
	for code, a := range o.Amounts {
		if _, ok := Lookup(code); !ok {
			return fmt.Errorf("%w: override for %q, which is not a line of the tariff", ErrExecuted, code)
		}
		if a.Sign() <= 0 || !a.wholeCents() {
			return fmt.Errorf("%w: override for %s must be a positive amount in whole cents", ErrExecuted, code)
		}
	}
	return nil
}

// Pricer prices executed requests against the tariff.
type Pricer struct {
	Basis     DateBasis
	Overrides *Overrides
}

// The errors of pricing, for errors.Is.
var (
	// ErrNoLine: no known line of the tariff in force that day covers the
	// service.
	ErrNoLine = errors.New("indemnity: no tariff line for this service")
	// ErrUnknownAmount: the line exists but its amount was not retrieved;
	// supply it with Overrides, with its source.
	ErrUnknownAmount = errors.New("indemnity: tariff amount not known")
	// ErrNotPerRequest: the line is not priced per request (the annual
	// forfait).
	ErrNotPerRequest = errors.New("indemnity: tariff line not priced per request")
	// ErrExecuted: the executed request is incomplete or inconsistent.
	ErrExecuted = errors.New("indemnity: invalid executed request")
)

// priceSentinel returns the sentinel an error of [Pricer.Price] wraps.
func priceSentinel(err error) error {
	for _, s := range []error{ErrNoLine, ErrUnknownAmount, ErrNotPerRequest, ErrExecuted} {
		if errors.Is(err, s) {
			return s
		}
	}
	return err
}

// Price is the price of one executed request, with what it rests on.
type Price struct {
	Line       Line      `json:"line"`
	Day        date.Date `json:"day"`   // the day that chose the edition
	Basis      string    `json:"basis"` // "execution" or "order"
	UnitPrice  Amount    `json:"unit_price"`
	Overridden bool      `json:"overridden"`
}

// Explain says in the language tag asks for which line, edition and source
// the price comes from.
func (p Price) Explain(tag language.Tag) string {
	pr := messages().Printer(tag)
	src := p.Line.Source().String()
	if p.Line.InForceCertainty != provenance.Verified {
		src += " " + pr.Sprintf("(in-force date not verified)")
	}
	if p.Overridden {
		return pr.Sprintf("%s (%s, edition %s in force on %s, %s): %s, amount supplied by the operator",
			p.Line.Label(tag), p.Line.Code, p.Line.Edition, p.Day.String(), pr.Sprintf("the "+p.Basis+" date"), p.UnitPrice.Format(tag))
	}
	return pr.Sprintf("%s (%s, edition %s in force on %s, %s): %s — %s",
		p.Line.Label(tag), p.Line.Code, p.Line.Edition, p.Day.String(), pr.Sprintf("the "+p.Basis+" date"), p.UnitPrice.Format(tag), src)
}

// Price returns the unit price of e. A service no known line covers is
// [ErrNoLine]; a line whose amount is unknown is [ErrUnknownAmount], naming
// the line and its source, unless Overrides supplies it; the annual forfait
// is [ErrNotPerRequest]; a request without the date that chooses the
// edition, with a negative quantity or executed before it was ordered, or
// Overrides without their source or for unknown lines, is [ErrExecuted].
func (p Pricer) Price(e Executed) (Price, error) {
	var t timesync.Timestamp
	switch p.Basis {
	case ByExecution:
		t = e.Executed
	case ByOrder:
		t = e.Ordered
	default:
		return Price{}, fmt.Errorf("%w: unknown date basis %d", ErrExecuted, p.Basis)
	}
	if t.IsZero() {
		return Price{}, fmt.Errorf("%w: no %s date to choose the tariff edition by", ErrExecuted, p.Basis)
	}
	if e.Quantity < 0 {
		return Price{}, fmt.Errorf("%w: negative quantity", ErrExecuted)
	}
	if err := p.Overrides.check(); err != nil {
		return Price{}, err
	}
	if !e.Ordered.IsZero() && !e.Executed.IsZero() && e.Executed.Before(e.Ordered) {
		return Price{}, fmt.Errorf("%w: executed before it was ordered", ErrExecuted)
	}
	day := t.Day()
	var candidates []Line
	for _, l := range lines() {
		if l.InForce(day) && l.Service == e.Service {
			candidates = append(candidates, l.clone())
		}
	}
	if len(candidates) == 0 {
		editions := "none known"
		var names []string
		for _, l := range lines() {
			if l.InForce(day) && !slices.Contains(names, l.Edition) {
				names = append(names, l.Edition)
			}
		}
		if len(names) > 0 {
			editions = strings.Join(names, ", ")
		}
		return Price{}, fmt.Errorf("%w: %q on %s (editions in force: %s): no known line covers it; leave the request out, or claim it under a line whose amount you supply",
			ErrNoLine, e.Service, day, editions)
	}
	l := candidates[0]
	out := Price{Line: l, Day: day, Basis: p.Basis.String(), UnitPrice: l.Amount}
	if l.Unit == PerYear {
		return Price{}, fmt.Errorf("%w: %s %q is priced %s — %v", ErrNotPerRequest, l.Code, l.Labels["en"], l.Unit, l.Source())
	}
	if p.Overrides != nil {
		if a, ok := p.Overrides.Amounts[l.Code]; ok {
			// The caller states the amount per request, with its source.
			out.UnitPrice, out.Overridden = a, true
			return out, nil
		}
	}
	if l.Unit != PerRequest {
		return Price{}, fmt.Errorf("%w: %s %q: its unit is not known; supply a per-request amount with its source — %v", ErrUnknownAmount, l.Code, l.Labels["en"], l.Source())
	}
	if !l.Known {
		return Price{}, fmt.Errorf("%w: %s %q (%s): %s", ErrUnknownAmount, l.Code, l.Labels["en"], l.Source(), l.Notes)
	}
	return out, nil
}
