package register

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/timesync"
)

// Channel is how an answer reached the authority.
type Channel string

// The channels of an answer. The law does not list them; these are the
// ways an answer leaves a cell, named so that a register can be read
// without free text.
const (
	ByEmail    Channel = "email"    // e-mail to the address the requisition gives
	ByPlatform Channel = "platform" // the authority's secure platform
	ByPost     Channel = "post"     // registered post
	ByHand     Channel = "hand"     // handed over in person
	ByPhone    Channel = "phone"    // by telephone, to be confirmed in writing
	ByHandover Channel = "handover" // the interception handover interface to the NTSU-CTIF (brochure §3.14)
)

// Channels returns every channel.
func Channels() []Channel { return []Channel{ByEmail, ByPlatform, ByPost, ByHand, ByPhone, ByHandover} }

// Hint lists the channels, for decoding errors.
func (Channel) Hint() string { return "one of email, platform, post, hand, phone, handover" }

// ErrUnknownValue is wrapped by the errors of the UnmarshalText methods of
// the register's enumerations ([Channel], [Outcome]) when a text names no
// value of the enumeration.
var ErrUnknownValue = errors.New("register: unknown value")

// UnmarshalText accepts the channels' names; any other text is an error
// that wraps [ErrUnknownValue].
func (c *Channel) UnmarshalText(b []byte) error {
	if !slices.Contains(Channels(), Channel(b)) {
		return fmt.Errorf("%w: not a channel (want %s)", ErrUnknownValue, c.Hint())
	}
	*c = Channel(b)
	return nil
}

// Delivery is an answer as it was given: when (to the second, IBPT
// brochure §3.15 [S]), to whom, through which channel, and what.
type Delivery struct {
	// At is when the answer was delivered; zero means now.
	At timesync.Timestamp `json:"at"`
	// To names the recipient: the magistrate, service or officer the
	// requisition says to answer.
	To      string  `json:"to"`
	Channel Channel `json:"channel"`
	// Items are the kinds of data delivered; What describes the delivery
	// in words (at least one of the two is needed).
	Items []requisition.Item `json:"items,omitempty"`
	What  string             `json:"what,omitempty"`
	// WithoutResult is the member's reason for answering a case to which
	// no technician's result is attached (the data was at hand, the
	// member looked it up): [Register.Answer] requires it then, so that
	// the register says what every answer rests on. At most [MaxText]
	// bytes.
	WithoutResult string `json:"without_result,omitempty"`
}

// ErrNoResult is wrapped by the problem of an answer to a case with no
// technician's result attached and no reason given for answering without
// one (Delivery.WithoutResult). It wraps [ErrInput].
var ErrNoResult = fmt.Errorf("%w: no technician's result is attached to the case", ErrInput)

// Answer records case id as answered by actor with delivery d. The case
// must be lawful or in progress; d.At may not be in the future nor before
// the requisition was received; a case with no technician's result
// attached is answered only with the member's reason
// (d.WithoutResult). Problems with d come together in a
// [*provenance.Problems] whose findings wrap [ErrInput] (the missing
// reason [ErrNoResult]).
func (r *Register) Answer(id string, d Delivery, actor string, v timesync.Verdict) (Case, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(func() (Transition, error) {
		t, c, err := r.begin(id, Answer, actor, v)
		if err != nil {
			return Transition{}, err
		}
		d := d
		if d.At.IsZero() {
			d.At = t.At
		}
		probs := deliveryProblems(d, c, t.At)
		if len(c.Results) > 0 && d.WithoutResult != "" {
			probs = append(probs, provenance.Finding{Rule: "delivery", Severity: provenance.Error, Field: "without_result",
				Source: provenance.Rule("delivery"), Err: ErrInput,
				Message: provenance.Text("a technician's result is attached to the case: the answer does not rest on none")})
		}
		if len(c.Results) == 0 && strings.TrimSpace(d.WithoutResult) == "" {
			// Checked on a new answer only: a journal written before the
			// rule still replays.
			probs = append(probs, provenance.Finding{Rule: "delivery", Severity: provenance.Error, Field: "without_result",
				Source: provenance.Rule("delivery"), Err: ErrNoResult,
				Message: provenance.Text("no technician's result is attached to the case: attach one, or say why the answer rests on none")})
		}
		if err := provenance.Check("register: delivery", probs); err != nil {
			return Transition{}, err
		}
		d.Items = slices.Clone(d.Items)
		t.Delivery = &d
		return t, nil
	})
}

