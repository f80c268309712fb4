package requisition_test

import (
	"encoding/json"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/requisitiontest"
	"github.com/ccjkit/ccjkit/timesync"
)

func ts(s string) timesync.Timestamp {
	t, err := timesync.ParseBrussels(s, timesync.Strict)
	if err != nil {
		panic(err)
	}
	return t
}

// base is a lawful 88bis order of a juge d'instruction.
func base() requisition.Requisition {
	return requisition.Requisition{
		Reference: "BR.12.34.567890/26", Measure: requisition.TrafficLocation, Authority: requisition.JugeInstruction,
		Ordered: ts("2026-03-02 10:00"), Received: ts("2026-03-02 10:30"), Reasoned: true,
		ValidUntil: ts("2026-05-01 00:00"),
		Items:      []requisition.Item{requisition.ItemTrafficRecords, requisition.ItemLocationRecords},
		Targets: []requisition.Target{{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("2001:db8::1"),
			From: ts("2026-02-20 00:00"), Until: ts("2026-03-01 00:00")}},
		Response: requisition.ResponsePolicy{Kind: requisition.RealTime},
	}
}

var checkedAt = ts("2026-03-02 11:00").Time()

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(r *requisition.Requisition)
		at      time.Time
		want    error  // nil: valid
		rule    string // a finding with this rule must be present
		field   string
		warning bool // the rule's finding is a warning, not an error
	}{
		{name: "lawful 88bis order of the juge", edit: func(*requisition.Requisition) {}},
		{name: "procureur ordering 88bis outside the allowed cases", want: requisition.ErrAuthority, rule: "88bis-authority", field: "authority",
			edit: func(r *requisition.Requisition) { r.Authority = requisition.ProcureurDuRoi }},
		{name: "procureur in flagrant délit for a 90ter offence, confirmation pending", rule: "88bis-confirmation", field: "confirmed", warning: true,
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.FlagrantDelit, []string{"90ter-drugs"}
			}},
		{name: "flagrant délit not confirmed within 24 hours", at: ts("2026-03-03 10:00").Time(), want: requisition.ErrConfirmation, rule: "88bis-confirmation",
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.FlagrantDelit, []string{"90ter-drugs"}
			}},
		{name: "flagrant délit confirmed late", want: requisition.ErrConfirmation, rule: "88bis-confirmation", at: ts("2026-03-03 12:00").Time(),
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.FlagrantDelit, []string{"90ter-drugs"}
				r.Confirmed = ts("2026-03-03 10:00")
			}},
		{name: "hostage-taking needs no confirmation while the flagrant délit lasts", at: ts("2026-03-05 10:00").Time(), rule: "88bis-confirmation", warning: true,
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.FlagrantDelit, []string{"penal-347bis"}
			}},
		{name: "extortion together with a drugs offence still needs the confirmation", at: ts("2026-03-05 10:00").Time(), want: requisition.ErrConfirmation, rule: "88bis-confirmation",
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.FlagrantDelit, []string{"90ter-drugs", "penal-470"}
			}},
		{name: "confirmation dated before the order", want: requisition.ErrConfirmation, rule: "88bis-confirmation",
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.FlagrantDelit, []string{"90ter-drugs"}
				r.Confirmed = ts("2026-03-01 09:00")
			}},
		{name: "confirmation dated after the check", want: requisition.ErrConfirmation, rule: "88bis-confirmation",
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.FlagrantDelit, []string{"90ter-drugs"}
				r.Confirmed = ts("2026-03-02 12:00")
			}},
		{name: "extended search by an officer", want: requisition.ErrAuthority, rule: "88ter-authority",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Authority, r.ValidUntil = requisition.ExtendedSearch, requisition.OfficierPoliceJudiciaire, timesync.Timestamp{}
				r.Items = []requisition.Item{requisition.ItemSystemAccess}
			}},
		{name: "extended search needs no reasoned order of its own",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Reasoned, r.ValidUntil = requisition.ExtendedSearch, false, timesync.Timestamp{}
				r.Items = []requisition.Item{requisition.ItemSystemAccess}
			}},
		{name: "88quater §1 against the inculpé is not barred by §2",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Cooperation, r.Addressee, r.ValidUntil = requisition.Cooperation, requisition.CooperationInformation, requisition.Inculpe, timesync.Timestamp{}
				r.Items = []requisition.Item{requisition.ItemSystemAccess}
			}},
		{name: "88quater without its paragraph", want: requisition.ErrMissing, rule: "required", field: "cooperation",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.ValidUntil = requisition.Cooperation, timesync.Timestamp{}
				r.Items = []requisition.Item{requisition.ItemSystemAccess}
			}},
		{name: "no response policy recorded", want: requisition.ErrMissing, rule: "response", field: "response.kind",
			edit: func(r *requisition.Requisition) { r.Response = requisition.ResponsePolicy{} }},
		{name: "unknown circumstance", want: requisition.ErrUnknownValue, rule: "required", field: "circumstance",
			edit: func(r *requisition.Requisition) { r.Circumstance = 9 }},
		{name: "duplicate target is a warning", rule: "targets", field: "targets[1]", warning: true,
			edit: func(r *requisition.Requisition) { r.Targets = append(r.Targets, r.Targets[0]) }},
		{name: "procureur at a plaintiff's request for Telecom Act 145 §3bis",
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.PlaintiffRequest, []string{"telecom-145-3bis"}
			}},
		{name: "plaintiff's request for another offence", want: requisition.ErrAuthority, rule: "88bis-authority",
			edit: func(r *requisition.Requisition) {
				r.Authority, r.Circumstance, r.Offences = requisition.ProcureurDuRoi, requisition.PlaintiffRequest, []string{"90ter-drugs"}
			}},
		{name: "period beyond two months", want: requisition.ErrDuration, rule: "period", field: "valid_until",
			edit: func(r *requisition.Requisition) { r.ValidUntil = ts("2026-05-03 12:00") }},
		{name: "period of exactly two months (to 24:00 on 2 May)",
			edit: func(r *requisition.Requisition) { r.ValidUntil = ts("2026-05-03 00:00") }},
		{name: "no period stated", want: requisition.ErrDuration, rule: "period",
			edit: func(r *requisition.Requisition) { r.ValidUntil = timesync.Timestamp{} }},
		{name: "88quater §2 order against the inculpé", want: requisition.ErrProtectedPerson, rule: "88quater-protected", field: "addressee",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Cooperation, r.Addressee, r.ValidUntil = requisition.Cooperation, requisition.CooperationOperation, requisition.Inculpe, timesync.Timestamp{}
				r.Items = []requisition.Item{requisition.ItemSystemAccess}
			}},
		{name: "88quater by a delegated officer",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Authority, r.Circumstance, r.ValidUntil = requisition.Cooperation, requisition.OfficierPoliceJudiciaire, requisition.Delegation, timesync.Timestamp{}
				r.Cooperation = requisition.CooperationOperation
				r.Items = []requisition.Item{requisition.ItemSystemAccess}
			}},
		{name: "missing reasoned order", want: requisition.ErrNotReasoned, rule: "88bis-reasoned", field: "reasoned",
			edit: func(r *requisition.Requisition) { r.Reasoned = false }},
		{name: "46bis by an officer in extreme urgency, orally agreed", rule: "46bis-reasoned", warning: true,
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Authority, r.Circumstance, r.Reasoned, r.ValidUntil = requisition.Identification, requisition.OfficierPoliceJudiciaire, requisition.ExtremeUrgency, false, timesync.Timestamp{}
				r.Items = []requisition.Item{requisition.ItemIdentity, requisition.ItemIPAddressPort}
			}},
		{name: "order checked after its stated period", at: ts("2026-05-02 12:00").Time(), want: requisition.ErrOutsideValidity, rule: "validity",
			edit: func(*requisition.Requisition) {}},
		{name: "order dated after the check", at: ts("2026-03-01 12:00").Time(), want: requisition.ErrOutsideValidity, rule: "dates", field: "ordered",
			edit: func(*requisition.Requisition) {}},
		{name: "interception by the procureur without a 90ter offence", want: requisition.ErrAuthority, rule: "90ter-authority",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Authority, r.ValidUntil = requisition.Interception, requisition.ProcureurDuRoi, ts("2026-04-01 00:00")
			}},
		{name: "interception beyond one month", want: requisition.ErrDuration, rule: "period",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Offences = requisition.Interception, []string{"90ter-terrorism"}
			}},
		{name: "identification asked for traffic records", want: requisition.ErrItem, rule: "items", field: "items[0]",
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Authority, r.ValidUntil = requisition.Identification, requisition.ProcureurDuRoi, timesync.Timestamp{}
			}},
		{name: "IP target without its moment", want: requisition.ErrTarget, rule: "targets", field: "targets[0]",
			edit: func(r *requisition.Requisition) { r.Targets[0].From = timesync.Timestamp{} }},
		{name: "extended search by the procureur: only a warning, the law changed in 2016", rule: "88ter-authority", warning: true,
			edit: func(r *requisition.Requisition) {
				r.Measure, r.Authority, r.ValidUntil = requisition.ExtendedSearch, requisition.ProcureurDuRoi, timesync.Timestamp{}
				r.Items = []requisition.Item{requisition.ItemSystemAccess}
			}},
		{name: "stated response moment before receipt", want: requisition.ErrResponsePolicy, rule: "response",
			edit: func(r *requisition.Requisition) {
				r.Response = requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: ts("2026-03-01 09:00")}
			}},
		{name: "everything missing", want: requisition.ErrMissing, rule: "required", field: "reference",
			edit: func(r *requisition.Requisition) { *r = requisition.Requisition{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			r.Targets = slices.Clone(r.Targets)
			tt.edit(&r)
			at := tt.at
			if at.IsZero() {
				at = checkedAt
			}
			if edition(r, at) {
				// A rule of the text before the laws of 2016: an error
				// for an order signed before the first came into force,
				// judged below on the same order eleven years earlier
				// (2015: the same weekdays of March, the same clock
				// change); a warning saying what to check for this 2026
				// order, the text in force not being in ccjkit.
				checkUnverified(t, r, at, tt.rule)
				r, at = shiftYears(r, -11), at.AddDate(-11, 0, 0)
			}
			err := r.Validate(at, requisition.FromNextDay)
			fs := r.Findings(at, requisition.FromNextDay)
			if tt.want == nil && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.rule == "" {
				return
			}
			i := slices.IndexFunc(fs, func(f provenance.Finding) bool { return f.Rule == tt.rule })
			if i < 0 {
				t.Fatalf("no finding %q in %v", tt.rule, fs)
			}
			f := fs[i]
			if tt.field != "" && f.Field != tt.field {
				t.Errorf("field = %q, want %q", f.Field, tt.field)
			}
			if tt.warning && f.Severity != provenance.Warning {
				t.Errorf("severity = %v, want warning", f.Severity)
			}
			if f.Source.Instrument == "" {
				t.Errorf("finding without a source: %v", f)
			}
			for _, tag := range requisition.Languages() {
				if text := f.Text(tag); text == "" || strings.Contains(text, "%!") {
					t.Errorf("%v text %q", tag, text)
				}
			}
		})
	}
}

