package ccj_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
)

const cellJSON = `{
  "name": "CCJ", "operator": "asbl",
  "address": {"street": "Rue 1", "postcode": "1000", "city": "Bruxelles", "country": "BE"},
  "members": [{"id": "alice", "name": "Alice", "role": "member", "resides_in_belgium": true,
    "channels": [{"kind": "phone", "value": "+32470000001"}], "advice": {"status": "positive", "granted": "2024-03-01", "reference": "AS-1"}}],
  "shifts": [{"start": "2026-10-24T16:00:00Z", "end": "2026-10-25T07:00:00Z", "primary": "alice"}],
  "procedure": {"reference": "P-1", "dated": "2026-01-15"},
  "patterns": [{"weekday": 1, "start": "08:00", "end": "18:00", "days": 0, "primaries": ["alice"], "anchor": "2026-11-02"}]
}`

func TestDecodeCell(t *testing.T) {
	c, err := ccj.DecodeCell([]byte(cellJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Patterns) != 1 || len(c.Shifts) != 1 || c.Patterns[0].Anchor != date.New(2026, 11, 2) {
		t.Fatalf("%+v", c)
	}
	// The desk example's earlier form: the cell, and its patterns beside
	// it as "rota".
	i := strings.Index(cellJSON, `,
  "patterns"`)
	legacy := `{"cell": ` + cellJSON[:i] + "}, " + strings.Replace(cellJSON[i+1:], `"patterns"`, `"rota"`, 1)
	old, err := ccj.DecodeCell([]byte(legacy))
	if err != nil {
		t.Fatalf("%v\n%s", err, legacy)
	}
	if diff := cmp.Diff(c, old); diff != "" {
		t.Errorf("the two forms differ (-new +old):\n%s", diff)
	}
	// What DecodeCell returns encodes in the new form and reads back.
	b, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ccj.DecodeCell(b)
	if err != nil || !cmp.Equal(c, back) {
		t.Errorf("re-encoded: %v %s", err, cmp.Diff(c, back))
	}

	// An empty cell.patterns beside a rota is no conflict.
	if _, err := ccj.DecodeCell([]byte(strings.Replace(legacy, `"name"`, `"patterns": [], "name"`, 1))); err != nil {
		t.Errorf("an empty cell.patterns beside a rota: %v", err)
	}

	var many strings.Builder
	for i := range ccj.MaxPatterns + 1 {
		if i > 0 {
			many.WriteString(",")
		}
		many.WriteString(`{"weekday": 1, "start": "08:00", "end": "18:00", "days": 0, "primaries": ["alice"], "anchor": "2026-11-02"}`)
	}
	for _, tc := range []struct {
		name, data, field string
	}{
		{"not JSON", "{", ""},
		{"an unknown field", strings.Replace(cellJSON, `"name"`, `"shoe_size": 42, "name"`, 1), "shoe_size"},
		{"an unknown field in the earlier form", strings.Replace(legacy, `"name"`, `"shoe_size": 42, "name"`, 1), "cell.shoe_size"},
		{"a pattern's field of the wrong type", strings.Replace(cellJSON, `"days": 0`, `"days": "0"`, 1), "patterns[0].days"},
		{"patterns in both places", `{"cell": {"members": [], "patterns": [{"weekday": 1, "start": "08:00", "end": "18:00", "primaries": ["alice"], "anchor": "2026-11-02"}]}, "rota": [{"weekday": 1, "start": "08:00", "end": "18:00", "primaries": ["alice"], "anchor": "2026-11-02"}]}`, "rota"},
		{"too many patterns", `{"members": [], "patterns": [` + many.String() + `]}`, "patterns"},
		{"too many patterns in the earlier form", `{"cell": {"members": []}, "rota": [` + many.String() + `]}`, "rota"},
		{"too large", strings.Repeat(" ", ccj.MaxEncodedCell+1), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ccj.DecodeCell([]byte(tc.data))
			var p *provenance.Problems
			if !errors.Is(err, ccj.ErrDecode) || !errors.As(err, &p) || p.What != "ccj: cell file" {
				t.Fatalf("DecodeCell = %v", err)
			}
			if !slices.ContainsFunc(p.Findings, func(f provenance.Finding) bool { return f.Field == tc.field }) {
				t.Errorf("no problem at %q: %v", tc.field, err)
			}
		})
	}
}

