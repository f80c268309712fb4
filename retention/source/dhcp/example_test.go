package dhcp_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/dhcp"
	"github.com/ccjkit/ccjkit/timesync"
)

// dnsmasq called the lease-change script when it gave 192.0.2.108 to a
// subscriber's router on 2 November 2026 at 10:00, and when the router
// released it at 18:30; the script wrote each call as a line.
func ExampleLeases() {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 2, h, m, 0, 0, timesync.Brussels()) }
	var calls []byte
	calls = dhcp.EncodeCall(calls, []string{"add", "02:00:00:00:00:42", "192.0.2.108"},
		[]string{"DNSMASQ_INTERFACE=eth1", "DNSMASQ_LEASE_EXPIRES=1793653200"}, at(10, 0))
	calls = dhcp.EncodeCall(calls, []string{"del", "02:00:00:00:00:42", "192.0.2.108"}, nil, at(18, 30))

	l, err := dhcp.NewLeases(dhcp.Config{
		Device:      "dnsmasq-1",
		Clock:       func() retention.Clock { return retention.Clock{Synchronised: true, ToTheSecond: true} },
		Subscribers: dhcp.Subscribers{ByMAC: map[string]retention.Subscriber{"02:00:00:00:00:42": "C-000042"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(string(calls)), "\n") {
		err := l.Line([]byte(line), func(a retention.Assignment) error {
			fmt.Println(a.Subscriber, a.Prefix, "from", a.From, "until", a.Until)
			return nil
		})
		if err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// C-000042 192.0.2.108/32 from 2026-11-02T10:00:00+01:00 until (no time)
	// C-000042 192.0.2.108/32 from 2026-11-02T10:00:00+01:00 until 2026-11-02T18:30:01+01:00
}
