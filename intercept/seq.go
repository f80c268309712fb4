package intercept

import (
	"errors"
	"fmt"
)

// CIN is a communication identity number: within one LIID, it tells apart
// the communication sessions of a target (each access session, for IP
// access), so that the receiver can join a session's IRI (on HI2) with its
// content (on HI3). ETSI TS 102 232-1 communicationIdentityNumber [1],
// INTEGER (0..4294967295).
type CIN uint32

// Seq is a record's sequence number, ETSI TS 102 232-1 sequenceNumber [4],
// INTEGER (0..4294967295). There is one counter per StreamKey; it starts at
// 0 and wraps from 4294967295 back to 0, so a receiver finds a lost record
// as a gap. Arithmetic on Seq is modulo 2³².
type Seq uint32

// Next returns the number after s, wrapping at 2³².
func (s Seq) Next() Seq { return s + 1 }

// Add returns s advanced by n, modulo 2³².
func (s Seq) Add(n uint32) Seq { return s + Seq(n) }

// Since returns how many numbers lie from prev to s, going forward modulo
// 2³²: 1 when s follows prev directly, 0 when they are equal. A receiver
// that last saw prev and now sees s has missed Since(prev)-1 records, if
// Since(prev) is less than half the number space; otherwise s is a
// duplicate or late record (see Before).
func (s Seq) Since(prev Seq) uint32 { return uint32(s - prev) }

// Before reports whether s comes before t in serial-number order (RFC 1982
// arithmetic on 32 bits): t is reached from s by going forward fewer than
// 2³¹ steps. Numbers exactly 2³¹ apart are unordered; Before is false both
// ways.
func (s Seq) Before(t Seq) bool {
	d := uint32(t - s)
	return d != 0 && d < 1<<31
}

// Stream says which handover interface a record travels on: IRI (the
// intercept-related information, on HI2) or CC (the content of
// communication, on HI3). Each has its own sequence numbers.
type Stream uint8

// The streams. The zero Stream is invalid.
const (
	IRI Stream = 1 // intercept-related information, handover interface 2
	CC  Stream = 2 // content of communication, handover interface 3
)

// String returns "IRI" or "CC".
func (s Stream) String() string {
	switch s {
	case IRI:
		return "IRI"
	case CC:
		return "CC"
	}
	return fmt.Sprintf("Stream(%d)", uint8(s))
}

// MarshalText returns "IRI" or "CC"; an invalid Stream is an error.
func (s Stream) MarshalText() ([]byte, error) {
	if s != IRI && s != CC {
		return nil, fmt.Errorf("intercept: stream %d is neither IRI nor CC", uint8(s))
	}
	return []byte(s.String()), nil
}

// Hint says what a Stream's text is, for decoders' messages.
func (Stream) Hint() string { return "IRI or CC" }

// UnmarshalText reads "IRI" or "CC". Its error does not quote b.
func (s *Stream) UnmarshalText(b []byte) error {
	switch string(b) {
	case "IRI":
		*s = IRI
	case "CC":
		*s = CC
	default:
		return errors.New("intercept: a stream is neither IRI nor CC")
	}
	return nil
}

// HI returns the handover interface the stream travels on: 2 or 3.
func (s Stream) HI() int {
	switch s {
	case IRI:
		return 2
	case CC:
		return 3
	}
	return 0
}

// StreamKey names one sequence of records: the LIID, the communication
// (CIN) and the stream. It is comparable, to be used as a map key.
type StreamKey struct {
	LIID   LIID
	CIN    CIN
	Stream Stream
}

// Validate reports whether the key names a stream: a valid LIID and a
// known Stream.
func (k StreamKey) Validate() error {
	if !k.LIID.IsValid() {
		return fmt.Errorf("%w: stream key without an LIID", ErrLIID)
	}
	if k.Stream != IRI && k.Stream != CC {
		return fmt.Errorf("%w: %d", ErrStream, uint8(k.Stream))
	}
	return nil
}
