package indemnity

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Amount is a sum of money in euros, exact: a decimal, never a float. It
// wraps github.com/shopspring/decimal without exposing it, so that the
// implementation can change, and never touches that package's global
// settings. The zero Amount is 0.00 €, ready to sum into.
//
// # Rounding
//
// Tariff amounts have at most two decimals, and sums and whole quantities
// of them are exact. Rounding happens only where a caller-supplied rate
// (a multiplier, VAT) produces fractions of a cent: the result is rounded
// to the cent, half away from zero (0.005 → 0.01, -0.005 → -0.01), once per
// claim line for a multiplier and once on the subtotal for VAT. This is
// ccjkit's convention [T]: the rounding rule of the royal decree of 9
// January 2003 and of the cost-statement procedure was not retrieved [U].
type Amount struct {
	d decimal.Decimal
}

// ErrAmount is wrapped by the errors of [ParseAmount] and [ParseRate].
var ErrAmount = errors.New("indemnity: malformed amount")

// ParseAmount reads a decimal amount in euros written with a point and no
// grouping: "92", "12.50", "-3.4". Anything else — exponents, commas,
// spaces, a currency sign, more than [MaxDecimals] decimals — is an error.
func ParseAmount(s string) (Amount, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return Amount{}, err
	}
	return Amount{d}, nil
}

// MustParseAmount is ParseAmount for constants in code and tests; it panics
// on malformed input.
func MustParseAmount(s string) Amount {
	a, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

// MaxDecimals bounds the decimals [ParseAmount] and [ParseRate] accept.
const MaxDecimals = 8

func parseDecimal(s string) (decimal.Decimal, error) {
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(body, ".")
	ok := intPart != "" && len(intPart) <= 40 && len(frac) <= MaxDecimals && (!hasPoint || frac != "")
	for _, part := range []string{intPart, frac} {
		for i := 0; ok && i < len(part); i++ {
			ok = part[i] >= '0' && part[i] <= '9'
		}
	}
	if !ok {
		return decimal.Decimal{}, fmt.Errorf("%w: want digits with an optional point, up to %d decimals", ErrAmount, MaxDecimals)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%w: not a decimal number", ErrAmount)
	}
	return d, nil
}

// Cents returns the amount of c euro cents.
func Cents(c int64) Amount { return Amount{decimal.New(c, -2)} }

// Add returns a+b.
func (a Amount) Add(b Amount) Amount { return Amount{a.d.Add(b.d)} }

// Sub returns a-b.
func (a Amount) Sub(b Amount) Amount { return Amount{a.d.Sub(b.d)} }

// Times returns a×n, exact.
func (a Amount) Times(n int64) Amount { return Amount{a.d.Mul(decimal.NewFromInt(n))} }

// Apply returns a×r rounded to the cent, half away from zero (see the type's
// rounding rule).
func (a Amount) Apply(r Rate) Amount { return Amount{a.d.Mul(r.d).Round(2)} }

// Round returns a rounded to the cent, half away from zero.
func (a Amount) Round() Amount { return Amount{a.d.Round(2)} }

// IsZero reports whether a is zero.
func (a Amount) IsZero() bool { return a.d.IsZero() }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int { return a.d.Sign() }

// Cmp returns -1, 0 or +1 as a is less than, equal to or more than b.
func (a Amount) Cmp(b Amount) int { return a.d.Cmp(b.d) }

// Equal reports whether a and b are the same sum (2.5 equals 2.50), so that
// go-cmp compares Amounts by value.
func (a Amount) Equal(b Amount) bool { return a.d.Equal(b.d) }

// String returns the amount with a point and at least two decimals, such as
// "436.00" or "0.005": the form [ParseAmount] reads back.
func (a Amount) String() string {
	s := a.d.String()
	if _, frac, _ := strings.Cut(s, "."); len(frac) < 2 {
		return a.d.StringFixed(2)
	}
	return s
}

// wholeCents reports whether a has no fraction of a cent.
func (a Amount) wholeCents() bool { return a.d.Equal(a.d.Round(2)) }

// MarshalText implements encoding.TextMarshaler with [Amount.String].
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseAmount].
func (a *Amount) UnmarshalText(b []byte) error {
	v, err := ParseAmount(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Rate is an exact decimal factor: a VAT rate such as 0.21, a multiplier
// such as 1.5. Rates are always supplied by the caller with their source;
// ccjkit assumes none.
type Rate struct {
	d decimal.Decimal
}

// ParseRate reads a non-negative decimal factor written with a point, such
// as "0.21".
func ParseRate(s string) (Rate, error) {
	if strings.HasPrefix(s, "-") {
		return Rate{}, fmt.Errorf("%w: a rate cannot be negative", ErrAmount)
	}
	d, err := parseDecimal(s)
	if err != nil {
		return Rate{}, err
	}
	return Rate{d}, nil
}

// MustParseRate is ParseRate for constants; it panics on malformed input.
func MustParseRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// String returns the rate as written, such as "0.21".
func (r Rate) String() string { return r.d.String() }

// Percent returns the rate as a percentage, such as "21".
func (r Rate) Percent() string { return r.d.Shift(2).String() }

// IsZero reports whether r is zero.
func (r Rate) IsZero() bool { return r.d.IsZero() }

// Equal reports whether r and s are the same factor.
func (r Rate) Equal(s Rate) bool { return r.d.Equal(s.d) }

// MarshalText implements encoding.TextMarshaler.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseRate].
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
