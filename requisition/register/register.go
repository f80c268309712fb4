package register

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"

	"filippo.io/age"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// Config is what [Open] needs.
type Config struct {
	// Clock times every record and transition. Required.
	Clock timesync.Clock
	// Identity is who opens the register: a member (who reads it and acts
	// on cases) or the recovery identity (who reads it and manages the
	// roster). Every record written is signed with its key, and a
	// transition's actor must be its name. Required. A service identity
	// cannot open a register: it writes with [Submit].
	Identity Identity
	// Logger, when set, receives one line per record written and per
	// journal repair. Lines carry the case's ID, the event and the
	// states, never a target, a name, a reference or a note. Nil means
	// no logging.
	Logger *slog.Logger
	// Found: when the journal does not exist, create it, and when it
	// holds no roster (a new journal, or one of the earlier format),
	// found the register with Identity as its first member. Without it,
	// Open creates and founds nothing — what every command but
	// the cell's first set-up wants: a register that vanished is an
	// error, not a new empty one.
	Found bool
	// Anchors, when set, holds the checkpoints this machine kept of the
	// register: Open refuses a journal that does not hold what
	// they vouch for (cut short, or an older copy restored), before it
	// writes anything — and before a torn tail could be set aside.
	Anchors *journal.Anchors
}

// Register is the cell's record of cases, kept in a sealed, signed
// journal. It is safe for concurrent use, and several processes may
// open the same register: each write first reads, under the journal's
// lock, what the others wrote, and is decided against it.
type Register struct {
	mu      sync.Mutex
	j       journal.Store
	cfg     Config
	log     *slog.Logger
	ro      *roster
	next    uint64                         // the next record to fold
	epochs  map[uint32]*age.X25519Identity // the epoch keys this identity holds
	cases   map[string]*Case
	woKey   []byte            // the newest work-order key
	refs    map[Ref]string    // work order → case
	results map[Ref]bool      // work orders with a result
	linked  map[uint64]string // submission → the case received from it
	subs    []Submission
	dep     *deposit // the deposit being read, part by part
	lookups []LookupRecord
	legacy  bool // records of the format before signatures were read
	// legacyPlain holds, while the register is being founded, the
	// earlier format's records as this identity opened them; bridged
	// holds those opened through bridge records, for an identity added
	// after the upgrade.
	legacyPlain map[uint64][]byte
	bridged     map[uint64][]byte
	// broken is set when a record could not be folded: the register's
	// state is no longer the journal's, and every operation fails.
	broken error
}

// The kinds of sealed records.
const (
	caseKind = "case"
	keyKind  = "work-order-key"
	// SubmissionKind is the kind of the records [Submit] appends.
	SubmissionKind = "submission"
	// BridgeKind records, sealed to the first epoch, a record of the
	// earlier format as the founding member opened it, bound to its hash,
	// so that members added after the upgrade read it too.
	BridgeKind = "bridge"
)

// ErrNotFounded is returned by Open, without [Config.Found], for
// a journal that does not exist or holds no roster yet.
var ErrNotFounded = errors.New("register: the register is not founded (desk init, or desk member upgrade -found)")

