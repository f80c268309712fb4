package retention

import (
	"cmp"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// Config is what [Open] needs.
type Config struct {
	// Dir holds the data: the events journal, and one directory per
	// retention period and per preservation hold. Back it up.
	Dir string
	// KeyDir holds the keys, each wrapped to Keyring: one file per key.
	// It must not be inside Dir, nor Dir inside it, and it must not be in
	// Dir's backups: destroying a key must leave no copy that a backup
	// could bring back (docs/security.md). Required.
	KeyDir string
	// Clock gives every "now": what is past its period, the time of
	// events. Required.
	Clock timesync.Clock
	// Policy is how long each class of data is kept. Required; see
	// [Policy.Findings] for what an operator must state.
	Policy Policy
	// Keyring is who can unwrap the store's keys: the cell's readers'
	// age keys ([register.NewKeyring]), the register's own recipients.
	// Writing needs nothing else: a store with no Opener ingests, purges
	// and verifies the files' integrity, but reads nothing.
	Keyring register.Keyring
	// Opener unwraps the keys to read data: for lookups, compaction,
	// separating held records from a period that ends, and verifying the
	// records themselves. Nil for a write-only store.
	Opener Opener
	// Logger, when set, receives a line per ingest, compaction,
	// destruction and repair: periods, counts and file names, never an
	// address or a subscriber reference. Nil means no logging.
	Logger *slog.Logger
	// Register is the journal identity of the register whose work orders
	// allow lookups ([register.Register.JournalID]): [Store.Lookup]
	// refuses any other register with [ErrForeignRegister] — a member
	// could otherwise found a register of their own and issue themselves
	// a work order for any address. Zero refuses every lookup.
	Register [16]byte
	// Tolerance widens every lookup by this much on each side, beyond
	// each record's own clock error bound: the error of the clock that
	// timed the request. Zero means none; the records' own bounds, and
	// the truncation of times to the second, always count.
	Tolerance time.Duration
	// CacheBytes bounds the memory of the decoded blocks the Store keeps
	// for lookups while it is open with an Opener, the least recently
	// used dropped first: zero means [DefaultCacheBytes] (64 MiB), a
	// negative value keeps none (every lookup reads and decodes its
	// blocks from the disk). What it keeps, and when it drops it: Purge,
	// compaction, a lifted hold, Verify finding a file altered, Close
	// (cache.go, docs/security.md).
	CacheBytes int64
}

// Store keeps assignments and mappings encrypted per retention period
// (a Brussels day and a [Class]), answers lookups under a work order,
// keeps what preservation holds name, and destroys each period when it
// ends. One process holds a store at a time; it is safe for concurrent
// use by that process's goroutines.
type Store struct {
	cfg  Config
	log  *slog.Logger
	lock *os.File

	mu     sync.Mutex
	closed bool
	keys   *keyStore
	events *journal.Journal
	wals   map[string]*wal   // scope → the write-ahead log this Store appends to
	files  map[string]*dfile // data file path → what is known of its blocks
	holds  map[HoldID]*holdState
	evs    []Event
	// scopeList and listing cache the directories' listings: this Store
	// is the only writer (the lock), and forgets them when it changes
	// them (invalidate).
	scopeList []string
	listing   map[string][]*dfile
	meta      map[string]scopeInfo
	// cache holds decoded blocks for lookups, in the buffers that read
	// them (cache.go).
	cache *blockCache
	in    inflater    // the buffers of blocks read for compaction, holds and Verify
	ins   []*inflater // of blocks read for lookups, one per reader side by side
	bv    blockView
	// spares hold the blocks a lookup reads when nothing is cached.
	spares []*packed
	// ingestMem is what ingest reuses, zeroed, from call to call.
	ingestMem ingestMem
}

// wal is a write-ahead log of one scope, under a key this Store drew.
type wal struct {
	j    *journal.Journal
	kid  string
	aead cipher.AEAD
	aad  []byte
}

// OpenReport says what [Open] found.
type OpenReport struct {
	// Repaired lists the write-ahead logs whose torn last write — a
	// crash's, never acknowledged — was set aside into a quarantine file
	// beside them (sealed under the period's key like the rest, and
	// destroyed with it).
	Repaired []string
	// Findings are the policy's ([Policy.Findings]): warnings for the
	// periods the operator states.
	Findings []provenance.Finding
}

// Open opens the store in cfg.Dir, creating it if needed. It refuses a
// policy with errors, keys inside the data, and a store another process
// holds; it sets aside the torn last write a crash left in any
// write-ahead log, never anything else.
func Open(cfg Config) (*Store, OpenReport, error) {
	var rep OpenReport
	if cfg.Clock == nil || cfg.Dir == "" || cfg.KeyDir == "" {
		return nil, rep, fmt.Errorf("%w: a data directory, a key directory and a clock are needed", ErrConfig)
	}
	if len(cfg.Keyring.Keys()) == 0 {
		return nil, rep, fmt.Errorf("%w: a keyring is needed to wrap the store's keys", ErrConfig)
	}
	rep.Findings = cfg.Policy.Findings()
	if err := provenance.Check("retention: policy", rep.Findings); err != nil {
		return nil, rep, err
	}
	if err := apart(cfg.Dir, cfg.KeyDir); err != nil {
		return nil, rep, err
	}
	for _, d := range []string{cfg.Dir, cfg.KeyDir, filepath.Join(cfg.Dir, scopesDir)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, rep, fmt.Errorf("%w: %v", ErrIO, err)
		}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lock, err := durable.Lock(filepath.Join(cfg.Dir, "lock"))
	if errors.Is(err, durable.ErrLocked) {
		return nil, rep, ErrLocked
	}
	if err != nil {
		return nil, rep, fmt.Errorf("%w: %v", ErrIO, err)
	}
	s := &Store{cfg: cfg, log: log, lock: lock, wals: map[string]*wal{}, files: map[string]*dfile{}, holds: map[HoldID]*holdState{},
		keys:  &keyStore{dir: cfg.KeyDir, ring: cfg.Keyring, opener: cfg.Opener, cache: map[string][]byte{}},
		cache: newBlockCache(cacheBytes(cfg.CacheBytes))}
	fail := func(err error) (*Store, OpenReport, error) {
		s.Close()
		return nil, rep, err
	}
	s.events, _, err = journal.Open(filepath.Join(cfg.Dir, eventsFile), journal.Options{Clock: cfg.Clock})
	if err != nil {
		return fail(err)
	}
	if err := s.loadEvents(s.events.Initial()); err != nil {
		return fail(err)
	}
	if rep.Repaired, err = s.repairWALs(); err != nil {
		return fail(err)
	}
	return s, rep, nil
}

const (
	scopesDir  = "scopes"
	eventsFile = "events.journal"
	walPrefix  = "wal-"
	walSuffix  = ".journal"
	blockKind  = "block"
)

// apart refuses a key directory inside the data directory or the other
// way round.
func apart(dir, keyDir string) error {
	a, err1 := filepath.Abs(dir)
	b, err2 := filepath.Abs(keyDir)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%w: the directories' paths", ErrConfig)
	}
	inside := func(x, y string) bool {
		rel, err := filepath.Rel(y, x)
		return err == nil && (rel == "." || !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != "..")
	}
	if inside(a, b) || inside(b, a) {
		return fmt.Errorf("%w: the key directory must be apart from the data directory (neither inside the other), so that the data's backups hold no key", ErrConfig)
	}
	return nil
}

