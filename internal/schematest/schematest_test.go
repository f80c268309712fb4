package schematest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"

	"github.com/ccjkit/ccjkit/timesync"
)

// Kind is an enumeration of the test: its keys are the constants below.
type Kind string

// The kinds.
const (
	KindA Kind = "a"
	KindB Kind = "b"
)

// Doc is a format of the test.
type Doc struct {
	// Kind is what it is.
	Kind Kind               `json:"kind"`
	At   timesync.Timestamp `json:"at,omitzero"`
	Note string             `json:"note,omitempty"`
}

func spec(t testing.TB, required []string) Spec {
	return Spec{
		ID: "https://example.org/doc.schema.json", Roots: []any{Doc{}},
		Types:    map[reflect.Type]*jsonschema.Schema{reflect.TypeFor[Kind](): Enum("", Strings([]Kind{KindA, KindB})...)},
		Required: map[string][]string{"": required},
		Comments: [][2]string{{"github.com/ccjkit/ccjkit/internal/schematest", "."}},
	}
}

// Generate makes a schema with the struct's fields and no other, the
// enumeration's keys, the required fields, the descriptions of the doc
// comments and only the definitions it refers to; the schema validates.
func TestGenerate(t *testing.T) {
	b, err := Generate(spec(t, []string{"kind"}))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Defs       map[string]map[string]any `json:"$defs"`
		Properties map[string]map[string]any `json:"properties"`
		Required   []string                  `json:"required"`
		Additional bool                      `json:"additionalProperties"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Properties) != 3 || got.Additional || !reflect.DeepEqual(got.Required, []string{"kind"}) {
		t.Errorf("%s", b)
	}
	if e := got.Defs["Kind"]["enum"]; !reflect.DeepEqual(e, []any{"a", "b"}) {
		t.Errorf("enum %v", e)
	}
	if len(got.Defs) != 2 || got.Properties["kind"]["description"] != "Kind is what it is." {
		t.Errorf("definitions or descriptions: %s", b)
	}
	s, err := Compile(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		doc string
		ok  bool
	}{
		{`{"kind": "a", "at": "2026-11-23T10:00:00+01:00"}`, true},
		{`{"kind": "c"}`, false},
		{`{"at": "2026-11-23T10:00:00+01:00"}`, false},
		{`{"kind": "a", "other": 1}`, false},
		{`{"kind": "a", "at": "2026-11-23T10:00:00.5+01:00"}`, false},
	} {
		if err := s.Validate([]byte(tc.doc)); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.doc, err)
		}
	}
	if _, err := Generate(spec(t, []string{"knd"})); err == nil || !strings.Contains(err.Error(), "knd") {
		t.Errorf("a required field that is no property: %v", err)
	}
}

// Consts reads the string constants of a type from a package's source.
func TestConsts(t *testing.T) {
	if got := Consts(t, "../../ccj", "Role"); !reflect.DeepEqual(got, []string{"member", "third-party"}) {
		t.Errorf("%q", got)
	}
}

func TestCommentBase(t *testing.T) {
	for _, tc := range []struct{ path, dir, want string }{
		{"github.com/x/y/a", ".", "github.com/x/y/a"},
		{"github.com/x/y/a", "../../a", "github.com/x/y/_/_"},
		{"github.com/x/y/a/b", "../a/b", "github.com/x/y/_"},
	} {
		got, err := commentBase(tc.path, tc.dir)
		if err != nil || got != tc.want {
			t.Errorf("%s %s: %q %v", tc.path, tc.dir, got, err)
		}
	}
	if _, err := commentBase("github.com/x/y/a", "../b"); err == nil {
		t.Error("a directory that is not the package's")
	}
}
