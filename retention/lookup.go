package retention

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// Request is one identification asked under a work order: who was
// behind address Addr (and source port Port, 0 when the order gives
// none) at instant At.
type Request struct {
	// Ref is the work order the lookup cites; the store answers only for
	// its targets and windows.
	Ref register.Ref
	// By names who asks (the technician), as the register records it.
	By   string
	Addr netip.Addr
	Port uint16
	At   timesync.Timestamp
}

// Ambiguity is a reason an answer is not one subscriber for certain.
type Ambiguity string

// The ambiguities an answer states.
const (
	// SharedAddress: several subscribers shared the address at that
	// second and no port was given (or their port blocks were not
	// known): the port would tell them apart.
	SharedAddress Ambiguity = "shared-address"
	// SeveralSubscribers: several subscribers even with the port given —
	// the sources disagree.
	SeveralSubscribers Ambiguity = "several-subscribers"
	// BetweenSessions: no record covers the instant: it falls between
	// two sessions, or after the last (Answer.Gap says where).
	BetweenSessions Ambiguity = "between-sessions"
	// ClockTolerance: a candidate covers the instant only within the
	// clocks' error (its source's bound, and the store's Tolerance) of a
	// boundary.
	ClockTolerance Ambiguity = "clock-tolerance"
	// OpenSession: a candidate's end is not known: it was reported as
	// lasting, and nothing after says when it ended.
	OpenSession Ambiguity = "open-session"
	// UnboundedClock: a candidate's source had no synchronised clock
	// with a known error bound at ingest.
	UnboundedClock Ambiguity = "unbounded-clock"
	// PeriodOver: the retention period of records ending on the day of
	// the instant is over (for assignments, mappings or both): the store
	// no longer answers from them, purged or not, and a candidate may be
	// missing for that reason.
	PeriodOver Ambiguity = "period-over"
)

// Text says the ambiguity in a sentence, in English.
func (a Ambiguity) Text() string {
	switch a {
	case SharedAddress:
		return "several subscribers shared this address at that second and no port was given"
	case SeveralSubscribers:
		return "several subscribers match even with the port: the sources disagree"
	case BetweenSessions:
		return "no record covers the instant: it falls between two sessions"
	case ClockTolerance:
		return "a candidate covers the instant only within the clocks' error of a boundary"
	case OpenSession:
		return "a candidate's session was reported as lasting and its end is not known"
	case UnboundedClock:
		return "a candidate's source clock was not synchronised with a known error bound"
	case PeriodOver:
		return "the retention period of the records of that day is over: they are no longer used"
	}
	return string(a)
}

// BlockEvidence proves a record was in the store as written: the Merkle
// root of its block and the record's inclusion [Proof] ([VerifyProof]
// with [LeafOfAssignment] or [LeafOfMapping]).
type BlockEvidence struct {
	Root  [32]byte `json:"root"`
	Proof Proof    `json:"proof"`
}

// Candidate is one subscriber who may have been behind the address.
type Candidate struct {
	Subscriber Subscriber `json:"subscriber"`
	// Assignment is the record that gave the (inside) address to the
	// subscriber: its interval, source and evidence.
	Assignment Assignment    `json:"assignment"`
	Evidence   BlockEvidence `json:"evidence"`
	// Mapping is the NAT translation the chain went through, nil when
	// the address was the subscriber's own.
	Mapping         *Mapping       `json:"mapping,omitempty"`
	MappingEvidence *BlockEvidence `json:"mapping_evidence,omitempty"`
	// Exact: every step covers the instant itself, not only within the
	// clocks' tolerance.
	Exact bool `json:"exact"`
	// Held names the preservation hold that kept the records past their
	// period, if any.
	Held HoldID `json:"held,omitempty"`
}

// Gap is where the instant falls when no record covers it: the end of
// the last record before it and the start of the first after it (zero
// when there is none), for the address asked.
type Gap struct {
	Before timesync.Timestamp `json:"before,omitzero"`
	After  timesync.Timestamp `json:"after,omitzero"`
}

