package retention

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// A block's records decode to what was encoded, convert back to the
// values ingested, and each has a Merkle proof of inclusion in the
// block's root — which fails for any other record or root.
func TestBlockRoundTrip(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		as := rapid.SliceOfN(genAssignment(), 1, 300).Draw(rt, "assignments")
		ms := rapid.SliceOfN(genMapping(), 1, 300).Draw(rt, "mappings")
		key := make([]byte, keySize)
		aead, _ := newAEAD(key)
		aad := blockAAD("2026-10-29.assignments", "0123456789abcdef")
		for _, c := range Classes() {
			var rows []row
			if c == ClassAssignments {
				for _, a := range as {
					rows = append(rows, rowOfAssignment(a))
				}
			} else {
				for _, m := range ms {
					rows = append(rows, rowOfMapping(m))
				}
			}
			b, h, err := sealBlockWith(aead, aad, c, rows)
			if err != nil {
				rt.Fatal(err)
			}
			h2, err := openHeader(aead, aad, b)
			if err != nil || h2.Root != h.Root || h2.Count != len(rows) {
				rt.Fatalf("header: %v", err)
			}
			got, err := openRows(aead, aad, b, h2)
			if err != nil || !verifyRoot(h2, got) {
				rt.Fatalf("rows: %v", err)
			}
			ls := leaves(c, got)
			for i := range got {
				if !sameRecord(&got[i], &rows[i]) {
					rt.Fatalf("record %d: %+v, want %+v", i, got[i], rows[i])
				}
				var leaf [32]byte
				if c == ClassAssignments {
					if got[i].assignment() != as[i] {
						rt.Fatalf("assignment %d does not convert back", i)
					}
					leaf = LeafOfAssignment(as[i])
				} else {
					m := got[i].mapping()
					if m != ms[i] {
						rt.Fatalf("mapping %d does not convert back", i)
					}
					leaf = LeafOfMapping(m)
				}
				if leaf != ls[i] {
					rt.Fatalf("leaf %d differs", i)
				}
				p := proofOf(ls, i)
				if !VerifyProof(leaf, p, h.Root) || !VerifyProof(leaf, proveIn(h2, got, i), h.Root) {
					rt.Fatalf("the proof of record %d does not verify", i)
				}
				other := ls[(i+1)%len(ls)]
				if other != leaf && VerifyProof(other, p, h.Root) {
					rt.Fatalf("the proof of record %d verifies another record", i)
				}
			}
			if _, err := openRows(aead, blockAAD("2026-10-30.assignments", "0123456789abcdef"), b, h2); err == nil {
				rt.Fatal("a block opened under another period's binding")
			}
		}
	})
}

// The proofs read from a Merkle tree kept in preorder (what the block
// cache keeps) are the proofs computed from the leaves, for every size
// and leaf, and its first node is the root.
func TestProofFromTree(t *testing.T) {
	for n := 1; n <= 300; n++ {
		ls := make([][32]byte, n)
		for i := range ls {
			ls[i][0], ls[i][1] = byte(i), byte(i>>8)
		}
		tree := merkleTree(ls)
		if len(tree) != 2*n-1 || tree[0] != merkleRoot(ls) {
			t.Fatalf("%d leaves: the tree's root or size is wrong", n)
		}
		for i := range n {
			want, got := proofOf(ls, i), proofFromTree(tree, n, i)
			if got.Index != want.Index || got.Count != want.Count || !slices.Equal(got.Path, want.Path) {
				t.Fatalf("%d leaves, leaf %d: %v, want %v", n, i, got, want)
			}
		}
	}
}

// sortRows orders rows as compareRows does, whatever their runs,
// families, prefixes, ports and starts, duplicates included.
func TestSortRows(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var rows []row
		for _, a := range rapid.SliceOfN(genAssignment(), 0, 60).Draw(rt, "assignments") {
			rows = append(rows, rowOfAssignment(a))
		}
		for _, m := range rapid.SliceOfN(genMapping(), 0, 60).Draw(rt, "mappings") {
			rows = append(rows, rowOfMapping(m))
		}
		for i := range rows {
			rows[i].run = uint8(rapid.IntRange(0, 2).Draw(rt, "run"))
		}
		if len(rows) > 0 {
			rows = append(rows, rows[rapid.IntRange(0, len(rows)-1).Draw(rt, "duplicate")])
		}
		want := slices.Clone(rows)
		slices.SortFunc(want, func(a, b row) int { return compareRows(&a, &b) })
		sortRows(rows)
		if !slices.Equal(rows, want) {
			rt.Fatal("sortRows and compareRows disagree")
		}
	})
}

