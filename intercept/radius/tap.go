package radius

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrConfig: a Server's or a Mirror's configuration is refused.
var ErrConfig = errors.New("radius: invalid configuration")

// maxPacket is the largest RADIUS packet, RFC 2865 §3 (4096 octets).
const maxPacket = rad.MaxPacketLength

// Client is a RADIUS client whose accounting is read: a NAS, or a RADIUS
// server copying its accounting to this tap.
type Client struct {
	// Prefix holds the addresses it sends from; the most specific prefix
	// holding a request's source decides its secret.
	Prefix netip.Prefix
	// Secret is the shared secret (RFC 2865 §3). A Server needs one for
	// every client; a Mirror reads a client without one unverified, and
	// only when Options.SkipVerify says so.
	Secret []byte
}

// Config configures a Server or a Mirror.
type Config struct {
	// Clients are whose accounting is read. A request from anyone else is
	// silently discarded (RFC 2865 §3) and counted. A Mirror with
	// Options.SkipVerify and no Clients reads every source, unverified.
	Clients []Client
	// Clock stamps each request's arrival at a Server (the event's time
	// when the NAS sent no Event-Timestamp) and ages its retransmission
	// memory. Required for a Server (timesync.SystemClock in production);
	// a Mirror uses the capture's timestamps.
	Clock timesync.Clock
	// Logger receives what an operator should know; nil discards. No log
	// line names a user, a session or a subscriber's address.
	Logger *slog.Logger
	// Options are passed to Parse.
	Options Options
	// OnRequest, when set, receives every request read and accepted
	// (authentic, well formed, not a retransmission), before its events
	// go to the consumer, with the request's octets as received (valid
	// during the call only): one stream feeding both interception and
	// another reader of the same accounting, such as retention's
	// (retention/source/radiusacct). An error refuses the request as
	// the consumer's refusal does: it is counted in Stats.Refused, its
	// events are not delivered, and a Server does not answer it, so that
	// the NAS sends it again.
	OnRequest func(r *Request, packet []byte) error
	// Ports are the UDP ports a Mirror reads requests on (zero: 1813, the
	// accounting port of RFC 2866 §3, and 1646, the one older NASes use).
	// A Server reads the socket it is given and ignores them.
	Ports []uint16
	// RetransmitWindow is how long a request is remembered, so that a
	// retransmission of it (same source, Identifier and Request
	// Authenticator, RFC 2866 §4.1) does not become a second event (a
	// Server answers it again). Zero means 30 seconds, longer than the
	// usual NAS retry schedule of a few tries a few seconds apart; this
	// figure is ccjkit's choice, not an RFC's.
	RetransmitWindow time.Duration
	// MaxRemembered bounds that memory (zero: 4096 requests); the oldest
	// go first.
	MaxRemembered int
	// MaxSessions bounds the sessions remembered so that a NAS's
	// Accounting-On or -Off can end them (zero: 1<<20). A session beyond
	// it is still reported; it is counted as untracked and will not be
	// ended by its NAS's restart.
	MaxSessions int
}

// Stats counts what a Server or a Mirror received and did. Counters only
// grow; a reader takes differences.
type Stats struct {
	Received        uint64 // requests read (a Mirror: UDP datagrams to an accounting port, Fragments and Truncated included)
	Events          uint64 // access events delivered, EndedByNAS included
	Refused         uint64 // events the consumer refused (Server.Serve's handler): their requests are not answered
	Answered        uint64 // Accounting-Responses a Server sent, retransmissions included
	Retransmissions uint64 // requests seen before: not delivered again
	UnknownClient   uint64 // from no configured client: discarded
	NotAuthentic    uint64 // wrong Request Authenticator: discarded
	NotAccounting   uint64 // another RADIUS code: discarded
	Malformed       uint64 // refused by Parse (a Server does not answer them, so the NAS keeps them)
	NASRestarts     uint64 // Accounting-On and Accounting-Off requests
	EndedByNAS      uint64 // sessionEnd events made for sessions a NAS restart ended
	OtherStatus     uint64 // tunnel, Failed or unknown statuses: no event (a Server answers them)
	Untracked       uint64 // requests of sessions beyond MaxSessions (counted at each of a session's requests)
	SendFailed      uint64 // answers a Server's socket refused
	Fragments       uint64 // a Mirror's requests fragmented in IP: not reassembled, lost
	Truncated       uint64 // a Mirror's datagrams the capture cut short: lost
}

