package requisition_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The window's bounds are the first instants of 1974 and 2200 in
// Brussels, and Plausible takes the first and refuses the second.
func TestPlausibleWindow(t *testing.T) {
	from, until := requisition.PlausibleFrom(), requisition.PlausibleUntil()
	if got := from.Format(time.RFC3339); got != "1974-01-01T00:00:00+01:00" {
		t.Errorf("PlausibleFrom = %s", got)
	}
	if got := until.Format(time.RFC3339); got != "2200-01-01T00:00:00+01:00" {
		t.Errorf("PlausibleUntil = %s", got)
	}
	if from.Day().Year() != requisition.FirstHolidayYear {
		t.Errorf("PlausibleFrom is not in FirstHolidayYear")
	}
	if d := until.Sub(from); d == time.Duration(1<<63-1) {
		t.Error("the window is wider than a time.Duration")
	}
	for _, tc := range []struct {
		name string
		ts   timesync.Timestamp
		want bool
	}{
		{"no time", timesync.Timestamp{}, false},
		{"the first instant", from, true},
		{"a second before", from.Add(-time.Second), false},
		{"the last second", until.Add(-time.Second), true},
		{"the bound", until, false},
		{"today", timesync.MustParseTimestamp("2026-11-23T09:00:00+01:00"), true},
	} {
		if got := requisition.Plausible(tc.ts); got != tc.want {
			t.Errorf("%s: Plausible = %v", tc.name, got)
		}
	}
}

// Decode refuses the times no requisition carries — every one of them,
// in one *provenance.Problems, each at its path, wrapping
// ErrImplausibleTime and ErrDecode, quoting none — and takes the times a
// Belgian order gives, the autumn's repeated hour with either offset.
func TestDecodeImplausibleTimes(t *testing.T) {
	const ordered = `"ordered": "2026-03-02T10:00:00+01:00"`
	for _, tc := range []struct {
		name  string
		from  string // replaced in goodJSON
		to    string
		paths []string // the paths refused; none when accepted
	}{
		{"year 0000", ordered, `"ordered": "0000-06-01T10:00:00+01:00"`, []string{"ordered"}},
		{"year 9999", ordered, `"ordered": "9999-06-01T10:00:00+02:00"`, []string{"ordered"}},
		{"year 1973", ordered, `"ordered": "1973-12-31T23:59:59+01:00"`, []string{"ordered"}},
		{"year 2200", `"valid_until": "2026-05-03T00:00:00+02:00"`, `"valid_until": "2200-01-01T00:00:00+01:00"`, []string{"valid_until"}},
		{"first instant of 1974", ordered, `"ordered": "1974-01-01T00:00:00+01:00"`, nil},
		{"last second of 2199", `"valid_until": "2026-05-03T00:00:00+02:00"`, `"valid_until": "2199-12-31T23:59:59+01:00"`, nil},
		{"an offset no zone uses", ordered, `"ordered": "2026-03-02T10:00:00+14:59"`, []string{"ordered"}},
		{"UTC", ordered, `"ordered": "2026-03-02T09:00:00Z"`, []string{"ordered"}},
		{"summer offset in winter", ordered, `"ordered": "2026-03-02T11:00:00+02:00"`, []string{"ordered"}},
		{"winter offset in summer", `"valid_until": "2026-05-03T00:00:00+02:00"`, `"valid_until": "2026-05-02T23:00:00+01:00"`, []string{"valid_until"}},
		{"in the spring gap", `"received": "2026-03-02T10:30:00+01:00"`, `"received": "2026-03-29T02:30:00+02:00"`, []string{"received"}},
		{"just before the spring change", `"received": "2026-03-02T10:30:00+01:00"`, `"received": "2026-03-29T01:59:59+01:00"`, nil},
		{"just after the spring change", `"received": "2026-03-02T10:30:00+01:00"`, `"received": "2026-03-29T03:00:00+02:00"`, nil},
		{"autumn repeated hour, first", `"received": "2026-03-02T10:30:00+01:00"`, `"received": "2026-10-25T02:30:00+02:00"`, nil},
		{"autumn repeated hour, second", `"received": "2026-03-02T10:30:00+01:00"`, `"received": "2026-10-25T02:30:00+01:00"`, nil},
		{"a target's window", `"until": "2026-03-01T00:00:00+01:00"`, `"until": "2026-03-01T00:00:00-05:00"`, []string{"targets[0].until"}},
		{"the stated moment", `{"kind": "real-time"}`, `{"kind": "at-stated-moment", "stated": "9999-12-31T23:59:59+01:00"}`, []string{"response.stated"}},
		{"a confirmation", ordered, ordered + `, "confirmed": "1900-01-01T00:00:00+01:00"`, []string{"confirmed"}},
		{"every one listed", `"ordered": "2026-03-02T10:00:00+01:00",
  "received": "2026-03-02T10:30:00+01:00"`, `"ordered": "0001-01-01T00:00:00Z",
  "received": "2026-03-02T10:30:00+05:30"`, []string{"ordered", "received"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Replace(goodJSON, tc.from, tc.to, 1)
			if in == goodJSON {
				t.Fatalf("%q is not in the example", tc.from)
			}
			_, err := requisition.Decode([]byte(in))
			if len(tc.paths) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, requisition.ErrImplausibleTime) || !errors.Is(err, requisition.ErrDecode) {
				t.Fatalf("err = %v", err)
			}
			var paths []string
			for _, f := range ps.Findings {
				paths = append(paths, f.Field)
				if f.Rule != "decode" || f.Severity != provenance.Error || !errors.Is(f.Err, requisition.ErrImplausibleTime) {
					t.Errorf("finding %+v", f)
				}
			}
			if fmt.Sprint(paths) != fmt.Sprint(tc.paths) {
				t.Errorf("refused at %v, want %v", paths, tc.paths)
			}
			for _, quoted := range []string{"0000-06", "9999", "1973", "+14:59", "-05:00", "+05:30", "02:30", "1900", "0001"} {
				if strings.Contains(tc.to, quoted) && strings.Contains(err.Error(), quoted) {
					t.Errorf("the error quotes %q: %v", quoted, err)
				}
			}
		})
	}
}

