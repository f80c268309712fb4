package retention

import (
	"bytes"
	"cmp"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"time"
	"unsafe"

	"github.com/ccjkit/ccjkit/timesync"
)

// A block is the unit the store writes, seals, indexes and proves: up to
// a few thousand records of one class, sorted, encoded column by column
// with deltas, compressed (DEFLATE), and sealed with AES-256-GCM under
// its period's key. Its header — the key range, the time range, the
// prefix lengths present, the count and the Merkle root of its records —
// is sealed apart, so that an index is built without decompressing the
// records.

// row is one record of either class, flattened: the form blocks sort,
// encode and hash.
type row struct {
	addr  [16]byte // the assignment's prefix address (masked) or the mapping's public address
	is4   bool
	bits  uint8 // the prefix length; 32 or 128 for a mapping
	first uint16
	last  uint16
	from  int64
	until int64 // 0: open
	kind  SourceKind
	dev   string
	clock Clock
	// Assignments.
	sub     Subscriber
	hash    [32]byte
	hasHash bool
	// Mappings.
	inside     [16]byte
	inside4    bool
	insidePort uint16
	proto      uint8
	// run orders the records of a segment: see runOf.
	run uint8
}

const openUntil = math.MaxInt64

// end returns the row's end as a comparable number, openUntil when open.
func (r *row) end() int64 {
	if r.until == 0 {
		return openUntil
	}
	return r.until
}

func addr16(a netip.Addr) ([16]byte, bool) { return a.As16(), a.Is4() }

func addrOf(b [16]byte, is4 bool) netip.Addr {
	a := netip.AddrFrom16(b)
	if is4 {
		return a.Unmap()
	}
	return a
}

func rowOfAssignment(a Assignment) row {
	p := a.Prefix.Masked()
	r := row{bits: uint8(p.Bits()), first: a.Ports.First, last: a.Ports.Last, from: a.From.Unix(),
		kind: a.Source.Kind, dev: a.Source.Device, clock: a.Clock, sub: a.Subscriber, hash: a.Source.Hash, hasHash: a.Source.Hash != [32]byte{}}
	r.addr, r.is4 = addr16(p.Addr())
	if !a.Until.IsZero() {
		r.until = a.Until.Unix()
	}
	return r
}

func (r *row) assignment() Assignment {
	a := Assignment{Subscriber: r.sub, Prefix: netip.PrefixFrom(addrOf(r.addr, r.is4), int(r.bits)),
		Ports: PortRange{First: r.first, Last: r.last}, From: timesync.Unix(r.from),
		Source: Evidence{Kind: r.kind, Device: r.dev}, Clock: r.clock}
	if r.hasHash {
		a.Source.Hash = r.hash
	}
	if r.until != 0 {
		a.Until = timesync.Unix(r.until)
	}
	return a
}

func rowOfMapping(m Mapping) row {
	r := row{first: m.Ports.First, last: m.Ports.Last, from: m.From.Unix(), kind: m.Source.Kind, dev: m.Source.Device,
		clock: m.Clock, insidePort: m.InsidePort, proto: m.Protocol}
	r.addr, r.is4 = addr16(m.Public)
	r.bits = 128
	if r.is4 {
		r.bits = 32
	}
	r.inside, r.inside4 = addr16(m.Inside)
	if !m.Until.IsZero() {
		r.until = m.Until.Unix()
	}
	return r
}

func (r *row) mapping() Mapping {
	m := Mapping{Public: addrOf(r.addr, r.is4), Ports: PortRange{First: r.first, Last: r.last},
		Inside: addrOf(r.inside, r.inside4), InsidePort: r.insidePort, Protocol: r.proto,
		From: timesync.Unix(r.from), Source: Evidence{Kind: r.kind, Device: r.dev}, Clock: r.clock}
	if r.until != 0 {
		m.Until = timesync.Unix(r.until)
	}
	return m
}

// canonical appends the record's canonical encoding, the bytes its
// Merkle leaf hashes: every field, fixed widths, lengths before strings.
func (r *row) canonical(b []byte, c Class) []byte {
	b = append(b, byte(c))
	b = append(b, r.addr[:]...)
	b = append(b, b2u(r.is4), r.bits)
	b = binary.BigEndian.AppendUint16(b, r.first)
	b = binary.BigEndian.AppendUint16(b, r.last)
	b = binary.BigEndian.AppendUint64(b, uint64(r.from))
	b = binary.BigEndian.AppendUint64(b, uint64(r.until))
	b = append(b, byte(r.kind), byte(len(r.dev)))
	b = append(b, r.dev...)
	b = append(b, b2u(r.clock.Synchronised), b2u(r.clock.ToTheSecond))
	b = binary.BigEndian.AppendUint64(b, uint64(r.clock.ErrorBound))
	if c == ClassAssignments {
		b = append(b, byte(len(r.sub)))
		b = append(b, r.sub...)
		b = append(b, b2u(r.hasHash))
		if r.hasHash {
			b = append(b, r.hash[:]...)
		}
		return b
	}
	b = append(b, r.inside[:]...)
	b = append(b, b2u(r.inside4))
	b = binary.BigEndian.AppendUint16(b, r.insidePort)
	return append(b, r.proto)
}