// deliveryProblems checks a delivery of case c recorded at now.
func deliveryProblems(d Delivery, c *Case, now timesync.Timestamp) []provenance.Finding {
	bad := inputProblem("delivery")
	var probs []provenance.Finding
	if d.To == "" || len(d.To) > MaxName {
		probs = append(probs, bad("to", fmt.Sprintf("the recipient, 1 to %d bytes", MaxName)))
	}
	if !slices.Contains(Channels(), d.Channel) {
		probs = append(probs, bad("channel", "want "+d.Channel.Hint()))
	}
	if len(d.Items) == 0 && strings.TrimSpace(d.What) == "" {
		probs = append(probs, bad("items", "say what was delivered: items, or what"))
	}
	for i, it := range d.Items {
		if !slices.Contains(c.Requisition.Items, it) {
			probs = append(probs, bad(fmt.Sprintf("items[%d]", i), "an item the requisition does not ask for"))
			break
		}
	}
	if len(d.What) > MaxText {
		probs = append(probs, bad("what", fmt.Sprintf("more than %d bytes", MaxText)))
	}
	if !validText(d.To) {
		probs = append(probs, bad("to", "not valid UTF-8"))
	}
	if !validText(d.What) {
		probs = append(probs, bad("what", "not valid UTF-8"))
	}
	if len(d.WithoutResult) > MaxText || !validText(d.WithoutResult) {
		probs = append(probs, bad("without_result", fmt.Sprintf("at most %d bytes of UTF-8", MaxText)))
	}
	if d.At.IsZero() || d.At.After(now) {
		probs = append(probs, bad("at", "missing, or in the future"))
	}
	if d.At.Before(c.Requisition.Received) {
		probs = append(probs, bad("at", "before the requisition was received"))
	}
	return probs
}

// Timeliness says how an answer stood against its deadline.
type Timeliness string

// The timeliness of an answer.
const (
	OnTime     Timeliness = "on-time"
	Late       Timeliness = "late"
	NoFixedDue Timeliness = "no-fixed-deadline" // due in real time or immediately
	UnknownDue Timeliness = "deadline-unknown"  // the requisition's response policy gives no deadline
)

// AnswerRecord is the account of an answer a cell shows a judge: what was
// asked, when it was received, when it was due and why, what was
// delivered, to whom, through which channel and when — to the second, in
// Brussels time with its offset — and the clock's evidence at that
// moment. It holds the case's details: it is for members and the
// authority, not for logs.
type AnswerRecord struct {
	Case      string                `json:"case"`
	Reference string                `json:"reference"`
	Authority requisition.Authority `json:"authority"`
	Measure   requisition.Measure   `json:"measure"`
	Received  timesync.Timestamp    `json:"received"`
	// Response is when the answer was due, Deadline that computed.
	Response requisition.ResponseKind `json:"response"`
	Deadline requisition.Deadline     `json:"deadline"`
	Delivery Delivery                 `json:"delivery"`
	// ResponseTime is from receipt to delivery, to the second.
	ResponseTime time.Duration `json:"response_time_ns"`
	Timeliness   Timeliness    `json:"timeliness"`
	// AnsweredBy is the member who recorded the answer, Recorded when,
	// Clock the evidence of the clock then.
	AnsweredBy string             `json:"answered_by"`
	Recorded   timesync.Timestamp `json:"recorded"`
	Clock      Evidence           `json:"clock"`
}

// ErrNotAnswered is returned by AnswerRecord for a case with no answer.
var ErrNotAnswered = errors.New("register: the case has no answer")

// AnswerRecord returns the account of case id's answer.
func (r *Register) AnswerRecord(id string) (AnswerRecord, error) {
	c, ok := r.Case(id)
	if !ok {
		return AnswerRecord{}, ErrUnknownCase
	}
	return AnswerRecordOf(c)
}

