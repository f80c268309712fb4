package register

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"

	"filippo.io/age"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// The record kinds of the roster, written in clear (signed, never
// sealed) so that anyone holding a copy of the journal — an auditor with
// no key — can check who was entitled to write each record.
const (
	// MemberKind records an identity added to or removed from the
	// register: a [MemberChange].
	MemberKind = "member"
	// EpochKind starts a new epoch: a fresh data key, whose public half
	// seals every record that follows and whose secret half is wrapped
	// to each reading identity (members and the recovery identity).
	EpochKind = "epoch"
	// GrantKind wraps past epochs' keys for an identity added later, so
	// that it reads the history without anything being rewritten.
	GrantKind = "grant"
)

// MemberChange is the payload of a [MemberKind] record.
type MemberChange struct {
	// Op is "add" or "remove".
	Op       string         `json:"op"`
	Identity PublicIdentity `json:"identity"`
	// Clock is the clock evidence of the moment (the record's own time
	// is in the journal frame).
	Clock Evidence `json:"clock"`
}

// epochRecord is the payload of an [EpochKind] record.
type epochRecord struct {
	Epoch     uint32  `json:"epoch"`
	Recipient string  `json:"recipient"`
	Grants    []grant `json:"grants"`
}

// grant wraps one epoch's secret key to one identity's age key.
type grant struct {
	Epoch   uint32 `json:"epoch"`
	To      string `json:"to"`
	Wrapped []byte `json:"wrapped"`
}

// grantRecord is the payload of a [GrantKind] record.
type grantRecord struct {
	Grants []grant `json:"grants"`
}

// Attribution errors, for errors.Is.
var (
	// ErrRoster: a record breaks the register's roster rules — signed by
	// a key that was not an identity of the register at that point, a
	// roster change by a service, a grant by someone who did not hold
	// the key, a record sealed to an epoch a departed member holds.
	ErrRoster = errors.New("register: a record breaks the roster rules")
)

// Violation is one record that breaks the roster rules.
type Violation struct {
	Seq    uint64
	Reason string
}

// String names the record and the rule.
func (v Violation) String() string { return fmt.Sprintf("record %d: %s", v.Seq, v.Reason) }

// RosterError lists every record that breaks the roster rules.
type RosterError struct{ Violations []Violation }

// Error lists the violations.
func (e *RosterError) Error() string {
	s := fmt.Sprintf("%v: %d record(s)", ErrRoster, len(e.Violations))
	for i, v := range e.Violations {
		if i == 5 {
			s += fmt.Sprintf("; and %d more", len(e.Violations)-5)
			break
		}
		s += "; " + v.String()
	}
	return s
}

// Unwrap returns [ErrRoster].
func (e *RosterError) Unwrap() error { return ErrRoster }

// MemberInfo is one identity of the roster, as [Register.Members] and
// [Audit] list it.
type MemberInfo struct {
	PublicIdentity
	Active bool `json:"active"`
	// Added and AddedBy say when and by whom it was added (the founder
	// adds itself); Removed and RemovedBy when and by whom it was
	// removed, zero while active.
	Added     timesync.Timestamp `json:"added"`
	AddedBy   string             `json:"added_by"`
	AddedAt   uint64             `json:"added_record"`
	Removed   timesync.Timestamp `json:"removed,omitzero"`
	RemovedBy string             `json:"removed_by,omitempty"`
	// Records counts the records it signed.
	Records int `json:"records"`
}

// roster folds a journal's records, in order, into who may write what. It
// needs no key.
type roster struct {
	founded    bool
	founder    ed25519.PublicKey      // the signer of a signed header
	members    map[string]*MemberInfo // name → its latest admission
	order      []*MemberInfo          // every admission, in order: a name removed and added again has two
	byKey      map[string]string      // signing key → name, for every key ever added
	epoch      int64                  // the current epoch, -1 before the first
	recipient  []string               // per epoch, its age recipient
	holders    []map[string]bool      // per epoch, the signing keys it was granted to
	rekey      bool                   // a reader left: the next sealed record needs a new epoch
	unsigned   int                    // records of the format before signatures
	violations []Violation
}

func newRoster() *roster {
	return &roster{members: map[string]*MemberInfo{}, byKey: map[string]string{}, epoch: -1}
}

