package ccj

import "errors"

// Sentinel errors, for errors.Is. Every error a function of this package
// returns wraps one of them.
//
// The checks that can find several things wrong at once — [DecodeCell],
// [Cell.Check], [Expand], [Cell.Expand] and [Cell.ReadICalendar] (and
// [Cell.ImportICalendar], for a calendar it cannot read at all) — return a
// *provenance.Problems listing every problem, not only the first: each
// finding's Field is the JSON path of the record at fault
// ("patterns[2].end", "members[1].id", "events[4]"), its Err one of these
// sentinels and its Source the rule's. Their texts name the field, never
// a value of the input that names no member (a name typed in a calendar,
// an unknown identifier).
var (
	// ErrDecode: a cell file is not JSON of the form [DecodeCell] reads.
	ErrDecode = errors.New("ccj: cannot decode the cell")
	// ErrMember: the cell has no member, or a member's record is wrong:
	// an identifier missing, malformed or shared, or a channel, role,
	// residence or advice that is not well formed.
	ErrMember = errors.New("ccj: invalid member record")
	// ErrRota: a shift or the escalation list is malformed or names
	// someone who is not a member of the cell.
	ErrRota = errors.New("ccj: invalid rota")
	// ErrPattern: a rota pattern is malformed, names someone who is not a
	// member, or falls on a time that does not exist in Brussels.
	ErrPattern = errors.New("ccj: invalid rota pattern")
	// ErrWindow: a window to expand patterns over, or to export, ends
	// before it starts or is longer than [MaxExpandDays]; or a month to
	// draw is not one ccjkit places in Brussels time.
	ErrWindow = errors.New("ccj: invalid expansion window")
	// ErrICalendar: a calendar cannot be mapped to shifts, or shifts to a
	// calendar.
	ErrICalendar = errors.New("ccj: calendar cannot be mapped to shifts")
	// ErrWrite wraps the writer's error when a sheet or calendar cannot be
	// written; errors.Is finds the writer's error too.
	ErrWrite = errors.New("ccj: cannot write")
	// ErrCompliance is the sentinel of the error-severity findings of
	// [Cell.Report] about the regulator's rules (establishment, advices,
	// coverage, contact sheet, procedure, platform), for a caller that
	// turns a report into an error with provenance.Check.
	ErrCompliance = errors.New("ccj: rule not met")
)

// What a *provenance.Problems of this package says was judged.
const (
	whatCell     = "ccj: cell"
	whatFile     = "ccj: cell file"
	whatPatterns = "ccj: patterns"
	whatCalendar = "ccj: calendar"
)
