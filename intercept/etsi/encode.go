package etsi

import (
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/internal/asn1text"
)

// enc builds nested TLVs in one slice: begin writes an identifier and a
// one-octet length placeholder, end fills the length in, shifting the
// content right when the length needs the long form. It allocates only when
// the slice must grow.
type enc struct {
	b []byte
}

func (e *enc) begin(id byte) int {
	e.b = append(e.b, id, 0)
	return len(e.b)
}

func (e *enc) end(mark int) {
	n := len(e.b) - mark
	if n < 0x80 {
		e.b[mark-1] = byte(n)
		return
	}
	var tmp [9]byte
	l := appendLen(tmp[:0], n)
	extra := len(l) - 1
	for range extra {
		e.b = append(e.b, 0)
	}
	copy(e.b[mark+extra:], e.b[mark:mark+n])
	copy(e.b[mark-1:], l)
}

// maxUnix is 9999-12-31T23:59:59Z, the last second the decoder accepts.
const maxUnix = 253402300799

func validCountry(s string) bool {
	return s == "" || len(s) == 2 && isPrintableString(s)
}

func isPrintableString(s string) bool { return asn1text.Printable(s) }
func isPrintableByte(c byte) bool     { return asn1text.PrintableByte(c) }

// checkHeader returns the first rule h breaks, as an *Error.
func checkHeader(h *Header) error {
	const p = "pSHeader."
	switch {
	case h.DomainVersion == 0:
		return encodeError(p+"li-psDomainId", ErrValue, "module version 0")
	case !h.LIID.IsValid():
		return encodeError(p+"lawfulInterceptionIdentifier", ErrMissing, "no LIID")
	case !validCountry(h.AuthorizationCountry):
		return encodeError(p+"authorizationCountryCode", ErrValue, "not two PrintableString characters")
	case len(h.OperatorID) < 1 || len(h.OperatorID) > 16:
		return encodeError(p+"communicationIdentifier.networkIdentifier.operatorIdentifier", ErrValue, "%d octets, want 1 to 16", len(h.OperatorID))
	case len(h.NetworkElementID) > 16:
		return encodeError(p+"communicationIdentifier.networkIdentifier.networkElementIdentifier", ErrValue, "%d octets, want at most 16", len(h.NetworkElementID))
	case !validCountry(h.DeliveryCountry):
		return encodeError(p+"communicationIdentifier.deliveryCountryCode", ErrValue, "not two PrintableString characters")
	case len(h.InterceptionPointID) > 8 || !isPrintableString(h.InterceptionPointID):
		return encodeError(p+"interceptionPointID", ErrValue, "at most 8 PrintableString characters")
	case h.Qualifier > TimeOfAggregation:
		return encodeError(p+"timeStampQualifier", ErrValue, "unknown qualifier %d", h.Qualifier)
	}
	switch h.TimestampForm {
	case 0:
	case intercept.Microseconds:
		if s := h.Time.Unix(); s < 0 || s > maxUnix {
			return encodeError(p+"microSecondTimeStamp", ErrValue, "a time before 1970 or after 9999")
		}
	case intercept.GeneralizedTime:
		if y := h.Time.UTC().Year(); y < 0 || y > 9999 {
			return encodeError(p+"timeStamp", ErrValue, "year %d outside 0000-9999", y)
		}
	default:
		return encodeError(p+"timeStamp", ErrValue, "unknown timestamp form %d", h.TimestampForm)
	}
	return nil
}

// appendHeaderFixed appends the header fields that are the same for every
// record of a stream: li-psDomainId to communicationIdentifier.
func appendHeaderFixed(e *enc, h *Header) {
	e.b = appendBytes(e.b, ctx(0), oidContent(0, 4, 0, 2, 2, 5, 1, h.DomainVersion))
	e.b = append(e.b, ctx(1), byte(h.LIID.Len()))
	e.b = h.LIID.AppendTo(e.b)
	if h.AuthorizationCountry != "" {
		e.b = appendString(e.b, ctx(2), h.AuthorizationCountry)
	}
	ci := e.begin(cons(3))
	ni := e.begin(cons(0))
	e.b = appendString(e.b, ctx(0), h.OperatorID)
	if h.NetworkElementID != "" {
		e.b = appendString(e.b, ctx(1), h.NetworkElementID)
	}
	e.end(ni)
	e.b = appendUint(e.b, ctx(1), uint64(h.CIN))
	if h.DeliveryCountry != "" {
		e.b = appendString(e.b, ctx(2), h.DeliveryCountry)
	}
	e.end(ci)
}

