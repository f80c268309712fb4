package timesync

import (
	"errors"
	"fmt"
	"time"
)

// WallClock is a Belgian civil date and time as people write it on a
// requisition or a rota — "2026-10-25 02:30" — before it is tied to an
// instant. Most wall-clock times name exactly one instant; around the summer
// time changes some name none and some name two, and [WallClock.Resolve] says
// so instead of guessing.
type WallClock struct {
	Year                 int
	Month                time.Month
	Day                  int
	Hour, Minute, Second int
}

// String returns w as "2006-01-02 15:04:05".
func (w WallClock) String() string {
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", w.Year, int(w.Month), w.Day, w.Hour, w.Minute, w.Second)
}

// WallClockOf returns the Belgian civil date and time at ts; the zero
// WallClock for the zero Timestamp.
func WallClockOf(ts Timestamp) WallClock {
	if !ts.ok {
		return WallClock{}
	}
	off, _ := brusselsZone().lookup(ts.sec)
	t := time.Unix(ts.sec+int64(off), 0).UTC()
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return WallClock{y, m, d, hh, mm, ss}
}

// valid reports whether every field is in range: years 0000-9999, dates
// checked against the calendar (so 2026-02-29 is not valid).
func (w WallClock) valid() bool {
	if w.Year < 0 || w.Year > 9999 || w.Month < time.January || w.Month > time.December || w.Day < 1 ||
		w.Hour < 0 || w.Hour > 23 || w.Minute < 0 || w.Minute > 59 || w.Second < 0 || w.Second > 59 {
		return false
	}
	return w.Day <= daysIn(w.Year, w.Month)
}

func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// asUTC returns the Unix second at which a UTC clock would show w.
func (w WallClock) asUTC() int64 {
	return time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second, 0, time.UTC).Unix()
}

// Fold says which instant an ambiguous wall-clock time means. In the night of
// the last Sunday of October, Belgian clocks go from 03:00 CEST back to 02:00
// CET, so every time from 02:00:00 to 02:59:59 happens twice.
type Fold uint8

const (
	// Strict, the zero value, refuses an ambiguous time with [ErrAmbiguous].
	Strict Fold = iota
	// Earlier picks the first occurrence, still in summer time (CEST, +02:00).
	Earlier
	// Later picks the second occurrence, already in winter time (CET, +01:00).
	Later
)

// String returns "strict", "earlier" or "later".
func (f Fold) String() string {
	switch f {
	case Strict:
		return "strict"
	case Earlier:
		return "earlier"
	case Later:
		return "later"
	}
	return fmt.Sprintf("Fold(%d)", uint8(f))
}

// The errors of wall-clock parsing and resolution, for [errors.Is]. They come
// wrapped in a [*ParseError] (syntax) or a [*WallClockError] (the rest).
var (
	// ErrWallClockSyntax: the text is not a date and time in a supported form.
	ErrWallClockSyntax = errors.New("timesync: malformed wall-clock time")
	// ErrNonexistent: the time falls in the hour skipped when clocks go
	// forward in spring.
	ErrNonexistent = errors.New("timesync: wall-clock time does not exist in Belgium")
	// ErrAmbiguous: the time falls in the hour repeated when clocks go back in
	// autumn, and the caller did not say which occurrence is meant.
	ErrAmbiguous = errors.New("timesync: wall-clock time occurs twice in Belgium")
	// ErrOffsetMismatch: the text gives an offset or zone abbreviation that
	// Belgium was not using at that wall-clock time.
	ErrOffsetMismatch = errors.New("timesync: offset does not match Belgian time")
	// ErrInvalidFold: a Fold other than Strict, Earlier or Later.
	ErrInvalidFold = errors.New("timesync: invalid Fold")
)

// timeRule is the legal rule that makes these errors matter.
const timeRule = "Belgian civil time with summer and winter time, royal decree of 4 October 2023 art. 2"

// WallClockError reports a wall-clock time that does not name exactly one
// instant of Belgian civil time. It wraps [ErrNonexistent], [ErrAmbiguous] or
// [ErrOffsetMismatch].
type WallClockError struct {
	Input string    // the text or wall clock as given
	Err   error     // the sentinel
	Wall  WallClock // the wall-clock time read from Input
	// Transition is the clock change that caused the problem; zero for
	// ErrOffsetMismatch.
	Transition Transition
	// Candidates holds the two instants an ambiguous time may mean (Earlier
	// first); for a non-existent time, the instants shown by the last
	// wall-clock second before the gap and the first one after it.
	Candidates [2]Timestamp
	// Offset is the offset the input gave, in seconds, for ErrOffsetMismatch.
	Offset int
	// Abbrev is the abbreviation the input gave ("CET", "CEST"), if any.
	Abbrev string
}

