package retention

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Whatever is ingested reads back, filed by the Brussels day of its last
// second, across the clocks' changes; once, however often it is given;
// and the same after compaction.
func TestIngestReadsBack(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t, day("2026-10-30"))
		s := f.open(true)
		defer s.Close()
		as := rapid.SliceOfN(genAssignment(), 0, 40).Draw(rt, "assignments")
		ms := rapid.SliceOfN(genMapping(), 0, 40).Draw(rt, "mappings")
		if err := s.IngestAssignments(as); err != nil {
			rt.Fatal(err)
		}
		if err := s.IngestMappings(ms); err != nil {
			rt.Fatal(err)
		}
		if err := s.IngestMappings(ms); err != nil { // again: kept once
			rt.Fatal(err)
		}
		want := expect(timesync.Now(f.clock), as, ms)
		opts := cmp.AllowUnexported(row{})
		if diff := cmp.Diff(want, contents(t, s), opts); diff != "" {
			rt.Fatalf("read back (-want +got):\n%s", diff)
		}
		if _, err := s.Compact(); err != nil {
			rt.Fatal(err)
		}
		if diff := cmp.Diff(want, contents(t, s), opts); diff != "" {
			rt.Fatalf("after compaction (-want +got):\n%s", diff)
		}
		if _, err := s.Verify(); err != nil {
			rt.Fatal(err)
		}
	})
}

// Every problem of a batch is reported, by field, quoting nothing; a
// batch with one bad record stores nothing; a record past its period is
// refused as expired.
func TestIngestRefuses(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	s := f.open(true)
	defer s.Close()
	good := Assignment{Subscriber: "C-000042", Prefix: netip.MustParsePrefix("198.51.100.7/32"), From: ts("2026-10-29T21:00:00+01:00"),
		Until: ts("2026-10-29T22:00:00+01:00"), Source: Evidence{Kind: RADIUS, Device: "nas-1"}}
	mod := func(fn func(*Assignment)) Assignment { a := good; fn(&a); return a }
	for _, tc := range []struct {
		name  string
		in    Assignment
		field string
		want  error
	}{
		{"no subscriber", mod(func(a *Assignment) { a.Subscriber = "" }), "assignments[1].subscriber", ErrInput},
		{"a subscriber with a space", mod(func(a *Assignment) { a.Subscriber = "Jean Dupont" }), "assignments[1].subscriber", ErrInput},
		{"no prefix", mod(func(a *Assignment) { a.Prefix = netip.Prefix{} }), "assignments[1].prefix", ErrInput},
		{"host bits", mod(func(a *Assignment) { a.Prefix = netip.MustParsePrefix("198.51.100.7/24") }), "assignments[1].prefix", ErrInput},
		{"IPv4 in IPv6", mod(func(a *Assignment) { a.Prefix = netip.MustParsePrefix("::ffff:198.51.100.7/128") }), "assignments[1].prefix", ErrInput},
		{"no start", mod(func(a *Assignment) { a.From = timesync.Timestamp{} }), "assignments[1].from", ErrInput},
		{"end before start", mod(func(a *Assignment) { a.Until = a.From }), "assignments[1].until", ErrInput},
		{"ports reversed", mod(func(a *Assignment) { a.Ports = PortRange{First: 2000, Last: 1000} }), "assignments[1].ports", ErrInput},
		{"unknown source", mod(func(a *Assignment) { a.Source.Kind = 99 }), "assignments[1].source.kind", ErrInput},
		{"no device", mod(func(a *Assignment) { a.Source.Device = "" }), "assignments[1].source.device", ErrInput},
		{"past its period", mod(func(a *Assignment) {
			a.From, a.Until = ts("2025-10-01T10:00:00+02:00"), ts("2025-10-01T11:00:00+02:00")
		}), "assignments[1]", ErrExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.IngestAssignments([]Assignment{good, tc.in})
			var p *provenance.Problems
			if !errors.As(err, &p) || !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want problems wrapping %v", err, tc.want)
			}
			if len(p.Errors()) != 1 || p.Errors()[0].Field != tc.field {
				t.Errorf("findings %v, want one at %s", p.Findings, tc.field)
			}
			for _, secret := range []string{"198.51.100", "C-000042", "Dupont", "ffff"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes %q: %v", secret, err)
				}
			}
		})
	}
	if got := contents(t, s); len(got) != 0 {
		t.Errorf("a refused batch stored %d periods", len(got))
	}
	// Two bad records: both reported.
	err := s.IngestAssignments([]Assignment{mod(func(a *Assignment) { a.Subscriber = "" }), mod(func(a *Assignment) { a.Source.Device = "" })})
	var p *provenance.Problems
	if !errors.As(err, &p) || len(p.Errors()) != 2 {
		t.Errorf("two problems: %v", err)
	}
	ms := []Mapping{{Public: netip.MustParseAddr("198.51.100.7"), Inside: netip.Addr{}, From: good.From, Source: Evidence{Kind: CGNAT, Device: "cgnat-1"}}}
	if err := s.IngestMappings(ms); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "mappings[0].inside") {
		t.Errorf("a mapping without inside address: %v", err)
	}
}

