package retention_test

import (
	"fmt"
	"testing"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

func ts(s string) timesync.Timestamp { return timesync.MustParseTimestamp(s) }

func TestAgeMonths(t *testing.T) {
	for _, tc := range []struct {
		name, asked, at string
		want            int
	}{
		{"same second", "2026-03-01T10:00:00+01:00", "2026-03-01T10:00:00+01:00", 0},
		{"asked after the lookup", "2026-03-02T10:00:00+01:00", "2026-03-01T10:00:00+01:00", 0},
		{"a second short of a month", "2026-01-15T10:00:00+01:00", "2026-02-15T09:59:59+01:00", 0},
		{"a month to the second", "2026-01-15T10:00:00+01:00", "2026-02-15T10:00:00+01:00", 1},
		{"month end stands for the 31st", "2026-01-31T12:00:00+01:00", "2026-02-28T12:00:00+01:00", 1},
		{"a minute before the month end", "2026-01-31T12:00:00+01:00", "2026-02-28T11:59:00+01:00", 0},
		{"across summer time, wall clock", "2026-03-15T10:00:00+01:00", "2026-04-15T10:00:00+02:00", 1},
		{"across a year", "2025-11-20T00:00:00+01:00", "2026-11-20T00:00:00+01:00", 12},
		{"a day short of a year", "2025-11-20T00:00:00+01:00", "2026-11-19T00:00:00+01:00", 11},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := retention.AgeMonths(ts(tc.asked), ts(tc.at)); got != tc.want {
				t.Errorf("AgeMonths = %d, want %d", got, tc.want)
			}
		})
	}
}

func lk(ref, asked, at string, n int, amb bool) register.LookupRecord {
	return register.LookupRecord{Ref: register.Ref(ref), By: "tech", Actor: "alice", Asked: ts(asked), At: ts(at), Candidates: n, Ambiguous: amb}
}

func TestNewYearlyReport(t *testing.T) {
	all := []register.LookupRecord{
		lk("WO-1", "2026-10-29T21:47:03+01:00", "2026-10-30T09:30:00+01:00", 1, false),
		lk("WO-1", "2026-10-29T21:47:03+01:00", "2026-10-30T09:31:00+01:00", 3, true),
		lk("WO-2", "2026-02-01T08:00:00+01:00", "2026-06-10T09:00:00+02:00", 0, true),
		lk("WO-3", "2025-12-01T08:00:00+01:00", "2026-12-31T23:59:59+01:00", 1, false),
		lk("WO-4", "2025-12-01T08:00:00+01:00", "2027-01-01T00:00:00+01:00", 1, false), // 2027 in Brussels
		lk("WO-5", "2025-06-01T08:00:00+02:00", "2025-12-31T22:59:59Z", 2, false),      // 2025-12-31 23:59:59 in Brussels
	}
	for _, tc := range []struct {
		name                                     string
		lookups                                  []register.LookupRecord
		year                                     int
		requests, items, unanswered, amb, orders int
		ages                                     []int
	}{
		{"no lookups", nil, 2026, 0, 0, 0, 0, 0, []int{0, 0, 0, 0, 0}},
		{"a year of lookups", all, 2026, 4, 5, 1, 2, 3, []int{2, 1, 0, 0, 1}},
		{"the year before, by Brussels time", all, 2025, 1, 2, 0, 0, 1, []int{0, 0, 1, 0, 0}},
		{"the new year in Brussels", all, 2027, 1, 1, 0, 0, 1, []int{0, 0, 0, 0, 1}},
		{"a year with none", all, 2030, 0, 0, 0, 0, 0, []int{0, 0, 0, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := retention.NewYearlyReport(tc.lookups, tc.year, nil, provenance.Source{})
			got := []int{r.Requests, r.ItemsTransmitted, r.Unanswered, r.Ambiguous, r.WorkOrders}
			want := []int{tc.requests, tc.items, tc.unanswered, tc.amb, tc.orders}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("requests, items, unanswered, ambiguous, orders = %v, want %v", got, want)
			}
			var ages []int
			for _, a := range r.Age {
				ages = append(ages, a.Requests)
			}
			if fmt.Sprint(ages) != fmt.Sprint(tc.ages) {
				t.Errorf("ages = %v, want %v", ages, tc.ages)
			}
			if r.AgeBands.Certainty != provenance.Unverified {
				t.Errorf("default bands certainty %v, want [U]", r.AgeBands.Certainty)
			}
		})
	}
}

func TestYearlyReportFieldSources(t *testing.T) {
	r := retention.NewYearlyReport(nil, 2026, nil, provenance.Source{})
	want := map[string][]provenance.Certainty{
		"requests": {provenance.Verified, provenance.Unverified}, "items_transmitted": {provenance.Verified, provenance.Unverified},
		"age": {provenance.Verified, provenance.Unverified}, "unanswered": {provenance.Verified, provenance.Unverified},
		"ambiguous": {provenance.Technical}, "work_orders": {provenance.Technical},
	}
	if len(r.Fields) != len(want) {
		t.Fatalf("%d fields, want %d", len(r.Fields), len(want))
	}
	for _, f := range r.Fields {
		var got []provenance.Certainty
		for _, s := range f.Sources {
			got = append(got, s.Certainty)
		}
		if fmt.Sprint(got) != fmt.Sprint(want[f.Name]) {
			t.Errorf("field %s: certainties %v, want %v", f.Name, got, want[f.Name])
		}
	}
}

func TestYearlyReportCustomBands(t *testing.T) {
	src := provenance.Source{Instrument: "BIPT form", Certainty: provenance.Verified}
	bands := []retention.AgeBand{{FromMonths: 0, UntilMonths: 6}, {FromMonths: 6, UntilMonths: 12}}
	r := retention.NewYearlyReport([]register.LookupRecord{
		lk("WO-1", "2025-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 1, false), // 14 months: no band
		lk("WO-2", "2026-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 1, false),
	}, 2026, bands, src)
	if r.Requests != 2 || r.Age[0].Requests != 1 || r.Age[1].Requests != 0 || r.AgeBands != src {
		t.Errorf("report %+v", r)
	}
}

// The yearly confidential report for BIPT, from the lookups a register
// recorded: exact counts, each field with its sources.
func ExampleNewYearlyReport() {
	lookups := []register.LookupRecord{
		{Ref: "WO-1", Asked: ts("2026-10-29T21:47:03+01:00"), At: ts("2026-10-30T09:30:00+01:00"), Candidates: 1},
		{Ref: "WO-2", Asked: ts("2026-02-01T08:00:00+01:00"), At: ts("2026-06-10T09:00:00+02:00"), Candidates: 0, Ambiguous: true},
		{Ref: "WO-3", Asked: ts("2026-04-01T08:00:00+02:00"), At: ts("2026-04-02T08:00:00+02:00"), Candidates: 2, Ambiguous: true},
	}
	r := retention.NewYearlyReport(lookups, 2026, nil, provenance.Source{})
	fmt.Println("requests", r.Requests, "items", r.ItemsTransmitted, "unanswered", r.Unanswered)
	for _, a := range r.Age {
		fmt.Println(a.Band, a.Requests)
	}
	for _, f := range r.Fields[:1] {
		for _, s := range f.Sources {
			fmt.Println(f.Name, s.Certainty)
		}
	}
	fmt.Println("bands", r.AgeBands.Certainty)
	// Output:
	// requests 3 items 3 unanswered 1
	// 0-3 months 2
	// 3-6 months 1
	// 6-9 months 0
	// 9-12 months 0
	// 12+ months 0
	// requests [V]
	// requests [U]
	// bands [U]
}
