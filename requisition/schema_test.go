package requisition_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/invopop/jsonschema"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/internal/schematest"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/requisitiontest"
	"github.com/ccjkit/ccjkit/timesync"
)

// completeJSON is a complete requisition, as ExampleDecode_complete shows
// it and examples/desk/sample/requisition.json holds it.
const completeJSON = `{
  "reference": "NOT.2026/0418 JI Example",
  "measure": "traffic-location",
  "authority": "juge-instruction",
  "circumstance": "ordinary",
  "ordered": "2026-11-23T09:00:00+01:00",
  "received": "2026-11-23T10:00:00+01:00",
  "reasoned": true,
  "valid_until": "2026-12-23T00:00:00+01:00",
  "offences": ["90ter-fraud"],
  "items": ["traffic-records", "location-records"],
  "targets": [
    {"kind": "ip", "addr": "2001:db8::beef", "port": 51234, "from": "2026-11-20T00:00:00+01:00", "until": "2026-11-21T00:00:00+01:00"},
    {"kind": "username", "value": "example-user", "from": "2026-11-01T00:00:00+01:00", "until": "2026-11-23T00:00:00+01:00"}
  ],
  "response": {"kind": "at-stated-moment", "stated": "2026-11-27T17:00:00+01:00"}
}`

// schemaCheckedAt is when completeJSON is checked.
var schemaCheckedAt = timesync.MustParseBrussels("2026-11-23 10:05", timesync.Strict).Time()

// schemaSpec generates requisition.schema.json from the Go types and the
// library's key lists.
func schemaSpec(t testing.TB) schematest.Spec {
	enum := func(keys []string) *jsonschema.Schema { return schematest.Enum("", keys...) }
	return schematest.Spec{
		ID:    requisition.SchemaID,
		Title: "ccjkit requisition",
		Description: "A judicial requisition as the cell records it, the JSON that requisition.Decode reads. " +
			"Enumerations are keys; times are RFC 3339 to the second with their offset; desk values lists every key with its article.",
		Roots: []any{requisition.Requisition{}},
		Types: map[reflect.Type]*jsonschema.Schema{
			reflect.TypeFor[requisition.Measure]():         enum(schematest.Keys(t, requisition.Measures())),
			reflect.TypeFor[requisition.Authority]():       enum(schematest.Keys(t, requisition.Authorities())),
			reflect.TypeFor[requisition.Circumstance]():    enum(schematest.Keys(t, requisition.Circumstances())),
			reflect.TypeFor[requisition.Addressee]():       enum(schematest.Keys(t, requisition.Addressees())),
			reflect.TypeFor[requisition.CooperationKind](): enum(schematest.Keys(t, requisition.CooperationKinds())),
			reflect.TypeFor[requisition.Item]():            enum(schematest.Keys(t, requisition.Items())),
			reflect.TypeFor[requisition.TargetKind]():      enum(schematest.Keys(t, requisition.TargetKinds())),
			reflect.TypeFor[requisition.ResponseKind]():    enum(schematest.Keys(t, requisition.ResponseKinds())),
		},
		// The fields Validate reports as missing.
		Required: map[string][]string{
			"":               {"reference", "measure", "authority", "ordered", "received", "items", "targets", "response"},
			"Target":         {"kind"},
			"ResponsePolicy": {"kind"},
			"Office":         {"key", "name"},
		},
		Comments: [][2]string{{"github.com/ccjkit/ccjkit/requisition", "."}},
		Extend:   func(root *jsonschema.Schema) { extendSchema(t, root) },
	}
}

