package handover

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
)

// Protocol is what a handover's two links speak. Everything else — the
// bounded queue, the spool, keep-alives as checkpoints, reconnection with
// backoff, the loss accounting — is the same for both.
type Protocol uint8

const (
	// ETSI is the handover to an agency's receiver: TS 102 232-1 PS-PDUs
	// on HI2 (IRI) and HI3 (CC), with TS 102 232-1 keep-alives written by
	// Config.Encoder and timed by its profile. The zero Protocol.
	ETSI Protocol = iota
	// X2X3 is the delivery of a point of interception (an NE) to a
	// mediation function (package intercept/mediation): TS 103 221-2 PDUs
	// as package x2x3 encodes them, X2 (IRI) on the link the Config calls
	// HI2 and X3 (CC) on HI3 — the links are named X2 and X3, and so are
	// their spool directories. Keep-alives are TS 103 221-2 Keepalive
	// PDUs, answered by KeepaliveAck PDUs with the same sequence number,
	// timed by Config.KeepAliveInterval and KeepAliveTimeout; Encoder is
	// not used. As over HI2/HI3, an acknowledgement confirms everything
	// sent before its keep-alive, and what was not confirmed is sent again
	// after a reconnect: the mediation function drops those duplicates
	// by their sequence numbers.
	X2X3
)

// String returns "ETSI" or "X2X3".
func (p Protocol) String() string {
	switch p {
	case ETSI:
		return "ETSI"
	case X2X3:
		return "X2X3"
	}
	return fmt.Sprintf("Protocol(%d)", uint8(p))
}

// wire is what a link needs to know of its protocol: how to write a
// keep-alive, cut a byte stream into PDUs, recognise a keep-alive's
// answer, and tell a PDU's length from its first octets.
type wire interface {
	// names returns the links' names: the IRI link's and the CC link's.
	names() (iri, cc string)
	// times returns the keep-alive interval and response timeout.
	times() (interval, timeout time.Duration)
	appendKeepAlive(dst []byte, seq intercept.Seq, at time.Time) ([]byte, error)
	newFramer(r io.Reader, max int) framer
	// notPDU reports whether a framer's error means the bytes are no
	// PDU (rather than a read error or a stream cut short).
	notPDU(err error) bool
	// isFramingError reports whether a framer's error is one of the
	// protocol's decoding errors (the bytes are no PDU, or were cut).
	isFramingError(err error) bool
	// keepAliveAnswer returns the sequence number of a keep-alive's
	// answer, or false when the PDU is anything else.
	keepAliveAnswer(pdu []byte) (intercept.Seq, bool)
	// pduLength returns the length of the PDU whose first octets b holds,
	// 0 when b is too short to tell, or an error when b starts no PDU.
	pduLength(b []byte) (int, error)
}

// framer splits a byte stream into PDUs.
type framer interface {
	Next() ([]byte, error)
}

// newWire returns cfg's protocol.
func newWire(cfg *Config) wire {
	if cfg.Protocol == X2X3 {
		return x2x3Wire{interval: cfg.KeepAliveInterval, timeout: cfg.KeepAliveTimeout}
	}
	return etsiWire{cfg.Encoder}
}

// etsiWire is TS 102 232-1.
type etsiWire struct{ enc *etsi.Encoder }

func (etsiWire) names() (string, string) { return "HI2", "HI3" }

func (w etsiWire) times() (time.Duration, time.Duration) {
	p := w.enc.Profile()
	return p.KeepAliveInterval, p.KeepAliveTimeout
}

func (w etsiWire) appendKeepAlive(dst []byte, seq intercept.Seq, at time.Time) ([]byte, error) {
	return w.enc.AppendKeepAlive(dst, seq, at)
}

func (etsiWire) newFramer(r io.Reader, max int) framer { return etsi.NewFramer(r, max) }

func (etsiWire) notPDU(err error) bool {
	var ee *etsi.Error
	return errors.As(err, &ee) && !errors.Is(err, etsi.ErrTruncated)
}

func (etsiWire) isFramingError(err error) bool {
	var ee *etsi.Error
	return errors.As(err, &ee)
}

func (etsiWire) keepAliveAnswer(pdu []byte) (intercept.Seq, bool) {
	s, err := etsi.Peek(pdu)
	if err != nil || s.Kind != etsi.TRIPayload || s.TRI != etsi.KeepAliveResponse {
		return 0, false
	}
	return s.Seq, true
}

// pduLength reads a BER SEQUENCE with a definite length. The spool holds
// only PDUs the encoder made or recovery framed, so anything else is an
// error.
func (etsiWire) pduLength(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, nil
	}
	if b[0] != 0x30 || b[1] == 0x80 || b[1] > 0x84 {
		return 0, errSpoolFraming
	}
	if b[1] < 0x80 {
		return 2 + int(b[1]), nil
	}
	k := int(b[1] & 0x7f)
	if len(b) < 2+k {
		return 0, nil
	}
	var v uint64
	for _, c := range b[2 : 2+k] {
		v = v<<8 | uint64(c)
	}
	if v > 1<<30 {
		return 0, errSpoolFraming
	}
	return 2 + k + int(v), nil
}

// x2x3Wire is TS 103 221-2.
type x2x3Wire struct{ interval, timeout time.Duration }

func (x2x3Wire) names() (string, string) { return "X2", "X3" }

func (w x2x3Wire) times() (time.Duration, time.Duration) { return w.interval, w.timeout }

func (x2x3Wire) appendKeepAlive(dst []byte, seq intercept.Seq, _ time.Time) ([]byte, error) {
	return x2x3.AppendKeepAlive(dst, uint32(seq)), nil
}

func (x2x3Wire) newFramer(r io.Reader, max int) framer { return x2x3.NewFramer(r, max) }

func (x2x3Wire) notPDU(err error) bool {
	var xe *x2x3.Error
	return errors.As(err, &xe) && !errors.Is(err, x2x3.ErrTruncated)
}

func (x2x3Wire) isFramingError(err error) bool {
	var xe *x2x3.Error
	return errors.As(err, &xe)
}

func (x2x3Wire) keepAliveAnswer(pdu []byte) (intercept.Seq, bool) {
	p, err := x2x3.Decode(pdu)
	if err != nil || p.Type != x2x3.KeepAliveAck || !p.HasSeq {
		return 0, false
	}
	return intercept.Seq(p.Seq), true
}

// pduLength reads the header's lengths (TS 103 221-2 §5.1: version and PDU
// type, 2 octets each, then the header length and the payload length, 4
// octets each).
func (x2x3Wire) pduLength(b []byte) (int, error) {
	if len(b) < 12 {
		return 0, nil
	}
	h := binary.BigEndian.Uint32(b[4:8])
	p := binary.BigEndian.Uint32(b[8:12])
	if h < x2x3.HeaderLen || uint64(h)+uint64(p) > 1<<30 {
		return 0, errSpoolFraming
	}
	return int(h + p), nil
}
