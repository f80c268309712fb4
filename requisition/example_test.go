package requisition_test

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
)

// A juge d'instruction orders the tracing of a line on 30 June 2026 for two
// months (Code d'instruction criminelle art. 88bis §1). Until when may the
// operator act on it?
func ExampleValidityEnd() {
	ordered, _ := timesync.ParseBrussels("2026-06-30 16:20", timesync.Strict)
	d, _ := requisition.ValidityEnd(ordered.Time(), 2, requisition.FromNextDay)
	fmt.Println("last day:", d.LastDay)
	fmt.Println("valid until:", d)
	fmt.Print(d.Explain())
	// Output:
	// last day: 2026-08-31
	// valid until: 2026-09-01T00:00:00+02:00
	// 1. the order is dated, in Belgian civil time: 2026-06-30 — ccjkit an order's day is its calendar day in Belgian civil time [T]
	// 2. the day of the order is not counted; the period starts the next day: 2026-07-01 — Code judiciaire arts. 52-54 (art. 52 [V]; art. 54 wording not verified, worked examples from a secondary source) [U]
	// 3. 2 months on is 2026-09-01; the period ends the day before (veille de quantième): 2026-08-31 — Code judiciaire arts. 52-54 (art. 52 [V]; art. 54 wording not verified, worked examples from a secondary source) [U]
	// 4. the period runs to the end of its last day, 24:00 Brussels time: 2026-09-01T00:00:00+02:00 — Code judiciaire arts. 52-54 (art. 52 [V]; art. 54 wording not verified, worked examples from a secondary source) [U]
}

// In flagrant délit the procureur du Roi orders a localisation on Saturday
// 24 October 2026 at 12:00. That night clocks go back an hour: the juge
// d'instruction's confirmation is due 24 real hours later, at 11:00.
func ExampleConfirmationDue() {
	ordered, _ := timesync.ParseBrussels("2026-10-24 12:00", timesync.Strict)
	d := requisition.ConfirmationDue(ordered.Time())
	fmt.Println(d)
	fmt.Println(d.At.Sub(ordered.Time()))
	// Output:
	// 2026-10-25T11:00:00+01:00
	// 24h0m0s
}

func ExampleHolidays() {
	hs, _ := requisition.Holidays(2026)
	for _, h := range hs {
		fmt.Println(h.Date, h.Date.Weekday(), h.ID)
	}
	// Output:
	// 2026-01-01 Thursday new-year
	// 2026-04-06 Monday easter-monday
	// 2026-05-01 Friday labour-day
	// 2026-05-14 Thursday ascension
	// 2026-05-25 Monday whit-monday
	// 2026-07-21 Tuesday national-day
	// 2026-08-15 Saturday assumption
	// 2026-11-01 Sunday all-saints
	// 2026-11-11 Wednesday armistice
	// 2026-12-25 Friday christmas
}

func ExampleAddWorkingDays() {
	// Wednesday 13 May 2026, plus two working days: Thursday is Ascension.
	d, _ := requisition.AddWorkingDays(date.New(2026, time.May, 13), 2)
	fmt.Println(d, d.Weekday())
	// Output:
	// 2026-05-18 Monday
}

// The law sets no number for "real time": the deadline says so instead of
// inventing one.
func ExampleResponsePolicy_Due() {
	received := time.Date(2026, 11, 23, 21, 5, 0, 0, time.UTC)
	d, _ := requisition.ResponsePolicy{Kind: requisition.RealTime}.Due(received)
	fmt.Println(d)
	fmt.Print(d.Explain())
	// Output:
	// no fixed instant (real time)
	// 1. received: 2026-11-23T22:05:00+01:00 — arrêté royal du 9 janvier 2003 art. 1 3° (as replaced by the royal decree of 8 February 2011) [V]
	// 2. answer in real time: the minimum time the task needs by the rules of the art, without interruption, with adequate means and staff; the law sets no number: as soon as possible — arrêté royal du 9 janvier 2003 art. 1 3° (as replaced by the royal decree of 8 February 2011) [V]
}

