package strict_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
	"github.com/ccjkit/ccjkit/timesync"
)

func TestBelgianTime(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"winter", "2026-01-15T10:00:00+01:00", true},
		{"summer", "2026-07-15T10:00:00+02:00", true},
		{"the autumn hour, first", "2026-10-25T02:30:00+02:00", true},
		{"the autumn hour, second", "2026-10-25T02:30:00+01:00", true},
		{"summer offset in winter", "2026-01-15T10:00:00+02:00", false},
		{"UTC", "2026-01-15T09:00:00Z", false},
		{"another zone", "2026-01-15T04:00:00-05:00", false},
		{"a fraction", "2026-01-15T10:00:00.5+01:00", false},
		{"a day", "2026-01-15", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, why := strict.BelgianTime(tc.in)
			if (why == "") != tc.ok {
				t.Fatalf("BelgianTime(%q) = %v, %q", tc.in, ts, why)
			}
			if tc.ok && ts != timesync.MustParseTimestamp(tc.in) {
				t.Errorf("instant %v", ts)
			}
			if strings.Contains(why, tc.in[:4]) {
				t.Errorf("quotes the input: %s", why)
			}
		})
	}
}

func TestDevice(t *testing.T) {
	for in, ok := range map[string]bool{"bras-1": true, "": false, "a b": false, strings.Repeat("x", 64): true, strings.Repeat("x", 65): false, "é": false} {
		if strict.Device(in) != ok {
			t.Errorf("Device(%q) = %v", in, !ok)
		}
	}
}

func TestFindings(t *testing.T) {
	var f strict.Findings
	if f.Check("x") != nil || f.Len() != 0 {
		t.Fatal("no findings is no error")
	}
	sentinel := errors.New("bad")
	f.Add(strict.Line(3, "from"), "rule", "what is wrong", provenance.Rule("r"), sentinel)
	err := f.Check("x: input")
	var ps *provenance.Problems
	if !errors.As(err, &ps) || !errors.Is(err, sentinel) || ps.Findings[0].Field != "line 3, from" || strict.Line(2, "") != "line 2" {
		t.Errorf("err = %v", err)
	}
}
