package provenance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Severity grades a finding.
type Severity uint8

const (
	// Info: worth knowing, nothing to do.
	Info Severity = iota
	// Warning: lawful or well-formed as far as ccjkit can tell, but
	// something must be checked or done (a confirmation to watch for, an
	// unverified rule).
	Warning
	// Error: a rule is not met. For a judicial order, the cell should ask
	// the authority before executing it; for input, it is refused.
	Error
)

// severities lists the Severity values in order.
func severities() []Severity { return []Severity{Info, Warning, Error} }

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", uint8(s))
}

// MarshalText returns the key [Severity.String] gives; an unknown Severity
// is an error.
func (s Severity) MarshalText() ([]byte, error) {
	if s > Error {
		return nil, fmt.Errorf("%w: %v", ErrUnknownValue, s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText accepts the keys [Severity.String] returns.
func (s *Severity) UnmarshalText(b []byte) error {
	for _, v := range severities() {
		if v.String() == string(b) {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("%w: not a severity (info, warning or error)", ErrUnknownValue)
}

// Message is the explanation of a finding, in the language a reader asks
// for. Each package of ccjkit implements it over its own message catalogue;
// [Text] is a message in one language only.
type Message interface {
	// Text returns the message in the language tag asks for, or in English
	// when it has no translation for tag.
	Text(tag language.Tag) string
}

// Text is a [Message] with one text for every language: the form of
// findings that are not translated (the problems a decoder finds in its
// input, which are written in English) and of findings read back from
// JSON.
type Text string

// Text returns t whatever the language.
func (t Text) Text(language.Tag) string { return string(t) }

// Finding is one result of a check: a rule, how serious, where, why, and
// the source of the rule with its certainty. Its text never contains a
// secret value of the input (a target, a case reference, a name): it names
// the field and what the rule needs.
type Finding struct {
	// Rule is a stable identifier of the rule, such as "88bis-authority" or
	// "decode".
	Rule string `json:"rule"`
	// Severity says how serious it is.
	Severity Severity `json:"severity"`
	// Field is the path of the field at fault, such as "targets[2].addr"
	// or "members[1].advice"; "" for the checked value as a whole.
	Field string `json:"field,omitempty"`
	// Source is where the rule comes from.
	Source Source `json:"source"`
	// Err is the sentinel error the finding wraps, for errors.Is; nil for
	// findings that are not errors.
	Err error `json:"-"`
	// Message explains the finding; nil for none.
	Message Message `json:"-"`
}

// Text returns the finding's explanation in the language tag asks for
// (French, Dutch, German where the package that made it has them; English
// otherwise), or "" when it has none.
func (f Finding) Text(tag language.Tag) string {
	if f.Message == nil {
		return ""
	}
	return f.Message.Text(tag)
}

// String returns the finding in English on one line, with its rule and
// citation: "error 88bis-authority [authority]: ... (Code d'instruction
// criminelle art. 88bis ... [V])".
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Severity.String())
	b.WriteString(" ")
	b.WriteString(f.Rule)
	if f.Field != "" {
		b.WriteString(" [")
		b.WriteString(f.Field)
		b.WriteString("]")
	}
	if t := f.Text(language.English); t != "" {
		b.WriteString(": ")
		b.WriteString(t)
	}
	b.WriteString(" (")
	b.WriteString(f.Source.String())
	b.WriteString(")")
	return b.String()
}

// Error makes a Finding usable as an error; it returns [Finding.String].
func (f Finding) Error() string { return f.String() }

// Unwrap returns the sentinel, Err.
func (f Finding) Unwrap() error { return f.Err }

// findingJSON is a Finding's JSON form.
type findingJSON struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Field    string   `json:"field,omitempty"`
	Source   Source   `json:"source"`
	Text     string   `json:"text,omitempty"`
}

// MarshalJSON writes the finding with its English text under "text".
func (f Finding) MarshalJSON() ([]byte, error) {
	return json.Marshal(findingJSON{f.Rule, f.Severity, f.Field, f.Source, f.Text(language.English)})
}

// UnmarshalJSON reads what [Finding.MarshalJSON] writes, strictly: no
// unknown field, and a rule and a severity required (a finding whose
// severity was lost must not come back as information). The text becomes
// a [Text] message; the sentinel is not encoded and stays nil.
func (f *Finding) UnmarshalJSON(b []byte) error {
	var j struct {
		findingJSON
		Severity *Severity `json:"severity"`
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&j); err != nil {
		return fmt.Errorf("%w: a finding: %v", ErrUnknownValue, err)
	}
	if j.Severity == nil || j.Rule == "" {
		return fmt.Errorf("%w: a finding needs its rule and its severity", ErrUnknownValue)
	}
	j.findingJSON.Severity = *j.Severity
	*f = Finding{Rule: j.Rule, Severity: j.findingJSON.Severity, Field: j.Field, Source: j.Source}
	if j.Text != "" {
		f.Message = Text(j.Text)
	}
	return nil
}

// Worst returns the highest severity among fs, and false when fs is empty.
func Worst(fs []Finding) (Severity, bool) {
	if len(fs) == 0 {
		return Info, false
	}
	w := Info
	for _, f := range fs {
		w = max(w, f.Severity)
	}
	return w, true
}
