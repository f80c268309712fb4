// Package intercept is the vocabulary and the seams of real-time
// interception: what an operator needs to deliver a target's communications
// "in clear", as they happen, to the police's central interception facility
// (in Belgium the NTSU-CTIF), under an order of a juge d'instruction (Code
// d'instruction criminelle art. 90ter to 90quinquies; the operator's duty to
// cooperate: art. 90quater §2 [V]).
//
// # Vocabulary
//
//   - LIID: the identifier the authority gives an interception, 1 to 25
//     octets, heading every record.
//   - Task: one interception as the equipment carries it out — LIID,
//     targets, validity window, what to deliver (IRI, CC or both), the
//     agency. Targets are static addresses or prefixes (IPv4 and IPv6), or
//     subscriber identities whose addresses are learnt from sessions.
//   - CIN: the communication identity number telling a target's sessions
//     apart; Stream: IRI (on HI2) or CC (on HI3); Seq: the 32-bit sequence
//     number, one counter per StreamKey (LIID, CIN, stream), wrapping at 2³².
//   - Profile: every national and per-agency choice the wire formats depend
//     on. Belgium fills what is public and refuses a profile that lacks what
//     the NTSU-CTIF has not published.
//   - The ETSI enumerations (IRIType, AccessEventType, AccessType,
//     Direction, Assignment, EndReason) with their ASN.1 values.
//
// # Seams
//
// CaptureSource (packets with kernel timestamps, drop counters),
// SessionSource (access events tying identities to addresses), Encoder and
// StreamEncoder (records to bytes), Handover (bytes to the agency). The
// wire formats are in the sub-packages: intercept/etsi encodes and decodes
// ETSI TS 102 232-1 PS-PDUs with TS 102 232-3 IP access payloads, the format
// delivered to the agency; intercept/x2x3 does ETSI TS 103 221-2 X2/X3 PDUs,
// the format between a capture node and a delivery node.
//
// # Secrecy
//
// Targets, tasks and access events are case detail under professional
// secrecy (CIC art. 90quater §2; Code pénal art. 458 [V]). Their String
// and slog LogValue hide identities and addresses, and
// no error of this package or its sub-packages quotes a target, a username
// or an LIID's octets.
package intercept
