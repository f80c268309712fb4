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
// Every step is a journal record, sealed and signed. Errors never carry a
// case's details.
//
// # Identities, the roster and epochs
//
// Who acts on a register is an [Identity]: a name, a [Role], an ed25519
// key that signs every record it appends, and — for members and the
// recovery identity — an age key. A step's actor is the identity that
// signs it: a member cannot record a step as another's. The register's
// roster is kept in the journal itself, in clear and signed ([MemberKind],
// [EpochKind], [GrantKind] records): who added whom, when, with the
// clock's evidence. [AuditRecords] checks it with no key: every signed
// record by an identity of the register at that point, roster changes by
// members only, grants by one who holds the key, nothing sealed to an
// epoch a departed member holds; [Register.Members] lists it.
//
// Records are sealed (filippo.io/age) to the public key of the current
// epoch; its secret key is wrapped to each reading identity. A member
// added later ([Register.AddMember]) is granted the past epochs' keys and
// reads the whole history — nothing is rewritten; a member removed
// ([Register.RemoveMember]) starts a new epoch and is shut out of what
// follows. Services ([RoleService]: the mail intake, a watch daemon)
// append with [Submit], sealing to the epoch's public key: they cannot
// open what they wrote. A recovery identity ([RoleRecovery]), kept on
// paper, holds every epoch and may add members: a cell that lost every
// member's key gets back in. Journals written before records were signed
// stay readable and verifiable, reported unsigned; a member of their
// keyring upgrades ([UpgradeIdentity]) and goes on with signed records.
//
// # The journal
//
// Every step is a record of a journal (package
// [github.com/ccjkit/ccjkit/requisition/register/journal]): an
// append-only, hash-chained, signed store that several processes may
// write at once, that repairs only what was provably never acknowledged,
// and whose signed checkpoints, kept outside the register ([Config.Anchors]),
// make a register cut short or rolled back detectable: [Open] refuses it.
// [Register.Checkpoint] signs one. Files are created with mode 0600.
// Record times come from the injected [timesync.Clock] and are kept to
// the second, in UTC.
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
