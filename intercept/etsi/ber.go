package etsi

import (
	"math/bits"
	"strconv"
	"time"
)

// BER classes and the constructed bit, as they appear in an identifier
// octet (X.690 §8.1.2).
const (
	classContext = 0x80
	constructed  = 0x20
	tagSequence  = 0x30 // universal 16, constructed
)

// ctx returns the identifier octet of context tag n, primitive.
func ctx(n int) byte { return byte(classContext | n) }

// cons returns the identifier octet of context tag n, constructed.
func cons(n int) byte { return byte(classContext | constructed | n) }

// lenSize is the number of octets the definite length n takes (X.690
// §8.1.3: short form below 128, otherwise the minimal long form).
func lenSize(n int) int {
	if n < 0x80 {
		return 1
	}
	return 1 + (bits.Len(uint(n))+7)/8
}

// appendLen appends the definite length n in its minimal form.
func appendLen(dst []byte, n int) []byte {
	if n < 0x80 {
		return append(dst, byte(n))
	}
	k := (bits.Len(uint(n)) + 7) / 8
	dst = append(dst, byte(0x80|k))
	for i := k - 1; i >= 0; i-- {
		dst = append(dst, byte(n>>(8*i)))
	}
	return dst
}

// tlvSize is the size of a TLV whose content is n octets.
func tlvSize(n int) int { return 1 + lenSize(n) + n }

// uintSize is the content length of a non-negative INTEGER v: minimal two's
// complement, so a leading zero octet when the top bit would be set.
func uintSize(v uint64) int {
	return (bits.Len64(v) + 8) / 8 // one more bit for the sign; 0 takes one octet
}

// appendUint appends a complete INTEGER-like TLV with identifier id.
func appendUint(dst []byte, id byte, v uint64) []byte {
	n := uintSize(v)
	dst = append(dst, id, byte(n))
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*i)))
	}
	return dst
}

// appendBytes appends a TLV with identifier id and content b.
func appendBytes(dst []byte, id byte, b []byte) []byte {
	dst = append(dst, id)
	dst = appendLen(dst, len(b))
	return append(dst, b...)
}

// appendString is appendBytes for a string, without converting it.
func appendString(dst []byte, id byte, s string) []byte {
	dst = append(dst, id)
	dst = appendLen(dst, len(s))
	return append(dst, s...)
}

// arcSize is the size of one OID arc in base-128.
func arcSize(v uint32) int {
	if v == 0 {
		return 1
	}
	return (bits.Len32(v) + 6) / 7
}

// appendArc appends one arc in base 128, high groups first.
func appendArc(dst []byte, v uint32) []byte {
	for i := arcSize(v) - 1; i > 0; i-- {
		dst = append(dst, byte(v>>(7*i))|0x80)
	}
	return append(dst, byte(v&0x7F))
}

// oidContent returns the content octets of the OBJECT IDENTIFIER arcs
// (X.690 §8.19: the first two arcs share an octet). arcs has at least two
// elements, the first 0, 1 or 2.
func oidContent(arcs ...uint32) []byte {
	out := appendArc(nil, arcs[0]*40+arcs[1])
	for _, a := range arcs[2:] {
		out = appendArc(out, a)
	}
	return out
}

// relOIDContent returns the content octets of a RELATIVE-OID (X.690 §8.20:
// every arc on its own).
func relOIDContent(arcs ...uint32) []byte {
	var out []byte
	for _, a := range arcs {
		out = appendArc(out, a)
	}
	return out
}

// generalizedLen is the length of appendGeneralized's text.
const generalizedLen = 22 // len("20061102090000.000000Z")

// appendGeneralized appends t as GeneralizedTime content in UTC, to the
// microsecond: "YYYYMMDDHHMMSS.ffffffZ". X.680 §46 allows the fraction;
// the trailing zeros are kept, so every timestamp has the same length and a
// template needs no resizing.
func appendGeneralized(dst []byte, t time.Time) []byte {
	t = t.UTC()
	dst = append4(dst, t.Year())
	dst = append2(dst, int(t.Month()))
	dst = append2(dst, t.Day())
	dst = append2(dst, t.Hour())
	dst = append2(dst, t.Minute())
	dst = append2(dst, t.Second())
	dst = append(dst, '.')
	us := t.Nanosecond() / 1000
	for d := 100000; d > 0; d /= 10 {
		dst = append(dst, byte('0'+us/d%10))
	}
	return append(dst, 'Z')
}

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }
func append4(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// parseGeneralized reads GeneralizedTime content in the forms ETSI
// receivers see: "YYYYMMDDHHMMSS" with an optional fraction of 1 to 6
// digits (to the microsecond, the precision this package keeps: a finer
// time would not survive re-encoding), and "Z" (UTC). A local time without "Z" or with an offset is
// refused: the records of this package are in UTC.
func parseGeneralized(b []byte) (time.Time, bool) {
	if len(b) < 15 || b[len(b)-1] != 'Z' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		v := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	var f [6]int
	pos := []int{0, 4, 6, 8, 10, 12, 14}
	for i := 0; i < 6; i++ {
		v, ok := num(b[pos[i]:pos[i+1]])
		if !ok {
			return time.Time{}, false
		}
		f[i] = v
	}
	ns := 0
	rest := b[14 : len(b)-1]
	if len(rest) > 0 {
		if rest[0] != '.' && rest[0] != ',' || len(rest) < 2 || len(rest) > 7 {
			return time.Time{}, false
		}
		v, ok := num(rest[1:])
		if !ok {
			return time.Time{}, false
		}
		for i := len(rest) - 1; i < 9; i++ {
			v *= 10
		}
		ns = v
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], ns, time.UTC)
	// time.Date normalises out-of-range fields; a real timestamp survives
	// the round trip unchanged.
	if t.Year() != f[0] || int(t.Month()) != f[1] || t.Day() != f[2] || t.Hour() != f[3] || t.Minute() != f[4] || t.Second() != f[5] {
		return time.Time{}, false
	}
	return t, true
}

// oidString writes arcs in dotted form, for error messages and tests.
func oidString(arcs []uint32) string {
	var b []byte
	for i, a := range arcs {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(a), 10)
	}
	return string(b)
}
