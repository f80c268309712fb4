package indemnity

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/strictjson"
)

// Party is the operator claiming the indemnity.
type Party struct {
	Name string `json:"name"`
	// EnterpriseNumber is the Crossroads Bank for Enterprises number
	// (BCE/KBO), such as "0123.456.789".
	EnterpriseNumber string `json:"enterprise_number"`
	Address          string `json:"address"`
	// IBAN is the account to be paid.
	IBAN string `json:"iban"`
}

// Factor is a rate the caller applies to a claim, with its source: a
// multiplier on the lines, or VAT on the subtotal. ccjkit assumes neither.
type Factor struct {
	Rate   Rate   `json:"rate"`
	Source string `json:"source"`
}

// ClaimLine is one line of a claim: a tariff line, a quantity, a price.
type ClaimLine struct {
	Code    string            `json:"code"`
	Edition string            `json:"edition"`
	Labels  map[string]string `json:"labels,omitempty"`
	// Reference is the requesting authority's reference for the request.
	Reference string    `json:"reference"`
	Day       date.Date `json:"day"`
	Quantity  int64     `json:"quantity"`
	UnitPrice Amount    `json:"unit_price"`
	// Amount is Quantity × UnitPrice, multiplied by the claim's multiplier
	// if any and then rounded to the cent.
	Amount     Amount            `json:"amount"`
	Overridden bool              `json:"overridden"`
	Source     provenance.Source `json:"source"`
}

// Claim is a cost statement (état de frais / kostenstaat) for executed
// requisitions: for one requesting authority and reference, or for a
// period.
type Claim struct {
	Number   string    `json:"number"`
	Issued   date.Date `json:"issued"`
	Operator Party     `json:"operator"`
	// Authority is the requesting authority or office the claim is
	// addressed to; AuthorityAddress its postal address, when known.
	Authority        string `json:"authority"`
	AuthorityAddress string `json:"authority_address,omitempty"`
	// Reference is the authority's reference when the claim is for one
	// case; "" for a claim over a period.
	Reference string    `json:"reference,omitempty"`
	From      date.Date `json:"from,omitzero"`
	To        date.Date `json:"to,omitzero"`

	Lines      []ClaimLine `json:"lines,omitempty"`
	Multiplier *Factor     `json:"multiplier,omitempty"`
	VAT        *Factor     `json:"vat,omitempty"`
	// OverrideSource is the source of the caller's amounts, when a line
	// uses one.
	OverrideSource string `json:"override_source,omitempty"`

	Subtotal  Amount `json:"subtotal"`
	VATAmount Amount `json:"vat_amount"`
	Total     Amount `json:"total"`
}

// Header is what a claim says about itself, its operator and its addressee.
type Header struct {
	Number    string
	Issued    date.Date
	Operator  Party
	Authority string
	// AuthorityAddress is the addressee's postal address, when known.
	AuthorityAddress string
	Reference        string
	From, To         date.Date
}

// ClaimOptions are the caller's choices for a claim.
type ClaimOptions struct {
	Pricer     Pricer
	Multiplier *Factor // applied to each line, then rounded
	VAT        *Factor // applied to the subtotal, then rounded
}

// ErrClaim is wrapped by the findings of [NewClaim]'s errors about the
// claim itself, and by every finding of [DecodeClaim]'s errors.
var ErrClaim = errors.New("indemnity: invalid claim")

// claimProblem returns the finding of a claim that breaks ccjkit's rule,
// at field, explained by msg; it wraps err.
func claimProblem(rule, field string, err error, msg string) provenance.Finding {
	return provenance.Finding{Rule: rule, Severity: provenance.Error, Field: field, Source: provenance.Rule(rule),
		Err: err, Message: provenance.Text(msg)}
}

