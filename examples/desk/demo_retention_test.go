package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// retentionSection returns the demonstration's retention section, and
// the block of each lookup in it by case ID.
func retentionSection(t *testing.T, out, title string) (string, map[string]string) {
	t.Helper()
	_, sec, ok := strings.Cut(out, "━━ "+title+" ━━\n")
	if !ok {
		t.Fatalf("no section %q:\n%s", title, out)
	}
	sec, _, _ = strings.Cut(sec, "\n━━ ")
	blocks := map[string]string{}
	for _, b := range strings.Split(sec, "\n\n") {
		if id, _, ok := strings.Cut(b, "  "); ok && strings.HasPrefix(id, "2026-") {
			blocks[id] = b
		}
	}
	return sec, blocks
}

// The demonstration answers each identification of the month that asks
// about an address at a second by a lookup in the retention store, made
// by the member handling the case under the case's work order and
// recorded in the register: one subscriber through RADIUS for the IPv6
// address, one through the CGNAT and DHCP for the shared address with
// its port, the count of candidates and subscribers (no reference) for
// the shared address without a port, and, for the day a year back the
// purge shredded, that its data were destroyed — not "nothing found".
// The hold placed for the ambiguous case kept that day's records its
// window needs past their period; the register and the store verify.
func TestDemoAnswersIdentificationsByLookup(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kept")
	out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "demo", "-keep", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	sec, blocks := retentionSection(t, out, "Identifications answered by lookup in the retention store")

	// Every identification at a second of the sample month, and only
	// those, is looked up.
	data, err := loadSample()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, sc := range data.month.Cases {
		r := data.reqs[i]
		for _, tg := range r.Targets {
			if r.Measure == requisition.Identification && tg.Kind == requisition.TargetIP && tg.Until.Time().Sub(tg.From.Time()) == time.Second {
				want = append(want, sc.ID)
				break
			}
		}
	}
	if len(want) != 4 || len(blocks) != len(want) {
		t.Fatalf("identifications at a second %v, lookups shown %d:\n%s", want, len(blocks), sec)
	}
	lookupLine := regexp.MustCompile(`^(2026-\d{4})  lookup by (alice|bob|carol) under wo-[a-z2-7]+, 2026-\d\d-\d\d \d\d:\d\d:\d\d \+01:00\n`)
	for _, id := range want {
		if m := lookupLine.FindStringSubmatch(blocks[id]); m == nil || m[1] != id {
			t.Errorf("%s: no lookup by a member under a work order:\n%s", id, blocks[id])
		}
	}

	for _, tc := range []struct {
		id         string
		has, lacks []string
	}{
		{"2026-0001", []string{
			"asked: 2001:db8:3c4d:15::1a2f at 2026-10-29 21:47:03 +01:00",
			"answer: one subscriber, C-000042",
			"C-000042  2001:db8:3c4d:15::/64  radius radius-1  2026-10-27 03:14:09 +01:00 → 2026-10-31 03:02:56 +01:00",
		}, []string{"ambiguous"}},
		{"2026-0006", []string{
			"asked: 198.51.100.77:52113 at 2026-11-19 08:12:45 +01:00",
			"answer: one subscriber, C-000107",
			"C-000107  100.64.1.7/32  dhcp dhcp-1",
			"through cgnat-1: 198.51.100.77:52113 was 100.64.1.7:41234 from 2026-11-19 08:12:31 +01:00 to 2026-11-19 08:15:03 +01:00",
		}, []string{"ambiguous"}},
		{"2026-0007", []string{
			"asked: 198.51.100.71:40312 at 2025-11-09 19:26:51 +01:00",
			"answer: destroyed — the purge of 2026-11-10 03:00:00 +01:00 shredded the data of 2025-11-09 at the end of their retention period",
			`rather than "nothing found"`,
		}, []string{"C-0"}},
		{"2026-0008", []string{
			"asked: 198.51.100.80 at 2025-11-29 20:31:07 +01:00",
			"answer: ambiguous — 5 candidates, 4 subscribers; no reference is given out",
			"ambiguous: several subscribers shared this address at that second and no port was given",
		}, []string{"C-0"}},
	} {
		for _, s := range tc.has {
			if !strings.Contains(blocks[tc.id], s) {
				t.Errorf("%s: lacks %q:\n%s", tc.id, s, blocks[tc.id])
			}
		}
		for _, s := range tc.lacks {
			if strings.Contains(blocks[tc.id], s) {
				t.Errorf("%s: has %q:\n%s", tc.id, s, blocks[tc.id])
			}
		}
	}
	// The subscribers behind the shared address are named nowhere.
	for _, ref := range []string{"C-000063", "C-000112", "C-000118", "C-000124"} {
		if strings.Contains(out, ref) {
			t.Errorf("the output names %s, a candidate of the ambiguous answer", ref)
		}
	}

	// The hold, placed for the ambiguous case by the member handling it,
	// in force, and the records it kept at the purge of its day; the
	// purges of the two days a year back.
	for _, s := range []string{
		"Preservation holds: 1\n",
		", case 2026-0008: 198.51.100.80/32, from 2025-11-29 20:31:07 +01:00 to 2025-11-29 20:31:08 +01:00; placed 2026-11-27 09:50:00 +01:00 by carol, in force\n",
		"2026-11-30 03:00:00 +01:00: 4 records of 2025-11-29 (assignments) kept past the end of their period",
		"2026-11-30 03:00:00 +01:00: 5 records of 2025-11-29 (NAT mappings) kept past the end of their period",
		"2026-11-10 03:00:00 +01:00: 2025-11-09 assignments, 5 records, 1 key destroyed",
		"2026-11-10 03:00:00 +01:00: 2025-11-09 NAT mappings, 2 records, 1 key destroyed",
		"Purges: 4 periods past the end of their retention destroyed",
		"4 lookups recorded in the register, sealed and signed",
		"retention store intact: ",
	} {
		if !strings.Contains(sec, s) {
			t.Errorf("the section lacks %q:\n%s", s, sec)
		}
	}
	if !regexp.MustCompile(`  hold-[0-9a-f]{16}, case 2026-0008: `).MatchString(sec) {
		t.Errorf("no hold's identity:\n%s", sec)
	}

	// The register the demonstration kept verifies as an auditor checks
	// it, with no key, and holds as many records as the demonstration
	// said.
	m := regexp.MustCompile(`\n(\d+) records, hash chain intact; last record \d+, hash [0-9a-f]+\n`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "verified with the auditor's public key alone") {
		t.Fatalf("the demonstration's register did not verify:\n%s", out)
	}
	_, sum, err := register.AuditJournal(journalPath(dir), journal.ScanOptions{})
	if err != nil {
		t.Fatalf("the kept register does not verify: %v", err)
	}
	if n, _ := strconv.Atoi(m[1]); uint64(n) != sum.Records {
		t.Errorf("the kept register holds %d records, the demonstration said %s", sum.Records, m[1])
	}
	// The store beside it, its keys apart.
	for _, d := range []string{"retention", "retention-keys"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Errorf("%s: %v", d, err)
		}
	}
}

