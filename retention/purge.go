package retention

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/timesync"
)

// Destruction is one period destroyed by [Store.Purge] — its day and
// class — or a lifted hold's records (Hold), with how many records it
// held and how many keys were destroyed.
type Destruction struct {
	Day     date.Date `json:"day,omitzero"`
	Class   Class     `json:"class,omitzero"`
	Hold    HoldID    `json:"hold,omitempty"`
	Records int       `json:"records"`
	Keys    int       `json:"keys"`
}

// Kept is a period past its end that [Store.Purge] kept whole, and why.
type Kept struct {
	Day    date.Date `json:"day"`
	Class  Class     `json:"class"`
	Reason string    `json:"reason"`
}

// PurgeReport says what [Store.Purge] did.
type PurgeReport struct {
	// Destroyed lists the periods destroyed, oldest first, then the
	// lifted holds'.
	Destroyed []Destruction `json:"destroyed"`
	// Kept lists the ended periods kept whole: a store without an
	// [Opener] cannot separate what a hold in force needs.
	Kept []Kept `json:"kept,omitempty"`
}

// Purge destroys every period whose end ([Period.End]) has come: its
// keys first — from then on nothing of it can be read, from the store or
// from any backup of the data — then its files, and records each
// destruction as an event (the period and the count of records, nothing
// of their content). A period that a crash left half destroyed (keys
// gone, files left) is finished: what a hold needed of it was copied
// before its keys went, and nothing of it can be read any more. Periods
// not yet ended are never touched. A period that cannot be destroyed does
// not stop the others: Purge carries on and returns the errors joined,
// the report listing what was done.
func (s *Store) Purge() (PurgeReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.cache.flush()
	var rep PurgeReport
	if s.closed {
		return rep, ErrClosed
	}
	now := timesync.Now(s.cfg.Clock)
	scopes, err := s.scopes()
	if err != nil {
		return rep, err
	}
	scopes = slices.Clone(scopes) // the Store's listing: not to be changed
	keyed, err := s.keys.list()
	if err != nil {
		return rep, err
	}
	for sc := range keyed {
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	slices.Sort(scopes)
	var lifted []string
	var errs []error
	for _, sc := range scopes {
		d, c, ok := parseScope(sc)
		if !ok {
			if h := s.holds[HoldID(sc)]; h != nil && !h.lifted.IsZero() {
				lifted = append(lifted, sc)
			}
			continue
		}
		if now.Before(s.cfg.Policy.Period(c).End(d)) {
			continue
		}
		// Keys already gone: a destruction a crash interrupted after the
		// keys (and so after the holds' copies) — finish it.
		if _, hasKeys := keyed[sc]; hasKeys {
			if done, err := s.keepHeld(sc, c); err != nil {
				errs = append(errs, fmt.Errorf("retention: purge of %s: %w", sc, err))
				continue
			} else if !done {
				rep.Kept = append(rep.Kept, Kept{Day: d, Class: c, Reason: "a hold is in force and the store has no identity to separate what it needs"})
				continue
			}
		}
		n, keys, err := s.destroyScope(sc)
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: purge of %s: %w", sc, err))
			continue
		}
		rep.Destroyed = append(rep.Destroyed, Destruction{Day: d, Class: c, Records: n, Keys: keys})
	}
	for _, sc := range lifted {
		n, keys, err := s.destroyScope(sc)
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: purge of %s: %w", sc, err))
			continue
		}
		rep.Destroyed = append(rep.Destroyed, Destruction{Hold: HoldID(sc), Records: n, Keys: keys})
	}
	return rep, errors.Join(errs...)
}

// destroyScope destroys a scope's keys, records the destruction, and
// removes its files. It returns the records its files held and the keys
// destroyed.
func (s *Store) destroyScope(sc string) (int, int, error) {
	files, err := s.dataFiles(sc)
	if err != nil && !errors.Is(err, ErrTampered) && !errors.Is(err, ErrNoKey) {
		return 0, 0, err
	}
	n := 0
	for _, f := range files {
		n += f.records()
	}
	if w := s.wals[sc]; w != nil {
		w.j.Close()
		delete(s.wals, sc)
	}
	// What lookups kept of the scope goes before its keys: its decoded
	// blocks (zeroed), its files' handles; the keys' copies in memory
	// are zeroed as they are destroyed.
	s.cache.dropScope(sc)
	dir := s.scopeDir(sc)
	for path, f := range s.files {
		if filepath.Dir(path) == dir {
			s.forget(f)
		}
	}
	keys, err := s.keys.destroy(sc, nil)
	if err != nil {
		return 0, 0, err
	}
	e := Event{Kind: EventDestroyed, Scope: sc, Records: n, Keys: keys}
	if _, _, ok := parseScope(sc); !ok {
		e.Hold = HoldID(sc)
	}
	if _, err := s.record(e); err != nil {
		return 0, 0, err
	}
	s.invalidate()
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, 0, fmt.Errorf("%w: removing %s: %v", ErrIO, sc, err)
	}
	if err := durable.SyncDir(filepath.Dir(dir)); err != nil {
		return 0, 0, fmt.Errorf("%w: %v", ErrIO, err)
	}
	s.log.Info("period destroyed", "period", sc, "records", n, "keys", keys)
	return n, keys, nil
}
