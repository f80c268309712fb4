package timesync_test

import (
	"errors"
	"testing"

	"github.com/ccjkit/ccjkit/timesync"
)

func FuzzParseBrussels(f *testing.F) {
	for _, s := range []string{
		"2026-10-25 02:30", "2026-10-25 02:30 CET", "25/10/2026 02:30:59", "2026-03-29 02:30",
		"2026-07-14T23:59:59 +02:00", "2026-07-14 23:59:59+0200", "2028-02-29 00:00", "0000-01-01 00:00", "9999-12-31 23:59:59",
	} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, fold uint8) {
		ts, err := timesync.ParseBrussels(s, timesync.Fold(fold%3))
		if err != nil {
			var pe *timesync.ParseError
			var we *timesync.WallClockError
			if !errors.As(err, &pe) && !errors.As(err, &we) {
				t.Fatalf("%q: error %v of type %T", s, err, err)
			}
			return
		}
		// An accepted time is shown by Belgian clocks as what was written:
		// the date and time part (16 or 19 bytes) read alone gives the same
		// wall clock.
		for _, n := range []int{19, 16} {
			if n > len(s) {
				continue
			}
			if w, err := timesync.ParseWallClock(s[:n]); err == nil {
				if w != timesync.WallClockOf(ts) {
					t.Fatalf("%q resolved to %v, whose wall clock is %v", s, ts, timesync.WallClockOf(ts))
				}
				return
			}
		}
		t.Fatalf("%q accepted, but no prefix of it reads as a wall clock", s)
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-10-25T02:30:00+01:00", "2026-10-25T01:30:00Z", "0001-01-01T00:00:00Z", "2026-10-25T01:30:00.5Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := timesync.ParseTimestamp(s)
		if err != nil {
			if !errors.Is(err, timesync.ErrTimestampSyntax) {
				t.Fatalf("%q: error %v does not wrap ErrTimestampSyntax", s, err)
			}
			return
		}
		text, err := ts.MarshalText()
		if err != nil {
			return // outside 0000-9999 once shown in Brussels time
		}
		back, err := timesync.ParseTimestamp(string(text))
		if err != nil || back != ts {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, ts, text, back, err)
		}
	})
}
