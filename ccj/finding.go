package ccj

import (
	"encoding/json"
	"fmt"
	"sync"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/provenance"
)

// Finding is one result of a check of the cell: the rule, how serious,
// which record, why, and the source of the rule with its certainty.
type Finding struct {
	Rule     string              `json:"rule"`
	Severity provenance.Severity `json:"severity"`
	// Field is the record at fault, such as "members[1].advice"; "" for
	// the cell as a whole.
	Field  string            `json:"field,omitempty"`
	Source provenance.Source `json:"source"`

	msg  string
	args []any
}

func newFinding(rule string, sev provenance.Severity, field string, src provenance.Source, msg string, args ...any) Finding {
	return Finding{Rule: rule, Severity: sev, Field: field, Source: src, msg: msg, args: args}
}

// Text returns the finding in the language tag asks for (French, Dutch,
// German; English otherwise).
func (f Finding) Text(tag language.Tag) string {
	p := messages().Printer(tag)
	args := make([]any, len(f.args))
	for i, a := range f.args {
		switch v := a.(type) {
		case phrase:
			args[i] = p.Sprintf(string(v))
		case phraseArgs:
			args[i] = p.Sprintf(v.msg, v.arg)
		default:
			args[i] = a
		}
	}
	return p.Sprintf(f.msg, args...)
}

// String returns the finding in English on one line with its source.
func (f Finding) String() string {
	field := ""
	if f.Field != "" {
		field = " [" + f.Field + "]"
	}
	return fmt.Sprintf("%s %s%s: %s (%v)", f.Severity, f.Rule, field, f.Text(language.English), f.Source)
}

// MarshalJSON writes the finding with its English text under "text".
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	return json.Marshal(struct {
		plain
		Text string `json:"text"`
	}{plain(f), f.Text(language.English)})
}

// Languages are the languages of findings and sheets.
func Languages() []language.Tag {
	return []language.Tag{language.English, language.French, language.Dutch, language.German}
}

var messages = sync.OnceValue(func() *i18n.Catalogue { return i18n.MustNew(Languages(), translations()) })

// The sources of the cell's rules, as the legal fact sheet grades them.
func bipt() provenance.Source {
	return provenance.Source{Instrument: "BIPT, practical information for operators", Article: "coordination cell",
		Certainty: provenance.Verified, URL: "https://bipt.be/operators/practical-information"}
}

// belgium is the source of the rule that the cell is in Belgium: Timelex
// [S] (fact sheet §1.3); BIPT's letter to Neutrinet, quoted in the
// project's seed, says "se trouver sur le territoire belge".
func belgium() provenance.Source {
	return provenance.Source{Instrument: "Timelex, « Outsourcing your justice coordination cell »; BIPT's letter to Neutrinet quoted in Neutrinet's post of 10 February 2021",
		Certainty: provenance.Secondary, URL: "https://timelex.eu/en/blog/outsourcing-your-justice-coordination-cell"}
}

// timelex is the source of the members' rules (residence, renewal, third
// parties) [S].
func timelex() provenance.Source {
	return provenance.Source{Instrument: "Timelex, « Outsourcing your justice coordination cell »", Certainty: provenance.Secondary,
		URL: "https://timelex.eu/en/blog/outsourcing-your-justice-coordination-cell"}
}

// procedure is the source of the internal-procedure rule [S].
func procedure() provenance.Source {
	return provenance.Source{Instrument: "Timelex, note on the coordination cell", Certainty: provenance.Secondary,
		URL: "https://www.timelex.eu/fr/node/456"}
}

func technicalSource(rule string) provenance.Source {
	return provenance.Source{Instrument: "ccjkit", Article: rule, Certainty: provenance.Technical}
}
