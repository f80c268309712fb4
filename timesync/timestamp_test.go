package timesync_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestFromTimeTruncates(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want int64
	}{
		{"whole second", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), 1792888200},
		{"just under the next second", time.Date(2026, 10, 25, 0, 30, 0, 999_999_999, time.UTC), 1792888200},
		{"half a second is not rounded up", time.Date(2026, 10, 25, 0, 30, 0, 500_000_000, time.UTC), 1792888200},
		{"before 1970 goes toward the past", time.Unix(-1, 500_000_000), -1},
		{"other location, same instant", time.Date(2026, 10, 25, 0, 30, 0, 1, time.UTC).In(timesync.Brussels()), 1792888200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := timesync.FromTime(tt.in)
			if ts.IsZero() || ts.Unix() != tt.want {
				t.Errorf("FromTime(%v) = %d (zero=%v), want %d", tt.in, ts.Unix(), ts.IsZero(), tt.want)
			}
		})
	}
	if !timesync.FromTime(time.Time{}).IsZero() {
		t.Error("FromTime(zero time) is not the zero Timestamp")
	}
	if timesync.Unix(0).IsZero() {
		t.Error("1970-01-01T00:00:00Z is a time, not the zero Timestamp")
	}
}

func TestTimestampString(t *testing.T) {
	tests := []struct {
		name string
		ts   timesync.Timestamp
		want string
	}{
		{"winter", timesync.FromTime(time.Date(2026, 1, 15, 13, 4, 5, 0, time.UTC)), "2026-01-15T14:04:05+01:00"},
		{"summer", timesync.FromTime(time.Date(2026, 7, 15, 13, 4, 5, 0, time.UTC)), "2026-07-15T15:04:05+02:00"},
		{"first 02:30 of 25 October", timesync.FromTime(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)), "2026-10-25T02:30:00+02:00"},
		{"second 02:30 of 25 October", timesync.FromTime(time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)), "2026-10-25T02:30:00+01:00"},
		{"last second before spring change", timesync.FromTime(time.Date(2026, 3, 29, 0, 59, 59, 0, time.UTC)), "2026-03-29T01:59:59+01:00"},
		{"first second after spring change", timesync.FromTime(time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)), "2026-03-29T03:00:00+02:00"},
		{"Unix epoch", timesync.Unix(0), "1970-01-01T01:00:00+01:00"},
		{"before 1970", timesync.FromTime(time.Date(1950, 6, 1, 12, 0, 0, 0, time.UTC)), "1950-06-01T13:00:00+01:00"},
		{"Brussels mean time is written in UTC", timesync.FromTime(time.Date(1880, 6, 1, 12, 0, 0, 0, time.UTC)), "1880-06-01T12:00:00Z"},
		{"after the table", timesync.FromTime(time.Date(2300, 7, 1, 12, 0, 0, 0, time.UTC)), "2300-07-01T14:00:00+02:00"},
		{"zero", timesync.Timestamp{}, "(no time)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ts.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int64
		wantErr bool
	}{
		{"Brussels offset", "2026-10-25T02:30:00+01:00", 1792891800, false},
		{"UTC", "2026-10-25T01:30:00Z", 1792891800, false},
		{"other offset", "2026-10-24T21:30:00-04:00", 1792891800, false},
		{"fraction refused", "2026-10-25T01:30:00.5Z", 0, true},
		{"zero fraction refused too", "2026-10-25T01:30:00.000Z", 0, true},
		{"no offset", "2026-10-25T01:30:00", 0, true},
		{"space instead of T", "2026-10-25 01:30:00Z", 0, true},
		{"hour 24", "2026-10-25T24:00:00Z", 0, true},
		{"30 February", "2026-02-30T10:00:00Z", 0, true},
		{"empty", "", 0, true},
		{"garbage", "yesterday at noon", 0, true},
		{"one-digit hour with fraction", "2026-10-25T2:30:00.5Z", 0, true},
		{"one-digit hour", "2026-10-25T2:30:00+01:00", 0, true},
		{"offset +24:00", "2026-10-25T02:30:00+24:00", 0, true},
		{"offset without colon", "2026-10-25T02:30:00+0100", 0, true},
		{"lower-case z", "2026-10-25T01:30:00z", 0, true},
		{"year 1 is an instant", "0001-01-01T00:00:00Z", -62135596800, false},
		{"year 10000 in UTC", "9999-12-31T23:59:59-01:00", 0, true},
		{"before year 0 in UTC", "0000-01-01T00:00:00+01:00", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := timesync.ParseTimestamp(tt.in)
			if tt.wantErr {
				if !errors.Is(err, timesync.ErrTimestampSyntax) {
					t.Fatalf("ParseTimestamp(%q) error = %v, want ErrTimestampSyntax", tt.in, err)
				}
				var pe *timesync.ParseError
				if !errors.As(err, &pe) || pe.Input != tt.in {
					t.Errorf("error %v is not a *ParseError naming the input", err)
				}
				return
			}
			if err != nil || ts.Unix() != tt.want {
				t.Fatalf("ParseTimestamp(%q) = %d, %v; want %d", tt.in, ts.Unix(), err, tt.want)
			}
		})
	}
}

