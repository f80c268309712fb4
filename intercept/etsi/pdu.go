package etsi

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// PDU is one ETSI TS 102 232-1 PS-PDU: a header naming the interception,
// the communication, the sequence number and the time, and a payload.
//
// A PDU returned by Decode refers to the bytes it was decoded from: its
// packets are not copied (its strings are). Copy a packet that must outlive
// the input, and do not encode a decoded PDU into the buffer it was decoded
// from.
type PDU struct {
	Header  Header
	Payload Payload
}

// Header is the PSHeader (TS 102 232-1 §5.2; the ASN.1 module LI-PS-PDU).
type Header struct {
	// DomainVersion is the LI-PS-PDU module version: li-psDomainId [0] is
	// the OID 0.4.0.2.2.5.1.<DomainVersion>.
	DomainVersion uint32
	// LIID is lawfulInterceptionIdentifier [1].
	LIID intercept.LIID
	// AuthorizationCountry is authorizationCountryCode [2] ("" omits it).
	AuthorizationCountry string
	// OperatorID and NetworkElementID are communicationIdentifier [3]
	// networkIdentifier [0]: operatorIdentifier [0] (1 to 16 octets) and
	// networkElementIdentifier [1] (0, omitted, to 16 octets).
	OperatorID, NetworkElementID string
	// CIN is communicationIdentityNumber [1]; this package always writes it
	// (0 in keep-alives and HI1 notifications, as OpenLI does) and requires
	// it when decoding.
	CIN intercept.CIN
	// DeliveryCountry is deliveryCountryCode [2] ("" omits it).
	DeliveryCountry string
	// Seq is sequenceNumber [4].
	Seq intercept.Seq
	// Time is the record's time, written as TimestampForm says: timeStamp
	// [5] (GeneralizedTime) or microSecondTimeStamp [7]. Either way it is
	// kept to the microsecond, in UTC.
	Time time.Time
	// TimestampForm chooses how Time is written; 0 writes no timestamp.
	TimestampForm intercept.TimestampForm
	// InterceptionPointID is interceptionPointID [6] ("" omits it).
	InterceptionPointID string
	// Qualifier is timeStampQualifier [8].
	Qualifier Qualifier
}

// Qualifier is PSHeader timeStampQualifier [8]: what the timestamp
// measures. The zero value omits the field; the other values are the ASN.1
// enumeration's plus one.
type Qualifier uint8

// The qualifiers.
const (
	QualifierAbsent    Qualifier = 0 // no timeStampQualifier
	QualifierUnknown   Qualifier = 1 // unknown(0)
	TimeOfInterception Qualifier = 2 // timeOfInterception(1): when the packet was captured
	TimeOfMediation    Qualifier = 3 // timeOfMediation(2): when the record was made
	TimeOfAggregation  Qualifier = 4 // timeOfAggregation(3)
)

// String returns the ASN.1 name, or "absent".
func (q Qualifier) String() string {
	switch q {
	case QualifierAbsent:
		return "absent"
	case QualifierUnknown:
		return "unknown"
	case TimeOfInterception:
		return "timeOfInterception"
	case TimeOfMediation:
		return "timeOfMediation"
	case TimeOfAggregation:
		return "timeOfAggregation"
	}
	return fmt.Sprintf("Qualifier(%d)", uint8(q))
}

// PayloadKind is which alternative of the Payload CHOICE a PDU carries;
// the values are the ASN.1 context tags.
type PayloadKind uint8

// The payload kinds this package writes and reads.
const (
	IRISequence  PayloadKind = 0 // iRIPayloadSequence [0]
	CCSequence   PayloadKind = 1 // cCPayloadSequence [1]
	TRIPayload   PayloadKind = 2 // tRIPayload [2]
	HI1Operation PayloadKind = 3 // hI1-Operation [3]
)

// String returns the ASN.1 name.
func (k PayloadKind) String() string {
	switch k {
	case IRISequence:
		return "iRIPayloadSequence"
	case CCSequence:
		return "cCPayloadSequence"
	case TRIPayload:
		return "tRIPayload"
	case HI1Operation:
		return "hI1-Operation"
	}
	return fmt.Sprintf("PayloadKind(%d)", uint8(k))
}

// Payload is the PS-PDU payload [2]; Kind says which field holds it.
type Payload struct {
	Kind PayloadKind
	IRI  []IRIPayload    // when Kind is IRISequence: at least one
	CC   []CCPayload     // when Kind is CCSequence: at least one
	TRI  TRI             // when Kind is TRIPayload
	HI1  HI1Notification // when Kind is HI1Operation
}

// TRI is a TRIPayload without content: its value is the ASN.1 context tag
// of the alternative (TS 102 232-1 TRIPayload). Integrity checks ([0]) are
// not supported.
type TRI uint8

