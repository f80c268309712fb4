package requisition_test

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
)

// TestConformance runs testdata/deadlines.table: one subtest per row, named
// by its id, each failure quoting the row's source.
func TestConformance(t *testing.T) {
	f, err := os.Open("testdata/deadlines.table")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	rows, ids := 0, map[string]bool{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, " | ")
		if len(cols) != 5 {
			t.Fatalf("line %d: %d columns, want 5: %q", line, len(cols), text)
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		id, op, input, want, source := cols[0], strings.Fields(cols[1]), cols[2], cols[3], cols[4]
		if ids[id] {
			t.Fatalf("line %d: duplicate id %s", line, id)
		}
		ids[id] = true
		rows++
		t.Run(id, func(t *testing.T) {
			got := runRow(t, op, input)
			if got != want {
				t.Errorf("line %d: %s %q\n got  %s\n want %s\n (expected value from: %s)", line, strings.Join(op, " "), input, got, want, source)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows < 25 {
		t.Fatalf("only %d rows read", rows)
	}
}

func runRow(t *testing.T, op []string, input string) string {
	t.Helper()
	switch op[0] {
	case "validity":
		rule := map[string]requisition.MonthRule{"from-next-day": requisition.FromNextDay, "from-order-day": requisition.FromOrderDay}[op[1]]
		months, _ := strconv.Atoi(op[2])
		d, err := requisition.ValidityEnd(instant(t, input), months, rule)
		if errors.Is(err, requisition.ErrInvalidPeriod) {
			return "error"
		}
		if err != nil {
			t.Fatal(err)
		}
		return d.LastDay.String() + " " + timesync.FromTime(d.At).String()
	case "confirmation":
		return requisition.ConfirmationDue(instant(t, input)).String()
	case "holidays":
		year, _ := strconv.Atoi(input)
		hs, err := requisition.Holidays(year)
		if err != nil {
			t.Fatal(err)
		}
		var easterBased []string
		for _, h := range hs {
			if h.ID == "easter-monday" || h.ID == "ascension" || h.ID == "whit-monday" {
				easterBased = append(easterBased, h.Date.String())
			}
		}
		return strings.Join(easterBased, " ")
	case "add-working-days":
		n, _ := strconv.Atoi(op[1])
		d, err := requisition.AddWorkingDays(date.MustParseISO(input), n)
		if err != nil {
			t.Fatal(err)
		}
		return d.String()
	case "next-working-day":
		d, err := requisition.NextWorkingDay(date.MustParseISO(input))
		if err != nil {
			t.Fatal(err)
		}
		return d.String()
	case "rule":
		return ruleRow(t, op[1:], input)
	}
	t.Fatalf("unknown operation %q", op)
	return ""
}

// ruleRow judges, an hour after it was received, an order of measure
// op[0] by authority op[1] (in circumstance op[2] when given) signed at
// input, and returns the severity of its finding op[len-1], or "none".
func ruleRow(t *testing.T, op []string, input string) string {
	t.Helper()
	var m requisition.Measure
	var a requisition.Authority
	if err := m.UnmarshalText([]byte(op[0])); err != nil {
		t.Fatal(err)
	}
	if err := a.UnmarshalText([]byte(op[1])); err != nil {
		t.Fatal(err)
	}
	ordered := timesync.FromTime(instant(t, input))
	r := requisition.Requisition{Reference: "CONFORMANCE", Measure: m, Authority: a, Reasoned: true,
		Ordered: ordered, Received: ordered.Add(30 * time.Minute), ValidUntil: ordered.Add(7 * 24 * time.Hour),
		Items: m.Items()[:1], Offences: []string{"90ter-drugs"}, Targets: []requisition.Target{{Kind: requisition.TargetPhone, Value: "+32470123456"}},
		Response: requisition.ResponsePolicy{Kind: requisition.RealTime}}
	if len(op) > 3 {
		if err := r.Circumstance.UnmarshalText([]byte(op[2])); err != nil {
			t.Fatal(err)
		}
	}
	rule := op[len(op)-1]
	for _, f := range r.Findings(r.Received.Add(time.Hour).Time(), requisition.FromNextDay) {
		if f.Rule == rule {
			return f.Severity.String() + " " + f.Source.Certainty.String()
		}
	}
	return "none"
}

// instant reads RFC 3339, or a Brussels wall clock that must be unambiguous.
func instant(t *testing.T, s string) time.Time {
	t.Helper()
	if ts, err := timesync.ParseTimestamp(s); err == nil {
		return ts.Time()
	}
	ts, err := timesync.ParseBrussels(s, timesync.Strict)
	if err != nil {
		t.Fatal(err)
	}
	return ts.Time()
}
