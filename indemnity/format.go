package indemnity

import (
	"strings"

	"golang.org/x/text/language"
)

// Languages are the languages of claims: French, Dutch and German,
// Belgium's official languages, and English.
func Languages() []language.Tag {
	return []language.Tag{language.English, language.French, language.Dutch, language.German}
}

// Format writes a as Belgian money in the language tag asks for, rounded to
// the cent for display:
//
//	French   436,00 €     1 234,50 €    -3,40 €
//	Dutch    € 436,00     € 1.234,50    € -3,40
//	German   436,00 €     1.234,50 €    -3,40 €
//	English  436,00 €     1.234,50 €    -3,40 €
//
// following CLDR for fr-BE, nl-BE, de-BE and en-BE (which inherits en-150).
// The space between amount and sign is a no-break space (U+00A0), the
// French thousands separator a narrow no-break space (U+202F), as CLDR
// has them, so that an amount never breaks across lines. x/text's currency
// formatter is not used: it puts the sign before the number in every
// language (see the project's reference notes).
func (a Amount) Format(tag language.Tag) string {
	const nbsp, nnbsp = "\u00a0", "\u202f"
	r := a.Round()
	neg := r.Sign() < 0
	if neg {
		r = Amount{r.d.Neg()}
	}
	intPart, frac, _ := strings.Cut(r.d.StringFixed(2), ".")
	group := "."
	lang := messages().Match(tag)
	if lang == language.French {
		group = nnbsp
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	number := b.String() + "," + frac
	if neg {
		number = "-" + number
	}
	if lang == language.Dutch {
		return "€" + nbsp + number
	}
	return number + nbsp + "€"
}
