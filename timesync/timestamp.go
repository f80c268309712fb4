package timesync

import (
	"errors"
	"fmt"
	"time"
)

// Timestamp is an instant to the whole second: the precision Belgian law asks
// of the times an operator reports (royal decree of 4 October 2023, art. 2
// [V]; IBPT brochure on cooperation with judicial authorities, §3.15 [S]). It is
// shown in Belgian civil time with its UTC offset, so that the repeated autumn
// hour is never ambiguous: "2026-10-25T02:30:00+02:00" and
// "2026-10-25T02:30:00+01:00" are an hour apart.
//
// A Timestamp is a small comparable value, like [net/netip.Addr]: use == or
// [Timestamp.Compare], and use it as a map key. The zero Timestamp means "no
// time" ([Timestamp.IsZero]); it is not 1970-01-01.
//
// # Truncation, never rounding
//
// [FromTime] drops the fraction of the second. A reported second therefore
// always contains the real instant: the event at 14:03:07.9 is reported as
// 14:03:07, the second during which it happened, as a clock display or a log
// line would show it. Rounding would report 14:03:08, a second in which
// nothing happened yet, and could move an event past a deadline, across a
// midnight or into the next month. Truncation never moves a time forward.
type Timestamp struct {
	sec int64 // seconds since 1970-01-01T00:00:00Z
	ok  bool
}

// FromTime returns t truncated to the whole second (toward the past, also
// before 1970). The zero time.Time gives the zero Timestamp.
func FromTime(t time.Time) Timestamp {
	if t.IsZero() {
		return Timestamp{}
	}
	return Timestamp{sec: t.Unix(), ok: true}
}

// Unix returns the Timestamp sec seconds after 1970-01-01T00:00:00Z.
func Unix(sec int64) Timestamp { return Timestamp{sec: sec, ok: true} }

// Now reads c and returns the current second.
func Now(c Clock) Timestamp { return FromTime(c.Now()) }

// IsZero reports whether ts is the zero Timestamp ("no time").
func (ts Timestamp) IsZero() bool { return !ts.ok }

// Unix returns the number of seconds since 1970-01-01T00:00:00Z. It is 0 for
// the zero Timestamp; check [Timestamp.IsZero] first.
func (ts Timestamp) Unix() int64 { return ts.sec }

// Time returns ts as a time.Time in UTC. The zero Timestamp gives the zero
// time.Time.
func (ts Timestamp) Time() time.Time {
	if !ts.ok {
		return time.Time{}
	}
	return time.Unix(ts.sec, 0).UTC()
}

// Brussels returns ts as a time.Time in Belgian civil time ([Brussels]).
func (ts Timestamp) Brussels() time.Time {
	if !ts.ok {
		return time.Time{}
	}
	return time.Unix(ts.sec, 0).In(Brussels())
}

// Offset returns the UTC offset in seconds and the abbreviation ("CET" or
// "CEST") of Belgian civil time at ts; 0 and "" for the zero Timestamp.
func (ts Timestamp) Offset() (seconds int, abbrev string) {
	if !ts.ok {
		return 0, ""
	}
	off, abbr := brusselsZone().lookup(ts.sec)
	return int(off), abbr
}

// Compare returns -1, 0 or +1 as ts is before, equal to or after u. The zero
// Timestamp sorts before every other.
func (ts Timestamp) Compare(u Timestamp) int {
	switch {
	case ts.ok != u.ok:
		if ts.ok {
			return 1
		}
		return -1
	case ts.sec < u.sec:
		return -1
	case ts.sec > u.sec:
		return 1
	}
	return 0
}

// Before reports whether ts is before u.
func (ts Timestamp) Before(u Timestamp) bool { return ts.Compare(u) < 0 }

// After reports whether ts is after u.
func (ts Timestamp) After(u Timestamp) bool { return ts.Compare(u) > 0 }

// Add returns ts+d, truncated to the whole second like [FromTime]. Adding to
// the zero Timestamp gives the zero Timestamp.
func (ts Timestamp) Add(d time.Duration) Timestamp {
	if !ts.ok {
		return ts
	}
	sec := int64(d / time.Second)
	if d%time.Second < 0 {
		sec-- // toward the past
	}
	return Unix(ts.sec + sec)
}

