package main

import (
	"bytes"
	"os"
	"testing"
)

// The progress line counts in whole percents, rewrites itself in place,
// writes nothing twice, and ends with a newline only when it wrote.
func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reports [][2]int64 // done, total
		want    string
	}{
		{"to the end", [][2]int64{{0, 200}, {100, 200}, {101, 200}, {200, 200}}, "\rverifying: 0 %\rverifying: 50 %\rverifying: 100 %\n"},
		{"a length unknown", [][2]int64{{10, -1}, {20, -1}}, ""},
		{"nothing read", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			p := &progress{w: &b, what: "verifying"}
			for _, r := range tc.reports {
				p.report(r[0], r[1])
			}
			p.end()
			if b.String() != tc.want {
				t.Errorf("%q, want %q", b.String(), tc.want)
			}
		})
	}
	var none *progress
	none.end() // a nil progress line ends quietly
}

// No progress line is written where nobody watches: to a buffer, to a
// file, or with -json.
func TestNoProgressLine(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		name string
		s    *session
	}{
		{"a buffer", &session{err: &bytes.Buffer{}}},
		{"a file", &session{err: f}},
		{"-json", &session{err: os.Stderr, asJSON: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p := tc.s.progressLine("verifying"); p != nil {
				t.Error("a progress line")
			}
		})
	}
}
