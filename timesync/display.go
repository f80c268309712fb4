package timesync

import (
	"fmt"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
)

// The dates ccjkit shows to people follow one format per language, the
// same in every output — the desk, the claims, the contact sheet, the
// calendar, the findings:
//
//	English         2026-11-30   2026-11-30 18:00:00 +01:00   2026-11
//	French, Dutch   30/11/2026   30/11/2026 18:00:00 +01:00   11/2026
//	German          30.11.2026   30.11.2026 18:00:00 +01:00   11.2026
//
// French, Dutch and German follow the numeric dates Belgian documents
// write in those languages (CLDR's fr-BE dd/MM/y, nl-BE d/MM/y and
// de-BE dd.MM.yy, with the day always two digits and the year four, as
// Belgian judicial documents write them); English, read by whoever has
// none of the three, gets ISO 8601, which no reader mistakes for a
// month-first date. A time keeps its UTC offset in every language, so
// that the two 02:30 of the autumn change stay apart. Data (JSON, CSV,
// iCalendar) keeps RFC 3339 and ISO 8601 whatever the language.

// DayLayout returns the layout, for the time package, of a day shown to
// people in the language tag asks for: "02/01/2006" in French and Dutch,
// "02.01.2006" in German, "2006-01-02" in English and any other language.
func DayLayout(tag language.Tag) string {
	switch base, _ := tag.Base(); base.String() {
	case "fr", "nl":
		return "02/01/2006"
	case "de":
		return "02.01.2006"
	}
	return time.DateOnly
}

// DisplayDay writes day d for people in the language tag asks for
// ([DayLayout]): "30/11/2026" in French.
func DisplayDay(d date.Date, tag language.Tag) string {
	return d.Format(DayLayout(tag))
}

// Display writes ts in Belgian civil time for people in the language tag
// asks for: the day as [DayLayout] has it, the time to the second and
// the UTC offset, "30/11/2026 18:00:00 +01:00" in French, and in English
// [DisplayLayout]'s "2026-11-30 18:00:00 +01:00". The zero Timestamp is
// "—".
func (ts Timestamp) Display(tag language.Tag) string {
	if ts.IsZero() {
		return "—"
	}
	return ts.Format(DayLayout(tag) + " 15:04:05 -07:00")
}

// DisplayMonth writes a month for people in the language tag asks for,
// as [DayLayout] writes its days: "11/2026" in French and Dutch,
// "11.2026" in German, "2026-11" in English.
func DisplayMonth(year int, month time.Month, tag language.Tag) string {
	switch DayLayout(tag) {
	case "02/01/2006":
		return fmt.Sprintf("%02d/%04d", int(month), year)
	case "02.01.2006":
		return fmt.Sprintf("%02d.%04d", int(month), year)
	}
	return fmt.Sprintf("%04d-%02d", year, int(month))
}