// Close closes the store's logs and releases it. Every ingest that
// returned is durable. It drops what the Store kept in memory: the
// decoded blocks of its cache (zeroed), its keys (zeroed) and their
// ciphers, its files' handles.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var first error
	for _, w := range s.wals {
		if err := w.j.Close(); err != nil && first == nil {
			first = err
		}
	}
	if s.events != nil {
		if err := s.events.Close(); err != nil && first == nil {
			first = err
		}
	}
	// What lookups kept in memory goes with the keys: the decoded
	// blocks zeroed, the handles closed, the buffers wiped.
	s.cache.reset()
	s.cache.flush()
	for _, f := range s.files {
		s.forget(f)
	}
	s.in.wipe()
	s.in = inflater{}
	for _, in := range s.ins {
		in.wipe()
	}
	s.ins = nil
	for _, p := range s.spares {
		p.wipe()
	}
	s.spares = nil
	s.ingestMem = ingestMem{} // zeroed after each ingest
	s.keys.forgetAll()
	if s.lock != nil {
		s.lock.Close()
	}
	return first
}

// scopeOf names a retention period: "2026-03-29.mappings".
func scopeOf(d date.Date, c Class) string { return d.String() + "." + c.String() }

// parseScope reads a period's scope; ok is false for a hold's.
func parseScope(s string) (date.Date, Class, bool) {
	ds, cs, ok := strings.Cut(s, ".")
	if !ok {
		return 0, 0, false
	}
	d, err := timesync.ParseDay(ds)
	c, cok := parseClass(cs)
	return d, c, err == nil && cok
}

