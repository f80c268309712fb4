package radiusacct

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrConfig: the Config is refused.
var ErrConfig = errors.New("radiusacct: invalid configuration")

// Identity is which attribute names the subscriber.
type Identity uint8

const (
	// UserName: the User-Name (RFC 2865 §5.1).
	UserName Identity = iota
	// Class: the Class attributes (RFC 2865 §5.25), the first that maps.
	Class
)

// String returns "User-Name" or "Class".
func (i Identity) String() string {
	switch i {
	case UserName:
		return "User-Name"
	case Class:
		return "Class"
	}
	return fmt.Sprintf("Identity(%d)", uint8(i))
}

// Config configures Sessions.
type Config struct {
	// Device is the ISP's name for the accounting server (1 to 64
	// printable ASCII bytes, no spaces): the evidence's device.
	Device string
	// Clock returns the verdict of the clock that stamped the events.
	Clock func() retention.Clock
	// Identity says which attribute names the subscriber.
	Identity Identity
	// Subscribers maps identities to subscriber references; nil: the
	// identity is the reference itself, when it is a valid one.
	Subscribers map[string]retention.Subscriber
	// Emit receives each assignment opened or closed; an error refuses
	// the request.
	Emit func(retention.Assignment) error
	// MaxSessions bounds the sessions followed (zero: 1<<20). A session
	// beyond it gives no assignment (Stats.Untracked).
	MaxSessions int
}

// Stats counts what Sessions read and did. Counters only grow.
type Stats struct {
	Requests    uint64 // requests read
	Opened      uint64 // assignments opened
	Closed      uint64 // assignments closed
	Late        uint64 // sessions first seen in an Interim-Update or a Stop
	Unmapped    uint64 // session requests whose identity maps to no subscriber
	NASRestarts uint64 // Accounting-On and Accounting-Off requests
	Displaced   uint64 // sessions closed because another of their NAS took an address
	Untracked   uint64 // session requests past MaxSessions
	Stale       uint64 // Interim-Updates and Stops of sessions already ended (reordered, or sent again)
	Refused     uint64 // requests Emit refused
}

// session is one open session.
type session struct {
	id   string // the event's SessionID: NAS and Acct-Session-Id
	nas  string
	sub  retention.Subscriber
	from timesync.Timestamp
	open map[netip.Prefix]retention.Assignment
}

// holder names an address of one NAS.
type holder struct {
	nas    string
	prefix netip.Prefix
}

// Sessions follows RADIUS sessions. It is safe for concurrent use.
type Sessions struct {
	cfg Config

	mu       sync.Mutex
	sessions map[string]*session
	holders  map[holder]string             // → session id
	lastEnd  map[holder]timesync.Timestamp // when each address was last released
	ended    map[string]bool               // sessions ended, the latest MaxSessions
	endOrder []string
	stats    Stats
}

// New makes a Sessions. Every problem with cfg is reported at once; none
// quotes an identity or a reference.
func New(cfg Config) (*Sessions, error) {
	var probs []error
	if !strict.Device(cfg.Device) {
		probs = append(probs, fmt.Errorf("%w: Device must be 1 to %d printable ASCII bytes without spaces", ErrConfig, strict.MaxDevice))
	}
	if cfg.Clock == nil {
		probs = append(probs, fmt.Errorf("%w: Clock is required", ErrConfig))
	}
	if cfg.Emit == nil {
		probs = append(probs, fmt.Errorf("%w: Emit is required", ErrConfig))
	}
	if cfg.Identity > Class {
		probs = append(probs, fmt.Errorf("%w: Identity is neither UserName nor Class", ErrConfig))
	}
	if cfg.MaxSessions < 0 {
		probs = append(probs, fmt.Errorf("%w: MaxSessions cannot be negative", ErrConfig))
	}
	bad := 0
	for _, s := range cfg.Subscribers {
		if !retention.ValidSubscriber(s) {
			bad++
		}
	}
	if bad > 0 {
		probs = append(probs, fmt.Errorf("%w: Subscribers: %d invalid reference(s)", ErrConfig, bad))
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = 1 << 20
	}
	return &Sessions{cfg: cfg, sessions: map[string]*session{}, holders: map[holder]string{},
		lastEnd: map[holder]timesync.Timestamp{}, ended: map[string]bool{}}, nil
}

