package intercept

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"time"
)

// The seams of real-time interception. A task flows through four stages,
// each behind a small interface so that any of them can be replaced, or
// moved to another machine (a capture node speaking X2/X3 to a delivery
// node, as ETSI TS 103 221 splits them):
//
//	CaptureSource ─┐
//	               ├─▶ matcher ─▶ sequencer ─▶ Encoder ─▶ Handover ─▶ receiver (LEMF)
//	SessionSource ─┘
//
// The matcher and sequencer belong to the pipeline; the interfaces below
// are the points where other code plugs in.

// Packet is one captured IP datagram.
type Packet struct {
	// Time is when the packet was captured, from the kernel's wall clock;
	// it becomes the CC record's timestamp (timeOfInterception) and decides
	// whether the task's validity window covers the packet.
	Time time.Time
	// Data is the layer-3 datagram (IPv4 or IPv6), link-layer headers
	// already removed. It belongs to the source and is valid only until the
	// deliver function that received it returns.
	Data []byte
	// Length is the datagram's length on the wire; more than len(Data) when
	// the capture was truncated.
	Length int
}

// Truncated reports whether the capture kept less than the whole datagram.
func (p *Packet) Truncated() bool { return p.Length > len(p.Data) }

// CaptureStats counts what a capture source saw and lost. Counters only
// grow; a reader takes differences.
type CaptureStats struct {
	// Received counts the packets handed to deliver.
	Received uint64
	// KernelDropped counts packets the kernel dropped before the source
	// could read them (a full ring). They cannot be attributed to a task, so
	// every task active at the time may have lost some.
	KernelDropped uint64
	// Truncated counts received packets that were cut short.
	Truncated uint64
}

// CaptureSource delivers captured packets in batches: an AF_PACKET ring, a
// pcap file replayed, a mirror port decapsulated.
type CaptureSource interface {
	// Capture calls deliver with each batch of packets, in capture order,
	// until ctx is done or the source ends; it returns nil at the end of a
	// finite source and ctx's error when cancelled. deliver must not block
	// for long and must not keep the batch or its packets' Data after it
	// returns: the source reuses them. Capture is called once.
	Capture(ctx context.Context, deliver func(batch []Packet)) error
	// Stats returns the counters so far; it is safe to call concurrently
	// with Capture.
	Stats() CaptureStats
}

// TargetFilter is implemented by capture sources that can keep other
// people's traffic out before it reaches the pipeline, such as a kernel
// socket filter. The pipeline's Run calls SetTargets with every address
// and prefix its tasks and sessions target, at start and whenever they
// change, before it matches packets against new ones. The filter is a
// pre-filter only: the pipeline still matches every packet it is given
// against the tasks and their windows. The prefixes are case detail: an
// implementation must not log them.
type TargetFilter interface {
	// SetTargets replaces the filter with one that lets in packets from
	// or to any of prefixes, and nothing else. An error means the filter
	// could not be set as asked; the implementation says whether the old
	// one, or a wider one, remains.
	SetTargets(prefixes []netip.Prefix) error
}

// EndReason is why an access session ended, ETSI TS 102 232-3 endReason [12].
type EndReason uint8

// The end reasons. The zero value means the field is absent.
const (
	EndRegular           EndReason = 1 // regular(1)
	EndConnectionLoss    EndReason = 2 // connectionLoss(2)
	EndConnectionTimeout EndReason = 3 // connectionTimeout(3)
	EndLeaseExpired      EndReason = 4 // leaseExpired(4)
)

// String returns the ASN.1 name, or "absent".
func (r EndReason) String() string {
	switch r {
	case 0:
		return "absent"
	case EndRegular:
		return "regular"
	case EndConnectionLoss:
		return "connectionLoss"
	case EndConnectionTimeout:
		return "connectionTimeout"
	case EndLeaseExpired:
		return "leaseExpired"
	}
	return fmt.Sprintf("EndReason(%d)", uint8(r))
}

// AccessEvent is one event of a subscriber's access session — it logged
// on, was given addresses, was updated, logged off — as a RADIUS accounting
// tap, a DHCP server or a VPN hook reports it. Sessions tie an identity to
// addresses, which is how a TargetUsername is found in packets, and each
// event becomes an IRI record (TS 102 232-3 IPIRI).
//
// An AccessEvent is case detail when it concerns a target; its LogValue
// hides the username and addresses.
type AccessEvent struct {
	// Type is what happened.
	Type AccessEventType
	// Time is when it happened, as the source observed it.
	Time time.Time
	// SessionID identifies the session at its source (a RADIUS
	// Acct-Session-Id, a DHCP lease); events of one session share it. The
	// pipeline derives the session's CIN from it.
	SessionID string
	// Username is the identity the access network authenticated.
	Username string
	// Addresses are the addresses or prefixes the session holds (a
	// dual-stack session holds an IPv4 address and an IPv6 prefix).
	Addresses []netip.Prefix
	// Assignment is how the addresses were assigned (0: not reported).
	Assignment Assignment
	// AccessType is the kind of access.
	AccessType AccessType
	// Start and End are the session's start and end when known (zero: not
	// known or not yet).
	Start, End time.Time
	// EndReason is why the session ended (0: not reported).
	EndReason EndReason
	// OctetsReceived and OctetsSent are the session's byte counts when
	// reported, from the target's point of view (nil: not reported).
	OctetsReceived, OctetsSent *uint64
}

