package retention

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// present reports whether the store holds r of class c in scope, or in
// any scope when scope is "".
func present(all map[string][]row, scope string, r row) bool {
	for sc, rows := range all {
		if scope != "" && sc != scope {
			continue
		}
		if slices.ContainsFunc(rows, func(x row) bool { return sameRecord(&x, &r) }) {
			return true
		}
	}
	return false
}

// A hold on a public address keeps, past their period, the mappings of
// that address in its window and the assignments of their inside
// addresses — the whole chain — and nothing else; lifting it, for its
// own case only, lets the next purge destroy them.
func TestHoldKeepsTheChain(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	f.policy.Mappings = OperatorPeriod(6, "policy")
	s := f.open(true)
	defer s.Close()
	pub := netip.MustParseAddr("198.51.100.7")
	ev := Evidence{Kind: CGNAT, Device: "cgnat-1"}
	ms := []Mapping{
		{Public: pub, Ports: PortRange{First: 40000, Last: 40999}, Inside: netip.MustParseAddr("100.64.0.1"), From: ts("2026-10-29T21:00:00+01:00"), Until: ts("2026-10-29T22:00:00+01:00"), Source: ev},
		{Public: pub, Ports: PortRange{First: 41000, Last: 41999}, Inside: netip.MustParseAddr("100.64.0.2"), From: ts("2026-10-29T23:00:00+01:00"), Until: ts("2026-10-29T23:30:00+01:00"), Source: ev},
		{Public: netip.MustParseAddr("198.51.100.8"), Inside: netip.MustParseAddr("100.64.0.3"), From: ts("2026-10-29T21:00:00+01:00"), Until: ts("2026-10-29T22:00:00+01:00"), Source: ev},
	}
	rad := Evidence{Kind: RADIUS, Device: "nas-1"}
	as := []Assignment{
		{Subscriber: "C-000001", Prefix: netip.MustParsePrefix("100.64.0.1/32"), From: ts("2026-10-29T20:00:00+01:00"), Until: ts("2026-10-29T21:30:00+01:00"), Source: rad},
		{Subscriber: "C-000002", Prefix: netip.MustParsePrefix("100.64.0.2/32"), From: ts("2026-10-29T20:00:00+01:00"), Until: ts("2026-10-29T23:59:00+01:00"), Source: rad},
		{Subscriber: "C-000003", Prefix: netip.MustParsePrefix("100.64.0.3/32"), From: ts("2026-10-29T20:00:00+01:00"), Until: ts("2026-10-29T23:59:00+01:00"), Source: rad},
		{Subscriber: "C-000001", Prefix: netip.MustParsePrefix("100.64.0.1/32"), From: ts("2026-10-29T22:00:00+01:00"), Until: ts("2026-10-29T23:00:00+01:00"), Source: rad},
	}
	if err := s.IngestMappings(ms); err != nil {
		t.Fatal(err)
	}
	if err := s.IngestAssignments(as); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PlaceHold("2026-0042", []HoldTarget{{Subscriber: "bad one"}, {}}, ts("2026-10-29T21:00:00+01:00"), ts("2026-10-29T21:00:00+01:00")); !errors.Is(err, ErrHold) {
		t.Errorf("a malformed hold: %v", err)
	} else {
		var p *provenance.Problems
		if errors.As(err, &p); len(p.Errors()) != 3 {
			t.Errorf("every problem of a hold: %v", err)
		}
	}
	h, err := s.PlaceHold("2026-0042", []HoldTarget{{Prefix: netip.PrefixFrom(pub, 32)}}, ts("2026-10-29T21:10:00+01:00"), ts("2026-10-29T21:20:00+01:00"))
	if err != nil {
		t.Fatal(err)
	}
	// Past the mappings' six months, before the assignments' twelve.
	f.clock.Set(day("2027-05-01"))
	rep, err := s.Purge()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Destroyed) != 1 || rep.Destroyed[0].Class != ClassMappings || rep.Destroyed[0].Records != 3 {
		t.Errorf("destroyed: %+v", rep.Destroyed)
	}
	all := contents(t, s)
	if !present(all, string(h.ID), rowOfMapping(ms[0])) || present(all, "", rowOfMapping(ms[1])) || present(all, "", rowOfMapping(ms[2])) {
		t.Errorf("after the mappings' period, the hold keeps exactly the mapping in its window: %v", all)
	}
	// Past the assignments' period: the assignment the kept mapping leads
	// to is kept, the others go.
	f.clock.Set(day("2027-11-01"))
	if _, err := s.Purge(); err != nil {
		t.Fatal(err)
	}
	all = contents(t, s)
	if len(all) != 1 || !present(all, string(h.ID), rowOfAssignment(as[0])) || len(all[string(h.ID)]) != 2 {
		t.Errorf("after every period, the hold keeps the chain and nothing else: %v", all)
	}
	if err := s.LiftHold(h.ID, "2026-0043"); !errors.Is(err, ErrHold) {
		t.Errorf("lifted for another case: %v", err)
	}
	if err := s.LiftHold(h.ID, "2026-0042"); err != nil {
		t.Fatal(err)
	}
	if err := s.LiftHold(h.ID, "2026-0042"); !errors.Is(err, ErrHold) {
		t.Errorf("lifted twice: %v", err)
	}
	rep, err = s.Purge()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Destroyed) != 1 || rep.Destroyed[0].Hold != h.ID || rep.Destroyed[0].Records != 2 {
		t.Errorf("the lifted hold's records: %+v", rep.Destroyed)
	}
	if all := contents(t, s); len(all) != 0 {
		t.Errorf("left: %v", all)
	}
	hs, err := s.Holds()
	if err != nil || len(hs) != 1 || hs[0].Case != "2026-0042" || hs[0].Lifted.IsZero() {
		t.Errorf("holds: %+v %v", hs, err)
	}
	var kinds []EventKind
	for _, e := range s.Events() {
		kinds = append(kinds, e.Kind)
		if len(e.Sealed) != 0 {
			t.Error("Events hands out a hold's sealed details")
		}
	}
	want := []EventKind{EventHoldPlaced, EventHeld, EventDestroyed, EventHeld, EventDestroyed, EventHoldLifted, EventDestroyed}
	if !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}
	if _, err := s.Verify(); err != nil {
		t.Error(err)
	}
	for _, secret := range []string{"198.51.100", "100.64", "C-00000", "2026-0042"} {
		if strings.Contains(f.logs.String(), secret) {
			t.Errorf("the logs quote %q", secret)
		}
	}
}

