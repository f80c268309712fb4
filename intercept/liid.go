package intercept

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// MaxLIIDLen is the longest lawful interception identifier, in octets: the
// LIID is an OCTET STRING (SIZE (1..25)) in ETSI TS 102 232-1's PSHeader
// (lawfulInterceptionIdentifier [1]), the form TS 103 280 gives it.
const MaxLIIDLen = 25

// LIID is a lawful interception identifier: the reference the authority
// gives an interception (one per order and, where an order names several
// targets, per target), carried in the header of every record so that the
// police's receiver (the LEMF) files it under the right case.
//
// An LIID is 1 to 25 octets. It is usually printable text, but ETSI allows
// any octets, and some receivers assign binary identifiers. LIID is a small
// comparable value like netip.Addr: use it as a map key, compare it with ==.
// The zero LIID is invalid (IsValid reports false) and stands for "none".
type LIID struct {
	n uint8
	b [MaxLIIDLen]byte
}

// LIIDFromBytes returns the LIID made of exactly the octets b. It fails when
// b is empty or longer than MaxLIIDLen.
func LIIDFromBytes(b []byte) (LIID, error) {
	var l LIID
	if len(b) == 0 || len(b) > MaxLIIDLen {
		return l, fmt.Errorf("%w: %d octets, want 1 to %d (TS 102 232-1 PSHeader lawfulInterceptionIdentifier)", ErrLIID, len(b), MaxLIIDLen)
	}
	l.n = uint8(len(b))
	copy(l.b[:], b)
	return l, nil
}

// ParseLIID reads an LIID in the text form String writes: printable ASCII
// (0x21 to 0x7E, no spaces) as itself, or "0x" followed by the octets in
// hexadecimal for any other LIID, including a printable one that itself
// starts with "0x".
func ParseLIID(s string) (LIID, error) {
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		b, err := hex.DecodeString(h)
		if err != nil {
			return LIID{}, fmt.Errorf("%w: the text after 0x is not hexadecimal", ErrLIID)
		}
		return LIIDFromBytes(b)
	}
	for i := 0; i < len(s); i++ {
		if !printable(s[i]) {
			return LIID{}, fmt.Errorf("%w: octet %d is not printable ASCII; write a binary LIID as 0x followed by hexadecimal", ErrLIID, i)
		}
	}
	return LIIDFromBytes([]byte(s))
}

// MustParseLIID is ParseLIID for identifiers known to be valid, such as
// those in tests and examples, as net/netip's MustParseAddr is for
// ParseAddr; it panics with ParseLIID's error.
func MustParseLIID(s string) LIID {
	l, err := ParseLIID(s)
	if err != nil {
		panic(err)
	}
	return l
}

func printable(c byte) bool { return c > 0x20 && c < 0x7F }

// IsValid reports whether l holds an identifier (is not the zero LIID).
func (l LIID) IsValid() bool { return l.n > 0 }

// Len returns the identifier's length in octets, 0 for the zero LIID.
func (l LIID) Len() int { return int(l.n) }

// Bytes returns a copy of the identifier's octets.
func (l LIID) Bytes() []byte { return append([]byte(nil), l.b[:l.n]...) }

// AppendTo appends the identifier's octets to dst, without allocating when
// dst has room.
func (l LIID) AppendTo(dst []byte) []byte { return append(dst, l.b[:l.n]...) }

// String returns the identifier as ParseLIID reads it: itself when it is
// printable ASCII not starting with "0x", otherwise "0x" and hexadecimal.
// The zero LIID is "".
func (l LIID) String() string {
	b := l.b[:l.n]
	plain := !(len(b) >= 2 && b[0] == '0' && b[1] == 'x')
	for _, c := range b {
		plain = plain && printable(c)
	}
	if plain {
		return string(b)
	}
	return "0x" + hex.EncodeToString(b)
}

// MarshalText writes String's form; the zero LIID is an error, so that a
// record without one is never written.
func (l LIID) MarshalText() ([]byte, error) {
	if !l.IsValid() {
		return nil, fmt.Errorf("%w: the zero LIID has no text form", ErrLIID)
	}
	return []byte(l.String()), nil
}

// UnmarshalText reads ParseLIID's form.
func (l *LIID) UnmarshalText(b []byte) error {
	v, err := ParseLIID(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
