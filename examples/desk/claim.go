package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/indemnity/pdf"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// month parses YYYY-MM into the Brussels instants that bound it.
func month(arg string) (from, until time.Time, err error) {
	ts, err := timesync.ParseBrussels(arg+"-01 00:00", timesync.Strict)
	if err != nil || len(arg) != 7 {
		return time.Time{}, time.Time{}, inputErr("a month as YYYY-MM")
	}
	next := ts.Brussels().AddDate(0, 1, 0)
	return ts.Time(), next.UTC(), nil
}

// claimPeriod is what the claims of the answers delivered in [from,
// until) say about themselves, from desk.json.
func claimPeriod(cfg Config, from, until, issued time.Time) indemnity.Period {
	return indemnity.Period{From: from, Until: until, Issued: issued, Operator: cfg.Operator, Billing: cfg.Billing}
}

func claimFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.format, "format", "text", "text, csv or pdf")
	fs.StringVar(&s.output, "o", "", "for pdf, the output file `PREFIX` (default claim-YYYY-MM)")
}

// runClaim writes the cost statements of the answers delivered in a
// month, one per authority, as text, CSV or PDF files.
func runClaim(s *session, args []string) error {
	arg, err := s.begin(args, "month (YYYY-MM)")
	if err != nil {
		return err
	}
	from, until, err := month(arg)
	if err != nil {
		return err
	}
	if !slices.Contains([]string{"text", "csv", "pdf"}, s.format) {
		return inputErr("-format: text, csv or pdf")
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	pcs, unbilled, err := indemnity.PeriodClaims(s.reg.Cases(), claimPeriod(s.cfg, from, until, s.now()), s.tag)
	if err != nil {
		return err
	}
	if s.asJSON {
		cs := make([]indemnity.Claim, len(pcs))
		for i, pc := range pcs {
			cs[i] = pc.Claim
		}
		return s.printJSON(cs)
	}
	for _, pc := range pcs {
		if err := s.writeClaim(pc, arg); err != nil {
			return err
		}
	}
	if len(unbilled) > 0 && s.format == "text" {
		printUnbilled(s.out, s.tag, unbilled)
	}
	return nil
}

// writeClaim writes a claim in -format: text or CSV on the output, or a
// PDF file named after -o (default claim-YYYY-MM) and the authority.
func (s *session) writeClaim(pc indemnity.PeriodClaim, month string) error {
	switch s.format {
	case "text":
		pc.Text(s.out, s.tag)
		fmt.Fprintln(s.out)
	case "csv":
		pc.CSV(s.out)
	case "pdf":
		prefix := s.output
		if prefix == "" {
			prefix = "claim-" + month
		}
		path := prefix + "-" + pc.Authority.String() + ".pdf"
		if err := writePDF(path, pc.Claim, s.tag); err != nil {
			return err
		}
		fmt.Fprintln(s.out, path)
	}
	return nil
}

func writePDF(path string, c indemnity.Claim, tag language.Tag) error {
	var b bytes.Buffer
	if err := pdf.Write(&b, c, tag, pdf.Options{}); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}

// monthOrYear parses YYYY or YYYY-MM into the Brussels instants that
// bound it.
func monthOrYear(arg string) (from, until time.Time, err error) {
	if len(arg) != 4 {
		return month(arg)
	}
	from, _, e1 := month(arg + "-01")
	_, until, e2 := month(arg + "-12")
	if e1 != nil || e2 != nil {
		return time.Time{}, time.Time{}, inputErr("a year as YYYY")
	}
	return from, until, nil
}

func statsFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.format, "format", "text", "text, csv or json")
	fs.IntVar(&s.threshold, "threshold", register.DefaultThreshold,
		"the smallest `N` shown as a number; smaller counts are hidden (1 shows every count: for the cell's own eyes, not for publication)")
}

func runStats(s *session, args []string) error {
	arg, err := s.begin(args, "year (YYYY) or month (YYYY-MM)")
	if err != nil {
		return err
	}
	from, until, err := monthOrYear(arg)
	if err != nil {
		return err
	}
	if !slices.Contains([]string{"text", "csv", "json"}, s.format) {
		return inputErr("-format: text, csv or json")
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	if s.threshold < 1 {
		return inputErr("-threshold: a whole number, 1 or more")
	}
	st := s.reg.Statistics(from, until, register.StatsOptions{Threshold: s.threshold})
	switch {
	case s.asJSON || s.format == "json":
		return s.printJSON(st)
	case s.format == "csv":
		_, err = s.out.Write(st.CSV())
		return err
	}
	fmt.Fprint(s.out, st.Text(s.tag))
	return nil
}

// printUnbilled lists the answered cases no claim includes, each with why.
func printUnbilled(w io.Writer, tag language.Tag, unbilled []indemnity.Unbilled) {
	fmt.Fprintln(w, printer(tag).Sprintf("Not billed:"))
	for _, u := range unbilled {
		fmt.Fprintln(w, "  "+u.Text(tag))
	}
}
