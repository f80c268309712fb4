package paging_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
)

// A request arrives late on the Saturday night of the October change.
// Alice is on call, Bob is her backup, Carol is on the escalation list;
// if nobody acknowledges, this is who is paged when — five elapsed
// minutes apart at night, while the clocks go back — and the reminders
// before the six-hour deadline. The first page is Alice's, in French,
// with her one-time code.
func Example() {
	member := func(id string, ch ccj.Channel) ccj.Member {
		return ccj.Member{ID: id, Name: id, Role: ccj.CellMember, Channels: []ccj.Channel{ch},
			Advice: ccj.Advice{Status: ccj.AdvicePositive, Granted: date.New(2024, 1, 15)}}
	}
	cell := ccj.Cell{
		Members: []ccj.Member{
			member("alice", ccj.Channel{Kind: ccj.Ntfy, Value: "https://ntfy.example.be/ccj-alice-7f3a"}),
			member("bob", ccj.Channel{Kind: ccj.Matrix, Value: "@bob:example.be"}),
			member("carol", ccj.Channel{Kind: ccj.Phone, Value: "+32470000003"}),
		},
		Patterns: []ccj.Pattern{{Weekday: time.Saturday, Start: "18:00", End: "08:00", Days: 1,
			Primaries: []string{"alice"}, Backups: []string{"bob"}, Anchor: date.New(2026, 1, 5)}},
		Escalation: []string{"carol"},
	}
	policy := paging.DefaultPolicy()
	policy.Language = "fr"
	received := timesync.MustParseBrussels("2026-10-25 02:52:03 CEST", timesync.Strict).Time()
	intake := paging.Intake{Case: paging.MustParseCaseID("2026-0042"), Received: received,
		Class: paging.Urgent, Due: received.Add(6 * time.Hour)}

	actions, err := paging.Schedule(policy, cell, intake, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range actions {
		what := a.Kind.String()
		if a.Kind == paging.Reminder {
			what = fmt.Sprintf("reminder %d%%", a.Percent)
		}
		fmt.Printf("%s  %-13s %-15s %s\n", timesync.FromTime(a.At).Display(language.English), what, a.Who, strings.Join(a.Members, ", "))
	}

	key := []byte("the cell's acknowledgement key, 32 bytes or more")
	page := actions[0].Page(intake, policy)
	page.Code, _ = paging.NewCode(key, "alice", intake.Case, actions[0].At)
	fmt.Println()
	fmt.Println(page.Title())
	fmt.Println(page.Text())
	// Output:
	// 2026-10-25 02:52:03 +02:00  new           primary         alice
	// 2026-10-25 02:57:03 +02:00  escalation    backup          bob
	// 2026-10-25 02:02:03 +01:00  escalation    escalation-list carol
	// 2026-10-25 02:07:03 +01:00  escalation    everyone        alice, bob, carol
	// 2026-10-25 04:52:03 +01:00  reminder 50%  handler         alice, bob, carol
	// 2026-10-25 06:40:03 +01:00  reminder 80%  handler         alice, bob, carol
	// 2026-10-25 07:34:03 +01:00  reminder 95%  handler         alice, bob, carol
	//
	// CCJ 2026-0042 : nouvelle réquisition
	// Nouvelle réquisition judiciaire 2026-0042 reçue le 25/10/2026 02:52:03 +02:00.
	// Délai : urgent, en heures.
	// Confirmez la réception : desk ack 2026-0042 KDBQW-N14WS
}

// A cell's policy file: what it leaves out is the default.
func ExampleDecodePolicy() {
	p, err := paging.DecodePolicy([]byte(`{"language": "nl", "ack_by_day": "15m", "reminders": [50, 90]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.AckByDay, p.AckAtNight, p.NightFrom, p.NightUntil, p.Reminders, p.Lang())

	_, err = paging.DecodePolicy([]byte(`{"ack_at_night": "30s", "reminders": [80, 50]}`))
	fmt.Println(err)
	// Output:
	// 15m 5m 22:00 07:00 [50 90] nl
	// paging: policy: 2 rules not met: error paging-policy [ack_at_night]: the delay to acknowledge is not between 1m and 2h (ccjkit paging policy [T]); error paging-policy [reminders]: the reminders are not percentages from 1 to 99 in increasing order, at most 10 (ccjkit paging policy [T])
}
