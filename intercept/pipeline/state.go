package pipeline

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/strictjson"
)

// stateFile is the persisted sequence state: every stream the pipeline
// has numbered and the number its next record would have had.
type stateFile struct {
	Version int           `json:"version"`
	Streams []stateStream `json:"streams"`
}

type stateStream struct {
	LIID   intercept.LIID   `json:"liid"`
	CIN    intercept.CIN    `json:"cin"`
	Stream intercept.Stream `json:"stream"`
	Next   intercept.Seq    `json:"next"`
}

// stateFormat is the state file's strict JSON decoding: its problems come
// as a *provenance.Problems whose findings wrap ErrState.
func stateFormat() strictjson.Format {
	return strictjson.Format{What: "pipeline: state", Name: "pipeline state file", Err: ErrState, Max: stateMax}
}

const (
	stateVersion = 1
	stateMax     = 64 << 20
)

// loadState reads the state file at path; a missing file is an empty
// state (the first start).
func loadState(path string) (map[intercept.StreamKey]intercept.Seq, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrState, err)
	}
	var f stateFile
	if err := stateFormat().Decode(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("%w: %s: version %d, this ccjkit reads version %d", ErrState, path, f.Version, stateVersion)
	}
	out := make(map[intercept.StreamKey]intercept.Seq, len(f.Streams))
	for i, s := range f.Streams {
		k := intercept.StreamKey{LIID: s.LIID, CIN: s.CIN, Stream: s.Stream}
		if !k.LIID.IsValid() {
			return nil, fmt.Errorf("%w: %s: streams[%d].liid is empty", ErrState, path, i)
		}
		out[k] = s.Next
	}
	return out, nil
}

// SaveState writes every stream's high-water mark — the number its next
// record would get — to Config.StatePath, durably (written, synced,
// renamed over the old file, directory synced). After a restart each of
// these streams gets a CIN reset before its next record (TS 102 232-1
// cINReset, as OpenLI 1.1.19 does), so the receiver knows the numbering
// restarted and does not take it for loss. Run calls SaveState every
// second and Close once more; without a StatePath it does nothing.
//
// A stream whose encoder announces no CIN reset (X2/X3 towards a
// mediation function, which numbers the agency's streams itself) keeps
// its numbering instead: SaveState saves for it a reservation, next plus
// 1024 — the first one, for a new stream, before its first record is
// numbered, synchronously — and Run saves again early when the stream is
// half way through it (a caller that calls Process without Run saves it
// with SaveState);
// after a crash the stream continues at the reservation, so every number
// it may have used before is behind it and the records the crash lost
// reach the receiver as a gap (at most 1024 too large) rather than
// vanishing in a renumbering. Close saves the exact next number: after a
// clean stop nothing is skipped.
func (p *Pipeline) SaveState() error { return p.saveState(false) }

func (p *Pipeline) saveState(final bool) error {
	if p.cfg.StatePath == "" {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.saveStateLocked(final)
}

// saveStateLocked is saveState under mu. The file is written under mu
// too, so that a stream made while it is written waits for it (stream
// saves a new kept stream's first reservation before its first record).
func (p *Pipeline) saveStateLocked(final bool) error {
	marks := make(map[intercept.StreamKey]intercept.Seq, len(p.restored)+len(p.streams))
	for k, v := range p.restored {
		marks[k] = v
	}
	type soft struct {
		st *stream
		at uint32
	}
	var softs []soft // moved once the reservations are durable
	for k, st := range p.streams {
		next := st.next.Load()
		if st.kept && !final {
			marks[k] = intercept.Seq(next + reservation)
			softs = append(softs, soft{st, next + reservation/2})
			continue
		}
		marks[k] = intercept.Seq(next)
	}
	f := stateFile{Version: stateVersion, Streams: make([]stateStream, 0, len(marks))}
	for k, v := range marks {
		f.Streams = append(f.Streams, stateStream{LIID: k.LIID, CIN: k.CIN, Stream: k.Stream, Next: v})
	}
	slices.SortFunc(f.Streams, func(a, b stateStream) int {
		if c := strings.Compare(a.LIID.String(), b.LIID.String()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CIN, b.CIN); c != 0 {
			return c
		}
		return cmp.Compare(a.Stream, b.Stream)
	})
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	if err := durable.WriteFile(p.cfg.StatePath, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	for _, s := range softs {
		s.st.soft.Store(s.at)
	}
	return nil
}
