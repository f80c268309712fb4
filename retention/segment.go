package retention

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/timesync"
)

// A segment is a scope's records once compacted: immutable, sorted,
// in blocks of up to segBlock records, under a key of its own, named
// seg-KID.seg.
//
//	"CCJRSEG1"
//	the sealed blocks, one after the other
//	the sealed index: each block's header, in order
//	the table, in clear: for each block its offset (8 bytes), length
//	  (4), record count (4) and SHA-256 (32)
//	the index's offset (8), length (4) and SHA-256 (32)
//	the table's SHA-256 (32)
//	the number of blocks (4) and of records (8)
//	the SHA-256 of every byte before it (32)
//	"CCJRSEGE"
//
// The clear table lets [Store.Verify] name a changed byte's block with no
// key; the blocks' records are authenticated by AES-GCM and their Merkle
// roots by the sealed headers. A segment is written to a temporary file,
// synced, renamed into place and its directory synced: it exists whole
// or not at all, so it never has a torn tail.
const (
	segPrefix = "seg-"
	segSuffix = ".seg"
	segMagic  = "CCJRSEG1"
	segEnd    = "CCJRSEGE"
	segTail   = 8 + 4 + 32 + 32 + 4 + 8 + 32 + 8
	segEntry  = 8 + 4 + 4 + 32
	// segBlock bounds the records of a segment's block: small enough
	// that a lookup inflates and decodes one in tens of microseconds,
	// large enough that the per-block overhead (header with its chunk
	// roots, nonces, tags, table entry: about 400 bytes) stays under two
	// bytes a record. BenchmarkLookup and BenchmarkBytesPerRecord weigh it.
	segBlock = 256
)

// segLayout is what a segment's clear table says.
type segLayout struct {
	blocks   []segEntryT
	indexOff int64
	indexLen int64
	indexSum [32]byte
	tableOff int64
	tableSum [32]byte
	records  int64
	fileSum  [32]byte
	size     int64
}

type segEntryT struct {
	off, n int64
	count  int
	sum    [32]byte
}

// readSegmentLayout reads a segment's clear table and checks that it
// describes the file: blocks one after the other from the magic, the
// index after them, the table after it.
func readSegmentLayout(path string) ([]bref, segLayout, error) {
	var l segLayout
	fh, err := os.Open(path)
	if err != nil {
		return nil, l, fmt.Errorf("%w: %v", ErrIO, err)
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, l, fmt.Errorf("%w: %v", ErrIO, err)
	}
	l.size = info.Size()
	bad := func(why string) ([]bref, segLayout, error) {
		return nil, l, fmt.Errorf("%w: %s: %s", ErrTampered, filepath.Base(path), why)
	}
	if l.size < int64(len(segMagic)+segTail) {
		return bad("too short for a segment")
	}
	tail := make([]byte, segTail)
	if _, err := fh.ReadAt(tail, l.size-segTail); err != nil {
		return nil, l, fmt.Errorf("%w: %v", ErrIO, err)
	}
	if string(tail[segTail-8:]) != segEnd {
		return bad("no segment end mark in its last 8 bytes")
	}
	l.indexOff = int64(binary.BigEndian.Uint64(tail))
	l.indexLen = int64(binary.BigEndian.Uint32(tail[8:]))
	copy(l.indexSum[:], tail[12:44])
	copy(l.tableSum[:], tail[44:76])
	nb := int64(binary.BigEndian.Uint32(tail[76:]))
	l.records = int64(binary.BigEndian.Uint64(tail[80:]))
	copy(l.fileSum[:], tail[88:120])
	tableOff := l.size - segTail - nb*segEntry
	l.tableOff = tableOff
	if nb <= 0 || tableOff < int64(len(segMagic)) || l.indexOff+l.indexLen != tableOff {
		return bad(fmt.Sprintf("its table (bytes %d to %d) does not describe the file", max(tableOff, 0), l.size))
	}
	table := make([]byte, nb*segEntry)
	if _, err := fh.ReadAt(table, tableOff); err != nil {
		return nil, l, fmt.Errorf("%w: %v", ErrIO, err)
	}
	off := int64(len(segMagic))
	var refs []bref
	total := int64(0)
	for i := range nb {
		e := table[i*segEntry:]
		var en segEntryT
		en.off = int64(binary.BigEndian.Uint64(e))
		en.n = int64(binary.BigEndian.Uint32(e[8:]))
		en.count = int(binary.BigEndian.Uint32(e[12:]))
		copy(en.sum[:], e[16:48])
		if en.off != off || en.n <= 0 || en.count <= 0 || en.count > maxBlockRecords {
			return bad(fmt.Sprintf("its table entry %d (bytes %d to %d) does not describe the file", i, tableOff+i*segEntry, tableOff+(i+1)*segEntry))
		}
		off += en.n
		total += int64(en.count)
		l.blocks = append(l.blocks, en)
		refs = append(refs, bref{off: en.off, n: en.n, count: en.count})
	}
	if off != l.indexOff || total != l.records {
		return bad(fmt.Sprintf("its table (bytes %d to %d) does not describe the file", tableOff, l.size))
	}
	return refs, l, nil
}