// edition reports whether a finding of the order comes from a rule whose
// text in force on the order's day ccjkit has not retrieved.
func edition(r requisition.Requisition, at time.Time) bool {
	for _, f := range r.Findings(at, requisition.FromNextDay) {
		if f.Source.Certainty == provenance.Unverified && f.Source.From >= requisition.Law2016RetentionInForce() {
			return true
		}
	}
	return false
}

// checkUnverified checks that every finding judged on a text ccjkit has
// not retrieved is at most a warning whose text says what to check, and
// that rule is still reported.
func checkUnverified(t *testing.T, r requisition.Requisition, at time.Time, rule string) {
	t.Helper()
	for _, f := range r.Findings(at, requisition.FromNextDay) {
		if f.Source.Certainty != provenance.Unverified {
			continue
		}
		if f.Severity == provenance.Error {
			t.Errorf("%s on an unverified text is an error; want a warning", f.Rule)
		}
		if !strings.Contains(f.Text(language.English), "check it by hand") || !strings.HasPrefix(f.Text(language.English), "under the text before the laws of 2016") {
			t.Errorf("%s does not say what to check: %s", f.Rule, f.Text(language.English))
		}
	}
	if rule != "" && !slices.ContainsFunc(r.Findings(at, requisition.FromNextDay), func(f provenance.Finding) bool { return f.Rule == rule }) {
		t.Errorf("no finding %s for the 2026 order", rule)
	}
}

