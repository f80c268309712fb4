package timesync_test

import (
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestParseBrussels(t *testing.T) {
	const (
		firstHalfPastTwo  = "2026-10-25T02:30:00+02:00"
		secondHalfPastTwo = "2026-10-25T02:30:00+01:00"
	)
	tests := []struct {
		name    string
		in      string
		fold    timesync.Fold
		want    string // Timestamp.String(), when no error
		wantErr error
	}{
		{"winter", "2026-01-15 14:04", timesync.Strict, "2026-01-15T14:04:00+01:00", nil},
		{"summer with seconds", "2026-07-15 15:04:05", timesync.Strict, "2026-07-15T15:04:05+02:00", nil},
		{"T separator", "2026-07-15T15:04:05", timesync.Strict, "2026-07-15T15:04:05+02:00", nil},
		{"Belgian date order", "15/07/2026 15:04", timesync.Strict, "2026-07-15T15:04:00+02:00", nil},
		{"midnight", "2026-03-01 00:00", timesync.Strict, "2026-03-01T00:00:00+01:00", nil},

		{"spring gap start", "2026-03-29 02:00", timesync.Strict, "", timesync.ErrNonexistent},
		{"spring gap end", "2026-03-29 02:59:59", timesync.Later, "", timesync.ErrNonexistent},
		{"spring gap with offset", "2026-03-29 02:30 +01:00", timesync.Strict, "", timesync.ErrNonexistent},
		{"spring gap with abbreviation", "2026-03-29 02:30 CEST", timesync.Strict, "", timesync.ErrNonexistent},
		{"just before the gap", "2026-03-29 01:59:59", timesync.Strict, "2026-03-29T01:59:59+01:00", nil},
		{"just after the gap", "2026-03-29 03:00", timesync.Strict, "2026-03-29T03:00:00+02:00", nil},

		{"autumn ambiguous", "2026-10-25 02:30", timesync.Strict, "", timesync.ErrAmbiguous},
		{"autumn ambiguous at 02:00", "2026-10-25 02:00", timesync.Strict, "", timesync.ErrAmbiguous},
		{"autumn earlier", "2026-10-25 02:30", timesync.Earlier, firstHalfPastTwo, nil},
		{"autumn later", "2026-10-25 02:30", timesync.Later, secondHalfPastTwo, nil},
		{"autumn +02:00", "2026-10-25 02:30 +02:00", timesync.Strict, firstHalfPastTwo, nil},
		{"autumn +0100", "2026-10-25 02:30 +0100", timesync.Strict, secondHalfPastTwo, nil},
		{"autumn CEST", "2026-10-25 02:30 CEST", timesync.Strict, firstHalfPastTwo, nil},
		{"autumn CET, no space", "2026-10-25 02:30CET", timesync.Strict, secondHalfPastTwo, nil},
		{"offset overrides fold", "2026-10-25 02:30 +01:00", timesync.Earlier, secondHalfPastTwo, nil},
		{"autumn 03:00 is unique", "2026-10-25 03:00", timesync.Strict, "2026-10-25T03:00:00+01:00", nil},
		{"autumn 01:59:59 is unique", "2026-10-25 01:59:59", timesync.Strict, "2026-10-25T01:59:59+02:00", nil},

		{"summer offset in winter", "2026-01-15 14:04 +02:00", timesync.Strict, "", timesync.ErrOffsetMismatch},
		{"UTC is not Belgian time", "2026-01-15 14:04 +00:00", timesync.Strict, "", timesync.ErrOffsetMismatch},
		{"CET in 1919, when Belgium was on WET", "1919-01-15 12:00 CET", timesync.Strict, "", timesync.ErrOffsetMismatch},
		{"trailing space", "2026-10-25 02:30 ", timesync.Earlier, "", timesync.ErrWallClockSyntax},
		{"two spaces before offset", "2026-10-25 02:30  CET", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"invalid fold", "2026-10-25 02:30", timesync.Fold(9), "", timesync.ErrInvalidFold},
		{"invalid fold on an unambiguous time", "2026-07-01 12:00", timesync.Fold(3), "", timesync.ErrInvalidFold},

		{"empty", "", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"date only", "2026-01-15", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"fraction", "2026-01-15 14:04:05.250", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"hour 24", "2026-01-15 24:00", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"29 February 2026", "2026-02-29 12:00", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"29 February 2028 exists", "2028-02-29 12:00", timesync.Strict, "2028-02-29T12:00:00+01:00", nil},
		{"month 13", "2026-13-01 12:00", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"trailing words", "2026-01-15 14:04 tomorrow", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"unknown zone", "2026-01-15 14:04 EST", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"single-digit hour", "2026-01-15 9:04", timesync.Strict, "", timesync.ErrWallClockSyntax},
		{"signs in digits", "2026-01-15 +1:04", timesync.Strict, "", timesync.ErrWallClockSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := timesync.ParseBrussels(tt.in, tt.fold)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseBrussels(%q, %v) = %v, %v; want error %v", tt.in, tt.fold, ts, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseBrussels(%q, %v): %v", tt.in, tt.fold, err)
			}
			if got := ts.String(); got != tt.want {
				t.Errorf("ParseBrussels(%q, %v) = %s, want %s", tt.in, tt.fold, got, tt.want)
			}
		})
	}
}

