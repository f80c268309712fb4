package retention

import (
	"bytes"
	"compress/flate"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"unsafe"
)

// What a Store keeps in memory to answer lookups fast, while it is open
// with an [Opener], and what it drops and when.
//
//   - Its keys, unwrapped once (keyStore.cache) with their AES-GCM
//     ciphers (keyStore.aeads), as before: a lookup never unwraps a key
//     again. A key and its cipher are dropped — the key's bytes zeroed —
//     when [Store.Purge] or [Store.Compact] destroys the key, and all of
//     them by [Store.Close].
//   - Per data file (dfile): an open handle, the segment's table and
//     sealed index, opened once (each block's header: key range, time
//     range, ports, Merkle roots), and a summary of them. Segments are
//     immutable; a log only grows, and what it gained is read when a
//     lookup comes.
//   - The decoded records of the blocks lookups read most recently
//     (blockCache), packed ([packed]: no pointers, half a row's
//     memory), with the Merkle trees of the proofs given from them, up
//     to [Config.CacheBytes] (DefaultCacheBytes when zero, none when
//     negative), the least recently used dropped first. A block enters
//     the cache only as a lookup reads it from the disk, authenticated
//     (AES-GCM under its period's key, bound to its period and key) and
//     decoded, its count checked against its header's — the checks
//     every read made before the cache. A lookup reads the cache only
//     where it may read the file (scan: a period in force, a hold in
//     force placed for its case), as it read the disk before.
//     Compaction, holds and Verify read the disk and leave the cache
//     alone.
//   - Buffers for decryption, decompression and decoding (inflater):
//     one set for compaction, holds and Verify, and one per block a
//     lookup reads side by side (at most maxReaders, no more than the
//     processors); and the rows a lookup reads from a packed block. The
//     Store serialises its work under its mutex, so these few serve
//     every read. They are zeroed after each block — the decompressor's
//     window too — so that no plaintext stays in them between reads.
//
// A block's cached records are zeroed and dropped when it leaves the
// cache: evicted, its file compacted away (the file's key destroyed),
// its period ended (seen by a lookup, which no longer reads it) or
// purged, its hold lifted or purged, its file found altered by
// [Store.Verify], and at [Store.Close]. Its subscriber references are
// zeroed when the operation that dropped them ends (a lookup may still
// be reading them). Go does not promise that other memory is wiped: the
// strings of answers, and copies the runtime made, are left for the
// collector to reuse — as every read left them before the cache.
//
// A file changed on disk after its blocks were cached is not seen by
// lookups answered from the cache: they answer from what was
// authenticated when it was read. [Store.Verify] always reads the disk,
// and drops the cache and handle of every file it finds altered (or
// replaced by another file of the same name), so the lookups after it
// read the disk again and refuse the altered blocks.

// DefaultCacheBytes is the memory the decoded blocks a Store keeps for
// lookups may take when [Config.CacheBytes] is zero: 64 MiB, about
// 2,500 blocks of 256 CGNAT mappings with their proofs' trees (some
// 600,000 mappings).
const DefaultCacheBytes = 64 << 20

// blockKey names a block of a data file.
type blockKey struct {
	f   *dfile
	off int64
}

// cachedBlock is a block's packed records, in the cache's list, with
// the Merkle trees of the proofs given from it so far: of each chunk
// proved (trees), and of the chunks' roots (roots). subs is the view of
// p.subs the rows read from it are cut from.
type cachedBlock struct {
	key        blockKey
	p          *packed
	subs       string
	trees      [][][32]byte
	roots      [][32]byte
	size       int64
	prev, next *cachedBlock
}

// blockCache keeps packed blocks up to max bytes, the least recently
// used dropped first. Its owner's mutex guards it.
type blockCache struct {
	max     int64
	size    int64
	entries map[blockKey]*cachedBlock
	byScope map[string]int64 // scope → bytes cached
	lru     cachedBlock      // the list's sentinel: lru.next is the most recent
	// dead holds the subscriber references of dropped blocks, zeroed by
	// flush once no lookup reads them.
	dead [][]byte
	// hits and misses count the lookups' reads of blocks.
	hits, misses int64
	// free holds the memory of dropped blocks (zeroed) for the next
	// ones read: records, hashes, devices — not their subscriber
	// references, which wait in dead.
	free []*packed
	// hold: a lookup reads blocks it was given; put drops nothing until
	// release.
	hold bool
}

