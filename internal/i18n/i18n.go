// Package i18n builds the x/text message catalogue a ccjkit package owns:
// one catalogue per package, built once from a table of translations, never
// shared and never changed afterwards.
//
// # Plurals
//
// A text says how a word agrees with a number by a plural choice,
// {N:ONE|OTHER}: N is the argument (counted from 1, as in %[N]d) whose
// plural category picks the form, ONE the form for the category "one",
// OTHER the form for every other category. The categories are CLDR's, as
// golang.org/x/text/feature/plural computes them for the text's language:
// in English, Dutch and German "one" is 1 only, in French 0 and 1 (« 0
// constat », « 1 constat », « 2 constats »). Those four languages have no
// other categories for whole numbers, which is why two forms are enough.
// A text with a choice numbers every verb explicitly (%[1]d, %-14[2]s): the
// choice is a catalog.Var of x/text, which formats the arguments once more,
// and only explicit indexes keep fmt from complaining of extra arguments.
// MustNew refuses a text that breaks this rule. For example:
//
//	{"%[1]d {1:finding|findings}, none an error", "%[1]d {1:constat|constats}, aucune erreur", ...}
//
// # The pseudo-locale
//
// In a test binary (testing.Testing), every catalogue also speaks
// [Pseudo], a private-use tag whose texts are the English ones with every
// run of literal text marked ⟦like this⟧ and the arguments left outside
// the marks. A test renders an output in [Pseudo] and strips the marked
// spans: what remains is data (an ID, a time, a name) or English that no
// catalogue translated. [Pseudo] is never one of a catalogue's languages:
// only a request for exactly that tag gets it, and a program built by go
// build has no such texts.
package i18n

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Catalogue holds a package's translations and the languages it speaks.
type Catalogue struct {
	langs   []language.Tag
	builder *catalog.Builder
	matcher language.Matcher
	// pseudo: the catalogue also speaks Pseudo (a test binary).
	pseudo bool
}

// Pseudo returns the pseudo-locale of tests, en-XA (the CLDR convention:
// English, region XA, private use): English texts with their literal runs
// marked by [MarkOpen] and [MarkClose].
func Pseudo() language.Tag { return language.MustParse("en-XA") }

// The marks around each literal run of text in [Pseudo].
const (
	MarkOpen  = "⟦"
	MarkClose = "⟧"
)

// IsPseudo reports whether tag is [Pseudo].
func IsPseudo(tag language.Tag) bool { return tag == Pseudo() }

// Mark returns s marked as [Pseudo] marks a catalogue's text: for data
// that a package translates without a catalogue (a table of labels in
// four languages), shown in [Pseudo] as its English text marked. An empty
// s stays empty.
func Mark(s string) string {
	if s == "" {
		return ""
	}
	return MarkOpen + s + MarkClose
}

// MustNew builds a catalogue for langs (the first is the fallback, and
// the language of [Pseudo]'s texts) from entries of the form {key, text in
// langs[0], text in langs[1], ...}. It panics when an entry has the wrong
// number of texts or a malformed message (a plural choice that is not
// {N:ONE|OTHER}, or a verb without an explicit index beside one): a
// programming error that the package's tests catch.
func MustNew(langs []language.Tag, entries [][]string) *Catalogue {
	b := catalog.NewBuilder(catalog.Fallback(langs[0]))
	c := &Catalogue{langs: langs, builder: b, matcher: language.NewMatcher(langs), pseudo: testing.Testing()}
	for _, e := range entries {
		if len(e) != len(langs)+1 {
			panic(fmt.Sprintf("i18n: entry %q has %d texts for %d languages", e[0], len(e)-1, len(langs)))
		}
		for i, tag := range langs {
			if err := Set(b, tag, e[0], e[i+1]); err != nil {
				panic(fmt.Sprintf("i18n: entry %q: %v", e[0], err))
			}
		}
		if c.pseudo {
			if err := Set(b, Pseudo(), e[0], PseudoText(e[1])); err != nil {
				panic(fmt.Sprintf("i18n: entry %q: %v", e[0], err))
			}
		}
	}
	return c
}

