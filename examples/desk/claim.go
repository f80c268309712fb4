package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	return indemnity.Period{From: from, Until: until, Issued: issued, Operator: cfg.Operator, Billing: cfg.Billing, NothingHeld: cfg.NothingHeld,
		Offices: cfg.Offices}
}

func claimFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.format, "format", "text", "text, csv or pdf")
	fs.StringVar(&s.output, "o", "", "for pdf, where to write: a `DIR`ectory (existing, or ending in /), a pattern with {number} (claim-{number}.pdf, the default), or one file when there is one claim")
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
		out := struct {
			Claims   []indemnity.Claim    `json:"claims"`
			Unbilled []indemnity.Unbilled `json:"unbilled"`
		}{Claims: []indemnity.Claim{}, Unbilled: unbilled}
		for _, pc := range pcs {
			out.Claims = append(out.Claims, pc.Claim)
		}
		if out.Unbilled == nil {
			out.Unbilled = []indemnity.Unbilled{}
		}
		return s.printJSON(out)
	}
	var paths []string
	if s.format == "pdf" {
		if paths, err = claimPaths(s.output, pcs); err != nil {
			return err
		}
	}
	for i, pc := range pcs {
		path := ""
		if paths != nil {
			path = paths[i]
		}
		if err := s.writeClaim(pc, path); err != nil {
			return err
		}
	}
	// The cases no claim holds are always said: with the claims in text
	// and PDF (whose standard output lists the files), on standard error
	// for CSV, whose standard output is the data.
	if len(unbilled) > 0 {
		w := s.out
		if s.format == "csv" {
			w = s.err
		}
		printUnbilled(w, s.tag, unbilled)
	}
	return nil
}

// claimPaths names the PDF file of each claim from -o: a directory (one
// that exists, or any path ending in a separator, made if missing) gets
// claim-NUMBER.pdf files; a pattern holding {number} has it replaced by
// each claim's number (the default is claim-{number}.pdf); any other path
// names the one file of a single claim. Claim numbers are made of the
// period, the authority and the office's key, so they are safe in a file
// name.
func claimPaths(o string, pcs []indemnity.PeriodClaim) ([]string, error) {
	pattern := o
	switch {
	case o == "":
		pattern = "claim-{number}.pdf"
	case strings.Contains(o, "{number}"):
	case strings.HasSuffix(o, string(filepath.Separator)):
		if err := os.MkdirAll(o, 0o700); err != nil {
			return nil, err
		}
		pattern = filepath.Join(o, "claim-{number}.pdf")
	default:
		if st, err := os.Stat(o); err == nil && st.IsDir() {
			pattern = filepath.Join(o, "claim-{number}.pdf")
		} else if len(pcs) > 1 {
			return nil, inputErr("-o: %d claims to write: give a directory or a pattern with {number}", len(pcs))
		}
	}
	paths := make([]string, len(pcs))
	for i, pc := range pcs {
		// The library numbers claims from keys it checks; refuse anyway
		// a number that would step out of the directory.
		if filepath.Base(pc.Number) != pc.Number || strings.Contains(pc.Number, "..") {
			return nil, fmt.Errorf("desk: claim %d has a number that is no file name", i+1)
		}
		paths[i] = strings.ReplaceAll(pattern, "{number}", pc.Number)
	}
	return paths, nil
}

// writeClaim writes a claim in -format: text or CSV on the output, or the
// PDF file path; each in the claim's language (its office's, when known).
func (s *session) writeClaim(pc indemnity.PeriodClaim, path string) error {
	switch s.format {
	case "text":
		pc.Text(s.out, pc.Language)
		fmt.Fprintln(s.out)
	case "csv":
		pc.CSV(s.out)
	case "pdf":
		if err := writePDF(path, pc.Claim, pc.Language); err != nil {
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

// billable refuses to record as invoiced a case that desk claim lists as
// not billed: it builds the claims of the month the case was answered in,
// as desk claim does (indemnity.PeriodClaims), so that the two never
// disagree — an office whose orders conflict included.
func (s *session) billable(id string) error {
	c, ok := s.reg.Case(id)
	if !ok || c.Delivery == nil {
		return nil // the register refuses the step, with its own error
	}
	from, until, err := month(c.Delivery.At.Format("2006-01"))
	if err != nil {
		return err
	}
	_, unbilled, err := indemnity.PeriodClaims(s.reg.Cases(), claimPeriod(s.cfg, from, until, s.now()), s.tag)
	for _, u := range unbilled {
		if u.Case == id {
			return inputErr("%s", printer(s.tag).Sprintf("%s is not billed, so no cost statement was sent for it: close it instead", u.Text(s.tag)))
		}
	}
	return err
}
