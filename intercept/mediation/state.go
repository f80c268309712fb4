package mediation

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

// ErrState wraps the errors of the state file (Config.StatePath).
var ErrState = errors.New("mediation: state file")

// The state file: the streams the server has numbered, so that after a
// restart each gets a CIN reset before its next record.
type stateFile struct {
	Version int           `json:"version"`
	Streams []stateStream `json:"streams"`
}

type stateStream struct {
	LIID   intercept.LIID   `json:"liid"`
	CIN    intercept.CIN    `json:"cin"`
	Stream intercept.Stream `json:"stream"`
}

const (
	stateVersion = 1
	stateMax     = 64 << 20
)

// stateFormat is the state file's strict JSON: its problems come as a
// *provenance.Problems whose findings wrap ErrState, quoting nothing.
func stateFormat() strictjson.Format {
	return strictjson.Format{What: "mediation: state", Name: "mediation state file", Err: ErrState, Max: stateMax}
}

// loadState reads the streams numbered before a restart; a missing file
// is none (the first start).
func loadState(path string) (map[intercept.StreamKey]bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[intercept.StreamKey]bool{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrState, err)
	}
	var f stateFile
	if err := stateFormat().Decode(data, &f); err != nil {
		return nil, err
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("%w: version %d, this ccjkit reads version %d", ErrState, f.Version, stateVersion)
	}
	out := make(map[intercept.StreamKey]bool, len(f.Streams))
	for i, s := range f.Streams {
		k := intercept.StreamKey{LIID: s.LIID, CIN: s.CIN, Stream: s.Stream}
		if !k.LIID.IsValid() {
			return nil, fmt.Errorf("%w: streams[%d].liid is empty", ErrState, i)
		}
		out[k] = true // numbered before the restart: reset before its next record
	}
	return out, nil
}

// firstRecord is told that the stream key is about to number its first
// record in this communication. It reports whether the receiver must
// first be told, with a CIN reset, that the stream's numbering starts
// again: the stream was numbered before a restart (Config.StatePath), or
// by a communication of this process forgotten since (its task ended, or
// its LIID changed and changed back) whose CIN the new one has again.
// With a StatePath it makes the stream known durably before its first
// record is numbered, so that a crash right after it is followed by the
// reset.
func (s *Server) firstRecord(key intercept.StreamKey) (reset bool, err error) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if _, ok := s.forgotten[key]; ok {
		delete(s.forgotten, key)
		reset = true
	}
	if s.cfg.StatePath == "" {
		return reset, nil
	}
	before, known := s.streams[key]
	s.streams[key] = false
	if known && !before {
		return reset, nil // numbered in this process already
	}
	return reset || before, s.saveStateLocked()
}

// dropStreams forgets the streams of a communication forgotten: the file
// no longer lists them at its next write, and those that numbered records
// (iri, cc) are remembered, so that a communication made again for them
// announces its new numbering.
func (s *Server) dropStreams(liid intercept.LIID, cin intercept.CIN, iri, cc bool) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	for _, st := range []struct {
		stream intercept.Stream
		used   bool
	}{{intercept.IRI, iri}, {intercept.CC, cc}} {
		k := intercept.StreamKey{LIID: liid, CIN: cin, Stream: st.stream}
		if st.used {
			s.rememberForgotten(k)
		}
		if reset, ok := s.streams[k]; ok && !reset {
			delete(s.streams, k)
		}
	}
}

// rememberForgotten adds k to the streams forgotten, dropping the oldest
// past maxForgotten: the map holds each key's slot in the ring, so that a
// slot freed by firstRecord and taken again evicts only what is still
// its own. Under stateMu.
func (s *Server) rememberForgotten(k intercept.StreamKey) {
	if _, ok := s.forgotten[k]; ok {
		return
	}
	slot := len(s.forgottenRing)
	if slot < maxForgotten {
		s.forgottenRing = append(s.forgottenRing, k)
	} else {
		slot = s.forgottenNext
		if old := s.forgottenRing[slot]; s.forgotten[old] == slot {
			delete(s.forgotten, old)
		}
		s.forgottenRing[slot] = k
		s.forgottenNext = (slot + 1) % maxForgotten
	}
	s.forgotten[k] = slot
}

// resetNotSent puts back what firstRecord took for key when the CIN
// reset it asked for could not be handed over: the next record asks again.
func (s *Server) resetNotSent(key intercept.StreamKey) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if s.cfg.StatePath != "" {
		s.streams[key] = true
	}
	if _, ok := s.forgotten[key]; !ok {
		s.rememberForgotten(key)
	}
}

// saveStateLocked writes the streams known, durably. Under stateMu.
func (s *Server) saveStateLocked() error {
	f := stateFile{Version: stateVersion, Streams: make([]stateStream, 0, len(s.streams))}
	for k := range s.streams {
		f.Streams = append(f.Streams, stateStream{LIID: k.LIID, CIN: k.CIN, Stream: k.Stream})
	}
	slices.SortFunc(f.Streams, func(a, b stateStream) int {
		return cmp.Or(strings.Compare(a.LIID.String(), b.LIID.String()), cmp.Compare(a.CIN, b.CIN), cmp.Compare(a.Stream, b.Stream))
	})
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	if err := durable.WriteFile(s.cfg.StatePath, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	return nil
}
