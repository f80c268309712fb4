package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// rotaOptions are desk rota's own flags, besides -days.
type rotaOptions struct {
	from, month, svg, organizer string
	alarm                       time.Duration
}

// rotaCommand is desk rota: check the rota, export it as iCalendar, read
// a calendar against it, draw a month. Its flags live in the command,
// -days in the session.
func rotaCommand() command {
	o := &rotaOptions{}
	return command{"rota", "check|export|import|show", "check the rota's coverage, export it as iCalendar, read a calendar against it, or draw a month (-svg FILE)",
		func(s *session, fs *flag.FlagSet) {
			rotaFlags(s, fs)
			fs.StringVar(&o.from, "from", "", "export: the first `DAY` of the window, YYYY-MM-DD in Brussels (default today)")
			fs.DurationVar(&o.alarm, "alarm", ccj.DefaultAlarm, "export: how long before each shift its alarm rings (`DURATION`, at most 24h; 0 for none)")
			fs.StringVar(&o.organizer, "organizer", "", "export: the cell's e-mail `ADDRESS`, the events' organizer (default: the member on call)")
			fs.StringVar(&o.month, "month", "", "show: the `MONTH`, YYYY-MM (default this month)")
			fs.StringVar(&o.svg, "svg", "", "show: draw the month as SVG into `FILE` (- for standard output)")
		},
		func(s *session, args []string) error { return runRota(s, o, args) }}
}

func rotaFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.IntVar(&s.days, "days", 30, "check: how many `DAYS` ahead; export: how many days from -from")
}

// runRota runs desk rota's subcommand.
func runRota(s *session, o *rotaOptions, args []string) error {
	const usage = "rota: check, export, import FILE.ics or show"
	if len(args) == 0 {
		return inputErr(usage)
	}
	sub, rest := args[0], args[1:]
	switch {
	case sub != "check" && sub != "export" && sub != "import" && sub != "show":
		return inputErr(usage)
	case sub == "import" && len(rest) != 1:
		return inputErr("rota import: give one FILE.ics")
	case sub != "import" && len(rest) != 0:
		return inputErr("rota %s takes no argument", sub)
	}
	if err := s.load(); err != nil {
		return err
	}
	switch sub {
	case "check":
		return s.rotaCheck()
	case "export":
		return s.rotaExport(o)
	case "import":
		return s.rotaImport(rest[0])
	}
	return s.rotaShow(o)
}

// rotaCheck writes the cell's compliance report; a finding that is an
// error fails the command.
func (s *session) rotaCheck() error {
	fs := s.cell.Report(s.now(), ccj.ReportOptions{Horizon: time.Duration(s.days) * 24 * time.Hour})
	if s.asJSON {
		return s.printJSON(fs)
	}
	for _, f := range fs {
		fmt.Fprintf(s.out, "  - %s\n", f.Text(s.tag))
	}
	var ps *provenance.Problems
	if errors.As(provenance.Check("rota", fs), &ps) {
		return errors.New(printer(s.tag).Sprintf("%[1]d {1:finding is an error|findings are errors}", len(ps.Errors())))
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("the cell meets every rule checked"))
	return nil
}

// rotaExport writes, as iCalendar, the rota's shifts that overlap -days
// Brussels days from -from (today by default): the window [-from 00:00,
// -from + -days 00:00), whatever the clock's time of day.
func (s *session) rotaExport(o *rotaOptions) error {
	first := timesync.Day(s.now())
	if o.from != "" {
		d, err := timesync.ParseDay(o.from)
		if err != nil {
			return inputErr("-from: a day YYYY-MM-DD, such as 2026-11-23")
		}
		first = d
	}
	if s.days < 1 || s.days > ccj.MaxExpandDays {
		return inputErr("-days: 1 to %d days", ccj.MaxExpandDays)
	}
	if o.alarm < 0 || o.alarm > ccj.MaxAlarm {
		return inputErr("-alarm: 0 (none) to %v", ccj.MaxAlarm)
	}
	alarm := o.alarm
	if alarm == 0 {
		alarm = -1 // no alarm
	}
	var b bytes.Buffer
	err := s.cell.ExportICalendar(&b, ccj.Export{From: timesync.DayStart(first), Until: timesync.DayStart(first + date.Date(s.days)),
		Stamp: s.now(), Alarm: alarm, OrganizerEmail: o.organizer, Lang: s.tag})
	if errors.Is(err, ccj.ErrWindow) || errors.Is(err, ccj.ErrPattern) || errors.Is(err, ccj.ErrICalendar) {
		return inputErr("%v", err)
	}
	if err != nil {
		return err
	}
	_, err = s.out.Write(b.Bytes())
	return err
}

