package retention

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// VerifyReport says what [Store.Verify] checked.
type VerifyReport struct {
	// Files, Blocks and Records count what was checked.
	Files, Blocks, Records int
	// Opened: the blocks were opened with their keys, each record
	// decoded and each block's Merkle root recomputed (the store has an
	// [Opener]); otherwise only the files' hashes and chains were checked.
	Opened bool
	// Torn lists the logs that end with an incomplete write, which the
	// next [Open] sets aside (not damage).
	Torn []string
}

// Verify checks every file of the store and returns every problem, each
// naming the file and the bytes at fault, never their content: the
// events journal's chain, each log's chain, each segment's table and
// hashes (a changed byte is named by its block), with an [Opener] every
// block's authentication, records and Merkle root, and that each record
// belongs to the period whose file holds it; that every data file has
// its key, and that no destroyed period left files. The error is a
// [*provenance.Problems] whose findings wrap [ErrTampered].
//
// Verify reads every file from the disk, never from what lookups keep
// in memory; what they keep of a file found altered, or replaced since,
// is dropped, so that the lookups after it read the disk again.
func (s *Store) Verify() (VerifyReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.cache.flush()
	var rep VerifyReport
	if s.closed {
		return rep, ErrClosed
	}
	rep.Opened = s.cfg.Opener != nil
	var probs []provenance.Finding
	bad := func(where, msg string) {
		probs = append(probs, provenance.Finding{Rule: "retention-integrity", Severity: provenance.Error, Field: where,
			Source: provenance.Rule("retention-integrity"), Err: ErrTampered, Message: provenance.Text(msg)})
	}
	journalProblem := func(path string, err error) {
		var ce *journal.CorruptError
		if errors.As(err, &ce) {
			bad(fmt.Sprintf("%s: record %d, byte %d", s.rel(path), ce.Seq, ce.Offset), ce.Reason)
			return
		}
		bad(s.rel(path), "the journal does not read")
	}
	rep.Files++
	if _, err := journal.Verify(filepath.Join(s.cfg.Dir, eventsFile), journal.ScanOptions{}); err != nil && !journal.IsTornTail(err) {
		journalProblem(filepath.Join(s.cfg.Dir, eventsFile), err)
	}
	destroyed := map[string]bool{}
	for _, e := range s.evs {
		if e.Kind == EventDestroyed {
			destroyed[e.Scope] = true
		}
	}
	scopes, err := s.scopes()
	if err != nil {
		return rep, err
	}
	keyed, err := s.keys.list()
	if err != nil {
		return rep, err
	}
	for _, sc := range scopes {
		if _, _, ok := parseScope(sc); !ok && s.holds[HoldID(sc)] == nil {
			bad(filepath.Join(scopesDir, sc), "no hold was placed under this name: records kept without a hold")
		}
		if destroyed[sc] {
			bad(filepath.Join(scopesDir, sc), "the period's destruction is recorded but files remain (a purge interrupted: purge again)")
		}
		ents, err := os.ReadDir(s.scopeDir(sc))
		if err != nil {
			return rep, fmt.Errorf("%w: %v", ErrIO, err)
		}
		for _, e := range ents {
			kid, seg, ok := dataFileKID(e.Name())
			if !ok {
				continue
			}
			path := filepath.Join(s.scopeDir(sc), e.Name())
			rep.Files++
			// What lookups keep of a file (its handle, its index, its
			// cached blocks) is dropped if the file was replaced, and if
			// any of it is found altered: the lookups after Verify read
			// the disk again.
			if f := s.files[path]; f != nil && !sameFile(f) {
				s.forget(f)
			}
			altered := func() {
				if f := s.files[path]; f != nil {
					s.forget(f)
				}
			}
			if !slices.Contains(keyed[sc], kid) {
				bad(s.rel(path), "its key is missing: the file cannot be read (destroyed, or the key directory is not the one it was written with)")
				// Its copy in memory goes too: lookups read no file whose
				// key is gone from the key directory.
				s.keys.forget(kid)
				altered()
			}
			if !seg {
				if _, err := journal.Verify(path, journal.ScanOptions{}); journal.IsTornTail(err) {
					rep.Torn = append(rep.Torn, s.rel(path))
				} else if err != nil {
					journalProblem(path, err)
					altered()
					continue
				}
			} else if where, msg := s.verifySegmentBytes(path); where != "" {
				bad(where, msg)
				altered()
				continue
			}
			// The file as it is on the disk: its blocks found, a
			// segment's index and every header opened anew, not taken
			// from what lookups keep.
			f := &dfile{path: path, scope: sc, kid: kid, seg: seg}
			err := s.readFile(f)
			if f.fh != nil {
				f.fh.Close()
				f.fh = nil
			}
			if err != nil {
				bad(s.rel(path), "its blocks cannot be found")
				altered()
				continue
			}
			rep.Blocks += len(f.refs)
			rep.Records += f.records()
			if rep.Opened && slices.Contains(keyed[sc], kid) {
				ps := s.verifyRecords(f)
				for _, p := range ps {
					bad(p[0], p[1])
				}
				if len(ps) > 0 {
					altered()
				}
			}
		}
	}
	return rep, provenance.Check("retention: verify", probs)
}

