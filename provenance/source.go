package provenance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rickb777/date/v2"
)

// ErrUnknownValue is wrapped by the errors of UnmarshalText when a text form
// names no value of its enumeration.
var ErrUnknownValue = errors.New("provenance: unknown value")

// Certainty says how sure ccjkit is of a legal fact, with the tags of the
// project's legal fact sheet, plus [T] for ccjkit's own technical rules.
type Certainty uint8

const (
	// Unverified [U]: recalled or inferred, not seen in any source. The
	// zero value, so that a Source nobody graded is not taken for law.
	Unverified Certainty = iota
	// Secondary [S]: from a secondary source — press, law firm, NGO, a
	// worked example in commentary.
	Secondary
	// Verified [V]: seen in the official text (JUSTEL, Moniteur belge, a
	// consolidated copy) or on a regulator's page.
	Verified
	// Technical [T]: not law but a rule of ccjkit itself — a format, a
	// consistency check, a convention — documented where it is defined.
	Technical
)

// certainties lists the Certainty values in order.
func certainties() []Certainty { return []Certainty{Unverified, Secondary, Verified, Technical} }

// String returns "[U]", "[S]", "[V]" or "[T]".
func (c Certainty) String() string {
	switch c {
	case Unverified:
		return "[U]"
	case Secondary:
		return "[S]"
	case Verified:
		return "[V]"
	case Technical:
		return "[T]"
	}
	return fmt.Sprintf("Certainty(%d)", uint8(c))
}

// MarshalText returns "V", "S", "U" or "T".
func (c Certainty) MarshalText() ([]byte, error) {
	if c > Technical {
		return nil, fmt.Errorf("%w: %v", ErrUnknownValue, c)
	}
	return []byte(c.String()[1:2]), nil
}

// UnmarshalText accepts "V", "S", "U" or "T".
func (c *Certainty) UnmarshalText(b []byte) error {
	for _, v := range certainties() {
		if v.String()[1:2] == string(b) {
			*c = v
			return nil
		}
	}
	return fmt.Errorf("%w: not a certainty (V, S, U or T)", ErrUnknownValue)
}

// Source is where a legal figure or rule comes from. Its zero value is an
// unverified source that names nothing.
type Source struct {
	// Instrument names the text: "Code d'instruction criminelle",
	// "Code judiciaire", "arrêté royal du 9 janvier 2003", "RFC 2866", ...
	Instrument string `json:"instrument"`
	// Article is the provision, as precise as known: "art. 88bis §1 al. 4".
	Article string `json:"article,omitempty"`
	// Edition says which version of the text the figure follows, e.g.
	// "text before the laws of 29 May and 25 December 2016".
	Edition string `json:"edition,omitempty"`
	// Certainty is how sure we are that the text says this.
	Certainty Certainty `json:"certainty"`
	// URL is where the text or the secondary source was read, if public.
	URL string `json:"url,omitempty"`
	// From and Until bound the days the text is in force, in Brussels:
	// from the first day included to Until excluded (in JSON,
	// "in_force_before": the first day it is no longer in force). A zero bound is
	// open: the text was in force before anything ccjkit models, or still
	// is.
	From  date.Date `json:"in_force_from,omitzero"`
	Until date.Date `json:"in_force_before,omitzero"`
}

// InForce reports whether the text is in force on day d.
func (s Source) InForce(d date.Date) bool {
	return (s.From == 0 || d >= s.From) && (s.Until == 0 || d < s.Until)
}

// MaxSeverity is the highest severity a finding may have whose rule
// comes from a source of certainty c: ccjkit never tells a cell that an
// order breaks the law — an error, which may lead it to refuse, itself an
// offence — on a text it has not seen. A rule verified in the official
// text [V], read in a secondary source [S], or ccjkit's own technical rule
// [T] may give an error; an unverified one [U] at most a warning, whose
// text says what to check by hand.
func MaxSeverity(c Certainty) Severity {
	if c == Unverified || c > Technical {
		return Warning
	}
	return Error
}

// Rule returns the Source of one of ccjkit's own technical rules: the
// instrument "ccjkit", the rule's name as its article, certainty
// [Technical].
func Rule(name string) Source {
	return Source{Instrument: "ccjkit", Article: name, Certainty: Technical}
}

// String returns the citation on one line, e.g. "Code d'instruction
// criminelle art. 88bis §1 al. 4 (text before the laws of 29 May and 25 December 2016)
// [V]".
func (s Source) String() string {
	var b strings.Builder
	b.WriteString(s.Instrument)
	if s.Article != "" {
		b.WriteString(" ")
		b.WriteString(s.Article)
	}
	if s.Edition != "" {
		b.WriteString(" (")
		b.WriteString(s.Edition)
		b.WriteString(")")
	}
	switch {
	case s.From != 0 && s.Until != 0:
		fmt.Fprintf(&b, " in force %s to %s", s.From, s.Until.AddDate(0, 0, -1))
	case s.From != 0:
		fmt.Fprintf(&b, " in force from %s", s.From)
	case s.Until != 0:
		fmt.Fprintf(&b, " in force until %s", s.Until.AddDate(0, 0, -1))
	}
	b.WriteString(" ")
	b.WriteString(s.Certainty.String())
	return b.String()
}
