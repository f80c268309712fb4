package dhcp

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrConfig: the Config is refused.
var ErrConfig = errors.New("dhcp: invalid configuration")

// Key is what of a lease names its subscriber.
type Key uint8

// The keys, as Config.Order lists them.
const (
	// CircuitID: the circuit-id a DHCP relay added (option 82, RFC 3046):
	// the line or port the request came from.
	CircuitID Key = iota + 1
	// ClientID: the IPv4 client-id, or the IPv6 client's DUID.
	ClientID
	// MAC: the client's hardware address.
	MAC
)

// String returns "circuit-id", "client-id" or "mac".
func (k Key) String() string {
	switch k {
	case CircuitID:
		return "circuit-id"
	case ClientID:
		return "client-id"
	case MAC:
		return "mac"
	}
	return fmt.Sprintf("Key(%d)", uint8(k))
}

// Subscribers maps what a lease carries to the ISP's subscriber
// references. MAC addresses and client-ids are matched whatever their
// case (NormalMAC, NormalClientID); circuit-ids exactly as dnsmasq gives
// them.
type Subscribers struct {
	ByCircuitID map[string]retention.Subscriber
	ByClientID  map[string]retention.Subscriber
	ByMAC       map[string]retention.Subscriber
}

// Config configures Leases.
type Config struct {
	// Device is the ISP's name for the DHCP server (1 to 64 printable
	// ASCII bytes, no spaces): the evidence's device.
	Device string
	// Clock returns the verdict of the DHCP server's clock, which
	// stamped the calls.
	Clock func() retention.Clock
	// Subscribers maps leases to subscribers.
	Subscribers Subscribers
	// Order is the order the keys are tried in (nil: CircuitID,
	// ClientID, MAC); a key left out is not used.
	Order []Key
}

// Stats counts what Leases read and did. Counters only grow.
type Stats struct {
	Calls    uint64 // calls read
	Opened   uint64 // assignments opened
	Closed   uint64 // assignments closed (del, a change of hands, Expire)
	Late     uint64 // leases first seen in an "old" or a "del": known from then only
	Expired  uint64 // assignments Expire closed
	Unmapped uint64 // lease calls no key of Subscribers maps
	Other    uint64 // calls of other actions (init, tftp, arp-add, …)
}

// open is an open assignment and its lease's expiry.
type open struct {
	a       retention.Assignment
	expires timesync.Timestamp
}

// Leases follows a DHCP server's leases. It is not safe for concurrent
// use: feed it one server's calls in order.
type Leases struct {
	device string
	clock  func() retention.Clock
	subs   Subscribers
	order  []Key
	open   map[netip.Addr]open
	stats  Stats
}

