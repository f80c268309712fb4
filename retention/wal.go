package retention

import (
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
)

// A scope's write-ahead log is a journal (package journal: append-only,
// hash-chained, each write synced before it is acknowledged, a crash's
// torn last write set aside into a quarantine file, never deleted) named
// wal-KID.journal in the scope's directory, KID the key its blocks are
// sealed with. Each record is one block: 4 bytes of its record count, in
// clear (what a destruction event reports), then the sealed block. A
// Store appends only to the logs it created, under a key it drew, so it
// needs no identity to write; reading needs the keyring's.

// walLevel is the DEFLATE level of the blocks ingest writes to the logs:
// Huffman coding alone. flate.BestSpeed's search for repeated strings,
// and the coding of what it finds, made compression a third of ingest's
// time; without them BenchmarkIngest takes about 0.16 µs less CPU a CGNAT
// mapping (0.70 instead of 0.86), for 15% more bytes in the logs (14.9
// a mapping instead of 12.9), and a log's block inflates about a quarter
// slower — what compaction reads once, and an uncached lookup of a day
// not compacted yet (some 10% slower). The stream is DEFLATE all the
// same: the readers are unchanged, and read the logs written before.
// The segments compaction writes, which keep the data for its period,
// are compressed with flate.BestSpeed.
const walLevel = flate.HuffmanOnly

// walFor returns this Store's write-ahead log of scope, creating it —
// the scope's directory, a key, the journal — on first use.
func (s *Store) walFor(scope string) (*wal, error) {
	if w, ok := s.wals[scope]; ok {
		return w, nil
	}
	dir := s.scopeDir(scope)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	if err := durable.SyncDir(filepath.Dir(dir)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	kid, key, err := s.keys.create(scope)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	j, _, err := journal.Open(filepath.Join(dir, walPrefix+kid+walSuffix), journal.Options{Clock: s.cfg.Clock})
	if err != nil {
		return nil, fmt.Errorf("%w: creating the log of %s: %w", ErrIO, scope, err)
	}
	w := &wal{j: j, kid: kid, aead: aead, aad: blockAAD(scope, kid)}
	s.wals[scope] = w
	s.invalidate()
	return w, nil
}

// sealRows seals sorted rows as one block, with its count in clear,
// with sl's memory.
func (w *wal) sealRows(sl *sealer, c Class, rows []row) ([]byte, error) {
	b, _, err := sl.seal(binary.BigEndian.AppendUint32(nil, uint32(len(rows))), w.aead, w.aad, c, rows)
	return b, err
}

// dfile is what the Store knows of one data file: its blocks, where they
// are, how many records each holds, and — once a key opened them —
// their headers.
type dfile struct {
	path  string
	scope string
	kid   string
	seg   bool
	end   int64 // bytes of a log read so far
	refs  []bref
	sum   *fileSummary
	// fh is the file open for lookups' reads (cache.go), aad its blocks'
	// binding.
	fh  *os.File
	aad []byte
}

// bref is one block of a data file.
type bref struct {
	off, n int64 // the sealed block's bytes
	count  int
	hdr    *header
}

// records returns the records the file's blocks hold, by their clear
// counts.
func (f *dfile) records() int {
	n := 0
	for _, r := range f.refs {
		n += r.count
	}
	return n
}

// invalidate forgets the listing of scopes and files, after this Store
// created or removed one.
func (s *Store) invalidate() { s.scopeList, s.listing = nil, nil }

// scopes lists the scopes with a directory in the store.
func (s *Store) scopes() ([]string, error) {
	if s.scopeList != nil {
		return s.scopeList, nil
	}
	ents, err := os.ReadDir(filepath.Join(s.cfg.Dir, scopesDir))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	s.scopeList = out
	return out, nil
}

// dataFiles returns the scope's data files, read up to their end (the
// blocks a log gained since the last look are added).
func (s *Store) dataFiles(scope string) ([]*dfile, error) {
	if files, ok := s.listing[scope]; ok {
		for _, f := range files {
			if err := s.readFile(f); err != nil {
				return nil, err
			}
		}
		return files, nil
	}
	ents, err := os.ReadDir(s.scopeDir(scope))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	var out []*dfile
	for _, e := range ents {
		kid, seg, ok := dataFileKID(e.Name())
		if !ok {
			continue
		}
		path := filepath.Join(s.scopeDir(scope), e.Name())
		f := s.files[path]
		if f == nil {
			f = &dfile{path: path, scope: scope, kid: kid, seg: seg}
		}
		if err := s.readFile(f); err != nil {
			return nil, err
		}
		s.files[path] = f
		out = append(out, f)
	}
	if s.listing == nil {
		s.listing = map[string][]*dfile{}
	}
	s.listing[scope] = out
	return out, nil
}

// dataFileKID reads a data file's name: wal-KID.journal or seg-KID.seg.
func dataFileKID(name string) (kid string, seg bool, ok bool) {
	if k, ok := strings.CutPrefix(name, walPrefix); ok {
		if k, ok := strings.CutSuffix(k, walSuffix); ok && validKID(k) {
			return k, false, true
		}
	}
	if k, ok := strings.CutPrefix(name, segPrefix); ok {
		if k, ok := strings.CutSuffix(k, segSuffix); ok && validKID(k) {
			return k, true, true
		}
	}
	return "", false, false
}

// readFile brings what is known of a data file up to date.
func (s *Store) readFile(f *dfile) error {
	if f.seg {
		if f.refs != nil {
			return nil // immutable
		}
		refs, _, err := readSegmentLayout(f.path)
		if err != nil {
			return err
		}
		f.refs = refs
		return nil
	}
	fh, err := s.handle(f)
	if err != nil {
		return err
	}
	info, err := fh.Stat()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrIO, err)
	}
	if info.Size() <= f.end {
		return nil
	}
	data := make([]byte, info.Size()-f.end)
	if _, err := fh.ReadAt(data, f.end); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %v", ErrIO, err)
	}
	frames, used, err := logFrames(data, f.end)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrTampered, s.rel(f.path), err)
	}
	for _, fr := range frames {
		if fr.kind != blockKind {
			continue
		}
		if fr.n < 4 {
			return fmt.Errorf("%w: %s: a block record at byte %d is too short", ErrTampered, s.rel(f.path), fr.off)
		}
		hd := data[fr.off-f.end : fr.off-f.end+4]
		f.refs = append(f.refs, bref{off: fr.off + 4, n: fr.n - 4, count: int(binary.BigEndian.Uint32(hd))})
	}
	f.end += used
	return nil
}

