package paging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The types of the register submissions a program writes as it pages
// (register.Submit): what Next needs after a restart, and what a judge
// reads of how the cell was woken.
const (
	// RecordType: an action carried out — its pages' attempts, and the
	// event (Paged) that tells Next it was.
	RecordType = "page"
	// AckType: a member acknowledged a case's pages.
	AckType = "page-ack"
)

// Record is one action carried out, as the register keeps it: the case,
// when it was received and its class (the Intake the plan was made for),
// the action, every attempt on every channel of every member paged, and
// the Paged event, whose instant is the pages' codes' issue instant.
type Record struct {
	Intake   Intake    `json:"intake"`
	Action   Action    `json:"action"`
	Attempts []Attempt `json:"attempts"`
	Event    Event     `json:"event"`
}

// Ack is an acknowledgement as the register keeps it: the case, the
// member, the instant, and how it came — typed at the desk by the member
// (whose identity signs the record), or a one-time code sent back (by
// e-mail), checked by the program that recorded it.
type Ack struct {
	Case   CaseID    `json:"case"`
	Member string    `json:"member"`
	At     time.Time `json:"at"`
	// ByCode: the acknowledgement came with the page's one-time code,
	// issued at Issued.
	ByCode bool      `json:"by_code,omitempty"`
	Issued time.Time `json:"issued,omitzero"`
	// Message is, for an acknowledgement sent back by e-mail, the reply
	// as received: what the member wrote is kept with it.
	Message []byte `json:"message,omitempty"`
}

// Event returns the acknowledgement as Next reads it.
func (a Ack) Event() Event { return Event{Kind: Acknowledged, At: a.At, Member: a.Member} }

// ErrRecord is wrapped by the errors of DecodeRecord and DecodeAck.
var ErrRecord = errors.New("paging: not a paging record")

// DecodeRecord reads a Record from a submission's data, strictly.
func DecodeRecord(data []byte) (Record, error) {
	var r Record
	if err := decodeStrict(data, &r); err != nil {
		return Record{}, err
	}
	if r.Intake.Case.IsZero() || r.Event.Kind != Paged {
		return Record{}, fmt.Errorf("%w: a page record without its case or its event", ErrRecord)
	}
	if r.Action.Kind == 0 || r.Action.Who == 0 {
		// Found by FuzzDecodeRecord: such a record decoded, and could not
		// be written back.
		return Record{}, fmt.Errorf("%w: a page record without its action's kind or recipients", ErrRecord)
	}
	return r, nil
}

// DecodeAck reads an Ack from a submission's data, strictly.
func DecodeAck(data []byte) (Ack, error) {
	var a Ack
	if err := decodeStrict(data, &a); err != nil {
		return Ack{}, err
	}
	if a.Case.IsZero() || a.Member == "" || a.At.IsZero() {
		return Ack{}, fmt.Errorf("%w: an acknowledgement without its case, member or instant", ErrRecord)
	}
	return a, nil
}

func decodeStrict(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: it does not decode", ErrRecord)
	}
	if d.More() {
		return fmt.Errorf("%w: data after the record", ErrRecord)
	}
	return nil
}

// Events returns, for the case c, the events Next reads from records and
// acknowledgements read back from the register, in the order given.
func Events(c CaseID, records []Record, acks []Ack) []Event {
	var out []Event
	for _, r := range records {
		if r.Intake.Case == c {
			out = append(out, r.Event)
		}
	}
	for _, a := range acks {
		if a.Case == c {
			out = append(out, a.Event())
		}
	}
	return out
}
