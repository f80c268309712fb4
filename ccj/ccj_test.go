package ccj_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rickb777/date/v2"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// at is the instant Brussels clocks show at s; it panics on a time that does
// not exist or exists twice.
func at(s string) time.Time { return timesync.MustParseBrussels(s, timesync.Strict).Time() }

func member(id, name string, granted date.Date) ccj.Member {
	return ccj.Member{ID: id, Name: name, Role: ccj.CellMember, ResidesInBelgium: true,
		Channels: []ccj.Channel{{Kind: ccj.Phone, Value: "+32470000001"}, {Kind: ccj.Email, Value: id + "@example.be"}},
		Advice:   ccj.Advice{Status: ccj.AdvicePositive, Granted: granted, Reference: "AS-" + id}}
}

// sampleCell is a small association: two members with a valid advice, a
// third whose advice is pending, a weekend rota across the October change.
func sampleCell(t fataler) ccj.Cell {
	shifts := []ccj.Shift{}
	for _, s := range [][4]string{
		{"2026-10-23 18:00", "2026-10-24 08:00", "alice", "bob"},
		{"2026-10-24 08:00", "2026-10-24 18:00", "bob", "alice"},
		{"2026-10-24 18:00", "2026-10-25 08:00", "alice", "bob"}, // 15 hours: clocks go back
		{"2026-10-25 08:00", "2026-10-25 18:00", "bob", "alice"},
	} {
		sh, err := ccj.NewShift(s[0], s[1], s[2], s[3])
		if err != nil {
			t.Fatal(err)
		}
		shifts = append(shifts, sh)
	}
	return ccj.Cell{
		Name: "Neutrinet CCJ", Operator: "Neutrinet asbl",
		Address: ccj.Address{Street: "Rue Example 1", Postcode: "1000", City: "Bruxelles", Country: "BE"},
		Members: []ccj.Member{
			member("alice", "Alice Dubois", date.New(2023, 3, 1)),
			member("bob", "Bob Peeters", date.New(2022, 1, 15)),
			{ID: "carol", Name: "Carol Schmit", Role: ccj.CellMember, ResidesInBelgium: true,
				Channels: []ccj.Channel{{Kind: ccj.Matrix, Value: "@carol:example.be"}}, Advice: ccj.Advice{Status: ccj.AdvicePending}},
		},
		Shifts: shifts, Escalation: []string{"carol", "bob"},
		Procedure:       ccj.Procedure{Reference: "PROC-CCJ-2", Dated: date.New(2026, 2, 1)},
		PlatformUpdated: date.New(2026, 2, 3), MembersChanged: date.New(2026, 1, 20),
	}
}

func TestShiftLengthsAcrossDST(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		want       time.Duration
	}{
		{"ordinary night", "2026-10-17 18:00", "2026-10-18 08:00", 14 * time.Hour},
		{"night of the October change", "2026-10-24 18:00", "2026-10-25 08:00", 15 * time.Hour},
		{"night of the March change", "2026-03-28 18:00", "2026-03-29 08:00", 13 * time.Hour},
		{"Monday 18:00 to Tuesday 08:00", "2026-11-23 18:00", "2026-11-24 08:00", 14 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ccj.NewShift(tt.start, tt.end, "alice", "")
			if err != nil || s.Duration() != tt.want {
				t.Errorf("duration %v, %v; want %v", s.Duration(), err, tt.want)
			}
		})
	}
	if _, err := ccj.NewShift("2026-03-29 02:30", "2026-03-29 08:00", "alice", ""); !errors.Is(err, timesync.ErrNonexistent) {
		t.Errorf("a shift starting in the spring gap: %v", err)
	}
	if _, err := ccj.NewShift("2026-10-25 02:30", "2026-10-25 08:00", "alice", ""); !errors.Is(err, timesync.ErrAmbiguous) {
		t.Errorf("a shift starting in the repeated hour: %v", err)
	}
}

