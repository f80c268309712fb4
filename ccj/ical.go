package ccj

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

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

// WriteICalendar writes the rota as an RFC 5545 calendar members subscribe
// to from their phones: one VEVENT per shift with DTSTART and DTEND in
// TZID=Europe/Brussels wall time and a matching VTIMEZONE (the EU rule:
// last Sundays of March and October), the primary and backup in the
// summary and in X-CCJKIT-PRIMARY / X-CCJKIT-BACKUP. A start or end in the
// second occurrence of the repeated autumn hour is written in UTC, since
// RFC 5545 §3.3.5 reads an ambiguous local time as the first occurrence.
// stamp is the DTSTAMP, from the caller's clock.
//
// It writes shifts: a cell with patterns is refused (an error wrapping
// [ErrICalendar]) until [Cell.Expand] turns them into the shifts of the
// window to publish. A shift that does not end after it starts, or has no
// primary, is refused too. When w fails, the error wraps [ErrWrite] and
// w's error.
func (c Cell) WriteICalendar(w io.Writer, stamp time.Time) error {
	if len(c.Patterns) > 0 {
		return fmt.Errorf("%w: the cell has %d weekly patterns: expand them into the shifts of the window to publish (Cell.Expand)", ErrICalendar, len(c.Patterns))
	}
	cal := ics.NewCalendar()
	cal.SetProductId("-//ccjkit//CCJ rota//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(strings.TrimSpace(c.Name + " CCJ"))
	cal.SetXWRTimezone(tzid)
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

	for i, s := range c.Shifts {
		if !s.End.After(s.Start) || s.Primary == "" {
			return fmt.Errorf("%w: shift %d is not a shift (it ends before it starts, or has no primary)", ErrICalendar, i)
		}
		ev := cal.AddEvent(fmt.Sprintf("shift-%d-%d-%d-%s@ccjkit", i, s.Start.Unix(), s.End.Unix(), s.Primary))
		ev.SetDtStampTime(stamp)
		setWall(ev, ics.ComponentPropertyDtStart, s.Start)
		setWall(ev, ics.ComponentPropertyDtEnd, s.End)
		summary := "CCJ: " + c.name(s.Primary)
		if s.Backup != "" {
			summary += " / " + c.name(s.Backup)
		}
		ev.SetSummary(summary)
		ev.SetProperty(ics.ComponentProperty(propPrimary), s.Primary)
		if s.Backup != "" {
			ev.SetProperty(ics.ComponentProperty(propBackup), s.Backup)
		}
	}
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil { // RFC 5545 §3.1: CRLF
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
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

// ReadICalendar reads shifts from an RFC 5545 calendar — one this package
// wrote, or a shared calendar from Nextcloud, Google or Thunderbird. Each
// VEVENT is a shift. Its members come from X-CCJKIT-PRIMARY and
// X-CCJKIT-BACKUP, or else from the summary: member IDs or names, the
// backup after a "/" ("CCJ: Alice / Bob" or "alice/bob").
//
// Times must be in UTC or in TZID=Europe/Brussels; an ambiguous local time
// means its first occurrence (RFC 5545 §3.3.5) and a non-existent one is an
// error. All-day events, floating times, other time zones, recurring
// events (RRULE, RDATE: expand them first) and unknown members are errors:
// every event that cannot be mapped is listed, none is guessed.
//
// The error is a *provenance.Problems (What "ccj: calendar") whose
// findings wrap [ErrICalendar], each with the event at fault as its Field
// ("events[3]", counting VEVENTs from 0 in the order of the file) and an
// English text that quotes no member's name nor anything else the event
// says of who is on call.
func (c Cell) ReadICalendar(r io.Reader) ([]Shift, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxICalendar+1))
	if err != nil {
		return nil, calendarProblems(calendarFinding("", "cannot read: "+err.Error()))
	}
	if len(data) > MaxICalendar {
		return nil, calendarProblems(calendarFinding("", fmt.Sprintf("more than %d bytes", MaxICalendar)))
	}
	if !bytes.Contains(data, []byte("BEGIN:VCALENDAR")) || !bytes.Contains(data, []byte("END:VCALENDAR")) {
		return nil, calendarProblems(calendarFinding("", "not an iCalendar: no BEGIN:VCALENDAR ... END:VCALENDAR"))
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		return nil, calendarProblems(calendarFinding("", "not an iCalendar: "+err.Error()))
	}
	var shifts []Shift
	var problems []provenance.Finding
	uids := map[string]bool{}
	for i, ev := range cal.Events() {
		field := fmt.Sprintf("events[%d]", i)
		bad := func(format string, args ...any) {
			problems = append(problems, calendarFinding(field, fmt.Sprintf(format, args...)))
		}
		if uid := ev.GetProperty(ics.ComponentPropertyUniqueId); uid != nil {
			if uids[uid.Value] {
				bad("another event has the same UID")
				continue
			}
			uids[uid.Value] = true
		}
		if st := ev.GetProperty(ics.ComponentPropertyStatus); st != nil && strings.EqualFold(st.Value, "CANCELLED") {
			continue // a cancelled event is no shift
		}
		if ev.GetProperty(ics.ComponentPropertyRrule) != nil || ev.GetProperty(ics.ComponentPropertyRdate) != nil ||
			ev.GetProperty(ics.ComponentPropertyRecurrenceId) != nil {
			bad("recurring events and their overrides are not supported: expand the recurrence before importing")
			continue
		}
		start, err1 := readTime(ev, ics.ComponentPropertyDtStart)
		var end time.Time
		var err2 error
		if ev.GetProperty(ics.ComponentPropertyDtEnd) == nil && ev.GetProperty(ics.ComponentPropertyDuration) != nil {
			var d time.Duration
			if d, err2 = parseDuration(ev.GetProperty(ics.ComponentPropertyDuration).Value); err2 == nil {
				end = start.Add(d)
			}
		} else {
			end, err2 = readTime(ev, ics.ComponentPropertyDtEnd)
		}
		if err1 != nil || err2 != nil {
			bad("%v", errors.Join(err1, err2))
			continue
		}
		if !end.After(start) {
			bad("it ends before it starts")
			continue
		}
		primary, backup, err := c.members(ev)
		if err != nil {
			bad("%v", err)
			continue
		}
		shifts = append(shifts, Shift{Start: start, End: end, Primary: primary, Backup: backup})
	}
	if len(problems) > 0 {
		return nil, calendarProblems(problems...)
	}
	slices.SortStableFunc(shifts, func(a, b Shift) int { return a.Start.Compare(b.Start) })
	return shifts, nil
}

// calendarFinding is one problem of a calendar, at field ("" for the
// calendar as a whole).
func calendarFinding(field, text string) provenance.Finding {
	return provenance.Finding{Rule: "icalendar", Severity: provenance.Error, Field: field,
		Source: provenance.Source{Instrument: "RFC 5545", Certainty: provenance.Verified, URL: "https://www.rfc-editor.org/rfc/rfc5545"},
		Err:    ErrICalendar, Message: provenance.Text(text)}
}

func calendarProblems(fs ...provenance.Finding) error {
	return &provenance.Problems{What: whatCalendar, Findings: fs}
}

func readTime(ev *ics.VEvent, prop ics.ComponentProperty) (time.Time, error) {
	p := ev.GetProperty(prop)
	if p == nil {
		return time.Time{}, fmt.Errorf("no %s", prop)
	}
	if v := p.ICalParameters["VALUE"]; len(v) > 0 && strings.EqualFold(v[0], "DATE") || len(p.Value) == 8 {
		return time.Time{}, fmt.Errorf("%s is a whole day: all-day events cannot be mapped to shifts", prop)
	}
	if strings.HasSuffix(p.Value, "Z") {
		if len(p.ICalParameters["TZID"]) > 0 {
			return time.Time{}, fmt.Errorf("%s is in UTC and names a time zone: which is meant is unclear", prop)
		}
		t, err := time.Parse(icalLocal+"Z", p.Value)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s %q is not a date-time", prop, p.Value)
		}
		return t.UTC(), nil
	}
	tz := p.ICalParameters["TZID"]
	if len(tz) == 0 {
		return time.Time{}, fmt.Errorf("%s is a floating time (no time zone): which instant it means is unknown", prop)
	}
	if strings.Trim(tz[0], `"`) != tzid {
		return time.Time{}, fmt.Errorf("%s is in time zone %q: only %s and UTC are read", prop, tz[0], tzid)
	}
	local, err := time.Parse(icalLocal, p.Value)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not a date-time", prop, p.Value)
	}
	y, m, d := local.Date()
	hh, mm, ss := local.Clock()
	ts, err := timesync.WallClock{Year: y, Month: m, Day: d, Hour: hh, Minute: mm, Second: ss}.Resolve(timesync.Earlier)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", prop, err)
	}
	return ts.Time(), nil
}

