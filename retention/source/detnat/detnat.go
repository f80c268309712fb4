package detnat

import (
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"strings"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrConfig is wrapped by every finding of Decode: the configuration is
// refused.
var ErrConfig = errors.New("detnat: invalid configuration")

// MaxSize bounds a configuration file, in bytes.
const MaxSize = 1 << 16

// what is what Decode's *provenance.Problems says was judged.
const what = "detnat: configuration"

func format() strictjson.Format {
	return strictjson.Format{What: what, Name: "deterministic NAT configuration", Err: ErrConfig, Max: MaxSize, PlainText: true}
}

// rfc7422 is the source of the computation. The RFC's text was not
// re-read for this package: [U], the formula being the one the package
// comment states and tests.
func rfc7422() provenance.Source {
	return provenance.Source{Instrument: "RFC 7422", Article: "§2", Certainty: provenance.Unverified}
}

// Config is a deterministic NAT's configuration, as the file gives it.
type Config struct {
	// Device is the ISP's name for the NAT (1 to 64 printable ASCII
	// bytes, no spaces).
	Device string `json:"device"`
	// Inside is the prefix of the subscribers' addresses (IPv4).
	Inside netip.Prefix `json:"inside"`
	// Public is the pool of public addresses, every one used (IPv4).
	Public netip.Prefix `json:"public"`
	// PortsPerSubscriber is B, the ports of each block.
	PortsPerSubscriber uint16 `json:"ports_per_subscriber"`
	// FirstPort and LastPort bound the ports shared out, included.
	FirstPort uint16 `json:"first_port"`
	LastPort  uint16 `json:"last_port"`
	// From and Until bound when the configuration was in force (Until
	// excluded; "" while it is): RFC 3339 with Brussels's offset.
	From  string `json:"from"`
	Until string `json:"until,omitempty"`
}

// NAT is a checked configuration: it computes the mappings.
type NAT struct {
	cfg         Config
	from, until timesync.Timestamp
	inside      uint32 // first inside address
	nInside     uint64 // inside addresses
	public      uint32 // first public address
	nPublic     uint64 // public addresses
	perAddr     uint64 // K, blocks per public address
	evidence    retention.Evidence
	clock       retention.Clock
}

// Decode reads a configuration file (see the package comment) and checks
// it; clock is the verdict of the ingesting machine's clock. Every
// problem is in one *provenance.Problems, each finding wrapping
// ErrConfig.
func Decode(data []byte, clock retention.Clock) (*NAT, error) {
	var c Config
	if err := format().Decode(data, &c); err != nil {
		return nil, err
	}
	n, err := New(c, clock)
	if err != nil {
		return nil, err
	}
	n.evidence.Hash = retention.HashRecord(data)
	return n, nil
}

// New checks a configuration given in code; the evidence's hash is then
// the SHA-256 of its JSON encoding by Decode's rules. Every problem is in
// one *provenance.Problems.
func New(c Config, clock retention.Clock) (*NAT, error) {
	var f strict.Findings
	src := provenance.Rule("deterministic NAT configuration")
	add := func(field, text string) { f.Add(field, "config", text, src, ErrConfig) }
	if !strict.Device(c.Device) {
		add("device", "not a device name (1 to 64 printable ASCII bytes, no spaces)")
	}
	for _, p := range []struct {
		field string
		p     netip.Prefix
	}{{"inside", c.Inside}, {"public", c.Public}} {
		switch {
		case !p.p.IsValid():
			add(p.field, "missing: an IPv4 prefix is required")
		case !p.p.Addr().Is4():
			add(p.field, "not IPv4: RFC 7422 maps IPv4 addresses")
		case p.p.Masked() != p.p:
			add(p.field, "bits are set past the prefix length")
		}
	}
	if c.PortsPerSubscriber == 0 {
		add("ports_per_subscriber", "missing or 0")
	}
	if c.FirstPort == 0 || c.LastPort < c.FirstPort {
		add("first_port", "the ports shared out must be first_port to last_port, 1 <= first_port <= last_port")
	}
	n := &NAT{cfg: c, clock: clock, evidence: retention.Evidence{Kind: retention.DeterministicNAT, Device: c.Device}}
	var why string
	if n.from, why = strict.BelgianTime(c.From); why != "" {
		add("from", why)
	}
	if c.Until != "" {
		if n.until, why = strict.BelgianTime(c.Until); why != "" {
			add("until", why)
		} else if !n.from.IsZero() && !n.from.Before(n.until) {
			add("until", "the configuration ends before it starts, or when it starts")
		}
	}
	if f.Len() == 0 {
		n.inside, n.nInside = v4(c.Inside)
		n.public, n.nPublic = v4(c.Public)
		n.perAddr = (uint64(c.LastPort) - uint64(c.FirstPort) + 1) / uint64(c.PortsPerSubscriber)
		if n.perAddr == 0 {
			add("ports_per_subscriber", "more than the ports shared out: no block fits")
		} else if n.nPublic*n.perAddr < n.nInside {
			add("public", fmt.Sprintf("too small: %d inside addresses need %d blocks, and %d public addresses of %d blocks give %d",
				n.nInside, n.nInside, n.nPublic, n.perAddr, n.nPublic*n.perAddr))
		}
	}
	if err := f.Check(what); err != nil {
		return nil, err
	}
	if n.evidence.Hash == ([32]byte{}) {
		n.evidence.Hash = retention.HashRecord(canonical(c))
	}
	return n, nil
}

// canonical is the JSON encoding of c, as Decode reads it.
func canonical(c Config) []byte {
	until := ""
	if c.Until != "" {
		until = fmt.Sprintf(",\"until\":%q", c.Until)
	}
	return fmt.Appendf(nil, `{"device":%q,"inside":%q,"public":%q,"ports_per_subscriber":%d,"first_port":%d,"last_port":%d,"from":%q%s}`,
		c.Device, c.Inside, c.Public, c.PortsPerSubscriber, c.FirstPort, c.LastPort, c.From, until)
}

// v4 returns an IPv4 prefix's first address and its number of addresses.
func v4(p netip.Prefix) (uint32, uint64) {
	a := p.Addr().As4()
	return binary.BigEndian.Uint32(a[:]), 1 << (32 - p.Bits())
}

func addr4(u uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], u)
	return netip.AddrFrom4(b)
}

