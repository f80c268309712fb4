package pdf

import (
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/ccjkit/ccjkit/indemnity"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/text/language"
)

// Options tune the PDF. The zero Options are A4 portrait.
type Options struct {
	// Letter selects US Letter paper instead of A4.
	Letter bool
}

// Write prints claim c in the language tag asks for as a one- or
// multi-page PDF to w. Layout coordinates are in millimetres (the PDF
// library's float geometry); every amount arrives already formatted as
// text by package indemnity, so no amount passes through a float.
func Write(w io.Writer, c indemnity.Claim, tag language.Tag, opt Options) error {
	d := c.Document(tag)
	// The Go fonts have no narrow no-break space (U+202F, the French
	// thousands separator): print a no-break space instead.
	d = replaceAll(d, "\u202f", "\u00a0")
	size := "A4"
	if opt.Letter {
		size = "Letter"
	}
	p := fpdf.New("P", "mm", size, "")
	p.SetCreator("ccjkit", true)
	p.SetTitle(d.Title, true)
	p.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.SetMargins(15, 15, 15)
	p.SetAutoPageBreak(true, 15)
	p.AddPage()
	width, _ := p.GetPageSize()
	usable := width - 30

	p.SetFont("go", "B", 15)
	p.CellFormat(usable, 8, d.Title, "", 1, "L", false, 0, "")
	p.SetFont("go", "", 9)
	p.MultiCell(usable, 4.5, d.Subtitle, "", "L", false)
	p.Ln(3)

	p.SetFont("go", "", 10)
	for _, f := range d.Fields {
		p.SetFont("go", "B", 10)
		p.CellFormat(45, 5.5, f[0], "", 0, "L", false, 0, "")
		p.SetFont("go", "", 10)
		p.MultiCell(usable-45, 5.5, f[1], "", "L", false)
	}
	p.Ln(4)

	// Column widths, in millimetres, summing to the usable width.
	widths := []float64{20, 0, 33, 21, 12, 24, 24}
	widths[1] = usable - sum(widths)
	align := []string{"L", "L", "L", "L", "R", "R", "R"}
	p.SetFont("go", "B", 8.5)
	p.SetFillColor(230, 230, 230)
	for i, col := range d.Columns {
		p.CellFormat(widths[i], 6, col, "1", 0, align[i], true, 0, "")
	}
	p.Ln(-1)
	p.SetFont("go", "", 8.5)
	for _, r := range d.Rows {
		row(p, r, widths, align)
	}
	p.Ln(3)
	for i, t := range d.Totals {
		style := ""
		if i == len(d.Totals)-1 {
			style = "B"
		}
		p.SetFont("go", style, 10)
		p.CellFormat(usable-35, 6, t[0], "", 0, "R", false, 0, "")
		p.CellFormat(35, 6, t[1], "", 1, "R", false, 0, "")
	}
	p.SetFont("go", "", 9)
	for _, n := range d.Notes {
		p.MultiCell(usable, 4.5, n, "", "L", false)
	}
	p.Ln(4)
	p.SetFont("go", "B", 9)
	p.CellFormat(usable, 5, d.SourcesTitle, "", 1, "L", false, 0, "")
	p.SetFont("go", "", 7.5)
	for _, s := range d.Sources {
		p.MultiCell(usable, 3.8, s, "", "L", false)
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("indemnity/pdf: %w", err)
	}
	return p.Output(w)
}

// row draws one table row whose cells wrap onto as many lines as the
// longest needs, so that no description is cut.
func row(p *fpdf.Fpdf, cells []string, widths []float64, align []string) {
	const lineH, pad = 4.5, 1.0
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = p.SplitText(c, widths[i]-2*pad)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lineH + 2*pad
	_, pageH := p.GetPageSize()
	_, _, _, bottom := p.GetMargins()
	if p.GetY()+h > pageH-bottom {
		p.AddPage()
	}
	x, y := p.GetXY()
	for i := range cells {
		p.Rect(x, y, widths[i], h, "D")
		for j, line := range lines[i] {
			p.SetXY(x+pad, y+pad+float64(j)*lineH)
			p.CellFormat(widths[i]-2*pad, lineH, line, "", 0, align[i], false, 0, "")
		}
		x += widths[i]
	}
	p.SetXY(15, y+h)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// replaceAll replaces old by new in every text of the document.
func replaceAll(d indemnity.Document, old, new string) indemnity.Document {
	r := func(s string) string { return strings.ReplaceAll(s, old, new) }
	d.Title, d.Subtitle, d.SourcesTitle = r(d.Title), r(d.Subtitle), r(d.SourcesTitle)
	for i := range d.Fields {
		d.Fields[i] = [2]string{r(d.Fields[i][0]), r(d.Fields[i][1])}
	}
	for i := range d.Columns {
		d.Columns[i] = r(d.Columns[i])
	}
	rows := make([][]string, len(d.Rows))
	for i, row := range d.Rows {
		for _, c := range row {
			rows[i] = append(rows[i], r(c))
		}
	}
	d.Rows = rows
	for i := range d.Totals {
		d.Totals[i] = [2]string{r(d.Totals[i][0]), r(d.Totals[i][1])}
	}
	for i := range d.Notes {
		d.Notes[i] = r(d.Notes[i])
	}
	for i := range d.Sources {
		d.Sources[i] = r(d.Sources[i])
	}
	return d
}
