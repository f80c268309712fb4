package register

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/timesync"
)

// Checkpoint is a signed statement that a journal, identified by its
// header, had a given record with a given hash at a given time. An
// auditor holding a copy of the journal checks it with [Checkpoint.Check]
// — without the keys that decrypt the records, since the chain covers the
// payloads as stored. Kept outside the register's directory (an
// [Anchors] store on each member's machine), checkpoints make a journal
// cut short, or replaced by an older backup, detectable: it no longer
// holds what was signed.
type Checkpoint struct {
	Journal [16]byte           `json:"journal"`
	Seq     uint64             `json:"seq"`
	Hash    Hash               `json:"hash"`
	At      timesync.Timestamp `json:"at"`
	// Signer is the public key that signed: a member's signing key, which
	// the register's roster names.
	Signer    ed25519.PublicKey `json:"signer"`
	Signature []byte            `json:"signature"`
}

// ErrCheckpoint is wrapped by the errors of checkpoints.
var ErrCheckpoint = errors.New("register: checkpoint does not verify")

// MarshalText writes a hash in hexadecimal.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads a hash in hexadecimal.
func (h *Hash) UnmarshalText(b []byte) error {
	if len(b) != 2*hashSize {
		return fmt.Errorf("%w: a hash is %d hexadecimal digits", ErrCheckpoint, 2*hashSize)
	}
	_, err := hex.Decode(h[:], b)
	if err != nil {
		return fmt.Errorf("%w: a hash is %d hexadecimal digits", ErrCheckpoint, 2*hashSize)
	}
	return nil
}

func checkpointMessage(cp Checkpoint) []byte {
	m := []byte("ccjkit journal checkpoint v2\x00")
	m = append(m, cp.Journal[:]...)
	m = binary.BigEndian.AppendUint64(m, cp.Seq)
	m = append(m, cp.Hash[:]...)
	return binary.BigEndian.AppendUint64(m, uint64(cp.At.Unix()))
}

// Sign returns a checkpoint of the last of recs (a journal's records, read
// with [Verify]) at instant at, signed with key.
func Sign(recs []Record, at timesync.Timestamp, key ed25519.PrivateKey) (Checkpoint, error) {
	if len(recs) == 0 || recs[0].Kind != headerKind || len(recs[0].Payload) != 16 {
		return Checkpoint{}, fmt.Errorf("%w: no journal header", ErrCheckpoint)
	}
	if len(key) != ed25519.PrivateKeySize {
		return Checkpoint{}, fmt.Errorf("%w: not an ed25519 private key", ErrCheckpoint)
	}
	last := recs[len(recs)-1]
	cp := Checkpoint{Seq: last.Seq, Hash: last.Hash, At: at, Signer: key.Public().(ed25519.PublicKey)}
	copy(cp.Journal[:], recs[0].Payload)
	cp.Signature = ed25519.Sign(key, checkpointMessage(cp))
	return cp, nil
}

// Check verifies cp's signature by cp.Signer and that recs — a copy of the
// journal, already chain-verified by [Verify] — is that journal and holds
// record cp.Seq with hash cp.Hash. Whether cp.Signer may vouch for the
// journal is the caller's to decide ([AuditRecords] lists the members'
// keys).
func (cp Checkpoint) Check(recs []Record) error {
	if len(cp.Signer) != ed25519.PublicKeySize || !ed25519.Verify(cp.Signer, checkpointMessage(cp), cp.Signature) {
		return fmt.Errorf("%w: bad signature", ErrCheckpoint)
	}
	if len(recs) == 0 || !bytes.Equal(recs[0].Payload, cp.Journal[:]) {
		return fmt.Errorf("%w: the copy is another journal", ErrCheckpoint)
	}
	if cp.Seq >= uint64(len(recs)) {
		return fmt.Errorf("%w: the journal stops at record %d, before record %d, which a checkpoint of %s vouches for (cut short, or an older copy)", ErrCheckpoint, len(recs)-1, cp.Seq, cp.At)
	}
	if recs[cp.Seq].Hash != cp.Hash {
		return fmt.Errorf("%w: record %d differs from the one a checkpoint of %s vouches for", ErrCheckpoint, cp.Seq, cp.At)
	}
	return nil
}

// VerifyCheckpoint checks that cp was signed by pub and holds for recs
// (see [Checkpoint.Check]).
func VerifyCheckpoint(pub ed25519.PublicKey, cp Checkpoint, recs []Record) error {
	if !bytes.Equal(pub, cp.Signer) {
		return fmt.Errorf("%w: bad signature", ErrCheckpoint)
	}
	return cp.Check(recs)
}

