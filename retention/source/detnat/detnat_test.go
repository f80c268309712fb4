package detnat_test

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/detnat"
	"github.com/ccjkit/ccjkit/timesync"
)

var clock = retention.Clock{Synchronised: true, ToTheSecond: true}

func base() detnat.Config {
	return detnat.Config{Device: "cgnat-1", Inside: netip.MustParsePrefix("100.64.0.0/23"), Public: netip.MustParsePrefix("198.51.100.0/28"),
		PortsPerSubscriber: 2000, FirstPort: 1024, LastPort: 65535, From: "2026-01-01T00:00:00+01:00"}
}

func mustNew(t testing.TB, c detnat.Config) *detnat.NAT {
	t.Helper()
	n, err := detnat.New(c, clock)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInside(t *testing.T) {
	n := mustNew(t, base())
	a := netip.MustParseAddr
	for _, tc := range []struct {
		name   string
		public string
		port   uint16
		want   string // "" for none
	}{
		{"the first block", "198.51.100.0", 1024, "100.64.0.0"},
		{"the first block's last port", "198.51.100.0", 3023, "100.64.0.0"},
		{"the second block", "198.51.100.0", 3024, "100.64.0.1"},
		{"the last whole block of an address", "198.51.100.0", 1024 + 32*2000 - 1, "100.64.0.31"},
		{"past the last whole block", "198.51.100.0", 1024 + 32*2000, ""},
		{"the highest port", "198.51.100.0", 65535, ""},
		{"below the first port", "198.51.100.0", 1023, ""},
		{"port 0", "198.51.100.0", 0, ""},
		{"the next address", "198.51.100.1", 1024, "100.64.0.32"},
		{"the worked example", "198.51.100.3", 5000, "100.64.0.97"},
		{"the last address's last block", "198.51.100.15", 1024 + 31*2000, "100.64.1.255"},
		{"outside the pool", "198.51.100.16", 1024, ""},
		{"an IPv6 address", "2001:db8::1", 1024, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := n.Inside(a(tc.public), tc.port)
			if tc.want == "" {
				if ok {
					t.Errorf("Inside = %v, want none", got)
				}
				if _, ok := n.Mapping(a(tc.public), tc.port); ok {
					t.Error("Mapping found one")
				}
				return
			}
			if !ok || got != a(tc.want) {
				t.Fatalf("Inside = %v, %v; want %v", got, ok, tc.want)
			}
			m, ok := n.Mapping(a(tc.public), tc.port)
			if !ok || m.Inside != got || !m.Ports.Contains(tc.port) || m.Public != a(tc.public) || m.Source.Kind != retention.DeterministicNAT ||
				m.From != timesync.MustParseTimestamp("2026-01-01T00:00:00+01:00") || !m.Until.IsZero() {
				t.Errorf("Mapping = %+v", m)
			}
			pub, ports, ok := n.Public(got)
			if !ok || pub != a(tc.public) || !ports.Contains(tc.port) {
				t.Errorf("Public(%v) = %v %v %v", got, pub, ports, ok)
			}
		})
	}
	if _, _, ok := n.Public(a("100.64.2.0")); ok {
		t.Error("Public of an address outside the inside prefix")
	}
}

// A pool with more blocks than inside addresses leaves the last blocks
// to nobody.
func TestBlocksNobodyHolds(t *testing.T) {
	c := base()
	c.Inside = netip.MustParsePrefix("100.64.0.0/30")
	n := mustNew(t, c)
	if _, ok := n.Inside(netip.MustParseAddr("198.51.100.0"), 1024+4*2000); ok {
		t.Error("block 4 has no inside address")
	}
	if got := n.Explain(netip.MustParseAddr("198.51.100.0"), 1024+4*2000); !strings.HasSuffix(got, "past the 4 addresses of 100.64.0.0/30: no subscriber holds it.") {
		t.Error(got)
	}
	if got := slices.Collect(n.Mappings()); len(got) != 4 || got[3].Ports != (retention.PortRange{First: 7024, Last: 9023}) {
		t.Errorf("Mappings = %+v", got)
	}
}