func TestWallClockErrorDetails(t *testing.T) {
	_, err := timesync.ParseBrussels("2026-10-25 02:30", timesync.Strict)
	var we *timesync.WallClockError
	if !errors.As(err, &we) {
		t.Fatalf("ambiguous: %v is not a *WallClockError", err)
	}
	if we.Candidates[0].String() != "2026-10-25T02:30:00+02:00" || we.Candidates[1].String() != "2026-10-25T02:30:00+01:00" {
		t.Errorf("candidates = %v", we.Candidates)
	}
	if we.Transition.At != time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC) {
		t.Errorf("transition = %v", we.Transition)
	}
	want := `timesync: wall-clock time occurs twice in Belgium: "2026-10-25 02:30" is both 2026-10-25T02:30:00+02:00 and 2026-10-25T02:30:00+01:00; say which (Earlier/Later or an explicit offset) (Belgian civil time with summer and winter time, royal decree of 4 October 2023 art. 2)`
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}

	_, err = timesync.ParseBrussels("2026-03-29 02:30", timesync.Later)
	if !errors.As(err, &we) {
		t.Fatalf("gap: %v is not a *WallClockError", err)
	}
	if we.Candidates[0].String() != "2026-03-29T01:59:59+01:00" || we.Candidates[1].String() != "2026-03-29T03:00:00+02:00" {
		t.Errorf("gap neighbours = %v", we.Candidates)
	}
	want = `timesync: wall-clock time does not exist in Belgium: "2026-03-29 02:30" falls in the hour skipped at 2026-03-29 02:00 CET → 03:00 CEST (Belgian civil time with summer and winter time, royal decree of 4 October 2023 art. 2)`
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}

	_, err = timesync.ParseBrussels("2026-07-01 12:00 +01:00", timesync.Strict)
	if !errors.As(err, &we) || we.Offset != 3600 {
		t.Fatalf("mismatch: %v", err)
	}
}

// Every transition from 1990 to 2100, every minute of the four hours around
// it: no wall-clock time is ever silently shifted. A time either resolves to
// an instant that shows exactly that wall clock, or is refused because no
// instant or two instants show it — and then that is checked too.
func TestEveryTransitionNeverShifts(t *testing.T) {
	trs := timesynctest.Transitions()
	if len(trs) != 220 {
		t.Fatalf("%d transitions 1990-2099, want 220 (two a year)", len(trs))
	}
	for _, tr := range trs {
		wallStart := tr.At.Add(time.Duration(tr.OffsetBefore)*time.Second - 2*time.Hour).UTC()
		for m := 0; m <= 4*60; m++ {
			w := wallClockFromUTCFields(wallStart.Add(time.Duration(m) * time.Minute))
			checkResolution(t, w)
		}
	}
}

func TestWallClockNeverShiftsProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		w := timesynctest.WallClock().Draw(rt, "wall")
		checkResolution(rt, w)
	})
}

// checkResolution asserts the contract of Resolve for w under every fold.
func checkResolution(t interface {
	Helper()
	Fatalf(string, ...any)
}, w timesync.WallClock) {
	t.Helper()
	strict, err := w.Resolve(timesync.Strict)
	earlier, errE := w.Resolve(timesync.Earlier)
	later, errL := w.Resolve(timesync.Later)
	// Brute force: the instants within ±3h of w-as-if-UTC whose wall clock is w.
	var shows []timesync.Timestamp
	base := time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second, 0, time.UTC).Unix()
	for _, off := range []int64{3600, 7200} {
		ts := timesync.Unix(base - off)
		if timesync.WallClockOf(ts) == w {
			shows = append(shows, ts)
		}
	}
	switch len(shows) {
	case 0:
		for _, e := range []error{err, errE, errL} {
			if !errors.Is(e, timesync.ErrNonexistent) {
				t.Fatalf("%v shown by no instant, but Resolve gave %v", w, e)
			}
		}
	case 1:
		if err != nil || strict != shows[0] || earlier != shows[0] || later != shows[0] {
			t.Fatalf("%v shown only by %v; Resolve gave %v %v %v (%v)", w, shows[0], strict, earlier, later, err)
		}
	case 2:
		if !errors.Is(err, timesync.ErrAmbiguous) {
			t.Fatalf("%v shown twice; strict Resolve gave %v, %v", w, strict, err)
		}
		if errE != nil || errL != nil || earlier != shows[1] || later != shows[0] || later.Sub(earlier) != time.Hour {
			t.Fatalf("%v: earlier %v, later %v, want %v then %v", w, earlier, later, shows[1], shows[0])
		}
	}
}

func wallClockFromUTCFields(t time.Time) timesync.WallClock {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return timesync.WallClock{Year: y, Month: m, Day: d, Hour: hh, Minute: mm, Second: ss}
}

// Property: a Timestamp's own Brussels wall clock, written with its offset,
// parses back to it; written without, it parses back under the right fold.
func TestParseBrusselsRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ts := timesynctest.Timestamp().Draw(t, "ts")
		w := timesync.WallClockOf(ts)
		off, _ := ts.Offset()
		withOffset := w.String() + " " + ts.Format("-07:00")
		if got, err := timesync.ParseBrussels(withOffset, timesync.Strict); err != nil || got != ts {
			t.Fatalf("ParseBrussels(%q) = %v, %v; want %v", withOffset, got, err, ts)
		}
		fold := timesync.Later
		if off == 7200 {
			fold = timesync.Earlier
		}
		if got, err := timesync.ParseBrussels(w.String(), fold); err != nil || got != ts {
			t.Fatalf("ParseBrussels(%q, %v) = %v, %v; want %v", w.String(), fold, got, err, ts)
		}
	})
}

func TestResolveInvalidFields(t *testing.T) {
	for name, w := range map[string]timesync.WallClock{
		"30 February":  {Year: 2026, Month: 2, Day: 30, Hour: 12},
		"year 10000":   {Year: 10000, Month: 1, Day: 1},
		"year -1":      {Year: -1, Month: 1, Day: 1},
		"year 1 << 40": {Year: 1 << 40, Month: 6, Day: 1, Hour: 12},
	} {
		if _, err := w.Resolve(timesync.Strict); !errors.Is(err, timesync.ErrWallClockSyntax) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if w := timesync.WallClockOf(timesync.Timestamp{}); w != (timesync.WallClock{}) {
		t.Errorf("WallClockOf(zero) = %v", w)
	}
}

func TestFoldString(t *testing.T) {
	for f, want := range map[timesync.Fold]string{timesync.Strict: "strict", timesync.Earlier: "earlier", timesync.Later: "later", 9: "Fold(9)"} {
		if f.String() != want {
			t.Errorf("%d.String() = %q", f, f.String())
		}
	}
}