// appendHeaderTail appends sequenceNumber to timeStampQualifier, with the
// record's seq and t in place of h's (a stream's template leaves them unset).
func appendHeaderTail(dst []byte, h *Header, seq intercept.Seq, t time.Time) []byte {
	dst = appendUint(dst, ctx(4), uint64(seq))
	if h.TimestampForm == intercept.GeneralizedTime {
		dst = append(dst, ctx(5), generalizedLen)
		dst = appendGeneralized(dst, t)
	}
	if h.InterceptionPointID != "" {
		dst = appendString(dst, ctx(6), h.InterceptionPointID)
	}
	if h.TimestampForm == intercept.Microseconds {
		dst = appendMicro(dst, t)
	}
	if h.Qualifier != QualifierAbsent {
		dst = append(dst, ctx(8), 1, byte(h.Qualifier-1))
	}
	return dst
}

func microSize(t time.Time) int {
	c := 2 + uintSize(uint64(t.Unix())) + 2 + uintSize(uint64(t.Nanosecond()/1000))
	return 2 + c
}

func appendMicro(dst []byte, t time.Time) []byte {
	s, us := uint64(t.Unix()), uint64(t.Nanosecond()/1000)
	dst = append(dst, cons(7), byte(4+uintSize(s)+uintSize(us)))
	dst = appendUint(dst, ctx(0), s)
	return appendUint(dst, ctx(1), us)
}

// Append appends the BER encoding of p to dst and returns the extended
// slice. It checks every field against the ASN.1 and this package's rules
// and returns an *Error naming the first field at fault, leaving dst's
// contents unchanged. Append allocates for the object identifiers and when
// dst lacks room; StreamEncoder's record methods do not.
//
// For the content and IRI records of a stream, Encoder's stream encoders
// are faster: they encode the parts shared by every record once.
func Append(dst []byte, p *PDU) ([]byte, error) {
	if err := checkHeader(&p.Header); err != nil {
		return dst, err
	}
	if err := checkPayload(&p.Payload); err != nil {
		return dst, err
	}
	e := enc{b: dst}
	top := e.begin(tagSequence)
	h := e.begin(cons(1))
	appendHeaderFixed(&e, &p.Header)
	e.b = appendHeaderTail(e.b, &p.Header, p.Header.Seq, p.Header.Time)
	e.end(h)
	pl := e.begin(cons(2))
	appendPayload(&e, &p.Payload)
	e.end(pl)
	e.end(top)
	return e.b, nil
}

// Marshal returns the BER encoding of p in a new slice.
func Marshal(p *PDU) ([]byte, error) { return Append(nil, p) }

func checkPayload(p *Payload) error {
	switch p.Kind {
	case IRISequence:
		if len(p.IRI) == 0 {
			return encodeError("payload.iRIPayloadSequence", ErrMissing, "no IRI payload")
		}
		for i := range p.IRI {
			if err := checkIRI(&p.IRI[i]); err != nil {
				return err
			}
		}
	case CCSequence:
		if len(p.CC) == 0 {
			return encodeError("payload.cCPayloadSequence", ErrMissing, "no CC payload")
		}
		for i := range p.CC {
			c := &p.CC[i]
			switch {
			case c.Direction > intercept.Indeterminate:
				return encodeError("payload.cCPayloadSequence.payloadDirection", ErrValue, "unknown direction %d", c.Direction)
			case c.IPAccessVersion == 0:
				return encodeError("payload.cCPayloadSequence.cCContents.iPCC.iPCCObjId", ErrValue, "module version 0")
			case !c.Time.IsZero() && !generalizedOK(c.Time):
				return encodeError("payload.cCPayloadSequence.timeStamp", ErrValue, "year outside 0000-9999")
			}
		}
	case TRIPayload:
		if p.TRI < KeepAlive || p.TRI > CINReset {
			return encodeError("payload.tRIPayload", ErrUnsupported, "TRI alternative %d", p.TRI)
		}
	case HI1Operation:
		n := &p.HI1
		const path = "payload.hI1-Operation."
		switch {
		case n.Kind < intercept.LIActivated || n.Kind > intercept.LIModified:
			return encodeError(path[:len(path)-1], ErrValue, "unknown notification %d", n.Kind)
		case n.DomainVersion == 0:
			return encodeError(path+"domainID", ErrValue, "module version 0")
		case !n.LIID.IsValid():
			return encodeError(path+"lawfulInterceptionIdentifier", ErrMissing, "no LIID")
		case len(n.OperatorID) < 1 || len(n.OperatorID) > 5:
			return encodeError(path+"communicationIdentifier.network-Identifier.operator-Identifier", ErrValue, "%d octets, want 1 to 5", len(n.OperatorID))
		case n.Time.UTC().Year() < 1950 || n.Time.UTC().Year() > 2049:
			return encodeError(path+"timeStamp.utcTime", ErrValue, "UTCTime covers 1950 to 2049")
		}
	default:
		return encodeError("payload", ErrUnsupported, "payload alternative %d", p.Kind)
	}
	return nil
}