// Sub returns the elapsed time ts-u. Like time.Time.Sub, the result
// saturates at the largest or smallest Duration (about 292 years), and a
// zero Timestamp counts as the zero time.Time (year 1).
func (ts Timestamp) Sub(u Timestamp) time.Duration { return ts.Time().Sub(u.Time()) }

// Format formats ts in Belgian civil time with a time package layout.
func (ts Timestamp) Format(layout string) string { return ts.Brussels().Format(layout) }

// DisplayLayout is the layout, for [Timestamp.Format], of a time shown to
// people: the date, the time to the second and the UTC offset, as in
// "2026-10-25 02:30:00 +01:00". Like [Timestamp.String] it writes the
// offset, so that the two 02:30 of the autumn change stay apart; unlike
// it, it reads as a time, not as a protocol field.
const DisplayLayout = "2006-01-02 15:04:05 -07:00"

// String returns ts in RFC 3339 form with the Brussels offset, as
// [Timestamp.MarshalText] does; the zero Timestamp is "(no time)".
func (ts Timestamp) String() string {
	if !ts.ok {
		return "(no time)"
	}
	b, err := ts.AppendText(make([]byte, 0, len(rfc3339Second)))
	if err != nil {
		return ts.Time().Format(time.RFC3339) // beyond RFC 3339: the time package's best
	}
	return string(b)
}

// rfc3339Second is the shape of every marshalled Timestamp.
const rfc3339Second = "2006-01-02T15:04:05-07:00"

// ErrTimestampRange is returned when a Timestamp falls outside the years
// 0000–9999 that RFC 3339 can write.
var ErrTimestampRange = errors.New("timesync: timestamp year outside 0000-9999")

// AppendText appends the RFC 3339 form of ts in Belgian civil time, for
// example "2026-10-25T02:30:00+01:00", to b. Where Belgian time cannot be
// written that way the instant is written in UTC with "Z": before 1892, when
// Brussels kept local mean time (+00:17:30, not a whole minute), and in the
// last hours of 9999 UTC, which are already year 10000 in Brussels. Only
// instants outside the years 0000-9999 UTC give [ErrTimestampRange]. The
// zero Timestamp appends nothing. AppendText implements
// [encoding.TextAppender] and does not allocate when b has room.
func (ts Timestamp) AppendText(b []byte) ([]byte, error) {
	if !ts.ok {
		return b, nil
	}
	off, _ := brusselsZone().lookup(ts.sec)
	if off%60 != 0 || ts.sec+int64(off) > maxRFC3339 {
		off = 0
	}
	if ts.sec+int64(off) < minRFC3339 || ts.sec > maxRFC3339 {
		return b, fmt.Errorf("%w: Unix second %d", ErrTimestampRange, ts.sec)
	}
	wall := time.Unix(ts.sec+int64(off), 0).UTC()
	year, month, day := wall.Date()
	hour, minute, second := wall.Clock()
	b = append4(b, year)
	b = append(b, '-')
	b = append2(b, int(month))
	b = append(b, '-')
	b = append2(b, day)
	b = append(b, 'T')
	b = append2(b, hour)
	b = append(b, ':')
	b = append2(b, minute)
	b = append(b, ':')
	b = append2(b, second)
	if off == 0 {
		return append(b, 'Z'), nil
	}
	return appendOffset(b, int(off)), nil
}

// The Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the
// span RFC 3339's four-digit years can write.
const (
	minRFC3339 = -62167219200
	maxRFC3339 = 253402300799
)

// appendOffset appends ±hh:mm.
func appendOffset(b []byte, off int) []byte {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b = append(b, sign)
	b = append2(b, off/3600)
	b = append(b, ':')
	return append2(b, off/60%60)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// MarshalText implements [encoding.TextMarshaler] with the form of
// [Timestamp.AppendText]. The zero Timestamp marshals as empty text.
func (ts Timestamp) MarshalText() ([]byte, error) {
	return ts.AppendText(make([]byte, 0, len(rfc3339Second)))
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseTimestamp].
// Empty text gives the zero Timestamp.
func (ts *Timestamp) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*ts = Timestamp{}
		return nil
	}
	v, err := ParseTimestamp(string(text))
	if err != nil {
		return err
	}
	*ts = v
	return nil
}

