// Package ccj is for an association setting up its Justice Coordination
// Cell (Cellule de Coordination de la Justice / Coördinatiecel Justitie):
// who is in it, who is on call when, and whether the cell meets what the
// regulator asks — in a form a volunteer can plan, check and show.
//
// # What the cell must be
//
// Every operator runs a cell to answer judicial requests (royal decree of 9
// January 2003, art. 2; Telecom Act art. 127/3 since 2022 [S]). BIPT asks
// that it be reachable around the clock, that each member hold a positive
// security advice, and that its contact details be kept up to date on
// BIPT's platform [V]. Its letter to Neutrinet adds that the cell must be
// on Belgian territory [S]. Practitioners add that the advice is renewed
// every five years, that the screening looks for five years of residence
// in Belgium, that a third party may be appointed as a member under
// contract, and that the cell needs an internal procedure communicated to
// BIPT (Timelex [S]). Each rule below names its source and certainty.
//
// # Members
//
// A [Member] has channels (phone in E.164, e-mail, Signal or Matrix
// handles), a residence, a [Role] and an [Advice] whose validity runs five
// calendar years from the grant ([Advice.LastDay] explains the rule,
// 29 February included). Only members with a valid advice are eligible to
// answer. [Member.Contact] reads the channels once — the phone to call,
// the e-mail, the channels to page — for the calendar, the contact sheet
// and paging alike.
//
// # The rota
//
// People plan shifts in Brussels wall-clock terms — "Monday 18:00 to
// Tuesday 08:00" — and [NewShift] turns them into instants, refusing the
// hour that does not exist in March and the hour that happens twice in
// October unless told which. A night shift across the October change lasts
// 15 elapsed hours, across the March change 13. A [Pattern] is a weekly
// rotation — "every Saturday 18:00 to Sunday 08:00, alice and bob taking
// turns" — that a Cell carries beside its one-off shifts; [Expand] and
// [Cell.Expand] turn patterns into shifts over any window of up to
// [MaxExpandDays]. [Cell.OnCall] answers who to call at an instant —
// primary, backup, then the escalation list, skipping (and reporting)
// members without a valid advice — and [Cell.Gaps] returns every interval
// with nobody eligible on call, exactly, cut at the Brussels midnight where
// an advice lapses; both, and the report, expand the patterns they need.
//
// # Cell files
//
// [DecodeCell] reads a cell from JSON strictly (and the earlier form the
// desk example wrote, with the patterns beside the cell as "rota");
// [Cell.Check] says whether its rota holds together — members named,
// shifts and patterns well formed, every pattern time existing in
// Brussels — before a program relies on it. Both return every problem at
// once, as a *provenance.Problems; every error of the package wraps one of
// its sentinels ([ErrDecode], [ErrMember], [ErrRota], [ErrPattern],
// [ErrWindow], [ErrICalendar], [ErrWrite]).
//
// # Calendars
//
// [Cell.ExportICalendar] exports the rota over the window the caller
// gives as RFC 5545 with TZID=Europe/Brussels and a matching VTIMEZONE,
// for members' phones: each shift an event whose UID is the same in every
// export ([ShiftUID]), with the call order and NTSU-CTIF's duty desk in
// its description, the members as attendees and an alarm before it
// starts. [Cell.ImportICalendar] reads one back, or a shared calendar from
// Nextcloud, Google or Thunderbird, and lists every event it could not
// map, with why; [Cell.ReadICalendar] is the same, all or nothing.
// [Cell.WriteMonthSVG] draws a month of the rota as an SVG image — days
// down, their real hours across, members by colour, gaps in red.
//
// # Proving it
//
// [Cell.Report] checks the cell against every rule and returns
// provenance.Finding values with texts in French, Dutch, German or
// English, each with its source;
// [Cell.ContactSheet] writes who to call, in which order, for the
// regulator and the police; [MaySee] answers who may see a case, a work
// order or statistics.
package ccj
