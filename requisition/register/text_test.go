package register_test

import (
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
)

// assertTranslated renders text in each language and checks that no
// catalogue key leaked through untranslated ("channel:email") and that
// every non-English line differs from its English counterpart unless it
// holds only values or is a table row (whose labels requisition.Label
// translates, some of them identical across languages).
func assertTranslated(t *testing.T, render func(language.Tag) string) {
	t.Helper()
	en := strings.Split(render(language.English), "\n")
	for _, tag := range requisition.Languages() {
		out := render(tag)
		for _, key := range []string{"target:", "channel:", "timeliness:", "outcome:"} {
			if strings.Contains(out, key) {
				t.Errorf("%v: untranslated key %q in:\n%s", tag, key, out)
			}
		}
		if tag == language.English {
			continue
		}
		lines := strings.Split(out, "\n")
		if len(lines) != len(en) {
			t.Errorf("%v: %d lines, English has %d", tag, len(lines), len(en))
			continue
		}
		for i := range lines {
			if lines[i] == en[i] && !strings.HasPrefix(lines[i], "  ") && strings.ContainsFunc(lines[i], func(r rune) bool { return r >= 'a' && r <= 'z' }) && !onlyValues(lines[i]) {
				t.Errorf("%v: line %d is the English one: %q", tag, i+1, lines[i])
			}
		}
	}
}

// onlyValues reports lines made of numbers, references and times, which
// read the same in every language.
func onlyValues(s string) bool {
	for _, f := range strings.Fields(s) {
		if strings.HasPrefix(f, "wo-") || strings.ContainsAny(f, "0123456789") || f == "—" || f == "<" || f == "c" {
			continue
		}
		return false
	}
	return true
}
