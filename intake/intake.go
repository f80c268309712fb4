package intake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// Channel names the way an intake arrived.
type Channel string

// The channels ccjkit reads. Others (the NTSU-CTIF's "Tank" platform,
// a portal) are Readers of their own.
const (
	// Email is an RFC 5322 message, as a mail server delivers it to a
	// pipe.
	Email Channel = "email"
)

// SubmissionType is the type of the register submissions an intake
// writes (register.Submission.Type).
const SubmissionType = "intake"

// Version is the version of the Record format this package writes.
const Version = 1

// A Reader reads what one channel delivers. Read never fails on what the
// sender wrote: what it cannot read it reports in the Reading's problems,
// and the original is recorded all the same.
type Reader interface {
	// Channel names the channel the reader reads.
	Channel() Channel
	// Read reads one delivery, whole, as received.
	Read(raw []byte) Reading
}

// Reading is what a Reader understood of one delivery.
type Reading struct {
	// Key names the delivery for redelivery: the same delivery handed
	// over again has the same key (an e-mail's Message-ID; the digest of
	// the whole delivery when it has none).
	Key string
	// Requisitions are the orders the delivery carries in the library's
	// requisition JSON, each decoded strictly.
	Requisitions []requisition.Requisition
	// Parts lists what the delivery holds (an e-mail's MIME parts).
	Parts []Part
	// Authenticity is what the channel says of the sender.
	Authenticity Authenticity
	// Automatic says the delivery was written by a program, not a
	// person: a bounce or an auto-reply (an e-mail with a null sender,
	// RFC 5321 §4.5.5, or an Auto-Submitted field other than "no", RFC
	// 3834). It is recorded like any other; a program that pages on
	// intakes does not page on it, so that a page that bounces back to
	// the cell does not page again, and again.
	Automatic bool
	// Accepted is when the cell's own server accepted the delivery, as
	// it wrote it (an e-mail's topmost Received field, by the cell's
	// server), zero when the delivery does not say.
	Accepted time.Time
	// Problems say what could not be read, without quoting it.
	Problems []string
}

// Part is one part of a delivery: its media type, its file name if it
// has one, its size once decoded and the SHA-256 of its decoded bytes.
type Part struct {
	Type     string `json:"type"`
	Filename string `json:"filename,omitempty"`
	Size     int    `json:"size"`
	SHA256   string `json:"sha256"`
	// Requisition: the part was read as a requisition.
	Requisition bool `json:"requisition,omitempty"`
}

// Status says what a member has to do with an intake.
type Status string

// The statuses of an intake.
const (
	// Readable: the intake carries requisitions a program read; a member
	// accepts them as cases (Accept).
	Readable Status = "readable"
	// Unreadable: nothing a program reads (a PDF, a scan, free text, or
	// malformed MIME); a member transcribes it (Transcribe), the original
	// kept and linked.
	Unreadable Status = "unreadable"
	// Refused: the delivery broke a limit (its size); what was read of
	// it is kept, and the sender was told by the mail server.
	Refused Status = "refused"
)

// Record is what an intake writes in the register, sealed: the whole
// delivery and what was read of it. It is the Data of a
// register.Submission of type [SubmissionType].
type Record struct {
	Version int     `json:"version"`
	Channel Channel `json:"channel"`
	// Received is the moment of receipt, to the second, and Clock the
	// clock's verdict then.
	Received timesync.Timestamp `json:"received"`
	Clock    register.Evidence  `json:"clock"`
	// Accepted is when the cell's own mail server accepted the message,
	// as it wrote in it, to the second: earlier than Received when the
	// server had to wait for the register (a deferred delivery). Zero
	// when the message does not say, or says a moment after Received or
	// more than MaxAcceptedLead before it.
	Accepted timesync.Timestamp `json:"accepted,omitzero"`
	// Key names the delivery (an e-mail's Message-ID).
	Key    string `json:"key"`
	Status Status `json:"status"`
	// Size and SHA256 are those of the whole delivery as received;
	// Raw holds it (up to the size limit, for a refused one).
	Size         int                       `json:"size"`
	SHA256       string                    `json:"sha256"`
	Raw          []byte                    `json:"raw"`
	Requisitions []requisition.Requisition `json:"requisitions,omitempty"`
	Parts        []Part                    `json:"parts,omitempty"`
	Authenticity Authenticity              `json:"authenticity"`
	Problems     []string                  `json:"problems,omitempty"`
	// Automatic: a bounce or an auto-reply (Reading.Automatic).
	Automatic bool `json:"automatic,omitempty"`
}

