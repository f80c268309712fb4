package retention

import (
	"fmt"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// AgeBand is a band of the age of the data requested, in whole calendar
// months (Belgian time) between the instant asked about and the lookup:
// from FromMonths included to UntilMonths excluded; UntilMonths 0 is
// open.
type AgeBand struct {
	FromMonths  int `json:"from_months"`
	UntilMonths int `json:"until_months,omitzero"`
}

// String returns "0-3 months", "12+ months".
func (b AgeBand) String() string {
	if b.UntilMonths == 0 {
		return fmt.Sprintf("%d+ months", b.FromMonths)
	}
	return fmt.Sprintf("%d-%d months", b.FromMonths, b.UntilMonths)
}

// contains reports whether an age of m months falls in the band.
func (b AgeBand) contains(m int) bool {
	return m >= b.FromMonths && (b.UntilMonths == 0 || m < b.UntilMonths)
}

// ReportAgeBands returns the bands [YearlyReport] counts the age of the
// data requested in: 0-3, 3-6, 6-9, 9-12 and 12 or more months. BIPT's
// own bands, if its form has any, were not found [U]
// ([ReportAgeBandsSource]); these are ccjkit's choice, quarters of the
// 12 months identification data are kept ([Law2022Identification]), and
// the exact months of every request can be recounted from the register's
// lookup records.
func ReportAgeBands() []AgeBand {
	return []AgeBand{{0, 3}, {3, 6}, {6, 9}, {9, 12}, {12, 0}}
}

// ReportAgeBandsSource returns the source of [ReportAgeBands]: ccjkit's
// own choice, unverified [U] as BIPT's form was not retrieved.
func ReportAgeBandsSource() provenance.Source {
	return provenance.Source{Instrument: "ccjkit", Article: "retention-report-age-bands",
		Edition:   "quarters of the 12-month identification period; BIPT's bands, if any, not retrieved",
		Certainty: provenance.Unverified}
}

// Statistics2013Source returns the source of the fields of the yearly
// statistics operators send BIPT under the royal decree of 19 September
// 2013: the number of requests, of data items transmitted, the age of
// the data requested and the requests left unanswered — read on BIPT's
// page of its 2018 statistics [V, 2013 regime].
func Statistics2013Source() provenance.Source {
	return provenance.Source{Instrument: "arrêté royal du 19 septembre 2013",
		Edition:   "fields of the 2013 regime's statistics on data retention, as BIPT publishes them",
		Certainty: provenance.Verified, URL: "https://bipt.be/operators/publication/statistics-on-data-retention-in-2018"}
}

// Statistics2023Source returns the source of the same fields under the
// royal decree of 4 October 2023, whose statistics articles (3 to 5) were
// not retrieved: that it keeps these fields is unverified [U].
func Statistics2023Source() provenance.Source {
	return provenance.Source{Instrument: "arrêté royal du 4 octobre 2023",
		Article:   "arts. 3 to 5 (statistics)",
		Edition:   "the fields of the 2013 regime assumed kept; the articles were not retrieved",
		Certainty: provenance.Unverified, URL: "https://wetwijzer.be/laws/2023046283/compare"}
}

// ReportField is one field of the yearly report with where it comes from.
type ReportField struct {
	// Name is the field's name in [YearlyReport]'s JSON.
	Name string `json:"name"`
	// Sources are the texts that ask for the field: the 2013 decree [V],
	// the 2023 decree [U] — or ccjkit's rule [T] for a count the cell
	// keeps for itself.
	Sources []provenance.Source `json:"sources"`
}

// AgeCount is the number of requests whose data were of an age in Band.
type AgeCount struct {
	Band     AgeBand `json:"band"`
	Requests int     `json:"requests"`
}

// YearlyReport is the confidential yearly report for BIPT: exact counts,
// not suppressed (the public statistics of package register hide small
// counts; this report goes to the regulator only), of the lookups the
// register recorded in one calendar year (Belgian time, by the instant
// each lookup was made).
type YearlyReport struct {
	Year int `json:"year"`
	// Requests is the number of lookups made: each identification asked
	// of the store under a work order.
	Requests int `json:"requests"`
	// ItemsTransmitted is the number of data items the answers gave: the
	// sum of their candidates.
	ItemsTransmitted int `json:"items_transmitted"`
	// Age counts the requests by the age of the data requested
	// (the lookup's instant less the instant asked about), in Bands.
	Age []AgeCount `json:"age"`
	// Unanswered is the number of requests whose answer had no candidate.
	Unanswered int `json:"unanswered"`
	// Ambiguous is the number of answers that were not one exact
	// candidate: not a field of BIPT's, kept for the cell [T].
	Ambiguous int `json:"ambiguous"`
	// WorkOrders is the number of distinct work orders the lookups cited
	// [T].
	WorkOrders int `json:"work_orders"`
	// Fields gives every field above its sources; AgeBands the source of
	// the bands.
	Fields   []ReportField     `json:"fields"`
	AgeBands provenance.Source `json:"age_bands"`
}

// NewYearlyReport counts the lookups (as [register.Register.Lookups]
// returns them) made in calendar year year, in Belgian time, into the
// age bands bands ([ReportAgeBands] when nil, whose source is then
// [ReportAgeBandsSource]; bandsSource otherwise). A lookup older than no
// band is counted in none; the bands' counts then add up to less than
// Requests. An instant asked about after the lookup (a clock's error) is
// of age 0.
func NewYearlyReport(lookups []register.LookupRecord, year int, bands []AgeBand, bandsSource provenance.Source) YearlyReport {
	if bands == nil {
		bands, bandsSource = ReportAgeBands(), ReportAgeBandsSource()
	}
	r := YearlyReport{Year: year, AgeBands: bandsSource}
	for _, b := range bands {
		r.Age = append(r.Age, AgeCount{Band: b})
	}
	var refs []register.Ref
	for _, l := range lookups {
		if l.At.IsZero() || l.At.Brussels().Year() != year {
			continue
		}
		r.Requests++
		r.ItemsTransmitted += l.Candidates
		if l.Candidates == 0 {
			r.Unanswered++
		}
		if l.Ambiguous {
			r.Ambiguous++
		}
		refs = append(refs, l.Ref)
		m := AgeMonths(l.Asked, l.At)
		for i := range r.Age {
			if r.Age[i].Band.contains(m) {
				r.Age[i].Requests++
				break
			}
		}
	}
	slices.Sort(refs)
	r.WorkOrders = len(slices.Compact(refs))
	bipt := []provenance.Source{Statistics2013Source(), Statistics2023Source()}
	cell := []provenance.Source{provenance.Rule("retention-report-cell-counts")}
	r.Fields = []ReportField{
		{"requests", bipt}, {"items_transmitted", bipt}, {"age", bipt}, {"unanswered", bipt},
		{"ambiguous", cell}, {"work_orders", cell},
	}
	return r
}

// AgeMonths returns the age of data asked about at instant asked when
// looked up at instant at: the whole calendar months between them in
// Belgian time, 0 when asked is not before at. A month is reached at the
// same wall-clock time on the same day of the month, or on the month's
// last day when it has no such day: from 2026-01-31 12:00, 2026-02-28
// 11:59 is 0 months and 2026-02-28 12:00 is 1.
func AgeMonths(asked, at timesync.Timestamp) int {
	a, b := asked.Brussels(), at.Brussels()
	if !a.Before(b) {
		return 0
	}
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	// The same wall clock m months after a, in Brussels; when that day
	// does not exist (31 in a shorter month), its month's end.
	y, mo := a.Year(), a.Month()+time.Month(m)
	last := time.Date(y, mo+1, 0, 0, 0, 0, 0, timesync.Brussels()).Day()
	d := min(a.Day(), last)
	anniversary := time.Date(y, mo, d, a.Hour(), a.Minute(), a.Second(), a.Nanosecond(), timesync.Brussels())
	if b.Before(anniversary) {
		m--
	}
	return max(m, 0)
}
