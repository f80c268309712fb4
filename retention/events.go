package retention

import (
	"encoding/json"
	"fmt"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// EventKind says what an [Event] records.
type EventKind string

// The kinds of events the store records in its events journal
// (events.journal in the data directory: a journal of package journal,
// hash-chained and synced).
const (
	// EventDestroyed: a period's keys were destroyed and its files
	// removed (crypto-shredding), or a lifted hold's.
	EventDestroyed EventKind = "destroyed"
	// EventCompacted: a period's logs were merged into one sorted
	// segment under a new key, and the old keys destroyed.
	EventCompacted EventKind = "compacted"
	// EventHoldPlaced: a preservation hold was placed; its case and
	// targets are sealed to the keyring.
	EventHoldPlaced EventKind = "hold-placed"
	// EventHoldLifted: a hold was lifted.
	EventHoldLifted EventKind = "hold-lifted"
	// EventHeld: records of a period that ended were kept for a hold,
	// sealed under the hold's key.
	EventHeld EventKind = "held"
)

// Event is one record of the store's events journal. It says which
// period or hold, when and how many records — never what they hold.
type Event struct {
	Seq  uint64             `json:"-"`
	At   timesync.Timestamp `json:"-"`
	Kind EventKind          `json:"kind"`
	// Scope is the period ("2026-03-29.mappings") or the hold
	// ("hold-…") the event is about.
	Scope string `json:"scope"`
	// Records and Keys count what was destroyed, compacted or kept.
	Records int `json:"records,omitempty"`
	Keys    int `json:"keys,omitempty"`
	// Hold is the hold an event is about, or for which records were
	// kept.
	Hold HoldID `json:"hold,omitempty"`
	// File and SHA256 name a segment written by a compaction.
	File   string `json:"file,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	// Window bounds a hold's window (Until excluded), in clear so that a
	// store without an identity knows which periods a hold may need.
	From  timesync.Timestamp `json:"from,omitzero"`
	Until timesync.Timestamp `json:"until,omitzero"`
	// Sealed is a hold's case and targets, sealed to the keyring.
	Sealed []byte `json:"sealed,omitempty"`
}

// record appends an event to the events journal, durably.
func (s *Store) record(e Event) (Event, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return Event{}, err
	}
	rec, err := s.events.Append(string(e.Kind), b)
	if err != nil {
		return Event{}, fmt.Errorf("%w: recording an event: %w", ErrIO, err)
	}
	e.Seq, e.At = rec.Seq, rec.Time
	s.evs = append(s.evs, e)
	return e, s.apply(e)
}

// loadEvents replays the events journal.
func (s *Store) loadEvents(recs []journal.Record) error {
	for _, rec := range recs {
		switch EventKind(rec.Kind) {
		case EventDestroyed, EventCompacted, EventHoldPlaced, EventHoldLifted, EventHeld:
		default:
			continue
		}
		var e Event
		if err := json.Unmarshal(rec.Payload, &e); err != nil || e.Kind != EventKind(rec.Kind) {
			return fmt.Errorf("%w: event %d does not decode", ErrTampered, rec.Seq)
		}
		e.Seq, e.At = rec.Seq, rec.Time
		s.evs = append(s.evs, e)
		if err := s.apply(e); err != nil {
			return err
		}
	}
	return nil
}

// Events returns the store's events, in order: what was destroyed,
// compacted, held, when, and how many records — without the holds'
// sealed details.
func (s *Store) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Event, len(s.evs))
	for i, e := range s.evs {
		e.Sealed = nil
		out[i] = e
	}
	return out
}