func TestTimestampJSON(t *testing.T) {
	type record struct {
		Received timesync.Timestamp `json:"received"`
		Answered timesync.Timestamp `json:"answered"`
	}
	in := record{Received: timesync.Unix(1792891800)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"received":"2026-10-25T02:30:00+01:00","answered":""}`; string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	var out record
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v; want %+v", out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"received":"2026-10-25T02:30:00.1+01:00"}`), &out); !errors.Is(err, timesync.ErrTimestampSyntax) {
		t.Errorf("fractional JSON: err = %v", err)
	}
}

func TestTimestampOutOfRange(t *testing.T) {
	ts := timesync.FromTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := ts.MarshalText(); !errors.Is(err, timesync.ErrTimestampRange) {
		t.Errorf("year 10000: MarshalText err = %v, want ErrTimestampRange", err)
	}
	// The last hour of 9999 UTC is year 10000 in Brussels: written in UTC.
	late := timesync.FromTime(time.Date(9999, 12, 31, 23, 30, 0, 0, time.UTC))
	if s := late.String(); s != "9999-12-31T23:30:00Z" {
		t.Errorf("late String() = %q", s)
	}
	if back, err := timesync.ParseTimestamp(late.String()); err != nil || back != late {
		t.Errorf("late round trip: %v, %v", back, err)
	}
}

func TestTimestampArithmetic(t *testing.T) {
	a := timesync.Unix(1000)
	b := a.Add(1500 * time.Millisecond)
	if b.Unix() != 1001 {
		t.Errorf("Add(1.5s) = %d, want 1001 (truncated)", b.Unix())
	}
	if d := b.Sub(a); d != time.Second {
		t.Errorf("Sub = %v", d)
	}
	if !a.Before(b) || !b.After(a) || a.Compare(a) != 0 {
		t.Error("ordering wrong")
	}
	if got := a.Add(-1500 * time.Millisecond).Unix(); got != 998 {
		t.Errorf("Add(-1.5s) = %d, want 998 (toward the past)", got)
	}
	var zero timesync.Timestamp
	if !zero.Before(timesync.Unix(-1 << 40)) {
		t.Error("zero Timestamp must sort first")
	}
	if !zero.Add(time.Hour).IsZero() {
		t.Error("zero + 1h must stay zero")
	}
	year1 := timesync.Unix(-62135596800) // 0001-01-01T00:00:00Z
	if year1.Add(0).IsZero() || timesync.Unix(-62135596799).Add(-time.Second).IsZero() {
		t.Error("Add landing on 0001-01-01T00:00:00Z gave the zero Timestamp")
	}
	if d := timesync.Unix(0).Sub(timesync.Unix(-1e10)); d != time.Duration(1<<63-1) {
		t.Errorf("Sub over 292 years = %v, want saturation", d)
	}
	if off, abbr := zero.Offset(); off != 0 || abbr != "" {
		t.Errorf("zero Offset() = %d %q", off, abbr)
	}
}

// Property: Parse(String(ts)) == ts, and MarshalText/UnmarshalText agree.
func TestTimestampRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ts := timesynctest.Timestamp().Draw(t, "ts")
		back, err := timesync.ParseTimestamp(ts.String())
		if err != nil || back != ts {
			t.Fatalf("ParseTimestamp(%q) = %v, %v", ts.String(), back, err)
		}
		text, err := ts.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var u timesync.Timestamp
		if err := u.UnmarshalText(text); err != nil || u != ts {
			t.Fatalf("UnmarshalText(%q) = %v, %v", text, u, err)
		}
	})
}

// Property: truncation never moves a time forward and loses less than one
// second.
func TestTruncationNeverMovesForwardProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := timesynctest.Instant().Draw(t, "instant")
		got := timesync.FromTime(in).Time()
		if got.After(in) {
			t.Fatalf("FromTime(%v) = %v moved forward", in, got)
		}
		if in.Sub(got) >= time.Second {
			t.Fatalf("FromTime(%v) = %v lost a second or more", in, got)
		}
	})
}