// frame is one journal record found in a log: its kind, and where its
// payload is.
type frame struct {
	kind   string
	off, n int64
}

// logFrames walks the journal frames in data (which starts at byte base
// of the file), without checking their chain — [Store.Verify] does, and
// each block is authenticated when it is opened — and returns them with
// the bytes of whole frames. An incomplete frame at the end is left: a
// torn write, which Open sets aside.
//
// A frame is "CCJR" or "CCJS", a 4-byte body length, the body — seq (8),
// time (8), prev (32), kind length (2), kind, payload length (4),
// payload, and a signed record's trailer — and its 32-byte hash.
func logFrames(data []byte, base int64) ([]frame, int64, error) {
	var out []frame
	off := 0
	for len(data)-off >= 8 {
		m := string(data[off : off+4])
		if m != "CCJR" && m != "CCJS" {
			return nil, 0, fmt.Errorf("no record at byte %d", base+int64(off))
		}
		n := int(binary.BigEndian.Uint32(data[off+4:]))
		if n < 54 || off+8+n+32 > len(data) {
			if n < 54 || n > journal.MaxPayload+1024 {
				return nil, 0, fmt.Errorf("an impossible record length at byte %d", base+int64(off))
			}
			break
		}
		body := data[off+8 : off+8+n]
		kl := int(binary.BigEndian.Uint16(body[48:]))
		if 50+kl+4 > n {
			return nil, 0, fmt.Errorf("a bad kind length at byte %d", base+int64(off))
		}
		pl := int(binary.BigEndian.Uint32(body[50+kl:]))
		if 50+kl+4+pl > n {
			return nil, 0, fmt.Errorf("a bad payload length at byte %d", base+int64(off))
		}
		out = append(out, frame{kind: string(body[50 : 50+kl]), off: base + int64(off+8+50+kl+4), n: int64(pl)})
		off += 8 + n + 32
	}
	return out, int64(off), nil
}