func TestOnCall(t *testing.T) {
	c := sampleCell(t)
	tests := []struct {
		name  string
		at    time.Time
		order []string
	}{
		{"Friday night", at("2026-10-23 23:00"), []string{"alice", "bob"}},
		{"the repeated hour, first time", at("2026-10-25 02:30 CEST"), []string{"alice", "bob"}},
		{"the repeated hour, second time", at("2026-10-25 02:30 CET"), []string{"alice", "bob"}},
		{"Sunday afternoon", at("2026-10-25 15:00"), []string{"bob", "alice"}},
		{"after the rota: escalation only", at("2026-10-26 09:00"), []string{"bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oc := c.OnCall(tt.at)
			if !slices.Equal(oc.Order, tt.order) {
				t.Errorf("order %v, want %v", oc.Order, tt.order)
			}
			// carol is on the escalation list without a valid advice.
			if len(oc.Findings) == 0 || !strings.Contains(oc.Findings[0].Text(language.English), "carol") {
				t.Errorf("findings %v", oc.Findings)
			}
		})
	}
}

func TestGaps(t *testing.T) {
	c := sampleCell(t)
	from, to := at("2026-10-23 12:00"), at("2026-10-26 12:00")
	gaps, _ := c.Gaps(from, to)
	want := []ccj.Interval{{from, at("2026-10-23 18:00")}, {at("2026-10-25 18:00"), to}}
	if diff := cmp.Diff(want, gaps); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	// Bob's advice lapses: his own shifts stay covered by Alice as backup,
	// and a shift of Bob alone becomes a gap from the midnight it lapses.
	c.Members[1].Advice.Granted = date.New(2021, 10, 25) // expires 2026-10-25
	c.Shifts[3].Backup = ""
	gaps, findings := c.Gaps(from, to)
	want = []ccj.Interval{{from, at("2026-10-23 18:00")}, {at("2026-10-25 08:00"), to}}
	if diff := cmp.Diff(want, gaps); diff != "" {
		t.Errorf("gaps after bob's advice lapses (-want +got):\n%s", diff)
	}
	if len(findings) == 0 {
		t.Error("no finding for bob on call without a valid advice")
	}
}

func TestAdviceExpiry(t *testing.T) {
	tests := []struct {
		name          string
		granted, last date.Date
		end           string
	}{
		{"summer", date.New(2021, 6, 15), date.New(2026, 6, 14), "2026-06-15T00:00:00+02:00"},
		{"29 February, no 29 February five years on", date.New(2024, 2, 29), date.New(2029, 2, 28), "2029-03-01T00:00:00+01:00"},
		{"28 February into a leap year", date.New(2023, 2, 28), date.New(2028, 2, 27), "2028-02-28T00:00:00+01:00"},
		{"29 February 2020", date.New(2020, 2, 29), date.New(2025, 2, 28), "2025-03-01T00:00:00+01:00"},
		{"last day before the spring change", date.New(2021, 3, 29), date.New(2026, 3, 28), "2026-03-29T00:00:00+01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ccj.Advice{Status: ccj.AdvicePositive, Granted: tt.granted}
			if got := a.LastDay(); got != tt.last {
				t.Errorf("granted %v: last day %v, want %v", tt.granted, got, tt.last)
			}
			if got := timesync.FromTime(a.End()).String(); got != tt.end {
				t.Errorf("granted %v: end %v, want %v", tt.granted, got, tt.end)
			}
			if !a.ValidOn(tt.last) || a.ValidOn(tt.last+1) || a.ValidOn(tt.granted-1) || !a.ValidOn(tt.granted) {
				t.Errorf("granted %v: validity window wrong", tt.granted)
			}
		})
	}
	if (ccj.Advice{}).LastDay() != 0 || !(ccj.Advice{}).End().IsZero() {
		t.Error("an advice never granted has an end")
	}
	if (ccj.Advice{Status: ccj.AdvicePending, Granted: date.New(2024, 1, 1)}).ValidOn(date.New(2025, 1, 1)) {
		t.Error("a pending advice is valid")
	}
}

