package requisition_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var rules = []requisition.MonthRule{requisition.FromNextDay, requisition.FromOrderDay}

// Property: a later order never ends earlier.
func TestValidityEndMonotonicProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := timesynctest.Instant().Draw(t, "a")
		b := timesynctest.Instant().Draw(t, "b")
		if b.Before(a) {
			a, b = b, a
		}
		n := rapid.IntRange(1, 24).Draw(t, "months")
		rule := rapid.SampledFrom(rules).Draw(t, "rule")
		da, err1 := requisition.ValidityEnd(a, n, rule)
		db, err2 := requisition.ValidityEnd(b, n, rule)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if db.At.Before(da.At) {
			t.Fatalf("order %v ends %v, later order %v ends earlier %v", a, da, b, db)
		}
	})
}

// Property: the period holds exactly n months: the day after its last day
// is the start's day-of-month n months on, or — when that month is too
// short — the first day of the next month; and it lasts between 28n and 31n
// days.
func TestValidityEndIsNMonthsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ordered := timesynctest.Instant().Draw(t, "ordered")
		n := rapid.IntRange(1, 24).Draw(t, "months")
		rule := rapid.SampledFrom(rules).Draw(t, "rule")
		d, err := requisition.ValidityEnd(ordered, n, rule)
		if err != nil {
			t.Fatal(err)
		}
		start := timesync.Day(ordered)
		if rule == requisition.FromNextDay {
			start++
		}
		after := d.LastDay + 1
		_, wantMonth, _ := start.AddDate(0, n, 0-start.Day()+1).Date() // the month n months on
		switch {
		case after.Day() == start.Day() && after.Month() == wantMonth:
		case after.Day() == 1 && start.Day() > 28 && after.Month() == wantMonth%12+1:
		default:
			t.Fatalf("start %v + %d months: last day %v (rule %v)", start, n, d.LastDay, rule)
		}
		if days := int(d.LastDay-start) + 1; days < 28*n-1 || days > 31*n {
			t.Fatalf("start %v + %d months lasts %d days", start, n, days)
		}
	})
}

// Property: the end instant is 24:00 Brussels time of the last day, across
// summer-time changes: the second before it is on the last day, and it
// shows midnight of the next day.
func TestValidityEndAtMidnightProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ordered := timesynctest.Instant().Draw(t, "ordered")
		d, err := requisition.ValidityEnd(ordered, rapid.IntRange(1, 24).Draw(t, "months"), rapid.SampledFrom(rules).Draw(t, "rule"))
		if err != nil {
			t.Fatal(err)
		}
		end := timesync.WallClockOf(timesync.FromTime(d.At))
		y, m, day := (d.LastDay + 1).Date()
		if end != (timesync.WallClock{Year: y, Month: m, Day: day}) {
			t.Fatalf("end %v shows %v, want midnight of %v", d.At, end, d.LastDay+1)
		}
		if timesync.Day(d.At.Add(-time.Second)) != d.LastDay {
			t.Fatalf("the second before %v is not on %v", d.At, d.LastDay)
		}
	})
}

// Property: the stricter rule never ends later, and more months never end
// earlier.
func TestStricterAndLongerProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ordered := timesynctest.Instant().Draw(t, "ordered")
		n := rapid.IntRange(1, 24).Draw(t, "months")
		civil, _ := requisition.ValidityEnd(ordered, n, requisition.FromNextDay)
		strict, _ := requisition.ValidityEnd(ordered, n, requisition.FromOrderDay)
		longer, _ := requisition.ValidityEnd(ordered, n+1, requisition.FromNextDay)
		if strict.At.After(civil.At) {
			t.Fatalf("strict %v after civil %v", strict, civil)
		}
		if !longer.At.After(civil.At) {
			t.Fatalf("%d+1 months %v not after %d months %v", n, longer, n, civil)
		}
	})
}

// Property: 24 hours are always 24 elapsed hours.
func TestConfirmationIs24ElapsedHoursProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ordered := timesynctest.Instant().Draw(t, "ordered")
		d := requisition.ConfirmationDue(ordered)
		if got := d.At.Sub(ordered); got != 24*time.Hour {
			t.Fatalf("confirmation due %v after the order", got)
		}
		if d.Kind != requisition.Fixed || len(d.Steps) == 0 {
			t.Fatalf("deadline %+v", d)
		}
	})
}

