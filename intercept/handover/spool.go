package handover

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ccjkit/ccjkit/internal/durable"
)

// The spool is a link's overflow on disk: when the memory queue is full,
// records are appended to segment files instead, and read back into the
// queue as the receiver confirms what it has. A segment holds whole PDUs
// back to back, nothing else, so that a segment is itself a valid stream
// and a torn write at its end is found by framing it. Its name is the
// hexadecimal offset, in the link's byte stream, of its first octet
// ("00000000001f4000.spool"); names sort as the stream does.
//
// Every method is called with the link's mutex held unless it says
// otherwise.

const (
	spoolSuffix = ".spool"
	lockName    = "lock"
	// stageBytes is how much a link gathers in memory before one write to
	// the tail segment: one system call per 256 KiB keeps Deliver cheap
	// while spooling.
	stageBytes = 256 << 10
	// refillBytes bounds one read of the spool back into the memory queue.
	refillBytes = 1 << 20
)

type segment struct {
	start, end uint64 // the stream range on disk (the stage is beyond end)
	f          *os.File
	path       string
	sealed     bool // no more appends (full, or recovered from an earlier run)
	dirty      bool // written since the last fsync
	// kept marks a segment keep wrote from the memory queue, which a
	// later keep may extend while it is smaller than segBytes.
	kept bool
}

func (s *segment) size() uint64 { return s.end - s.start }

type spool struct {
	dir      string
	quota    uint64 // bytes on disk and staged, at most
	segBytes uint64 // a segment is sealed once it reaches this size
	lock     *os.File
	segs     []*segment // ascending start; only the last may be unsealed
	stage    []byte     // spooled bytes not yet written, following the last segment's end
	used     uint64     // bytes in segs plus stage
	err      error      // the first write failure: the spool takes nothing more

	spooled, recovered, damaged uint64 // counters, under the link's mutex

	created bool      // a segment file was created since the directory's last sync by Sync
	ledger  *ledger   // nil where files cannot be mapped
	records uint64    // whole records recovered at start
	crash   LossBound // what the previous run's crash lost, by its ledger
}

// openSpool locks dir (creating it) and recovers the segments an earlier
// run left there. Each is framed PDU by PDU; what follows the last whole
// PDU (a write torn by a crash or power cut) is cut off and counted as
// damaged. The recovered segments are renamed to start at offset 0, in
// their order, so that the new run's stream continues after them.
func openSpool(dir string, quota, segBytes uint64, log *slog.Logger, name string, w wire) (*spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
	}
	lock, err := durable.Lock(filepath.Join(dir, lockName))
	if errors.Is(err, durable.ErrLocked) {
		return nil, fmt.Errorf("%w: %s spool %s is in use by another handover: %w", ErrSpool, name, dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
	}
	sp := &spool{dir: dir, quota: quota, segBytes: segBytes, lock: lock}
	if err := sp.recover(log, name, w); err != nil {
		sp.close()
		return nil, err
	}
	return sp, nil
}

