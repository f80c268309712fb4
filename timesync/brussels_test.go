package timesync_test

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/timesync"
)

func TestBrusselsKnownTransitions(t *testing.T) {
	// The EU summer-time rule (Directive 2000/84/EC art. 2-3 [U]): from the last
	// Sunday of March to the last Sunday of October, changing at 01:00 UTC.
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	got := slices.Collect(timesync.Transitions(from, from.AddDate(1, 0, 0)))
	want := []timesync.Transition{
		{At: time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), OffsetBefore: 3600, OffsetAfter: 7200, AbbrevBefore: "CET", AbbrevAfter: "CEST"},
		{At: time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), OffsetBefore: 7200, OffsetAfter: 3600, AbbrevBefore: "CEST", AbbrevAfter: "CET"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("2026 transitions (-want +got):\n%s", diff)
	}
	if got[0].Shift() != time.Hour || got[1].Shift() != -time.Hour {
		t.Errorf("shifts = %v, %v; want +1h, -1h", got[0].Shift(), got[1].Shift())
	}
	if s := got[0].String(); s != "2026-03-29 02:00 CET → 03:00 CEST" {
		t.Errorf("spring String() = %q", s)
	}
	if s := got[1].String(); s != "2026-10-25 03:00 CEST → 02:00 CET" {
		t.Errorf("autumn String() = %q", s)
	}
}

func TestTransitionsFollowTheEURule(t *testing.T) {
	// Every year from 1996 (when the EU aligned the October date) to 2099:
	// exactly two transitions, on the last Sundays of March and October at
	// 01:00 UTC.
	for year := 1996; year < 2100; year++ {
		from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		got := slices.Collect(timesync.Transitions(from, from.AddDate(1, 0, 0)))
		if len(got) != 2 {
			t.Fatalf("%d: %d transitions, want 2", year, len(got))
		}
		for i, month := range []time.Month{time.March, time.October} {
			want := lastSunday(year, month).Add(time.Hour)
			if !got[i].At.Equal(want) {
				t.Errorf("%d: transition %d at %v, want %v", year, i, got[i].At, want)
			}
		}
	}
}

func lastSunday(year int, m time.Month) time.Time {
	d := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

func TestTransitionsBounds(t *testing.T) {
	at := time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"from is inclusive", at, at.Add(time.Second), 1},
		{"to is exclusive", at.Add(-time.Hour), at, 0},
		{"fraction before the change", at.Add(-time.Nanosecond), at.Add(time.Second), 1},
		{"fraction after the change", at.Add(time.Nanosecond), at.Add(time.Hour), 0},
		{"empty range", at, at, 0},
		{"to half a second after the change", at.Add(-time.Hour), at.Add(500 * time.Millisecond), 1},
		{"before 1970, to with a fraction", time.Date(1946, 5, 19, 0, 0, 0, 0, time.UTC), time.Date(1946, 5, 19, 1, 0, 0, 500_000_000, time.UTC), 1},
		{"reversed range", at.Add(time.Hour), at, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := len(slices.Collect(timesync.Transitions(tt.from, tt.to))); n != tt.want {
				t.Errorf("got %d transitions, want %d", n, tt.want)
			}
		})
	}
	// Early stop is honoured.
	n := 0
	for range timesync.Transitions(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("break after one: iterated %d", n)
	}
}

func TestEmbeddedZoneMatchesSystem(t *testing.T) {
	data, err := os.ReadFile("/usr/share/zoneinfo/Europe/Brussels")
	if err != nil {
		t.Skipf("no system tz data to compare with: %v", err)
	}
	sys, err := time.LoadLocationFromTZData(timesync.ZoneName, data)
	if err != nil {
		t.Fatal(err)
	}
	// Compare offsets every 6 hours and across each transition, 1970-2100.
	for u := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC); u.Year() < 2100; u = u.Add(6 * time.Hour) {
		_, want := u.In(sys).Zone()
		_, got := u.In(timesync.Brussels()).Zone()
		if got != want {
			t.Fatalf("at %v: embedded offset %d, system offset %d", u, got, want)
		}
	}
}