// Answer is what the store says of a request: every candidate, and
// plainly, every reason it is not one subscriber for certain.
type Answer struct {
	Ref         register.Ref       `json:"ref"`
	Addr        netip.Addr         `json:"addr"`
	Port        uint16             `json:"port,omitzero"`
	At          timesync.Timestamp `json:"at"`
	Candidates  []Candidate        `json:"candidates"`
	Ambiguities []Ambiguity        `json:"ambiguities,omitempty"`
	Gap         *Gap               `json:"gap,omitempty"`
}

// Ambiguous reports whether the answer is not one subscriber for
// certain: a stated ambiguity, or not exactly one distinct subscriber
// (several candidates of one subscriber — two records of their session —
// are not ambiguous).
func (a Answer) Ambiguous() bool { return len(a.Ambiguities) > 0 || len(a.Subscribers()) != 1 }

// Subscribers returns the distinct subscribers of the candidates, sorted.
func (a Answer) Subscribers() []Subscriber {
	var out []Subscriber
	for _, c := range a.Candidates {
		out = append(out, c.Subscriber)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Lookup answers a request under need-to-know, enforced here: reg must be
// the register the store is pinned to ([Config.Register]; any other is
// refused with [ErrForeignRegister]); the work order is read from it
// (opened by actor, a member), never from the caller, and must allow
// lookups now
// ([register.Register.AuthorizeLookup]); the address (and port) must be one
// of its targets — an ip target's address, with its port when the target
// gives one, or an address in a prefix target no wider than
// [MinTargetBits4] or [MinTargetBits6] ([ErrTargetTooWide]) — and the
// instant in that target's window. Anything else is refused with [ErrNotAuthorised] and
// nothing is looked up. The lookup is then recorded in the register
// (who asked, when, which work order, how many candidates): an answer is
// returned only once it is recorded.
//
// The answer follows the chain — the public address and port to a NAT
// mapping, its inside address to an assignment, to a subscriber — and
// also takes assignments of the address itself; it gives every
// candidate with its interval, source and evidence, within the clocks'
// tolerance, and says why it is ambiguous when it is.
func (s *Store) Lookup(reg *register.Register, q Request, actor string) (Answer, error) {
	caseID, err := Authorize(reg, s.cfg.Register, q)
	if err != nil {
		return Answer{}, err
	}
	ans, err := s.answerIn(view{caseID: caseID}, q.Addr, q.Port, q.At)
	if err != nil {
		return Answer{}, err
	}
	ans.Ref = q.Ref
	if err := RecordLookup(reg, q, ans, actor); err != nil {
		return Answer{}, err
	}
	s.log.Info("lookup answered", "candidates", len(ans.Candidates), "ambiguous", ans.Ambiguous())
	return ans, nil
}

// Authorize is the need-to-know of [Store.Lookup], for any store that
// answers lookups ([Backend]): reg must be the register the store is
// pinned to (pinned, the register's journal identity; zero refuses
// every register), the work order q cites must allow lookups now
// ([register.Register.AuthorizeLookup]), and the address (and port) and
// instant must be one of its targets in its window, as [Store.Lookup]
// says. It returns the case the work order belongs to — the case whose
// preservation holds the lookup may read — or an error wrapping
// [ErrNotAuthorised] (and [ErrForeignRegister] or [ErrTargetTooWide]),
// quoting nothing of the request.
func Authorize(reg *register.Register, pinned [16]byte, q Request) (string, error) {
	if reg == nil {
		return "", fmt.Errorf("%w: a lookup needs the register", ErrNotAuthorised)
	}
	if pinned == ([16]byte{}) || reg.JournalID() != pinned {
		return "", fmt.Errorf("%w: %w", ErrNotAuthorised, ErrForeignRegister)
	}
	wo, err := reg.AuthorizeLookup(q.Ref)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNotAuthorised, err)
	}
	if err := allows(wo, q); err != nil {
		return "", err
	}
	caseID := ""
	for _, c := range reg.Cases() {
		if slices.ContainsFunc(c.WorkOrders, func(w register.WorkOrder) bool { return w.Ref == wo.Ref }) {
			caseID = c.ID
		}
	}
	return caseID, nil
}

