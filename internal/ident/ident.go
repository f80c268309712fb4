// Package ident checks the syntax of identifiers several ccjkit packages
// accept: one definition, so that a member's phone number and a target's
// phone number are held to the same rule.
package ident

// IsE164 reports whether s is a telephone number in E.164 form: "+"
// followed by 8 to 15 digits.
func IsE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
