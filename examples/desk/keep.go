package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition/register"
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
	renderKeeping(s.out, rep)
	return nil
}

// renderKeeping writes the report for people, in English (the findings'
// texts are English).
func renderKeeping(w io.Writer, rep register.KeepingReport) {
	k := rep.Keeping
	fmt.Fprintf(w, "Keeping: %d year(s) %d month(s) from a case's closing, at %s\n", k.Years, k.Months, stamp(rep.At))
	fmt.Fprintf(w, "  source: %s\n", k.Source)
	fmt.Fprintf(w, "Ended (%d): the period is over; the register deletes nothing (docs/recovery.md, \"The end of a keeping period\")\n", len(rep.Ended))
	for _, c := range rep.Ended {
		fmt.Fprintf(w, "  %-12s closed %s, kept to %s\n", c.Case, c.Closed, c.LastDay)
	}
	fmt.Fprintf(w, "Kept (%d):\n", len(rep.Kept))
	for _, c := range rep.Kept {
		fmt.Fprintf(w, "  %-12s closed %s, kept to %s\n", c.Case, c.Closed, c.LastDay)
	}
	if len(rep.Unclosed) > 0 {
		fmt.Fprintf(w, "Not closed, with nothing left to do (%d): their period has not begun; close them (desk close ID)\n", len(rep.Unclosed))
		for _, id := range rep.Unclosed {
			fmt.Fprintf(w, "  %s\n", id)
		}
	}
	fmt.Fprintf(w, "Open: %d\n", rep.Open)
	if rep.Retirable {
		fmt.Fprintln(w, "Every case is closed and its period over: this register may be retired as a whole (docs/recovery.md).")
	}
	fmt.Fprintf(w, "Findings (%d):\n", len(rep.Findings))
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "  %s\n", f)
	}
}
