package timesync

import (
	_ "embed"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"
)

// ZoneName is the IANA name of Belgium's time zone.
const ZoneName = "Europe/Brussels"

// brusselsTZif is the IANA TZif file for Europe/Brussels (release 2025c), see
// zoneinfo/README.md. A string, so that nothing can change it.
//
//go:embed zoneinfo/Europe_Brussels
var brusselsTZif string

// The offset table covers these Unix seconds; outside it the time package is
// asked.
const (
	tableStart = 0          // 1970-01-01T00:00:00Z
	tableEnd   = 7258118400 // 2200-01-01T00:00:00Z
)

// zone is a location with its UTC offsets precomputed as a sorted table, so
// that looking up the offset of an instant is a binary search that neither
// allocates nor re-parses the POSIX rule the tz file ends with.
type zone struct {
	loc   *time.Location
	start []int64  // Unix seconds at which each period starts, ascending
	off   []int32  // UTC offset in seconds during the period
	abbr  []string // abbreviation during the period (CET, CEST)
}

// brusselsZone is built once, on first use, from the embedded data. It is
// never modified after construction.
var brusselsZone = sync.OnceValue(func() *zone {
	loc, err := time.LoadLocationFromTZData(ZoneName, []byte(brusselsTZif))
	if err != nil {
		// The embedded file is checked by TestBrussels; reaching this line
		// means the binary was built from a corrupted tree.
		panic(fmt.Sprintf("timesync: embedded %s tz data is unreadable: %v", ZoneName, err))
	}
	return newZone(loc)
})

func newZone(loc *time.Location) *zone {
	off, abbr := zoneAt(loc, tableStart)
	z := &zone{loc: loc, start: []int64{tableStart}, off: []int32{off}, abbr: []string{abbr}}
	scanChanges(loc, tableStart, tableEnd, func(u int64, off int32, abbr string) bool {
		z.start = append(z.start, u)
		z.off = append(z.off, off)
		z.abbr = append(z.abbr, abbr)
		return true
	})
	return z
}

func zoneAt(loc *time.Location, u int64) (int32, string) {
	abbr, off := time.Unix(u, 0).In(loc).Zone()
	return int32(off), abbr
}

// scanChanges calls fn for every instant u in (from, to) at which loc's
// offset or abbreviation differs from the second before, in order, until fn
// returns false. It steps a day at a time and bisects each change to the
// second, which assumes no two changes fall within one day (true of every
// zone in use since 1946). It does not use time.Time.ZoneBounds: in Go 1.26
// that returns bounds earlier than the instant asked about for some instants
// past 2036 in zones that end with a POSIX rule, Brussels among them.
func scanChanges(loc *time.Location, from, to int64, fn func(u int64, off int32, abbr string) bool) {
	const day = 86400
	prevOff, prevAbbr := zoneAt(loc, from)
	for lo := from; lo < to; lo += day {
		hi := min(lo+day, to-1)
		off, abbr := zoneAt(loc, hi)
		if off == prevOff && abbr == prevAbbr {
			continue
		}
		// The change is in (lo, hi]: bisect to the first second that shows it.
		a, b := lo, hi
		for b-a > 1 {
			mid := a + (b-a)/2
			if o, ab := zoneAt(loc, mid); o == prevOff && ab == prevAbbr {
				a = mid
			} else {
				b = mid
			}
		}
		if !fn(b, off, abbr) {
			return
		}
		prevOff, prevAbbr = off, abbr
	}
}

// lookup returns the offset in seconds east of UTC and the abbreviation in
// force at Unix second u.
func (z *zone) lookup(u int64) (int32, string) {
	if u < tableStart || u >= tableEnd {
		abbr, off := time.Unix(u, 0).In(z.loc).Zone()
		return int32(off), abbr
	}
	i, found := slices.BinarySearch(z.start, u)
	if !found {
		i--
	}
	return z.off[i], z.abbr[i]
}

