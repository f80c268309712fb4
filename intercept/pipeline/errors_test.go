package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// failingSource is a capture or session source that fails at once.
type failingSource struct{ err error }

func (s failingSource) Capture(context.Context, func([]intercept.Packet)) error { return s.err }
func (failingSource) Stats() intercept.CaptureStats                             { return intercept.CaptureStats{} }
func (s failingSource) Sessions(context.Context, func(intercept.AccessEvent)) error {
	return s.err
}

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel in, and
// errors.As a *provenance.Problems where it lists findings.
func TestErrorsAreInspectable(t *testing.T) {
	enc, err := etsi.NewEncoder(itest.Profile(time.Minute, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(state string) pipeline.Config {
		return pipeline.Config{Agencies: map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: enc, Handover: &sink{}}},
			Clock: timesynctest.NewClock(t0), StatePath: state}
	}
	open := func(t *testing.T, state string) *pipeline.Pipeline {
		t.Helper()
		p, err := pipeline.New(cfg(state))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	brokenState := func(t *testing.T, body string) string {
		path := filepath.Join(t.TempDir(), "seq.json")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	errSource := errors.New("the source's own error")
	for _, tc := range []struct {
		name     string
		call     func(t *testing.T) error
		is       error
		problems bool // errors.As finds a *provenance.Problems
	}{
		{"New: no agency", func(*testing.T) error { _, err := pipeline.New(pipeline.Config{}); return err }, pipeline.ErrConfig, false},
		{"New: a state file with an unknown field", func(t *testing.T) error {
			_, err := pipeline.New(cfg(brokenState(t, `{"version":1,"streams":[],"extra":1}`)))
			return err
		}, pipeline.ErrState, true},
		{"New: a state file of another version", func(t *testing.T) error {
			_, err := pipeline.New(cfg(brokenState(t, `{"version":9,"streams":[]}`)))
			return err
		}, pipeline.ErrState, false},
		{"SetTasks: an invalid task", func(t *testing.T) error {
			return open(t, "").SetTasks([]intercept.Task{{}})
		}, intercept.ErrTask, true},
		{"SetTasks: an unknown agency", func(t *testing.T) error {
			tk := task(1, "L", t0, t0.Add(time.Hour), intercept.UsernameTarget("u"))
			tk.Agency = "nobody"
			return open(t, "").SetTasks([]intercept.Task{tk})
		}, pipeline.ErrTasks, false},
		{"SetTasks: after Close", func(t *testing.T) error {
			p := open(t, "")
			p.Close()
			return p.SetTasks(nil)
		}, pipeline.ErrClosed, false},
		{"HandleEvent: no session ID", func(t *testing.T) error {
			return open(t, "").HandleEvent(intercept.AccessEvent{Type: intercept.SessionStart, Time: t0})
		}, pipeline.ErrEvent, false},
		{"HandleEvent: after Close", func(t *testing.T) error {
			p := open(t, "")
			p.Close()
			return p.HandleEvent(intercept.AccessEvent{Type: intercept.SessionStart, Time: t0, SessionID: "s"})
		}, pipeline.ErrClosed, false},
		{"Run: the source's error", func(t *testing.T) error {
			return open(t, "").Run(t.Context(), failingSource{errSource})
		}, errSource, false},
		{"RunSessions: the source's error", func(t *testing.T) error {
			return open(t, "").RunSessions(t.Context(), failingSource{errSource})
		}, errSource, false},
		{"SaveState: an unwritable path", func(t *testing.T) error {
			return open(t, filepath.Join(t.TempDir(), "missing", "seq.json")).SaveState()
		}, pipeline.ErrState, false},
		{"Close: an unwritable path", func(t *testing.T) error {
			return open(t, filepath.Join(t.TempDir(), "missing", "seq.json")).Close()
		}, pipeline.ErrState, false},
		{"Static.Sessions: cancelled", func(*testing.T) error {
			return pipeline.Static{{SessionID: "s"}}.Sessions(cancelled, func(intercept.AccessEvent) {})
		}, context.Canceled, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var ps *provenance.Problems
			if got := errors.As(err, &ps); got != tc.problems {
				t.Errorf("errors.As *provenance.Problems = %v, want %v", got, tc.problems)
			}
		})
	}
}
