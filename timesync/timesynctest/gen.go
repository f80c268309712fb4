package timesynctest

import (
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/timesync"
)

// The span the generators draw from: 1990-01-01T00:00 to 2100-01-01T00:00,
// Brussels time (CET, UTC+1), as Unix seconds.
const (
	spanStart = 631148400  // 1989-12-31T23:00:00Z
	spanEnd   = 4102441200 // 2099-12-31T23:00:00Z
)

// Transitions returns every change of Belgian civil time from 1990 to 2099,
// in order: the list the generators bias toward.
func Transitions() []timesync.Transition {
	return slices.Collect(timesync.Transitions(time.Unix(spanStart, 0), time.Unix(spanEnd, 0)))
}

// Transition draws one of [Transitions].
func Transition() *rapid.Generator[timesync.Transition] {
	return rapid.SampledFrom(Transitions())
}

// Instant draws UTC instants from 1990 to 2099 (Brussels time) with
// nanosecond detail. About
// one draw in five is uniform over the span; the others fall within three
// hours of a summer-time change, within an hour of a month's end, on or
// around 29 February, or within two minutes of a Brussels midnight.
func Instant() *rapid.Generator[time.Time] {
	trs := Transitions()
	loc := timesync.Brussels()
	nanos := rapid.OneOf(rapid.Just(0), rapid.IntRange(0, 999_999_999), rapid.Just(999_999_999))
	return rapid.Custom(func(t *rapid.T) time.Time {
		var base time.Time
		switch rapid.IntRange(0, 4).Draw(t, "kind") {
		case 0: // uniform
			sec := rapid.Int64Range(spanStart, spanEnd-1).Draw(t, "unix")
			base = time.Unix(sec, 0)
		case 1: // near a summer-time change
			tr := rapid.SampledFrom(trs).Draw(t, "transition")
			base = tr.At.Add(time.Duration(rapid.IntRange(-3*3600, 3*3600).Draw(t, "from_transition_s")) * time.Second)
		case 2: // near the end of a month, Brussels time
			y := rapid.IntRange(1990, 2099).Draw(t, "year")
			m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
			end := time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
			base = end.Add(time.Duration(rapid.IntRange(-3600, 3599).Draw(t, "from_month_end_s")) * time.Second)
		case 3: // around 29 February of a leap year
			y := 4 * rapid.IntRange(1992/4, 2096/4).Draw(t, "leap_year_div4")
			day := rapid.IntRange(28, 30).Draw(t, "day") // 30 February is 1 March
			base = time.Date(y, time.February, day, 0, 0, 0, 0, loc).
				Add(time.Duration(rapid.IntRange(0, 86399).Draw(t, "second_of_day")) * time.Second)
		default: // near a Brussels midnight, from 2 January 1990 to 31 December 2099
			day := rapid.IntRange(1, 40176).Draw(t, "day")
			base = time.Date(1990, 1, 1+day, 0, 0, 0, 0, loc).
				Add(time.Duration(rapid.IntRange(-120, 120).Draw(t, "from_midnight_s")) * time.Second)
		}
		if base.Unix() >= spanEnd { // an hour past the end of December 2099
			base = time.Unix(spanEnd-1, 0)
		}
		return base.Add(time.Duration(nanos.Draw(t, "nanos"))).UTC()
	})
}

// Timestamp draws [timesync.Timestamp] values with the bias of [Instant].
func Timestamp() *rapid.Generator[timesync.Timestamp] {
	return rapid.Map(Instant(), timesync.FromTime)
}

// WallClock draws Belgian wall-clock times from 1990 to 2099. About half of
// them fall in the hours around a summer-time change, so the missing spring
// hour and the repeated autumn hour come up often; the rest are the wall
// clocks of [Instant]. Some of the values drawn do not exist and some are
// ambiguous: that is the point.
func WallClock() *rapid.Generator[timesync.WallClock] {
	trs := Transitions()
	inst := Instant()
	return rapid.Custom(func(t *rapid.T) timesync.WallClock {
		if rapid.Bool().Draw(t, "near_transition") {
			tr := rapid.SampledFrom(trs).Draw(t, "transition")
			// Wall clock as shown just before the change, then ±2h around it.
			wall := tr.At.Add(time.Duration(tr.OffsetBefore) * time.Second).UTC()
			wall = wall.Add(time.Duration(rapid.IntRange(-2*3600, 2*3600).Draw(t, "from_change_s")) * time.Second)
			y, m, d := wall.Date()
			hh, mm, ss := wall.Clock()
			return timesync.WallClock{Year: y, Month: m, Day: d, Hour: hh, Minute: mm, Second: ss}
		}
		return timesync.WallClockOf(timesync.FromTime(inst.Draw(t, "instant")))
	})
}