// Open opens the register kept in the journal at path, replaying
// and checking its records: the chain, every signature, the roster rules
// ([AuditRecords]) and every transition. With [Config.Found], a new
// register — or a journal of an earlier version, which held no roster —
// is created and founded by cfg.Identity, which becomes its first member.
// A torn tail left by a crash is reported in the [OpenReport] and set
// aside, never deleted, by the next write; any other damage is refused.
func Open(path string, cfg Config) (*Register, journal.OpenReport, error) {
	if cfg.Clock == nil || cfg.Identity.sign == nil {
		return nil, journal.OpenReport{}, fmt.Errorf("%w: a clock and an identity are needed", ErrConfig)
	}
	if !cfg.Identity.role.reads() {
		return nil, journal.OpenReport{}, fmt.Errorf("%w: a service identity cannot open the register: it writes with Submit", ErrConfig)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Anchors != nil {
		// A register this machine kept must not be recreated: check its
		// absence before Open may create one; the rest once Open has read
		// it (and before anything is written).
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			if err := cfg.Anchors.CheckRead(path, nil, err); err != nil {
				return nil, journal.OpenReport{}, err
			}
		}
	}
	j, rep, err := journal.Open(path, journal.Options{Clock: cfg.Clock, Signer: cfg.Identity.sign, Follow: true, NoCreate: !cfg.Found})
	if cfg.Anchors != nil && errors.Is(err, journal.ErrNoHeader) {
		if aerr := cfg.Anchors.CheckRead(path, nil, err); aerr != nil {
			return nil, rep, aerr
		}
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, rep, fmt.Errorf("%w: %w", ErrNotFounded, err)
	}
	if err != nil {
		return nil, rep, err
	}
	if rep.TornBytes > 0 {
		log.Warn("journal ends with an incomplete write: it is set aside at the next write", "torn_bytes", rep.TornBytes, "records", rep.Records)
	}
	var check func([]journal.Record) error
	if cfg.Anchors != nil {
		check = func(recs []journal.Record) error { return cfg.Anchors.CheckRead(path, recs, nil) }
	}
	r, err := openOn(j, cfg, log, check)
	return r, rep, err
}

// StoreOpener opens the journal a register is kept in, signing every
// record it appends with signer — the register's identity's key, which
// never leaves the register otherwise. A PostgreSQL store's opener:
//
//	func(signer ed25519.PrivateKey) (journal.Store, error) {
//		return pgjournal.Open(ctx, dsn, pgjournal.Options{Clock: clock, Signer: signer, Create: found})
//	}
type StoreOpener func(signer ed25519.PrivateKey) (journal.Store, error)