// A procureur du Roi asks for the traffic data of an address, outside any
// flagrant délit, with no period stated. Validation lists every finding,
// here in French and in Dutch.
func ExampleRequisition_Validate() {
	// A procureur du Roi orders traffic data outside flagrant délit, with
	// no period, on 2 March 2015: the text before the law of 25 December
	// 2016, which ccjkit holds [V], does not allow it.
	ordered, _ := timesync.ParseBrussels("2015-03-02 10:00", timesync.Strict)
	r := requisition.Requisition{
		Reference: "BR.12.34.567890/15",
		Measure:   requisition.TrafficLocation, Authority: requisition.ProcureurDuRoi,
		Ordered: ordered, Received: ordered.Add(30 * time.Minute), Reasoned: true,
		Items:    []requisition.Item{requisition.ItemTrafficRecords},
		Targets:  []requisition.Target{{Kind: requisition.TargetPhone, Value: "+32470123456"}},
		Response: requisition.ResponsePolicy{Kind: requisition.RealTime},
	}
	err := r.Validate(ordered.Add(time.Hour).Time(), requisition.FromNextDay)
	fmt.Println(errors.Is(err, requisition.ErrAuthority), errors.Is(err, requisition.ErrDuration))
	var ps *provenance.Problems
	errors.As(err, &ps)
	for _, f := range ps.Findings {
		fmt.Printf("%s %s (%s %s)\n", f.Severity, f.Rule, f.Source.Article, f.Source.Certainty)
		fmt.Println("  fr:", f.Text(language.French))
	}

	// The same order on 2 March 2026 falls under the text as the law of
	// 2016 rewrote it, which ccjkit has not retrieved: no error, but
	// warnings that say what to check before contesting.
	r.Ordered = timesync.FromTime(r.Ordered.Time().AddDate(11, 0, 0))
	r.Received = r.Ordered.Add(30 * time.Minute)
	fmt.Println(r.Validate(r.Received.Add(time.Hour).Time(), requisition.FromNextDay))
	fs := r.Findings(r.Received.Add(time.Hour).Time(), requisition.FromNextDay)
	for _, f := range fs {
		fmt.Printf("%s %s (%s %s)\n", f.Severity, f.Rule, f.Source.Article, f.Source.Certainty)
	}
	fmt.Println("  en:", fs[0].Text(language.English))
	// Output:
	// true true
	// error 88bis-authority (art. 88bis §1 al. 5-6 [V])
	//   fr: l'autorité (procureur du Roi) ne peut pas ordonner ici le repérage et la localisation : le procureur du Roi ne peut l'ordonner qu'en cas de flagrant délit pour une infraction visée à l'art. 90ter §§2-4, ou à la demande d'un plaignant pour l'art. 145 §3 ou §3bis de la loi du 13 juin 2005
	// error period (art. 88bis §1 al. 4 [V])
	//   fr: l'ordonnance doit préciser la durée de la mesure (au plus 2 mois)
	// <nil>
	// warning 88bis-authority (art. 88bis §1 al. 5-6 [U])
	// warning period (art. 88bis §1 al. 4 [U])
	//   en: under the text before the laws of 2016: the authority (procureur du Roi) may not order tracing and localisation here: the procureur du Roi may order it only in flagrant délit for an offence of art. 90ter §§2-4, or at a plaintiff's request for Telecom Act art. 145 §3 or §3bis — ccjkit has not seen the text in force on 2026-03-02 (art. 88bis §1 al. 5-6): check it by hand before acting on this finding; refusing a lawful order is itself an offence
}

// Penalties carry their source; the multiplier applied to criminal fines is
// the caller's, with the caller's source, never a figure ccjkit assumes.
func ExamplePenalty_FineWithSurcharge() {
	p, _ := requisition.LookupPenalty("88bis-refusal", date.New(2015, 6, 1))
	fmt.Println(p.Conduct)
	fmt.Printf("fine %d to %d EUR before surcharge — %v\n", p.FineMin, p.FineMax, p.Source)
	factor, _ := new(big.Rat).SetString("5.5") // a factor the caller has checked, with its source
	lo, hi, _ := p.FineWithSurcharge(factor)
	fmt.Printf("with a factor of %s: %s to %s EUR\n", factor.FloatString(1), lo.FloatString(2), hi.FloatString(2))
	_, _, err := requisition.Penalty{ID: "x"}.FineWithSurcharge(factor)
	fmt.Println(errors.Is(err, requisition.ErrUnknownAmount))
	// Output:
	// refusing the technical cooperation an art. 88bis requisition asks for
	// fine 26 to 10000 EUR before surcharge — Code d'instruction criminelle art. 88bis §2 al. 3 (text before the laws of 29 May and 25 December 2016) in force until 2016-07-27 [V]
	// with a factor of 5.5: 143.00 to 55000.00 EUR
	// true
}

func ExampleDecode() {
	_, err := requisition.Decode([]byte(`{"measure": "wiretap", "targets": [{"kind": "ip", "adr": "192.0.2.1"}]}`))
	var ps *provenance.Problems
	if errors.As(err, &ps) {
		for _, f := range ps.Findings {
			fmt.Println(f.Field+":", f.Text(language.English))
		}
	}
	// Output:
	// measure: invalid value: want one of identification, traffic-location, interception, extended-search, cooperation
	// targets[0].adr: unknown field
}

// The same computation, explained in German for a cell member in Eupen.
func ExampleDeadline_ExplainIn() {
	ordered, _ := timesync.ParseBrussels("2026-01-31 09:00", timesync.Strict)
	d, _ := requisition.ValidityEnd(ordered.Time(), 1, requisition.FromOrderDay)
	for _, s := range d.Steps {
		fmt.Println(s.Text(language.German))
	}
	// Output:
	// die Anordnung ist datiert, in belgischer gesetzlicher Zeit: 31.01.2026
	// der Tag der Anordnung ist der erste Tag der Frist: 31.01.2026
	// 1 Monat später hat 02.2026 keinen Tag 31: die Frist endet am letzten Tag dieses Monats: 28.02.2026
	// die Frist läuft bis zum Ende ihres letzten Tages, 24 Uhr Brüsseler Zeit: 01.03.2026 00:00:00 +01:00
}

// Each enumeration names its values in the four languages of the catalogue;
// a value outside the enumeration prints as it is.
func ExampleAuthority_Label() {
	for _, tag := range requisition.Languages() {
		fmt.Println(requisition.JugeInstruction.Label(tag), "·", requisition.TrafficLocation.Label(tag), "·", requisition.RealTime.Label(tag))
	}
	fmt.Println(requisition.Authority(42).Label(language.French))
	// Output:
	// juge d'instruction · tracing and localisation · in real time
	// juge d'instruction · le repérage et la localisation · en temps réel
	// onderzoeksrechter · de opsporing en lokalisatie · in werkelijke tijd
	// Untersuchungsrichter · die Rückverfolgung und Lokalisierung · in Echtzeit
	// Authority(42)
}