// shiftYears moves every instant of the order by n years.
func shiftYears(r requisition.Requisition, n int) requisition.Requisition {
	sh := func(ts timesync.Timestamp) timesync.Timestamp {
		if ts.IsZero() {
			return ts
		}
		return timesync.FromTime(ts.Time().AddDate(n, 0, 0))
	}
	r.Ordered, r.Received, r.ValidUntil, r.Confirmed = sh(r.Ordered), sh(r.Received), sh(r.ValidUntil), sh(r.Confirmed)
	r.Response.Stated = sh(r.Response.Stated)
	r.Targets = slices.Clone(r.Targets)
	for i := range r.Targets {
		r.Targets[i].From, r.Targets[i].Until = sh(r.Targets[i].From), sh(r.Targets[i].Until)
	}
	return r
}

func TestAllFindingsNotJustTheFirst(t *testing.T) {
	r := base()
	r.Authority = requisition.OfficierPoliceJudiciaire
	r.Reasoned = false
	r.ValidUntil = ts("2026-06-01 00:00")
	r.Items = append(r.Items, requisition.ItemSystemAccess)
	// Judged by the text before the law of 25 December 2016, which ccjkit
	// holds: an order of 2015.
	r = shiftYears(r, -11)
	err := r.Validate(checkedAt.AddDate(-11, 0, 0), requisition.FromNextDay)
	for _, want := range []error{requisition.ErrAuthority, requisition.ErrNotReasoned, requisition.ErrDuration, requisition.ErrItem} {
		if !errors.Is(err, want) {
			t.Errorf("missing %v in %v", want, err)
		}
	}
	var ps *provenance.Problems
	if !errors.As(err, &ps) || len(ps.Findings) < 4 || ps.What != "requisition" {
		t.Fatalf("err = %v", err)
	}
}

