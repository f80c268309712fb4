package detnat_test

import (
	"fmt"
	"net/netip"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/detnat"
)

// A CGNAT shares 16 public addresses among 512 subscribers, 2000 ports
// each from port 1024. Who used 198.51.100.3 port 5000?
func Example() {
	nat, err := detnat.Decode([]byte(`{"device": "cgnat-1", "inside": "100.64.0.0/23", "public": "198.51.100.0/28",
		"ports_per_subscriber": 2000, "first_port": 1024, "last_port": 65535,
		"from": "2026-01-01T00:00:00+01:00"}`), retention.Clock{Synchronised: true, ToTheSecond: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	public := netip.MustParseAddr("198.51.100.3")
	inside, _ := nat.Inside(public, 5000)
	fmt.Println(inside)
	m, _ := nat.Mapping(public, 5000)
	fmt.Println(m.Public, m.Ports, m.Inside, m.From, m.Source.Kind)
	fmt.Println(nat.Explain(public, 5000))
	// Output:
	// 100.64.0.97
	// 198.51.100.3 3024-5023 100.64.0.97 2026-01-01T00:00:00+01:00 deterministic-nat
	// Deterministic NAT (RFC 7422) cgnat-1, configuration in force from 2026-01-01T00:00:00+01:00: each public address of 198.51.100.0/28 carries K = ⌊(65535 − 1024 + 1) ÷ 2000⌋ = 32 blocks of 2000 ports from port 1024, and inside address number i of 100.64.0.0/23 gets block i mod K of public address number ⌊i ÷ K⌋. 198.51.100.3 is public address number 3 (198.51.100.3 − 198.51.100.0). Port 5000 is in block j = ⌊(5000 − 1024) ÷ 2000⌋ = 1 (ports 3024 to 5023). Inside address number i = 3 × 32 + 1 = 97, which is 100.64.0.0 + 97 = 100.64.0.97.
}