// Property: an advice lasts at least five years and less than five years
// and two days, whatever its grant date (29 February included).
func TestAdviceExpiryProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := timesync.Day(timesynctest.Instant().Draw(t, "granted"))
		a := ccj.Advice{Status: ccj.AdvicePositive, Granted: g}
		days := int(a.LastDay()-g) + 1
		if days < 5*365 || days > 5*366 { // 1825 days when the span holds no 29 February (2100 is not a leap year)
			t.Fatalf("granted %v, last day %v: %d days", g, a.LastDay(), days)
		}
		if timesync.Day(a.End()) != a.LastDay()+1 || timesync.Day(a.End().Add(-time.Second)) != a.LastDay() {
			t.Fatalf("granted %v: end %v is not the first instant after %v", g, a.End(), a.LastDay())
		}
	})
}

// Property: gaps and covered intervals partition the window exactly.
func TestGapsPartitionProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := randomCell(t)
		from := timesynctest.Instant().Draw(t, "from")
		to := from.Add(time.Duration(rapid.IntRange(1, 21*24).Draw(t, "hours")) * time.Hour)
		gaps, _ := c.Gaps(from, to)
		covered := c.Covered(from, to)
		all := append(slices.Clone(gaps), covered...)
		slices.SortFunc(all, func(a, b ccj.Interval) int { return a.Start.Compare(b.Start) })
		cur := from
		for _, iv := range all {
			if !iv.Start.Equal(cur) || !iv.End.After(iv.Start) {
				t.Fatalf("not a partition at %v: %v", cur, all)
			}
			cur = iv.End
		}
		if !cur.Equal(to) {
			t.Fatalf("partition ends at %v, not %v", cur, to)
		}
	})
}

// Property: OnCall agrees with a naive scan over every shift.
func TestOnCallAgreesWithNaiveScanProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := randomCell(t)
		c.Escalation = nil
		when := c.Shifts[0].Start.Add(time.Duration(rapid.IntRange(-48, 21*24).Draw(t, "hours")) * time.Hour)
		var want []string
		for _, s := range c.Shifts { // every shift in force, in order
			if !when.Before(s.Start) && when.Before(s.End) {
				for _, id := range []string{s.Primary, s.Backup} {
					m, ok := c.Member(id)
					if id != "" && ok && m.Eligible(timesync.Day(when)) && !slices.Contains(want, id) {
						want = append(want, id)
					}
				}
			}
		}
		if got := c.OnCall(when).Order; !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("at %v: OnCall %v, naive %v", when, got, want)
		}
		covered := false
		for _, iv := range c.Covered(when.Add(-time.Second), when.Add(time.Second)) {
			if !when.Before(iv.Start) && when.Before(iv.End) {
				covered = true
			}
		}
		// OnCall names someone on duty exactly when Gaps says the instant
		// is covered.
		if (len(want) > 0) != covered {
			t.Fatalf("at %v: on duty %v, covered %v", when, want, covered)
		}
	})
}

// Property: a weekly pattern never gives one person overlapping shifts,
// and each expanded shift lasts its wall-clock span in elapsed time.
func TestExpandProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := timesync.Day(timesynctest.Instant().Draw(t, "from"))
		weeks := rapid.IntRange(1, 60).Draw(t, "weeks")
		p := ccj.Pattern{Weekday: time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday")), Start: "18:00", End: "08:00", Days: 1,
			Primaries: []string{"alice", "bob"}, Backups: []string{"bob", "alice"}, Anchor: from - date.Date(rapid.IntRange(-100, 100).Draw(t, "anchor"))}
		shifts, err := ccj.Expand([]ccj.Pattern{p}, from, from+date.Date(7*weeks))
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range shifts {
			if s.Primary == s.Backup {
				t.Fatalf("shift %d: %s is both primary and backup", i, s.Primary)
			}
			if i > 0 && s.Start.Before(shifts[i-1].End) {
				t.Fatalf("shifts %d and %d overlap", i-1, i)
			}
			w1 := timesync.WallClockOf(timesync.FromTime(s.Start))
			w2 := timesync.WallClockOf(timesync.FromTime(s.End))
			if w1.Hour != 18 || w2.Hour != 8 {
				t.Fatalf("shift %d runs %v to %v", i, w1, w2)
			}
			if d := s.Duration(); d != 13*time.Hour && d != 14*time.Hour && d != 15*time.Hour {
				t.Fatalf("shift %d lasts %v", i, d)
			}
		}
	})
}

