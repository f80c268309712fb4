package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// setWatch rewrites desk.json's watch section, and returns the path of a
// fake chronyc the section names, which fails until fakeChrony makes it
// answer.
func setWatch(t *testing.T, dir string, wc WatchConfig) string {
	t.Helper()
	fake := filepath.Join(t.TempDir(), "chronyc")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho '506 Cannot talk to daemon' >&2\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	wc.Chronyc = fake
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Watch = &wc
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	return fake
}

// fakeChrony makes the fake chronyc answer as a chronyd locked to GPS,
// its last update a few seconds before at.
func fakeChrony(t *testing.T, fake string, at time.Time) {
	t.Helper()
	line := fmt.Sprintf("47505300,GPS,1,%d.675953800,-0.000002100,0.000000000,0.000000000,0.000,0.000,0.000,0.000000001,0.000000664,1.0,Normal", at.Add(-8*time.Second).Unix())
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho '"+line+"'\n"), 0o700); err != nil {
		t.Fatal(err)
	}
}

// editCell rewrites cell.json through f.
func editCell(t *testing.T, dir string, f func(cell map[string]any)) {
	t.Helper()
	var cell map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "cell.json"))
	if err := json.Unmarshal(b, &cell); err != nil {
		t.Fatal(err)
	}
	f(cell)
	b, _ = json.Marshal(cell)
	os.WriteFile(filepath.Join(dir, "cell.json"), b, 0o600)
}

// alertsOf reads the register's alerts back, as a member.
func alertsOf(t *testing.T, dir, alice string, clock *timesynctest.Clock) []paging.Alert {
	t.Helper()
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: clock, Identity: mustIdentity(t, alice)})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	return trustedAlerts(reg)
}

// A night of alerts: at 02:10:03 on Sunday 6 December 2026 chronyd does
// not answer, the rota leaves Sundays uncovered and carol's security
// advice ends in January. The watch opens one alert per condition and
// pages the member on call for each, once however many passes; five
// minutes later it escalates; a member acknowledges the clock's alert by
// its ID; chronyd answers again and the clock's alert clears; the next
// day, the rota and the advice mended, the others clear. Pages name the
// condition and its start, nothing else.
func TestWatchAlerts(t *testing.T) {
	h, srv := hookServer(t)
	dir, alice, _, watch := watchCell(t, srv.URL)
	fake := setWatch(t, dir, WatchConfig{Checks: &[]paging.Condition{paging.ClockCondition, paging.RegisterCondition, paging.RotaCondition, paging.AdviceCondition}})
	var saved map[string]any
	editCell(t, dir, func(cell map[string]any) {
		saved = map[string]any{}
		b, _ := json.Marshal(cell)
		json.Unmarshal(b, &saved)
		cell["patterns"] = cell["patterns"].([]any)[:6] // no Sunday
		for _, m := range cell["members"].([]any) {
			if m := m.(map[string]any); m["id"] == "carol" {
				m["advice"].(map[string]any)["granted"] = "2022-01-10" // valid to 2027-01-09
			}
		}
	})
	start := brussels("2026-12-06 02:10:03")
	clock := timesynctest.NewClock(start)
	pass := func() {
		t.Helper()
		if _, errs, code := desk(t, clock, "watch", "-once", "-dir", dir, "-identity", watch); code != exitOK {
			t.Fatalf("watch at %v: %d %s", clock.Now(), code, errs)
		}
	}
	cases := func() map[string]int {
		n := map[string]int{}
		for _, p := range h.got() {
			n[p.body.Case.String()]++
		}
		return n
	}
	pass()
	pass() // the same instant: nothing more
	clockID, rotaID, adviceID := "W-clock-20261206T011003Z", "W-rota-20261206T011003Z", "W-advice-20261206T011003Z"
	if d := cmp.Diff(map[string]int{clockID: 1, rotaID: 1, adviceID: 1}, cases()); d != "" {
		t.Fatalf("pages at 02:10:03 (-want +got):\n%s", d)
	}
	for _, p := range h.got() {
		if p.body.Kind != paging.NewRequest || !strings.Contains(p.body.Text, "concerns no request") || strings.Contains(p.body.Text, "carol") {
			t.Fatalf("page %+v", p.body)
		}
	}

	// Five minutes, the night's delay: each alert is escalated once.
	clock.Set(start.Add(5 * time.Minute))
	pass()
	pass()
	if d := cmp.Diff(map[string]int{clockID: 2, rotaID: 2, adviceID: 2}, cases()); d != "" {
		t.Fatalf("pages at 02:15:03 (-want +got):\n%s", d)
	}

	// Alice acknowledges the clock's alert, as its page says; chronyd
	// answers again a minute later, and the alert clears.
	if out, errs, code := desk(t, clock, "ack", "-dir", dir, "-identity", alice, clockID); code != exitOK || !strings.Contains(out, "escalation stops") {
		t.Fatalf("ack: %d %s%s", code, out, errs)
	}
	if _, errs, code := desk(t, clock, "ack", "-dir", dir, "-identity", alice, "W-clock-20261206T011004Z"); code != exitInput || !strings.Contains(errs, "no such alert") {
		t.Fatalf("ack of an alert never opened: %d %s", code, errs)
	}
	fakeChrony(t, fake, start.Add(6*time.Minute))
	clock.Set(start.Add(6 * time.Minute))
	pass()
	clock.Set(start.Add(10 * time.Minute))
	pass()
	got := cases()
	if got[clockID] != 2 || got[rotaID] != 3 || got[adviceID] != 3 {
		t.Fatalf("pages at 02:20:03: %v", got)
	}

	// The next day, the rota and the advice mended, the daily checks
	// clear their alerts; nothing more is paged.
	editCell(t, dir, func(cell map[string]any) {
		for k, v := range saved {
			cell[k] = v
		}
	})
	next := brussels("2026-12-07 00:00:30")
	fakeChrony(t, fake, next)
	clock.Set(next)
	pass()
	before := len(h.got())
	clock.Set(next.Add(time.Hour))
	pass()
	if len(h.got()) != before {
		t.Fatalf("paged after every alert cleared: %v", cases())
	}
	alerts := alertsOf(t, dir, alice, clock)
	want := []paging.Alert{
		{ID: paging.MustParseCaseID(clockID), Condition: paging.ClockCondition, Since: start, Cleared: start.Add(6 * time.Minute)},
		{ID: paging.MustParseCaseID(rotaID), Condition: paging.RotaCondition, Since: start, Cleared: next},
		{ID: paging.MustParseCaseID(adviceID), Condition: paging.AdviceCondition, Since: start, Cleared: next},
	}
	if d := cmp.Diff(want, alerts, cmp.Comparer(func(a, b paging.CaseID) bool { return a == b })); d != "" {
		t.Fatalf("alerts (-want +got):\n%s", d)
	}
}

