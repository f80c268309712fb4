package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// This file is the test that no English reaches a translated output: the
// desk's demonstration and every command's output, rendered in the
// pseudo-locale en-XA (pseudoLocale), where every text of every
// catalogue — the desk's and the library's — is its English text with
// each literal run marked ⟦like this⟧ and the arguments left outside the
// marks. Whatever is left once the marked runs are taken out was printed
// without a catalogue: it must be data, never English.
//
// What may be left, and why:
//
//   - the sample's own strings (sample/*.json, but the cases' "about",
//     which the demonstration translates): names, addresses, references,
//     the operator's name "Neutrinet asbl (sample data)" — the cell's
//     data, quoted as it was written;
//   - identifiers and keys: anything holding a digit or one of / @ _ = . :
//     - inside it — case IDs, references, work-order refs, times, file
//     paths, URLs, addresses, measure keys such as traffic-location, rule
//     identifiers such as 88bis-authority — and flags (-dir);
//   - command names (desk review, desk rota): what the user types;
//   - citations of the law: the names of Belgian texts and sources as they
//     are written (Code d'instruction criminelle, arrêté royal du …, IBPT,
//     brochure …), their articles and certainty tags ([V]) — a source is
//     cited in its own language;
//   - markup and data formats: XML tags of the month view, iCalendar's
//     property names, JSON (desk schema, desk template, -json output are
//     data and are not checked);
//   - SI symbols of durations (h, min, s, d).
//
// What must not be left is English: the test fails on any word of
// englishWords — English's function words and the desk's own vocabulary —
// outside the marks and the data above. An English sentence cannot be
// written without them; French, Dutch and German words that happen to
// be spelt alike are not in the list.

// englishWords are the words whose presence outside the marks means an
// English text reached the output: function words, and the words the
// desk's and the library's sentences are made of. Command names are not
// in the list (they are what the user types).
func englishWords() []string {
	return strings.Fields(`
		the and not for with from this that these those are was were has have had been being
		its their them they will would can cannot could should must may into than then there here
		what which who whom why how when where all any each every none nothing more less only also
		but nor out over under after before since until while about again against between both
		during other same some such very just yet because whose your you our we him his her she
		case cases order orders finding findings error errors warning warnings
		clock checked compliant signed received due deadline answered work issued result
		statement statements claim claims billed line lines month months year years day days
		hour hours time times reference target targets shift shifts rules rule journal
		chain intact checkpoint checkpoints kept closed ended policy decision
		held found possible authority measure measures member members identity identities
		backup call calls nobody gap covered eligible advice security valid sheet
		requisition requisitions technician sees recorded registered state history
		checks overdue left fixed immediately real unknown
		amount subtotal quantity price issued addressed account
		address enterprise events event mapped already cancelled starts drawn new
		written copied founded added removed active incomplete header file files
		says why commands command flags usage give takes argument value values string true false yes
	`)
}

