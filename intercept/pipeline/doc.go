// Package pipeline is ccjkit's reference interception pipeline: it matches
// captured packets and access events against the active tasks, numbers the
// records, encodes them and hands them to each agency's Handover.
//
//	CaptureSource ─▶ Process ─▶ match ─▶ number ─▶ encode ─▶ Handover
//	SessionSource ─▶ HandleEvent ─▶ session table ─▶ IRI ─┘
//
// # Matching
//
// Tasks (SetTasks) and live sessions (HandleEvent) are compiled into an
// immutable table: the target prefixes, IPv4 and IPv6, each with its
// stream and its task's validity window. A change builds a new table and
// publishes it with one atomic store, so the packet path takes no lock.
// A static address target matches by its prefix; a username target by the
// addresses its sessions hold (a dual-stack session holds several). The
// window is judged on each packet's capture time — NotBefore <= t <
// NotAfter — not by timers, so a packet a nanosecond outside is counted
// (LIIDStats.OutsideWindow) and not intercepted. A task Tick ended stays
// in the table until the packet path has judged a packet captured at or
// after its end (or Run's capture has ended): packets of its window that
// were still in the capture when the clock passed its end — a ring block
// not yet handed over, a capture thread behind under load — are
// intercepted, not lost as nobody's. A packet yields one CC
// record per matching stream: direction fromTarget when the target is its
// source, toTarget when its destination, indeterminate when both.
//
// # Sequence numbers
//
// Each stream (LIID, CIN, IRI or CC) has its counter. A record takes its
// number before it is encoded or queued, so any later loss shows as a gap
// at the receiver — and is counted here (StreamStats). The counters'
// high-water marks are saved durably (Config.StatePath); after a restart,
// a CIN reset (TS 102 232-1 TRIPayload cINReset) goes out before the next
// record of each stream known before, and that stream's numbering starts
// again at 0 — when the agency's stream encoder is an intercept.CINResetter.
// A stream whose encoder is not one (X2/X3 towards a mediation function,
// which numbers the agency's streams itself) keeps its numbering across
// restarts instead: the state file reserves 1024 numbers ahead of it, saved
// again early when half are used, and after a crash it continues past the
// reservation, so the records the crash lost reach the receiver as a gap
// (an upper bound: at most 1024 more than were lost) instead of being
// hidden by numbers used twice. After a clean Close it continues exactly.
//
// # Sessions and IRIs
//
// A session's CIN is derived from its SessionID (FNV-1a, kept distinct
// among live sessions; 0 is kept for HI1 notifications). An access event
// concerning a username target of an active task becomes an IRI; a task
// that starts while its target's session is running opens it with an
// IRI-Begin marked startOfInterceptionWithSessionActive carrying the
// session's attributes as its events left them, and one that ends while it
// runs closes it with endOfInterceptionWithSessionActive. HI1 liActivated,
// liModified and liDeactivated go on the LIID's CIN-0 IRI stream, stamped
// with the moment the interception actually started, changed or stopped
// (Tick fires them; OpenLI learnt to do so in its version 1.1.2) — when
// the agency's encoder is an intercept.HI1Notifier.
//
// # Loss accounting
//
// Stats counts every stage per LIID, and Stats.String says in words what
// was delivered and what was lost, and why. Kernel drops cannot be
// attributed to a task and are reported against every active one as
// possible loss. Logs at Info level and above name tasks by their LIID's
// length and number of targets, never a target or username.
//
// # Legal frame
//
// The operator carries out an interception ordered by a juge
// d'instruction and delivers it to the police's central facility (Code
// d'instruction criminelle art. 90ter to 90quater; for Belgium's technical
// delivery, see docs/intercept.md). The order's period bounds the task's
// window; the pipeline does not decide whether an order is lawful.
package pipeline