// NewLeases makes a Leases. Every problem with cfg is reported at once;
// none quotes a key or a reference.
func NewLeases(cfg Config) (*Leases, error) {
	var probs []error
	if !strict.Device(cfg.Device) {
		probs = append(probs, fmt.Errorf("%w: Device must be 1 to %d printable ASCII bytes without spaces", ErrConfig, strict.MaxDevice))
	}
	if cfg.Clock == nil {
		probs = append(probs, fmt.Errorf("%w: Clock is required", ErrConfig))
	}
	l := &Leases{device: cfg.Device, clock: cfg.Clock, order: cfg.Order, open: map[netip.Addr]open{}}
	if l.order == nil {
		l.order = []Key{CircuitID, ClientID, MAC}
	}
	for i, k := range l.order {
		if k < CircuitID || k > MAC || slices.Index(l.order, k) != i {
			probs = append(probs, fmt.Errorf("%w: Order[%d] is not a key, or repeats one", ErrConfig, i))
		}
	}
	var err error
	if l.subs.ByCircuitID, err = keyed("ByCircuitID", cfg.Subscribers.ByCircuitID, func(s string) string { return s }); err != nil {
		probs = append(probs, err)
	}
	if l.subs.ByClientID, err = keyed("ByClientID", cfg.Subscribers.ByClientID, NormalClientID); err != nil {
		probs = append(probs, err)
	}
	if l.subs.ByMAC, err = keyed("ByMAC", cfg.Subscribers.ByMAC, NormalMAC); err != nil {
		probs = append(probs, err)
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	return l, nil
}

// keyed normalises a map's keys and checks its references.
func keyed(name string, m map[string]retention.Subscriber, norm func(string) string) (map[string]retention.Subscriber, error) {
	out := make(map[string]retention.Subscriber, len(m))
	badKey, badRef, dup := 0, 0, 0
	for k, s := range m {
		n := norm(k)
		switch {
		case n == "":
			badKey++
		case !retention.ValidSubscriber(s):
			badRef++
		default:
			if prev, ok := out[n]; ok && prev != s {
				dup++
			}
			out[n] = s
		}
	}
	if badKey+badRef+dup > 0 {
		return nil, fmt.Errorf("%w: Subscribers.%s: %d key(s) not of their kind, %d invalid reference(s), %d key(s) written twice for different subscribers",
			ErrConfig, name, badKey, badRef, dup)
	}
	return out, nil
}

// Stats returns the counters so far.
func (l *Leases) Stats() Stats { return l.stats }

// subscriber returns who the call's lease belongs to.
func (l *Leases) subscriber(c Call) (retention.Subscriber, bool) {
	for _, k := range l.order {
		var s retention.Subscriber
		var ok bool
		switch k {
		case CircuitID:
			s, ok = l.subs.ByCircuitID[c.CircuitID]
			ok = ok && c.CircuitID != ""
		case ClientID:
			s, ok = l.subs.ByClientID[c.ClientID]
			ok = ok && c.ClientID != ""
		case MAC:
			s, ok = l.subs.ByMAC[c.MAC]
			ok = ok && c.MAC != ""
		}
		if ok {
			return s, true
		}
	}
	return "", false
}

// Line reads one line EncodeCall wrote and applies its call (see
// Leases.Call). A refused line's *provenance.Problems is returned.
func (l *Leases) Line(b []byte, emit func(retention.Assignment) error) error {
	c, err := ParseCall(b)
	if err != nil {
		l.stats.Calls++
		return err
	}
	return l.Call(c, retention.HashRecord(b), emit)
}

// Call applies one call, whose line's SHA-256 is hash, handing emit the
// assignments it opens or closes (see the package comment). emit's error
// is returned as it is; what it refused is not applied.
func (l *Leases) Call(c Call, hash [32]byte, emit func(retention.Assignment) error) error {
	l.stats.Calls++
	if !c.Lease() {
		l.stats.Other++
		return nil
	}
	ev := retention.Evidence{Kind: retention.DHCP, Device: l.device, Hash: hash}
	cur, isOpen := l.open[c.Addr]
	sub, mapped := l.subscriber(c)
	if !mapped {
		l.stats.Unmapped++
	}
	switch c.Action {
	case ActionDel:
		if isOpen {
			return l.close(c.Addr, cur, ceil(c.Time), ev, emit)
		}
		if !mapped {
			return nil
		}
		a := l.assignment(c, sub, ev)
		a.Until = ceil(c.Time)
		if err := emit(a); err != nil {
			return err
		}
		l.stats.Late++
		l.stats.Opened++
		l.stats.Closed++
		return nil
	default: // add, old
		if isOpen && mapped && cur.a.Subscriber == sub {
			cur.expires = c.Expires
			l.open[c.Addr] = cur
			return nil
		}
		if isOpen {
			// The address changed hands: the old lease ended now.
			end := c.Time
			if !cur.a.From.Before(end) {
				end = cur.a.From.Add(time.Second)
			}
			if err := l.close(c.Addr, cur, end, ev, emit); err != nil {
				return err
			}
		}
		if !mapped {
			return nil
		}
		a := l.assignment(c, sub, ev)
		if err := emit(a); err != nil {
			return err
		}
		if c.Action == ActionOld {
			l.stats.Late++
		}
		l.stats.Opened++
		l.open[c.Addr] = open{a: a, expires: c.Expires}
		return nil
	}
}

// assignment is the open assignment of a call's lease.
func (l *Leases) assignment(c Call, sub retention.Subscriber, ev retention.Evidence) retention.Assignment {
	return retention.Assignment{
		Subscriber: sub, Prefix: netip.PrefixFrom(c.Addr, c.Addr.BitLen()),
		From: c.Time, Source: ev, Clock: l.clock(),
	}
}

// close hands on the open assignment of addr closed at until, with the
// evidence of what closed it.
func (l *Leases) close(addr netip.Addr, cur open, until timesync.Timestamp, ev retention.Evidence, emit func(retention.Assignment) error) error {
	a := cur.a
	a.Until, a.Source = until, ev
	if err := emit(a); err != nil {
		return err
	}
	delete(l.open, addr)
	l.stats.Closed++
	return nil
}

// ceil is the end of a lease that ended during second t: the next
// second, so that t is covered.
func ceil(t timesync.Timestamp) timesync.Timestamp { return t.Add(time.Second) }

// Expire closes, at their expiry, the open leases whose expiry is at or
// before now and hands them to emit: leases dnsmasq never said were
// destroyed (it was stopped). The evidence stays the call that opened
// them. It stops at emit's first error.
func (l *Leases) Expire(now time.Time, emit func(retention.Assignment) error) error {
	at := timesync.FromTime(now)
	for _, addr := range l.sorted() {
		cur := l.open[addr]
		if cur.expires.IsZero() || cur.expires.After(at) {
			continue
		}
		end := cur.expires
		if !cur.a.From.Before(end) {
			end = cur.a.From.Add(time.Second)
		}
		if err := l.close(addr, cur, end, cur.a.Source, emit); err != nil {
			return err
		}
		l.stats.Expired++
	}
	return nil
}

func (l *Leases) sorted() []netip.Addr {
	out := make([]netip.Addr, 0, len(l.open))
	for a := range l.open {
		out = append(out, a)
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return out
}

// Open returns the assignments still open, by address.
func (l *Leases) Open() []retention.Assignment {
	out := make([]retention.Assignment, 0, len(l.open))
	for _, a := range l.sorted() {
		out = append(out, l.open[a].a)
	}
	return out
}