func generalizedOK(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}

func checkIRI(r *IRIPayload) error {
	const p = "payload.iRIPayloadSequence."
	const c = p + "iRIContents.iPIRI.iPIRIContents."
	x := &r.IPIRI
	switch {
	case r.Type < intercept.IRIBegin || r.Type > intercept.IRIReport:
		return encodeError(p+"iRIType", ErrValue, "unknown IRI type %d", r.Type)
	case !r.Time.IsZero() && !generalizedOK(r.Time):
		return encodeError(p+"timeStamp", ErrValue, "year outside 0000-9999")
	case r.IPAccessVersion == 0:
		return encodeError(p+"iRIContents.iPIRI.iPIRIObjId", ErrValue, "module version 0")
	case !x.AccessEventType.IsKnown():
		return encodeError(c+"accessEventType", ErrValue, "unknown access event %d", x.AccessEventType)
	case !x.AccessType.IsKnown():
		return encodeError(c+"internetAccessType", ErrValue, "unknown access type %d", x.AccessType)
	case x.IPVersion > IPv4AndV6:
		return encodeError(c+"iPVersion", ErrValue, "unknown IP version %d", x.IPVersion)
	case !x.StartTime.IsZero() && !generalizedOK(x.StartTime):
		return encodeError(c+"startTime", ErrValue, "year outside 0000-9999")
	case !x.EndTime.IsZero() && !generalizedOK(x.EndTime):
		return encodeError(c+"endTime", ErrValue, "year outside 0000-9999")
	case x.EndReason > intercept.EndLeaseExpired:
		return encodeError(c+"endReason", ErrValue, "unknown end reason %d", x.EndReason)
	}
	if err := checkAddress(c+"targetIPAddress", x.TargetAddress); err != nil {
		return err
	}
	return checkAddress(c+"additionalIPAddress", x.AdditionalAddress)
}

func checkAddress(path string, a IPAddress) error {
	if !a.Prefix.IsValid() {
		if a.Assignment != 0 {
			return encodeError(path, ErrMissing, "an assignment without an address")
		}
		return nil
	}
	addr := a.Prefix.Addr()
	switch {
	case addr.Is4In6():
		return encodeError(path+".iP-value", ErrValue, "an IPv4-mapped IPv6 address; give the IPv4 address")
	case a.Assignment > intercept.AssignmentNotKnown:
		return encodeError(path+".iP-assignment", ErrValue, "unknown assignment %d", a.Assignment)
	}
	return nil
}

func appendPayload(e *enc, p *Payload) {
	switch p.Kind {
	case IRISequence:
		s := e.begin(cons(0))
		for i := range p.IRI {
			appendIRIPayload(e, &p.IRI[i], relOIDContent(5, 3, p.IRI[i].IPAccessVersion, 1))
		}
		e.end(s)
	case CCSequence:
		s := e.begin(cons(1))
		for i := range p.CC {
			c := &p.CC[i]
			q := e.begin(tagSequence)
			e.b = append(e.b, ctx(0), 1, byte(c.Direction))
			if !c.Time.IsZero() {
				e.b = append(e.b, ctx(1), generalizedLen)
				e.b = appendGeneralized(e.b, c.Time)
			}
			cc := e.begin(cons(2))
			ip := e.begin(cons(2))
			e.b = appendBytes(e.b, ctx(0), relOIDContent(5, 3, c.IPAccessVersion, 2))
			ic := e.begin(cons(1))
			e.b = appendBytes(e.b, ctx(0), c.Packet)
			e.end(ic)
			e.end(ip)
			e.end(cc)
			e.end(q)
		}
		e.end(s)
	case TRIPayload:
		t := e.begin(cons(2))
		e.b = append(e.b, ctx(int(p.TRI)), 0)
		e.end(t)
	case HI1Operation:
		appendHI1(e, &p.HI1)
	}
}