func (s *Store) scopeDir(scope string) string { return filepath.Join(s.cfg.Dir, scopesDir, scope) }

// ErrInput's findings are made by inputProblem.
func inputProblem(field, msg string) provenance.Finding {
	return provenance.Finding{Rule: "retention-input", Severity: provenance.Error, Field: field,
		Source: provenance.Rule("retention-input"), Err: ErrInput, Message: provenance.Text(msg)}
}

func validDevice(s string) bool { return ValidSubscriber(Subscriber(s)) }

func checkAddr(field string, a netip.Addr, out *[]provenance.Finding) {
	switch {
	case !a.IsValid():
		*out = append(*out, inputProblem(field, "an address is needed"))
	case a.Is4In6():
		*out = append(*out, inputProblem(field, "an IPv4 address is written as IPv4, not mapped into IPv6"))
	case a.Zone() != "":
		*out = append(*out, inputProblem(field, "an address with a zone is not a network's"))
	}
}

func checkCommon(field string, from, until timesync.Timestamp, ports PortRange, ev Evidence, clk Clock, out *[]provenance.Finding) {
	if from.IsZero() {
		*out = append(*out, inputProblem(field+".from", "the start is needed"))
	}
	if !until.IsZero() && !until.After(from) {
		*out = append(*out, inputProblem(field+".until", "the end must come after the start"))
	}
	if !ports.Valid() {
		*out = append(*out, inputProblem(field+".ports", "the first port must not exceed the last"))
	}
	if !slices.Contains(SourceKinds(), ev.Kind) {
		*out = append(*out, inputProblem(field+".source.kind", "an unknown source kind"))
	}
	if !validDevice(ev.Device) {
		*out = append(*out, inputProblem(field+".source.device", fmt.Sprintf("the device is 1 to %d bytes of printable ASCII without spaces", MaxSubscriber)))
	}
	if clk.ErrorBound < -1 {
		*out = append(*out, inputProblem(field+".clock.error_bound_ns", "the error bound is -1 (unbounded) or more"))
	}
}

// dayOf returns the Brussels day a record belongs to: that of its last
// second, or of now while it lasts.
func dayOf(until timesync.Timestamp, now timesync.Timestamp) date.Date {
	if until.IsZero() {
		return now.Day()
	}
	return until.Add(-time.Second).Day()
}

// periodMemo remembers, through an ingest, the last day a record fell
// on — its seconds, scope and period end — since most of a batch falls
// on one day, and finding a day and its end in Brussels time is most of
// the work of filing a record.
type periodMemo struct {
	ok     bool
	lo, hi int64 // the day's seconds: [lo, hi)
	day    date.Date
	scope  string
	end    timesync.Timestamp
}

// period returns the scope of a record of class c ending at until
// (zero: lasting, filed at now) and the end of its period; as dayOf and
// Policy.Period(c).End would.
func (m *periodMemo) period(p Policy, c Class, until, now timesync.Timestamp) (string, timesync.Timestamp) {
	last := now
	if !until.IsZero() {
		last = until.Add(-time.Second)
	}
	if t := last.Unix(); m.ok && m.lo <= t && t < m.hi {
		return m.scope, m.end
	}
	d := dayOf(until, now)
	*m = periodMemo{ok: true, day: d, lo: timesync.FromTime(timesync.DayStart(d)).Unix(), hi: timesync.FromTime(timesync.DayEnd(d)).Unix(),
		scope: scopeOf(d, c), end: p.Period(c).End(d)}
	return m.scope, m.end
}

// IngestAssignments stores assignments durably and returns once they are
// on disk (written and synced): a crash after it returns loses none of
// them. Every assignment is checked first, and none is stored if one is
// refused: the error is a [*provenance.Problems] naming each field at
// fault (never its value), its findings wrapping [ErrInput], or
// [ErrExpired] for an assignment already past its period.
//
// An assignment belongs to the Brussels day of its last second, or, while
// it lasts (Until zero), to the day it is reported: a source reports a
// lasting session again (RADIUS interim updates, a contracts file
// ingested each day), and each report is kept for the period from its
// day. The same record given twice is kept once.
func (s *Store) IngestAssignments(as []Assignment) error {
	var f filing
	err := checkAssignments(s.cfg.Policy, timesync.Now(s.cfg.Clock), as, func(i int, m *periodMemo) { f.add(i, m.scope) })
	if err != nil {
		return err
	}
	return s.ingest(ClassAssignments, &f, func(i int, r *row) { *r = rowOfAssignment(as[i]) })
}

