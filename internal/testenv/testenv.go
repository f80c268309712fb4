// Package testenv lets tests that need a real peer program (chronyd, tshark,
// asn1Decoding, pdftotext) find it: locally a missing program skips the test
// with a message that names it; under CI (the CI environment variable set, as
// .ci/run is run) it fails the test, because .ci/run installs every such
// program and a skip there would hide a broken install step.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// LookPath returns the path of program, which the test needs. When the
// program is missing it skips the test, or fails it under CI. pkg names the
// Debian package that provides it.
func LookPath(t testing.TB, program, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	msg := program + " is not installed (Debian package " + pkg + "; .ci/run installs it)"
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but %s", msg)
	}
	t.Skip("skipping: " + msg)
	return ""
}