func appendIRIPayload(e *enc, r *IRIPayload, objID []byte) {
	q := e.begin(tagSequence)
	e.b = append(e.b, ctx(0), 1, byte(r.Type))
	if !r.Time.IsZero() {
		e.b = append(e.b, ctx(1), generalizedLen)
		e.b = appendGeneralized(e.b, r.Time)
	}
	ic := e.begin(cons(2))
	ip := e.begin(cons(2))
	e.b = appendBytes(e.b, ctx(0), objID)
	c := e.begin(cons(1))
	x := &r.IPIRI
	e.b = append(e.b, ctx(0), 1, byte(x.AccessEventType))
	e.b = appendString(e.b, ctx(1), x.TargetUsername)
	e.b = append(e.b, ctx(2), 1, byte(x.AccessType))
	if x.IPVersion != 0 {
		e.b = append(e.b, ctx(3), 1, byte(x.IPVersion))
	}
	appendAddress(e, 4, x.TargetAddress)
	if !x.StartTime.IsZero() {
		e.b = append(e.b, ctx(10), generalizedLen)
		e.b = appendGeneralized(e.b, x.StartTime)
	}
	if !x.EndTime.IsZero() {
		e.b = append(e.b, ctx(11), generalizedLen)
		e.b = appendGeneralized(e.b, x.EndTime)
	}
	if x.EndReason != 0 {
		e.b = append(e.b, ctx(12), 1, byte(x.EndReason))
	}
	if x.OctetsReceived != nil {
		e.b = appendUint(e.b, ctx(13), *x.OctetsReceived)
	}
	if x.OctetsTransmitted != nil {
		e.b = appendUint(e.b, ctx(14), *x.OctetsTransmitted)
	}
	appendAddress(e, 21, x.AdditionalAddress)
	e.end(c)
	e.end(ip)
	e.end(ic)
	e.end(q)
}

func appendAddress(e *enc, tag int, a IPAddress) {
	if !a.Prefix.IsValid() {
		return
	}
	addr := a.Prefix.Addr()
	s := e.begin(cons(tag))
	v6 := addr.Is6()
	e.b = append(e.b, ctx(1), 1, b2u(v6))
	v := e.begin(cons(2))
	if v6 {
		b := addr.As16()
		e.b = appendBytes(e.b, ctx(1), b[:])
	} else {
		b := addr.As4()
		e.b = appendBytes(e.b, ctx(1), b[:])
	}
	e.end(v)
	if a.Assignment != 0 {
		e.b = append(e.b, ctx(3), 1, byte(a.Assignment))
	}
	if bits := a.Prefix.Bits(); bits < addr.BitLen() {
		if v6 {
			e.b = appendUint(e.b, ctx(4), uint64(bits))
		} else {
			m := ^uint32(0) << (32 - bits)
			if bits == 0 {
				m = 0
			}
			e.b = append(e.b, ctx(5), 4, byte(m>>24), byte(m>>16), byte(m>>8), byte(m))
		}
	}
	e.end(s)
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func appendHI1(e *enc, n *HI1Notification) {
	op := e.begin(cons(3))
	k := e.begin(cons(int(n.Kind)))
	e.b = appendBytes(e.b, ctx(0), oidContent(0, 4, 0, 2, 2, 0, 1, n.DomainVersion))
	e.b = append(e.b, ctx(1), byte(n.LIID.Len()))
	e.b = n.LIID.AppendTo(e.b)
	ci := e.begin(cons(2))
	ni := e.begin(cons(1))
	e.b = appendString(e.b, ctx(0), n.OperatorID)
	e.end(ni)
	e.end(ci)
	ts := e.begin(cons(3))
	e.b = append(e.b, ctx(1), 13)
	t := n.Time.UTC()
	e.b = append2(e.b, t.Year()%100)
	e.b = append2(e.b, int(t.Month()))
	e.b = append2(e.b, t.Day())
	e.b = append2(e.b, t.Hour())
	e.b = append2(e.b, t.Minute())
	e.b = append2(e.b, t.Second())
	e.b = append(e.b, 'Z')
	e.end(ts)
	e.end(k)
	e.end(op)
}
