package etsi

import (
	"net/netip"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// Encoder writes the PS-PDUs of one receiving agency, as its
// intercept.Profile says: the header's identifiers, country codes,
// timestamp form and module versions. It implements intercept.Encoder and
// intercept.HI1Notifier; its StreamEncoders implement
// intercept.CINResetter.
// An Encoder is immutable and safe for concurrent use; the StreamEncoders
// it makes are not.
type Encoder struct {
	p intercept.Profile
}

// The seam's interfaces, optional capabilities included.
var (
	_ intercept.Encoder       = (*Encoder)(nil)
	_ intercept.HI1Notifier   = (*Encoder)(nil)
	_ intercept.StreamEncoder = (*StreamEncoder)(nil)
	_ intercept.CINResetter   = (*StreamEncoder)(nil)
)

// NewEncoder returns the encoder for profile p, which must be valid.
func NewEncoder(p intercept.Profile) (*Encoder, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Encoder{p: p}, nil
}

// Profile returns the encoder's profile.
func (e *Encoder) Profile() intercept.Profile { return e.p }

// header returns the header the profile gives a record of liid and cin.
func (e *Encoder) header(liid intercept.LIID, cin intercept.CIN, seq intercept.Seq, t time.Time, q Qualifier) Header {
	return Header{
		DomainVersion:        e.p.PSDomainVersion,
		LIID:                 liid,
		AuthorizationCountry: e.p.AuthorizationCountry,
		OperatorID:           e.p.OperatorID,
		NetworkElementID:     e.p.NetworkElementID,
		CIN:                  cin,
		DeliveryCountry:      e.p.DeliveryCountry,
		Seq:                  seq,
		Time:                 t,
		TimestampForm:        e.p.Timestamps,
		InterceptionPointID:  e.p.InterceptionPointID,
		Qualifier:            q,
	}
}

// AppendKeepAlive appends a keep-alive PS-PDU (TRIPayload keep-alive [3]):
// the profile's keep-alive LIID, CIN 0, sequence number seq from the
// link's own keep-alive counter, and the sending time t, qualified as
// timeOfMediation. The receiver answers with a keep-aliveResponse carrying
// the same sequence number.
func (e *Encoder) AppendKeepAlive(dst []byte, seq intercept.Seq, t time.Time) ([]byte, error) {
	return e.appendTRI(dst, e.p.KeepAliveLIID, 0, seq, t, KeepAlive)
}

// AppendKeepAliveResponse appends the answer a receiver gives to the
// keep-alive with sequence number seq; for test receivers such as package
// intercept/lemf.
func (e *Encoder) AppendKeepAliveResponse(dst []byte, seq intercept.Seq, t time.Time) ([]byte, error) {
	return e.appendTRI(dst, e.p.KeepAliveLIID, 0, seq, t, KeepAliveResponse)
}

func (e *Encoder) appendTRI(dst []byte, liid intercept.LIID, cin intercept.CIN, seq intercept.Seq, t time.Time, tri TRI) ([]byte, error) {
	p := PDU{Header: e.header(liid, cin, seq, t, TimeOfMediation), Payload: Payload{Kind: TRIPayload, TRI: tri}}
	return Append(dst, &p)
}

// AppendHI1 appends an HI1 notification (liActivated, liDeactivated or
// liModified) for liid, with sequence number seq from the LIID's IRI
// counter, stamped with t — the moment interception actually started,
// stopped or changed, not the moment it was configured. It implements
// intercept.HI1Notifier.
func (e *Encoder) AppendHI1(dst []byte, kind intercept.HI1Kind, liid intercept.LIID, seq intercept.Seq, t time.Time) ([]byte, error) {
	p := PDU{
		Header: e.header(liid, 0, seq, t, TimeOfMediation),
		Payload: Payload{Kind: HI1Operation, HI1: HI1Notification{
			Kind: kind, DomainVersion: e.p.HI1DomainVersion, LIID: liid,
			OperatorID: e.p.HI1OperatorID, Time: t,
		}},
	}
	return Append(dst, &p)
}

// Stream returns the StreamEncoder of key; it implements intercept.Encoder.
func (e *Encoder) Stream(key intercept.StreamKey) (intercept.StreamEncoder, error) {
	return e.NewStream(key)
}

// NewStream is Stream with the concrete type.
func (e *Encoder) NewStream(key intercept.StreamKey) (*StreamEncoder, error) {
	if err := key.Validate(); err != nil {
		return nil, err
	}
	h := e.header(key.LIID, key.CIN, 0, time.Time{}, TimeOfInterception)
	fixed := h
	fixed.TimestampForm = 0 // the time is each record's; checked there
	if err := checkHeader(&fixed); err != nil {
		return nil, err
	}
	s := &StreamEncoder{enc: e, key: key, h: h}
	b := enc{}
	appendHeaderFixed(&b, &h)
	s.fixed = b.b
	kind := uint32(2)
	if key.Stream == intercept.IRI {
		kind = 1
	}
	s.objID = relOIDContent(5, 3, e.p.IPAccessVersion, kind)
	return s, nil
}

// StreamEncoder encodes the records of one stream (an LIID, a CIN, IRI or
// CC) from a template made once: the header's fixed part and the payload's
// object identifier are copied, only the sequence number, the time and the
// record itself are written anew. Encoding a CC record into a slice with
// room allocates nothing. A StreamEncoder is not safe for concurrent use.
// It implements intercept.StreamEncoder.
type StreamEncoder struct {
	enc   *Encoder
	key   intercept.StreamKey
	h     Header // the header with Seq and Time unset
	fixed []byte // li-psDomainId .. communicationIdentifier
	objID []byte // the relative OID of IPCC or IPIRI
}

// Key returns the stream the encoder writes.
func (s *StreamEncoder) Key() intercept.StreamKey { return s.key }

func (s *StreamEncoder) tailSize(seq intercept.Seq, t time.Time) int {
	n := 2 + uintSize(uint64(seq)) + 3 // sequenceNumber, timeStampQualifier
	switch s.h.TimestampForm {
	case intercept.GeneralizedTime:
		n += 2 + generalizedLen
	case intercept.Microseconds:
		n += microSize(t)
	}
	if s.h.InterceptionPointID != "" {
		n += 2 + len(s.h.InterceptionPointID)
	}
	return n
}

func (s *StreamEncoder) checkTime(t time.Time) error {
	bad := !generalizedOK(t)
	if s.h.TimestampForm == intercept.Microseconds {
		bad = t.Unix() < 0 || t.Unix() > maxUnix
	}
	if !bad {
		return nil
	}
	h := s.h // only on the error path: checkHeader names the field
	h.Time = t
	return checkHeader(&h)
}

// AppendCC appends the PS-PDU of the content-of-communication record r:
// the header with r's sequence number and capture time (qualified as
// timeOfInterception), and a CCPayload carrying r's packet as IPCC.
func (s *StreamEncoder) AppendCC(dst []byte, r *intercept.CCRecord) ([]byte, error) {
	if s.key.Stream != intercept.CC {
		return dst, encodeError("payload.cCPayloadSequence", ErrStream, "a CC record on an IRI stream")
	}
	if r.Direction > intercept.Indeterminate {
		return dst, encodeError("payload.cCPayloadSequence.payloadDirection", ErrValue, "unknown direction %d", r.Direction)
	}
	if err := s.checkTime(r.Time); err != nil {
		return dst, err
	}
	n := len(r.Packet)
	ipPackets := tlvSize(n)
	ipccContents := tlvSize(ipPackets)
	objID := 2 + len(s.objID)
	ipcc := tlvSize(objID + ipccContents)
	ccContents := tlvSize(ipcc)
	ccPayloadC := 3 + ccContents
	ccPayload := tlvSize(ccPayloadC)
	ccSeq := tlvSize(ccPayload)
	payloadC := ccSeq
	headerC := len(s.fixed) + s.tailSize(r.Seq, r.Time)
	pduC := tlvSize(headerC) + tlvSize(payloadC)

	dst = slices.Grow(dst, tlvSize(pduC))
	dst = append(dst, tagSequence)
	dst = appendLen(dst, pduC)
	dst = append(dst, cons(1))
	dst = appendLen(dst, headerC)
	dst = append(dst, s.fixed...)
	dst = appendHeaderTail(dst, &s.h, r.Seq, r.Time)
	dst = append(dst, cons(2))
	dst = appendLen(dst, payloadC)
	dst = append(dst, cons(1))
	dst = appendLen(dst, ccPayload)
	dst = append(dst, tagSequence)
	dst = appendLen(dst, ccPayloadC)
	dst = append(dst, ctx(0), 1, byte(r.Direction), cons(2))
	dst = appendLen(dst, ipcc)
	dst = append(dst, cons(2))
	dst = appendLen(dst, objID+ipccContents)
	dst = append(dst, ctx(0), byte(len(s.objID)))
	dst = append(dst, s.objID...)
	dst = append(dst, cons(1))
	dst = appendLen(dst, ipPackets)
	dst = append(dst, ctx(0))
	dst = appendLen(dst, n)
	return append(dst, r.Packet...), nil
}

// AppendIRI appends the PS-PDU of the IRI record r: the header with r's
// sequence number and the event's time, and an IRIPayload carrying IPIRI
// built from r's access event. The event's first address becomes
// targetIPAddress and a second one, of the other family, additionalIPAddress;
// iPVersion says which families the session holds. An event with more
// addresses, or two of one family, is refused (ErrUnsupported): TS 102
// 232-3 has no field for them that receivers agree on.
func (s *StreamEncoder) AppendIRI(dst []byte, r *intercept.IRIRecord) ([]byte, error) {
	const c = "payload.iRIPayloadSequence.iRIContents.iPIRI.iPIRIContents."
	if s.key.Stream != intercept.IRI {
		return dst, encodeError("payload.iRIPayloadSequence", ErrStream, "an IRI record on a CC stream")
	}
	ev := &r.Event
	p := IRIPayload{Type: r.Type, IPAccessVersion: s.enc.p.IPAccessVersion, IPIRI: IPIRI{
		AccessEventType: ev.Type, TargetUsername: ev.Username, AccessType: ev.AccessType,
		StartTime: ev.Start, EndTime: ev.End, EndReason: ev.EndReason,
		OctetsReceived: ev.OctetsReceived, OctetsTransmitted: ev.OctetsSent,
	}}
	for _, a := range ev.Addresses {
		if !a.IsValid() || a.Addr().Is4In6() {
			return dst, encErrIRIAddress()
		}
	}
	switch len(ev.Addresses) {
	case 0:
	case 1, 2:
		p.IPIRI.TargetAddress = IPAddress{Prefix: ev.Addresses[0], Assignment: ev.Assignment}
		p.IPIRI.IPVersion = ipVersion(ev.Addresses[0].Addr())
		if len(ev.Addresses) == 2 {
			p.IPIRI.AdditionalAddress = IPAddress{Prefix: ev.Addresses[1], Assignment: ev.Assignment}
			if ipVersion(ev.Addresses[1].Addr()) == p.IPIRI.IPVersion {
				return dst, encodeError(c+"additionalIPAddress", ErrUnsupported, "two addresses of one family")
			}
			p.IPIRI.IPVersion = IPv4AndV6
		}
	default:
		return dst, encodeError(c+"additionalIPAddress", ErrUnsupported, "%d addresses; at most one per family", len(ev.Addresses))
	}
	if err := checkIRI(&p); err != nil {
		return dst, err
	}
	if err := s.checkTime(ev.Time); err != nil {
		return dst, err
	}
	e := enc{b: dst}
	top := e.begin(tagSequence)
	hb := e.begin(cons(1))
	e.b = append(e.b, s.fixed...)
	e.b = appendHeaderTail(e.b, &s.h, r.Seq, ev.Time)
	e.end(hb)
	pl := e.begin(cons(2))
	sq := e.begin(cons(0))
	appendIRIPayload(&e, &p, s.objID)
	e.end(sq)
	e.end(pl)
	e.end(top)
	return e.b, nil
}

func encErrIRIAddress() error {
	return encodeError("payload.iRIPayloadSequence.iRIContents.iPIRI.iPIRIContents.targetIPAddress", ErrValue,
		"an invalid or IPv4-mapped address in the access event")
}

func ipVersion(a netip.Addr) IPVersion {
	if a.Is4() {
		return IPv4
	}
	return IPv6
}

// AppendCINReset appends a cINReset TRI payload (TS 102 232-1 TRIPayload
// [7]) for the stream's LIID and CIN, with sequence number 0, stamped t: it
// tells the receiver that this CIN's sequence numbers start again, as after
// a restart that lost the counters, so that the restart is not mistaken for
// loss or duplication. OpenLI sends it on the IRI stream before new
// records of a known LIID and CIN. It implements intercept.CINResetter.
func (s *StreamEncoder) AppendCINReset(dst []byte, t time.Time) ([]byte, error) {
	return s.enc.appendTRI(dst, s.key.LIID, s.key.CIN, 0, t, CINReset)
}
