package timesync

import (
	"errors"
	"time"

	"github.com/rickb777/date/v2"
)

// A civil day in ccjkit is a [date.Date] (github.com/rickb777/date/v2): a
// day count with no time of day and no zone, so that "2026-01-30" is one
// value wherever it is read. It is the one type for Belgian calendar days
// in every package — a rule's last valid day, a holiday, the day a tariff
// line comes into force, the day an advice was granted. The functions
// below are the only bridges between instants and days.

// Day returns the Belgian calendar day of instant t: the date a wall clock
// in Brussels shows at t. The zero time gives the zero Date.
func Day(t time.Time) date.Date {
	if t.IsZero() {
		return 0
	}
	return date.NewAt(t.In(Brussels()))
}

// Day returns the Belgian calendar day of ts, or the zero Date for the
// zero Timestamp.
func (ts Timestamp) Day() date.Date {
	if ts.IsZero() {
		return 0
	}
	return Day(ts.Time())
}

// DayStart returns the first instant of day d in Brussels, as a UTC
// instant: 00:00 local time. Since 1977 the clocks change at 02:00 and
// 03:00, so midnight exists once on every day; in earlier years the tz data
// has changes at midnight (1914-1916, 1940s), and DayStart is then the
// first instant whose Brussels day is d, so that Day(DayStart(d)) == d
// always holds.
func DayStart(d date.Date) time.Time {
	loc := Brussels()
	t := d.MidnightIn(loc).UTC()
	// A midnight that falls in a change: step to the first second of d.
	for Day(t) < d {
		t = t.Add(time.Hour)
	}
	for Day(t.Add(-time.Hour)) == d {
		t = t.Add(-time.Hour)
	}
	for Day(t.Add(-time.Second)) == d {
		t = t.Add(-time.Second)
	}
	return t
}

// DayEnd returns the first instant after day d in Brussels: 24:00 local
// time on d, which is 00:00 on the next day. It is the end of a rule whose
// last valid day is d (see "Ends" in the package documentation): an instant
// t is within the day's limit when t.Before(DayEnd(d)).
func DayEnd(d date.Date) time.Time { return DayStart(d + 1) }

// ErrDaySyntax is wrapped by the errors of [ParseDay].
var ErrDaySyntax = errors.New("timesync: not a calendar day YYYY-MM-DD")

// ParseDay parses a calendar day written YYYY-MM-DD, such as "2026-01-30",
// in the years 1583 to 9999: the Gregorian calendar, which the Southern
// Netherlands adopted in late 1582 and which date.Date counts in (a date
// before it would name a day no Belgian document wrote). It invents no time of day and no zone: the result
// is a day, and [DayStart] or [DayEnd] turn it into an instant when a rule
// needs one. Anything else — a time, a week date, a sign, a day that does
// not exist such as 2026-02-29 — is an error wrapping [ErrDaySyntax].
// ParseDay(d.String()) == d for every day in those years. (The zero
// date.Date, 0001-01-01, is never a day ParseDay returns.)
func ParseDay(s string) (date.Date, error) {
	const want = "want YYYY-MM-DD in years 1583-9999, such as 2026-01-30"
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, &ParseError{Input: s, Err: ErrDaySyntax, Detail: want}
	}
	year, ok1 := atoi(s[0:4])
	month, ok2 := atoi(s[5:7])
	day, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 || year < 1583 {
		return 0, &ParseError{Input: s, Err: ErrDaySyntax, Detail: want}
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, time.Month(month)) {
		return 0, &ParseError{Input: s, Err: ErrDaySyntax, Detail: "no such day (month 1-12, day within the month)"}
	}
	return date.New(year, time.Month(month), day), nil
}

// MustParseDay is [ParseDay] for days known to be valid: tests, examples
// and constants. It panics with the parse error if s is not a day.
func MustParseDay(s string) date.Date {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}
