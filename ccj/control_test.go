package ccj_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/strictjson"
)

// A cell file holds no control or bidirectional character in any text,
// in either form: refused at decode, at its path, never quoted.
func TestDecodeCellControlCharacters(t *testing.T) {
	wrapped := func(s string) string {
		i := strings.Index(s, `,
  "patterns"`)
		return `{"cell": ` + s[:i] + "}, " + strings.Replace(s[i+1:], `"patterns"`, `"rota"`, 1)
	}
	for _, tc := range []struct {
		name, from, to string
		path, secret   string
	}{
		{"escape in a member's name", `"name": "Alice"`, `"name": "Alice\u001b[2J"`, "members[0].name", "Alice"},
		{"line feed in the cell's name", `"name": "CCJ"`, `"name": "CCJ\nFORGED line"`, "name", "FORGED"},
		{"carriage return in a phone number", `"+32470000001"`, `"+3247\r0000001"`, "members[0].channels[0].value", "3247"},
		{"NUL in the advice reference", `"AS-1"`, `"AS\u0000-1"`, "members[0].advice.reference", "AS"},
		{"bidi override in a city", `"Bruxelles"`, `"Brux\u202eelles"`, "address.city", "Brux"},
		{"C1 in a pattern's primary", `"primaries": ["alice"]`, `"primaries": ["al\u009bice"]`, "patterns[0].primaries[0]", "ice"},
	} {
		for _, form := range []string{"cell", "wrapped"} {
			t.Run(tc.name+", "+form, func(t *testing.T) {
				in := strings.Replace(cellJSON, tc.from, tc.to, 1)
				if in == cellJSON {
					t.Fatalf("%q not in the cell", tc.from)
				}
				path := tc.path
				if form == "wrapped" {
					in = wrapped(in)
					if strings.HasPrefix(path, "patterns") {
						path = strings.Replace(path, "patterns", "rota", 1)
					} else {
						path = "cell." + path
					}
				}
				_, err := ccj.DecodeCell([]byte(in))
				var ps *provenance.Problems
				if !errors.As(err, &ps) || !errors.Is(err, ccj.ErrDecode) || len(ps.Findings) != 1 {
					t.Fatalf("err = %v", err)
				}
				if f := ps.Findings[0]; f.Field != path || !strings.Contains(f.Text(language.English), "control character") {
					t.Errorf("finding %s: %s, want path %s", f.Field, f.Text(language.English), path)
				}
				if strings.Contains(fmt.Sprint(err), tc.secret) {
					t.Errorf("the error quotes %q: %v", tc.secret, err)
				}
			})
		}
	}
	if _, err := ccj.DecodeCell([]byte(wrapped(cellJSON))); err != nil {
		t.Fatalf("the wrapped form of the clean cell: %v", err)
	}
}

// Whatever DecodeCell accepts holds no control character in any text.
func FuzzDecodeCellText(f *testing.F) {
	f.Add([]byte(cellJSON))
	f.Add([]byte(strings.Replace(cellJSON, `"Alice"`, `"Al\u202eice"`, 1)))
	f.Add([]byte(strings.Replace(cellJSON, `"CCJ"`, `"C\u001bCJ"`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ccj.DecodeCell(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var tree any
		if err := json.Unmarshal(b, &tree); err != nil {
			t.Fatal(err)
		}
		var walk func(any)
		walk = func(n any) {
			switch n := n.(type) {
			case string:
				for _, r := range n {
					if strictjson.IsControl(r) {
						t.Fatalf("U+%04X accepted", r)
					}
				}
			case []any:
				for _, e := range n {
					walk(e)
				}
			case map[string]any:
				for k, e := range n {
					walk(k)
					walk(e)
				}
			}
		}
		walk(tree)
	})
}
