package paging

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Code is a one-time acknowledgement code: ten symbols of Crockford's
// base 32 (digits and capital letters without I, L, O and U), written in
// two groups of five, "7KQ2M-XH4PA" — 50 bits. The zero Code is none.
type Code struct{ s string }

// CodeSymbols is the alphabet of codes: Crockford's base 32.
const CodeSymbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// MinCodeKey is the shortest key NewCode and CheckCode accept, in bytes.
const MinCodeKey = 32

// ParseCode reads a code as a person types it: case, spaces and hyphens
// do not matter, and O reads as 0, I and L as 1 (Crockford's rule). Its
// error does not quote s.
func ParseCode(s string) (Code, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 0x7f || !strings.ContainsRune(CodeSymbols, r) {
			return Code{}, fmt.Errorf("%w: a code is 10 symbols of 0-9 and A-Z without I, L, O, U", ErrCode)
		}
		b.WriteRune(r)
	}
	if b.Len() != 10 {
		return Code{}, fmt.Errorf("%w: a code is 10 symbols of 0-9 and A-Z without I, L, O, U", ErrCode)
	}
	return Code{b.String()}, nil
}

// String returns the code as "7KQ2M-XH4PA", "" for the zero Code.
func (c Code) String() string {
	if c.s == "" {
		return ""
	}
	return c.s[:5] + "-" + c.s[5:]
}

// IsZero reports whether c is no code.
func (c Code) IsZero() bool { return c.s == "" }

// MarshalText returns Code.String.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads what ParseCode reads; "" is the zero Code.
func (c *Code) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = Code{}
		return nil
	}
	v, err := ParseCode(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// NewCode returns the one-time code of a page to member about case c
// issued at instant issued (its second: instants within the same second
// give the same code): the first 50 bits of the
// HMAC-SHA256, under key, of "ccjkit ack v1", the member's ID, the case ID
// and the issue instant in Unix seconds, each followed by a zero byte, in
// Crockford's base 32.
//
// The key is the caller's secret, at least MinCodeKey random bytes (from
// crypto/rand), kept where the desk that checks codes can read it and
// nowhere else; nothing else is stored: CheckCode computes the code again
// from the same four values. The caller records the issue instant with the
// page (the Paged event's At) and the member and case are in the register,
// so a code is checked against what was recorded, not against what the
// person typing says.
//
// A code proves that whoever acknowledges read the page sent to that
// member for that case — not who they are: the desk authenticates its
// users. It expires (CheckCode's valid), and it is single-use only if the
// caller makes it so: the package keeps no state, so the caller records
// each acknowledgement in the register and refuses a code already used.
func NewCode(key []byte, member string, c CaseID, issued time.Time) (Code, error) {
	if len(key) < MinCodeKey {
		return Code{}, fmt.Errorf("%w: the key is shorter than %d bytes", ErrCode, MinCodeKey)
	}
	if member == "" || c.IsZero() || issued.IsZero() {
		return Code{}, fmt.Errorf("%w: a code needs a member, a case and an issue instant", ErrCode)
	}
	m := hmac.New(sha256.New, key)
	for _, s := range []string{"ccjkit ack v1", member, c.s, strconv.FormatInt(issued.Unix(), 10)} {
		m.Write([]byte(s))
		m.Write([]byte{0})
	}
	sum := m.Sum(nil)
	var bits uint64
	for _, b := range sum[:8] {
		bits = bits<<8 | uint64(b)
	}
	out := make([]byte, 10)
	for i := range out {
		out[i] = CodeSymbols[bits>>(64-5*(i+1))&31]
	}
	return Code{string(out)}, nil
}

// CheckCode reports whether typed is the code NewCode gave member for
// case c at issued, and whether it is still valid at now: from issued
// included to issued+valid excluded. It returns nil, or an error wrapping
// ErrCode (not the code: wrong member, case or instant, or mistyped) or
// ErrCodeExpired (the right code, too late, or before it was issued).
// The comparison takes the same time whatever typed holds. Errors quote
// nothing.
//
// A nil error does not make the code used: the caller records the
// acknowledgement in the register, and refuses the code the second time.
func CheckCode(key []byte, typed string, member string, c CaseID, issued, now time.Time, valid time.Duration) error {
	got, err := ParseCode(typed)
	if err != nil {
		return err
	}
	want, err := NewCode(key, member, c, issued)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(got.s), []byte(want.s)) {
		return fmt.Errorf("%w: not the code of this page", ErrCode)
	}
	if now.Before(issued) || !now.Before(issued.Add(valid)) {
		return fmt.Errorf("%w: valid from %s for %s", ErrCodeExpired, issued.UTC().Format(time.RFC3339), valid)
	}
	return nil
}
