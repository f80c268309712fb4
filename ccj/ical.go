package ccj

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// The non-standard properties that carry member IDs through a calendar.
const (
	propPrimary = "X-CCJKIT-PRIMARY"
	propBackup  = "X-CCJKIT-BACKUP"
	tzid        = timesync.ZoneName
	icalLocal   = "20060102T150405"
)

// DefaultAlarm is how long before each shift the alarm of an exported
// calendar fires, unless [Export] says otherwise: a quarter of an hour to
// get to a charged phone and a laptop [T].
const DefaultAlarm = 15 * time.Minute

// MaxAlarm is the longest an alarm may fire before its shift: a day.
const MaxAlarm = 24 * time.Hour

// Export says what [Cell.ExportICalendar] writes.
type Export struct {
	// From and Until are the window, [From, Until): every shift that
	// overlaps it is written — a night shift that started before From
	// included — whether one of the cell's own shifts or a pattern's. The
	// window's Brussels days span at most [MaxExpandDays].
	From, Until time.Time
	// Stamp is every event's DTSTAMP: when the calendar is made, from the
	// caller's clock. It is required.
	Stamp time.Time
	// Alarm is how long before each shift its alarm (VALARM, a display
	// alarm) fires, at most [MaxAlarm]; zero means [DefaultAlarm], a
	// negative duration writes no alarm.
	Alarm time.Duration
	// OrganizerEmail is the e-mail address of the cell, written as the
	// ORGANIZER of the events. RFC 5545 §3.8.4.3 requires an organizer in
	// an event that names attendees; when this is empty, the member on
	// call organises their own shift (the first attendee's address).
	OrganizerEmail string
	// Lang is the language of the events' descriptions: French, Dutch,
	// German, or English (also for the zero Tag).
	Lang language.Tag
}

// ExportICalendar writes the rota over the window [e.From, e.Until) as an
// RFC 5545 calendar members import on their phones, or subscribe to: the
// cell's shifts and its patterns' shifts that overlap the window, in
// order of start, one VEVENT each, with
//
//   - DTSTART and DTEND in TZID=Europe/Brussels wall time and a matching
//     VTIMEZONE (the EU rule: last Sundays of March and October); a start
//     or end in the second occurrence of the repeated autumn hour is
//     written in UTC, since RFC 5545 §3.3.5 reads an ambiguous local time
//     as the first occurrence;
//   - SUMMARY "CCJ: primary / backup" (names) and the member IDs in
//     X-CCJKIT-PRIMARY and X-CCJKIT-BACKUP, which [Cell.ImportICalendar]
//     reads back;
//   - DESCRIPTION: who is on call and the backup with their phones, then
//     the escalation list in order (members with a valid security advice
//     on the shift's first day), then NTSU-CTIF's duty desk
//     ([NTSUDutyPhone]), in e.Lang;
//   - ATTENDEE for the primary (ROLE=REQ-PARTICIPANT) and the backup
//     (ROLE=OPT-PARTICIPANT), accepted, no reply asked, at the address
//     their [Contact] gives (mailto: the e-mail, else tel: the phone; a
//     member with neither is named in the summary only), and an ORGANIZER
//     (see [Export.OrganizerEmail]). There is no METHOD: iTIP's PUBLISH
//     (RFC 5546 §3.2.1) forbids attendees, and the file is a calendar,
//     not a scheduling message;
//   - a VALARM e.Alarm before the start.
//
// Every event's UID is stable: the same shift has the same UID in every
// export, whatever the window, so that importing the next export updates
// the events a phone already holds instead of adding them again. It is
// derived from the cell's name, the primary's member ID and the start
// instant — 32 hexadecimal digits of their SHA-256 ([ShiftUID]) — and not
// from the shift's place in the window or the pattern's place in the cell
// file: a shift written out as a one-off shift ([Cell.Expand]) keeps the
// UID it had as a pattern's, and a change of backup or of the end updates
// the event. A shift given to another primary is another event: a
// calendar subscribed to the export drops the earlier one, but one that
// imported it keeps it until deleted. The same shift twice (a one-off
// shift that repeats a pattern's) is written once; two different shifts
// of one primary starting at the same instant would share a UID, and are
// an error.
//
// A window that does not end after it starts, or spans more than
// [MaxExpandDays], is an error wrapping [ErrWindow]; patterns that cannot
// be expanded are reported as by [Cell.Expand]; a shift that does not end
// after it starts, or has no primary, no stamp, an alarm longer than
// [MaxAlarm] or an organizer that is not an e-mail address are errors wrapping
// [ErrICalendar]. When w fails, the error wraps [ErrWrite] and w's error.
func (c Cell) ExportICalendar(w io.Writer, e Export) error {
	if !e.Until.After(e.From) {
		return fmt.Errorf("%w: it does not end after it starts", ErrWindow)
	}
	if err := checkWindow(timesync.Day(e.From), timesync.Day(e.Until)); err != nil {
		return err
	}
	ps, fs := expand(c.Patterns, timesync.Day(e.From)-longestDays, timesync.Day(e.Until))
	if err := provenance.Check(whatPatterns, fs); err != nil {
		return err
	}
	var shifts []placed
	for i, s := range c.Shifts {
		shifts = append(shifts, placed{s, origin{index: i}})
	}
	shifts = append(shifts, ps...)
	shifts = slices.DeleteFunc(shifts, func(p placed) bool { return !p.End.After(e.From) || !p.Start.Before(e.Until) })
	slices.SortStableFunc(shifts, byStart)
	return c.writeCalendar(w, shifts, e)
}