// members finds the primary and backup of an event.
func (c Cell) members(ev *ics.VEvent) (primary, backup string, err error) {
	xp, xb := ev.GetProperty(ics.ComponentProperty(propPrimary)), ev.GetProperty(ics.ComponentProperty(propBackup))
	if xp != nil || xb != nil {
		if xp == nil || strings.TrimSpace(xp.Value) == "" {
			return "", "", fmt.Errorf("%s is missing or empty", propPrimary)
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
		if primary, err = c.lookup(first); err != nil {
			return "", "", fmt.Errorf("the primary in the summary: %w (write the member's ID or name, the backup after '/')", err)
		}
		if strings.TrimSpace(second) != "" {
			if backup, err = c.lookup(second); err != nil {
				return "", "", fmt.Errorf("the backup in the summary: %w", err)
			}
		}
	}
	for _, x := range []struct{ prop, id string }{{propPrimary, primary}, {propBackup, backup}} {
		if _, ok := c.Member(x.id); x.id != "" && !ok {
			return "", "", fmt.Errorf("%s names no member of the cell", x.prop)
		}
	}
	if primary == backup {
		return "", "", errors.New("the same member is both primary and backup")
	}
	return primary, backup, nil
}

// lookup finds a member by ID, or else by name, ignoring case and spaces
// around; a name two members share is an error, not a guess.
func (c Cell) lookup(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, m := range c.Members {
		if strings.EqualFold(m.ID, s) {
			return m.ID, nil
		}
	}
	found := ""
	for _, m := range c.Members {
		if strings.EqualFold(m.Name, s) {
			if found != "" {
				return "", errors.New("the name is that of more than one member")
			}
			found = m.ID
		}
	}
	if found == "" {
		return "", errors.New("it names no member")
	}
	return found, nil
}

// MaxICalendar bounds the calendar [Cell.ReadICalendar] reads.
const MaxICalendar = 4 << 20

// parseDuration reads the RFC 5545 durations a shift needs: "PT14H",
// "P1DT2H30M", "PT90M", "P1W". A day is 24 elapsed hours here: shifts are
// measured in elapsed time.
func parseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("DURATION %q is not a positive duration such as PT14H", s)
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
	return total, nil
}
