package x1

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ccjkit/ccjkit/provenance"
)

// Sentinel errors, for errors.Is. Decoding and encoding return a
// *provenance.Problems listing every problem found, each a Finding whose
// Err is one of these, whose Field is the path of the element at fault
// ("x1RequestMessage[0].taskDetails.xId") and whose text gives the line and
// column, the schema type and what it needs — never the value found, which
// may be a target's identity.
var (
	// ErrMalformed: the input is not well-formed XML of the kind X1 uses
	// (a syntax error, a character set other than UTF-8, a processing
	// instruction, text outside the root).
	ErrMalformed = errors.New("x1: malformed XML")
	// ErrDoctype: the input holds a document type declaration, which is
	// where entity declarations (and so entity expansion attacks) live.
	// X1 documents never have one; it is refused, not skipped.
	ErrDoctype = errors.New("x1: document type declarations are refused")
	// ErrLimit: the input is larger, deeper or holds more elements, text
	// or messages than the decoder's Limits allow.
	ErrLimit = errors.New("x1: document over a limit")
	// ErrSchema: the document does not follow the X1 schema: an element
	// or attribute that is not allowed, one missing, out of order, in the
	// wrong namespace, or a value outside its type.
	ErrSchema = errors.New("x1: not valid against the X1 schema")
	// ErrUnsupported: the document is valid, but uses a message or a
	// field that ccjkit does not implement (see the package doc).
	ErrUnsupported = errors.New("x1: not supported by ccjkit")
	// ErrUnsupportedTarget: a target identifier of a kind ccjkit does not
	// intercept (anything but an IP address or prefix, or an NAI).
	ErrUnsupportedTarget = errors.New("x1: unsupported target identifier")
	// ErrUnsupportedAddress: a delivery address other than an IP address
	// and TCP port.
	ErrUnsupportedAddress = errors.New("x1: unsupported delivery address")
	// ErrValue: a Go value given to an encoder breaks a rule of the schema
	// or of ccjkit (a missing field, a zero XID, a character XML cannot
	// carry).
	ErrValue = errors.New("x1: invalid value")
	// ErrTransport: the transport refused a peer or a setting: plain HTTP,
	// a client without a certificate, a certificate file that does not
	// load, a TLS handshake that failed on a certificate (expired, of
	// another authority, naming another host).
	ErrTransport = errors.New("x1: transport refused")
)

// What a *provenance.Problems of this package says was judged.
const (
	whatRequest  = "x1: request"
	whatResponse = "x1: response"
	whatEncode   = "x1: encode"
	whatTask     = "x1: task"
)

// schemaSource cites an element or type of the X1 schema, read in the
// schema file itself.
func schemaSource(typ string) provenance.Source {
	return provenance.Source{
		Instrument: "ETSI TS 103 221-1",
		Article:    "XML schema " + schemaFileVersion + ", " + typ,
		Certainty:  provenance.Verified,
		URL:        "https://forge.etsi.org/rep/li/schemas-definitions",
	}
}

// commonSource cites a type of TS 103 280's schema.
func commonSource(typ string) provenance.Source {
	return provenance.Source{
		Instrument: "ETSI TS 103 280",
		Article:    "XML schema " + commonFileVersion + ", " + typ,
		Certainty:  provenance.Verified,
		URL:        "https://forge.etsi.org/rep/li/schemas-definitions",
	}
}

// ErrorCode is an X1 error code, sent in an ErrorResponse's
// errorInformation. The values are those of TS 103 221-1's table of error
// codes, as sipgate's li-lib-x1x2x3 lists them (not re-checked in the
// specification's text). ErrorCode is an error: errors.Is(err,
// x1.XIDDoesNotExist) finds the code of a *ResponseError, and an NE
// implementation returns one (possibly wrapped) to choose the code the
// server answers with.
type ErrorCode int

