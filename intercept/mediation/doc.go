// Package mediation is a mediation function (MF; TS 103 221's mediation
// and delivery function, MDF): it takes what the network elements that intercept
// (NEs: a router, a VPN concentrator, a CGNAT box) send over ETSI TS 103
// 221-2 X2 (intercept-related information) and X3 (content), and hands it
// to the agency — in Belgium the NTSU-CTIF — as ETSI TS 102 232-1/-3
// records on HI2 and HI3, through an intercept.Handover (the real one is
// package intercept/handover).
//
//	NE ─X2/X3 over mutual TLS─▶ Server ─ check task ─ CIN ─ de-duplicate ─ number ─ encode ─▶ Handover ─HI2/HI3─▶ LEMF
//	NE ─┘                          ▲
//	                    Tasks (the ADMF's, later by X1)
//
// # Who may send
//
// Only an NE with a certificate the configured authority issued: the
// Server does TLS itself on a plain listener, requires and verifies client
// certificates (TLS 1.2 at least) and refuses plain TCP and anyone without
// a certificate of that authority; such refusals are counted
// (Stats.Handshakes). An NE is named by its certificate (its first DNS
// name, else URI, else common name: NEName), and that name keys its
// statistics and its communications, so an NE that reconnects is the same
// NE.
//
// # What is refused, and counted
//
// Each X2 or X3 PDU is checked, in this order, and refused — not
// delivered, counted under its NE and its Reason, never silently — when it
// does not decode (Malformed), when its XID is not a task the ADMF gave
// (UnknownTask), when the task's window has not opened (PendingTask), when
// the task was deactivated or its window has closed by the MF's clock
// (EndedTask), when the PDU's own timestamp lies outside the window
// (OutsideWindow, the pipeline's rule: NotBefore <= t < NotAfter), when the
// task does not deliver that stream (NotOrdered), when the task's agency
// has no handover here (NoAgency), when the payload is not one the MF hands
// over (Unsupported: X3 must carry an IPv4 or IPv6 packet of the family
// its payload format says, X2 a TS 102 232-1 PS-PDU with IRI that package
// etsi decodes in full), or when it would open a communication beyond
// Config.MaxCommunications. These refusals happen before the record takes
// a number: they leave no gap. A record numbered and then not encodable
// (EncodeFailed) or refused by a full handover (HandoverRefused) leaves a
// gap the receiver sees, as in the pipeline. For every NE, Received =
// Delivered + Duplicates + the refusals (NEStats).
//
// # Communications and CINs
//
// A communication is what one NE sends for one task (XID) under one
// correlation ID: TS 103 221-2 leaves correlation IDs to each NE, so two
// NEs' IDs are never taken to mean the same communication. Each gets the
// MF's own CIN under the task's LIID: FNV-1a of the NE's name, the XID and
// the correlation ID, never 0 (an LIID's HI1 notifications' CIN) and
// never one another communication of the LIID holds. Its X2 and X3 PDUs
// share it, so the receiver joins its IRI and its content.
//
// # Numbering
//
// The MF numbers each stream (LIID, CIN, IRI or CC) itself, from 0: the
// NEs' numbers are their own and several NEs serve one task. A record
// takes its number before it is encoded and delivered, under its
// communication's lock, so the handover receives each stream in order.
// Where an NE's own numbering skips (the NE lost records: its queue was
// full), the MF's skips as much, so the loss reaches the receiver as a gap
// instead of being hidden by the renumbering (counted: NEStats.Skipped);
// a jump forward beyond the de-duplication window is taken for a
// renumbering of the NE's, not a loss. An NE that crashed continues past
// the numbers it reserved (intercept/pipeline), so its crash's loss is
// such a skip: an upper bound, never silent.
//
// # De-duplication
//
// An NE that reconnects sends again what the MF had not confirmed.
// A keep-alive's answer confirms everything the NE sent before the
// keep-alive: a connection handles its PDUs in order, so by the time the
// answer is written every earlier PDU has been delivered or refused. The
// key of a PDU is its NE, XID, correlation ID and type (X2 and X3 are
// numbered apart), with the PDU's sequence number attribute; per key the
// MF keeps the highest sequence number delivered and the latest timestamp
// delivered (16 bytes). A PDU is a duplicate — counted, not delivered —
// when its number is at most the highest and fewer than
// Config.DedupWindow behind it, unless its timestamp is later than
// anything delivered: then the NE's numbering started again (an NE
// restarted without its state), and the PDU is delivered and counted as a
// renumbering; so is a PDU more than the window behind. A PDU without a
// sequence number cannot be de-duplicated: it is delivered and counted
// (Unsequenced). An NE that keeps its numbering across restarts (the
// pipeline's StatePath) is never mistaken.
//
// # Records
//
// An X3 PDU becomes an intercept.CCRecord — its packet, its timestamp
// (the NE's capture time, qualified timeOfInterception), its direction —
// encoded by the agency's etsi.StreamEncoder as IPCC. An X2 PDU's PS-PDU
// is decoded by etsi.Decode and keeps its payload, given the header the
// agency's profile gives the MF's LIID, CIN and number (the NE's time and
// time qualifier kept, the agency's IPAccessPDU version in each payload).
// It is not turned back into an intercept.IRIRecord, which cannot hold
// everything a decoded IRI payload may say (the payload's own timestamp,
// an assignment per address, several payloads in one PS-PDU): the
// records an NE encoded from an IRIRecord come out byte for byte as the
// agency's StreamEncoder writes that IRIRecord, and others lose nothing.
// Inside the PS-PDU, the NE's LIID, CIN and number are replaced: the XID
// is authoritative.
//
// # Bounds
//
// A PDU is at most Config.MaxPDU octets (a larger one ends its
// connection: the framing is lost); at most MaxConns connections are open
// and MaxCommunications communications held (those of ended tasks are
// forgotten to make room); a connection silent for IdleTimeout — not even
// a keep-alive — is closed. Each connection's goroutine reuses its
// buffers; Shutdown closes the connections and waits for their goroutines.
//
// # Its own restarts
//
// With Config.StatePath the MF keeps, durably and before each stream's
// first record, the streams it has numbered; after a restart, each of
// them gets a CIN reset (TS 102 232-1 cINReset, numbered 0) before its
// next record, numbered 0 again, so that the receiver takes the new
// numbering for a restart rather than for duplicates, as the pipeline
// does on HI2/HI3 (NEStats.Resets counts them). It keeps no numbers: a
// communication goes on after a restart under its CIN (derived from the
// NE, the XID and the correlation ID), its numbering announced as new.
// Without a StatePath a restart's numbering goes unannounced. Within a
// run, a communication forgotten (its task ended and its room was needed)
// and made again when its task is activated anew has its CIN again and
// numbers from 0: a CIN reset goes before its first record too, with or
// without a StatePath (the last 65,536 streams forgotten are remembered).
//
// # Durable before confirmed
//
// An NE releases what it holds once the MF answers its keep-alive. With
// Agency.Sync (handover.Handover's Sync, which needs the handover's
// spool), the MF makes everything it handed the agency's handover durable
// — confirmed by the receiver, or written to the spool and fsynced —
// before it answers: an MF killed at any moment loses nothing an NE was
// told was safe, and what it had not yet confirmed the NE sends again.
// A failed Sync leaves the keep-alive unanswered and closes the
// connection (NEStats.SyncFailures). examples/mediator does this with
// -spool; its TestMediatorCrashes kills it six times under a stream of
// 30,000 records and the LEMF gets every one. Without Sync the MF
// answers once the records are handed over in memory; its handover, with
// a spool, still bounds after a crash what the crash lost
// (handover.LossBound, in its Stats and logged), but the receiver, told
// by the CIN reset that the numbering restarted, does not see that loss
// as a gap.
//
// # Not here
//
// X1 tasking (package intercept/x1) can stand behind Tasks; this package
// does not import it.
//
// # Secrecy
//
// No error and no log line of this package quotes an LIID, a target or
// a packet; logs name NEs, which are equipment.
package mediation
