package pipeline

import (
	"encoding/binary"
	"net/netip"
	"slices"

	"github.com/ccjkit/ccjkit/intercept"
)

// rule is one way a packet can belong to a CC stream: an address prefix
// of a target (static, or held by a session of a username target) with the
// task's validity window, in Unix nanoseconds so the packet path compares
// integers.
type rule struct {
	st        *stream
	notBefore int64
	notAfter  int64
}

type v4key struct {
	addr uint32
	bits uint8
}

type v6key struct {
	hi, lo uint64
	bits   uint8
}

// snapshot is the immutable matching table the packet path reads. It is
// rebuilt whole whenever tasks or sessions change and published with an
// atomic pointer store, so the packet path takes no lock and never sees a
// half-built table.
type snapshot struct {
	v4bits []uint8 // the distinct prefix lengths present, longest first
	v4     map[v4key][]rule
	v6bits []uint8
	v6     map[v6key][]rule
	// v4small and v6small hold the same prefixes as v4 and v6 when there
	// are few (a small ISP's usual handful of targets): comparing a few
	// masked addresses costs less than hashing them.
	v4small []entry[v4key]
	v6small []entry[v6key]
	// active lists the LIID counters of every task in the table, so that
	// losses nobody can attribute (a kernel drop) are reported against all.
	active []*liidCounters
}

// smallTable is how many prefixes of a family are scanned rather than
// looked up.
const smallTable = 8

type entry[K comparable] struct {
	key   K
	rules []rule
}

// scan does, for a small table, the two lookups match does in a map: the
// rules of the source's key, then those of the destination's.
func scan[K comparable](s *snapshot, hits []hit, table []entry[K], src, dst K, ts int64) []hit {
	for i := range table {
		if table[i].key == src {
			hits = s.collect(hits, table[i].rules, ts, intercept.FromTarget)
		}
	}
	for i := range table {
		if table[i].key == dst {
			hits = s.collect(hits, table[i].rules, ts, intercept.ToTarget)
		}
	}
	return hits
}

func newSnapshot() *snapshot {
	return &snapshot{v4: map[v4key][]rule{}, v6: map[v6key][]rule{}}
}

// add puts prefix p of stream st, valid over [nb, na), in the table.
func (s *snapshot) add(p netip.Prefix, st *stream, nb, na int64) {
	p = p.Masked()
	r := rule{st: st, notBefore: nb, notAfter: na}
	bits := uint8(p.Bits())
	a := p.Addr()
	if a.Is4() {
		k := v4key{addr: binary.BigEndian.Uint32(a.AsSlice()), bits: bits}
		if !slices.Contains(s.v4[k], r) {
			s.v4[k] = append(s.v4[k], r)
		}
		if !slices.Contains(s.v4bits, bits) {
			s.v4bits = append(s.v4bits, bits)
		}
		return
	}
	b := a.As16()
	k := v6key{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:]), bits: bits}
	if !slices.Contains(s.v6[k], r) {
		s.v6[k] = append(s.v6[k], r)
	}
	if !slices.Contains(s.v6bits, bits) {
		s.v6bits = append(s.v6bits, bits)
	}
}

// prefixes returns every prefix in the table, for a capture source's
// kernel filter.
func (s *snapshot) prefixes() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(s.v4)+len(s.v6))
	for k := range s.v4 {
		var a [4]byte
		binary.BigEndian.PutUint32(a[:], k.addr)
		out = append(out, netip.PrefixFrom(netip.AddrFrom4(a), int(k.bits)))
	}
	for k := range s.v6 {
		var a [16]byte
		binary.BigEndian.PutUint64(a[:8], k.hi)
		binary.BigEndian.PutUint64(a[8:], k.lo)
		out = append(out, netip.PrefixFrom(netip.AddrFrom16(a), int(k.bits)))
	}
	slices.SortFunc(out, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	return out
}

