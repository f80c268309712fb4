package register_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/strictjson"
)

const goodResult = `{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"tech-1","completed":"2026-11-23T11:00:00+01:00","outcome":"found","data":"3 sessions"}`

// A technician's result holds no control character, but for tabs and
// line feeds in its data: refused at decode, at its path, never quoted.
func TestDecodeWorkResultControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		paths          []string // none: accepted
	}{
		{"data of several lines", `"3 sessions"`, `"3 sessions:\n\t10:00\n\t11:00"`, nil},
		{"escape in the name", `"tech-1"`, `"tech\u001b[2J-1"`, []string{"by"}},
		{"line feed in the name", `"tech-1"`, `"tech-1\nSECRET forged"`, []string{"by"}},
		{"carriage return in the data", `"3 sessions"`, `"3 sessions\rSECRET"`, []string{"data"}},
		{"escape in the data", `"3 sessions"`, `"3 \u001b]0;SECRET\u0007sessions"`, []string{"data"}},
		{"bidi override in the data", `"3 sessions"`, `"3 \u202eSECRET"`, []string{"data"}},
		{"C1 in the reference", `"wo-7k3m`, `"wo-\u009b7k3m`, []string{"ref"}},
		{"two at once", `"tech-1"`, `"\u0000", "data": "\u0085"`, []string{"by", "data"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Replace(goodResult, tc.from, tc.to, 1)
			if in == goodResult {
				t.Fatalf("%q not in the result", tc.from)
			}
			if tc.name == "two at once" {
				in = strings.Replace(in, `,"data":"3 sessions"`, "", 1)
			}
			_, err := register.DecodeWorkResult([]byte(in))
			if len(tc.paths) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, register.ErrDecode) {
				t.Fatalf("err = %v", err)
			}
			var paths []string
			for _, f := range ps.Findings {
				paths = append(paths, f.Field)
			}
			if fmt.Sprint(paths) != fmt.Sprint(tc.paths) {
				t.Errorf("refused at %v, want %v: %v", paths, tc.paths, err)
			}
			if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "tech") {
				t.Errorf("the error quotes the input: %v", err)
			}
		})
	}
}

// Whatever DecodeWorkResult accepts has no control character but tabs
// and line feeds in its data.
func FuzzDecodeWorkResultText(f *testing.F) {
	f.Add([]byte(goodResult))
	f.Add([]byte(strings.Replace(goodResult, `"3 sessions"`, `"a\nb\tc"`, 1)))
	f.Add([]byte(strings.Replace(goodResult, `"tech-1"`, `"t\u202e"`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := register.DecodeWorkResult(data)
		if err != nil {
			return
		}
		for _, r := range string(res.Ref) + res.By {
			if strictjson.IsControl(r) {
				t.Fatalf("U+%04X accepted in ref or by", r)
			}
		}
		for _, r := range res.Data {
			if strictjson.IsControl(r) && r != '\t' && r != '\n' {
				t.Fatalf("U+%04X accepted in data", r)
			}
		}
	})
}