// WriteICalendar writes every shift of the cell as [Cell.ExportICalendar]
// does, with stamp as the DTSTAMP, the default alarm, descriptions in
// English and the member on call as organizer.
//
// It writes shifts: a cell with patterns is refused (an error wrapping
// [ErrICalendar]); [Cell.ExportICalendar] writes a window of a cell with
// patterns. A shift that does not end after it starts, or has no primary,
// is refused too. When w fails, the error wraps [ErrWrite] and w's error.
func (c Cell) WriteICalendar(w io.Writer, stamp time.Time) error {
	if len(c.Patterns) > 0 {
		return fmt.Errorf("%w: the cell has %d weekly patterns: export a window of them (Cell.ExportICalendar), or expand them into shifts (Cell.Expand)", ErrICalendar, len(c.Patterns))
	}
	shifts := make([]placed, len(c.Shifts))
	for i, s := range c.Shifts {
		shifts[i] = placed{s, origin{index: i}}
	}
	return c.writeCalendar(w, shifts, Export{Stamp: stamp})
}

// ShiftUID returns the UID [Cell.ExportICalendar] gives the event of a
// shift of cell cellName whose primary is primary and that starts at
// start: "ccj-" then the first 16 bytes, in hexadecimal, of the SHA-256 of
// "ccjkit rota v1", the cell's name, the primary's ID and the start as
// Unix seconds, each followed by a zero byte; then "@ccjkit". The instant
// is to the second, and does not depend on the time zone of start.
func ShiftUID(cellName, primary string, start time.Time) string {
	h := sha256.New()
	for _, part := range []string{"ccjkit rota v1", cellName, primary, strconv.FormatInt(start.Unix(), 10)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "ccj-" + hex.EncodeToString(h.Sum(nil)[:16]) + "@ccjkit"
}

// writeCalendar writes shifts, in their order, as a calendar.
func (c Cell) writeCalendar(w io.Writer, shifts []placed, e Export) error {
	if e.Stamp.IsZero() {
		return fmt.Errorf("%w: no stamp: every event needs a DTSTAMP, from the caller's clock", ErrICalendar)
	}
	alarm := e.Alarm
	switch {
	case alarm == 0:
		alarm = DefaultAlarm
	case alarm > MaxAlarm:
		return fmt.Errorf("%w: an alarm more than %v before the shift", ErrICalendar, MaxAlarm)
	}
	organizer := ""
	if e.OrganizerEmail != "" {
		if a, err := mail.ParseAddress(e.OrganizerEmail); err != nil || a.Address != e.OrganizerEmail {
			return fmt.Errorf("%w: the organizer is not an e-mail address local@domain", ErrICalendar)
		}
		organizer = "mailto:" + e.OrganizerEmail
	}
	cal := ics.NewCalendar()
	cal.SetProductId("-//ccjkit//CCJ rota//EN")
	cal.SetXWRCalName(plain(c.calendarName()))
	cal.SetXWRTimezone(tzid)
	addTimezone(cal)

	seen := map[string]placed{}
	for _, s := range shifts {
		if !s.End.After(s.Start) || s.Primary == "" {
			return fmt.Errorf("%w: %s is not a shift (it ends before it starts, or has no primary)", ErrICalendar, s.field())
		}
		if s.Backup == s.Primary {
			s.Backup = "" // a backup who is the primary is no backup
		}
		uid := ShiftUID(c.Name, s.Primary, s.Start)
		if before, ok := seen[uid]; ok {
			if before.same(s.Shift) {
				continue // the same shift twice is one event
			}
			return fmt.Errorf("%w: %s and %s give a member two different shifts starting at the same instant: make them one", ErrICalendar, before.field(), s.field())
		}
		seen[uid] = s
		c.addEvent(cal, uid, s.Shift, e.Stamp, alarm, organizer, e.Lang)
	}
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil { // RFC 5545 §3.1: CRLF
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

// addTimezone adds the VTIMEZONE of Europe/Brussels: the EU rule, in force
// since 1996.
func addTimezone(cal *ics.Calendar) {
	tz := cal.AddTimezone(tzid)
	daylight := &ics.Daylight{}
	daylight.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	daylight.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	daylight.SetProperty(ics.ComponentProperty(ics.PropertyTzname), "CEST")
	daylight.SetProperty(ics.ComponentPropertyDtStart, "19810329T020000")
	daylight.AddRrule("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	standard := tz.AddStandard()
	standard.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	standard.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	standard.SetProperty(ics.ComponentProperty(ics.PropertyTzname), "CET")
	standard.SetProperty(ics.ComponentPropertyDtStart, "19961027T030000")
	standard.AddRrule("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	tz.Components = append([]ics.Component{daylight}, tz.Components...)
}

// addEvent adds the event of shift s.
func (c Cell) addEvent(cal *ics.Calendar, uid string, s Shift, stamp time.Time, alarm time.Duration, organizer string, tag language.Tag) {
	ev := cal.AddEvent(uid)
	ev.SetDtStampTime(stamp)
	setWall(ev, ics.ComponentPropertyDtStart, s.Start)
	setWall(ev, ics.ComponentPropertyDtEnd, s.End)
	summary := "CCJ: " + c.name(s.Primary)
	if s.Backup != "" {
		summary += " / " + c.name(s.Backup)
	}
	summary = plain(summary)
	ev.SetSummary(summary)
	ev.SetDescription(c.description(s, tag))
	ev.SetProperty(ics.ComponentProperty(propPrimary), s.Primary)
	if s.Backup != "" {
		ev.SetProperty(ics.ComponentProperty(propBackup), s.Backup)
	}
	var attendees []Contact
	for _, a := range []struct {
		id   string
		role ics.ParticipationRole
	}{{s.Primary, ics.ParticipationRoleReqParticipant}, {s.Backup, ics.ParticipationRoleOptParticipant}} {
		ct, ok := c.Contact(a.id)
		if !ok {
			continue
		}
		addr := ct.calendarAddress()
		if addr == "" {
			continue
		}
		attendees = append(attendees, ct)
		ev.AddProperty(ics.ComponentPropertyAttendee, addr,
			ics.WithCN(paramText(cmp.Or(ct.Name, ct.ID))), ics.CalendarUserTypeIndividual, a.role,
			ics.ParticipationStatusAccepted, &ics.KeyValues{Key: string(ics.ParameterRsvp), Value: []string{"FALSE"}})
	}
	if len(attendees) > 0 {
		org, cn := organizer, c.calendarName()
		if org == "" {
			org, cn = attendees[0].calendarAddress(), cmp.Or(attendees[0].Name, attendees[0].ID)
		}
		ev.SetProperty(ics.ComponentPropertyOrganizer, org, ics.WithCN(paramText(cn)))
	}
	if alarm > 0 {
		a := ev.AddAlarm()
		a.SetAction(ics.ActionDisplay)
		a.SetTrigger("-" + icalDuration(alarm))
		a.SetProperty(ics.ComponentPropertyDescription, summary)
	}
}

// description is the text of the event of shift s: who is on call, the
// backup, the escalation list, NTSU-CTIF's duty desk.
func (c Cell) description(s Shift, tag language.Tag) string {
	p := messages().Printer(tag)
	day := timesync.Day(s.Start)
	who := func(id string) string {
		ct, _ := c.Contact(id)
		text := cmp.Or(ct.Name, id)
		if ct.Phone != "" {
			text += ", " + ct.Phone
		}
		if !c.eligible(id, day) {
			text += " " + p.Sprintf("(no valid security advice)")
		}
		return text
	}
	var lines []string
	lines = append(lines, p.Sprintf("On call: %s", who(s.Primary)))
	if s.Backup != "" {
		lines = append(lines, p.Sprintf("Backup: %s", who(s.Backup)))
	}
	var escalation []string
	for _, id := range c.Escalation {
		if id != s.Primary && id != s.Backup && c.eligible(id, day) && !slices.Contains(escalation, id) {
			escalation = append(escalation, id)
		}
	}
	if len(escalation) > 0 {
		lines = append(lines, p.Sprintf("If nobody answers, call in this order:"))
		for i, id := range escalation {
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, who(id)))
		}
	}
	lines = append(lines, p.Sprintf("%s: %s", p.Sprintf("NTSU-CTIF (interceptions): duty desk"), NTSUDutyPhone+", "+NTSUDutyEmail))
	return plain(strings.Join(lines, "\n"))
}

// icalDuration writes a positive duration as RFC 5545 §3.3.6 dur-time
// ("PT15M", "PT1H30M"), to the second.
func icalDuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	out := "PT"
	if h := d / time.Hour; h > 0 {
		out += strconv.Itoa(int(h)) + "H"
	}
	if m := d % time.Hour / time.Minute; m > 0 {
		out += strconv.Itoa(int(m)) + "M"
	}
	if sec := d % time.Minute / time.Second; sec > 0 || out == "PT" {
		out += strconv.Itoa(int(sec)) + "S"
	}
	return out
}

// plain drops from s the control characters but the line feed, and the
// bidirectional controls, which would forge or hide text where a
// calendar shows it.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || !unicode.IsControl(r) && !unicode.Is(unicode.Bidi_Control, r) && r != '\u2028' && r != '\u2029' {
			return r
		}
		return -1
	}, s)
}

