package retention

import (
	"crypto/sha256"
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
)

// Subscriber is the ISP's own opaque reference for a customer contract,
// such as "C-000042": never a name, an address or anything a person is
// known by outside the ISP. It is 1 to [MaxSubscriber] bytes of printable
// ASCII without spaces ([ValidSubscriber]).
type Subscriber string

// MaxSubscriber bounds a [Subscriber] reference, in bytes.
const MaxSubscriber = 64

// ValidSubscriber reports whether s is a valid [Subscriber]: 1 to
// [MaxSubscriber] bytes, each printable ASCII other than space.
func ValidSubscriber(s Subscriber) bool {
	if len(s) < 1 || len(s) > MaxSubscriber {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// PortRange is an inclusive range of transport ports, First to Last: the
// block of source ports a CGNAT gives a subscriber on a shared public
// address. The zero PortRange means "every port": the address is not
// shared by port.
type PortRange struct {
	First uint16 `json:"first"`
	Last  uint16 `json:"last"`
}

// All reports whether r is the zero PortRange, every port.
func (r PortRange) All() bool { return r == PortRange{} }

// Contains reports whether port p is in r (always, for every port).
func (r PortRange) Contains(p uint16) bool { return r.All() || r.First <= p && p <= r.Last }

// Valid reports whether r is every port or a range with First <= Last.
func (r PortRange) Valid() bool { return r.All() || r.First <= r.Last }

// String returns "1024-2047", or "*" for every port.
func (r PortRange) String() string {
	if r.All() {
		return "*"
	}
	return fmt.Sprintf("%d-%d", r.First, r.Last)
}

// SourceKind is where an assignment or a mapping was learnt.
type SourceKind uint8

const (
	// Static: a contract's fixed address or prefix (a CSV of contracts).
	Static SourceKind = iota + 1
	// RADIUS: accounting (Start, Interim-Update, Stop) from a NAS.
	RADIUS
	// DHCP: a lease from a DHCP server (Kea, dnsmasq), IPv4 or IPv6.
	DHCP
	// CGNAT: a NAT mapping event from a Linux box (conntrack).
	CGNAT
	// DeterministicNAT: computed from an RFC 7422 configuration, no log.
	DeterministicNAT
)

// SourceKinds returns every kind, in order.
func SourceKinds() []SourceKind { return []SourceKind{Static, RADIUS, DHCP, CGNAT, DeterministicNAT} }

// String returns the kind's key: "static", "radius", "dhcp", "cgnat" or
// "deterministic-nat".
func (k SourceKind) String() string {
	switch k {
	case Static:
		return "static"
	case RADIUS:
		return "radius"
	case DHCP:
		return "dhcp"
	case CGNAT:
		return "cgnat"
	case DeterministicNAT:
		return "deterministic-nat"
	}
	return fmt.Sprintf("SourceKind(%d)", uint8(k))
}

// Evidence says where a record came from, so that an answer can be
// defended: the kind of source, the device that reported it (a NAS, a
// DHCP server, a NAT box: the ISP's own name for it), and the SHA-256 of
// the source record as received — or the root of a block of records
// (see the store), so that the evidence need not cost 32 bytes a record.
type Evidence struct {
	Kind   SourceKind `json:"kind"`
	Device string     `json:"device"`
	Hash   [32]byte   `json:"hash"`
}

// HashRecord returns the SHA-256 of a source record as received, for
// [Evidence.Hash].
func HashRecord(record []byte) [32]byte { return sha256.Sum256(record) }

// Clock is the clock verdict at ingest, as much of it as an answer needs:
// whether the times of the record can be given to the second, and the
// worst-case error (-1 when it cannot be bounded). See timesync.Verdict.
type Clock struct {
	Synchronised bool          `json:"synchronised"`
	ToTheSecond  bool          `json:"to_the_second"`
	ErrorBound   time.Duration `json:"error_bound_ns"`
}

// ClockOf keeps what an answer needs of a verdict.
func ClockOf(v timesync.Verdict) Clock {
	return Clock{Synchronised: v.Synchronised, ToTheSecond: v.ToTheSecond, ErrorBound: v.ErrorBound}
}

// Assignment is who had an address or prefix when: subscriber Subscriber
// held Prefix (a single address is a /32 or /128 prefix; a delegated IPv6
// prefix is itself) on the ports Ports (every port unless CGNAT blocks
// are assigned directly) from From, included, to Until, excluded — times
// to the second; Until is zero while the session lasts.
type Assignment struct {
	Subscriber Subscriber         `json:"subscriber"`
	Prefix     netip.Prefix       `json:"prefix"`
	Ports      PortRange          `json:"ports,omitzero"`
	From       timesync.Timestamp `json:"from"`
	Until      timesync.Timestamp `json:"until,omitzero"`
	Source     Evidence           `json:"source"`
	Clock      Clock              `json:"clock"`
}

// Open reports whether the assignment still lasts (no end known).
func (a Assignment) Open() bool { return a.Until.IsZero() }

// Covers reports whether the assignment covers address addr on port at
// instant t (port 0 when no port is known: an assignment on a port block
// then covers it only as a candidate, see the lookup).
func (a Assignment) Covers(addr netip.Addr, port uint16, t timesync.Timestamp) bool {
	return a.Prefix.Contains(addr) && (port == 0 || a.Ports.Contains(port)) &&
		!t.Before(a.From) && (a.Open() || t.Before(a.Until))
}

// Mapping is a translation a NAT made: inside address Inside (and port
// InsidePort, 0 when the NAT keeps no port) appeared as public address
// Public on the ports Ports from From, included, to Until, excluded (zero
// while it lasts). The subscriber is found by chaining Inside, at the
// same instant, to an [Assignment].
type Mapping struct {
	Public     netip.Addr         `json:"public"`
	Ports      PortRange          `json:"ports,omitzero"`
	Inside     netip.Addr         `json:"inside"`
	InsidePort uint16             `json:"inside_port,omitzero"`
	Protocol   uint8              `json:"protocol,omitzero"` // IANA protocol number: 6 TCP, 17 UDP; 0 any
	From       timesync.Timestamp `json:"from"`
	Until      timesync.Timestamp `json:"until,omitzero"`
	Source     Evidence           `json:"source"`
	Clock      Clock              `json:"clock"`
}

// Open reports whether the mapping still lasts (no end known).
func (m Mapping) Open() bool { return m.Until.IsZero() }

// Covers reports whether the mapping covers public address addr on port
// (0: unknown, then any port matches) at instant t.
func (m Mapping) Covers(addr netip.Addr, port uint16, t timesync.Timestamp) bool {
	return m.Public == addr && (port == 0 || m.Ports.Contains(port)) &&
		!t.Before(m.From) && (m.Open() || t.Before(m.Until))
}
