package x2x3

import (
	"encoding/binary"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// Encoder writes the X2/X3 PDUs a capture node sends to a delivery node
// (TS 103 221-2), for a set of tasks: each task's ID is its XID, each
// record's CIN its correlation ID. CC records become X3 PDUs carrying the IP
// packet (payload format IPv4 or IPv6). IRI records become X2 PDUs carrying
// the ETSI TS 102 232-1 PS-PDU the IRI encoder given to NewEncoder writes
// (payload format 1); without one, IRI records are refused. It implements
// intercept.Encoder; it is immutable and safe for concurrent use.
type Encoder struct {
	xids map[intercept.LIID][16]byte
	iri  intercept.Encoder
}

// NewEncoder returns the encoder for tasks, which must be valid and have
// distinct LIIDs and IDs. iri encodes the PS-PDUs carried in X2; it may be
// nil.
func NewEncoder(tasks []intercept.Task, iri intercept.Encoder) (*Encoder, error) {
	e := &Encoder{xids: make(map[intercept.LIID][16]byte, len(tasks)), iri: iri}
	ids := make(map[[16]byte]bool, len(tasks))
	for i := range tasks {
		t := &tasks[i]
		if err := t.Validate(); err != nil {
			return nil, err
		}
		if _, dup := e.xids[t.LIID]; dup || ids[t.ID] {
			return nil, encErr("tasks["+itoa(i)+"]", ErrValue, "a second task with the same LIID or ID")
		}
		e.xids[t.LIID], ids[t.ID] = t.ID, true
	}
	return e, nil
}

// Stream returns the StreamEncoder of key; key's LIID must be one of the
// encoder's tasks'.
func (e *Encoder) Stream(key intercept.StreamKey) (intercept.StreamEncoder, error) {
	return e.NewStream(key)
}

// NewStream is Stream with the concrete type.
func (e *Encoder) NewStream(key intercept.StreamKey) (*StreamEncoder, error) {
	if err := key.Validate(); err != nil {
		return nil, err
	}
	xid, ok := e.xids[key.LIID]
	if !ok {
		return nil, encErr("XID", ErrValue, "no task has this LIID")
	}
	s := &StreamEncoder{key: key, xid: xid}
	if key.Stream == intercept.IRI && e.iri != nil {
		inner, err := e.iri.Stream(key)
		if err != nil {
			return nil, err
		}
		s.iri = inner
	}
	return s, nil
}

// StreamEncoder writes the X2 or X3 PDUs of one stream. Encoding a CC
// record into a slice with room allocates nothing. Not safe for concurrent
// use. It implements intercept.StreamEncoder.
type StreamEncoder struct {
	key intercept.StreamKey
	xid [16]byte
	iri intercept.StreamEncoder
}

// ccHeaderLen is the header of an X3 PDU: the fixed part, the sequence
// number and the timestamp attributes.
const ccHeaderLen = HeaderLen + 8 + 12

func (s *StreamEncoder) appendHeader(dst []byte, typ PDUType, format PayloadFormat, dir Direction, payload int) []byte {
	be := binary.BigEndian
	dst = be.AppendUint16(dst, Version)
	dst = be.AppendUint16(dst, uint16(typ))
	dst = be.AppendUint32(dst, ccHeaderLen)
	dst = be.AppendUint32(dst, uint32(payload))
	dst = be.AppendUint16(dst, uint16(format))
	dst = be.AppendUint16(dst, uint16(dir))
	dst = append(dst, s.xid[:]...)
	return be.AppendUint64(dst, uint64(s.key.CIN))
}

func direction(d intercept.Direction) Direction {
	switch d {
	case intercept.FromTarget:
		return DirectionFromTarget
	case intercept.ToTarget:
		return DirectionToTarget
	}
	return DirectionUnknown
}

func checkTime(t time.Time) error {
	if s := t.Unix(); s < 0 || s > 1<<32-1 {
		return encErr("attribute.timestamp", ErrValue, "outside 1970 to 2106 (32-bit seconds)")
	}
	return nil
}

// AppendCC appends the X3 PDU of r: payload format IPv4 or IPv6 from the
// packet's version nibble, the direction, the sequence number and the
// capture time as attributes, the packet as payload. A packet that is
// neither IPv4 nor IPv6 is refused.
func (s *StreamEncoder) AppendCC(dst []byte, r *intercept.CCRecord) ([]byte, error) {
	if s.key.Stream != intercept.CC {
		return dst, encErr("header.pduType", ErrValue, "a CC record on an IRI stream")
	}
	var format PayloadFormat
	if len(r.Packet) > 0 {
		switch r.Packet[0] >> 4 {
		case 4:
			format = FormatIPv4
		case 6:
			format = FormatIPv6
		}
	}
	if format == 0 {
		return dst, encErr("payload", ErrUnsupported, "not an IPv4 or IPv6 packet")
	}
	if r.Direction > intercept.Indeterminate {
		return dst, encErr("header.payloadDirection", ErrValue, "unknown direction %d", r.Direction)
	}
	if err := checkTime(r.Time); err != nil {
		return dst, err
	}
	if uint64(len(r.Packet)) > 1<<32-1 {
		return dst, encErr("header.payloadLength", ErrTooLarge, "more than 2³²-1 octets")
	}
	dst = slices.Grow(dst, ccHeaderLen+len(r.Packet))
	dst = s.appendHeader(dst, X3, format, direction(r.Direction), len(r.Packet))
	dst = appendSeq(dst, uint32(r.Seq))
	dst = appendTime(dst, r.Time)
	return append(dst, r.Packet...), nil
}

// AppendIRI appends the X2 PDU of r, carrying the PS-PDU the IRI encoder
// writes for it (payload format 1, direction not applicable), with the
// same sequence number and the event's time as attributes.
func (s *StreamEncoder) AppendIRI(dst []byte, r *intercept.IRIRecord) ([]byte, error) {
	if s.key.Stream != intercept.IRI {
		return dst, encErr("header.pduType", ErrValue, "an IRI record on a CC stream")
	}
	if s.iri == nil {
		return dst, encErr("payload", ErrUnsupported, "no IRI encoder was given to NewEncoder")
	}
	if err := checkTime(r.Event.Time); err != nil {
		return dst, err
	}
	start := len(dst)
	dst = slices.Grow(dst, ccHeaderLen)
	dst = s.appendHeader(dst, X2, FormatETSI102232, DirectionNotApplicable, 0)
	dst = appendSeq(dst, uint32(r.Seq))
	dst = appendTime(dst, r.Event.Time)
	out, err := s.iri.AppendIRI(dst, r)
	if err != nil {
		return dst[:start], err
	}
	n := len(out) - start - ccHeaderLen
	if uint64(n) > 1<<32-1 {
		return dst[:start], encErr("header.payloadLength", ErrTooLarge, "more than 2³²-1 octets")
	}
	binary.BigEndian.PutUint32(out[start+8:], uint32(n))
	return out, nil
}

// AppendKeepAlive appends a keep-alive with sequence number seq: a PDU of
// type Keepalive with no payload, payload format and direction 0, a zero
// XID and correlation ID, and the sequence number attribute.
func AppendKeepAlive(dst []byte, seq uint32) []byte {
	out, _ := Append(dst, &PDU{Version: Version, Type: KeepAlive, Seq: seq, HasSeq: true})
	return out
}

// AppendKeepAliveAck appends the answer to the keep-alive seq, as OpenLI
// sends it: the header with type KeepaliveAck and the sequence number.
func AppendKeepAliveAck(dst []byte, seq uint32) []byte {
	out, _ := Append(dst, &PDU{Version: Version, Type: KeepAliveAck, Seq: seq, HasSeq: true})
	return out
}
