package intercept

import "fmt"

// Delivery says what a task delivers: IRI, CC or both. The values are
// those of ETSI TS 103 120's DeliveryType and TS 103 221-1's deliveryType
// (X2Only, X3Only, X2andX3), so that a task maps 1:1 onto either.
type Delivery uint8

// The kinds of delivery. The zero Delivery is invalid: an order always says
// what is to be delivered.
const (
	IRIOnly  Delivery = 1
	CCOnly   Delivery = 2
	IRIAndCC Delivery = 3
)

// Includes reports whether d delivers stream s.
func (d Delivery) Includes(s Stream) bool {
	switch s {
	case IRI:
		return d == IRIOnly || d == IRIAndCC
	case CC:
		return d == CCOnly || d == IRIAndCC
	}
	return false
}

// String returns "IRIOnly", "CCOnly" or "IRIAndCC".
func (d Delivery) String() string {
	switch d {
	case IRIOnly:
		return "IRIOnly"
	case CCOnly:
		return "CCOnly"
	case IRIAndCC:
		return "IRIAndCC"
	}
	return fmt.Sprintf("Delivery(%d)", uint8(d))
}

// Direction is the direction of a content-of-communication record relative
// to the target: ETSI TS 102 232-1 CCPayload payloadDirection [0]. The
// values are the ASN.1 enumeration's.
type Direction uint8

// The directions.
const (
	FromTarget    Direction = 0 // fromTarget(0)
	ToTarget      Direction = 1 // toTarget(1)
	Indeterminate Direction = 2 // indeterminate(2)
)

// String returns the ASN.1 name: "fromTarget", "toTarget", "indeterminate".
func (d Direction) String() string {
	switch d {
	case FromTarget:
		return "fromTarget"
	case ToTarget:
		return "toTarget"
	case Indeterminate:
		return "indeterminate"
	}
	return fmt.Sprintf("Direction(%d)", uint8(d))
}

// IRIType is the kind of an IRI record, ETSI TS 102 232-1 IRIPayload
// iRIType [0]: a Begin opens a session's records, Continue updates it, End
// closes it, and a Report stands alone.
type IRIType uint8

// The IRI types, with the ASN.1 enumeration's values.
const (
	IRIBegin    IRIType = 1 // iRI-Begin(1)
	IRIEnd      IRIType = 2 // iRI-End(2)
	IRIContinue IRIType = 3 // iRI-Continue(3)
	IRIReport   IRIType = 4 // iRI-Report(4)
)

// String returns the ASN.1 name, such as "iRI-Begin".
func (t IRIType) String() string {
	switch t {
	case IRIBegin:
		return "iRI-Begin"
	case IRIEnd:
		return "iRI-End"
	case IRIContinue:
		return "iRI-Continue"
	case IRIReport:
		return "iRI-Report"
	}
	return fmt.Sprintf("IRIType(%d)", uint8(t))
}

// AccessEventType is what happened to a target's access session, ETSI
// TS 102 232-3 IPIRIContents accessEventType [0]. The values are the ASN.1
// enumeration's.
type AccessEventType uint8

// The access events.
const (
	AccessAttempt                        AccessEventType = 0
	AccessAccept                         AccessEventType = 1
	AccessReject                         AccessEventType = 2
	AccessFailed                         AccessEventType = 3
	SessionStart                         AccessEventType = 4
	SessionEnd                           AccessEventType = 5
	InterimUpdate                        AccessEventType = 6
	StartOfInterceptionWithSessionActive AccessEventType = 7
	AccessEnd                            AccessEventType = 8
	EndOfInterceptionWithSessionActive   AccessEventType = 9
	AccessEventUnknown                   AccessEventType = 10
)

var accessEventNames = [...]string{
	"accessAttempt", "accessAccept", "accessReject", "accessFailed",
	"sessionStart", "sessionEnd", "interimUpdate",
	"startOfInterceptionWithSessionActive", "accessEnd",
	"endOfInterceptionWithSessionActive", "unknown",
}

