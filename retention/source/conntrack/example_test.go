package conntrack_test

import (
	"fmt"
	"strings"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/conntrack"
)

// A subscriber's UDP flow through a masquerade box, as conntrack -E -o
// timestamp,extended reported it on 2 November 2026: opened, then
// destroyed. The mapping is handed on open, then closed.
func ExampleReader() {
	events := `[1793614443.803976]	    [NEW] ipv4     2 udp      17 30 src=100.64.0.2 dst=192.0.2.53 sport=36267 dport=53 [UNREPLIED] src=192.0.2.53 dst=198.51.100.1 sport=53 dport=61001
[1793614473.652245]	[DESTROY] ipv4     2 udp      17 src=100.64.0.2 dst=192.0.2.53 sport=36267 dport=53 src=192.0.2.53 dst=198.51.100.1 sport=53 dport=61001 [ASSURED]
`
	r, err := conntrack.NewReader(conntrack.Config{Device: "cgnat-1", Clock: func() retention.Clock {
		return retention.Clock{Synchronised: true, ToTheSecond: true}
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = r.ReadAll(strings.NewReader(events), func(m retention.Mapping) error {
		fmt.Println(m.Public, m.Ports, "->", m.Inside, m.InsidePort, "from", m.From, "until", m.Until)
		return nil
	})
	fmt.Println(err, r.Stats().Closed)
	// Output:
	// 198.51.100.1 61001-61001 -> 100.64.0.2 36267 from 2026-11-02T11:14:03+01:00 until (no time)
	// 198.51.100.1 61001-61001 -> 100.64.0.2 36267 from 2026-11-02T11:14:03+01:00 until 2026-11-02T11:14:34+01:00
	// <nil> 1
}
