package paging

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Condition is what a cell alert is about: one of the cell's standing
// duties that a watch checks and finds failing. An alert is paged, escalated
// and acknowledged like a request (its CaseID is AlertID's), but concerns
// no request: its page names the condition and when it began, nothing else.
type Condition uint8

// The conditions a watch checks.
const (
	// ClockCondition: this machine's clock cannot be vouched for to the
	// second (no time source answered, or the verdict is not compliant):
	// the times the cell records and reports would be undefended.
	ClockCondition Condition = iota + 1
	// RegisterCondition: the register does not verify, or cannot be read.
	RegisterCondition
	// RotaCondition: the rota leaves a gap — nobody eligible on call —
	// within the horizon the watch checks.
	RotaCondition
	// AdviceCondition: a member's security advice expires within the
	// renewal notice (or has expired).
	AdviceCondition
	// RetentionCondition: retention housekeeping (a scheduled purge or
	// check) failed, so data may be kept past its period or be damaged.
	RetentionCondition
)

var conditionKeys = []string{"", "clock", "register", "rota", "advice", "retention"}

// Conditions returns every Condition, in order.
func Conditions() []Condition {
	out := make([]Condition, 0, len(conditionKeys)-1)
	for i := 1; i < len(conditionKeys); i++ {
		out = append(out, Condition(i))
	}
	return out
}

// String returns the condition's key: clock, register, rota, advice or
// retention.
func (c Condition) String() string {
	if c != 0 && int(c) < len(conditionKeys) {
		return conditionKeys[c]
	}
	return "condition(" + strconv.Itoa(int(c)) + ")"
}

// MarshalText returns the condition's key; the zero or an unknown
// Condition is an error.
func (c Condition) MarshalText() ([]byte, error) {
	if c == 0 || int(c) >= len(conditionKeys) {
		return nil, fmt.Errorf("%w: unknown alert condition %d", ErrPage, c)
	}
	return []byte(conditionKeys[c]), nil
}

// UnmarshalText reads a condition's key.
func (c *Condition) UnmarshalText(b []byte) error {
	v, ok := conditionOf(string(b))
	if !ok {
		return fmt.Errorf("%w: not an alert condition (want one of %s)", ErrPage, strings.Join(conditionKeys[1:], ", "))
	}
	*c = v
	return nil
}

func conditionOf(key string) (Condition, bool) {
	for i, k := range conditionKeys {
		if i > 0 && k == key {
			return Condition(i), true
		}
	}
	return 0, false
}

// alertStamp is the form of an alert's start in its ID: UTC, to the
// second, without separators (so that the ID is one word to type).
const alertStamp = "20060102T150405Z"

// AlertID returns the CaseID of the alert about c that began at since:
// "W-clock-20261206T011003Z", the condition and its start in UTC to the
// second. One episode of a condition — from when a watch first found it
// to when it found it gone — is one alert; the zero CaseID for an unknown
// condition or a zero instant.
func AlertID(c Condition, since time.Time) CaseID {
	if c == 0 || int(c) >= len(conditionKeys) || since.IsZero() {
		return CaseID{}
	}
	return CaseID{"W-" + conditionKeys[c] + "-" + since.UTC().Format(alertStamp)}
}

// Alert reports whether c names an alert (AlertID), its condition and
// when it began.
func (c CaseID) Alert() (Condition, time.Time, bool) {
	return parseAlert(c.s)
}

func parseAlert(s string) (Condition, time.Time, bool) {
	rest, ok := strings.CutPrefix(s, "W-")
	if !ok {
		return 0, time.Time{}, false
	}
	key, stamp, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, time.Time{}, false
	}
	cond, ok := conditionOf(key)
	if !ok {
		return 0, time.Time{}, false
	}
	t, err := time.Parse(alertStamp, stamp)
	if err != nil || t.Format(alertStamp) != stamp {
		return 0, time.Time{}, false
	}
	return cond, t, true
}

// AlertRecordType is the register type of an AlertRecord.
const AlertRecordType = "alert"

// AlertRecord is what a watch records of an alert: that it began (Cleared
// zero), or that the watch found its condition gone (Cleared set), which
// ends its escalation. An alert's pages are Records like a request's,
// under the alert's CaseID.
type AlertRecord struct {
	// Alert is the alert's ID (AlertID).
	Alert CaseID `json:"alert"`
	// Cleared is when the watch found the condition gone; zero in the
	// record that opens the alert.
	Cleared time.Time `json:"cleared,omitzero"`
}

