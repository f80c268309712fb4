package register_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/invopop/jsonschema"

	"github.com/ccjkit/ccjkit/internal/schematest"
	"github.com/ccjkit/ccjkit/requisition/register"
)

// resultJSON is a complete technician's result, as
// ExampleDecodeWorkResult shows it and examples/desk/sample/result.json
// holds it.
const resultJSON = `{
  "ref": "wo-7k3qzv2m5xw4hj6npart3cbd",
  "by": "tech-1",
  "completed": "2026-11-23T10:25:00+01:00",
  "outcome": "found",
  "data": "3 sessions: 2026-11-20 08:12:40 to 09:02:11 +01:00, subscriber 0042 (sample)"
}`

func resultSpec(t testing.TB) schematest.Spec {
	return schematest.Spec{
		ID:    register.WorkResultSchemaID,
		Title: "ccjkit technician's result",
		Description: "What a technician sends back for a work order, the JSON that register.DecodeWorkResult reads " +
			"(desk result FILE). Only the work order's reference leads back to the case.",
		Roots: []any{register.WorkResult{}},
		Types: map[reflect.Type]*jsonschema.Schema{
			reflect.TypeFor[register.Ref](): {Type: "string", Pattern: "^wo-[a-z2-7]{24}$",
				Description: "The work order's reference, as the work order gives it: \"wo-\" and 24 lower-case base32 characters."},
			reflect.TypeFor[register.Outcome](): schematest.Enum("", schematest.Strings(register.Outcomes())...),
		},
		// The fields DecodeWorkResult refuses to go without.
		Required: map[string][]string{"": {"ref", "by", "completed", "outcome"}},
		Comments: [][2]string{{"github.com/ccjkit/ccjkit/requisition/register", "."}},
		Extend: func(root *jsonschema.Schema) {
			n := func(v int) *uint64 { u := uint64(v); return &u }
			by := schematest.Prop(root, "by")
			by.MinLength, by.MaxLength = n(1), n(register.MaxName)
			schematest.Prop(root, "data").MaxLength = n(register.MaxResultData)
		},
	}
}

// workresult.schema.json is generated from the Go types; WorkResultSchema
// serves it; the complete example validates and decodes, and what the
// schema refuses DecodeWorkResult refuses too.
func TestWorkResultSchema(t *testing.T) {
	have := schematest.Check(t, "workresult.schema.json", resultSpec(t))
	if string(register.WorkResultSchema()) != string(have) {
		t.Error("WorkResultSchema does not return workresult.schema.json")
	}
	s := schematest.MustCompile(t, register.WorkResultSchema())
	if err := s.Validate([]byte(resultJSON)); err != nil {
		t.Errorf("the complete example: %v", err)
	}
	if _, err := register.DecodeWorkResult([]byte(resultJSON)); err != nil {
		t.Errorf("the complete example: %v", err)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		json.Unmarshal([]byte(resultJSON), &m)
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	rows := []struct {
		name string
		doc  []byte
	}{
		{"unknown field", edit(func(m map[string]any) { m["case"] = "2026-0001" })},
		{"bad reference", edit(func(m map[string]any) { m["ref"] = "wo-1" })},
		{"unknown outcome", edit(func(m map[string]any) { m["outcome"] = "lost" })},
		{"time with a fraction", edit(func(m map[string]any) { m["completed"] = "2026-11-23T10:25:00.5+01:00" })},
	}
	for _, f := range []string{"ref", "by", "completed", "outcome"} {
		rows = append(rows, struct {
			name string
			doc  []byte
		}{"without " + f, edit(func(m map[string]any) { delete(m, f) })})
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			if s.Validate(tc.doc) == nil {
				t.Error("the schema accepts it")
			}
			if _, err := register.DecodeWorkResult(tc.doc); err == nil {
				t.Error("DecodeWorkResult accepts it")
			}
		})
	}
}