func b2u(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// compareRows orders rows by run, key (address, prefix length, first
// port), start, then every other field: a total order on distinct
// records.
func compareRows(a, b *row) int {
	if c := cmp.Compare(a.run, b.run); c != 0 {
		return c
	}
	if c := compareKey(a.addr, a.is4, a.bits, b.addr, b.is4, b.bits); c != 0 {
		return c
	}
	if c := cmp.Compare(a.first, b.first); c != 0 {
		return c
	}
	if c := cmp.Compare(a.from, b.from); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.last, b.last), cmp.Compare(a.until, b.until), cmp.Compare(a.kind, b.kind),
		cmp.Compare(a.dev, b.dev), cmp.Compare(a.sub, b.sub), bytes.Compare(a.inside[:], b.inside[:]),
		cmp.Compare(a.insidePort, b.insidePort), cmp.Compare(a.proto, b.proto), bytes.Compare(a.hash[:], b.hash[:]),
		cmp.Compare(b2u(a.hasHash), b2u(b.hasHash)), cmp.Compare(b2u(a.inside4), b2u(b.inside4)),
		cmp.Compare(b2u(a.clock.Synchronised), b2u(b.clock.Synchronised)), cmp.Compare(b2u(a.clock.ToTheSecond), b2u(b.clock.ToTheSecond)),
		cmp.Compare(a.clock.ErrorBound, b.clock.ErrorBound))
}

// compareKey orders keys: IPv4 before IPv6, then address, then length.
func compareKey(a [16]byte, a4 bool, abits uint8, b [16]byte, b4 bool, bbits uint8) int {
	if a4 != b4 {
		if a4 {
			return -1
		}
		return 1
	}
	if c := bytes.Compare(a[:], b[:]); c != 0 {
		return c
	}
	return cmp.Compare(abits, bbits)
}

// sameRecord reports whether two rows are the same record.
func sameRecord(a, b *row) bool {
	ra, rb := *a, *b
	ra.run, rb.run = 0, 0
	return ra == rb
}

// header is what a block's sealed header says of its records.
type header struct {
	Class   Class
	Run     uint8
	Count   int
	First   [16]byte // the first and last keys' addresses
	First4  bool
	Last    [16]byte
	Last4   bool
	MinFrom int64
	MaxEnd  int64 // openUntil when a record is open
	// PortLo and PortHi bound the ports the records cover (every port
	// for a record on every port).
	PortLo, PortHi uint16
	Bits           []uint8
	Root           [32]byte
	// Chunks are the Merkle roots of the records' runs of chunk (64):
	// whole subtrees of the block's tree, so that a record's proof
	// hashes its chunk only.
	Chunks [][32]byte
}

// chunk is the size of the Merkle subtrees whose roots a header keeps.
const chunk = 64

func (h *header) encode() []byte {
	b := []byte{byte(h.Class), h.Run}
	b = binary.AppendUvarint(b, uint64(h.Count))
	b = append(b, h.First[:]...)
	b = append(b, b2u(h.First4))
	b = append(b, h.Last[:]...)
	b = append(b, b2u(h.Last4))
	b = binary.AppendVarint(b, h.MinFrom)
	b = binary.AppendVarint(b, h.MaxEnd)
	b = binary.BigEndian.AppendUint16(b, h.PortLo)
	b = binary.BigEndian.AppendUint16(b, h.PortHi)
	b = append(b, byte(len(h.Bits)))
	b = append(b, h.Bits...)
	b = append(b, h.Root[:]...)
	for _, c := range h.Chunks {
		b = append(b, c[:]...)
	}
	return b
}

