package paging_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/paging"
)

func TestAlertID(t *testing.T) {
	since := at("2026-12-06 02:10:03")
	id := paging.AlertID(paging.ClockCondition, since)
	if got, want := id.String(), "W-clock-20261206T011003Z"; got != want {
		t.Fatalf("AlertID = %q, want %q", got, want)
	}
	cond, start, ok := id.Alert()
	if !ok || cond != paging.ClockCondition || !start.Equal(since) {
		t.Fatalf("Alert() = %v %v %v", cond, start, ok)
	}
	if _, ok := id.Intake(); ok {
		t.Error("an alert is an intake")
	}
	if _, _, ok := paging.MustParseCaseID("2026-0042").Alert(); ok {
		t.Error("a case is an alert")
	}
	for name, zero := range map[string]paging.CaseID{
		"no condition":      paging.AlertID(0, since),
		"unknown condition": paging.AlertID(99, since),
		"no instant":        paging.AlertID(paging.RotaCondition, time.Time{}),
	} {
		if !zero.IsZero() {
			t.Errorf("%s: %q, want the zero CaseID", name, zero)
		}
	}
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"an alert", "W-rota-20261206T011003Z", true},
		{"every condition", "W-retention-20270101T000000Z", true},
		{"an unknown condition", "W-printer-20261206T011003Z", false},
		{"no start", "W-clock", false},
		{"a local time", "W-clock-20261206T021003", false},
		{"an impossible date", "W-clock-20261306T011003Z", false},
		{"a lower-case z", "W-clock-20261206T011003z", false},
		{"a reference after it", "W-clock-20261206T011003Z-BR.21", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := paging.ParseCaseID(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseCaseID: %v", err)
			}
			if err != nil && (!errors.Is(err, paging.ErrPage) || strings.Contains(err.Error(), tt.in)) {
				t.Errorf("error %v", err)
			}
			if err == nil && c.String() != tt.in {
				t.Errorf("read %q", c)
			}
		})
	}
}

// Every alert ID reads back as itself: condition and start, to the
// second.
func TestAlertIDRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		conds := paging.Conditions()
		cond := conds[rapid.IntRange(0, len(conds)-1).Draw(t, "condition")]
		since := time.Unix(rapid.Int64Range(0, 4102444800).Draw(t, "unix"), rapid.Int64Range(0, 999999999).Draw(t, "ns"))
		id := paging.AlertID(cond, since)
		back, err := paging.ParseCaseID(id.String())
		if err != nil || back != id {
			t.Fatalf("ParseCaseID(%q) = %q, %v", id, back, err)
		}
		c, s, ok := back.Alert()
		if !ok || c != cond || !s.Equal(since.Truncate(time.Second)) {
			t.Fatalf("Alert() = %v %v %v, want %v %v", c, s, ok, cond, since.Truncate(time.Second))
		}
	})
}

func TestAlertPage(t *testing.T) {
	id := paging.AlertID(paging.ClockCondition, at("2026-12-06 02:10:03"))
	code, err := paging.NewCode(codeKey, "alice", id, at("2026-12-06 02:11:00"))
	if err != nil {
		t.Fatal(err)
	}
	p := paging.Page{Case: id, Received: at("2026-12-06 02:10:03"), Kind: paging.NewRequest, Code: code, Lang: language.English}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		kind  paging.Kind
		lang  language.Tag
		title string
		text  string
	}{
		{"the first page, in English", paging.NewRequest, language.English, "CCJ alert: clock not vouched for",
			"Cell alert W-clock-20261206T011003Z since 2026-12-06 02:10:03 +01:00: the cell's clock cannot be vouched for to the second; check chrony (clockcheck).\nIt concerns no request. Acknowledge: desk ack W-clock-20261206T011003Z " + code.String()},
		{"an escalation, in French", paging.Escalation, language.French, "Alerte CCJ\u00a0: horloge non garantie, non confirmée",
			"Alerte de la cellule W-clock-20261206T011003Z depuis le 06/12/2026 02:10:03 +01:00\u00a0: l'horloge de la cellule n'est plus garantie à la seconde\u00a0; vérifiez chrony (clockcheck).\nLe membre de garde ne l'a pas confirmée.\nElle ne concerne aucune réquisition. Confirmez\u00a0: desk ack W-clock-20261206T011003Z " + code.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := p
			q.Kind, q.Lang = tt.kind, tt.lang
			if got := q.Title(); got != tt.title {
				t.Errorf("title\n%q, want\n%q", got, tt.title)
			}
			if got := q.Text(); got != tt.text {
				t.Errorf("text\n%q, want\n%q", got, tt.text)
			}
		})
	}
	// Every condition's page is translated into every language.
	for _, c := range paging.Conditions() {
		for _, k := range []paging.Kind{paging.NewRequest, paging.Escalation} {
			q := p
			q.Case, q.Kind = paging.AlertID(c, p.Received), k
			en := strings.Split(q.Title()+"\n"+q.Text(), "\n")
			for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
				q.Lang = tag
				other := strings.Split(q.Title()+"\n"+q.Text(), "\n")
				for i := range en {
					if i >= len(other) || other[i] == en[i] {
						t.Errorf("%v %v %v: line %q is not translated", c, k, tag, en[i])
					}
				}
			}
		}
	}
	// An alert has no deadline: no reminder, no class.
	for name, bad := range map[string]func(paging.Page) paging.Page{
		"a reminder": func(q paging.Page) paging.Page {
			q.Kind, q.Percent, q.Due = paging.Reminder, 50, q.Received.Add(time.Hour)
			return q
		},
		"a deadline class": func(q paging.Page) paging.Page { q.Class = paging.Urgent; return q },
	} {
		if err := bad(p).Check(); !errors.Is(err, paging.ErrPage) {
			t.Errorf("%s: Check = %v", name, err)
		}
	}
}

