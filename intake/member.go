package intake

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// CallBackType is the type of the register submissions that record a
// call-back.
const CallBackType = "intake-call-back"

// Outcome is what a call-back found.
type Outcome string

// The outcomes of a call-back.
const (
	// Confirmed: the authority confirmed it sent the order.
	Confirmed Outcome = "confirmed"
	// Denied: the authority said it did not send it — a forgery.
	Denied Outcome = "denied"
	// Unreachable: nobody answered; call again.
	Unreachable Outcome = "unreachable"
)

// CallBack is a member's call to the authority an intake claims to come
// from, on a number the authority publishes — not one the message gives —
// to confirm the order before acting on it.
type CallBack struct {
	// Intake is the number of the intake's submission.
	Intake uint64 `json:"intake"`
	// Number is the number called (E.164, "+32..."); Published says
	// where the cell found it (a directory, the authority's site).
	Number    string  `json:"number"`
	Published string  `json:"published"`
	Outcome   Outcome `json:"outcome"`
	// At and By are the record's: when, and which member, to the second.
	At timesync.Timestamp `json:"-"`
	By string             `json:"-"`
}

// maxPublished bounds CallBack.Published.
const maxPublished = 256

// Check reports what is wrong with the call-back, every problem at once.
func (c CallBack) Check() error {
	var fs []provenance.Finding
	bad := func(field, msg string) {
		fs = append(fs, provenance.Finding{Rule: "intake-call-back", Severity: provenance.Error, Field: field, Source: provenance.Rule("intake call-back"), Err: ErrCallBack, Message: provenance.Text(msg)})
	}
	if c.Intake == 0 {
		bad("intake", "the intake's submission number is needed")
	}
	if !e164(c.Number) {
		bad("number", "the number called is needed, in E.164 form (+ and 8 to 15 digits)")
	}
	if c.Published == "" || len(c.Published) > maxPublished || !utf8.ValidString(c.Published) {
		bad("published", fmt.Sprintf("where the number is published is needed, in at most %d bytes of text", maxPublished))
	}
	if !slices.Contains([]Outcome{Confirmed, Denied, Unreachable}, c.Outcome) {
		bad("outcome", "the outcome is confirmed, denied or unreachable")
	}
	return provenance.Check("intake: call-back", fs)
}

// ErrCallBack is wrapped by the problems of an invalid call-back.
var ErrCallBack = errors.New("intake: invalid call-back")

func e164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// RecordCallBack records a call-back in the register at path, sealed and
// signed by the member who made it, at the clock's second.
func RecordCallBack(path string, member register.Identity, clock timesync.Clock, c CallBack) (CallBack, error) {
	return recordCallBack(c, func(data []byte) (journal.Record, error) {
		return register.Submit(path, member, clock, CallBackType, data)
	})
}

// RecordCallBackTo is [RecordCallBack] on the register kept in the
// journal store open opens (a database shared by the cell's machines:
// package pgjournal), at the second of the store's clock.
func RecordCallBackTo(open register.StoreOpener, member register.Identity, c CallBack) (CallBack, error) {
	return recordCallBack(c, func(data []byte) (journal.Record, error) {
		return register.SubmitTo(open, member, CallBackType, data)
	})
}

// recordCallBack checks c and records it with submit.
func recordCallBack(c CallBack, submit func(data []byte) (journal.Record, error)) (CallBack, error) {
	if err := c.Check(); err != nil {
		return CallBack{}, err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return CallBack{}, err
	}
	rec, err := submit(data)
	if err != nil {
		return CallBack{}, err
	}
	c.At = rec.Time
	return c, nil
}

// Intake is an intake as a member reads it from the register.
type Intake struct {
	// Seq, At and By are the submission's: its number, the second it was
	// recorded (the moment of receipt) and the service that recorded it.
	Seq uint64
	At  timesync.Timestamp
	By  string
	// Record is what was received; zero when Err is set.
	Record Record
	// Err says why the submission could not be read as an intake.
	Err error
	// Case is the case received from the intake, "" while none is.
	Case string
	// CallBacks are the members' call-backs about it, in order.
	CallBacks []CallBack
}

// Receipt is the moment the order reached the cell: when the cell's
// mail server accepted it (Record.Accepted), else when the intake was
// recorded. A case received from the intake counts its deadlines from it.
func (i Intake) Receipt() timesync.Timestamp {
	if !i.Record.Accepted.IsZero() {
		return i.Record.Accepted
	}
	if !i.Record.Received.IsZero() && !i.Record.Received.Time().After(i.At.Time()) {
		return i.Record.Received
	}
	return i.At
}

