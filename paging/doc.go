// Package paging wakes the cell when a judicial request arrives: it pages
// the member on call through the channels of their member record, retries
// and falls back from one channel to the next, escalates to the backup,
// the escalation list and then everyone when nobody acknowledges, and
// reminds whoever handles a case as its deadline nears. It is a library:
// it sends and plans, and returns what it did as values; the program
// around it (the desk) records each page and each failure in the
// register, reads acknowledgements, and calls it again.
//
// # The story of a page
//
// A request is received at 21:47:03 on a Saturday. The desk asks [Next]
// what to do: the [Policy], the cell (ccj.Cell), the [Intake] — the
// cell's case number, the instant of receipt, the deadline [Class] — and
// the [Event]s recorded so far, none yet. The plan says: at 21:47:03,
// page the member on call (ccj.Cell.OnCall at that second). The desk
// builds the [Page] of that [Action], gives it the member's one-time
// [Code] ([NewCode]), and hands it to a [Dispatcher], whose Deliver tries
// the member's channels ([Route]: ccj.Contact.Paging in the member's
// order, e-mail last) with a [Sender] for each kind — [Ntfy], [Matrix],
// [Webhook], [SMSGate], [SMTP] — each channel retried with exponential
// backoff ([Retry]) before the next is tried. Deliver returns every
// [Attempt] (the channel's kind and place, never its address; the
// attempt's number, instant and [Failure]), which the desk records, then
// the [Paged] event ([Action.Done]).
//
// Ten minutes later (five at night: [DefaultPolicy] says why), if nobody
// ran "desk ack 2026-0042 7KQ2M-XH4PA" ([CheckCode], then an
// [Acknowledged] event), Next says to page the backup, and so on down
// the escalation list to everyone ([Steps]). Reminders follow the case at
// 50, 80 and 95 % of the time between receipt and deadline until it is
// [Closed].
//
// # What a page says
//
// A page crosses servers the cell does not run — a push service, an SMS
// gateway, a mail relay — and lights lock screens. It says only the case
// number, when the request arrived (Brussels time, to the second), how
// urgent it is, why it is sent, and how to acknowledge, in French, Dutch,
// German or English ([Page.Text]). Its type holds nothing else: no field
// takes free text, and a [CaseID] is only the cell's own "2026-0042",
// never an authority's reference. Senders' credentials are [Secret]s,
// hidden from every print and encoding; errors name services and status
// codes, never tokens, passwords or channel addresses.
//
// # Time
//
// Delays are elapsed time and day or night is the Brussels wall clock at
// the instant a member was paged, so an escalation across the October
// change pages every five real minutes while the wall clock goes back an
// hour. [Next] is pure — no clock, no state of its own: after a restart,
// the same events give the same plan, and an action missed while the
// program was down is overdue, due at once.
//
// # Acknowledgement codes
//
// A [Code] is an HMAC, under a key only the caller holds, of the member,
// the case and the page's instant: nothing is stored, [CheckCode]
// computes it again and says whether it is right and still valid
// (Policy.CodeValid). Single use is the caller's: it records each
// acknowledgement in the register and refuses a code already used.
package paging
