package ccjkit_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

var update = flag.Bool("update", false, "rewrite docs/law.md from the code")

// lawRow is one rule of docs/law.md.
type lawRow struct {
	rule, where string
	src         provenance.Source
}

// lawRows lists every rule ccjkit applies, from the code's own values:
// measures, their periods and editions, the time rules, the penalties, the
// tariff's lines and the cell's rules.
func lawRows(t *testing.T) []lawRow {
	var rows []lawRow
	add := func(rule, where string, s provenance.Source) { rows = append(rows, lawRow{rule, where, s}) }
	may, after := requisition.Law2016RetentionInForce(), requisition.Law2016Published()
	for _, m := range requisition.Measures() {
		add(m.String()+": who may order it, what it covers", "requisition: Measure.Source, validator.authority, validator.items", requisition.Edition(m.Source(), may-1))
		add(m.String()+": the same, as the law of 29 May 2016 may have amended it", "requisition: Edition", requisition.Edition(m.Source(), may))
		add(m.String()+": the same, after the law of 25 December 2016", "requisition: Edition", requisition.Edition(m.Source(), after))
		if n, s := m.MaxMonths(); n > 0 {
			add(fmt.Sprintf("%s: at most %d %s from the order", m, n, map[bool]string{true: "month", false: "months"}[n == 1]), "requisition: Measure.MaxMonths, validator.period", requisition.Edition(s, may-1))
			add(fmt.Sprintf("%s: the maximum period as the law of 29 May 2016 may have amended it", m), "requisition: Edition", requisition.Edition(s, may))
			add(fmt.Sprintf("%s: the maximum period after the law of 25 December 2016", m), "requisition: Edition", requisition.Edition(s, after))
		}
	}
	add("the law of 29 May 2016 in force (it amended the Code, arts. 8-11)", "requisition: Law2016RetentionInForce, LawRetention2016Source, Edition", requisition.LawRetention2016Source())
	add("the law of 25 December 2016 in force (penalties; the powers from its publication)", "requisition: Law2016InForce, Law2016Source, LookupPenalty", requisition.Law2016Source())
	add("flagrant délit: the juge confirms within 24 hours", "requisition: ConfirmationDue, validator.confirmation", requisition.Edition(requisition.ConfirmationSource(), may-1))
	for _, r := range []requisition.MonthRule{requisition.FromNextDay, requisition.FromOrderDay} {
		add("periods in months: "+r.String(), "requisition: MonthRule, ValidityEnd", r.Source())
	}
	add("public holidays", "requisition: Holidays, AddWorkingDays", requisition.HolidaySource())
	add("how long a closed case is kept: the cell's written policy", "register: Keeping, PolicySource, Register.KeepingReport", register.PolicySource("the cell's decision"))
	add("keeping: counted from the closing day, calendar months", "register: Keeping.LastDay, Keeping.End", register.KeepingCountSource())
	add("keeping: no longer than necessary (storage limitation)", "register: Keeping.Findings", register.StorageLimitationSource())
	add("keeping: accounting books seven years (cost statements)", "register: Keeping.Findings", register.AccountingBooksSource())
	for _, k := range []requisition.ResponseKind{requisition.RealTime, requisition.Immediately, requisition.AtStatedMoment} {
		add("the answer: "+k.String(), "requisition: ResponsePolicy.Due", k.Source())
	}
	for _, p := range requisition.Penalties() {
		add("penalty "+p.ID, "requisition: Penalties, LookupPenalty", p.Source)
	}
	for _, l := range indemnity.Tariff() {
		s := l.Source()
		s.From, s.Until = l.From, l.Until // the line's days in force, l.InForceCertainty sure
		add("tariff "+l.Code+" "+string(l.Service), "indemnity: tariff.csv, Pricer.Price", s)
	}
	at := timesync.MustParseBrussels("2026-11-23 10:00", timesync.Strict).Time()
	seen := map[string]bool{}
	keep := func(prefix, where string, fs []provenance.Finding) {
		for _, f := range fs {
			key := prefix + f.Rule + "|" + f.Source.String()
			if !seen[key] {
				seen[key] = true
				add(prefix+f.Rule, where, f.Source)
			}
		}
	}
	// The cell's rules: an empty cell, and one with a member living
	// abroad whose advice runs out soon.
	abroad := ccj.Cell{Name: "cell", Operator: "operator", Address: ccj.Address{Country: "BE"},
		Members: []ccj.Member{{ID: "m", Name: "M", Role: ccj.CellMember, YearsInBelgium: 1,
			Advice: ccj.Advice{Status: ccj.AdvicePositive, Granted: date.New(2021, 12, 1)}}}}
	for _, c := range []ccj.Cell{{}, abroad} {
		keep("the cell: ", "ccj: Cell.Report, Cell.Validate", c.Report(at, ccj.ReportOptions{}))
	}
	// The rules a requisition's findings cite, on orders that break them,
	// signed in 2015, in 2016 between the two laws, and in 2026.
	for _, o := range lawOrders() {
		for _, signed := range []string{"2015-03-02 10:00", "2016-09-01 10:00", "2026-03-02 10:00"} {
			r := o
			r.Ordered = timesync.MustParseBrussels(signed, timesync.Strict)
			r.Received = r.Ordered.Add(30 * time.Minute)
			keep("requisition: ", "requisition: Requisition.Findings", r.Findings(r.Received.Time().Add(time.Hour), requisition.FromNextDay))
		}
	}
	return rows
}

