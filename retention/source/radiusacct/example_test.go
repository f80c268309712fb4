package radiusacct_test

import (
	"fmt"
	"time"

	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/radiusacct"
	"github.com/ccjkit/ccjkit/timesync"
)

// A NAS reports a subscriber's session, its Class carrying the ISP's
// reference, from 10:00 to 18:30 on 2 November 2026. Parsed by
// intercept/radius, the same requests a tap reads become retention's
// assignment: open at the Start, closed at the Stop.
func Example() {
	secret := []byte("s3cret-shared")
	request := func(status uint32, at time.Time) []byte {
		p := &rad.Packet{Code: rad.CodeAccountingRequest, Identifier: byte(status), Secret: secret}
		p.Add(40, rad.NewInteger(status)) // Acct-Status-Type
		p.Add(44, rad.Attribute("81600004"))
		p.Add(1, rad.Attribute("alice@neutrinet.example"))
		p.Add(25, rad.Attribute("C-000042")) // Class
		p.Add(32, rad.Attribute("bras-1"))
		p.Add(8, rad.Attribute{198, 51, 100, 7}) // Framed-IP-Address
		p.Add(55, rad.NewInteger(uint32(at.Unix())))
		b, _ := p.Encode()
		return b
	}
	acct, err := radiusacct.New(radiusacct.Config{
		Device:   "radius-1",
		Clock:    func() retention.Clock { return retention.Clock{Synchronised: true, ToTheSecond: true} },
		Identity: radiusacct.Class,
		Emit: func(a retention.Assignment) error {
			fmt.Println(a.Subscriber, a.Prefix, "from", a.From, "until", a.Until)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(h, m int) time.Time { return time.Date(2026, 11, 2, h, m, 0, 0, timesync.Brussels()) }
	for _, pkt := range [][]byte{request(1, at(10, 0)), request(2, at(18, 30))} { // Start, Stop
		r, err := radius.Parse(pkt, secret, time.Now(), radius.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := acct.Request(r, pkt); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// C-000042 198.51.100.7/32 from 2026-11-02T10:00:00+01:00 until (no time)
	// C-000042 198.51.100.7/32 from 2026-11-02T10:00:00+01:00 until 2026-11-02T18:30:01+01:00
}
