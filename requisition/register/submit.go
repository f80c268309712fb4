package register

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// FileStore returns the [StoreOpener] of the journal file at path, its
// records timed by clock, for a writer that founds nothing: it never
// creates the file (a journal that vanished is an error wrapping
// fs.ErrNotExist), and it keeps the records other processes append
// (journal.Options.Follow), as [SubmitTo] and a register need.
func FileStore(path string, clock timesync.Clock) StoreOpener {
	return func(signer ed25519.PrivateKey) (journal.Store, error) {
		j, _, err := journal.Open(path, journal.Options{Clock: clock, Signer: signer, Follow: true, NoCreate: true})
		if err != nil {
			return nil, err
		}
		return j, nil
	}
}

// Submit appends one sealed, signed record to the register at path for an
// identity that must write but not read — a service such as the mail
// intake, or a member's program — sealed to the current epoch's public
// key: it cannot open what it wrote, nor anything else. The identity must
// be in the register's roster. It returns the record once durable. It is
// [SubmitTo] on the journal file ([FileStore]).
func Submit(path string, id Identity, clock timesync.Clock, typ string, data []byte) (journal.Record, error) {
	if clock == nil {
		return journal.Record{}, fmt.Errorf("%w: a clock and an identity are needed", ErrConfig)
	}
	return SubmitTo(FileStore(path, clock), id, typ, data)
}

// SubmitTo is [Submit] on the register kept in the journal store open
// opens (a journal file, or a database shared by the cell's machines:
// package pgjournal), which times the record with its own clock. It opens
// the store with the identity's key, checks under the store's exclusive
// hold — against every record written before, by any writer — that the
// identity is an active member of a roster without violations, seals the
// record to the current epoch, appends it in the same hold, closes the
// store, and returns the record once durable.
func SubmitTo(open StoreOpener, id Identity, typ string, data []byte) (journal.Record, error) {
	if open == nil || id.sign == nil {
		return journal.Record{}, fmt.Errorf("%w: a store and an identity are needed", ErrConfig)
	}
	if typ == "" || len(typ) > journal.MaxKind || !validText(typ) {
		return journal.Record{}, fmt.Errorf("%w: a submission's type is 1 to %d bytes of UTF-8", ErrInput, journal.MaxKind)
	}
	plain, err := json.Marshal(Submission{Type: typ, Data: data})
	if err != nil {
		return journal.Record{}, err
	}
	written, err := underRoster(open, id, func(tx *journal.Tx, _ []journal.Record, ro *roster) error {
		return ro.appendSealed(tx, SubmissionKind, plain)
	})
	if err != nil {
		return journal.Record{}, err
	}
	return written[len(written)-1], nil
}

// underRoster opens the store with id's key and, holding it exclusively,
// builds the roster from every record written before and checks that id
// may write: no violation in the roster, and id an active member of it
// under its signing key. Then it calls stage with every record and the
// roster, and returns what the store wrote (nothing when stage staged
// nothing). It closes the store.
//
// Every record is the store's Initial ones — read once, when it was
// opened — and the records others appended since, which the hold hands
// over (journal.Tx.Foreign): the journal is not read twice. A store
// that does not hand them over (a file journal opened without Follow)
// is read again under the hold (journal.Tx.Records), so the check never
// misses a record.
func underRoster(open StoreOpener, id Identity, stage func(tx *journal.Tx, recs []journal.Record, ro *roster) error) ([]journal.Record, error) {
	j, err := open(id.sign)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	initial := j.Initial()
	return j.Update(func(tx *journal.Tx) error {
		recs := append(initial, tx.Foreign()...)
		// The records written before the hold end just before what it
		// stages (a file journal stages first the record of a crash's
		// torn tail it sets aside).
		if uint64(len(recs)) != tx.Next()-uint64(tx.Len()) {
			var err error
			if recs, err = tx.Records(); err != nil {
				return err
			}
		}
		ro := newRoster()
		for _, rec := range recs {
			ro.add(rec)
		}
		if len(ro.violations) > 0 {
			return &RosterError{Violations: ro.violations}
		}
		m := ro.members[id.name]
		if m == nil || !m.Active || !bytes.Equal(m.Sign, id.Public().Sign) {
			return fmt.Errorf("%w: this identity is not in the register's roster", ErrActor)
		}
		return stage(tx, recs, ro)
	})
}