func decodeHeader(b []byte) (header, error) {
	d := decoder{b: b}
	var h header
	h.Class = Class(d.byte())
	h.Run = d.byte()
	h.Count = int(d.uvarint())
	copy(h.First[:], d.bytes(16))
	h.First4 = d.byte() == 1
	copy(h.Last[:], d.bytes(16))
	h.Last4 = d.byte() == 1
	h.MinFrom = d.varint()
	h.MaxEnd = d.varint()
	h.PortLo = d.uint16()
	h.PortHi = d.uint16()
	h.Bits = bytes.Clone(d.bytes(int(d.byte())))
	copy(h.Root[:], d.bytes(32))
	nc := (h.Count + chunk - 1) / chunk
	if nc > maxBlockRecords/chunk+1 {
		return header{}, errBlock
	}
	for range nc {
		var c [32]byte
		copy(c[:], d.bytes(32))
		h.Chunks = append(h.Chunks, c)
	}
	if d.err != nil || len(d.b) != 0 || (h.Class != ClassAssignments && h.Class != ClassMappings) || h.Count <= 0 || h.Count > maxBlockRecords {
		return header{}, errBlock
	}
	return h, nil
}

// maxBlockRecords bounds the records of one block.
const maxBlockRecords = 1 << 16

// errBlock is a block that does not decode: damage, never input.
var errBlock = errors.New("a block does not decode")

// header computes the header of sorted rows, their leaves in sl.leaves.
func (sl *sealer) header(c Class, rows []row) header {
	h := header{Class: c, Run: rows[0].run, Count: len(rows), MinFrom: math.MaxInt64, MaxEnd: math.MinInt64, PortLo: math.MaxUint16}
	h.First, h.First4 = rows[0].addr, rows[0].is4
	h.Last, h.Last4 = rows[len(rows)-1].addr, rows[len(rows)-1].is4
	var bits [129]bool
	for i := range rows {
		r := &rows[i]
		h.MinFrom = min(h.MinFrom, r.from)
		h.MaxEnd = max(h.MaxEnd, r.end())
		lo, hi := r.first, r.last
		if lo == 0 && hi == 0 {
			hi = math.MaxUint16
		}
		h.PortLo, h.PortHi = min(h.PortLo, lo), max(h.PortHi, hi)
		bits[r.bits] = true
	}
	for b, ok := range bits {
		if ok {
			h.Bits = append(h.Bits, uint8(b))
		}
	}
	sl.leaves = appendLeaves(sl.leaves[:0], c, rows)
	ls := sl.leaves
	h.Chunks = make([][32]byte, 0, (len(ls)+chunk-1)/chunk)
	for k := 0; k < len(ls); k += chunk {
		h.Chunks = append(h.Chunks, merkleRoot(ls[k:min(k+chunk, len(ls))]))
	}
	h.Root = merkleRoot(h.Chunks)
	return h
}

// leaves returns the Merkle leaves of rows: SHA-256 of 0x00 and each
// canonical encoding.
func leaves(c Class, rows []row) [][32]byte {
	return appendLeaves(make([][32]byte, 0, len(rows)), c, rows)
}

// appendLeaves appends the Merkle leaves of rows to ls.
func appendLeaves(ls [][32]byte, c Class, rows []row) [][32]byte {
	var buf [256]byte // a canonical encoding's bytes: 128 at most
	for i := range rows {
		b := rows[i].canonical(append(buf[:0], 0), c)
		ls = append(ls, sha256.Sum256(b))
	}
	clear(buf[:])
	return ls
}

