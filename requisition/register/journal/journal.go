package journal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/ccjkit/ccjkit/timesync"
)

// The journal file is a sequence of frames:
//
//	magic    4 bytes  "CCJR" (unsigned record) or "CCJS" (signed record)
//	length   4 bytes  big-endian length of body
//	body     length bytes:
//	           seq       8 bytes, from 0 (the header record)
//	           time      8 bytes, Unix seconds UTC
//	           prev      32 bytes, the hash of the previous record
//	           kind      2-byte length + bytes
//	           payload   4-byte length + bytes
//	           follows   4 bytes, how many records of the same write
//	                     follow this one                   (signed only)
//	           signer    32 bytes, an ed25519 public key   (signed only)
//	           signature 64 bytes over the body before it  (signed only)
//	hash     32 bytes SHA-256 of body
//
// Record 0 is the header: its kind is "journal" and its payload the
// journal's random 16-byte identity, so that records of two journals
// cannot be spliced together without breaking the chain. "CCJR" frames
// are the format of journals written before records were signed; a
// journal may go on from them with signed records, never back.
const (
	magicV1     = "CCJR"
	magicV2     = "CCJS"
	frameHeader = 8
	hashSize    = sha256.Size
	sigSize     = ed25519.PublicKeySize + ed25519.SignatureSize
	// trailer is what a signed record's body holds after its payload:
	// the count of records of the same write that follow it, the signer
	// and the signature.
	trailer = 4 + sigSize
	// MaxPayload bounds a record's payload.
	MaxPayload = 1 << 20
	// MaxWrite bounds the records of one write (a transaction, or the
	// appends a group commit writes together), and MaxWriteBytes its
	// bytes, so that a reader holding a write until it is whole holds a
	// bounded amount: a write said to be larger is corruption.
	MaxWrite      = 1024
	MaxWriteBytes = 64 << 20
	// MaxKind bounds a record's kind.
	MaxKind = 64
	minBody = 8 + 8 + hashSize + 2 + 4
	maxBody = minBody + MaxKind + MaxPayload + trailer
)

// The record kinds the journal itself writes; Append refuses them.
const (
	headerKind = "journal"
	// RepairKind is the kind of the record a journal appends when it
	// sets a crash's torn tail aside: its payload, in clear, is a
	// [Repair] in JSON.
	RepairKind = "journal-repair"
)

// Hash is a record's SHA-256 hash.
type Hash [hashSize]byte

// String returns the hash in hexadecimal.
func (h Hash) String() string { return fmt.Sprintf("%x", h[:]) }

// Record is one entry of a journal.
type Record struct {
	Seq  uint64
	Time timesync.Timestamp
	// Prev is the hash of the record before; Hash this record's, over its
	// body (Prev, Signer and Signature included): changing any earlier
	// byte changes every later hash.
	Prev Hash
	Hash Hash
	// Kind says what the record is ("journal" for the header); Payload
	// holds its content — in a register, ciphertext.
	Kind    string
	Payload []byte
	// Signer is the ed25519 public key that signed the record, nil for an
	// unsigned record (the format before signatures). The signature is
	// checked whenever the record is read: a record that is here was
	// signed by Signer. Whether Signer was entitled to write it is the
	// business of the journal's user (a [Register] checks its roster).
	Signer    ed25519.PublicKey
	Signature []byte
	// Follows is, for a signed record, how many records were written with
	// it, after it, in one write: a reader that finds fewer treats the
	// whole write as a crash's incomplete write, so that a write of
	// several records (a member removed and the new epoch) is kept whole
	// or not at all.
	Follows uint32
}

// Signed reports whether the record carries a signature.
func (r Record) Signed() bool { return r.Signer != nil }

func (r Record) unsignedBody() []byte {
	n := minBody + len(r.Kind) + len(r.Payload)
	if r.Signer != nil {
		n += trailer
	}
	b := make([]byte, 0, n)
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Time.Unix()))
	b = append(b, r.Prev[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(r.Kind)))
	b = append(b, r.Kind...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(r.Payload)))
	b = append(b, r.Payload...)
	if r.Signer != nil {
		b = binary.BigEndian.AppendUint32(b, r.Follows)
		b = append(b, r.Signer...)
	}
	return b
}

const sigDomain = "ccjkit journal record v2\x00"

func signedMessage(bodyBeforeSig []byte) []byte {
	return append([]byte(sigDomain), bodyBeforeSig...)
}

// frame returns the record as written to the file, signed with key when
// key is not nil, and fills in its hash (and signature).
func (r *Record) frame(key ed25519.PrivateKey) []byte {
	m := magicV1
	if key != nil {
		m = magicV2
		r.Signer = key.Public().(ed25519.PublicKey)
	}
	body := r.unsignedBody()
	if key != nil {
		r.Signature = ed25519.Sign(key, signedMessage(body))
		body = append(body, r.Signature...)
	}
	r.Hash = sha256.Sum256(body)
	f := make([]byte, 0, frameHeader+len(body)+hashSize)
	f = append(f, m...)
	f = binary.BigEndian.AppendUint32(f, uint32(len(body)))
	f = append(f, body...)
	return append(f, r.Hash[:]...)
}

// The errors of journals, for errors.Is.
var (
	// ErrCorrupt: a record is not what the chain says it should be — a
	// changed byte, a record dropped, reordered or spliced in, a
	// signature that does not verify.
	ErrCorrupt = errors.New("journal: corrupt")
	// ErrClosed: the journal was closed.
	ErrClosed = errors.New("journal: closed")
	// ErrIO: reading, writing or syncing the journal failed. The records
	// of an append that fails so were not acknowledged: the write is cut back from the file,
	// and the journal read back and checked before the next append. Only
	// when cutting it back fails too may they still be in the file,
	// whole — in doubt, as a database commit whose answer was lost.
	ErrIO = errors.New("journal: I/O failed")
	// ErrRecord: a record cannot be appended as given.
	ErrRecord = errors.New("journal: invalid record")
	// ErrConfig: a journal or an [Anchors] store was given an incomplete
	// configuration.
	ErrConfig = errors.New("journal: incomplete configuration")
	// ErrNoHeader: the file holds no complete journal header. Journals are
	// created atomically, so only an older version of ccjkit, or a file
	// cut to nothing, leaves one; see [RecoverHeaderless].
	ErrNoHeader = errors.New("journal: the file holds no journal header")
)