func (sp *spool) recover(log *slog.Logger, name string, w wire) error {
	entries, err := os.ReadDir(sp.dir)
	if err != nil {
		return fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
	}
	type old struct {
		start, valid, records uint64
		path                  string
		f                     *os.File
		torn                  bool
	}
	var olds []*old
	closeAll := func() {
		for _, o := range olds {
			if o.f != nil {
				o.f.Close()
			}
		}
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, spoolSuffix) || !e.Type().IsRegular() {
			continue
		}
		start, err := strconv.ParseUint(strings.TrimSuffix(n, spoolSuffix), 16, 64)
		if err != nil {
			return fmt.Errorf("%w: %s spool: %s is not a segment name", ErrSpool, name, n)
		}
		olds = append(olds, &old{start: start, path: filepath.Join(sp.dir, n)})
	}
	slices.SortFunc(olds, func(a, b *old) int { return cmpU64(a.start, b.start) })
	prev, hadLedger := readLedger(sp.dir)
	// First every segment is framed and its torn tail cut off, counting
	// the whole records that end past the previous run's sent and
	// confirmed points: those the crash did not take.
	var afterSent, afterConf, total uint64
	for _, o := range olds {
		f, err := os.OpenFile(o.path, os.O_RDWR|os.O_APPEND, 0o600)
		if err != nil {
			closeAll()
			return fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
		}
		o.f = f
		size, valid, err := frameFile(f, w, func(end uint64) {
			end += o.start
			o.records++
			if end > prev.sentOff {
				afterSent++
			}
			if end > prev.confOff {
				afterConf++
			}
		})
		if err != nil {
			closeAll()
			return fmt.Errorf("%w: %s spool: reading %s: %w", ErrSpool, name, filepath.Base(o.path), err)
		}
		o.valid, o.torn = valid, valid < size
		total += o.records
		if valid < size {
			sp.damaged += size - valid
			log.Error("handover spool: a segment ends in a damaged record; it is cut off",
				"link", name, "segment", filepath.Base(o.path), "damaged_bytes", size-valid)
			if err := f.Truncate(int64(valid)); err != nil {
				closeAll()
				return fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
			}
		}
	}
	if hadLedger {
		sp.crash = crashBound(prev, afterSent, afterConf)
	}
	// The new run's ledger is written before any segment is renamed: a
	// crash in between leaves a ledger that counts every record on disk as
	// unsent, which is what they are, whatever their names.
	lg, err := openLedger(sp.dir, total)
	if err != nil {
		closeAll()
		return fmt.Errorf("%w: %s spool: ledger: %w", ErrSpool, name, err)
	}
	sp.ledger, sp.records = lg, total
	var at uint64
	for i, o := range olds {
		if o.valid == 0 {
			o.f.Close()
			o.f = nil
			if err := os.Remove(o.path); err != nil {
				closeAll()
				return fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
			}
			continue
		}
		path := segmentPath(sp.dir, at)
		if path != o.path {
			if err := os.Rename(o.path, path); err != nil {
				closeAll()
				return fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
			}
		}
		sp.segs = append(sp.segs, &segment{start: at, end: at + o.valid, f: o.f, path: path, sealed: true, dirty: o.torn})
		olds[i].f = nil // the segment owns it now
		at += o.valid
	}
	sp.used, sp.recovered = at, at
	if len(olds) > 0 {
		if err := durable.SyncDir(sp.dir); err != nil {
			return fmt.Errorf("%w: %s spool: %w", ErrSpool, name, err)
		}
		if at > 0 {
			log.Info("handover spool: records from an earlier run will be sent first", "link", name, "bytes", at)
		}
	}
	if sp.crash.Known && sp.crash.Max > 0 {
		log.Warn("handover restarted after a crash of the previous run: records it had accepted were lost",
			"link", name, "lost_at_least", sp.crash.Min, "lost_at_most", sp.crash.Max)
	}
	return nil
}

// frameFile reads f from its start PDU by PDU and returns its size and
// the length of its longest prefix of whole PDUs, calling each (when not
// nil) with the file offset at which each whole PDU ends.
func frameFile(f *os.File, w wire, each func(end uint64)) (size, valid uint64, err error) {
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	fr := w.newFramer(io.NewSectionReader(f, 0, st.Size()), 0)
	for {
		pdu, err := fr.Next()
		if err != nil {
			if err == io.EOF || w.isFramingError(err) {
				return uint64(st.Size()), valid, nil
			}
			return 0, 0, err
		}
		valid += uint64(len(pdu))
		if each != nil {
			each(valid)
		}
	}
}

func segmentPath(dir string, start uint64) string {
	return filepath.Join(dir, fmt.Sprintf("%016x%s", start, spoolSuffix))
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// room reports whether n more bytes fit the quota.
func (sp *spool) room(n uint64) bool { return sp.err == nil && sp.used+n <= sp.quota }

// append spools pdu, which starts at stream offset at.
func (sp *spool) append(pdu []byte, at uint64) error {
	tail := sp.tail()
	if tail == nil || tail.sealed || tail.end+uint64(len(sp.stage)) != at {
		if err := sp.rotate(at); err != nil {
			return err
		}
	}
	sp.stage = append(sp.stage, pdu...)
	sp.used += uint64(len(pdu))
	sp.spooled++
	if len(sp.stage) >= stageBytes {
		return sp.flush()
	}
	return nil
}

func (sp *spool) tail() *segment {
	if len(sp.segs) == 0 {
		return nil
	}
	return sp.segs[len(sp.segs)-1]
}

// rotate seals the tail and starts a segment at stream offset at.
func (sp *spool) rotate(at uint64) error {
	if err := sp.flush(); err != nil {
		return err
	}
	if t := sp.tail(); t != nil {
		t.sealed = true
	}
	path := segmentPath(sp.dir, at)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		sp.err = err
		return err
	}
	sp.segs = append(sp.segs, &segment{start: at, end: at, f: f, path: path})
	sp.created = true
	return nil
}

// flush writes the stage to the tail segment, and seals the tail once it
// is full. A write failure stops the spool: what is staged stays in
// memory (it can still be sent) and nothing more is spooled.
func (sp *spool) flush() error {
	if len(sp.stage) == 0 || sp.err != nil {
		return sp.err
	}
	t := sp.tail()
	n, err := t.f.Write(sp.stage)
	t.end += uint64(n)
	t.dirty = t.dirty || n > 0
	sp.stage = append(sp.stage[:0], sp.stage[n:]...)
	if err != nil {
		sp.err = err
		return err
	}
	if t.size() >= sp.segBytes {
		t.sealed = true
	}
	return nil
}

