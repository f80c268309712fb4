package paging

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
)

// Duration is a length of elapsed time in a policy file, written as Go
// writes durations: "10m", "1h30m", "5s".
type Duration time.Duration

// String writes the duration as time.Duration does, without the zero
// units it leaves at the end: "10m", "1h30m", "2h", "1.5s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MarshalText writes Duration.String.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a duration of time.ParseDuration's form that is not
// negative.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil || v < 0 {
		return fmt.Errorf("%w: not a duration such as 10m or 1h30m", ErrPolicy)
	}
	*d = Duration(v)
	return nil
}

// Hint says what a valid value is, for a strict decoder's message.
func (Duration) Hint() string { return `a duration such as "10m" or "1h30m"` }

// Policy is how the cell is paged, as data a cell keeps in a file
// (DecodePolicy): how long the member paged has to acknowledge before the
// next is paged, by day and at night; when the night is; when deadline
// reminders go out; how a channel is retried; how long an acknowledgement
// code is valid. DefaultPolicy gives every value with its reason; none is
// a legal figure (the law sets no time to acknowledge), all are ccjkit's
// technical choices [T] for a cell to change.
type Policy struct {
	// AckByDay and AckAtNight are how long the member paged has to
	// acknowledge before the next step is paged, in elapsed time, by day
	// and at night (NightFrom to NightUntil, Brussels wall clock, judged
	// at the instant the member was paged).
	AckByDay   Duration `json:"ack_by_day"`
	AckAtNight Duration `json:"ack_at_night"`
	// NightFrom and NightUntil are the night, "hh:mm" on the Brussels wall
	// clock, NightFrom included and NightUntil excluded; a night that
	// crosses midnight has NightFrom after NightUntil.
	NightFrom  string `json:"night_from"`
	NightUntil string `json:"night_until"`
	// Reminders are the percentages of the time between receipt and the
	// deadline at which a reminder is paged, increasing, 1 to 99; empty
	// for none.
	Reminders []int `json:"reminders"`
	// UrgentWithin is the longest time between receipt and deadline that
	// makes a case Urgent (Policy.Classify).
	UrgentWithin Duration `json:"urgent_within"`
	// CodeValid is how long an acknowledgement code is accepted after its
	// page (CheckCode's valid).
	CodeValid Duration `json:"code_valid"`
	// Retry is how each channel is tried.
	Retry Retry `json:"retry"`
	// Language is the pages' language: fr, nl, de or en.
	Language string `json:"language"`
}

// Bounds of a policy's values, Policy.Check's.
const (
	MinAck          = time.Minute
	MaxAck          = 2 * time.Hour
	MaxReminders    = 10
	MaxAttempts     = 10
	MinFirst        = 100 * time.Millisecond
	MaxFirst        = 5 * time.Minute
	MaxCap          = 10 * time.Minute
	MinTimeout      = time.Second
	MaxTimeout      = 5 * time.Minute
	MinCodeValid    = 5 * time.Minute
	MaxCodeValid    = 48 * time.Hour
	MinUrgentWithin = time.Hour
	MaxUrgentWithin = 30 * 24 * time.Hour
)

// DefaultPolicy returns ccjkit's policy, each value a choice [T]:
//
//   - ack_by_day 10m: by day the member on call is at work or on the way,
//     the phone in a pocket; ten minutes is time to notice it and reach a
//     laptop, and a cell of a primary, a backup and one name on its
//     escalation list has paged everyone within 30 minutes.
//   - ack_at_night 5m: a page at night rings (ntfy priority 5, an SMS, a
//     Matrix mention); a member it wakes answers within minutes, and one it
//     did not wake (asleep through it, phone on silent) will not answer
//     later, so waiting longer only delays the backup.
//   - night_from 22:00, night_until 07:00: the usual hours of sleep, on
//     the Brussels wall clock (a night across the October change lasts
//     ten elapsed hours, across the March change eight).
//   - reminders 50, 80, 95: halfway, a check that the work is on track;
//     at 80 % time is left to act; at 95 % the last call.
//   - urgent_within 24h: an answer due within a day of receipt is urgent.
//   - code_valid 2h: longer than an escalation through a cell of a dozen
//     members by day; each later page carries a code of its own.
//   - retry: 3 attempts per channel, waits of 5 s then 10 s (factor 2, at
//     most 1 min), 15 s per attempt: a channel that stays down costs at
//     most a minute, so a member's three channels are all tried within
//     three minutes — inside the night's five, before the next step.
//   - language en: the fallback of every catalogue; a cell sets its own.
func DefaultPolicy() Policy {
	return Policy{
		AckByDay: Duration(10 * time.Minute), AckAtNight: Duration(5 * time.Minute),
		NightFrom: "22:00", NightUntil: "07:00",
		Reminders:    []int{50, 80, 95},
		UrgentWithin: Duration(24 * time.Hour),
		CodeValid:    Duration(2 * time.Hour),
		Retry:        Retry{Attempts: 3, First: Duration(5 * time.Second), Factor: 2, Cap: Duration(time.Minute), Timeout: Duration(15 * time.Second)},
		Language:     "en",
	}
}