// OpenStore opens the register kept in the journal store open opens —
// any [journal.Store]: a database shared by the cell's machines
// (package pgjournal), or the file journal — replaying and checking its
// records as [Open] does: the chain, every signature, the roster rules
// and every transition. The store signs with cfg.Identity's key. With
// [Config.Found], a journal that holds no roster yet is founded by
// cfg.Identity; whether an empty store gets a journal header at all is
// the opener's choice (pgjournal's Options.Create). With [Config.Anchors],
// the journal must hold every record this machine's checkpoints of it
// vouch for (by the journal's identity: a store has no path). The
// register closes the store when it is closed, or when opening fails.
func OpenStore(open StoreOpener, cfg Config) (*Register, error) {
	if open == nil || cfg.Clock == nil || cfg.Identity.sign == nil {
		return nil, fmt.Errorf("%w: a store, a clock and an identity are needed", ErrConfig)
	}
	if !cfg.Identity.role.reads() {
		return nil, fmt.Errorf("%w: a service identity cannot open the register: it writes with Submit", ErrConfig)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	j, err := open(cfg.Identity.sign)
	if err != nil {
		return nil, err
	}
	var check func([]journal.Record) error
	if cfg.Anchors != nil {
		check = func(recs []journal.Record) error {
			_, err := cfg.Anchors.CheckAnchors(recs)
			return err
		}
	}
	return openOn(j, cfg, log, check)
}

// openOn builds the register on an open journal store: it replays the
// records the store read (after check, when set, has accepted them),
// founds the register if asked to, and checks that the identity may work
// on it. It closes the store on failure.
func openOn(j journal.Store, cfg Config, log *slog.Logger, check func([]journal.Record) error) (*Register, error) {
	r := &Register{j: j, cfg: cfg, log: log, ro: newRoster(), epochs: map[uint32]*age.X25519Identity{},
		cases: map[string]*Case{}, refs: map[Ref]string{}, results: map[Ref]bool{}, linked: map[uint64]string{}}
	if cfg.Found {
		r.legacyPlain = map[uint64][]byte{}
	}
	recs := j.Initial()
	if check != nil {
		if err := check(recs); err != nil {
			j.Close()
			return nil, err
		}
	}
	if err := r.replay(recs); err != nil {
		j.Close()
		return nil, err
	}
	if !r.ro.founded {
		if !cfg.Found {
			j.Close()
			return nil, ErrNotFounded
		}
		if err := r.found(); err != nil {
			j.Close()
			return nil, err
		}
	}
	r.legacyPlain = nil
	if err := r.ready(); err != nil {
		j.Close()
		return nil, err
	}
	return r, nil
}

// manager checks that the identity may change the roster and draw keys:
// ready, and a member or the recovery identity (not a watch).
func (r *Register) manager() error {
	if err := r.ready(); err != nil {
		return err
	}
	if !r.cfg.Identity.role.manages() {
		return fmt.Errorf("%w: a %s identity changes nothing of the roster", ErrMember, r.cfg.Identity.role)
	}
	return nil
}

// ready checks that the identity may work on the register as it stands.
func (r *Register) ready() error {
	me := r.cfg.Identity
	m := r.ro.members[me.name]
	if m == nil || !m.Active || !bytes.Equal(m.Sign, me.Public().Sign) {
		return fmt.Errorf("%w: this identity is not in the register's roster (a member adds it: desk member add)", ErrActor)
	}
	if r.ro.epoch >= 0 && r.epochs[uint32(r.ro.epoch)] == nil {
		return fmt.Errorf("%w: this identity holds no key of the current epoch (a member grants it by adding it)", ErrSealed)
	}
	return nil
}

// replay folds the journal's records in two passes: the roster and the
// keys granted to this identity first — a member added later is granted
// the past epochs' keys after the records sealed to them — then the
// sealed records.
func (r *Register) replay(recs []journal.Record) error {
	for _, rec := range recs {
		if err := r.foldRoster(rec); err != nil {
			return err
		}
	}
	if r.ro.founded {
		if err := r.ready(); err != nil {
			return err
		}
	}
	if r.legacy && r.ro.founded {
		r.bridged = map[uint64][]byte{}
		for _, rec := range recs {
			if err := r.takeBridge(rec, recs); err != nil {
				return err
			}
		}
	}
	for _, rec := range recs {
		if err := r.foldSealed(rec); err != nil {
			r.broken = err
			return err
		}
	}
	return nil
}

// bridge is a [BridgeKind] record's sealed content.
type bridge struct {
	Seq   uint64       `json:"seq"`
	Hash  journal.Hash `json:"hash"`
	Plain []byte       `json:"plain"`
}

// takeBridge keeps what a bridge record says an earlier record holds,
// once its hash matches that record's.
func (r *Register) takeBridge(rec journal.Record, recs []journal.Record) error {
	if rec.Kind != BridgeKind || !rec.Signed() {
		return nil
	}
	plain, err := r.open(rec)
	if err != nil {
		return fmt.Errorf("record %d: %w", rec.Seq, err)
	}
	var b bridge
	if err := decodeStrict(plain, &b); err != nil || b.Seq >= rec.Seq || recs[b.Seq].Signed() || recs[b.Seq].Hash != b.Hash {
		return &RosterError{Violations: []Violation{{rec.Seq, "a bridge record that does not match the earlier record it names"}}}
	}
	r.bridged[b.Seq] = b.Plain
	return nil
}

// fold applies one record, in order: to the roster and the epoch keys,
// then to the work-order key, the submissions and the cases.
func (r *Register) fold(rec journal.Record) error {
	if r.broken != nil {
		return r.broken
	}
	if rec.Seq < r.next {
		return nil // already folded (a write that failed after reading it)
	}
	err := r.foldRoster(rec)
	if err == nil {
		err = r.foldSealed(rec)
	}
	if err != nil {
		// Half folded: the state no longer matches the journal. Nothing
		// more is done with this Register; a new one says the same.
		r.broken = err
	}
	return err
}

func (r *Register) foldRoster(rec journal.Record) error {
	if rec.Seq != r.next {
		return &journal.CorruptError{Seq: r.next, Reason: "a record missing between two reads"}
	}
	before := len(r.ro.violations)
	r.ro.add(rec)
	if len(r.ro.violations) > before {
		return &RosterError{Violations: r.ro.violations[before:]}
	}
	r.next = rec.Seq + 1
	if !rec.Signed() && rec.Seq > 0 {
		r.legacy = true
	}
	switch rec.Kind {
	case EpochKind, GrantKind:
		if rec.Signed() { // the roster ignores unsigned ones
			r.takeGrants(rec)
		}
		return nil
	case journal.RepairKind:
		var rp journal.Repair
		if decodeStrict(rec.Payload, &rp) == nil {
			r.log.Warn("journal repaired: an incomplete write was set aside", "record", rec.Seq, "bytes", rp.Bytes, "file", rp.File)
		}
	}
	return nil
}

func (r *Register) foldSealed(rec journal.Record) error {
	if rec.Kind == DepositKind {
		r.foldDeposit(rec)
		return nil
	}
	// A deposit's parts are written together: any other record ends one
	// that was left incomplete.
	r.flushDeposit()
	switch rec.Kind {
	case keyKind, caseKind, SubmissionKind, LookupKind:
	default:
		return nil
	}
	plain, err := r.open(rec)
	if err != nil && rec.Kind == SubmissionKind {
		// A service wrote what no member can open: shown as such, it
		// does not lock the members out.
		r.subs = append(r.subs, Submission{Seq: rec.Seq, At: rec.Time, By: r.ro.byKey[string(rec.Signer)], Unreadable: true})
		return nil
	}
	if err != nil {
		return fmt.Errorf("record %d: %w", rec.Seq, err)
	}
	if !rec.Signed() && r.legacyPlain != nil {
		r.legacyPlain[rec.Seq] = plain
	}
	switch rec.Kind {
	case LookupKind:
		return r.foldLookup(rec, plain)
	case keyKind:
		if len(plain) != 32 {
			return fmt.Errorf("%w: record %d is not a work-order key", journal.ErrCorrupt, rec.Seq)
		}
		r.woKey = plain
	case SubmissionKind:
		var s Submission
		if err := decodeStrict(plain, &s); err != nil {
			s = Submission{Unreadable: true}
		}
		s.Seq, s.At, s.By = rec.Seq, rec.Time, r.ro.byKey[string(rec.Signer)]
		r.subs = append(r.subs, s)
	case caseKind:
		var t Transition
		if err := json.Unmarshal(plain, &t); err != nil {
			return fmt.Errorf("%w: record %d does not decode", journal.ErrCorrupt, rec.Seq)
		}
		if rec.Signed() {
			if by := r.ro.byKey[string(rec.Signer)]; t.Actor != by {
				return &RosterError{Violations: []Violation{{rec.Seq, fmt.Sprintf("a step recorded as done by %s but signed by %s", t.Actor, by)}}}
			}
			if m := r.ro.members[t.Actor]; m.Role != RoleMember {
				return &RosterError{Violations: []Violation{{rec.Seq, fmt.Sprintf("a step on a case by %s, a %s", t.Actor, m.Role)}}}
			}
		}
		if err := r.replayable(t); err != nil {
			return fmt.Errorf("%w: record %d: %w", journal.ErrCorrupt, rec.Seq, err)
		}
		r.apply(t)
	}
	return nil
}

// takeGrants unwraps the epoch keys an epoch or grant record gives this
// identity.
func (r *Register) takeGrants(rec journal.Record) {
	var gs []grant
	if rec.Kind == EpochKind {
		var er epochRecord
		decodeStrict(rec.Payload, &er) // checked by the roster
		gs = er.Grants
	} else {
		var gr grantRecord
		decodeStrict(rec.Payload, &gr)
		gs = gr.Grants
	}
	for _, g := range gs {
		if g.To != r.cfg.Identity.name || r.epochs[g.Epoch] != nil {
			continue
		}
		plain, err := r.cfg.Identity.Open(g.Wrapped)
		if err != nil {
			// A grant to this name under another key (a member removed
			// and added again): not ours to open.
			continue
		}
		k, err := age.ParseX25519Identity(string(plain))
		if err != nil || int(g.Epoch) >= len(r.ro.recipient) || k.Recipient().String() != r.ro.recipient[g.Epoch] {
			// Not that epoch's key: another grant may give the right one.
			r.log.Warn("a grant to this identity does not hold its epoch's key", "record", rec.Seq, "epoch", g.Epoch)
			continue
		}
		r.epochs[g.Epoch] = k
	}
}

// open decrypts a sealed record: one of the format before epochs with the
// identity's own key, a signed one with its epoch's key.
func (r *Register) open(rec journal.Record) ([]byte, error) {
	if !rec.Signed() {
		plain, err := r.cfg.Identity.Open(rec.Payload)
		if err != nil && r.bridged[rec.Seq] != nil {
			return r.bridged[rec.Seq], nil
		}
		return plain, err
	}
	if len(rec.Payload) < 4 {
		return nil, fmt.Errorf("%w: no epoch", ErrSealed)
	}
	e := binary.BigEndian.Uint32(rec.Payload)
	k := r.epochs[e]
	if k == nil {
		return nil, fmt.Errorf("%w: sealed to epoch %d, whose key was never granted to this identity", ErrSealed, e)
	}
	return openWith(k, rec.Payload[4:])
}

// sealTo seals plaintext to an epoch: its number, then an age ciphertext
// to its public key.
func sealTo(epoch uint32, recipient string, plaintext []byte) ([]byte, error) {
	ring, err := NewKeyring(recipient)
	if err != nil {
		return nil, err
	}
	sealed, err := ring.Seal(plaintext)
	if err != nil {
		return nil, err
	}
	return append(binary.BigEndian.AppendUint32(nil, epoch), sealed...), nil
}

// seal seals plaintext to the current epoch; it refuses while a reader
// who left still holds the current epoch's key.
func (ro *roster) seal(plaintext []byte) ([]byte, error) {
	if ro.epoch < 0 {
		return nil, fmt.Errorf("%w: the register has no epoch yet", ErrSealed)
	}
	if ro.rekey {
		return nil, fmt.Errorf("%w: a departed identity holds the current epoch's key: a member must start a new epoch", ErrSealed)
	}
	return sealTo(uint32(ro.epoch), ro.recipient[ro.epoch], plaintext)
}

// appendSealed seals plaintext to the current epoch and stages it.
func (ro *roster) appendSealed(tx *journal.Tx, kind string, plaintext []byte) error {
	sealed, err := ro.seal(plaintext)
	if err != nil {
		return err
	}
	if len(sealed) > journal.MaxPayload {
		return fmt.Errorf("%w: the record would be %d bytes sealed, more than %d", ErrInput, len(sealed), journal.MaxPayload)
	}
	_, err = tx.Append(kind, sealed)
	return err
}

// write runs build under the journal's exclusive hold, after folding what
// other processes wrote, and folds what build staged once it is durable.
func (r *Register) write(build func(tx *journal.Tx) error) ([]journal.Record, error) {
	if r.broken != nil {
		return nil, r.broken
	}
	recs, err := r.j.Update(func(tx *journal.Tx) error {
		for _, rec := range tx.Foreign() {
			if err := r.fold(rec); err != nil {
				return err
			}
		}
		if err := build(tx); err != nil {
			return err
		}
		// Try what is staged on a copy of the roster first: a write that
		// breaks a rule is refused before it is durable, not reported
		// after.
		try := r.ro.clone()
		before := len(try.violations)
		me := r.cfg.Identity.Public().Sign
		for _, rec := range tx.Staged() {
			rec.Signer = me
			try.add(rec)
		}
		if len(try.violations) > before {
			return fmt.Errorf("%w: refused before writing: %s", ErrMember, try.violations[before].Reason)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if err := r.fold(rec); err != nil {
			return recs, err
		}
	}
	return recs, nil
}

// found writes the roster's first records: the identity adds itself, the
// first epoch is granted to it, and the first work-order key is drawn.
func (r *Register) found() error {
	me := r.cfg.Identity
	if me.role != RoleMember {
		return fmt.Errorf("%w: a register is founded by a member", ErrConfig)
	}
	_, err := r.write(func(tx *journal.Tx) error {
		if r.ro.founded {
			return nil // another process founded it meanwhile
		}
		if r.ro.founder != nil && !bytes.Equal(r.ro.founder, me.Public().Sign) {
			return fmt.Errorf("%w: the journal was created by another identity, which has not founded it yet", ErrActor)
		}
		if r.legacy && !r.canOpenLegacy() {
			return fmt.Errorf("%w: this identity cannot read the register's earlier records: only one of its members may upgrade it", ErrSealed)
		}
		if err := r.stageMember(tx, "add", me.Public(), timesync.Verdict{}); err != nil {
			return err
		}
		k, err := r.stageEpoch(tx, 0, []PublicIdentity{me.Public()})
		if err != nil {
			return err
		}
		// The earlier records, as this member opened them, sealed to the
		// first epoch: members added later read them through it.
		recs, err := tx.Records()
		if err != nil {
			return err
		}
		for _, rec := range recs {
			plain, ok := r.legacyPlain[rec.Seq]
			if !ok {
				continue
			}
			b, _ := json.Marshal(bridge{Seq: rec.Seq, Hash: rec.Hash, Plain: plain})
			sealed, err := sealTo(0, k.Recipient().String(), b)
			if err != nil {
				return err
			}
			if _, err := tx.Append(BridgeKind, sealed); err != nil {
				return err
			}
		}
		return r.stageKey(tx, 0, k.Recipient().String())
	})
	return err
}

// canOpenLegacy reports whether the identity opens the records of the
// format before signatures (it was in their keyring).
func (r *Register) canOpenLegacy() bool {
	return len(r.cases) > 0 || r.woKey != nil
}

func (r *Register) stageMember(tx *journal.Tx, op string, p PublicIdentity, v timesync.Verdict) error {
	b, err := json.Marshal(MemberChange{Op: op, Identity: p, Clock: EvidenceOf(v)})
	if err != nil {
		return err
	}
	_, err = tx.Append(MemberKind, b)
	return err
}

// stageEpoch draws a new epoch key and wraps it to each reader.
func (r *Register) stageEpoch(tx *journal.Tx, epoch uint32, readers []PublicIdentity) (*age.X25519Identity, error) {
	k, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	er := epochRecord{Epoch: epoch, Recipient: k.Recipient().String(), Grants: []grant{}}
	for _, p := range readers {
		w, err := wrap(p, k)
		if err != nil {
			return nil, err
		}
		er.Grants = append(er.Grants, grant{Epoch: epoch, To: p.Name, Wrapped: w})
	}
	b, err := json.Marshal(er)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Append(EpochKind, b); err != nil {
		return nil, err
	}
	return k, nil
}

// wrap seals an epoch key to an identity's age key.
func wrap(p PublicIdentity, k *age.X25519Identity) ([]byte, error) {
	ring, err := NewKeyring(p.Seal)
	if err != nil {
		return nil, err
	}
	return ring.Seal([]byte(k.String()))
}

// stageKey draws a work-order key and stages it sealed to an epoch.
func (r *Register) stageKey(tx *journal.Tx, epoch uint32, recipient string) error {
	key := make([]byte, 32)
	rand.Read(key)
	sealed, err := sealTo(epoch, recipient, key)
	if err != nil {
		return err
	}
	_, err = tx.Append(keyKind, sealed)
	return err
}

// Close closes the journal.
func (r *Register) Close() error { return r.j.Close() }

// Refresh reads what other processes wrote to the register since this
// one last read or wrote. Writes always do so first; a long-running
// program calls Refresh before showing the register's state.
func (r *Register) Refresh() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	recs, err := r.j.Refresh()
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := r.fold(rec); err != nil {
			return err
		}
	}
	return nil
}

// RotateWorkOrderKey draws a new key for the references of work orders
// issued from now on: the old key no longer predicts new references.
// References already issued keep working. [Register.RemoveMember] rotates
// it by itself.
func (r *Register) RotateWorkOrderKey() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := r.write(func(tx *journal.Tx) error {
		if err := r.manager(); err != nil {
			return err
		}
		return r.stageKey(tx, uint32(r.ro.epoch), r.ro.recipient[r.ro.epoch])
	})
	if err == nil {
		r.log.Info("work-order key rotated")
	}
	return err
}

