package ccj

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	xmessage "golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// The layout of [Cell.WriteMonthSVG], in SVG user units (pixels): one row
// per day, one column per elapsed hour, a legend below.
const (
	svgLeft    = 112 // the day labels
	svgHour    = 28  // one hour
	svgHours   = 25  // the longest day: the October change
	svgRight   = 16
	svgTop     = 58 // the title and the hours
	svgRow     = 20 // one day
	svgLegend  = 20 // one line of the legend
	svgKey     = 350
	svgWidth   = svgLeft + svgHours*svgHour + svgRight
	svgGapFill = "#d00000"
)

// svgPalette returns the members' colours, in the order of Cell.Members,
// repeated when there are more members: the Okabe–Ito colours and others
// told apart by most colour-blind readers, none of them the red of gaps.
func svgPalette() [12]string {
	return [...]string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#f0e442",
		"#8c564b", "#7f7f7f", "#17becf", "#bcbd22", "#9467bd", "#1b3a6b"}
}

// MonthSVGSize returns the width and height, in pixels, of the image
// [Cell.WriteMonthSVG] draws of a month of days days for a cell of
// members members.
func MonthSVGSize(days, members int) (width, height int) {
	keys := members + 3 // the members, the backup stripe, the gap, the pale bar
	perLine := (svgWidth - svgLeft) / svgKey
	lines := (keys + perLine - 1) / perLine
	return svgWidth, svgTop + days*svgRow + 12 + lines*svgLegend + 8
}

// WriteMonthSVG draws the rota of a Brussels calendar month as an SVG
// image, for a volunteer group to look at: one row per day, its length
// the day's real length in elapsed hours — 23 on the day clocks go
// forward, 25 on the day they go back, with a mark at the change — and
// the hours of the day across. Each shift is a bar in its primary's
// colour, pale on a day the member has no valid security advice, with a
// stripe below in the backup's colour; the intervals with nobody eligible
// on call ([Cell.Gaps]) are red. A legend names the members by colour, in
// the order of Members, and the title, the days and the legend are in the
// language tag asks for. The output depends on nothing but the cell, the
// month and the language, and is [MonthSVGSize] large.
//
// A month outside the years ccjkit places in Brussels time is an error
// wrapping [ErrWindow]; patterns that cannot be expanded over the month
// are reported as by [Expand]. When w fails, the error wraps [ErrWrite]
// and w's error. Texts from the cell are escaped, and control characters
// dropped.
func (c Cell) WriteMonthSVG(w io.Writer, year int, month time.Month, tag language.Tag) error {
	if month < time.January || month > time.December || year < 1900 || year > 2199 {
		return fmt.Errorf("%w: not a month ccjkit places in Brussels time", ErrWindow)
	}
	first := date.New(year, month, 1)
	last := date.New(year, month+1, 1) - 1
	from, until := timesync.DayStart(first), timesync.DayEnd(last)
	_, fs := expand(c.Patterns, first-longestDays, last)
	if err := provenance.Check(whatPatterns, fs); err != nil {
		return err
	}
	shifts, _, _ := c.rota(from, until)
	gaps, _ := c.Gaps(from, until)

	p := messages().Printer(tag)
	days := int(last-first) + 1
	width, height := MonthSVGSize(days, len(c.Members))
	s := &svg{tag: tag}
	s.printf(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Verdana, sans-serif" font-size="11">`+"\n", width, height, width, height)
	s.printf(`<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	s.printf(`<text x="%d" y="20" font-size="15" font-weight="bold">%s</text>`+"\n", svgLeft, s.esc(plain(c.calendarName())+" — "+p.Sprintf(month.String())+" "+strconv.Itoa(year)))
	for h := 0; h <= svgHours; h += 3 {
		s.printf(`<text x="%d" y="%d" text-anchor="middle" fill="#555555">%02d:00</text>`+"\n", svgLeft+h*svgHour, svgTop-8, h%24)
	}
	for i := range days {
		c.svgDay(s, p, first+date.Date(i), svgTop+i*svgRow, shifts, gaps)
	}
	c.svgLegend(s, p, svgTop+days*svgRow+12)
	s.printf("</svg>\n")
	if _, err := io.WriteString(w, s.b.String()); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

// svg is an SVG document being written.
type svg struct {
	b   strings.Builder
	tag language.Tag // the language of its texts
}

func (s *svg) printf(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// esc escapes text for an element's content or an attribute's value; XML
// 1.0 cannot hold control characters, which are dropped.
func (s *svg) esc(text string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(plain(strings.ReplaceAll(text, "\n", " "))))
	return b.String()
}

// px writes a coordinate, to the hundredth.
func px(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// svgDay draws day d's row at y: its background as long as the day, the
// shifts and gaps within it, the clock change if any, the label.
func (c Cell) svgDay(s *svg, p *xmessage.Printer, d date.Date, y int, shifts []Shift, gaps []Interval) {
	start, end := timesync.DayStart(d), timesync.DayEnd(d)
	hours := end.Sub(start).Hours()
	x := func(t time.Time) float64 { return svgLeft + t.Sub(start).Hours()*svgHour }
	label := p.Sprintf(d.Weekday().String()[:3]) + " " + fmt.Sprintf("%02d", d.Day())
	if hours != 24 {
		label += fmt.Sprintf(" (%g h)", hours)
	}
	s.printf(`<text x="%d" y="%d">%s</text>`+"\n", 8, y+14, s.esc(label))
	s.printf(`<rect x="%d" y="%d" width="%s" height="%d" fill="#eeeeee"/>`+"\n", svgLeft, y+1, px(hours*svgHour), svgRow-2)
	for _, sh := range shifts {
		a, b := maxTime(sh.Start, start), minTime(sh.End, end)
		if !a.Before(b) {
			continue
		}
		tip := s.esc(c.name(sh.Primary) + " " + timesync.FromTime(sh.Start).Display(s.tag) + " → " + timesync.FromTime(sh.End).Display(s.tag))
		opacity := ""
		if !c.eligible(sh.Primary, d) {
			opacity = ` fill-opacity="0.35"`
		}
		s.printf(`<rect x="%s" y="%d" width="%s" height="%d" fill="%s"%s><title>%s</title></rect>`+"\n",
			px(x(a)), y+2, px(x(b)-x(a)), 12, c.colour(sh.Primary), opacity, tip)
		if sh.Backup != "" && sh.Backup != sh.Primary {
			opacity = ""
			if !c.eligible(sh.Backup, d) {
				opacity = ` fill-opacity="0.35"`
			}
			s.printf(`<rect x="%s" y="%d" width="%s" height="%d" fill="%s"%s/>`+"\n", px(x(a)), y+14, px(x(b)-x(a)), 4, c.colour(sh.Backup), opacity)
		}
	}
	for _, g := range gaps {
		a, b := maxTime(g.Start, start), minTime(g.End, end)
		if !a.Before(b) {
			continue
		}
		s.printf(`<rect x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
			px(x(a)), y+1, px(x(b)-x(a)), svgRow-2, svgGapFill, s.esc(p.Sprintf("gap: nobody eligible on call")))
	}
	for tr := range timesync.Transitions(start, end) {
		s.printf(`<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#000000" stroke-width="2" stroke-dasharray="3,2"/>`+"\n",
			px(x(tr.At)), y, px(x(tr.At)), y+svgRow)
	}
	for h := 3; h < int(hours); h += 3 {
		s.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ffffff" stroke-width="1" stroke-opacity="0.6"/>`+"\n",
			svgLeft+h*svgHour, y+1, svgLeft+h*svgHour, y+svgRow-1)
	}
}

