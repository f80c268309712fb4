package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
)

func valuesCommand() command {
	return command{"values", "", "every key the files take: measures with their articles and data, authorities, offences...",
		func(s *session, fs *flag.FlagSet) {
			fs.BoolVar(&s.asJSON, "json", false, "write JSON, for scripts")
		}, runValues}
}

// values is what desk values prints: the library's lists, by the file
// that takes them.
type values struct {
	// Requisition is every key of a requisition file.
	Requisition requisition.Vocabulary `json:"requisition"`
	// Outcomes are a result file's outcomes.
	Outcomes []register.Outcome `json:"result_outcomes"`
	// Channels are desk answer's -channel.
	Channels []register.Channel `json:"answer_channels"`
	// Services are the values of desk.json's billing (its keys are
	// measures): the services the tariff prices.
	Services []indemnity.Service `json:"billing_services"`
}

// billingServices returns the services of the tariff's lines, in the
// tariff's order: what indemnity.Billing.Check accepts.
func billingServices() []indemnity.Service {
	var out []indemnity.Service
	for _, l := range indemnity.Tariff() {
		if !slices.Contains(out, l.Service) {
			out = append(out, l.Service)
		}
	}
	return out
}

// runValues prints every key the desk's files take, with the article
// each measure rests on and the offences' lists and sources.
func runValues(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("values takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	v := values{Requisition: requisition.Values(), Outcomes: register.Outcomes(), Channels: register.Channels(), Services: billingServices()}
	if s.asJSON {
		return s.printJSON(v)
	}
	writeValues(s.out, v, s.tag)
	return nil
}

// writeValues writes the values for people: each list under the field
// that takes it.
func writeValues(w io.Writer, v values, tag language.Tag) {
	p, r := printer(tag), v.Requisition
	cite := func(src provenance.Source) string { return requisition.CiteArticle(src, tag) }
	list := func(field string, keys []string) {
		fmt.Fprintf(w, "  %-22s %s\n", field, strings.Join(keys, ", "))
	}
	fmt.Fprintln(w, p.Sprintf("A requisition (desk schema requisition; desk template MEASURE):"))
	fmt.Fprintln(w, "  measure")
	for _, m := range r.Measures {
		line := fmt.Sprintf("    %-18s %s — %s", m.Measure, m.Measure.Label(tag), cite(m.Source))
		if m.MaxMonthsSource != nil {
			line += "; " + p.Sprintf("at most %[1]d {1:month|months}, %[2]s", m.MaxMonths, cite(*m.MaxMonthsSource))
		}
		fmt.Fprintln(w, line)
		fmt.Fprintf(w, "    %-18s items: %s\n", "", strings.Join(keys(m.Items), ", "))
	}
	fmt.Fprintln(w, "  authority")
	for _, a := range r.Authorities {
		fmt.Fprintf(w, "    %-26s %s\n", a, a.Label(tag))
	}
	list("circumstance", keys(r.Circumstances))
	list("items[]", keys(r.Items))
	list("targets[].kind", keys(r.TargetKinds))
	list("response.kind", keys(r.ResponseKinds))
	list("addressee", keys(r.Addressees))
	list("cooperation", keys(r.CooperationKinds))
	fmt.Fprintln(w, "  offences[]")
	for _, o := range r.Offences {
		fmt.Fprintf(w, "    %-34s %s — %s (%s)\n", o.ID, o.LabelIn(tag), cite(o.Source), strings.Join(keys(o.Lists), ", "))
	}
	fmt.Fprintln(w, p.Sprintf("A technician's result (desk schema result):"))
	list("outcome", keys(v.Outcomes))
	fmt.Fprintln(w, p.Sprintf("desk answer:"))
	list("-channel", keys(v.Channels))
	fmt.Fprintln(w, p.Sprintf("desk.json (desk schema desk):"))
	list("billing", []string{p.Sprintf("an object from measure keys to services:")})
	list("", keys(v.Services))
	list("month_rule", keys(r.MonthRules))
}

// keys returns the text forms of vs.
func keys[T any](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = fmt.Sprint(v)
		if m, ok := any(v).(interface{ MarshalText() ([]byte, error) }); ok {
			if b, err := m.MarshalText(); err == nil {
				out[i] = string(b)
			}
		}
	}
	return out
}
