package x1

import (
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// Namespaces of the X1 documents.
const (
	// Namespace is the X1 schema's target namespace, the same in every
	// edition since 2017.
	Namespace = "http://uri.etsi.org/03221/X1/2017/10"
	// CommonNamespace is TS 103 280's, whose types X1 uses.
	CommonNamespace = "http://uri.etsi.org/03280/common/2017/07"
	// xsiNamespace holds the xsi:type attribute that says which message
	// an x1RequestMessage or x1ResponseMessage is.
	xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"
)

// SchemaVersion is the edition of TS 103 221-1's schema ccjkit implements
// and validates against, as every message's version element states it.
const SchemaVersion = "v" + schemaFileVersion

const (
	schemaFileVersion = "1.22.1" // TS_103_221_01.xsd's version attribute
	commonFileVersion = "2.15.1" // TS_103_280.xsd's version attribute
)

// MessageType names an X1 request and the responses to it: the values of
// the schema's RequestMessageType. A request's xsi:type is the name
// followed by "Request", its answer's by "Response" (or "ErrorResponse").
type MessageType string

// The message types ccjkit implements. Any other value of the schema's
// RequestMessageType is recognised and answered with UnsupportedRequest.
const (
	ActivateTask          MessageType = "ActivateTask"
	ModifyTask            MessageType = "ModifyTask"
	DeactivateTask        MessageType = "DeactivateTask"
	GetTaskDetails        MessageType = "GetTaskDetails"
	ListAllDetails        MessageType = "ListAllDetails"
	CreateDestination     MessageType = "CreateDestination"
	ModifyDestination     MessageType = "ModifyDestination"
	RemoveDestination     MessageType = "RemoveDestination"
	GetDestinationDetails MessageType = "GetDestinationDetails"
	Ping                  MessageType = "Ping"
	Keepalive             MessageType = "Keepalive"
)

// Supported reports whether ccjkit implements t.
func (t MessageType) Supported() bool {
	switch t {
	case ActivateTask, ModifyTask, DeactivateTask, GetTaskDetails, ListAllDetails,
		CreateDestination, ModifyDestination, RemoveDestination, GetDestinationDetails,
		Ping, Keepalive:
		return true
	}
	return false
}

// known reports whether t is a value of the schema's RequestMessageType.
func (t MessageType) known() bool {
	if t.Supported() {
		return true
	}
	switch t {
	case "DeactivateAllTasks", "RemoveAllDestinations", "GetNEStatus", "GetAllDetails",
		"GetAllTaskDetails", "GetAllDestinationDetails", "GetAllGenericObjectDetails",
		"ReportTaskIssue", "ReportDestinationIssue", "ReportNEIssue", "CreateObject",
		"ModifyObject", "GetObject", "DeleteObject", "ListObjectsOfType", "DeleteAllObjects",
		"ExtendedRequestMessageType":
		return true
	}
	return false
}

// Header is what every X1 message carries (TS 103 221-1 clause 6.1):
// who sends, who receives, when, in which edition, and the transaction
// that pairs a response with its request.
type Header struct {
	// ADMF identifies the administration function (admfIdentifier, an
	// xs:token; ccjkit requires it non-empty).
	ADMF string
	// NE identifies the network element (neIdentifier), likewise.
	NE string
	// Timestamp is when the message was written (messageTimestamp), to the
	// microsecond; it is written in UTC.
	Timestamp time.Time
	// Version is the edition the sender follows, "v1.N.M"; a Client
	// writes SchemaVersion.
	Version string
	// TransactionID pairs a response with its request (x1TransactionId).
	// A top-level error response has none.
	TransactionID UUID
}

// Request is an X1Request document: one or more request messages, each
// answered by one response message in the same order.
type Request struct {
	Messages []RequestMessage
}

// RequestMessage is one x1RequestMessage. Type says which; the fields
// used depend on it:
//
//	ActivateTask, ModifyTask                Task
//	DeactivateTask, GetTaskDetails          XID
//	CreateDestination, ModifyDestination    Destination
//	RemoveDestination, GetDestinationDetails DID
//	ListAllDetails, Ping, Keepalive         (none)
//
// An encoder refuses a message whose other fields are set.
type RequestMessage struct {
	Header
	Type        MessageType
	Task        *TaskDetails
	XID         UUID
	Destination *DestinationDetails
	DID         UUID
}

// Response is an X1Response document, or, when TopLevelError is set, an
// X1TopLevelErrorResponse: the NE's answer to a request it could not read
// at all (then Messages is empty and only the header's ADMF, NE, Timestamp
// and Version are used).
type Response struct {
	Messages      []ResponseMessage
	TopLevelError *Header
}

// ResponseMessage is one x1ResponseMessage: the answer to the request of
// the same transaction. When Error is set it is an ErrorResponse; otherwise
// the fields used depend on Type:
//
//	GetTaskDetails           Task
//	GetDestinationDetails    Destination
//	ListAllDetails           XIDs, DIDs
//	any other                OK
type ResponseMessage struct {
	Header
	// Type is the type of the request answered.
	Type MessageType
	// Error, when set, makes the message an ErrorResponse.
	Error *ErrorInformation
	// OK is the acknowledgement of a request that changes or checks
	// something.
	OK OK
	// Task answers GetTaskDetails.
	Task *TaskResponseDetails
	// Destination answers GetDestinationDetails.
	Destination *DestinationResponseDetails
	// XIDs and DIDs answer ListAllDetails: every task and destination the
	// NE holds.
	XIDs, DIDs []UUID
}

// OK is the acknowledgement of a request (the schema's OK type).
type OK string

// The acknowledgements.
const (
	// AcknowledgedAndCompleted: the request is carried out.
	AcknowledgedAndCompleted OK = "AcknowledgedAndCompleted"
	// Acknowledged: the request is accepted and will be carried out.
	Acknowledged OK = "Acknowledged"
)

// ErrorInformation is an error code and its description (the schema's
// ErrorInformation), in an ErrorResponse or a list of faults.
type ErrorInformation struct {
	Code        int
	Description string
}

// TaskDetails is what an ADMF asks an NE to intercept (the schema's
// TaskDetails, TS 103 221-1 clause 6.2.1.2).
type TaskDetails struct {
	// XID identifies the task, on X1 and in every X2/X3 record; it is an
	// intercept.Task's ID. Not zero.
	XID UUID
	// Targets are the target identifiers, at least one. ccjkit carries the
	// kinds intercept.Target has: an address (ipv4Address, ipv6Address),
	// a prefix (ipv4Cidr, ipv6Cidr) and a username as a network access
	// identifier (nai).
	Targets []intercept.Target
	// Delivery is the deliveryType: X2Only (IRIOnly), X3Only (CCOnly) or
	// X2andX3 (IRIAndCC).
	Delivery intercept.Delivery
	// DIDs are the destinations the records go to (listOfDIDs; the
	// element is required, the list may be empty).
	DIDs []UUID
	// Mediation is the listOfMediationDetails, which an ADMF sends to a
	// mediation function (or to a point of interception that delivers to
	// the agency itself): the LIID and the validity window per agency.
	Mediation []MediationDetails
}

// MediationDetails is one element of a task's listOfMediationDetails
// (the schema's MediationDetails).
type MediationDetails struct {
	// LIID is the agency's identifier for the interception (TS 103 280
	// LIID: 1 to 25 printable ASCII characters, or 26 to 50 lower-case
	// hexadecimal digits — ccjkit writes and reads the first form).
	LIID intercept.LIID
	// Delivery is the deliveryType towards the agency: HI2Only (IRIOnly),
	// HI3Only (CCOnly) or HI2andHI3 (IRIAndCC).
	Delivery intercept.Delivery
	// Start and End bound the interception (StartTime, EndTime); zero for
	// none.
	Start, End time.Time
}

// TaskResponseDetails answers GetTaskDetails: the task as the NE holds it
// and its status.
type TaskResponseDetails struct {
	Task   TaskDetails
	Status TaskStatus
}

// TaskStatus is a task's state at the NE (the schema's TaskStatus).
type TaskStatus struct {
	// Provisioning is awaitingProvisioning, failed or complete.
	Provisioning ProvisioningStatus
	// Faults are the unresolved faults (listOfFaults, may be empty).
	Faults []ErrorInformation
}

// ProvisioningStatus is the schema's ProvisioningStatus.
type ProvisioningStatus string

// The provisioning statuses.
const (
	AwaitingProvisioning ProvisioningStatus = "awaitingProvisioning"
	ProvisioningFailed   ProvisioningStatus = "failed"
	ProvisioningComplete ProvisioningStatus = "complete"
)

// DestinationDetails is where an NE delivers X2/X3 (the schema's
// DestinationDetails, TS 103 221-1 clause 6.3.1.2).
type DestinationDetails struct {
	// DID identifies the destination. Not zero.
	DID UUID
	// FriendlyName is an optional label (friendlyName); "" for none.
	FriendlyName string
	// Delivery is what goes there: X2Only, X3Only or X2andX3.
	Delivery intercept.Delivery
	// Address is the deliveryAddress: an IP address and TCP port (X2/X3
	// run over TCP, TLS on top). Other kinds of address are refused with
	// ErrUnsupportedAddress. The schema's TCPPort excludes ports 0 and 1.
	Address netip.AddrPort
}

// DestinationResponseDetails answers GetDestinationDetails.
type DestinationResponseDetails struct {
	Destination DestinationDetails
	Status      DestinationStatus
}

// DestinationStatus is a destination's state (the schema's
// DestinationStatus).
type DestinationStatus struct {
	// Delivery is activeAndWorking or deliveryFault.
	Delivery DeliveryStatus
	// Faults are the unresolved faults (may be empty).
	Faults []ErrorInformation
}

// DeliveryStatus is the schema's DestinationDeliveryStatus.
type DeliveryStatus string

// The delivery statuses.
const (
	ActiveAndWorking DeliveryStatus = "activeAndWorking"
	DeliveryFault    DeliveryStatus = "deliveryFault"
)
