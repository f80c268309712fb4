package x2x3

import (
	"encoding/binary"
	"slices"
	"time"
)

// MaxAttributeLen is the largest attribute value: its length is 16 bits.
const MaxAttributeLen = 1<<16 - 1

func check(p *PDU) error {
	switch {
	case p.Type < X2 || p.Type > KeepAliveAck:
		return encErr("header.pduType", ErrValue, "unknown PDU type %d", p.Type)
	case p.PayloadFormat > maxPayloadFormatKnown:
		return encErr("header.payloadFormat", ErrValue, "unknown payload format %d", p.PayloadFormat)
	case p.Direction > DirectionNotApplicable:
		return encErr("header.payloadDirection", ErrValue, "unknown direction %d", p.Direction)
	case (p.Type == KeepAlive || p.Type == KeepAliveAck) && len(p.Payload) > 0:
		return encErr("payload", ErrValue, "a keep-alive carries no payload")
	case uint64(len(p.Payload)) > 1<<32-1:
		return encErr("header.payloadLength", ErrTooLarge, "more than 2³²-1 octets")
	}
	if !p.Time.IsZero() {
		if s := p.Time.Unix(); s < 0 || s > 1<<32-1 {
			return encErr("attribute.timestamp", ErrValue, "outside 1970 to 2106 (32-bit seconds)")
		}
	}
	for i, a := range p.Attributes {
		switch {
		case a.Type == AttrSequenceNumber || a.Type == AttrTimestamp:
			return encErr(attrField(i), ErrValue, "the sequence number and timestamp are PDU fields, not attributes")
		case len(a.Value) > MaxAttributeLen:
			return encErr(attrField(i), ErrTooLarge, "%d octets", len(a.Value))
		case fixedSize(a.Type) >= 0 && len(a.Value) != fixedSize(a.Type):
			return encErr(attrField(i), ErrLength, "type %d is %d octets, not %d", a.Type, fixedSize(a.Type), len(a.Value))
		}
	}
	return nil
}

func attrField(i int) string {
	return "attribute[" + itoa(i) + "]"
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func (p *PDU) attrLen() int {
	n := 0
	if p.HasSeq {
		n += 8
	}
	if !p.Time.IsZero() {
		n += 12
	}
	for _, a := range p.Attributes {
		n += 4 + len(a.Value)
	}
	return n
}

// Append appends p's encoding to dst: the 40-octet header in network byte
// order, the conditional attributes (sequence number, timestamp, then the
// others in order), the payload. It checks p first and leaves dst
// unchanged on an error.
func Append(dst []byte, p *PDU) ([]byte, error) {
	if err := check(p); err != nil {
		return dst, err
	}
	hl := HeaderLen + p.attrLen()
	dst = slices.Grow(dst, hl+len(p.Payload))
	dst = binary.BigEndian.AppendUint16(dst, p.Version)
	dst = binary.BigEndian.AppendUint16(dst, uint16(p.Type))
	dst = binary.BigEndian.AppendUint32(dst, uint32(hl))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(p.Payload)))
	dst = binary.BigEndian.AppendUint16(dst, uint16(p.PayloadFormat))
	dst = binary.BigEndian.AppendUint16(dst, uint16(p.Direction))
	dst = append(dst, p.XID[:]...)
	dst = binary.BigEndian.AppendUint64(dst, p.CorrelationID)
	if p.HasSeq {
		dst = appendSeq(dst, p.Seq)
	}
	if !p.Time.IsZero() {
		dst = appendTime(dst, p.Time)
	}
	for _, a := range p.Attributes {
		dst = binary.BigEndian.AppendUint16(dst, uint16(a.Type))
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(a.Value)))
		dst = append(dst, a.Value...)
	}
	return append(dst, p.Payload...), nil
}

func appendSeq(dst []byte, seq uint32) []byte {
	dst = append(dst, 0, byte(AttrSequenceNumber), 0, 4)
	return binary.BigEndian.AppendUint32(dst, seq)
}

func appendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, 0, byte(AttrTimestamp), 0, 8)
	dst = binary.BigEndian.AppendUint32(dst, uint32(t.Unix()))
	return binary.BigEndian.AppendUint32(dst, uint32(t.Nanosecond()))
}

