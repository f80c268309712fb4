package timesync

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrChronySyntax is wrapped by [*ChronyParseError].
var ErrChronySyntax = errors.New("timesync: malformed chronyc tracking report")

// ChronyParseError lists everything wrong with a chronyc tracking report,
// not just the first problem.
type ChronyParseError struct {
	Problems []string
}

// Error lists the problems found.
func (e *ChronyParseError) Error() string {
	return fmt.Sprintf("%v: %s", ErrChronySyntax, strings.Join(e.Problems, "; "))
}

// Unwrap returns [ErrChronySyntax].
func (e *ChronyParseError) Unwrap() error { return ErrChronySyntax }

// chronyField names the i-th of the 14 comma-separated fields of
// `chronyc -c tracking` (chrony 4.x).
func chronyField(i int) string {
	return [...]string{
		"reference ID", "reference name", "stratum", "reference time", "system time offset",
		"last offset", "RMS offset", "frequency", "residual frequency", "skew",
		"root delay", "root dispersion", "update interval", "leap status",
	}[i]
}

// chronyFieldCount is the number of fields in a tracking report.
const chronyFieldCount = 14

// maxChronyReport bounds the input: a real report is about 150 bytes.
const maxChronyReport = 4096

// ParseChronyTracking parses the output of `chronyc -c tracking`: one line
// of 14 comma-separated fields (reference ID in hex, reference name,
// stratum, reference time in Unix seconds, system time offset in seconds,
// last offset, RMS offset, frequency, residual frequency, skew, root delay,
// root dispersion, update interval, leap status). The system time offset is
// taken as the Sample's Offset (positive: this clock is slow), as chronyc
// prints it. Decoding is strict: a missing or extra field, a malformed
// number, a negative delay or an unknown leap status is an error, and every
// problem found is listed.
func ParseChronyTracking(report []byte) (Sample, error) {
	if len(report) > maxChronyReport {
		return Sample{}, &ChronyParseError{Problems: []string{fmt.Sprintf("report is %d bytes, more than %d", len(report), maxChronyReport)}}
	}
	line := bytes.TrimSuffix(report, []byte("\n"))
	if bytes.ContainsAny(line, "\n\r") {
		return Sample{}, &ChronyParseError{Problems: []string{"want exactly one line"}}
	}
	fields := strings.Split(string(line), ",")
	if len(fields) != chronyFieldCount {
		return Sample{}, &ChronyParseError{Problems: []string{fmt.Sprintf("want %d fields, got %d", chronyFieldCount, len(fields))}}
	}
	var problems []string
	bad := func(i int, format string, args ...any) {
		problems = append(problems, chronyField(i)+": "+fmt.Sprintf(format, args...))
	}
	// number reads field i, in seconds (or ppm for the frequency fields,
	// which are checked and not kept), as a Duration.
	number := func(i int, nonNegative bool) time.Duration {
		neg, whole, nanos, ok := splitDecimal(fields[i])
		switch {
		case !ok:
			bad(i, "%q is not a decimal number", fields[i])
		case whole > 1e6:
			bad(i, "%q is out of range", fields[i])
		case nonNegative && neg:
			bad(i, "%q is negative", fields[i])
		default:
			d := time.Duration(whole)*time.Second + time.Duration(nanos)
			if neg {
				d = -d
			}
			return d
		}
		return 0
	}

	s := Sample{Method: MethodChrony, Source: "chrony"}
	if id, err := strconv.ParseUint(fields[0], 16, 32); err != nil || len(fields[0]) != 8 {
		bad(0, "%q is not 8 hex digits", fields[0])
	} else {
		s.ReferenceID = uint32(id)
	}
	if st, err := strconv.Atoi(fields[2]); err != nil || st < 0 || st > 16 || fields[2][0] < '0' || fields[2][0] > '9' {
		bad(2, "%q is not a stratum 0-16", fields[2])
	} else {
		s.Stratum = st
	}
	if neg, whole, nanos, ok := splitDecimal(fields[3]); !ok || neg || whole >= 1e11 {
		bad(3, "%q is not a Unix time", fields[3])
	} else if whole > 0 || nanos > 0 {
		s.ReferenceTime = time.Unix(int64(whole), nanos).UTC()
	}
	s.Offset = number(4, false)
	for i := 5; i <= 9; i++ { // offsets and frequencies: checked, not kept
		number(i, i == 6 || i == 9)
	}
	s.RootDelay = number(10, true)
	s.RootDispersion = number(11, true)
	number(12, true)
	switch fields[13] {
	case "Normal":
		s.Leap = LeapNone
	case "Insert second":
		s.Leap = LeapInsert
	case "Delete second":
		s.Leap = LeapDelete
	case "Not synchronised":
		s.Leap = LeapUnsynchronised
	default:
		bad(13, "%q is not one of Normal, Insert second, Delete second, Not synchronised", fields[13])
	}
	name := fields[1]
	for _, r := range name {
		if r < 0x21 || r > 0x7e {
			bad(1, "%q has a character outside printable ASCII", name)
			break
		}
	}
	if len(problems) > 0 {
		return Sample{}, &ChronyParseError{Problems: problems}
	}
	s.Reference = name
	if s.Reference == "" || s.Stratum == 1 {
		if d := describeReference(s.ReferenceID, s.Stratum); d != "" {
			s.Reference = d
		}
	}
	if !s.Synchronised() {
		s.Leap = LeapUnsynchronised
	}
	return s, nil
}

// splitDecimal reads a plain decimal number as chronyc prints them — an
// optional minus sign, one or more digits, and optionally a point followed
// by one or more digits — exactly, without going through a float. Fraction
// digits beyond the ninth are dropped. Anything else is refused: "+1",
// ".5", "1.", exponents, hex floats, Inf, NaN, underscores, spaces.
func splitDecimal(s string) (neg bool, whole uint64, nanos int64, ok bool) {
	if s != "" && s[0] == '-' {
		neg, s = true, s[1:]
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > 15 || hasPoint && frac == "" {
		return false, 0, 0, false
	}
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return false, 0, 0, false
		}
		whole = whole*10 + uint64(c-'0')
	}
	scale := int64(1e8)
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return false, 0, 0, false
		}
		nanos += int64(c-'0') * scale
		scale /= 10
	}
	return neg, whole, nanos, true
}