// paramText makes s a parameter value the ics library writes as RFC 5545
// §3.2 allows without quotes: it escapes no character correctly, so the
// characters a parameter cannot hold bare (DQUOTE, ";", ":", ",") and
// those it escapes with a backslash ("\", "'") are replaced by spaces and
// a typographic apostrophe, and runs of spaces and line feeds made one
// space.
func paramText(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		switch r {
		case '"', ';', ':', ',', '\\', '\n':
			return ' '
		case '\'':
			return '’'
		}
		return r
	}, plain(s))), " ")
}

// calendarName is the calendar's name: the cell's, with "CCJ" unless it
// says it.
func (c Cell) calendarName() string {
	if strings.Contains(c.Name, "CCJ") {
		return strings.TrimSpace(c.Name)
	}
	return strings.TrimSpace(c.Name + " CCJ")
}

func (c Cell) name(id string) string {
	if m, ok := c.Member(id); ok && m.Name != "" {
		return m.Name
	}
	return id
}

// setWall writes t as Brussels wall time with TZID, or in UTC when the
// wall time falls in the repeated autumn hour: RFC 5545 reads it as the
// first occurrence, but libical and python-icalendar read the second, so
// neither occurrence is written as a wall time.
func setWall(ev *ics.VEvent, prop ics.ComponentProperty, t time.Time) {
	w := timesync.WallClockOf(timesync.FromTime(t))
	if back, err := w.Resolve(timesync.Strict); err == nil && back.Time().Equal(t) {
		ev.SetProperty(prop, t.In(timesync.Brussels()).Format(icalLocal), ics.WithTZID(tzid))
		return
	}
	ev.SetProperty(prop, t.UTC().Format(icalLocal)+"Z")
}

