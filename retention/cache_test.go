package retention

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register"
)

// cachedOf returns the cache's entries of scope.
func cachedOf(s *Store, scope string) []*cachedBlock {
	var out []*cachedBlock
	for k, e := range s.cache.entries {
		if k.f.scope == scope {
			out = append(out, e)
		}
	}
	return out
}

// plaintext is what a cached block holds in memory, to check that it is
// zeroed once dropped: its packed records, hashes and subscriber
// references, and its proofs' trees.
type plaintext struct {
	recs   []prec
	hashes [][32]byte
	subs   []byte
	trees  [][][32]byte // the memory itself, not copies
}

func plaintextOf(es []*cachedBlock) []plaintext {
	var out []plaintext
	for _, e := range es {
		out = append(out, plaintext{recs: e.p.recs, hashes: e.p.hashes, subs: e.p.subs, trees: append([][][32]byte{e.roots}, e.trees...)})
	}
	return out
}

func (p plaintext) proofs() bool {
	return slices.ContainsFunc(p.trees, func(t [][32]byte) bool { return len(t) > 0 })
}

func (p plaintext) zero() bool {
	nonzero := func(h [32]byte) bool { return h != [32]byte{} }
	return !slices.ContainsFunc(p.recs, func(r prec) bool { return r != prec{} }) &&
		!slices.ContainsFunc(p.hashes, nonzero) &&
		!slices.ContainsFunc(p.subs, func(b byte) bool { return b != 0 }) &&
		!slices.ContainsFunc(p.trees, func(t [][32]byte) bool { return slices.ContainsFunc(t, nonzero) })
}

// mustAnswer is the bare lookup of the lookup fixture's request, which
// must find the one subscriber.
func mustAnswer(t *testing.T, s *Store) Answer {
	t.Helper()
	ans, err := s.answer(samplePublic, 40312, sampleAt)
	if err != nil {
		t.Fatal(err)
	}
	if subs := ans.Subscribers(); !slices.Equal(subs, []Subscriber{"C-000042"}) {
		t.Fatalf("subscribers %v", subs)
	}
	return ans
}

// A lookup into a day caches its blocks and keeps its keys; a purge of
// the day drops every block and key of it from memory — the records,
// the proofs' trees and the subscriber references zeroed — before the
// keys are destroyed; the lookup then says the period is over, and
// reads nothing.
func TestPurgeDropsWhatLookupsKept(t *testing.T) {
	for _, compact := range []bool{false, true} {
		x := newLookupFixture(t)
		s := x.s
		if compact {
			if _, err := s.Compact(); err != nil {
				t.Fatal(err)
			}
		}
		mustAnswer(t, s)
		scopes := []string{"2026-10-29.mappings", "2026-10-29.assignments"}
		var kept []plaintext
		var kids []string
		for _, sc := range scopes {
			es := cachedOf(s, sc)
			if len(es) == 0 || !s.cache.holds(sc) {
				t.Fatalf("compact %v: nothing of %s cached after a lookup", compact, sc)
			}
			kept = append(kept, plaintextOf(es)...)
			ks, _ := s.keys.kids(sc)
			for _, kid := range ks {
				if s.keys.cache[kid] == nil || s.keys.aeads[kid] == nil {
					t.Fatalf("compact %v: the key of %s is not kept", compact, sc)
				}
			}
			kids = append(kids, ks...)
		}
		if !slices.ContainsFunc(kept, func(p plaintext) bool { return len(p.subs) > 0 && p.proofs() }) {
			t.Fatalf("compact %v: no subscriber references or proofs cached", compact)
		}
		x.f.clock.Set(day("2027-12-30"))
		rep, err := s.Purge()
		if err != nil || len(rep.Destroyed) != 2 {
			t.Fatalf("compact %v: purge: %+v %v", compact, rep, err)
		}
		for _, sc := range scopes {
			if len(cachedOf(s, sc)) > 0 || s.cache.holds(sc) {
				t.Errorf("compact %v: %s still cached after its purge", compact, sc)
			}
		}
		for path, f := range s.files {
			if slices.Contains(scopes, f.scope) {
				t.Errorf("compact %v: %s still known after its purge", compact, path)
			}
		}
		for _, kid := range kids {
			if s.keys.cache[kid] != nil || s.keys.aeads[kid] != nil {
				t.Errorf("compact %v: a destroyed key is still in memory", compact)
			}
		}
		for i, p := range kept {
			if !p.zero() {
				t.Errorf("compact %v: block %d's plaintext was not zeroed", compact, i)
			}
		}
		if len(s.cache.dead) > 0 || s.cache.size != 0 {
			t.Errorf("compact %v: %d dead, %d bytes left", compact, len(s.cache.dead), s.cache.size)
		}
		ans, err := s.answer(samplePublic, 40312, sampleAt)
		if err != nil || len(ans.Candidates) != 0 || !slices.Contains(ans.Ambiguities, PeriodOver) {
			t.Fatalf("compact %v: after the purge: %+v, %v", compact, ans, err)
		}
		if s.cache.size != 0 {
			t.Errorf("compact %v: the lookup after the purge cached %d bytes", compact, s.cache.size)
		}
	}
}

