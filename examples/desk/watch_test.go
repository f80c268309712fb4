package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// hook is a member's webhook: every page it was sent.
type hook struct {
	mu    sync.Mutex
	pages []hookPage
}

type hookPage struct {
	member string
	body   paging.WebhookBody
}

// hookServer is the members' webhook endpoint: every page it receives,
// by member; closed when the test ends.
func hookServer(t *testing.T) (*hook, *httptest.Server) {
	h := &hook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b paging.WebhookBody
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			t.Errorf("a webhook body: %v", err)
		}
		h.mu.Lock()
		h.pages = append(h.pages, hookPage{strings.TrimPrefix(r.URL.Path, "/"), b})
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func (h *hook) got() []hookPage {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookPage(nil), h.pages...)
}

// watchCell makes a register with the sample cell whose members are paged
// by webhooks to srv, the intake service and a watch in the roster, and
// desk.json's paging with a shared code key. It returns the directory,
// alice's identity file, the service's and the watch's.
func watchCell(t *testing.T, srv string) (dir, alice, service, watch string) {
	t.Helper()
	dir, alice = testDir(t)
	var cell map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "cell.json"))
	json.Unmarshal(b, &cell)
	for _, m := range cell["members"].([]any) {
		m := m.(map[string]any)
		m["channels"] = []any{map[string]any{"kind": "webhook", "value": srv + "/" + m["id"].(string)}}
	}
	b, _ = json.Marshal(cell)
	os.WriteFile(filepath.Join(dir, "cell.json"), b, 0o600)
	key := filepath.Join(t.TempDir(), "code.key")
	os.WriteFile(key, []byte(strings.Repeat("k", 32)), 0o600)
	var cfg Config
	b, _ = os.ReadFile(filepath.Join(dir, "desk.json"))
	json.Unmarshal(b, &cfg)
	cfg.Paging = &PagingConfig{CodeKeyFile: key, Timeout: "30s"}
	cfg.Watch = &WatchConfig{Checks: &[]paging.Condition{}} // the tests of alerts say which they check
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: timesynctest.NewClock(brussels("2026-10-01 09:00")), Identity: mustIdentity(t, alice)})
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	for _, role := range []register.Role{register.RoleService, register.RoleWatch} {
		id, err := register.NewIdentity(string(role), role)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), string(role)+".identity")
		os.WriteFile(path, []byte(id.Secret()), 0o600)
		if _, err := reg.AddMember(id.Public(), timesync.Verdict{}); err != nil {
			t.Fatal(err)
		}
		if role == register.RoleService {
			service = path
		} else {
			watch = path
		}
	}
	return dir, alice, service, watch
}