// clone copies the roster deeply, so that records can be tried on the
// copy before they are written.
func (ro *roster) clone() *roster {
	c := *ro
	c.members = make(map[string]*MemberInfo, len(ro.members))
	c.order = make([]*MemberInfo, len(ro.order))
	for i, m := range ro.order {
		cp := *m
		c.order[i] = &cp
		if ro.members[m.Name] == m {
			c.members[m.Name] = &cp
		}
	}
	c.byKey = maps.Clone(ro.byKey)
	c.recipient = slices.Clone(ro.recipient)
	c.holders = make([]map[string]bool, len(ro.holders))
	for i, h := range ro.holders {
		c.holders[i] = maps.Clone(h)
	}
	c.violations = slices.Clone(ro.violations)
	return &c
}

func (ro *roster) bad(seq uint64, format string, args ...any) {
	ro.violations = append(ro.violations, Violation{seq, fmt.Sprintf(format, args...)})
}

// signer returns the active identity that signed rec, or "" after
// recording a violation.
func (ro *roster) signer(rec journal.Record) (*MemberInfo, bool) {
	name, ok := ro.byKey[string(rec.Signer)]
	if !ok {
		ro.bad(rec.Seq, "signed by a key that is no identity of the register")
		return nil, false
	}
	m := ro.members[name]
	if !m.Active || !bytes.Equal(m.Sign, rec.Signer) {
		ro.bad(rec.Seq, "signed by %s, who was not an identity of the register at that point", name)
		return nil, false
	}
	return m, true
}

// add folds one record.
func (ro *roster) add(rec journal.Record) {
	if rec.Seq == 0 {
		if rec.Signed() {
			ro.founder = bytes.Clone(rec.Signer) // a scan's record is only lent
		}
		return
	}
	if !rec.Signed() {
		// The format before signatures: readable, attributable only to
		// what its sealed content says.
		ro.unsigned++
		return
	}
	if !ro.founded {
		if rec.Kind == journal.RepairKind && (ro.founder == nil || bytes.Equal(ro.founder, rec.Signer)) {
			return // a crash before the founding, set aside by the founder
		}
		ro.found(rec)
		return
	}
	m, ok := ro.signer(rec)
	if !ok {
		return
	}
	m.Records++
	switch rec.Kind {
	case MemberKind:
		ro.member(rec, m)
	case EpochKind:
		ro.newEpoch(rec, m)
	case GrantKind:
		ro.grants(rec, m)
	case journal.RepairKind:
		var rp journal.Repair
		if decodeStrict(rec.Payload, &rp) != nil || rp.Bytes <= 0 || rp.File == "" {
			ro.bad(rec.Seq, "a repair record that does not decode")
		}
	default:
		switch {
		case (rec.Kind == keyKind || rec.Kind == BridgeKind) && !m.Role.manages():
			ro.bad(rec.Seq, "a %s record by %s, a %s", rec.Kind, m.Name, m.Role)
			return
		case (rec.Kind == caseKind || rec.Kind == LookupKind) && m.Role != RoleMember:
			ro.bad(rec.Seq, "a step on a case by %s, a %s", m.Name, m.Role)
			return
		}
		// Every other kind is sealed: a 4-byte epoch number, then an age
		// ciphertext to that epoch's public key.
		if len(rec.Payload) < 4 {
			ro.bad(rec.Seq, "a sealed record without its epoch")
			return
		}
		e := int64(binary.BigEndian.Uint32(rec.Payload))
		switch {
		case ro.epoch < 0:
			ro.bad(rec.Seq, "a sealed record before the first epoch")
		case e != ro.epoch:
			ro.bad(rec.Seq, "sealed to epoch %d while epoch %d is current", e, ro.epoch)
		case ro.rekey:
			ro.bad(rec.Seq, "sealed to an epoch whose key a departed identity holds")
		}
	}
}