func randomCell(t *rapid.T) ccj.Cell {
	start := timesynctest.Instant().Draw(t, "rota_start")
	members := []ccj.Member{
		member("alice", "Alice", timesync.Day(start.Add(-time.Duration(rapid.IntRange(0, 2000).Draw(t, "alice_days"))*24*time.Hour))),
		member("bob", "Bob", timesync.Day(start.Add(-time.Duration(rapid.IntRange(0, 2000).Draw(t, "bob_days"))*24*time.Hour))),
	}
	var shifts []ccj.Shift
	cur := start
	for i := range rapid.IntRange(1, 30).Draw(t, "shifts") {
		cur = cur.Add(time.Duration(rapid.IntRange(0, 6).Draw(t, "gap_h")) * time.Hour)
		end := cur.Add(time.Duration(rapid.IntRange(1, 30).Draw(t, "len_h")) * time.Hour)
		ids := []string{"alice", "bob"}
		shifts = append(shifts, ccj.Shift{Start: cur, End: end, Primary: ids[i%2], Backup: rapid.SampledFrom([]string{"", ids[(i+1)%2]}).Draw(t, "backup")})
		cur = end.Add(-time.Duration(rapid.IntRange(0, 3).Draw(t, "overlap_h")) * time.Hour)
	}
	return ccj.Cell{Name: "c", Members: members, Shifts: shifts}
}