// Stats returns the counters so far.
func (s *Sessions) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Open returns the assignments still open, by NAS, session and prefix.
func (s *Sessions) Open() []retention.Assignment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []retention.Assignment
	for _, id := range s.ids(func(*session) bool { return true }) {
		for _, p := range prefixes(s.sessions[id].open) {
			out = append(out, s.sessions[id].open[p])
		}
	}
	return out
}

// Request reads one request that intercept/radius accepted, with its
// octets as received: its signature is radius.Config.OnRequest's. It
// hands Config.Emit the assignments the request opens or closes and
// returns Emit's first error (the request is then refused; what was
// handed on before stays done).
func (s *Sessions) Request(r *radius.Request, packet []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests++
	ev := retention.Evidence{Kind: retention.RADIUS, Device: s.cfg.Device, Hash: retention.HashRecord(packet)}
	var err error
	switch {
	case r.Status.IsNAS():
		err = s.restart(r, ev)
	case r.Status.IsSession():
		err = s.session(r, ev)
	}
	if err != nil {
		s.stats.Refused++
	}
	return err
}

// restart closes every session of the request's NAS.
func (s *Sessions) restart(r *radius.Request, ev retention.Evidence) error {
	s.stats.NASRestarts++
	until := timesync.FromTime(r.Event.Time)
	if r.Status == radius.StatusAccountingOff {
		until = until.Add(time.Second)
	}
	for _, id := range s.ids(func(x *session) bool { return x.nas == r.NAS }) {
		if err := s.closeSession(s.sessions[id], until, ev); err != nil {
			return err
		}
	}
	return nil
}