// The error codes ccjkit sends or recognises.
const (
	GenericError                                    ErrorCode = 1000
	SyntaxSchemaError                               ErrorCode = 1010
	UnsupportedVersion                              ErrorCode = 1020
	ADMFIdentifierDoesNotMatchCertificate           ErrorCode = 1030
	UnexpectedADMFIdentifier                        ErrorCode = 1040
	NEIdentifierDoesNotMatchCertificate             ErrorCode = 1050
	UnexpectedNEIdentifier                          ErrorCode = 1060
	KeepaliveNotSupported                           ErrorCode = 1070
	UnsupportedRequest                              ErrorCode = 1080
	XIDAlreadyExists                                ErrorCode = 2010
	XIDDoesNotExist                                 ErrorCode = 2020
	DIDAlreadyExists                                ErrorCode = 2030
	DIDDoesNotExist                                 ErrorCode = 2040
	GenericActivateTaskFailure                      ErrorCode = 3000
	GenericModifyTaskFailure                        ErrorCode = 3001
	UnsupportedTargetIdentifierType                 ErrorCode = 3010
	UnsupportedCombinationOfTargetIdentifiers       ErrorCode = 3020
	MultipleDestinationsNotSupported                ErrorCode = 3030
	InvalidCombinationOfDeliveryTypeAndDestinations ErrorCode = 3040
	GenericDeactivateTaskFailure                    ErrorCode = 4000
	GenericCreateDestinationFailure                 ErrorCode = 6000
	GenericModifyDestinationFailure                 ErrorCode = 6001
	UnsupportedDeliveryAddressType                  ErrorCode = 6020
	GenericRemoveDestinationFailure                 ErrorCode = 7000
	DestinationInUse                                ErrorCode = 7010
)

// errorCodeNames is read only.
var errorCodeNames = map[ErrorCode]string{
	GenericError:                                    "generic error",
	SyntaxSchemaError:                               "syntax or schema error",
	UnsupportedVersion:                              "unsupported version",
	ADMFIdentifierDoesNotMatchCertificate:           "ADMF identifier does not match the certificate",
	UnexpectedADMFIdentifier:                        "unexpected ADMF identifier",
	NEIdentifierDoesNotMatchCertificate:             "NE identifier does not match the certificate",
	UnexpectedNEIdentifier:                          "unexpected NE identifier",
	KeepaliveNotSupported:                           "keepalive not supported",
	UnsupportedRequest:                              "unsupported request",
	XIDAlreadyExists:                                "XID already exists",
	XIDDoesNotExist:                                 "XID does not exist",
	DIDAlreadyExists:                                "DID already exists",
	DIDDoesNotExist:                                 "DID does not exist",
	GenericActivateTaskFailure:                      "generic ActivateTask failure",
	GenericModifyTaskFailure:                        "generic ModifyTask failure",
	UnsupportedTargetIdentifierType:                 "unsupported target identifier type",
	UnsupportedCombinationOfTargetIdentifiers:       "unsupported combination of target identifiers",
	MultipleDestinationsNotSupported:                "multiple destinations not supported",
	InvalidCombinationOfDeliveryTypeAndDestinations: "invalid combination of delivery type and destinations",
	GenericDeactivateTaskFailure:                    "generic DeactivateTask failure",
	GenericCreateDestinationFailure:                 "generic CreateDestination failure",
	GenericModifyDestinationFailure:                 "generic ModifyDestination failure",
	UnsupportedDeliveryAddressType:                  "unsupported delivery address type",
	GenericRemoveDestinationFailure:                 "generic RemoveDestination failure",
	DestinationInUse:                                "destination in use",
}

// String returns the code's meaning, such as "XID does not exist", or
// "X1 error N" for a code ccjkit does not name.
func (c ErrorCode) String() string {
	if s, ok := errorCodeNames[c]; ok {
		return s
	}
	return "X1 error " + strconv.Itoa(int(c))
}

// Error returns "x1 error 2020: XID does not exist".
func (c ErrorCode) Error() string {
	if s, ok := errorCodeNames[c]; ok {
		return "x1 error " + strconv.Itoa(int(c)) + ": " + s
	}
	return "x1 error " + strconv.Itoa(int(c))
}

// ResponseError is the error a Client returns when the NE answered a
// request with an ErrorResponse. Unwrap returns the code, so that
// errors.Is(err, x1.XIDDoesNotExist) works.
type ResponseError struct {
	// Request is the type of the request refused.
	Request MessageType
	// Info is what the NE said: the code and its description.
	Info ErrorInformation
}

// Error returns the request, the code and its meaning; the NE's own
// description is in Info, not in the text (it is the peer's input).
func (e *ResponseError) Error() string {
	return fmt.Sprintf("x1: %s refused: %v", e.Request, ErrorCode(e.Info.Code))
}

// Unwrap returns the error code.
func (e *ResponseError) Unwrap() error { return ErrorCode(e.Info.Code) }

// problems collects the findings of one decoding or encoding.
type problems struct {
	fs []provenance.Finding
}

// add records an error-severity finding.
func (p *problems) add(sentinel error, rule string, src provenance.Source, field, format string, args ...any) {
	p.fs = append(p.fs, provenance.Finding{
		Rule:     rule,
		Severity: provenance.Error,
		Field:    field,
		Source:   src,
		Err:      sentinel,
		Message:  provenance.Text(fmt.Sprintf(format, args...)),
	})
}

// err returns the findings as a *provenance.Problems, or nil.
func (p *problems) err(what string) error { return provenance.Check(what, p.fs) }
