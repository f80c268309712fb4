package register

import (
	"encoding/json"
	"fmt"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// LookupKind is the kind of the sealed records [Register.RecordLookup]
// appends: one per lookup made in a store under a work order (package
// retention), so that the register says who looked up what, when, under
// which order, and how many candidates the answer gave.
const LookupKind = "lookup"

// LookupRecord is one lookup made under a work order.
type LookupRecord struct {
	// Seq is the record's number in the journal.
	Seq uint64 `json:"-"`
	// Ref is the work order the lookup cites.
	Ref Ref `json:"ref"`
	// By is who asked (the technician), as a work result names them;
	// Actor the member whose identity recorded it; At when (the
	// register's clock).
	By    string             `json:"by"`
	Actor string             `json:"actor"`
	At    timesync.Timestamp `json:"at"`
	// Asked is the instant the lookup was about: At less Asked is the
	// age of the data requested, which the regulator's statistics count.
	Asked timesync.Timestamp `json:"asked"`
	// Candidates is how many the answer gave: 0 is a request the data
	// could not answer. Ambiguous: the answer said it was ambiguous.
	Candidates int  `json:"candidates"`
	Ambiguous  bool `json:"ambiguous,omitempty"`
}

// JournalID returns the identity of the register's journal, drawn at
// random when it was founded: a store that answers lookups under this
// register's work orders pins it (retention's Config.Register), so that a
// register made by anyone else — even a member, with their own identity —
// is refused.
func (r *Register) JournalID() [16]byte { return r.j.ID() }

// AuthorizeLookup returns the work order with reference ref when a
// lookup may be made under it now: the order exists, has no result yet,
// and its case is in progress. Otherwise the error wraps
// [ErrUnknownRef] or [ErrTransition], naming nothing of the case.
func (r *Register) AuthorizeLookup(ref Ref) (WorkOrder, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.lookupAllowed(ref); err != nil {
		return WorkOrder{}, err
	}
	for _, wo := range r.cases[r.refs[ref]].WorkOrders {
		if wo.Ref == ref {
			return cloneWorkOrder(wo), nil
		}
	}
	return WorkOrder{}, ErrUnknownRef
}

func (r *Register) lookupAllowed(ref Ref) error {
	id, ok := r.refs[ref]
	if !ok {
		return ErrUnknownRef
	}
	if r.results[ref] {
		return fmt.Errorf("%w: the work order already has a result", ErrTransition)
	}
	if c := r.cases[id]; c.State != InProgress {
		return fmt.Errorf("%w: the work order's case is %s, not in progress", ErrTransition, c.State)
	}
	return nil
}

// RecordLookup records a lookup made under work order l.Ref on behalf of
// actor, the register's own identity, a member: sealed and signed like
// every step. The order must still allow lookups ([Register.AuthorizeLookup]).
// At and Actor are set by the register; By must name who asked, Asked the
// instant asked about. It returns the record as written.
func (r *Register) RecordLookup(l LookupRecord, actor string) (LookupRecord, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	bad := inputProblem("lookup")
	var out LookupRecord
	_, err := r.write(func(tx *journal.Tx) error {
		if err := r.checkActor(actor); err != nil {
			return err
		}
		if err := r.lookupAllowed(l.Ref); err != nil {
			return err
		}
		var probs []provenance.Finding
		if l.By == "" || len(l.By) > MaxName || !validText(l.By) {
			probs = append(probs, bad("by", fmt.Sprintf("who asked, 1 to %d bytes", MaxName)))
		}
		if l.Asked.IsZero() {
			probs = append(probs, bad("asked", "the instant asked about is needed"))
		}
		if l.Candidates < 0 {
			probs = append(probs, bad("candidates", "a count, 0 or more"))
		}
		if err := provenance.Check("register: lookup", probs); err != nil {
			return err
		}
		l.Actor, l.At, l.Seq = actor, timesync.Now(r.cfg.Clock), 0
		b, err := json.Marshal(l)
		if err != nil {
			return err
		}
		out = l
		return r.ro.appendSealed(tx, LookupKind, b)
	})
	if err != nil {
		return LookupRecord{}, err
	}
	out.Seq = r.lookups[len(r.lookups)-1].Seq
	r.log.Info("lookup recorded", "record", out.Seq, "candidates", out.Candidates)
	return out, nil
}

// Lookups returns every lookup recorded, in order.
func (r *Register) Lookups() []LookupRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]LookupRecord(nil), r.lookups...)
}

// foldLookup applies a lookup record.
func (r *Register) foldLookup(rec journal.Record, plain []byte) error {
	var l LookupRecord
	if err := decodeStrict(plain, &l); err != nil {
		return fmt.Errorf("%w: record %d does not decode", journal.ErrCorrupt, rec.Seq)
	}
	if by := r.ro.byKey[string(rec.Signer)]; l.Actor != by {
		return &RosterError{Violations: []Violation{{rec.Seq, fmt.Sprintf("a lookup recorded as made by %s but signed by %s", l.Actor, by)}}}
	}
	l.Seq = rec.Seq
	r.lookups = append(r.lookups, l)
	return nil
}