// MaxEncodedPolicy bounds the policy file DecodePolicy reads.
const MaxEncodedPolicy = 64 << 10

var policyFormat = strictjson.Format{What: "paging: policy", Name: "paging policy JSON encoding", Err: ErrPolicy, Max: MaxEncodedPolicy, PlainText: true}

// DecodePolicy reads a policy file strictly (package strictjson: at most
// MaxEncodedPolicy bytes, no unknown or duplicate field, no null, values of
// the right type, no control character) and checks it (Policy.Check).
// A field left out takes DefaultPolicy's value; "reminders": [] means no
// reminders. Every problem is listed in one *provenance.Problems wrapping
// ErrPolicy.
func DecodePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := policyFormat.Decode(data, &p); err != nil {
		return Policy{}, err
	}
	p = p.withDefaults()
	if err := p.Check(); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// withDefaults fills the fields left at their zero value with
// DefaultPolicy's.
func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	set := func(v *Duration, def Duration) {
		if *v == 0 {
			*v = def
		}
	}
	set(&p.AckByDay, d.AckByDay)
	set(&p.AckAtNight, d.AckAtNight)
	set(&p.UrgentWithin, d.UrgentWithin)
	set(&p.CodeValid, d.CodeValid)
	set(&p.Retry.First, d.Retry.First)
	set(&p.Retry.Cap, d.Retry.Cap)
	set(&p.Retry.Timeout, d.Retry.Timeout)
	if p.Retry.Attempts == 0 {
		p.Retry.Attempts = d.Retry.Attempts
	}
	if p.Retry.Factor == 0 {
		p.Retry.Factor = d.Retry.Factor
	}
	if p.NightFrom == "" {
		p.NightFrom = d.NightFrom
	}
	if p.NightUntil == "" {
		p.NightUntil = d.NightUntil
	}
	if p.Reminders == nil {
		p.Reminders = d.Reminders
	}
	if p.Language == "" {
		p.Language = d.Language
	}
	return p
}

// Check returns a *provenance.Problems (What "paging: policy") listing
// every error among Policy.Validate's findings, or nil.
func (p Policy) Check() error { return provenance.Check("paging: policy", p.Validate()) }

