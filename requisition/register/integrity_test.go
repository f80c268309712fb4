package register_test

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// What the caller holds never shares memory with the register: changing
// the requisition given to Receive, or a case Case returned, changes
// nothing inside.
func TestCasesAreCopies(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 10:30").Time()))
	req := sampleRequisition()
	reg.Receive("c1", req, "alice", goodClock)
	req.Targets[0].Addr = netip.MustParseAddr("2001:db8::666")
	req.Items[0] = requisition.ItemIMEI
	c, _ := reg.Case("c1")
	c.Requisition.Targets[0].Addr = netip.MustParseAddr("2001:db8::777")
	c.History[0].Requisition.Items[0] = requisition.ItemMAC
	again, _ := reg.Case("c1")
	if again.Requisition.Targets[0].Addr.String() != secretAddr || again.Requisition.Items[0] != requisition.ItemIdentity ||
		again.History[0].Requisition.Items[0] != requisition.ItemIdentity {
		t.Fatalf("the register's case was changed through a copy: %+v", again.Requisition)
	}
}

// Replay refuses records this package could never have written, even
// sealed with the cell's keys: an event carrying a requisition (which
// would replace the case), a work order reusing another's reference.
func TestReplayRefusesForgedRecords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		forge func(c register.Case) register.Transition
	}{
		{"an event that carries a requisition", func(c register.Case) register.Transition {
			req := c.Requisition
			req.Reference = "FORGED"
			return register.Transition{Case: "c1", Event: register.Acknowledge, From: register.Received, To: register.Acknowledged, Actor: "alice", At: c.History[0].At, Requisition: &req}
		}},
		{"a work order reusing a reference", func(c register.Case) register.Transition {
			wo := c.WorkOrders[0]
			return register.Transition{Case: "c2", Event: register.IssueWorkOrder, From: register.Lawful, To: register.InProgress, Actor: "alice", At: wo.Issued, WorkOrder: &wo}
		}},
		{"an answer with no time", func(c register.Case) register.Transition {
			return register.Transition{Case: "c2", Event: register.Answer, From: register.Lawful, To: register.Answered, Actor: "alice", At: c.History[0].At,
				Delivery: &register.Delivery{To: "x", Channel: register.ByEmail, What: "x"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newKeys(t)
			clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
			reg, path := openReg(t, k, clock)
			lawfulCase(t, reg, "c1", sampleRequisition())
			lawfulCase(t, reg, "c2", sampleRequisition())
			if _, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock); err != nil {
				t.Fatal(err)
			}
			c, _ := reg.Case("c1")
			reg.Close()
			plain, _ := json.Marshal(tc.forge(c))
			sealed, err := register.SealForEpoch(path, plain)
			if err != nil {
				t.Fatal(err)
			}
			j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: register.SigningKey(k.alice)})
			if err != nil {
				t.Fatal(err)
			}
			j.Append("case", sealed)
			j.Close()
			if _, _, err := register.Open(path, k.config(clock)); !errors.Is(err, journal.ErrCorrupt) {
				t.Fatalf("a forged record was replayed: %v", err)
			}
		})
	}
}

// Text that JSON would alter on its way to the journal is refused, and
// data that grows when encoded is either kept whole or refused as input.
func TestTextKeptExactly(t *testing.T) {
	clock := timesynctest.NewClock(at("2026-11-23 10:30").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	lawfulCase(t, reg, "c1", sampleRequisition())
	if _, err := reg.Apply("c1", register.Cancel, "alice", goodClock, "caf\xe9"); !errors.Is(err, register.ErrInput) {
		t.Errorf("a note of invalid UTF-8: %v", err)
	}
	wo, _ := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	clock.Advance(time.Minute)
	big := register.WorkResult{Ref: wo.Ref, By: "tech-1", Completed: timesync.Now(clock), Outcome: register.Found, Data: strings.Repeat("<", register.MaxResultData)}
	c, err := reg.AttachResult(big, "alice", goodClock)
	if err != nil && !errors.Is(err, register.ErrInput) {
		t.Fatalf("a large result: %v", err)
	}
	if err == nil && c.Results[0].Data != big.Data {
		t.Fatal("the result's data changed")
	}
}