// A store without an identity cannot tell held records apart: while a
// hold is in force it keeps every ended period whole, and says so.
func TestHoldWithoutIdentityKeepsWhole(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	s := f.open(false)
	defer s.Close()
	a := Assignment{Subscriber: "C-000001", Prefix: netip.MustParsePrefix("100.64.0.1/32"), From: ts("2026-10-29T20:00:00+01:00"),
		Until: ts("2026-10-29T21:30:00+01:00"), Source: Evidence{Kind: RADIUS, Device: "nas-1"}}
	if err := s.IngestAssignments([]Assignment{a}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PlaceHold("2026-0042", []HoldTarget{{Subscriber: "C-000009"}}, a.From, a.Until); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(day("2027-11-01"))
	rep, err := s.Purge()
	if err != nil || len(rep.Destroyed) != 0 || len(rep.Kept) != 1 {
		t.Fatalf("purge: %+v %v", rep, err)
	}
	if err := s.LiftHold("hold-0000000000000000", "2026-0042"); !errors.Is(err, ErrHold) {
		t.Errorf("an unknown hold lifted: %v", err)
	}
}

// Purge never removes a record whose period has not ended, nor one a
// hold in force matches directly; it always removes an ended record
// that no hold's window meets.
func TestPurgeWithHoldsProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t, day("2026-10-30"))
		s := f.open(true)
		defer s.Close()
		as := rapid.SliceOfN(genAssignment(), 1, 25).Draw(rt, "assignments")
		ms := rapid.SliceOfN(genMapping(), 1, 25).Draw(rt, "mappings")
		if err := s.IngestAssignments(as); err != nil {
			rt.Fatal(err)
		}
		if err := s.IngestMappings(ms); err != nil {
			rt.Fatal(err)
		}
		type hold struct {
			h      Hold
			lifted bool
		}
		var holds []hold
		for i := range rapid.IntRange(0, 3).Draw(rt, "holds") {
			var tg HoldTarget
			if rapid.Bool().Draw(rt, "by subscriber") {
				tg.Subscriber = rapid.SampledFrom(subscribers).Draw(rt, "subscriber")
			} else {
				tg.Prefix = rapid.SampledFrom(prefixes).Draw(rt, "prefix")
			}
			from := genInstant().Draw(rt, "window")
			h, err := s.PlaceHold("case-"+string(rune('a'+i)), []HoldTarget{tg}, from, from.Add(time.Duration(rapid.IntRange(1, 86400).Draw(rt, "width"))*time.Second))
			if err != nil {
				rt.Fatal(err)
			}
			holds = append(holds, hold{h: h})
		}
		later := rapid.Int64Range(0, 14*31*86400).Draw(rt, "later")
		f.clock.Advance(time.Duration(later) * time.Second)
		for i := range holds {
			if rapid.IntRange(0, 3).Draw(rt, "lift") == 0 {
				if err := s.LiftHold(holds[i].h.ID, holds[i].h.Case); err != nil {
					rt.Fatal(err)
				}
				holds[i].lifted = true
			}
		}
		now := timesync.Now(f.clock)
		if _, err := s.Purge(); err != nil {
			rt.Fatal(err)
		}
		all := contents(t, s)
		check := func(c Class, r row, until timesync.Timestamp, scope string) {
			ended := !now.Before(f.policy.Period(c).End(dayOf(until, timesync.FromTime(day("2026-10-30")))))
			if !ended {
				if !present(all, scope, r) {
					rt.Errorf("a record of %s, not ended, was removed", scope)
				}
				return
			}
			met := false
			for _, h := range holds {
				m := &matcher{from: h.h.From.Unix(), until: h.h.Until.Unix()}
				if !m.meets(&r) {
					continue
				}
				met = true
				tg := h.h.Targets[0]
				direct := tg.Subscriber != "" && tg.Subscriber == r.sub && c == ClassAssignments ||
					tg.Prefix.IsValid() && c == ClassAssignments && tg.Prefix.Overlaps(netip.PrefixFrom(addrOf(r.addr, r.is4), int(r.bits))) ||
					tg.Prefix.IsValid() && c == ClassMappings && tg.Prefix.Contains(addrOf(r.addr, r.is4))
				if direct && !h.lifted && !present(all, string(h.h.ID), r) {
					rt.Errorf("an ended record a hold in force matches is not in the hold")
				}
			}
			if present(all, scope, r) {
				rt.Errorf("an ended record is still in its period")
			}
			if !met && present(all, "", r) {
				rt.Errorf("an ended record that no hold meets is still kept")
			}
		}
		for _, a := range as {
			check(ClassAssignments, rowOfAssignment(a), a.Until, scopeOf(dayOf(a.Until, timesync.FromTime(day("2026-10-30"))), ClassAssignments))
		}
		for _, m := range ms {
			check(ClassMappings, rowOfMapping(m), m.Until, scopeOf(dayOf(m.Until, timesync.FromTime(day("2026-10-30"))), ClassMappings))
		}
	})
}
