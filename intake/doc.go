// Package intake takes requisitions in as they arrive and records them in
// the register before anyone reads them: the whole delivery, sealed, with
// the moment of receipt to the second and the clock's verdict then, once —
// a redelivery is recognised and not recorded twice.
//
// # Channels
//
// A [Reader] reads what one channel delivers. [EmailReader] is the first:
// an RFC 5322 message as a mail server's pipe delivery hands it over
// (Postfix's pipe(8), an alias to a command, a .forward), which `desk
// intake` reads on its standard input. The NTSU-CTIF's "Tank" platform,
// which the BIPT requires operators to join [V], or a portal, would be
// Readers of their own: nothing public says how Tank delivers [U].
//
// # Receiving
//
// [Receive] runs as a service identity of the register (RoleService):
// it writes, sealed to the register's current epoch, and cannot read
// what it wrote, to the register's journal file (Config.Register) or to
// any journal store (Config.Store: a PostgreSQL database shared by the
// cell's machines). It records the delivery with register.SubmitOnceTo
// under a keyed tag of its key (an e-mail's Message-ID, or the digest of the
// whole message when it has none), so that a mail server delivering
// again after a crash adds nothing. It returns once the record is
// durable, and [ExitCode] tells the mail server what happened: 0 when
// recorded, a temporary failure (EX_TEMPFAIL, 75) when the register
// cannot be written — the server keeps the message and tries again, so
// nothing is dropped — and a bounce (EX_DATAERR, 65) for a message over
// the size limit, whose beginning is recorded as refused, so that both
// the sender and the cell know.
//
// What a program can read of a delivery is read — an e-mail's MIME parts
// are listed with their digests, and a part in the library's requisition
// JSON is decoded strictly — and what it cannot (a PDF, a scan, malformed
// MIME) is kept whole: the intake is then unreadable, and a member
// transcribes it. Problems never quote the message.
//
// # Is it genuine?
//
// A forged "urgent" order is the obvious attack on an e-mail intake. The
// record keeps what the cell's own mail server found (SPF, DKIM, DMARC,
// from the Authentication-Results fields with its authserv-id only: RFC
// 8601 §5), the sender's domain and whether the cell listed it as an
// authority's. [Authenticity.Findings] warns of an unlisted domain, of no
// results, of DMARC not passing; [RecordCallBack] ([RecordCallBackTo] on
// a journal store) records a member's call to the authority on a number
// it publishes — who called, which number, when, and what was said — and
// [Intake.Verified] reads them together.
// None of this refuses an order: refusing a lawful order is an offence;
// the warnings say to call back before acting.
//
// # Members
//
// Members read the intakes with [List] and [Pending], and turn one into a
// case with [Accept] (its one requisition read by a program) or
// [Transcribe] (what a member read from the original): the case is
// received at the intake's second — the deadlines count from the moment
// the order reached the cell — and keeps the intake's number
// (register.Case.Submission), so that the original stays linked to it.
//
// # Logs
//
// With Config.Logger set, an intake logs its submission number, status,
// size and whether it was a redelivery: never a sender, a subject or any
// content.
package intake
