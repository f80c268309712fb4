package journal

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"slices"

	"github.com/ccjkit/ccjkit/timesync"
)

// ScanOptions configure [Scan], [Records] and [Verify].
type ScanOptions struct {
	// ChainOnly checks every record's hash, framing, number and link to
	// the record before, but not its signature: the chain pass alone,
	// several times faster on a signed journal. Who wrote each record is
	// then not checked; use it for a quick integrity pass between full
	// verifications, never to vouch for a journal.
	ChainOnly bool
	// Progress, when set, is called as the scan goes on, about every
	// ProgressEvery bytes and once at the end, with the bytes read so far
	// and the total to read (-1 when the reader's length is unknown). It
	// is called from the scanning goroutine.
	Progress func(done, total int64)
	// ProgressEvery is the interval of the calls of Progress; 0 means
	// 16 MiB.
	ProgressEvery int64
	// Checkpoints, when set, is called with the journal's identity once
	// its header is read ([Anchors.Load] fits). Each checkpoint it returns
	// is checked as the records stream by — its signature, that it is
	// this journal's, then the hash of the record it names — and the scan
	// ends with an error wrapping [ErrCheckpoint] (each failure joined)
	// when one does not hold: the journal was cut short, rolled back to an
	// older copy, or changed. A corrupt record is reported first.
	Checkpoints func(id [16]byte) ([]Checkpoint, error)
}

// Summary is what a scan of a journal found.
type Summary struct {
	// ID is the journal's identity, the payload of its header.
	ID [16]byte
	// Records counts the whole records, the header included; an
	// incomplete last write is not counted.
	Records uint64
	// Signed and Unsigned count the records with and without a signature.
	Signed, Unsigned uint64
	// Last is the last whole record's hash, the value a checkpoint of the
	// whole journal signs.
	Last Hash
	// Created is the time of the header, LastTime the time of the last
	// whole record.
	Created, LastTime timesync.Timestamp
	// Valid is the length in bytes of the whole records before the end,
	// the damage, or the record the caller's function refused; Size the
	// number of bytes read, which after damage depends on how much was
	// read ahead.
	Valid, Size int64
	// Checkpoints counts the distinct checkpoints of
	// ScanOptions.Checkpoints that held.
	Checkpoints int
}

// scanBuffer is the size of a scan's buffer: room for the largest frame.
const scanBuffer = 2 << 20

// readChunk is how much a scan asks of its reader at a time.
const readChunk = 64 << 10

// defaultProgressEvery is the interval of progress reports.
const defaultProgressEvery = 16 << 20

// Scan reads a journal from r, from its first byte, checking every
// record as [ReadRecords] does (hash, framing, number, chain, signature,
// whole writes), in memory that does not grow with the journal, and calls
// fn, when not nil, with each whole record in order. The Record's
// Payload, Signer and Signature are valid only during the call: they
// alias Scan's buffer (keep a copy of what you need). The records of a
// write of several are handed over once the whole write has been read.
//
// It returns what it found and, when a record is bad, a [*CorruptError]
// naming the first one (for an incomplete last write, one [IsTornTail]
// recognises: fn has been given every whole record before it). A journal
// without a whole header — empty, or cut inside its header — is an error
// wrapping [ErrNoHeader], as [Open] and [ReadRecords] say. An error of fn
// stops the scan and is returned as it is; one of r wraps [ErrIO].
func Scan(r io.Reader, opts ScanOptions, fn func(Record) error) (Summary, error) {
	return scan(r, -1, scanBuffer, opts, fn)
}

// Records returns an iterator over the records of the journal read from
// r, checked as [Scan] checks them. It yields each whole record with a nil
// error; when the scan fails, it yields a zero Record with the error
// last. Records are only valid until the next iteration, as with Scan.
func Records(r io.Reader, opts ScanOptions) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		stop := errors.New("stopped")
		_, err := Scan(r, opts, func(rec Record) error {
			if !yield(rec, nil) {
				return stop
			}
			return nil
		})
		if err != nil && err != stop {
			yield(Record{}, err)
		}
	}
}

