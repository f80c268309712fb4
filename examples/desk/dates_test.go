package main

import (
	"regexp"
	"testing"
)

// One date format per language, in every output (docs/design.md, "Dates
// for people"): the built desk's demonstration writes each time with its
// offset, and each day, as its language does — ISO 8601 in English,
// dd/mm/yyyy in French and Dutch, dd.mm.yyyy in German — and no ISO date
// is left in French, Dutch or German. The claims are in their offices'
// languages, and so are their days; their lines carry no times.
func TestDatesOnePerLanguage(t *testing.T) {
	bin := buildDesk(t)
	stamped := regexp.MustCompile(`(\S+) \d\d:\d\d:\d\d [+-]\d\d:\d\d`)
	iso := regexp.MustCompile(`\b\d{4}-\d\d-\d\d\b`)
	for _, tc := range []struct {
		lang, day string
		noISO     bool
	}{
		{"en", `^\d{4}-\d\d-\d\d$`, false},
		{"fr", `^\d\d/\d\d/\d{4}$`, true},
		{"nl", `^\d\d/\d\d/\d{4}$`, true},
		{"de", `^\d\d\.\d\d\.\d{4}$`, true},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			out, errs, code := bin([]string{"LANG=" + tc.lang}, "demo")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			day := regexp.MustCompile(tc.day)
			n := 0
			for _, m := range stamped.FindAllStringSubmatch(out, -1) {
				n++
				if !day.MatchString(m[1]) {
					t.Errorf("a time written %q", m[0])
				}
			}
			if n < 50 {
				t.Errorf("only %d times in the demonstration", n)
			}
			if d := iso.FindAllString(out, -1); tc.noISO && len(d) > 0 {
				t.Errorf("ISO dates in %s: %v", tc.lang, d)
			}
		})
	}
}
