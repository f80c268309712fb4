package pgretention

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// A purge that keeps what a hold needs copies it on its own connection:
// with one connection in the pool it ends, the held rows kept and the
// period destroyed (found by the third review: it waited for a second
// connection forever, and the data outlived its period).
func TestPurgeWithHoldOnOneConnection(t *testing.T) {
	f := newFixture(t, ts("2026-10-30T09:00:00+01:00").Time())
	cfg := f.config(f.database())
	cfg.MaxConns = 1
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day := timesync.FromTime(timesync.DayStart(timesync.MustParseDay("2026-10-29")))
	as, ms := genDay(day, 5, 2, 1)
	ingest(t, s, as, ms)
	if _, err := s.PlaceHold("case-1", []retention.HoldTarget{{Prefix: netip.PrefixFrom(insideOf(1), 32)}}, day, day.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(ts("2027-10-31T00:00:00+01:00").Time())
	type result struct {
		rep retention.PurgeReport
		err error
	}
	done := make(chan result, 1)
	go func() { rep, err := s.Purge(); done <- result{rep, err} }()
	select {
	case r := <-done:
		if r.err != nil || len(r.rep.Destroyed) == 0 {
			t.Fatalf("purge: %+v, %v", r.rep, r.err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the purge with one connection and a hold in force never ended")
	}
}