// Verify checks the journal at path under a shared lock, so that no
// write is under way, streaming it in constant memory: every record's
// hash, chain and signature (only the chain with opts.ChainOnly). It
// needs no key — the chain covers the payloads as stored — and never
// writes. It returns what it found and nil, or an error as [Scan]'s:
// a [*CorruptError] naming the first bad record (one [IsTornTail]
// recognises for an incomplete last write), an error wrapping
// [ErrNoHeader] for a file without a whole header. To get the records,
// use [ReadFile] or [Records].
func Verify(path string, opts ScanOptions) (Summary, error) {
	return scanPath(osFS{}, path, opts, nil)
}

// ScanFile is [Scan] on the journal at path, read under a shared lock so
// that no write is under way, with the file's length as the total of
// progress reports. It never writes. Appends wait while the lock is held:
// keep fn quick (no network, no waiting on people), or collect what it
// needs and do the work after the scan.
func ScanFile(path string, opts ScanOptions, fn func(Record) error) (Summary, error) {
	return scanPath(osFS{}, path, opts, fn)
}

func scanPath(fsy fsys, path string, opts ScanOptions, fn func(Record) error) (Summary, error) {
	f, err := fsy.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return Summary{}, err
	}
	defer f.Close()
	if err := f.Lock(false); err != nil {
		return Summary{}, err
	}
	size, err := f.Size()
	if err != nil {
		return Summary{}, err
	}
	return scan(io.NewSectionReader(f, 0, size), size, scanBuffer, opts, fn)
}

// scanner is Scan's window on its input: buf[lo:hi] is read and not yet
// consumed; buf[0] is byte base of the input.
type scanner struct {
	r      io.Reader
	buf    []byte
	lo, hi int
	base   int64
	eof    bool
	// empty counts the reads in a row that returned nothing.
	empty int
}

// maxEmptyReads is how many reads in a row may return nothing before a
// scan gives up, as bufio.Reader allows.
const maxEmptyReads = 100

// off returns the input offset of buf[lo].
func (s *scanner) off() int64 { return s.base + int64(s.lo) }

// fill reads until buf[lo:hi] holds at least need bytes or the input
// ends, moving what is not consumed to the front of the buffer (or to a
// larger one) when it is full.
func (s *scanner) fill(need int) error {
	for s.hi-s.lo < need && !s.eof {
		if s.hi == len(s.buf) {
			nb := s.buf
			if need > len(s.buf) {
				nb = make([]byte, need)
			}
			n := copy(nb, s.buf[s.lo:s.hi])
			s.base += int64(s.lo)
			s.buf, s.lo, s.hi = nb, 0, n
		}
		// Read in chunks that stay in the processor's cache until they
		// are hashed, not the whole buffer at once.
		n, err := s.r.Read(s.buf[s.hi:min(len(s.buf), s.hi+max(readChunk, need-(s.hi-s.lo)))])
		s.hi += n
		switch {
		case err == io.EOF: // the io.Reader contract: EOF itself, never wrapped
			s.eof = true
		case err != nil:
			return fmt.Errorf("%w: reading the journal: %v", ErrIO, err)
		case n == 0:
			// As bufio does: a reader may return nothing a few times.
			if s.empty++; s.empty >= maxEmptyReads {
				return fmt.Errorf("%w: reading the journal: %v", ErrIO, io.ErrNoProgress)
			}
		default:
			s.empty = 0
		}
	}
	return nil
}

// held is a record of a write under way, its bytes kept in the scan's
// arena at the offsets given (-1 for none), until the write is whole.
type held struct {
	rec                 Record
	pay, signer, sigOff [2]int
}

// hold copies rec's bytes to the end of arena and returns both, with
// where the bytes are. Records are built on the arena only when the
// write is whole, so that its earlier, smaller arrays are not kept alive.
func hold(arena []byte, rec Record) ([]byte, held) {
	keep := func(b []byte) [2]int {
		if b == nil {
			return [2]int{-1, -1}
		}
		at := len(arena)
		if len(arena)+len(b) > cap(arena) {
			// Double, rather than append's gentler growth for large
			// slices: the arrays left behind add up to at most the size
			// of the last.
			grown := make([]byte, len(arena), max(2*cap(arena), len(arena)+len(b), 4096))
			copy(grown, arena)
			arena = grown
		}
		arena = append(arena, b...)
		return [2]int{at, len(arena)}
	}
	h := held{pay: keep(rec.Payload), signer: keep(rec.Signer), sigOff: keep(rec.Signature)}
	rec.Payload, rec.Signer, rec.Signature = nil, nil, nil
	h.rec = rec
	return arena, h
}

