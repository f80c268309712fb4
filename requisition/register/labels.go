package register

import (
	"slices"

	"golang.org/x/text/language"
)

// label returns the catalogue's text for prefix:value in the language tag
// asks for, or the value itself when it is not one of values (an unknown
// value is shown as it is, never as a catalogue key).
func label[T ~string](tag language.Tag, prefix string, v T, values []T) string {
	if !slices.Contains(values, v) {
		return string(v)
	}
	return printer(tag).Sprintf(prefix + ":" + string(v))
}

// Label returns the state's name in the language tag asks for (French,
// Dutch, German; English otherwise), such as "pris en charge".
func (s State) Label(tag language.Tag) string { return label(tag, "state", s, States()) }

// Label returns what the event did, in the language tag asks for, such as
// "work order issued" or "ordre de travail émis".
func (e Event) Label(tag language.Tag) string { return label(tag, "event", e, Events()) }

// Label returns what the technician found, in the language tag asks for,
// such as "no such data held".
func (o Outcome) Label(tag language.Tag) string { return label(tag, "result", o, outcomes()) }

// Label returns how the answer was delivered, in the language tag asks
// for, such as "registered post".
func (c Channel) Label(tag language.Tag) string { return label(tag, "channel", c, Channels()) }

// Label returns whether the answer came in time, in the language tag asks
// for, such as "within the deadline".
func (t Timeliness) Label(tag language.Tag) string {
	return label(tag, "timeliness", t, []Timeliness{OnTime, Late, UnknownDue, NoFixedDue})
}

// Label returns the role's name in the language tag asks for.
func (r Role) Label(tag language.Tag) string { return label(tag, "role", r, Roles()) }
