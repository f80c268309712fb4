package register

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/ccjkit/ccjkit/internal/durable"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/ccjkit/ccjkit/timesync"
)

// The journal file is a sequence of frames:
//
//	magic    4 bytes  "CCJR"
//	length   4 bytes  big-endian length of body
//	body     length bytes:
//	           seq       8 bytes, from 0 (the header record)
//	           time      8 bytes, Unix seconds UTC
//	           prev      32 bytes, the hash of the previous record
//	           kind      2-byte length + bytes
//	           payload   4-byte length + bytes
//	hash     32 bytes SHA-256 of body
//
// Record 0 is the header: its kind is "journal" and its payload the
// journal's random 16-byte identity, so that records of two journals
// cannot be spliced together without breaking the chain.
const (
	magic       = "CCJR"
	frameHeader = 8
	hashSize    = sha256.Size
	// MaxPayload bounds a record's payload.
	MaxPayload = 1 << 20
	// MaxKind bounds a record's kind.
	MaxKind = 64
	maxBody = 8 + 8 + hashSize + 2 + MaxKind + 4 + MaxPayload
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
	// body (Prev included): changing any earlier byte changes every later
	// hash.
	Prev Hash
	Hash Hash
	// Kind says what the record is ("journal" for the header); Payload
	// holds its content — in a register, ciphertext.
	Kind    string
	Payload []byte
}

func (r Record) body() []byte {
	b := make([]byte, 0, 8+8+hashSize+2+len(r.Kind)+4+len(r.Payload))
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Time.Unix()))
	b = append(b, r.Prev[:]...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(r.Kind)))
	b = append(b, r.Kind...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(r.Payload)))
	return append(b, r.Payload...)
}

// frame returns the record as written to the file, and fills in its hash.
func (r *Record) frame() []byte {
	body := r.body()
	r.Hash = sha256.Sum256(body)
	f := make([]byte, 0, frameHeader+len(body)+hashSize)
	f = append(f, magic...)
	f = binary.BigEndian.AppendUint32(f, uint32(len(body)))
	f = append(f, body...)
	return append(f, r.Hash[:]...)
}

// The errors of journals, for errors.Is.
var (
	// ErrCorrupt: a record is not what the chain says it should be — a
	// changed byte, a record dropped, reordered or spliced in.
	ErrCorrupt = errors.New("register: journal corrupt")
	// ErrClosed: the journal was closed, or broke on an I/O error.
	ErrClosed = errors.New("register: journal closed")
	// ErrRecord: a record cannot be appended as given.
	ErrRecord = errors.New("register: invalid record")
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
	return fmt.Sprintf("%v: record %d at byte %d: %s", ErrCorrupt, e.Seq, e.Offset, e.Reason)
}

// Unwrap returns [ErrCorrupt].
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// ReadRecords decodes a journal's bytes and checks its chain: it returns
// the whole records, the length of the valid prefix, and either nil, a
// [*CorruptError] naming the first bad record, or — for an incomplete last
// frame, as a crash mid-write leaves — a *CorruptError whose Seq is the
// torn record's and that [IsTornTail] recognises.
func ReadRecords(data []byte) ([]Record, int64, error) {
	var out []Record
	var prev Hash
	off := int64(0)
	for seq := uint64(0); off < int64(len(data)); seq++ {
		rest := data[off:]
		bad := func(torn bool, format string, args ...any) ([]Record, int64, error) {
			return out, off, &CorruptError{Seq: seq, Offset: off, Reason: fmt.Sprintf(format, args...), torn: torn}
		}
		if len(rest) < frameHeader {
			if bytes.HasPrefix([]byte(magic), rest[:min(len(rest), 4)]) {
				return bad(true, "incomplete frame header (torn write)")
			}
			return bad(false, "no frame header")
		}
		if string(rest[:4]) != magic {
			return bad(false, "no frame magic")
		}
		n := int64(binary.BigEndian.Uint32(rest[4:8]))
		if n < 8+8+hashSize+2+4 || n > maxBody {
			return bad(false, "impossible body length %d", n)
		}
		if int64(len(rest)) < frameHeader+n+hashSize {
			return bad(true, "incomplete record (torn write)")
		}
		body := rest[frameHeader : frameHeader+n]
		var h Hash
		copy(h[:], rest[frameHeader+n:])
		last := int64(len(rest)) == frameHeader+n+hashSize
		if sha256.Sum256(body) != h {
			return bad(last, "hash does not match the record's bytes")
		}
		r, err := parseBody(body)
		if err != nil {
			return bad(false, "%v", err)
		}
		r.Hash = h
		switch {
		case r.Seq != seq:
			return bad(false, "sequence number %d where %d belongs (a record dropped, reordered or spliced)", r.Seq, seq)
		case r.Prev != prev:
			return bad(false, "it does not follow the record before (a record dropped, reordered or spliced)")
		case seq == 0 && (r.Kind != headerKind || len(r.Payload) != 16):
			return bad(false, "the first record is not a journal header")
		case seq > 0 && r.Kind == headerKind:
			return bad(false, "a second journal header (two journals spliced)")
		}
		out = append(out, r)
		prev = h
		off += frameHeader + n + hashSize
	}
	return out, off, nil
}

const headerKind = "journal"

func parseBody(b []byte) (Record, error) {
	var r Record
	if len(b) < 8+8+hashSize+2 {
		return r, errors.New("body too short")
	}
	r.Seq = binary.BigEndian.Uint64(b)
	r.Time = timesync.Unix(int64(binary.BigEndian.Uint64(b[8:])))
	copy(r.Prev[:], b[16:16+hashSize])
	b = b[16+hashSize:]
	kl := int(binary.BigEndian.Uint16(b))
	if kl > MaxKind || len(b) < 2+kl+4 {
		return r, errors.New("bad kind length")
	}
	r.Kind = string(b[2 : 2+kl])
	b = b[2+kl:]
	pl := int(binary.BigEndian.Uint32(b))
	if pl > MaxPayload || len(b) != 4+pl {
		return r, errors.New("bad payload length")
	}
	r.Payload = bytes.Clone(b[4:])
	return r, nil
}

