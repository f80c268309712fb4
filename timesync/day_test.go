package timesync_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		name, in string
		want     date.Date
		ok       bool
	}{
		{"ordinary", "2026-01-30", date.New(2026, 1, 30), true},
		{"leap day", "2028-02-29", date.New(2028, 2, 29), true},
		{"the first Gregorian year", "1583-01-01", date.New(1583, 1, 1), true},
		{"before the Gregorian calendar", "1582-12-31", 0, false},
		{"the zero date", "0001-01-01", 0, false},
		{"last year", "9999-12-31", date.New(9999, 12, 31), true},
		{"year zero", "0000-06-01", 0, false},
		{"no such day", "2026-02-29", 0, false},
		{"month 13", "2026-13-01", 0, false},
		{"day 0", "2026-01-00", 0, false},
		{"a time of day", "2026-01-30T00:00:00", 0, false},
		{"one-digit month", "2026-1-30", 0, false},
		{"sign", "+2026-01-30", 0, false},
		{"slashes", "30/01/2026", 0, false},
		{"spaces", "2026-01-3 ", 0, false},
		{"empty", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := timesync.ParseDay(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseDay(%q) = %v, %v", tt.in, got, err)
			}
			if err != nil && !errors.Is(err, timesync.ErrDaySyntax) {
				t.Fatalf("error %v does not wrap ErrDaySyntax", err)
			}
		})
	}
}

func TestDayAcrossMidnightAndChanges(t *testing.T) {
	tests := []struct {
		name, instant string
		day           date.Date
	}{
		{"23:59:59 in winter is still the same day", "2026-01-30T22:59:59Z", date.New(2026, 1, 30)},
		{"midnight in winter is the next day", "2026-01-30T23:00:00Z", date.New(2026, 1, 31)},
		{"midnight in summer is 22:00 UTC", "2026-07-14T22:00:00Z", date.New(2026, 7, 15)},
		{"the repeated hour", "2026-10-25T01:30:00Z", date.New(2026, 10, 25)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := timesync.MustParseTimestamp(tt.instant)
			if got := ts.Day(); got != tt.day {
				t.Fatalf("%v is on %v, want %v", ts, got, tt.day)
			}
		})
	}
	if timesync.Day(time.Time{}) != 0 || (timesync.Timestamp{}).Day() != 0 {
		t.Error("the zero instant has a day")
	}
}

// Property: DayStart and DayEnd bound exactly the instants Day maps to d,
// on days with 23, 24 and 25 hours alike; ParseDay reads back String.
func TestDayBoundsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		inst := timesynctest.Instant().Draw(t, "instant")
		d := timesync.Day(inst)
		start, end := timesync.DayStart(d), timesync.DayEnd(d)
		if inst.Before(start) || !inst.Before(end) {
			t.Fatalf("%v is on %v but outside [%v, %v)", inst, d, start, end)
		}
		if timesync.Day(start) != d || timesync.Day(end.Add(-time.Second)) != d || timesync.Day(end) != d+1 {
			t.Fatalf("bounds of %v: %v, %v", d, start, end)
		}
		if h := end.Sub(start); h != 23*time.Hour && h != 24*time.Hour && h != 25*time.Hour {
			t.Fatalf("%v lasts %v", d, h)
		}
		if back, err := timesync.ParseDay(d.String()); err != nil || back != d {
			t.Fatalf("ParseDay(%q) = %v, %v", d.String(), back, err)
		}
	})
}

func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2026-01-30", "2028-02-29", "0000-01-01", "9999-12-31", "2026-02-30", "2026-1-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := timesync.ParseDay(s)
		if err != nil {
			if !errors.Is(err, timesync.ErrDaySyntax) {
				t.Fatalf("%q: error %v does not wrap ErrDaySyntax", s, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("%q read as %v", s, d)
		}
	})
}

// A day is parsed as a day, with no time invented; an instant has the day
// Brussels clocks show, and a limit whose last valid day is d ends at
// DayEnd(d), 24:00 Brussels time.
func ExampleParseDay() {
	last := timesync.MustParseDay("2026-03-28") // the day before the spring change
	fmt.Println(last, timesync.FromTime(timesync.DayEnd(last)))
	late := timesync.MustParseTimestamp("2026-03-28T23:30:00Z")
	fmt.Println(late, "is on", late.Day())
	_, err := timesync.ParseDay("2026-02-29")
	fmt.Println(errors.Is(err, timesync.ErrDaySyntax))
	// Output:
	// 2026-03-28 2026-03-29T00:00:00+01:00
	// 2026-03-29T00:30:00+01:00 is on 2026-03-29
	// true
}

// Every day from 1892 to 2100, the years of the embedded tz data that
// matter to a Belgian order, starts where the day before ends — also in
// the years whose clocks changed at midnight (1914-1916, the 1940s).
func TestDayStartEveryDay(t *testing.T) {
	for d := date.New(1892, 1, 1); d < date.New(2101, 1, 1); d++ {
		start := timesync.DayStart(d)
		if timesync.Day(start) != d || timesync.Day(start.Add(-time.Second)) != d-1 || timesync.DayEnd(d-1) != start {
			t.Fatalf("%v starts at %v (Brussels %v)", d, start, start.In(timesync.Brussels()))
		}
	}
}
