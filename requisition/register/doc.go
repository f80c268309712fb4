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
// A [Journal] is an append-only file of numbered records, each committing
// to the hash of the one before (SHA-256) and, in the current format,
// signed (ed25519), so that a changed, dropped, reordered or spliced
// record is detected by [Verify], which names the first bad one.
// [Journal.Append] returns only once the record is durable (written in one
// write and fdatasync'ed); concurrent appends share one sync (group
// commit).
//
// Several processes may write one journal: each append takes the file's
// advisory lock (flock), reads what the others appended, and writes after
// it; [Journal.Update] holds the journal while a [Register] decides a step
// against everything written before. Readers take the shared lock and
// never change the file. A crash releases the lock with the process, so
// it never wedges the register; filesystems whose locks cannot be trusted
// between processes (NFS, SMB, FUSE, 9p) are refused ([ErrFilesystem]).
//
// Only what was provably never acknowledged is ever repaired: the bytes
// after the last whole record that can be nothing but the start of the
// next record's write (a crash mid-write) are moved to a quarantine file
// beside the journal and the repair recorded ([RepairKind]) by the next
// write — never deleted. Anything else — a whole frame that does not
// verify, a length field that disagrees with what follows, damage before
// the end — is corruption, refused and named by every operation. A
// journal is created atomically (a temporary file with its header, synced,
// renamed without replacing, the directory synced). A failed write or
// sync is never retried as if nothing happened: the append is not
// acknowledged and the journal is read back from disk before the next
// one. docs/recovery.md says what to do in each case; docs/security.md
// what each mechanism defends against.
//
// Signed checkpoints ([Register.Checkpoint], [Sign], [Checkpoint.Check])
// let an auditor check a copy of the journal without any key that opens
// its records. Kept outside the register's directory ([Anchors], one file
// per journal on each member's machine), they make a journal cut short or
// replaced by an older copy detectable: [Config.Anchors] makes
// [OpenRegister] refuse it. [Backup] copies a journal consistently.
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