// rel returns a path relative to the store's directory, for errors.
func (s *Store) rel(path string) string {
	if r, err := filepath.Rel(s.cfg.Dir, path); err == nil {
		return r
	}
	return filepath.Base(path)
}

// repairWALs sets aside the torn last write of every log: opening it as
// a journal finds it, and an empty update moves it to a quarantine file
// and records the repair in the log.
func (s *Store) repairWALs() ([]string, error) {
	scopes, err := s.scopes()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, sc := range scopes {
		ents, err := os.ReadDir(s.scopeDir(sc))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrIO, err)
		}
		for _, e := range ents {
			if _, seg, ok := dataFileKID(e.Name()); !ok || seg {
				continue
			}
			path := filepath.Join(s.scopeDir(sc), e.Name())
			j, rep, err := journal.Open(path, journal.Options{Clock: s.cfg.Clock, NoCreate: true})
			if errors.Is(err, journal.ErrCorrupt) {
				// Damage, not a crash: nothing is cut; Verify names it.
				s.log.Error("a log is damaged: run verify", "file", s.rel(path))
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %w", ErrIO, s.rel(path), err)
			}
			if rep.TornBytes > 0 {
				if _, err := j.Update(func(*journal.Tx) error { return nil }); err != nil {
					j.Close()
					return nil, fmt.Errorf("%w: setting a torn write aside in %s: %w", ErrIO, s.rel(path), err)
				}
				s.log.Warn("a log's incomplete last write was set aside", "file", s.rel(path), "bytes", rep.TornBytes)
				out = append(out, s.rel(path))
			}
			j.Close()
		}
	}
	slices.Sort(out)
	return out, nil
}

// blockRows reads a block from the disk (by its file's path, not the
// handle lookups keep, nor their cache), opens and checks its records:
// what compaction, holds and Verify read. The rows are the caller's.
func (s *Store) blockRows(f *dfile, r *bref) ([]row, header, error) {
	if _, _, err := s.fileAEAD(f); err != nil {
		return nil, header{}, err
	}
	b, err := readAt(f.path, r.off, r.n)
	if err != nil {
		return nil, header{}, err
	}
	return s.openBlock(f, r, b)
}

// openBlock opens a block's sealed bytes b: its header (unless known),
// its records authenticated and decoded, their count checked against
// the header's and the file's table.
func (s *Store) openBlock(f *dfile, r *bref, b []byte) ([]row, header, error) {
	aead, aad, err := s.fileAEAD(f)
	if err != nil {
		return nil, header{}, err
	}
	h := header{}
	if r.hdr != nil {
		h = *r.hdr
	} else if h, err = openHeader(aead, aad, b); err != nil {
		return nil, header{}, fmt.Errorf("%w: %s: the block at byte %d does not open", ErrTampered, s.rel(f.path), r.off)
	}
	rows, err := openRowsWith(&s.in, aead, aad, b, h)
	if err != nil || h.Count != r.count {
		return nil, header{}, fmt.Errorf("%w: %s: the block at byte %d does not open", ErrTampered, s.rel(f.path), r.off)
	}
	r.hdr = &h
	return rows, h, nil
}

// fileAEAD returns the cipher and the binding of a data file's blocks.
func (s *Store) fileAEAD(f *dfile) (aeadT, []byte, error) {
	aead, err := s.keys.aead(f.scope, f.kid)
	if err != nil {
		return nil, nil, err
	}
	if f.aad == nil {
		f.aad = blockAAD(f.scope, f.kid)
	}
	return aead, f.aad, nil
}

func readAt(path string, off, n int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	defer fh.Close()
	b := make([]byte, n)
	if k, err := fh.ReadAt(b, off); int64(k) != n {
		return nil, fmt.Errorf("%w: reading a block: %v", ErrIO, err)
	}
	return b, nil
}
