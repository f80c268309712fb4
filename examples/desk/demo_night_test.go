package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// demoSection returns the demonstration's section that starts with the
// title start, up to the next section.
func demoSection(t *testing.T, out, start string) string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "━━ "+start+" ━━\n")
	if !ok {
		t.Fatalf("no section %q in the demonstration:\n%s", start, out)
	}
	section, _, _ := strings.Cut(rest, "\n━━ ")
	return section
}

// The demonstration's night: the e-mail at 02:10 recorded by the intake
// service, the member on call paged at once, nobody answering, desk
// watch paging the next member every five minutes as paging.Schedule says
// of the sample cell at night, the third member acknowledging (nothing
// paged after), accepting the intake as a case and answering it; then the
// month's acknowledgement figures in the cell's section.
func TestDemoNight(t *testing.T) {
	out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "-lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	night := demoSection(t, out, "One night: a requisition by e-mail at 02:10")
	lines := strings.Split(night, "\n")

	// The e-mail, recorded as an intake by the service at 02:10:00.
	received := regexp.MustCompile(`^2026-11-28 02:10:00 \+01:00  an e-mail reaches the cell's mail server \(sample/night\.eml\), which pipes it to desk intake receive: recorded as intake ([0-9]+) by the intake service, 1 requisition read; the member on call is paged$`)
	seq, at := "", -1
	for i, l := range lines {
		if m := received.FindStringSubmatch(l); m != nil {
			seq, at = m[1], i
		}
	}
	if at < 0 {
		t.Fatalf("no intake at 02:10:\n%s", night)
	}
	id := "I-" + seq

	// The pages, as the sample cell's escalation at night says, up to
	// the acknowledgement.
	b, _ := sample.ReadFile("sample/cell.json")
	cell, err := ccj.DecodeCell(b)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := paging.Schedule(paging.DefaultPolicy(), cell, paging.Intake{Case: paging.MustParseCaseID(id), Received: nightStart(), Class: paging.Unread}, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := regexp.MustCompile(`^(2026-11-28 [0-9:]{8} \+01:00)  page to ([a-z]+) by text message: CCJ ` + id + `: (new request|not acknowledged)$`)
	ack := id + ": acknowledged by bob at 2026-11-28 02:23:40 +01:00; the escalation stops"
	var pages []string
	acked := -1
	for i, l := range lines[at:] {
		if l == ack {
			acked = at + i
		}
		m := page.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if acked >= 0 {
			t.Fatalf("paged after the acknowledgement: %s", l)
		}
		if strings.Contains(l, "BR.21") || strings.Contains(l, "198.51.100") || strings.Contains(l, "Parquet") {
			t.Fatalf("a page shows the order's content: %s", l)
		}
		pages = append(pages, m[1]+" "+m[2]+" "+m[3])
	}
	if acked < 0 {
		t.Fatalf("no acknowledgement %q:\n%s", ack, night)
	}
	var want []string
	for _, a := range steps {
		if !a.At.Before(nightStart().Add(nightAck)) {
			break
		}
		why := "new request"
		if a.Kind == paging.Escalation {
			why = "not acknowledged"
		}
		want = append(want, timesync.FromTime(a.At).Display(sentenceLanguages()[0])+" "+strings.Join(a.Members, ",")+" "+why)
	}
	if strings.Join(pages, "\n") != strings.Join(want, "\n") || len(pages) != 3 {
		t.Fatalf("pages:\n%s\nwant, as paging.Schedule says:\n%s", strings.Join(pages, "\n"), strings.Join(want, "\n"))
	}
	if want := []string{"2026-11-28 02:10:00 +01:00 carol new request", "2026-11-28 02:15:00 +01:00 alice not acknowledged", "2026-11-28 02:20:00 +01:00 bob not acknowledged"}; strings.Join(pages, "\n") != strings.Join(want, "\n") {
		t.Fatalf("pages:\n%s", strings.Join(pages, "\n"))
	}
	if d := steps[3].At.Sub(steps[2].At); d != 5*time.Minute {
		t.Fatalf("the steps are %v apart at night", d)
	}

	// Accepted as a case, worked and answered; the watch paged nothing
	// more until the answer.
	for _, w := range []string{
		"2026-11-28 02:27:10 +01:00  bob reads the intake (desk intake list) and accepts it (desk intake accept " + seq + "):",
		"    paged carol at 2026-11-28 02:10:00 +01:00: sent (phone)",
		"    acknowledged by bob at 2026-11-28 02:23:40 +01:00",
		"    sender verified",
		"  case 2026-0009 received from intake " + seq + ", at 2026-11-28 02:10:00 +01:00",
		"desk watch looked 91 times, every minute from 2026-11-28 02:11:00 +01:00 to 2026-11-28 03:41:00 +01:00, and paged 2 times: nothing after the acknowledgement.",
		"══ 2026-0009 · identification (art. 46bis) ══",
		"  State          answered",
		"    Delivered: 2026-11-28 03:41:00 +01:00",
		"    Response time: 1 h 31 min 00 s (within the deadline)",
		"    2026-11-28 03:41:00 +01:00  answered           bob      clock not checked",
	} {
		if !strings.Contains(night, w+"\n") {
			t.Errorf("the night lacks %q", w)
		}
	}

	// The month's figures, in the cell's section.
	cellSection := demoSection(t, out, "The cell")
	for _, w := range []string{
		"The month's acknowledgement of pages, measured from the register's page records and acknowledgements:",
		"  - Pages from 2026-11-01 00:00:00 +01:00 to 2026-12-01 00:00:00 +01:00: 1 case or intake paged, 1 acknowledged, 1 needed escalation.",
		"  - Time to acknowledge from the first page: median 13m40s, worst 13m40s.",
		"  - Paged, never acknowledged: alice, carol.",
	} {
		if !strings.Contains(cellSection, w+"\n") {
			t.Errorf("the cell's section lacks %q:\n%s", w, cellSection)
		}
	}
	// The register names the intake service and the watch among its
	// signers.
	if reg := demoSection(t, out, "The register"); !strings.Contains(reg, "signatures: intake (service) signed 2 records") || !strings.Contains(reg, "signatures: watch (watch) signed 2 records") {
		t.Errorf("the register's signers:\n%s", reg)
	}
}

// In every language, the night pages the same members at the same
// times, and the figures give the same time to acknowledge.
func TestDemoNightInEachLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, title, sms string }{
		{"fr", "Une nuit : une réquisition par courriel à 02:10", "par SMS"},
		{"nl", "Eén nacht: een vordering per e-mail om 02:10", "via sms"},
		{"de", "Eine Nacht: eine Anordnung per E-Mail um 02:10", "per SMS"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "-lang", tc.lang)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			night := demoSection(t, out, tc.title)
			var got []string
			for _, l := range strings.Split(night, "\n") {
				if strings.Contains(l, tc.sms) {
					f := strings.Fields(l)
					got = append(got, f[1]+" "+f[5])
				}
			}
			if want := "02:10:00 carol,02:15:00 alice,02:20:00 bob"; strings.Join(got, ",") != want {
				t.Errorf("pages %v, want %s", got, want)
			}
			if !strings.Contains(out, "13m40s, ") || !strings.Contains(out, ": alice, carol.") {
				t.Error("no figures")
			}
		})
	}
}