// checkAssignments checks assignments as [Store.IngestAssignments]
// does, at instant now under policy p, and calls put with the index and
// the period of each record accepted; the error, when one is refused, is
// the [*provenance.Problems] of every record refused.
func checkAssignments(p Policy, now timesync.Timestamp, as []Assignment, put func(i int, m *periodMemo)) error {
	var probs []provenance.Finding
	var memo periodMemo
	check := func(f string, a *Assignment) {
		if !ValidSubscriber(a.Subscriber) {
			probs = append(probs, inputProblem(f+".subscriber", fmt.Sprintf("a subscriber reference is 1 to %d bytes of printable ASCII without spaces", MaxSubscriber)))
		}
		if !a.Prefix.IsValid() {
			probs = append(probs, inputProblem(f+".prefix", "an address or prefix is needed"))
		} else {
			checkAddr(f+".prefix", a.Prefix.Addr(), &probs)
			if a.Prefix.Masked() != a.Prefix {
				probs = append(probs, inputProblem(f+".prefix", "the prefix has bits set after its length"))
			}
		}
		checkCommon(f, a.From, a.Until, a.Ports, a.Source, a.Clock, &probs)
	}
	for i := range as {
		a := &as[i]
		// Checked first without the field's name, which is written only
		// for a record refused.
		n := len(probs)
		if check("", a); len(probs) > n {
			probs = probs[:n]
			check(fmt.Sprintf("assignments[%d]", i), a)
			continue
		}
		_, end := memo.period(p, ClassAssignments, a.Until, now)
		if !now.Before(end) {
			probs = append(probs, expired(fmt.Sprintf("assignments[%d]", i), ClassAssignments))
			continue
		}
		put(i, &memo)
	}
	return provenance.Check("retention: ingest", probs)
}

// IngestMappings stores NAT mappings as [Store.IngestAssignments] stores
// assignments: durably before it returns, all or none, each belonging to
// the Brussels day of its last second (or of its report while it lasts).
func (s *Store) IngestMappings(ms []Mapping) error {
	var f filing
	err := checkMappings(s.cfg.Policy, timesync.Now(s.cfg.Clock), ms, func(i int, m *periodMemo) { f.add(i, m.scope) })
	if err != nil {
		return err
	}
	return s.ingest(ClassMappings, &f, func(i int, r *row) { *r = rowOfMapping(ms[i]) })
}

// checkMappings is [checkAssignments] for mappings.
func checkMappings(p Policy, now timesync.Timestamp, ms []Mapping, put func(i int, m *periodMemo)) error {
	var probs []provenance.Finding
	var memo periodMemo
	check := func(f string, m *Mapping) {
		checkAddr(f+".public", m.Public, &probs)
		checkAddr(f+".inside", m.Inside, &probs)
		checkCommon(f, m.From, m.Until, m.Ports, m.Source, m.Clock, &probs)
	}
	for i := range ms {
		m := &ms[i]
		// Checked first without the field's name, which is written only
		// for a record refused.
		n := len(probs)
		if check("", m); len(probs) > n {
			probs = probs[:n]
			check(fmt.Sprintf("mappings[%d]", i), m)
			continue
		}
		_, end := memo.period(p, ClassMappings, m.Until, now)
		if !now.Before(end) {
			probs = append(probs, expired(fmt.Sprintf("mappings[%d]", i), ClassMappings))
			continue
		}
		put(i, &memo)
	}
	return provenance.Check("retention: ingest", probs)
}

func expired(field string, c Class) provenance.Finding {
	return provenance.Finding{Rule: "retention-expired", Severity: provenance.Error, Field: field, Source: PeriodCountSource(),
		Err: ErrExpired, Message: provenance.Text(fmt.Sprintf("the %s period of this record is already over: it is not kept", c))}
}

