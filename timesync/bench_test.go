package timesync_test

import (
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
)

// Each benchmark runs ccjkit's path and a baseline doing the same job with
// the time package, in the same run, so that the ratio can be read off:
//
//	go test -run='^$' -bench=. -benchmem ./timesync/
//
// 2026 is inside the tz file's listed transitions; 2050 is past them, where
// the time package evaluates the zone's POSIX rule on every call.
var benchInstants = map[string]time.Time{
	"2026": time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
	"2050": time.Date(2050, 7, 14, 12, 0, 0, 0, time.UTC),
}

func BenchmarkFormat(b *testing.B) {
	loc := timesync.Brussels()
	for year, in := range benchInstants {
		ts := timesync.FromTime(in)
		buf := make([]byte, 0, 64)
		b.Run("ccjkit/"+year, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = ts.AppendText(buf[:0])
			}
		})
		b.Run("baseline=time.AppendFormat/"+year, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf = in.In(loc).AppendFormat(buf[:0], time.RFC3339)
			}
		})
	}
}

func BenchmarkParseWallClock(b *testing.B) {
	loc := timesync.Brussels()
	inputs := map[string]string{"2026": "2026-07-14 23:59:59", "2050": "2050-07-14 23:59:59"}
	for year, s := range inputs {
		b.Run("ccjkit/"+year, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := timesync.ParseBrussels(s, timesync.Strict); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The baseline silently picks an instant for gap and fold times;
		// ParseBrussels also checks both candidates.
		b.Run("baseline=time.ParseInLocation/"+year, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := time.ParseInLocation(time.DateTime, s, loc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseTimestamp(b *testing.B) {
	const s = "2026-10-25T02:30:00+01:00"
	b.Run("ccjkit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := timesync.ParseTimestamp(s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=time.Parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The hot paths allocate nothing; counted, not timed.
func TestHotPathsDoNotAllocate(t *testing.T) {
	ts := timesync.FromTime(benchInstants["2026"])
	buf := make([]byte, 0, 64)
	checks := map[string]func(){
		"AppendText":     func() { buf, _ = ts.AppendText(buf[:0]) },
		"ParseBrussels":  func() { timesync.ParseBrussels("2026-07-14 23:59:59 +02:00", timesync.Strict) },
		"ParseTimestamp": func() { timesync.ParseTimestamp("2026-10-25T02:30:00+01:00") },
		"WallClockOf":    func() { timesync.WallClockOf(ts) },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, n)
		}
	}
}
