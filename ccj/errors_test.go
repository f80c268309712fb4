package ccj_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// failingWriter fails every write.
type failingWriter struct{}

var errDisk = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDisk }

// Every error an exported function of ccj returns wraps one of its
// sentinels, and the lists of problems are *provenance.Problems.
func TestErrors(t *testing.T) {
	c := sampleCell(t)
	bad := patternCell(t)
	bad.Patterns[2].Start = "25:00"
	for _, tc := range []struct {
		name     string
		call     func() error
		sentinel error
		problems bool // a *provenance.Problems
	}{
		{"NewShift in the spring gap", func() error {
			_, err := ccj.NewShift("2026-03-29 02:30", "2026-03-29 08:00", "alice", "")
			if !errors.Is(err, timesync.ErrNonexistent) {
				return fmt.Errorf("not timesync.ErrNonexistent: %w", err)
			}
			return err
		}, ccj.ErrRota, false},
		{"NewShift backwards", func() error {
			_, err := ccj.NewShift("2026-03-29 08:00", "2026-03-29 07:00", "alice", "")
			return err
		}, ccj.ErrRota, false},
		{"NewShift without primary", func() error {
			_, err := ccj.NewShift("2026-03-29 08:00", "2026-03-29 09:00", "", "")
			return err
		}, ccj.ErrRota, false},
		{"Expand over a reversed window", func() error {
			_, err := ccj.Expand(dailyPatterns(), date.New(2026, 1, 2), date.New(2026, 1, 1))
			return err
		}, ccj.ErrWindow, false},
		{"Expand of a bad pattern", func() error {
			_, err := ccj.Expand(bad.Patterns, date.New(2026, 1, 1), date.New(2026, 1, 31))
			return err
		}, ccj.ErrPattern, true},
		{"Cell.Expand over eleven years", func() error {
			_, err := bad.Expand(brussels("2026-01-01 00:00"), brussels("2037-01-01 00:00"))
			return err
		}, ccj.ErrWindow, false},
		{"Cell.Expand of a bad pattern", func() error {
			_, err := bad.Expand(brussels("2026-01-01 00:00"), brussels("2026-02-01 00:00"))
			return err
		}, ccj.ErrPattern, true},
		{"Cell.Check of a bad pattern", func() error { return bad.Check(brussels("2026-01-01 00:00")) }, ccj.ErrPattern, true},
		{"Cell.Check of an empty cell", func() error { return ccj.Cell{}.Check(brussels("2026-01-01 00:00")) }, ccj.ErrMember, true},
		{"DecodeCell of a broken file", func() error {
			_, err := ccj.DecodeCell([]byte(`{"members": 3}`))
			return err
		}, ccj.ErrDecode, true},
		{"ReadICalendar of no calendar", func() error {
			_, err := c.ReadICalendar(strings.NewReader("BEGIN:VCARD"))
			return err
		}, ccj.ErrICalendar, true},
		{"WriteICalendar with patterns", func() error { return bad.WriteICalendar(io.Discard, brussels("2026-01-01 00:00")) }, ccj.ErrICalendar, false},
		{"WriteICalendar to a failing writer", func() error {
			err := c.WriteICalendar(failingWriter{}, brussels("2026-01-01 00:00"))
			if !errors.Is(err, errDisk) {
				return fmt.Errorf("the writer's error is lost: %w", err)
			}
			return err
		}, ccj.ErrWrite, false},
		{"ContactSheet to a failing writer", func() error {
			err := c.ContactSheet(failingWriter{}, brussels("2026-01-01 00:00"), language.French)
			if !errors.Is(err, errDisk) {
				return fmt.Errorf("the writer's error is lost: %w", err)
			}
			return err
		}, ccj.ErrWrite, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("err = %v, want %v", err, tc.sentinel)
			}
			var p *provenance.Problems
			if errors.As(err, &p) != tc.problems {
				t.Errorf("errors.As *provenance.Problems = %v, want %v: %v", !tc.problems, tc.problems, err)
			}
			if tc.problems {
				var f provenance.Finding
				if !errors.As(err, &f) || !errors.Is(f, tc.sentinel) {
					t.Errorf("errors.As Finding: %+v", f)
				}
			}
		})
	}
}