// release ends a hold, dropping the least recently used blocks down to
// the bound.
func (c *blockCache) release() {
	c.hold = false
	for c.size > c.max && c.lru.prev != &c.lru {
		c.drop(c.lru.prev)
	}
}

// maxFree bounds the dropped blocks' memory kept for reuse.
const maxFree = 8

// recycled returns the memory of a dropped block, or nil.
func (c *blockCache) recycled() *packed {
	if len(c.free) == 0 {
		return nil
	}
	p := c.free[len(c.free)-1]
	c.free[len(c.free)-1] = nil
	c.free = c.free[:len(c.free)-1]
	return p
}

func newBlockCache(max int64) *blockCache {
	c := &blockCache{max: max, entries: map[blockKey]*cachedBlock{}, byScope: map[string]int64{}}
	c.lru.next, c.lru.prev = &c.lru, &c.lru
	return c
}

// cacheBytes is the cache's bound for a configuration's CacheBytes.
func cacheBytes(n int64) int64 {
	switch {
	case n == 0:
		return DefaultCacheBytes
	case n < 0:
		return 0
	}
	return n
}

// get returns a block's entry if cached, and marks it the most recently
// used.
func (c *blockCache) get(k blockKey) *cachedBlock {
	e := c.entries[k]
	if e == nil {
		return nil
	}
	c.unlink(e)
	c.pushFront(e)
	return e
}

// put caches a packed block (unless it alone exceeds the bound),
// dropping the least recently used blocks to make room, and returns its
// entry (nil when not cached).
func (c *blockCache) put(k blockKey, p *packed) *cachedBlock {
	size := p.size()
	if c.max <= 0 || size > c.max || c.entries[k] != nil {
		return nil
	}
	for !c.hold && c.size+size > c.max && c.lru.prev != &c.lru {
		c.drop(c.lru.prev)
	}
	e := &cachedBlock{key: k, p: p, size: size}
	if len(p.subs) > 0 {
		// The rows' subscriber references are cut from the packed bytes
		// themselves, which drop zeroes (through dead and flush).
		e.subs = unsafe.String(&p.subs[0], len(p.subs))
	}
	c.entries[k] = e
	c.size += size
	c.byScope[k.f.scope] += size
	c.pushFront(e)
	return e
}

// drop zeroes a cached block's records and trees and forgets them; its
// subscriber references wait in dead for flush.
func (c *blockCache) drop(e *cachedBlock) {
	c.unlink(e)
	delete(c.entries, e.key)
	c.size -= e.size
	sc := e.key.f.scope
	if c.byScope[sc] -= e.size; c.byScope[sc] <= 0 {
		delete(c.byScope, sc)
	}
	clear(e.p.recs)
	clear(e.p.hashes)
	if len(e.p.subs) > 0 {
		c.dead = append(c.dead, e.p.subs)
	}
	e.p.subs = nil
	if len(c.free) < maxFree {
		c.free = append(c.free, e.p)
	}
	for _, t := range e.trees {
		clear(t)
	}
	clear(e.roots)
	e.p, e.subs, e.trees, e.roots = nil, "", nil, nil
}

// flush zeroes the subscriber references of the blocks dropped, once
// nothing reads them: at the end of each operation that may drop.
func (c *blockCache) flush() {
	for _, b := range c.dead {
		clear(b)
	}
	clear(c.dead)
	c.dead = c.dead[:0]
}

// grow counts memory an entry gained (its trees); the next put makes
// room.
func (c *blockCache) grow(e *cachedBlock, n int64) {
	if c.entries[e.key] != e {
		return
	}
	e.size += n
	c.size += n
	c.byScope[e.key.f.scope] += n
}

// dropFile drops every cached block of a file.
func (c *blockCache) dropFile(f *dfile) {
	if c.byScope[f.scope] == 0 {
		return
	}
	for e := c.lru.next; e != &c.lru; {
		next := e.next
		if e.key.f == f {
			c.drop(e)
		}
		e = next
	}
}