func TestReport(t *testing.T) {
	c := sampleCell(t)
	fs := c.Report(at("2026-10-23 12:00"), ccj.ReportOptions{Horizon: 3 * 24 * time.Hour})
	byRule := map[string][]provenance.Finding{}
	for _, f := range fs {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	check := func(rule string, sev provenance.Severity, fr string) {
		t.Helper()
		for _, f := range byRule[rule] {
			if f.Severity == sev && strings.Contains(f.Text(language.French), fr) {
				if f.Source.Instrument == "" {
					t.Errorf("%s: no source", rule)
				}
				return
			}
		}
		t.Errorf("no %v finding %q containing %q in %v", sev, rule, fr, byRule[rule])
	}
	check("belgium", provenance.Info, "établie en Belgique")
	check("advice", provenance.Info, "avis de sécurité valable\u00a0: 2")
	check("advice", provenance.Warning, "carol n'a pas d'avis")
	check("coverage", provenance.Error, "personne d'éligible n'est de garde du 23/10/2026 12:00:00 +02:00 au 23/10/2026 18:00:00 +02:00 (6 h 00 min)")
	check("contact-sheet", provenance.Info, "complète")
	check("procedure", provenance.Info, "PROC-CCJ-2")
	check("platform", provenance.Info, "03/02/2026")

	c.Address.Country = "FR"
	c.Procedure = ccj.Procedure{}
	c.MembersChanged = date.New(2026, 3, 1)
	c.Members[0].Advice.Granted = date.New(2021, 12, 1) // expires 2026-12-01
	c.Members[1].Channels = c.Members[1].Channels[1:]   // no phone
	fs = c.Report(at("2026-10-23 12:00"), ccj.ReportOptions{Horizon: 3 * 24 * time.Hour})
	byRule = map[string][]provenance.Finding{}
	for _, f := range fs {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	check("belgium", provenance.Error, "doit être établie en Belgique")
	check("procedure", provenance.Error, "aucune procédure")
	check("platform", provenance.Error, "mettez-la à jour")
	check("advice-renewal", provenance.Warning, "alice est valable jusqu'au 30/11/2026 inclus")
	check("contact-sheet", provenance.Error, "un numéro de téléphone pour bob")
	for _, f := range fs {
		for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
			if f.Text(tag) == f.Text(language.English) {
				t.Errorf("%v: not translated: %s", tag, f.Text(language.English))
			}
		}
	}
}

func TestValidateMembers(t *testing.T) {
	c := sampleCell(t)
	c.Members = append(c.Members,
		ccj.Member{ID: "a b", Role: "boss", Channels: []ccj.Channel{{Kind: ccj.Phone, Value: "0470"}, {Kind: ccj.Email, Value: "x"}, {Kind: "fax", Value: "1"}},
			Advice: ccj.Advice{Status: ccj.AdvicePositive}},
		ccj.Member{ID: "alice", Name: "Other Alice", Role: ccj.ThirdParty, Channels: []ccj.Channel{{Kind: ccj.Signal, Value: "x"}}, Advice: ccj.Advice{Status: "maybe"}},
	)
	fs := c.Validate(at("2026-10-23 12:00"))
	var texts []string
	for _, f := range fs {
		texts = append(texts, f.Field+": "+f.Text(language.English))
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"members[3].id: the member needs a short identifier", "members[3].name: the member has no name",
		"members[3].channels[0]: the phone number", "members[3].channels[1]: the e-mail", "members[3].channels[2]: unknown channel kind",
		"members[3].role:", "members[3].advice.granted: a positive advice needs its grant date", "members[4].contract:",
		"members[4].advice.status: unknown advice status", "members[4].id: two members share the identifier alice"} {
		if !strings.Contains(all, want) {
			t.Errorf("no finding %q in:\n%s", want, all)
		}
	}
}

func TestICalendarRoundTrip(t *testing.T) {
	c := sampleCell(t)
	// A shift that starts in the second occurrence of the repeated hour
	// must survive: it is written in UTC.
	second, _ := ccj.NewShift("2026-10-25 02:30 CET", "2026-10-25 08:00", "bob", "")
	c.Shifts = append(c.Shifts, second)
	var b bytes.Buffer
	if err := c.WriteICalendar(&b, at("2026-10-01 09:00")); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"BEGIN:VTIMEZONE", "TZID:Europe/Brussels", "BEGIN:DAYLIGHT", "BEGIN:STANDARD", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
		"DTSTART;TZID=Europe/Brussels:20261024T180000", "DTEND;TZID=Europe/Brussels:20261025T080000", "DTSTART:20261025T013000Z", "X-CCJKIT-PRIMARY:alice"} {
		if !strings.Contains(text, want) {
			t.Errorf("calendar lacks %q:\n%s", want, text)
		}
	}
	back, err := c.ReadICalendar(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(c.Shifts)
	slices.SortStableFunc(want, func(a, b ccj.Shift) int { return a.Start.Compare(b.Start) })
	if diff := cmp.Diff(want, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestICalendarImportFromOtherTools(t *testing.T) {
	c := sampleCell(t)
	// As Nextcloud or Thunderbird would write it: names in the summary.
	good := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Nextcloud//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:n1\r\nDTSTAMP:20261001T090000Z\r\nDTSTART;TZID=Europe/Brussels:20261031T180000\r\nDTEND;TZID=Europe/Brussels:20261101T080000\r\nSUMMARY:Alice Dubois / bob\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	shifts, err := c.ReadICalendar(strings.NewReader(good))
	if err != nil || len(shifts) != 1 || shifts[0].Primary != "alice" || shifts[0].Backup != "bob" || shifts[0].Duration() != 14*time.Hour {
		t.Fatalf("%+v, %v", shifts, err)
	}
	bad := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:allday\r\nDTSTART;VALUE=DATE:20261031\r\nDTEND;VALUE=DATE:20261101\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:floating\r\nDTSTART:20261031T180000\r\nDTEND:20261101T080000\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:paris\r\nDTSTART;TZID=Europe/Paris:20261031T180000\r\nDTEND;TZID=Europe/Paris:20261101T080000\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:weekly\r\nDTSTART:20261031T170000Z\r\nDTEND:20261101T070000Z\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:stranger\r\nDTSTART:20261031T170000Z\r\nDTEND:20261101T070000Z\r\nSUMMARY:Mallory\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:gap\r\nDTSTART;TZID=Europe/Brussels:20270328T023000\r\nDTEND;TZID=Europe/Brussels:20270328T080000\r\nSUMMARY:alice\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	_, err = c.ReadICalendar(strings.NewReader(bad))
	if !errors.Is(err, ccj.ErrICalendar) {
		t.Fatalf("err = %v", err)
	}
	var ps *provenance.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %T, want *provenance.Problems", err)
	}
	// Each event's problem, found by the event's place in the file (the
	// allday, floating, paris, weekly, stranger and gap events).
	got := map[string]string{}
	for _, f := range ps.Findings {
		got[f.Field] += f.Text(language.English)
	}
	for field, want := range map[string]string{"events[0]": "DTSTART is a whole day", "events[1]": "DTSTART is a floating time", "events[2]": "DTSTART is in another time zone",
		"events[3]": "recurring events", "events[4]": "the primary in the summary: it names no member", "events[5]": "DTSTART falls in the hour skipped when clocks go forward"} {
		if !strings.Contains(got[field], want) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: problem %q lacks %q:\n%v", field, got[field], want, err)
		}
	}
	// Each problem reads in French, Dutch and German too.
	for _, f := range ps.Findings {
		for _, tag := range []language.Tag{language.French, language.Dutch, language.German} {
			if f.Text(tag) == f.Text(language.English) {
				t.Errorf("%s in %s: not translated: %s", f.Field, tag, f.Text(tag))
			}
		}
	}
	if got := ps.Findings[4].Text(language.French); got != "le titulaire dans le résumé : il ne désigne aucun membre (écrivez l'identifiant ou le nom du membre, le suppléant après « / »)" {
		t.Errorf("a problem within a problem, in French: %q", got)
	}
	// The name typed in the summary, and the time zone, are not repeated
	// in the error.
	if strings.Contains(err.Error(), "Mallory") || strings.Contains(err.Error(), "Paris") {
		t.Errorf("the error quotes the summary: %v", err)
	}
}

func TestMaySee(t *testing.T) {
	tests := []struct {
		v    ccj.Viewer
		s    ccj.Subject
		want bool
	}{
		{ccj.MemberViewer, ccj.Case, true}, {ccj.Technician, ccj.WorkOrder, true}, {ccj.Technician, ccj.Case, false},
		{ccj.Outsider, ccj.Case, false}, {ccj.Outsider, ccj.WorkOrder, false}, {ccj.Outsider, ccj.Statistics, true},
	}
	for _, tt := range tests {
		if d := ccj.MaySee(tt.v, tt.s); d.Allowed != tt.want || d.Reason == "" || d.Source.Instrument == "" {
			t.Errorf("MaySee(%d, %d) = %+v", tt.v, tt.s, d)
		}
	}
}

func BenchmarkOnCallAndGaps(b *testing.B) {
	p := []ccj.Pattern{
		{Weekday: time.Monday, Start: "08:00", End: "18:00", Primaries: []string{"alice", "bob"}, Backups: []string{"bob", "alice"}},
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		p = append(p, ccj.Pattern{Weekday: wd, Start: "18:00", End: "08:00", Days: 1, Primaries: []string{"bob", "alice"}, Backups: []string{"alice", "bob"}})
	}
	shifts, err := ccj.Expand(p, date.New(2026, 1, 1), date.New(2026, 12, 31))
	if err != nil {
		b.Fatal(err)
	}
	c := ccj.Cell{Members: []ccj.Member{member("alice", "A", date.New(2025, 1, 1)), member("bob", "B", date.New(2025, 1, 1))}, Shifts: shifts}
	b.Run("OnCall/year-of-shifts", func(b *testing.B) {
		b.ReportAllocs()
		t := at("2026-12-30 03:00")
		for b.Loop() {
			c.OnCall(t)
		}
	})
	b.Run("baseline=naive-scan/year-of-shifts", func(b *testing.B) {
		b.ReportAllocs()
		t := at("2026-12-30 03:00")
		for b.Loop() {
			var order []string
			for _, s := range c.Shifts {
				if !t.Before(s.Start) && t.Before(s.End) {
					for _, id := range []string{s.Primary, s.Backup} {
						if m, ok := c.Member(id); ok && m.Eligible(timesync.Day(t)) {
							order = append(order, id)
						}
					}
					break
				}
			}
			_ = order
		}
	})
	b.Run("Gaps/year", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.Gaps(at("2026-01-01 00:00"), at("2027-01-01 00:00"))
		}
	})
}