// encodeRows writes sorted rows column-friendly into sl.enc:
// dictionaries of devices and clock verdicts, then each record with its
// key and start as deltas from the record before.
func (sl *sealer) encodeRows(c Class, rows []row) []byte {
	if sl.devs == nil {
		sl.devs, sl.clocks = map[string]int{}, map[Clock]int{}
	}
	clear(sl.devs)
	clear(sl.clocks)
	devList, clockList := sl.devList[:0], sl.clockList[:0]
	// The index of each record's device and clock verdict, by
	// dictionary; most records repeat the record before's, found without
	// a lookup.
	di, ci := sl.di[:0], sl.ci[:0]
	for i := range rows {
		r := &rows[i]
		if i > 0 && r.dev == rows[i-1].dev {
			di = append(di, di[i-1])
		} else {
			d, ok := sl.devs[r.dev]
			if !ok {
				d = len(devList)
				sl.devs[r.dev] = d
				devList = append(devList, r.dev)
			}
			di = append(di, d)
		}
		if i > 0 && r.clock == rows[i-1].clock {
			ci = append(ci, ci[i-1])
		} else {
			k, ok := sl.clocks[r.clock]
			if !ok {
				k = len(clockList)
				sl.clocks[r.clock] = k
				clockList = append(clockList, r.clock)
			}
			ci = append(ci, k)
		}
	}
	sl.devList, sl.clockList, sl.di, sl.ci = devList, clockList, di, ci
	b := sl.enc[:0]
	b = binary.AppendUvarint(b, uint64(len(rows)))
	b = binary.AppendUvarint(b, uint64(len(devList)))
	for _, d := range devList {
		b = append(b, byte(len(d)))
		b = append(b, d...)
	}
	b = binary.AppendUvarint(b, uint64(len(clockList)))
	for _, k := range clockList {
		b = append(b, b2u(k.Synchronised)|b2u(k.ToTheSecond)<<1)
		b = binary.AppendVarint(b, int64(k.ErrorBound))
	}
	// prev: the fields of the record before that the next one's are
	// written from.
	var prevAddr [16]byte
	var prevIs4 bool
	var prevFirst uint16
	var prevFrom int64
	for i := range rows {
		r := &rows[i]
		flags := b2u(r.is4) | b2u(r.until == 0)<<1 | b2u(r.hasHash)<<2 | b2u(r.inside4)<<3
		same := i > 0 && r.addr == prevAddr && r.is4 == prevIs4
		flags |= b2u(same) << 4
		b = append(b, flags, byte(r.kind))
		if !same {
			if r.is4 {
				b = append(b, r.addr[12:]...)
			} else {
				b = append(b, r.addr[:]...)
			}
		}
		if c == ClassAssignments {
			b = append(b, r.bits)
		}
		b = binary.AppendVarint(b, int64(r.first)-int64(prevFirst))
		b = binary.AppendUvarint(b, uint64(r.last-min(r.last, r.first)))
		b = binary.AppendVarint(b, r.from-prevFrom)
		if r.until != 0 {
			b = binary.AppendVarint(b, r.until-r.from)
		}
		b = binary.AppendUvarint(b, uint64(di[i]))
		b = binary.AppendUvarint(b, uint64(ci[i]))
		if c == ClassAssignments {
			b = append(b, byte(len(r.sub)))
			b = append(b, r.sub...)
			if r.hasHash {
				b = append(b, r.hash[:]...)
			}
		} else {
			if r.inside4 {
				b = append(b, r.inside[12:]...)
			} else {
				b = append(b, r.inside[:]...)
			}
			b = binary.AppendUvarint(b, uint64(r.insidePort))
			b = append(b, r.proto)
		}
		if r.last < r.first { // kept exactly, though valid input never has it
			b = append(b, 1)
			b = binary.BigEndian.AppendUint16(b, r.last)
		} else {
			b = append(b, 0)
		}
		prevAddr, prevIs4, prevFirst, prevFrom = r.addr, r.is4, r.first, r.from
	}
	sl.enc = b
	return b
}

// packed is a block's records as decoded, held without pointers but in
// its small dictionaries: what the block cache keeps (cache.go), half
// the memory of rows (72 bytes a record, and 32 for an assignment's
// hash), which the collector does not scan. A
// record becomes a row when read ([packed.row]).
type packed struct {
	class  Class
	recs   []prec
	devs   []string
	clocks []Clock
	// subs holds the assignments' subscriber references one after the
	// other (prec.subEnd), hashes their evidence hashes by record.
	subs   []byte
	hashes [][32]byte
	// sorted: the records are in key order (address, prefix length), as
	// every writer of blocks leaves them, so that a lookup finds the
	// records of a key by binary search.
	sorted bool
}

// prec is a packed record: a row's fixed-width fields, and its device,
// clock verdict and subscriber reference by place.
type prec struct {
	addr, inside            [16]byte
	from, until             int64
	subEnd                  uint32
	first, last, insidePort uint16
	dev, clock              uint16
	is4, hasHash, inside4   bool
	bits, kind, proto, run  uint8
}

// size is the memory a packed block takes.
func (p *packed) size() int64 {
	n := int64(cap(p.recs))*int64(unsafe.Sizeof(prec{})) + int64(cap(p.subs)) + int64(cap(p.hashes))*32 + 256
	for _, d := range p.devs {
		n += int64(len(d)) + 16
	}
	return n + int64(len(p.clocks))*16
}