// record returns the held record, its bytes on arena.
func (h held) record(arena []byte) Record {
	r := h.rec
	at := func(o [2]int) []byte {
		if o[0] < 0 {
			return nil
		}
		return arena[o[0]:o[1]:o[1]]
	}
	r.Payload, r.Signer, r.Signature = at(h.pay), at(h.signer), at(h.sigOff)
	return r
}

// scan is Scan with the input's length when known (-1 otherwise) and the
// size of the buffer to start with.
func scan(r io.Reader, total int64, bufSize int, opts ScanOptions, fn func(Record) error) (Summary, error) {
	sc := &scanning{in: &scanner{r: r, buf: make([]byte, bufSize)}, k: checker{chainOnly: opts.ChainOnly, kinds: map[string]string{}},
		opts: opts, fn: fn, total: total, every: opts.ProgressEvery}
	if sc.every <= 0 {
		sc.every = defaultProgressEvery
	}
	for {
		more, err := sc.next()
		if err != nil || !more {
			return sc.end(err)
		}
	}
}

// scanning is a scan under way.
type scanning struct {
	in    *scanner
	k     checker
	opts  ScanOptions
	fn    func(Record) error
	sum   Summary
	total int64
	// every is the interval of progress reports, reported the offset of
	// the last one.
	every, reported int64
	// The write under way: where it began, its chain, and its records,
	// held (their bytes in the arena) until it is whole.
	start  int64
	startC chain
	held   []held
	arena  []byte
	// vouched holds the checkpoints still to check, by the record they
	// name; cpErrs their failures.
	vouched map[uint64][]Checkpoint
	cpErrs  []error
}

// next reads and checks one record; it reports false at the end of a
// whole journal.
func (sc *scanning) next() (bool, error) {
	s := sc.in
	if sc.k.pending == 0 {
		sc.start, sc.startC = s.off(), sc.k.c
		sc.sum.Valid = sc.start
	}
	if err := s.fill(frameHeader); err != nil {
		return false, err
	}
	if s.hi == s.lo {
		if sc.k.pending > 0 {
			return false, sc.torn(fmt.Sprintf("a write of several records stopped after %d of them", sc.k.c.seq-sc.startC.seq))
		}
		return false, nil
	}
	n, signed, complete, why := frameAt(s.buf[s.lo:s.hi])
	if why == "" && !complete {
		if err := s.fill(frameHeader + n + hashSize); err != nil {
			return false, err
		}
		n, signed, complete, why = frameAt(s.buf[s.lo:s.hi])
	}
	if !complete {
		// Only at the end of the input: all of it is in the buffer.
		if why == "" {
			why = tornTail(s.buf[s.lo:s.hi], sc.k.c)
		}
		if why != "" {
			return false, sc.bad(why)
		}
		return false, sc.torn(sc.k.tornReason(sc.startC))
	}
	rec, why := sc.k.next(s.buf[s.lo:s.hi], n, signed)
	if why != "" {
		return false, sc.bad(why)
	}
	s.lo += frameHeader + n + hashSize
	if err := sc.take(rec); err != nil {
		return false, err
	}
	sc.progress(false)
	return true, nil
}

// take hands a checked record over, or holds it until its write is whole.
func (sc *scanning) take(rec Record) error {
	if sc.k.pending == 0 && len(sc.held) == 0 {
		return sc.emit(rec)
	}
	// Held records outlive the buffer's window: their bytes go to the
	// arena, reused from one write to the next.
	var h held
	sc.arena, h = hold(sc.arena, rec)
	sc.held = append(sc.held, h)
	if sc.k.pending > 0 {
		return nil
	}
	return sc.flush()
}