// RecordLookup records in the register the lookup q answered by ans
// (who asked, when, which work order, how many candidates, whether it
// was ambiguous), signed by actor, as [Store.Lookup] does before it
// returns an answer: a store must not hand out an answer this did not
// record. Its error wraps [ErrNotAuthorised].
func RecordLookup(reg *register.Register, q Request, ans Answer, actor string) error {
	if _, err := reg.RecordLookup(register.LookupRecord{Ref: q.Ref, By: q.By, Asked: q.At, Candidates: len(ans.Candidates), Ambiguous: ans.Ambiguous()}, actor); err != nil {
		return fmt.Errorf("%w: the lookup could not be recorded: %w", ErrNotAuthorised, err)
	}
	return nil
}

// The narrowest prefix lengths a work order's prefix target may have for
// a lookup under it: an IPv4 /24 (256 addresses) and an IPv6 /48 (one
// site's allocation). A requisition may name wider prefixes (the register
// accepts /0); a lookup under such a target is refused with
// [ErrTargetTooWide] — a work order for a whole network is not
// need-to-know, and the cell should ask for the addresses it needs.
const (
	MinTargetBits4 = 24
	MinTargetBits6 = 48
)

// allows returns nil when the work order covers the request, and the
// refusal otherwise.
func allows(wo register.WorkOrder, q Request) error {
	refused := fmt.Errorf("%w: the address, port or instant is not one of the work order's targets in its window", ErrNotAuthorised)
	if !q.Addr.IsValid() || q.At.IsZero() {
		return refused
	}
	wide := false
	for _, l := range wo.Lookups {
		t := l.Target
		switch t.Kind {
		case requisition.TargetIP:
			if t.Addr != q.Addr || t.Port != 0 && t.Port != q.Port {
				continue
			}
		case requisition.TargetPrefix:
			if !t.Prefix.Contains(q.Addr) {
				continue
			}
			if bits := t.Prefix.Bits(); t.Prefix.Addr().Is4() && bits < MinTargetBits4 || !t.Prefix.Addr().Is4() && bits < MinTargetBits6 {
				wide = true
				continue
			}
		default:
			continue
		}
		if t.From.IsZero() || q.At.Before(t.From) || !t.Until.IsZero() && !q.At.Before(t.Until) {
			continue
		}
		return nil
	}
	if wide {
		return fmt.Errorf("%w: %w", ErrNotAuthorised, ErrTargetTooWide)
	}
	return refused
}

// maxTolerance bounds how far from the instant a record is looked for: a
// source whose clock error exceeds it is treated as unbounded.
const maxTolerance = time.Hour

// hit is a record found for a lookup, with where it came from.
type hit struct {
	r     row
	ev    BlockEvidence
	held  HoldID
	exact bool
	near  bool // within tolerance, not exact
}

// view is what a lookup may read: the periods still within their
// retention, and the scopes of the holds in force placed for the work
// order's case (caseID) — every hold in force when anyHold, for the bare
// lookup of tests and benchmarks.
type view struct {
	caseID  string
	anyHold bool
}

// answer is the bare lookup: no work order, no record; it reads every
// hold in force.
func (s *Store) answer(addr netip.Addr, port uint16, at timesync.Timestamp) (Answer, error) {
	return s.answerIn(view{anyHold: true}, addr, port, at)
}