// Imported is what [Cell.ImportICalendar] read from a calendar.
type Imported struct {
	// Shifts are the events mapped to shifts, in order of start.
	Shifts []Shift `json:"shifts"`
	// Unmapped are the events that could not be mapped, in the order of
	// the file.
	Unmapped []Unmapped `json:"unmapped"`
	// Cancelled counts the events marked STATUS:CANCELLED: no shift, and
	// no problem either.
	Cancelled int `json:"cancelled"`
}

// Unmapped is an event [Cell.ImportICalendar] could not map to a shift.
type Unmapped struct {
	// Event is the event's place among the calendar's VEVENTs, from 0.
	Event int `json:"event"`
	// Start is the instant the event starts, when it could be read, to
	// find the event in a calendar program; zero otherwise.
	Start time.Time `json:"start,omitzero"`
	// Problem says why, at Field "events[Event]", wrapping
	// [ErrICalendar]: an English text that quotes nothing the event says
	// but the names of its properties and the times read.
	Problem provenance.Finding `json:"problem"`
}

// ImportICalendar reads shifts from an RFC 5545 calendar — one this
// package wrote, or a shared calendar from Nextcloud, Google or
// Thunderbird — and lists every event it could not map, each with why.
// Each VEVENT is a shift. Its members come from X-CCJKIT-PRIMARY and
// X-CCJKIT-BACKUP, or else from the summary: member IDs or names, the
// backup after a "/" ("CCJ: Alice / Bob" or "alice/bob").
//
// Times must be in UTC or in TZID=Europe/Brussels; an ambiguous local time
// means its first occurrence (RFC 5545 §3.3.5) and a non-existent one is
// not mapped. All-day events, floating times, other time zones, recurring
// events (RRULE, RDATE, RECURRENCE-ID: expand them first), events that do
// not end after they start, a UID used twice, and unknown members are not
// mapped: none is guessed. A cancelled event (STATUS:CANCELLED) is no
// shift, and counted.
//
// The problems' texts quote no member's name nor anything else the file
// says — no time zone, value or UID — only property names and the
// instants read. The error, when the calendar as a whole cannot be read
// (more than [MaxICalendar] bytes, not an iCalendar, a malformed line), is
// a *provenance.Problems (What "ccj: calendar") wrapping [ErrICalendar].
func (c Cell) ImportICalendar(r io.Reader) (Imported, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxICalendar+1))
	if err != nil {
		return Imported{}, calendarProblems(calendarFinding("", msg("the calendar cannot be read")))
	}
	if len(data) > MaxICalendar {
		return Imported{}, calendarProblems(calendarFinding("", msg("more than %d bytes", MaxICalendar)))
	}
	if !bytes.Contains(data, []byte("BEGIN:VCALENDAR")) || !bytes.Contains(data, []byte("END:VCALENDAR")) {
		return Imported{}, calendarProblems(calendarFinding("", msg("not an iCalendar: no BEGIN:VCALENDAR ... END:VCALENDAR")))
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		return Imported{}, calendarProblems(calendarFinding("", parseProblem(err)))
	}
	out := Imported{Shifts: []Shift{}, Unmapped: []Unmapped{}}
	uids := map[string]bool{}
	for i, ev := range cal.Events() {
		s, start, cancelled, problem := c.event(ev, uids)
		switch {
		case problem.key != "":
			out.Unmapped = append(out.Unmapped, Unmapped{Event: i, Start: start,
				Problem: calendarFinding(fmt.Sprintf("events[%d]", i), problem)})
		case cancelled:
			out.Cancelled++
		default:
			out.Shifts = append(out.Shifts, s)
		}
	}
	slices.SortStableFunc(out.Shifts, func(a, b Shift) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// parseProblem says where the ics library could not parse a calendar: the
// line's number when it gives it, never the line.
func parseProblem(err error) message {
	var line int
	if _, scan := fmt.Sscanf(err.Error(), "parsing line %d:", &line); scan == nil {
		return msg("not an iCalendar: line %d is malformed", line)
	}
	return msg("not an iCalendar: its components are not nested as RFC 5545 §3.4 and §3.6 say")
}

// event maps one VEVENT: the shift, the instant it starts (when read),
// whether it is cancelled, or the problem that keeps it from being mapped
// (a message with a key; none has none).
func (c Cell) event(ev *ics.VEvent, uids map[string]bool) (s Shift, start time.Time, cancelled bool, problem message) {
	none := message{}
	start, errStart := readTime(ev, ics.ComponentPropertyDtStart)
	if uid := ev.GetProperty(ics.ComponentPropertyUniqueId); uid != nil {
		if uids[uid.Value] {
			return Shift{}, start, false, msg("another event has the same UID")
		}
		uids[uid.Value] = true
	}
	if st := ev.GetProperty(ics.ComponentPropertyStatus); st != nil && strings.EqualFold(st.Value, "CANCELLED") {
		return Shift{}, start, true, none // a cancelled event is no shift
	}
	if ev.GetProperty(ics.ComponentPropertyRrule) != nil || ev.GetProperty(ics.ComponentPropertyRdate) != nil ||
		ev.GetProperty(ics.ComponentPropertyRecurrenceId) != nil {
		return Shift{}, start, false, msg("recurring events and their overrides are not supported: expand the recurrence before importing")
	}
	var end time.Time
	var errEnd message
	if ev.GetProperty(ics.ComponentPropertyDtEnd) == nil && ev.GetProperty(ics.ComponentPropertyDuration) != nil {
		d, ok := parseDuration(ev.GetProperty(ics.ComponentPropertyDuration).Value)
		switch {
		case !ok:
			errEnd = msg("DURATION is not a positive duration such as PT14H")
		case errStart.key == "":
			end = start.Add(d)
		}
	} else {
		end, errEnd = readTime(ev, ics.ComponentPropertyDtEnd)
	}
	switch {
	case errStart.key != "" && errEnd.key != "":
		return Shift{}, start, false, msg("%s; %s", errStart, errEnd)
	case errStart.key != "":
		return Shift{}, start, false, errStart
	case errEnd.key != "":
		return Shift{}, start, false, errEnd
	}
	if !end.After(start) {
		return Shift{}, start, false, msg("it ends before it starts")
	}
	primary, backup, problem := c.members(ev)
	if problem.key != "" {
		return Shift{}, start, false, problem
	}
	return Shift{Start: start, End: end, Primary: primary, Backup: backup}, start, false, none
}

// ReadICalendar reads shifts from an RFC 5545 calendar as
// [Cell.ImportICalendar] does, all or nothing: when an event cannot be
// mapped, the error lists every such event.
//
// The error is a *provenance.Problems (What "ccj: calendar") whose
// findings wrap [ErrICalendar], each with the event at fault as its Field
// ("events[3]", counting VEVENTs from 0 in the order of the file) and an
// English text that quotes no member's name nor anything else the event
// says.
func (c Cell) ReadICalendar(r io.Reader) ([]Shift, error) {
	im, err := c.ImportICalendar(r)
	if err != nil {
		return nil, err
	}
	if len(im.Unmapped) > 0 {
		fs := make([]provenance.Finding, len(im.Unmapped))
		for i, u := range im.Unmapped {
			fs[i] = u.Problem
		}
		return nil, calendarProblems(fs...)
	}
	return im.Shifts, nil
}

// HasShift reports whether the rota already has shift s: one of the
// cell's shifts, or one of its patterns', with the same start, end,
// primary and backup. Patterns that cannot be expanded around s have
// none.
func (c Cell) HasShift(s Shift) bool {
	shifts, _, _ := c.rota(s.Start, s.End)
	return slices.ContainsFunc(shifts, s.same)
}

// same reports whether shifts s and o are the same: the same start, end,
// primary and backup.
func (s Shift) same(o Shift) bool {
	return s.Start.Equal(o.Start) && s.End.Equal(o.End) && s.Primary == o.Primary && s.Backup == o.Backup
}

// calendarFinding is one problem of a calendar, at field ("" for the
// calendar as a whole), its text translated when read.
func calendarFinding(field string, m message) provenance.Finding {
	return provenance.Finding{Rule: "icalendar", Severity: provenance.Error, Field: field,
		Source: provenance.Source{Instrument: "RFC 5545", Certainty: provenance.Verified, URL: "https://www.rfc-editor.org/rfc/rfc5545"},
		Err:    ErrICalendar, Message: m}
}

func calendarProblems(fs ...provenance.Finding) error {
	return &provenance.Problems{What: whatCalendar, Findings: fs}
}

// readTime reads the instant property prop of ev gives, or the problem
// that keeps it from being read (a message with a key).
func readTime(ev *ics.VEvent, prop ics.ComponentProperty) (time.Time, message) {
	none := message{}
	p := ev.GetProperty(prop)
	if p == nil {
		return time.Time{}, msg("no %s", string(prop))
	}
	if v := p.ICalParameters["VALUE"]; len(v) > 0 && strings.EqualFold(v[0], "DATE") || len(p.Value) == 8 {
		return time.Time{}, msg("%s is a whole day: all-day events cannot be mapped to shifts", string(prop))
	}
	if strings.HasSuffix(p.Value, "Z") {
		if len(p.ICalParameters["TZID"]) > 0 {
			return time.Time{}, msg("%s is in UTC and names a time zone: which is meant is unclear", string(prop))
		}
		t, err := time.Parse(icalLocal+"Z", p.Value)
		if err != nil {
			return time.Time{}, msg("%s is not a date-time such as 20261031T170000Z", string(prop))
		}
		return t.UTC(), none
	}
	tz := p.ICalParameters["TZID"]
	if len(tz) == 0 {
		return time.Time{}, msg("%s is a floating time (no time zone): which instant it means is unknown", string(prop))
	}
	if strings.Trim(tz[0], `"`) != tzid {
		return time.Time{}, msg("%s is in another time zone: only %s and UTC are read", string(prop), tzid)
	}
	local, err := time.Parse(icalLocal, p.Value)
	if err != nil {
		return time.Time{}, msg("%s is not a date-time such as 20261031T180000", string(prop))
	}
	y, m, d := local.Date()
	hh, mm, ss := local.Clock()
	ts, err := timesync.WallClock{Year: y, Month: m, Day: d, Hour: hh, Minute: mm, Second: ss}.Resolve(timesync.Earlier)
	switch {
	case errors.Is(err, timesync.ErrNonexistent):
		return time.Time{}, msg("%s falls in the hour skipped when clocks go forward in Brussels", string(prop))
	case err != nil:
		return time.Time{}, msg("%s is outside the years ccjkit places in Brussels time", string(prop))
	}
	return ts.Time(), none
}

// members finds the primary and backup of an event, or the problem that
// keeps them from being found (a message with a key).
func (c Cell) members(ev *ics.VEvent) (primary, backup string, problem message) {
	xp, xb := ev.GetProperty(ics.ComponentProperty(propPrimary)), ev.GetProperty(ics.ComponentProperty(propBackup))
	if xp != nil || xb != nil {
		if xp == nil || strings.TrimSpace(xp.Value) == "" {
			return "", "", msg("%s is missing or empty", propPrimary)
		}
		primary = xp.Value
		if xb != nil {
			backup = xb.Value
		}
	} else {
		summary := ""
		if s := ev.GetProperty(ics.ComponentPropertySummary); s != nil {
			summary = s.Value
		}
		summary = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(summary), "CCJ:"))
		first, second, _ := strings.Cut(summary, "/")
		if primary, problem = c.lookup(first); problem.key != "" {
			return "", "", msg("the primary in the summary: %s (write the member's ID or name, the backup after '/')", problem)
		}
		if strings.TrimSpace(second) != "" {
			if backup, problem = c.lookup(second); problem.key != "" {
				return "", "", msg("the backup in the summary: %s", problem)
			}
		}
	}
	for _, x := range []struct{ prop, id string }{{propPrimary, primary}, {propBackup, backup}} {
		if _, ok := c.Member(x.id); x.id != "" && !ok {
			return "", "", msg("%s names no member of the cell", x.prop)
		}
	}
	if primary == backup {
		return "", "", msg("the same member is both primary and backup")
	}
	return primary, backup, message{}
}