// Verified reports whether the intake may be acted on without a further
// check: confirmed by a call-back, or vouched for by the cell's mail
// server for a listed domain — and never after an authority denied it.
func (i Intake) Verified() bool {
	confirmed := false
	for _, c := range i.CallBacks {
		switch c.Outcome {
		case Denied:
			return false
		case Confirmed:
			confirmed = true
		}
	}
	return confirmed || i.Record.Authenticity.Authenticated()
}

// Findings are the warnings a member reads before acting on the intake:
// why its sender is not vouched for, unless a call-back confirmed it, and
// a denial. They name no sender.
func (i Intake) Findings() []provenance.Finding {
	for _, c := range i.CallBacks {
		if c.Outcome == Denied {
			return []provenance.Finding{{Rule: "intake-call-back", Severity: provenance.Warning, Field: "call_backs", Source: provenance.Rule("intake call-back"), Err: ErrUnverified,
				Message: provenance.Text("the authority, called back on its published number, said it did not send this order: treat it as a forgery, and report it")}}
		}
	}
	if i.Verified() {
		return nil
	}
	return i.Record.Authenticity.Findings()
}

// List returns the register's intakes in order, with their cases and
// call-backs. Only what a service identity submitted is an intake, and
// only what a member submitted is a call-back: the program that reads
// hostile mail cannot vouch for a sender.
func List(reg *register.Register) []Intake {
	roles := map[string]register.Role{}
	for _, m := range reg.Members() {
		roles[m.Name] = m.Role
	}
	var out []Intake
	at := map[uint64]int{}
	for _, s := range reg.Submissions() {
		switch {
		case s.Type == SubmissionType && roles[s.By] != register.RoleService:
			continue
		case s.Type == CallBackType && roles[s.By] != register.RoleMember:
			continue
		}
		switch s.Type {
		case SubmissionType:
			in := Intake{Seq: s.Seq, At: s.At, By: s.By}
			if s.Unreadable {
				in.Err = ErrRecord
			} else if rec, err := DecodeRecord(s.Data); err != nil {
				in.Err = err
			} else {
				in.Record = rec
			}
			at[s.Seq] = len(out)
			out = append(out, in)
		case CallBackType:
			var c CallBack
			if json.Unmarshal(s.Data, &c) != nil || c.Check() != nil {
				continue
			}
			if k, ok := at[c.Intake]; ok {
				c.At, c.By = s.At, s.By
				out[k].CallBacks = append(out[k].CallBacks, c)
			}
		}
	}
	for _, c := range reg.Cases() {
		if k, ok := at[c.Submission]; ok && c.Submission != 0 {
			out[k].Case = c.ID
		}
	}
	return out
}

// Pending returns the intakes no case was received from yet.
func Pending(reg *register.Register) []Intake {
	var out []Intake
	for _, in := range List(reg) {
		if in.Case == "" {
			out = append(out, in)
		}
	}
	return out
}

// The errors of Accept.
var (
	// ErrNoIntake: no intake has this number.
	ErrNoIntake = errors.New("intake: no intake has this number")
	// ErrTranscribe: the intake holds no single requisition a program
	// read: a member transcribes it.
	ErrTranscribe = errors.New("intake: the intake must be transcribed")
)

func find(reg *register.Register, seq uint64) (Intake, error) {
	for _, in := range List(reg) {
		if in.Seq == seq {
			if in.Err != nil {
				return Intake{}, fmt.Errorf("%w: %w", ErrNoIntake, in.Err)
			}
			return in, nil
		}
	}
	return Intake{}, ErrNoIntake
}

// Accept receives, as a case, the one requisition the intake numbered
// seq carries, received at the intake's Receipt (register.ReceiveSubmission).
// An intake with no requisition read, or several, is transcribed instead.
// Accept does not judge the sender: read Intake.Findings first.
func Accept(reg *register.Register, seq uint64, actor string, v timesync.Verdict) (register.Case, error) {
	in, err := find(reg, seq)
	if err != nil {
		return register.Case{}, err
	}
	if in.Record.Status != Readable || len(in.Record.Requisitions) != 1 {
		return register.Case{}, fmt.Errorf("%w: it carries %d requisitions a program read", ErrTranscribe, len(in.Record.Requisitions))
	}
	req := in.Record.Requisitions[0]
	req.Received = in.Receipt()
	return reg.ReceiveSubmission(seq, req, actor, v)
}

// Transcribe receives, as a case, the requisition a member read from the
// intake numbered seq (a scan, a PDF, a letter), received at the intake's
// Receipt whatever the transcription says, the original kept in the register and linked to the case.
func Transcribe(reg *register.Register, seq uint64, req requisition.Requisition, actor string, v timesync.Verdict) (register.Case, error) {
	in, err := find(reg, seq)
	if err != nil {
		return register.Case{}, err
	}
	req.Received = in.Receipt()
	return reg.ReceiveSubmission(seq, req, actor, v)
}
