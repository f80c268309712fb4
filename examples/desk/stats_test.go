package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk stats: the threshold is an option, a period too small for a
// breakdown says so and keeps its total when that is safe, and the JSON
// gives every count in one shape.
func TestStatsThreshold(t *testing.T) {
	dir, identity := testDir(t)
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	common := []string{"-dir", dir, "-identity", identity}
	reqFile := filepath.Join(t.TempDir(), "req.json")
	os.WriteFile(reqFile, []byte(requisitionJSON), 0o600)
	if _, errs, code := desk(t, clock, append([]string{"receive"}, append(common, reqFile)...)...); code != exitOK {
		t.Fatalf("receive: %s", errs)
	}
	clock.Advance(time.Minute)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"the default threshold hides a single case", []string{"2026-11"}, exitOK, []string{"< 3"}},
		{"threshold 1 shows it", []string{"-threshold", "1", "2026-11"}, exitOK, []string{"traffic-location,1", "cases,all,1"}},
		{"a year", []string{"-threshold", "1", "2026"}, exitOK, []string{"cases,all,1"}},
		{"threshold 0 is bad input", []string{"-threshold", "0", "2026-11"}, exitInput, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"stats"}, common...)
			args = append(args, "-format", "csv")
			out, errs, code := desk(t, clock, append(args, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	out, errs, code := desk(t, clock, append([]string{"stats"}, append(common, "-json", "2026-11")...)...)
	if code != exitOK {
		t.Fatalf("stats -json: %s", errs)
	}
	var s struct {
		Cases struct {
			Value *int   `json:"value"`
			Text  string `json:"text"`
		} `json:"cases"`
		ByMeasure []struct {
			Count map[string]any `json:"count"`
		} `json:"by_measure"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Cases.Value != nil || s.Cases.Text != "< 3" {
		t.Fatalf("stats -json: %v %+v\n%s", err, s, out)
	}
	for _, r := range s.ByMeasure {
		if _, ok := r.Count["value"]; !ok || r.Count["text"] == nil {
			t.Errorf("a count not in the one shape: %v", r.Count)
		}
	}
}