// Property: the fast formatter agrees with the time package's RFC 3339 in
// Brussels over the generators' span, and round-trips far beyond the offset
// table, from year 1 to 9999.
func TestAppendTextMatchesTimePackageProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := timesynctest.Instant().Draw(t, "instant")
		ts := timesync.FromTime(in)
		want := in.Truncate(time.Second).In(timesync.Brussels()).Format(time.RFC3339)
		if got := ts.String(); got != want {
			t.Fatalf("%v: String() = %q, time package says %q", in, got, want)
		}
		off, abbr := ts.Offset()
		wantAbbr, wantOff := ts.Brussels().Zone()
		if off != wantOff || abbr != wantAbbr {
			t.Fatalf("%v: Offset() = %d %s, want %d %s", in, off, abbr, wantOff, wantAbbr)
		}
	})
	rapid.Check(t, func(t *rapid.T) {
		ts := timesync.Unix(rapid.Int64Range(-62135596799, 253402300799-7200).Draw(t, "unix"))
		back, err := timesync.ParseTimestamp(ts.String())
		if err != nil || back != ts {
			t.Fatalf("%d: ParseTimestamp(%q) = %v, %v", ts.Unix(), ts.String(), back, err)
		}
	})
}

// DisplayLayout writes a time as people read it, to the second, with the
// Brussels offset; time.Parse reads the same instant back, on both sides
// of each change of the clocks.
func TestDisplayLayout(t *testing.T) {
	tests := []struct {
		name string
		ts   timesync.Timestamp
		want string
	}{
		{"winter", timesync.MustParseTimestamp("2026-01-15T13:04:05Z"), "2026-01-15 14:04:05 +01:00"},
		{"summer", timesync.MustParseTimestamp("2026-07-15T13:04:05Z"), "2026-07-15 15:04:05 +02:00"},
		{"first 02:30 of 25 October", timesync.MustParseTimestamp("2026-10-25T00:30:00Z"), "2026-10-25 02:30:00 +02:00"},
		{"second 02:30 of 25 October", timesync.MustParseTimestamp("2026-10-25T01:30:00Z"), "2026-10-25 02:30:00 +01:00"},
		{"first second after the spring change", timesync.MustParseTimestamp("2026-03-29T01:00:00Z"), "2026-03-29 03:00:00 +02:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.ts.Format(timesync.DisplayLayout)
			if got != tt.want {
				t.Errorf("Format(DisplayLayout) = %q, want %q", got, tt.want)
			}
			back, err := time.Parse(timesync.DisplayLayout, got)
			if err != nil || !back.Equal(tt.ts.Time()) {
				t.Errorf("time.Parse(DisplayLayout, %q) = %v, %v; want %v", got, back, err, tt.ts.Time())
			}
		})
	}
}

// One format per language for the dates people read: ISO in English,
// the Belgian numeric forms in French, Dutch and German.
func TestDisplay(t *testing.T) {
	ts := timesync.MustParseTimestamp("2026-10-25T02:30:00+01:00")
	d := timesync.MustParseDay("2026-01-05")
	for _, tc := range []struct {
		name, lang, stamp, day, month string
	}{
		{"English", "en", "2026-10-25 02:30:00 +01:00", "2026-01-05", "2026-01"},
		{"English elsewhere", "en-GB", "2026-10-25 02:30:00 +01:00", "2026-01-05", "2026-01"},
		{"French", "fr-BE", "25/10/2026 02:30:00 +01:00", "05/01/2026", "01/2026"},
		{"Dutch", "nl", "25/10/2026 02:30:00 +01:00", "05/01/2026", "01/2026"},
		{"German", "de", "25.10.2026 02:30:00 +01:00", "05.01.2026", "01.2026"},
		{"a language ccjkit does not speak", "es", "2026-10-25 02:30:00 +01:00", "2026-01-05", "2026-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tag := language.MustParse(tc.lang)
			if got := ts.Display(tag); got != tc.stamp {
				t.Errorf("Display: %q, want %q", got, tc.stamp)
			}
			if got := timesync.DisplayDay(d, tag); got != tc.day {
				t.Errorf("DisplayDay: %q, want %q", got, tc.day)
			}
			if got := timesync.DisplayMonth(2026, time.January, tag); got != tc.month {
				t.Errorf("DisplayMonth: %q, want %q", got, tc.month)
			}
		})
	}
	if got := (timesync.Timestamp{}).Display(language.French); got != "—" {
		t.Errorf("the zero Timestamp: %q", got)
	}
}