// verifySegmentBytes checks a segment's table, each block's hash, the
// index's and the file's; it returns where the first difference is.
func (s *Store) verifySegmentBytes(path string) (string, string) {
	_, l, err := readSegmentLayout(path)
	if err != nil {
		return s.rel(path), err.Error()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return s.rel(path), "it cannot be read"
	}
	if string(data[:len(segMagic)]) != segMagic {
		return s.rel(path) + ": bytes 0 to 8", "no segment magic"
	}
	if sha256.Sum256(data[l.tableOff:l.size-segTail]) != l.tableSum {
		return fmt.Sprintf("%s: table, bytes %d to %d", s.rel(path), l.tableOff, l.size), "the table's bytes differ from what was written"
	}
	for i, b := range l.blocks {
		if sha256.Sum256(data[b.off:b.off+b.n]) != b.sum {
			return fmt.Sprintf("%s: block %d, bytes %d to %d", s.rel(path), i, b.off, b.off+b.n), "the block's bytes differ from what was written"
		}
	}
	if sha256.Sum256(data[l.indexOff:l.indexOff+l.indexLen]) != l.indexSum {
		return fmt.Sprintf("%s: index, bytes %d to %d", s.rel(path), l.indexOff, l.indexOff+l.indexLen), "the index's bytes differ from what was written"
	}
	end := l.size - 8 - 32
	if sha256.Sum256(data[:end]) != l.fileSum {
		return fmt.Sprintf("%s: table, bytes %d to %d", s.rel(path), l.tableOff, l.size), "the table's bytes differ from what was written"
	}
	return "", ""
}

// verifyRecords opens every block of a file and checks its records:
// authentication, decoding, the Merkle root, the class and the day of
// the period. It returns each problem's place and reason.
func (s *Store) verifyRecords(f *dfile) [][2]string {
	var out [][2]string
	d, c, isPeriod := parseScope(f.scope)
	if f.seg {
		if err := s.segmentIndex(f); err != nil {
			return append(out, [2]string{s.rel(f.path), "its index does not open"})
		}
	}
	for i := range f.refs {
		r := &f.refs[i]
		where := fmt.Sprintf("%s: block at bytes %d to %d", s.rel(f.path), r.off, r.off+r.n)
		rows, h, err := s.blockRows(f, r)
		if err != nil {
			out = append(out, [2]string{where, "the block does not open with its key (altered, or moved from another file)"})
			continue
		}
		if !verifyRoot(h, rows) {
			out = append(out, [2]string{where, "the records do not match the block's Merkle root"})
			continue
		}
		if !isPeriod {
			continue
		}
		if h.Class != c {
			out = append(out, [2]string{where, "the block holds records of another class than its period's"})
			continue
		}
		for k := range rows {
			if rows[k].until != 0 && timesync.Unix(rows[k].until-1).Day() != d {
				out = append(out, [2]string{where, fmt.Sprintf("record %d belongs to another day than its period's", k)})
				break
			}
		}
	}
	return out
}