// locate returns where stream offset off is: in segment s at file
// offset pos with k bytes of that segment from there on, or in the stage
// at index pos (s nil).
func (sp *spool) locate(off uint64) (s *segment, pos, k uint64, ok bool) {
	for _, s := range sp.segs {
		if off >= s.start && off < s.end {
			return s, off - s.start, s.end - off, true
		}
	}
	if t := sp.tail(); t != nil && off >= t.end && off < t.end+uint64(len(sp.stage)) {
		return nil, off - t.end, t.end + uint64(len(sp.stage)) - off, true
	}
	return nil, 0, 0, false
}

// release deletes the segments whose every byte the receiver confirmed.
// The tail goes only with the stage that follows it: when the receiver
// confirmed the staged bytes too (sent from the stage before a flush wrote
// them out), the stage is dropped with it, or a confirmed tail would stay
// on disk and be sent again at the next start.
func (sp *spool) release(acked uint64) {
	for len(sp.segs) > 0 {
		s := sp.segs[0]
		if s.end > acked {
			return
		}
		if len(sp.segs) == 1 && len(sp.stage) > 0 {
			if s.end+uint64(len(sp.stage)) > acked {
				return
			}
			sp.used -= uint64(len(sp.stage))
			sp.stage = sp.stage[:0]
		}
		s.f.Close()
		os.Remove(s.path) // a leftover is framed again and sent again at the next start: a duplicate, never a hole
		sp.used -= s.size()
		sp.segs = sp.segs[1:]
	}
}

// keep writes the stream range [from, to) of the memory queue that is on
// no segment to the spool, so that Close and Sync lose nothing they can
// keep. A range that begins where a segment keep wrote ends is appended
// to it while it is smaller than segBytes — a Sync at every keep-alive
// adds to one file rather than creating one each time — else it starts a
// new segment. It counts against the quota; with bounded, a range that
// does not fit is refused, written in part (Sync). Close keeps what it
// holds whatever the quota: at most the memory queue more.
func (sp *spool) keep(ring []byte, from, to uint64, bounded bool) error {
	if sp.err != nil {
		return sp.err
	}
	if err := sp.flush(); err != nil {
		return err
	}
	covered := func(off uint64) (uint64, bool) { // the end of the segment holding off
		for _, s := range sp.segs {
			if off >= s.start && off < s.end {
				return s.end, true
			}
		}
		return 0, false
	}
	q := uint64(len(ring))
	for off := from; off < to; {
		if end, ok := covered(off); ok {
			off = end
			continue
		}
		end := to
		var into *segment
		for _, s := range sp.segs {
			if s.start > off && s.start < end {
				end = s.start
			}
			if s.kept && s.end == off && s.size() < sp.segBytes {
				into = s
			}
		}
		if bounded && !sp.room(end-off) {
			return fmt.Errorf("the spool's quota (%d bytes) leaves no room for the %d bytes to keep", sp.quota, end-off)
		}
		if into == nil {
			path := segmentPath(sp.dir, off)
			f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
			if err != nil {
				return err
			}
			into = &segment{start: off, end: off, f: f, path: path, sealed: true, kept: true}
			sp.segs = append(sp.segs, into)
			slices.SortFunc(sp.segs, func(a, b *segment) int { return cmpU64(a.start, b.start) })
			sp.created = true
		}
		for p := off; p < end; {
			at := p % q
			k := min(end-p, q-at)
			n, err := into.f.Write(ring[at : at+k])
			into.end += uint64(n)
			sp.used += uint64(n)
			into.dirty = into.dirty || n > 0
			if err != nil {
				// The segment may now end inside a record: nothing is
				// written after it, and the spool takes nothing more.
				into.kept = false
				sp.err = err
				return err
			}
			p += k
		}
		off = end
	}
	return nil
}

// dirtyFiles returns the segment files written since their last fsync and
// marks them clean; the caller syncs them without the link's mutex.
func (sp *spool) dirtyFiles(buf []*os.File) []*os.File {
	for _, s := range sp.segs {
		if s.dirty {
			s.dirty = false
			buf = append(buf, s.f)
		}
	}
	return buf
}

// close syncs and closes every file and the directory, and releases the
// lock.
func (sp *spool) close() error {
	var errs []error
	for _, s := range sp.segs {
		if s.dirty {
			errs = append(errs, s.f.Sync())
		}
		errs = append(errs, s.f.Close())
	}
	sp.segs = nil
	errs = append(errs, sp.ledger.close(), durable.SyncDir(sp.dir), sp.lock.Close())
	sp.ledger = nil
	return errors.Join(errs...)
}

var errSpoolFraming = errors.New("handover: spool holds something other than a PDU")