// String hides the identity and addresses from fmt: only the event type
// and the number of addresses show.
func (e AccessEvent) String() string {
	return fmt.Sprintf("%v with %d address(es) [secret]", e.Type, len(e.Addresses))
}

// LogValue hides the identity and addresses in structured logs.
func (e AccessEvent) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", e.Type.String()), slog.Int("addresses", len(e.Addresses)))
}

// SessionSource reports access events: a RADIUS accounting tap, DHCP
// leases, a VPN server's connect and disconnect hooks, or static
// configuration. It is separate from CaptureSource because the two often
// sit on different machines (OpenLI's issue #20).
type SessionSource interface {
	// Sessions calls deliver with each event, in order, until ctx is done
	// or the source ends; it returns nil at the end of a finite source and
	// ctx's error when cancelled. deliver may keep the event.
	Sessions(ctx context.Context, deliver func(AccessEvent)) error
}

// CCRecord is one content-of-communication record before encoding: an
// intercepted packet and where it goes.
type CCRecord struct {
	Seq       Seq
	Time      time.Time // the capture time
	Direction Direction
	Packet    []byte // the IP datagram
}

// IRIRecord is one intercept-related information record before encoding.
type IRIRecord struct {
	Seq   Seq
	Type  IRIType
	Event AccessEvent // its Time is the record's time
}

// Encoder turns records into the bytes of one wire format (ETSI TS 102 232
// PS-PDUs in package intercept/etsi; TS 103 221-2 X2/X3 in intercept/x2x3).
//
// Two capabilities are optional, each an interface of this package that an
// encoder family implements when its format can say it, whatever the
// family: an Encoder that is also an HI1Notifier writes HI1 notifications
// (the pipeline then announces each task's activation, deactivation and
// change), and a StreamEncoder that is also a CINResetter writes a CIN
// reset (the pipeline then sends one, after a restart, before the next
// record of every stream it numbered before). The pipeline asks for them
// with a type assertion on these interfaces, never on a concrete encoder;
// an encoder without them gets neither, and loses nothing else.
// intercept/etsi implements both; intercept/x2x3 neither (its PDUs carry
// no notification and no reset). An encoder that wraps another must
// implement them itself if it is to pass them on.
type Encoder interface {
	// Stream prepares the encoding of one stream's records. Everything that
	// is the same for every record of the stream is done here, once, so
	// that encoding a record allocates nothing.
	Stream(key StreamKey) (StreamEncoder, error)
}

// StreamEncoder encodes the records of one stream. It is safe for
// concurrent use only when its documentation says so; the pipeline uses one
// per goroutine.
type StreamEncoder interface {
	// AppendCC appends r's encoding to dst and returns the extended slice.
	// It fails on an IRI stream.
	AppendCC(dst []byte, r *CCRecord) ([]byte, error)
	// AppendIRI appends r's encoding to dst and returns the extended slice.
	// It fails on a CC stream.
	AppendIRI(dst []byte, r *IRIRecord) ([]byte, error)
}

// HI1Notifier is the optional capability of an Encoder to write HI1
// notifications: that an interception started, stopped or changed (see
// Encoder).
type HI1Notifier interface {
	// AppendHI1 appends the notification of kind for liid to dst and
	// returns the extended slice. seq is the sequence number the caller
	// drew from liid's IRI stream with CIN 0, which carries an LIID's
	// notifications whatever its task delivers; t is the moment the
	// interception actually started, stopped or changed, not the moment it
	// was configured.
	AppendHI1(dst []byte, kind HI1Kind, liid LIID, seq Seq, t time.Time) ([]byte, error)
}

// CINResetter is the optional capability of a StreamEncoder to announce
// that its stream's sequence numbers start again at 0, as after a restart
// that lost the counters, so that the receiver does not take the restart
// for loss or duplication (ETSI TS 102 232-1 TRIPayload cINReset; see
// Encoder).
type CINResetter interface {
	// AppendCINReset appends the reset, stamped t and numbered 0, to dst
	// and returns the extended slice. The stream's next record is numbered
	// 0 again.
	AppendCINReset(dst []byte, t time.Time) ([]byte, error)
}

// Handover delivers encoded records to the receiving agency.
type Handover interface {
	// Deliver takes one encoded record of stream key with sequence number
	// seq. It copies pdu and never blocks the caller: a record it cannot
	// accept (its buffers are full) is refused with an error and counted,
	// so that the loss shows as a gap the receiver sees and the operator
	// can account for.
	Deliver(key StreamKey, seq Seq, pdu []byte) error
	// Close delivers what can be delivered and releases the connections.
	Close() error
}