// Validate returns every finding about the policy: each value outside its
// bounds (the Min and Max constants) is an error wrapping ErrPolicy, with
// the JSON field at fault; a retry that may take longer to try three
// channels than the night's delay to acknowledge is a warning.
func (p Policy) Validate() []provenance.Finding {
	var out []provenance.Finding
	add := func(sev provenance.Severity, field, key string, args ...any) {
		f := provenance.Finding{Rule: "paging-policy", Severity: sev, Field: field, Source: provenance.Rule("paging policy"), Message: msg{key, args}}
		if sev == provenance.Error {
			f.Err = ErrPolicy
		}
		out = append(out, f)
	}
	between := func(field string, v Duration, lo, hi time.Duration, key string) {
		if time.Duration(v) < lo || time.Duration(v) > hi {
			add(provenance.Error, field, key, Duration(lo), Duration(hi))
		}
	}
	between("ack_by_day", p.AckByDay, MinAck, MaxAck, "the delay to acknowledge is not between %[1]s and %[2]s")
	between("ack_at_night", p.AckAtNight, MinAck, MaxAck, "the delay to acknowledge is not between %[1]s and %[2]s")
	from, ok1 := hhmm(p.NightFrom)
	until, ok2 := hhmm(p.NightUntil)
	if !ok1 || !ok2 || from == until {
		add(provenance.Error, "night_from", "the night's start or end is not a time hh:mm, or they are equal")
	}
	if len(p.Reminders) > MaxReminders || !increasing(p.Reminders) {
		add(provenance.Error, "reminders", "the reminders are not percentages from 1 to 99 in increasing order, at most %[1]d", MaxReminders)
	}
	between("urgent_within", p.UrgentWithin, MinUrgentWithin, MaxUrgentWithin, "the limit of an urgent deadline is not between %[1]s and %[2]s")
	between("code_valid", p.CodeValid, MinCodeValid, MaxCodeValid, "an acknowledgement code's validity is not between %[1]s and %[2]s")
	r := p.Retry
	retryOK := true
	if r.Attempts < 1 || r.Attempts > MaxAttempts {
		add(provenance.Error, "retry.attempts", "the attempts per channel are not from 1 to %[1]d", MaxAttempts)
		retryOK = false
	}
	if time.Duration(r.First) < MinFirst || time.Duration(r.First) > MaxFirst {
		add(provenance.Error, "retry.first", "the first wait between attempts is not between %[1]s and %[2]s", Duration(MinFirst), Duration(MaxFirst))
		retryOK = false
	}
	if !(r.Factor >= 1 && r.Factor <= 10) {
		add(provenance.Error, "retry.factor", "the factor between waits is not from 1 to 10")
		retryOK = false
	}
	if r.Cap < r.First || time.Duration(r.Cap) > MaxCap {
		add(provenance.Error, "retry.cap", "the longest wait is not between the first wait and %[1]s", Duration(MaxCap))
		retryOK = false
	}
	if time.Duration(r.Timeout) < MinTimeout || time.Duration(r.Timeout) > MaxTimeout {
		add(provenance.Error, "retry.timeout", "the time given to one attempt is not between %[1]s and %[2]s", Duration(MinTimeout), Duration(MaxTimeout))
		retryOK = false
	}
	if _, ok := pageLanguage(p.Language); !ok {
		add(provenance.Error, "language", "the language is not one of %[1]s", "fr, nl, de, en")
	}
	if retryOK && 3*r.Worst() > time.Duration(p.AckAtNight) {
		add(provenance.Warning, "retry", "trying every channel of a member (%[1]s for three) may take longer than the night's delay to acknowledge (%[2]s): the next step would be paged before the last channel is tried",
			Duration(3*r.Worst()), p.AckAtNight)
	}
	return out
}

// Lang returns the pages' language tag: Language's, English when it is
// not one of the four.
func (p Policy) Lang() language.Tag {
	t, _ := pageLanguage(p.Language)
	return t
}

func pageLanguage(s string) (language.Tag, bool) {
	switch s {
	case "fr":
		return language.French, true
	case "nl":
		return language.Dutch, true
	case "de":
		return language.German, true
	case "en":
		return language.English, true
	}
	return language.English, false
}

// Night reports whether instant t is at night by the policy: its Brussels
// wall-clock time is from NightFrom included to NightUntil excluded. Both
// occurrences of the repeated October hour are read by their wall clock.
func (p Policy) Night(t time.Time) bool {
	from, ok1 := hhmm(p.NightFrom)
	until, ok2 := hhmm(p.NightUntil)
	if !ok1 || !ok2 {
		from, _ = hhmm(DefaultPolicy().NightFrom)
		until, _ = hhmm(DefaultPolicy().NightUntil)
	}
	local := t.In(timesync.Brussels())
	m := local.Hour()*60 + local.Minute()
	if from < until {
		return from <= m && m < until
	}
	return m >= from || m < until
}

// AckDelay returns how long a member paged at t has to acknowledge:
// AckAtNight when t is at night, AckByDay otherwise.
func (p Policy) AckDelay(t time.Time) time.Duration {
	if p.Night(t) {
		return time.Duration(p.AckAtNight)
	}
	return time.Duration(p.AckByDay)
}

// Classify returns the deadline class of a case received at received and
// due at due: Unread when due is zero (the deadline is not known yet),
// Urgent when it falls within UrgentWithin of receipt, Ordinary otherwise.
func (p Policy) Classify(received, due time.Time) Class {
	switch {
	case due.IsZero():
		return Unread
	case due.Sub(received) <= time.Duration(p.UrgentWithin):
		return Urgent
	}
	return Ordinary
}

// hhmm reads "hh:mm" into minutes after midnight.
func hhmm(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, false
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

func increasing(ps []int) bool {
	for i, v := range ps {
		if v < 1 || v > 99 || (i > 0 && v <= ps[i-1]) {
			return false
		}
	}
	return true
}

// msg is a finding's text: a key of the package's catalogue and its
// arguments, translated when read (provenance.Message).
type msg struct {
	key  string
	args []any
}

// Text returns the message in the language tag asks for.
func (m msg) Text(tag language.Tag) string { return messages().Printer(tag).Sprintf(m.key, m.args...) }