// AnswerRecordOf returns the account of an answered case's answer, from
// the case as [Register.Case] returns it.
func AnswerRecordOf(c Case) (AnswerRecord, error) {
	if c.Delivery == nil {
		return AnswerRecord{}, ErrNotAnswered
	}
	var t Transition
	for _, h := range c.History {
		if h.Event == Answer {
			t = h
		}
	}
	req := c.Requisition
	a := AnswerRecord{
		Case: c.ID, Reference: req.Reference, Authority: req.Authority, Measure: req.Measure,
		Received: req.Received, Response: req.Response.Kind, Delivery: *c.Delivery,
		ResponseTime: c.Delivery.At.Sub(req.Received),
		AnsweredBy:   t.Actor, Recorded: t.At, Clock: t.Clock,
	}
	dl, err := c.Deadline()
	if err != nil {
		// The error would quote the case's dates: the record says only
		// that the deadline is unknown.
		a.Timeliness = UnknownDue
		return a, nil
	}
	a.Deadline = dl
	a.Timeliness = timeliness(dl, c.Delivery.At)
	return a, nil
}

func timeliness(dl requisition.Deadline, at timesync.Timestamp) Timeliness {
	switch {
	case dl.Kind != requisition.Fixed:
		return NoFixedDue
	case dl.Before(at.Time()):
		return OnTime
	}
	return Late
}

// Text writes the record in the language tag asks for: French, Dutch,
// German or English.
func (a AnswerRecord) Text(tag language.Tag) string {
	p := printer(tag)
	var b strings.Builder
	line := func(key string, args ...any) { fmt.Fprintln(&b, p.Sprintf(key, args...)) }
	line("Answer to case %s", a.Case)
	line("Requisition %s: %s; authority: %s", a.Reference, a.Measure.Label(tag), a.Authority.Label(tag))
	line("Received:  %s (the order's time of receipt, as it states)", clock(a.Received, tag))
	switch {
	case a.Timeliness == UnknownDue:
		line("Due:       %s", p.Sprintf("timeliness:"+string(UnknownDue)))
	case a.Deadline.Kind == requisition.Fixed:
		line("Due:       before %s", clock(timesync.FromTime(a.Deadline.At), tag))
	default:
		line("Due:       %s", a.Response.Label(tag))
	}
	line("Delivered: %s", clock(a.Delivery.At, tag))
	line("To:        %s", a.Delivery.To)
	line("Channel:   %s", p.Sprintf("channel:"+string(a.Delivery.Channel)))
	if len(a.Delivery.Items) > 0 {
		items := make([]string, len(a.Delivery.Items))
		for i, it := range a.Delivery.Items {
			items[i] = it.Label(tag)
		}
		line("Data:      %s", strings.Join(items, ", "))
	}
	// A member's text may span lines: every line after the first is
	// indented, so that none can pass for a line of the record.
	if a.Delivery.What != "" {
		line("Content:   %s", indentLines(a.Delivery.What))
	}
	if a.Delivery.WithoutResult != "" {
		line("Answered without a technician's result: %s", indentLines(a.Delivery.WithoutResult))
	}
	line("Response time: %s (%s)", duration(a.ResponseTime), p.Sprintf("timeliness:"+string(a.Timeliness)))
	line("Recorded by %s at %s", a.AnsweredBy, clock(a.Recorded, tag))
	fmt.Fprintln(&b, evidenceText(tag, a.Clock))
	return b.String()
}

// duration writes a response time to the second: "1 h 08 min 00 s", or
// "2 d 1 h 08 min 00 s" beyond a day.
func duration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Truncate(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	s := fmt.Sprintf("%d h %02d min %02d s", d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second)
	if days > 0 {
		s = fmt.Sprintf("%d d ", days) + s
	}
	if neg {
		s = "−" + s
	}
	return s
}

// evidenceText says what the clock's evidence shows.
func evidenceText(tag language.Tag, e Evidence) string {
	p := printer(tag)
	if e.Checked.IsZero() {
		return p.Sprintf("Clock: not checked at that moment; the time is the machine's, unverified")
	}
	if e.Compliant() {
		return p.Sprintf("Clock: synchronised to the second to a traceable reference (%s), error at most %s", e.Reference, e.ErrorBound)
	}
	return p.Sprintf("Clock: NOT compliant at that moment (synchronised: %s, to the second: %s, traceable: %s)",
		p.Sprintf(yesNo(e.Synchronised)), p.Sprintf(yesNo(e.ToTheSecond)), p.Sprintf(yesNo(e.Traceable)))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// indentLines indents every line of s after the first by four spaces.
func indentLines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\n    ")
}