// An alert is paged and escalated like an intake until it is
// acknowledged or cleared, and its records fold into episodes.
func TestAlerts(t *testing.T) {
	since := at("2026-10-24 21:47:03")
	clock := paging.AlertID(paging.ClockCondition, since)
	rota := paging.AlertID(paging.RotaCondition, since.Add(time.Hour))
	var records []paging.AlertRecord
	for _, s := range []string{
		`{"alert":"W-clock-20261024T194703Z"}`,
		`{"alert":"W-rota-20261024T204703Z"}`,
		`{"alert":"W-clock-20261024T194703Z","cleared":"2026-10-24T20:00:00Z"}`,
		`{"alert":"W-clock-20261024T194703Z","cleared":"2026-10-24T21:00:00Z"}`,
		`{"alert":"W-clock-20261024T194703Z","cleared":"2026-10-24T19:00:00Z"}`,
		`{"alert":"2026-0042"}`,
	} {
		var r paging.AlertRecord
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		records = append(records, r)
	}
	got := paging.Alerts(records)
	want := []paging.Alert{
		{ID: clock, Condition: paging.ClockCondition, Since: since, Cleared: time.Date(2026, 10, 24, 20, 0, 0, 0, time.UTC)},
		{ID: rota, Condition: paging.RotaCondition, Since: since.Add(time.Hour)},
	}
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b paging.CaseID) bool { return a == b })); d != "" {
		t.Fatalf("Alerts (-want +got):\n%s", d)
	}
	if got[0].Open() || !got[1].Open() {
		t.Error("Open")
	}

	// The open alert is paged to the member on call at once, then
	// escalated; the cleared one is finished.
	cell := weekendCell()
	plan, err := paging.Next(paging.DefaultPolicy(), cell, got[1].Intake(), got[1].Events(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Actions) != 1 || plan.Actions[0].Kind != paging.NewRequest || !plan.At.Equal(got[1].Since) {
		t.Fatalf("first plan %+v", plan)
	}
	page := plan.Actions[0].Page(got[1].Intake(), paging.DefaultPolicy())
	if err := page.Check(); err != nil {
		t.Fatalf("the alert's page: %v", err)
	}
	plan, err = paging.Next(paging.DefaultPolicy(), cell, got[0].Intake(), got[0].Events(nil, nil))
	if err != nil || !plan.Finished {
		t.Fatalf("a cleared alert: %+v, %v", plan, err)
	}
}

// A clock alert opened while the clock ran ahead clears at its start once
// the clock is stepped back, and the clearing is one Alerts reads.
func TestClearAt(t *testing.T) {
	since := at("2026-12-06 02:10:03")
	id := paging.AlertID(paging.ClockCondition, since)
	tests := []struct {
		name string
		now  time.Time
		want time.Time
	}{
		{"after the start", since.Add(time.Minute), since.Add(time.Minute)},
		{"at the start", since, since},
		{"the clock stepped back an hour", since.Add(-time.Hour), since},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := paging.ClearAt(id, tt.now)
			if !got.Equal(tt.want) {
				t.Fatalf("ClearAt = %v, want %v", got, tt.want)
			}
			a := paging.Alerts([]paging.AlertRecord{{Alert: id}, {Alert: id, Cleared: got}})
			if len(a) != 1 || a[0].Open() {
				t.Fatalf("not cleared: %+v", a)
			}
		})
	}
	if got := paging.ClearAt(paging.MustParseCaseID("2026-0042"), since); !got.Equal(since) {
		t.Fatalf("ClearAt of a case = %v", got)
	}
}

func TestDecodeAlertRecord(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"an opening", `{"alert":"W-clock-20261206T011003Z"}`, true},
		{"a clearing", `{"alert":"W-clock-20261206T011003Z","cleared":"2026-12-06T01:20:00Z"}`, true},
		{"an unknown field", `{"alert":"W-clock-20261206T011003Z","by":"x"}`, false},
		{"data after it", `{"alert":"W-clock-20261206T011003Z"} {}`, false},
		{"a case, not an alert", `{"alert":"2026-0042"}`, false},
		{"cleared before it began", `{"alert":"W-clock-20261206T011003Z","cleared":"2026-12-06T01:00:00Z"}`, false},
		{"not JSON", `W-clock`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := paging.DecodeAlertRecord([]byte(tt.in))
			if (err == nil) != tt.ok || (err != nil && (!errors.Is(err, paging.ErrRecord) && !errors.Is(err, paging.ErrPage))) {
				t.Fatalf("DecodeAlertRecord: %v", err)
			}
		})
	}
}

func FuzzDecodeAlertRecord(f *testing.F) {
	f.Add([]byte(`{"alert":"W-clock-20261206T011003Z","cleared":"2026-12-06T01:20:00Z"}`))
	f.Add([]byte(`{"alert":"W-rota-20261206T011003Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := paging.DecodeAlertRecord(b)
		if err != nil {
			return
		}
		back, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		again, err := paging.DecodeAlertRecord(back)
		if err != nil || again.Alert != r.Alert || !again.Cleared.Equal(r.Cleared) {
			t.Fatalf("round trip: %+v, %v", again, err)
		}
	})
}