// index returns a's number in [first, first+n), and false when a is not
// in it.
func index(a netip.Addr, first uint32, n uint64) (uint64, bool) {
	if !a.Is4() {
		return 0, false
	}
	b := a.As4()
	u := binary.BigEndian.Uint32(b[:])
	if u < first || uint64(u-first) >= n {
		return 0, false
	}
	return uint64(u - first), true
}

// Config returns the configuration.
func (n *NAT) Config() Config { return n.cfg }

// BlocksPerAddress returns K, the blocks each public address carries.
func (n *NAT) BlocksPerAddress() int { return int(n.perAddr) }

// Public returns the public address and the ports inside address addr
// appears on, and false when addr is not in the inside prefix.
func (n *NAT) Public(addr netip.Addr) (netip.Addr, retention.PortRange, bool) {
	i, ok := index(addr, n.inside, n.nInside)
	if !ok {
		return netip.Addr{}, retention.PortRange{}, false
	}
	return addr4(n.public + uint32(i/n.perAddr)), n.block(i % n.perAddr), true
}

// block returns block j's ports.
func (n *NAT) block(j uint64) retention.PortRange {
	first := uint64(n.cfg.FirstPort) + j*uint64(n.cfg.PortsPerSubscriber)
	return retention.PortRange{First: uint16(first), Last: uint16(first + uint64(n.cfg.PortsPerSubscriber) - 1)}
}

// locate returns the public address's number, the block's and the
// inside address's, and false when no subscriber holds the port.
func (n *NAT) locate(public netip.Addr, port uint16) (pub, j, i uint64, ok bool) {
	pub, ok = index(public, n.public, n.nPublic)
	if !ok || port < n.cfg.FirstPort {
		return 0, 0, 0, false
	}
	j = uint64(port-n.cfg.FirstPort) / uint64(n.cfg.PortsPerSubscriber)
	if j >= n.perAddr {
		return 0, 0, 0, false
	}
	i = pub*n.perAddr + j
	return pub, j, i, i < n.nInside
}