// flush hands over the records held.
func (sc *scanning) flush() error {
	for _, h := range sc.held {
		if err := sc.emit(h.record(sc.arena)); err != nil {
			return err
		}
	}
	clear(sc.held)
	sc.held, sc.arena = sc.held[:0], sc.arena[:0]
	return nil
}

// bad is the error of damage at the current offset: every whole record
// before it is handed over, those of a write of several under way
// included, as ReadRecords returns them.
func (sc *scanning) bad(why string) error {
	if err := sc.flush(); err != nil {
		return err
	}
	sc.sum.Valid = sc.in.off()
	return &CorruptError{Seq: sc.k.c.seq, Offset: sc.in.off(), Reason: why}
}

// torn is the error of an incomplete last write, from the start of the
// write under way.
func (sc *scanning) torn(why string) error {
	return &CorruptError{Seq: sc.startC.seq, Offset: sc.start, Reason: why, torn: true}
}

// emit counts a whole record, checks the checkpoints that name it, and
// gives it to the caller's function.
func (sc *scanning) emit(rec Record) error {
	if rec.Seq == 0 {
		copy(sc.sum.ID[:], rec.Payload)
		sc.sum.Created = rec.Time
		if err := sc.loadCheckpoints(); err != nil {
			return err
		}
	}
	for _, cp := range sc.vouched[rec.Seq] {
		if err := cp.checkHash(rec.Hash); err != nil {
			sc.cpErrs = append(sc.cpErrs, err)
		} else {
			sc.sum.Checkpoints++
		}
	}
	delete(sc.vouched, rec.Seq)
	sc.sum.Records++
	if rec.Signed() {
		sc.sum.Signed++
	} else {
		sc.sum.Unsigned++
	}
	sc.sum.Last, sc.sum.LastTime = rec.Hash, rec.Time
	if sc.fn != nil {
		return sc.fn(rec)
	}
	return nil
}

// loadCheckpoints asks for the checkpoints of the journal whose header was
// just read, and checks their signatures.
func (sc *scanning) loadCheckpoints() error {
	if sc.opts.Checkpoints == nil {
		return nil
	}
	cps, err := sc.opts.Checkpoints(sc.sum.ID)
	if err != nil {
		return err
	}
	sc.vouched = map[uint64][]Checkpoint{}
	seen := map[string]bool{}
	for _, cp := range cps {
		// The same checkpoint given twice is checked and counted once.
		if key := string(checkpointMessage(cp)) + string(cp.Signature); seen[key] {
			continue
		} else {
			seen[key] = true
		}
		if err := cp.checkFor(sc.sum.ID); err != nil {
			sc.cpErrs = append(sc.cpErrs, err)
			continue
		}
		sc.vouched[cp.Seq] = append(sc.vouched[cp.Seq], cp)
	}
	return nil
}

// progress reports how far the scan is, every so often or at the end.
func (sc *scanning) progress(final bool) {
	if sc.opts.Progress != nil && (final || sc.in.off()-sc.reported >= sc.every) {
		sc.reported = sc.in.off()
		sc.opts.Progress(sc.in.off(), sc.total)
	}
}

// end completes the summary and gives the scan's outcome: err, or the
// checkpoints that did not hold (those naming a record past the end
// included), or a missing header.
func (sc *scanning) end(err error) (Summary, error) {
	sc.sum.Size = sc.in.off() + int64(sc.in.hi-sc.in.lo)
	if err == nil {
		sc.sum.Valid = sc.in.off()
	}
	sc.progress(true)
	if sc.sum.Records == 0 && (err == nil || IsTornTail(err)) {
		return sc.sum, fmt.Errorf("%w (%d bytes): see RecoverHeaderless", ErrNoHeader, sc.sum.Size)
	}
	if err == nil || IsTornTail(err) {
		for _, seq := range slices.Sorted(maps.Keys(sc.vouched)) {
			for _, cp := range sc.vouched[seq] {
				sc.cpErrs = append(sc.cpErrs, cp.cutShort(sc.sum.Records))
			}
		}
		if len(sc.cpErrs) > 0 {
			return sc.sum, errors.Join(sc.cpErrs...)
		}
	}
	return sc.sum, err
}