// extendSchema adds the bounds Decode sets, the offence catalogue, and
// the technical rules between fields that Validate checks, all from the
// library's data.
func extendSchema(t testing.TB, root *jsonschema.Schema) {
	n := func(v int) *uint64 { u := uint64(v); return &u }
	one := n(1)
	ref := schematest.Prop(root, "reference")
	ref.MinLength, ref.MaxLength = one, n(requisition.MaxReference)
	schematest.Prop(root, "targets").MaxItems = n(requisition.MaxTargets)
	schematest.Prop(root, "items").MaxItems = n(requisition.MaxItems)
	offences := schematest.Prop(root, "offences")
	offences.MaxItems = n(requisition.MaxOffences)
	var ids []string
	for _, o := range requisition.Offences() {
		ids = append(ids, o.ID)
	}
	offences.Items = schematest.Enum("An offence of the catalogue (desk values lists them with their articles).", ids...)

	is := func(prop string, value any) *jsonschema.Schema {
		s := &jsonschema.Schema{Properties: jsonschema.NewProperties(), Required: []string{prop}}
		s.Properties.Set(prop, &jsonschema.Schema{Const: value})
		return s
	}
	// The rules of the Code d'instruction criminelle (the items a measure
	// may ask for, its period, the offences an interception needs) are
	// not stated here: Validate judges them by the text in force on the
	// day of the order, and for the text after 2016, which ccjkit has not
	// retrieved, only warns. The schema states the technical rules only,
	// which hold whatever the day.
	target := schematest.Def(root, "Target")
	for _, k := range requisition.TargetKinds() {
		key := schematest.Keys(t, []requisition.TargetKind{k})[0]
		var then *jsonschema.Schema
		switch k {
		case requisition.TargetIP:
			then = &jsonschema.Schema{Required: []string{"addr", "from", "until"},
				Not: &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Required: []string{"prefix"}}, {Required: []string{"value"}}}}}
		case requisition.TargetPrefix:
			then = &jsonschema.Schema{Required: []string{"prefix", "from", "until"},
				Not: &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Required: []string{"addr"}}, {Required: []string{"port"}}, {Required: []string{"value"}}}}}
		default:
			then = &jsonschema.Schema{Required: []string{"value"},
				Not: &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Required: []string{"addr"}}, {Required: []string{"port"}}, {Required: []string{"prefix"}}}}}
		}
		target.AllOf = append(target.AllOf, &jsonschema.Schema{If: is("kind", key), Then: then})
	}
	value := schematest.Prop(target, "value")
	value.MinLength = one

	office := schematest.Def(root, "Office")
	schematest.Prop(office, "key").Pattern = `^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$`
	for _, f := range []string{"name", "address"} {
		schematest.Prop(office, f).MaxLength = n(requisition.MaxOfficeText)
	}
	schematest.Prop(office, "name").MinLength = one
	lang := schematest.Enum("One of Belgium's official languages.", requisition.OfficeLanguages()...)
	lang.Description = schematest.Prop(office, "language").Description
	office.Properties.Set("language", lang)

	resp := schematest.Def(root, "ResponsePolicy")
	stated := schematest.Keys(t, []requisition.ResponseKind{requisition.AtStatedMoment})[0]
	resp.AllOf = append(resp.AllOf, &jsonschema.Schema{If: is("kind", stated), Then: &jsonschema.Schema{Required: []string{"stated"}}})
}

// requisition.schema.json is generated from the Go types and the library's
// key lists; Schema serves it.
func TestSchema(t *testing.T) {
	have := schematest.Check(t, "requisition.schema.json", schemaSpec(t))
	if string(requisition.Schema()) != string(have) {
		t.Error("Schema does not return requisition.schema.json")
	}
	schematest.MustCompile(t, requisition.Schema())
}

// The complete example, every template, and every valid order the
// generators draw are accepted by the schema.
func TestSchemaAcceptsValid(t *testing.T) {
	s := schematest.MustCompile(t, requisition.Schema())
	if err := s.Validate([]byte(completeJSON)); err != nil {
		t.Errorf("the complete example: %v", err)
	}
	for _, m := range requisition.Measures() {
		r, err := requisition.Template(m, schemaCheckedAt)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := requisition.Encode(r)
		if err := s.Validate(b); err != nil {
			t.Errorf("template %s: %v", m, err)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		c := requisitiontest.Valid().Draw(t, "case")
		b, err := requisition.Encode(c.Requisition)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(b); err != nil {
			t.Fatalf("%s\n%v", b, err)
		}
	})
}

