package radius_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/internal/testenv"
)

// TestRadclient: FreeRADIUS's radclient, a real NAS-side implementation,
// sends a session's Start, Interim-Update and Stop with the attributes a
// BRAS sends; the Server delivers the events it means, and radclient
// accepts every Accounting-Response as authentic (it exits 0 only then).
func TestRadclient(t *testing.T) {
	bin := testenv.LookPath(t, "radclient", "freeradius-utils")
	s := startServer(t, radius.Config{})
	ts := at.Add(-30 * time.Second).Unix()
	requests := []string{
		fmt.Sprintf(`Acct-Status-Type = Start
Acct-Session-Id = "81600004"
User-Name = "alice@neutrinet.example"
NAS-IP-Address = 192.0.2.1
NAS-Identifier = "bras-1"
NAS-Port-Type = Ethernet
Framed-IP-Address = 198.51.100.7
Framed-IPv6-Prefix = 2001:db8:10::/64
Delegated-IPv6-Prefix = 2001:db8:ff00::/56
Event-Timestamp = %d
Acct-Delay-Time = 0
Attr-26 = 0x00000de9010378`, ts),
		fmt.Sprintf(`Acct-Status-Type = Interim-Update
Acct-Session-Id = "81600004"
User-Name = "alice@neutrinet.example"
NAS-IP-Address = 192.0.2.1
NAS-Identifier = "bras-1"
Framed-IP-Address = 198.51.100.7
Acct-Session-Time = 20
Acct-Input-Octets = 4000
Acct-Input-Gigawords = 1
Acct-Output-Octets = 9000
Event-Timestamp = %d`, ts+20),
		fmt.Sprintf(`Acct-Status-Type = Stop
Acct-Session-Id = "81600004"
User-Name = "alice@neutrinet.example"
NAS-IP-Address = 192.0.2.1
NAS-Identifier = "bras-1"
Acct-Session-Time = 30
Acct-Terminate-Cause = Idle-Timeout
Event-Timestamp = %d`, ts+30),
	}
	for i, req := range requests {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(ctx, bin, "-x", "-r", "1", "-t", "5", s.addr.String(), "acct", secret)
		cmd.Stdin = strings.NewReader(req)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("radclient, request %d: %v\n%s", i, err, out.String())
		}
		if !strings.Contains(out.String(), "Accounting-Response") {
			t.Fatalf("radclient did not report an Accounting-Response:\n%s", out.String())
		}
	}
	start := time.Unix(ts, 0).UTC()
	sid := `192.0.2.1 "bras-1" "81600004"`
	user := "alice@neutrinet.example"
	v4 := netip.MustParsePrefix("198.51.100.7/32")
	want := []intercept.AccessEvent{
		{Type: intercept.SessionStart, Time: start, SessionID: sid, Username: user,
			Addresses:  []netip.Prefix{v4, netip.MustParsePrefix("2001:db8:10::/64"), netip.MustParsePrefix("2001:db8:ff00::/56")},
			Assignment: intercept.AssignmentDynamic, AccessType: intercept.AccessLAN, Start: start},
		{Type: intercept.InterimUpdate, Time: start.Add(20 * time.Second), SessionID: sid, Username: user,
			Addresses: []netip.Prefix{v4}, Assignment: intercept.AssignmentDynamic, Start: start,
			OctetsSent: u64(1<<32 + 4000), OctetsReceived: u64(9000)},
		{Type: intercept.SessionEnd, Time: start.Add(30 * time.Second), SessionID: sid, Username: user,
			Assignment: intercept.AssignmentDynamic, Start: start, End: start.Add(30 * time.Second),
			EndReason: intercept.EndConnectionTimeout},
	}
	if d := cmp.Diff(want, s.Events(), cmpopts.EquateComparable(netip.Prefix{})); d != "" {
		t.Errorf("events from radclient (-want +got):\n%s", d)
	}
	if st := s.answered(t, 3); st.Answered != 3 || st.Events != 3 || st.Malformed+st.NotAuthentic != 0 {
		t.Errorf("Stats = %+v", st)
	}
}
