package ccjkit_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Property: every rule with an end follows timesync's convention ("Ends"):
// LastDay is the last valid day, the end instant is the first instant too
// late, DayEnd(LastDay), and an instant is within the limit exactly when it
// is before the end — for a measure's validity under either month rule and
// for a security advice. Written through the public API only, as a user's
// own property test would be.
func TestEndsConventionProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		at := timesynctest.Instant().Draw(t, "instant")
		probe := timesynctest.Instant().Draw(t, "probe")
		type end struct {
			name string
			last interface{ String() string }
			day  func(time.Time) bool // is the instant's day within LastDay?
			end  time.Time
			in   func(time.Time) bool // the rule's own "within" test
		}
		var ends []end
		for _, rule := range []requisition.MonthRule{requisition.FromNextDay, requisition.FromOrderDay} {
			n := rapid.IntRange(1, 24).Draw(t, "months")
			d, err := requisition.ValidityEnd(at, n, rule)
			if err != nil {
				t.Fatal(err)
			}
			ends = append(ends, end{"validity " + rule.String(), d.LastDay,
				func(x time.Time) bool { return timesync.Day(x) <= d.LastDay }, d.At, d.Before})
			if d.At != timesync.DayEnd(d.LastDay) {
				t.Fatalf("validity: end %v is not DayEnd(%v)", d.At, d.LastDay)
			}
		}
		a := ccj.Advice{Status: ccj.AdvicePositive, Granted: timesync.Day(at)}
		ends = append(ends, end{"advice", a.LastDay(),
			func(x time.Time) bool { return timesync.Day(x) <= a.LastDay() }, a.End(),
			func(x time.Time) bool { return a.ValidOn(timesync.Day(x)) || timesync.Day(x) < a.Granted }})
		if a.End() != timesync.DayEnd(a.LastDay()) {
			t.Fatalf("advice: end %v is not DayEnd(%v)", a.End(), a.LastDay())
		}
		for _, e := range ends {
			// Any instant, and the seconds on both sides of the end.
			for _, p := range []time.Time{probe, e.end.Add(-time.Second), e.end, e.end.Add(time.Second)} {
				before := p.Before(e.end)
				if e.day(p) != before || e.in(p) != before {
					t.Fatalf("%s: %v is before the end %v: %v; on or before the last day %v: %v; within by the rule: %v",
						e.name, p, e.end, before, e.last, e.day(p), e.in(p))
				}
			}
		}
	})
}
