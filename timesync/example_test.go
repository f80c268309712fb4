package timesync_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A requisition says "25/10/2026 02:30". That night Belgian clocks went back
// from 03:00 to 02:00, so the time happened twice; ParseBrussels refuses to
// guess, and the error names both instants.
func ExampleParseBrussels_ambiguous() {
	_, err := timesync.ParseBrussels("25/10/2026 02:30", timesync.Strict)
	var we *timesync.WallClockError
	if errors.As(err, &we) && errors.Is(err, timesync.ErrAmbiguous) {
		fmt.Println("first: ", we.Candidates[0])
		fmt.Println("second:", we.Candidates[1])
	}

	// The author of the requisition confirms it meant winter time.
	ts, _ := timesync.ParseBrussels("25/10/2026 02:30 CET", timesync.Strict)
	fmt.Println("meant: ", ts, "=", ts.Time().Format(time.RFC3339))
	// Output:
	// first:  2026-10-25T02:30:00+02:00
	// second: 2026-10-25T02:30:00+01:00
	// meant:  2026-10-25T02:30:00+01:00 = 2026-10-25T01:30:00Z
}

// 02:30 on the last Sunday of March never happened in Belgium.
func ExampleParseBrussels_nonexistent() {
	_, err := timesync.ParseBrussels("2026-03-29 02:30", timesync.Later)
	fmt.Println(errors.Is(err, timesync.ErrNonexistent))
	fmt.Println(err)
	// Output:
	// true
	// timesync: wall-clock time does not exist in Belgium: "2026-03-29 02:30" falls in the hour skipped at 2026-03-29 02:00 CET → 03:00 CEST (Belgian civil time with summer and winter time, royal decree of 4 October 2023 art. 2)
}

// Times are reported to the second by truncation: the second shown always
// contains the event.
func ExampleFromTime() {
	event := time.Date(2026, 7, 14, 21, 59, 59, 900_000_000, time.UTC)
	ts := timesync.FromTime(event)
	fmt.Println(ts)
	fmt.Println(ts.Format("02/01/2006 15:04:05 MST"))
	// Output:
	// 2026-07-14T23:59:59+02:00
	// 14/07/2026 23:59:59 CEST
}

// A night shift from Saturday 22:00 to Sunday 06:00 across the October change
// lasts nine real hours, not eight.
func ExampleTransitions() {
	start, _ := timesync.ParseBrussels("2026-10-24 22:00", timesync.Strict)
	end, _ := timesync.ParseBrussels("2026-10-25 06:00", timesync.Strict)
	for tr := range timesync.Transitions(start.Time(), end.Time()) {
		fmt.Println(tr, "shift", tr.Shift())
	}
	fmt.Println("shift lasts", end.Sub(start))
	// Output:
	// 2026-10-25 03:00 CEST → 02:00 CET shift -1h0m0s
	// shift lasts 9h0m0s
}

// Judge turns samples into a verdict; Check takes the samples from live
// sources first. Here a stratum-1 server on GPS, and this machine 3 ms slow.
func ExampleJudge() {
	at := time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)
	s := timesync.Sample{
		Source: "ntp ntp1.example.be", Method: timesync.MethodNTP,
		Offset: 3 * time.Millisecond, Stratum: 1, ReferenceID: 0x47505300, Reference: "GPS",
		RootDispersion: 500 * time.Microsecond, Delay: 4 * time.Millisecond,
	}
	v := timesync.Judge(at, timesync.Policy{}, []timesync.Sample{s}, nil)
	fmt.Println("compliant:", v.Compliant())
	for _, r := range v.Reasons {
		fmt.Println(r)
	}
	// Output:
	// compliant: true
	// ok   synchronised [ntp ntp1.example.be]: stratum 1, reference GPS, leap normal
	// ok   accuracy: worst-case clock error 5.500 ms, within 100.000 ms
	// ok   traceable [ntp ntp1.example.be]: stratum 1 on reference clock GPS
}

// Code that needs "now" takes a Clock; tests give it a fake one.
func ExampleNow() {
	clock := timesynctest.NewClock(time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC))
	fmt.Println(timesync.Now(clock))
	clock.Advance(24 * time.Hour) // elapsed hours: the wall clock moves 25
	fmt.Println(timesync.Now(clock))
	// Output:
	// 2026-03-28T13:00:00+01:00
	// 2026-03-29T14:00:00+02:00
}

// MustParseBrussels writes a Belgian time in a test or a constant; a time
// that does not exist, or exists twice and no fold says which, panics.
func ExampleMustParseBrussels() {
	start := timesync.MustParseBrussels("2026-10-24 22:00", timesync.Strict)
	end := timesync.MustParseBrussels("25/10/2026 02:30", timesync.Later)
	fmt.Println(start, "→", end, "=", end.Sub(start))

	defer func() { fmt.Println("panic:", errors.Is(recover().(error), timesync.ErrNonexistent)) }()
	timesync.MustParseBrussels("2026-03-29 02:30", timesync.Strict)
	// Output:
	// 2026-10-24T22:00:00+02:00 → 2026-10-25T02:30:00+01:00 = 5h30m0s
	// panic: true
}

// MustParseTimestamp reads the RFC 3339 form Timestamp.String writes.
func ExampleMustParseTimestamp() {
	ts := timesync.MustParseTimestamp("2026-10-25T01:30:00Z")
	fmt.Println(ts)
	fmt.Println(ts == timesync.MustParseBrussels("2026-10-25 02:30 CET", timesync.Strict))
	// Output:
	// 2026-10-25T02:30:00+01:00
	// true
}

// MustParseWallClock reads a wall-clock time without tying it to an instant;
// Resolve then says which instants it names.
func ExampleMustParseWallClock() {
	w := timesync.MustParseWallClock("25/10/2026 02:30")
	fmt.Println(w)
	_, err := w.Resolve(timesync.Strict)
	fmt.Println(errors.Is(err, timesync.ErrAmbiguous))
	// Output:
	// 2026-10-25 02:30:00
	// true
}

// DisplayLayout shows a time to people, to the second, with its offset:
// the repeated hour of the autumn change is written twice, an hour apart.
func ExampleDisplayLayout() {
	first := timesync.MustParseTimestamp("2026-10-25T00:30:00Z")
	fmt.Println(first.Format(timesync.DisplayLayout))
	fmt.Println(first.Add(time.Hour).Format(timesync.DisplayLayout))
	// Output:
	// 2026-10-25 02:30:00 +02:00
	// 2026-10-25 02:30:00 +01:00
}