// Check returns an error wrapping ErrRecord when r names no alert, or
// says it cleared before it began.
func (r AlertRecord) Check() error {
	_, since, ok := r.Alert.Alert()
	switch {
	case !ok:
		return fmt.Errorf("%w: an alert record names no alert (W-condition-start)", ErrRecord)
	case !r.Cleared.IsZero() && r.Cleared.Before(since):
		return fmt.Errorf("%w: an alert cleared before it began", ErrRecord)
	}
	return nil
}

// DecodeAlertRecord reads an AlertRecord from a submission's data,
// strictly (no unknown field, nothing after it), and checks it.
func DecodeAlertRecord(data []byte) (AlertRecord, error) {
	var r AlertRecord
	if err := decodeStrict(data, &r); err != nil {
		return AlertRecord{}, err
	}
	if err := r.Check(); err != nil {
		return AlertRecord{}, err
	}
	return r, nil
}

// Alerts folds a register's alert records into the alerts they open and
// clear: every alert opened, with its clearing instant (zero while it
// holds), in the order they began. A record that fails Check is skipped;
// a second clearing keeps the first. A watch clears an alert at
// ClearAt, never before its start: a clock alert opened while the clock
// ran ahead clears once chronyd has stepped it back.
func Alerts(records []AlertRecord) []Alert {
	var out []Alert
	at := map[CaseID]int{}
	for _, r := range records {
		if r.Check() != nil {
			continue
		}
		i, seen := at[r.Alert]
		if !seen {
			cond, since, _ := r.Alert.Alert()
			at[r.Alert] = len(out)
			out = append(out, Alert{ID: r.Alert, Condition: cond, Since: since})
			i = len(out) - 1
		}
		if !r.Cleared.IsZero() && out[i].Cleared.IsZero() {
			out[i].Cleared = r.Cleared
		}
	}
	return out
}

// ClearAt is the instant a watch records as the clearing of alert id at
// now: now, or the alert's start when now is before it (the clock was
// stepped back since the alert opened, as it is when a clock that ran
// ahead is corrected).
func ClearAt(id CaseID, now time.Time) time.Time {
	if _, since, ok := id.Alert(); ok && now.Before(since) {
		return since
	}
	return now
}

// Alert is one episode of a condition, as the register's alert records
// tell it.
type Alert struct {
	// ID is the alert's CaseID.
	ID CaseID
	// Condition is what failed.
	Condition Condition
	// Since is when a watch first found it.
	Since time.Time
	// Cleared is when a watch found it gone; zero while it holds.
	Cleared time.Time
}

// Open reports whether the alert still holds.
func (a Alert) Open() bool { return a.Cleared.IsZero() }

// Intake returns what the escalation state machine (Next) is given for
// the alert: its ID, its start as the receipt, and the Unread class (an
// alert is paged as urgent; it has no deadline, so no reminder).
func (a Alert) Intake() Intake {
	return Intake{Case: a.ID, Received: a.Since, Class: Unread}
}

// Events returns the alert's escalation events: its pages and
// acknowledgements (Events), and Closed when it cleared.
func (a Alert) Events(records []Record, acks []Ack) []Event {
	ev := Events(a.ID, records, acks)
	if !a.Cleared.IsZero() {
		ev = append(ev, Event{Kind: Closed, At: a.Cleared})
	}
	return ev
}

// conditionTexts are each condition's short name in a page's title and
// its sentence in a page's text (what failed, what to check), as the
// catalogue's English keys.
var conditionTexts = [...][2]string{
	ClockCondition:     {"clock not vouched for", "the cell's clock cannot be vouched for to the second; check chrony (clockcheck)."},
	RegisterCondition:  {"register does not verify", "the register does not verify or cannot be read; see the recovery procedure."},
	RotaCondition:      {"gap in the rota", "nobody is on call for part of the coming days; complete the rota."},
	AdviceCondition:    {"security advice expiring", "a member's security advice expires soon; start its renewal."},
	RetentionCondition: {"retention housekeeping failed", "a scheduled purge or check of retained data failed; data may be kept past its period."},
}

// title is the condition's short name in a page's title.
func (c Condition) title(p Page) string {
	if c == 0 || int(c) >= len(conditionTexts) {
		return c.String()
	}
	return messages().Printer(p.Lang).Sprintf(conditionTexts[c][0])
}

// text is what failed and what to check, in a page's text.
func (c Condition) text(p Page) string {
	if c == 0 || int(c) >= len(conditionTexts) {
		return c.String()
	}
	return messages().Printer(p.Lang).Sprintf(conditionTexts[c][1])
}
