package ccj_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
)

func FuzzReadICalendar(f *testing.F) {
	c := sampleCell(f)
	var b bytes.Buffer
	if err := c.WriteICalendar(&b, time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	f.Add("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Europe/Brussels:20261025T023000\r\nDTEND:20261025T070000Z\r\nSUMMARY:alice/bob\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		shifts, err := c.ReadICalendar(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ccj.ErrICalendar) {
				t.Fatalf("error %v does not wrap ErrICalendar", err)
			}
			return
		}
		for _, sh := range shifts {
			if !sh.End.After(sh.Start) {
				t.Fatalf("accepted a shift that ends before it starts: %+v", sh)
			}
			if _, ok := c.Member(sh.Primary); !ok {
				t.Fatalf("accepted an unknown primary %q", sh.Primary)
			}
		}
		// What was read writes and reads back the same, the same shift
		// twice as one event; two different shifts of one member from one
		// instant cannot be written (they would share a UID).
		var unique []ccj.Shift
		clash := false
		for _, s := range shifts {
			if slices.ContainsFunc(unique, func(u ccj.Shift) bool {
				return u.Start.Equal(s.Start) && u.End.Equal(s.End) && u.Primary == s.Primary && u.Backup == s.Backup
			}) {
				continue
			}
			clash = clash || slices.ContainsFunc(unique, func(u ccj.Shift) bool { return u.Start.Equal(s.Start) && u.Primary == s.Primary })
			unique = append(unique, s)
		}
		c2 := c
		c2.Shifts = shifts
		var out bytes.Buffer
		err = c2.WriteICalendar(&out, time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC))
		if clash {
			if !errors.Is(err, ccj.ErrICalendar) {
				t.Fatalf("two shifts of one member from one instant written: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := c2.ReadICalendar(&out)
		if err != nil || len(back) != len(unique) {
			t.Fatalf("re-read: %d shifts for %d, %v", len(back), len(unique), err)
		}
	})
}