// typedNames are the names of the commands and subcommands: what the
// user types, the same in every language.
func typedNames() []string {
	names := []string{"keygen", "add", "remove", "list", "upgrade", "check", "export", "import", "show"}
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// englishLeft returns the English words left in out once the marked runs,
// the allowed strings and the data are taken out, each with a little of
// its context.
func englishLeft(out string, allowed []string) []string {
	markedRun := regexp.MustCompile(`⟦[^⟦⟧]*⟧`)
	xmlTag := regexp.MustCompile(`<[^>]*>`)
	word := regexp.MustCompile(`[A-Za-z]+`)
	// A token that is data: it holds a digit, or one of / @ _ = : inside
	// it, or a . or - between letters (traffic-location, ccj.journal), or
	// it starts with a - (a flag).
	dataWord := regexp.MustCompile(`\S*[0-9/@_=:]\S*|\S*[A-Za-z][.-][A-Za-z0-9]\S*|^-\S+|\s-\S+`)
	// The marked runs: innermost first, should a run hold another.
	for {
		stripped := markedRun.ReplaceAllString(out, " ")
		if stripped == out {
			break
		}
		out = stripped
	}
	for _, a := range allowed {
		out = strings.ReplaceAll(out, a, " ")
	}
	out = xmlTag.ReplaceAllString(out, " ")
	var left []string
	var english []string
	typed := typedNames()
	for _, w := range englishWords() {
		if !slices.Contains(typed, w) {
			english = append(english, w)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		line = dataWord.ReplaceAllString(line, " ")
		for _, w := range word.FindAllString(line, -1) {
			if slices.Contains(english, strings.ToLower(w)) {
				left = append(left, fmt.Sprintf("%q in %q", w, strings.Join(strings.Fields(line), " ")))
			}
		}
	}
	return left
}

// sampleStrings returns every string of the sample's files but the
// cases' "about" (which the demonstration translates), longest first, so
// that a longer one is taken out before a shorter one it holds.
func sampleStrings(t *testing.T) []string {
	t.Helper()
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case string:
			// Names, addresses, references: a space, a digit or a
			// capital; keys (a script's "do": "answer") stay checked.
			if key != "about" && len(v) >= 4 && strings.ContainsAny(v, " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
				out = append(out, v)
			}
		case []any:
			for _, e := range v {
				walk(key, e)
			}
		case map[string]any:
			for k, e := range v {
				walk(k, e)
			}
		}
	}
	err := fs.WalkDir(sample, "sample", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sample.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		walk("", v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The desk's test requisition's recipient, its technician, and the
	// keeping policy's name given with -policy: what the member typed.
	out = append(out, "Cabinet JI", "tech-1", policy)
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// valueKeys are the keys desk values lists and the fields that take
// them, each as a word of its own (" identity,"), so that the same word in
// a sentence stays checked.
func valueKeys() []string {
	v := values{Requisition: requisition.Values(), Outcomes: register.Outcomes(), Channels: register.Channels(), Services: billingServices()}
	r := v.Requisition
	var ks []string
	for _, l := range [][]string{keys(r.Measures), keys(r.Authorities), keys(r.Circumstances), keys(r.Items), keys(r.TargetKinds),
		keys(r.ResponseKinds), keys(r.Addressees), keys(r.CooperationKinds), keys(r.MonthRules), keys(v.Outcomes), keys(v.Channels), keys(v.Services)} {
		ks = append(ks, l...)
	}
	for _, m := range r.Measures {
		ks = append(ks, keys(m.Items)...)
	}
	ks = append(ks, "measure", "authority", "circumstance", "items[]", "targets[].kind", "response.kind", "addressee", "cooperation",
		"offences[]", "outcome", "billing", "month_rule")
	var out []string
	for _, k := range ks {
		out = append(out, " "+k+",", " "+k+"\n", " "+k+" ")
	}
	return out
}

// The check itself: it finds English left outside the marks, and lets
// the data through.
func TestEnglishLeft(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		left      int
	}{
		{"all marked", "⟦received as case ⟧2026-0001\n", 0},
		{"an unmarked sentence", "⟦Deadline⟧ no fixed instant (immediately)\n", 2},
		{"data", "⟦at ⟧2026-11-30 18:00:00 +01:00 wo-abc https://example.be/the/path traffic-location -dir\n", 0},
		{"a sample string", "⟦by ⟧Neutrinet asbl (sample data)\n", 0},
		{"a French citation", "Code judiciaire arts. 52-54 [U]\n", 0},
		{"a nested mark", "⟦a ⟦b⟧ c⟧ the\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := englishLeft(tc.out, []string{"Neutrinet asbl (sample data)"}); len(got) != tc.left {
				t.Errorf("%d left, want %d: %v", len(got), tc.left, got)
			}
		})
	}
}

// policy is the keeping policy's name the tests give desk keep.
const policy = "keeping policy of the cell, approved 2026-01-05"