// filing is where the records an ingest accepted go: the periods, in
// the order of their first record, and each record's, by its place in
// the call.
type filing struct {
	scopes []string
	recs   []int32 // the records accepted, by place in the call
	// of is each accepted record's period, by place in scopes; nil
	// while they all are of the first (most calls).
	of    []int32
	index map[string]int32 // scopes' places, once there are several
}

// add files record i in scope.
func (f *filing) add(i int, scope string) {
	f.recs = append(f.recs, int32(i))
	last := len(f.scopes) - 1
	if f.of == nil && last >= 0 && f.scopes[last] == scope {
		return
	}
	if f.of == nil && last >= 0 {
		f.of = make([]int32, len(f.recs)-1, cap(f.recs))
		f.index = map[string]int32{f.scopes[0]: 0}
	}
	k, ok := f.index[scope]
	if !ok {
		k = int32(len(f.scopes))
		f.scopes = append(f.scopes, scope)
		if f.index != nil {
			f.index[scope] = k
		}
	}
	if f.of != nil {
		f.of = append(f.of, k)
	}
}

// byScope returns, for each period in the order of scopes sorted, the
// records filed in it, in the order of the call.
func (f *filing) byScope() (scopes []string, recs [][]int32) {
	if f.of == nil {
		return f.scopes, [][]int32{f.recs}
	}
	order := make([]int, len(f.scopes))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(f.scopes[a], f.scopes[b]) })
	// Counted and placed: linear in the records, whatever the periods.
	start := make([]int, len(f.scopes)+1)
	for _, k := range f.of {
		start[k+1]++
	}
	for k := range f.scopes {
		start[k+1] += start[k]
	}
	out := make([]int32, len(f.recs))
	at := slices.Clone(start)
	for j, k := range f.of {
		out[at[k]] = f.recs[j]
		at[k]++
	}
	for _, k := range order {
		scopes = append(scopes, f.scopes[k])
		recs = append(recs, out[start[k]:start[k+1]])
	}
	return scopes, recs
}

// walBlock bounds the records of a block of a write-ahead log.
const walBlock = 4096

// ingestMem is the memory ingest keeps from one call to the next: the
// rows, their sort's keys and the sealer's buffers. Every call zeroes
// what it wrote in it before it returns (and drops the sealer's
// compressor), and a call of more than keptRows records a period leaves
// its memory to the collector.
type ingestMem struct {
	rows  []row
	order rowOrder
	seal  sealer
}

// smallSort is the batch below which rows are sorted by comparison.
const smallSort = 48

// keptRows bounds the rows ingestMem keeps: some 3.5 MiB with their
// keys and a block's buffers, for calls of up to 16,384 records a
// period.
const keptRows = 1 << 14

// ingest writes the records filed in each period — made by fill from
// their place in the call — sorted and sealed in blocks, to the
// period's write-ahead log, in as few synced writes as the journal
// allows. fill reads the caller's records under the store's lock, after
// they were checked: the caller must not change them during the call.
func (s *Store) ingest(c Class, f *filing, fill func(i int, r *row)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	n := 0
	mem := &s.ingestMem
	defer func() {
		clear(mem.rows[:cap(mem.rows)]) // also after a failure, or a panic a caller recovers from
		mem.order.wipe()
		mem.seal.wipe()
		if cap(mem.rows) > keptRows {
			*mem = ingestMem{}
		}
	}()
	mem.seal.level = walLevel
	scopes, recs := f.byScope()
	for k, sc := range scopes {
		rows := grow(mem.rows, len(recs[k]))
		mem.rows = rows
		for j, i := range recs[k] {
			fill(int(i), &rows[j])
		}
		mem.order.sortRows(rows)
		m, err := s.ingestRows(c, sc, compactRows(rows), &mem.seal)
		clear(rows)
		if err != nil {
			return err
		}
		n += m
	}
	s.log.Info("ingested", "class", c.String(), "records", n, "periods", len(scopes))
	return nil
}