func TestICalendarEdgeCases(t *testing.T) {
	c := sampleCell(t)
	head := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n"
	ev := func(uid, extra string) string {
		return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTART:20261031T170000Z\r\n" + extra + "END:VEVENT\r\n"
	}
	tests := []struct {
		name    string
		body    string
		shifts  int
		problem string
	}{
		{"cancelled events are no shift", ev("c", "DTEND:20261101T070000Z\r\nSTATUS:CANCELLED\r\nSUMMARY:alice\r\n"), 0, ""},
		{"DURATION instead of DTEND", ev("d", "DURATION:PT14H\r\nSUMMARY:alice / bob\r\n"), 1, ""},
		{"duplicate UID", ev("u", "DTEND:20261101T070000Z\r\nSUMMARY:alice\r\n") + ev("u", "DTEND:20261101T070000Z\r\nSUMMARY:bob\r\n"), 0, "same UID"},
		{"override of a recurrence", ev("r", "DTEND:20261101T070000Z\r\nRECURRENCE-ID:20261031T170000Z\r\nSUMMARY:alice\r\n"), 0, "recurring"},
		{"empty X-CCJKIT-PRIMARY", ev("x", "DTEND:20261101T070000Z\r\nX-CCJKIT-PRIMARY:\r\nSUMMARY:alice\r\n"), 0, "X-CCJKIT-PRIMARY is missing or empty"},
		{"backup without primary", ev("y", "DTEND:20261101T070000Z\r\nX-CCJKIT-BACKUP:zed\r\nSUMMARY:alice\r\n"), 0, "X-CCJKIT-PRIMARY is missing"},
		{"same person twice", ev("s", "DTEND:20261101T070000Z\r\nSUMMARY:alice / Alice Dubois\r\n"), 0, "both primary and backup"},
		{"UTC with a TZID", "BEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=America/New_York:20261031T170000Z\r\nDTEND:20261101T070000Z\r\nSUMMARY:alice\r\nEND:VEVENT\r\n", 0, "names a time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shifts, err := c.ReadICalendar(strings.NewReader(head + tt.body + "END:VCALENDAR\r\n"))
			if tt.problem == "" {
				if err != nil || len(shifts) != tt.shifts {
					t.Fatalf("%d shifts, %v", len(shifts), err)
				}
				return
			}
			if !errors.Is(err, ccj.ErrICalendar) || !strings.Contains(err.Error(), tt.problem) {
				t.Fatalf("err = %v, want %q", err, tt.problem)
			}
		})
	}
	if _, err := c.ReadICalendar(strings.NewReader("")); !errors.Is(err, ccj.ErrICalendar) {
		t.Errorf("empty input: %v", err)
	}
	// Names that are other members' IDs: IDs win, shared names are refused.
	c.Members[0].Name, c.Members[1].Name = "bob", "bob"
	if _, err := c.ReadICalendar(strings.NewReader(head + ev("n", "DTEND:20261101T070000Z\r\nSUMMARY:bob / alice\r\n") + "END:VCALENDAR\r\n")); err != nil {
		t.Errorf("IDs should win over names: %v", err)
	}
}