func dateGen() *rapid.Generator[date.Date] {
	return rapid.Map(timesynctest.Instant(), timesync.Day)
}

// Property: working-day arithmetic never lands on a weekend or holiday and
// counts exactly n working days.
func TestWorkingDaysProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := dateGen().Draw(t, "date")
		n := rapid.IntRange(-30, 30).Draw(t, "n")
		got, err := requisition.AddWorkingDays(d, n)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			if ok, _ := requisition.IsWorkingDay(got); !ok {
				t.Fatalf("%v + %d working days = %v, not a working day", d, n, got)
			}
		}
		lo, hi := d, got
		if n < 0 {
			lo, hi = got-1, d-1 // count (got, d] shifted: working days in [got, d)
		}
		count := 0
		for x := lo + 1; x <= hi; x++ {
			if ok, _ := requisition.IsWorkingDay(x); ok {
				count++
			}
		}
		if want := max(n, -n); count != want {
			t.Fatalf("%v + %d working days = %v, which is %d working days away", d, n, got, count)
		}
		next, err := requisition.NextWorkingDay(d)
		if err != nil {
			t.Fatal(err)
		}
		for x := d; x < next; x++ {
			if ok, _ := requisition.IsWorkingDay(x); ok {
				t.Fatalf("NextWorkingDay(%v) = %v skips working day %v", d, next, x)
			}
		}
		if ok, _ := requisition.IsWorkingDay(next); !ok {
			t.Fatalf("NextWorkingDay(%v) = %v is not a working day", d, next)
		}
	})
}

// Property: Easter is a Sunday between 22 March and 25 April, and the ten
// holidays are distinct, in order, in their year.
func TestHolidaysProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		year := rapid.IntRange(requisition.FirstHolidayYear, 2400).Draw(t, "year")
		e, err := requisition.Easter(year)
		if err != nil {
			t.Fatal(err)
		}
		if e.Weekday() != time.Sunday || e < date.New(year, time.March, 22) || e > date.New(year, time.April, 25) {
			t.Fatalf("Easter %d = %v (%v)", year, e, e.Weekday())
		}
		hs, err := requisition.Holidays(year)
		if err != nil || len(hs) != 10 {
			t.Fatalf("%d: %d holidays, %v", year, len(hs), err)
		}
		for i := 1; i < len(hs); i++ {
			if hs[i].Date < hs[i-1].Date || hs[i].Date.Year() != year {
				t.Fatalf("%d: holidays out of order: %v", year, hs)
			}
		}
	})
}

func TestKnownEasters(t *testing.T) {
	// Published Gregorian Easter dates.
	for year, want := range map[int]string{1974: "1974-04-14", 2000: "2000-04-23", 2008: "2008-03-23", 2019: "2019-04-21", 2038: "2038-04-25", 2285: "2285-03-22"} {
		if got, _ := requisition.Easter(year); got.String() != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestAscensionOnLabourDay(t *testing.T) {
	// 2008: Easter 23 March, Ascension 1 May — two holidays on one day.
	hs, err := requisition.Holidays(2008)
	if err != nil {
		t.Fatal(err)
	}
	if hs[2].Date != hs[3].Date || hs[2].Date != date.New(2008, time.May, 1) {
		t.Errorf("2008 holidays: %v", hs)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"holidays before 1974", func() error { _, err := requisition.Holidays(1973); return err }(), requisition.ErrYearNotModelled},
		{"working day before 1974", func() error { _, err := requisition.IsWorkingDay(date.New(1960, 1, 4)); return err }(), requisition.ErrYearNotModelled},
		{"negative months", func() error { _, err := requisition.ValidityEnd(time.Now(), -1, requisition.FromNextDay); return err }(), requisition.ErrInvalidPeriod},
		{"zero months", func() error { _, err := requisition.ValidityEnd(time.Now(), 0, requisition.FromOrderDay); return err }(), requisition.ErrInvalidPeriod},
		{"zero order time", func() error { _, err := requisition.ValidityEnd(time.Time{}, 2, requisition.FromNextDay); return err }(), requisition.ErrInvalidPeriod},
		{"past 9999", func() error {
			_, err := requisition.ValidityEnd(time.Date(9999, 12, 15, 0, 0, 0, 0, time.UTC), 1, requisition.FromNextDay)
			return err
		}(), requisition.ErrInvalidPeriod},
		{"huge date", func() error { _, _, err := requisition.FromNextDay.LastDay(date.Date(1<<62), 1); return err }(), requisition.ErrInvalidPeriod},
		{"Easter before the Gregorian calendar", func() error { _, err := requisition.Easter(1500); return err }(), requisition.ErrYearNotModelled},
		{"too many working days", func() error { _, err := requisition.AddWorkingDays(date.New(2026, 1, 1), math.MinInt); return err }(), requisition.ErrInvalidPeriod},
		{"surcharge below 1", func() error {
			p, _ := requisition.LookupPenalty("88bis-refusal", date.New(2015, 6, 1))
			_, _, err := p.FineWithSurcharge(big.NewRat(9, 10))
			return err
		}(), requisition.ErrSurcharge},
		{"no surcharge factor", func() error {
			p, _ := requisition.LookupPenalty("88bis-refusal", date.New(2015, 6, 1))
			_, _, err := p.FineWithSurcharge(nil)
			return err
		}(), requisition.ErrSurcharge},
		{"unknown month rule", func() error { _, err := requisition.ValidityEnd(time.Now(), 2, requisition.MonthRule(7)); return err }(), requisition.ErrInvalidPeriod},
		{"stated moment missing", func() error {
			_, err := requisition.ResponsePolicy{Kind: requisition.AtStatedMoment}.Due(time.Now())
			return err
		}(), requisition.ErrResponsePolicy},
		{"stated moment before receipt", func() error {
			r := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
			_, err := requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: timesync.FromTime(r.Add(-time.Hour))}.Due(r)
			return err
		}(), requisition.ErrResponsePolicy},
		{"unknown response kind", func() error { _, err := requisition.ResponsePolicy{Kind: 9}.Due(time.Now()); return err }(), requisition.ErrResponsePolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) {
				t.Errorf("err = %v, want %v", tt.err, tt.want)
			}
		})
	}
}