// The clock is checked every clock_every, the daily duties once a
// Brussels day, in a watch that keeps running.
func TestWatchCheckSchedule(t *testing.T) {
	dir, _, _, watch := watchCell(t, "http://127.0.0.1:1")
	fake := setWatch(t, dir, WatchConfig{Checks: &[]paging.Condition{paging.ClockCondition, paging.RotaCondition}, ClockEvery: "1m"})
	clock := timesynctest.NewClock(brussels("2026-12-06 23:58:00"))
	s := &session{ctx: context.Background(), clock: clock, dir: dir, identity: watch, lang: "en", out: &strings.Builder{}, err: &strings.Builder{}}
	if err := s.load(); err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: clock, Identity: mustIdentity(t, watch)})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	var st watchState
	log := slog.New(slog.NewTextHandler(&strings.Builder{}, nil))
	steps := []struct {
		name    string
		advance time.Duration
		want    map[paging.Condition]bool
	}{
		{"the first pass checks everything", 0, map[paging.Condition]bool{paging.ClockCondition: true, paging.RotaCondition: false}},
		{"30 seconds later, nothing", 30 * time.Second, map[paging.Condition]bool{}},
		{"a minute after the first, the clock", 30 * time.Second, map[paging.Condition]bool{paging.ClockCondition: true}},
		{"past midnight, the clock and the day's checks", 61 * time.Second, map[paging.Condition]bool{paging.ClockCondition: true, paging.RotaCondition: false}},
		{"later that day, the clock only", time.Hour, map[paging.Condition]bool{paging.ClockCondition: false}},
	}
	for i, step := range steps {
		clock.Advance(step.advance)
		if i == len(steps)-1 {
			fakeChrony(t, fake, clock.Now())
		}
		got, err := s.checkDuties(context.Background(), reg, s.cell, &st, log)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(step.want, got); d != "" {
			t.Fatalf("%s (-want +got):\n%s", step.name, d)
		}
		st.recorded()
	}
	// The day's results not recorded (a register that cannot be
	// written): the next pass checks them again.
	clock.Advance(24 * time.Hour)
	for range 2 {
		got, err := s.checkDuties(context.Background(), reg, s.cell, &st, log)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got[paging.RotaCondition]; !ok {
			t.Fatalf("the day's checks not made again: %v", got)
		}
	}
	// A cancelled check gives no verdict, so no alert.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	clock.Advance(time.Hour)
	got, err := s.checkDuties(ctx, reg, s.cell, &st, log)
	if _, ok := got[paging.ClockCondition]; err != nil || ok {
		t.Fatalf("a cancelled clock check: %v %v", got, err)
	}
}

// The retention store's daily purge and verification: a store that
// cannot be kept (its keys inside its data) is an alert; a sound one is
// purged and is none.
func TestWatchRetention(t *testing.T) {
	dir, alice, _, watch := watchCell(t, "http://127.0.0.1:1")
	clock := timesynctest.NewClock(brussels("2026-12-06 03:00:00"))
	store := filepath.Join(t.TempDir(), "store")
	setWatch(t, dir, WatchConfig{Checks: &[]paging.Condition{paging.RetentionCondition}, Retention: &WatchRetention{Store: store, Keys: filepath.Join(store, "keys")}})
	if _, errs, code := desk(t, clock, "watch", "-once", "-dir", dir, "-identity", watch); code != exitOK {
		t.Fatalf("watch: %d %s", code, errs)
	}
	if a := alertsOf(t, dir, alice, clock); len(a) != 1 || a[0].Condition != paging.RetentionCondition || !a[0].Open() {
		t.Fatalf("alerts %+v", a)
	}
	setWatch(t, dir, WatchConfig{Checks: &[]paging.Condition{paging.RetentionCondition}, Retention: &WatchRetention{Store: store, Keys: filepath.Join(t.TempDir(), "keys")}})
	clock.Advance(time.Hour)
	if _, errs, code := desk(t, clock, "watch", "-once", "-dir", dir, "-identity", watch); code != exitOK {
		t.Fatalf("watch: %d %s", code, errs)
	}
	if a := alertsOf(t, dir, alice, clock); len(a) != 1 || a[0].Open() {
		t.Fatalf("alerts %+v", a)
	}
}
