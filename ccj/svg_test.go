package ccj

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/internal/testenv"
)

// monthCell has alice and bob with a valid advice and carol without; its
// rota is a weekend across the October change and one across the March
// change: alice 25 hours from Saturday 08:00 with bob as backup, then
// carol until 20:00 (not eligible: a gap), everything else a gap.
func monthCell(t *testing.T) Cell {
	t.Helper()
	m := func(id, name string, status AdviceStatus, granted date.Date) Member {
		return Member{ID: id, Name: name, Role: CellMember, Channels: []Channel{{Kind: Phone, Value: "+32470000001"}},
			Advice: Advice{Status: status, Granted: granted, Reference: "AS"}}
	}
	shift := func(start, end, primary, backup string) Shift {
		s, err := NewShift(start, end, primary, backup)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return Cell{Name: "Neutrinet", Members: []Member{
		m("alice", "Alice <Dubois> & \"Co\"", AdvicePositive, date.New(2024, 3, 1)),
		m("bob", "Bob Peeters", AdvicePositive, date.New(2023, 6, 15)),
		m("carol", "Carol\x1b[31m Schmit", AdvicePending, 0),
	}, Shifts: []Shift{
		shift("2026-10-24 08:00", "2026-10-25 08:00", "alice", "bob"),
		shift("2026-10-25 08:00", "2026-10-25 20:00", "carol", ""),
		shift("2027-03-27 08:00", "2027-03-28 08:00", "alice", "bob"),
	}}
}

func monthSVG(t *testing.T, c Cell, year int, month time.Month, tag language.Tag) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.WriteMonthSVG(&b, year, month, tag); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The month view is well-formed XML of the size MonthSVGSize says, the
// same every time, its texts escaped and translated, a row per day and
// the day of the change marked with its length.
func TestMonthSVG(t *testing.T) {
	c := monthCell(t)
	for _, tc := range []struct {
		name  string
		year  int
		month time.Month
		tag   language.Tag
		days  int
		want  []string
	}{
		{"October 2026, in English: a 25-hour day", 2026, time.October, language.English, 31,
			[]string{"Neutrinet CCJ — October 2026", "Sun 25 (25 h)", "Alice &lt;Dubois&gt; &amp; &#34;Co&#34;", "Carol[31m Schmit", `fill="#d00000"`, "stroke-dasharray"}},
		{"March 2027, in Dutch: a 23-hour day", 2027, time.March, language.Dutch, 31, []string{"Neutrinet CCJ — maart 2027", "zo 28 (23 h)", "gat: niemand"}},
		{"February 2026, in French: no change", 2026, time.February, language.French, 28, []string{"février 2026", "sam 28<"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := monthSVG(t, c, tc.year, tc.month, tc.tag)
			if again := monthSVG(t, c, tc.year, tc.month, tc.tag); !bytes.Equal(out, again) {
				t.Error("two drawings of the same month differ")
			}
			w, h := svgSize(t, out)
			if ww, wh := MonthSVGSize(tc.days, len(c.Members)); w != ww || h != wh {
				t.Errorf("%d×%d, want %d×%d", w, h, ww, wh)
			}
			for _, s := range tc.want {
				if !bytes.Contains(out, []byte(s)) {
					t.Errorf("lacks %q", s)
				}
			}
			if bytes.Contains(out, []byte("\x1b")) || bytes.Contains(out, []byte("<Dubois>")) {
				t.Error("a name is not escaped")
			}
			if strings.Contains(tc.name, "no change") && bytes.Contains(out, []byte(" h)")) {
				t.Error("a day of 24 hours is marked")
			}
		})
	}
}

// svgSize parses the whole document and returns its width and height.
func svgSize(t *testing.T, doc []byte) (int, int) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	w, h := -1, -1
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "svg" {
			for _, a := range se.Attr {
				n, _ := strconv.Atoi(a.Value)
				switch a.Name.Local {
				case "width":
					w = n
				case "height":
					h = n
				}
			}
		}
	}
	return w, h
}