func TestFindingsKeepSecrets(t *testing.T) {
	r := base()
	r.Reference = "SECRET-REF-4711"
	r.Targets = []requisition.Target{
		{Kind: requisition.TargetPhone, Value: "0470999888"},
		{Kind: requisition.TargetIMEI, Value: "356938035643801"},
		{Kind: requisition.TargetIP, Addr: netip.MustParseAddr("198.51.100.23")},
	}
	r.Offences = []string{"90ter-drugs"}
	r.Authority = requisition.ProcureurDuRoi
	err := r.Validate(checkedAt, requisition.FromNextDay)
	if err == nil {
		t.Fatal("expected findings")
	}
	var all strings.Builder
	all.WriteString(err.Error())
	for _, f := range r.Findings(checkedAt, requisition.FromNextDay) {
		for _, tag := range requisition.Languages() {
			all.WriteString(f.Text(tag))
		}
		b, _ := json.Marshal(f)
		all.Write(b)
	}
	for _, secret := range []string{"SECRET-REF-4711", "0470999888", "356938035643801", "198.51.100.23"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("a finding reveals %q", secret)
		}
	}
}

func TestFindingTextInFourLanguages(t *testing.T) {
	// An order of 2015, judged by the text before the law of 25 December
	// 2016, which ccjkit holds.
	r := shiftYears(base(), -11)
	r.Authority = requisition.OfficierPoliceJudiciaire
	f := r.Findings(checkedAt.AddDate(-11, 0, 0), requisition.FromNextDay)[0]
	want := map[string]string{
		"en":    "the authority (judicial police officer) may not order tracing and localisation here: only the juge d'instruction",
		"fr-BE": "l'autorité (officier de police judiciaire) ne peut pas ordonner ici le repérage et la localisation : seul le juge d'instruction",
		"nl-BE": "de overheid (officier van gerechtelijke politie) mag hier de opsporing en lokalisatie niet bevelen: enkel de onderzoeksrechter",
		"de-BE": "die Behörde (Offizier der Gerichtspolizei) darf hier die Rückverfolgung und Lokalisierung nicht anordnen: nur der Untersuchungsrichter",
		"ja":    "the authority (judicial police officer) may not order tracing and localisation here: only the juge d'instruction",
	}
	for tag, text := range want {
		if got := f.Text(language.MustParse(tag)); got != text {
			t.Errorf("%s:\n got %s\nwant %s", tag, got, text)
		}
	}
}

func TestCatalogueIsComplete(t *testing.T) {
	// Every message a finding can carry, in every language, differs from
	// the English unless it is a proper name: drawn from many findings.
	seen := map[string]bool{}
	rapid.Check(t, func(rt *rapid.T) {
		c := requisitiontest.Invalid().Draw(rt, "case")
		for _, f := range c.Requisition.Findings(c.At, requisition.FromNextDay) {
			en := f.Text(language.English)
			for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
				if got := f.Text(tag); got == en {
					rt.Fatalf("%v: %q is not translated", tag, en)
				}
			}
			seen[f.Rule] = true
		}
	})
	if len(seen) < 8 {
		t.Errorf("only %d rules seen: %v", len(seen), seen)
	}
}

// Property: every valid case validates; every invalid case reports its
// rule's sentinel.
func TestGeneratedCasesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := requisitiontest.Valid().Draw(t, "valid")
		if err := c.Requisition.Validate(c.At, requisition.FromNextDay); err != nil {
			t.Fatalf("valid case rejected: %v", err)
		}
		bad := requisitiontest.Invalid().Draw(t, "invalid")
		if err := bad.Requisition.Validate(bad.At, requisition.FromNextDay); !errors.Is(err, bad.Want) {
			t.Fatalf("breaking %s: err = %v, want %v", bad.Rule, err, bad.Want)
		}
	})
}

