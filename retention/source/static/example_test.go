package static_test

import (
	"fmt"
	"strings"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/static"
)

// Two contracts: a fixed IPv4 address for a whole year, and an IPv6
// prefix from a morning in March to the end of September (its last day,
// included).
func ExampleParse() {
	file := `subscriber,prefix,from,until
C-000042,198.51.100.7,2026-01-01,2026-12-31
C-000043,2001:db8:4200::/48,2026-03-02T09:30:00+01:00,2026-09-30
`
	as, err := static.Parse(strings.NewReader(file), static.Config{
		Device: "crm",
		Clock:  retention.Clock{Synchronised: true, ToTheSecond: true},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range as {
		fmt.Println(a.Subscriber, a.Prefix, a.From, a.Until, a.Source.Kind, a.Source.Device)
	}
	// Output:
	// C-000042 198.51.100.7/32 2026-01-01T00:00:00+01:00 2027-01-01T00:00:00+01:00 static crm
	// C-000043 2001:db8:4200::/48 2026-03-02T09:30:00+01:00 2026-10-01T00:00:00+02:00 static crm
}