// A real renderer — librsvg's rsvg-convert, from Debian — draws the month
// to a PNG of the size the SVG says, with the colours where the rota puts
// them: red where nobody eligible is on call, each member's colour on
// their shifts, the backup's in the stripe below, and each day as long
// as it really is.
func TestMonthSVGRendered(t *testing.T) {
	rsvg := testenv.LookPath(t, "rsvg-convert", "librsvg2-bin")
	c := monthCell(t)
	gap, alice, bob := color.RGBA{0xd0, 0, 0, 0xff}, color.RGBA{0, 0x72, 0xb2, 0xff}, color.RGBA{0xe6, 0x9f, 0, 0xff}
	white, row := color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0xee, 0xee, 0xee, 0xff}
	for _, tc := range []struct {
		name   string
		year   int
		month  time.Month
		pixels []pixel
	}{
		{"October 2026", 2026, time.October, []pixel{
			{"a gap on the 1st at 12:30", 1, 12.5, 8, gap},
			{"alice on call on the 24th at 12:30", 24, 12.5, 8, alice},
			{"bob her backup, in the stripe", 24, 12.5, 16, bob},
			{"alice still on call on the 25th at 02:30 CET, the 4th elapsed hour", 25, 3.5, 8, alice},
			{"carol, without an advice, is a gap on the 25th", 25, 13, 8, gap},
			{"the 25th has a 25th hour", 25, 24.5, 8, gap},
			{"the 26th has not", 26, 24.5, 8, white},
		}},
		{"March 2027", 2027, time.March, []pixel{
			{"the 28th has no 24th hour", 28, 23.5, 8, white},
			{"the 29th has", 29, 23.5, 8, gap},
			{"alice until 08:00 on the 28th, the 7th elapsed hour", 28, 6.5, 8, alice},
			{"a gap from then", 28, 7.5, 8, gap},
		}},
		{"November 2026: no rota", 2026, time.November, []pixel{{"a gap", 30, 23.5, 8, gap}, {"no 25th hour", 30, 24.5, 8, white}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := monthSVG(t, c, tc.year, tc.month, language.English)
			dir := t.TempDir()
			in, outPath := filepath.Join(dir, "month.svg"), filepath.Join(dir, "month.png")
			if err := os.WriteFile(in, doc, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(rsvg, "--format=png", "-o", outPath, in).CombinedOutput(); err != nil {
				t.Fatalf("rsvg-convert: %v: %s", err, out)
			}
			f, err := os.Open(outPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatalf("the PNG does not decode: %v", err)
			}
			days := int(date.New(tc.year, tc.month+1, 1) - date.New(tc.year, tc.month, 1))
			w, h := MonthSVGSize(days, len(c.Members))
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Fatalf("the PNG is %d×%d, want %d×%d", b.Dx(), b.Dy(), w, h)
			}
			for _, p := range tc.pixels {
				x, y := svgLeft+int(p.hour*svgHour), svgTop+(p.day-1)*svgRow+p.dy
				if got := img.At(x, y); !near(got, p.want) {
					t.Errorf("%s: pixel (%d, %d) is %v, want %v", p.what, x, y, got, p.want)
				}
			}
			// The row's background, where nothing is drawn, is not white:
			// the label column is.
			if near(img.At(svgLeft/2, svgTop+svgRow/2+6), row) {
				t.Error("the labels' column is drawn as a row")
			}
		})
	}
}

// pixel is a point of the month view: the day of the month, the elapsed
// hours since its midnight, the offset within the row, and its colour.
type pixel struct {
	what string
	day  int
	hour float64
	dy   int
	want color.RGBA
}

// near reports whether c is within a few steps of want on each channel.
func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, y uint8) bool { v := int(x>>8) - int(y); return v > -12 && v < 12 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

// The month view refuses what it cannot draw, each with its sentinel.
func TestMonthSVGRefused(t *testing.T) {
	c := monthCell(t)
	if err := c.WriteMonthSVG(io.Discard, 2026, 13, language.English); !errors.Is(err, ErrWindow) {
		t.Errorf("month 13: %v", err)
	}
	if err := c.WriteMonthSVG(io.Discard, 1850, time.January, language.English); !errors.Is(err, ErrWindow) {
		t.Errorf("1850: %v", err)
	}
	gap := c
	gap.Patterns = []Pattern{{Weekday: time.Sunday, Start: "02:30", End: "08:00", Primaries: []string{"alice"}, Anchor: date.New(2027, 1, 4)}}
	if err := gap.WriteMonthSVG(io.Discard, 2027, time.March, language.English); !errors.Is(err, ErrPattern) {
		t.Errorf("a pattern in the spring gap: %v", err)
	}
	if err := c.WriteMonthSVG(failing{}, 2026, time.October, language.English); !errors.Is(err, ErrWrite) {
		t.Errorf("a failing writer: %v", err)
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("disk full") }
