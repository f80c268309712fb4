package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// keepOptions are desk keep's own flags: the cell's keeping period.
type keepOptions struct {
	years, months int
	policy        string
}

// keepCommand is desk keep: which closed cases the cell's keeping period
// has run out on. Its flags live in the command, not in the session.
func keepCommand() command {
	o := &keepOptions{}
	return command{"keep", "", "closed cases whose keeping period is over (-years, -months, -policy)",
		func(s *session, fs *flag.FlagSet) {
			cellFlags(s, fs)
			fs.IntVar(&o.years, "years", 0, "the keeping period: `N` years from a case's closing")
			fs.IntVar(&o.months, "months", 0, "and `N` months")
			fs.StringVar(&o.policy, "policy", "", "the cell's `DECISION` that sets the period (\"keeping policy of the cell, approved 2026-01-05\"): no Belgian text ccjkit holds sets it")
		},
		func(s *session, args []string) error { return runKeep(s, o, args) }}
}

// runKeep reports, at the clock's now, the closed cases whose keeping
// period is over, those still kept and those not closed. It writes
// nothing to the register and deletes nothing: what the cell does with
// an ended case is in docs/recovery.md.
func runKeep(s *session, o *keepOptions, args []string) error {
	if len(args) != 0 {
		return inputErr("keep takes no argument")
	}
	if o.policy == "" {
		return inputErr("-policy: name the cell's decision that sets the keeping period (no Belgian text ccjkit holds sets it)")
	}
	k := register.Keeping{Years: o.years, Months: o.months, Source: register.PolicySource(o.policy)}
	var probs *provenance.Problems
	if err := k.Validate(); errors.As(err, &probs) {
		return inputErr("%v", probs)
	}
	if err := s.load(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	rep, err := s.reg.KeepingReport(s.now(), k)
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(rep)
	}
	renderKeeping(s.out, rep, s.tag)
	return nil
}

// renderKeeping writes the report for people, in the language tag asks
// for: the period, the cases whose period is over, those still kept,
// those that wait to be closed, and the findings' texts (their rules and
// sources are in -json).
func renderKeeping(w io.Writer, rep register.KeepingReport, tag language.Tag) {
	p, k := printer(tag), rep.Keeping
	day := func(d date.Date) string { return timesync.DisplayDay(d, tag) }
	fmt.Fprintln(w, p.Sprintf("Keeping: %[1]d {1:year|years} %[2]d {2:month|months} from a case's closing, at %[3]s", k.Years, k.Months, stamp(rep.At, tag)))
	fmt.Fprintln(w, "  "+p.Sprintf("the cell's decision: %s", oneLine(k.Source.Instrument)))
	fmt.Fprintln(w, p.Sprintf("Ended (%d): the period is over; the register deletes nothing (docs/recovery.md, \"The end of a keeping period\")", len(rep.Ended)))
	for _, c := range rep.Ended {
		fmt.Fprintf(w, "  %-12s %s\n", c.Case, p.Sprintf("closed %s, kept to %s", day(c.Closed), day(c.LastDay)))
	}
	fmt.Fprintln(w, p.Sprintf("Kept (%d):", len(rep.Kept)))
	for _, c := range rep.Kept {
		fmt.Fprintf(w, "  %-12s %s\n", c.Case, p.Sprintf("closed %s, kept to %s", day(c.Closed), day(c.LastDay)))
	}
	if len(rep.Unclosed) > 0 {
		fmt.Fprintln(w, p.Sprintf("Not closed, with nothing left to do (%d): their period has not begun; close them (desk close ID)", len(rep.Unclosed)))
		for _, id := range rep.Unclosed {
			fmt.Fprintf(w, "  %s\n", id)
		}
	}
	fmt.Fprintln(w, p.Sprintf("Open: %d", rep.Open))
	if rep.Retirable {
		fmt.Fprintln(w, p.Sprintf("Every case is closed and its period over: this register may be retired as a whole (docs/recovery.md)."))
	}
	fmt.Fprintln(w, p.Sprintf("Findings (%d):", len(rep.Findings)))
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "  - %s\n", f.Text(tag))
	}
}
