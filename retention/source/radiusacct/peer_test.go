package radiusacct_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/testenv"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/timesync"
)

// TestRadclientPeer: FreeRADIUS's radclient, in a network namespace the
// test makes, sends accounting to an intercept/radius Server whose
// OnRequest is the retention adapter: one stream gives the pipeline its
// access events and retention its assignments. A dual-stack session with
// a delegated prefix (its Class the subscriber's reference) starts and
// stops; a second session starts, and its NAS's Accounting-On closes it.
func TestRadclientPeer(t *testing.T) {
	bin := testenv.LookPath(t, "radclient", "freeradius-utils")
	ns := itest.Namespaces(t, 1)[0]
	const secret = "s3cret-shared"

	var mu sync.Mutex
	var got []retention.Assignment
	acct := newSessions(t, radiusacctConfig(func(a retention.Assignment) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, a)
		return nil
	}))
	var conn net.PacketConn
	if err := ns.Do(func() (err error) {
		conn, err = net.ListenPacket("udp4", "127.0.0.1:1813")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	srv, err := radius.NewServer(conn, radius.Config{
		Clients:   []radius.Client{{Prefix: netip.MustParsePrefix("127.0.0.0/8"), Secret: []byte(secret)}},
		Clock:     timesync.SystemClock{},
		OnRequest: acct.Request,
	})
	if err != nil {
		t.Fatal(err)
	}
	var events []intercept.AccessEvent
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, func(ev intercept.AccessEvent) error {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, ev)
			return nil
		})
	}()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Serve: %v", err)
		}
	}()

	base := time.Date(2026, 11, 2, 10, 0, 0, 0, timesync.Brussels()).Unix()
	session := func(status, id string, offset int64, more string) string {
		return fmt.Sprintf(`Acct-Status-Type = %s
Acct-Session-Id = "%s"
User-Name = "alice@neutrinet.example"
Class = 0x%x
NAS-IP-Address = 192.0.2.1
NAS-Identifier = "bras-1"
Event-Timestamp = %d
%s`, status, id, "C-000042", base+offset, more)
	}
	requests := []string{
		session("Start", "81600004", 0, "Framed-IP-Address = 198.51.100.7\nFramed-IPv6-Prefix = 2001:db8:10::/64\nDelegated-IPv6-Prefix = 2001:db8:ff00::/56"),
		session("Interim-Update", "81600004", 300, "Framed-IP-Address = 198.51.100.7\nAcct-Session-Time = 300"),
		session("Stop", "81600004", 1800, "Acct-Session-Time = 1800\nAcct-Terminate-Cause = User-Request"),
		session("Start", "81600005", 2000, "Framed-IP-Address = 198.51.100.8"),
		fmt.Sprintf("Acct-Status-Type = Accounting-On\nNAS-IP-Address = 192.0.2.1\nNAS-Identifier = \"bras-1\"\nEvent-Timestamp = %d", base+3600),
	}
	for i, req := range requests {
		rctx, rcancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(rctx, "ip", "netns", "exec", ns.Name, bin, "-x", "-r", "1", "-t", "5", "127.0.0.1:1813", "acct", secret)
		cmd.Stdin = strings.NewReader(req)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		rcancel()
		if err != nil || !strings.Contains(out.String(), "Accounting-Response") {
			t.Fatalf("radclient, request %d: %v\n%s", i, err, out.String())
		}
	}

	mu.Lock()
	defer mu.Unlock()
	type row struct {
		sub         retention.Subscriber
		prefix      string
		from, until int64 // seconds after base; until -1: open
	}
	var rows []row
	for _, a := range got {
		u := int64(-1)
		if !a.Open() {
			u = a.Until.Unix() - base
		}
		rows = append(rows, row{a.Subscriber, a.Prefix.String(), a.From.Unix() - base, u})
		if a.Source.Kind != retention.RADIUS || a.Source.Device != "radius-1" || a.Source.Hash == ([32]byte{}) {
			t.Errorf("evidence %+v", a.Source)
		}
	}
	want := []row{
		{"C-000042", "198.51.100.7/32", 0, -1}, {"C-000042", "2001:db8:10::/64", 0, -1}, {"C-000042", "2001:db8:ff00::/56", 0, -1},
		{"C-000042", "2001:db8:10::/64", 0, 300}, {"C-000042", "2001:db8:ff00::/56", 0, 300}, // not in the interim
		{"C-000042", "198.51.100.7/32", 0, 1801},
		{"C-000042", "198.51.100.8/32", 2000, -1},
		{"C-000042", "198.51.100.8/32", 2000, 3600}, // the NAS rebooted
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("assignments\n got %v\nwant %v", rows, want)
	}
	// The pipeline got the same requests' events, and the NAS restart's end.
	if len(events) != 5 {
		t.Errorf("%d access events, want 5 (start, interim, stop, start, and the end Accounting-On made)", len(events))
	}
	if st := srv.Stats(); st.Answered != 5 || st.Refused != 0 || st.Malformed+st.NotAuthentic != 0 {
		t.Errorf("server stats %+v", st)
	}
}