// CorruptError names the first bad record.
type CorruptError struct {
	Seq    uint64 // the position of the first bad record (its expected sequence number)
	Offset int64  // its byte offset in the file
	Reason string
	torn   bool
}

// Error says which record is bad and why.
func (e *CorruptError) Error() string {
	if e.torn {
		return fmt.Sprintf("journal: incomplete last write at record %d, byte %d: %s (never acknowledged: it is set aside at the next write)", e.Seq, e.Offset, e.Reason)
	}
	return fmt.Sprintf("%v: record %d at byte %d: %s", ErrCorrupt, e.Seq, e.Offset, e.Reason)
}

// Unwrap returns [ErrCorrupt].
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// chain is where a reading of a journal stands: the next record expected.
type chain struct {
	seq    uint64
	prev   Hash
	signed bool // a signed record was seen: unsigned ones may not follow
}

// ReadRecords decodes a journal's bytes and checks its chain and
// signatures: it returns the whole records, the length of the valid
// prefix, and either nil or a [*CorruptError] naming the first bad
// record. When the bytes after the last whole record can only be the
// start of a write that never completed — the one artefact a crash can
// leave, since a record is acknowledged only once its single write is
// synced — the error is one [IsTornTail] recognises. Anything else (a
// complete frame that does not verify, a length that disagrees with the
// frame it heads or runs over a following whole record, damage before
// the end) is corruption.
func ReadRecords(data []byte) ([]Record, int64, error) {
	recs, _, valid, err := readFrom(data, 0, chain{})
	if len(recs) == 0 && (err == nil || IsTornTail(err)) {
		return nil, 0, fmt.Errorf("%w (%d bytes): see RecoverHeaderless", ErrNoHeader, len(data))
	}
	return recs, valid, err
}

// readFrom reads the records in data, which starts at byte base of the
// file, continuing from c. Signed records say how many records of the
// same write follow them: a write found incomplete — a torn frame, or the
// data ending before its last record — is a torn tail as a whole, from
// its first record. The records returned own their bytes.
func readFrom(data []byte, base int64, c chain) ([]Record, chain, int64, error) {
	var out []Record
	k := checker{c: c}
	off := int64(0)
	// The write under way: where it began, and the chain and the count of
	// records before it.
	start, startC, startN := int64(0), c, 0
	torn := func(reason string) ([]Record, chain, int64, error) {
		return out[:startN], startC, start, &CorruptError{Seq: startC.seq, Offset: base + start, Reason: reason, torn: true}
	}
	for off < int64(len(data)) {
		if k.pending == 0 {
			start, startC, startN = off, k.c, len(out)
		}
		rest := data[off:]
		bad := func(why string) ([]Record, chain, int64, error) {
			return out, k.c, off, &CorruptError{Seq: k.c.seq, Offset: base + off, Reason: why}
		}
		n, signed, complete, why := frameAt(rest)
		if !complete {
			if why == "" {
				why = tornTail(rest, k.c)
			}
			if why != "" {
				return bad(why)
			}
			return torn(k.tornReason(startC))
		}
		r, why := k.next(rest, n, signed)
		if why != "" {
			return bad(why)
		}
		out = append(out, r.clone())
		off += frameHeader + int64(n) + hashSize
	}
	if k.pending > 0 {
		return torn(fmt.Sprintf("a write of several records stopped after %d of them", k.c.seq-startC.seq))
	}
	return out, k.c, off, nil
}

// checker checks records one after the other against the chain: what
// [ReadRecords] and [Scan] share.
type checker struct {
	c chain
	// pending is how many records of the write under way are still to
	// come.
	pending uint32
	// chainOnly skips the signatures.
	chainOnly bool
	// kinds, when not nil, interns the records' kinds, so that a scan
	// allocates nothing per record.
	kinds map[string]string
	// msg is scratch space for the signed message.
	msg []byte
	// writeBytes is the size of the write under way so far.
	writeBytes int
}

// maxKinds bounds the kinds a checker interns.
const maxKinds = 256

// tornReason says why an incomplete frame at the end is a torn write,
// the write under way having begun at startC.
func (k *checker) tornReason(startC chain) string {
	if k.pending > 0 {
		return fmt.Sprintf("a write of several records stopped at its record %d", k.c.seq-startC.seq+1)
	}
	return "a record was being written when the writer stopped"
}

// next checks fr, which begins with a whole frame of body length n, as
// the record the chain expects next, and moves the chain past it. The
// Record's slices alias fr. On failure it returns why, and the chain is
// left where it was.
func (k *checker) next(fr []byte, n int, signed bool) (Record, string) {
	body := fr[frameHeader : frameHeader+n]
	var h Hash
	copy(h[:], fr[frameHeader+n:])
	if sha256.Sum256(body) != h {
		return Record{}, "hash does not match the record's bytes"
	}
	var r Record
	if why := k.parse(body, signed, &r); why != "" {
		return Record{}, why
	}
	r.Hash = h
	c := k.c
	switch {
	case r.Seq != c.seq:
		return Record{}, fmt.Sprintf("sequence number %d where %d belongs (a record dropped, reordered or spliced)", r.Seq, c.seq)
	case r.Prev != c.prev:
		return Record{}, "it does not follow the record before (a record dropped, reordered or spliced)"
	case c.seq == 0 && (r.Kind != headerKind || len(r.Payload) != 16):
		return Record{}, "the first record is not a journal header"
	case c.seq > 0 && r.Kind == headerKind:
		return Record{}, "a second journal header (two journals spliced)"
	case c.signed && !signed:
		return Record{}, "an unsigned record after signed ones"
	case signed && !k.chainOnly && !k.verify(r, body):
		return Record{}, "the signature does not verify"
	case k.pending > 0 && r.Follows != k.pending-1:
		return Record{}, "a record of a write of several whose count disagrees with the record before"
	case k.pending == 0 && r.Follows >= MaxWrite:
		return Record{}, fmt.Sprintf("a write said to hold %d records, more than a writer writes (%d)", uint64(r.Follows)+1, MaxWrite)
	}
	size := frameHeader + n + hashSize
	if k.pending == 0 {
		k.writeBytes = 0
	}
	if k.writeBytes += size; k.writeBytes > MaxWriteBytes {
		return Record{}, fmt.Sprintf("a write of more than %d bytes, more than a writer writes", MaxWriteBytes)
	}
	if k.pending > 0 {
		k.pending--
	} else {
		k.pending = r.Follows
	}
	k.c = chain{seq: c.seq + 1, prev: h, signed: c.signed || signed}
	return r, ""
}