// Error names the sentinel, the input, the clock change or offset at stake
// and the legal rule.
func (e *WallClockError) Error() string {
	switch {
	case errors.Is(e.Err, ErrNonexistent):
		return fmt.Sprintf("%v: %q falls in the hour skipped at %s (%s)", e.Err, e.Input, e.Transition, timeRule)
	case errors.Is(e.Err, ErrAmbiguous):
		return fmt.Sprintf("%v: %q is both %s and %s; say which (Earlier/Later or an explicit offset) (%s)",
			e.Err, e.Input, e.Candidates[0], e.Candidates[1], timeRule)
	}
	given := string(appendOffset(nil, e.Offset))
	if e.Abbrev != "" {
		given = e.Abbrev + " (" + given + ")"
	}
	return fmt.Sprintf("%v: %q gives %s, which Belgium did not use at that time (%s)",
		e.Err, e.Input, given, timeRule)
}

// Unwrap returns the sentinel.
func (e *WallClockError) Unwrap() error { return e.Err }

// Resolve returns the instant at which Belgian clocks showed w. A time in the
// spring-forward gap is an error wrapping [ErrNonexistent]; a time in the
// repeated autumn hour is an error wrapping [ErrAmbiguous] unless fold is
// [Earlier] or [Later]. Invalid fields (month 13, 30 February, 24:00, a year
// outside 0000-9999) are an error wrapping [ErrWallClockSyntax], and a Fold
// other than the three above one wrapping [ErrInvalidFold]. Resolve never
// shifts a time silently.
func (w WallClock) Resolve(fold Fold) (Timestamp, error) {
	if !w.valid() {
		return Timestamp{}, &ParseError{Input: w.String(), Err: ErrWallClockSyntax, Detail: "field out of range"}
	}
	return w.resolve(w.String, fold)
}

// resolve does the work of Resolve; input names the text for error messages
// (a function so that the success path does not format it).
func (w WallClock) resolve(input func() string, fold Fold) (Timestamp, error) {
	if fold > Later {
		return Timestamp{}, fmt.Errorf("%w: %v", ErrInvalidFold, fold)
	}
	z := brusselsZone()
	local := w.asUTC()
	// The candidates are the offsets in force a day either side: Belgian
	// clocks never changed twice within two days since 1946.
	offA, _ := z.lookup(local - 86400)
	offB, _ := z.lookup(local + 86400)
	var found [2]int64
	n := 0
	for i, off := range [2]int32{offA, offB} {
		if i == 1 && offB == offA {
			break
		}
		u := local - int64(off)
		if got, _ := z.lookup(u); got == off {
			found[n] = u
			n++
		}
	}
	switch {
	case n == 1:
		return Unix(found[0]), nil
	case n == 2:
		if found[0] > found[1] {
			found[0], found[1] = found[1], found[0]
		}
		switch fold {
		case Earlier:
			return Unix(found[0]), nil
		case Later:
			return Unix(found[1]), nil
		}
		return Timestamp{}, &WallClockError{Input: input(), Err: ErrAmbiguous, Wall: w,
			Transition: transitionBefore(found[1]),
			Candidates: [2]Timestamp{Unix(found[0]), Unix(found[1])}}
	}
	// In the gap: the clocks went from offA to offB at an instant T with
	// local-offB < T <= local-offA.
	tr := transitionBefore(local - int64(offA))
	return Timestamp{}, &WallClockError{Input: input(), Err: ErrNonexistent, Wall: w, Transition: tr,
		Candidates: [2]Timestamp{Unix(tr.At.Unix() - 1), Unix(tr.At.Unix())}}
}

// transitionBefore returns the last transition at or before Unix second u.
func transitionBefore(u int64) Transition {
	var last Transition
	for tr := range Transitions(time.Unix(u-3*86400, 0), time.Unix(u+1, 0)) {
		last = tr
	}
	return last
}

// ParseWallClock reads a Belgian wall-clock date and time without resolving
// it. It accepts the ISO order "2026-10-25 02:30" and the Belgian order
// "25/10/2026 02:30", a 'T' instead of the space in the ISO order, and
// optional seconds ("02:30:15"). A fraction of a second is refused.
func ParseWallClock(s string) (WallClock, error) {
	w, rest, err := parseWall(s)
	if err != nil {
		return WallClock{}, err
	}
	if rest != "" {
		return WallClock{}, syntaxError(s, "unexpected text after the time")
	}
	return w, nil
}

// MustParseWallClock is [ParseWallClock] for wall-clock times known to be
// valid: tests, examples and constants in code. It panics with the parse
// error (a [*ParseError]) if s is not a wall-clock date and time.
func MustParseWallClock(s string) WallClock {
	w, err := ParseWallClock(s)
	if err != nil {
		panic(err)
	}
	return w
}