// dropScope drops every cached block of a scope's files.
func (c *blockCache) dropScope(scope string) {
	if c.byScope[scope] == 0 {
		return
	}
	for e := c.lru.next; e != &c.lru; {
		next := e.next
		if e.key.f.scope == scope {
			c.drop(e)
		}
		e = next
	}
}

// holds reports whether anything of scope is cached.
func (c *blockCache) holds(scope string) bool { return c.byScope[scope] > 0 }

// reset drops every cached block, and the memory kept for reuse.
func (c *blockCache) reset() {
	for c.lru.next != &c.lru {
		c.drop(c.lru.next)
	}
	clear(c.free)
	c.free = nil
}

func (c *blockCache) unlink(e *cachedBlock) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (c *blockCache) pushFront(e *cachedBlock) {
	e.prev, e.next = &c.lru, c.lru.next
	c.lru.next.prev = e
	c.lru.next = e
}

// blockView is what a lookup reads of a block: the records of the
// address (and port) asked, as rows, with their places in the block;
// the block, its header, and its cache entry (nil when not cached),
// which keeps the Merkle trees of the proofs given from it.
type blockView struct {
	rows  []row
	idx   []int
	p     *packed
	subs  string
	h     *header
	e     *cachedBlock
	c     *blockCache
	chunk []row // the rows of a chunk being hashed
}

// prove returns the inclusion proof of rows[j] ([proveIn]), from the
// trees the cache entry keeps, or hashing its chunk (and keeping the
// trees when the block is cached).
func (b *blockView) prove(j int) Proof {
	i, n := b.idx[j], len(b.p.recs)
	k := i / chunk
	if k >= len(b.h.Chunks) {
		return Proof{} // the header was checked against the count: not reached
	}
	var tree, roots [][32]byte
	if b.e != nil {
		if b.e.trees == nil {
			b.e.trees = make([][][32]byte, len(b.h.Chunks))
		}
		tree, roots = b.e.trees[k], b.e.roots
	}
	if roots == nil {
		roots = merkleTree(b.h.Chunks)
		if b.e != nil {
			b.e.roots = roots
			b.c.grow(b.e, int64(len(roots))*32)
		}
	}
	if tree == nil {
		lo, hi := k*chunk, min(k*chunk+chunk, n)
		rows := b.chunk[:0]
		for x := lo; x < hi; x++ {
			rows = append(rows, row{})
			b.p.row(x, b.subs, &rows[len(rows)-1])
		}
		tree = merkleTree(leaves(b.h.Class, rows))
		clear(rows)
		b.chunk = rows[:0]
		if b.e != nil {
			b.e.trees[k] = tree
			b.c.grow(b.e, int64(len(tree))*32)
		}
	}
	return proofIn(tree, roots, n, i)
}

// view gives the records of packed block p that a lookup of the address
// a (16-byte form, a4 for IPv4) and port (0: any) reads: those whose key
// holds the address — found by binary search for each prefix length the
// header lists — and whose ports hold the port, as matchKey decides.
// The rows are the Store's buffer's: endView zeroes them.
func (s *Store) view(p *packed, subs string, h *header, e *cachedBlock, a [16]byte, a4 bool, port uint16) *blockView {
	v := &s.bv
	*v = blockView{rows: v.rows[:0], idx: v.idx[:0], chunk: v.chunk, p: p, subs: subs, h: h, e: e, c: s.cache}
	take := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			q := &p.recs[i]
			if port != 0 && !(PortRange{First: q.first, Last: q.last}).Contains(port) {
				continue
			}
			v.rows = append(v.rows, row{})
			p.row(i, subs, &v.rows[len(v.rows)-1])
			v.idx = append(v.idx, i)
		}
	}
	if !p.sorted {
		take(0, len(p.recs))
		return v
	}
	for _, b := range h.Bits {
		if a4 && b > 32 {
			continue
		}
		take(p.keyRange(mask(a, a4, b), a4, b))
	}
	return v
}

