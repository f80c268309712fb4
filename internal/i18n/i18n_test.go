package i18n

import (
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

var langs = []language.Tag{language.English, language.French, language.Dutch, language.German}

func testCatalogue() *Catalogue {
	entries := EnglishKeyed([][]string{
		{"%[1]d {1:finding|findings}, none an error", "%[1]d {1:constat|constats}, aucune erreur", "%[1]d {1:vaststelling|vaststellingen}, geen fout", "%[1]d {1:Feststellung|Feststellungen}, kein Fehler"},
		{"%[1]s: %[2]d {2:event|events}, %[3]d {3:new one|new ones}", "%[1]s : %[2]d {2:événement|événements}, %[3]d {3:nouveau|nouveaux}", "%[1]s: %[2]d {2:gebeurtenis|gebeurtenissen}, %[3]d {3:nieuwe|nieuwe}", "%[1]s: %[2]d {2:Termin|Termine}, %[3]d {3:neuer|neue}"},
		{"received as case %s", "reçue comme dossier %s", "ontvangen als dossier %s", "eingegangen als Vorgang %s"},
	})
	entries = append(entries, []string{"source:the requisition", "the requisition", "la réquisition", "de vordering", "die Anforderung"})
	return MustNew(langs, entries)
}

// Plural choices follow CLDR as x/text computes it: French puts 0 with 1.
func TestPlural(t *testing.T) {
	c := testCatalogue()
	for _, tc := range []struct {
		lang language.Tag
		n    int
		want string
	}{
		{language.English, 0, "0 findings, none an error"},
		{language.English, 1, "1 finding, none an error"},
		{language.English, 2, "2 findings, none an error"},
		{language.French, 0, "0 constat, aucune erreur"},
		{language.French, 1, "1 constat, aucune erreur"},
		{language.French, 2, "2 constats, aucune erreur"},
		{language.Dutch, 0, "0 vaststellingen, geen fout"},
		{language.Dutch, 1, "1 vaststelling, geen fout"},
		{language.German, 0, "0 Feststellungen, kein Fehler"},
		{language.German, 1, "1 Feststellung, kein Fehler"},
	} {
		if got := c.Printer(tc.lang).Sprintf("%[1]d {1:finding|findings}, none an error", tc.n); got != tc.want {
			t.Errorf("%s, %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	if got := c.Printer(language.French).Sprintf("%[1]s: %[2]d {2:event|events}, %[3]d {3:new one|new ones}", "x", 1, 5); got != "x : 1 événement, 5 nouveaux" {
		t.Errorf("two choices: %q", got)
	}
}

// A malformed choice, or a choice beside a verb without an explicit
// index, is refused.
func TestPluralRefused(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"a verb without an index", "%d {1:finding|findings}"},
		{"three forms", "%[1]d {1:a|b|c}"},
		{"one form", "%[1]d {1:a}"},
		{"argument 0", "%[1]d {0:a|b}"},
		{"not closed", "%[1]d {1:a|b"},
		{"a verb in a form", "{1:%d a|b}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("%q accepted", tc.text)
				}
			}()
			MustNew(langs, EnglishKeyed([][]string{{tc.text, tc.text, tc.text, tc.text}}))
		})
	}
}

// The pseudo-locale marks the literal runs of the English text and leaves
// the arguments outside; only exactly Pseudo gets it.
func TestPseudo(t *testing.T) {
	c := testCatalogue()
	p := c.Printer(Pseudo())
	if got := p.Sprintf("received as case %s", "2026-0001"); got != "⟦received as case ⟧2026-0001" {
		t.Errorf("%q", got)
	}
	if got := p.Sprintf("%[1]d {1:finding|findings}, none an error", 2); got != "2⟦ ⟧⟦findings⟧⟦, none an error⟧" {
		t.Errorf("%q", got)
	}
	for _, s := range []string{"en", "en-GB", "en-US", "en-150", "fr-BE"} {
		if got := c.Match(language.MustParse(s)); IsPseudo(got) {
			t.Errorf("%s matched the pseudo-locale", s)
		}
	}
	if got := PseudoText("%[1]s: %-14[2]s and 100%% {1:one|two}"); got != "%[1]s⟦: ⟧%-14[2]s⟦ and 100%% ⟧{1:⟦one⟧|⟦two⟧}" {
		t.Errorf("%q", got)
	}
}

// A source is cited in each language: the catalogue's translation of a
// technical instrument, the days in force in the language, no English
// edition note.
func TestCite(t *testing.T) {
	c := testCatalogue()
	src := provenance.Source{Instrument: "the requisition", Article: "art. 1", Edition: "an English note",
		From: timesync.MustParseDay("2016-07-28"), Until: timesync.MustParseDay("2017-01-27"), Certainty: provenance.Technical}
	for _, tc := range []struct {
		lang language.Tag
		want string
	}{
		{language.English, "the requisition art. 1 (an English note) in force 2016-07-28 to 2017-01-26 [T]"},
		{language.French, "la réquisition art. 1 en vigueur du 28/07/2016 au 26/01/2017 [T]"},
		{language.Dutch, "de vordering art. 1 van kracht van 28/07/2016 tot 26/01/2017 [T]"},
		{language.German, "die Anforderung art. 1 in Kraft vom 28.07.2016 bis 26.01.2017 [T]"},
		{Pseudo(), "⟦the requisition⟧ art. 1 ⟦in force ⟧2016-07-28⟦ to ⟧2017-01-26 [T]"},
	} {
		if got := c.Cite(tc.lang, src); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := c.Cite(language.French, provenance.Source{Instrument: "Code judiciaire", Certainty: provenance.Verified}); !strings.HasPrefix(got, "Code judiciaire [V]") {
		t.Errorf("a Belgian text: %q", got)
	}
}
