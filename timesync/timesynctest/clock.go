package timesynctest

import (
	"sync"
	"time"
)

// Clock is a fake [timesync.Clock]: it shows the time it was set to until a
// test moves it. It is safe for concurrent use. The zero Clock shows the
// zero time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock showing start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the time the clock shows, in UTC.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now.UTC()
}

// Set makes the clock show t; t may be earlier than the current reading, as
// a real clock stepped back by NTP would be.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d (back if d is negative) and returns
// the new reading. Elapsed time is real time: advancing 24h across the
// October change ends at the same instant 24 real hours later, which the
// Belgian wall clock shows one hour earlier than the day before.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now.UTC()
}