// row fills r with record i; its subscriber reference is cut from subs,
// the string of p.subs the caller gives (a copy, or the cache's view).
func (p *packed) row(i int, subs string, r *row) {
	q := &p.recs[i]
	*r = row{addr: q.addr, is4: q.is4, bits: q.bits, first: q.first, last: q.last, from: q.from, until: q.until,
		kind: SourceKind(q.kind), dev: p.devs[q.dev], clock: p.clocks[q.clock], hasHash: q.hasHash, inside4: q.inside4, run: q.run}
	if p.class == ClassAssignments {
		start := uint32(0)
		if i > 0 {
			start = p.recs[i-1].subEnd
		}
		r.sub = Subscriber(subs[start:q.subEnd])
		if q.hasHash {
			r.hash = p.hashes[i]
		}
		return
	}
	r.inside, r.insidePort, r.proto = q.inside, q.insidePort, q.proto
}

// keyRange returns the records [lo, hi) whose key is the address a
// (masked, in 16-byte form) with prefix length bits: every record of a
// block may hold it when the block is not sorted.
func (p *packed) keyRange(a [16]byte, a4 bool, bits uint8) (int, int) {
	if !p.sorted {
		return 0, len(p.recs)
	}
	cmpKey := func(q prec, _ int) int { return compareKey(q.addr, q.is4, q.bits, a, a4, bits) }
	lo, _ := slices.BinarySearchFunc(p.recs, 0, cmpKey)
	hi := lo
	for hi < len(p.recs) && cmpKey(p.recs[hi], 0) == 0 {
		hi++
	}
	return lo, hi
}

// reuse returns s with n zero elements, in s's memory when it has room.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// wipe zeroes the records, hashes and subscriber references p holds.
func (p *packed) wipe() {
	clear(p.recs)
	clear(p.hashes)
	clear(p.subs[:cap(p.subs)])
}

// unpack returns the records as rows, the caller's, and zeroes p.
func (p *packed) unpack() []row {
	subs := string(p.subs)
	rows := make([]row, len(p.recs))
	for i := range rows {
		p.row(i, subs, &rows[i])
	}
	clear(p.subs)
	clear(p.recs)
	clear(p.hashes)
	return rows
}

// decodePacked reads what encodeRows wrote into a packed block.
// The memory of p (nil: none) is reused: its records, hashes and
// subscriber references' slices, zeroed first.
func decodePacked(p *packed, c Class, b []byte, run uint8) (q *packed, err error) {
	defer func() {
		if err != nil && p != nil {
			p.wipe() // what was decoded before the fault
		}
	}()
	d := decoder{b: b}
	n := int(d.uvarint())
	if n <= 0 || n > maxBlockRecords {
		return nil, errBlock
	}
	nd := int(d.uvarint())
	if nd > n {
		return nil, errBlock
	}
	if p == nil {
		p = &packed{}
	}
	devs := p.devs[:0]
	if cap(devs) < nd {
		devs = make([]string, 0, nd)
	}
	*p = packed{class: c, recs: reuse(p.recs, n), hashes: p.hashes, subs: p.subs[:0], devs: devs[:nd], clocks: p.clocks, sorted: true}
	for i := range p.devs {
		if b := d.bytes(int(d.byte())); p.devs[i] != string(b) { // the same devices, block after block
			p.devs[i] = string(b)
		}
	}
	nc := int(d.uvarint())
	if nc > n {
		return nil, errBlock
	}
	p.clocks = reuse(p.clocks, nc)
	for i := range p.clocks {
		f := d.byte()
		p.clocks[i] = Clock{Synchronised: f&1 != 0, ToTheSecond: f&2 != 0, ErrorBound: time.Duration(d.varint())}
	}
	if c == ClassAssignments {
		p.hashes = reuse(p.hashes, n)
	} else {
		p.hashes = nil
	}
	// prev: the fields the next record's deltas are from.
	var prevAddr [16]byte
	var prevFirst uint16
	var prevFrom int64
	for i := range p.recs {
		r := &p.recs[i]
		flags := d.byte()
		r.kind = d.byte()
		r.is4, r.hasHash, r.inside4 = flags&1 != 0, flags&4 != 0, flags&8 != 0
		open := flags&2 != 0
		switch {
		case flags&16 != 0:
			if i == 0 {
				return nil, errBlock
			}
			r.addr = prevAddr
		case r.is4:
			r.addr = v4(d.bytes(4))
		default:
			copy(r.addr[:], d.bytes(16))
		}
		r.bits = 128
		if r.is4 {
			r.bits = 32
		}
		if c == ClassAssignments {
			r.bits = d.byte()
		}
		r.first = uint16(int64(prevFirst) + d.varint())
		r.last = r.first + uint16(d.uvarint())
		r.from = prevFrom + d.varint()
		if !open {
			r.until = r.from + d.varint()
		}
		di, ci := int(d.uvarint()), int(d.uvarint())
		if di >= nd || ci >= nc {
			return nil, errBlock
		}
		r.dev, r.clock = uint16(di), uint16(ci)
		if c == ClassAssignments {
			p.subs = append(p.subs, d.bytes(int(d.byte()))...)
			if r.hasHash {
				copy(p.hashes[i][:], d.bytes(32))
			}
		} else {
			if r.inside4 {
				r.inside = v4(d.bytes(4))
			} else {
				copy(r.inside[:], d.bytes(16))
			}
			r.insidePort = uint16(d.uvarint())
			r.proto = d.byte()
		}
		r.subEnd = uint32(len(p.subs))
		if d.byte() == 1 {
			r.last = uint16(d.uint16())
		}
		r.run = run
		if i > 0 && compareKey(p.recs[i-1].addr, p.recs[i-1].is4, p.recs[i-1].bits, r.addr, r.is4, r.bits) > 0 {
			p.sorted = false
		}
		prevAddr, prevFirst, prevFrom = r.addr, r.first, r.from
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errBlock
	}
	return p, nil
}

