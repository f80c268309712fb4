package main

import (
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
)

func rotaFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.IntVar(&s.days, "days", 30, "how many `DAYS` ahead to check or export")
}

// runRota checks the rota's coverage over the next -days, or exports
// it as iCalendar.
func runRota(s *session, args []string) error {
	sub, err := s.begin(args, "of check or export")
	if err != nil {
		return err
	}
	switch sub {
	case "check":
		return s.rotaCheck()
	case "export":
		return s.rotaExport()
	}
	return inputErr("rota: check or export")
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
		return fmt.Errorf("%d finding(s) are errors", len(ps.Errors()))
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("the cell meets every rule checked"))
	return nil
}

// rotaExport writes the rota's shifts from now over -days as iCalendar.
func (s *session) rotaExport() error {
	cell, err := s.cell.Expand(s.now(), s.now().AddDate(0, 0, s.days))
	if err != nil {
		return inputErr("-days: %v", err)
	}
	return cell.WriteICalendar(s.out, s.now())
}