// seal orders the prefix lengths and lists small tables; the table is
// read-only afterwards.
func (s *snapshot) seal() {
	slices.Sort(s.v4bits)
	slices.Reverse(s.v4bits)
	slices.Sort(s.v6bits)
	slices.Reverse(s.v6bits)
	s.v4small, s.v6small = nil, nil
	if n := len(s.v4); n > 0 && n <= smallTable {
		for k, r := range s.v4 {
			s.v4small = append(s.v4small, entry[v4key]{k, r})
		}
	}
	if n := len(s.v6); n > 0 && n <= smallTable {
		for k, r := range s.v6 {
			s.v6small = append(s.v6small, entry[v6key]{k, r})
		}
	}
}

// hit is one record a packet yields: a CC stream and the direction; or,
// when outside is set, a packet of the stream's targets captured outside
// the task's validity window, which is counted and not intercepted.
type hit struct {
	st      *stream
	dir     intercept.Direction
	outside bool
}

// addHit records that stream st matched on the packet's source (from) or
// destination; a stream matched on both ends gets one record, direction
// indeterminate. Every rule of a stream carries its task's window, so both
// ends agree on outside.
func addHit(hits []hit, st *stream, dir intercept.Direction, outside bool) []hit {
	for i := range hits {
		if hits[i].st == st {
			if hits[i].dir != dir {
				hits[i].dir = intercept.Indeterminate
			}
			return hits
		}
	}
	return append(hits, hit{st: st, dir: dir, outside: outside})
}

// packet classification results, beyond a match.
const (
	pktOK = iota
	pktNotIP
)

// match appends to hits the streams packet b belongs to at instant ts
// (Unix nanoseconds), including those whose task's window does not cover
// ts (marked outside). It allocates nothing when hits has room.
func (s *snapshot) match(hits []hit, b []byte, ts int64) ([]hit, int) {
	if len(b) < 1 {
		return hits, pktNotIP
	}
	switch b[0] >> 4 {
	case 4:
		if len(b) < 20 {
			return hits, pktNotIP
		}
		if len(s.v4bits) == 0 {
			return hits, pktOK
		}
		src := binary.BigEndian.Uint32(b[12:16])
		dst := binary.BigEndian.Uint32(b[16:20])
		for _, bits := range s.v4bits {
			m := mask32(bits)
			sk, dk := v4key{src & m, bits}, v4key{dst & m, bits}
			if s.v4small != nil {
				hits = scan(s, hits, s.v4small, sk, dk, ts)
				continue
			}
			hits = s.collect(hits, s.v4[sk], ts, intercept.FromTarget)
			hits = s.collect(hits, s.v4[dk], ts, intercept.ToTarget)
		}
	case 6:
		if len(b) < 40 {
			return hits, pktNotIP
		}
		if len(s.v6bits) == 0 {
			return hits, pktOK
		}
		sh, sl := binary.BigEndian.Uint64(b[8:16]), binary.BigEndian.Uint64(b[16:24])
		dh, dl := binary.BigEndian.Uint64(b[24:32]), binary.BigEndian.Uint64(b[32:40])
		for _, bits := range s.v6bits {
			mh, ml := mask64(bits)
			sk, dk := v6key{sh & mh, sl & ml, bits}, v6key{dh & mh, dl & ml, bits}
			if s.v6small != nil {
				hits = scan(s, hits, s.v6small, sk, dk, ts)
				continue
			}
			hits = s.collect(hits, s.v6[sk], ts, intercept.FromTarget)
			hits = s.collect(hits, s.v6[dk], ts, intercept.ToTarget)
		}
	default:
		return hits, pktNotIP
	}
	return hits, pktOK
}

func (s *snapshot) collect(hits []hit, rules []rule, ts int64, dir intercept.Direction) []hit {
	for i := range rules {
		r := &rules[i]
		hits = addHit(hits, r.st, dir, ts < r.notBefore || ts >= r.notAfter)
	}
	return hits
}

func mask32(bits uint8) uint32 {
	if bits == 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}

func mask64(bits uint8) (hi, lo uint64) {
	switch {
	case bits == 0:
		return 0, 0
	case bits <= 64:
		return ^uint64(0) << (64 - bits), 0
	default:
		return ^uint64(0), ^uint64(0) << (128 - bits)
	}
}