// tap is what Server and Mirror share: the clients, the retransmission
// memory, the sessions per NAS and the counters.
type tap struct {
	clients []Client // most specific prefix first
	opts    Options
	onReq   func(*Request, []byte) error
	log     *slog.Logger
	clock   timesync.Clock
	window  time.Duration
	maxRem  int
	maxSes  int

	mu    sync.Mutex
	stats Stats

	// Owned by the one goroutine that reads.
	seen     map[dupKey]memo
	order    []dupKey // oldest first
	sessions map[string]map[string]struct{}
	nSess    int
}

// dupKey tells a retransmission: the same source, Identifier and Request
// Authenticator (RFC 2866 §4.1), and the same octets — an unverified
// request (Options.SkipVerify) could otherwise share the first three with
// a different one and hide it.
// memo is what is remembered of a handled request: when, and a Server's
// answer to it.
type memo struct {
	at       time.Time
	response []byte
}

type dupKey struct {
	from netip.AddrPort
	id   uint8
	auth [16]byte
	sum  uint64 // FNV-1a of the octets the Length field covers
}

// newTap checks cfg; server says whether it is for a Server.
func newTap(cfg Config, server bool) (*tap, error) {
	var probs []error
	if server && cfg.Clock == nil {
		probs = append(probs, fmt.Errorf("%w: Clock is required (use timesync.SystemClock in production)", ErrConfig))
	}
	for i, c := range cfg.Clients {
		if !c.Prefix.IsValid() {
			probs = append(probs, fmt.Errorf("%w: Clients[%d]: Prefix is not a valid prefix", ErrConfig, i))
		}
		if len(c.Secret) == 0 && (server || !cfg.Options.SkipVerify) {
			probs = append(probs, fmt.Errorf("%w: Clients[%d]: no Secret to verify its requests (RFC 2865 §3)", ErrConfig, i))
		}
	}
	if !server && len(cfg.Clients) == 0 && !cfg.Options.SkipVerify {
		probs = append(probs, fmt.Errorf("%w: no Clients, and Options.SkipVerify not set: every request would be discarded", ErrConfig))
	}
	for i, p := range cfg.Ports {
		if p == 0 {
			probs = append(probs, fmt.Errorf("%w: Ports[%d] is 0", ErrConfig, i))
		}
	}
	if cfg.RetransmitWindow < 0 || cfg.MaxRemembered < 0 || cfg.MaxSessions < 0 {
		probs = append(probs, fmt.Errorf("%w: RetransmitWindow, MaxRemembered and MaxSessions cannot be negative", ErrConfig))
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	t := &tap{
		opts: cfg.Options, onReq: cfg.OnRequest, log: cfg.Logger, clock: cfg.Clock,
		window: cfg.RetransmitWindow, maxRem: cfg.MaxRemembered, maxSes: cfg.MaxSessions,
		seen:     map[dupKey]memo{},
		sessions: map[string]map[string]struct{}{},
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.window == 0 {
		t.window = 30 * time.Second
	}
	if t.maxRem == 0 {
		t.maxRem = 4096
	}
	if t.maxSes == 0 {
		t.maxSes = 1 << 20
	}
	t.clients = make([]Client, len(cfg.Clients))
	for i, c := range cfg.Clients {
		t.clients[i] = Client{Prefix: c.Prefix.Masked(), Secret: slices.Clone(c.Secret)}
	}
	slices.SortStableFunc(t.clients, func(a, b Client) int { return b.Prefix.Bits() - a.Prefix.Bits() })
	return t, nil
}

func (t *tap) snapshot() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats
}

func (t *tap) count(f func(*Stats)) {
	t.mu.Lock()
	f(&t.stats)
	t.mu.Unlock()
}

// client returns the secret for a source, and whether the source is read.
func (t *tap) client(ip netip.Addr) (secret []byte, ok bool) {
	for _, c := range t.clients {
		if c.Prefix.Contains(ip) {
			return c.Secret, true
		}
	}
	if len(t.clients) == 0 && t.opts.SkipVerify {
		return nil, true
	}
	return nil, false
}

// handle reads one request from a source, received at now, and hands its
// events to accept. With answer, it returns the Accounting-Response to
// send, or nil when none is due: when the request was refused, or accept
// refused one of its events.
func (t *tap) handle(pkt []byte, from netip.AddrPort, now time.Time, accept func(intercept.AccessEvent) error, answer bool) []byte {
	t.count(func(st *Stats) { st.Received++ })
	secret, ok := t.admit(pkt, from.Addr())
	if !ok {
		return nil
	}
	t.expire(now)
	key, resp, seen := t.retransmission(pkt, from)
	if seen {
		return resp
	}
	r, ok := t.parse(pkt, secret, from.Addr(), now)
	if !ok || !t.deliver(r, whole(pkt), accept) {
		return nil
	}
	if answer {
		if resp, ok = t.answer(r, secret); !ok {
			return nil
		}
	}
	t.remember(key, now, resp)
	return resp
}

// admit returns the secret of the client at ip, and false for a sender
// that is no configured client or a request longer than RADIUS allows,
// each counted and logged.
func (t *tap) admit(pkt []byte, ip netip.Addr) ([]byte, bool) {
	secret, ok := t.client(ip)
	if !ok {
		// The sender may be a subscriber (a Mirror on a BRAS's uplink
		// sees theirs), so its address is not logged; the count is, at
		// the 1st, 2nd, 4th, 8th… such request.
		var n uint64
		t.count(func(st *Stats) { st.UnknownClient++; n = st.UnknownClient })
		if n&(n-1) == 0 {
			t.log.Warn("radius: requests from no configured client were discarded (RFC 2865 §3)", "count", n)
		}
		return nil, false
	}
	if len(pkt) > maxPacket {
		t.count(func(st *Stats) { st.Malformed++ })
		t.log.Warn("radius: a request longer than 4096 octets was refused (RFC 2865 §3)", "from", ip.String())
		return nil, false
	}
	return secret, true
}

// retransmission returns the key that tells a retransmission of pkt from
// a new request and, when the same octets came from the same sender
// before and were taken (the key holds their hash), the answer given then,
// which needs no second verification.
func (t *tap) retransmission(pkt []byte, from netip.AddrPort) (key dupKey, resp []byte, seen bool) {
	if len(pkt) < 20 {
		return key, nil, false
	}
	h := fnv.New64a()
	h.Write(whole(pkt))
	key = dupKey{from: from, id: pkt[1], sum: h.Sum64()}
	copy(key.auth[:], pkt[4:20])
	if m, ok := t.seen[key]; ok {
		t.count(func(st *Stats) { st.Retransmissions++ })
		return key, m.response, true
	}
	return key, nil, false
}

// parse reads the request, verified against secret unless the client has
// none (a Mirror's unverified client; newTap refuses it otherwise); a
// refused request is counted and logged by its sender, never its content.
func (t *tap) parse(pkt, secret []byte, ip netip.Addr, now time.Time) (*Request, bool) {
	opts := t.opts
	opts.SkipVerify = len(secret) == 0
	r, err := Parse(pkt, secret, now, opts)
	switch {
	case errors.Is(err, ErrNotAccounting):
		t.count(func(st *Stats) { st.NotAccounting++ })
		t.log.Warn("radius: a packet that is not an Accounting-Request was discarded", "from", ip.String())
		return nil, false
	case errors.Is(err, ErrNotAuthentic):
		t.count(func(st *Stats) { st.NotAuthentic++ })
		t.log.Warn("radius: a request with a wrong authenticator was discarded: forged, altered, or the secret differs", "from", ip.String())
		return nil, false
	case err != nil:
		t.count(func(st *Stats) { st.Malformed++ })
		t.log.Warn("radius: a malformed request was refused", "from", ip.String(), "err", err)
		return nil, false
	}
	return r, true
}

// deliver hands the request's events to accept: a session's event, or the
// end of every session of a NAS that restarted its accounting. It reports
// whether every event was accepted.
func (t *tap) deliver(r *Request, pkt []byte, accept func(intercept.AccessEvent) error) bool {
	if t.onReq != nil {
		if err := t.onReq(r, pkt); err != nil {
			t.refused(err)
			return false
		}
	}
	switch {
	case r.Status.IsSession():
		t.track(r)
		if err := accept(r.Event); err != nil {
			t.refused(err)
			return false
		}
		t.count(func(st *Stats) { st.Events++ })
	case r.Status.IsNAS():
		ended, err := t.restart(r, accept)
		t.count(func(st *Stats) { st.NASRestarts++; st.EndedByNAS += uint64(ended); st.Events += uint64(ended) })
		t.log.Info("radius: a NAS restarted its accounting; its sessions are ended", "status", r.Status.String(), "sessions", ended)
		if err != nil {
			t.refused(err)
			return false
		}
	default:
		t.count(func(st *Stats) { st.OtherStatus++ })
	}
	return true
}

// answer encodes the Accounting-Response to r.
func (t *tap) answer(r *Request, secret []byte) ([]byte, bool) {
	q := &rad.Packet{Code: rad.CodeAccountingResponse, Identifier: r.Identifier, Authenticator: r.Authenticator, Secret: secret}
	resp, err := q.Encode()
	if err != nil { // cannot happen: no attributes, a known code
		t.count(func(st *Stats) { st.SendFailed++ })
		return nil, false
	}
	return resp, true
}

// expire forgets the requests older than the window.
func (t *tap) expire(now time.Time) {
	for len(t.order) > 0 {
		k := t.order[0]
		if m, ok := t.seen[k]; ok && now.Sub(m.at) < t.window {
			return
		}
		delete(t.seen, k)
		t.order = t.order[1:]
	}
}

// remember keeps a request handled for the first time (handle answers a
// remembered one before it gets here).
func (t *tap) remember(k dupKey, now time.Time, resp []byte) {
	for len(t.order) >= t.maxRem {
		delete(t.seen, t.order[0])
		t.order = t.order[1:]
	}
	t.seen[k] = memo{at: now, response: resp}
	t.order = append(t.order, k)
	if cap(t.order) > 4*t.maxRem {
		// The slice's start has drifted far: start a fresh array.
		t.order = slices.Clone(t.order)
	}
}

// track keeps each NAS's open sessions for its next restart.
func (t *tap) track(r *Request) {
	id := r.Event.SessionID
	set := t.sessions[r.NAS]
	_, known := set[id]
	switch {
	case r.Status == StatusStop:
		if known {
			delete(set, id)
			t.nSess--
			if len(set) == 0 {
				delete(t.sessions, r.NAS)
			}
		}
	case known:
	case t.nSess >= t.maxSes:
		t.count(func(st *Stats) { st.Untracked++ })
	default:
		if set == nil {
			set = map[string]struct{}{}
			t.sessions[r.NAS] = set
		}
		set[id] = struct{}{}
		t.nSess++
	}
}

// refused counts and logs an event the consumer refused: its request is
// not answered, so that the NAS sends it again (RFC 2866 §4.1).
func (t *tap) refused(err error) {
	t.count(func(st *Stats) { st.Refused++ })
	t.log.Warn("radius: an access event was refused; its request is not answered, so the NAS will send it again", "err", err)
}

// restart ends every session of r's NAS, in SessionID order, and says how
// many were accepted, with the first refusal.
func (t *tap) restart(r *Request, accept func(intercept.AccessEvent) error) (int, error) {
	set := t.sessions[r.NAS]
	delete(t.sessions, r.NAS)
	t.nSess -= len(set)
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	n := 0
	var first error
	for _, id := range ids {
		if err := accept(intercept.AccessEvent{Type: intercept.SessionEnd, Time: r.Event.Time, End: r.Event.Time, SessionID: id}); err != nil {
			first = cmp.Or(first, err)
			continue
		}
		n++
	}
	return n, first
}

// String says in one line what was read and what was refused or lost,
// and why.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "RADIUS accounting: %d request(s) read, %d access event(s) delivered", s.Received, s.Events)
	if s.EndedByNAS > 0 {
		fmt.Fprintf(&b, " (%d session(s) ended by %d NAS restart(s))", s.EndedByNAS, s.NASRestarts)
	}
	if s.Answered > 0 {
		fmt.Fprintf(&b, ", %d answered", s.Answered)
	}
	if s.Retransmissions > 0 {
		fmt.Fprintf(&b, ", %d retransmission(s) recognised", s.Retransmissions)
	}
	var bad []string
	for _, c := range []struct {
		n    uint64
		what string
	}{
		{s.Refused, "access event(s) refused by the pipeline (not answered: the NAS sends again)"},
		{s.UnknownClient, "from no configured client"},
		{s.NotAuthentic, "with a wrong authenticator (forged, or another secret)"},
		{s.Malformed, "malformed"},
		{s.NotAccounting, "not accounting"},
		{s.OtherStatus, "of a status with no event (tunnel, failed)"},
		{s.Fragments, "lost: fragmented in IP"},
		{s.Truncated, "lost: cut short by the capture"},
		{s.Untracked, "request(s) of sessions beyond MaxSessions, which a NAS restart will not end"},
		{s.SendFailed, "answers the socket refused"},
	} {
		if c.n > 0 {
			bad = append(bad, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	if len(bad) == 0 {
		b.WriteString("; nothing refused or lost")
	} else {
		b.WriteString("; " + strings.Join(bad, "; "))
	}
	return b.String()
}
