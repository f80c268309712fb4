package intercept_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/provenance"
)

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel in, and, where
// it lists problems, one errors.As finds a *provenance.Problems in.
func TestErrorsAreInspectable(t *testing.T) {
	badTarget := validTask()
	badTarget.Targets[0].Prefix = netip.MustParsePrefix("192.0.2.7/24")
	for _, tc := range []struct {
		name     string
		call     func() error
		is       error
		problems bool // errors.As finds a *provenance.Problems
	}{
		{"LIIDFromBytes: empty", func() error { _, err := intercept.LIIDFromBytes(nil); return err }, intercept.ErrLIID, false},
		{"LIIDFromBytes: too long", func() error { _, err := intercept.LIIDFromBytes(make([]byte, 26)); return err }, intercept.ErrLIID, false},
		{"ParseLIID: bad hexadecimal", func() error { _, err := intercept.ParseLIID("0xzz"); return err }, intercept.ErrLIID, false},
		{"ParseLIID: a space", func() error { _, err := intercept.ParseLIID("a b"); return err }, intercept.ErrLIID, false},
		{"LIID.MarshalText: zero", func() error { _, err := intercept.LIID{}.MarshalText(); return err }, intercept.ErrLIID, false},
		{"LIID.UnmarshalText: empty", func() error { var l intercept.LIID; return l.UnmarshalText(nil) }, intercept.ErrLIID, false},
		{"StreamKey.Validate: no LIID", func() error { return intercept.StreamKey{Stream: intercept.CC}.Validate() }, intercept.ErrLIID, false},
		{"StreamKey.Validate: unknown stream", func() error {
			return intercept.StreamKey{LIID: intercept.MustParseLIID("L"), Stream: 9}.Validate()
		}, intercept.ErrStream, false},
		{"Task.Validate: zero task", func() error { var k intercept.Task; return k.Validate() }, intercept.ErrTask, true},
		{"Task.Validate: zero task, its LIID", func() error { var k intercept.Task; return k.Validate() }, intercept.ErrLIID, true},
		{"Task.Validate: a target with host bits", badTarget.Validate, intercept.ErrTarget, true},
		{"Profile.Validate: zero profile", func() error { var p intercept.Profile; return p.Validate() }, intercept.ErrProfile, true},
		{"Belgium: zero profile", func() error { _, err := intercept.Belgium(intercept.Profile{}); return err }, intercept.ErrProfile, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var ps *provenance.Problems
			if got := errors.As(err, &ps); got != tc.problems {
				t.Errorf("errors.As *provenance.Problems = %v, want %v", got, tc.problems)
			}
			if tc.problems {
				var f provenance.Finding
				if !errors.As(err, &f) || f.Severity != provenance.Error || f.Field == "" || f.Source.Instrument == "" {
					t.Errorf("errors.As Finding = %+v", f)
				}
			}
		})
	}
}

// TestFindingsCiteTheirSource: a task's findings cite the article or the
// ETSI field their rule comes from, Verified only where ccjkit read the
// text; ccjkit's own rules say so.
func TestFindingsCiteTheirSource(t *testing.T) {
	var k intercept.Task
	var ps *provenance.Problems
	if !errors.As(k.Validate(), &ps) {
		t.Fatal("no *provenance.Problems")
	}
	if ps.What != "intercept: task" {
		t.Errorf("What = %q", ps.What)
	}
	want := map[string]provenance.Source{
		"ID":   provenance.Rule("task-id"),
		"LIID": {Instrument: "ETSI TS 102 232-1", Article: "PSHeader lawfulInterceptionIdentifier [1]"},
	}
	for _, f := range ps.Findings {
		if w, ok := want[f.Field]; ok && f.Source != w {
			t.Errorf("%s: source %v, want %v", f.Field, f.Source, w)
		}
		if f.Field == "NotBefore/NotAfter" || f.Field == "Targets" {
			if f.Source.Instrument != "Code d'instruction criminelle" || f.Source.Article != "art. 90quater §1" || f.Source.Certainty != provenance.Verified {
				t.Errorf("%s: source %v, want CIC art. 90quater §1 [V]", f.Field, f.Source)
			}
		}
		if !errors.Is(f, f.Err) || f.Err == nil {
			t.Errorf("%s: no sentinel", f.Field)
		}
	}
}
