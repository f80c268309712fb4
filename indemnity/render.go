package indemnity

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/timesync"
)

// FormatDate writes a day in the language tag asks for as every output of
// ccjkit does ([timesync.DisplayDay]): 31/01/2026 in French and Dutch,
// 31.01.2026 in German, 2026-01-31 in English.
func FormatDate(d date.Date, tag language.Tag) string {
	return timesync.DisplayDay(d, messages().Match(tag))
}

// Document is a claim laid out for people, in one language, independent of
// the medium: [Claim.Text] prints it as text, package indemnity/pdf as a
// PDF. Amounts are already formatted.
type Document struct {
	Title, Subtitle string
	// Fields are the header's label/value pairs, in order.
	Fields [][2]string
	// Columns name the table's columns; Rows hold one line each. The last
	// four columns are numbers (day, quantity, unit price, amount).
	Columns []string
	Rows    [][]string
	// Totals are label/value pairs below the table; Notes follow them.
	Totals [][2]string
	Notes  []string
	// SourcesTitle heads Sources, one per tariff line used.
	SourcesTitle string
	Sources      []string
}

// clean makes caller-supplied text safe to lay out: control characters
// (newlines, tabs) become spaces, so that a reference cannot forge a line
// of the claim.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// oneLine writes an address given on several lines on one, its lines
// joined by ", " ("Rue de Bruxelles 2\n4000 Liège" → "Rue de Bruxelles
// 2, 4000 Liège"), empty lines dropped.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, ", ")
}

// Document lays the claim out in the language tag asks for.
func (c Claim) Document(tag language.Tag) Document {
	p := messages().Printer(tag)
	d := Document{
		Title:        p.Sprintf("Cost statement") + " " + clean(c.Number),
		Subtitle:     p.Sprintf("Judicial requisitions: indemnity of operators (royal decree of 9 January 2003, annex)"),
		SourcesTitle: p.Sprintf("Sources"),
	}
	field := func(label, value string) {
		if value != "" {
			d.Fields = append(d.Fields, [2]string{p.Sprintf(label), clean(value)})
		}
	}
	if c.Issued != 0 {
		field("Issued", FormatDate(c.Issued, tag))
	}
	field("Operator", c.Operator.Name)
	field("Operator's address", oneLine(c.Operator.Address))
	field("Enterprise number", c.Operator.EnterpriseNumber)
	field("Account", c.Operator.IBAN)
	field("Addressed to", c.Authority)
	field("Addressee's address", oneLine(c.AuthorityAddress))
	field("Reference", c.Reference)
	if c.From != 0 && c.To != 0 {
		field("Period", p.Sprintf("%s to %s", FormatDate(c.From, tag), FormatDate(c.To, tag)))
	}
	for _, k := range []string{"Line", "Description", "Reference", "Day", "Qty", "Unit price", "Amount"} {
		d.Columns = append(d.Columns, p.Sprintf(k))
	}
	for _, l := range c.Lines {
		label := labelIn(l.Labels, tag)
		if l.Overridden {
			label += " *"
		}
		d.Rows = append(d.Rows, []string{clean(l.Code), clean(label), clean(l.Reference), FormatDate(l.Day, tag),
			strconv.FormatInt(l.Quantity, 10), l.UnitPrice.Format(tag), l.Amount.Format(tag)})
	}
	if c.Multiplier != nil {
		d.Notes = append(d.Notes, p.Sprintf("Multiplier %s applied to each line (%s)", c.Multiplier.Rate.String(), clean(c.Multiplier.Source)))
	}
	d.Totals = append(d.Totals, [2]string{p.Sprintf("Subtotal"), c.Subtotal.Format(tag)})
	if c.VAT != nil {
		d.Totals = append(d.Totals, [2]string{p.Sprintf("VAT %s%%", c.VAT.Rate.Percent()), c.VATAmount.Format(tag)})
		d.Notes = append(d.Notes, p.Sprintf("VAT rate: %s", clean(c.VAT.Source)))
	} else {
		d.Notes = append(d.Notes, p.Sprintf("No VAT applied"))
	}
	d.Totals = append(d.Totals, [2]string{p.Sprintf("Total"), c.Total.Format(tag)})
	for i, s := range c.Sources() {
		cite := s.Instrument
		if s.Article != "" {
			cite += ", " + s.Article
		}
		edition := p.Sprintf("edition %s", strings.TrimPrefix(s.Edition, "edition "))
		d.Sources = append(d.Sources, fmt.Sprintf("[%d] %s (%s) %v %s", i+1, clean(cite), edition, s.Certainty, s.URL))
	}
	if c.OverrideSource != "" {
		d.Sources = append(d.Sources, p.Sprintf("* amount supplied by the operator: %s", clean(c.OverrideSource)))
	}
	d.Sources = append(d.Sources, p.Sprintf("Amounts of the tariff with their certainty: [V] official text, [S] secondary source, [U] not verified."))
	return d
}

// Text writes the claim for a person, in the language tag asks for
// (French, Dutch, German or English): the header, one row per line, the
// totals with any multiplier and VAT applied and their sources, and the
// sources of the tariff lines with their certainty. Its only error is w's,
// returned as it is.
func (c Claim) Text(w io.Writer, tag language.Tag) error {
	d := c.Document(tag)
	p := messages().Printer(tag)
	pair := func(label, value string) string { return p.Sprintf("%s: %s", label, value) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", d.Title, d.Subtitle)
	for _, f := range d.Fields {
		fmt.Fprintln(&b, pair(f[0], f[1]))
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(d.Columns, "\t"))
	for _, r := range d.Rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	for _, t := range d.Totals[:len(d.Totals)-1] {
		fmt.Fprintln(&b, pair(t[0], t[1]))
	}
	for _, n := range d.Notes {
		fmt.Fprintln(&b, n)
	}
	last := d.Totals[len(d.Totals)-1]
	fmt.Fprintf(&b, "%s\n\n", pair(last[0], last[1]))
	fmt.Fprintln(&b, p.Sprintf("%s:", d.SourcesTitle))
	for _, s := range d.Sources {
		fmt.Fprintln(&b, s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CSV writes the claim's lines for accounting tools: RFC 4180, comma
// separated, amounts with a decimal point and no currency sign, dates in
// ISO 8601, one header row. The totals are not rows: they are the sums of
// the amount column (plus the VAT in the JSON form). Text cells that a
// spreadsheet would take for a formula (starting with =, +, -, @, a tab or
// a carriage return) are prefixed with an apostrophe, as OWASP advises
// against CSV injection. Its only error is w's, returned as it is.
func (c Claim) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"claim", "code", "edition", "reference", "day", "description_fr", "description_nl", "quantity", "unit_price_eur", "amount_eur", "overridden", "certainty", "source"}}
	for _, l := range c.Lines {
		cert, _ := l.Source.Certainty.MarshalText()
		rows = append(rows, []string{safeCell(c.Number), safeCell(l.Code), safeCell(l.Edition), safeCell(l.Reference), l.Day.String(),
			safeCell(l.Labels["fr"]), safeCell(l.Labels["nl"]),
			strconv.FormatInt(l.Quantity, 10), l.UnitPrice.String(), l.Amount.String(), strconv.FormatBool(l.Overridden),
			string(cert), safeCell(l.Source.String())})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// safeCell defuses a text cell a spreadsheet would evaluate.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