// svgLegend draws the legend at y: each member's colour and name, the
// backup's stripe, a pale bar, a gap.
func (c Cell) svgLegend(s *svg, p *xmessage.Printer, y int) {
	type key struct {
		fill, opacity string
		dy, height    int
		text          string
	}
	var keys []key
	for _, m := range c.Members {
		keys = append(keys, key{c.colour(m.ID), "1", 2, 12, cmpName(m)})
	}
	keys = append(keys,
		key{"#555555", "1", 10, 4, p.Sprintf("backup: the stripe below")},
		key{"#555555", "0.35", 2, 12, p.Sprintf("pale: no valid security advice")},
		key{svgGapFill, "1", 2, 12, p.Sprintf("gap: nobody eligible on call")})
	perLine := (svgWidth - svgLeft) / svgKey
	for i, k := range keys {
		kx, ky := svgLeft+(i%perLine)*svgKey, y+(i/perLine)*svgLegend
		s.printf(`<rect x="%d" y="%d" width="14" height="%d" fill="%s" fill-opacity="%s"/>`+"\n", kx, ky+k.dy, k.height, k.fill, k.opacity)
		s.printf(`<text x="%d" y="%d">%s</text>`+"\n", kx+20, ky+12, s.esc(k.text))
	}
}

// cmpName is the member's name, or ID when it has none.
func cmpName(m Member) string {
	if strings.TrimSpace(m.Name) == "" {
		return m.ID
	}
	return m.Name
}

// colour is member id's colour: by its place in Members, black for
// someone who is not a member.
func (c Cell) colour(id string) string {
	for i, m := range c.Members {
		if m.ID == id {
			p := svgPalette()
			return p[i%len(p)]
		}
	}
	return "#000000"
}
