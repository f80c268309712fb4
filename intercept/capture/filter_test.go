package capture_test

import (
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/net/bpf"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/internal/itest"
)

// accepts runs the filter in x/net/bpf's interpreter, which follows the
// kernel's classic BPF semantics (an out-of-range load rejects).
func accepts(t interface{ Fatalf(string, ...any) }, prog []bpf.Instruction, pkt []byte) bool {
	vm, err := bpf.NewVM(prog)
	if err != nil {
		t.Fatalf("the filter does not load: %v", err)
	}
	n, err := vm.Run(pkt)
	if err != nil {
		t.Fatalf("the filter fails: %v", err)
	}
	return n > 0
}

func TestFilter(t *testing.T) {
	a := netip.MustParseAddr
	p := netip.MustParsePrefix
	ipv4 := func(src, dst string) []byte { return itest.Packet(a(src), a(dst), 60, 0) }
	ipv6 := func(src, dst string) []byte { return itest.Packet(a(src), a(dst), 80, 0) }
	arp := append([]byte{0x00, 0x01, 0x08, 0x00, 6, 4, 0, 1}, make([]byte, 20)...)
	tests := []struct {
		name     string
		prefixes []netip.Prefix
		pkt      []byte
		want     bool
	}{
		{"v4 source in a /32", []netip.Prefix{p("192.0.2.10/32")}, ipv4("192.0.2.10", "198.51.100.1"), true},
		{"v4 destination in a /32", []netip.Prefix{p("192.0.2.10/32")}, ipv4("198.51.100.1", "192.0.2.10"), true},
		{"v4 next address", []netip.Prefix{p("192.0.2.10/32")}, ipv4("192.0.2.11", "198.51.100.1"), false},
		{"v4 inside a /29", []netip.Prefix{p("192.0.2.8/29")}, ipv4("198.51.100.1", "192.0.2.15"), true},
		{"v4 just past a /29", []netip.Prefix{p("192.0.2.8/29")}, ipv4("198.51.100.1", "192.0.2.16"), false},
		{"v4 /0 takes all IPv4", []netip.Prefix{p("0.0.0.0/0")}, ipv4("198.51.100.1", "203.0.113.1"), true},
		{"v4 /0 takes no IPv6", []netip.Prefix{p("0.0.0.0/0")}, ipv6("2001:db8::1", "2001:db8::2"), false},
		{"unmasked prefix is masked", []netip.Prefix{p("192.0.2.77/24")}, ipv4("192.0.2.1", "198.51.100.1"), true},
		{"v4-mapped prefix is IPv4", []netip.Prefix{p("::ffff:192.0.2.10/128")}, ipv4("192.0.2.10", "198.51.100.1"), true},
		{"v6 source in a /64", []netip.Prefix{p("2001:db8:10::/64")}, ipv6("2001:db8:10::1", "2001:db8:99::1"), true},
		{"v6 destination in a /56", []netip.Prefix{p("2001:db8:10::/56")}, ipv6("2001:db8:99::1", "2001:db8:10:ff::1"), true},
		{"v6 past a /56", []netip.Prefix{p("2001:db8:10::/56")}, ipv6("2001:db8:99::1", "2001:db8:10:100::1"), false},
		{"v6 /128", []netip.Prefix{p("2001:db8:10::1/128")}, ipv6("2001:db8:10::1", "2001:db8:99::1"), true},
		{"v6 /128 last bit differs", []netip.Prefix{p("2001:db8:10::1/128")}, ipv6("2001:db8:10::0", "2001:db8:99::1"), false},
		{"v6 /33", []netip.Prefix{p("2001:db8:8000::/33")}, ipv6("2001:db8:ffff::1", "::1"), true},
		{"v6 /33 other half", []netip.Prefix{p("2001:db8:8000::/33")}, ipv6("2001:db8:7fff::1", "::1"), false},
		{"v6 /0 takes all IPv6", []netip.Prefix{p("::/0")}, ipv6("2001:db8::1", "2001:db8::2"), true},
		{"no prefix rejects all", nil, ipv4("192.0.2.10", "198.51.100.1"), false},
		{"ARP is rejected", []netip.Prefix{p("0.0.0.0/0"), p("::/0")}, arp, false},
		{"too short for the destination", []netip.Prefix{p("0.0.0.0/0").Masked(), p("192.0.2.0/24")}[1:], ipv4("198.51.100.1", "192.0.2.1")[:17], false},
		{"second of several", []netip.Prefix{p("198.18.0.0/15"), p("192.0.2.10/32"), p("2001:db8::/32")}, ipv4("203.0.113.9", "192.0.2.10"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := capture.Filter(tt.prefixes)
			if err != nil {
				t.Fatal(err)
			}
			if got := accepts(t, prog, tt.pkt); got != tt.want {
				t.Errorf("accepts = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFilterLimits(t *testing.T) {
	var many []netip.Prefix
	for i := range 800 {
		many = append(many, netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 1}), 32))
	}
	if _, err := capture.Filter(many); !errors.Is(err, capture.ErrFilterTooLarge) {
		t.Errorf("800 prefixes: %v, want ErrFilterTooLarge", err)
	}
	prog, err := capture.Filter(many[:500])
	if err != nil {
		t.Fatalf("500 prefixes: %v", err)
	}
	if _, err := bpf.Assemble(prog); err != nil || len(prog) > capture.MaxFilterInstructions {
		t.Errorf("500 prefixes: %d instructions, %v", len(prog), err)
	}
	// Nested prefixes cost nothing more than the outer one.
	outer, _ := capture.Filter([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})
	if nested, _ := capture.Filter(append(many, netip.MustParsePrefix("10.0.0.0/8"))); len(nested) != len(outer) {
		t.Errorf("nested prefixes: %d instructions, the outer alone %d", len(nested), len(outer))
	}
	if _, err := capture.Filter([]netip.Prefix{{}}); err == nil {
		t.Error("an invalid prefix was taken")
	}
}

// The kernel filter accepts exactly the packets whose source or
// destination a naive scan finds in a prefix.
func TestFilterAgreesWithNaiveScan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Addresses from a small pool, so that prefixes and packets meet.
		addr := func(label string) netip.Addr {
			if rapid.Bool().Draw(t, label+" v4") {
				return netip.AddrFrom4([4]byte{192, 0, 2, byte(rapid.IntRange(0, 15).Draw(t, label))})
			}
			var b [16]byte
			b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
			b[4] = byte(rapid.IntRange(0, 3).Draw(t, label+" hi"))
			b[15] = byte(rapid.IntRange(0, 3).Draw(t, label))
			return netip.AddrFrom16(b)
		}
		var prefixes []netip.Prefix
		for range rapid.IntRange(0, 6).Draw(t, "prefixes") {
			a := addr("prefix")
			prefixes = append(prefixes, netip.PrefixFrom(a, rapid.IntRange(0, a.BitLen()).Draw(t, "bits")).Masked())
		}
		prog, err := capture.Filter(prefixes)
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			src := addr("src")
			dst := addr("dst")
			if src.Is4() != dst.Is4() {
				dst = src
			}
			want := false
			for _, p := range prefixes {
				want = want || p.Contains(src) || p.Contains(dst)
			}
			if got := accepts(t, prog, itest.Packet(src, dst, 100, 0)); got != want {
				t.Fatalf("%v → %v with %v: filter %v, naive scan %v", src, dst, prefixes, got, want)
			}
		}
	})
}