// importedShift is a shift read from a calendar, and whether the rota
// already has it.
type importedShift struct {
	ccj.Shift
	InRota bool `json:"in_rota"`
}

// importJSON is what rota import -json prints.
type importJSON struct {
	File      string          `json:"file"`
	Shifts    []importedShift `json:"shifts"`
	Unmapped  []ccj.Unmapped  `json:"unmapped"`
	Cancelled int             `json:"cancelled"`
}

// rotaImport reads a calendar — an export of the desk's, or of Nextcloud,
// Google or Thunderbird — against the cell: it lists each event mapped to
// a shift, saying whether the rota has it already, and each event it
// could not map, with why. It changes nothing: the new shifts (printed
// with -json as the cell file writes them) are for the cell file's
// "shifts". An event that could not be mapped makes it bad input (2).
func (s *session) rotaImport(file string) error {
	b, err := readFile(file)
	if err != nil {
		return err
	}
	im, err := s.cell.ImportICalendar(bytes.NewReader(b))
	if err != nil {
		return decodeErr(file, err)
	}
	out := importJSON{File: file, Shifts: []importedShift{}, Unmapped: im.Unmapped, Cancelled: im.Cancelled}
	known := 0
	for _, sh := range im.Shifts {
		in := s.cell.HasShift(sh)
		if in {
			known++
		}
		out.Shifts = append(out.Shifts, importedShift{sh, in})
	}
	p := printer(s.tag)
	if s.asJSON {
		if err := s.printJSON(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:event|events} mapped to shifts (%[2]d new, %[3]d already in the rota), %[4]d not mapped, %[5]d cancelled",
			len(im.Shifts), len(im.Shifts)-known, known, len(im.Unmapped), im.Cancelled))
		for _, sh := range out.Shifts {
			state := p.Sprintf("new")
			if sh.InRota {
				state = p.Sprintf("in the rota")
			}
			who := s.memberName(sh.Primary)
			if sh.Backup != "" {
				who += " / " + s.memberName(sh.Backup)
			}
			fmt.Fprintf(s.out, "  %s → %s  %s  [%s]\n", stamp(timesync.FromTime(sh.Start), s.tag), stamp(timesync.FromTime(sh.End), s.tag), oneLine(who), state)
		}
		for _, u := range im.Unmapped {
			when := ""
			if !u.Start.IsZero() {
				when = " (" + p.Sprintf("starts %s", stamp(timesync.FromTime(u.Start), s.tag)) + ")"
			}
			fmt.Fprintf(s.out, "  %s%s: %s\n", u.Problem.Field, when, u.Problem.Text(s.tag))
		}
	}
	if len(im.Unmapped) > 0 {
		return inputErr("%s", printer(s.tag).Sprintf("%[1]s: %[2]d {2:event|events} could not be mapped to shifts (listed above)", file, len(im.Unmapped)))
	}
	return nil
}

// memberName is member id's name, or id.
func (s *session) memberName(id string) string {
	if m, ok := s.cell.Member(id); ok && m.Name != "" {
		return m.Name
	}
	return id
}

// rotaShow draws -month (this month by default) as SVG into -svg.
func (s *session) rotaShow(o *rotaOptions) error {
	if o.svg == "" {
		return inputErr("rota show: give -svg FILE, where the month is drawn (- for standard output)")
	}
	now := s.now().In(timesync.Brussels())
	year, month := now.Year(), now.Month()
	if o.month != "" {
		t, err := time.Parse("2006-01", o.month)
		if err != nil {
			return inputErr("-month: a month YYYY-MM, such as 2026-11")
		}
		year, month = t.Year(), t.Month()
	}
	var b bytes.Buffer
	err := s.cell.WriteMonthSVG(&b, year, month, s.tag)
	if errors.Is(err, ccj.ErrWindow) || errors.Is(err, ccj.ErrPattern) {
		return inputErr("%v", err)
	}
	if err != nil {
		return err
	}
	if o.svg == "-" {
		_, err = s.out.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(o.svg, b.Bytes(), 0o644); err != nil {
		return inputErr("-svg: cannot write the file: %v", errors.Unwrap(err))
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("%s drawn in %s", timesync.DisplayMonth(year, month, s.tag), o.svg))
	return nil
}
