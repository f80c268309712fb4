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
//   - [Timestamp]: an instant to the whole second, truncated (never rounded
//     up), comparable with ==, marshalled as RFC 3339 with the Brussels
//     offset ("2026-10-25T02:30:00+01:00") and parsed back exactly.
//   - [ParseBrussels] and [WallClock]: Belgian wall-clock input such as
//     "2026-10-25 02:30" or "25/10/2026 02:30". A time in the skipped spring
//     hour is an error ([ErrNonexistent]); a time in the repeated autumn hour
//     is an error ([ErrAmbiguous]) unless the caller says which one with a
//     [Fold] or an explicit offset. Nothing is ever shifted silently.
//   - [MustParseBrussels], [MustParseTimestamp] and [MustParseWallClock]:
//     the Parse functions for tests, examples and constants, as
//     net/netip's MustParseAddr; they panic with the parse error.
//   - [Clock]: where "now" comes from. Nothing in ccjkit calls time.Now
//     directly; production code passes [SystemClock], tests pass the fake
//     clock of package timesynctest.
//   - [Check] and [Judge]: ask NTP servers ([NTPServer]) and the local
//     chronyd ([Chrony]), and give a [Verdict]: is the clock synchronised,
//     is its worst-case error small enough to report times to the second,
//     and is it traceable to GPS, PPS or an atomic clock — each answer with
//     its reasons and the rule at stake.
//
// # Time in ccjkit
//
// Instants are UTC inside and shown in Brussels. Deadlines counted in hours
// are elapsed hours: 24 hours from Saturday 12:00 across the October change
// end on Sunday at 11:00 wall-clock time. Calendar rules (months, days,
// working days) run on Brussels calendar dates; those live in the packages
// that need them.
package timesync