// endView zeroes the rows a view gave, and a block read but not cached.
func (s *Store) endView(v *blockView) {
	clear(v.rows)
	if v.e == nil {
		v.p.wipe()
	}
	*v = blockView{rows: v.rows[:0], idx: v.idx[:0], chunk: v.chunk}
}

// inflater is the buffers and decompressor that read a block's records:
// the sealed bytes as read, the compressed records as decrypted, the
// records as inflated. It is zeroed after each block.
type inflater struct {
	sealed []byte
	z      []byte
	plain  []byte
	src    bytes.Reader
	zr     io.ReadCloser // flate's, a flate.Resetter
}

// zeroWindow is DEFLATE's whole window of zeros: resetting the
// decompressor with it as the dictionary overwrites what it inflated.
var zeroWindow [1 << 15]byte

// inflate decompresses z into in.plain, at most maxBlockBytes.
func (in *inflater) inflate(z []byte) ([]byte, error) {
	in.src.Reset(z)
	if in.zr == nil {
		in.zr = flate.NewReader(&in.src)
	} else if err := in.zr.(flate.Resetter).Reset(&in.src, nil); err != nil {
		return nil, err
	}
	out := in.plain[:0]
	for {
		if len(out) == cap(out) {
			if len(out) >= maxBlockBytes {
				in.plain = out
				return nil, errBlock
			}
			out = append(out, 0)[:len(out)]
		}
		n, err := in.zr.Read(out[len(out):min(cap(out), maxBlockBytes)])
		out = out[:len(out)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			in.plain = out
			return nil, err
		}
	}
	in.plain = out
	return out, nil
}

// wipe zeroes every plaintext the inflater held: the decrypted and the
// inflated records, and the decompressor's window.
func (in *inflater) wipe() {
	clear(in.z[:cap(in.z)])
	clear(in.plain[:cap(in.plain)])
	in.src.Reset(nil)
	if in.zr != nil {
		in.zr.(flate.Resetter).Reset(&in.src, zeroWindow[:])
	}
}

// openPackedWith decrypts, inflates and decodes a sealed block's
// records with the inflater's buffers, and checks their count against
// the header's; the buffers are wiped.
func openPackedWith(in *inflater, aead cipher.AEAD, aad, b []byte, h header, into *packed) (*packed, error) {
	defer in.wipe()
	_, sb, err := splitBlock(b)
	if err != nil {
		return nil, err
	}
	if len(sb) < aead.NonceSize() {
		return nil, errBlock
	}
	in.z, err = aead.Open(in.z[:0], sb[:aead.NonceSize()], sb[aead.NonceSize():], partAAD(aad, 'b'))
	if err != nil {
		return nil, errBlock
	}
	plain, err := in.inflate(in.z)
	if err != nil {
		return nil, errBlock
	}
	p, err := decodePacked(into, h.Class, plain, h.Run)
	if err != nil || len(p.recs) != h.Count {
		if p != nil {
			p.wipe()
		}
		return nil, errBlock
	}
	return p, nil
}

// openRowsWith is openPackedWith giving rows, the caller's.
func openRowsWith(in *inflater, aead cipher.AEAD, aad, b []byte, h header) ([]row, error) {
	p, err := openPackedWith(in, aead, aad, b, h, nil)
	if err != nil {
		return nil, err
	}
	return p.unpack(), nil
}

