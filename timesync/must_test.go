package timesync_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ccjkit/ccjkit/timesync"
)

// TestMustParse checks that each MustParse function returns what its Parse
// function returns, and panics with the Parse function's error otherwise.
func TestMustParse(t *testing.T) {
	tests := []struct {
		name    string
		parse   func() fmt.Stringer
		want    string // String() of the result, when no panic
		wantErr error  // the sentinel the panic's error wraps
		wantAs  any    // a pointer to the error type the panic carries
	}{
		{"Brussels winter", func() fmt.Stringer { return timesync.MustParseBrussels("2026-01-15 14:04", timesync.Strict) },
			"2026-01-15T14:04:00+01:00", nil, nil},
		{"Brussels autumn later", func() fmt.Stringer { return timesync.MustParseBrussels("25/10/2026 02:30", timesync.Later) },
			"2026-10-25T02:30:00+01:00", nil, nil},
		{"Brussels autumn with offset", func() fmt.Stringer {
			return timesync.MustParseBrussels("2026-10-25 02:30 CEST", timesync.Strict)
		}, "2026-10-25T02:30:00+02:00", nil, nil},
		{"Brussels ambiguous panics", func() fmt.Stringer { return timesync.MustParseBrussels("2026-10-25 02:30", timesync.Strict) },
			"", timesync.ErrAmbiguous, new(*timesync.WallClockError)},
		{"Brussels spring gap panics", func() fmt.Stringer { return timesync.MustParseBrussels("2026-03-29 02:30", timesync.Later) },
			"", timesync.ErrNonexistent, new(*timesync.WallClockError)},
		{"Brussels wrong offset panics", func() fmt.Stringer {
			return timesync.MustParseBrussels("2026-01-15 14:04 CEST", timesync.Strict)
		}, "", timesync.ErrOffsetMismatch, new(*timesync.WallClockError)},
		{"Brussels malformed panics", func() fmt.Stringer { return timesync.MustParseBrussels("2026-01-15", timesync.Strict) },
			"", timesync.ErrWallClockSyntax, new(*timesync.ParseError)},
		{"Brussels invalid fold panics", func() fmt.Stringer { return timesync.MustParseBrussels("2026-07-01 12:00", timesync.Fold(9)) },
			"", timesync.ErrInvalidFold, nil},

		{"Timestamp with offset", func() fmt.Stringer { return timesync.MustParseTimestamp("2026-10-25T02:30:00+01:00") },
			"2026-10-25T02:30:00+01:00", nil, nil},
		{"Timestamp in UTC", func() fmt.Stringer { return timesync.MustParseTimestamp("2026-10-25T00:30:00Z") },
			"2026-10-25T02:30:00+02:00", nil, nil},
		{"Timestamp fraction panics", func() fmt.Stringer { return timesync.MustParseTimestamp("2026-10-25T00:30:00.5Z") },
			"", timesync.ErrTimestampSyntax, new(*timesync.ParseError)},
		{"Timestamp without offset panics", func() fmt.Stringer { return timesync.MustParseTimestamp("2026-10-25T02:30:00") },
			"", timesync.ErrTimestampSyntax, new(*timesync.ParseError)},
		{"Timestamp empty panics", func() fmt.Stringer { return timesync.MustParseTimestamp("") },
			"", timesync.ErrTimestampSyntax, new(*timesync.ParseError)},

		{"WallClock ISO order", func() fmt.Stringer { return timesync.MustParseWallClock("2026-10-25 02:30") },
			"2026-10-25 02:30:00", nil, nil},
		{"WallClock Belgian order", func() fmt.Stringer { return timesync.MustParseWallClock("29/03/2026 02:30:15") },
			"2026-03-29 02:30:15", nil, nil},
		{"WallClock 30 February panics", func() fmt.Stringer { return timesync.MustParseWallClock("2026-02-30 12:00") },
			"", timesync.ErrWallClockSyntax, new(*timesync.ParseError)},
		{"WallClock with offset panics", func() fmt.Stringer { return timesync.MustParseWallClock("2026-10-25 02:30 CET") },
			"", timesync.ErrWallClockSyntax, new(*timesync.ParseError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, recovered := callRecover(tt.parse)
			if tt.wantErr == nil {
				if recovered != nil {
					t.Fatalf("panicked with %v, want %s", recovered, tt.want)
				}
				if got.String() != tt.want {
					t.Errorf("got %s, want %s", got, tt.want)
				}
				return
			}
			if recovered == nil {
				t.Fatalf("returned %s, want a panic wrapping %v", got, tt.wantErr)
			}
			err, ok := recovered.(error)
			if !ok {
				t.Fatalf("panicked with %T %v, want an error", recovered, recovered)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("panicked with %v, want an error wrapping %v", err, tt.wantErr)
			}
			if tt.wantAs != nil && !errors.As(err, tt.wantAs) {
				t.Errorf("panicked with %T, want %T", err, tt.wantAs)
			}
		})
	}
}

// callRecover calls f and returns its result, or what it panicked with.
func callRecover(f func() fmt.Stringer) (got fmt.Stringer, recovered any) {
	defer func() { recovered = recover() }()
	return f(), nil
}
