package timesync_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/timesync"
)

// Reports as chronyc 4.3 prints them (`chronyc -c -n tracking`), captured
// from chronyd runs on loopback.
const (
	chronyGPS      = "47505300,GPS,1,1795457769.675953800,-0.000002100,0.000000000,0.000000000,0.000,0.000,0.000,0.000000001,0.000000664,1.0,Normal\n"
	chronyLocal    = "7F7F0101,,1,1795457749.967187936,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,0.000000000,0.000000000,0.0,Normal\n"
	chronyUnsynced = "00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,1.000000000,1.000000000,0.0,Not synchronised\n"
	chronyStratum3 = "C0000201,192.0.2.1,3,1795457769.000000000,0.250000000,-0.000010000,0.000020000,-12.345,0.001,0.050,0.020000000,0.005000000,64.5,Insert second\n"
)

func TestParseChronyTracking(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want timesync.Sample
	}{
		{"GPS stratum 1", chronyGPS, timesync.Sample{
			Source: "chrony", Method: timesync.MethodChrony, Offset: -2100 * time.Nanosecond,
			Stratum: 1, ReferenceID: 0x47505300, Reference: "GPS", RootDelay: 1, RootDispersion: 664,
			Leap: timesync.LeapNone, ReferenceTime: time.Unix(1795457769, 675953800).UTC(),
		}},
		{"local clock", chronyLocal, timesync.Sample{
			Source: "chrony", Method: timesync.MethodChrony, Stratum: 1, ReferenceID: timesync.LocalClockID,
			Reference: "LOCAL", ReferenceTime: time.Unix(1795457749, 967187936).UTC(),
		}},
		{"unsynchronised", chronyUnsynced, timesync.Sample{
			Source: "chrony", Method: timesync.MethodChrony, Stratum: 0,
			RootDelay: time.Second, RootDispersion: time.Second, Leap: timesync.LeapUnsynchronised,
		}},
		{"stratum 3, leap announced, no newline", strings.TrimSpace(chronyStratum3), timesync.Sample{
			Source: "chrony", Method: timesync.MethodChrony, Offset: 250 * time.Millisecond,
			Stratum: 3, ReferenceID: 0xC0000201, Reference: "192.0.2.1",
			RootDelay: 20 * time.Millisecond, RootDispersion: 5 * time.Millisecond, Leap: timesync.LeapInsert,
			ReferenceTime: time.Unix(1795457769, 0).UTC(),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := timesync.ParseChronyTracking([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseChronyTrackingRejects(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		problems []string // each must appear in the error
	}{
		{"empty", "", []string{"want 14 fields, got 1"}},
		{"human output", "Reference ID    : 47505300 (GPS)\nStratum         : 1\n", []string{"one line"}},
		{"missing field", "47505300,GPS,1,1795457769.6,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"want 14 fields, got 13"}},
		{"extra field", chronyGPS[:len(chronyGPS)-1] + ",x", []string{"want 14 fields, got 15"}},
		{"all problems at once", "XYZ,GPS,17,abc,1e3,0.0,-1.0,0.0,0.0,NaN,-0.1,0.0,0.0,Maybe", []string{
			"reference ID", "stratum", "reference time", "system time offset", "RMS offset", "skew",
			"root delay", "leap status"}},
		{"hex float", "47505300,GPS,1,1795457769.6,0x1p-3,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"system time offset"}},
		{"plus sign", "47505300,GPS,1,1795457769.6,+0.5,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"system time offset"}},
		{"bare fraction", "47505300,GPS,1,1795457769.6,.5,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"system time offset"}},
		{"trailing point", "47505300,GPS,1,1795457769.,0.5,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"reference time"}},
		{"lone minus and empty", "47505300,GPS,1,1795457769.6,-,,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"system time offset", "last offset"}},
		{"spaces", "47505300,GPS, 1,1795457769.6,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"stratum"}},
		{"control character in name", "47505300,G\x00S,1,1795457769.6,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", []string{"reference name"}},
		{"huge", strings.Repeat("0", 5000), []string{"more than 4096"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := timesync.ParseChronyTracking([]byte(tt.in))
			if !errors.Is(err, timesync.ErrChronySyntax) {
				t.Fatalf("err = %v, want ErrChronySyntax", err)
			}
			var pe *timesync.ChronyParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%v is not a *ChronyParseError", err)
			}
			for _, p := range tt.problems {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not mention %q", err, p)
				}
			}
			if len(tt.problems) > 1 && len(pe.Problems) < len(tt.problems) {
				t.Errorf("%d problems reported, want at least %d: %q", len(pe.Problems), len(tt.problems), pe.Problems)
			}
		})
	}
}

func FuzzParseChronyTracking(f *testing.F) {
	for _, s := range []string{chronyGPS, chronyLocal, chronyUnsynced, chronyStratum3, "", ",,,,,,,,,,,,,"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := timesync.ParseChronyTracking(data)
		if err != nil {
			if !errors.Is(err, timesync.ErrChronySyntax) {
				t.Fatalf("error %v does not wrap ErrChronySyntax", err)
			}
			return
		}
		if s.Stratum < 0 || s.Stratum > 16 || s.RootDelay < 0 || s.RootDispersion < 0 || s.Method != timesync.MethodChrony {
			t.Fatalf("accepted an impossible sample %+v", s)
		}
		if !s.Synchronised() && s.Leap != timesync.LeapUnsynchronised {
			t.Fatalf("unsynchronised sample without the alarm leap: %+v", s)
		}
	})
}