// found checks the first signed record: the founder adding itself.
func (ro *roster) found(rec journal.Record) {
	var mc MemberChange
	if rec.Kind != MemberKind || decodeStrict(rec.Payload, &mc) != nil || mc.Op != "add" || mc.Identity.check() != nil ||
		mc.Identity.Role != RoleMember || !bytes.Equal(mc.Identity.Sign, rec.Signer) {
		ro.bad(rec.Seq, "the first signed record is not a member adding itself")
		return
	}
	if ro.founder != nil && !bytes.Equal(ro.founder, rec.Signer) {
		ro.bad(rec.Seq, "the founding member is not who created the journal")
		return
	}
	ro.founded = true
	ro.admit(rec, mc.Identity, mc.Identity.Name)
	ro.members[mc.Identity.Name].Records++
}

func (ro *roster) admit(rec journal.Record, p PublicIdentity, by string) {
	m := &MemberInfo{PublicIdentity: p, Active: true, Added: rec.Time, AddedBy: by, AddedAt: rec.Seq}
	ro.order = append(ro.order, m)
	ro.members[p.Name] = m
	ro.byKey[string(p.Sign)] = p.Name
}

func (ro *roster) member(rec journal.Record, by *MemberInfo) {
	var mc MemberChange
	if err := decodeStrict(rec.Payload, &mc); err != nil || mc.Identity.check() != nil {
		ro.bad(rec.Seq, "a member record that does not decode")
		return
	}
	if !by.Role.manages() {
		ro.bad(rec.Seq, "a %s (%s) changed the roster", by.Role, by.Name)
		return
	}
	p := mc.Identity
	cur := ro.members[p.Name]
	switch mc.Op {
	case "add":
		if cur != nil && cur.Active {
			ro.bad(rec.Seq, "%s added while already an identity", p.Name)
			return
		}
		if owner, ok := ro.byKey[string(p.Sign)]; ok {
			ro.bad(rec.Seq, "%s added with the signing key of %s", p.Name, owner)
			return
		}
		ro.admit(rec, p, by.Name)
	case "remove":
		if cur == nil || !cur.Active || !bytes.Equal(cur.Sign, p.Sign) {
			ro.bad(rec.Seq, "%s removed while not an identity", p.Name)
			return
		}
		cur.Active, cur.Removed, cur.RemovedBy = false, rec.Time, by.Name
		if !ro.anyReader() {
			ro.bad(rec.Seq, "the last identity that reads the register removed")
		}
		if cur.Role.reads() {
			ro.rekey = true
		}
	default:
		ro.bad(rec.Seq, "a member record whose operation is neither add nor remove")
	}
}

func (ro *roster) anyReader() bool {
	for _, m := range ro.members {
		if m.Active && m.Role.manages() {
			return true
		}
	}
	return false
}

// readers returns the names of the active identities that read.
func (ro *roster) readers() []string {
	var out []string
	for _, m := range ro.order {
		if m.Active && m.Role.reads() {
			out = append(out, m.Name)
		}
	}
	return out
}

func (ro *roster) newEpoch(rec journal.Record, by *MemberInfo) {
	var er epochRecord
	if err := decodeStrict(rec.Payload, &er); err != nil {
		ro.bad(rec.Seq, "an epoch record that does not decode")
		return
	}
	if !by.Role.manages() {
		ro.bad(rec.Seq, "a %s (%s) started an epoch", by.Role, by.Name)
		return
	}
	if int64(er.Epoch) != ro.epoch+1 {
		ro.bad(rec.Seq, "epoch %d follows epoch %d", er.Epoch, ro.epoch)
		return
	}
	if _, err := age.ParseX25519Recipient(er.Recipient); err != nil {
		ro.bad(rec.Seq, "epoch %d has no valid public key", er.Epoch)
		return
	}
	if slices.Contains(ro.recipient, er.Recipient) {
		ro.bad(rec.Seq, "epoch %d reuses the key of an earlier epoch", er.Epoch)
		return
	}
	var to []string
	for _, g := range er.Grants {
		to = append(to, g.To)
		if g.Epoch != er.Epoch {
			ro.bad(rec.Seq, "epoch %d carries a grant of another epoch", er.Epoch)
			return
		}
	}
	sort.Strings(to)
	want := ro.readers()
	sort.Strings(want)
	if !slices.Equal(to, want) {
		ro.bad(rec.Seq, "epoch %d is not granted to exactly the identities that read", er.Epoch)
		return
	}
	ro.epoch++
	ro.recipient = append(ro.recipient, er.Recipient)
	h := map[string]bool{}
	for _, n := range to {
		h[string(ro.members[n].Sign)] = true
	}
	ro.holders = append(ro.holders, h)
	ro.rekey = false
}

