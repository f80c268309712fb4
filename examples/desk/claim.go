package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/indemnity/pdf"
	"github.com/ccjkit/ccjkit/requisition"
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

// claims builds the cost statements of the cases answered in [from,
// until), one per authority, and lists the answered cases no tariff line
// covers.
func claims(reg *register.Register, cfg Config, from, until time.Time, issued time.Time, tag language.Tag) ([]indemnity.Claim, []string, error) {
	groups := map[requisition.Authority][]indemnity.Executed{}
	var unbilled []string
	for _, id := range reg.CaseIDs() {
		c, _ := reg.Case(id)
		if c.Delivery == nil || c.Delivery.At.Time().Before(from) || !c.Delivery.At.Time().Before(until) {
			continue
		}
		svc, ok := cfg.Billing[c.Requisition.Measure.String()]
		if !ok {
			unbilled = append(unbilled, id)
			continue
		}
		groups[c.Requisition.Authority] = append(groups[c.Requisition.Authority], indemnity.Executed{
			Service: svc, Reference: c.Requisition.Reference, Ordered: c.Requisition.Ordered, Executed: c.Delivery.At})
	}
	var out []indemnity.Claim
	var errs []error
	for _, a := range []requisition.Authority{requisition.JugeInstruction, requisition.ProcureurDuRoi, requisition.AuditeurDuTravail, requisition.OfficierPoliceJudiciaire} {
		ex := groups[a]
		if len(ex) == 0 {
			continue
		}
		f := requisition.BrusselsDate(from)
		h := indemnity.Header{Number: fmt.Sprintf("%04d-%02d-%s", f.Year(), int(f.Month()), a), Issued: requisition.BrusselsDate(issued),
			Operator: cfg.Operator, Authority: a.Label(tag), From: f, To: requisition.BrusselsDate(until.Add(-time.Second))}
		c, err := indemnity.NewClaim(h, ex, indemnity.ClaimOptions{})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, c)
	}
	return out, unbilled, errors.Join(errs...)
}

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
	cs, unbilled, err := claims(s.reg, s.cfg, from, until, s.now(), s.tag)
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(cs)
	}
	for _, c := range cs {
		switch s.format {
		case "text":
			c.Text(s.out, s.tag)
			fmt.Fprintln(s.out)
		case "csv":
			c.CSV(s.out)
		case "pdf":
			prefix := s.output
			if prefix == "" {
				prefix = "claim-" + arg
			}
			path := prefix + "-" + c.Number[8:] + ".pdf"
			if err := writePDF(path, c, s.tag); err != nil {
				return err
			}
			fmt.Fprintln(s.out, path)
		}
	}
	if len(unbilled) > 0 && s.format == "text" {
		fmt.Fprintln(s.out, printer(s.tag).Sprintf("Not billed (no tariff line for their measure in desk.json's billing): %s", strings.Join(unbilled, ", ")))
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

func runStats(s *session, args []string) error {
	arg, err := s.begin(args, "year (YYYY) or month (YYYY-MM)")
	if err != nil {
		return err
	}
	var from, until time.Time
	switch len(arg) {
	case 4:
		f, _, e1 := month(arg + "-01")
		_, u, e2 := month(arg + "-12")
		from, until, err = f, u, errors.Join(e1, e2)
		if err != nil {
			err = inputErr("a year as YYYY")
		}
	default:
		from, until, err = month(arg)
	}
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
	st := s.reg.Statistics(from, until, register.StatsOptions{})
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
