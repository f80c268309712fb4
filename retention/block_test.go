package retention

import (
	"slices"
	"testing"

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