// A period whose retention ended is dropped from memory by the next
// lookup (which no longer reads it), before any purge.
func TestEndedPeriodDroppedByLookup(t *testing.T) {
	x := newLookupFixture(t)
	mustAnswer(t, x.s)
	kept := plaintextOf(append(cachedOf(x.s, "2026-10-29.mappings"), cachedOf(x.s, "2026-10-29.assignments")...))
	if len(kept) == 0 {
		t.Fatal("nothing cached")
	}
	x.f.clock.Set(day("2027-12-30"))
	ans, err := x.s.answer(samplePublic, 40312, sampleAt)
	if err != nil || len(ans.Candidates) != 0 || !slices.Contains(ans.Ambiguities, PeriodOver) {
		t.Fatalf("%+v, %v", ans, err)
	}
	if x.s.cache.size != 0 || len(x.s.cache.entries) != 0 {
		t.Errorf("%d bytes, %d blocks left", x.s.cache.size, len(x.s.cache.entries))
	}
	for i, p := range kept {
		if !p.zero() {
			t.Errorf("block %d's plaintext was not zeroed", i)
		}
	}
}

// Compaction destroys the keys of the logs it replaces: what lookups
// kept of them goes first; the next lookup reads the segment.
func TestCompactDropsWhatLookupsKept(t *testing.T) {
	x := newLookupFixture(t)
	s := x.s
	mustAnswer(t, s)
	var logs []*dfile
	for k := range s.cache.entries {
		logs = append(logs, k.f)
	}
	kept := plaintextOf(slices.Collect(func(yield func(*cachedBlock) bool) {
		for _, e := range s.cache.entries {
			if !yield(e) {
				return
			}
		}
	}))
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	for k := range s.cache.entries {
		if slices.Contains(logs, k.f) {
			t.Errorf("a compacted log's block is still cached")
		}
	}
	for _, f := range logs {
		if f.seg || f.fh != nil || s.keys.cache[f.kid] != nil || s.keys.aeads[f.kid] != nil {
			t.Errorf("%s: its handle or key is still kept", f.path)
		}
	}
	for i, p := range kept {
		if !p.zero() {
			t.Errorf("block %d's plaintext was not zeroed", i)
		}
	}
	mustAnswer(t, s)
	for k := range s.cache.entries {
		if !k.f.seg {
			t.Errorf("%s: a log cached after compaction", k.f.path)
		}
	}
}

