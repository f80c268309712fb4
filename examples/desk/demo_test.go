package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// desk demo prints a PDF's path only when the file stays: with -keep DIR
// (made if it does not exist, parents included) the paths it prints are
// files that exist after it ends; without, it prints none.
func TestDemoOutputsStay(t *testing.T) {
	for _, tc := range []struct {
		name string
		keep bool
	}{
		{"a temporary directory: no path printed", false},
		{"-keep a directory that does not exist yet", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"demo"}
			dir := filepath.Join(t.TempDir(), "not", "yet")
			if tc.keep {
				args = append(args, "-keep", dir)
			}
			out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var paths []string
			for _, line := range strings.Split(out, "\n") {
				if p, ok := strings.CutPrefix(line, "PDF: "); ok && strings.HasSuffix(p, ".pdf") {
					paths = append(paths, p)
				}
			}
			if !tc.keep {
				if len(paths) != 0 || !strings.Contains(out, "-keep DIR") {
					t.Errorf("paths printed for files that are gone: %v", paths)
				}
				return
			}
			if len(paths) == 0 {
				t.Fatalf("no PDF path printed:\n%s", out)
			}
			for _, p := range paths {
				if b, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.HasPrefix(p, dir) {
					t.Errorf("%s: %v", p, err)
				}
			}
		})
	}
}
