package register

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// DepositKind is the kind of the records [SubmitOnce] appends: a
// submission too large for one record, or one that must not be recorded
// twice, in parts written together.
const DepositKind = "deposit"

// MaxDeposit bounds the data of one [SubmitOnce]: 32 MiB, above the
// message size limits mail servers set by default (Postfix's
// message_size_limit is 10,240,000 bytes).
const MaxDeposit = 32 << 20

// depositChunk is the data of one deposit record before sealing: with
// age's overhead (a header, then 16 bytes for every 64 KiB) and the
// record's own header it stays under journal.MaxPayload.
const depositChunk = 960 << 10

// depositHeader is the clear part of a deposit record after its epoch
// number: the tag, the part's number and the number of parts.
const depositHeader = 4 + len(Tag{}) + 2 + 2

// Tag names a submission so that it is recorded once however often it is
// handed over: a keyed hash that an identity computes with [Identity.Tag]
// from what names the submission (an e-mail's Message-ID). It is kept in
// clear in the journal, so that a service that cannot read the register
// still recognises what it already wrote; keyed with the identity's
// secret, it does not let a reader of the journal test a guess.
type Tag [32]byte

// String returns the tag in hexadecimal.
func (t Tag) String() string { return hex.EncodeToString(t[:]) }

// IsZero reports whether the tag is the zero tag, which names nothing.
func (t Tag) IsZero() bool { return t == Tag{} }

// Tag returns the keyed hash of data for purpose (say "email
// message-id"): HMAC-SHA-256 under a key derived (HKDF-SHA-256) from the
// identity's signing key, so that the same identity always computes the
// same tag and nobody without its secret can. It returns the zero Tag
// for an identity without keys.
func (id Identity) Tag(purpose string, data []byte) Tag {
	if id.sign == nil {
		return Tag{}
	}
	key, err := hkdf.Key(sha256.New, id.sign.Seed(), nil, "ccjkit register tag: "+purpose, 32)
	if err != nil {
		return Tag{}
	}
	m := hmac.New(sha256.New, key)
	m.Write(data)
	var t Tag
	copy(t[:], m.Sum(nil))
	return t
}

// SubmitOnce appends data as a submission of type typ, like [Submit], for
// an identity that writes but cannot read the register, with two
// differences: data may be up to [MaxDeposit] bytes, written as several
// records in one write (kept whole or not at all), and the submission is
// recorded once per tag and identity. When the identity already recorded
// a submission with this tag, SubmitOnce appends nothing and returns that
// submission's first record with dup true: a mail server that delivers a
// message again after a crash does not make a second intake. It is
// [SubmitOnceTo] on the journal file ([FileStore]).
func SubmitOnce(path string, id Identity, clock timesync.Clock, typ string, tag Tag, data []byte) (rec journal.Record, dup bool, err error) {
	if clock == nil {
		return journal.Record{}, false, fmt.Errorf("%w: a clock and an identity are needed", ErrConfig)
	}
	return SubmitOnceTo(FileStore(path, clock), id, typ, tag, data)
}