// The keys must live apart from the data, so that the data's backups
// hold none.
func TestConfigRefused(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	for _, tc := range []struct {
		name string
		mod  func(*Config)
		want error
	}{
		{"keys inside the data", func(c *Config) { c.KeyDir = filepath.Join(c.Dir, "keys") }, ErrConfig},
		{"data inside the keys", func(c *Config) { c.Dir = filepath.Join(c.KeyDir, "data") }, ErrConfig},
		{"the same directory", func(c *Config) { c.KeyDir = c.Dir }, ErrConfig},
		{"no clock", func(c *Config) { c.Clock = nil }, ErrConfig},
		{"no mapping period", func(c *Config) { c.Policy.Mappings = Period{} }, ErrPolicy},
		{"a period without source", func(c *Config) { c.Policy.Assignments.Source = provenance.Source{} }, ErrPolicy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.config(false)
			tc.mod(&c)
			if s, _, err := Open(c); !errors.Is(err, tc.want) {
				if s != nil {
					s.Close()
				}
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	s := f.open(false)
	defer s.Close()
	if _, _, err := Open(f.config(false)); !errors.Is(err, ErrLocked) {
		t.Errorf("a second process: %v", err)
	}
}

// The policy's figures come with their sources: the law's 12 months [S]
// with a note, and the operator's own period a warning saying so.
func TestPolicyFindings(t *testing.T) {
	p := Policy{Assignments: Law2022Identification(), Mappings: OperatorPeriod(6, "retention policy 2026-01-15")}
	fs := p.Findings()
	if len(fs) != 2 || fs[0].Severity != provenance.Info || fs[0].Field != "assignments" ||
		fs[1].Severity != provenance.Warning || fs[1].Field != "mappings" || fs[1].Source.Certainty != provenance.Unverified {
		t.Errorf("findings: %v", fs)
	}
	if p.Check() != nil {
		t.Errorf("a stated policy is refused: %v", p.Check())
	}
	if err := (Policy{Assignments: Law2022Identification()}).Check(); !errors.Is(err, ErrPolicy) {
		t.Errorf("a policy without the mappings' period: %v", err)
	}
	// Days of a period: to the same day-of-month, or the month's last.
	for _, tc := range []struct{ day, last string }{
		{"2026-03-29", "2027-03-29"}, {"2024-02-29", "2025-02-28"}, {"2026-08-31", "2027-08-31"}} {
		if got := Law2022Identification().LastDay(timesync.MustParseDay(tc.day)); got.String() != tc.last {
			t.Errorf("%s kept to %s, want %s", tc.day, got, tc.last)
		}
	}
	if got := OperatorPeriod(6, "x").LastDay(timesync.MustParseDay("2026-08-31")); got.String() != "2027-02-28" {
		t.Errorf("six months from 31 August: %s", got)
	}
	end := Law2022Identification().End(timesync.MustParseDay("2026-10-25"))
	if end != ts("2027-10-26T00:00:00+02:00") {
		t.Errorf("end: %v", end)
	}
}

// Purge destroys exactly the periods whose end has come — keys first,
// then files — records each destruction with its count, never removes
// one that has not ended, and leaves nothing readable of what it
// destroyed, even from a backup of the data taken before.
func TestPurgeProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t, day("2026-10-30"))
		s := f.open(true)
		defer s.Close()
		as := rapid.SliceOfN(genAssignment(), 1, 30).Draw(rt, "assignments")
		ms := rapid.SliceOfN(genMapping(), 1, 30).Draw(rt, "mappings")
		if err := s.IngestAssignments(as); err != nil {
			rt.Fatal(err)
		}
		if err := s.IngestMappings(ms); err != nil {
			rt.Fatal(err)
		}
		if rapid.Bool().Draw(rt, "compact") {
			if _, err := s.Compact(); err != nil {
				rt.Fatal(err)
			}
		}
		want := expect(timesync.Now(f.clock), as, ms)
		backup := filepath.Join(t.TempDir(), "backup")
		if err := os.CopyFS(backup, os.DirFS(f.dir)); err != nil {
			rt.Fatal(err)
		}
		later := rapid.Int64Range(0, 14*31*86400).Draw(rt, "later")
		f.clock.Advance(time.Duration(later) * time.Second)
		now := timesync.Now(f.clock)
		rep, err := s.Purge()
		if err != nil {
			rt.Fatal(err)
		}
		got := contents(t, s)
		destroyed := map[string]int{}
		for _, d := range rep.Destroyed {
			destroyed[scopeOf(d.Day, d.Class)] = d.Records
		}
		for sc, rows := range want {
			d, c, _ := parseScope(sc)
			ended := !now.Before(f.policy.Period(c).End(d))
			switch {
			case ended && got[sc] != nil:
				rt.Errorf("%s ended and is still there", sc)
			case ended && destroyed[sc] < len(rows):
				rt.Errorf("%s destroyed with a count of %d, it held %d", sc, destroyed[sc], len(rows))
			case !ended && !slices.EqualFunc(got[sc], rows, func(a, b row) bool { return sameRecord(&a, &b) }):
				rt.Errorf("%s has not ended and lost records", sc)
			case !ended && destroyed[sc] > 0:
				rt.Errorf("%s has not ended and was destroyed", sc)
			}
			if kids, _ := s.keys.kids(sc); ended && len(kids) > 0 {
				rt.Errorf("%s ended and its keys remain", sc)
			}
		}
		for _, e := range s.Events() {
			if e.Kind == EventDestroyed && destroyed[e.Scope] != e.Records {
				rt.Errorf("event for %s counts %d records, the report %d", e.Scope, e.Records, destroyed[e.Scope])
			}
		}
		// The backup, restored beside the same keys: what was destroyed
		// does not open.
		s.Close()
		if err := os.RemoveAll(f.dir); err != nil {
			rt.Fatal(err)
		}
		if err := os.Rename(backup, f.dir); err != nil {
			rt.Fatal(err)
		}
		os.Remove(filepath.Join(f.dir, "lock"))
		r := f.open(true)
		defer r.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		for sc := range destroyed {
			files, err := r.dataFiles(sc)
			if err != nil {
				rt.Fatal(err)
			}
			for _, df := range files {
				for i := range df.refs {
					if _, _, err := r.blockRows(df, &df.refs[i]); !errors.Is(err, ErrNoKey) {
						rt.Errorf("%s: a destroyed period's block from a backup: %v", sc, err)
					}
				}
			}
		}
	})
}

