package timesynctest_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func ExampleClock() {
	clock := timesynctest.NewClock(time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC))
	before := timesync.Now(clock)
	clock.Advance(24 * time.Hour)
	after := timesync.Now(clock)
	fmt.Println(before)
	fmt.Println(after)
	fmt.Println(after.Sub(before), "elapsed across the October change")
	// Output:
	// 2026-10-25T00:00:00+02:00
	// 2026-10-25T23:00:00+01:00
	// 24h0m0s elapsed across the October change
}

// Transitions lists the summer-time changes the generators aim at.
func ExampleTransitions() {
	trs := timesynctest.Transitions()
	fmt.Println(len(trs), "changes from", trs[0], "to", trs[len(trs)-1])
	// Output:
	// 220 changes from 1990-03-25 02:00 CET → 03:00 CEST to 2099-10-25 03:00 CEST → 02:00 CET
}

// A property of your own, driven by the generators: adding a whole number of
// elapsed hours and going back lands on the same Timestamp, across any DST
// change.
func TestExampleProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ts := timesynctest.Timestamp().Draw(t, "ts")
		h := time.Duration(rapid.IntRange(0, 1000).Draw(t, "hours")) * time.Hour
		if back := ts.Add(h).Add(-h); back != ts {
			t.Fatalf("%v + %v - %v = %v", ts, h, h, back)
		}
	})
}

func TestInstantStaysInSpan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := timesynctest.Instant().Draw(t, "instant")
		local := in.In(timesync.Brussels())
		if local.Year() < 1990 || local.Year() > 2099 || in.Location() != time.UTC {
			t.Fatalf("instant %v out of span or not UTC", in)
		}
	})
}

func TestWallClockGeneratorHitsGapsAndFolds(t *testing.T) {
	gaps, folds := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		w := timesynctest.WallClock().Draw(t, "wall")
		_, err := w.Resolve(timesync.Strict)
		switch {
		case err == nil:
		case errors.Is(err, timesync.ErrNonexistent):
			gaps++
		case errors.Is(err, timesync.ErrAmbiguous):
			folds++
		default:
			t.Fatalf("%v: %v", w, err)
		}
	})
	if gaps == 0 || folds == 0 {
		t.Errorf("100 draws gave %d non-existent and %d ambiguous times; the bias is broken", gaps, folds)
	}
}

func TestClockSetAndConcurrency(t *testing.T) {
	c := timesynctest.NewClock(time.Unix(0, 0))
	done := make(chan struct{})
	go func() {
		for range 100 {
			c.Advance(time.Second)
		}
		close(done)
	}()
	for range 100 {
		c.Now()
	}
	<-done
	if got := c.Now(); !got.Equal(time.Unix(100, 0)) {
		t.Errorf("after 100 × 1s: %v", got)
	}
	c.Set(time.Unix(5, 0))
	if !c.Now().Equal(time.Unix(5, 0)) {
		t.Error("Set did not move the clock back")
	}
}