func TestExplainNone(t *testing.T) {
	n := mustNew(t, base())
	for _, tc := range []struct {
		name, public string
		port         uint16
		suffix       string
	}{
		{"outside the pool", "203.0.113.1", 4000, "203.0.113.1 is not in the pool 198.51.100.0/28: this NAT did not use it."},
		{"a low port", "198.51.100.2", 80, "Port 80 is below 1024: no subscriber holds it."},
		{"a high port", "198.51.100.2", 65535, "Port 65535 is past the last whole block (ports 1024 to 65023): no subscriber holds it."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := n.Explain(netip.MustParseAddr(tc.public), tc.port); !strings.HasSuffix(got, tc.suffix) {
				t.Errorf("Explain = %s", got)
			}
		})
	}
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*detnat.Config)
		fields []string
	}{
		{"no device", func(c *detnat.Config) { c.Device = "" }, []string{"device"}},
		{"IPv6 inside", func(c *detnat.Config) { c.Inside = netip.MustParsePrefix("2001:db8::/64") }, []string{"inside"}},
		{"no public pool", func(c *detnat.Config) { c.Public = netip.Prefix{} }, []string{"public"}},
		{"host bits", func(c *detnat.Config) { c.Public = netip.MustParsePrefix("198.51.100.1/28") }, []string{"public"}},
		{"no block size", func(c *detnat.Config) { c.PortsPerSubscriber = 0 }, []string{"ports_per_subscriber"}},
		{"ports reversed", func(c *detnat.Config) { c.FirstPort, c.LastPort = 2000, 1999 }, []string{"first_port"}},
		{"a block larger than the ports", func(c *detnat.Config) { c.FirstPort, c.LastPort = 1024, 2000 }, []string{"ports_per_subscriber"}},
		{"a pool too small", func(c *detnat.Config) { c.Inside = netip.MustParsePrefix("100.64.0.0/22") }, []string{"public"}},
		{"UTC", func(c *detnat.Config) { c.From = "2026-01-01T00:00:00Z" }, []string{"from"}},
		{"ends before it starts", func(c *detnat.Config) { c.Until = "2025-12-31T00:00:00+01:00" }, []string{"until"}},
		{"everything at once", func(c *detnat.Config) { *c = detnat.Config{} }, []string{"device", "inside", "public", "ports_per_subscriber", "first_port", "from"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.change(&c)
			_, err := detnat.New(c, clock)
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, detnat.ErrConfig) {
				t.Fatalf("err = %v", err)
			}
			var fields []string
			for _, f := range ps.Findings {
				fields = append(fields, f.Field)
			}
			if fmt.Sprint(fields) != fmt.Sprint(tc.fields) {
				t.Errorf("fields = %q, want %q: %v", fields, tc.fields, err)
			}
			for _, s := range []string{"100.64", "198.51", "2001:db8", "cgnat"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error quotes %q: %v", s, err)
				}
			}
		})
	}
}

func TestDecode(t *testing.T) {
	good := `{"device":"cgnat-1","inside":"100.64.0.0/23","public":"198.51.100.0/28","ports_per_subscriber":2000,"first_port":1024,"last_port":65535,"from":"2026-01-01T00:00:00+01:00"}`
	n, err := detnat.Decode([]byte(good), clock)
	if err != nil {
		t.Fatal(err)
	}
	if n.Config() != base() || n.BlocksPerAddress() != 32 {
		t.Errorf("Config = %+v", n.Config())
	}
	m, _ := n.Mapping(netip.MustParseAddr("198.51.100.0"), 1024)
	if m.Source.Hash != retention.HashRecord([]byte(good)) || m.Source.Device != "cgnat-1" || m.Clock != clock {
		t.Errorf("evidence %+v", m.Source)
	}
	// New's evidence is the same configuration's canonical encoding.
	if m2, _ := mustNew(t, base()).Mapping(netip.MustParseAddr("198.51.100.0"), 1024); m2.Source.Hash != m.Source.Hash {
		t.Error("New and Decode give different evidence for the same canonical file")
	}
	for _, tc := range []struct{ name, in, field string }{
		{"unknown field", `{"device":"x","inside":"100.64.0.0/23","public":"198.51.100.0/28","ports_per_subscriber":2000,"first_port":1024,"last_port":65535,"from":"2026-01-01T00:00:00+01:00","ports":3}`, "ports"},
		{"not a prefix", strings.Replace(good, `"100.64.0.0/23"`, `"100.64.0.0"`, 1), "inside"},
		{"a port out of range", strings.Replace(good, `65535`, `65536`, 1), "last_port"},
		{"not JSON", `{`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := detnat.Decode([]byte(tc.in), clock)
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, detnat.ErrConfig) || ps.Findings[0].Field != tc.field {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "100.64") {
				t.Errorf("quotes the input: %v", err)
			}
		})
	}
}

