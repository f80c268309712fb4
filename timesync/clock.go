package timesync

import "time"

// Clock tells the time. Every function of ccjkit that needs "now" takes a
// Clock, so that tests — ours and yours — control time: use [SystemClock] in
// production and the fake clock of package timesynctest in tests.
//
// A Clock gives wall-clock instants, the kind of time a journal or an answer
// to a judge reports. Durations that must survive clock steps (timeouts,
// keep-alives) are not measured with a Clock but with the time package's
// monotonic timers; tests fake those with testing/synctest.
//
// Implementations must be safe for concurrent use: [Check], for one, reads
// the clock from several goroutines.
type Clock interface {
	// Now returns the current instant.
	Now() time.Time
}

// SystemClock is the machine's clock. Its readings are only as good as the
// machine's synchronisation: see [Check] for how to prove that.
type SystemClock struct{}

// Now returns time.Now() in UTC. The monotonic reading is stripped on
// purpose: legal times are wall-clock readings, and a monotonic reading means
// nothing once written to a journal.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// ClockFunc adapts a function to the [Clock] interface.
type ClockFunc func() time.Time

// Now returns f().
func (f ClockFunc) Now() time.Time { return f() }
