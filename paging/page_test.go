package paging_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/internal/i18n"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestPageText(t *testing.T) {
	tests := []struct {
		name  string
		kind  paging.Kind
		lang  language.Tag
		title string
		text  string
	}{
		{"a new request, in English", paging.NewRequest, language.English, "CCJ 2026-0042: new request",
			"New judicial request 2026-0042 received at 2026-10-24 21:47:03 +02:00.\nDeadline: urgent, within hours.\nAcknowledge: desk ack 2026-0042 DSWH2-596P2"},
		{"a new request, in French", paging.NewRequest, language.French, "CCJ 2026-0042\u00a0: nouvelle réquisition",
			"Nouvelle réquisition judiciaire 2026-0042 reçue le 24/10/2026 21:47:03 +02:00.\nDélai\u00a0: urgent, en heures.\nConfirmez la réception\u00a0: desk ack 2026-0042 DSWH2-596P2"},
		{"an escalation, in Dutch", paging.Escalation, language.Dutch, "CCJ 2026-0042: ontvangst niet bevestigd",
			"De ontvangst van gerechtelijke vordering 2026-0042 van 24/10/2026 21:47:03 +02:00 is niet bevestigd door het lid met wachtdienst.\nTermijn: dringend, binnen enkele uren.\nBevestig de ontvangst: desk ack 2026-0042 DSWH2-596P2"},
		{"a reminder, in German: no code, no acknowledgement line", paging.Reminder, language.German, "CCJ 2026-0042: 80\u00a0% der Frist verstrichen",
			"Gerichtliche Anforderung 2026-0042 eingegangen am 24.10.2026 21:47:03 +02:00: 80\u00a0% der Frist, die am 26.10.2026 20:47:03 +01:00 abläuft, sind verstrichen.\nFrist: dringend, binnen Stunden."},
		{"a reminder, in English", paging.Reminder, language.English, "CCJ 2026-0042: 80% of the time used",
			"Judicial request 2026-0042 received at 2026-10-24 21:47:03 +02:00: 80% of the time to its deadline, 2026-10-26 20:47:03 +01:00, has passed.\nDeadline: urgent, within hours."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPage(t, tt.kind, tt.lang)
			if got := p.Title(); got != tt.title {
				t.Errorf("title\n%q, want\n%q", got, tt.title)
			}
			if got := p.Text(); got != tt.text {
				t.Errorf("text\n%q, want\n%q", got, tt.text)
			}
		})
	}
	// Every text, in every language, is translated.
	for _, k := range []paging.Kind{paging.NewRequest, paging.Escalation, paging.Reminder} {
		for _, c := range []paging.Class{paging.Unread, paging.Urgent, paging.Ordinary} {
			p := testPage(t, k, language.English)
			p.Class = c
			en := strings.Split(p.Title()+"\n"+p.Text(), "\n")
			for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
				p.Lang = tag
				other := strings.Split(p.Title()+"\n"+p.Text(), "\n")
				for i := range en {
					if i < len(other) && other[i] == en[i] {
						t.Errorf("%v %v %v: line %q is not translated", k, c, tag, en[i])
					}
				}
			}
		}
	}
}