// What the schema refuses, Decode or Validate refuses too, each naming the
// field.
func TestSchemaRefuses(t *testing.T) {
	s := schematest.MustCompile(t, requisition.Schema())
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal([]byte(completeJSON), &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	target := func(m map[string]any) map[string]any { return m["targets"].([]any)[0].(map[string]any) }
	for _, tc := range []struct {
		name, field string
		doc         []byte
	}{
		{"unknown field", "shoe_size", edit(func(m map[string]any) { m["shoe_size"] = 42 })},
		{"unknown measure", "measure", edit(func(m map[string]any) { m["measure"] = "mind-reading" })},
		{"unknown offence", "offences[0]", edit(func(m map[string]any) { m["offences"] = []any{"90ter-jaywalking"} })},
		{"time without offset", "ordered", edit(func(m map[string]any) { m["ordered"] = "2026-11-23T09:00:00" })},
		{"ip target without its moment", "targets[0]", edit(func(m map[string]any) { delete(target(m), "from") })},
		{"ip target with a value", "targets[0]", edit(func(m map[string]any) { target(m)["value"] = "x" })},
		{"stated moment missing", "response.stated", edit(func(m map[string]any) { delete(m["response"].(map[string]any), "stated") })},
		{"username target with an address", "targets[1]", edit(func(m map[string]any) {
			m["targets"].([]any)[1].(map[string]any)["addr"] = "192.0.2.1"
		})},
		{"empty value", "targets[1]", edit(func(m map[string]any) { m["targets"].([]any)[1].(map[string]any)["value"] = "" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Validate(tc.doc); err == nil {
				t.Error("the schema accepts it")
			}
			r, err := requisition.Decode(tc.doc)
			if err != nil {
				if !strings.Contains(err.Error(), tc.field) {
					t.Errorf("Decode's error does not name %s: %v", tc.field, err)
				}
				return
			}
			if !hasError(r.Findings(schemaCheckedAt, requisition.FromNextDay), tc.field) {
				t.Errorf("neither Decode nor Validate refuses it at %s: %v", tc.field, r.Findings(schemaCheckedAt, requisition.FromNextDay))
			}
		})
	}
	// Each field the schema requires is one Validate refuses to go without.
	var doc map[string]any
	json.Unmarshal(requisition.Schema(), &doc)
	for _, f := range doc["required"].([]any) {
		t.Run("without "+f.(string), func(t *testing.T) {
			b := edit(func(m map[string]any) { delete(m, f.(string)) })
			if s.Validate(b) == nil {
				t.Error("the schema accepts it")
			}
			r, err := requisition.Decode(b)
			if err == nil && !hasError(r.Findings(schemaCheckedAt, requisition.FromNextDay), f.(string)) {
				t.Errorf("Validate accepts it")
			}
		})
	}
}

// hasError reports whether some finding of fs is an error about field.
func hasError(fs []provenance.Finding, field string) bool {
	return slices.ContainsFunc(fs, func(f provenance.Finding) bool {
		return f.Severity == provenance.Error && (f.Field == field || strings.HasPrefix(f.Field, field+".") || strings.HasPrefix(f.Field, field+"["))
	})
}

// Every template decodes as it was encoded and is lawful at its instant,
// before and after the law of 2016.
func TestTemplate(t *testing.T) {
	for _, at := range []string{"2015-06-10 14:00", "2026-03-29 03:30", "2026-11-23 10:05"} {
		now := timesync.MustParseBrussels(at, timesync.Strict).Time()
		for _, m := range requisition.Measures() {
			t.Run(at+"/"+m.String(), func(t *testing.T) {
				r, err := requisition.Template(m, now)
				if err != nil {
					t.Fatal(err)
				}
				b, err := requisition.Encode(r)
				if err != nil {
					t.Fatal(err)
				}
				back, err := requisition.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(back, r) {
					t.Errorf("round trip:\n%+v\n%+v", back, r)
				}
				if err := back.Validate(now, requisition.FromNextDay); err != nil {
					t.Errorf("not lawful: %v", err)
				}
				if err := back.Validate(now.Add(time.Hour), requisition.FromOrderDay); err != nil {
					t.Errorf("not lawful an hour later, months from the order's day: %v", err)
				}
			})
		}
	}
	if _, err := requisition.Template(0, schemaCheckedAt); err == nil {
		t.Error("a template for no measure")
	}
}
