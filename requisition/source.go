package requisition

import (
	"fmt"
	"strings"
)

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

// String returns "[U]", "[S]" or "[V]".
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
	for _, v := range []Certainty{Unverified, Secondary, Verified, Technical} {
		if v.String()[1:2] == string(b) {
			*c = v
			return nil
		}
	}
	return fmt.Errorf("%w: %q is not a certainty (V, S, U or T)", ErrUnknownValue, b)
}

// Source is where a legal figure or rule comes from.
type Source struct {
	// Instrument names the text: "Code d'instruction criminelle",
	// "Code judiciaire", "arrêté royal du 9 janvier 2003", ...
	Instrument string `json:"instrument"`
	// Article is the provision, as precise as known: "art. 88bis §1 al. 4".
	Article string `json:"article,omitempty"`
	// Edition says which version of the text the figure follows, e.g.
	// "text before the law of 25 December 2016".
	Edition string `json:"edition,omitempty"`
	// Certainty is how sure we are that the text says this.
	Certainty Certainty `json:"certainty"`
	// URL is where the text or the secondary source was read, if public.
	URL string `json:"url,omitempty"`
}

// String returns the citation on one line, e.g. "Code d'instruction
// criminelle art. 88bis §1 al. 4 (text before the law of 25 December 2016)
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
	b.WriteString(" ")
	b.WriteString(s.Certainty.String())
	return b.String()
}

// The instruments cited most, spelled once.
const (
	codeInstructionCriminelle = "Code d'instruction criminelle"
	codeJudiciaire            = "Code judiciaire"
	arrete2003                = "arrêté royal du 9 janvier 2003"
	pre2016                   = "text before the law of 25 December 2016"
	seedURL                   = "https://sherloc.unodc.org/cld/en/legislation/bel/code_dinstruction_criminelle/livre_primer/articles_88bisterquater/article_88-bisterquater.html"
)

// technical is the Source of one of ccjkit's own rules.
func technical(rule string) Source {
	return Source{Instrument: "ccjkit", Article: rule, Certainty: Technical}
}
