package journal

import (
	"bytes"
	"cmp"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
var ErrCheckpoint = errors.New("journal: checkpoint does not verify")

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
	var id [16]byte
	copy(id[:], recs[0].Payload)
	return SignHash(id, last.Seq, last.Hash, at, key)
}

// Check verifies cp's signature by cp.Signer and that recs — a copy of the
// journal, already chain-verified by [Verify] — is that journal and holds
// record cp.Seq with hash cp.Hash. Whether cp.Signer may vouch for the
// journal is the caller's to decide ([AuditRecords] lists the members'
// keys).
func (cp Checkpoint) Check(recs []Record) error {
	if len(recs) == 0 {
		return fmt.Errorf("%w: the copy is another journal", ErrCheckpoint)
	}
	var id [16]byte
	copy(id[:], recs[0].Payload)
	if err := cp.checkFor(id); err != nil {
		return err
	}
	if cp.Seq >= uint64(len(recs)) {
		return cp.cutShort(uint64(len(recs)))
	}
	return cp.checkHash(recs[cp.Seq].Hash)
}

// checkFor checks the checkpoint's signature, and that it is one of the
// journal whose identity is id.
func (cp Checkpoint) checkFor(id [16]byte) error {
	if len(cp.Signer) != ed25519.PublicKeySize || !ed25519.Verify(cp.Signer, checkpointMessage(cp), cp.Signature) {
		return fmt.Errorf("%w: bad signature", ErrCheckpoint)
	}
	if cp.Journal != id {
		return fmt.Errorf("%w: the copy is another journal", ErrCheckpoint)
	}
	return nil
}

// cutShort is the error of a journal of n records that no longer holds
// the record the checkpoint names.
func (cp Checkpoint) cutShort(n uint64) error {
	return fmt.Errorf("%w: the journal stops at record %d, before record %d, which a checkpoint of %s vouches for (cut short, or an older copy)", ErrCheckpoint, int64(n)-1, cp.Seq, cp.At)
}

// checkHash compares the hash of the record the checkpoint names with the
// one it vouches for.
func (cp Checkpoint) checkHash(h Hash) error {
	if h != cp.Hash {
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

// Checkpoint signs, with key, a checkpoint of the first n records of the
// journal (its header included) at the instant at. It makes the file
// durable first — what a writer killed after its write but before its
// sync left is whole in the page cache and not yet on the disk, and a
// power loss would otherwise make the anchors report a loss that never
// was — then reads and checks the file under the shared lock: it writes
// nothing, and a torn tail is left where it is. A journal that holds
// fewer than n records is an error wrapping [ErrCorrupt].
func (j *Journal) Checkpoint(n uint64, at timesync.Timestamp, key ed25519.PrivateKey) (Checkpoint, error) {
	if err := j.f.Datasync(); err != nil {
		return Checkpoint{}, fmt.Errorf("%w: %v", ErrIO, err)
	}
	recs, err := verifyFS(j.fs, j.path)
	if err != nil && !IsTornTail(err) {
		return Checkpoint{}, err
	}
	if uint64(len(recs)) < n {
		return Checkpoint{}, &CorruptError{Seq: uint64(len(recs)), Reason: "the journal is shorter than what its reader read"}
	}
	return Sign(recs[:n], at, key)
}

// Anchors keeps the latest checkpoints of journals in a directory outside
// the register's — on each member's own machine — so that the register
// cannot be cut short or rolled back to an older copy without its next
// verification noticing. The zero value is not usable; give a directory.
type Anchors struct {
	// Dir holds one file per journal, named by the journal's identity.
	Dir string
	// Latest is how many of the latest checkpoints each file keeps; 0
	// means 16.
	Latest int
}

func (a Anchors) file(id [16]byte) string {
	return filepath.Join(a.Dir, fmt.Sprintf("%x.checkpoints.json", id[:]))
}

// Load returns the checkpoints kept for journal id, oldest first; none is
// not an error.
func (a Anchors) Load(id [16]byte) ([]Checkpoint, error) {
	if a.Dir == "" {
		return nil, fmt.Errorf("%w: no anchor directory", ErrConfig)
	}
	b, err := readBounded(a.file(id))
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
			return cmp.Compare(x.Seq, y.Seq)
		}
		return x.At.Compare(y.At)
	})
	cps = slices.CompactFunc(cps, func(x, y Checkpoint) bool { return x.Seq == y.Seq && bytes.Equal(x.Signer, y.Signer) })
	keep := a.Latest
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

// location is what an anchor directory remembers of a register's place:
// which journal it last saw there.
type location struct {
	Journal string `json:"journal"`
	Seq     uint64 `json:"seq"`
}