// The section speaks each of the desk's languages.
func TestDemoRetentionTranslated(t *testing.T) {
	for _, tc := range []struct{ lang, title, destroyed, ambiguous string }{
		{"fr", "Identifications répondues par une recherche dans la base de conservation", "réponse : détruit", "réponse : ambiguë — 5 candidats, 4 abonnés"},
		{"nl", "Identificaties beantwoord door een opzoeking in de bewaaropslag", "antwoord: vernietigd", "antwoord: dubbelzinnig — 5 kandidaten, 4 abonnees"},
		{"de", "Identifizierungen, beantwortet durch eine Abfrage im Vorratsspeicher", "Antwort: vernichtet", "Antwort: mehrdeutig — 5 Kandidaten, 4 Teilnehmer"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			out, errs, code := desk(t, timesynctest.NewClock(brussels("2026-11-30 18:00")), "demo", "-lang", tc.lang)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			sec, _ := retentionSection(t, out, tc.title)
			for _, s := range []string{tc.destroyed, tc.ambiguous} {
				if !strings.Contains(sec, s) {
					t.Errorf("lacks %q:\n%s", s, sec)
				}
			}
			for _, s := range []string{"lookup by", "answer:", "Preservation holds", "kept past"} {
				if strings.Contains(sec, s) {
					t.Errorf("English %q:\n%s", s, sec)
				}
			}
		})
	}
}
