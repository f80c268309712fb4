package requisition_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
)

// Every exported function of requisition that returns an error returns one
// that errors.Is recognises by an exported sentinel, and, where it lists
// problems, that errors.As reads as a *provenance.Problems. No error quotes
// the input it refuses.
func TestErrorsAreInspectable(t *testing.T) {
	const secret = "SECRET-4711"
	unmarshal := func(v interface{ UnmarshalText([]byte) error }) error { return v.UnmarshalText([]byte(secret)) }
	marshal := func(v interface{ MarshalText() ([]byte, error) }) error { _, err := v.MarshalText(); return err }
	secretReq := shiftYears(base(), -11) // judged by the text before 2016, which ccjkit holds
	secretReq.Reference = secret
	secretReq.Authority = requisition.OfficierPoliceJudiciaire
	for _, tc := range []struct {
		name     string
		err      error
		is       error
		problems bool // errors.As *provenance.Problems
	}{
		{"Authority.MarshalText", marshal(requisition.Authority(99)), requisition.ErrUnknownValue, false},
		{"Authority.UnmarshalText", unmarshal(new(requisition.Authority)), requisition.ErrUnknownValue, false},
		{"Circumstance.MarshalText", marshal(requisition.Circumstance(99)), requisition.ErrUnknownValue, false},
		{"Circumstance.UnmarshalText", unmarshal(new(requisition.Circumstance)), requisition.ErrUnknownValue, false},
		{"Addressee.MarshalText", marshal(requisition.Addressee(99)), requisition.ErrUnknownValue, false},
		{"Addressee.UnmarshalText", unmarshal(new(requisition.Addressee)), requisition.ErrUnknownValue, false},
		{"CooperationKind.MarshalText", marshal(requisition.CooperationKind(99)), requisition.ErrUnknownValue, false},
		{"CooperationKind.UnmarshalText", unmarshal(new(requisition.CooperationKind)), requisition.ErrUnknownValue, false},
		{"OffenceList.MarshalText", marshal(requisition.OffenceList(99)), requisition.ErrUnknownValue, false},
		{"OffenceList.UnmarshalText", unmarshal(new(requisition.OffenceList)), requisition.ErrUnknownValue, false},
		{"DeadlineKind.MarshalText", marshal(requisition.DeadlineKind(99)), requisition.ErrUnknownValue, false},
		{"DeadlineKind.UnmarshalText", unmarshal(new(requisition.DeadlineKind)), requisition.ErrUnknownValue, false},
		{"MonthRule.MarshalText", marshal(requisition.MonthRule(99)), requisition.ErrUnknownValue, false},
		{"MonthRule.UnmarshalText", unmarshal(new(requisition.MonthRule)), requisition.ErrUnknownValue, false},
		{"Measure.MarshalText", marshal(requisition.Measure(99)), requisition.ErrUnknownValue, false},
		{"Measure.UnmarshalText", unmarshal(new(requisition.Measure)), requisition.ErrUnknownValue, false},
		{"Item.MarshalText", marshal(requisition.Item(99)), requisition.ErrUnknownValue, false},
		{"Item.UnmarshalText", unmarshal(new(requisition.Item)), requisition.ErrUnknownValue, false},
		{"ResponseKind.MarshalText", marshal(requisition.ResponseKind(99)), requisition.ErrUnknownValue, false},
		{"ResponseKind.UnmarshalText", unmarshal(new(requisition.ResponseKind)), requisition.ErrUnknownValue, false},
		{"TargetKind.MarshalText", marshal(requisition.TargetKind(99)), requisition.ErrUnknownValue, false},
		{"TargetKind.UnmarshalText", unmarshal(new(requisition.TargetKind)), requisition.ErrUnknownValue, false},
		{"Holidays", func() error { _, err := requisition.Holidays(1900); return err }(), requisition.ErrYearNotModelled, false},
		{"Easter", func() error { _, err := requisition.Easter(1500); return err }(), requisition.ErrYearNotModelled, false},
		{"IsHoliday", func() error { _, err := requisition.IsHoliday(date.New(1900, 1, 1)); return err }(), requisition.ErrYearNotModelled, false},
		{"IsWorkingDay", func() error { _, err := requisition.IsWorkingDay(date.New(1900, 1, 1)); return err }(), requisition.ErrYearNotModelled, false},
		{"NextWorkingDay", func() error { _, err := requisition.NextWorkingDay(date.New(1900, 1, 1)); return err }(), requisition.ErrYearNotModelled, false},
		{"AddWorkingDays", func() error {
			_, err := requisition.AddWorkingDays(date.New(2026, 1, 5), requisition.MaxWorkingDays+1)
			return err
		}(), requisition.ErrInvalidPeriod, false},
		{"MonthRule.LastDay", func() error { _, _, err := requisition.FromNextDay.LastDay(date.New(2026, 1, 5), 0); return err }(), requisition.ErrInvalidPeriod, false},
		{"ValidityEnd", func() error { _, err := requisition.ValidityEnd(time.Time{}, 2, requisition.FromNextDay); return err }(), requisition.ErrInvalidPeriod, false},
		{"ResponsePolicy.Due", func() error { _, err := requisition.ResponsePolicy{Kind: 9}.Due(checkedAt); return err }(), requisition.ErrResponsePolicy, false},
		{"Penalty.FineWithSurcharge", func() error {
			_, _, err := requisition.Penalty{ID: "x"}.FineWithSurcharge(big.NewRat(8, 1))
			return err
		}(), requisition.ErrUnknownAmount, false},
		{"Decode", func() error {
			_, err := requisition.Decode([]byte(`{"reference": 1, "measure": "` + secret + `"}`))
			return err
		}(), requisition.ErrDecode, true},
		{"Encode", func() error { _, err := requisition.Encode(requisition.Requisition{Measure: 99}); return err }(), requisition.ErrUnknownValue, false},
		{"Requisition.Validate", secretReq.Validate(checkedAt.AddDate(-11, 0, 0), requisition.FromNextDay), requisition.ErrAuthority, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.Is(tc.err, tc.is) {
				t.Fatalf("err = %v, want one that wraps %v", tc.err, tc.is)
			}
			var ps *provenance.Problems
			if errors.As(tc.err, &ps) != tc.problems {
				t.Errorf("errors.As *provenance.Problems = %v, want %v (%v)", !tc.problems, tc.problems, tc.err)
			}
			if strings.Contains(tc.err.Error(), secret) {
				t.Errorf("the error quotes its input: %v", tc.err)
			}
		})
	}
}