// lookup finds a member by ID, or else by name, ignoring case and spaces
// around; a name two members share is a problem, not a guess.
func (c Cell) lookup(s string) (string, message) {
	s = strings.TrimSpace(s)
	for _, m := range c.Members {
		if strings.EqualFold(m.ID, s) {
			return m.ID, message{}
		}
	}
	found := ""
	for _, m := range c.Members {
		if strings.EqualFold(m.Name, s) {
			if found != "" {
				return "", msg("the name is that of more than one member")
			}
			found = m.ID
		}
	}
	if found == "" {
		return "", msg("it names no member")
	}
	return found, message{}
}

// MaxICalendar bounds the calendar [Cell.ImportICalendar] reads.
const MaxICalendar = 4 << 20

// parseDuration reads the RFC 5545 durations a shift needs: "PT14H",
// "P1DT2H30M", "PT90M", "P1W". A day is 24 elapsed hours here: shifts are
// measured in elapsed time.
func parseDuration(s string) (time.Duration, bool) {
	const bad = false
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return 0, bad
	}
	var total time.Duration
	units := map[byte]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}
	inTime := false
	n := -1
	for i := 0; i < len(rest); i++ {
		ch := rest[i]
		switch {
		case ch == 'T' && !inTime && n < 0:
			inTime = true
			units = map[byte]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}
		case ch >= '0' && ch <= '9':
			if n < 0 {
				n = 0
			}
			n = n*10 + int(ch-'0')
			if n > 1_000_000 {
				return 0, bad
			}
		default:
			u, ok := units[ch]
			if !ok || n < 0 {
				return 0, bad
			}
			total += time.Duration(n) * u
			n = -1
		}
	}
	if n >= 0 || total <= 0 {
		return 0, bad
	}
	return total, true
}
