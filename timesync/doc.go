// Package timesync is ccjkit's lowest layer: Belgian civil time, times to the
// second, injectable clocks, and the check that this machine's clock may be
// trusted for what the law asks of it.
//
// # The legal rule
//
// The royal decree of 4 October 2023, art. 2, requires the times an operator
// records for retained data (Telecom Act arts. 126 and 126/2) to be precise
// to the second, in the 24-hour format, in Belgium's time zone with summer
// and winter time, and requires operators to synchronise their systems'
// clocks [V: etaamb and wetwijzer; the rest of that sentence — reference
// source, tolerance — was not retrieved, U]. The IBPT brochure on cooperation
// with the judicial authorities, §3.15, adds that every system involved must
// be synchronised permanently with a reliable signal such as an atomic clock
// or GPS, and that traffic-data times are given to the second [S: quoted in
// Neutrinet's 2021 post]. Where the law gives no figure (the tolerance), the
// package makes it a [Policy] field with a documented default.
//
// # What is here
//
//   - [Brussels]: the Europe/Brussels location, from tz data embedded in the
//     package (IANA 2025c), so it works on a bare container; [Transitions]
//     lists the summer-time changes.
//
//   - [Timestamp]: an instant to the whole second, truncated (never rounded
//     up), comparable with ==, marshalled as RFC 3339 with the Brussels
//     offset ("2026-10-25T02:30:00+01:00") and parsed back exactly.
//
//   - [ParseBrussels] and [WallClock]: Belgian wall-clock input such as
//     "2026-10-25 02:30" or "25/10/2026 02:30". A time in the skipped spring
//     hour is an error ([ErrNonexistent]); a time in the repeated autumn hour
//     is an error ([ErrAmbiguous]) unless the caller says which one with a
//     [Fold] or an explicit offset. Nothing is ever shifted silently.
//
//   - [MustParseBrussels], [MustParseTimestamp] and [MustParseWallClock]:
//     the Parse functions for tests, examples and constants, as
//     net/netip's MustParseAddr; they panic with the parse error.
//
//   - [Clock]: where "now" comes from. Nothing in ccjkit calls time.Now
//     directly; production code passes [SystemClock], tests pass the fake
//     clock of package timesynctest.
//
//   - [Check] and [Judge]: ask NTP servers ([NTPServer]) and the local
//     chronyd ([Chrony]), and give a [Verdict]: is the clock synchronised,
//     is its worst-case error small enough to report times to the second,
//     and is it traceable to GPS, PPS or an atomic clock — each answer with
//     its reasons and the rule at stake.
//
//   - [Day], [Timestamp.Day], [DayStart], [DayEnd] and [ParseDay]: the
//     bridges between instants and Belgian calendar days. A civil day is a
//     date.Date (github.com/rickb777/date/v2) everywhere in ccjkit.
//
// # Time in ccjkit
//
// Instants are UTC inside and shown in Brussels. Deadlines counted in hours
// are elapsed hours: 24 hours from Saturday 12:00 across the October change
// end on Sunday at 11:00 wall-clock time. Calendar rules (months, days,
// working days) run on Brussels calendar dates; those live in the packages
// that need them.
//
// # Ends
//
// Every rule in ccjkit that has an end gives it in two forms, with the same
// names everywhere:
//
//   - LastDay: the last calendar day still within the limit, inclusive
//     (a date.Date). An advice granted on 2021-03-15 for five years has
//     LastDay 2026-03-14.
//   - End (or At, for requisition.Deadline): the first instant that is
//     too late, exclusive (a UTC time.Time). For a limit counted in days
//     or months it is [DayEnd](LastDay), 24:00 Brussels time; for a limit
//     in hours it is the instant the hours run out, and LastDay is zero.
//
// An instant t is within the limit when t.Before(End); a day d is within
// it when d <= LastDay. No limit is given as "the first invalid day".
//
// The days a text is in force are another thing: an interval in the life of
// a law, not a limit a cell must meet. Those are half-open, [From, Until),
// with Until the first day the text no longer applies (provenance.Source's
// in_force_before, indemnity's tariff lines), as is usual for editions that
// follow one another: one edition's Until is the next one's From.
package timesync