// Checkpoint signs a checkpoint of the register's journal as it stands on
// disk — read under the shared lock, so it writes nothing, and a torn
// tail is left where it is — with the identity's key.
func (r *Register) Checkpoint() (Checkpoint, error) {
	recs, err := Verify(r.j.path)
	if err != nil && !IsTornTail(err) {
		return Checkpoint{}, err
	}
	return Sign(recs, timesync.Now(r.cfg.Clock), r.cfg.Identity.sign)
}

// Anchors keeps the latest checkpoints of journals in a directory outside
// the register's — on each member's own machine — so that the register
// cannot be cut short or rolled back to an older copy without its next
// verification noticing. The zero value is not usable; give a directory.
type Anchors struct {
	// Dir holds one file per journal, named by the journal's identity.
	Dir string
	// Keep is how many of the latest checkpoints each file keeps; 0 means
	// 16.
	Keep int
}

func (a Anchors) file(id [16]byte) string {
	return filepath.Join(a.Dir, fmt.Sprintf("%x.checkpoints.json", id[:]))
}

// Load returns the checkpoints kept for journal id, oldest first; none is
// not an error.
func (a Anchors) Load(id [16]byte) ([]Checkpoint, error) {
	b, err := os.ReadFile(a.file(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cps []Checkpoint
	if err := decodeStrict(b, &cps); err != nil {
		return nil, fmt.Errorf("%w: the anchor file does not decode", ErrCheckpoint)
	}
	return cps, nil
}

// Save adds cp to the journal's anchor file (durably: written aside,
// synced, renamed), keeping the latest by sequence number. It refuses a
// checkpoint whose signature does not verify, and one that contradicts a
// checkpoint already kept — same record, another hash — which is a fork
// or a rollback.
func (a Anchors) Save(cp Checkpoint) error {
	if a.Dir == "" {
		return fmt.Errorf("%w: no anchor directory", ErrConfig)
	}
	if len(cp.Signer) != ed25519.PublicKeySize || !ed25519.Verify(cp.Signer, checkpointMessage(cp), cp.Signature) {
		return fmt.Errorf("%w: bad signature", ErrCheckpoint)
	}
	if err := os.MkdirAll(a.Dir, 0o700); err != nil {
		return err
	}
	cps, err := a.Load(cp.Journal)
	if err != nil {
		return err
	}
	for _, old := range cps {
		if old.Seq == cp.Seq && old.Hash != cp.Hash {
			return fmt.Errorf("%w: record %d was signed with another hash before (a fork or a rollback)", ErrCheckpoint, cp.Seq)
		}
	}
	cps = append(cps, cp)
	slices.SortStableFunc(cps, func(x, y Checkpoint) int {
		if x.Seq != y.Seq {
			return cmpUint(x.Seq, y.Seq)
		}
		return x.At.Compare(y.At)
	})
	cps = slices.CompactFunc(cps, func(x, y Checkpoint) bool { return x.Seq == y.Seq && bytes.Equal(x.Signer, y.Signer) })
	keep := a.Keep
	if keep <= 0 {
		keep = 16
	}
	if len(cps) > keep {
		cps = cps[len(cps)-keep:]
	}
	b, err := json.MarshalIndent(cps, "", "  ")
	if err != nil {
		return err
	}
	return durable.WriteFile(a.file(cp.Journal), append(b, '\n'), 0o600)
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CheckAnchors verifies a journal's records against every checkpoint kept
// for it, and returns an error naming each one that does not hold.
func (a Anchors) CheckAnchors(recs []Record) ([]Checkpoint, error) {
	if len(recs) == 0 {
		return nil, fmt.Errorf("%w: no journal", ErrCheckpoint)
	}
	var id [16]byte
	copy(id[:], recs[0].Payload)
	cps, err := a.Load(id)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, cp := range cps {
		if err := cp.Check(recs); err != nil {
			errs = append(errs, err)
		}
	}
	return cps, errors.Join(errs...)
}

// CheckPath verifies the journal at path (a torn tail allowed) against the
// checkpoints kept for it.
func (a Anchors) CheckPath(path string) error {
	recs, err := Verify(path)
	if err != nil && !IsTornTail(err) {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a journal yet to be created
		}
		return err
	}
	_, err = a.CheckAnchors(recs)
	return err
}