// Control characters in any text of a requisition are refused at
// decode, at their path, never quoted; the other problems come with them.
func TestDecodeControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		paths          []string
	}{
		{"escape in the reference", `"BR.12.34.567890/26"`, `"BR.12\u001b[2J.34"`, []string{"reference"}},
		{"line feed in the reference", `"BR.12.34.567890/26"`, `"BR.12\nFORGED"`, []string{"reference"}},
		{"carriage return in a target", `"+32470123456"`, `"+3247\r0123456"`, []string{"targets[1].value"}},
		{"NUL in a target", `"+32470123456"`, `"+3247\u00000123456"`, []string{"targets[1].value"}},
		{"C1 in an offence", `"reasoned": true`, `"reasoned": true, "offences": ["90ter-\u009bterrorism"]`, []string{"offences[0]"}},
		{"bidi override in the reference", `"BR.12.34.567890/26"`, `"BR.12\u202e62/098765"`, []string{"reference"}},
		{"with a bad time too", `"BR.12.34.567890/26"`, `"\u0007", "confirmed": "9999-01-01T00:00:00+01:00"`, []string{"reference", "confirmed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Replace(goodJSON, tc.from, tc.to, 1)
			_, err := requisition.Decode([]byte(in))
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, requisition.ErrDecode) {
				t.Fatalf("err = %v", err)
			}
			var paths []string
			for _, f := range ps.Findings {
				paths = append(paths, f.Field)
			}
			if fmt.Sprint(paths) != fmt.Sprint(tc.paths) {
				t.Errorf("refused at %v, want %v: %v", paths, tc.paths, err)
			}
			for _, secret := range []string{"BR.12", "FORGED", "3247", "terrorism", "098765"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes %q: %v", secret, err)
				}
			}
		})
	}
}

// Property: Decode takes every time of the window written as Encode
// writes it (Belgian civil time), and refuses it with any other offset.
func TestDecodeTimeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ts := timesynctest.Timestamp().Draw(t, "ordered")
		text := ts.String()
		in := strings.Replace(goodJSON, `"2026-03-02T10:00:00+01:00"`, `"`+text+`"`, 1)
		if _, err := requisition.Decode([]byte(in)); err != nil {
			t.Fatalf("%s refused: %v", text, err)
		}
		off, _ := ts.Offset()
		other := rapid.IntRange(-12*60, 14*60).Filter(func(m int) bool { return m*60 != off }).Draw(t, "other_offset_min")
		wall := ts.Time().Add(time.Duration(other) * time.Minute).UTC()
		sign, abs := '+', other
		if other < 0 {
			sign, abs = '-', -other
		}
		written := fmt.Sprintf("%s%c%02d:%02d", wall.Format("2006-01-02T15:04:05"), sign, abs/60, abs%60)
		in = strings.Replace(goodJSON, `"2026-03-02T10:00:00+01:00"`, `"`+written+`"`, 1)
		if _, err := requisition.Decode([]byte(in)); !errors.Is(err, requisition.ErrImplausibleTime) {
			t.Fatalf("%s (the instant of %s) accepted: %v", written, text, err)
		}
	})
}

// Whatever Decode accepts carries plausible times only and no control
// character in its text; whatever it refuses is refused with ErrDecode.
func FuzzDecodePlausible(f *testing.F) {
	f.Add([]byte(goodJSON))
	f.Add([]byte(strings.Replace(goodJSON, "2026-03-02T10:00:00+01:00", "0000-06-01T10:00:00+01:00", 1)))
	f.Add([]byte(strings.Replace(goodJSON, "2026-03-02T10:30:00+01:00", "2026-03-29T02:30:00+02:00", 1)))
	f.Add([]byte(strings.Replace(goodJSON, "BR.12.34", `BR\u001b[2J\u202e`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := requisition.Decode(data)
		if err != nil {
			if !errors.Is(err, requisition.ErrDecode) {
				t.Fatalf("error %v does not wrap ErrDecode", err)
			}
			return
		}
		times := []timesync.Timestamp{r.Ordered, r.Received, r.ValidUntil, r.Confirmed, r.Response.Stated}
		texts := append([]string{r.Reference}, r.Offences...)
		for _, tg := range r.Targets {
			times = append(times, tg.From, tg.Until)
			texts = append(texts, tg.Value)
		}
		for i, ts := range times {
			if !ts.IsZero() && !requisition.Plausible(ts) {
				t.Fatalf("time %d accepted outside the window", i)
			}
		}
		for _, s := range texts {
			for _, c := range s {
				if strictjson.IsControl(c) {
					t.Fatalf("U+%04X accepted", c)
				}
			}
		}
	})
}
