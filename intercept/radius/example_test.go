package radius_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"time"

	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/timesync"
)

// A NAS reports that a subscriber's session started, 2 seconds after it
// happened (Acct-Delay-Time). The request is verified with the shared
// secret, and becomes the access event the pipeline needs to find the
// subscriber's packets.
func ExampleParse() {
	secret := []byte("s3cret-shared")
	req := &rad.Packet{Code: rad.CodeAccountingRequest, Identifier: 17, Secret: secret}
	req.Add(40, rad.NewInteger(1)) // Acct-Status-Type = Start
	req.Add(44, rad.Attribute("81600004"))
	req.Add(1, rad.Attribute("alice@neutrinet.example"))
	req.Add(32, rad.Attribute("bras-1"))
	req.Add(8, rad.Attribute{198, 51, 100, 7}) // Framed-IP-Address
	req.Add(41, rad.NewInteger(2))             // Acct-Delay-Time
	req.Add(61, rad.NewInteger(15))            // NAS-Port-Type = Ethernet
	pkt, _ := req.Encode()

	arrived := time.Date(2026, 11, 2, 10, 14, 2, 0, timesync.Brussels())
	r, err := radius.Parse(pkt, secret, arrived, radius.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := r.Event
	fmt.Println(r.Status, "→", ev.Type)
	fmt.Println("session", ev.SessionID, "at", ev.Time.In(timesync.Brussels()).Format(time.DateTime))
	fmt.Println("addresses", ev.Addresses, ev.Assignment, ev.AccessType)
	fmt.Println(r) // what a log may show

	_, err = radius.Parse(pkt, []byte("another secret"), arrived, radius.Options{})
	fmt.Println(err)
	// Output:
	// Start → sessionStart
	// session "bras-1" "81600004" at 2026-11-02 10:14:00
	// addresses [198.51.100.7/32] dynamic lAN
	// Accounting-Request Start with 1 address(es) [secret]
	// radius: Request Authenticator does not match the shared secret (RFC 2866 §3)
}

// A passive tap reads the accounting in a capture of the RADIUS server's
// link (here the rehearsal sample the tap example ships): each request
// becomes an access event, with the capture's time.
func ExampleMirror() {
	f, err := os.Open("../../examples/tap/sample-radius.pcapng")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	src, err := capture.NewFile(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := radius.NewMirror(src, radius.Config{
		Clients: []radius.Client{{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Secret: []byte("ccjkit-rehearsal")}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = m.Sessions(context.Background(), func(ev intercept.AccessEvent) {
		fmt.Println(ev.Time.In(timesync.Brussels()).Format("15:04:05.000"), ev.Type, ev.Addresses)
	})
	fmt.Println(m.Stats())
	// Output:
	// 14:00:00.000 sessionStart [192.0.2.10/32 2001:db8:10::/64]
	// 14:00:00.220 interimUpdate [192.0.2.10/32 2001:db8:10::/64]
	// 14:00:00.230 sessionEnd [192.0.2.10/32 2001:db8:10::/64]
	// RADIUS accounting: 3 request(s) read, 3 access event(s) delivered; nothing refused or lost
}