// lawOrders are orders that, together, break every rule of validation.
func lawOrders() []requisition.Requisition {
	var out []requisition.Requisition
	for _, m := range requisition.Measures() {
		for _, a := range requisition.Authorities() {
			for _, c := range []requisition.Circumstance{requisition.Ordinary, requisition.FlagrantDelit, requisition.ExtremeUrgency, requisition.Delegation, requisition.PlaintiffRequest} {
				out = append(out, requisition.Requisition{Reference: "LAW", Measure: m, Authority: a, Circumstance: c,
					Offences: []string{"90ter-drugs", "no-such-offence"}, Items: requisition.Measures()[0].Items(),
					Targets:  []requisition.Target{{Kind: requisition.TargetPhone, Value: "x"}},
					Response: requisition.ResponsePolicy{Kind: requisition.RealTime}, Addressee: requisition.Inculpe,
					Cooperation: requisition.CooperationOperation})
			}
		}
	}
	return out
}

// lawTable renders the rows as docs/law.md.
func lawTable(rows []lawRow) string {
	var b strings.Builder
	b.WriteString(`# Every rule ccjkit applies

Generated from the code by ` + "`go test -run TestLawTable . -update`" + `; ` + "`TestLawTable`" + ` fails
when this page and the code disagree. Certainty: [V] seen in the official text,
[S] secondary source, [U] not verified, [T] a technical rule of ccjkit. A
finding on a [U] rule is at most a warning (` + "`provenance.MaxSeverity`" + `). Days in
force are Brussels days, the last one included; an open bound is written "—".

| rule | instrument and article | edition | in force | certainty | source | where |
|---|---|---|---|---|---|---|
`)
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	day := func(d date.Date) string {
		if d == 0 {
			return "—"
		}
		return d.String()
	}
	for _, r := range rows {
		s := r.src
		last := date.Date(0)
		if s.Until != 0 {
			last = s.Until - 1
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s to %s | %s | %s | %s |\n", esc(r.rule), esc(strings.TrimSpace(s.Instrument+" "+s.Article)), esc(s.Edition),
			day(s.From), day(last), s.Certainty, esc(s.URL), esc(r.where))
	}
	return b.String()
}

// docs/law.md is the table of every rule, as the code holds them.
func TestLawTable(t *testing.T) {
	rows := lawRows(t)
	if len(rows) < 30 {
		t.Fatalf("only %d rules", len(rows))
	}
	for _, r := range rows {
		if r.src.Instrument == "" {
			t.Errorf("%s: no instrument", r.rule)
		}
	}
	// The 2026 order of the issue: the post-2016 text is [U].
	if !slices.ContainsFunc(rows, func(r lawRow) bool {
		return strings.HasPrefix(r.rule, "traffic-location: the same, after") && r.src.Certainty == provenance.Unverified
	}) {
		t.Error("no [U] row for art. 88bis after 2016")
	}
	got := lawTable(rows)
	if *update {
		if err := os.WriteFile("docs/law.md", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("docs/law.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("docs/law.md differs from the code: run go test -run TestLawTable . -update and review the change")
	}
}
