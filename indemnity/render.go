package indemnity

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
)

// FormatDate writes a day as Belgians do in the language tag asks for:
// 31/01/2026 in French, Dutch and English, 31.01.2026 in German.
func FormatDate(d date.Date, tag language.Tag) string {
	if messages().Match(tag) == language.German {
		return d.Format("02.01.2006")
	}
	return d.Format("02/01/2006")
}

// Text writes the claim for a person, in the language tag asks for
// (French, Dutch, German or English): the header, one row per line, the
// totals with any multiplier and VAT applied and their sources, and the
// sources of the tariff lines with their certainty.
func (c Claim) Text(w io.Writer, tag language.Tag) error {
	p := messages().Printer(tag)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n%s\n\n", p.Sprintf("Cost statement"), c.Number,
		p.Sprintf("Judicial requisitions: indemnity of operators (royal decree of 9 January 2003, annex)"))
	field := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", p.Sprintf(label), value)
		}
	}
	if c.Issued != 0 {
		field("Issued", FormatDate(c.Issued, tag))
	}
	field("Operator", c.Operator.Name)
	field("Enterprise number", c.Operator.EnterpriseNumber)
	field("Account", c.Operator.IBAN)
	field("Addressed to", c.Authority)
	field("Reference", c.Reference)
	if c.From != 0 && c.To != 0 {
		field("Period", p.Sprintf("%s to %s", FormatDate(c.From, tag), FormatDate(c.To, tag)))
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Sprintf("Line"), p.Sprintf("Description"), p.Sprintf("Reference"),
		p.Sprintf("Day"), p.Sprintf("Qty"), p.Sprintf("Unit price"), p.Sprintf("Amount"))
	for _, l := range c.Lines {
		mark := ""
		if l.Overridden {
			mark = " *"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", l.Code, l.Labels[messages().Match(tag).String()]+mark, l.Reference,
			FormatDate(l.Day, tag), l.Quantity, l.UnitPrice.Format(tag), l.Amount.Format(tag))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	if c.Multiplier != nil {
		fmt.Fprintln(&b, p.Sprintf("Multiplier %s applied to each line (%s)", c.Multiplier.Rate.String(), c.Multiplier.Source))
	}
	fmt.Fprintf(&b, "%s: %s\n", p.Sprintf("Subtotal"), c.Subtotal.Format(tag))
	if c.VAT != nil {
		fmt.Fprintf(&b, "%s: %s\n", p.Sprintf("VAT %s%% (%s)", c.VAT.Rate.Percent(), c.VAT.Source), c.VATAmount.Format(tag))
	} else {
		fmt.Fprintln(&b, p.Sprintf("No VAT applied"))
	}
	fmt.Fprintf(&b, "%s: %s\n\n", p.Sprintf("Total"), c.Total.Format(tag))
	fmt.Fprintf(&b, "%s:\n", p.Sprintf("Sources"))
	for i, s := range c.Sources() {
		fmt.Fprintf(&b, "[%d] %v %s\n", i+1, s, s.URL)
	}
	if c.OverrideSource != "" {
		fmt.Fprintln(&b, p.Sprintf("* amount supplied by the operator: %s", c.OverrideSource))
	}
	fmt.Fprintln(&b, p.Sprintf("Amounts of the tariff with their certainty: [V] official text, [S] secondary source, [U] not verified."))
	_, err := io.WriteString(w, b.String())
	return err
}

// CSV writes the claim's lines for accounting tools: RFC 4180, comma
// separated, amounts with a decimal point and no currency sign, dates in
// ISO 8601, one header row. The totals are not rows: they are the sums of
// the amount column (plus the VAT in the JSON form).
func (c Claim) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"claim", "code", "edition", "reference", "day", "description_fr", "description_nl", "quantity", "unit_price_eur", "amount_eur", "overridden", "certainty", "source"}}
	for _, l := range c.Lines {
		cert, _ := l.Source.Certainty.MarshalText()
		rows = append(rows, []string{c.Number, l.Code, l.Edition, l.Reference, l.Day.String(), l.Labels["fr"], l.Labels["nl"],
			strconv.FormatInt(l.Quantity, 10), l.UnitPrice.String(), l.Amount.String(), strconv.FormatBool(l.Overridden),
			string(cert), l.Source.String()})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}