// handle returns the data file's open handle, opening it once.
func (s *Store) handle(f *dfile) (*os.File, error) {
	if f.fh != nil {
		return f.fh, nil
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	f.fh = fh
	return fh, nil
}

// blockTask is a block a lookup reads: where it is, then its packed
// records, the string their subscriber references are cut from, and its
// cache entry (nil when not cached: the caller zeroes p after use, as
// endView does).
type blockTask struct {
	scope string
	f     *dfile
	r     *bref
	e     *cachedBlock
	p     *packed
	subs  string
	// A block read from the disk: its cipher and binding, and the error
	// of its reading.
	aead cipher.AEAD
	aad  []byte
	err  error
}

// maxReaders bounds the blocks a lookup reads from the disk side by side.
const maxReaders = 4

// fetch gives each task its block: from the cache, or read through its
// file's handle, authenticated, decoded and cached — the blocks not
// cached read side by side, each with its own buffers and cipher, when
// there are several and more than one processor. The cache must hold
// what it has (blockCache.hold) until the tasks are read.
func (s *Store) fetch(tasks []blockTask) error {
	var misses []*blockTask
	for i := range tasks {
		t := &tasks[i]
		if t.e = s.cache.get(blockKey{t.f, t.r.off}); t.e != nil {
			s.cache.hits++
			t.p, t.subs = t.e.p, t.e.subs
			continue
		}
		s.cache.misses++
		if _, err := s.handle(t.f); err != nil {
			return err
		}
		aead, aad, err := s.fileAEAD(t.f)
		if err != nil {
			return err
		}
		t.aead, t.aad = aead, aad
		misses = append(misses, t)
	}
	readers := min(len(misses), runtime.GOMAXPROCS(0), maxReaders)
	for len(s.ins) < readers {
		s.ins = append(s.ins, &inflater{})
	}
	for len(s.spares) < len(misses) && s.cache.max <= 0 {
		s.spares = append(s.spares, &packed{})
	}
	for k, t := range misses {
		// The memory of a block dropped from the cache, or the Store's
		// own when nothing is cached: a miss allocates little.
		if s.cache.max > 0 {
			t.p = s.cache.recycled()
		} else {
			t.p = s.spares[k]
		}
		if readers > 1 && k > 0 {
			// A cipher of its own: AES-GCM's is not promised safe for
			// use from several goroutines at once.
			key, err := s.keys.key(t.f.scope, t.f.kid)
			if err != nil {
				return err
			}
			if t.aead, err = newAEAD(key); err != nil {
				return err
			}
		}
	}
	read := func(in *inflater, t *blockTask) {
		t.p, t.err = s.readPacked(in, t)
	}
	if readers <= 1 {
		for _, t := range misses {
			read(s.ins[0], t)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan *blockTask, len(misses))
		for _, t := range misses {
			next <- t
		}
		close(next)
		for w := range readers {
			wg.Go(func() {
				for t := range next {
					read(s.ins[w], t)
				}
			})
		}
		wg.Wait()
	}
	var first error
	for _, t := range misses {
		switch {
		case first != nil:
			if t.p != nil {
				t.p.wipe()
			}
		case t.err != nil:
			first = t.err
		default:
			if t.e = s.cache.put(blockKey{t.f, t.r.off}, t.p); t.e != nil {
				t.subs = t.e.subs
			} else {
				t.subs = string(t.p.subs) // copied: endView zeroes p
			}
		}
	}
	return first
}

// readPacked reads a task's block through its file's handle with the
// inflater's buffers, authenticates and decodes it into t.p's memory.
func (s *Store) readPacked(in *inflater, t *blockTask) (*packed, error) {
	r := t.r
	if int64(cap(in.sealed)) < r.n {
		in.sealed = make([]byte, r.n)
	}
	b := in.sealed[:r.n]
	if k, err := t.f.fh.ReadAt(b, r.off); int64(k) != r.n {
		return nil, fmt.Errorf("%w: reading a block: %v", ErrIO, err)
	}
	p, err := openPackedWith(in, t.aead, t.aad, b, *r.hdr, t.p)
	if err != nil || r.hdr.Count != r.count {
		return nil, fmt.Errorf("%w: %s: the block at byte %d does not open", ErrTampered, s.rel(t.f.path), r.off)
	}
	return p, nil
}

// forget drops all a Store keeps of a data file — its cached blocks,
// its handle, its entry — once the file is removed, its key destroyed,
// or found altered.
func (s *Store) forget(f *dfile) {
	s.cache.dropFile(f)
	if f.fh != nil {
		f.fh.Close()
		f.fh = nil
	}
	delete(s.files, f.path)
	if fs, ok := s.listing[f.scope]; ok {
		for _, g := range fs {
			if g == f {
				delete(s.listing, f.scope)
				break
			}
		}
	}
}

// sameFile reports whether the file at f's path is still the one its
// handle has open (not replaced by another of the same name).
func sameFile(f *dfile) bool {
	if f.fh == nil {
		return true
	}
	a, err1 := f.fh.Stat()
	b, err2 := os.Stat(f.path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}
