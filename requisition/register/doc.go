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
// follows. Services ([RoleService]: the mail intake) append with [Submit],
// sealing to the epoch's public key: they cannot open what they wrote
// ([SubmitTo] and [SubmitOnceTo] do the same on any journal store, a
// database included).
// A watch ([RoleWatch]: the daemon that follows deadlines and pages the
// members) reads the register as a member does and writes only with
// Submit: it acts on no case and changes nothing of the roster. A recovery identity ([RoleRecovery]), kept on
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
// it strictly) and a member attaches it ([Register.AttachResult]). A
// store that answers identifications (package retention) asks the
// register whether a work order allows a lookup now
// ([Register.AuthorizeLookup]: no result yet, its case in progress) and
// records each lookup it answers ([Register.RecordLookup], sealed and
// signed: who asked, when, the instant asked about, how many candidates;
// [Register.Lookups] reads them back).
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
// # Keeping
//
// The register never deletes nor rewrites a record. How long the cell
// keeps a closed case is a [Keeping] the operator states: ccjkit found no
// Belgian text that sets it — the article that now sets up the cell, art.
// 127/3 of the Telecom Act (law of 13 June 2005), was not retrieved [U],
// nor its 2016 predecessor (art. 126/1) [U]; the 2013 regime's rule that
// retained data be destroyed at the end of the retention period [S], and
// the 4 to 12 months of the 2022 law [S], are about the traffic data an
// operator retains, not the cell's record of what the authorities asked.
// The GDPR's storage limitation ([StorageLimitationSource], art. 5(1)(e)
// [S]) asks that personal data be kept no longer than necessary, a period
// the controller sets. So the period's [provenance.Source] is the cell's
// written policy ([PolicySource], [U]) — part of the internal procedure
// the cell communicates to the BIPT [S] — and [Keeping.Findings] says so as
// a warning, never an error. A period is counted from the day a case was
// closed, on the calendar ([Keeping.LastDay] inclusive, [Keeping.End] the
// first instant too late).
//
// [Register.KeepingReport] sets every case against the period at an
// instant the caller gives: the closed cases whose period is over
// ([Register.KeepingEnded]), those still kept, those that can only be
// closed but were not (their period has not begun), and whether the whole
// register may be retired. What the cell does then — retire a register
// whose every case is over, to cold storage or destruction, with its
// backups; start a new register for each period — is in docs/recovery.md,
// "The end of a keeping period". Records are sealed to epochs shared by
// every case of their time, not to a key per case: one case cannot be
// crypto-shredded out of a journal (docs/security.md says what it would
// take).
//
// # Logs
//
// With [Config.Logger] set, the register logs each record it writes and
// each repair, with the case's ID, the event and the states — never a
// target, a name, a reference, a note or a finding; a test captures the
// logs and errors of a whole case and searches them for the case's
// details.
package register
