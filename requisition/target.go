package requisition

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ccjkit/ccjkit/internal/ident"
	"github.com/ccjkit/ccjkit/timesync"
)

// TargetKind is the kind of identifier a requisition targets.
type TargetKind uint8

const (
	// TargetIP: an IP address (IPv4 or IPv6), with an optional port, at a
	// time window. Behind NAT and dynamic addressing an address means
	// nothing without the moment, so the window is required.
	TargetIP TargetKind = iota + 1
	// TargetPrefix: an IP prefix (a range of addresses) at a time window.
	TargetPrefix
	// TargetPhone: a telephone number in E.164 form, "+32...".
	TargetPhone
	// TargetEmail: an e-mail address.
	TargetEmail
	// TargetUsername: a login or account name at the operator.
	TargetUsername
	// TargetIMEI: a handset's IMEI (15 digits with a Luhn check digit).
	TargetIMEI
	// TargetIMSI: a SIM's IMSI (up to 15 digits).
	TargetIMSI
	// TargetMAC: a 48-bit MAC address.
	TargetMAC
	// TargetSubscriber: the operator's own subscriber or contract
	// reference.
	TargetSubscriber
)

func targetKinds() []TargetKind {
	return []TargetKind{TargetIP, TargetPrefix, TargetPhone, TargetEmail, TargetUsername, TargetIMEI, TargetIMSI, TargetMAC, TargetSubscriber}
}

// String returns the key: "ip", "prefix", "phone", "email", "username",
// "imei", "imsi", "mac" or "subscriber".
func (k TargetKind) String() string {
	switch k {
	case TargetIP:
		return "ip"
	case TargetPrefix:
		return "prefix"
	case TargetPhone:
		return "phone"
	case TargetEmail:
		return "email"
	case TargetUsername:
		return "username"
	case TargetIMEI:
		return "imei"
	case TargetIMSI:
		return "imsi"
	case TargetMAC:
		return "mac"
	case TargetSubscriber:
		return "subscriber"
	}
	return fmt.Sprintf("TargetKind(%d)", uint8(k))
}

// MarshalText returns the key; an unknown kind is an error.
func (k TargetKind) MarshalText() ([]byte, error) { return marshalKey(k, targetKinds()) }

// UnmarshalText accepts the keys [TargetKind.String] returns.
func (k *TargetKind) UnmarshalText(b []byte) error {
	return unmarshalKey(k, b, targetKinds(), "target kind")
}

// Target is one identifier a requisition is about. It is sensitive: no
// ccjkit error or log line ever contains its value.
type Target struct {
	Kind TargetKind `json:"kind"`
	// Addr is the address, for TargetIP.
	Addr netip.Addr `json:"addr,omitzero"`
	// Port is the source port, for TargetIP behind shared addresses; 0
	// when not given.
	Port uint16 `json:"port,omitzero"`
	// Prefix is the range, for TargetPrefix.
	Prefix netip.Prefix `json:"prefix,omitzero"`
	// Value is the identifier, for the other kinds.
	Value string `json:"value,omitzero"`
	// From and Until bound the time window the target is asked about,
	// Until excluded. Required for TargetIP and TargetPrefix.
	From  timesync.Timestamp `json:"from,omitzero"`
	Until timesync.Timestamp `json:"until,omitzero"`
}

// problem is a message key of the catalogue and its arguments.
type problem struct {
	msg  string
	args []any
}

// problems returns what is wrong with the target, without its value.
func (t Target) problems() []problem {
	var out []problem
	add := func(msg string, args ...any) { out = append(out, problem{msg, args}) }
	needValue := func() {
		if t.Value == "" {
			add("the value is empty")
		}
		if t.Addr.IsValid() || t.Prefix.IsValid() || t.Port != 0 {
			add("addr, prefix and port belong to ip and prefix targets only")
		}
	}
	switch t.Kind {
	case TargetIP:
		if !t.Addr.IsValid() {
			add("an ip target needs addr")
		}
		if t.Prefix.IsValid() || t.Value != "" {
			add("an ip target has only addr and port")
		}
	case TargetPrefix:
		if !t.Prefix.IsValid() {
			add("a prefix target needs prefix")
		} else if t.Prefix != t.Prefix.Masked() {
			add("the prefix has host bits set")
		}
		if t.Addr.IsValid() || t.Port != 0 || t.Value != "" {
			add("a prefix target has only prefix")
		}
	case TargetPhone:
		needValue()
		if t.Value != "" && !ident.IsE164(t.Value) {
			add("the phone number is not in E.164 form (+ then 8 to 15 digits)")
		}
	case TargetEmail:
		needValue()
		if at := strings.LastIndexByte(t.Value, '@'); t.Value != "" && (at < 1 || at == len(t.Value)-1 || strings.ContainsAny(t.Value, " \t\r\n")) {
			add("the e-mail address is not local@domain")
		}
	case TargetUsername, TargetSubscriber:
		needValue()
	case TargetIMEI:
		needValue()
		if t.Value != "" && !isIMEI(t.Value) {
			add("the IMEI is not 15 digits with a valid check digit")
		}
	case TargetIMSI:
		needValue()
		if t.Value != "" && !allDigits(t.Value, 6, 15) {
			add("the IMSI is not 6 to 15 digits")
		}
	case TargetMAC:
		needValue()
		if t.Value != "" && !isMAC(t.Value) {
			add("the MAC address is not six hexadecimal octets separated by ':' or '-'")
		}
	default:
		add("unknown target kind")
	}
	if len(t.Value) > maxValue {
		add("the value is longer than %d bytes", maxValue)
	}
	if t.Kind == TargetIP || t.Kind == TargetPrefix {
		if t.From.IsZero() || t.Until.IsZero() {
			add("an address means nothing without its moment: from and until are required")
		}
	}
	if !t.From.IsZero() && !t.Until.IsZero() && !t.From.Before(t.Until) {
		add("from is not before until")
	}
	return out
}

// maxValue bounds a target's textual value.
const maxValue = 256

func allDigits(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isIMEI checks 15 digits whose last is the Luhn check digit.
func isIMEI(s string) bool {
	if !allDigits(s, 15, 15) {
		return false
	}
	sum := 0
	for i := 0; i < 15; i++ {
		d := int(s[14-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func isMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' && c != '-' {
				return false
			}
			continue
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// Hint lists the valid text forms, for decoding errors.
func (TargetKind) Hint() string { return hint(targetKinds()) }
