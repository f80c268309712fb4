// Package i18n builds the x/text message catalogue a ccjkit package owns:
// one catalogue per package, built once from a table of translations, never
// shared and never changed afterwards.
package i18n

import (
	"fmt"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Catalogue holds a package's translations and the languages it speaks.
type Catalogue struct {
	langs   []language.Tag
	builder *catalog.Builder
	matcher language.Matcher
}

// MustNew builds a catalogue for langs (the first is the fallback) from
// entries of the form {key, text in langs[0], text in langs[1], ...}. It
// panics when an entry has the wrong number of texts or a malformed
// message: a programming error that the package's tests catch.
func MustNew(langs []language.Tag, entries [][]string) *Catalogue {
	b := catalog.NewBuilder(catalog.Fallback(langs[0]))
	for _, e := range entries {
		if len(e) != len(langs)+1 {
			panic(fmt.Sprintf("i18n: entry %q has %d texts for %d languages", e[0], len(e)-1, len(langs)))
		}
		for i, tag := range langs {
			if err := b.SetString(tag, e[0], e[i+1]); err != nil {
				panic(fmt.Sprintf("i18n: entry %q: %v", e[0], err))
			}
		}
	}
	return &Catalogue{langs: langs, builder: b, matcher: language.NewMatcher(langs)}
}

// Match returns the catalogue's language closest to tag.
func (c *Catalogue) Match(tag language.Tag) language.Tag {
	_, i, _ := c.matcher.Match(tag)
	return c.langs[i]
}

// Printer returns a printer for the catalogue's language closest to tag. A
// Printer is cheap; make one per use rather than sharing it.
func (c *Catalogue) Printer(tag language.Tag) *message.Printer {
	return message.NewPrinter(c.Match(tag), message.Catalog(c.builder))
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