// answerIn is the lookup of what v may read.
func (s *Store) answerIn(v view, addr netip.Addr, port uint16, at timesync.Timestamp) (Answer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.cache.flush() // what the lookup dropped from the cache, once it no longer reads it
	ans := Answer{Addr: addr, Port: port, At: at}
	if s.closed {
		return ans, ErrClosed
	}
	if s.cfg.Opener == nil {
		return ans, errNoOpener
	}
	t := at.Unix()
	maps, err := s.search(v, ClassMappings, addr, port, t)
	if err != nil {
		return ans, err
	}
	direct, err := s.search(v, ClassAssignments, addr, port, t)
	if err != nil {
		return ans, err
	}
	for _, h := range direct {
		ans.Candidates = append(ans.Candidates, candidateOf(h, nil))
	}
	for _, m := range maps {
		in := addrOf(m.r.inside, m.r.inside4)
		as, err := s.search(v, ClassAssignments, in, 0, t)
		if err != nil {
			return ans, err
		}
		for _, a := range as {
			ans.Candidates = append(ans.Candidates, candidateOf(a, &m))
		}
	}
	slices.SortFunc(ans.Candidates, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.Subscriber, b.Subscriber), a.Assignment.From.Compare(b.Assignment.From))
	})
	ans.Ambiguities = s.ambiguities(ans, port, maps)
	now := timesync.Now(s.cfg.Clock)
	for _, c := range Classes() {
		if !now.Before(s.cfg.Policy.Period(c).End(at.Day())) && !slices.Contains(ans.Ambiguities, PeriodOver) {
			ans.Ambiguities = append(ans.Ambiguities, PeriodOver)
		}
	}
	if !slices.ContainsFunc(ans.Candidates, func(c Candidate) bool { return c.Exact }) {
		g, err := s.gap(v, addr, port, t)
		if err != nil {
			return ans, err
		}
		if g != nil {
			ans.Gap = g
			ans.Ambiguities = append(ans.Ambiguities, BetweenSessions)
		}
	}
	return ans, nil
}

func candidateOf(a hit, m *hit) Candidate {
	// The subscriber reference is the answer's own copy: the decoded
	// one is cut from its block's, which the cache zeroes (cache.go).
	sub := Subscriber(strings.Clone(string(a.r.sub)))
	c := Candidate{Subscriber: sub, Assignment: a.r.assignment(), Evidence: a.ev, Exact: a.exact, Held: a.held}
	c.Assignment.Subscriber = sub
	if m != nil {
		mm := m.r.mapping()
		ev := m.ev
		c.Mapping, c.MappingEvidence = &mm, &ev
		c.Exact = c.Exact && m.exact
		if c.Held == "" {
			c.Held = m.held
		}
	}
	return c
}

