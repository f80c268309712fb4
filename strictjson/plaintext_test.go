package strictjson_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/strictjson"
)

// note is a document with text of one line, text of several lines, a
// list, a map and a value decoded by its own UnmarshalText.
type note struct {
	Title  string            `json:"title"`
	Body   string            `json:"body,omitempty" strictjson:"lines"`
	Tags   []string          `json:"tags,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
	When   json.Number       `json:"when,omitempty"`
}

// plain is a PlainText format.
func plain() strictjson.Format {
	f := format(1 << 16)
	f.PlainText = true
	return f
}

func TestIsControl(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    rune
		want bool
	}{
		{"NUL", 0, true},
		{"tab", '\t', true},
		{"line feed", '\n', true},
		{"carriage return", '\r', true},
		{"escape", 0x1b, true},
		{"DEL", 0x7f, true},
		{"C1 CSI", 0x9b, true},
		{"C1 NEL", 0x85, true},
		{"right-to-left override", 0x202e, true},
		{"left-to-right isolate", 0x2066, true},
		{"pop directional isolate", 0x2069, true},
		{"right-to-left mark", 0x200f, true},
		{"Arabic letter mark", 0x061c, true},
		{"line separator", 0x2028, true},
		{"paragraph separator", 0x2029, true},
		{"zero-width space: two references that read the same", 0x200b, true},
		{"zero-width joiner", 0x200d, true},
		{"byte-order mark inside a text", 0xfeff, true},
		{"soft hyphen", 0x00ad, true},
		{"tag letter A", 0xe0041, true},
		{"word joiner", 0x2060, true},
		{"space", ' ', false},
		{"letter", 'a', false},
		{"e acute", 'é', false},
		{"no-break space", 0xa0, false},
		{"euro sign", '€', false},
		{"slash", '/', false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strictjson.IsControl(tc.r); got != tc.want {
				t.Errorf("IsControl(U+%04X) = %v", tc.r, got)
			}
		})
	}
}

// PlainText refuses a control character wherever a string is, naming the
// path, the code point and the byte, never the text; a field tagged
// `strictjson:"lines"` takes tabs and line feeds.
func TestPlainText(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		want        []string // problems; none when empty
	}{
		{"clean", `{"title":"BR.21/26","body":"two\nlines\tand a tab","tags":["a"],"labels":{"fr":"é"}}`, nil},
		{"escape in a title", `{"title":"secret\u001b[2J"}`, []string{"title: holds a control character (U+001B at byte 6)"}},
		{"raw DEL", "{\"title\":\"secret\x7f\"}", []string{"title: holds a control character (U+007F at byte 6)"}},
		{"raw override", "{\"title\":\"secret\u202egpj\"}", []string{"title: holds a control character (U+202E at byte 6)"}},
		{"line feed in one-line text", `{"title":"a\nFORGED line"}`, []string{"title: holds a control character (U+000A at byte 1)"}},
		{"carriage return in several lines", `{"title":"t","body":"a\r\nb"}`, []string{"body: holds a control character (U+000D at byte 1)", "tabs and line feeds are allowed here"}},
		{"NUL in a list", `{"title":"t","tags":["ok","x\u0000"]}`, []string{"tags[1]: holds a control character (U+0000 at byte 1)"}},
		{"C1 in a map value", `{"title":"t","labels":{"fr":"\u009b31m"}}`, []string{"labels.fr: holds a control character (U+009B at byte 0)"}},
		{"override in a map key", `{"title":"t","labels":{"f\u202er":"x"}}`, []string{"labels.(a key that is not a field name): the key holds a control character (U+202E"}},
		{"bidi override", `{"title":"abc\u202egpj.exe"}`, []string{"title: holds a control character (U+202E at byte 3)"}},
		{"line separator", `{"title":"a\u2028b"}`, []string{"title: holds a control character (U+2028"}},
		{"every field listed", `{"title":"\u0007","tags":["\u0008"]}`, []string{"title: holds", "tags[0]: holds"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n note
			err := plain().Decode([]byte(tc.input), &n)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, errTest) {
				t.Fatalf("err = %v", err)
			}
			got := strings.Join(problems(t, err), "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems lack %q:\n%s", w, got)
				}
			}
			for _, secret := range []string{"secret", "FORGED", "gpj", "31m"} {
				if strings.Contains(got, secret) {
					t.Errorf("the problems quote %q:\n%s", secret, got)
				}
			}
			// Without PlainText the same input decodes.
			if err := format(1<<16).Decode([]byte(tc.input), &note{}); err != nil {
				t.Errorf("without PlainText: %v", err)
			}
		})
	}
}

// A syntax error never quotes the character it stopped at: any byte of
// any file the program was pointed at.
func TestSyntaxErrorQuotesNothing(t *testing.T) {
	for r := rune(0); r < 0x300; r++ {
		if r == '{' || r == '[' || r == '"' || r == '-' || r >= '0' && r <= '9' || r == 't' || r == 'f' || r == 'n' || r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		in := "\n" + string(r) + "SECRET"
		err := format(100).Decode([]byte(in), &note{})
		got := strings.Join(problems(t, err), "\n")
		if got != "not JSON: invalid character looking for beginning of value (at byte 1)" {
			t.Errorf("U+%04X: %q", r, got)
		}
	}
	for _, in := range []string{`{"title" 'x'}`, `{"title": tru}`, `{"title": "a"]`, `{"title": 1.x}`, `{"title": "\x"}`} {
		got := strings.Join(problems(t, format(100).Decode([]byte(in), &note{})), "\n")
		if !strings.HasPrefix(got, "not JSON: ") || strings.Contains(got, "'x'") || strings.Contains(got, "']'") || strings.Contains(got, "'.'") {
			t.Errorf("%s: %q", in, got)
		}
	}
}

// Whatever PlainText accepts holds no control character outside the
// fields of several lines, and those only tabs and line feeds.
func FuzzPlainText(f *testing.F) {
	f.Add([]byte(`{"title":"t","body":"a\nb","tags":["x"],"labels":{"k":"v"}}`))
	f.Add([]byte("{\"title\":\"\x1b[31m\"}"))
	f.Add([]byte(`{"title":"\u202e"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var n note
		err := plain().Decode(data, &n)
		if err != nil {
			if !errors.Is(err, errTest) {
				t.Fatalf("error %v does not wrap the sentinel", err)
			}
			return
		}
		check := func(what, s string, lines bool) {
			if !utf8.ValidString(s) {
				t.Fatalf("%s: invalid UTF-8 accepted", what)
			}
			for _, r := range s {
				if strictjson.IsControl(r) && !(lines && (r == '\t' || r == '\n')) {
					t.Fatalf("%s: U+%04X accepted", what, r)
				}
			}
		}
		check("title", n.Title, false)
		check("body", n.Body, true)
		for i, s := range n.Tags {
			check(fmt.Sprintf("tags[%d]", i), s, false)
		}
		for k, v := range n.Labels {
			check("a label's key", k, false)
			check("a label", v, false)
		}
	})
}