func TestICalendarOutput(t *testing.T) {
	c := sampleCell(t)
	s1, _ := ccj.NewShift("2026-10-25 02:30 CEST", "2026-10-25 02:30 CET", "alice", "")
	c.Shifts = []ccj.Shift{s1}
	var b bytes.Buffer
	if err := c.WriteICalendar(&b, at("2026-10-01 09:00")); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Count(out, "\r\n") < 10 || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("lines are not CRLF-terminated")
	}
	for _, want := range []string{"DTSTART:20261025T003000Z", "DTEND:20261025T013000Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("the repeated hour is not written in UTC: lacks %s", want)
		}
	}
	c.Shifts = []ccj.Shift{{Start: s1.End, End: s1.Start, Primary: "alice"}}
	if err := c.WriteICalendar(&b, at("2026-10-01 09:00")); !errors.Is(err, ccj.ErrICalendar) {
		t.Errorf("inverted shift written: %v", err)
	}
}

func TestOnCallWithOverlappingShifts(t *testing.T) {
	c := sampleCell(t)
	pending, _ := ccj.NewShift("2026-11-02 08:00", "2026-11-02 18:00", "carol", "")
	covered, _ := ccj.NewShift("2026-11-02 09:00", "2026-11-02 17:00", "alice", "")
	c.Shifts, c.Escalation = []ccj.Shift{pending, covered}, nil
	oc := c.OnCall(at("2026-11-02 10:00"))
	if !slices.Equal(oc.Order, []string{"alice"}) || oc.OnDuty != 1 {
		t.Errorf("order %v on duty %d", oc.Order, oc.OnDuty)
	}
	gaps, _ := c.Gaps(at("2026-11-02 08:00"), at("2026-11-02 18:00"))
	if len(gaps) != 2 {
		t.Errorf("gaps %v", gaps)
	}
}

func TestExpandRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		p     ccj.Pattern
		field string
	}{
		"weekday 7":               {ccj.Pattern{Weekday: 7, Start: "08:00", End: "18:00", Primaries: []string{"alice"}}, "patterns[0].weekday"},
		"day shift ending before": {ccj.Pattern{Weekday: time.Monday, Start: "18:00", End: "08:00", Primaries: []string{"alice"}}, "patterns[0].end"},
		"no primary":              {ccj.Pattern{Weekday: time.Monday, Start: "08:00", End: "18:00"}, "patterns[0].primaries"},
	} {
		_, err := ccj.Expand([]ccj.Pattern{tc.p}, date.New(2026, 1, 1), date.New(2026, 2, 1))
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		var ps *provenance.Problems
		if !errors.Is(err, ccj.ErrPattern) || !errors.As(err, &ps) || ps.Findings[0].Field != tc.field {
			t.Errorf("%s: %v, want ErrPattern at %s", name, err, tc.field)
		}
	}
	// Turns count in weeks from the Monday of the anchor's week.
	p := ccj.Pattern{Weekday: time.Monday, Start: "08:00", End: "18:00", Primaries: []string{"alice", "bob"}, Anchor: date.New(2026, 1, 7)}
	shifts, err := ccj.Expand([]ccj.Pattern{p}, date.New(2026, 1, 5), date.New(2026, 1, 12))
	if err != nil || shifts[0].Primary != "alice" || shifts[1].Primary != "bob" {
		t.Errorf("%+v, %v", shifts, err)
	}
}