// The secrecy of pages, by construction: a Page's fields are numbers,
// instants, enumerations and two values (CaseID, Code) that only their
// parsers make — no field takes a string, so no target, authority,
// reference or content of a request can be handed to a page; and the
// text of any page, literal runs of the catalogue aside, holds only those
// fields.
func TestPageHoldsOnlyItsFields(t *testing.T) {
	allowed := map[reflect.Type]bool{
		reflect.TypeFor[paging.CaseID](): true, reflect.TypeFor[time.Time](): true, reflect.TypeFor[paging.Class](): true,
		reflect.TypeFor[paging.Kind](): true, reflect.TypeFor[int](): true, reflect.TypeFor[paging.Code](): true,
		reflect.TypeFor[language.Tag](): true,
	}
	pt := reflect.TypeFor[paging.Page]()
	for i := range pt.NumField() {
		f := pt.Field(i)
		if !allowed[f.Type] {
			t.Errorf("Page.%s is a %v: a page holds no field of a type that can carry text", f.Name, f.Type)
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[paging.CaseID](), reflect.TypeFor[paging.Code]()} {
		for i := range typ.NumField() {
			if typ.Field(i).IsExported() {
				t.Errorf("%v.%s is exported: only the parser may set it", typ, typ.Field(i).Name)
			}
		}
	}

	rapid.Check(t, func(t *rapid.T) {
		p := pageGen().Draw(t, "page")
		text := p.Title() + "\n" + p.Text()
		// What may stand outside the catalogue's marked runs.
		data := map[string]bool{p.Case.String(): true, timesync.FromTime(p.Received).Display(language.English): true,
			p.AckLine(): true, strconv.Itoa(p.Percent): true}
		if p.Kind == paging.Reminder {
			data[timesync.FromTime(p.Due).Display(language.English)] = true
		}
		for _, run := range unmarked(text) {
			if !data[run] {
				t.Fatalf("the page's text holds %q, which is none of its fields:\n%s", run, text)
			}
		}
	})
}

// unmarked returns the runs of a pseudo-locale text outside the marks,
// line by line, empty ones left out.
func unmarked(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for {
			i := strings.Index(line, i18n.MarkOpen)
			if i < 0 {
				break
			}
			if run := line[:i]; run != "" {
				out = append(out, run)
			}
			j := strings.Index(line[i:], i18n.MarkClose)
			if j < 0 {
				line = ""
				break
			}
			line = line[i+j+len(i18n.MarkClose):]
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// pageGen draws valid pages in the pseudo-locale.
func pageGen() *rapid.Generator[paging.Page] {
	return rapid.Custom(func(t *rapid.T) paging.Page {
		c := paging.MustParseCaseID(strconv.Itoa(rapid.IntRange(1990, 2099).Draw(t, "year")) + "-" +
			rapid.StringMatching(`[0-9]{4,6}`).Draw(t, "seq"))
		p := paging.Page{Case: c, Received: timesynctest.Instant().Draw(t, "received"),
			Class: paging.Class(rapid.IntRange(0, 2).Draw(t, "class")), Kind: paging.Kind(rapid.IntRange(1, 3).Draw(t, "kind")),
			Step: rapid.IntRange(0, 20).Draw(t, "step"), Lang: i18n.Pseudo()}
		if p.Kind == paging.Reminder {
			p.Percent = rapid.IntRange(1, 99).Draw(t, "percent")
			p.Due = p.Received.Add(time.Duration(rapid.Int64Range(1, int64(90*24*time.Hour)).Draw(t, "due")))
		}
		if rapid.Bool().Draw(t, "code") {
			code, err := paging.NewCode(codeKey, rapid.StringMatching(`[a-z]{1,8}`).Draw(t, "member"), c, p.Received)
			if err != nil {
				t.Fatal(err)
			}
			p.Code = code
		}
		if err := p.Check(); err != nil {
			t.Fatal(err)
		}
		return p
	})
}

func TestParseCaseID(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"the register's form", "2026-0042", true},
		{"a long year", "2026-123456", true},
		{"a short sequence", "2026-42", false},
		{"a sequence too long", "2026-1234567", false},
		{"an authority's reference", "BR.12.L1.004521/26", false},
		{"a notice number", "PV 004521/2026", false},
		{"a prefix", "CCJ-2026-0042", false},
		{"a space", "2026-0042 ", false},
		{"letters", "2026-00A2", false},
		{"full-width digits", "２０２６-0042", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := paging.ParseCaseID(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseCaseID: %v", err)
			}
			if err != nil {
				if !errors.Is(err, paging.ErrPage) || (tt.in != "" && strings.Contains(err.Error(), tt.in)) {
					t.Errorf("error %v", err)
				}
				return
			}
			var back paging.CaseID
			b, _ := c.MarshalText()
			if back.UnmarshalText(b) != nil || back != c || c.String() != tt.in {
				t.Errorf("round trip %q", b)
			}
		})
	}
}