// MaxAcceptedLead bounds how long before its recording a message may say
// it was accepted: Postfix's maximal_queue_lifetime, 5 days by default,
// after which it bounces what it could not deliver.
const MaxAcceptedLead = 5 * 24 * time.Hour

// DefaultMaxSize bounds a delivery when Config.MaxSize is not set, and
// is the most it may be: 23 MiB, so that the record — the delivery in
// base64, four bytes for three, with what was read of it — fits in one
// register deposit (register.MaxDeposit, 32 MiB; TestLimitFitsDeposit).
// Postfix's own default, message_size_limit, is 10,240,000 bytes: keep
// the server's limit at or below this one, so that the server refuses
// first and the sender is told at once.
const DefaultMaxSize = 23 << 20

// Config is what Receive needs.
type Config struct {
	// Register is the path of the register's journal file, and Store
	// the opener of the journal store the register is kept in otherwise
	// (a database shared by the cell's machines: package pgjournal; the
	// store times the record with its own clock): exactly one of the two
	// is set. Identity is the service identity the intake writes as (a
	// RoleService identity in the register's roster: it cannot read the
	// register).
	Register string
	Store    register.StoreOpener
	Identity register.Identity
	// Clock gives the moment of receipt; Verdict, when set, the clock's
	// verdict then (timesync.Check against the cell's NTP sources). An
	// intake without a verdict is recorded, its time vouched by nothing.
	Clock   timesync.Clock
	Verdict func() timesync.Verdict
	// MaxSize bounds a delivery's bytes (DefaultMaxSize when 0; at most
	// DefaultMaxSize).
	MaxSize int
	// Logger, when set, logs each intake: its number, status, size and
	// whether it was a redelivery — never a sender, subject or content.
	Logger *slog.Logger
}

// Result is what Receive did.
type Result struct {
	// Seq is the number of the register submission that holds the
	// intake; Duplicate says it was recorded before (a redelivery), and
	// nothing was written.
	Seq       uint64
	Duplicate bool
	Status    Status
	// Receipt is the moment the order reached the cell (Record.Accepted,
	// else the moment it was recorded); zero for a redelivery.
	Receipt timesync.Timestamp
	// Requisitions is how many orders were read.
	Requisitions int
	// Automatic: a bounce or an auto-reply, not to page about.
	Automatic bool
}

// The errors of Receive. Each tells a mail server what to do
// ([ExitCode]).
var (
	// ErrTooLarge: the delivery is larger than the limit. What fits was
	// recorded as refused; the sender must be told (a bounce).
	ErrTooLarge = errors.New("intake: the delivery is larger than the limit")
	// ErrRegister: the register could not be written; nothing was
	// acknowledged, and the mail server must try again later.
	ErrRegister = errors.New("intake: the register cannot be written now")
	// ErrConfig: the intake is not configured to write.
	ErrConfig = errors.New("intake: incomplete configuration")
)

// The exit codes a mail server's pipe delivery understands (sysexits.h):
// Postfix's pipe(8) and local(8) defer a delivery on EX_TEMPFAIL and
// bounce it on EX_DATAERR.
const (
	ExitOK       = 0
	ExitDataErr  = 65 // EX_DATAERR: bounce, the sender must resend
	ExitTempFail = 75 // EX_TEMPFAIL: keep the message, try again later
)

// ExitCode returns the exit code a pipe delivery ends with after Receive
// returned err: 0 when the intake is recorded (or was before); a bounce
// for a delivery over the limit, whose beginning was recorded as refused;
// and a temporary failure for everything else — a register that cannot
// be written, an intake not set up — so that the mail server keeps the
// message and tries again while someone fixes it: nothing is dropped.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrTooLarge):
		return ExitDataErr
	default:
		return ExitTempFail
	}
}

