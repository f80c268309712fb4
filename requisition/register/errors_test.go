package register_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Every exported function of the register's cases, work orders, answers
// and statistics that returns an error returns one that errors.Is
// recognises by an exported sentinel, and, where it lists problems, that
// errors.As reads as a *provenance.Problems. No error quotes the secrets
// of the input (a target, the case reference, a name).
func TestErrorsAreInspectable(t *testing.T) {
	const secret = "SECRET-4711"
	clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	lawfulCase(t, reg, "c1", sampleRequisition())
	wo, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	unknownRef := result("wo-aaaaaaaaaaaaaaaaaaaaaaaa", at("2026-11-23 10:30"))
	noDeadline := sampleRequisition()
	noDeadline.Response = requisition.ResponsePolicy{Kind: 9}
	for _, tc := range []struct {
		name     string
		err      error
		is       error
		problems bool // errors.As *provenance.Problems
	}{
		{"Channel.UnmarshalText", new(register.Channel).UnmarshalText([]byte(secret)), register.ErrUnknownValue, false},
		{"Outcome.UnmarshalText", new(register.Outcome).UnmarshalText([]byte(secret)), register.ErrUnknownValue, false},
		{"Ref.MarshalText", func() error { _, err := register.Ref(secret).MarshalText(); return err }(), register.ErrInput, false},
		{"Ref.UnmarshalText", new(register.Ref).UnmarshalText([]byte(secret)), register.ErrInput, false},
		{"DecodeWorkResult, the encoding", func() error {
			_, err := register.DecodeWorkResult([]byte(`{"ref":"` + secret + `","by":"` + secret + `","outcome":"` + secret + `"}`))
			return err
		}(), register.ErrDecode, true},
		{"DecodeWorkResult, the checks", func() error {
			_, err := register.DecodeWorkResult([]byte(`{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"","completed":"2026-11-23T11:00:00+01:00","outcome":"found"}`))
			return err
		}(), register.ErrDecode, true},
		{"Register.Receive, a bad ID", func() error { _, err := reg.Receive(secret+" ", sampleRequisition(), "alice", goodClock); return err }(), register.ErrInput, false},
		{"Register.Receive, an ID taken", func() error { _, err := reg.Receive("c1", sampleRequisition(), "alice", goodClock); return err }(), register.ErrCaseExists, false},
		{"Register.ReceiveNext, another actor", func() error { _, err := reg.ReceiveNext(sampleRequisition(), secret, goodClock); return err }(), register.ErrActor, false},
		{"Register.Apply, an event with data", func() error { _, err := reg.Apply("c1", register.Answer, "alice", goodClock, ""); return err }(), register.ErrEventData, false},
		{"Register.Apply, not allowed", func() error { _, err := reg.Apply("c1", register.Invoice, "alice", goodClock, secret); return err }(), register.ErrTransition, false},
		{"Register.Apply, an unknown case", func() error { _, err := reg.Apply(secret, register.Close, "alice", goodClock, ""); return err }(), register.ErrUnknownCase, false},
		{"Register.IssueWorkOrder, bad lookups", func() error {
			_, err := reg.IssueWorkOrder("c1", []register.Lookup{{Target: sampleRequisition().Targets[0]}}, time.Time{}, "alice", goodClock)
			return err
		}(), register.ErrInput, true},
		{"Register.IssueWorkOrder, no lookup", func() error {
			_, err := reg.IssueWorkOrder("c1", []register.Lookup{}, time.Time{}, "alice", goodClock)
			return err
		}(), register.ErrInput, false},
		{"Register.AttachResult, a bad result", func() error {
			_, err := reg.AttachResult(register.WorkResult{Ref: wo.Ref, By: secret, Outcome: register.Found}, "alice", goodClock)
			return err
		}(), register.ErrInput, true},
		{"Register.AttachResult, an unknown reference", func() error { _, err := reg.AttachResult(unknownRef, "alice", goodClock); return err }(), register.ErrUnknownRef, false},
		{"Register.Answer, a bad delivery", func() error {
			_, err := reg.Answer("c1", register.Delivery{To: secret, Channel: secret, What: secret}, "alice", goodClock)
			return err
		}(), register.ErrInput, true},
		{"Register.AnswerRecord, an unknown case", func() error { _, err := reg.AnswerRecord(secret); return err }(), register.ErrUnknownCase, false},
		{"Register.AnswerRecord, no answer", func() error { _, err := reg.AnswerRecord("c1"); return err }(), register.ErrNotAnswered, false},
		{"AnswerRecordOf", func() error { _, err := register.AnswerRecordOf(register.Case{ID: "c1"}); return err }(), register.ErrNotAnswered, false},
		{"Case.Deadline", func() error { _, err := register.Case{Requisition: noDeadline}.Deadline(); return err }(), requisition.ErrResponsePolicy, false},
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

// The problems of a delivery, a work order or a work result are findings
// with the field at fault, each wrapping ErrInput (ErrDecode when decoded).
func TestInputFindings(t *testing.T) {
	clock := timesynctest.NewClock(at("2026-11-23 11:00").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	lawfulCase(t, reg, "c1", sampleRequisition())
	_, err := reg.Answer("c1", register.Delivery{At: at("2026-11-23 10:59"), Channel: "pigeon", What: "x", WithoutResult: "x"}, "alice", goodClock)
	checkFindings(t, err, "register: delivery", "delivery", register.ErrInput, "to", "channel")
	_, err = reg.IssueWorkOrder("c1", []register.Lookup{{Items: []requisition.Item{requisition.ItemTrafficRecords}, Target: sampleRequisition().Targets[0]}},
		time.Time{}, "alice", goodClock)
	checkFindings(t, err, "register: work order", "work-order", register.ErrInput, "lookups[0].items[0]")
	_, err = register.DecodeWorkResult([]byte(`{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"","completed":"2026-11-23T11:00:00+01:00","outcome":"found"}`))
	checkFindings(t, err, "register: decode work result", "decode", register.ErrDecode, "by", "data")
}

// checkFindings checks that err is a *provenance.Problems of what, whose
// findings are of rule, wrap sentinel and name fields, in order.
func checkFindings(t *testing.T, err error, what, rule string, sentinel error, fields ...string) {
	t.Helper()
	var ps *provenance.Problems
	if !errors.As(err, &ps) || ps.What != what || len(ps.Findings) != len(fields) {
		t.Fatalf("err = %v, want %d finding(s) of %s", err, len(fields), what)
	}
	for i, f := range ps.Findings {
		if f.Rule != rule || f.Field != fields[i] || f.Err != sentinel || f.Severity != provenance.Error || f.Text(language.English) == "" {
			t.Errorf("finding %d = %+v, want rule %s, field %s, sentinel %v", i, f, rule, fields[i], sentinel)
		}
	}
}