// SubmitOnceTo is [SubmitOnce] on the register kept in the journal store
// open opens (a journal file, or a database shared by the cell's
// machines: package pgjournal), which times the records with its own
// clock. Under the store's exclusive hold — against every writer, on any
// machine — it checks the roster as [SubmitTo] does, looks for a deposit
// of this tag by this identity, and writes the deposit's parts only if
// there is none: deliveries of one message at once, to processes on
// several machines, record it once.
func SubmitOnceTo(open StoreOpener, id Identity, typ string, tag Tag, data []byte) (rec journal.Record, dup bool, err error) {
	if open == nil || id.sign == nil {
		return journal.Record{}, false, fmt.Errorf("%w: a store and an identity are needed", ErrConfig)
	}
	if typ == "" || len(typ) > journal.MaxKind || !validText(typ) {
		return journal.Record{}, false, fmt.Errorf("%w: a submission's type is 1 to %d bytes of UTF-8", ErrInput, journal.MaxKind)
	}
	if tag.IsZero() {
		return journal.Record{}, false, fmt.Errorf("%w: a deposit needs a tag", ErrInput)
	}
	if len(data) > MaxDeposit {
		return journal.Record{}, false, fmt.Errorf("%w: a deposit holds at most %d bytes", ErrInput, MaxDeposit)
	}
	plain := binary.AppendUvarint(nil, uint64(len(typ)))
	plain = append(plain, typ...)
	plain = append(plain, data...)
	signer := id.Public().Sign
	var found journal.Record
	written, err := underRoster(open, id, func(tx *journal.Tx, recs []journal.Record, ro *roster) error {
		for _, r := range recs {
			if r.Kind == DepositKind && bytes.Equal(r.Signer, signer) && len(r.Payload) >= depositHeader &&
				bytes.Equal(r.Payload[4:4+len(tag)], tag[:]) && binary.BigEndian.Uint16(r.Payload[4+len(tag):]) == 0 {
				found = r
				return nil
			}
		}
		parts := (len(plain) + depositChunk - 1) / depositChunk
		for i := range parts {
			sealed, err := ro.seal(plain[i*depositChunk : min((i+1)*depositChunk, len(plain))])
			if err != nil {
				return err
			}
			payload := make([]byte, 0, depositHeader+len(sealed)-4)
			payload = append(payload, sealed[:4]...)
			payload = append(payload, tag[:]...)
			payload = binary.BigEndian.AppendUint16(payload, uint16(i))
			payload = binary.BigEndian.AppendUint16(payload, uint16(parts))
			payload = append(payload, sealed[4:]...)
			if len(payload) > journal.MaxPayload {
				return fmt.Errorf("%w: a deposit's part would be %d bytes sealed, more than %d", ErrInput, len(payload), journal.MaxPayload)
			}
			if _, err := tx.Append(DepositKind, payload); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return journal.Record{}, false, err
	}
	if found.Seq != 0 {
		return found, true, nil
	}
	// The write may begin with the repair record of a crash's
	// incomplete write: the deposit is what follows it.
	for _, r := range written {
		if r.Kind == DepositKind {
			return r, false, nil
		}
	}
	return journal.Record{}, false, fmt.Errorf("%w: the deposit was not written", ErrInput)
}

// deposit is a deposit being read back, part by part.
type deposit struct {
	first journal.Record
	tag   Tag
	parts int
	plain []byte
	n     int // parts read
	bad   bool
}

// foldDeposit reads one deposit record: a part of the deposit under way,
// or the first of a new one. A deposit whose parts do not follow each
// other, or do not open, is shown as an unreadable submission: a faulty
// or hostile service does not lock the members out.
func (r *Register) foldDeposit(rec journal.Record) {
	p := rec.Payload
	if len(p) < depositHeader {
		r.flushDeposit()
		r.subs = append(r.subs, Submission{Seq: rec.Seq, At: rec.Time, By: r.ro.byKey[string(rec.Signer)], Unreadable: true})
		return
	}
	var tag Tag
	copy(tag[:], p[4:])
	part := int(binary.BigEndian.Uint16(p[4+len(tag):]))
	parts := int(binary.BigEndian.Uint16(p[4+len(tag)+2:]))
	d := r.dep
	if part == 0 || d == nil || d.tag != tag || !bytes.Equal(d.first.Signer, rec.Signer) || part != d.n || parts != d.parts {
		r.flushDeposit()
		d = &deposit{first: rec, tag: tag, parts: parts, bad: part != 0 || parts == 0}
		r.dep = d
	}
	sealed := append(bytes.Clone(p[:4]), p[depositHeader:]...)
	plain, err := r.open(journal.Record{Seq: rec.Seq, Signer: rec.Signer, Signature: rec.Signature, Payload: sealed})
	if err != nil {
		d.bad = true
	}
	d.plain = append(d.plain, plain...)
	d.n++
	if d.n >= d.parts {
		r.flushDeposit()
	}
}

// flushDeposit ends the deposit under way, whole or not.
func (r *Register) flushDeposit() {
	d := r.dep
	if d == nil {
		return
	}
	r.dep = nil
	s := Submission{Seq: d.first.Seq, At: d.first.Time, By: r.ro.byKey[string(d.first.Signer)]}
	n, k := binary.Uvarint(d.plain)
	if d.bad || d.n != d.parts || k <= 0 || n == 0 || n > uint64(journal.MaxKind) || uint64(len(d.plain)-k) < n {
		s.Unreadable = true
	} else {
		s.Type = string(d.plain[k : k+int(n)])
		s.Data = d.plain[k+int(n):]
		s.Deposit = true
	}
	r.subs = append(r.subs, s)
}
