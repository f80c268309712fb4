// Package radiusacct turns RADIUS accounting (RFC 2866), as
// intercept/radius reads it, into retention.Assignment values: which
// subscriber's session held which address or prefix from when to when.
//
// # One stream for interception and retention
//
// Sessions.Request takes the requests an intercept/radius Server or
// Mirror reads — set it as their Config.OnRequest — so that the same
// accounting feeds the interception pipeline and retention, read once,
// verified once:
//
//	acct, _ := radiusacct.New(radiusacct.Config{Device: "radius-1", Clock: clock, Emit: store.Ingest})
//	srv, _ := radius.NewServer(conn, radius.Config{Clients: clients, Clock: timesync.SystemClock{}, OnRequest: acct.Request})
//	err := srv.Serve(ctx, pipeline.HandleEvent)
//
// A request whose assignments Emit refuses is refused: the Server does
// not answer it, and the NAS sends it again (RFC 2866 §4.1). Since a
// request can be refused after some of its assignments were handed on,
// Emit may see the same value twice; a store keeps one.
//
// # From accounting to assignments
//
// A session is named by its NAS and its Acct-Session-Id; its addresses
// are its Framed-IP-Address (a /32), Framed-IPv6-Prefix,
// Delegated-IPv6-Prefix and Framed-IPv6-Address (a /128), each its own
// assignment. A Start opens them at the session's start, handed on open
// (Until zero); an Interim-Update of a session not seen before (its
// Start was lost, or came before this reader ran) opens them at its start
// when the NAS sent Acct-Session-Time, else at the update (Stats.Late),
// and one whose addresses changed closes the ones gone and opens the new
// ones at the update; a Stop closes them, handed on again with their end:
// the Stop's second, rounded up so that the second the session ended in
// is covered. A Stop of a session not seen before, with its session time
// and addresses, gives the closed assignments at once.
//
// An Accounting-On (the NAS booted) or Accounting-Off (it is about to
// stop) closes every session of that NAS: at the Accounting-On's second,
// since they ended before it; at the Accounting-Off's second rounded up.
// When a session opens an address that another session of the same NAS
// still holds (that one's Stop was lost), the other session is closed at
// that second (Stats.Displaced): one NAS never has two sessions on one
// address at once. Their assignments can share one second only, the one
// a Stop ended in and the next session began in.
//
// # Who the subscriber is
//
// Config.Identity says where the subscriber's reference comes from: the
// User-Name, or the Class the RADIUS server gave the session in its
// Access-Accept (the first Class that maps). Config.Subscribers maps that
// identity to the reference; without it the identity must be the
// reference itself (retention.ValidSubscriber). A session whose identity
// maps to none gives no assignment (Stats.Unmapped), but still ends any
// other session of its NAS holding its addresses. Nothing is logged, and
// errors quote no identity or address.
//
// The evidence of an assignment is the SHA-256 of the request (its
// octets as received) that opened or closed it, with Config.Device, the
// ISP's name for the accounting server, as the device. Event times are
// the NAS's Event-Timestamp, else the arrival less Acct-Delay-Time, as
// intercept/radius reads them.
package radiusacct