func v4(b []byte) [16]byte {
	var a [16]byte
	a[10], a[11] = 0xff, 0xff
	copy(a[12:], b)
	return a
}

// decoder reads what the encoders wrote, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() { d.err, d.b = errBlock, nil }

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || len(d.b) < n {
		d.fail()
		return make([]byte, max(n, 0))
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) uint16() uint16 { return binary.BigEndian.Uint16(d.bytes(2)) }

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// sealBlockWith seals sorted rows as one block, as written: its sealed
// header and its sealed body, each a 12-byte nonce and an AES-256-GCM
// ciphertext.
//
//	4 bytes header length, sealed header, sealed body
func sealBlockWith(aead cipher.AEAD, aad []byte, c Class, rows []row) ([]byte, header, error) {
	var sl sealer
	defer sl.wipe()
	return sl.seal(nil, aead, aad, c, rows)
}

// sealer seals blocks one after another in the same memory — the
// encoded and the compressed records, the Merkle leaves, the
// dictionaries — and with one compressor, reset for each block: a new
// compressor costs about as much as compressing a block of a log's
// records, and ingest and compaction seal many blocks a call. Each call
// of theirs wipes it when done: the buffers of plaintext are zeroed, and
// the compressor, whose memory holds the last block's records (package
// flate has no way to zero it), is dropped, left to the collector as
// each block's compressor was before — so that only the buffers, zeroed,
// are kept from one ingest to the next.
type sealer struct {
	// level is the DEFLATE level of the blocks: zero for
	// flate.BestSpeed, as compaction and holds write them; ingest's is
	// walLevel.
	level     int
	enc, aad  []byte // the records encoded (plaintext), a part's binding
	z         bytes.Buffer
	zw        *flate.Writer
	zwLevel   int // zw's level
	leaves    [][32]byte
	devs      map[string]int
	clocks    map[Clock]int
	devList   []string
	clockList []Clock
	di, ci    []int
}

// seal appends the block of sorted rows (as [sealBlockWith] makes it)
// to dst.
func (sl *sealer) seal(dst []byte, aead cipher.AEAD, aad []byte, c Class, rows []row) ([]byte, header, error) {
	h := sl.header(c, rows)
	sl.z.Reset()
	level := sl.level
	if level == 0 {
		level = flate.BestSpeed
	}
	if sl.zw == nil || sl.zwLevel != level {
		w, err := flate.NewWriter(&sl.z, level)
		if err != nil {
			return nil, header{}, err
		}
		sl.zw, sl.zwLevel = w, level
	} else {
		sl.zw.Reset(&sl.z)
	}
	if _, err := sl.zw.Write(sl.encodeRows(c, rows)); err != nil {
		return nil, header{}, err
	}
	if err := sl.zw.Close(); err != nil {
		return nil, header{}, err
	}
	he := h.encode()
	over := aead.NonceSize() + aead.Overhead()
	dst = slices.Grow(dst, 4+len(he)+len(sl.z.Bytes())+2*over)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(he)+over))
	sl.aad = append(append(sl.aad[:0], aad...), 'h')
	dst = sealTo(dst, aead, sl.aad, he)
	sl.aad[len(sl.aad)-1] = 'b'
	dst = sealTo(dst, aead, sl.aad, sl.z.Bytes())
	return dst, h, nil
}