// checkActor checks that actor is the register's own identity, a member:
// a step is recorded as done by the identity that signs it.
func (r *Register) checkActor(actor string) error {
	me := r.cfg.Identity
	if actor != me.name {
		return fmt.Errorf("%w: a step is recorded as done by the identity that signs it, and the actor named is another", ErrActor)
	}
	if me.role != RoleMember {
		return fmt.Errorf("%w: the %s identity does not act on cases", ErrActor, me.role)
	}
	return r.ready()
}

// commit builds a transition under the journal's hold, after what other
// processes wrote, journals it sealed and signed, applies it and logs it.
func (r *Register) commit(build func() (Transition, error)) (Case, error) {
	var t Transition
	recs, err := r.write(func(tx *journal.Tx) error {
		var err error
		if t, err = build(); err != nil {
			return err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(t); err != nil {
			return fmt.Errorf("%w: %v", ErrInput, err)
		}
		return r.ro.appendSealed(tx, caseKind, buf.Bytes())
	})
	if err != nil {
		return Case{}, err
	}
	event := string(t.Event)
	if event == "" {
		event = "receive"
	}
	r.log.Info("case recorded", "case", t.Case, "event", event, "from", string(t.From), "to", string(t.To), "record", recs[len(recs)-1].Seq)
	return r.snapshot(t.Case), nil
}

// begin checks the actor and the transition of case id by ev, and returns
// the transition to fill in.
func (r *Register) begin(id string, ev Event, actor string, v timesync.Verdict) (Transition, *Case, error) {
	if err := r.checkActor(actor); err != nil {
		return Transition{}, nil, err
	}
	c, ok := r.cases[id]
	if !ok {
		return Transition{}, nil, ErrUnknownCase
	}
	to, ok := Next(c.State, ev)
	if !ok {
		return Transition{}, nil, fmt.Errorf("%w: %s from %s", ErrTransition, ev, c.State)
	}
	return Transition{Case: id, Event: ev, From: c.State, To: to, Actor: actor, At: timesync.Now(r.cfg.Clock), Clock: EvidenceOf(v)}, c, nil
}

// Identity errors, for errors.Is.
var (
	// ErrMember: a roster change that cannot be made as asked.
	ErrMember = errors.New("register: roster change refused")
)

// AddMember adds an identity to the register, with the clock verdict of
// the moment. A member or the recovery identity adds; a reading identity
// (member, recovery) is granted every epoch key the adder holds, so it
// reads the whole history — nothing is rewritten.
func (r *Register) AddMember(p PublicIdentity, v timesync.Verdict) (MemberInfo, error) {
	if err := p.check(); err != nil {
		return MemberInfo{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := r.write(func(tx *journal.Tx) error {
		if err := r.manager(); err != nil {
			return err
		}
		if m := r.ro.members[p.Name]; m != nil && m.Active {
			return fmt.Errorf("%w: the name is already an identity of the register", ErrMember)
		}
		if _, ok := r.ro.byKey[string(p.Sign)]; ok {
			return fmt.Errorf("%w: this signing key was already another identity's", ErrMember)
		}
		if err := r.stageMember(tx, "add", p, v); err != nil {
			return err
		}
		if !p.Role.reads() {
			return nil
		}
		gr := grantRecord{}
		for e := uint32(0); int64(e) <= r.ro.epoch; e++ {
			k := r.epochs[e]
			if k == nil {
				continue // never granted to this identity: another must grant it
			}
			w, err := wrap(p, k)
			if err != nil {
				return err
			}
			gr.Grants = append(gr.Grants, grant{Epoch: e, To: p.Name, Wrapped: w})
		}
		if len(gr.Grants) == 0 {
			return nil
		}
		b, err := json.Marshal(gr)
		if err != nil {
			return err
		}
		_, err = tx.Append(GrantKind, b)
		return err
	})
	if err != nil {
		return MemberInfo{}, err
	}
	r.log.Info("identity added", "role", string(p.Role))
	return *r.ro.members[p.Name], nil
}

// RemoveMember removes an identity from the register. When it could
// read, a new epoch begins, granted to the readers who remain, and a new
// work-order key is drawn: it reads nothing written afterwards. What it
// could read before stays readable to it, as it was.
func (r *Register) RemoveMember(name string, v timesync.Verdict) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := r.write(func(tx *journal.Tx) error {
		if err := r.manager(); err != nil {
			return err
		}
		m := r.ro.members[name]
		if m == nil || !m.Active {
			return fmt.Errorf("%w: no such identity", ErrMember)
		}
		if name == r.cfg.Identity.name {
			return fmt.Errorf("%w: an identity does not remove itself: another member removes it", ErrMember)
		}
		var readers []PublicIdentity
		for _, n := range r.ro.readers() {
			if n != name {
				readers = append(readers, r.ro.members[n].PublicIdentity)
			}
		}
		if len(readers) == 0 {
			return fmt.Errorf("%w: the last identity that reads the register cannot be removed", ErrMember)
		}
		if err := r.stageMember(tx, "remove", m.PublicIdentity, v); err != nil {
			return err
		}
		if !m.Role.reads() {
			return nil
		}
		epoch := uint32(r.ro.epoch + 1)
		k, err := r.stageEpoch(tx, epoch, readers)
		if err != nil {
			return err
		}
		return r.stageKey(tx, epoch, k.Recipient().String())
	})
	if err == nil {
		r.log.Info("identity removed")
	}
	return err
}

// Members lists the register's identities, present and past, in the
// order they were first added.
func (r *Register) Members() []MemberInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ro.info()
}

// RoleAt returns the role name had when it signed the record numbered
// seq: that of its latest admission made before that record (a name
// removed and added again has several, in members, as [Register.Members]
// lists them), and false when it had none. A program that trusts what a
// role signed judges each record by the role its signer had then, not by
// the one the name has now.
func RoleAt(members []MemberInfo, name string, seq uint64) (Role, bool) {
	var role Role
	found := false
	for _, m := range members {
		if m.Name == name && m.AddedAt < seq {
			role, found = m.Role, true
		}
	}
	return role, found
}

// Submission is a sealed record written by [Submit], as a member reads
// it.
type Submission struct {
	Seq uint64             `json:"-"`
	At  timesync.Timestamp `json:"-"`
	By  string             `json:"-"`
	// Type says what the submission is ("intake", "work-result", ...);
	// Data is its content.
	Type string `json:"type"`
	Data []byte `json:"data"`
	// Unreadable: the record could not be opened or decoded — written by
	// a faulty or hostile program; its signer is still named.
	Unreadable bool `json:"-"`
	// Deposit: written by [SubmitOnce], under a tag; Seq and At are those
	// of its first record.
	Deposit bool `json:"-"`
}

// Submissions returns what identities wrote with [Submit], in order.
func (r *Register) Submissions() []Submission {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Submission, len(r.subs))
	for i, s := range r.subs {
		s.Data = bytes.Clone(s.Data)
		out[i] = s
	}
	return out
}