// A block's records are encoded, and its header made, byte for byte as
// the store always wrote them: the hashes below were computed before the
// sealer reused its memory from block to block (and sortRows became a
// radix sort). A change of the format must be a new version, read beside
// this one, never a change of these.
func TestBlockEncodingUnchanged(t *testing.T) {
	want := map[string]string{
		"assignments 256 header":  "f69a73cfa2d3a3d8b535db57176bb92de335c93d1294f154baff0ba9475e4697",
		"assignments 256 records": "f5575f8d5d051b0bca98f53f36b6eedebef9142d8d55511bebaeef9589930c1c",
		"assignments 701 header":  "6ba1406265648b77f86a91673cdde871564054a179becac0d51661868355f195",
		"assignments 701 records": "80f826abb99c592afc83ddd48d75864538b5046997f8a5c65371bba79f122ce1",
		"mappings 256 header":     "2998fd431751211754b72b93defbdb2e779c3b8f81b29a53c42cb9a5969af4c4",
		"mappings 256 records":    "601fd6a5b417d86e43618bb473da17d0fdcbb982c6421d53e6ea001b0ec6052a",
		"mappings 701 header":     "c8a550f27b56dbbd428180853044480946605d8c4f94e2023d1b51436c77ccdb",
		"mappings 701 records":    "0d4e66a19143388ad64d496b1cf5b6c1aa533ef4aa3804eef71bac49af3f5c1d",
	}
	var sl sealer // one, from block to block, as ingest uses it
	for _, c := range Classes() {
		rows := goldenRows(c)
		for _, part := range [][]row{rows[:256], rows} {
			h := sl.header(c, part)
			got := map[string][]byte{"header": h.encode(), "records": sl.encodeRows(c, part)}
			for what, b := range got {
				name := fmt.Sprintf("%v %d %s", c, len(part), what)
				if sum := fmt.Sprintf("%x", sha256.Sum256(b)); sum != want[name] {
					t.Errorf("%s: SHA-256 %s, want %s", name, sum, want[name])
				}
			}
		}
	}
}

// goldenRows is a fixed set of records of class c, made without a
// random source: both families, open and closed records, evidence
// hashes, port ranges, several devices and clock verdicts, records that
// share a key, and a duplicate.
func goldenRows(c Class) []row {
	var rows []row
	devs := []string{"cgnat-1", "nas-2", "dhcp-3"}
	for i := range 700 {
		r := row{first: uint16(1024 + i*37%60000), from: 1_793_000_000 + int64(i*7919%86400), kind: SourceKind(1 + i%5),
			dev: devs[i%3], clock: Clock{Synchronised: i%4 != 0, ToTheSecond: i%3 != 0, ErrorBound: time.Duration(i%5) * time.Millisecond}}
		r.last = r.first + uint16(i%3)
		if i%11 != 0 {
			r.until = r.from + int64(1+i%600)
		}
		if i%5 == 0 {
			r.addr = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i >> 8), byte(i), 15: byte(i * 3)}).As16()
			r.bits = 128
		} else {
			r.addr, r.is4 = netip.AddrFrom4([4]byte{198, 51, 100, byte(i % 64)}).As16(), true
			r.bits = 32
		}
		if c == ClassAssignments {
			r.sub = Subscriber(fmt.Sprintf("C-%06d", i%97))
			if i%2 == 0 {
				r.hash, r.hasHash = sha256.Sum256([]byte{byte(i), byte(i >> 8)}), true
			}
			if r.is4 && i%7 == 0 {
				r.bits = 30
				r.addr[15] &^= 3
			}
		} else {
			r.inside4 = i%6 != 0
			if r.inside4 {
				r.inside = netip.AddrFrom4([4]byte{100, 64, byte(i >> 8), byte(i)}).As16()
			} else {
				r.inside = netip.AddrFrom16([16]byte{0xfd, 15: byte(i)}).As16()
			}
			r.insidePort, r.proto = uint16(i*7919), uint8(6+i%2*11)
		}
		if i%50 == 0 {
			r.first, r.last = 0, 0 // every port
		}
		if i%97 == 1 {
			r.first, r.last = 7, 3 // kept exactly, though valid input never has it
		}
		rows = append(rows, r)
	}
	rows = append(rows, rows[17])
	sortRows(rows)
	return rows
}

// sortRows orders rows as compareRows does in each of its ways: keys
// packed and radix-sorted (over several digits, with equal keys),
// keys too wide for that, and rows in order already.
func TestSortRowsWays(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	_, ms := benchDay(0)
	var v4, v6 []row
	for i := range 20000 {
		v4 = append(v4, rowOfMapping(ms[i]))
		m := ms[i]
		var a [16]byte // spread over the whole space: keys too wide to pack
		binary.BigEndian.PutUint64(a[:], rng.Uint64()>>1|1<<62)
		binary.BigEndian.PutUint64(a[8:], rng.Uint64()|1<<63)
		if i%3 == 2 {
			a = v6[i/2].addr // keys shared
		}
		m.Public = netip.AddrFrom16(a)
		v6 = append(v6, rowOfMapping(m))
	}
	for i := range 300 { // records of the same key, some the same record
		r := v4[i]
		r.until += int64(i % 3)
		v4 = append(v4, r)
	}
	for i := range 50 {
		v4[i+1000].run = uint8(i % 3)
	}
	for name, rows := range map[string][]row{"radix": v4, "wide": v6, "small, by comparison": v4[:40], "radix at the cutoff": slices.Clone(v4[:smallSort]), "golden": goldenRows(ClassMappings)} {
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		want := slices.Clone(rows)
		slices.SortFunc(want, func(a, b row) int { return compareRows(&a, &b) })
		got := slices.Clone(rows)
		sortRows(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: sortRows and compareRows disagree", name)
		}
		sortRows(got) // in order already
		if !slices.Equal(got, want) {
			t.Errorf("%s: sortRows moved rows in order", name)
		}
	}
	var o rowOrder // one, from sort to sort, as ingest uses it
	for _, n := range []int{5000, 70, 12000, 1} {
		rows := slices.Clone(v4[:n])
		want := slices.Clone(rows)
		slices.SortFunc(want, func(a, b row) int { return compareRows(&a, &b) })
		o.sortRows(rows)
		if !slices.Equal(rows, want) {
			t.Errorf("%d rows, a rowOrder reused: sortRows and compareRows disagree", n)
		}
	}
}