func (ro *roster) grants(rec journal.Record, by *MemberInfo) {
	var gr grantRecord
	if err := decodeStrict(rec.Payload, &gr); err != nil || len(gr.Grants) == 0 {
		ro.bad(rec.Seq, "a grant record that does not decode")
		return
	}
	for _, g := range gr.Grants {
		to := ro.members[g.To]
		switch {
		case int64(g.Epoch) > ro.epoch:
			ro.bad(rec.Seq, "a grant of epoch %d, which does not exist", g.Epoch)
		case !ro.holders[g.Epoch][string(by.Sign)]:
			ro.bad(rec.Seq, "%s grants epoch %d, which they were never granted", by.Name, g.Epoch)
		case !by.Role.manages():
			ro.bad(rec.Seq, "a %s (%s) granted keys", by.Role, by.Name)
		case to == nil || !to.Active || !to.Role.reads():
			ro.bad(rec.Seq, "a grant to %s, who is not a reading identity", g.To)
		default:
			ro.holders[g.Epoch][string(to.Sign)] = true
		}
	}
}

// info lists the roster's admissions in order: a name removed and added
// again appears twice, each with the records its key signed.
func (ro *roster) info() []MemberInfo {
	out := make([]MemberInfo, 0, len(ro.order))
	for _, m := range ro.order {
		out = append(out, *m)
	}
	return out
}

// Audit is what a key-free reading of a register's journal finds: who
// signed what, and every record that breaks the roster rules.
type Audit struct {
	Records int `json:"records"`
	// Unsigned counts the records of the format before signatures
	// (header excluded): verifiable by the chain, attributable only by
	// what their sealed content says.
	Unsigned   int          `json:"unsigned"`
	Members    []MemberInfo `json:"members"`
	Epoch      int64        `json:"epoch"`
	Violations []Violation  `json:"violations,omitempty"`
}

// AuditRecords checks a register journal's records — read with
// [journal.ReadFile] — against the roster rules, with no key: every signed record must be
// signed by an identity of the register at that point; only members and
// the recovery identity change the roster or start epochs; an epoch is
// granted to exactly the identities that read; a grant comes from one who
// holds the epoch; after a reader leaves, nothing is sealed before a new
// epoch. It returns every violation, and a [*RosterError] when there is
// any.
func AuditRecords(recs []journal.Record) (Audit, error) {
	ro := newRoster()
	for _, r := range recs {
		ro.add(r)
	}
	a := Audit{Records: len(recs), Unsigned: ro.unsigned, Members: ro.info(), Epoch: ro.epoch, Violations: ro.violations}
	if len(ro.violations) > 0 {
		return a, &RosterError{Violations: slices.Clone(ro.violations)}
	}
	return a, nil
}

// AuditJournal checks the register journal at path as [AuditRecords]
// does, streaming it with [journal.ScanFile] in memory that grows with the
// roster, not the journal: every record's chain and signature (always:
// opts.ChainOnly is ignored), the checkpoints opts.Checkpoints gives, and the roster
// rules. It returns the audit, the scan's summary, and the scan's error
// (a torn last write included, as [journal.IsTornTail] tells) or else a
// [*RosterError] when a record breaks the roster rules. Behind a torn
// tail, the violations of the whole records are still in
// Audit.Violations: a caller that accepts a torn tail checks them there.
func AuditJournal(path string, opts journal.ScanOptions) (Audit, journal.Summary, error) {
	// The audit attributes each record to its signer: it always checks
	// the signatures, whatever opts.ChainOnly says.
	opts.ChainOnly = false
	ro := newRoster()
	sum, err := journal.ScanFile(path, opts, func(r journal.Record) error {
		ro.add(r)
		return nil
	})
	a := Audit{Records: int(sum.Records), Unsigned: ro.unsigned, Members: ro.info(), Epoch: ro.epoch, Violations: ro.violations}
	if err != nil {
		return a, sum, err
	}
	if len(ro.violations) > 0 {
		return a, sum, &RosterError{Violations: slices.Clone(ro.violations)}
	}
	return a, sum, nil
}

// decodeStrict decodes JSON refusing unknown fields and trailing data.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}