// writeSegment writes sorted rows of one class as a segment of scope
// under key kid, atomically, and returns its name, its SHA-256 and its
// blocks.
func (s *Store) writeSegment(scope, kid string, c Class, rows []row) (string, [32]byte, error) {
	key, err := s.keys.key(scope, kid)
	if err != nil {
		return "", [32]byte{}, err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return "", [32]byte{}, err
	}
	aad := blockAAD(scope, kid)
	buf := bytes.NewBufferString(segMagic)
	var entries []segEntryT
	var index []byte
	var sl sealer
	defer sl.wipe()
	var b []byte // a sealed block, in the memory of the one before
	for len(rows) > 0 {
		k := 1
		for k < len(rows) && k < segBlock && rows[k].run == rows[0].run {
			k++
		}
		var h header
		b, h, err = sl.seal(b[:0], aead, aad, c, rows[:k])
		if err != nil {
			return "", [32]byte{}, err
		}
		entries = append(entries, segEntryT{off: int64(buf.Len()), n: int64(len(b)), count: k, sum: sha256.Sum256(b)})
		he := h.encode()
		index = binary.AppendUvarint(index, uint64(len(he)))
		index = append(index, he...)
		buf.Write(b)
		rows = rows[k:]
	}
	sealedIndex := seal(aead, partAAD(aad, 'i'), index)
	indexOff := int64(buf.Len())
	buf.Write(sealedIndex)
	var total int64
	tableStart := buf.Len()
	for _, e := range entries {
		var t [segEntry]byte
		binary.BigEndian.PutUint64(t[:], uint64(e.off))
		binary.BigEndian.PutUint32(t[8:], uint32(e.n))
		binary.BigEndian.PutUint32(t[12:], uint32(e.count))
		copy(t[16:], e.sum[:])
		buf.Write(t[:])
		total += int64(e.count)
	}
	var tail []byte
	tail = binary.BigEndian.AppendUint64(tail, uint64(indexOff))
	tail = binary.BigEndian.AppendUint32(tail, uint32(len(sealedIndex)))
	is := sha256.Sum256(sealedIndex)
	tail = append(tail, is[:]...)
	ts := sha256.Sum256(buf.Bytes()[tableStart:])
	tail = append(tail, ts[:]...)
	tail = binary.BigEndian.AppendUint32(tail, uint32(len(entries)))
	tail = binary.BigEndian.AppendUint64(tail, uint64(total))
	buf.Write(tail)
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	buf.WriteString(segEnd)
	name := segPrefix + kid + segSuffix
	if err := durable.WriteFile(filepath.Join(s.scopeDir(scope), name), buf.Bytes(), 0o600); err != nil {
		return "", [32]byte{}, fmt.Errorf("%w: writing a segment of %s: %v", ErrIO, scope, err)
	}
	return name, sum, nil
}

// segmentIndex reads and opens a segment's sealed index, giving every
// block its header at once.
func (s *Store) segmentIndex(f *dfile) error {
	if len(f.refs) == 0 || f.refs[0].hdr != nil {
		return nil
	}
	_, l, err := readSegmentLayout(f.path)
	if err != nil {
		return err
	}
	aead, aad, err := s.fileAEAD(f)
	if err != nil {
		return err
	}
	b, err := readAt(f.path, l.indexOff, l.indexLen)
	if err != nil {
		return err
	}
	plain, err := open(aead, partAAD(aad, 'i'), b)
	if err != nil {
		return fmt.Errorf("%w: %s: its index (bytes %d to %d) does not open", ErrTampered, s.rel(f.path), l.indexOff, l.indexOff+l.indexLen)
	}
	d := decoder{b: plain}
	for i := range f.refs {
		h, err := decodeHeader(d.bytes(int(d.uvarint())))
		if err != nil || d.err != nil || h.Count != f.refs[i].count {
			return fmt.Errorf("%w: %s: its index does not decode", ErrTampered, s.rel(f.path))
		}
		f.refs[i].hdr = &h
	}
	return nil
}

