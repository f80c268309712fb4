package register_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Review says what Check would record, and records nothing; Check then
// records exactly that.
func TestReview(t *testing.T) {
	unlawful := sampleRequisition()
	unlawful.Ordered = at("2026-11-23 11:00") // after it was received: an error
	for _, tc := range []struct {
		name    string
		req     requisition.Requisition
		ack     bool
		step    register.Event
		note    string
		allowed bool
	}{
		{"a lawful order, acknowledged", sampleRequisition(), true, register.CheckLawful, "none an error", true},
		{"an order breaking a rule, acknowledged", unlawful, true, register.Contest, "rules not met: ", true},
		{"a lawful order nobody acknowledged", sampleRequisition(), false, register.CheckLawful, "none an error", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, path := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 10:30").Time()))
			if _, err := reg.Receive("c1", tc.req, "alice", goodClock); err != nil {
				t.Fatal(err)
			}
			if tc.ack {
				if _, err := reg.Apply("c1", register.Acknowledge, "alice", goodClock, ""); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := os.ReadFile(path)
			rv, err := reg.Review("c1", requisition.FromNextDay)
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("Review wrote to the journal")
			}
			note := rv.Summary.Text(language.English)
			if rv.Case != "c1" || rv.Step != tc.step || !strings.Contains(note, tc.note) || rv.Allowed != tc.allowed || rv.At != at("2026-11-23 10:30") {
				t.Errorf("review = %+v", rv)
			}
			for _, tag := range requisition.Languages() {
				if s := rv.Summary.Text(tag); strings.Contains(s, secretRef) || strings.Contains(s, secretAddr) {
					t.Errorf("the summary quotes the order: %q", s)
				}
			}
			if worst, _ := provenance.Worst(rv.Findings); tc.step == register.Contest && worst != provenance.Error {
				t.Errorf("contest without an error finding: %+v", rv.Findings)
			}
			c, fs, err := reg.Check("c1", requisition.FromNextDay, "alice", goodClock)
			if !tc.allowed {
				if !errors.Is(err, register.ErrTransition) {
					t.Fatalf("Check on a case its state does not allow: %v", err)
				}
				return
			}
			last := c.History[len(c.History)-1]
			if err != nil || last.Event != rv.Step || last.Check == nil || !reflect.DeepEqual(*last.Check, rv.Summary) || last.Note != "" || len(fs) != len(rv.Findings) {
				t.Errorf("Check recorded %s %+v %q (%v), the review said %s %+v", last.Event, last.Check, last.Note, err, rv.Step, rv.Summary)
			}
		})
	}
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 10:30").Time()))
	if _, err := reg.Review("nope", requisition.FromNextDay); !errors.Is(err, register.ErrUnknownCase) {
		t.Errorf("an unknown case: %v", err)
	}
}

// CasesWithReference finds the cases of an order whatever the spaces and
// case its reference was typed with, and nothing for another reference.
func TestCasesWithReference(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 10:30").Time()))
	for id, ref := range map[string]string{"2026-0001": secretRef, "2026-0002": "OTHER/26", "2026-0003": strings.ToLower(secretRef) + " "} {
		req := sampleRequisition()
		req.Reference = ref
		if _, err := reg.Receive(id, req, "alice", goodClock); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, ref string
		want      []string
	}{
		{"the same reference", secretRef, []string{"2026-0001", "2026-0003"}},
		{"typed with spaces and in capitals", " " + strings.ToUpper(secretRef[:4]) + " " + secretRef[4:], []string{"2026-0001", "2026-0003"}},
		{"another reference", "OTHER/26", []string{"2026-0002"}},
		{"a reference no case holds", "NEW/26", nil},
		{"no reference", "  ", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := reg.CasesWithReference(tc.ref); !slices.Equal(got, tc.want) {
				t.Errorf("CasesWithReference = %v, want %v", got, tc.want)
			}
		})
	}
}

// An answer to a case with no technician's result attached needs the
// member's reason, which the register keeps and the answer's record
// shows; a case with a result needs none.
func TestAnswerWithoutResult(t *testing.T) {
	for _, tc := range []struct {
		name   string
		result bool
		why    string
		want   error // nil: accepted
	}{
		{"no result, no reason", false, "", register.ErrNoResult},
		{"no result, a blank reason", false, " \n", register.ErrNoResult},
		{"no result, a reason", false, "the subscriber file was at hand", nil},
		{"no result, a reason too long", false, strings.Repeat("x", register.MaxText+1), register.ErrInput},
		{"no result, a reason not UTF-8", false, "caf\xe9", register.ErrInput},
		{"a result, no reason", true, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
			reg, path := openReg(t, newKeys(t), clock)
			lawfulCase(t, reg, "c1", sampleRequisition())
			if tc.result {
				wo, err := reg.IssueWorkOrder("c1", nil, at("2026-11-23 12:00").Time(), "alice", goodClock)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := reg.AttachResult(result(wo.Ref, timesync.Now(clock)), "alice", goodClock); err != nil {
					t.Fatal(err)
				}
			}
			d := delivery(timesync.Now(clock))
			d.WithoutResult = tc.why
			before, _ := os.ReadFile(path)
			c, err := reg.Answer("c1", d, "alice", goodClock)
			if tc.want != nil {
				if !errors.Is(err, tc.want) || !errors.Is(err, register.ErrInput) {
					t.Fatalf("Answer = %v, want %v", err, tc.want)
				}
				var ps *provenance.Problems
				if !errors.As(err, &ps) || !slices.ContainsFunc(ps.Findings, func(f provenance.Finding) bool { return f.Field == "without_result" }) {
					t.Errorf("no problem names without_result: %v", err)
				}
				if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
					t.Error("a refused answer was written")
				}
				return
			}
			if err != nil || c.Delivery.WithoutResult != tc.why {
				t.Fatalf("Answer = %v, %+v", err, c.Delivery)
			}
			rec, _ := register.AnswerRecordOf(c)
			if text := rec.Text(language.English); strings.Contains(text, "without a technician's result") != (tc.why != "") {
				t.Errorf("the record's text:\n%s", text)
			}
		})
	}
}