// TestNoEnglishInPseudoLocale renders the demonstration and every
// command's output — standard output and error — in the pseudo-locale and
// fails on any English word left outside the marks (see englishLeft for
// what may be left).
func TestNoEnglishInPseudoLocale(t *testing.T) {
	allowed := sampleStrings(t)
	check := func(t *testing.T, what, out string) {
		t.Helper()
		for _, l := range englishLeft(out, allowed) {
			t.Errorf("%s: English outside the catalogues: %s", what, l)
		}
	}
	const lang = "en-XA"

	t.Run("demo", func(t *testing.T) {
		out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "-lang", lang)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		check(t, "demo", out+errs)
	})

	t.Run("help", func(t *testing.T) {
		clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
		for _, args := range [][]string{{"help", "-lang", lang}, {"-lang", lang, "-h"}} {
			out, errs, _ := desk(t, clock, args...)
			check(t, strings.Join(args, " "), out+errs)
		}
		for _, c := range commands() {
			out, errs, _ := desk(t, clock, c.name, "-lang", lang, "-h")
			check(t, c.name+" -h", out+errs)
		}
	})

	// The desk's own refusals are translated too (a library's error is
	// Go's, in English: see docs/design.md).
	t.Run("bad input", func(t *testing.T) {
		dir, identity := testDir(t)
		clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
		for _, args := range [][]string{
			{"zzz", "-lang", lang},
			{"-lang", lang, "-dir"},
			{"receive", "-lang", lang, "-zz"},
			{"list", "-lang", lang, "-dir"},
			{"show", "-lang", lang, "-dir", dir, "-identity", identity},
			{"claim", "-lang", lang, "-dir", dir, "-identity", identity, "-format", "x", "2026-11"},
			{"claim", "-lang", lang, "-dir", dir, "-identity", identity, "2026-13"},
			{"stats", "-lang", lang, "-dir", dir, "-identity", identity, "-format", "x", "2026"},
			{"rota", "-lang", lang, "-dir", dir, "import"},
			{"rota", "-lang", lang, "-dir", dir, "zz"},
			{"rota", "-lang", lang, "-dir", dir, "export", "-days", "0"},
			{"member", "-lang", lang},
			{"keep", "-lang", lang, "-dir", dir, "-identity", identity, "-years", "1"},
			{"answer", "-lang", lang, "-dir", dir, "-identity", identity, "2026-0001"},
			{"receive", "-lang", lang, "-dir", dir, "-identity", identity, "-id", "a b", "x.json"},
			{"clarify", "-lang", lang, "-dir", dir, "-identity", identity, "-note", "\x1b[31m", "2026-0001"},
			{"values", "-lang", lang, "x"},
		} {
			out, errs, code := desk(t, clock, args...)
			if code != exitInput {
				t.Errorf("desk %v: exit %d, want %d: %s", args, code, exitInput, errs)
			}
			check(t, strings.Join(args, " "), out+errs)
		}
	})

	t.Run("commands", func(t *testing.T) {
		dir, identity := testDir(t)
		clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
		common := []string{"-dir", dir, "-identity", identity, "-lang", lang}
		run := func(args ...string) string {
			t.Helper()
			clock.Advance(3 * time.Minute)
			out, errs, code := desk(t, clock, append(args[:1:1], append(common, args[1:]...)...)...)
			if code != exitOK {
				t.Fatalf("desk %v: exit %d\n%s", args, code, errs)
			}
			check(t, strings.Join(args, " "), out+errs)
			return out
		}
		tmp := t.TempDir()
		reqFile := filepath.Join(tmp, "req.json")
		os.WriteFile(reqFile, []byte(requisitionJSON), 0o600)
		run("receive", reqFile)
		run("list")
		run("ack", "2026-0001")
		run("review", "2026-0001")
		run("check", "2026-0001")
		var wo struct{ Ref string }
		out, _, _ := desk(t, clock, append([]string{"workorder"}, append(common, "-json", "2026-0001")...)...)
		if err := json.Unmarshal([]byte(out), &wo); err != nil {
			t.Fatal(err)
		}
		run("workorder", "2026-0001", "-due", "2h")
		resFile := filepath.Join(tmp, "res.json")
		os.WriteFile(resFile, []byte(fmt.Sprintf(`{"ref":%q,"by":"tech-1","completed":"2026-11-23T10:25:00+01:00","outcome":"found","data":"3 sessions"}`, wo.Ref)), 0o600)
		run("result", resFile)
		run("answer", "2026-0001", "-to", "Cabinet JI", "-channel", "platform", "-at", "2026-11-23 10:28:07")
		run("show", "2026-0001")
		run("claim", "2026-11")
		run("invoice", "2026-0001")
		run("close", "2026-0001")
		// A second order, contested with the member's reasons.
		run("receive", "-duplicate", reqFile)
		run("ack", "2026-0002")
		run("clarify", "2026-0002", "-note", "asked by phone")
		run("contest", "2026-0002", "-note", "the period is too long")
		run("stats", "2026")
		run("stats", "2026-11", "-threshold", "1")
		run("keep", "-years", "1", "-policy", policy)
		run("verify")
		run("repair")
		run("member", "list")
		out, errs, code := desk(t, clock, "values", "-lang", lang)
		if code != exitOK {
			t.Fatalf("values: exit %d: %s", code, errs)
		}
		// desk values lists the keys the files take, and the fields that
		// take them: data, whatever the language.
		keysAllowed := append(slices.Clone(allowed), valueKeys()...)
		for _, l := range englishLeft(out+errs, keysAllowed) {
			t.Errorf("values: English outside the catalogues: %s", l)
		}
		run("rota", "check")
		ics := filepath.Join(tmp, "rota.ics")
		os.WriteFile(ics, []byte(run("rota", "export", "-days", "3")), 0o600)
		run("rota", "import", ics)
		run("rota", "show", "-month", "2026-11", "-svg", "-")
		run("rota", "show", "-month", "2026-11", "-svg", filepath.Join(tmp, "rota.svg"))
		// A new register, and a second member's identity.
		newDir := filepath.Join(tmp, "new")
		cell := filepath.Join(dir, "cell.json")
		out, errs, code = desk(t, clock, "init", "-dir", newDir, "-cell", cell, "-name", "alice", "-identity", filepath.Join(tmp, "alice2.identity"), "-lang", lang)
		if code != exitOK {
			t.Fatalf("init: exit %d: %s", code, errs)
		}
		check(t, "init", out+errs)
		bob := filepath.Join(tmp, "bob.identity")
		out, errs, code = desk(t, clock, "member", "keygen", "-name", "bob", "-identity", bob, "-lang", lang)
		if code != exitOK {
			t.Fatalf("keygen: exit %d: %s", code, errs)
		}
		// The public line it prints is data: what a member adds.
		line := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
		for _, l := range englishLeft(out+errs, append(slices.Clone(allowed), line)) {
			t.Errorf("member keygen: English outside the catalogues: %s", l)
		}
		run("member", "add", line)
		run("member", "remove", "bob")
	})
}

// What the desk says of this machine's clock, whatever chronyd answers:
// the verdict's yes and no are words of the catalogue.
func TestEvidenceLineTranslated(t *testing.T) {
	s := &session{tag: pseudoLocale()}
	for _, l := range englishLeft(evidenceLine(s, timesync.Verdict{}), nil) {
		t.Errorf("English outside the catalogues: %s", l)
	}
	if got := evidenceLine(&session{tag: language.French}, timesync.Verdict{}); strings.Contains(got, "false") || !strings.Contains(got, "non") {
		t.Errorf("in French: %q", got)
	}
}
