package requisition_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
)

// An order's office is optional; given, it needs a key that can number
// claims and name files, a name, and one of Belgium's languages; every
// problem is listed, no value quoted.
func TestDecodeOffice(t *testing.T) {
	const secret = "Cabinet du juge Secret"
	withOffice := func(office string) []byte {
		r := base()
		b, err := requisition.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i := strings.Index(s, `"authority"`)
		return []byte(s[:i] + `"office": ` + office + `, ` + s[i:])
	}
	for _, tc := range []struct {
		name, office string
		fields       []string
	}{
		{"a complete office", `{"key": "parquet-liege", "name": "Parquet du procureur du Roi de Liège", "address": "Rue de Bruxelles 2\n4000 Liège", "language": "fr"}`, nil},
		{"key and name only", `{"key": "ji-bxl-3", "name": "` + secret + `"}`, nil},
		{"no key", `{"name": "` + secret + `"}`, []string{"office.key"}},
		{"a key with capitals and spaces", `{"key": "Parquet Liège", "name": "` + secret + `"}`, []string{"office.key"}},
		{"a key ending with a dash", `{"key": "parquet-", "name": "` + secret + `"}`, []string{"office.key"}},
		{"no name, a language Belgium does not use", `{"key": "parquet", "language": "en"}`, []string{"office.language", "office.name"}},
		{"an unknown field", `{"key": "parquet", "name": "x", "phone": "1"}`, []string{"office.phone"}},
		{"a control character in the name", `{"key": "parquet", "name": "a\u001b[2Jb"}`, []string{"office.name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := requisition.Decode(withOffice(tc.office))
			if tc.fields == nil {
				if err != nil || r.Office.Key == "" {
					t.Fatalf("%v %+v", err, r.Office)
				}
				return
			}
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, requisition.ErrDecode) {
				t.Fatalf("error %v", err)
			}
			var fields []string
			for _, f := range ps.Findings {
				fields = append(fields, f.Field)
			}
			for _, want := range tc.fields {
				if !strings.Contains(strings.Join(fields, " "), want) {
					t.Errorf("no problem at %s in %v", want, fields)
				}
			}
			if strings.Contains(err.Error(), "Secret") || strings.Contains(err.Error(), "Liège") {
				t.Errorf("the error quotes the office: %v", err)
			}
		})
	}
	for key, ok := range map[string]bool{"a": true, "parquet-liege": true, "x-1": true, "": false, "-a": false, strings.Repeat("a", 41): false, "é": false} {
		if requisition.ValidOfficeKey(key) != ok {
			t.Errorf("ValidOfficeKey(%q) != %v", key, ok)
		}
	}
}
