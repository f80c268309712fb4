package etsi

import (
	"testing"
	"time"
)

func TestParseGeneralized(t *testing.T) {
	tests := []struct {
		name, in string
		want     time.Time
		ok       bool
	}{
		{"seconds", "20261123093000Z", time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC), true},
		{"milliseconds as OpenLI writes", "20231114221320.123Z", time.Date(2023, 11, 14, 22, 13, 20, 123e6, time.UTC), true},
		{"microseconds as we write", "20261123093000.000123Z", time.Date(2026, 11, 23, 9, 30, 0, 123e3, time.UTC), true},
		{"comma", "20261123093000,5Z", time.Date(2026, 11, 23, 9, 30, 0, 5e8, time.UTC), true},
		{"nanoseconds would not survive re-encoding", "20261123093000.123456789Z", time.Time{}, false},
		{"local time", "20261123093000", time.Time{}, false},
		{"offset", "20261123093000+0100", time.Time{}, false},
		{"30 February", "20260230093000Z", time.Time{}, false},
		{"hour 24", "20261123240000Z", time.Time{}, false},
		{"empty fraction", "20261123093000.Z", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseGeneralized([]byte(tt.in))
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("%s: parseGeneralized(%q) = %v, %v; want %v, %v", tt.name, tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