// ids returns the ids of the sessions cond holds for, sorted.
func (s *Sessions) ids(cond func(*session) bool) []string {
	var out []string
	for id, x := range s.sessions {
		if cond(x) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// subscriber returns the reference the request's identity maps to.
func (s *Sessions) subscriber(r *radius.Request) (retention.Subscriber, bool) {
	var ids []string
	if s.cfg.Identity == Class {
		for _, c := range r.Class {
			ids = append(ids, string(c))
		}
	} else if r.Event.Username != "" {
		ids = append(ids, r.Event.Username)
	}
	for _, id := range ids {
		if s.cfg.Subscribers != nil {
			if sub, ok := s.cfg.Subscribers[id]; ok {
				return sub, true
			}
			continue
		}
		if sub := retention.Subscriber(id); retention.ValidSubscriber(sub) {
			return sub, true
		}
	}
	return "", false
}

// session applies a Start, Interim-Update or Stop.
func (s *Sessions) session(r *radius.Request, ev retention.Evidence) error {
	e := r.Event
	at := timesync.FromTime(e.Time)
	start := at
	if !e.Start.IsZero() {
		start = timesync.FromTime(e.Start)
	}
	x, known := s.sessions[e.SessionID]
	if !known && r.Status != radius.StatusStart && s.ended[e.SessionID] {
		s.stats.Stale++
		return nil
	}
	if !known {
		sub, ok := s.subscriber(r)
		if !ok {
			s.stats.Unmapped++
			// Its addresses are no longer the other sessions'.
			for _, p := range e.Addresses {
				if err := s.displace(r.NAS, p, e.SessionID, at, ev); err != nil {
					return err
				}
			}
			return nil
		}
		if len(s.sessions) >= s.cfg.MaxSessions {
			s.stats.Untracked++
			return nil
		}
		if r.Status != radius.StatusStart {
			s.stats.Late++
		}
		x = &session{id: e.SessionID, nas: r.NAS, sub: sub, from: start, open: map[netip.Prefix]retention.Assignment{}}
		s.sessions[x.id] = x
	}
	if r.Status == radius.StatusStop {
		if !known {
			// Seen only now: its addresses, from its start, closed.
			for _, p := range e.Addresses {
				if err := s.openPrefix(x, p, start, ev); err != nil {
					return err
				}
			}
		}
		return s.closeSession(x, at.Add(time.Second), ev)
	}
	from := at
	if !known || r.Status == radius.StatusStart {
		from = start
	}
	want := map[netip.Prefix]bool{}
	for _, p := range e.Addresses {
		want[p] = true
	}
	if known && len(e.Addresses) > 0 {
		// The addresses gone since the last request end now.
		for _, p := range prefixes(x.open) {
			if !want[p] {
				if err := s.closePrefix(x, p, at, ev); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range e.Addresses {
		if _, ok := x.open[p]; ok {
			continue
		}
		if err := s.openPrefix(x, p, from, ev); err != nil {
			return err
		}
	}
	return nil
}

// openPrefix opens prefix p for session x from from, after closing any
// other session of its NAS that holds it.
func (s *Sessions) openPrefix(x *session, p netip.Prefix, from timesync.Timestamp, ev retention.Evidence) error {
	if err := s.displace(x.nas, p, x.id, from, ev); err != nil {
		return err
	}
	// Never before the address's last holder released it, but for the
	// second that one ended in.
	if end, ok := s.lastEnd[holder{x.nas, p}]; ok && from.Before(end.Add(-time.Second)) {
		from = end.Add(-time.Second)
	}
	a := retention.Assignment{Subscriber: x.sub, Prefix: p, From: from, Source: ev, Clock: s.cfg.Clock()}
	if err := s.cfg.Emit(a); err != nil {
		return err
	}
	x.open[p] = a
	s.holders[holder{x.nas, p}] = x.id
	s.stats.Opened++
	return nil
}

// displace closes, at at, the session other than id that holds p on nas.
func (s *Sessions) displace(nas string, p netip.Prefix, id string, at timesync.Timestamp, ev retention.Evidence) error {
	other, ok := s.holders[holder{nas, p}]
	if !ok || other == id {
		return nil
	}
	if err := s.closeSession(s.sessions[other], at, ev); err != nil {
		return err
	}
	s.stats.Displaced++
	return nil
}

// closePrefix closes session x's assignment of p at until (never before
// its start: a second at least).
func (s *Sessions) closePrefix(x *session, p netip.Prefix, until timesync.Timestamp, ev retention.Evidence) error {
	a := x.open[p]
	if !a.From.Before(until) {
		until = a.From.Add(time.Second)
	}
	a.Until, a.Source, a.Clock = until, ev, s.cfg.Clock()
	if err := s.cfg.Emit(a); err != nil {
		return err
	}
	delete(x.open, p)
	h := holder{x.nas, p}
	if s.holders[h] == x.id {
		delete(s.holders, h)
	}
	if until.After(s.lastEnd[h]) {
		s.lastEnd[h] = until
	}
	s.stats.Closed++
	return nil
}

// closeSession closes every assignment of x at until and forgets x.
func (s *Sessions) closeSession(x *session, until timesync.Timestamp, ev retention.Evidence) error {
	for _, p := range prefixes(x.open) {
		if err := s.closePrefix(x, p, until, ev); err != nil {
			return err
		}
	}
	delete(s.sessions, x.id)
	if !s.ended[x.id] {
		s.ended[x.id] = true
		s.endOrder = append(s.endOrder, x.id)
		if len(s.endOrder) > s.cfg.MaxSessions {
			delete(s.ended, s.endOrder[0])
			s.endOrder = s.endOrder[1:]
		}
	}
	return nil
}

// prefixes returns m's keys, sorted.
func prefixes(m map[netip.Prefix]retention.Assignment) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	return out
}