func TestPageCheck(t *testing.T) {
	ok := testPage(t, paging.NewRequest, language.English)
	reminder := testPage(t, paging.Reminder, language.English)
	tests := []struct {
		name string
		page func() paging.Page
		ok   bool
	}{
		{"a new request", func() paging.Page { return ok }, true},
		{"a reminder", func() paging.Page { return reminder }, true},
		{"no case", func() paging.Page { p := ok; p.Case = paging.CaseID{}; return p }, false},
		{"no receipt", func() paging.Page { p := ok; p.Received = time.Time{}; return p }, false},
		{"no kind", func() paging.Page { p := ok; p.Kind = 0; return p }, false},
		{"an unknown class", func() paging.Page { p := ok; p.Class = 7; return p }, false},
		{"a negative step", func() paging.Page { p := ok; p.Step = -1; return p }, false},
		{"a percentage on a new request", func() paging.Page { p := ok; p.Percent = 50; return p }, false},
		{"a reminder at 100%", func() paging.Page { p := reminder; p.Percent = 100; return p }, false},
		{"a reminder due before receipt", func() paging.Page { p := reminder; p.Due = p.Received; return p }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.page().Check()
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, paging.ErrPage)) {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

// A page's key is the same for every attempt and differs for another
// page, member or channel; the code and the language do not change it.
func TestPageKey(t *testing.T) {
	p := testPage(t, paging.NewRequest, language.English)
	ch := ccj.Channel{Kind: ccj.Ntfy, Value: "https://ntfy.example.be/a"}
	k := p.Key("alice", ch)
	if len(k) != 32 {
		t.Errorf("key %q", k)
	}
	same := p
	same.Lang, same.Code = language.French, paging.Code{}
	if same.Key("alice", ch) != k {
		t.Error("the language or the code changes the key")
	}
	others := []paging.Key{p.Key("bob", ch), p.Key("alice", ccj.Channel{Kind: ccj.Ntfy, Value: "https://ntfy.example.be/b"})}
	for _, edit := range []func(*paging.Page){
		func(p *paging.Page) { p.Step = 1 },
		func(p *paging.Page) { p.Kind = paging.Escalation },
		func(p *paging.Page) { p.Received = p.Received.Add(time.Second) },
		func(p *paging.Page) { p.Case = paging.MustParseCaseID("2026-0043") },
	} {
		q := p
		edit(&q)
		others = append(others, q.Key("alice", ch))
	}
	for i, o := range others {
		if o == k {
			t.Errorf("change %d keeps the key", i)
		}
	}
}

func TestEnumerationsText(t *testing.T) {
	for _, c := range []paging.Class{paging.Unread, paging.Urgent, paging.Ordinary} {
		b, err := c.MarshalText()
		var back paging.Class
		if err != nil || back.UnmarshalText(b) != nil || back != c {
			t.Errorf("class %v: %q %v", c, b, err)
		}
	}
	for _, k := range []paging.Kind{paging.NewRequest, paging.Escalation, paging.Reminder} {
		b, err := k.MarshalText()
		var back paging.Kind
		if err != nil || back.UnmarshalText(b) != nil || back != k {
			t.Errorf("kind %v: %q %v", k, b, err)
		}
	}
	for f := paging.NoFailure; f <= paging.Canceled; f++ {
		b, err := f.MarshalText()
		var back paging.Failure
		if err != nil || back.UnmarshalText(b) != nil || back != f {
			t.Errorf("failure %v: %q %v", f, b, err)
		}
	}
	for w := paging.OnCallPrimary; w <= paging.Handler; w++ {
		b, err := w.MarshalText()
		var back paging.Who
		if err != nil || back.UnmarshalText(b) != nil || back != w {
			t.Errorf("who %v: %q %v", w, b, err)
		}
	}
	for k := paging.Paged; k <= paging.Closed; k++ {
		b, err := k.MarshalText()
		var back paging.EventKind
		if err != nil || back.UnmarshalText(b) != nil || back != k {
			t.Errorf("event kind %v: %q %v", k, b, err)
		}
	}
	if _, err := paging.Kind(0).MarshalText(); err == nil {
		t.Error("the zero Kind is written")
	}
	var c paging.Class
	if err := c.UnmarshalText([]byte("soon")); err == nil || strings.Contains(err.Error(), "soon") {
		t.Errorf("%v", err)
	}
}

// An intake not yet a case is paged under its number, I-17; the form is
// read back, and nothing else with the prefix is.
func TestIntakeID(t *testing.T) {
	id := paging.IntakeID(17)
	if id.String() != "I-17" {
		t.Fatalf("%q", id)
	}
	if n, ok := id.Intake(); !ok || n != 17 {
		t.Fatal("the intake's number is not read back")
	}
	if got, err := paging.ParseCaseID("I-17"); err != nil || got != id {
		t.Fatalf("%v %v", got, err)
	}
	if _, ok := paging.MustParseCaseID("2026-0042").Intake(); ok {
		t.Fatal("a case is not an intake")
	}
	for _, bad := range []string{"I-", "I-0", "I-017", "I--1", "I-1a", "I-99999999999999999999", "i-17"} {
		if _, err := paging.ParseCaseID(bad); err == nil {
			t.Errorf("%q read as a case ID", bad)
		}
	}
	if !paging.IntakeID(0).IsZero() {
		t.Fatal("intake 0")
	}
}