// verify checks a signed record's signature, over the domain and the
// body before the signature.
func (k *checker) verify(r Record, body []byte) bool {
	k.msg = append(append(k.msg[:0], sigDomain...), body[:len(body)-ed25519.SignatureSize]...)
	return ed25519.Verify(r.Signer, k.msg, r.Signature)
}

// parse reads a record's body into r, its slices aliasing b; it returns
// why the body is malformed, or "".
func (k *checker) parse(b []byte, signed bool, r *Record) string {
	if len(b) < minBody {
		return "body too short"
	}
	r.Seq = binary.BigEndian.Uint64(b)
	r.Time = timesync.Unix(int64(binary.BigEndian.Uint64(b[8:])))
	copy(r.Prev[:], b[16:16+hashSize])
	b = b[16+hashSize:]
	kl := int(binary.BigEndian.Uint16(b))
	if kl > MaxKind || len(b) < 2+kl+4 {
		return "bad kind length"
	}
	r.Kind = k.kind(b[2 : 2+kl])
	b = b[2+kl:]
	pl := int(binary.BigEndian.Uint32(b))
	extra := 0
	if signed {
		extra = trailer
	}
	if pl > MaxPayload || len(b) != 4+pl+extra {
		return "bad payload length"
	}
	r.Payload = b[4 : 4+pl : 4+pl]
	if signed {
		s := b[4+pl:]
		r.Follows = binary.BigEndian.Uint32(s)
		r.Signer = ed25519.PublicKey(s[4 : 4+ed25519.PublicKeySize : 4+ed25519.PublicKeySize])
		r.Signature = s[4+ed25519.PublicKeySize : trailer : trailer]
	}
	return ""
}

// kind returns b as a string, interned when the checker interns.
func (k *checker) kind(b []byte) string {
	if k.kinds == nil {
		return string(b)
	}
	if s, ok := k.kinds[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(k.kinds) < maxKinds {
		k.kinds[s] = s
	}
	return s
}

// clone returns r with bytes of its own.
func (r Record) clone() Record {
	r.Payload = bytes.Clone(r.Payload)
	if r.Signer != nil {
		r.Signer = bytes.Clone(r.Signer)
		r.Signature = bytes.Clone(r.Signature)
	}
	return r
}

// frameAt reads the frame header at the start of b: the body length,
// whether the frame is signed, and whether the whole frame is there. A
// frame header that no writer could have written gives a reason.
func frameAt(b []byte) (n int, signed, complete bool, why string) {
	if len(b) < frameHeader {
		return 0, false, false, ""
	}
	switch string(b[:4]) {
	case magicV1:
	case magicV2:
		signed = true
	default:
		return 0, false, false, "no frame magic"
	}
	n64 := int64(binary.BigEndian.Uint32(b[4:8]))
	low := int64(minBody)
	if signed {
		low += trailer
	}
	if n64 < low || n64 > maxBody {
		return 0, signed, false, fmt.Sprintf("impossible body length %d", n64)
	}
	return int(n64), signed, int64(len(b)) >= frameHeader+n64+hashSize, ""
}

// tornTail decides whether the bytes r, which hold no complete frame at
// their start, are the beginning of a write that never completed: every
// byte present must be what the next record's write would have put
// there (its magic, a length its own fields agree with, its sequence
// number, the previous record's hash), and no whole record may be found
// in them. It returns "" for a torn write, else why it is damage.
func tornTail(r []byte, c chain) string {
	if len(r) < 4 {
		if !bytes.HasPrefix([]byte(magicV1), r) && !bytes.HasPrefix([]byte(magicV2), r) {
			return "no frame magic"
		}
		return ""
	}
	if string(r[:4]) != magicV1 && string(r[:4]) != magicV2 {
		return "no frame magic"
	}
	signed := string(r[:4]) == magicV2
	if c.signed && !signed {
		return "an unsigned record after signed ones"
	}
	if len(r) < frameHeader {
		// The length's bytes present must begin one a record can have.
		var lo, hi [4]byte
		copy(lo[:], r[4:])
		copy(hi[:], r[4:])
		for i := len(r) - 4; i < 4; i++ {
			hi[i] = 0xFF
		}
		low := uint32(minBody)
		if signed {
			low += trailer
		}
		if binary.BigEndian.Uint32(lo[:]) > maxBody || binary.BigEndian.Uint32(hi[:]) < low {
			return "an incomplete record with an impossible length"
		}
		return ""
	}
	n := int(binary.BigEndian.Uint32(r[4:8]))
	body := r[frameHeader:]
	// The fields present must be the next record's.
	var want [16]byte
	binary.BigEndian.PutUint64(want[:], c.seq)
	if k := min(len(body), 8); !bytes.Equal(body[:k], want[:k]) {
		return "an incomplete record with the wrong sequence number"
	}
	if len(body) > 16 {
		k := min(len(body)-16, hashSize)
		if !bytes.Equal(body[16:16+k], c.prev[:k]) {
			return "an incomplete record that does not follow the record before"
		}
	}
	extra := 0
	if signed {
		extra = trailer
	}
	if len(body) >= minBody-4 {
		kl := int(binary.BigEndian.Uint16(body[48:50]))
		if kl > MaxKind || 50+kl+4+extra > n {
			return "a record whose kind length disagrees with its frame"
		}
		if len(body) >= 50+kl+4 {
			pl := int(binary.BigEndian.Uint32(body[50+kl:]))
			inner := 50 + kl + 4 + pl + extra
			if inner != n {
				// The record's own lengths say where it ends: if a whole,
				// verifying record ends there, its length field was damaged.
				if inner <= len(body)-hashSize && bytes.Equal(sha256Of(body[:inner]), body[inner:inner+hashSize]) {
					return "a whole record whose length field is damaged"
				}
				return "a record whose payload length disagrees with its frame"
			}
		}
	}
	// A whole record after this point proves that the write completed
	// and was damaged since.
	for i := 1; i+frameHeader <= len(r); i++ {
		if r[i] != 'C' || (string(r[i:i+4]) != magicV1 && string(r[i:i+4]) != magicV2) {
			continue
		}
		if m, _, complete, why := frameAt(r[i:]); why == "" && complete {
			if bytes.Equal(sha256Of(r[i+frameHeader:i+frameHeader+m]), r[i+frameHeader+m:i+frameHeader+m+hashSize]) {
				return "a whole record follows an incomplete one (damage, not a crash)"
			}
		}
	}
	return ""
}

func sha256Of(b []byte) []byte { h := sha256.Sum256(b); return h[:] }

// IsTornTail reports whether err is the incomplete last write a crash
// leaves, rather than damage.
func IsTornTail(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce) && ce.torn
}

