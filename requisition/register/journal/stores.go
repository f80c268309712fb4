package journal

import (
	"crypto/ed25519"
	"fmt"

	"github.com/ccjkit/ccjkit/timesync"
)

// What a Store kept outside this package needs: a [Tx] to hand to the
// function given to Update, the records it staged sealed into frames
// exactly as the file journal writes them, and frames read back checked
// as the file journal checks its own. A store that uses these holds the
// same bytes as a file journal would — [Scan] reads them concatenated,
// and checkpoints are interchangeable — and cannot frame, chain or sign
// a record differently.

// ChainState is where a chain of records stands: the number of the next
// record, the hash of the last one (zero before the header), and whether
// a signed record was seen (unsigned ones may then not follow). The zero
// value is an empty journal, before its header.
type ChainState struct {
	// Next is the number of the next record: the count of records read.
	Next uint64
	// Last is the hash of the last record read, the next one's Prev.
	Last Hash
	// Signed reports that a signed record was read.
	Signed bool
}

func (s ChainState) chain() chain { return chain{seq: s.Next, prev: s.Last, signed: s.Signed} }

func stateOf(c chain) ChainState { return ChainState{Next: c.seq, Last: c.prev, Signed: c.signed} }

// NewTx returns the Tx a store hands to the function given to its
// Update, once it holds the journal exclusively: the records fn stages
// are numbered from next (the chain's [ChainState.Next]) and timed by
// clock; foreign are the records other writers appended since the store
// last looked, handed over by [Tx.Foreign]; read, called by [Tx.Records],
// returns every record up to what the store has seen. After fn, the
// store seals what was staged with [Seal], and keeps for its next Refresh
// the foreign records fn never asked for ([Tx.Unread]).
func NewTx(clock timesync.Clock, next uint64, foreign []Record, read func() ([]Record, error)) *Tx {
	return &Tx{clock: clock, read: read, next: next, foreign: foreign}
}

// Unread returns the foreign records the function given to Update never
// asked for with [Tx.Foreign] — nil once it did. A store that writes
// nothing, or fails, keeps them for its next Refresh or Update, as the
// file journal does.
func (tx *Tx) Unread() []Record {
	if tx.consumed {
		return nil
	}
	return tx.foreign
}

// Len returns how many records are staged.
func (tx *Tx) Len() int { return len(tx.staged) }

// CheckRecord reports whether a record of this kind and payload may be
// appended: an error wrapping [ErrRecord] says why not (a kind the journal
// keeps for itself, too long, a payload over [MaxPayload]). A store
// checks each append with it before queueing it for a group commit.
func CheckRecord(kind string, payload []byte) error { return checkRecord(kind, payload) }

// Seal chains, signs (with signer, when not nil) and frames what tx
// staged, after the chain at state: it returns each record's frame —
// byte for byte what the file journal writes — the records with their
// hashes, signatures and [Record.Follows] (each signed record counting
// those of the same write after it), and the state after them. Nothing
// is written: the store writes the frames in one transaction.
func Seal(tx *Tx, state ChainState, signer ed25519.PrivateKey) ([][]byte, []Record, ChainState) {
	frames := make([][]byte, len(tx.staged))
	out := make([]Record, len(tx.staged))
	c := state.chain()
	for i, r := range tx.staged {
		r.Seq, r.Prev = c.seq, c.prev
		if signer != nil {
			r.Follows = uint32(len(tx.staged) - 1 - i)
		}
		frames[i] = r.frame(signer)
		c = chain{seq: c.seq + 1, prev: r.Hash, signed: c.signed || signer != nil}
		out[i] = r
	}
	return frames, out, stateOf(c)
}

// SealHeader returns the frame and the record of a new journal's header
// (record 0): its identity id, timed at, signed with signer when not nil.
func SealHeader(id [16]byte, at timesync.Timestamp, signer ed25519.PrivateKey) ([]byte, Record) {
	hdr := Record{Seq: 0, Time: at, Kind: headerKind, Payload: id[:]}
	fr := hdr.frame(signer)
	return fr, hdr
}

// ReadFrames checks frames — each exactly one record's frame, as [Seal]
// makes them — as the records that follow the chain at state (a state at
// the end of a write: never inside a write of several records), with the
// checks [ReadRecords] makes: hash, framing, number, link, signature,
// whole writes. It returns the records, which own their bytes, the state
// after them and nil; or the records before the first bad frame, the
// state after them, and a [*CorruptError] naming the bad record (its
// Offset counts the bytes of the frames before it). The frames must end
// with a whole write: a store that commits a write at once never shows
// part of one, so a write of several records cut short here is
// corruption, not a torn tail.
func ReadFrames(state ChainState, frames [][]byte) ([]Record, ChainState, error) {
	k := checker{c: state.chain()}
	out := make([]Record, 0, len(frames))
	// The write under way: the state and the count of records before it.
	startC, startN := k.c, 0
	off := int64(0)
	for _, fr := range frames {
		if k.pending == 0 {
			startC, startN = k.c, len(out)
		}
		n, signed, complete, why := frameAt(fr)
		if why == "" && (!complete || len(fr) != frameHeader+n+hashSize) {
			why = fmt.Sprintf("a stored frame of %d bytes that is not one whole record", len(fr))
		}
		if why == "" {
			var r Record
			if r, why = k.next(fr, n, signed); why == "" {
				out = append(out, r.clone())
				off += int64(len(fr))
				continue
			}
		}
		return out, stateOf(k.c), &CorruptError{Seq: k.c.seq, Offset: off, Reason: why}
	}
	if k.pending > 0 {
		return out[:startN], stateOf(startC), &CorruptError{Seq: startC.seq, Offset: off,
			Reason: fmt.Sprintf("a write of several records stops after %d of them (a store commits a write whole: records were removed)", k.c.seq-startC.seq)}
	}
	return out, stateOf(k.c), nil
}

// SignHash signs, with key, a checkpoint of journal id vouching that its
// record seq has hash h, at the instant at: what [Sign] signs for the
// last of a journal's records, for a store that checked its records as
// it streamed them rather than holding them all.
func SignHash(id [16]byte, seq uint64, h Hash, at timesync.Timestamp, key ed25519.PrivateKey) (Checkpoint, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Checkpoint{}, fmt.Errorf("%w: not an ed25519 private key", ErrCheckpoint)
	}
	cp := Checkpoint{Journal: id, Seq: seq, Hash: h, At: at, Signer: key.Public().(ed25519.PublicKey)}
	cp.Signature = ed25519.Sign(key, checkpointMessage(cp))
	return cp, nil
}