// wipe zeroes the plaintext the sealer's buffers hold, and drops its
// compressor.
func (sl *sealer) wipe() {
	sl.zw = nil
	clear(sl.leaves[:cap(sl.leaves)]) // a leaf is the hash of a whole record: a guess could be confirmed
	clear(sl.enc[:cap(sl.enc)])
	b := sl.z.Bytes()
	clear(b[:cap(b)])
	sl.z.Reset()
	clear(sl.devList[:cap(sl.devList)])
	clear(sl.devs)
	clear(sl.clocks)
}

func partAAD(aad []byte, part byte) []byte { return append(slices.Clip(aad), part) }

// aeadT is the cipher of blocks.
type aeadT = cipher.AEAD

func newAEAD(key []byte) (cipher.AEAD, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(blk)
}

func seal(aead cipher.AEAD, aad, plain []byte) []byte {
	return sealTo(make([]byte, 0, aead.NonceSize()+len(plain)+aead.Overhead()), aead, aad, plain)
}

// sealTo appends to dst a random nonce and plain sealed under it.
func sealTo(dst []byte, aead cipher.AEAD, aad, plain []byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, aead.NonceSize()+len(plain)+aead.Overhead())[:n+aead.NonceSize()]
	nonce := dst[n:]
	rand.Read(nonce)
	return aead.Seal(dst, nonce, plain, aad)
}

func open(aead cipher.AEAD, aad, sealed []byte) ([]byte, error) {
	if len(sealed) < aead.NonceSize() {
		return nil, errBlock
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], aad)
}

// splitBlock returns a sealed block's sealed header and sealed body.
func splitBlock(b []byte) ([]byte, []byte, error) {
	if len(b) < 4 {
		return nil, nil, errBlock
	}
	n := int(binary.BigEndian.Uint32(b))
	if n > len(b)-4 {
		return nil, nil, errBlock
	}
	return b[4 : 4+n], b[4+n:], nil
}

// openHeader decrypts a sealed block's header.
func openHeader(aead cipher.AEAD, aad, b []byte) (header, error) {
	sh, _, err := splitBlock(b)
	if err != nil {
		return header{}, err
	}
	plain, err := open(aead, partAAD(aad, 'h'), sh)
	if err != nil {
		return header{}, errBlock
	}
	return decodeHeader(plain)
}

// maxBlockBytes bounds a block's decompressed records.
const maxBlockBytes = 64 << 20

// openRows decrypts and decodes a sealed block's records, and checks
// them against the header's count and Merkle root.
func openRows(aead cipher.AEAD, aad, b []byte, h header) ([]row, error) {
	var in inflater
	return openRowsWith(&in, aead, aad, b, h)
}

// verifyRoot checks rows against a header's Merkle root and chunk roots.
func verifyRoot(h header, rows []row) bool {
	ls := leaves(h.Class, rows)
	for k := 0; k < len(ls); k += chunk {
		if k/chunk >= len(h.Chunks) || merkleRoot(ls[k:min(k+chunk, len(ls))]) != h.Chunks[k/chunk] {
			return false
		}
	}
	return merkleRoot(ls) == h.Root && merkleRoot(h.Chunks) == h.Root
}

// proveIn returns the inclusion proof of record i of a block: its
// chunk's leaves hashed, the rest from the header's chunk roots.
func proveIn(h header, rows []row, i int) Proof {
	k := i / chunk * chunk
	return proofIn(merkleTree(leaves(h.Class, rows[k:min(k+chunk, len(rows))])), merkleTree(h.Chunks), len(rows), i)
}

// proofIn returns the inclusion proof of record i of a block of n
// records from the trees ([merkleTree]) of its chunk and of the chunks'
// roots.
func proofIn(chunkTree, rootsTree [][32]byte, n, i int) Proof {
	nk := (n + chunk - 1) / chunk
	in := proofFromTree(chunkTree, min(chunk, n-i/chunk*chunk), i%chunk)
	out := proofFromTree(rootsTree, nk, i/chunk)
	return Proof{Index: i, Count: n, Path: append(in.Path, out.Path...)}
}

// merkleTree returns every node of the Merkle tree over leaves
// ([merkleRoot]'s shape), in preorder: a subtree's root, then its left
// subtree's nodes, then its right's — a subtree of n leaves takes 2n-1
// places, its right subtree's root 2k places after its own (k the left
// subtree's leaves).
func merkleTree(ls [][32]byte) [][32]byte {
	if len(ls) == 0 {
		return nil
	}
	out := make([][32]byte, 2*len(ls)-1)
	var build func(ls [][32]byte, at int) [32]byte
	build = func(ls [][32]byte, at int) [32]byte {
		if len(ls) == 1 {
			out[at] = ls[0]
			return ls[0]
		}
		k := split(len(ls))
		out[at] = node(build(ls[:k], at+1), build(ls[k:], at+2*k))
		return out[at]
	}
	build(ls, 0)
	return out
}

