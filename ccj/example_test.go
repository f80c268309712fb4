package ccj_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

var tb testing.T

// Who answers the phone during the night of the October change, when 02:30
// happens twice? Alice has the night shift, 15 hours long that night.
func ExampleCell_OnCall() {
	c := sampleCell(&tb)
	night := c.Shifts[2]
	fmt.Println("night shift lasts", night.Duration())
	for _, when := range []string{"2026-10-25 02:30 CEST", "2026-10-25 02:30 CET", "2026-10-25 09:00"} {
		oc := c.OnCall(at(when))
		fmt.Println(when, "→", oc.Order)
	}
	// Output:
	// night shift lasts 15h0m0s
	// 2026-10-25 02:30 CEST → [alice bob]
	// 2026-10-25 02:30 CET → [alice bob]
	// 2026-10-25 09:00 → [bob alice]
}

// A compliance report over the weekend of the October change: the rota
// leaves Friday afternoon and Sunday evening uncovered.
func ExampleCell_Report() {
	c := sampleCell(&tb)
	for _, f := range c.Report(at("2026-10-23 12:00"), ccj.ReportOptions{Horizon: 3 * 24 * time.Hour}) {
		if f.Severity == provenance.Error {
			fmt.Println(f.Rule+":", f.Text(language.French))
			fmt.Println("   ", f.Text(language.Dutch))
		}
	}
	// Output:
	// coverage: personne d'éligible n'est de garde du 23/10/2026 12:00:00 +02:00 au 23/10/2026 18:00:00 +02:00 (6 h 00 min)
	//     niemand die in aanmerking komt heeft wacht van 23/10/2026 12:00:00 +02:00 tot 23/10/2026 18:00:00 +02:00 (6 h 00 min)
	// coverage: personne d'éligible n'est de garde du 25/10/2026 18:00:00 +01:00 au 26/10/2026 11:00:00 +01:00 (17 h 00 min)
	//     niemand die in aanmerking komt heeft wacht van 25/10/2026 18:00:00 +01:00 tot 26/10/2026 11:00:00 +01:00 (17 h 00 min)
}

func ExampleCell_ContactSheet() {
	c := sampleCell(&tb)
	c.ContactSheet(os.Stdout, at("2026-10-24 20:00"), language.English)
	// Output:
	// Justice Coordination Cell — Neutrinet CCJ
	// Operator: Neutrinet asbl
	// Address: Rue Example 1, 1000 Bruxelles, BE
	//
	// Order of calls: 2026-10-24 20:00:00 +02:00
	//   1. Alice Dubois (on call now) +32470000001
	//   2. Bob Peeters (backup) +32470000001
	//
	// Members with a valid security advice:
	//   - Alice Dubois [alice] phone +32470000001, email alice@example.be; valid to 2028-02-29 inclusive
	//   - Bob Peeters [bob] phone +32470000001, email bob@example.be; valid to 2027-01-14 inclusive
	//
	// NTSU-CTIF (interceptions): duty desk: +32 2 642 77 11, DSU.NTSU.CTIF.PERM@police.belgium.eu
	// Sheet drawn up on 2026-10-24 20:00:00 +02:00
}

// A night shift every Saturday, alice and bob taking turns week by week,
// over the weekends around the October change: the night the clocks go
// back lasts 15 hours.
func ExampleExpand() {
	night := ccj.Pattern{Weekday: time.Saturday, Start: "18:00", End: "08:00", Days: 1,
		Primaries: []string{"alice", "bob"}, Anchor: date.New(2026, 10, 12)}
	shifts, err := ccj.Expand([]ccj.Pattern{night}, date.New(2026, 10, 17), date.New(2026, 10, 31))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range shifts {
		fmt.Println(timesync.FromTime(s.Start), "→", timesync.FromTime(s.End), s.Duration(), s.Primary)
	}
	// Output:
	// 2026-10-17T18:00:00+02:00 → 2026-10-18T08:00:00+02:00 14h0m0s alice
	// 2026-10-24T18:00:00+02:00 → 2026-10-25T08:00:00+01:00 15h0m0s bob
	// 2026-10-31T18:00:00+01:00 → 2026-11-01T08:00:00+01:00 14h0m0s alice
}

// A cell file's rota is checked before it is used: every problem, each at
// its field, in one error.
func ExampleCell_Check() {
	c := sampleCell(&tb)
	c.Patterns = []ccj.Pattern{
		{Weekday: time.Sunday, Start: "02:30", End: "08:00", Primaries: []string{"alice"}},
		{Weekday: time.Monday, Start: "08:00", End: "18:00", Primaries: []string{"alice", "zoe"}},
	}
	err := c.Check(timesync.MustParseBrussels("2026-01-10 12:00", timesync.Strict).Time())
	var ps *provenance.Problems
	if errors.As(err, &ps) {
		for _, f := range ps.Errors() {
			fmt.Println(f.Field+":", f.Text(language.French))
		}
	}
	fmt.Println(errors.Is(err, ccj.ErrPattern))
	// Output:
	// patterns[0].start: le 29/03/2026, l'heure tombe dans l'heure sautée au passage à l'heure d'été
	// patterns[1].primaries[1]: le modèle de garde désigne quelqu'un qui n'est pas membre de la cellule
	// true
}

// A week of the weekly rota exported for the members' phones, and read
// back: every event maps to a shift, and a shift keeps its UID in the
// next export, whose window overlaps this one, so that importing it
// updates the phone's events instead of adding them again.
func ExampleCell_ExportICalendar() {
	c := weeklyCell(&tb)
	stamp := at("2026-11-23 10:05")
	var week, next bytes.Buffer
	if err := c.ExportICalendar(&week, ccj.Export{From: at("2026-11-23 00:00"), Until: at("2026-11-30 00:00"), Stamp: stamp}); err != nil {
		fmt.Println(err)
		return
	}
	c.ExportICalendar(&next, ccj.Export{From: at("2026-11-26 00:00"), Until: at("2026-12-03 00:00"), Stamp: stamp})
	im, err := c.ImportICalendar(bytes.NewReader(week.Bytes()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(im.Shifts), "shifts,", len(im.Unmapped), "not mapped")
	for _, s := range []ccj.Shift{im.Shifts[0], im.Shifts[4]} {
		uid := ccj.ShiftUID(c.Name, s.Primary, s.Start)
		fmt.Println(timesync.FromTime(s.Start), s.Primary, "/", s.Backup, "— in the next export:", strings.Contains(next.String(), "UID:"+uid))
	}
	// Output:
	// 8 shifts, 0 not mapped
	// 2026-11-22T08:00:00+01:00 carol / alice — in the next export: false
	// 2026-11-26T08:00:00+01:00 bob / carol — in the next export: true
}

// A month's rota drawn for the volunteers: the weekend of the October
// change is covered, and the rest of the month is red.
func ExampleCell_WriteMonthSVG() {
	c := sampleCell(&tb)
	var b bytes.Buffer
	if err := c.WriteMonthSVG(&b, 2026, time.October, language.French); err != nil {
		fmt.Println(err)
		return
	}
	svg := b.String()
	w, h := ccj.MonthSVGSize(31, len(c.Members))
	fmt.Println(w, "×", h, strings.Contains(svg, fmt.Sprintf(`width="%d" height="%d"`, w, h)))
	fmt.Println(strings.Contains(svg, "octobre 2026"), strings.Contains(svg, "dim 25 (25 h)"))
	fmt.Println(strings.Count(svg, "<title>trou"), "red bars")
	// Output:
	// 828 × 758 true
	// true true
	// 30 red bars
}
