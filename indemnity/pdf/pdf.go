package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/indemnity"
)

// Options tune the PDF. The zero Options are A4 portrait.
type Options struct {
	// Letter selects US Letter paper instead of A4.
	Letter bool
}

// ErrWrite is wrapped by the errors of [Write]: the PDF library's own, or
// w's, which the error wraps too.
var ErrWrite = errors.New("indemnity/pdf: cannot write the PDF")

// Write prints claim c in the language tag asks for as a one- or
// multi-page PDF to w. Layout coordinates are in millimetres (the PDF
// library's float geometry); every amount arrives already formatted as
// text by package indemnity, so no amount passes through a float. Its
// errors wrap [ErrWrite].
func Write(w io.Writer, c indemnity.Claim, tag language.Tag, opt Options) error {
	d := c.Document(tag)
	// The Go fonts have no narrow no-break space (U+202F, the French
	// thousands separator): print a no-break space instead. Characters
	// beyond the Basic Multilingual Plane (emoji), which the PDF library
	// cannot embed, print as U+FFFD's stand-in "?". Right-to-left scripts
	// are not shaped.
	d = mapText(d, printable)
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
	p.MultiCell(usable, 7, d.Title, "", "L", false)
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
		p.CellFormat(usable-45, 6, shrink(p, t[0], usable-45), "", 0, "R", false, 0, "")
		p.CellFormat(45, 6, shrink(p, t[1], 45), "", 1, "R", false, 0, "")
		p.SetFontSize(10)
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
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

// maxCellLines bounds how many lines a table cell may wrap onto, so that a
// hostile or broken reference cannot spread one row over many pages.
const maxCellLines = 6

// numeric columns (day, quantity, unit price, amount) never wrap: their
// text shrinks to fit instead.
func numeric(i int) bool { return i >= 3 }

// row draws one table row whose text cells wrap onto as many lines as the
// longest needs (at most maxCellLines, then an ellipsis), so that no
// description is cut silently.
func row(p *fpdf.Fpdf, cells []string, widths []float64, align []string) {
	const lineH, pad = 4.5, 1.0
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		if numeric(i) {
			lines[i] = []string{c}
			continue
		}
		ls := p.SplitText(c, widths[i]-2*pad)
		if len(ls) > maxCellLines {
			ls = append(ls[:maxCellLines-1], ls[maxCellLines-1]+"…")
		}
		lines[i] = ls
		n = max(n, len(ls))
	}
	h := float64(n)*lineH + 2*pad
	_, pageH := p.GetPageSize()
	_, _, _, bottom := p.GetMargins()
	if p.GetY()+h > pageH-bottom {
		p.AddPage()
	}
	x, y := p.GetXY()
	size, _ := p.GetFontSize()
	for i := range cells {
		p.Rect(x, y, widths[i], h, "D")
		for j, line := range lines[i] {
			p.SetXY(x+pad, y+pad+float64(j)*lineH)
			if numeric(i) {
				line = shrink(p, line, widths[i]-2*pad)
			}
			p.CellFormat(widths[i]-2*pad, lineH, line, "", 0, align[i], false, 0, "")
			p.SetFontSize(size)
		}
		x += widths[i]
	}
	p.SetXY(15, y+h)
}

// shrink lowers the font size until s fits width (down to 4 points) and
// returns s; the caller restores the size.
func shrink(p *fpdf.Fpdf, s string, width float64) string {
	size, _ := p.GetFontSize()
	for size > 4 && p.GetStringWidth(s) > width {
		size -= 0.5
		p.SetFontSize(size)
	}
	return s
}

// printable maps text to what the embedded fonts can print.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u202f':
			return '\u00a0'
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// mapText applies f to every text of the document.
func mapText(d indemnity.Document, f func(string) string) indemnity.Document {
	d.Title, d.Subtitle, d.SourcesTitle = f(d.Title), f(d.Subtitle), f(d.SourcesTitle)
	fields := make([][2]string, len(d.Fields))
	for i, x := range d.Fields {
		fields[i] = [2]string{f(x[0]), f(x[1])}
	}
	d.Fields = fields
	d.Columns = mapAll(d.Columns, f)
	rows := make([][]string, len(d.Rows))
	for i, r := range d.Rows {
		rows[i] = mapAll(r, f)
	}
	d.Rows = rows
	totals := make([][2]string, len(d.Totals))
	for i, x := range d.Totals {
		totals[i] = [2]string{f(x[0]), f(x[1])}
	}
	d.Totals = totals
	d.Notes, d.Sources = mapAll(d.Notes, f), mapAll(d.Sources, f)
	return d
}

func mapAll(xs []string, f func(string) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
