package requisition

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Step is one step of a computation, with the rule that justifies it.
type Step struct {
	// What the step does, in English: "the period starts the day after the
	// order". [Step.Text] gives it in another language.
	What string `json:"what"`
	// Result of the step: a date (ISO 8601), an instant (RFC 3339), a
	// count, or a phrase in English. [Step.Text] writes it for people.
	Result string `json:"result"`
	// Source is the rule applied.
	Source provenance.Source `json:"source"`

	msg    string // catalogue key of What
	args   []any
	result any // Result as a value: a date.Date, a timesync.Timestamp, a phrase
}

// step builds a Step whose What is the message msg with args and whose
// Result is result: a date.Date, a timesync.Timestamp or a phrase.
func step(src provenance.Source, result any, msg string, args ...any) Step {
	return Step{What: localize(language.English, msg, args...), Result: dataText(result), Source: src, msg: msg, args: args, result: result}
}

// dataText writes a step's result as data: a day in ISO 8601, an
// instant in RFC 3339, a phrase as it is.
func dataText(v any) string {
	switch v := v.(type) {
	case date.Date:
		return v.String()
	case timesync.Timestamp:
		return v.String()
	}
	return fmt.Sprint(v)
}

// String returns "what: result — source", in English.
func (s Step) String() string { return s.What + ": " + s.Result + " — " + s.Source.String() }

// Text returns "what: result" in the language tag asks for (French,
// Dutch, German; English otherwise), dates and times as people read them
// in that language (timesync.DayLayout).
func (s Step) Text(tag language.Tag) string {
	if s.msg == "" {
		return s.What + ": " + s.Result
	}
	return printer(tag).Sprintf("%s: %s", localize(tag, s.msg, s.args...), localize(tag, "%s", s.result))
}

// DeadlineKind says whether a deadline is an instant.
type DeadlineKind uint8

const (
	// Fixed: the deadline is the instant At.
	Fixed DeadlineKind = iota
	// Unfixed: the law sets no instant ("real time", "immediately"): the
	// answer is due as soon as it can be given, and Steps say what that
	// means.
	Unfixed
)

// String returns "fixed" or "unfixed".
func (k DeadlineKind) String() string {
	switch k {
	case Fixed:
		return "fixed"
	case Unfixed:
		return "unfixed"
	}
	return fmt.Sprintf("DeadlineKind(%d)", uint8(k))
}

// MarshalText returns "fixed" or "unfixed".
func (k DeadlineKind) MarshalText() ([]byte, error) {
	return marshalKey(k, []DeadlineKind{Fixed, Unfixed})
}

// UnmarshalText accepts "fixed" or "unfixed".
func (k *DeadlineKind) UnmarshalText(b []byte) error {
	return unmarshalKey(k, b, []DeadlineKind{Fixed, Unfixed}, "deadline kind")
}

// Deadline is a computed time limit with the steps and citations that
// produced it, so that a cell member can show a judge how it was reached.
type Deadline struct {
	Kind DeadlineKind `json:"kind"`
	// At is the instant the limit runs out (UTC): the first instant that is
	// too late. Zero when Kind is Unfixed.
	At time.Time `json:"at,omitzero"`
	// LastDay is the last Brussels calendar day still within the limit, for
	// limits counted in days or months; zero for limits in hours.
	LastDay date.Date `json:"last_day,omitzero"`
	// Rule names the rule that produced the deadline.
	Rule string `json:"rule"`
	// Steps explain the computation, in order.
	Steps []Step `json:"steps"`

	// label is Rule's translatable name: a ResponseKind, a MonthRule or a
	// phrase.
	label labelled
}

// String returns the deadline in Brussels time, or "no fixed instant".
func (d Deadline) String() string {
	if d.Kind == Unfixed {
		return "no fixed instant (" + d.Rule + ")"
	}
	return timesync.FromTime(d.At).String()
}

// Text returns the deadline in the language tag asks for: its instant in
// Brussels as people read it in that language ([timesync.Timestamp.Display]),
// or, for an unfixed deadline, "no fixed instant" and its rule ("no fixed
// instant (immediately)").
func (d Deadline) Text(tag language.Tag) string {
	if d.Kind == Fixed {
		return timesync.FromTime(d.At).Display(tag)
	}
	var rule labelled = phrase(d.Rule)
	if d.label != nil {
		rule = d.label
	}
	return localize(tag, "no fixed instant (%s)", rule)
}