// Inside returns the inside address that appears as public address
// public on port port, and false when none does (an address outside the
// pool, a port outside the blocks, a block no inside address has).
func (n *NAT) Inside(public netip.Addr, port uint16) (netip.Addr, bool) {
	_, _, i, ok := n.locate(public, port)
	if !ok {
		return netip.Addr{}, false
	}
	return addr4(n.inside + uint32(i)), true
}

// Mapping returns the mapping holding public address public and port
// port — the block it falls in, to its inside address, while the
// configuration was in force — and false when Inside finds none.
func (n *NAT) Mapping(public netip.Addr, port uint16) (retention.Mapping, bool) {
	_, j, i, ok := n.locate(public, port)
	if !ok {
		return retention.Mapping{}, false
	}
	return n.mapping(public, j, i), true
}

func (n *NAT) mapping(public netip.Addr, j, i uint64) retention.Mapping {
	return retention.Mapping{
		Public: public, Ports: n.block(j), Inside: addr4(n.inside + uint32(i)),
		From: n.from, Until: n.until, Source: n.evidence, Clock: n.clock,
	}
}

// Mappings returns every mapping of the configuration, one per inside
// address, in the inside addresses' order.
func (n *NAT) Mappings() iter.Seq[retention.Mapping] {
	return func(yield func(retention.Mapping) bool) {
		for i := range n.nInside {
			if !yield(n.mapping(addr4(n.public+uint32(i/n.perAddr)), i%n.perAddr, i)) {
				return
			}
		}
	}
}

// Source returns the source of the computation: RFC 7422 §2 [U].
func Source() provenance.Source { return rfc7422() }

// Explain says in English, with the numbers, how public address public
// and port port lead to an inside address, or why they lead to none: the
// text an answer to an authority gives for a deterministic NAT. It names
// the addresses, so it belongs in the answer, never in a log.
func (n *NAT) Explain(public netip.Addr, port uint16) string {
	c := n.cfg
	var b strings.Builder
	fmt.Fprintf(&b, "Deterministic NAT (RFC 7422) %s, configuration in force from %s", c.Device, n.from)
	if !n.until.IsZero() {
		fmt.Fprintf(&b, " until %s", n.until)
	}
	fmt.Fprintf(&b, ": each public address of %s carries K = ⌊(%d − %d + 1) ÷ %d⌋ = %d blocks of %d ports from port %d, and inside address number i of %s gets block i mod K of public address number ⌊i ÷ K⌋. ",
		c.Public, c.LastPort, c.FirstPort, c.PortsPerSubscriber, n.perAddr, c.PortsPerSubscriber, c.FirstPort, c.Inside)
	pub, ok := index(public, n.public, n.nPublic)
	if !ok {
		fmt.Fprintf(&b, "%s is not in the pool %s: this NAT did not use it.", public, c.Public)
		return b.String()
	}
	fmt.Fprintf(&b, "%s is public address number %d (%s − %s). ", public, pub, public, c.Public.Addr())
	if port < c.FirstPort {
		fmt.Fprintf(&b, "Port %d is below %d: no subscriber holds it.", port, c.FirstPort)
		return b.String()
	}
	j := uint64(port-c.FirstPort) / uint64(c.PortsPerSubscriber)
	if j >= n.perAddr {
		fmt.Fprintf(&b, "Port %d is past the last whole block (ports %d to %d): no subscriber holds it.", port, c.FirstPort, uint64(c.FirstPort)+n.perAddr*uint64(c.PortsPerSubscriber)-1)
		return b.String()
	}
	blk := n.block(j)
	i := pub*n.perAddr + j
	fmt.Fprintf(&b, "Port %d is in block j = ⌊(%d − %d) ÷ %d⌋ = %d (ports %d to %d). Inside address number i = %d × %d + %d = %d",
		port, port, c.FirstPort, c.PortsPerSubscriber, j, blk.First, blk.Last, pub, n.perAddr, j, i)
	if i >= n.nInside {
		fmt.Fprintf(&b, ", past the %d addresses of %s: no subscriber holds it.", n.nInside, c.Inside)
		return b.String()
	}
	fmt.Fprintf(&b, ", which is %s + %d = %s.", c.Inside.Addr(), i, addr4(n.inside+uint32(i)))
	return b.String()
}
