package ccj_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
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
	// coverage: personne d'éligible n'est de garde du 2026-10-23T12:00:00+02:00 au 2026-10-23T18:00:00+02:00 (6h0m0s)
	//     niemand die in aanmerking komt heeft wacht van 2026-10-23T12:00:00+02:00 tot 2026-10-23T18:00:00+02:00 (6h0m0s)
	// coverage: personne d'éligible n'est de garde du 2026-10-25T18:00:00+01:00 au 2026-10-26T11:00:00+01:00 (17h0m0s)
	//     niemand die in aanmerking komt heeft wacht van 2026-10-25T18:00:00+01:00 tot 2026-10-26T11:00:00+01:00 (17h0m0s)
}

func ExampleCell_ContactSheet() {
	c := sampleCell(&tb)
	c.ContactSheet(os.Stdout, at("2026-10-24 20:00"), language.English)
	// Output:
	// Justice Coordination Cell — Neutrinet CCJ
	// Operator: Neutrinet asbl
	// Address: Rue Example 1, 1000 Bruxelles, BE
	//
	// Order of calls: 2026-10-24T20:00:00+02:00
	//   1. Alice Dubois (on call now) +32470000001
	//   2. Bob Peeters (backup) +32470000001
	//
	// Members with a valid security advice:
	//   - Alice Dubois [alice] phone +32470000001, email alice@example.be; valid until 2028-02-29
	//   - Bob Peeters [bob] phone +32470000001, email bob@example.be; valid until 2027-01-14
	//
	// NTSU-CTIF (interceptions): duty desk: +32 2 642 77 11, DSU.NTSU.CTIF.PERM@police.belgium.eu
	// Sheet drawn up on 2026-10-24T20:00:00+02:00
}