// runOf places a record of a period's day in a segment: 0 when it began
// that day, 1 when it began before (it spans midnight), 2 while it
// lasts. A lookup at an instant of an earlier day looks only at runs 1
// and 2 of a later day's segment, and at run 2 of an earlier day's.
func runOf(r *row, dayStart int64) uint8 {
	switch {
	case r.until == 0:
		return 2
	case r.from >= dayStart:
		return 0
	}
	return 1
}

// errNoOpener is the error of what needs to read data in a store opened
// without an [Opener].
var errNoOpener = fmt.Errorf("%w: the store was opened without an identity that opens its keys", ErrNoKey)

// Compact merges every write-ahead log and segment of each period whose
// day is over into one sorted segment under a new key, then removes the
// files merged and destroys their keys (and so every copy of them in
// backups). Lookups on a compacted day read one or two blocks instead of
// every log block. It needs an [Opener]. It returns the periods
// compacted.
func (s *Store) Compact() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.cache.flush()
	if s.closed {
		return nil, ErrClosed
	}
	if s.cfg.Opener == nil {
		return nil, errNoOpener
	}
	today := timesync.Now(s.cfg.Clock).Day()
	scopes, err := s.scopes()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sc := range scopes {
		d, _, ok := parseScope(sc)
		if !ok || d >= today {
			continue
		}
		done, err := s.compact(sc)
		if err != nil {
			return out, err
		}
		if done {
			out = append(out, sc)
		}
	}
	return out, nil
}

// compact merges a scope's files into one segment.
func (s *Store) compact(scope string) (bool, error) {
	files, err := s.dataFiles(scope)
	if err != nil {
		return false, err
	}
	if len(files) == 0 || len(files) == 1 && files[0].seg {
		return false, nil
	}
	var rows []row
	var class Class
	for _, f := range files {
		for i := range f.refs {
			rs, h, err := s.blockRows(f, &f.refs[i])
			if err != nil {
				return false, err
			}
			class = h.Class
			rows = append(rows, rs...)
		}
	}
	if len(rows) == 0 {
		return false, nil
	}
	dayStart := int64(0)
	if d, _, ok := parseScope(scope); ok {
		dayStart = timesync.FromTime(timesync.DayStart(d)).Unix()
	}
	for i := range rows {
		rows[i].run = runOf(&rows[i], dayStart)
	}
	sortRows(rows)
	rows = slices.CompactFunc(rows, func(a, b row) bool { return sameRecord(&a, &b) })
	if w := s.wals[scope]; w != nil {
		w.j.Close()
		delete(s.wals, scope)
	}
	kid, _, err := s.keys.create(scope)
	if err != nil {
		return false, err
	}
	name, sum, err := s.writeSegment(scope, kid, class, rows)
	if err != nil {
		return false, err
	}
	var old []string
	for _, f := range files {
		old = append(old, f.kid)
	}
	// The segment is durable: the files it replaces go, and their keys.
	for _, f := range files {
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, fmt.Errorf("%w: %v", ErrIO, err)
		}
		s.forget(f) // its cached blocks and handle: its key goes next
	}
	removeQuarantines(s.scopeDir(scope), old)
	s.invalidate()
	if err := durable.SyncDir(s.scopeDir(scope)); err != nil {
		return false, fmt.Errorf("%w: %v", ErrIO, err)
	}
	n, err := s.keys.destroy(scope, old)
	if err != nil {
		return false, err
	}
	if _, err := s.record(Event{Kind: EventCompacted, Scope: scope, Records: len(rows), Keys: n, File: name, SHA256: hex.EncodeToString(sum[:])}); err != nil {
		return false, err
	}
	s.log.Info("period compacted", "period", scope, "records", len(rows), "keys_destroyed", n)
	return true, nil
}

// removeQuarantines removes the quarantine files of the logs of the keys
// kids: their bytes were sealed under those keys, now destroyed.
func removeQuarantines(dir string, kids []string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		for _, kid := range kids {
			if bytes.HasPrefix([]byte(e.Name()), []byte(walPrefix+kid+walSuffix+".quarantine-")) {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}