// Options configure [Open].
type Options struct {
	// Clock times records. Required.
	Clock timesync.Clock
	// Signer, when set, signs every record this Journal appends (a
	// journal created with a signer has a signed header). Nil appends
	// unsigned records, which a journal that already holds signed ones
	// refuses.
	Signer ed25519.PrivateKey
	// Follow keeps the records other processes append, for [Tx.Foreign]
	// and [Journal.Refresh] to hand over. Without it they are checked
	// and passed over.
	Follow bool
	// NoCreate: a journal that does not exist is an error wrapping
	// fs.ErrNotExist instead of being created.
	NoCreate bool

	fs fsys
}

// Repair is what a journal records when it sets a torn tail aside: the
// bytes are moved, never deleted, to a quarantine file beside the
// journal.
type Repair struct {
	// Offset is where the cut bytes began in the journal, Bytes how many
	// there were and SHA256 their hash.
	Offset int64  `json:"offset"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// File is the quarantine file's name, in the journal's directory.
	File string `json:"file"`
	// Reason says why the bytes could only be an unacknowledged write.
	Reason string `json:"reason"`
}

// Journal is an append-only, hash-chained, durable log of records. It is
// safe for concurrent use by several goroutines, and by several processes
// on one machine: each append takes the file's advisory lock, reads what
// other writers appended since, and writes after it. Concurrent Appends
// of one Journal are written and synced together (group commit).
type Journal struct {
	path string
	opts Options
	fs   fsys

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []*entry
	flushing bool // a goroutine owns the file and the fields below
	closed   bool

	f       jfile
	end     int64 // the end of the last whole record known
	c       chain
	id      [16]byte
	recheck bool // an I/O fault happened: read the file back before the next append
	foreign []Record
	repairs []Repair   // torn tails set aside, not yet recorded
	torn    *tornWrite // a torn tail found by the last catch-up, not cut
	// initial holds the records Open read and checked, until a Register
	// takes them to replay (so that it need not read them again).
	initial []Record
}

// Initial returns the records [Open] read and checked, once: the
// Journal forgets them, and later calls return nil. A reader that must
// replay the journal takes them instead of reading the file again.
func (j *Journal) Initial() []Record {
	recs := j.initial
	j.initial = nil
	return recs
}

type entry struct {
	kind    string
	payload []byte
	rec     Record
	err     error
	done    bool
}

// OpenReport says what Open found.
type OpenReport struct {
	Records int // whole records, header included
	// Created: the journal did not exist and was created.
	Created bool
	// Torn describes an incomplete last write found at the end (a
	// crash's artefact, never an acknowledged record); TornBytes is its
	// length. Open does not cut it: the next append, holding the lock,
	// moves it to a quarantine file and records that it did.
	TornBytes int64
	Torn      error
	// Signed and Unsigned count the records with and without a
	// signature.
	Signed, Unsigned int
}

// Open opens the journal at path, creating it if it does not exist:
// atomically (a temporary file with the header, synced, renamed into
// place and the directory synced), so that a journal exists whole or not
// at all. Opening reads and checks every record under a shared lock; it
// writes nothing to an existing journal. A torn last write is reported
// in the OpenReport and left for the next append to set aside; any other
// damage is an error wrapping [ErrCorrupt], and a file without a whole
// header one wrapping [ErrNoHeader].
func Open(path string, opts Options) (*Journal, OpenReport, error) {
	var rep OpenReport
	if opts.Clock == nil {
		return nil, rep, fmt.Errorf("%w: a journal needs a clock", ErrRecord)
	}
	if opts.Signer != nil && len(opts.Signer) != ed25519.PrivateKeySize {
		return nil, rep, fmt.Errorf("%w: the signer is not an ed25519 private key", ErrRecord)
	}
	fsy := opts.fs
	if fsy == nil {
		fsy = osFS{}
	}
	if err := fsy.CheckLocks(filepath.Dir(path)); err != nil {
		return nil, rep, err
	}
	j := &Journal{path: path, opts: opts, fs: fsy}
	j.cond = sync.NewCond(&j.mu)
	f, err := fsy.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) && !opts.NoCreate {
		if err := create(fsy, path, opts); err != nil && !errors.Is(err, os.ErrExist) {
			return nil, rep, err
		} else if err == nil {
			rep.Created = true
		}
		f, err = fsy.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		return nil, rep, err
	}
	j.f = f
	if err := f.Lock(false); err != nil {
		f.Close()
		return nil, rep, err
	}
	recs, c, valid, size, rerr := readAll(f)
	f.Unlock()
	if rerr != nil && !IsTornTail(rerr) {
		f.Close()
		return nil, rep, rerr
	}
	if len(recs) == 0 {
		f.Close()
		return nil, rep, fmt.Errorf("%w (%d bytes): see RecoverHeaderless", ErrNoHeader, size)
	}
	if rerr != nil {
		rep.Torn, rep.TornBytes = rerr, size-valid
	}
	j.end, j.c = valid, c
	copy(j.id[:], recs[0].Payload)
	j.initial = recs
	rep.Records = len(recs)
	for _, r := range recs {
		if r.Signed() {
			rep.Signed++
		} else {
			rep.Unsigned++
		}
	}
	return j, rep, nil
}

// readAll reads and checks the whole file.
func readAll(f jfile) ([]Record, chain, int64, int64, error) {
	size, err := f.Size()
	if err != nil {
		return nil, chain{}, 0, 0, err
	}
	data := make([]byte, size)
	if n, err := f.ReadAt(data, 0); n != len(data) {
		return nil, chain{}, 0, 0, fmt.Errorf("%w: reading the journal: %v", ErrIO, errOr(err, "short read"))
	}
	recs, c, valid, err := readFrom(data, 0, chain{})
	return recs, c, valid, size, err
}

// create writes a new journal with its header to a temporary file, syncs
// it and renames it to path unless path exists, then syncs the directory.
func create(fsy fsys, path string, opts Options) error {
	dir := filepath.Dir(path)
	tmp, err := fsy.CreateTemp(dir, "."+filepath.Base(path)+".new-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			fsy.Remove(name)
		}
	}()
	id := make([]byte, 16)
	rand.Read(id)
	fr, _ := SealHeader([16]byte(id), timesync.Now(opts.Clock), opts.Signer)
	if n, err := tmp.WriteAt(fr, 0); err != nil || n != len(fr) {
		return fmt.Errorf("%w: creating the journal: %v", ErrIO, errOr(err, "short write"))
	}
	if err := tmp.Datasync(); err != nil {
		return fmt.Errorf("%w: creating the journal: %v", ErrIO, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%w: creating the journal: %v", ErrIO, err)
	}
	if err := fsy.RenameNoReplace(name, path); err != nil {
		return err // os.ErrExist: another process created it first
	}
	ok = true
	if err := fsy.SyncDir(dir); err != nil {
		return fmt.Errorf("%w: creating the journal: %v", ErrIO, err)
	}
	return nil
}

func errOr(err error, s string) any {
	if err != nil {
		return err
	}
	return s
}

// ID returns the journal's identity, the payload of its header.
func (j *Journal) ID() [16]byte { return j.id }

// Tx is an exclusive hold on a journal, given to the function passed to
// [Journal.Update]: no other writer, in this process or another, appends
// while it runs.
//
// A Tx knows nothing of the file: it numbers and times what is staged,
// and reads the store through the function the store gives it, so that
// every [Store] hands out the same Tx.
type Tx struct {
	clock    timesync.Clock
	read     func() ([]Record, error)
	foreign  []Record
	consumed bool
	staged   []Record
	bytes    int // the frames' size of what is staged
	next     uint64
}

// Foreign returns the records other processes appended since this
// Journal last saw the file (with [Options.Follow]; nil without), in
// order. A register applies them before deciding what to append.
func (tx *Tx) Foreign() []Record {
	tx.consumed = true
	return tx.foreign
}

// Append stages a record, numbered after everything in the file and
// everything staged before it. The records staged are written in one
// write, and synced, when the function given to Update returns nil: the
// Record returned here has its number, time, kind and payload; its hash,
// chaining and signature are in the records Update returns.
func (tx *Tx) Append(kind string, payload []byte) (Record, error) {
	if err := checkRecord(kind, payload); err != nil {
		return Record{}, err
	}
	if len(tx.staged) >= MaxWrite || tx.bytes+frameSize(kind, payload) > MaxWriteBytes {
		return Record{}, fmt.Errorf("%w: a write of more than %d records or %d bytes", ErrRecord, MaxWrite, MaxWriteBytes)
	}
	return tx.stage(kind, payload).clone(), nil
}

// frameSize is the size of a signed record's frame.
func frameSize(kind string, payload []byte) int {
	return frameHeader + minBody + len(kind) + len(payload) + trailer + hashSize
}

func (tx *Tx) stage(kind string, payload []byte) Record {
	r := Record{Seq: tx.next, Time: timesync.Now(tx.clock), Kind: kind, Payload: bytes.Clone(payload)}
	tx.staged = append(tx.staged, r)
	tx.bytes += frameSize(kind, payload)
	tx.next++
	return r
}

// Records reads and checks every record in the file, up to what this
// hold has seen (not what it staged).
func (tx *Tx) Records() ([]Record, error) { return tx.read() }

// records reads and checks the file's whole records, up to the end this
// Journal has seen; the caller holds the lock.
func (j *Journal) records() ([]Record, error) {
	data := make([]byte, j.end)
	if n, err := j.f.ReadAt(data, 0); int64(n) != j.end {
		return nil, fmt.Errorf("%w: reading the journal: %v", ErrIO, errOr(err, "short read"))
	}
	recs, _, _, err := readFrom(data, 0, chain{})
	return recs, err
}

// Next returns the sequence number the next staged record will get.
func (tx *Tx) Next() uint64 { return tx.next }

// Staged returns copies of the records staged so far by [Tx.Append], in
// order, without their hashes and signatures (which the commit gives
// them): changing them changes nothing that is written.
func (tx *Tx) Staged() []Record {
	out := make([]Record, len(tx.staged))
	for i, r := range tx.staged {
		out[i] = r.clone()
	}
	return out
}

func checkRecord(kind string, payload []byte) error {
	if kind == "" || len(kind) > MaxKind || kind == headerKind || kind == RepairKind {
		return fmt.Errorf("%w: kind must be 1 to %d bytes and not %q or %q", ErrRecord, MaxKind, headerKind, RepairKind)
	}
	if len(payload) > MaxPayload {
		return fmt.Errorf("%w: payload of %d bytes, more than %d", ErrRecord, len(payload), MaxPayload)
	}
	return nil
}

// frameAll chains, signs and frames the staged records after c, each
// signed record counting those that follow it in the write ([Seal]).
func (j *Journal) frameAll(c chain, staged []Record) ([]byte, []Record, chain) {
	frames, out, st := Seal(&Tx{staged: staged}, stateOf(c), j.opts.Signer)
	var buf []byte
	for _, f := range frames {
		buf = append(buf, f...)
	}
	return buf, out, st.chain()
}

// Update holds the journal exclusively — the file's lock, against other
// processes, and this Journal, against its other goroutines — brings it
// up to date with what other writers appended, and calls fn. The records
// fn stages with [Tx.Append] are written in one write and synced when fn
// returns nil, and Update returns them, preceded by the [RepairKind]
// record of a torn tail it set aside, if any. When fn returns an error,
// nothing is written — not even a torn tail set aside — and Update
// returns that error.
func (j *Journal) Update(fn func(tx *Tx) error) ([]Record, error) {
	if err := j.own(); err != nil {
		return nil, err
	}
	defer j.release()
	return j.cycle(fn)
}

// own waits until no goroutine of this Journal uses the file, and takes
// it.
func (j *Journal) own() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.flushing && !j.closed {
		j.cond.Wait()
	}
	if j.closed {
		return ErrClosed
	}
	j.flushing = true
	return nil
}

func (j *Journal) release() {
	j.mu.Lock()
	j.flushing = false
	j.cond.Broadcast()
	j.mu.Unlock()
}

// batch takes from the queue what one write may hold (MaxWrite records,
// MaxWriteBytes bytes, room left for the repair records a write may
// carry first); the rest waits for the next write. The caller holds j.mu.
func (j *Journal) batch() []*entry {
	n, size := 0, 0
	room := MaxWriteBytes - maxRepairs*frameSize(RepairKind, make([]byte, maxRepairPayload))
	for n < len(j.queue) && n < MaxWrite-maxRepairs {
		size += frameSize(j.queue[n].kind, j.queue[n].payload)
		if n > 0 && size > room {
			break
		}
		n++
	}
	b := j.queue[:n:n]
	j.queue = slices.Clone(j.queue[n:])
	return b
}

// maxRepairs bounds the repair records a write carries before what it
// was asked to write, maxRepairPayload the size of one.
const (
	maxRepairs       = 16
	maxRepairPayload = 1024
)

// Append adds a record of the given kind and payload, timed by the
// journal's clock and signed by its signer, and returns it once it is
// durable: written and synced to disk after every record any writer
// appended before. Appends from several goroutines are batched into one
// write and one sync (group commit). An error wrapping [ErrIO] means the
// record was not acknowledged; see [ErrIO] for when it may still be in
// the file.
func (j *Journal) Append(kind string, payload []byte) (Record, error) {
	if err := checkRecord(kind, payload); err != nil {
		return Record{}, err
	}
	e := &entry{kind: kind, payload: payload}
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return Record{}, ErrClosed
	}
	j.queue = append(j.queue, e)
	for !e.done {
		if j.flushing {
			j.cond.Wait()
			continue
		}
		if j.closed {
			break
		}
		// Lead: write everything queued, sync, release the followers.
		batch := j.batch()
		j.flushing = true
		j.mu.Unlock()
		first := 0
		recs, err := j.cycle(func(tx *Tx) error {
			first = len(tx.staged) // after the repair records, if any
			for _, b := range batch {
				tx.stage(b.kind, b.payload)
			}
			return nil
		})
		j.mu.Lock()
		for i, b := range batch {
			b.err, b.done = err, true
			if err == nil {
				b.rec = recs[first+i]
			}
		}
		j.flushing = false
		j.cond.Broadcast()
	}
	j.mu.Unlock()
	if !e.done {
		return Record{}, ErrClosed
	}
	if e.err != nil {
		return Record{}, e.err
	}
	return e.rec, nil
}

// cycle is one exclusive turn on the file, by the goroutine that owns it
// (j.flushing): lock the file, catch up with other writers, let fill
// stage records; then — only if fill succeeded and there is something to
// write — set a crash's torn tail aside, write the records (the repair's
// first) in one write, sync, and unlock.
func (j *Journal) cycle(fill func(tx *Tx) error) ([]Record, error) {
	if err := j.f.Lock(true); err != nil {
		return nil, fmt.Errorf("%w: locking the journal: %v", ErrIO, err)
	}
	defer func() { j.f.Unlock() }() // j.f may be replaced by reread
	if j.recheck {
		if err := j.reread(); err != nil {
			return nil, err
		}
	}
	if err := j.catchUp(); err != nil {
		return nil, err
	}
	if j.c.signed && j.opts.Signer == nil {
		// An unsigned record after signed ones would make the journal
		// unreadable: refuse before writing anything.
		return nil, fmt.Errorf("%w: the journal holds signed records and this Journal has no signer", ErrRecord)
	}
	tx := &Tx{clock: j.opts.Clock, read: j.records, next: j.c.seq, foreign: j.foreign}
	j.foreign = nil
	putBack := func() {
		if !tx.consumed {
			j.foreign = append(tx.foreign, j.foreign...)
		}
	}
	// Repairs this Journal made but could not record yet, then the torn
	// tail found now: recorded first, in the same write.
	var tornRepair *Repair
	for _, rp := range j.repairs {
		payload, _ := json.Marshal(rp)
		tx.stage(RepairKind, payload)
	}
	if j.torn != nil {
		tornRepair = j.repairFor(j.torn)
		payload, _ := json.Marshal(tornRepair)
		tx.stage(RepairKind, payload)
	}
	if err := fill(tx); err != nil {
		putBack()
		return nil, err
	}
	if len(tx.staged) == 0 {
		putBack()
		return nil, nil
	}
	if tornRepair != nil {
		if err := j.quarantine(j.torn.data, tornRepair); err != nil {
			return nil, err
		}
		j.torn = nil
		j.repairs = append(j.repairs, *tornRepair)
	}
	buf, recs, c := j.frameAll(j.c, tx.staged)
	if err := j.write(buf); err != nil {
		return nil, err
	}
	j.repairs = nil
	j.c = c
	return recs, nil
}

// write appends buf at the end of the file in one write and syncs it.
// On any failure the write is undone as far as the disk lets us (the
// file cut back to where it ended, synced), the journal is marked to be
// read back from the disk before the next append, and the error wraps
// [ErrIO]. A failed sync is never retried as if nothing happened — after
// one, the kernel may have dropped the dirty pages it could not write
// (PostgreSQL's "fsyncgate", 2018).
func (j *Journal) write(buf []byte) error {
	n, err := j.f.WriteAt(buf, j.end)
	if err == nil && n != len(buf) {
		err = errors.New("short write")
	}
	if err == nil {
		err = j.f.Datasync()
	}
	if err == nil {
		j.end += int64(len(buf))
		return nil
	}
	j.recheck = true
	if terr := j.f.Truncate(j.end); terr == nil {
		j.f.Datasync()
	}
	return fmt.Errorf("%w: %v", ErrIO, err)
}

// reread opens the file anew and checks it from the start, after an I/O
// fault: what this Journal believed it had written must be there.
func (j *Journal) reread() error {
	f, err := j.fs.OpenFile(j.path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("%w: reopening after a fault: %v", ErrIO, err)
	}
	// Release the old descriptor's lock before taking the new one's: a
	// flock belongs to the open file description, so the new descriptor
	// would wait for the old one forever, in this very process. Another
	// writer may append in between; catchUp reads what it wrote.
	j.f.Unlock()
	if err := f.Lock(true); err != nil {
		f.Close()
		return fmt.Errorf("%w: reopening after a fault: %v", ErrIO, err)
	}
	recs, _, valid, _, rerr := readAll(f)
	if rerr != nil && !IsTornTail(rerr) {
		f.Close()
		return rerr
	}
	// Every record this Journal had seen must still be there, unchanged.
	if uint64(len(recs)) < j.c.seq || (j.c.seq > 0 && recs[j.c.seq-1].Hash != j.c.prev) {
		f.Close()
		return &CorruptError{Seq: uint64(len(recs)), Offset: valid, Reason: "after an I/O fault the file no longer holds the records written before it"}
	}
	old := j.f
	j.f = f
	old.Close() // releases old's lock; f holds its own
	j.recheck = false
	// Records past what we knew are others' (or ours that failed but
	// reached the disk before the file was cut back): catchUp reads them.
	return nil
}

// tornWrite is a torn tail found at the end of the file.
type tornWrite struct {
	data []byte
	why  *CorruptError
}

// catchUp reads what other writers appended after j.end, and notes a
// torn tail without cutting it: only a write that follows cuts it.
func (j *Journal) catchUp() error {
	j.torn = nil
	size, err := j.f.Size()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrIO, err)
	}
	if size < j.end {
		return &CorruptError{Seq: j.c.seq, Offset: size, Reason: fmt.Sprintf("the file is shorter (%d bytes) than the %d records already read from it", size, j.c.seq)}
	}
	if size == j.end {
		return nil
	}
	data := make([]byte, size-j.end)
	if n, err := j.f.ReadAt(data, j.end); n != len(data) {
		return fmt.Errorf("%w: reading the journal: %v", ErrIO, errOr(err, "short read"))
	}
	recs, c, valid, rerr := readFrom(data, j.end, j.c)
	if rerr != nil && !IsTornTail(rerr) {
		return rerr
	}
	if j.opts.Follow {
		j.foreign = append(j.foreign, recs...)
	}
	j.end += valid
	j.c = c
	if rerr != nil {
		var ce *CorruptError
		errors.As(rerr, &ce)
		j.torn = &tornWrite{data: data[valid:], why: ce}
	}
	return nil
}

// repairFor describes the repair of a torn tail at j.end: its quarantine
// file is named by the time and the offset.
func (j *Journal) repairFor(t *tornWrite) *Repair {
	now := timesync.Now(j.opts.Clock).Time().UTC()
	name := fmt.Sprintf("%s.quarantine-%s-%d", filepath.Base(j.path), now.Format("20060102T150405Z"), j.end)
	return &Repair{Offset: j.end, Bytes: int64(len(t.data)), SHA256: fmt.Sprintf("%x", sha256Of(t.data)), File: name, Reason: t.why.Reason}
}

// quarantine moves a torn tail aside: written to its own file (named by
// rp), synced, then cut from the journal. The write that follows records
// the repair.
func (j *Journal) quarantine(tail []byte, rp *Repair) error {
	dir := filepath.Dir(j.path)
	q, err := j.fs.OpenFile(filepath.Join(dir, rp.File), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	base := rp.File
	for n := 2; errors.Is(err, os.ErrExist) && n < 100; n++ {
		// A quarantine of the same second and offset (a repair whose
		// write failed, made again): number the new one.
		rp.File = fmt.Sprintf("%s-%d", base, n)
		q, err = j.fs.OpenFile(filepath.Join(dir, rp.File), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return fmt.Errorf("%w: setting a torn tail aside: %v", ErrIO, err)
	}
	err = writeSynced(q, tail)
	if err == nil {
		err = j.fs.SyncDir(dir)
	}
	if err == nil {
		err = j.f.Truncate(j.end)
	}
	if err != nil {
		// The torn bytes are still in the journal (ftruncate cuts or does
		// not): our copy may be incomplete, and the next append makes
		// another; remove it rather than leave a second, unrecorded one.
		j.fs.Remove(filepath.Join(dir, rp.File))
		j.recheck = true
		return fmt.Errorf("%w: setting a torn tail aside: %v", ErrIO, err)
	}
	if err := j.f.Datasync(); err != nil {
		// Cut, and the bytes safe in their file: the repair is recorded
		// by this Journal's next write, after the file is read back.
		j.recheck = true
		j.repairs = append(j.repairs, *rp)
		return fmt.Errorf("%w: setting a torn tail aside: %v", ErrIO, err)
	}
	return nil
}

// Refresh reads, under a shared lock, what other writers appended since
// this Journal last looked, and returns it (with [Options.Follow]). It
// never writes: a torn tail is left for the next append to set aside.
func (j *Journal) Refresh() ([]Record, error) {
	if err := j.own(); err != nil {
		return nil, err
	}
	defer j.release()
	if err := j.f.Lock(false); err != nil {
		return nil, fmt.Errorf("%w: locking the journal: %v", ErrIO, err)
	}
	defer j.f.Unlock()
	if err := j.catchUp(); err != nil {
		return nil, err
	}
	out := j.foreign
	j.foreign = nil
	return out, nil
}

// Close closes the journal once the append under way, if any, is done:
// every Append that returned a record is durable. Appends after Close
// fail with [ErrClosed].
func (j *Journal) Close() error {
	j.mu.Lock()
	for j.flushing {
		j.cond.Wait()
	}
	if j.closed {
		j.mu.Unlock()
		return nil
	}
	j.closed = true
	j.cond.Broadcast()
	j.mu.Unlock()
	return j.f.Close()
}

// ReadFile reads the journal at path, under a shared lock so that no
// write is under way, and checks every record's hash, chain and
// signature, as [Verify] does; it returns the records, and nil, or an
// error naming the first bad record (for a torn last write, one
// [IsTornTail] recognises, with every whole record before it). It holds
// every record in memory: to check a large journal, use [Verify]; to
// walk it, [Records]. It never writes.
func ReadFile(path string) ([]Record, error) {
	return verifyFS(osFS{}, path)
}

func verifyFS(fsy fsys, path string) ([]Record, error) {
	f, err := fsy.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := f.Lock(false); err != nil {
		return nil, err
	}
	recs, _, _, size, err := readAll(f)
	if len(recs) == 0 && (err == nil || IsTornTail(err)) {
		return nil, fmt.Errorf("%w (%d bytes): see RecoverHeaderless", ErrNoHeader, size)
	}
	return recs, err
}

// RecoverHeaderless sets aside a journal file that holds no whole header
// — an empty or partial file left by an older version of ccjkit, which
// created the file before writing its header — so that the next [Open]
// creates a fresh journal. Nothing is deleted: the file is renamed to a
// quarantine name beside it, which is returned. A file that holds a
// header (a journal, however damaged) is refused with an error wrapping
// [ErrCorrupt]; use the recovery steps of docs/recovery.md for those.
func RecoverHeaderless(path string, clock timesync.Clock) (string, error) {
	return recoverHeaderless(osFS{}, path, clock)
}

func recoverHeaderless(fsy fsys, path string, clock timesync.Clock) (string, error) {
	f, err := fsy.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := f.Lock(true); err != nil {
		return "", err
	}
	defer f.Unlock()
	recs, _, _, _, rerr := readAll(f)
	if len(recs) > 0 {
		return "", fmt.Errorf("%w: the file holds a journal header: it is not header-less (%v)", ErrCorrupt, errOr(rerr, "no damage"))
	}
	if rerr != nil && !IsTornTail(rerr) {
		return "", fmt.Errorf("%w: the file does not look like the start of a journal: set it aside by hand (%v)", ErrCorrupt, rerr)
	}
	now := timesync.Now(clock).Time().UTC()
	dst := fmt.Sprintf("%s.quarantine-%s-headerless", path, now.Format("20060102T150405Z"))
	if err := fsy.RenameNoReplace(path, dst); err != nil {
		return "", err
	}
	if err := fsy.SyncDir(filepath.Dir(path)); err != nil {
		return "", err
	}
	return dst, nil
}

// Backup copies the journal at path to dst, consistently: under the
// shared lock, so that no write is under way, to a temporary file beside
// dst that is synced, checked and renamed into place (dst must not
// exist). A plain file copy taken while a member writes may end with an
// incomplete write — harmless, the restored register sets it aside —
// but Backup never does. It returns the records copied.
func Backup(path, dst string) ([]Record, error) {
	src, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	f := osFile{src}
	if err := f.Lock(false); err != nil {
		return nil, err
	}
	recs, _, valid, size, rerr := readAll(f)
	if rerr != nil && !IsTornTail(rerr) {
		return nil, rerr
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%w (%d bytes): see RecoverHeaderless", ErrNoHeader, size)
	}
	data := make([]byte, valid)
	if n, err := src.ReadAt(data, 0); int64(n) != valid {
		return nil, fmt.Errorf("%w: reading the journal: %v", ErrIO, errOr(err, "short read"))
	}
	f.Unlock()
	fsy := osFS{}
	tmp, err := fsy.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".new-*")
	if err != nil {
		return nil, err
	}
	name := tmp.Name()
	err = writeSynced(tmp, data)
	if err == nil {
		if back, verr := ReadFile(name); verr != nil || len(back) != len(recs) {
			err = fmt.Errorf("%w: the copy does not read back whole", ErrIO)
		}
	}
	if err == nil {
		err = fsy.RenameNoReplace(name, dst)
	}
	if err != nil {
		os.Remove(name)
		return nil, err
	}
	return recs, fsy.SyncDir(filepath.Dir(dst))
}

// writeSynced writes data at the start of a new file, syncs and closes
// it, and returns the first error.
func writeSynced(f jfile, data []byte) error {
	n, err := f.WriteAt(data, 0)
	if err == nil && n != len(data) {
		err = errors.New("short write")
	}
	if err == nil {
		err = f.Datasync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