func TestResponsePolicies(t *testing.T) {
	received := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	for _, kind := range []requisition.ResponseKind{requisition.RealTime, requisition.Immediately} {
		d, err := requisition.ResponsePolicy{Kind: kind}.Due(received)
		if err != nil || d.Kind != requisition.Unfixed || !d.At.IsZero() || !d.Before(received.Add(1000*time.Hour)) {
			t.Errorf("%v: %+v, %v", kind, d, err)
		}
		if !strings.Contains(d.String(), "no fixed instant") {
			t.Errorf("%v: String() = %q", kind, d)
		}
	}
	stated := received.Add(48 * time.Hour)
	d, err := requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: timesync.FromTime(stated)}.Due(received)
	if err != nil || !d.At.Equal(stated) || d.Before(stated) || !d.Before(stated.Add(-time.Second)) {
		t.Errorf("stated: %+v, %v", d, err)
	}
}

func TestSourceString(t *testing.T) {
	got := requisition.ConfirmationSource().String()
	// The text before 2016, whose last day in force is the eve of the first later law that may have changed it.
	want := "Code d'instruction criminelle art. 88bis §1 al. 5 (text before the laws of 29 May and 25 December 2016) in force until 2016-07-27 [V]"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for c, s := range map[provenance.Certainty]string{provenance.Verified: "[V]", provenance.Secondary: "[S]", provenance.Unverified: "[U]"} {
		if c.String() != s {
			t.Errorf("%d: %s", c, c)
		}
	}
}

// Property: every step of every deadline is translated into French, Dutch
// and German.
func TestStepsTranslatedProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		at := timesynctest.Instant().Draw(t, "at")
		v, _ := requisition.ValidityEnd(at, rapid.IntRange(1, 3).Draw(t, "months"), rapid.SampledFrom(rules).Draw(t, "rule"))
		rt, _ := requisition.ResponsePolicy{Kind: requisition.RealTime}.Due(at)
		im, _ := requisition.ResponsePolicy{Kind: requisition.Immediately}.Due(at)
		st, _ := requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: timesync.FromTime(at.Add(time.Hour))}.Due(at)
		for _, d := range []requisition.Deadline{v, requisition.ConfirmationDue(at), rt, im, st} {
			for _, s := range d.Steps {
				en := s.Text(language.English)
				for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
					if got := s.Text(tag); got == en || strings.Contains(got, "%!") {
						t.Fatalf("%v: step %q not translated: %q", tag, en, got)
					}
				}
			}
		}
	})
}

