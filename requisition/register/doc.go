// Package register keeps the record a Justice Coordination Cell shows a
// judge: what it received, when, who handled it, what it answered and when
// — to the second.
//
// # Cases
//
// A [Register] follows each case through a typed lifecycle — received,
// acknowledged by a member, checked (lawful, clarification asked,
// contested), in progress, answered, invoiced, closed; or expired or
// cancelled ([Next] gives the allowed transitions). Every step names its
// actor, takes its time from the injected clock, keeps the clock
// verdict of that moment as [Evidence], and is refused with
// [ErrTransition] when illegal (answering a case nobody acknowledged,
// invoicing an unanswered one). [Register.DueWithin] re-evaluates answer
// deadlines at any moment: what is overdue, what falls due soon.
//
// Every step is a journal record sealed with a [Keyring] of the cell's
// members (filippo.io/age): each member opens them with their own
// [Identity]; a member removed from the keyring cannot read what is
// written afterwards; a stolen disk reveals nothing. Errors never carry a
// case's details.
//
// # The journal
//
// A [Journal] is an
// append-only file of numbered records, each committing to the hash of the
// one before (SHA-256), so that a changed, dropped, reordered or spliced
// record is detected by [Verify], which names the first bad one. [Journal.Append]
// returns only once the record is durable (written and fdatasync'ed; the
// directory is synced when the file is created), and concurrent appends
// share one sync (group commit), so a busy desk is not bound by the disk.
// (A [Register] writes one step at a time, each durable before the next
// begins: its steps are few, and their order is the case's.)
// After a crash, [Open] finds an incomplete last record, reports it in its
// [OpenReport] and cuts the file back to the last whole record — it never
// keeps a torn record silently, and it refuses a journal damaged anywhere
// else. Signed checkpoints ([Sign], [VerifyCheckpoint], ed25519) let an
// auditor check a copy of the journal without any key that opens its
// records: the chain covers the payloads as stored, which is what lets the
// records be encrypted.
//
// Files are created with mode 0600. Record times come from the injected
// [timesync.Clock] and are kept to the second, in UTC.
//
// # Work orders
//
// Technicians are told only what they strictly need (IBPT brochure §3.16
// [S]). [Register.IssueWorkOrder] gives them a [WorkOrder]: a type of its
// own, holding what to extract (each lookup one of the requisition's
// targets and items, never more), a due time and an opaque [Ref] — a
// keyed hash of the case's ID, under a key kept sealed in the journal
// ([Register.RotateWorkOrderKey] draws a new one). The technician's
// [WorkResult] comes back with that reference ([DecodeWorkResult] reads
// it strictly) and a member attaches it ([Register.AttachResult]).
//
// # The answer
//
// [Register.Answer] records the [Delivery]: when (to the second), to
// whom, through which [Channel], what. [Register.AnswerRecord] gives the
// account a judge reads — receipt, deadline and how it was computed,
// delivery, response time, timeliness, the clock's evidence — as JSON or
// as text in French, Dutch, German or English.
//
// # Statistics
//
// [Register.Statistics] counts a period's cases by measure, authority and
// outcome, and gives response times (median and 95th percentile by the
// nearest-rank method, worst) against their deadlines — with no case
// identifier, and counts below a threshold ([DefaultThreshold], 3) shown
// as "< 3", plus the secondary suppression that stops a total from giving
// them back. JSON, CSV and text.
//
// # Logs
//
// With [Config.Logger] set, the register logs each record it writes and
// each repair, with the case's ID, the event and the states — never a
// target, a name, a reference, a note or a finding; a test captures the
// logs and errors of a whole case and searches them for the case's
// details.
package register