// IsTornTail reports whether err is the incomplete last record a crash
// mid-write leaves, rather than tampering.
func IsTornTail(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce) && ce.torn
}

// Journal is an append-only, hash-chained, durable log of records. It is
// safe for concurrent use: concurrent Appends are written and made durable
// together (group commit).
type Journal struct {
	clock timesync.Clock

	mu       sync.Mutex
	cond     *sync.Cond
	f        *os.File
	next     uint64 // the next sequence number
	last     Hash   // the hash of the last record
	pending  []byte // framed records not yet written
	pendLast uint64 // the highest sequence number in pending
	durable  uint64 // records below this sequence number are durable
	flushing bool
	err      error // sticky: set when the file broke or was closed
}

// OpenReport says what Open found.
type OpenReport struct {
	Records int // whole records, header included
	// TornBytes is how many bytes of an incomplete last record were cut
	// off; Torn describes it. Zero when the journal ended cleanly.
	TornBytes int64
	Torn      error
}

// Open opens the journal at path, creating it (mode 0600, its directory
// synced) with a fresh header if it does not exist. A torn last record left
// by a crash is reported in the OpenReport and cut back to the last whole
// record; any other damage is an error wrapping [ErrCorrupt] and the file
// is left as it is. Times of records come from clock.
func Open(path string, clock timesync.Clock) (*Journal, OpenReport, error) {
	var rep OpenReport
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	created := err == nil
	if errors.Is(err, os.ErrExist) {
		f, err = os.OpenFile(path, os.O_RDWR, 0o600)
	}
	if err != nil {
		return nil, rep, err
	}
	j := &Journal{clock: clock, f: f}
	j.cond = sync.NewCond(&j.mu)
	if created {
		id := make([]byte, 16)
		if _, err := rand.Read(id); err != nil {
			f.Close()
			return nil, rep, err
		}
		hdr := Record{Seq: 0, Time: timesync.Now(clock), Kind: headerKind, Payload: id}
		if _, err := f.Write(hdr.frame()); err != nil {
			f.Close()
			return nil, rep, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, rep, err
		}
		if err := durable.SyncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, rep, err
		}
		j.next, j.last, j.durable = 1, hdr.Hash, 1
		rep.Records = 1
		return j, rep, nil
	}
	data, err := io.ReadAll(bufio.NewReader(f))
	if err != nil {
		f.Close()
		return nil, rep, err
	}
	recs, valid, err := ReadRecords(data)
	if err != nil && !IsTornTail(err) {
		f.Close()
		return nil, rep, err
	}
	if err != nil {
		rep.Torn, rep.TornBytes = err, int64(len(data))-valid
		if err := f.Truncate(valid); err != nil {
			f.Close()
			return nil, rep, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, rep, err
		}
	}
	if len(recs) == 0 {
		f.Close()
		return nil, rep, &CorruptError{Reason: "no journal header"}
	}
	if _, err := f.Seek(valid, io.SeekStart); err != nil {
		f.Close()
		return nil, rep, err
	}
	last := recs[len(recs)-1]
	j.next, j.last, j.durable = last.Seq+1, last.Hash, last.Seq+1
	rep.Records = len(recs)
	return j, rep, nil
}

// Append adds a record of the given kind and payload, timed by the
// journal's clock, and returns it once it is durable: written and synced
// to disk. Appends from several goroutines are batched into one write and
// one sync (group commit).
func (j *Journal) Append(kind string, payload []byte) (Record, error) {
	if kind == "" || len(kind) > MaxKind || kind == headerKind {
		return Record{}, fmt.Errorf("%w: kind must be 1 to %d bytes and not %q", ErrRecord, MaxKind, headerKind)
	}
	if len(payload) > MaxPayload {
		return Record{}, fmt.Errorf("%w: payload of %d bytes, more than %d", ErrRecord, len(payload), MaxPayload)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return Record{}, j.err
	}
	r := Record{Seq: j.next, Time: timesync.Now(j.clock), Prev: j.last, Kind: kind, Payload: bytes.Clone(payload)}
	j.pending = append(j.pending, r.frame()...)
	j.pendLast = r.Seq
	j.next++
	j.last = r.Hash
	for j.durable <= r.Seq && j.err == nil {
		if j.flushing {
			j.cond.Wait()
			continue
		}
		// Lead: write everything pending, sync, release the followers.
		j.flushing = true
		buf, upto := j.pending, j.pendLast
		j.pending = nil
		j.mu.Unlock()
		_, err := j.f.Write(buf)
		if err == nil {
			err = fdatasync(j.f)
		}
		j.mu.Lock()
		j.flushing = false
		if err != nil {
			j.err = fmt.Errorf("%w: %v", ErrClosed, err)
		} else {
			j.durable = upto + 1
		}
		j.cond.Broadcast()
	}
	if j.err != nil && j.durable <= r.Seq {
		return Record{}, j.err
	}
	return r, nil
}

// Close waits for nothing — every returned Append is already durable — and
// closes the file. Appends after Close fail with [ErrClosed].
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil && !errors.Is(j.err, ErrClosed) {
		return j.err
	}
	j.err = ErrClosed
	return j.f.Close()
}

// Verify reads the journal at path and checks every record's hash and
// chain; it returns the records, or an error naming the first bad one. It
// needs no key: the chain covers the payloads as stored.
func Verify(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	recs, _, err := ReadRecords(data)
	return recs, err
}