// Marshal returns p's encoding in a new slice.
func Marshal(p *PDU) ([]byte, error) { return Append(nil, p) }

// Decode decodes one PDU that fills b exactly. It is strict: a known PDU
// type, payload format and direction; a header length of at least 40 that
// the attributes fill exactly; a payload length that ends the PDU; no
// payload on a keep-alive; attributes of known types at their fixed size; at
// most one sequence number and one timestamp, with nanoseconds below 10⁹.
// Errors are *Error with the field and offset; Decode never panics. The PDU
// refers to b.
func Decode(b []byte) (*PDU, error) {
	p := new(PDU)
	if err := p.Decode(b); err != nil {
		return nil, err
	}
	return p, nil
}

// Decode is like the function Decode but fills p, reusing its Attributes.
func (p *PDU) Decode(b []byte) error {
	attrs := p.Attributes[:0]
	*p = PDU{Attributes: attrs}
	if len(b) < HeaderLen {
		return decErr(int64(len(b)), "header", ErrTruncated, "%d octets, the header is %d", len(b), HeaderLen)
	}
	be := binary.BigEndian
	p.Version = be.Uint16(b[0:])
	p.Type = PDUType(be.Uint16(b[2:]))
	hl := be.Uint32(b[4:])
	pl := be.Uint32(b[8:])
	p.PayloadFormat = PayloadFormat(be.Uint16(b[12:]))
	p.Direction = Direction(be.Uint16(b[14:]))
	copy(p.XID[:], b[16:32])
	p.CorrelationID = be.Uint64(b[32:])
	switch {
	case p.Type < X2 || p.Type > KeepAliveAck:
		return decErr(2, "header.pduType", ErrValue, "unknown PDU type %d", p.Type)
	case hl < HeaderLen:
		return decErr(4, "header.headerLength", ErrLength, "%d, below %d", hl, HeaderLen)
	case uint64(hl)+uint64(pl) != uint64(len(b)):
		return decErr(4, "header.headerLength", ErrLength, "header %d + payload %d octets, the PDU has %d", hl, pl, len(b))
	case p.PayloadFormat > maxPayloadFormatKnown:
		return decErr(12, "header.payloadFormat", ErrValue, "unknown payload format %d", p.PayloadFormat)
	case p.Direction > DirectionNotApplicable:
		return decErr(14, "header.payloadDirection", ErrValue, "unknown direction %d", p.Direction)
	case (p.Type == KeepAlive || p.Type == KeepAliveAck) && pl != 0:
		return decErr(8, "header.payloadLength", ErrValue, "a keep-alive with a payload")
	}
	off := HeaderLen
	for i := 0; off < int(hl); i++ {
		f := func() string { return attrField(i) } // only on the error path: it allocates
		if int(hl)-off < 4 {
			return decErr(int64(off), f(), ErrLength, "%d octet(s) left in the header, an attribute needs 4", int(hl)-off)
		}
		t := AttrType(be.Uint16(b[off:]))
		n := int(be.Uint16(b[off+2:]))
		if off+4+n > int(hl) {
			return decErr(int64(off+2), f()+".length", ErrLength, "%d octets, past the header's end", n)
		}
		v := b[off+4 : off+4+n]
		if fs := fixedSize(t); fs >= 0 && n != fs {
			return decErr(int64(off+2), f()+".length", ErrLength, "type %d is %d octets, not %d", t, fs, n)
		}
		switch t {
		case AttrSequenceNumber:
			if p.HasSeq {
				return decErr(int64(off), f(), ErrValue, "a second sequence number")
			}
			p.Seq, p.HasSeq = be.Uint32(v), true
		case AttrTimestamp:
			if !p.Time.IsZero() {
				return decErr(int64(off), f(), ErrValue, "a second timestamp")
			}
			ns := be.Uint32(v[4:])
			if ns >= 1e9 {
				return decErr(int64(off+8), f()+".nanoseconds", ErrValue, "%d nanoseconds", ns)
			}
			p.Time = time.Unix(int64(be.Uint32(v)), int64(ns)).UTC()
		default:
			p.Attributes = append(p.Attributes, Attribute{Type: t, Value: v})
		}
		off += 4 + n
	}
	p.Payload = b[hl:]
	return nil
}
