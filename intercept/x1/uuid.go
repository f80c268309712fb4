package x1

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
)

// UUID is a TS 103 280 UUID: the type of X1's XIDs (tasks), DIDs
// (destinations) and transaction identifiers. Its text form is RFC 4122's
// (RFC 9562 §4): 32 hexadecimal digits in groups of 8-4-4-4-12, and, as the
// schema's pattern requires, lower case only. It is a comparable value, like
// netip.Addr: use it as a map key. Its zero value is the nil UUID, which the
// schema allows but ccjkit refuses as an XID or a DID (IsZero).
//
// A UUID converts to and from the [16]byte of intercept.Task's ID, which is
// the task's XID.
type UUID [16]byte

// ErrUUID is wrapped by the errors of ParseUUID and UUID.UnmarshalText.
var ErrUUID = errors.New("x1: invalid UUID")

// ParseUUID reads the text form String writes: lower-case hexadecimal in
// groups of 8-4-4-4-12 digits separated by hyphens, nothing else (no braces,
// no "urn:uuid:", no upper case: TS 103 280's UUID pattern). Its error never
// quotes s.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 {
		return u, ErrUUID
	}
	j := 0
	for i := 0; i < 36; {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return UUID{}, ErrUUID
			}
			i++
			continue
		}
		hi, ok1 := lowerHex(s[i])
		lo, ok2 := lowerHex(s[i+1])
		if !ok1 || !ok2 {
			return UUID{}, ErrUUID
		}
		u[j] = hi<<4 | lo
		j++
		i += 2
	}
	return u, nil
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// MustParseUUID is ParseUUID for constants: it panics on an invalid text.
func MustParseUUID(s string) UUID {
	u, err := ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// NewUUID returns a random (version 4, RFC 9562 §5.4) UUID read from r, or
// from crypto/rand when r is nil.
func NewUUID(r io.Reader) (UUID, error) {
	var u UUID
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, u[:]); err != nil {
		return UUID{}, err
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u, nil
}

// IsZero reports whether u is the nil UUID (all zeros).
func (u UUID) IsZero() bool { return u == UUID{} }

// String returns the lower-case 8-4-4-4-12 text form.
func (u UUID) String() string { return string(u.AppendText(nil)) }

// AppendText appends the text form to b.
func (u UUID) AppendText(b []byte) []byte {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:36], u[10:16])
	return append(b, buf[:]...)
}

// MarshalText returns the text form.
func (u UUID) MarshalText() ([]byte, error) { return u.AppendText(nil), nil }

// UnmarshalText reads the text form, as ParseUUID.
func (u *UUID) UnmarshalText(b []byte) error {
	v, err := ParseUUID(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}