// Match returns the catalogue's language closest to tag; [Pseudo] for
// exactly Pseudo, in a test binary.
func (c *Catalogue) Match(tag language.Tag) language.Tag {
	if c.pseudo && IsPseudo(tag) {
		return tag
	}
	_, i, _ := c.matcher.Match(tag)
	return c.langs[i]
}

// Printer returns a printer for the catalogue's language closest to tag. A
// Printer is cheap; make one per use rather than sharing it.
func (c *Catalogue) Printer(tag language.Tag) *message.Printer {
	return message.NewPrinter(c.Match(tag), message.Catalog(c.builder))
}

// Has reports whether the catalogue holds key (for the language closest
// to tag, or its fallback).
func (c *Catalogue) Has(tag language.Tag, key string) bool {
	return c.Printer(tag).Sprintf(key) != key
}

// EnglishKeyed turns rows of {English, French, Dutch, German, ...} into
// MustNew's entries, using the English text as the key: the form packages
// whose messages are written in English in the code use.
func EnglishKeyed(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = append([]string{r[0]}, r...)
	}
	return out
}

// Set sets key's text in language tag in b, its plural choices
// ({N:ONE|OTHER}) made catalog.Var selections by x/text's plural rules
// for tag.
func Set(b *catalog.Builder, tag language.Tag, key, text string) error {
	parts, err := parse(text)
	if err != nil {
		return err
	}
	var msgs []catalog.Message
	var s strings.Builder
	for _, p := range parts {
		if p.arg == 0 {
			s.WriteString(p.text)
			continue
		}
		name := fmt.Sprintf("plural%d", len(msgs)+1)
		msgs = append(msgs, catalog.Var(name, plural.Selectf(p.arg, "%d", plural.One, p.one, plural.Other, p.other)))
		s.WriteString("${" + name + "}")
	}
	return b.Set(tag, key, append(msgs, catalog.String(s.String()))...)
}

// PseudoText returns text as [Pseudo] has it: every run of literal text
// between verbs marked, in plural forms too; verbs and plural choices
// kept.
func PseudoText(text string) string {
	parts, err := parse(text)
	if err != nil {
		return MarkOpen + text + MarkClose // MustNew reports the error itself
	}
	var b strings.Builder
	for _, p := range parts {
		if p.arg != 0 {
			fmt.Fprintf(&b, "{%d:%s|%s}", p.arg, markRuns(p.one), markRuns(p.other))
			continue
		}
		b.WriteString(markRuns(p.text))
	}
	return b.String()
}

// markRuns marks each run of s between verbs.
func markRuns(s string) string {
	var b strings.Builder
	run := 0 // start of the current literal run
	flush := func(end int) {
		if end > run {
			b.WriteString(MarkOpen + s[run:end] + MarkClose)
		}
	}
	for _, v := range verbs(s) {
		flush(v.start)
		b.WriteString(s[v.start:v.end])
		run = v.end
	}
	flush(len(s))
	return b.String()
}

// part is a run of text, or (arg > 0) a plural choice.
type part struct {
	text       string
	arg        int
	one, other string
}

// parse splits text into literal runs and plural choices {N:ONE|OTHER};
// a text with a choice must index every verb explicitly.
func parse(text string) ([]part, error) {
	var parts []part
	rest := text
	for {
		i := strings.Index(rest, "{")
		n := 0
		for i >= 0 && i+1+n < len(rest) && rest[i+1+n] >= '0' && rest[i+1+n] <= '9' {
			n++
		}
		if i < 0 || n == 0 || i+1+n >= len(rest) || rest[i+1+n] != ':' {
			if i >= 0 && strings.Contains(rest[i:], "|}") {
				return nil, fmt.Errorf("a plural choice is {N:ONE|OTHER}")
			}
			parts = append(parts, part{text: rest})
			break
		}
		end := strings.Index(rest[i:], "}")
		if end < 0 {
			return nil, fmt.Errorf("a plural choice is not closed")
		}
		forms := strings.Split(rest[i+2+n:i+end], "|")
		if len(forms) != 2 || strings.ContainsAny(rest[i+2+n:i+end], "{%") {
			return nil, fmt.Errorf("a plural choice is {N:ONE|OTHER}, two forms of plain text")
		}
		arg := 0
		fmt.Sscanf(rest[i+1:i+1+n], "%d", &arg)
		if arg == 0 {
			return nil, fmt.Errorf("a plural choice names argument 0")
		}
		parts = append(parts, part{text: rest[:i]}, part{arg: arg, one: forms[0], other: forms[1]})
		rest = rest[i+end+1:]
	}
	choice := false
	for _, p := range parts {
		choice = choice || p.arg != 0
	}
	if !choice {
		return parts, nil
	}
	for _, p := range parts {
		for _, v := range verbs(p.text) {
			if !v.indexed {
				return nil, fmt.Errorf("a text with a plural choice indexes every verb (%%[1]d), not %s", p.text[v.start:v.end])
			}
		}
	}
	return parts, nil
}

