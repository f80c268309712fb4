package x2x3

import (
	"errors"
	"fmt"
	"time"
)

// HeaderLen is the length of the fixed header, before the conditional
// attributes (TS 103 221-2 §5.1: version, PDU type, header length, payload
// length, payload format, payload direction, XID, correlation ID).
const HeaderLen = 40

// Version is the header's version field as OpenLI and sipgate's
// li-lib-x1x2x3 send it (0x0005). Wireshark's TLS heuristic (written for
// V1.1.1) looks for 1 instead; decoding by port accepts any value. Which
// value a peer expects is a question for the peer.
const Version uint16 = 5

// PDUType is the header's PDU type.
type PDUType uint16

// The PDU types.
const (
	X2           PDUType = 1 // intercept-related information
	X3           PDUType = 2 // content of communication
	KeepAlive    PDUType = 3
	KeepAliveAck PDUType = 4
)

// String returns "X2", "X3", "Keepalive" or "KeepaliveAck".
func (t PDUType) String() string {
	switch t {
	case X2:
		return "X2"
	case X3:
		return "X3"
	case KeepAlive:
		return "Keepalive"
	case KeepAliveAck:
		return "KeepaliveAck"
	}
	return fmt.Sprintf("PDUType(%d)", uint16(t))
}

// PayloadFormat says what the payload is (TS 103 221-2 payload format
// field).
type PayloadFormat uint16

// The payload formats.
const (
	FormatETSI102232      PayloadFormat = 1  // an ETSI TS 102 232-1 PS-PDU
	Format3GPP33128       PayloadFormat = 2  // 3GPP TS 33.128 xIRI
	Format3GPP33108       PayloadFormat = 3  // 3GPP TS 33.108
	FormatProprietary     PayloadFormat = 4  // proprietary
	FormatIPv4            PayloadFormat = 5  // an IPv4 packet
	FormatIPv6            PayloadFormat = 6  // an IPv6 packet
	FormatEthernet        PayloadFormat = 7  // an Ethernet frame
	FormatRTP             PayloadFormat = 8  // an RTP packet
	FormatSIP             PayloadFormat = 9  // a SIP message
	FormatDHCP            PayloadFormat = 10 // a DHCP message
	FormatRADIUS          PayloadFormat = 11 // a RADIUS packet
	FormatGTPU            PayloadFormat = 12 // a GTP-U message
	FormatMSRP            PayloadFormat = 13 // an MSRP message
	FormatEPSIRI          PayloadFormat = 14 // EPS IRI
	FormatMIME            PayloadFormat = 15 // a MIME entity
	FormatUnstructured    PayloadFormat = 16 // unstructured
	maxPayloadFormatKnown PayloadFormat = FormatUnstructured
)

// Direction is the header's payload direction.
type Direction uint16

// The directions. Keep-alives carry DirectionNone.
const (
	DirectionNone          Direction = 0 // keep-alives
	DirectionUnknown       Direction = 1
	DirectionToTarget      Direction = 2
	DirectionFromTarget    Direction = 3
	DirectionCombined      Direction = 4 // both directions
	DirectionNotApplicable Direction = 5
)

// AttrType is a conditional attribute's type (TS 103 221-2 §5.3).
type AttrType uint16

// The attribute types this package knows the size of. Others are carried
// as they are.
const (
	AttrDomainID       AttrType = 5
	AttrNFID           AttrType = 6
	AttrIPID           AttrType = 7
	AttrSequenceNumber AttrType = 8  // 4 octets; a PDU field of its own here
	AttrTimestamp      AttrType = 9  // 8 octets; a PDU field of its own here
	AttrSourceIPv4     AttrType = 10 // 4 octets
	AttrDestIPv4       AttrType = 11 // 4 octets
	AttrSourceIPv6     AttrType = 12 // 16 octets
	AttrDestIPv6       AttrType = 13 // 16 octets
	AttrSourcePort     AttrType = 14 // 2 octets
	AttrDestPort       AttrType = 15 // 2 octets
	AttrIPProtocol     AttrType = 16 // 1 octet
	AttrMatchedTarget  AttrType = 17
	AttrOtherTarget    AttrType = 18
)

// fixedSize returns the size an attribute type must have, or -1.
func fixedSize(t AttrType) int {
	switch t {
	case AttrSequenceNumber:
		return 4
	case AttrTimestamp:
		return 8
	case AttrSourceIPv4, AttrDestIPv4:
		return 4
	case AttrSourceIPv6, AttrDestIPv6:
		return 16
	case AttrSourcePort, AttrDestPort:
		return 2
	case AttrIPProtocol:
		return 1
	}
	return -1
}

// Attribute is one conditional attribute other than the sequence number
// and the timestamp, which PDU holds as fields.
type Attribute struct {
	Type  AttrType
	Value []byte
}

// PDU is one TS 103 221-2 X2/X3 PDU. A decoded PDU refers to the bytes it
// was decoded from.
type PDU struct {
	Version       uint16
	Type          PDUType
	PayloadFormat PayloadFormat
	Direction     Direction
	// XID identifies the task (the X1 task UUID; ccjkit's intercept.Task ID).
	XID [16]byte
	// CorrelationID ties together the X2 and X3 PDUs of one communication;
	// ccjkit puts the CIN there.
	CorrelationID uint64
	// Seq is the sequence number attribute (type 8) when HasSeq.
	Seq    uint32
	HasSeq bool
	// Time is the timestamp attribute (type 9: seconds and nanoseconds
	// since 1970, each 32 bits); zero omits it.
	Time time.Time
	// Attributes are the other conditional attributes, in order.
	Attributes []Attribute
	// Payload is the carried packet or record.
	Payload []byte
}

// Sentinel errors, for errors.Is. Every error of an encoding, a decoding
// or a Framer is an *Error wrapping one of them (a Framer passes its
// reader's own errors through, AppendIRI its IRI encoder's); NewEncoder
// and NewStream also return package intercept's (a *provenance.Problems
// for an invalid task, intercept.ErrLIID or ErrStream for a bad key).
// None quotes a payload, an address or a target.
var (
	ErrTruncated   = errors.New("x2x3: truncated")
	ErrLength      = errors.New("x2x3: inconsistent length")
	ErrValue       = errors.New("x2x3: value out of range")
	ErrTooLarge    = errors.New("x2x3: PDU too large")
	ErrUnsupported = errors.New("x2x3: unsupported")
)

// Error locates a problem: the field ("header.payloadLength",
// "attribute[2].value") and, when decoding, the offset of its first octet
// (for a Framer, in the whole stream).
type Error struct {
	Op     string // "x2x3: encode" or "x2x3: decode"
	Offset int64  // -1 when encoding
	Field  string
	Err    error
	Detail string
}

// Error returns "x2x3: decode at offset 12 (header.payloadFormat): ...".
func (e *Error) Error() string {
	at := ""
	if e.Offset >= 0 {
		at = fmt.Sprintf(" at offset %d", e.Offset)
	}
	d := ""
	if e.Detail != "" {
		d = ": " + e.Detail
	}
	return fmt.Sprintf("%s%s (%s): %v%s", e.Op, at, e.Field, e.Err, d)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func encErr(field string, sentinel error, format string, args ...any) *Error {
	return &Error{Op: "x2x3: encode", Offset: -1, Field: field, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

func decErr(off int64, field string, sentinel error, format string, args ...any) *Error {
	return &Error{Op: "x2x3: decode", Offset: off, Field: field, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}