// The TRI payloads this package writes and reads.
const (
	KeepAlive         TRI = 3 // keep-alive [3]: "are you there?", sent on an idle link
	KeepAliveResponse TRI = 4 // keep-aliveResponse [4]: the receiver's answer, same sequence number
	FirstSegment      TRI = 5 // firstSegmentFlag [5]
	LastSegment       TRI = 6 // lastSegmentFlag [6]
	CINReset          TRI = 7 // cINReset [7]: the CIN's sequence numbers restart (after a crash)
)

// String returns the ASN.1 name.
func (t TRI) String() string {
	switch t {
	case KeepAlive:
		return "keep-alive"
	case KeepAliveResponse:
		return "keep-aliveResponse"
	case FirstSegment:
		return "firstSegmentFlag"
	case LastSegment:
		return "lastSegmentFlag"
	case CINReset:
		return "cINReset"
	}
	return fmt.Sprintf("TRI(%d)", uint8(t))
}

// CCPayload is one content-of-communication record carrying TS 102 232-3
// IPCC: an intercepted IP packet.
type CCPayload struct {
	// Direction is payloadDirection [0]; always written, required when
	// decoding.
	Direction intercept.Direction
	// Time is the payload's own timeStamp [1] (GeneralizedTime); zero omits
	// it, as OpenLI does — the header carries the time.
	Time time.Time
	// IPAccessVersion is the IPAccessPDU module version: iPCCObjId [0] is
	// the relative OID 5.3.<IPAccessVersion>.2.
	IPAccessVersion uint32
	// Packet is iPCCContents iPPackets [0]: the IP datagram.
	Packet []byte
}

// IRIPayload is one intercept-related information record carrying TS 102
// 232-3 IPIRI.
type IRIPayload struct {
	// Type is iRIType [0].
	Type intercept.IRIType
	// Time is the payload's own timeStamp [1]; zero omits it.
	Time time.Time
	// IPAccessVersion: iPIRIObjId [0] is the relative OID 5.3.<v>.1.
	IPAccessVersion uint32
	// IPIRI is iPIRIContents [1].
	IPIRI IPIRI
}

// IPVersion is TS 102 232-3 iPVersion [3]; the zero value omits it.
type IPVersion uint8

// The IP versions.
const (
	IPv4      IPVersion = 1 // iPV4(1)
	IPv6      IPVersion = 2 // iPV6(2)
	IPv4AndV6 IPVersion = 3 // iPV4andV6(3)
)

// IPIRI is the subset of TS 102 232-3 IPIRIContents this package writes
// and reads (the fields of an access session: who, how, which addresses,
// when, why it ended, how much). Fields with zero values are omitted, except
// the three the ASN.1 makes mandatory: accessEventType, targetUsername and
// internetAccessType.
type IPIRI struct {
	AccessEventType intercept.AccessEventType // accessEventType [0]
	TargetUsername  string                    // targetUsername [1] (OCTET STRING)
	AccessType      intercept.AccessType      // internetAccessType [2]
	IPVersion       IPVersion                 // iPVersion [3]
	TargetAddress   IPAddress                 // targetIPAddress [4]
	StartTime       time.Time                 // startTime [10] (GeneralizedTime)
	EndTime         time.Time                 // endTime [11]
	EndReason       intercept.EndReason       // endReason [12]
	// OctetsReceived and OctetsTransmitted are octetsReceived [13] and
	// octetsTransmitted [14]; nil omits them.
	OctetsReceived, OctetsTransmitted *uint64
	// AdditionalAddress is additionalIPAddress [21]: the other family's
	// address of a dual-stack session.
	AdditionalAddress IPAddress
}

// IPAddress is TS 102 232-3's IPAddress: an address, with its prefix when
// it is a subnet, and how it was assigned. The zero IPAddress (an invalid
// Prefix) omits the field.
type IPAddress struct {
	// Prefix is the address (a full-length prefix, /32 or /128) or the
	// subnet: written as iP-value [2] iPBinaryAddress [1], with
	// iPv6PrefixLength [4] or iPv4SubnetMask [5] when shorter than the full
	// length. It need not be masked: an address and its subnet travel
	// together.
	Prefix netip.Prefix
	// Assignment is iP-assignment [3] (0 omits it).
	Assignment intercept.Assignment
}

// HI1Notification tells the receiver an interception started, stopped or
// changed, at the time it actually did.
type HI1Notification struct {
	// Kind is which notification: the context tag of its
	// HI1NotificationOperations field (liActivated [1], ...).
	Kind intercept.HI1Kind
	// DomainVersion is the HI1NotificationOperations version: domainID [0]
	// is the OID 0.4.0.2.2.0.1.<DomainVersion>.
	DomainVersion uint32
	// LIID is lawfulInterceptionIdentifier [1].
	LIID intercept.LIID
	// OperatorID is communicationIdentifier network-Identifier
	// operator-Identifier: 1 to 5 octets.
	OperatorID string
	// Time is timeStamp [3], written as utcTime (UTCTime, to the second,
	// years 1950 to 2049) as OpenLI does.
	Time time.Time
}