// Explain returns the steps in English with their sources, one per line.
func (d Deadline) Explain() string {
	var b strings.Builder
	for i, s := range d.Steps {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	return b.String()
}

// ExplainIn returns the steps in the language tag asks for, one per line,
// each followed by its source as that language cites it
// (internal/i18n's Cite: the edition note, in English, only in English).
func (d Deadline) ExplainIn(tag language.Tag) string {
	var b strings.Builder
	for i, s := range d.Steps {
		fmt.Fprintf(&b, "%d. %s — %s\n", i+1, s.Text(tag), messages().Cite(tag, s.Source))
	}
	return b.String()
}

// Before reports whether t is still within the deadline: strictly before At
// for a fixed deadline; always true for an unfixed one, which can only be
// judged by whether the answer was given without delay.
func (d Deadline) Before(t time.Time) bool { return d.Kind == Unfixed || t.Before(d.At) }

// MonthRule is how a period of months is counted. Belgian practice counts a
// period from the day after the act and, for months, "de quantième à veille
// de quantième" (Code judiciaire arts. 52-54). Whether that civil-procedure
// rule governs an order under art. 88bis of the Code d'instruction
// criminelle is not settled in our sources: Code judiciaire art. 48 limits
// arts. 52-53 to procedural acts (fact sheet §5). So the rule is a value the
// caller chooses, and every result names it.
type MonthRule uint8

const (
	// FromNextDay, the default, counts as Code judiciaire arts. 52-54 do:
	// the day of the order is not counted (dies a quo non computatur, art.
	// 52 [V]); the period starts the next day and ends the day before the
	// same day-of-month n months later ("de quantième à veille de
	// quantième", art. 54 [U]: its wording was not verified; the worked
	// examples come from a secondary source). Order served 30 June: the
	// period starts 1 July, one month ends 31 July; served 29 June: it
	// ends 29 July. Where the end month has no such day (a start on 31
	// January, one month), the period ends on that month's last day.
	FromNextDay MonthRule = iota
	// FromOrderDay is the stricter reading: the order's own day is the
	// first day, and the period ends the day before the order's
	// day-of-month n months later. Order of 30 June, one month: last day
	// 29 July. It is never later than FromNextDay.
	FromOrderDay
)

// String names the rule.
func (r MonthRule) String() string {
	switch r {
	case FromNextDay:
		return "months from the next day, quantième to veille de quantième"
	case FromOrderDay:
		return "months from the order's day, to the veille of its quantième"
	}
	return fmt.Sprintf("MonthRule(%d)", uint8(r))
}

func monthRules() []MonthRule { return []MonthRule{FromNextDay, FromOrderDay} }

// key is the text form: "from-next-day" or "from-order-day".
func (r MonthRule) key() string {
	switch r {
	case FromNextDay:
		return "from-next-day"
	case FromOrderDay:
		return "from-order-day"
	}
	return fmt.Sprintf("MonthRule(%d)", uint8(r))
}

// MarshalText returns "from-next-day" or "from-order-day".
func (r MonthRule) MarshalText() ([]byte, error) {
	if !slices.Contains(monthRules(), r) {
		return nil, fmt.Errorf("%w: %v", ErrUnknownValue, r.key())
	}
	return []byte(r.key()), nil
}

// Hint says what a valid value is, for a strict decoder's message.
func (MonthRule) Hint() string { return "one of from-next-day, from-order-day" }

// UnmarshalText accepts "from-next-day" or "from-order-day".
func (r *MonthRule) UnmarshalText(b []byte) error {
	for _, v := range monthRules() {
		if v.key() == string(b) {
			*r = v
			return nil
		}
	}
	return fmt.Errorf("%w: not a month rule (want from-next-day or from-order-day)", ErrUnknownValue)
}

// Source returns the rule's legal basis.
func (r MonthRule) Source() provenance.Source {
	if r == FromOrderDay {
		return provenance.Source{Instrument: "ccjkit", Article: "stricter reading offered where Code judiciaire arts. 52-54 may not apply",
			Certainty: provenance.Unverified}
	}
	return provenance.Source{Instrument: codeJudiciaire, Article: "arts. 52-54", Certainty: provenance.Unverified,
		Edition: "art. 52 [V]; art. 54 wording not verified, worked examples from a secondary source",
		URL:     "http://wordscope.be/francais/neerlandais/qui+donnent+cours.html"}
}

// ErrInvalidPeriod is returned for a period that cannot be counted (a
// negative number of months, an unknown MonthRule).
var ErrInvalidPeriod = errors.New("requisition: invalid period")

// LastDay returns the last day of a period of n months (1 to 1200) that
// starts with an order made on day ordered (years 1 to 9999, and the period
// must end by 9999), and the steps taken.
func (r MonthRule) LastDay(ordered date.Date, n int) (date.Date, []Step, error) {
	if n < 1 || n > 1200 {
		return 0, nil, fmt.Errorf("%w: %d months (1 to 1200)", ErrInvalidPeriod, n)
	}
	if y := ordered.Year(); y < 1 || y > 9999 || ordered > date.New(9999, time.December, 31)-date.Date(31*(n+1)) {
		return 0, nil, fmt.Errorf("%w: the period must fall within the years 1 to 9999", ErrInvalidPeriod)
	}
	src := r.Source()
	var start date.Date
	var steps []Step
	switch r {
	case FromNextDay:
		start = ordered + 1
		steps = append(steps, step(src, start, "the day of the order is not counted; the period starts the next day"))
	case FromOrderDay:
		start = ordered
		steps = append(steps, step(src, start, "the day of the order is the first day of the period"))
	default:
		return 0, nil, fmt.Errorf("%w: %v", ErrInvalidPeriod, r)
	}
	y, m, d := start.Date()
	// The month n months on, counted on the calendar (not time.AddDate,
	// which would overflow 31 January + 1 month into March).
	total := int(m) - 1 + n
	ey, em := y+total/12, time.Month(total%12+1)
	lastOfMonth := date.New(ey, em+1, 1) - 1
	if d > lastOfMonth.Day() {
		steps = append(steps, step(src, lastOfMonth, "%[1]d {1:month|months} on, %[2]s has no day %[3]d: the period ends on that month's last day", n, yearMonth{ey, em}, d))
		return lastOfMonth, steps, nil
	}
	same := date.New(ey, em, d)
	last := same - 1
	steps = append(steps, step(src, last, "%[1]d {1:month|months} on is %[2]v; the period ends the day before (veille de quantième)", n, same))
	return last, steps, nil
}

// ValidityEnd returns until when a measure ordered at instant ordered for n
// months remains valid under rule: 24:00 Brussels time on the period's last
// day. Art. 88bis §1 of the Code d'instruction criminelle limits a tracing
// or localisation order to "deux mois à dater de l'ordonnance, sans
// préjudice de renouvellement" (text before 2016 [V]); the same counting
// serves any period in months.
func ValidityEnd(ordered time.Time, n int, rule MonthRule) (Deadline, error) {
	if ordered.IsZero() {
		return Deadline{}, fmt.Errorf("%w: the order has no date", ErrInvalidPeriod)
	}
	day := timesync.Day(ordered)
	steps := []Step{step(technical("an order's day is its calendar day in Belgian civil time"),
		day, "the order is dated, in Belgian civil time")}
	last, more, err := rule.LastDay(day, n)
	if err != nil {
		return Deadline{}, err
	}
	end := timesync.DayEnd(last)
	steps = append(steps, more...)
	steps = append(steps, step(rule.Source(), timesync.FromTime(end), "the period runs to the end of its last day, 24:00 Brussels time"))
	return Deadline{Kind: Fixed, At: end, LastDay: last, Rule: rule.String(), Steps: steps, label: rule}, nil
}

// ConfirmationHours is the time within which the juge d'instruction must
// confirm a tracing or localisation measure the procureur du Roi ordered in
// flagrant délit: "dans les vingt-quatre heures" (Code d'instruction
// criminelle art. 88bis §1 al. 5, text before 2016 [V]).
const ConfirmationHours = 24

// ConfirmationSource returns the legal basis of [ConfirmationDue].
func ConfirmationSource() provenance.Source {
	return provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88bis §1 al. 5", Edition: pre2016,
		Certainty: provenance.Verified, URL: seedURL, Until: Law2016RetentionInForce()}
}

// ConfirmationDue returns when the juge d'instruction's confirmation of a
// flagrant-délit order made at instant ordered is due: 24 elapsed hours
// later, by the text before 2016; its steps cite the edition in force on
// the order's day ([Edition]), [U] for an order after the laws of 2016. Hours are real hours: across the October change 24 hours end at
// 11:00 wall-clock time for an order at 12:00, across the March change at
// 13:00. (For the offences of Penal Code arts. 347bis and 470 no
// confirmation is needed while the flagrant délit lasts; that is decided by
// the order's validation, not here.)
func ConfirmationDue(ordered time.Time) Deadline {
	due := ordered.UTC().Add(ConfirmationHours * time.Hour)
	// The rule of the text in force on the day of the order: for an order
	// after the laws of 2016, an [U] edition (see [Edition]).
	src := Edition(ConfirmationSource(), timesync.Day(ordered))
	return Deadline{
		Kind: Fixed, At: due, Rule: "confirmation within 24 hours", label: phrase("confirmation within 24 hours"),
		Steps: []Step{
			step(src, timesync.FromTime(ordered), "the order was made"),
			step(src, timesync.FromTime(due), "24 elapsed hours later, whatever the wall clock does"),
		},
	}
}