// Close zeroes and drops everything lookups kept: blocks, keys, handles,
// buffers.
func TestCloseDropsWhatLookupsKept(t *testing.T) {
	x := newLookupFixture(t)
	s := x.s
	mustAnswer(t, s)
	var kept []plaintext
	var files []*dfile
	for k, e := range s.cache.entries {
		kept = append(kept, plaintextOf([]*cachedBlock{e})...)
		files = append(files, k.f)
	}
	keys := slices.Collect(func(yield func([]byte) bool) {
		for _, k := range s.keys.cache {
			if !yield(k) {
				return
			}
		}
	})
	if len(kept) == 0 || len(keys) == 0 {
		t.Fatal("nothing kept")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if len(s.cache.entries) != 0 || s.cache.size != 0 || len(s.files) != 0 || s.keys.cache != nil || s.keys.aeads != nil {
		t.Errorf("kept after close: %d blocks, %d files, keys %v", len(s.cache.entries), len(s.files), s.keys.cache != nil)
	}
	for _, f := range files {
		if f.fh != nil {
			t.Errorf("%s: still open", f.path)
		}
	}
	for i, p := range kept {
		if !p.zero() {
			t.Errorf("block %d's plaintext was not zeroed", i)
		}
	}
	for _, k := range keys {
		if slices.ContainsFunc(k, func(b byte) bool { return b != 0 }) {
			t.Error("a key was not zeroed")
		}
	}
	if _, err := s.answer(samplePublic, 40312, sampleAt); !errors.Is(err, ErrClosed) {
		t.Errorf("a lookup after close: %v", err)
	}
}

// A lifted hold answers no lookup: what lookups kept of its records goes
// when it is lifted.
func TestLiftedHoldDropped(t *testing.T) {
	x := newLookupFixture(t)
	h, err := x.s.PlaceHold("2026-0042", []HoldTarget{{Prefix: netip.PrefixFrom(samplePublic, 32)}}, ts("2026-10-29T21:00:00+01:00"), ts("2026-10-29T22:00:00+01:00"))
	if err != nil {
		t.Fatal(err)
	}
	x.f.clock.Set(day("2027-12-30"))
	if _, err := x.s.Purge(); err != nil {
		t.Fatal(err)
	}
	ans, err := x.s.Lookup(x.reg, Request{Ref: x.wo.Ref, By: "tech-1", Addr: samplePublic, Port: 40312, At: sampleAt}, "alice")
	if err != nil || len(ans.Candidates) != 1 || ans.Candidates[0].Held != h.ID {
		t.Fatalf("%+v, %v", ans, err)
	}
	kept := plaintextOf(cachedOf(x.s, string(h.ID)))
	if len(kept) == 0 {
		t.Fatal("the hold's records were not cached")
	}
	if err := x.s.LiftHold(h.ID, "2026-0042"); err != nil {
		t.Fatal(err)
	}
	if x.s.cache.holds(string(h.ID)) || len(cachedOf(x.s, string(h.ID))) > 0 {
		t.Error("a lifted hold's records are still cached")
	}
	for i, p := range kept {
		if !p.zero() {
			t.Errorf("block %d's plaintext was not zeroed", i)
		}
	}
}

// Cached blocks were authenticated when read. A segment altered on disk
// afterwards still answers from memory until Verify — which reads the
// disk — names the change and drops what was cached of the file: the
// next lookup reads the disk and refuses the altered block. Restored,
// it answers again; a file replaced by another of the same name is
// opened anew.
func TestTamperAfterCaching(t *testing.T) {
	x := newLookupFixture(t)
	s := x.s
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	mustAnswer(t, s)
	seg, _ := filepath.Glob(filepath.Join(x.f.dir, scopesDir, "2026-10-29.mappings", segPrefix+"*"))
	if len(seg) != 1 {
		t.Fatalf("segments %v", seg)
	}
	_, l, err := readSegmentLayout(seg[0])
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(seg[0])
	if err != nil {
		t.Fatal(err)
	}
	flipped := slices.Clone(data)
	flipped[l.blocks[0].off+l.blocks[0].n-5] ^= 0x20 // in the sealed records
	if err := os.WriteFile(seg[0], flipped, 0o600); err != nil {
		t.Fatal(err)
	}
	mustAnswer(t, s) // from memory, as authenticated when read
	if _, err := s.Verify(); !errors.Is(err, ErrTampered) {
		t.Fatalf("verify: %v", err)
	}
	if len(cachedOf(s, "2026-10-29.mappings")) > 0 {
		t.Error("the altered file's blocks are still cached")
	}
	if _, err := s.answer(samplePublic, 40312, sampleAt); !errors.Is(err, ErrTampered) {
		t.Fatalf("a lookup after verify: %v", err)
	}
	if len(cachedOf(s, "2026-10-29.mappings")) > 0 {
		t.Error("an altered block was cached")
	}
	if err := os.WriteFile(seg[0], data, 0o600); err != nil {
		t.Fatal(err)
	}
	mustAnswer(t, s)
	// Replaced by a copy: a file of its own, opened anew after Verify.
	old := s.files[seg[0]]
	if old == nil || old.fh == nil {
		t.Fatal("the segment is not open")
	}
	tmp := seg[0] + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, seg[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	if old.fh != nil || s.files[seg[0]] == old {
		t.Error("a replaced file's handle is still used")
	}
	mustAnswer(t, s)
}

// A block read from the disk leaves nothing of its plaintext in the
// buffers that read it, nor in the decompressor's window.
func TestInflaterWiped(t *testing.T) {
	x := newLookupFixture(t)
	x.s.cfg.CacheBytes = -1
	x.s.cache.max = 0
	mustAnswer(t, x.s)
	if _, err := x.s.Verify(); err != nil { // reads with the Store's other buffers
		t.Fatal(err)
	}
	if len(x.s.ins) == 0 || len(x.s.spares) == 0 {
		t.Fatal("no block was read")
	}
	nonzero := func(b []byte) bool { return slices.ContainsFunc(b, func(c byte) bool { return c != 0 }) }
	for k, in := range append([]*inflater{&x.s.in}, x.s.ins...) {
		if in.zr == nil || cap(in.plain) == 0 || cap(in.z) == 0 {
			t.Fatalf("buffers %d read no block", k)
		}
		if nonzero(in.z[:cap(in.z)]) || nonzero(in.plain[:cap(in.plain)]) {
			t.Errorf("plaintext left in buffers %d", k)
		}
		// The window is compress/flate's own; read it where it is.
		hist := reflect.ValueOf(in.zr).Elem().FieldByName("dict")
		if hist.IsValid() {
			hist = hist.FieldByName("hist")
		}
		if !hist.IsValid() || hist.Kind() != reflect.Slice {
			t.Skip("compress/flate keeps its window elsewhere in this Go")
		}
		for i := range hist.Len() {
			if hist.Index(i).Uint() != 0 {
				t.Fatalf("plaintext left in decompressor %d's window", k)
			}
		}
	}
	for _, p := range x.s.spares {
		if !(plaintext{recs: p.recs, hashes: p.hashes, subs: p.subs[:cap(p.subs)]}).zero() {
			t.Error("plaintext left in a block read with no cache")
		}
	}
	if len(x.s.cache.entries) != 0 || len(x.s.bv.rows) != 0 {
		t.Error("a disabled cache kept blocks")
	}
	for _, r := range x.s.bv.rows[:cap(x.s.bv.rows)] {
		if r != (row{}) {
			t.Error("a record left in the rows' buffer")
		}
	}
}

// A need-to-know lookup reads through the same cache: the refused one
// caches nothing.
func TestRefusedLookupCachesNothing(t *testing.T) {
	x := newLookupFixture(t)
	if _, err := x.s.Lookup(x.reg, Request{Ref: x.wo.Ref, By: "tech-1", Addr: samplePublic, Port: 40313, At: sampleAt}, "alice"); !errors.Is(err, ErrNotAuthorised) {
		t.Fatalf("another port: %v", err)
	}
	if _, err := x.s.Lookup(x.reg, Request{Ref: register.Ref("made-up"), By: "tech-1", Addr: samplePublic, Port: 40312, At: sampleAt}, "alice"); !errors.Is(err, ErrNotAuthorised) {
		t.Fatalf("a made-up order: %v", err)
	}
	if len(x.s.cache.entries) != 0 || x.s.cache.misses != 0 {
		t.Errorf("a refused lookup read %d blocks", x.s.cache.misses)
	}
}