// proofFromTree returns the proof of leaf i of the n leaves whose tree
// ([merkleTree]) is t: what [proofOf] computes, read from the tree.
func proofFromTree(t [][32]byte, n, i int) Proof {
	p := Proof{Index: i, Count: n}
	var walk func(n, i, at int)
	walk = func(n, i, at int) {
		if n <= 1 {
			return
		}
		k := split(n)
		if i < k {
			walk(k, i, at+1)
			p.Path = append(p.Path, t[at+2*k])
		} else {
			walk(n-k, i-k, at+2*k)
			p.Path = append(p.Path, t[at+1])
		}
	}
	walk(n, i, 0)
	return p
}

// merkleRoot returns the root of a Merkle tree over leaves (RFC 6962's
// shape: the left subtree holds the largest power of two below n;
// interior nodes hash 0x01 and their children).
func merkleRoot(ls [][32]byte) [32]byte {
	switch len(ls) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return ls[0]
	}
	k := split(len(ls))
	return node(merkleRoot(ls[:k]), merkleRoot(ls[k:]))
}

func split(n int) int {
	k := 1
	for k*2 < n {
		k *= 2
	}
	return k
}

func node(l, r [32]byte) [32]byte {
	var b [65]byte
	b[0] = 1
	copy(b[1:], l[:])
	copy(b[33:], r[:])
	return sha256.Sum256(b[:])
}

// Proof is a Merkle inclusion proof: that the record is leaf Index of
// the Count records of a block whose root an answer gives as its
// evidence. [VerifyProof] checks it.
type Proof struct {
	Index int        `json:"index"`
	Count int        `json:"count"`
	Path  [][32]byte `json:"path"`
}

func proofOf(ls [][32]byte, i int) Proof {
	p := Proof{Index: i, Count: len(ls)}
	var walk func(ls [][32]byte, i int)
	walk = func(ls [][32]byte, i int) {
		if len(ls) <= 1 {
			return
		}
		k := split(len(ls))
		if i < k {
			walk(ls[:k], i)
			p.Path = append(p.Path, merkleRoot(ls[k:]))
		} else {
			walk(ls[k:], i-k)
			p.Path = append(p.Path, merkleRoot(ls[:k]))
		}
	}
	walk(ls, i)
	return p
}

// rootFromProof recomputes the root from a leaf and its proof.
func rootFromProof(leaf [32]byte, p Proof) ([32]byte, bool) {
	var up func(n, i int, path [][32]byte) ([32]byte, [][32]byte, bool)
	up = func(n, i int, path [][32]byte) ([32]byte, [][32]byte, bool) {
		if n <= 1 {
			return leaf, path, true
		}
		k := split(n)
		var h [32]byte
		var ok bool
		if i < k {
			h, path, ok = up(k, i, path)
			if !ok || len(path) == 0 {
				return h, path, false
			}
			return node(h, path[0]), path[1:], true
		}
		h, path, ok = up(n-k, i-k, path)
		if !ok || len(path) == 0 {
			return h, path, false
		}
		return node(path[0], h), path[1:], true
	}
	if p.Index < 0 || p.Index >= p.Count {
		return [32]byte{}, false
	}
	root, rest, ok := up(p.Count, p.Index, p.Path)
	return root, ok && len(rest) == 0
}

// LeafOfAssignment returns the Merkle leaf of an assignment as a block
// holds it, for [VerifyProof].
func LeafOfAssignment(a Assignment) [32]byte {
	r := rowOfAssignment(a)
	return sha256.Sum256(r.canonical([]byte{0}, ClassAssignments))
}

// LeafOfMapping returns the Merkle leaf of a mapping as a block holds
// it, for [VerifyProof].
func LeafOfMapping(m Mapping) [32]byte {
	r := rowOfMapping(m)
	return sha256.Sum256(r.canonical([]byte{0}, ClassMappings))
}

// VerifyProof reports whether leaf is included, as p says, in the block
// whose Merkle root is root.
func VerifyProof(leaf [32]byte, p Proof, root [32]byte) bool {
	got, ok := rootFromProof(leaf, p)
	return ok && got == root
}

// blockAAD is what binds a sealed block to where it belongs: the scope
// (a period, or a hold) and the key's identity. A block moved to another
// period or file does not open.
func blockAAD(scope string, kid string) []byte {
	return fmt.Appendf(nil, "ccjkit retention block v1\x00%s\x00%s\x00", scope, kid)
}
