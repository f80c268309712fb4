package paging_test

import (
	"fmt"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
)

// The month's acknowledgement figures of a cell, from what its register
// keeps. In November 2026, intake I-3 arrives at 02:10 on a Saturday
// night: carol, on call, and alice, her backup, sleep through their
// pages; bob, on the escalation list, acknowledges three minutes after
// his. Case 2026-0042 is paged at 14:02 on a weekday and alice
// acknowledges it within two minutes — so she is not listed as never
// acknowledging, though she slept through I-3; carol is. Intake I-1,
// first paged on 31 October, is October's, however late its escalation;
// the reminder of 2026-0042 does not count.
func ExampleMeasureMonth() {
	at := func(s string) time.Time { return timesync.MustParseBrussels(s, timesync.Strict).Time() }
	page := func(c string, step int, t time.Time, members ...string) paging.Record {
		kind := paging.NewRequest
		if step > 0 {
			kind = paging.Escalation
		}
		in := paging.Intake{Case: paging.MustParseCaseID(c), Received: t, Class: paging.Unread}
		a := paging.Action{At: t, Kind: kind, Step: step, Who: paging.OnCallPrimary, Members: members}
		return paging.Record{Intake: in, Action: a, Event: a.Done(t)}
	}
	ack := func(c, member string, t time.Time) paging.Ack {
		return paging.Ack{Case: paging.MustParseCaseID(c), Member: member, At: t}
	}
	reminder := paging.Action{At: at("2026-11-24 18:00:00"), Kind: paging.Reminder, Percent: 50, Who: paging.Handler, Members: []string{"alice"}}
	records := []paging.Record{
		page("I-1", 0, at("2026-10-31 23:58:00"), "bob"),
		page("I-1", 1, at("2026-11-01 00:03:00"), "carol"),
		page("I-3", 0, at("2026-11-28 02:10:00"), "carol"),
		page("I-3", 1, at("2026-11-28 02:15:00"), "alice"),
		page("I-3", 2, at("2026-11-28 02:20:00"), "bob"),
		page("2026-0042", 0, at("2026-11-24 14:02:00"), "alice"),
		{Intake: paging.Intake{Case: paging.MustParseCaseID("2026-0042"), Received: at("2026-11-24 14:00:00"), Class: paging.Urgent,
			Due: at("2026-11-24 22:00:00")}, Action: reminder, Event: reminder.Done(reminder.At)},
	}
	acks := []paging.Ack{
		ack("I-1", "bob", at("2026-11-01 00:04:00")),
		ack("I-3", "bob", at("2026-11-28 02:23:10")),
		ack("2026-0042", "alice", at("2026-11-24 14:03:30")),
	}

	f := paging.MeasureMonth(records, acks, 2026, time.November)
	fmt.Print(f.Text(language.English))
	fmt.Print(f.Text(language.French))
	for _, c := range f.Cases {
		fmt.Printf("%-9s first paged %s, steps 0-%d %v, acknowledged by %s after %s\n", c.Case,
			timesync.FromTime(c.FirstPage).Display(language.English), c.LastStep, c.Paged, c.AckBy, c.ToAck)
	}
	// Output:
	// Pages from 2026-11-01 00:00:00 +01:00 to 2026-12-01 00:00:00 +01:00: 2 cases or intakes paged, 2 acknowledged, 1 needed escalation.
	// Time to acknowledge from the first page: median 1m30s, worst 13m10s.
	// Paged, never acknowledged: carol.
	// Appels du 01/11/2026 00:00:00 +01:00 au 01/12/2026 00:00:00 +01:00 : 2 dossiers ou réceptions appelés, 2 pris en charge, 1 ayant exigé une escalade.
	// Délai de prise en charge depuis le premier appel : médiane 1m30s, pire 13m10s.
	// Appelés, sans jamais prendre en charge : carol.
	// 2026-0042 first paged 2026-11-24 14:02:00 +01:00, steps 0-0 [alice], acknowledged by alice after 1m30s
	// I-3       first paged 2026-11-28 02:10:00 +01:00, steps 0-2 [carol alice bob], acknowledged by bob after 13m10s
}