// ambiguities says why an answer is not one subscriber for certain.
func (s *Store) ambiguities(ans Answer, port uint16, maps []hit) []Ambiguity {
	var out []Ambiguity
	add := func(a Ambiguity) {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(ans.Subscribers()) > 1 {
		if port == 0 {
			add(SharedAddress)
		} else {
			add(SeveralSubscribers)
		}
	}
	for _, c := range ans.Candidates {
		if !c.Exact {
			add(ClockTolerance)
		}
		if c.Assignment.Open() || c.Mapping != nil && c.Mapping.Open() {
			add(OpenSession)
		}
		if !bounded(c.Assignment.Clock) || c.Mapping != nil && !bounded(c.Mapping.Clock) {
			add(UnboundedClock)
		}
	}
	return out
}

func bounded(c Clock) bool {
	return c.Synchronised && c.ErrorBound >= 0 && c.ErrorBound <= maxTolerance
}

// tolerance is how far from a record's interval an instant still may
// be in it: the store's Tolerance and the record's own error bound.
func (s *Store) tolerance(r *row) int64 {
	d := s.cfg.Tolerance
	if bounded(r.clock) {
		d += r.clock.ErrorBound
	}
	return int64((d + time.Second - 1) / time.Second)
}

// matchKey reports whether a record is of the address (and port): a
// mapping's public address, an assignment's prefix.
func matchKey(c Class, r *row, addr netip.Addr, port uint16) bool {
	if port != 0 && !(PortRange{First: r.first, Last: r.last}).Contains(port) {
		return false
	}
	if c == ClassMappings {
		return addrOf(r.addr, r.is4) == addr
	}
	return netip.PrefixFrom(addrOf(r.addr, r.is4), int(r.bits)).Contains(addr)
}

// search returns the records of class c for the address (and port)
// whose interval holds instant t, exactly or within their tolerance,
// from every period and hold; a lasting record is superseded by any
// ended record of its session ([sessionOf]), and duplicates are dropped.
func (s *Store) search(v view, c Class, addr netip.Addr, port uint16, t int64) ([]hit, error) {
	var out []hit
	err := s.scan(v, c, addr, port, t-int64(maxTolerance/time.Second), t+int64(maxTolerance/time.Second), func(sc string, b *blockView) {
		rows := b.rows
		for i := range rows {
			r := &rows[i]
			if !matchKey(c, r, addr, port) {
				continue
			}
			tol := s.tolerance(r)
			exact := r.from <= t && t < r.end()
			near := !exact && r.from-tol <= t && (r.until == 0 || t < r.until+tol)
			if !exact && !near {
				continue
			}
			x := hit{r: *r, ev: BlockEvidence{Root: b.h.Root, Proof: b.prove(i)}, exact: exact, near: near}
			x.r.run = 0
			if _, _, ok := parseScope(sc); !ok {
				x.held = HoldID(sc)
			}
			out = append(out, x)
		}
	})
	if err != nil {
		return nil, err
	}
	out = supersede(out)
	ended, err := s.ended(v, c, out)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(out, func(h hit) bool { return h.r.until == 0 && ended[sessionOf(&h.r)] }), nil
}

// supersede drops duplicates: the same record in two files, or in a
// period and a hold.
func supersede(hs []hit) []hit {
	slices.SortFunc(hs, func(a, b hit) int {
		return cmp.Or(compareRows(&a.r, &b.r), strings.Compare(string(a.held), string(b.held)))
	})
	return slices.CompactFunc(hs, func(a, b hit) bool { return sameRecord(&a.r, &b.r) })
}

// sessionOf is a record's session identity: what a source says again
// when it reports the same session lasting and then ended — for an
// assignment its subscriber, prefix, ports, start and source (kind and
// device); for a mapping its public address, ports, inside address and
// port, protocol, start and source. The end, the clock verdict and the
// evidence hash are left out: a RADIUS Start and its Stop, a DHCP add and
// its del, a contracts file's open line and its closed line are records
// of different hashes of one session.
func sessionOf(r *row) row {
	k := *r
	k.until, k.clock, k.hash, k.hasHash, k.run = 0, Clock{}, [32]byte{}, false, 0
	return k
}

// ended returns the sessions of the lasting hits that have an ended
// record anywhere the lookup reads — whatever instant is asked: a
// session reported lasting and later reported ended lasted only to its
// end, and the lasting report must not make its subscriber a candidate
// after it (the next holder of the address would be misattributed).
// The lasting report is superseded here, at lookup, not removed at
// compaction: it stays in the store as it was written, with its evidence.
func (s *Store) ended(v view, c Class, hs []hit) (map[row]bool, error) {
	out := map[row]bool{}
	asked := map[row]bool{}
	for _, h := range hs {
		if h.r.until != 0 {
			continue
		}
		k := sessionOf(&h.r)
		if asked[k] {
			continue
		}
		asked[k] = true
		// The ended record starts when the lasting one does: its blocks'
		// time ranges hold that second.
		err := s.scan(v, c, addrOf(k.addr, k.is4), 0, k.from, k.from, func(_ string, b *blockView) {
			rows := b.rows
			for i := range rows {
				if rows[i].until != 0 && sessionOf(&rows[i]) == k {
					out[k] = true
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// gap finds, when no record covers instant t, the end of the last
// record of the address before it and the start of the first after it,
// within the tolerance window's reach of a day on each side.
func (s *Store) gap(v view, addr netip.Addr, port uint16, t int64) (*Gap, error) {
	var before, after int64
	for _, c := range Classes() {
		err := s.scan(v, c, addr, port, t-86400, t+86400, func(_ string, b *blockView) {
			rows := b.rows
			for i := range rows {
				r := &rows[i]
				if !matchKey(c, r, addr, port) {
					continue
				}
				if r.until != 0 && r.until <= t && r.until > before {
					before = r.until
				}
				if r.from > t && (after == 0 || r.from < after) {
					after = r.from
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if before == 0 && after == 0 {
		return nil, nil
	}
	g := &Gap{}
	if before != 0 {
		g.Before = timesync.Unix(before)
	}
	if after != 0 {
		g.After = timesync.Unix(after)
	}
	return g, nil
}

// scan calls fn with the records of every block of class c that may hold
// the address at an instant of [lo, hi]: a block whose key range holds
// it (for any prefix length it has), whose ports hold the port (when
// given) and whose time range meets [lo, hi]. A period whose retention
// end ([Period.End]) has passed at the store's clock's now is not read,
// whether or not [Store.Purge] has destroyed it yet: its data may no
// longer be used. A hold's scope is read only while the hold is in force
// and when it was placed for the case v names (any hold in force when
// v.anyHold): what a hold keeps past its period is for its own case.
// A segment's blocks are sorted by key within each run: they are found
// by binary search; a log's are checked one by one; the blocks found
// are read, those not cached side by side (fetch). fn is given the
// records of each block whose key holds the address and, when a port
// is given, whose ports hold it (what matchKey checks), found in the
// block by binary search; they are the Store's buffer's (cache.go): fn
// reads them, copies what it keeps, and changes nothing.
func (s *Store) scan(v view, c Class, addr netip.Addr, port uint16, lo, hi int64, fn func(scope string, b *blockView)) error {
	scopes, err := s.scopes()
	if err != nil {
		return err
	}
	a16, a4 := addr16(addr)
	now := timesync.Now(s.cfg.Clock)
	var tasks []blockTask
	for _, sc := range scopes {
		m := s.scopeMeta(sc)
		if m.period && m.class != c {
			continue
		}
		if m.period && !now.Before(m.end) {
			// Its data may no longer be used: what lookups kept of it
			// goes now, before Purge destroys it.
			if s.cache.holds(sc) {
				s.cache.dropScope(sc)
			}
			continue
		}
		if !m.period {
			ok, err := s.holdReadable(v, HoldID(sc))
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		files, err := s.dataFiles(sc)
		if err != nil {
			return err
		}
		for _, f := range files {
			sum, err := s.summary(f)
			if err != nil {
				return err
			}
			if sum.minFrom > hi || sum.maxEnd <= lo {
				continue
			}
			visit := func(r *bref) {
				h := r.hdr
				if h.Class != c || h.MinFrom > hi || h.MaxEnd <= lo || port != 0 && (port < h.PortLo || port > h.PortHi) || !keyIn(h, a16, a4) {
					return
				}
				tasks = append(tasks, blockTask{scope: sc, f: f, r: r})
			}
			if !f.seg {
				for i := range f.refs {
					visit(&f.refs[i])
				}
				continue
			}
			var seen []int
			for _, run := range sum.runs {
				refs := f.refs[run[0]:run[1]]
				for _, b := range sum.bits {
					if a4 && b > 32 {
						continue
					}
					k := mask(a16, a4, b)
					i, _ := slices.BinarySearchFunc(refs, k, func(r bref, k [16]byte) int {
						return compareKey(r.hdr.Last, r.hdr.Last4, 0, k, a4, 0)
					})
					for ; i < len(refs) && compareKey(refs[i].hdr.First, refs[i].hdr.First4, 0, k, a4, 0) <= 0; i++ {
						if slices.Contains(seen, run[0]+i) {
							continue
						}
						seen = append(seen, run[0]+i)
						visit(&refs[i])
					}
				}
			}
		}
	}
	// The blocks found are read — those not cached from the disk, side
	// by side — and then given to fn in order.
	s.cache.hold = true // nothing leaves the cache before fn has read it
	defer s.cache.release()
	if err := s.fetch(tasks); err != nil {
		return err
	}
	for i := range tasks {
		t := &tasks[i]
		b := s.view(t.p, t.subs, t.r.hdr, t.e, a16, a4, port)
		if len(b.rows) > 0 {
			fn(t.scope, b)
		}
		s.endView(b)
	}
	return nil
}

// scopeInfo is what a scope's name says: a period's day, class and end,
// or a hold's.
type scopeInfo struct {
	period bool
	class  Class
	end    timesync.Timestamp
}

// scopeMeta returns a scope's info, computed once.
func (s *Store) scopeMeta(sc string) scopeInfo {
	if m, ok := s.meta[sc]; ok {
		return m
	}
	var m scopeInfo
	if d, c, ok := parseScope(sc); ok {
		m = scopeInfo{period: true, class: c, end: s.cfg.Policy.Period(c).End(d)}
	}
	if s.meta == nil {
		s.meta = map[string]scopeInfo{}
	}
	s.meta[sc] = m
	return m
}

// holdReadable reports whether a lookup of v may read hold id's scope:
// the hold is in force, and placed for v's case (or v.anyHold).
func (s *Store) holdReadable(v view, id HoldID) (bool, error) {
	h := s.holds[id]
	if h == nil || !h.lifted.IsZero() {
		return false, nil
	}
	if v.anyHold {
		return true, nil
	}
	sec, err := s.holdSecret(h)
	if err != nil {
		return false, err
	}
	return v.caseID != "" && sec.Case == v.caseID, nil
}

// fileSummary is what a lookup checks of a file before its blocks: the
// prefix lengths, the time range, and a segment's runs (ranges of its
// blocks sorted by key).
type fileSummary struct {
	blocks  int // the blocks it summarises
	bits    []uint8
	minFrom int64
	maxEnd  int64
	runs    [][2]int
}

// summary returns a file's summary, opening its headers once.
func (s *Store) summary(f *dfile) (*fileSummary, error) {
	if f.sum != nil && f.sum.blocks == len(f.refs) {
		return f.sum, nil
	}
	if f.seg {
		if err := s.segmentIndex(f); err != nil {
			return nil, err
		}
	}
	sum := &fileSummary{blocks: len(f.refs), minFrom: openUntil, maxEnd: -openUntil}
	var bits [129]bool
	for i := range f.refs {
		h, err := s.headerOf(f, &f.refs[i])
		if err != nil {
			return nil, err
		}
		sum.minFrom, sum.maxEnd = min(sum.minFrom, h.MinFrom), max(sum.maxEnd, h.MaxEnd)
		for _, b := range h.Bits {
			bits[b] = true
		}
		if i == 0 || f.refs[i-1].hdr.Run != h.Run {
			sum.runs = append(sum.runs, [2]int{i, i + 1})
		} else {
			sum.runs[len(sum.runs)-1][1] = i + 1
		}
	}
	for b, ok := range bits {
		if ok {
			sum.bits = append(sum.bits, uint8(b))
		}
	}
	f.sum = sum
	return sum, nil
}

// keyIn reports whether a block's key range may hold the address.
func keyIn(h *header, a [16]byte, a4 bool) bool {
	for _, b := range h.Bits {
		if a4 && b > 32 {
			continue
		}
		k := mask(a, a4, b)
		if compareKey(k, a4, 0, h.First, h.First4, 0) >= 0 && compareKey(k, a4, 0, h.Last, h.Last4, 0) <= 0 {
			return true
		}
	}
	return false
}

// mask returns the address masked to a prefix length, in 16-byte form.
func mask(a [16]byte, a4 bool, bits uint8) [16]byte {
	p := netip.PrefixFrom(addrOf(a, a4), int(bits)).Masked()
	out, _ := addr16(p.Addr())
	return out
}

// headerOf returns a block's header, opening it once.
func (s *Store) headerOf(f *dfile, r *bref) (header, error) {
	if r.hdr != nil {
		return *r.hdr, nil
	}
	aead, aad, err := s.fileAEAD(f)
	if err != nil {
		return header{}, err
	}
	b, err := readAt(f.path, r.off, min(r.n, 4+64+(maxBlockRecords/chunk+2)*32+512))
	if err != nil {
		return header{}, err
	}
	h, err := openHeader(aead, aad, b)
	if err != nil || h.Count != r.count {
		return header{}, fmt.Errorf("%w: %s: the block at byte %d does not open", ErrTampered, s.rel(f.path), r.off)
	}
	r.hdr = &h
	return h, nil
}
