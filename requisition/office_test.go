package requisition_test

import (
	"errors"
	"slices"
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

// A file with a field that does not decode still has its office judged:
// every problem comes at once.
func TestDecodeListsOfficeWithOtherProblems(t *testing.T) {
	b, err := requisition.Encode(base())
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `"measure":"traffic-location"`, `"measure":"zz"`, 1)
	i := strings.Index(s, `"authority"`)
	s = s[:i] + `"office": {"key": "A/B", "name": "", "language": "en"}, ` + s[i:]
	_, err = requisition.Decode([]byte(s))
	var ps *provenance.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("%v", err)
	}
	var fields []string
	for _, f := range ps.Findings {
		fields = append(fields, f.Field)
	}
	for _, want := range []string{"measure", "office.key", "office.name", "office.language"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no problem at %s: %v", want, fields)
		}
	}
}
