package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/tasking"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// x1Rig is an NE over X1 with mutual TLS, and the PEM files of its CA and
// of the ADMF's certificate, for desk.json.
type x1Rig struct {
	ne                *x1.Memory
	url               string
	cert, key, caFile string
}

func newX1Rig(t *testing.T, name string) x1Rig {
	t.Helper()
	dir := t.TempDir()
	ca := tlstest.NewCA(t, "cell CA")
	mem := x1.NewMemory()
	stls, err := x1.ServerTLS(ca.Server(t, name, net.IPv4(127, 0, 0, 1)), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(&x1.Server{NE: mem, Identifier: name, ADMF: "cell-admf"})
	srv.TLS = stls
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cert, key := tlstest.WritePair(t, ca.Client(t, "cell-admf"), dir, "admf")
	return x1Rig{ne: mem, url: srv.URL, cert: cert, key: key, caFile: ca.WriteCA(t, dir, "ca")}
}

// An interception order, from its receipt to its task's end: found
// lawful, started by a member under the agency's LIID, tasked on the NE
// over X1 by desk intercept sync; the watch keeps it, and removes it by
// itself when the order's validity ends; every X1 step is in the
// register.
func TestInterceptOverX1(t *testing.T) {
	dir, alice, _, watch := watchCell(t, "http://127.0.0.1:1")
	rig := newX1Rig(t, "router-1")
	var cfg Config
	b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
	json.Unmarshal(b, &cfg)
	cfg.X1 = &X1Config{ADMF: "cell-admf", Cert: rig.cert, Key: rig.key, CA: rig.caFile, NEs: []X1NE{{Name: "router-1", URL: rig.url}}}
	b, _ = json.Marshal(cfg)
	os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)

	clock := timesynctest.NewClock(brussels("2026-12-06 02:10"))
	order := filepath.Join(t.TempDir(), "order.json")
	os.WriteFile(order, []byte(`{"reference": "NOT.2026/0990 JI Example", "measure": "interception", "authority": "juge-instruction",
  "ordered": "2026-12-06T01:30:00+01:00", "received": "2026-12-06T02:05:00+01:00", "reasoned": true,
  "valid_until": "2026-12-20T00:00:00+01:00", "offences": ["penal-347bis"], "items": ["content"],
  "targets": [{"kind": "username", "value": "client-0421@isp.example"}], "response": {"kind": "immediately"}}`), 0o600)
	run := func(want int, args ...string) string {
		t.Helper()
		clock.Advance(time.Minute)
		out, errs, code := desk(t, clock, append(args, "-dir", dir, "-lang", "en")...)
		if code != want {
			t.Fatalf("desk %v: exit %d, want %d\n%s%s", args, code, want, out, errs)
		}
		return out + errs
	}
	run(exitOK, "receive", "-identity", alice, order)
	// Not yet lawful: a start is refused.
	if out := run(exitInput, "intercept", "start", "-identity", alice, "-liid", "BE-NTSU-0990", "2026-0001"); !strings.Contains(out, "not tasked") {
		t.Fatalf("start before the check: %s", out)
	}
	run(exitOK, "ack", "-identity", alice, "2026-0001")
	run(exitOK, "check", "-identity", alice, "2026-0001")
	run(exitInput, "intercept", "start", "-identity", alice, "2026-0001") // no LIID
	run(exitOK, "intercept", "start", "-identity", alice, "-liid", "BE-NTSU-0990", "2026-0001")
	if out := run(exitOK, "intercept", "sync", "-identity", alice); !strings.Contains(out, "activated") || strings.Contains(out, "failed") {
		t.Fatalf("sync: %s", out)
	}
	tasks := rig.ne.Tasks()
	if len(tasks) != 1 || tasks[0].Mediation[0].LIID.String() != "BE-NTSU-0990" || tasks[0].Targets[0].Username != "client-0421@isp.example" {
		t.Fatalf("the NE holds %+v", tasks)
	}
	if out := run(exitOK, "intercept", "sync", "-identity", alice); !strings.Contains(out, "every NE holds") {
		t.Fatalf("a second sync: %s", out)
	}
	if out := run(exitOK, "intercept", "status", "-identity", alice); !strings.Contains(out, "1 order to carry out now") || !strings.Contains(out, "router-1: 1 task") {
		t.Fatalf("status: %s", out)
	}
	// A member changes what is delivered: the NE's task is modified, its
	// LIID and its start kept. A modification that changes nothing or the
	// LIID, or of a case not started, is refused.
	run(exitInput, "intercept", "modify", "-identity", alice, "2026-0001")
	run(exitInput, "intercept", "modify", "-identity", alice, "-liid", "BE-NTSU-0991", "-deliver", "cc", "2026-0001")
	run(exitInput, "intercept", "modify", "-identity", alice, "-deliver", "cc", "2026-0002")
	run(exitOK, "intercept", "modify", "-identity", alice, "-deliver", "cc", "2026-0001")
	if out := run(exitOK, "intercept", "sync", "-identity", alice); !strings.Contains(out, "modified") || strings.Contains(out, "failed") {
		t.Fatalf("sync after a modification: %s", out)
	}
	if tasks := rig.ne.Tasks(); len(tasks) != 1 || tasks[0].Mediation[0].Delivery != intercept.CCOnly || tasks[0].Mediation[0].LIID.String() != "BE-NTSU-0990" ||
		!tasks[0].Mediation[0].Start.Equal(brussels("2026-12-06 02:16")) {
		t.Fatalf("after the modification the NE holds %+v", tasks)
	}
	// The watch keeps it while the order is in force, and ends it at the
	// order's end, by itself — even when the paging half of its pass
	// fails (here, a cell file that cannot be read).
	clock.Set(brussels("2026-12-19 23:58"))
	run(exitOK, "watch", "-once", "-identity", watch)
	if len(rig.ne.Tasks()) != 1 {
		t.Fatal("the watch removed a task in force")
	}
	cellFile := filepath.Join(dir, "cell.json")
	cellJSON, _ := os.ReadFile(cellFile)
	os.WriteFile(cellFile, []byte("{"), 0o600)
	clock.Set(brussels("2026-12-20 00:00"))
	if out := run(exitInput, "watch", "-once", "-identity", watch); !strings.Contains(out, "cell.json") {
		t.Fatalf("the watch with a broken cell file: %s", out)
	}
	os.WriteFile(cellFile, cellJSON, 0o600)
	if n := len(rig.ne.Tasks()); n != 0 {
		t.Fatalf("the NE holds %d tasks after the order's end", n)
	}
	if out := run(exitInput, "intercept", "start", "-identity", alice, "-liid", "BE-NTSU-0990", "2026-0001"); !strings.Contains(out, "ended") {
		t.Fatalf("a start after the order's end: %s", out)
	}
	// Every X1 step is in the register, with its NE and outcome, and
	// nothing of the order in clear in the journal.
	s := &session{ctx: context.Background(), clock: clock, dir: dir, identity: alice, lang: "en", out: &strings.Builder{}, err: &strings.Builder{}}
	if err := s.load(); err != nil {
		t.Fatal(err)
	}
	if err := s.open(); err != nil {
		t.Fatal(err)
	}
	defer s.close()
	var steps []string
	for _, sub := range s.reg.Submissions() {
		if sub.Type == tasking.ActionType {
			var a tasking.Action
			json.Unmarshal(sub.Data, &a)
			steps = append(steps, sub.By+" "+string(a.Step)+" "+a.Case)
		}
	}
	if got, want := strings.Join(steps, "; "), "alice activated 2026-0001; alice modified 2026-0001; watch deactivated "; got != want {
		t.Fatalf("X1 steps recorded: %s, want %s", got, want)
	}
	raw, _ := os.ReadFile(journalPath(dir))
	if strings.Contains(string(raw), "client-0421") || strings.Contains(string(raw), "BE-NTSU") {
		t.Fatal("the journal holds the order in clear")
	}
}