// A store opened without an identity writes and purges but reads
// nothing; its logs name periods and counts only.
func TestWriteOnlyStore(t *testing.T) {
	f := newFixture(t, day("2026-10-30"))
	s := f.open(false)
	a := Assignment{Subscriber: "C-000042", Prefix: netip.MustParsePrefix("198.51.100.7/32"), From: ts("2026-10-29T21:00:00+01:00"),
		Until: ts("2026-10-29T22:00:00+01:00"), Source: Evidence{Kind: RADIUS, Device: "nas-1"}}
	if err := s.IngestAssignments([]Assignment{a}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = f.open(false)
	defer s.Close()
	if _, err := s.Compact(); !errors.Is(err, ErrNoKey) {
		t.Errorf("compaction without an identity: %v", err)
	}
	if rep, err := s.Verify(); err != nil || rep.Opened || rep.Records != 1 {
		t.Errorf("verify: %+v %v", rep, err)
	}
	for _, secret := range []string{"198.51.100", "C-000042"} {
		if strings.Contains(f.logs.String(), secret) {
			t.Errorf("the logs quote %q:\n%s", secret, f.logs)
		}
	}
}

// Ingest reuses its memory from call to call: batches of every size —
// beyond what it keeps (keptRows), of one record, with records of two
// days interleaved, given twice — read back as ingested, each block
// sorted and without a record twice.
func TestIngestBatchesReadBack(t *testing.T) {
	f := newFixture(t, day("2026-10-27"))
	s := f.open(true)
	defer s.Close()
	_, d0 := benchDay(0)
	_, d1 := benchDay(1)
	var ms []Mapping
	for i := range 30000 {
		ms = append(ms, d0[i], d1[i])
	}
	var given []Mapping
	for _, n := range []int{10000, keptRows + 5000, 1, 3, 7000, 10000} {
		batch := ms[len(given):][:n]
		if err := s.IngestMappings(batch); err != nil {
			t.Fatal(err)
		}
		given = append(given, batch...)
	}
	if err := s.IngestMappings(ms[:5000]); err != nil { // again: kept once
		t.Fatal(err)
	}
	if m := s.ingestMem; cap(m.rows) > keptRows || cap(m.order.keys) > keptRows {
		t.Errorf("ingest keeps %d rows, more than %d", cap(m.rows), keptRows)
	}
	s.mu.Lock()
	scopes, err := s.scopes()
	if err != nil || len(scopes) != 2 {
		t.Fatalf("scopes %v, %v", scopes, err)
	}
	blocks := 0
	for _, sc := range scopes {
		files, err := s.dataFiles(sc)
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range files {
			blocks += len(fl.refs)
			for i := range fl.refs {
				rows, _, err := s.blockRows(fl, &fl.refs[i])
				if err != nil {
					t.Fatal(err)
				}
				for k := 1; k < len(rows); k++ {
					if compareRows(&rows[k-1], &rows[k]) >= 0 {
						t.Fatalf("%s: a block's records %d and %d are out of order or the same", sc, k-1, k)
					}
				}
			}
		}
	}
	s.mu.Unlock()
	if blocks < 15 {
		t.Errorf("%d blocks", blocks)
	}
	if diff := cmp.Diff(expect(timesync.Now(f.clock), nil, given), contents(t, s), cmp.AllowUnexported(row{})); diff != "" {
		t.Fatalf("read back (-want +got):\n%s", diff)
	}
}

// A log holds blocks compressed as ingest compresses them now (Huffman
// coding alone, walLevel) and as it did before (flate.BestSpeed): both
// read back, verify, and compact.
func TestLogsOfEitherLevelRead(t *testing.T) {
	f := newFixture(t, day("2026-10-27"))
	s := f.open(true)
	defer s.Close()
	_, ms := benchDay(0)
	now, old := ms[:3000], ms[3000:6000]
	if err := s.IngestMappings(now); err != nil {
		t.Fatal(err)
	}
	// old, written as before: one block, flate.BestSpeed.
	rows := make([]row, len(old))
	for i := range old {
		rows[i] = rowOfMapping(old[i])
	}
	sortRows(rows)
	rows = compactRows(rows)
	s.mu.Lock()
	w, err := s.walFor(scopeOf(dayOf(old[0].Until, timesync.Now(f.clock)), ClassMappings))
	if err != nil {
		t.Fatal(err)
	}
	var sl sealer // level zero: flate.BestSpeed
	b, err := w.sealRows(&sl, ClassMappings, rows)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.j.Append(blockKind, b); err != nil {
		t.Fatal(err)
	}
	files, err := s.dataFiles(scopeOf(dayOf(old[0].Until, timesync.Now(f.clock)), ClassMappings))
	if err != nil || len(files) != 1 || len(files[0].refs) < 2 {
		t.Fatalf("%d files, %v", len(files), err)
	}
	var huff, best float64 // bytes a record
	for i, r := range files[0].refs {
		if i == len(files[0].refs)-1 {
			best = float64(r.n) / float64(r.count)
		} else {
			huff += float64(r.n) / float64(len(now))
		}
	}
	if huff < best*1.08 { // 15.3 and 13.4
		t.Errorf("ingest's blocks take %.1f bytes a record, BestSpeed's %.1f: not Huffman coding alone", huff, best)
	}
	s.mu.Unlock()
	want := expect(timesync.Now(f.clock), nil, ms[:6000])
	opts := cmp.AllowUnexported(row{})
	if diff := cmp.Diff(want, contents(t, s), opts); diff != "" {
		t.Fatalf("read back (-want +got):\n%s", diff)
	}
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(day("2026-11-01"))
	if _, err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, contents(t, s), opts); diff != "" {
		t.Fatalf("after compaction (-want +got):\n%s", diff)
	}
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}