// ingestRows writes sorted rows, no record twice, to the write-ahead log
// of scope, and returns their count.
func (s *Store) ingestRows(c Class, sc string, rows []row, sl *sealer) (int, error) {
	w, err := s.walFor(sc)
	if err != nil {
		return 0, err
	}
	n := len(rows)
	var payloads [][]byte
	for len(rows) > 0 {
		k := min(len(rows), walBlock)
		b, err := w.sealRows(sl, c, rows[:k])
		if err != nil {
			return 0, err
		}
		payloads = append(payloads, b)
		rows = rows[k:]
	}
	for len(payloads) > 0 {
		k, size := 0, 0
		for k < len(payloads) && k < journal.MaxWrite/2 && (k == 0 || size+len(payloads[k]) < journal.MaxWriteBytes/2) {
			size += len(payloads[k])
			k++
		}
		batch := payloads[:k]
		_, err := w.j.Update(func(tx *journal.Tx) error {
			for _, p := range batch {
				if _, err := tx.Append(blockKind, p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("%w: writing %s: %w", ErrIO, sc, err)
		}
		payloads = payloads[k:]
	}
	return n, nil
}

// compactRows removes from sorted rows each record that is the same as
// the one before, and zeroes the rows left after those it returns.
func compactRows(rows []row) []row {
	if len(rows) < 2 {
		return rows
	}
	k := 1
	for i := 1; i < len(rows); i++ {
		if !sameRecord(&rows[k-1], &rows[i]) {
			if k != i {
				rows[k] = rows[i]
			}
			k++
		}
	}
	clear(rows[k:])
	return rows[:k]
}

// sortRows sorts rows as compareRows orders them.
func sortRows(rows []row) {
	var o rowOrder
	o.sortRows(rows)
	o.wipe()
}

// rowOrder sorts rows, in memory it keeps from one sort to the next.
//
// A row is too large to be moved at each comparison, and compareRows
// too slow to be called at each: each row's sort key — run, key
// (address family, address, prefix length), first port and start,
// compareRows's first criteria — is ordered with the row's index,
// compareRows deciding only between equal keys, then the rows are put
// in that order, each moved once.
//
// A key's fields mostly vary over a small part of their range — a
// CGNAT's few public addresses, a day of seconds — so each is counted
// from its least value in the rows and packed, in the order of
// compareRows's criteria, into as few bits as the rows' ranges need:
// within 128, the packed keys are radix-sorted (linear in the rows, not
// n log n comparisons); otherwise, as for IPv6 keys spread over the
// whole address space, compared field by field.
type rowOrder struct {
	keys, tmp []rowKey
	wide      []sortKey
}

// rowKey is a row's packed sort key, and its index.
type rowKey struct {
	hi, lo uint64
	i      int
}

// sortKey is a row's sort key by field, and its index.
type sortKey struct {
	k0, k1, k2, k3 uint64
	from           uint64 // the start, its sign bit flipped: ordered as unsigned
	i              int
}

func keyOf(r *row, i int) sortKey {
	fam := uint64(1)
	if r.is4 {
		fam = 0 // IPv4 first
	}
	return sortKey{k0: uint64(r.run)<<8 | fam, k1: binary.BigEndian.Uint64(r.addr[:8]), k2: binary.BigEndian.Uint64(r.addr[8:]),
		k3: uint64(r.bits)<<16 | uint64(r.first), from: uint64(r.from) ^ 1<<63, i: i}
}

func compareKeys(a, b *sortKey) int {
	return cmp.Or(cmp.Compare(a.k0, b.k0), cmp.Compare(a.k1, b.k1), cmp.Compare(a.k2, b.k2), cmp.Compare(a.k3, b.k3), cmp.Compare(a.from, b.from))
}

// radixBits is the width of a radix sort's digit.
const radixBits = 11

// sortRows sorts rows as compareRows orders them.
func (o *rowOrder) sortRows(rows []row) {
	n := len(rows)
	if n < 2 {
		return
	}
	// The keys' ranges, and whether the rows are in order already.
	lo, hi, prev := keyOf(&rows[0], 0), keyOf(&rows[0], 0), keyOf(&rows[0], 0)
	sorted := true
	for i := 1; i < n; i++ {
		k := keyOf(&rows[i], i)
		lo.k0, lo.k1, lo.k2, lo.k3, lo.from = min(lo.k0, k.k0), min(lo.k1, k.k1), min(lo.k2, k.k2), min(lo.k3, k.k3), min(lo.from, k.from)
		hi.k0, hi.k1, hi.k2, hi.k3, hi.from = max(hi.k0, k.k0), max(hi.k1, k.k1), max(hi.k2, k.k2), max(hi.k3, k.k3), max(hi.from, k.from)
		if sorted {
			if c := compareKeys(&prev, &k); c > 0 || c == 0 && compareRows(&rows[i-1], &rows[i]) > 0 {
				sorted = false
			}
		}
		prev = k
	}
	if sorted {
		return
	}
	w0, w1, w2, w3, w4 := bits.Len64(hi.k0-lo.k0), bits.Len64(hi.k1-lo.k1), bits.Len64(hi.k2-lo.k2), bits.Len64(hi.k3-lo.k3), bits.Len64(hi.from-lo.from)
	width := w0 + w1 + w2 + w3 + w4
	// Keys too wide to pack, and batches too small for a radix sort's
	// passes to pay (8 rows: 4.4 µs by radix, 0.3 µs by comparison), are
	// sorted by comparison.
	if width > 128 || n < smallSort {
		wide := grow(o.wide, n)
		o.wide = wide
		for i := range rows {
			wide[i] = keyOf(&rows[i], i)
		}
		slices.SortFunc(wide, func(a, b sortKey) int {
			if c := compareKeys(&a, &b); c != 0 {
				return c
			}
			return compareRows(&rows[a.i], &rows[b.i])
		})
		permute(rows, wide, func(k *sortKey) *int { return &k.i })
		return
	}
	keys := grow(o.keys, n)
	for i := range rows {
		k := keyOf(&rows[i], i)
		var p rowKey
		p.push(k.k0-lo.k0, w0)
		p.push(k.k1-lo.k1, w1)
		p.push(k.k2-lo.k2, w2)
		p.push(k.k3-lo.k3, w3)
		p.push(k.from-lo.from, w4)
		p.i = i
		keys[i] = p
	}
	keys, o.tmp = radixSort(keys, grow(o.tmp, n), width)
	o.keys = keys
	// Equal keys, in the rows' order (the sort is stable): ordered by
	// compareRows.
	for i := 0; i < n; {
		j := i + 1
		for j < n && keys[j].hi == keys[i].hi && keys[j].lo == keys[i].lo {
			j++
		}
		if j-i > 1 {
			slices.SortStableFunc(keys[i:j], func(a, b rowKey) int { return compareRows(&rows[a.i], &rows[b.i]) })
		}
		i = j
	}
	permute(rows, keys, func(k *rowKey) *int { return &k.i })
}

// push appends the low w bits of v to the key: k = k<<w | v.
func (k *rowKey) push(v uint64, w int) {
	k.hi = k.hi<<w | k.lo>>(64-w)
	k.lo = k.lo<<w | v
}

// digit returns the radixBits bits of the key from bit shift.
func (k *rowKey) digit(shift int) int {
	var v uint64
	if shift < 64 {
		v = k.lo>>shift | k.hi<<(64-shift)
	} else {
		v = k.hi >> (shift - 64)
	}
	return int(v & (1<<radixBits - 1))
}

// radixSort sorts keys of width bits by their value, stably, tmp the
// same length; it returns the keys sorted and the other slice.
func radixSort(keys, tmp []rowKey, width int) ([]rowKey, []rowKey) {
	var count [1 << radixBits]int
	for shift := 0; shift < width; shift += radixBits {
		clear(count[:])
		for i := range keys {
			count[keys[i].digit(shift)]++
		}
		if count[keys[0].digit(shift)] == len(keys) {
			continue // the same digit in every key
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i := range keys {
			d := keys[i].digit(shift)
			tmp[count[d]] = keys[i]
			count[d]++
		}
		keys, tmp = tmp, keys
	}
	return keys, tmp
}

// permute puts the rows in the order of keys — row j becomes the row at
// the index of key j — moving each row once, along the permutation's
// cycles; the keys' indexes are spent (-1).
func permute[K any](rows []row, keys []K, index func(*K) *int) {
	for j := range keys {
		if *index(&keys[j]) < 0 {
			continue
		}
		first := rows[j]
		at := j
		for {
			from := index(&keys[at])
			src := *from
			*from = -1
			if src == j {
				rows[at] = first
				break
			}
			rows[at] = rows[src]
			at = src
		}
	}
}

// grow returns s with n elements, in s's memory when it has room; what
// they hold is the caller's to set.
// An outgrown s is zeroed before it is left to the collector: what
// ingest keeps holds records.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		clear(s[:cap(s)])
		return make([]T, n)
	}
	return s[:n]
}

// wipe zeroes the keys: addresses, ports and times.
func (o *rowOrder) wipe() {
	clear(o.keys[:cap(o.keys)])
	clear(o.tmp[:cap(o.tmp)])
	clear(o.wide[:cap(o.wide)])
}
