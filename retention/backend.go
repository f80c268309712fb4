package retention

import (
	"crypto/cipher"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// Backend is what a cell's programs need of a retention store, whichever
// keeps the data: the embedded [Store] (files, no server) or a store on
// a database server (package retention/pgretention). Every
// implementation keeps the [Store]'s promises, which the conformance
// suite retention/retentiontest checks against each: ingest durable
// before it returns, all or none; a lookup only under a work order of
// the pinned register, for its targets and window ([Authorize]), and
// recorded before it is answered ([RecordLookup]); every candidate
// within the clocks' tolerance, with evidence that verifies; holds that
// keep what they match past its period, for their own case only; a
// purge that destroys exactly the periods whose end has come — their
// keys first — and answers about them afterwards with [PeriodOver],
// never as if nothing had been there; and [ErrClosed] once closed.
type Backend interface {
	// IngestAssignments stores assignments durably, all or none
	// ([Store.IngestAssignments]).
	IngestAssignments(as []Assignment) error
	// IngestMappings stores NAT mappings durably, all or none
	// ([Store.IngestMappings]).
	IngestMappings(ms []Mapping) error
	// Lookup answers a request under need-to-know and records it in
	// the register ([Store.Lookup]).
	Lookup(reg *register.Register, q Request, actor string) (Answer, error)
	// PlaceHold places a preservation hold ([Store.PlaceHold]).
	PlaceHold(caseID string, targets []HoldTarget, from, until timesync.Timestamp) (Hold, error)
	// LiftHold lifts a hold of a case ([Store.LiftHold]).
	LiftHold(id HoldID, caseID string) error
	// Holds lists the holds, in force and lifted ([Store.Holds]).
	Holds() ([]Hold, error)
	// Purge destroys every period whose end has come, keeping what
	// holds in force match ([Store.Purge]).
	Purge() (PurgeReport, error)
	// Verify checks what the store holds and names every problem
	// ([Store.Verify]).
	Verify() (VerifyReport, error)
	// Close releases the store and what it kept in memory; every
	// other method then fails with [ErrClosed].
	Close() error
}

var _ Backend = (*Store)(nil)

// MaxTolerance bounds how far from the instant a lookup looks for a
// record: a source whose clock's error bound exceeds it is treated as
// unbounded ([Clock.Bounded]).
const MaxTolerance = maxTolerance

// Bounded reports whether the clock verdict gives a usable error bound:
// synchronised, with a known bound no larger than [MaxTolerance]. A
// lookup widens a record's interval by its bound only then, and an
// answer with a candidate of an unbounded clock says [UnboundedClock].
func (c Clock) Bounded() bool { return bounded(c) }

// ToleranceOf is how far outside a record's interval, in whole seconds
// rounded up, an instant still is "near" it: the store's tolerance plus
// the record's own clock error bound when [Clock.Bounded].
func ToleranceOf(store time.Duration, c Clock) time.Duration {
	d := store
	if bounded(c) {
		d += c.ErrorBound
	}
	return time.Duration(int64((d+time.Second-1)/time.Second)) * time.Second
}

// FileAssignments checks assignments as [Store.IngestAssignments] does
// at instant now under policy p, and returns the Brussels day — the
// period — each belongs to: that of its last second, or of now while it
// lasts. The error is the same [*provenance.Problems], naming each field
// at fault and never its value ([ErrInput], [ErrExpired]); nothing is
// returned with it. Another store files records by it as the [Store]
// does.
func FileAssignments(p Policy, now timesync.Timestamp, as []Assignment) ([]date.Date, error) {
	days := make([]date.Date, len(as))
	if err := checkAssignments(p, now, as, func(i int, m *periodMemo) { days[i] = m.day }); err != nil {
		return nil, err
	}
	return days, nil
}

// FileMappings is [FileAssignments] for NAT mappings.
func FileMappings(p Policy, now timesync.Timestamp, ms []Mapping) ([]date.Date, error) {
	days := make([]date.Date, len(ms))
	if err := checkMappings(p, now, ms, func(i int, m *periodMemo) { days[i] = m.day }); err != nil {
		return nil, err
	}
	return days, nil
}

// KeyDir is a directory of data keys kept apart from the data, as the
// [Store] keeps its own ([Config.KeyDir]), for another store that seals
// data per period under keys it must be able to destroy: each key is
// drawn at random (AES-256), wrapped with age to the keyring and written
// durably as one file SCOPE.KID.key; destroying a scope's keys
// overwrites and removes their files and syncs the directory, so that
// whatever was sealed under them — in the store and in every backup of
// its data — can no longer be opened. Keep the directory out of the
// data's backups (docs/security.md).
//
// A scope names a period ("2026-10-29.assignments") or a hold
// ("hold-…"): 1 to 64 bytes of lower-case letters, digits, '.' and '-'.
// A KeyDir is safe for concurrent use.
type KeyDir struct {
	mu sync.Mutex
	k  *keyStore
}

// OpenKeyDir opens (creating it, mode 0700) the key directory dir: keys
// are wrapped to ring, and unwrapped with opener (nil: keys can be
// drawn and destroyed, never read back).
func OpenKeyDir(dir string, ring register.Keyring, opener Opener) (*KeyDir, error) {
	if dir == "" || len(ring.Keys()) == 0 {
		return nil, fmt.Errorf("%w: a key directory and a keyring are needed", ErrConfig)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIO, err)
	}
	return &KeyDir{k: &keyStore{dir: dir, ring: ring, opener: opener, cache: map[string][]byte{}}}, nil
}

func validScope(s string) bool {
	return s != "" && len(s) <= 64 && !strings.Contains(s, "..") && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789.-") == "" && s[0] != '.'
}

// Create draws a key for scope, writes it wrapped to the keyring, and
// returns its identity (16 hex digits) and its AES-256-GCM cipher.
func (d *KeyDir) Create(scope string) (string, cipher.AEAD, error) {
	if !validScope(scope) {
		return "", nil, fmt.Errorf("%w: not a key scope", ErrConfig)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.k.cache == nil {
		return "", nil, ErrClosed
	}
	kid, key, err := d.k.create(scope)
	if err != nil {
		return "", nil, err
	}
	a, err := newAEAD(key)
	if err != nil {
		return "", nil, err
	}
	if d.k.aeads == nil {
		d.k.aeads = map[string]cipher.AEAD{}
	}
	d.k.aeads[kid] = a
	return kid, a, nil
}

// Cipher returns the AES-256-GCM cipher of key kid of scope, unwrapping
// it with the opener once: [ErrNoKey] when the key was destroyed or
// cannot be unwrapped.
func (d *KeyDir) Cipher(scope, kid string) (cipher.AEAD, error) {
	if !validScope(scope) || !validKID(kid) {
		return nil, fmt.Errorf("%w: not a key of this directory", ErrNoKey)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.k.cache == nil {
		return nil, ErrClosed
	}
	return d.k.aead(scope, kid)
}

// Scopes returns the key identities of every scope that has keys.
func (d *KeyDir) Scopes() (map[string][]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.k.list()
}

// Destroy destroys every key of scope (each file overwritten, synced
// and removed, then the directory synced; the copies in memory zeroed)
// and returns how many there were.
func (d *KeyDir) Destroy(scope string) (int, error) {
	if !validScope(scope) {
		return 0, fmt.Errorf("%w: not a key scope", ErrConfig)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.k.destroy(scope, nil)
}

// Close zeroes and forgets every key unwrapped or drawn; Create and
// Cipher then fail with [ErrClosed].
func (d *KeyDir) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.k.forgetAll()
}
