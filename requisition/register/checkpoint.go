package register

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
)

// Checkpoint is a signed statement that a journal, identified by its
// header, had a given record with a given hash. An auditor holding the
// public key and a copy of the journal verifies both with
// [VerifyCheckpoint] — without the keys that decrypt the records, since the
// chain covers the payloads as stored.
type Checkpoint struct {
	Journal   [16]byte `json:"journal"`
	Seq       uint64   `json:"seq"`
	Hash      Hash     `json:"hash"`
	Signature []byte   `json:"signature"`
}

// ErrCheckpoint is wrapped by the errors of [VerifyCheckpoint].
var ErrCheckpoint = errors.New("register: checkpoint does not verify")

func checkpointMessage(id [16]byte, seq uint64, h Hash) []byte {
	m := []byte("ccjkit journal checkpoint v1\x00")
	m = append(m, id[:]...)
	m = binary.BigEndian.AppendUint64(m, seq)
	return append(m, h[:]...)
}

// Sign returns a checkpoint of the last of recs (a journal's records, read
// with [Verify]) signed with key.
func Sign(recs []Record, key ed25519.PrivateKey) (Checkpoint, error) {
	if len(recs) == 0 || recs[0].Kind != headerKind || len(recs[0].Payload) != 16 {
		return Checkpoint{}, fmt.Errorf("%w: no journal header", ErrCheckpoint)
	}
	if len(key) != ed25519.PrivateKeySize {
		return Checkpoint{}, fmt.Errorf("%w: not an ed25519 private key", ErrCheckpoint)
	}
	last := recs[len(recs)-1]
	cp := Checkpoint{Seq: last.Seq, Hash: last.Hash}
	copy(cp.Journal[:], recs[0].Payload)
	cp.Signature = ed25519.Sign(key, checkpointMessage(cp.Journal, cp.Seq, cp.Hash))
	return cp, nil
}

// VerifyCheckpoint checks that cp was signed by pub and that recs — a copy
// of the journal, already chain-verified by [Verify] — is that journal and
// holds record cp.Seq with hash cp.Hash.
func VerifyCheckpoint(pub ed25519.PublicKey, cp Checkpoint, recs []Record) error {
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, checkpointMessage(cp.Journal, cp.Seq, cp.Hash), cp.Signature) {
		return fmt.Errorf("%w: bad signature", ErrCheckpoint)
	}
	if len(recs) == 0 || string(recs[0].Payload) != string(cp.Journal[:]) {
		return fmt.Errorf("%w: the copy is another journal", ErrCheckpoint)
	}
	if cp.Seq >= uint64(len(recs)) {
		return fmt.Errorf("%w: the copy stops before record %d", ErrCheckpoint, cp.Seq)
	}
	if recs[cp.Seq].Hash != cp.Hash {
		return fmt.Errorf("%w: record %d of the copy differs from the one signed", ErrCheckpoint, cp.Seq)
	}
	return nil
}