// The night of the October change, 2026-10-25: a requisition arrives at
// 02:51:17 summer time and nobody acknowledges. The intake pages the
// member on call at once; desk watch, run every 30 seconds as a new
// process each time (a restart at every pass), pages the next steps at
// exactly the times paging.Schedule gives — five elapsed minutes apart
// while the wall clock goes back an hour — each once, whatever the number
// of passes. Then a member acknowledges, and nothing more is paged.
func TestWatchNight(t *testing.T) {
	h, srv := hookServer(t)
	dir, alice, service, watch := watchCell(t, srv.URL)
	received := time.Date(2026, 10, 25, 0, 51, 17, 0, time.UTC) // 02:51:17 summer time, nine minutes before the clocks go back
	clock := timesynctest.NewClock(received)
	if _, errs, code := pipe(t, clock, []byte(intakeMail), "intake", "receive", "-dir", dir, "-identity", service); code != 0 {
		t.Fatalf("receive: %d %s", code, errs)
	}
	if n := len(h.got()); n != 1 {
		t.Fatalf("%d pages at receipt, want 1", n)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "cell.json"))
	cell, err := ccj.DecodeCell(b)
	if err != nil {
		t.Fatal(err)
	}
	in := paging.Intake{Case: h.got()[0].body.Case, Received: received, Class: paging.Unread}
	want, err := paging.Schedule(paging.DefaultPolicy(), cell, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every escalation step, then nothing more: the last step is
	// everyone; reminders need a deadline, which an intake has not.
	end := want[len(want)-1].At.Add(10 * time.Minute)
	for at := received.Add(30 * time.Second); !at.After(end); at = at.Add(30 * time.Second) {
		clock.Set(at)
		for range 2 { // a second pass at the same instant pages nothing more
			if _, errs, code := desk(t, clock, "watch", "-once", "-dir", dir, "-identity", watch); code != exitOK {
				t.Fatalf("watch at %v: %d %s", at, code, errs)
			}
		}
	}
	// The pages, grouped by step, at the steps' times, to their members.
	type step struct {
		at      time.Time
		members string
	}
	var gotSteps, wantSteps []step
	for _, a := range want {
		wantSteps = append(wantSteps, step{a.At.Truncate(time.Second), strings.Join(a.Members, ",")})
	}
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: clock, Identity: mustIdentity(t, alice)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range reg.Submissions() {
		if s.Type != paging.RecordType {
			continue
		}
		r, err := paging.DecodeRecord(s.Data)
		if err != nil {
			t.Fatal(err)
		}
		gotSteps = append(gotSteps, step{r.Event.At, strings.Join(r.Action.Members, ",")})
	}
	reg.Close()
	if len(gotSteps) != len(wantSteps) {
		t.Fatalf("%d steps paged, want %d:\n got %v\nwant %v", len(gotSteps), len(wantSteps), gotSteps, wantSteps)
	}
	for i := range wantSteps {
		if !gotSteps[i].at.Equal(wantSteps[i].at) || gotSteps[i].members != wantSteps[i].members {
			t.Fatalf("step %d: %v %s, want %v %s", i, gotSteps[i].at, gotSteps[i].members, wantSteps[i].at, wantSteps[i].members)
		}
	}
	for _, s := range gotSteps {
		t.Logf("paged %s at %s", s.members, s.at.In(timesync.Brussels()).Format("15:04:05 -07:00"))
	}
	// Five elapsed minutes apart across the change.
	if d := wantSteps[len(wantSteps)-1].at.Sub(wantSteps[len(wantSteps)-2].at); d != 5*time.Minute {
		t.Fatalf("the last two steps are %v apart", d)
	}
	pages := h.got()
	for _, p := range pages {
		if strings.Contains(p.body.Text, "BR.21") || strings.Contains(p.body.Text, "2001:db8") {
			t.Fatalf("a page carries the order: %q", p.body.Text)
		}
	}

	// The month's figures, from what the register keeps: one intake
	// paged, not acknowledged, escalated to everyone.
	out, errs, code := desk(t, clock, "pages", "-dir", dir, "-identity", alice, "-lang", "en", "2026-10")
	if code != exitOK || !strings.Contains(out, "1 case or intake paged, 0 acknowledged, 1 needed escalation.") ||
		!strings.Contains(out, "Paged, never acknowledged: alice, bob, carol.") {
		t.Fatalf("pages: %d\n%s%s", code, out, errs)
	}

	// A member acknowledges; a later pass pages nothing.
	if out, errs, code := desk(t, clock, "ack", "-dir", dir, "-identity", alice, pages[0].body.Case.String()); code != exitOK || !strings.Contains(out, "escalation stops") {
		t.Fatalf("ack: %d %s%s", code, out, errs)
	}
	before := len(h.got())
	clock.Advance(time.Hour)
	desk(t, clock, "watch", "-once", "-dir", dir, "-identity", watch)
	if len(h.got()) != before {
		t.Fatal("paged after the acknowledgement")
	}
	out, errs, code = desk(t, clock, "pages", "-dir", dir, "-identity", alice, "-json", "2026-10")
	var f paging.Figures
	if code != exitOK || json.Unmarshal([]byte(out), &f) != nil || f.Paged != 1 || f.Acknowledged != 1 || len(f.Cases) != 1 {
		t.Fatalf("pages -json: %d %+v %s", code, f, errs)
	}
	if _, errs, code := desk(t, clock, "pages", "-dir", dir, "-identity", alice, "2026-13"); code != exitInput {
		t.Fatalf("pages 2026-13: %d %s", code, errs)
	}
}

// desk watch refuses to run as a member or a service.
func TestWatchIdentity(t *testing.T) {
	dir, alice, service, _ := watchCell(t, "http://127.0.0.1:1")
	clock := timesynctest.NewClock(time.Date(2026, 10, 25, 0, 41, 17, 0, time.UTC))
	for _, id := range []string{alice, service} {
		if _, errs, code := desk(t, clock, "watch", "-once", "-dir", dir, "-identity", id); code != exitInput || !strings.Contains(errs, "watch identity") {
			t.Fatalf("watch as %s: %d %s", filepath.Base(id), code, errs)
		}
	}
}

// An acknowledgement the intake service or the watch signs without a
// checked code is not one: the escalation goes on. And a second watch on
// the same register does nothing while the first holds its lock.
func TestWatchTrustsOnlyMembers(t *testing.T) {
	h := &hook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b paging.WebhookBody
		json.NewDecoder(r.Body).Decode(&b)
		h.mu.Lock()
		h.pages = append(h.pages, hookPage{strings.TrimPrefix(r.URL.Path, "/"), b})
		h.mu.Unlock()
	}))
	defer srv.Close()
	dir, _, service, watch := watchCell(t, srv.URL)
	received := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	clock := timesynctest.NewClock(received)
	if _, errs, code := pipe(t, clock, []byte(intakeMail), "intake", "receive", "-dir", dir, "-identity", service); code != 0 {
		t.Fatalf("receive: %d %s", code, errs)
	}
	first := h.got()[0]
	forged, _ := json.Marshal(paging.Ack{Case: first.body.Case, Member: first.member, At: received.Add(time.Minute)})
	for _, id := range []string{service, watch} {
		if _, err := register.Submit(journalPath(dir), mustIdentity(t, id), clock, paging.AckType, forged); err != nil {
			t.Fatal(err)
		}
	}
	// Another watch holds the lock: this one does nothing.
	lock, err := os.OpenFile(filepath.Join(dir, "watch.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	clock.Set(received.Add(time.Hour))
	desk(t, clock, "watch", "-once", "-dir", dir, "-identity", watch)
	if len(h.got()) != 1 {
		t.Fatal("a second watch paged while the first held the lock")
	}
	lock.Close()
	desk(t, clock, "watch", "-once", "-dir", dir, "-identity", watch)
	if len(h.got()) < 2 {
		t.Fatal("the escalation stopped on an acknowledgement no member made")
	}
}
