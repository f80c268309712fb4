package requisition

import (
	"errors"
	"fmt"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
)

// HolidaySource returns the legal basis of [Holidays]: the law of 4 January
// 1974 and the royal decree of 18 April 1974, which fixes ten holidays [V];
// the list of the ten days comes from secondary sources (fact sheet §5), so
// the whole is graded [S].
func HolidaySource() provenance.Source {
	return provenance.Source{
		Instrument: "loi du 4 janvier 1974 relative aux jours fériés; arrêté royal du 18 avril 1974",
		Certainty:  provenance.Secondary,
		URL:        "https://employment.belgium.be/en/regulation-public-holidays",
	}
}

// FirstHolidayYear is the first year [Holidays] covers: the year of the law
// of 4 January 1974. Earlier years had other rules, not modelled.
const FirstHolidayYear = 1974

// MaxWorkingDays bounds [AddWorkingDays]: about forty years.
const MaxWorkingDays = 10_000

// ErrYearNotModelled is returned for a year before [FirstHolidayYear].
var ErrYearNotModelled = errors.New("requisition: public holidays not modelled for that year")

// Holiday is one of Belgium's legal public holidays (jour férié légal /
// wettelijke feestdag).
type Holiday struct {
	Date date.Date `json:"date"`
	// ID is a stable key: "new-year", "easter-monday", "labour-day",
	// "ascension", "whit-monday", "national-day", "assumption",
	// "all-saints", "armistice", "christmas".
	ID string `json:"id"`
}

// Holidays returns the ten legal public holidays of year, in date order:
// New Year (1 January), Easter Monday, Labour Day (1 May), Ascension (Easter
// + 39 days), Whit Monday (Easter + 50), National Day (21 July), Assumption
// (15 August), All Saints (1 November), Armistice (11 November) and
// Christmas (25 December). Easter is the Gregorian Easter Sunday.
//
// Community holidays (11 July, 27 September, 15 November, ...) are not legal
// public holidays and are not included; nor are the replacement days an
// employer grants when a holiday falls on a Sunday — those are days off,
// not holidays, and do not move a legal time limit.
func Holidays(year int) ([]Holiday, error) {
	if year < FirstHolidayYear || year > 9999 {
		return nil, fmt.Errorf("%w: %d (covered: %d-9999; %v)", ErrYearNotModelled, year, FirstHolidayYear, HolidaySource())
	}
	easter, err := Easter(year)
	if err != nil {
		return nil, err
	}
	hs := []Holiday{
		{date.New(year, time.January, 1), "new-year"},
		{easter + 1, "easter-monday"},
		{date.New(year, time.May, 1), "labour-day"},
		{easter + 39, "ascension"},
		{easter + 50, "whit-monday"},
		{date.New(year, time.July, 21), "national-day"},
		{date.New(year, time.August, 15), "assumption"},
		{date.New(year, time.November, 1), "all-saints"},
		{date.New(year, time.November, 11), "armistice"},
		{date.New(year, time.December, 25), "christmas"},
	}
	// Ascension falls on 1 May when Easter is on 23 March (1913, 2008, 2160,
	// 2228 in 1900-2300, as Easter computes them): keep date order.
	if hs[3].Date < hs[2].Date {
		hs[2], hs[3] = hs[3], hs[2]
	}
	return hs, nil
}

// Easter returns the Gregorian Easter Sunday of year (the anonymous
// algorithm published by Meeus, after Butcher's Ecclesiastical Calendar),
// for the years of the Gregorian calendar, 1583 to 9999; other years give
// [ErrYearNotModelled].
func Easter(year int) (date.Date, error) {
	if year < 1583 || year > 9999 {
		return 0, fmt.Errorf("%w: Easter of %d (covered: 1583-9999)", ErrYearNotModelled, year)
	}
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return date.New(year, time.Month(month), day), nil
}

// IsHoliday reports whether d is a legal public holiday. Years outside
// [Holidays]' range give false and the error.
func IsHoliday(d date.Date) (bool, error) {
	hs, err := Holidays(d.Year())
	if err != nil {
		return false, err
	}
	for _, h := range hs {
		if h.Date == d {
			return true, nil
		}
	}
	return false, nil
}

// IsWorkingDay reports whether d is neither a Saturday, a Sunday nor a legal
// public holidays — the days Code judiciaire art. 53 skips when the last day
// of a time limit falls on one [V].
func IsWorkingDay(d date.Date) (bool, error) {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false, nil
	}
	h, err := IsHoliday(d)
	return !h && err == nil, err
}

// NextWorkingDay returns d if it is a working day, else the first working
// day after it (Code judiciaire art. 53 [V]).
func NextWorkingDay(d date.Date) (date.Date, error) {
	for range 15 { // at most a weekend and holidays: never 15 days in a row
		ok, err := IsWorkingDay(d)
		if err != nil || ok {
			return d, err
		}
		d++
	}
	return d, fmt.Errorf("%w: no working day within 15 days of %v", ErrYearNotModelled, d)
}

// AddWorkingDays returns the day n working days after d (before d when n is
// negative), not counting d itself: AddWorkingDays(Friday, 1) is the next
// Monday unless it is a holiday. n == 0 returns d unchanged. |n| is at most
// [MaxWorkingDays].
func AddWorkingDays(d date.Date, n int) (date.Date, error) {
	if n > MaxWorkingDays || n < -MaxWorkingDays {
		return d, fmt.Errorf("%w: %d working days (at most %d)", ErrInvalidPeriod, n, MaxWorkingDays)
	}
	step := date.Date(1)
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d += step
		ok, err := IsWorkingDay(d)
		if err != nil {
			return d, err
		}
		if ok {
			n--
		}
	}
	return d, nil
}
