package provenance_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
)

func TestCertaintyText(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    provenance.Certainty
		text string
	}{
		{"unverified is the zero value", 0, "U"},
		{"secondary", provenance.Secondary, "S"},
		{"verified", provenance.Verified, "V"},
		{"technical", provenance.Technical, "T"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.c.MarshalText()
			if err != nil || string(b) != tc.text {
				t.Fatalf("MarshalText = %q, %v; want %q", b, err, tc.text)
			}
			var back provenance.Certainty
			if err := back.UnmarshalText(b); err != nil || back != tc.c {
				t.Fatalf("UnmarshalText(%q) = %v, %v", b, back, err)
			}
		})
	}
	var c provenance.Certainty
	if err := c.UnmarshalText([]byte("X")); !errors.Is(err, provenance.ErrUnknownValue) {
		t.Errorf("UnmarshalText(X) = %v, want ErrUnknownValue", err)
	}
	if _, err := provenance.Certainty(9).MarshalText(); !errors.Is(err, provenance.ErrUnknownValue) {
		t.Errorf("MarshalText(9) = %v, want ErrUnknownValue", err)
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []provenance.Severity{provenance.Info, provenance.Warning, provenance.Error} {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back provenance.Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip of %v: %v, %v", s, back, err)
		}
	}
	var s provenance.Severity
	if err := s.UnmarshalText([]byte("fatal")); !errors.Is(err, provenance.ErrUnknownValue) {
		t.Errorf("UnmarshalText(fatal) = %v", err)
	}
	if _, err := provenance.Severity(7).MarshalText(); !errors.Is(err, provenance.ErrUnknownValue) {
		t.Errorf("MarshalText(7) = %v", err)
	}
}

var errSentinel = errors.New("test: sentinel")

func finding(sev provenance.Severity, rule string) provenance.Finding {
	return provenance.Finding{Rule: rule, Severity: sev, Field: "targets[0]",
		Source: provenance.Rule(rule), Err: errSentinel, Message: provenance.Text("why")}
}

func TestFindingJSONRoundTrip(t *testing.T) {
	f := finding(provenance.Warning, "r1")
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back provenance.Finding
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	f.Err = nil // not encoded
	if diff := cmp.Diff(f, back, cmp.Comparer(func(a, b provenance.Message) bool {
		return a.Text(language.English) == b.Text(language.English)
	})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fs     []provenance.Finding
		err    bool
		unwrap int
	}{
		{"no findings", nil, false, 0},
		{"warnings only", []provenance.Finding{finding(provenance.Warning, "w"), finding(provenance.Info, "i")}, false, 0},
		{"one error among warnings", []provenance.Finding{finding(provenance.Warning, "w"), finding(provenance.Error, "e")}, true, 1},
		{"two errors", []provenance.Finding{finding(provenance.Error, "e1"), finding(provenance.Error, "e2")}, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := provenance.Check("test", tc.fs)
			if (err != nil) != tc.err {
				t.Fatalf("Check = %v, want error %v", err, tc.err)
			}
			if err == nil {
				return
			}
			var ps *provenance.Problems
			if !errors.As(err, &ps) || len(ps.Findings) != len(tc.fs) {
				t.Fatalf("errors.As *Problems: %v", err)
			}
			if !errors.Is(err, errSentinel) {
				t.Error("errors.Is does not find the sentinel")
			}
			var f provenance.Finding
			if !errors.As(err, &f) || f.Severity != provenance.Error {
				t.Errorf("errors.As Finding = %v", f)
			}
			if n := len(ps.Unwrap()); n != tc.unwrap {
				t.Errorf("Unwrap has %d errors, want %d", n, tc.unwrap)
			}
		})
	}
}

func TestWorst(t *testing.T) {
	if _, ok := provenance.Worst(nil); ok {
		t.Error("Worst(nil) reports a severity")
	}
	if w, _ := provenance.Worst([]provenance.Finding{finding(provenance.Info, "i"), finding(provenance.Warning, "w")}); w != provenance.Warning {
		t.Errorf("Worst = %v", w)
	}
}

// A finding read back from JSON is read strictly: its rule and severity
// are required, and no unknown field passes.
func TestFindingJSONIsStrict(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"severity missing", `{"rule":"r","source":{"instrument":"x","certainty":"V"}}`},
		{"rule missing", `{"severity":"error","source":{"instrument":"x","certainty":"V"}}`},
		{"unknown field", `{"rule":"r","severity":"error","source":{"instrument":"x","certainty":"V"},"extra":1}`},
		{"unknown severity", `{"rule":"r","severity":"fatal","source":{"instrument":"x","certainty":"V"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f provenance.Finding
			if err := json.Unmarshal([]byte(tc.in), &f); err == nil {
				t.Errorf("accepted: %+v", f)
			}
		})
	}
	b, err := json.Marshal(&provenance.Problems{What: "w", Findings: []provenance.Finding{finding(provenance.Error, "e")}})
	if err != nil || !strings.HasPrefix(string(b), `{"what":"w","findings":[`) {
		t.Errorf("Problems in JSON: %s, %v", b, err)
	}
}

// A text is in force from its first day to the day before Until; an open
// bound is no bound.
func TestSourceInForce(t *testing.T) {
	from, until := date.New(2017, 1, 27), date.New(2022, 8, 1)
	for _, tc := range []struct {
		name string
		s    provenance.Source
		day  date.Date
		want bool
	}{
		{"the first day", provenance.Source{From: from}, from, true},
		{"the day before", provenance.Source{From: from}, from - 1, false},
		{"the last day", provenance.Source{From: from, Until: until}, until - 1, true},
		{"the until day", provenance.Source{From: from, Until: until}, until, false},
		{"open on both sides", provenance.Source{}, date.New(1900, 1, 1), true},
		{"open start", provenance.Source{Until: from}, date.New(2015, 6, 1), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.InForce(tc.day); got != tc.want {
				t.Errorf("InForce(%s) = %v", tc.day, got)
			}
		})
	}
	s := provenance.Source{Instrument: "Code d'instruction criminelle", Article: "art. 88bis", Certainty: provenance.Verified, Until: from}
	if got, want := s.String(), "Code d'instruction criminelle art. 88bis in force until 2017-01-26 [V]"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

// Only an unverified source caps a finding at a warning.
func TestMaxSeverity(t *testing.T) {
	for c, want := range map[provenance.Certainty]provenance.Severity{
		provenance.Verified: provenance.Error, provenance.Secondary: provenance.Error,
		provenance.Technical: provenance.Error, provenance.Unverified: provenance.Warning,
		provenance.Certainty(9): provenance.Warning,
	} {
		if got := provenance.MaxSeverity(c); got != want {
			t.Errorf("MaxSeverity(%v) = %v, want %v", c, got, want)
		}
	}
}
