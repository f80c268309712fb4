// Package radius turns RADIUS accounting (RFC 2866) into the access
// events of an interception: who logged on, with which addresses, when,
// and when they left. It is how a username target — an order naming a
// subscriber rather than an address — is found in packets, and how the
// IRI records about that subscriber's sessions are made (ETSI TS 102
// 232-3 IPIRI).
//
// Three ways in, all giving intercept.AccessEvent values for the
// pipeline's HandleEvent (or its RunSessions):
//
//	NAS ──Accounting-Request──▶ Server.Serve ──▶ AccessEvent ──▶ pipeline.HandleEvent
//	    ◀──Accounting-Response──────┘
//	mirror port ──▶ capture ──▶ Mirror ──▶ AccessEvent ──▶ pipeline.HandleEvent
//
// Parse reads one Accounting-Request, verified against the shared secret,
// into a Request and its event. Server is an accounting server on a UDP
// socket and an intercept.SessionSource: point the NAS's accounting at
// it, or have the RADIUS server copy accounting to it (FreeRADIUS's
// replicate module); it answers with an Accounting-Response only once the
// event is accepted — run it as srv.Serve(ctx, p.HandleEvent), so that
// what the pipeline refuses is not answered and the NAS sends it again. Mirror is a passive tap, also a SessionSource: it
// reads the Accounting-Requests in captured traffic (a mirror port, a
// capture file) and never answers; its Tee serves one capture holding
// both the accounting and the subscribers' traffic to the pipeline, in
// capture order.
//
// Config.OnRequest hands every request a Server or a Mirror accepted, and
// its octets, to another reader of the same accounting before its events
// go on — retention's (retention/source/radiusacct), which keeps who had
// which address — so that one stream feeds both, and a request either
// refuses is not answered.
//
// # From RADIUS to ETSI
//
// Acct-Status-Type Start, Interim-Update and Stop become sessionStart,
// interimUpdate and sessionEnd. The session is named by its NAS and its
// Acct-Session-Id (unique only within a NAS); the pipeline derives its CIN
// from that. The event's time is the NAS's Event-Timestamp (RFC 2869
// §5.3), else the arrival less the Acct-Delay-Time (RFC 2866 §5.2), to
// the second as RADIUS gives it. Addresses come from Framed-IP-Address
// (RFC 2865 §5.8), Framed-IPv6-Prefix (RFC 3162 §2.3),
// Delegated-IPv6-Prefix (RFC 4818) and Framed-IPv6-Address (RFC 6911);
// octet counts join Acct-Input/Output-Octets with their Gigawords (RFC
// 2869 §5.1–5.2), turned to the target's point of view; NAS-Port-Type and
// Acct-Terminate-Cause map to ETSI's internetAccessType and endReason
// only where the meaning is plain (AccessTypeOf, EndReasonOf). An
// Accounting-On or -Off from a NAS (it booted, or is about to stop) ends
// every session the tap saw it open.
//
// # Strictness, retransmissions, secrecy
//
// A request must be authentic (RFC 2866 §3) and well formed: Parse
// reports every finding at once, each naming the attribute and the RFC
// section, never a value. Attributes it does not read are ignored, as
// RFC 2865 §5 lets a server do. A retransmission — same source,
// Identifier and Request Authenticator (RFC 2866 §4.1) — within
// Config.RetransmitWindow becomes no second event; a Server answers it
// again. Logs name the client's address, never a user, a session or a
// subscriber's address; Request.String and AccessEvent's LogValue hide
// them too.
//
// # Legal frame
//
// Knowing who holds an address at a given moment is identification data
// (Code d'instruction criminelle art. 46bis); following a subscriber's
// sessions during an interception is part of carrying out the juge
// d'instruction's order (art. 90ter to 90quater) and delivering it to
// the police's central facility. This package only reads the operator's
// own accounting; whether an order is lawful is decided elsewhere.
//
// The RADIUS protocol is read with layeh.com/radius (packet framing,
// authenticators, typed attribute values); the rules above are ccjkit's.
package radius
