package paging

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/timesync"
)

// CaseID is the cell's own number for a case, "2026-0042": a year, a
// hyphen and a sequence of four to six digits, the form the register gives
// the cases it numbers (register.Register.ReceiveNext) — or, for a request
// that is not a case yet, its intake's number in the register, "I-17"
// (IntakeID): the member on call is paged as soon as an order arrives,
// before anyone has read it. It is never the authority's reference: the
// register accepts other identifiers, but a page carries only these forms,
// so that nothing an authority wrote can reach a phone's lock screen or a
// third party's push server. The zero CaseID names no case.
type CaseID struct{ s string }

// IntakeID returns the CaseID of the intake numbered seq (the number of
// its submission in the register, package intake), "I-17"; the zero
// CaseID for 0.
func IntakeID(seq uint64) CaseID {
	if seq == 0 {
		return CaseID{}
	}
	return CaseID{"I-" + strconv.FormatUint(seq, 10)}
}

// Intake reports whether c names an intake (IntakeID), and its number.
func (c CaseID) Intake() (uint64, bool) {
	rest, ok := strings.CutPrefix(c.s, "I-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(rest, 10, 64)
	return n, err == nil
}

// ParseCaseID reads a case ID of the form "YYYY-NNNN" (four to six digits
// after the hyphen), an intake's, "I-17", or an alert's,
// "W-clock-20261206T011003Z" (AlertID). Its error does not quote s.
func ParseCaseID(s string) (CaseID, error) {
	if strings.HasPrefix(s, "W-") {
		if _, _, ok := parseAlert(s); ok {
			return CaseID{s}, nil
		}
		return CaseID{}, fmt.Errorf("%w: an alert's ID is W-, its condition, a hyphen and its start in UTC as yyyymmddThhmmssZ", ErrPage)
	}
	if rest, ok := strings.CutPrefix(s, "I-"); ok {
		if n, err := strconv.ParseUint(rest, 10, 64); err == nil && n > 0 && strconv.FormatUint(n, 10) == rest {
			return CaseID{s}, nil
		}
		return CaseID{}, fmt.Errorf("%w: an intake's ID is I- and its number (I-17)", ErrPage)
	}
	year, seq, ok := strings.Cut(s, "-")
	if !ok || len(year) != 4 || len(seq) < 4 || len(seq) > 6 || !digits(year) || !digits(seq) {
		return CaseID{}, fmt.Errorf("%w: a case ID is a year, a hyphen and 4 to 6 digits (2026-0042)", ErrPage)
	}
	return CaseID{s}, nil
}

// MustParseCaseID is ParseCaseID for tests and constants: it panics on
// error.
func MustParseCaseID(s string) CaseID {
	c, err := ParseCaseID(s)
	if err != nil {
		panic(err)
	}
	return c
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// String returns the ID, "" for the zero CaseID.
func (c CaseID) String() string { return c.s }

// IsZero reports whether c names no case.
func (c CaseID) IsZero() bool { return c.s == "" }

// MarshalText returns the ID.
func (c CaseID) MarshalText() ([]byte, error) { return []byte(c.s), nil }

// UnmarshalText reads what ParseCaseID reads; "" is the zero CaseID.
func (c *CaseID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = CaseID{}
		return nil
	}
	v, err := ParseCaseID(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Class is a case's deadline class, as a page says it: how soon the
// answer is due, never what is asked.
type Class uint8

// The deadline classes. The zero Class is Unread: a request whose
// deadline nobody has read yet (an order that came as a scanned letter);
// it is paged as urgent.
const (
	Unread   Class = iota // the deadline is not known yet: treat as urgent
	Urgent                // due within Policy.UrgentWithin of receipt
	Ordinary              // due later
)

var classKeys = []string{"unread", "urgent", "ordinary"}

// String returns "unread", "urgent" or "ordinary".
func (c Class) String() string {
	if int(c) < len(classKeys) {
		return classKeys[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// MarshalText returns Class.String's key; an unknown Class is an error.
func (c Class) MarshalText() ([]byte, error) {
	if int(c) >= len(classKeys) {
		return nil, fmt.Errorf("%w: unknown deadline class %d", ErrPage, c)
	}
	return []byte(classKeys[c]), nil
}

// UnmarshalText accepts unread, urgent or ordinary.
func (c *Class) UnmarshalText(b []byte) error {
	for i, k := range classKeys {
		if string(b) == k {
			*c = Class(i)
			return nil
		}
	}
	return fmt.Errorf("%w: not a deadline class (want %s)", ErrPage, Class(0).Hint())
}

// Hint says what a valid value is, for a strict decoder's message.
func (Class) Hint() string { return "one of " + strings.Join(classKeys, ", ") }

// Kind is why a page is sent.
type Kind uint8

// The kinds of page. The zero Kind is none, and no page.
const (
	// NewRequest: a judicial request was received; the first page of a
	// case, to the member on call (or, in a gap of the rota, to the first
	// who is called instead).
	NewRequest Kind = iota + 1
	// Escalation: nobody acknowledged the request in time; sent to the
	// backup, then the escalation list, then everyone.
	Escalation
	// Reminder: Percent per cent of the time between receipt and the
	// deadline has passed.
	Reminder
)

var kindKeys = []string{"", "new", "escalation", "reminder"}

// String returns "new", "escalation" or "reminder".
func (k Kind) String() string {
	if k != 0 && int(k) < len(kindKeys) {
		return kindKeys[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText returns Kind.String's key; the zero or an unknown Kind is
// an error.
func (k Kind) MarshalText() ([]byte, error) {
	if k == 0 || int(k) >= len(kindKeys) {
		return nil, fmt.Errorf("%w: unknown page kind %d", ErrPage, k)
	}
	return []byte(kindKeys[k]), nil
}

// UnmarshalText accepts new, escalation or reminder.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, key := range kindKeys {
		if i > 0 && string(b) == key {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("%w: not a page kind (want %s)", ErrPage, Kind(0).Hint())
}

// Hint says what a valid value is, for a strict decoder's message.
func (Kind) Hint() string { return "one of " + strings.Join(kindKeys[1:], ", ") }

// AckCommand is the command a page tells its reader to acknowledge with,
// followed by the case ID and, when the page has one, its one-time code:
// "desk ack 2026-0042 7KQ2M-XH4PA". It is the desk example's command; a
// program with another command says so in its own words, outside the page.
const AckCommand = "desk ack"

// Page is what a page says, and all it says: the cell's case number, when
// the request was received, its deadline class, why the page is sent,
// and how to acknowledge it. It holds no target, authority, reference or
// content of a request, and cannot: every field is a number, an instant,
// an enumeration or a value (CaseID, Code) whose constructor admits only
// its own narrow form, so no text of a request can be passed in. A page
// goes over channels the cell does not control (a push server, an SMS
// gateway, a mail relay) and lands on lock screens.
type Page struct {
	// Case is the cell's case number.
	Case CaseID `json:"case"`
	// Received is when the request was received; shown in Brussels time
	// to the second.
	Received time.Time `json:"received"`
	// Class is the deadline class.
	Class Class `json:"class"`
	// Kind is why the page is sent.
	Kind Kind `json:"kind"`
	// Step is the escalation step the page belongs to (0 for the first
	// page of a case, Action.Step): it tells pages of the same case to
	// the same member apart, and is not shown.
	Step int `json:"step,omitempty"`
	// Percent is, for a Reminder, how much of the time to the deadline has
	// passed, 1 to 99; 0 otherwise.
	Percent int `json:"percent,omitempty"`
	// Due is, for a Reminder, the deadline: the first instant too late.
	Due time.Time `json:"due,omitzero"`
	// Code is the one-time acknowledgement code of this page for its
	// member (NewCode); the zero Code when the page carries none.
	Code Code `json:"code,omitzero"`
	// Lang is the language of the page's text: French, Dutch, German, or
	// English (also for any other tag).
	Lang language.Tag `json:"lang"`
}

// Check returns an error wrapping ErrPage when the page cannot be sent:
// no case, no receipt instant, an unknown class or kind, a negative step,
// or a reminder without its percentage (1 to 99) and a deadline after the
// receipt — or a percentage or deadline on a page that is no reminder.
func (p Page) Check() error {
	var why []string
	if p.Case.IsZero() {
		why = append(why, "no case ID")
	}
	if p.Received.IsZero() {
		why = append(why, "no receipt instant")
	}
	if int(p.Class) >= len(classKeys) {
		why = append(why, "unknown deadline class")
	}
	if p.Kind == 0 || int(p.Kind) >= len(kindKeys) {
		why = append(why, "unknown kind")
	}
	if p.Step < 0 {
		why = append(why, "negative step")
	}
	if _, _, alert := p.Case.Alert(); alert {
		if p.Kind == Reminder {
			why = append(why, "an alert has no deadline, so no reminder")
		}
		if p.Class != Unread {
			why = append(why, "an alert has no deadline class")
		}
	}
	if p.Kind == Reminder {
		if p.Percent < 1 || p.Percent > 99 {
			why = append(why, "a reminder's percentage is 1 to 99")
		}
		if !p.Due.After(p.Received) {
			why = append(why, "a reminder's deadline is after the receipt")
		}
	} else if p.Percent != 0 || !p.Due.IsZero() {
		why = append(why, "only a reminder has a percentage and a deadline")
	}
	if len(why) > 0 {
		return fmt.Errorf("%w: %s", ErrPage, strings.Join(why, "; "))
	}
	return nil
}

// Title is the page's first line, for a notification's title and an
// e-mail's subject: the case number and why, "CCJ 2026-0042: new
// request", in the page's language.
func (p Page) Title() string {
	pr := messages().Printer(p.Lang)
	if cond, _, ok := p.Case.Alert(); ok {
		if p.Kind == Escalation {
			return pr.Sprintf("CCJ alert: %[1]s, not acknowledged", cond.title(p))
		}
		return pr.Sprintf("CCJ alert: %[1]s", cond.title(p))
	}
	switch p.Kind {
	case Escalation:
		return pr.Sprintf("CCJ %[1]s: not acknowledged", p.Case.s)
	case Reminder:
		return pr.Sprintf("CCJ %[1]s: %[2]d%% of the time used", p.Case.s, p.Percent)
	}
	return pr.Sprintf("CCJ %[1]s: new request", p.Case.s)
}

// Text is the page in its language, a few short lines: what happened and
// when (in Brussels time to the second, with the offset), the deadline
// class, and how to acknowledge. For example, in English:
//
//	New judicial request 2026-0042 received at 2026-10-24 21:47:03 +02:00.
//	Deadline: urgent, within hours.
//	Acknowledge: desk ack 2026-0042 7KQ2M-XH4PA
//
// A reminder says how much of the time to the deadline has passed and
// the deadline; it has an acknowledgement line only when it carries a
// code. An alert's page (AlertID) says what failed and since when, that
// it concerns no request, and how to acknowledge it:
//
//	Cell alert W-clock-20261206T011003Z since 2026-12-06 02:10:03 +01:00: the cell's clock cannot be vouched for to the second; check chrony (clockcheck).
//	It concerns no request. Acknowledge: desk ack W-clock-20261206T011003Z 7KQ2M-XH4PA
func (p Page) Text() string {
	pr := messages().Printer(p.Lang)
	received := timesync.FromTime(p.Received).Display(p.Lang)
	if cond, since, ok := p.Case.Alert(); ok {
		since := timesync.FromTime(since).Display(p.Lang)
		lines := []string{pr.Sprintf("Cell alert %[1]s since %[2]s: %[3]s", p.Case.s, since, cond.text(p))}
		if p.Kind == Escalation {
			lines = append(lines, pr.Sprintf("The member on call has not acknowledged it."))
		}
		lines = append(lines, pr.Sprintf("It concerns no request. Acknowledge: %[1]s", p.AckLine()))
		return strings.Join(lines, "\n")
	}
	var lines []string
	switch p.Kind {
	case Escalation:
		lines = append(lines, pr.Sprintf("Judicial request %[1]s received at %[2]s has not been acknowledged by the member on call.", p.Case.s, received))
	case Reminder:
		due := timesync.FromTime(p.Due).Display(p.Lang)
		lines = append(lines, pr.Sprintf("Judicial request %[1]s received at %[2]s: %[3]d%% of the time to its deadline, %[4]s, has passed.", p.Case.s, received, p.Percent, due))
	default:
		lines = append(lines, pr.Sprintf("New judicial request %[1]s received at %[2]s.", p.Case.s, received))
	}
	switch p.Class {
	case Urgent:
		lines = append(lines, pr.Sprintf("Deadline: urgent, within hours."))
	case Ordinary:
		lines = append(lines, pr.Sprintf("Deadline: ordinary, within days."))
	default:
		lines = append(lines, pr.Sprintf("Deadline: not read yet, treat as urgent."))
	}
	if p.Kind != Reminder || !p.Code.IsZero() {
		lines = append(lines, pr.Sprintf("Acknowledge: %[1]s", p.AckLine()))
	}
	return strings.Join(lines, "\n")
}

// AckLine is the command that acknowledges the page: AckCommand, the case
// ID and the page's code when it has one.
func (p Page) AckLine() string {
	s := AckCommand + " " + p.Case.s
	if !p.Code.IsZero() {
		s += " " + p.Code.String()
	}
	return s
}

// Key identifies one page to one member on one of their channels: the
// same case, receipt, kind, step and percentage, to the same member, on
// the same channel, is the same Key. Every attempt to send that page
// reuses it — Matrix's transaction ID, the webhook's Idempotency-Key, the
// e-mail's Message-ID, the SMS gateway's message ID — so that a receiver
// that saw the first attempt can drop the next.
type Key string

// Key returns the page's Key for member on channel ch: 32 hexadecimal
// digits of the SHA-256 of "ccjkit page v1" and the page's identity, the
// member's ID and the channel, each followed by a zero byte. The code
// and the language are not part of it: they do not make another page.
func (p Page) Key(member string, ch ccj.Channel) Key {
	h := sha256.New()
	for _, s := range []string{"ccjkit page v1", p.Case.s, strconv.FormatInt(p.Received.Unix(), 10),
		strconv.Itoa(int(p.Kind)), strconv.Itoa(p.Step), strconv.Itoa(p.Percent), member, string(ch.Kind), ch.Value} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return Key(hex.EncodeToString(h.Sum(nil)[:16]))
}