// String returns the ASN.1 name, such as "accessAccept".
func (e AccessEventType) String() string {
	if int(e) < len(accessEventNames) {
		return accessEventNames[e]
	}
	return fmt.Sprintf("AccessEventType(%d)", uint8(e))
}

// IsKnown reports whether e is one of the enumeration's values.
func (e AccessEventType) IsKnown() bool { return int(e) < len(accessEventNames) }

// IRIType returns the kind of IRI record an access event gives, as OpenLI
// maps RADIUS events (an accepted access opens, an interim update
// continues, an end closes, anything else is a report).
func (e AccessEventType) IRIType() IRIType {
	switch e {
	case AccessAccept, SessionStart, StartOfInterceptionWithSessionActive:
		return IRIBegin
	case InterimUpdate:
		return IRIContinue
	case AccessEnd, SessionEnd, EndOfInterceptionWithSessionActive:
		return IRIEnd
	}
	return IRIReport
}

// AccessType is how the target reaches the network, ETSI TS 102 232-3
// internetAccessType [2]. The values are the ASN.1 enumeration's.
type AccessType uint8

// The access types.
const (
	AccessUndefined     AccessType = 0
	AccessDialup        AccessType = 1
	AccessXDSL          AccessType = 2
	AccessCableModem    AccessType = 3
	AccessLAN           AccessType = 4
	AccessWirelessLAN   AccessType = 5
	AccessFTTx          AccessType = 6
	AccessWiMAX         AccessType = 7
	AccessSatellite     AccessType = 8
	AccessWirelessOther AccessType = 9
)

var accessTypeNames = [...]string{
	"undefined", "dialUp", "xDSL", "cableModem", "lAN", "wirelessLAN",
	"fiber", "wIMAX", "satellite", "wirelessOther",
}

// String returns the ASN.1 name, such as "fiber" for AccessFTTx.
func (a AccessType) String() string {
	if int(a) < len(accessTypeNames) {
		return accessTypeNames[a]
	}
	return fmt.Sprintf("AccessType(%d)", uint8(a))
}

// IsKnown reports whether a is one of the enumeration's values.
func (a AccessType) IsKnown() bool { return int(a) < len(accessTypeNames) }

// Assignment says how the target's address was assigned, ETSI TS 102 232-3
// IPAddress iP-assignment [3].
type Assignment uint8

// The assignments. The zero value means the field is absent.
const (
	AssignmentStatic   Assignment = 1 // static(1)
	AssignmentDynamic  Assignment = 2 // dynamic(2)
	AssignmentNotKnown Assignment = 3 // notKnown(3)
)

// String returns the ASN.1 name.
func (a Assignment) String() string {
	switch a {
	case 0:
		return "absent"
	case AssignmentStatic:
		return "static"
	case AssignmentDynamic:
		return "dynamic"
	case AssignmentNotKnown:
		return "notKnown"
	}
	return fmt.Sprintf("Assignment(%d)", uint8(a))
}

// HI1Kind is which HI1 notification tells the receiver about an
// interception: that it started, stopped or changed. The values are the
// context tags of TS 101 671 HI1NotificationOperations (liActivated [1],
// liDeactivated [2], liModified [3]), which intercept/etsi writes inside
// PS-PDU hI1-Operation [3]; another encoder family maps them to its own
// form (see HI1Notifier).
type HI1Kind uint8

// The notifications. The zero HI1Kind is invalid.
const (
	LIActivated   HI1Kind = 1 // liActivated [1]: interception started
	LIDeactivated HI1Kind = 2 // liDeactivated [2]: interception stopped
	LIModified    HI1Kind = 3 // liModified [3]: interception changed
)

// String returns the ASN.1 name: "liActivated", "liDeactivated",
// "liModified".
func (k HI1Kind) String() string {
	switch k {
	case LIActivated:
		return "liActivated"
	case LIDeactivated:
		return "liDeactivated"
	case LIModified:
		return "liModified"
	}
	return fmt.Sprintf("HI1Kind(%d)", uint8(k))
}