// verb is a formatting verb of fmt at s[start:end].
type verb struct {
	start, end int
	indexed    bool
}

// verbs returns the verbs of s, "%%" excepted.
func verbs(s string) []verb {
	var out []verb
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			i++
			continue
		}
		v := verb{start: i}
		j := i + 1
		for j < len(s) && strings.IndexByte("+-# 0123456789.*[]", s[j]) >= 0 {
			if s[j] == '[' {
				v.indexed = true
			}
			j++
		}
		if j < len(s) {
			j++ // the verb's letter
		}
		v.end = j
		out = append(out, v)
		i = j - 1
	}
	return out
}

// Cite returns src's citation in the language tag asks for. In English it
// is [provenance.Source.String]. In another language the instrument and the
// article are the catalogue's translations of "source:" + them when it has
// one (a technical source named in English, "the requisition") and as they
// are otherwise (the names of Belgian texts are cited in their own
// language); the days in force are said in tag's language, the certainty
// tag kept; the edition note, written in English for the maintainers, is
// left out unless the catalogue translates it ("source:" + the note): it
// is in the source's JSON and in docs/law.md.
func (c *Catalogue) Cite(tag language.Tag, src provenance.Source) string {
	lang := c.Match(tag)
	if lang == c.langs[0] {
		return src.String()
	}
	p := c.Printer(lang)
	tr := func(s string) string {
		if s != "" && c.Has(lang, "source:"+s) {
			return p.Sprintf("source:" + s)
		}
		return s
	}
	var b strings.Builder
	b.WriteString(tr(src.Instrument))
	if src.Article != "" {
		b.WriteString(" " + tr(src.Article))
	}
	if src.Edition != "" && c.Has(lang, "source:"+src.Edition) {
		b.WriteString(" (" + tr(src.Edition) + ")")
	}
	if inForce := InForce(lang, src); inForce != "" {
		b.WriteString(" " + inForce)
	}
	b.WriteString(" " + src.Certainty.String())
	return b.String()
}

// InForce says in the language tag asks for the days src is in force, ""
// when neither bound is known: "in force 2016-07-28 to 2017-01-26", « en
// vigueur du 28/07/2016 au 26/01/2017 ».
func InForce(tag language.Tag, src provenance.Source) string {
	from, until := "", ""
	if src.From != 0 {
		from = timesync.DisplayDay(src.From, tag)
	}
	if src.Until != 0 {
		until = timesync.DisplayDay(src.Until.AddDate(0, 0, -1), tag)
	}
	forms := inForceForms(tag)
	switch {
	case from != "" && until != "":
		return fmt.Sprintf(forms[0], from, until)
	case from != "":
		return fmt.Sprintf(forms[1], from)
	case until != "":
		return fmt.Sprintf(forms[2], until)
	}
	return ""
}

// inForceForms are InForce's sentences in tag's language: from and
// until, from only, until only.
func inForceForms(tag language.Tag) [3]string {
	if IsPseudo(tag) {
		return [3]string{Mark("in force ") + "%s" + Mark(" to ") + "%s", Mark("in force from ") + "%s", Mark("in force until ") + "%s"}
	}
	switch base, _ := tag.Base(); base.String() {
	case "fr":
		return [3]string{"en vigueur du %s au %s", "en vigueur depuis le %s", "en vigueur jusqu'au %s"}
	case "nl":
		return [3]string{"van kracht van %s tot %s", "van kracht sinds %s", "van kracht tot %s"}
	case "de":
		return [3]string{"in Kraft vom %s bis %s", "in Kraft seit %s", "in Kraft bis %s"}
	}
	return [3]string{"in force %s to %s", "in force from %s", "in force until %s"}
}
