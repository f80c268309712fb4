package ccj_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/invopop/jsonschema"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/internal/schematest"
)

// wrappedCell is the earlier form of the cell file that DecodeCell still
// reads (ccj's unexported cellFile): the cell, and its weekly rota beside
// it. TestCellSchema decodes documents of this form to keep the two alike.
type wrappedCell struct {
	Cell ccj.Cell      `json:"cell"`
	Rota []ccj.Pattern `json:"rota,omitempty"`
}

func cellSpec(t testing.TB) schematest.Spec {
	consts := func(typ string) *jsonschema.Schema { return schematest.Enum("", schematest.Consts(t, ".", typ)...) }
	return schematest.Spec{
		ID:    ccj.CellSchemaID,
		Title: "ccjkit cell file",
		Description: "The cell: its members, their channels and security advices, its rota (one-off shifts and weekly patterns) " +
			"and escalation order, the JSON that ccj.DecodeCell reads (desk -cell FILE). The earlier form {\"cell\": {...}, \"rota\": [...]} is read too.",
		Roots: []any{ccj.Cell{}, wrappedCell{}},
		Names: map[reflect.Type]string{reflect.TypeFor[wrappedCell](): "WrappedCell"},
		Types: map[reflect.Type]*jsonschema.Schema{
			reflect.TypeFor[ccj.ChannelKind]():  consts("ChannelKind"),
			reflect.TypeFor[ccj.Role]():         consts("Role"),
			reflect.TypeFor[ccj.AdviceStatus](): consts("AdviceStatus"),
		},
		// The fields Cell.Check refuses to go without.
		Required: map[string][]string{
			"Cell":        {"members"},
			"Member":      {"id"},
			"Pattern":     {"start", "end", "primaries"},
			"Shift":       {"start", "end", "primary"},
			"WrappedCell": {"cell"},
		},
		Comments: [][2]string{{"github.com/ccjkit/ccjkit/ccj", "."}},
		Extend: func(root *jsonschema.Schema) {
			w := schematest.Def(root, "WrappedCell")
			w.Description = "The earlier form of the cell file: the cell, and its weekly patterns under \"rota\" (not also in cell.patterns)."
			hhmm := `^([01][0-9]|2[0-3]):[0-5][0-9]$`
			p := schematest.Def(root, "Pattern")
			schematest.Prop(p, "start").Pattern = hhmm
			schematest.Prop(p, "end").Pattern = hhmm
			days := schematest.Prop(p, "days")
			days.Minimum, days.Maximum = "0", "7"
			n := func(v int) *uint64 { u := uint64(v); return &u }
			schematest.Prop(schematest.Def(root, "Cell"), "patterns").MaxItems = n(ccj.MaxPatterns)
			schematest.Prop(w, "rota").MaxItems = n(ccj.MaxPatterns)
		},
	}
}

// cell.schema.json is generated from the Go types; CellSchema serves it;
// the sample cell of the desk, in both forms, validates and decodes; what
// the schema requires Check refuses to go without.
func TestCellSchema(t *testing.T) {
	have := schematest.Check(t, "cell.schema.json", cellSpec(t))
	if string(ccj.CellSchema()) != string(have) {
		t.Error("CellSchema does not return cell.schema.json")
	}
	s := schematest.MustCompile(t, ccj.CellSchema())
	sample, err := os.ReadFile("../examples/desk/sample/cell.json")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var m map[string]any
	if err := json.Unmarshal(sample, &m); err != nil {
		t.Fatal(err)
	}
	rota := m["patterns"]
	delete(m, "patterns")
	wrapped, _ := json.Marshal(map[string]any{"cell": m, "rota": rota})
	for name, doc := range map[string][]byte{"cell": sample, "wrapped": wrapped} {
		if err := s.Validate(doc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		c, err := ccj.DecodeCell(doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.Check(at); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		json.Unmarshal(sample, &m)
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	member := func(m map[string]any) map[string]any { return m["members"].([]any)[0].(map[string]any) }
	pattern := func(m map[string]any) map[string]any { return m["patterns"].([]any)[0].(map[string]any) }
	for _, tc := range []struct {
		name string
		doc  []byte
	}{
		{"without members", edit(func(m map[string]any) { delete(m, "members") })},
		{"a member without id", edit(func(m map[string]any) { delete(member(m), "id") })},
		{"a pattern without start", edit(func(m map[string]any) { delete(pattern(m), "start") })},
		{"a pattern without end", edit(func(m map[string]any) { delete(pattern(m), "end") })},
		{"a pattern without primaries", edit(func(m map[string]any) { delete(pattern(m), "primaries") })},
		{"a pattern at 25:00", edit(func(m map[string]any) { pattern(m)["start"] = "25:00" })},
		{"a shift without primary", edit(func(m map[string]any) {
			m["shifts"] = []any{map[string]any{"start": "2026-11-23T08:00:00+01:00", "end": "2026-11-23T20:00:00+01:00"}}
		})},
		{"an unknown field", edit(func(m map[string]any) { m["colour"] = "red" })},
		{"both forms at once", edit(func(m map[string]any) { m["cell"] = map[string]any{} })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s.Validate(tc.doc) == nil {
				t.Error("the schema accepts it")
			}
			c, err := ccj.DecodeCell(tc.doc)
			if err == nil {
				err = c.Check(at)
			}
			if err == nil {
				t.Error("DecodeCell and Check accept it")
			}
		})
	}
	// The kinds, roles and statuses the schema lists are those the cell's
	// report accepts.
	var doc struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	json.Unmarshal(ccj.CellSchema(), &doc)
	for _, k := range doc.Defs["ChannelKind"].Enum {
		value := "x"
		switch ccj.ChannelKind(k) {
		case ccj.Phone:
			value = "+32470000009"
		case ccj.Email:
			value = "x@example.be"
		case ccj.Ntfy:
			value = "https://ntfy.example.be/ccj-x"
		case ccj.Webhook:
			value = "https://hooks.example.be/ccj"
		}
		c := edit(func(m map[string]any) { member(m)["channels"] = []any{map[string]any{"kind": k, "value": value}} })
		cell, err := ccj.DecodeCell(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range cell.Validate(at) {
			if f.Field == "members[0].channels[0]" {
				t.Errorf("channel kind %s: %s", k, f.Text(language.English))
			}
		}
	}
}