// Receive reads one delivery from r through the channel's reader and
// records it, sealed, in the register — once: a delivery whose key was
// recorded before by the same identity is recognised and not written
// again. It returns once the record is durable. A delivery larger than
// the limit is recorded as refused, cut at the limit, and ErrTooLarge
// returned so that the sender is told.
func Receive(cfg Config, rd Reader, r io.Reader) (Result, error) {
	if (cfg.Register == "") == (cfg.Store == nil) || cfg.Clock == nil || rd == nil {
		return Result{}, fmt.Errorf("%w: a register (its journal's path or its store, not both), a service identity, a clock and a reader are needed", ErrConfig)
	}
	store := cfg.Store
	if store == nil {
		store = register.FileStore(cfg.Register, cfg.Clock)
	}
	limit := cfg.MaxSize
	if limit <= 0 || limit > DefaultMaxSize {
		limit = DefaultMaxSize
	}
	raw, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		// The pipe broke: the mail server has not been told it was
		// delivered, and delivers again.
		return Result{}, fmt.Errorf("%w: reading the delivery: %w", ErrRegister, err)
	}
	received := timesync.Now(cfg.Clock)
	var v timesync.Verdict
	if cfg.Verdict != nil {
		v = cfg.Verdict()
	}
	rec := Record{Version: Version, Channel: rd.Channel(), Received: received, Clock: register.EvidenceOf(v)}
	tooLarge := len(raw) > limit
	if tooLarge {
		// Read no further: the rest is not kept, and nothing read of a
		// truncated message could be trusted.
		n, _ := io.Copy(io.Discard, r)
		raw = raw[:limit]
		sum := sha256.Sum256(raw)
		rec.Status, rec.Size, rec.SHA256, rec.Raw = Refused, limit+1+int(n), hex.EncodeToString(sum[:]), raw
		rec.Key = "sha256:" + rec.SHA256 + ":refused"
		rec.Problems = []string{fmt.Sprintf("the delivery is larger than the limit of %d bytes: its first %d bytes are kept", limit, limit)}
	} else {
		reading := readWithin(rd, raw)
		sum := sha256.Sum256(raw)
		rec.Size, rec.SHA256, rec.Raw = len(raw), hex.EncodeToString(sum[:]), raw
		rec.Key, rec.Requisitions, rec.Parts, rec.Authenticity, rec.Problems = reading.Key, reading.Requisitions, reading.Parts, reading.Authenticity, reading.Problems
		rec.Automatic = reading.Automatic
		if rec.Key == "" {
			rec.Key = "sha256:" + rec.SHA256
		}
		if a := reading.Accepted.Truncate(time.Second); !a.IsZero() && !a.After(received.Time()) && received.Time().Sub(a) <= MaxAcceptedLead {
			rec.Accepted = timesync.FromTime(a)
		}
		rec.Status = Unreadable
		if len(rec.Requisitions) > 0 {
			rec.Status = Readable
		}
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrRegister, err)
	}
	tag := cfg.Identity.Tag("intake "+string(rec.Channel), []byte(rec.Key))
	if tag.IsZero() {
		return Result{}, fmt.Errorf("%w: the service identity has no keys", ErrConfig)
	}
	written, dup, err := register.SubmitOnceTo(store, cfg.Identity, SubmissionType, tag, data)
	if err != nil {
		if cfg.Logger != nil {
			cfg.Logger.Error("intake not recorded: the mail server will deliver it again", "error", err)
		}
		return Result{}, fmt.Errorf("%w: %w", ErrRegister, err)
	}
	res := Result{Seq: written.Seq, Duplicate: dup, Status: rec.Status, Requisitions: len(rec.Requisitions), Receipt: rec.Received, Automatic: rec.Automatic}
	if !rec.Accepted.IsZero() {
		res.Receipt = rec.Accepted
	}
	if dup {
		// What was recorded the first time is not known to a service.
		res.Status, res.Requisitions, res.Receipt = "", 0, timesync.Timestamp{}
	}
	if cfg.Logger != nil {
		cfg.Logger.Info("intake recorded", "submission", res.Seq, "redelivery", dup, "status", string(res.Status), "bytes", rec.Size, "requisitions", res.Requisitions)
	}
	if tooLarge {
		// A mail server quotes this in the bounce to the sender: it says
		// nothing of the register.
		return res, fmt.Errorf("%w of %d bytes", ErrTooLarge, limit)
	}
	return res, nil
}

// readWithin runs the reader, turning a panic of a faulty reader into a
// problem: the delivery is recorded all the same.
func readWithin(rd Reader, raw []byte) (r Reading) {
	defer func() {
		if p := recover(); p != nil {
			r = Reading{Problems: []string{"the reader failed on this delivery"}}
		}
	}()
	return rd.Read(bytes.Clone(raw))
}

// DecodeRecord reads an intake's record from a submission's data,
// strictly.
func DecodeRecord(data []byte) (Record, error) {
	var rec Record
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&rec); err != nil {
		return Record{}, &provenance.Problems{What: "intake: record", Findings: []provenance.Finding{{
			Rule: "decode", Severity: provenance.Error, Err: ErrRecord,
			Source:  provenance.Rule("the intake record format"),
			Message: provenance.Text("the submission is not an intake record of this version"),
		}}}
	}
	if rec.Version != Version {
		return Record{}, fmt.Errorf("%w: version %d, this library reads %d", ErrRecord, rec.Version, Version)
	}
	return rec, nil
}

// ErrRecord: a submission of type intake that does not decode.
var ErrRecord = errors.New("intake: not an intake record")