// Brussels returns the Europe/Brussels location, built from tz data embedded
// in this package: it works where /usr/share/zoneinfo is absent and gives the
// same answer on every machine, whatever the system's own tz data says.
//
// Belgian civil time is CET (UTC+1) in winter and CEST (UTC+2) in summer. The
// royal decree of 4 October 2023, art. 2, requires the times an operator
// records for retained data to be given "to the second", in the 24-hour
// format, in Belgium's time zone with summer and winter time [V]; this
// location is that time zone.
//
// The returned location is shared; *time.Location is immutable, so it is safe
// for concurrent use.
func Brussels() *time.Location { return brusselsZone().loc }

// Transition is a change of Belgian civil time: the moment clocks are put
// forward in spring or back in autumn.
type Transition struct {
	// At is the first instant with the new offset (UTC).
	At time.Time
	// OffsetBefore and OffsetAfter are the offsets east of UTC, in seconds,
	// in force just before and from At on.
	OffsetBefore, OffsetAfter int
	// AbbrevBefore and AbbrevAfter name those offsets: "CET" or "CEST".
	AbbrevBefore, AbbrevAfter string
}

// Shift is how far wall clocks move at the transition: +1h in spring (an hour
// of wall-clock time does not exist), -1h in autumn (an hour occurs twice).
func (t Transition) Shift() time.Duration {
	return time.Duration(t.OffsetAfter-t.OffsetBefore) * time.Second
}

// String describes the transition in Brussels terms, for example
// "2026-03-29 02:00 CET → 03:00 CEST".
func (t Transition) String() string {
	before := t.At.Add(time.Duration(t.OffsetBefore) * time.Second).UTC()
	after := t.At.Add(time.Duration(t.OffsetAfter) * time.Second).UTC()
	return fmt.Sprintf("%s %s %s → %s %s", before.Format(time.DateOnly), before.Format("15:04"),
		t.AbbrevBefore, after.Format("15:04"), t.AbbrevAfter)
}

// Transitions yields, in order, every change of Belgian civil time at an
// instant in [from, to). Since 1996 these are the EU summer-time changes: the
// last Sundays of March and October at 01:00 UTC (Directive 2000/84/EC arts.
// 2-3, continuing the rule of 1996 [U: recalled, not read in the official
// text; the instants themselves come from the embedded IANA tz data]);
// from 1977 to 1995 they fell on other Sundays (early April, or late
// September), as the tz data records.
func Transitions(from, to time.Time) iter.Seq[Transition] {
	return func(yield func(Transition) bool) {
		z := brusselsZone()
		lo, hi := from.Unix(), to.Unix()
		if from.Nanosecond() != 0 {
			lo++ // transitions fall on whole seconds
		}
		if to.Nanosecond() != 0 {
			hi++ // a transition at to's whole second is before to
		}
		if lo >= hi {
			return
		}
		emit := func(u int64, off int32, abbr string) bool {
			before, abbrBefore := z.lookup(u - 1)
			return yield(Transition{
				At:           time.Unix(u, 0).UTC(),
				OffsetBefore: int(before), OffsetAfter: int(off),
				AbbrevBefore: abbrBefore, AbbrevAfter: abbr,
			})
		}
		// Before the table: scan with the time package.
		if lo < tableStart {
			stop := false
			scanChanges(z.loc, lo-1, min(hi, tableStart), func(u int64, off int32, abbr string) bool {
				stop = !emit(u, off, abbr)
				return !stop
			})
			if stop {
				return
			}
		}
		// Inside the table: its entries after the first are the transitions.
		i, _ := slices.BinarySearch(z.start, max(lo, tableStart+1))
		for ; i < len(z.start) && z.start[i] < hi; i++ {
			if !emit(z.start[i], z.off[i], z.abbr[i]) {
				return
			}
		}
		// After the table.
		if hi > tableEnd {
			scanChanges(z.loc, max(lo, tableEnd)-1, hi, emit)
		}
	}
}