// For any configuration, every inside address's block leads back to it
// from each of its ports, and every public address and port that leads to
// an inside address lies in that address's block.
func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		insideBits := rapid.IntRange(16, 32).Draw(t, "insideBits")
		per := uint16(rapid.IntRange(1, 8192).Draw(t, "per"))
		first := uint16(rapid.IntRange(1, 65535).Draw(t, "first"))
		last := uint16(rapid.IntRange(int(first), 65535).Draw(t, "last"))
		k := (int(last) - int(first) + 1) / int(per)
		if k == 0 {
			t.Skip("no block fits")
		}
		need := (1<<(32-insideBits) + k - 1) / k
		pubBits := 32
		for 1<<(32-pubBits) < need {
			pubBits--
		}
		c := detnat.Config{Device: "n", Inside: netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, 0, 0}), insideBits).Masked(),
			Public:             netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 51, 100, 0}), pubBits).Masked(),
			PortsPerSubscriber: per, FirstPort: first, LastPort: last, From: "2026-03-29T03:00:00+02:00"}
		n, err := detnat.New(c, clock)
		if err != nil {
			t.Fatal(err)
		}
		in4 := c.Inside.Addr().As4()
		off := rapid.Uint32Range(0, 1<<(32-insideBits)-1).Draw(t, "inside")
		v := uint32(in4[0])<<24 | uint32(in4[1])<<16 | uint32(in4[2])<<8 | uint32(in4[3]) + off
		inside := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
		pub, ports, ok := n.Public(inside)
		if !ok || !c.Public.Contains(pub) || int(ports.Last)-int(ports.First)+1 != int(per) {
			t.Fatalf("Public(%v) = %v %v %v", inside, pub, ports, ok)
		}
		port := uint16(rapid.IntRange(int(ports.First), int(ports.Last)).Draw(t, "port"))
		if got, ok := n.Inside(pub, port); !ok || got != inside {
			t.Fatalf("Inside(%v, %d) = %v %v, want %v", pub, port, got, ok, inside)
		}
		// The reverse direction, from any public address and port.
		p4 := c.Public.Addr().As4()
		poff := rapid.Uint32Range(0, 1<<(32-pubBits)-1).Draw(t, "public")
		pv := uint32(p4[0])<<24 | uint32(p4[1])<<16 | uint32(p4[2])<<8 | uint32(p4[3]) + poff
		anyPub := netip.AddrFrom4([4]byte{byte(pv >> 24), byte(pv >> 16), byte(pv >> 8), byte(pv)})
		anyPort := uint16(rapid.IntRange(0, 65535).Draw(t, "anyPort"))
		if in, ok := n.Inside(anyPub, anyPort); ok {
			back, bports, ok := n.Public(in)
			if !ok || back != anyPub || !bports.Contains(anyPort) {
				t.Fatalf("Inside(%v, %d) = %v, whose block is %v %v", anyPub, anyPort, in, back, bports)
			}
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"device":"cgnat-1","inside":"100.64.0.0/23","public":"198.51.100.0/28","ports_per_subscriber":2000,"first_port":1024,"last_port":65535,"from":"2026-01-01T00:00:00+01:00"}`), uint16(5000))
	f.Add([]byte(`{"device":"d","inside":"10.0.0.0/8","public":"192.0.2.0/32","ports_per_subscriber":1,"first_port":1,"last_port":65535,"from":"2026-10-25T02:30:00+01:00","until":"2026-10-25T02:30:01+01:00"}`), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, port uint16) {
		n, err := detnat.Decode(data, clock)
		if err != nil {
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, detnat.ErrConfig) {
				t.Fatalf("err %v is not a *provenance.Problems of ErrConfig", err)
			}
			return
		}
		c := n.Config()
		pub := c.Public.Addr()
		if in, ok := n.Inside(pub, port); ok {
			back, ports, ok := n.Public(in)
			if !ok || back != pub || !ports.Contains(port) {
				t.Fatalf("Inside(%v, %d) = %v, whose block is %v %v", pub, port, in, back, ports)
			}
		}
		_ = n.Explain(pub, port)
	})
}