// FuzzDecodeCell: whatever the file, DecodeCell never panics and refuses
// with a *provenance.Problems wrapping ErrDecode; a cell it accepts can be
// checked, queried and expanded without a panic, and encodes to a file it
// reads back.
func FuzzDecodeCell(f *testing.F) {
	f.Add([]byte(cellJSON))
	f.Add([]byte(`{"cell": {"members": []}, "rota": [{"weekday": 0, "start": "02:30", "end": "02:30", "days": 7, "primaries": ["a"], "anchor": "2026-03-29"}]}`))
	f.Add([]byte(`{"members": [], "patterns": [{"weekday": 9, "start": "24:00", "end": "x", "days": -1, "primaries": [], "anchor": "0001-01-01"}]}`))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ccj.DecodeCell(data)
		if err != nil {
			var ps *provenance.Problems
			if !errors.Is(err, ccj.ErrDecode) || !errors.As(err, &ps) {
				t.Fatalf("error %v is not a *provenance.Problems wrapping ErrDecode", err)
			}
			return
		}
		at := time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)
		if err := c.Check(at); err != nil {
			var ps *provenance.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Check: %v", err)
			}
		}
		c.Report(at, ccj.ReportOptions{Horizon: 8 * 24 * time.Hour})
		c.OnCall(at)
		if _, err := c.Expand(at, at.Add(8*24*time.Hour)); err != nil && !errors.Is(err, ccj.ErrPattern) {
			t.Fatalf("Expand: %v", err)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ccj.DecodeCell(b); err != nil && !strings.Contains(err.Error(), "null") {
			t.Fatalf("re-read: %v\n%s", err, b)
		}
	})
}

// A cell encoded with encoding/json reads back with DecodeCell, whether
// it has shifts or only patterns (no "shifts": null refused).
func TestDecodeCellReadsItsEncoding(t *testing.T) {
	c, err := ccj.DecodeCell([]byte(cellJSON))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*ccj.Cell)
	}{
		{"as read", func(*ccj.Cell) {}},
		{"no shifts", func(c *ccj.Cell) { c.Shifts = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c
			tc.edit(&c)
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ccj.DecodeCell(b)
			if err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			if len(back.Shifts) != len(c.Shifts) || len(back.Members) != len(c.Members) {
				t.Errorf("read back %d shifts, %d members", len(back.Shifts), len(back.Members))
			}
		})
	}
}

// DecodeCell refuses the keys ccj does not know where they are written —
// a role, a channel kind, an advice status — every one at once, quoting
// none; the schema refuses the same.
func TestDecodeCellRefusesUnknownKeys(t *testing.T) {
	bad := strings.NewReplacer(`"role": "member"`, `"role": "boss"`, `"kind": "phone"`, `"kind": "fax"`, `"status": "positive"`, `"status": "ok"`).Replace(cellJSON)
	_, err := ccj.DecodeCell([]byte(bad))
	var ps *provenance.Problems
	if !errors.As(err, &ps) || !errors.Is(err, ccj.ErrDecode) {
		t.Fatalf("%v", err)
	}
	var fields []string
	for _, f := range ps.Findings {
		fields = append(fields, f.Field)
	}
	for _, want := range []string{"members[0].role", "members[0].channels[0].kind", "members[0].advice.status"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no problem at %s: %v", want, fields)
		}
	}
	for _, secret := range []string{"boss", "fax", `"ok"`} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error quotes %s: %v", secret, err)
		}
	}
}