// A journal written before answers needed a result or a reason still
// opens: the rule binds new answers, not the history.
func TestAnswerWithoutResultReplays(t *testing.T) {
	k := newKeys(t)
	clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
	reg, path := openReg(t, k, clock)
	lawfulCase(t, reg, "c1", sampleRequisition())
	c, _ := reg.Case("c1")
	reg.Close()
	clock.Advance(1)
	old := register.Transition{Case: "c1", Event: register.Answer, From: register.Lawful, To: register.Answered, Actor: "alice",
		At: c.History[len(c.History)-1].At, Delivery: &register.Delivery{At: c.History[len(c.History)-1].At, To: "x", Channel: register.ByEmail, What: "x"}}
	plain, _ := json.Marshal(old)
	sealed, err := register.SealForEpoch(path, plain)
	if err != nil {
		t.Fatal(err)
	}
	j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: register.SigningKey(k.alice)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append("case", sealed); err != nil {
		t.Fatal(err)
	}
	j.Close()
	reg, _, err = register.Open(path, k.config(clock))
	if err != nil {
		t.Fatalf("an earlier answer without a result does not replay: %v", err)
	}
	defer reg.Close()
	if c, _ := reg.Case("c1"); c.State != register.Answered {
		t.Errorf("state %s", c.State)
	}
}

// What Check records is data, said in the reader's language: counts agree
// with their numbers by each language's plural rules, French putting 0
// with 1.
func TestCheckSummaryText(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    register.CheckSummary
		want map[string]string
	}{
		{"no finding", register.CheckSummary{}, map[string]string{
			"en": "0 findings, none an error", "fr": "0 constat, aucune erreur", "nl": "0 vaststellingen, geen fout", "de": "0 Feststellungen, kein Fehler"}},
		{"one warning", register.CheckSummary{Findings: 1, Warnings: 1}, map[string]string{
			"en": "1 finding, none an error; 1 warning to check", "fr": "1 constat, aucune erreur ; 1 avertissement à vérifier",
			"nl": "1 vaststelling, geen fout; 1 waarschuwing om na te gaan", "de": "1 Feststellung, kein Fehler; 1 Warnung zu prüfen"}},
		{"two and two", register.CheckSummary{Findings: 2, Warnings: 2}, map[string]string{
			"en": "2 findings, none an error; 2 warnings to check", "fr": "2 constats, aucune erreur ; 2 avertissements à vérifier",
			"nl": "2 vaststellingen, geen fout; 2 waarschuwingen om na te gaan", "de": "2 Feststellungen, kein Fehler; 2 Warnungen zu prüfen"}},
		{"rules not met", register.CheckSummary{Findings: 1, NotMet: []register.RuleNotMet{{Rule: "46bis-reasoned", Article: "art. 46bis §1"}}}, map[string]string{
			"en": "rules not met: 46bis-reasoned (art. 46bis §1)", "fr": "règles non respectées : 46bis-reasoned (art. 46bis §1)",
			"nl": "niet nageleefde regels: 46bis-reasoned (art. 46bis §1)", "de": "nicht erfüllte Regeln: 46bis-reasoned (art. 46bis §1)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, tag := range requisition.Languages() {
				if got := tc.s.Text(tag); got != tc.want[tag.String()] {
					t.Errorf("%s: %q, want %q", tag, got, tc.want[tag.String()])
				}
			}
		})
	}
}

// A step's note: a check's summary in the reader's language, also when an
// earlier version recorded it as an English note; a member's own note as
// written.
func TestNoteText(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    register.Transition
		fr   string
	}{
		{"a check's summary", register.Transition{Event: register.CheckLawful, Check: &register.CheckSummary{Findings: 3}}, "3 constats, aucune erreur"},
		{"an earlier version's note, lawful", register.Transition{Event: register.CheckLawful, Note: "0 finding(s), none an error"}, "0 constat, aucune erreur"},
		{"an earlier version's note, with warnings", register.Transition{Event: register.CheckLawful, Note: "1 finding(s), none an error; 1 warning(s) to check"},
			"1 constat, aucune erreur ; 1 avertissement à vérifier"},
		{"an earlier version's note, contested", register.Transition{Event: register.Contest, Note: "rules not met: dates (dates); 46bis-reasoned (art. 46bis §1)"},
			"règles non respectées : dates (dates); 46bis-reasoned (art. 46bis §1)"},
		{"a member's note on a contest", register.Transition{Event: register.Contest, Note: "the order names no offence"}, "the order names no offence"},
		{"a member's note that looks like a count, on another step", register.Transition{Event: register.Acknowledge, Note: "2 finding(s), none an error"}, "2 finding(s), none an error"},
		{"a note that is almost a count", register.Transition{Event: register.CheckLawful, Note: "two finding(s), none an error"}, "two finding(s), none an error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.t.NoteText(language.French); got != tc.fr {
				t.Errorf("%q, want %q", got, tc.fr)
			}
		})
	}
}