// ParseBrussels parses a Belgian wall-clock date and time, as
// [ParseWallClock] does, and returns the instant it names. The text may end
// with an explicit offset or abbreviation that settles the autumn ambiguity —
// "+01:00", "+0100", "CET", "+02:00", "+0200", "CEST", after one space or
// none — which must be the one Belgium used at that time
// ([ErrOffsetMismatch]). Without one, fold decides the repeated autumn hour
// ([ErrAmbiguous] under [Strict]). A time in the spring-forward gap is always
// an error ([ErrNonexistent]), with or without an offset.
//
// ParseBrussels does not allocate when it succeeds.
func ParseBrussels(s string, fold Fold) (Timestamp, error) {
	w, rest, err := parseWall(s)
	if err != nil {
		return Timestamp{}, err
	}
	input := func() string { return s }
	if rest == "" {
		return w.resolve(input, fold)
	}
	if rest[0] == ' ' {
		rest = rest[1:]
	}
	off, ok := parseOffset(rest)
	if !ok {
		return Timestamp{}, syntaxError(s, `unexpected text after the time; an offset is written +01:00, +0100, CET, +02:00, +0200 or CEST after one space or none`)
	}
	// A time in the gap is reported as such whatever offset is given.
	if _, err := w.resolve(input, Earlier); errors.Is(err, ErrNonexistent) {
		return Timestamp{}, err
	}
	u := w.asUTC() - int64(off)
	got, abbr := brusselsZone().lookup(u)
	if int(got) != off || (rest[0] == 'C' && rest != abbr) {
		e := &WallClockError{Input: s, Err: ErrOffsetMismatch, Wall: w, Offset: off}
		if rest[0] == 'C' {
			e.Abbrev = rest
		}
		return Timestamp{}, e
	}
	return Unix(u), nil
}

// MustParseBrussels is [ParseBrussels] for Belgian times known to be valid:
// tests, examples and constants in code. It panics with the error
// ParseBrussels returns — a [*ParseError] for malformed text, a
// [*WallClockError] for a time in the spring-forward gap, an ambiguous
// autumn time under [Strict] or an offset Belgium did not use — so a test
// written with a time that does not exist, or that exists twice, stops at
// once instead of running with a guess.
func MustParseBrussels(s string, fold Fold) Timestamp {
	ts, err := ParseBrussels(s, fold)
	if err != nil {
		panic(err)
	}
	return ts
}

func syntaxError(s, detail string) error {
	return &ParseError{Input: s, Err: ErrWallClockSyntax, Detail: detail}
}

// parseOffset reads a Belgian offset: ±hh:mm, ±hhmm, CET or CEST.
func parseOffset(s string) (int, bool) {
	switch s {
	case "CET":
		return 3600, true
	case "CEST":
		return 7200, true
	}
	if len(s) != 5 && len(s) != 6 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	hh, ok1 := atoi(s[1:3])
	minutes := s[3:5]
	if len(s) == 6 {
		if s[3] != ':' {
			return 0, false
		}
		minutes = s[4:6]
	}
	mm, ok2 := atoi(minutes)
	if !ok1 || !ok2 || hh > 23 || mm > 59 {
		return 0, false
	}
	off := hh*3600 + mm*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// parseWall reads the date and time at the start of s and returns what
// follows.
func parseWall(s string) (w WallClock, rest string, err error) {
	var ok bool
	switch {
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		w.Year, ok = atoi(s[0:4])
		m, ok2 := atoi(s[5:7])
		d, ok3 := atoi(s[8:10])
		ok = ok && ok2 && ok3
		w.Month, w.Day = time.Month(m), d
		if len(s) > 10 && s[10] != ' ' && s[10] != 'T' {
			return w, "", syntaxError(s, "want a space or T between date and time")
		}
	case len(s) >= 10 && s[2] == '/' && s[5] == '/':
		d, ok1 := atoi(s[0:2])
		m, ok2 := atoi(s[3:5])
		w.Year, ok = atoi(s[6:10])
		ok = ok && ok1 && ok2
		w.Month, w.Day = time.Month(m), d
		if len(s) > 10 && s[10] != ' ' {
			return w, "", syntaxError(s, "want a space between date and time")
		}
	default:
		return w, "", syntaxError(s, "want YYYY-MM-DD hh:mm[:ss] or DD/MM/YYYY hh:mm[:ss]")
	}
	if !ok {
		return w, "", syntaxError(s, "the date has a non-digit")
	}
	if len(s) < 16 || s[13] != ':' {
		return w, "", syntaxError(s, "want a time hh:mm after the date")
	}
	var ok1, ok2 bool
	w.Hour, ok1 = atoi(s[11:13])
	w.Minute, ok2 = atoi(s[14:16])
	if !ok1 || !ok2 {
		return w, "", syntaxError(s, "the time has a non-digit")
	}
	rest = s[16:]
	if len(rest) > 0 && rest[0] == ':' {
		if len(rest) < 3 {
			return w, "", syntaxError(s, "want two digits of seconds")
		}
		w.Second, ok = atoi(rest[1:3])
		if !ok {
			return w, "", syntaxError(s, "the seconds have a non-digit")
		}
		rest = rest[3:]
	}
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		return w, "", syntaxError(s, "a fraction of a second cannot be reported: times are given to the second")
	}
	if !w.valid() {
		return w, "", syntaxError(s, "a field is out of range (month 1-12, day within the month, hour 0-23, minute and second 0-59)")
	}
	return w, rest, nil
}

// atoi parses a fixed-width string of ASCII digits.
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}
