package radius_test

import (
	"testing"

	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept/radius"
)

// interim is a typical Interim-Update of a dual-stack session, as a BRAS
// sends it: 14 attributes.
func interim(b *testing.B) []byte {
	return packet(b, secret, 9, base(3,
		str(tNASIdentifier, "bras-1"), u32(tNASPortType, 15), ip(tFramedIP, "198.51.100.7"),
		pfx(tFramedPrefix6, "2001:db8:10::/64"), pfx(tDelegated6, "2001:db8:ff00::/56"),
		u32(tSessionTime, 3600), u32(tInOctets, 123456), u32(tOutOctets, 654321),
		u32(tInGigawords, 1), u32(tEventTimestamp, uint32(at.Unix())))...)
}

// BenchmarkParse verifies and reads one Interim-Update into its event.
// Compare with BenchmarkParseBaseline, the floor: layeh's framing and the
// authenticator check alone, which Parse does first.
func BenchmarkParse(b *testing.B) {
	pkt := interim(b)
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := radius.Parse(pkt, []byte(secret), at, radius.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBaseline frames the same packet and checks its
// authenticator with layeh.com/radius, reading no attribute's value.
func BenchmarkParseBaseline(b *testing.B) {
	pkt := interim(b)
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for b.Loop() {
		if !rad.IsAuthenticRequest(pkt, []byte(secret)) {
			b.Fatal("not authentic")
		}
		if _, err := rad.Parse(pkt, []byte(secret)); err != nil {
			b.Fatal(err)
		}
	}
}
