package etsi

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is. Every error of an encoding, a decoding
// or a Framer is an *Error wrapping one of them (a Framer passes its
// reader's own errors through); NewEncoder and NewStream return package
// intercept's (a *provenance.Problems wrapping intercept.ErrProfile, or
// intercept.ErrLIID or ErrStream). None quotes an LIID, a username, an
// address or a packet.
var (
	// ErrTruncated: the input ends inside a PDU or one of its fields.
	ErrTruncated = errors.New("etsi: truncated")
	// ErrSyntax: the bytes are not well-formed BER (X.690), or a length
	// exceeds the field that contains it.
	ErrSyntax = errors.New("etsi: malformed BER")
	// ErrTag: a field has a tag other than the one the ASN.1 puts there.
	ErrTag = errors.New("etsi: unexpected tag")
	// ErrMissing: a field this package requires is absent.
	ErrMissing = errors.New("etsi: required field missing")
	// ErrValue: a field's value is outside its ASN.1 range or this
	// package's rules (an unknown enumeration value, a bad OID, a
	// malformed time).
	ErrValue = errors.New("etsi: value out of range")
	// ErrUnsupported: a well-formed field this package does not read (an
	// integrity check, an encrypted container, another payload type).
	ErrUnsupported = errors.New("etsi: unsupported field")
	// ErrTooLarge: a PDU is larger than the reader's limit.
	ErrTooLarge = errors.New("etsi: PDU too large")
	// ErrStream: a record was given to an encoder of the other stream.
	ErrStream = errors.New("etsi: wrong stream for this encoder")
)

// Error locates a problem in a PDU: the field's path in ASN.1 names (such
// as "pSHeader.communicationIdentifier.networkIdentifier.operatorIdentifier")
// and, when decoding, the offset of the field's first octet in the input
// (for a Framer, in the whole stream).
type Error struct {
	Op     string // "etsi: encode" or "etsi: decode"
	Offset int64  // -1 when encoding
	Path   string
	Err    error  // a sentinel
	Detail string // what exactly, without case data
}

// Error returns "etsi: decode at offset 23 (pSHeader.sequenceNumber): ...".
func (e *Error) Error() string {
	at := ""
	if e.Offset >= 0 {
		at = fmt.Sprintf(" at offset %d", e.Offset)
	}
	d := ""
	if e.Detail != "" {
		d = ": " + e.Detail
	}
	return fmt.Sprintf("%s%s (%s): %v%s", e.Op, at, e.Path, e.Err, d)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func encodeError(path string, sentinel error, format string, args ...any) *Error {
	return &Error{Op: "etsi: encode", Offset: -1, Path: path, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}