// RepairJournal sets a crash's incomplete last write aside now — moved to
// a quarantine file and recorded by a [RepairKind] record signed by id —
// instead of at the next write. It refuses anything but a torn tail, an
// identity that is not in the register's roster, and, with anchors, a
// journal that lacks what a checkpoint vouches for: that is a loss to
// restore from a backup (docs/recovery.md), not a crash to repair. It
// returns the repair record, or none when there was nothing to repair.
func RepairJournal(path string, id Identity, clock timesync.Clock, anchors *journal.Anchors) ([]journal.Record, error) {
	if anchors != nil {
		if err := anchors.CheckPath(path); err != nil {
			return nil, err
		}
	}
	recs, err := journal.ReadFile(path)
	if err == nil || !journal.IsTornTail(err) {
		return nil, err
	}
	ro := newRoster()
	for _, r := range recs {
		ro.add(r)
	}
	// Before the roster is founded, the founder signs the repair — or,
	// in a journal of the earlier format, nobody does.
	signer := id.sign
	switch m := ro.members[id.name]; {
	case ro.founded && (m == nil || !m.Active || !bytes.Equal(m.Sign, id.Public().Sign)):
		return nil, fmt.Errorf("%w: this identity is not in the register's roster", ErrActor)
	case !ro.founded && ro.founder == nil && ro.unsigned > 0:
		signer = nil
	case !ro.founded && ro.founder != nil && !bytes.Equal(ro.founder, id.Public().Sign):
		return nil, fmt.Errorf("%w: only the identity that created the journal repairs it before it is founded", ErrActor)
	}
	j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: signer, NoCreate: true})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	// Another writer may have set the tail aside meanwhile: then nothing
	// is written and no record returned.
	return j.Update(func(*journal.Tx) error { return nil })
}