func TestJSONOfResults(t *testing.T) {
	// A 2026 order's confirmation cites the text after the laws of 2016,
	// [U]; a 2015 order's the text before, [V].
	for year, certainty := range map[int]string{2026: `"certainty":"U"`, 2015: `"certainty":"V"`} {
		d := requisition.ConfirmationDue(time.Date(year, 10, 24, 10, 0, 0, 0, time.UTC))
		b, err := json.Marshal(d)
		if err != nil || !strings.Contains(string(b), `"kind":"fixed"`) || !strings.Contains(string(b), certainty) {
			t.Errorf("deadline JSON %s, %v", b, err)
		}
	}
	for _, v := range []any{requisition.Penalties(), requisition.Offences(), func() any { h, _ := requisition.Holidays(2026); return h }()} {
		if _, err := json.Marshal(v); err != nil {
			t.Errorf("%T: %v", v, err)
		}
	}
}

// Ascension falls on Labour Day when Easter is on 23 March; the holidays
// stay in date order, both listed.
func TestAscensionOnLabourDayEveryYear(t *testing.T) {
	for _, year := range []int{2008, 2160, 2228} { // and 1913, before the law of 1974 on holidays
		e, err := requisition.Easter(year)
		if err != nil || e.Month() != 3 || e.Day() != 23 {
			t.Fatalf("Easter %d = %s, %v; want 23 March", year, e, err)
		}
		hs, err := requisition.Holidays(year)
		if err != nil {
			t.Fatal(err)
		}
		var may1 []string
		for i, h := range hs {
			if i > 0 && h.Date < hs[i-1].Date {
				t.Errorf("%d: %s before %s", year, h.ID, hs[i-1].ID)
			}
			if h.Date == date.New(year, 5, 1) {
				may1 = append(may1, h.ID)
			}
		}
		if len(may1) != 2 {
			t.Errorf("%d: 1 May holds %v, want Labour Day and Ascension", year, may1)
		}
	}
}

// A deadline and its steps read in each language: dates as that language
// writes them, an unfixed deadline's rule translated, and the sources cited
// without the English edition note outside English.
func TestDeadlineText(t *testing.T) {
	received := timesync.MustParseTimestamp("2026-11-09T16:31:00+01:00")
	immediately, err := requisition.ResponsePolicy{Kind: requisition.Immediately}.Due(received.Time())
	if err != nil {
		t.Fatal(err)
	}
	stated, err := requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: timesync.MustParseTimestamp("2026-11-10T10:00:00+01:00")}.Due(received.Time())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name               string
		lang               language.Tag
		fixed, unfixed     string
		explained, without string
	}{
		{"English", language.English, "2026-11-10 10:00:00 +01:00", "no fixed instant (immediately)",
			"1. received: 2026-11-09 16:31:00 +01:00 — the requisition the moment it states [T]", ""},
		{"French", language.French, "10/11/2026 10:00:00 +01:00", "pas d'instant fixé (immédiatement)",
			"1. reçue : 09/11/2026 16:31:00 +01:00 — la réquisition (l'instant qu'elle indique) [T]", "Neutrinet"},
		{"Dutch", language.Dutch, "10/11/2026 10:00:00 +01:00", "geen vast tijdstip (onmiddellijk)",
			"1. ontvangen: 09/11/2026 16:31:00 +01:00 — de vordering (het tijdstip dat ze vermeldt) [T]", "Neutrinet"},
		{"German", language.German, "10.11.2026 10:00:00 +01:00", "kein fester Zeitpunkt (unverzüglich)",
			"1. eingegangen: 09.11.2026 16:31:00 +01:00 — die Anforderung (der darin angegebene Zeitpunkt) [T]", "Neutrinet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stated.Text(tc.lang); got != tc.fixed {
				t.Errorf("fixed: %q, want %q", got, tc.fixed)
			}
			if got := immediately.Text(tc.lang); got != tc.unfixed {
				t.Errorf("unfixed: %q, want %q", got, tc.unfixed)
			}
			if got := stated.ExplainIn(tc.lang); !strings.HasPrefix(got, tc.explained+"\n") {
				t.Errorf("explained: %q, want it to start with %q", got, tc.explained)
			}
			if got := immediately.ExplainIn(tc.lang); tc.without != "" && strings.Contains(got, tc.without) {
				t.Errorf("the English edition note in %s: %q", tc.lang, got)
			}
		})
	}
}
