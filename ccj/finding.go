package ccj

import (
	"fmt"
	"sync"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// message is the text of one of the cell's findings: a key of ccj's
// catalogue and its arguments, translated when read. It implements
// provenance.Message.
type message struct {
	key  string
	args []any
}

// Text returns the message in the language tag asks for (French, Dutch,
// German; English otherwise): days and instants as people read them in
// that language (timesync.DisplayDay, timesync.Timestamp.Display).
func (m message) Text(tag language.Tag) string {
	p := messages().Printer(tag)
	args := make([]any, len(m.args))
	for i, a := range m.args {
		switch v := a.(type) {
		case phrase:
			args[i] = p.Sprintf(string(v))
		case phraseArgs:
			args[i] = p.Sprintf(v.msg, v.arg)
		case message:
			args[i] = v.Text(tag)
		case date.Date:
			args[i] = timesync.DisplayDay(v, tag)
		case timesync.Timestamp:
			args[i] = v.Display(tag)
		case span:
			args[i] = v.String()
		default:
			args[i] = a
		}
	}
	return p.Sprintf(m.key, args...)
}

// newFinding returns a finding of the cell whose text is the catalogue's
// key with its arguments. sentinel is the finding's Err when it is an
// error; warnings and information carry none.
func newFinding(rule string, sev provenance.Severity, field string, src provenance.Source, sentinel error, key string, args ...any) provenance.Finding {
	// A rule of an unverified source warns, never refuses
	// (provenance.MaxSeverity): the cell's rules come from [V] and [S]
	// sources, and ccjkit's own [T] ones.
	sev = min(sev, provenance.MaxSeverity(src.Certainty))
	f := provenance.Finding{Rule: rule, Severity: sev, Field: field, Source: src, Message: message{key, args}}
	if sev == provenance.Error {
		f.Err = sentinel
	}
	return f
}

// msg returns the message key with args.
func msg(key string, args ...any) message { return message{key, args} }

// span is a length of time in a message: "3 h 05 min", "12 d 4 h" (d,
// h and min are SI's symbols, the same in every language).
type span time.Duration

// String writes the span to the minute, days and hours from two days.
func (s span) String() string {
	d := time.Duration(s).Round(time.Minute)
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d d %d h", d/(24*time.Hour), (d%(24*time.Hour))/time.Hour)
	}
	return fmt.Sprintf("%d h %02d min", d/time.Hour, (d%time.Hour)/time.Minute)
}

// phrase is a message argument that is itself translated.
type phrase string

// phraseArgs is a translated message argument with its own arguments.
type phraseArgs struct {
	msg string
	arg any
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

// technicalSource is the source of one of ccjkit's own rules about the
// cell's records.
func technicalSource(rule string) provenance.Source { return provenance.Rule(rule) }