// ErrTimestampSyntax is wrapped by the errors of [ParseTimestamp].
var ErrTimestampSyntax = errors.New("timesync: not an RFC 3339 timestamp to the second")

// ParseTimestamp parses an RFC 3339 date-time with an explicit offset and no
// fraction of a second, such as "2026-10-25T02:30:00+01:00" or
// "2026-10-25T01:30:00Z". Any offset is accepted (the instant is what
// counts); a fraction of a second is refused rather than silently dropped,
// since a Timestamp cannot hold it: use [FromTime] to truncate on purpose.
// ParseTimestamp(ts.String()) == ts for every non-zero ts in years 0000–9999.
func ParseTimestamp(s string) (Timestamp, error) {
	if detail := rfc3339Shape(s); detail != "" {
		return Timestamp{}, &ParseError{Input: s, Err: ErrTimestampSyntax, Detail: detail}
	}
	// The shape is right: every field is digits where digits belong.
	year, _ := atoi(s[0:4])
	month, _ := atoi(s[5:7])
	day, _ := atoi(s[8:10])
	hour, _ := atoi(s[11:13])
	minute, _ := atoi(s[14:16])
	second, _ := atoi(s[17:19])
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, time.Month(month)) || hour > 23 || minute > 59 || second > 59 {
		return Timestamp{}, &ParseError{Input: s, Err: ErrTimestampSyntax,
			Detail: "a field is out of range (month 1-12, day within the month, hour 0-23, minute and second 0-59)"}
	}
	off := 0
	if s[19] != 'Z' {
		off, _ = parseOffset(s[19:])
	}
	local := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC).Unix()
	if u := local - int64(off); u >= minRFC3339 && u <= maxRFC3339 {
		return Unix(u), nil
	}
	return Timestamp{}, &ParseError{Input: s, Err: ErrTimestampSyntax, Detail: "the instant falls outside the years 0000-9999 UTC"}
}

// MustParseTimestamp is [ParseTimestamp] for times known to be valid: tests,
// examples and constants in code. It panics with the parse error (a
// [*ParseError]) if s is not an RFC 3339 timestamp to the second.
func MustParseTimestamp(s string) Timestamp {
	ts, err := ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return ts
}

// rfc3339Shape checks s byte by byte against YYYY-MM-DDThh:mm:ss followed by
// Z or ±hh:mm (hh ≤ 23, mm ≤ 59), and says what is wrong, or "" when the
// shape is right. time.Parse alone is more lenient (one-digit hours,
// fractions it was not asked for, offsets up to +99:59).
func rfc3339Shape(s string) string {
	const want = "want YYYY-MM-DDThh:mm:ss followed by Z or ±hh:mm, without a fraction of a second"
	if len(s) != 20 && len(s) != 25 {
		return want
	}
	for i := 0; i < 19; i++ {
		c := s[i]
		switch i {
		case 4, 7:
			if c != '-' {
				return want
			}
		case 10:
			if c != 'T' {
				return want
			}
		case 13, 16:
			if c != ':' {
				return want
			}
		default:
			if c < '0' || c > '9' {
				return want
			}
		}
	}
	if len(s) == 20 {
		if s[19] != 'Z' {
			return want
		}
		return ""
	}
	if _, ok := parseOffset(s[19:]); !ok || s[22] != ':' {
		return want
	}
	return ""
}

// ParseError reports text that could not be parsed as a time. Err is one of
// the package's sentinels ([ErrTimestampSyntax], [ErrWallClockSyntax]) for
// [errors.Is].
type ParseError struct {
	Input  string // the text as given
	Err    error  // the sentinel
	Detail string // what was wrong, for a person
}

// Error returns the sentinel, the input and what was wrong with it.
func (e *ParseError) Error() string {
	return fmt.Sprintf("%v: %q: %s", e.Err, e.Input, e.Detail)
}

// Unwrap returns the sentinel.
func (e *ParseError) Unwrap() error { return e.Err }