// Property: encoding round-trips every generated requisition, valid or not.
func TestEncodeDecodeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var c requisitiontest.Case
		if rapid.Bool().Draw(t, "valid") {
			c = requisitiontest.Valid().Draw(t, "case")
		} else {
			c = requisitiontest.Invalid().Draw(t, "case")
		}
		b, err := requisition.Encode(c.Requisition)
		if err != nil {
			t.Fatal(err)
		}
		back, err := requisition.Decode(b)
		if err != nil {
			t.Fatalf("Decode(%s): %v", b, err)
		}
		b2, _ := requisition.Encode(back)
		if string(b) != string(b2) {
			t.Fatalf("round trip changed the encoding:\n%s\n%s", b, b2)
		}
	})
}

// No finding is more severe than its source's certainty allows, whatever
// the order and its date — valid or broken, before or after the law of 25
// December 2016 came into force; every finding judged on a text of the
// Code d'instruction criminelle cites the edition in force on the order's
// day; and an order after that law gets no error from a rule of the text
// before it.
func TestSeverityNeverExceedsCertaintyProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var c requisitiontest.Case
		if rapid.Bool().Draw(t, "broken") {
			c = requisitiontest.Invalid().Draw(t, "case")
		} else {
			c = requisitiontest.Valid().Draw(t, "case")
		}
		r := c.Requisition
		day := timesync.Day(c.At)
		if !r.Ordered.IsZero() {
			day = timesync.Day(r.Ordered.Time())
		}
		for _, f := range r.Findings(c.At, requisition.FromNextDay) {
			if f.Severity > provenance.MaxSeverity(f.Source.Certainty) {
				t.Fatalf("%s is %v on a source %v", f.Rule, f.Severity, f.Source.Certainty)
			}
			if f.Source.Instrument == "Code d'instruction criminelle" && !f.Source.InForce(day) {
				t.Fatalf("%s cites %s, not in force on %s", f.Rule, f.Source, day)
			}
			if day >= requisition.Law2016RetentionInForce() && f.Source.Until == requisition.Law2016RetentionInForce() {
				t.Fatalf("%s judges an order of %s on the text before 2016", f.Rule, day)
			}
		}
	})
}

// How months are counted is not settled: a period within the latest end
// any month rule gives is a warning under a stricter rule, and an error
// only beyond every rule's end.
func TestPeriodBetweenMonthRules(t *testing.T) {
	r := shiftYears(base(), -11) // the text before 2016, which ccjkit holds
	lenient, err := requisition.ValidityEnd(r.Ordered.Time(), 2, requisition.FromNextDay)
	if err != nil {
		t.Fatal(err)
	}
	at := r.Received.Add(time.Hour).Time()
	for _, tc := range []struct {
		name  string
		until time.Time
		want  provenance.Severity
	}{
		{"at the end the next-day rule gives", lenient.At, provenance.Warning},
		{"a second beyond every rule", lenient.At.Add(time.Second), provenance.Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := r
			r.ValidUntil = timesync.FromTime(tc.until)
			for _, f := range r.Findings(at, requisition.FromOrderDay) {
				if f.Rule == "period" && f.Field == "valid_until" {
					if f.Severity != tc.want {
						t.Errorf("severity %v, want %v: %s", f.Severity, tc.want, f)
					}
					return
				}
			}
			t.Fatal("no period finding")
		})
	}
}

// An order that states no date is judged on the text in force on the day
// of the check, and a finding on a text ccjkit has not seen says so: the
// day is the check's, and the order's date must be found before the text
// is checked.
func TestUndatedOrderText(t *testing.T) {
	r := base()
	r.Authority = requisition.ProcureurDuRoi
	r.Ordered = timesync.Timestamp{}
	for _, tag := range requisition.Languages() {
		var got string
		for _, f := range r.Findings(checkedAt, requisition.FromNextDay) {
			if f.Rule == "88bis-authority" {
				got = f.Text(tag)
			}
		}
		want := map[string]string{"en": "the order states no date", "fr": "n'est pas datée", "nl": "niet gedateerd", "de": "nicht datiert"}[tag.String()]
		day := map[string]string{"en": "2026-03-02", "fr": "02/03/2026", "nl": "02/03/2026", "de": "02.03.2026"}[tag.String()]
		if got == "" || !strings.Contains(got, want) || !strings.Contains(got, day) {
			t.Errorf("%v: %q", tag, got)
		}
	}
	dated := base()
	dated.Authority = requisition.ProcureurDuRoi
	for _, f := range dated.Findings(checkedAt, requisition.FromNextDay) {
		if f.Rule == "88bis-authority" && strings.Contains(f.Text(language.English), "states no date") {
			t.Errorf("a dated order is said undated: %s", f.Text(language.English))
		}
	}
}
