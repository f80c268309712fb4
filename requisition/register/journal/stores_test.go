package journal_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// An outside store seals with Seal and SealHeader and reads back with
// ReadFrames: the frames, concatenated, are a journal Scan and
// ReadRecords read; a changed frame, a frame dropped from a write of
// several, and a frame spliced are each named.
func TestSealReadFrames(t *testing.T) {
	clock := timesynctest.NewClock(t0)
	signer := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	hdr, h := journal.SealHeader([16]byte{1, 2, 3}, timesync.Now(clock), signer)
	state := journal.ChainState{Next: 1, Last: h.Hash, Signed: true}
	tx := journal.NewTx(clock, state.Next, nil, nil)
	for _, p := range []string{"a", "b", "c"} {
		if _, err := tx.Append("event", []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	frames, recs, after := journal.Seal(tx, state, signer)
	if after.Next != 4 || after.Last != recs[2].Hash || recs[0].Follows != 2 || recs[0].Prev != h.Hash {
		t.Fatalf("Seal: state %+v, records %+v", after, recs)
	}
	file := bytes.Join(append([][]byte{hdr}, frames...), nil)
	all, _, err := journal.ReadRecords(file)
	if err != nil || len(all) != 4 || all[3].Hash != recs[2].Hash {
		t.Fatalf("the sealed frames do not read as a journal: %d records, %v", len(all), err)
	}
	got, st, err := journal.ReadFrames(state, frames)
	if err != nil || len(got) != 3 || st != after {
		t.Fatalf("ReadFrames: %d records, %+v, %v", len(got), st, err)
	}
	if got, _, err := journal.ReadFrames(journal.ChainState{}, [][]byte{hdr}); err != nil || len(got) != 1 || !bytes.Equal(got[0].Payload[:3], []byte{1, 2, 3}) {
		t.Fatalf("ReadFrames of the header: %v", err)
	}
	for name, tc := range map[string]struct {
		frames [][]byte
		seq    uint64
		n      int
	}{
		"a changed byte":             {[][]byte{frames[0], flip(frames[1]), frames[2]}, 2, 1},
		"a write of three cut short": {frames[:2], 1, 0},
		"a frame dropped":            {[][]byte{frames[0], frames[2]}, 2, 1},
		"a frame with bytes after":   {[][]byte{append(bytes.Clone(frames[0]), 0)}, 1, 0},
	} {
		got, _, err := journal.ReadFrames(state, tc.frames)
		var ce *journal.CorruptError
		if !errors.As(err, &ce) || ce.Seq != tc.seq || len(got) != tc.n || journal.IsTornTail(err) {
			t.Errorf("%s: %d records, %v; want record %d named after %d", name, len(got), err, tc.seq, tc.n)
		}
	}
}

func flip(b []byte) []byte {
	b = bytes.Clone(b)
	b[len(b)/2] ^= 1
	return b
}
