package ccj

import (
	"fmt"
	"slices"
)

// The keys of ccj's enumerations, which DecodeCell reads strictly: a
// value ccj does not know is refused where it is written, not found later
// by Check or dropped without a word by a command that reads the cell.

func channelKinds() []ChannelKind {
	return []ChannelKind{Phone, Email, Signal, Matrix, Other, Ntfy, Webhook}
}

func roles() []Role { return []Role{CellMember, ThirdParty} }

func adviceStatuses() []AdviceStatus {
	return []AdviceStatus{AdviceNone, AdvicePending, AdvicePositive, AdviceNegative}
}

// unmarshalKey sets *v to the value of keys whose text is b, or says it
// is none of them, naming the keys and never quoting b. The empty text is
// the zero value, as encoding/json writes a field left unset: whether it
// may be left unset is Check's question, so a Cell always reads back what
// it wrote.
func unmarshalKey[T ~string](v *T, b []byte, keys []T, what string) error {
	if len(b) == 0 {
		*v = ""
		return nil
	}
	if i := slices.Index(keys, T(b)); i >= 0 {
		*v = keys[i]
		return nil
	}
	return fmt.Errorf("%w: not a %s (want %s)", ErrDecode, what, hint(keys))
}

// hint lists keys as "one of a, b, c".
func hint[T ~string](keys []T) string {
	s := "one of "
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		if k == "" {
			s += `"" (none)`
			continue
		}
		s += string(k)
	}
	return s
}

// UnmarshalText accepts phone, email, signal, matrix, other, ntfy or
// webhook.
func (k *ChannelKind) UnmarshalText(b []byte) error {
	return unmarshalKey(k, b, channelKinds(), "channel kind")
}

// Hint says what a valid value is, for a strict decoder's message.
func (ChannelKind) Hint() string { return hint(channelKinds()) }

// UnmarshalText accepts member or third-party.
func (r *Role) UnmarshalText(b []byte) error { return unmarshalKey(r, b, roles(), "role") }

// Hint says what a valid value is, for a strict decoder's message.
func (Role) Hint() string { return hint(roles()) }

// UnmarshalText accepts "" (none), pending, positive or negative.
func (s *AdviceStatus) UnmarshalText(b []byte) error {
	return unmarshalKey(s, b, adviceStatuses(), "security advice status")
}

// Hint says what a valid value is, for a strict decoder's message.
func (AdviceStatus) Hint() string { return hint(adviceStatuses()) }