func (a Anchors) locations() (map[string]location, error) {
	if a.Dir == "" {
		return nil, fmt.Errorf("%w: no anchor directory", ErrConfig)
	}
	b, err := readBounded(filepath.Join(a.Dir, "locations.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]location{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]location{}
	if err := decodeStrict(b, &m); err != nil {
		return nil, fmt.Errorf("%w: the anchors' locations file does not decode", ErrCheckpoint)
	}
	return m, nil
}

// place is path made absolute, with its directory's symbolic links
// resolved: the name under which a register is remembered.
func place(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

// Keep saves cp ([Anchors.Save]) and remembers that the register at path
// is that journal, so that [Anchors.CheckPath] notices if it disappears
// or is replaced by another one.
func (a Anchors) Keep(path string, cp Checkpoint) error {
	if err := a.Save(cp); err != nil {
		return err
	}
	where, err := place(path)
	if err != nil {
		return err
	}
	m, err := a.locations()
	if err != nil {
		return err
	}
	m[where] = location{Journal: hex.EncodeToString(cp.Journal[:]), Seq: cp.Seq}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return durable.WriteFile(filepath.Join(a.Dir, "locations.json"), append(b, '\n'), 0o600)
}

// CheckPath verifies the journal at path against what this machine
// remembers: if a register was kept at that place, the journal must still
// be there, be the same journal (its header's identity), and hold every
// checkpoint kept for it. A journal missing, header-less, or another one
// put in its place is refused — it would otherwise look like a new
// register, and lose or replace the cell's record silently. A place never
// kept is not checked (a journal missing there is no error either). An
// incomplete last write is no error here (the next write sets it aside);
// other damage is.
func (a Anchors) CheckPath(path string) error {
	_, err := a.Verify(path, ScanOptions{})
	if IsTornTail(err) || errors.Is(err, fs.ErrNotExist) {
		// Verify reports a journal kept here and gone as ErrCheckpoint.
		return nil
	}
	return err
}

// Verify checks the journal at path as [Verify] does, streaming it, and
// against what this store keeps: the journal kept at this path must still
// be there, the same journal, holding every record a kept checkpoint
// vouches for. It returns the scan's summary and an error wrapping
// [ErrCheckpoint] when the journal breaks a checkpoint, the scan's own
// error otherwise. opts.Checkpoints is set to [Anchors.Load].
func (a Anchors) Verify(path string, opts ScanOptions) (Summary, error) {
	opts.Checkpoints = a.Load
	sum, err := Verify(path, opts)
	if errors.Is(err, ErrCheckpoint) {
		return sum, err
	}
	if lerr := a.CheckLocation(path, sum, err); lerr != nil {
		return sum, lerr
	}
	return sum, err
}

// CheckLocation checks what a scan of the journal at path found — its
// summary and error (fs.ErrNotExist when there is no file) — against the
// journal this store kept at that place: a journal kept there that is
// gone, cut to nothing or replaced by another is an error wrapping
// [ErrCheckpoint]. Any other error of the scan but a torn tail is
// returned as it is. A place never kept passes. With [ScanOptions]
// Checkpoints set to [Anchors.Load], the scan itself checks the
// checkpoints: the two together are [Anchors.Verify].
func (a Anchors) CheckLocation(path string, sum Summary, scanErr error) error {
	var id *[16]byte
	if sum.Records > 0 {
		id = &sum.ID
	}
	_, err := a.checkLocation(path, id, scanErr)
	return err
}

// CheckRead checks the journal at path, as a reader found it — recs, the
// records it read and checked, or readErr, the error reading it gave
// (fs.ErrNotExist, [ErrNoHeader], a torn tail) — against the checkpoints
// kept here: a journal kept here that is gone, cut to nothing, replaced
// by another, or that no longer holds what a checkpoint vouches for is an
// error wrapping [ErrCheckpoint]; readErr is returned when it is any
// other error. A journal never kept here passes.
func (a Anchors) CheckRead(path string, recs []Record, readErr error) error {
	var id *[16]byte
	if len(recs) > 0 {
		id = new([16]byte)
		copy(id[:], recs[0].Payload)
	}
	done, err := a.checkLocation(path, id, readErr)
	if done || err != nil {
		return err
	}
	_, err = a.CheckAnchors(recs)
	return err
}

// checkLocation checks what is at path against the journal kept there:
// id is the identity of the journal read there (nil when none was read)
// and readErr the error reading it gave. done reports that there is
// nothing more to check (no journal, none kept).
func (a Anchors) checkLocation(path string, id *[16]byte, readErr error) (done bool, err error) {
	verr := readErr
	where, err := place(path)
	if err != nil {
		return true, err
	}
	m, err := a.locations()
	if err != nil {
		return true, err
	}
	known, kept := m[where]
	switch {
	case !kept && errors.Is(verr, fs.ErrNotExist):
		return true, nil // a register yet to be created
	case kept && errors.Is(verr, fs.ErrNotExist):
		return true, fmt.Errorf("%w: the register kept here (journal %s, record %d) is gone", ErrCheckpoint, known.Journal, known.Seq)
	case kept && errors.Is(verr, ErrNoHeader):
		return true, fmt.Errorf("%w: the register kept here (journal %s, record %d) has no header: cut to nothing?", ErrCheckpoint, known.Journal, known.Seq)
	case verr != nil && !IsTornTail(verr):
		return true, verr
	}
	if kept && id != nil && hex.EncodeToString(id[:]) != known.Journal {
		return true, fmt.Errorf("%w: another journal is where journal %s was kept (record %d)", ErrCheckpoint, known.Journal, known.Seq)
	}
	return false, nil
}

// maxAnchorFile bounds the anchor files read.
const maxAnchorFile = 1 << 20

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxAnchorFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxAnchorFile {
		return nil, fmt.Errorf("%w: an anchor file of more than %d bytes", ErrCheckpoint, maxAnchorFile)
	}
	return b, nil
}

// decodeStrict decodes one JSON value with no unknown field and nothing
// after it.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}
