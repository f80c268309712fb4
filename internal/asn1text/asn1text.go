// Package asn1text holds the character-set checks of ASN.1 string types
// that several ccjkit packages need (intercept's profile, intercept/etsi's
// encoder and decoder).
package asn1text

// PrintableByte reports whether c is one of ASN.1 PrintableString's
// characters (X.680 §41.4: letters, digits, space and '()+,-./:=?).
func PrintableByte(c byte) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return true
	case c == ' ', c == '\'', c == '(', c == ')', c == '+', c == ',', c == '-', c == '.', c == '/', c == ':', c == '=', c == '?':
		return true
	}
	return false
}

// Printable reports whether every byte of s is a PrintableString character.
func Printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if !PrintableByte(s[i]) {
			return false
		}
	}
	return true
}
