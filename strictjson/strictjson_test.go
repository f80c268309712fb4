package strictjson_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/strictjson"
)

type doc struct {
	Name  string   `json:"name"`
	Items []string `json:"items,omitempty"`
}

var errTest = errors.New("test: cannot decode")

// format is a test format of at most max bytes.
func format(max int) strictjson.Format {
	return strictjson.Format{What: "test: decode", Name: "test JSON", Err: errTest, Max: max}
}

// problems returns the "path: message" lines of a decoding error.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var ps *provenance.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("%v is not a *provenance.Problems", err)
	}
	var out []string
	for _, f := range ps.Findings {
		out = append(out, strings.TrimPrefix(f.Field+": "+f.Text(language.English), ": "))
	}
	return out
}

func TestDeepNestingIsRefusedQuickly(t *testing.T) {
	for _, in := range []string{strings.Repeat("[", 200000), strings.Repeat(`{"a":`, 200000), `{"items":` + strings.Repeat("[", 100) + `]}`} {
		start := time.Now()
		err := format(1<<20).Decode([]byte(in), &doc{})
		if !errors.Is(err, errTest) {
			t.Errorf("err = %v", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	}
}

func TestDecode(t *testing.T) {
	var d doc
	if err := format(100).Decode([]byte(`{"name":"x","items":["a"]}`), &d); err != nil || d.Name != "x" {
		t.Fatalf("%+v %v", d, err)
	}
	err := format(100).Decode([]byte(`{"name":1,"Name":"y","items":[null]}`), &d)
	got := strings.Join(problems(t, err), "\n")
	for _, want := range []string{"name: want a string", "Name: unknown field", "items[0]: null is not allowed"} {
		if !strings.Contains(got, want) {
			t.Errorf("%v lacks %q", got, want)
		}
	}
	if d.Name != "x" {
		t.Error("destination changed on error")
	}
}

// Every problem is a finding in the caller's name: rule "decode", error
// severity, the format's technical source, the caller's sentinel.
func TestProblemsAreTheCallersFindings(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		max  int
		n    int
	}{
		{"too big", `{"name":"x"}`, 4, 1},
		{"not UTF-8", "{\"name\":\"\xff\"}", 100, 1},
		{"not JSON", `{"name":`, 100, 1},
		{"trailing data", `{} {}`, 100, 1},
		{"two fields wrong", `{"name":1,"other":2}`, 100, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := format(tc.max).Decode([]byte(tc.in), &doc{})
			var ps *provenance.Problems
			if !errors.As(err, &ps) || ps.What != "test: decode" || len(ps.Findings) != tc.n {
				t.Fatalf("err = %#v", err)
			}
			if !errors.Is(err, errTest) {
				t.Errorf("%v does not wrap the caller's sentinel", err)
			}
			for _, f := range ps.Findings {
				if f.Rule != strictjson.Rule || f.Severity != provenance.Error || f.Source != provenance.Rule("test JSON") ||
					f.Source.Certainty != provenance.Technical || f.Text(language.French) == "" {
					t.Errorf("finding %+v", f)
				}
			}
		})
	}
	if err := format(100).Check(nil); err != nil {
		t.Errorf("Check(nil) = %v", err)
	}
	if err := format(100).Decode([]byte(`{}`), doc{}); !errors.Is(err, errTest) {
		t.Errorf("a destination that is not a pointer: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"name":"x","items":["a","b"]}`))
	f.Add([]byte(`[[[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		if err := format(1<<16).Decode(data, &d); err != nil {
			var ps *provenance.Problems
			if !errors.Is(err, errTest) || !errors.As(err, &ps) {
				t.Fatalf("error %v is not a *provenance.Problems wrapping the sentinel", err)
			}
		}
	})
}

// A key that may be secret (a phone number, an address) is never quoted,
// not even in the path of a problem found below it.
func TestSecretKeysAreNeverQuoted(t *testing.T) {
	for _, tc := range []struct {
		name, input string
	}{
		{"duplicate under a secret key", `{"notes": {"+32 475 12 34 56": {"a":1,"a":2}}}`},
		{"unknown field that is a secret", `{"+32 475 12 34 56": 1}`},
		{"null under a secret key", `{"x": {"+32 475 12 34 56": [null, {"b":1,"b":1}]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := format(1000).Decode([]byte(tc.input), &d)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "475") {
				t.Errorf("the error quotes a secret key: %v", err)
			}
		})
	}
}
