package retention

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A destruction a crash interrupted after the keys went, files left, while
// a hold is in force: the next Purge finishes it (nothing of it could be
// read any more) instead of failing on the keyless files, and goes on to
// the other periods; the hold's own records are untouched.
func TestPurgeFinishesAHalfDestroyedPeriod(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	s := f.open(true)
	defer s.Close()
	rad := Evidence{Kind: RADIUS, Device: "nas-1"}
	as := []Assignment{
		{Subscriber: "C-000001", Prefix: netip.MustParsePrefix("100.64.0.1/32"), From: ts("2026-10-29T20:00:00+01:00"), Until: ts("2026-10-29T21:30:00+01:00"), Source: rad},
		{Subscriber: "C-000002", Prefix: netip.MustParsePrefix("100.64.0.2/32"), From: ts("2026-10-30T20:00:00+01:00"), Until: ts("2026-10-30T21:30:00+01:00"), Source: rad},
	}
	if err := s.IngestAssignments(as); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PlaceHold("2026-0042", []HoldTarget{{Prefix: netip.MustParsePrefix("100.64.0.9/32")}}, ts("2026-10-29T21:10:00+01:00"), ts("2026-10-29T21:20:00+01:00")); err != nil {
		t.Fatal(err)
	}
	// The crash: the keys of 29 October destroyed, its files left.
	ents, _ := os.ReadDir(f.keyDir)
	removed := 0
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "2026-10-29.") {
			os.Remove(filepath.Join(f.keyDir, e.Name()))
			removed++
		}
	}
	if removed == 0 {
		t.Fatal("no key of 2026-10-29 found to remove")
	}
	f.clock.Set(day("2027-12-01"))
	rep, err := s.Purge()
	if err != nil {
		t.Fatalf("purge after a crash: %v", err)
	}
	days := map[string]bool{}
	for _, d := range rep.Destroyed {
		days[d.Day.String()] = true
	}
	if !days["2026-10-29"] || !days["2026-10-30"] {
		t.Errorf("destroyed %+v; want both days", rep.Destroyed)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "2026-10-29.assignments")); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(f.dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "2026-10-29") {
				t.Errorf("the half-destroyed period's files are left: %s", e.Name())
			}
		}
	}
}