// NewClaim prices every executed request and builds the claim. It prices
// all of them before failing, so that the cell sees every gap at once: its
// error is a [*provenance.Problems] (What "indemnity: claim") with one
// finding per problem of the claim itself (wrapping [ErrClaim]) and one per
// request that could not be priced (Field "executed[i]", wrapping
// [Pricer.Price]'s error and so its sentinel, its text naming the line and
// its source).
func NewClaim(h Header, executed []Executed, opt ClaimOptions) (Claim, error) {
	c := Claim{Number: h.Number, Issued: h.Issued, Operator: h.Operator, Authority: h.Authority, AuthorityAddress: h.AuthorityAddress, Reference: h.Reference,
		From: h.From, To: h.To, Multiplier: opt.Multiplier, VAT: opt.VAT}
	var probs []provenance.Finding
	for _, f := range []struct {
		field  string
		factor *Factor
	}{{"multiplier", opt.Multiplier}, {"vat", opt.VAT}} {
		if f.factor != nil && strings.TrimSpace(f.factor.Source) == "" {
			probs = append(probs, claimProblem("factor-source", f.field+".source", ErrClaim,
				fmt.Sprintf("a rate of %s without its source", f.factor.Rate)))
		}
	}
	if opt.VAT != nil && opt.VAT.Rate.d.GreaterThan(decimal.NewFromInt(1)) {
		probs = append(probs, claimProblem("vat-rate", "vat.rate", ErrClaim,
			fmt.Sprintf("a VAT rate of %s is more than 100%%; write 21%% as 0.21", opt.VAT.Rate)))
	}
	if h.Authority == "" {
		probs = append(probs, claimProblem("authority", "authority", ErrClaim, "no requesting authority"))
	}
	for i, e := range executed {
		p, err := opt.Pricer.Price(e)
		if err != nil {
			probs = append(probs, claimProblem("price", fmt.Sprintf("executed[%d]", i), priceSentinel(err), err.Error()))
			continue
		}
		q := max(e.Quantity, 1)
		line := ClaimLine{Code: p.Line.Code, Edition: p.Line.Edition, Labels: p.Line.Labels, Reference: e.Reference,
			Day: p.Day, Quantity: q, UnitPrice: p.UnitPrice, Overridden: p.Overridden, Source: p.Line.Source()}
		if p.Overridden {
			c.OverrideSource = opt.Pricer.Overrides.Source
			// The amount is the operator's, not the tariff file's: so is
			// the source, which ccjkit cannot vouch for.
			line.Source = provenance.Source{Instrument: "amount supplied by the operator: " + c.OverrideSource,
				Article: p.Line.Code, Edition: p.Line.Edition, Certainty: provenance.Unverified}
		}
		c.Add(line)
	}
	if err := provenance.Check("indemnity: claim", probs); err != nil {
		return Claim{}, err
	}
	return c, nil
}

// Add appends a line, computes its amount (quantity × unit price, times the
// claim's multiplier if any, rounded to the cent) and updates the totals.
// Set Multiplier and VAT before adding lines: Add applies the multiplier in
// force when each line is added.
func (c *Claim) Add(l ClaimLine) {
	l.Amount = l.UnitPrice.Times(l.Quantity)
	if c.Multiplier != nil {
		l.Amount = l.Amount.Apply(c.Multiplier.Rate)
	}
	c.Lines = append(c.Lines, l)
	c.Subtotal = c.Subtotal.Add(l.Amount)
	c.vat()
}

// total recomputes the subtotal (the exact sum of the lines), the VAT
// (rate × subtotal, rounded to the cent) and the total.
func (c *Claim) total() {
	var sub Amount
	for _, l := range c.Lines {
		sub = sub.Add(l.Amount)
	}
	c.Subtotal = sub
	c.vat()
}

// vat computes the VAT on the subtotal and the total.
func (c *Claim) vat() {
	c.VATAmount = Amount{}
	if c.VAT != nil {
		c.VATAmount = c.Subtotal.Apply(c.VAT.Rate)
	}
	c.Total = c.Subtotal.Add(c.VATAmount)
}

// Sources returns the distinct sources of the claim's lines, in order of
// first appearance, for the footnotes of a rendering.
func (c Claim) Sources() []provenance.Source {
	var out []provenance.Source
	for _, l := range c.Lines {
		if !slices.Contains(out, l.Source) {
			out = append(out, l.Source)
		}
	}
	return out
}

// MaxEncodedClaim is the largest JSON encoding [DecodeClaim] reads.
const MaxEncodedClaim = 8 << 20

// claimFormat is a claim's JSON encoding, as [DecodeClaim] reports its
// problems.
func claimFormat() strictjson.Format {
	return strictjson.Format{What: "indemnity: decode claim", Name: "claim JSON encoding", Err: ErrClaim, Max: MaxEncodedClaim}
}

// DecodeClaim reads a claim from the JSON encoding/json writes for it,
// strictly: exact field names, no duplicate keys, no null, no unknown
// field, amounts and rates in their decimal form. It then checks that the
// totals are the sums of the lines, so that an edited file cannot carry a
// total that its lines do not support. Its error is a [*provenance.Problems]
// listing every problem, each a finding with its path that wraps
// [ErrClaim]: of rule "decode" for the encoding, "totals" for the sums.
func DecodeClaim(data []byte) (Claim, error) {
	f := claimFormat()
	var c Claim
	if err := f.Decode(data, &c); err != nil {
		return Claim{}, err
	}
	check := c
	check.total()
	if !check.Subtotal.Equal(c.Subtotal) || !check.VATAmount.Equal(c.VATAmount) || !check.Total.Equal(c.Total) {
		return Claim{}, f.Check([]provenance.Finding{claimProblem("totals", "total", ErrClaim, fmt.Sprintf(
			"the totals (%s, %s, %s) are not those of the lines (%s, %s, %s)",
			c.Subtotal, c.VATAmount, c.Total, check.Subtotal, check.VATAmount, check.Total))})
	}
	return c, nil
}