// A member's stop reaches the NE even when the NE cannot take a
// destination desk.json gives: nothing is given there, what must end ends.
func TestInterceptStopWithDestinationRefused(t *testing.T) {
	dir, alice, _, _ := watchCell(t, "http://127.0.0.1:1")
	rig := newX1Rig(t, "router-1")
	setX1 := func(dests ...X1Destination) {
		var cfg Config
		b, _ := os.ReadFile(filepath.Join(dir, "desk.json"))
		json.Unmarshal(b, &cfg)
		cfg.X1 = &X1Config{ADMF: "cell-admf", Cert: rig.cert, Key: rig.key, CA: rig.caFile, NEs: []X1NE{{Name: "router-1", URL: rig.url}}, Destinations: dests}
		b, _ = json.Marshal(cfg)
		os.WriteFile(filepath.Join(dir, "desk.json"), b, 0o600)
	}
	setX1()
	clock := timesynctest.NewClock(brussels("2026-12-06 02:10"))
	order := filepath.Join(t.TempDir(), "order.json")
	os.WriteFile(order, []byte(`{"reference": "NOT.2026/0991 JI Example", "measure": "interception", "authority": "juge-instruction",
  "ordered": "2026-12-06T01:30:00+01:00", "received": "2026-12-06T02:05:00+01:00", "reasoned": true,
  "valid_until": "2026-12-20T00:00:00+01:00", "offences": ["penal-347bis"], "items": ["content"],
  "targets": [{"kind": "username", "value": "client-0422@isp.example"}], "response": {"kind": "immediately"}}`), 0o600)
	run := func(want int, args ...string) string {
		t.Helper()
		clock.Advance(time.Minute)
		out, errs, code := desk(t, clock, append(args, "-dir", dir, "-identity", alice, "-lang", "en")...)
		if code != want {
			t.Fatalf("desk %v: exit %d, want %d\n%s%s", args, code, want, out, errs)
		}
		return out + errs
	}
	run(exitOK, "receive", order)
	run(exitOK, "ack", "2026-0001")
	run(exitOK, "check", "2026-0001")
	run(exitOK, "intercept", "start", "-liid", "BE-NTSU-0991", "2026-0001")
	run(exitOK, "intercept", "sync")
	if len(rig.ne.Tasks()) != 1 {
		t.Fatal("not tasked")
	}
	// A destination the NE refuses (X1's TCP port excludes 1).
	setX1(X1Destination{DID: "33333333-3333-4333-8333-333333333333", Delivery: "iri+cc", Address: "192.0.2.1:1"})
	run(exitOK, "intercept", "stop", "2026-0001")
	if out := run(exitOK, "intercept", "sync"); !strings.Contains(out, "destination") || !strings.Contains(out, "deactivated") {
		t.Fatalf("sync: %s", out)
	}
	if n := len(rig.ne.Tasks()); n != 0 {
		t.Fatalf("the NE holds %d tasks after the stop", n)
	}
}
