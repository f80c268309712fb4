package etsi

import (
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// tlv is one decoded element: its identifier octet, its content and the
// offset of its first octet.
type tlv struct {
	id      byte
	content []byte
	off     int64 // offset of the identifier octet
	coff    int64 // offset of the content
}

// reader walks the elements of one content, reporting offsets relative to
// the whole input.
type reader struct {
	b   []byte
	off int64 // offset of b[0]
}

func (r *reader) empty() bool { return len(r.b) == 0 }

func derr(off int64, path string, sentinel error, format string, args ...any) *Error {
	e := encodeError(path, sentinel, format, args...)
	e.Op, e.Offset = "etsi: decode", off
	return e
}

// next reads one element. Lengths must be definite; the long form may
// carry leading zero octets (BER allows them and OpenLI writes them), up to
// four length octets.
func (r *reader) next(path string) (tlv, error) {
	start := r.off
	if len(r.b) < 2 {
		return tlv{}, derr(start, path, ErrTruncated, "%d octet(s) left, need an identifier and a length", len(r.b))
	}
	id := r.b[0]
	if id&0x1F == 0x1F {
		return tlv{}, derr(start, path, ErrTag, "a multi-octet tag number")
	}
	l := int(r.b[1])
	hdr := 2
	if l == 0x80 {
		return tlv{}, derr(start+1, path, ErrSyntax, "indefinite length (not supported)")
	}
	if l > 0x80 {
		k := l & 0x7F
		if k > 4 {
			return tlv{}, derr(start+1, path, ErrSyntax, "a length of %d octets", k)
		}
		if len(r.b) < 2+k {
			return tlv{}, derr(start+1, path, ErrTruncated, "inside a length")
		}
		var n uint64 // 64 bits: four length octets overflow a 32-bit int
		for _, c := range r.b[2 : 2+k] {
			n = n<<8 | uint64(c)
		}
		hdr += k
		if n > uint64(len(r.b)-hdr) {
			return tlv{}, derr(start+1, path, ErrTruncated, "a length of %d octets with %d left", n, len(r.b)-hdr)
		}
		l = int(n)
	}
	if l > len(r.b)-hdr {
		return tlv{}, derr(start+1, path, ErrTruncated, "a length of %d octets with %d left", l, len(r.b)-hdr)
	}
	t := tlv{id: id, content: r.b[hdr : hdr+l], off: start, coff: start + int64(hdr)}
	r.b = r.b[hdr+l:]
	r.off += int64(hdr + l)
	return t, nil
}

// expect reads one element and checks its identifier.
func (r *reader) expect(path string, id byte) (tlv, error) {
	if r.empty() {
		return tlv{}, derr(r.off, path, ErrMissing, "")
	}
	t, err := r.next(path)
	if err != nil {
		return t, err
	}
	if t.id != id {
		return t, derr(t.off, path, ErrTag, "identifier 0x%02x, want 0x%02x", t.id, id)
	}
	return t, nil
}

// peek reports whether the next element has identifier id.
func (r *reader) peek(id byte) bool { return len(r.b) > 0 && r.b[0] == id }

func (t tlv) inner() reader { return reader{b: t.content, off: t.coff} }

// done fails when elements remain after the last known field.
func (r *reader) done(path string) error {
	if r.empty() {
		return nil
	}
	id := r.b[0]
	return derr(r.off, path, ErrUnsupported, "an element with identifier 0x%02x after the last known field", id)
}

// uint reads a non-negative INTEGER of at most max, minimally encoded.
func (t tlv) uint(path string, max uint64) (uint64, error) {
	c := t.content
	switch {
	case len(c) == 0:
		return 0, derr(t.off, path, ErrSyntax, "an INTEGER without content")
	case c[0]&0x80 != 0:
		return 0, derr(t.coff, path, ErrValue, "a negative INTEGER")
	case len(c) > 1 && c[0] == 0 && c[1]&0x80 == 0:
		return 0, derr(t.coff, path, ErrSyntax, "an INTEGER with a superfluous leading zero")
	case len(c) > 9:
		return 0, derr(t.coff, path, ErrValue, "an INTEGER of %d octets", len(c))
	}
	var v uint64
	for _, b := range c {
		if v>>56 != 0 {
			return 0, derr(t.coff, path, ErrValue, "an INTEGER above %d", max)
		}
		v = v<<8 | uint64(b)
	}
	if v > max {
		return 0, derr(t.coff, path, ErrValue, "%d is above %d", v, max)
	}
	return v, nil
}

func (t tlv) null(path string) error {
	if len(t.content) != 0 {
		return derr(t.off, path, ErrSyntax, "a NULL with content")
	}
	return nil
}

// arcs reads base-128 arcs; first says whether the first octet group holds
// two arcs (OBJECT IDENTIFIER) or one (RELATIVE-OID).
func (t tlv) arcs(path string, first bool, dst []uint32) ([]uint32, error) {
	c := t.content
	if len(c) == 0 || c[len(c)-1]&0x80 != 0 {
		return nil, derr(t.off, path, ErrSyntax, "an object identifier that is empty or ends mid-arc")
	}
	var v uint64
	start := true
	for _, b := range c {
		if start && b == 0x80 {
			return nil, derr(t.coff, path, ErrSyntax, "an arc with a superfluous leading octet")
		}
		start = false
		v = v<<7 | uint64(b&0x7F)
		if v > 1<<32-1+80 {
			return nil, derr(t.coff, path, ErrValue, "an arc above 2³²-1")
		}
		if b&0x80 == 0 {
			if first {
				a := uint32(2)
				if v < 80 {
					a = uint32(v / 40)
				}
				v -= uint64(a) * 40
				dst = append(dst, a)
				first = false
			}
			if v > 1<<32-1 {
				return nil, derr(t.coff, path, ErrValue, "an arc above 2³²-1")
			}
			dst = append(dst, uint32(v))
			v, start = 0, true
		}
	}
	return dst, nil
}

// version reads an OID or relative OID that must be prefix.<version>[.suffix].
func (t tlv) version(path string, oid bool, prefix []uint32, suffix int64) (uint32, error) {
	var buf [16]uint32
	arcs, err := t.arcs(path, oid, buf[:0])
	if err != nil {
		return 0, err
	}
	want := len(prefix) + 1
	if suffix >= 0 {
		want++
	}
	ok := len(arcs) == want
	for i := 0; ok && i < len(prefix); i++ {
		ok = arcs[i] == prefix[i]
	}
	if ok && suffix >= 0 {
		ok = arcs[want-1] == uint32(suffix)
	}
	if !ok || arcs[len(prefix)] == 0 {
		s := oidString(prefix) + ".<version>"
		if suffix >= 0 {
			s += "." + oidString([]uint32{uint32(suffix)})
		}
		return 0, derr(t.coff, path, ErrValue, "the identifier %s, want %s", oidString(arcs), s)
	}
	return arcs[len(prefix)], nil
}

func (t tlv) enum(path string, max uint64) (uint8, error) {
	v, err := t.uint(path, max)
	return uint8(v), err
}

func (t tlv) generalized(path string) (time.Time, error) {
	v, ok := parseGeneralized(t.content)
	if !ok {
		return v, derr(t.coff, path, ErrValue, "not a GeneralizedTime in UTC to at most the microsecond (YYYYMMDDHHMMSS[.ffffff]Z)")
	}
	return v, nil
}

// printable returns the content as a string; prev, when equal, is
// returned instead of a new string, so that decoding a stream's records
// into one PDU does not allocate the header's unchanging strings again.
func (t tlv) printable(path string, lo, hi int, prev string) (string, error) {
	if len(t.content) < lo || len(t.content) > hi {
		return "", derr(t.off, path, ErrValue, "%d characters, want %d to %d", len(t.content), lo, hi)
	}
	for _, c := range t.content {
		if !isPrintableByte(c) {
			return "", derr(t.coff, path, ErrValue, "a character outside PrintableString")
		}
	}
	return reuse(t.content, prev), nil
}

func (t tlv) octets(path string, lo, hi int, prev string) (string, error) {
	if len(t.content) < lo || len(t.content) > hi {
		return "", derr(t.off, path, ErrValue, "%d octets, want %d to %d", len(t.content), lo, hi)
	}
	return reuse(t.content, prev), nil
}

func reuse(b []byte, prev string) string {
	if string(b) == prev {
		return prev
	}
	return string(b)
}

// Decode decodes one PS-PDU that fills b exactly. It is strict: every
// field must have the tag the ASN.1 gives it, in order, with a value in
// range; it reads the subset this package writes (the fields of PDU, which
// cover what OpenLI's IP access encoders send) and reports any other field
// as ErrUnsupported. The error is an *Error with the field's path and
// offset. Decode never panics. The PDU refers to b (see PDU).
func Decode(b []byte) (*PDU, error) {
	p := new(PDU)
	if err := p.Decode(b); err != nil {
		return nil, err
	}
	return p, nil
}

// Decode is like the function Decode but fills p, reusing its payload
// slices so that decoding records one after another allocates little.
func (p *PDU) Decode(b []byte) error {
	cc, iri := p.Payload.CC[:0], p.Payload.IRI[:0]
	prev := p.Header
	*p = PDU{}
	p.Payload.CC, p.Payload.IRI = cc, iri
	r := reader{b: b}
	top, err := r.expect("PS-PDU", tagSequence)
	if err != nil {
		return err
	}
	if !r.empty() {
		return derr(r.off, "PS-PDU", ErrSyntax, "%d octet(s) after the PDU", len(r.b))
	}
	in := top.inner()
	h, err := in.expect("pSHeader", cons(1))
	if err != nil {
		return err
	}
	if err := decodeHeader(h, &p.Header, &prev); err != nil {
		return err
	}
	pl, err := in.expect("payload", cons(2))
	if err != nil {
		return err
	}
	if err := decodePayload(pl, &p.Payload); err != nil {
		return err
	}
	return in.done("PS-PDU")
}

func decodeHeader(t tlv, h, prev *Header) error {
	const p = "pSHeader."
	r := t.inner()
	if err := decodeHeaderIdentity(&r, h, prev); err != nil {
		return err
	}
	f, err := r.expect(p+"communicationIdentifier", cons(3))
	if err != nil {
		return err
	}
	if err := decodeCommID(f, h, prev); err != nil {
		return err
	}
	if f, err = r.expect(p+"sequenceNumber", ctx(4)); err != nil {
		return err
	}
	v, err := f.uint(p+"sequenceNumber", 1<<32-1)
	if err != nil {
		return err
	}
	h.Seq = intercept.Seq(v)
	if err := decodeHeaderTime(&r, h, prev); err != nil {
		return err
	}
	return r.done("pSHeader")
}

// decodeHeaderIdentity reads the header's first fields: li-psDomainId
// [0] (the module version), lawfulInterceptionIdentifier [1] and the
// optional authorizationCountryCode [2].
func decodeHeaderIdentity(r *reader, h, prev *Header) error {
	const p = "pSHeader."
	f, err := r.expect(p+"li-psDomainId", ctx(0))
	if err != nil {
		return err
	}
	if h.DomainVersion, err = f.version(p+"li-psDomainId", true, []uint32{0, 4, 0, 2, 2, 5, 1}, -1); err != nil {
		return err
	}
	if f, err = r.expect(p+"lawfulInterceptionIdentifier", ctx(1)); err != nil {
		return err
	}
	if h.LIID, err = intercept.LIIDFromBytes(f.content); err != nil {
		return derr(f.off, p+"lawfulInterceptionIdentifier", ErrValue, "%d octets, want 1 to 25", len(f.content))
	}
	if r.peek(ctx(2)) {
		if f, err = r.next(p + "authorizationCountryCode"); err != nil {
			return err
		}
		if h.AuthorizationCountry, err = f.printable(p+"authorizationCountryCode", 2, 2, prev.AuthorizationCountry); err != nil {
			return err
		}
	}
	return nil
}

// decodeHeaderTime reads the header's optional fields after the sequence
// number: timeStamp [5], interceptionPointID [6], microSecondTimeStamp [7]
// (not both timestamps) and timeStampQualifier [8].
func decodeHeaderTime(r *reader, h, prev *Header) error {
	const p = "pSHeader."
	var f tlv
	var err error
	if r.peek(ctx(5)) {
		if f, err = r.next(p + "timeStamp"); err != nil {
			return err
		}
		if h.Time, err = f.generalized(p + "timeStamp"); err != nil {
			return err
		}
		h.TimestampForm = intercept.GeneralizedTime
	}
	if r.peek(ctx(6)) {
		if f, err = r.next(p + "interceptionPointID"); err != nil {
			return err
		}
		if h.InterceptionPointID, err = f.printable(p+"interceptionPointID", 1, 8, prev.InterceptionPointID); err != nil {
			return err
		}
	}
	if r.peek(cons(7)) {
		if f, err = r.next(p + "microSecondTimeStamp"); err != nil {
			return err
		}
		if h.TimestampForm != 0 {
			return derr(f.off, p+"microSecondTimeStamp", ErrValue, "both timeStamp and microSecondTimeStamp")
		}
		if err := decodeMicroSecondTimeStamp(f, h); err != nil {
			return err
		}
	}
	if r.peek(ctx(8)) {
		if f, err = r.next(p + "timeStampQualifier"); err != nil {
			return err
		}
		q, err := f.enum(p+"timeStampQualifier", 3)
		if err != nil {
			return err
		}
		h.Qualifier = Qualifier(q + 1)
	}
	return nil
}

// decodeMicroSecondTimeStamp reads microSecondTimeStamp [7]: seconds [0]
// since 1970 (up to the year 9999) and microSeconds [1].
func decodeMicroSecondTimeStamp(f tlv, h *Header) error {
	const p = "pSHeader.microSecondTimeStamp"
	m := f.inner()
	s, err := m.expect(p+".seconds", ctx(0))
	if err != nil {
		return err
	}
	sec, err := s.uint(p+".seconds", 1<<62)
	if err != nil {
		return err
	}
	u, err := m.expect(p+".microSeconds", ctx(1))
	if err != nil {
		return err
	}
	us, err := u.uint(p+".microSeconds", 999999)
	if err != nil {
		return err
	}
	if err := m.done(p); err != nil {
		return err
	}
	if sec > maxUnix {
		return derr(s.coff, p+".seconds", ErrValue, "after the year 9999")
	}
	h.Time = time.Unix(int64(sec), int64(us)*1000).UTC()
	h.TimestampForm = intercept.Microseconds
	return nil
}

func decodeCommID(t tlv, h, prev *Header) error {
	const p = "pSHeader.communicationIdentifier."
	r := t.inner()
	n, err := r.expect(p+"networkIdentifier", cons(0))
	if err != nil {
		return err
	}
	nr := n.inner()
	f, err := nr.expect(p+"networkIdentifier.operatorIdentifier", ctx(0))
	if err != nil {
		return err
	}
	if h.OperatorID, err = f.octets(p+"networkIdentifier.operatorIdentifier", 1, 16, prev.OperatorID); err != nil {
		return err
	}
	if nr.peek(ctx(1)) {
		if f, err = nr.next(p + "networkIdentifier.networkElementIdentifier"); err != nil {
			return err
		}
		if h.NetworkElementID, err = f.octets(p+"networkIdentifier.networkElementIdentifier", 1, 16, prev.NetworkElementID); err != nil {
			return err
		}
	}
	if err := nr.done(p + "networkIdentifier"); err != nil {
		return err
	}
	if f, err = r.expect(p+"communicationIdentityNumber", ctx(1)); err != nil {
		return err
	}
	v, err := f.uint(p+"communicationIdentityNumber", 1<<32-1)
	if err != nil {
		return err
	}
	h.CIN = intercept.CIN(v)
	if r.peek(ctx(2)) {
		if f, err = r.next(p + "deliveryCountryCode"); err != nil {
			return err
		}
		if h.DeliveryCountry, err = f.printable(p+"deliveryCountryCode", 2, 2, prev.DeliveryCountry); err != nil {
			return err
		}
	}
	return r.done("pSHeader.communicationIdentifier")
}

func decodePayload(t tlv, p *Payload) error {
	r := t.inner()
	if r.empty() {
		return derr(t.off, "payload", ErrMissing, "an empty payload")
	}
	c, err := r.next("payload")
	if err != nil {
		return err
	}
	if err := r.done("payload"); err != nil {
		return err
	}
	switch c.id {
	case cons(0):
		p.Kind = IRISequence
		s := c.inner()
		if s.empty() {
			return derr(c.off, "payload.iRIPayloadSequence", ErrMissing, "no IRI payload")
		}
		for !s.empty() {
			q, err := s.expect("payload.iRIPayloadSequence.IRIPayload", tagSequence)
			if err != nil {
				return err
			}
			p.IRI = append(p.IRI, IRIPayload{})
			if err := decodeIRIPayload(q, &p.IRI[len(p.IRI)-1]); err != nil {
				return err
			}
		}
	case cons(1):
		p.Kind = CCSequence
		s := c.inner()
		if s.empty() {
			return derr(c.off, "payload.cCPayloadSequence", ErrMissing, "no CC payload")
		}
		for !s.empty() {
			q, err := s.expect("payload.cCPayloadSequence.CCPayload", tagSequence)
			if err != nil {
				return err
			}
			p.CC = append(p.CC, CCPayload{})
			if err := decodeCCPayload(q, &p.CC[len(p.CC)-1]); err != nil {
				return err
			}
		}
	case cons(2):
		p.Kind = TRIPayload
		in := c.inner()
		if in.empty() {
			return derr(c.off, "payload.tRIPayload", ErrMissing, "no alternative")
		}
		a, err := in.next("payload.tRIPayload")
		if err != nil {
			return err
		}
		tag := TRI(a.id & 0x1F)
		if a.id&0xE0 != classContext || tag < KeepAlive || tag > CINReset {
			return derr(a.off, "payload.tRIPayload", ErrUnsupported, "TRI alternative with identifier 0x%02x", a.id)
		}
		if err := a.null("payload.tRIPayload." + tag.String()); err != nil {
			return err
		}
		p.TRI = tag
		return in.done("payload.tRIPayload")
	case cons(3):
		p.Kind = HI1Operation
		return decodeHI1(c, &p.HI1)
	default:
		return derr(c.off, "payload", ErrUnsupported, "payload alternative with identifier 0x%02x", c.id)
	}
	return nil
}

func decodeCCPayload(t tlv, c *CCPayload) error {
	const p = "payload.cCPayloadSequence.CCPayload."
	r := t.inner()
	f, err := r.expect(p+"payloadDirection", ctx(0))
	if err != nil {
		return err
	}
	d, err := f.enum(p+"payloadDirection", uint64(intercept.Indeterminate))
	if err != nil {
		return err
	}
	c.Direction = intercept.Direction(d)
	if r.peek(ctx(1)) {
		if f, err = r.next(p + "timeStamp"); err != nil {
			return err
		}
		if c.Time, err = f.generalized(p + "timeStamp"); err != nil {
			return err
		}
	}
	if f, err = r.expect(p+"cCContents", cons(2)); err != nil {
		return err
	}
	if err := r.done("payload.cCPayloadSequence.CCPayload"); err != nil {
		return err
	}
	in := f.inner()
	ipcc, err := in.expect(p+"cCContents.iPCC", cons(2))
	if err != nil {
		if e, ok := err.(*Error); ok && e.Err == ErrTag {
			e.Err = ErrUnsupported
		}
		return err
	}
	if err := in.done(p + "cCContents"); err != nil {
		return err
	}
	ir := ipcc.inner()
	o, err := ir.expect(p+"cCContents.iPCC.iPCCObjId", ctx(0))
	if err != nil {
		return err
	}
	if c.IPAccessVersion, err = o.version(p+"cCContents.iPCC.iPCCObjId", false, []uint32{5, 3}, 2); err != nil {
		return err
	}
	cont, err := ir.expect(p+"cCContents.iPCC.iPCCContents", cons(1))
	if err != nil {
		return err
	}
	if err := ir.done(p + "cCContents.iPCC"); err != nil {
		return err
	}
	cr := cont.inner()
	pk, err := cr.expect(p+"cCContents.iPCC.iPCCContents.iPPackets", ctx(0))
	if err != nil {
		return err
	}
	c.Packet = pk.content
	return cr.done(p + "cCContents.iPCC.iPCCContents")
}

func decodeIRIPayload(t tlv, x *IRIPayload) error {
	const p = "payload.iRIPayloadSequence.IRIPayload."
	r := t.inner()
	f, err := r.expect(p+"iRIType", ctx(0))
	if err != nil {
		return err
	}
	v, err := f.uint(p+"iRIType", uint64(intercept.IRIReport))
	if err != nil {
		return err
	}
	if v == 0 {
		return derr(f.coff, p+"iRIType", ErrValue, "iRIType 0")
	}
	x.Type = intercept.IRIType(v)
	if r.peek(ctx(1)) {
		if f, err = r.next(p + "timeStamp"); err != nil {
			return err
		}
		if x.Time, err = f.generalized(p + "timeStamp"); err != nil {
			return err
		}
	}
	if f, err = r.expect(p+"iRIContents", cons(2)); err != nil {
		return err
	}
	if err := r.done("payload.iRIPayloadSequence.IRIPayload"); err != nil {
		return err
	}
	in := f.inner()
	ip, err := in.expect(p+"iRIContents.iPIRI", cons(2))
	if err != nil {
		if e, ok := err.(*Error); ok && e.Err == ErrTag {
			e.Err = ErrUnsupported
		}
		return err
	}
	if err := in.done(p + "iRIContents"); err != nil {
		return err
	}
	ir := ip.inner()
	o, err := ir.expect(p+"iRIContents.iPIRI.iPIRIObjId", ctx(0))
	if err != nil {
		return err
	}
	if x.IPAccessVersion, err = o.version(p+"iRIContents.iPIRI.iPIRIObjId", false, []uint32{5, 3}, 1); err != nil {
		return err
	}
	cont, err := ir.expect(p+"iRIContents.iPIRI.iPIRIContents", cons(1))
	if err != nil {
		return err
	}
	if err := ir.done(p + "iRIContents.iPIRI"); err != nil {
		return err
	}
	return decodeIPIRI(cont, &x.IPIRI)
}

func decodeIPIRI(t tlv, x *IPIRI) error {
	r := t.inner()
	if err := decodeIPIRIEvent(&r, x); err != nil {
		return err
	}
	if err := decodeIPIRITarget(&r, x); err != nil {
		return err
	}
	if err := decodeIPIRISessionEnd(&r, x); err != nil {
		return err
	}
	if err := decodeIPIRICounts(&r, x); err != nil {
		return err
	}
	if r.peek(cons(21)) {
		f, err := r.next(ipiriPath + "additionalIPAddress")
		if err != nil {
			return err
		}
		if x.AdditionalAddress, err = decodeAddress(f, ipiriPath+"additionalIPAddress"); err != nil {
			return err
		}
	}
	return r.done(ipiriPath[:len(ipiriPath)-1])
}

// ipiriPath is the path of the IPIRIContents' fields.
const ipiriPath = "payload.iRIPayloadSequence.IRIPayload.iRIContents.iPIRI.iPIRIContents."

// decodeIPIRIEvent reads the required accessEventType [0], targetUsername
// [1] and internetAccessType [2].
func decodeIPIRIEvent(r *reader, x *IPIRI) error {
	const p = ipiriPath
	f, err := r.expect(p+"accessEventType", ctx(0))
	if err != nil {
		return err
	}
	v, err := f.enum(p+"accessEventType", uint64(intercept.AccessEventUnknown))
	if err != nil {
		return err
	}
	x.AccessEventType = intercept.AccessEventType(v)
	if f, err = r.expect(p+"targetUsername", ctx(1)); err != nil {
		return err
	}
	x.TargetUsername = string(f.content)
	if f, err = r.expect(p+"internetAccessType", ctx(2)); err != nil {
		return err
	}
	if v, err = f.enum(p+"internetAccessType", uint64(intercept.AccessWirelessOther)); err != nil {
		return err
	}
	x.AccessType = intercept.AccessType(v)
	return nil
}

// decodeIPIRITarget reads the optional iPVersion [3] (not 0) and
// targetIPAddress [4].
func decodeIPIRITarget(r *reader, x *IPIRI) error {
	const p = ipiriPath
	if r.peek(ctx(3)) {
		f, err := r.next(p + "iPVersion")
		if err != nil {
			return err
		}
		v, err := f.enum(p+"iPVersion", uint64(IPv4AndV6))
		if err != nil {
			return err
		}
		if v == 0 {
			return derr(f.coff, p+"iPVersion", ErrValue, "iPVersion 0")
		}
		x.IPVersion = IPVersion(v)
	}
	if r.peek(cons(4)) {
		f, err := r.next(p + "targetIPAddress")
		if err != nil {
			return err
		}
		if x.TargetAddress, err = decodeAddress(f, p+"targetIPAddress"); err != nil {
			return err
		}
	}
	return nil
}

// decodeIPIRISessionEnd reads the optional startTime [10], endTime [11]
// and endReason [12] (not undefined(0)).
func decodeIPIRISessionEnd(r *reader, x *IPIRI) error {
	const p = ipiriPath
	var f tlv
	var err error
	if r.peek(ctx(10)) {
		if f, err = r.next(p + "startTime"); err != nil {
			return err
		}
		if x.StartTime, err = f.generalized(p + "startTime"); err != nil {
			return err
		}
	}
	if r.peek(ctx(11)) {
		if f, err = r.next(p + "endTime"); err != nil {
			return err
		}
		if x.EndTime, err = f.generalized(p + "endTime"); err != nil {
			return err
		}
	}
	if r.peek(ctx(12)) {
		if f, err = r.next(p + "endReason"); err != nil {
			return err
		}
		v, err := f.enum(p+"endReason", uint64(intercept.EndLeaseExpired))
		if err != nil {
			return err
		}
		if v == 0 {
			return derr(f.coff, p+"endReason", ErrUnsupported, "endReason undefined(0)")
		}
		x.EndReason = intercept.EndReason(v)
	}
	return nil
}

// decodeIPIRICounts reads the optional octetsReceived [13] and
// octetsTransmitted [14].
func decodeIPIRICounts(r *reader, x *IPIRI) error {
	const p = ipiriPath
	if r.peek(ctx(13)) {
		f, err := r.next(p + "octetsReceived")
		if err != nil {
			return err
		}
		n, err := f.uint(p+"octetsReceived", 1<<64-1)
		if err != nil {
			return err
		}
		x.OctetsReceived = &n
	}
	if r.peek(ctx(14)) {
		f, err := r.next(p + "octetsTransmitted")
		if err != nil {
			return err
		}
		n, err := f.uint(p+"octetsTransmitted", 1<<64-1)
		if err != nil {
			return err
		}
		x.OctetsTransmitted = &n
	}
	return nil
}

func decodeAddress(t tlv, p string) (IPAddress, error) {
	var a IPAddress
	r := t.inner()
	typ, addr, err := decodeAddressValue(&r, p)
	if err != nil {
		return a, err
	}
	bits := addr.BitLen()
	if r.peek(ctx(3)) {
		f, err := r.next(p + ".iP-assignment")
		if err != nil {
			return a, err
		}
		v, err := f.enum(p+".iP-assignment", uint64(intercept.AssignmentNotKnown))
		if err != nil {
			return a, err
		}
		if v == 0 {
			return a, derr(f.coff, p+".iP-assignment", ErrValue, "iP-assignment 0")
		}
		a.Assignment = intercept.Assignment(v)
	}
	if bits, err = decodePrefixLength(&r, p, typ, bits); err != nil {
		return a, err
	}
	if err := r.done(p); err != nil {
		return a, err
	}
	a.Prefix = netip.PrefixFrom(addr, bits)
	return a, nil
}

// decodeAddressValue reads an IPAddress's iP-type [1] (IPv4 0, IPv6 1)
// and iP-value [2] iPBinaryAddress [1]: 4 or 16 octets as the type says,
// not an IPv4-mapped IPv6 address.
func decodeAddressValue(r *reader, p string) (typ uint8, addr netip.Addr, err error) {
	f, err := r.expect(p+".iP-type", ctx(1))
	if err != nil {
		return 0, addr, err
	}
	if typ, err = f.enum(p+".iP-type", 1); err != nil {
		return 0, addr, err
	}
	if f, err = r.expect(p+".iP-value", cons(2)); err != nil {
		return 0, addr, err
	}
	vr := f.inner()
	bin, err := vr.expect(p+".iP-value.iPBinaryAddress", ctx(1))
	if err != nil {
		return 0, addr, err
	}
	if err := vr.done(p + ".iP-value"); err != nil {
		return 0, addr, err
	}
	want := 4
	if typ == 1 {
		want = 16
	}
	if len(bin.content) != want {
		return 0, addr, derr(bin.off, p+".iP-value.iPBinaryAddress", ErrValue, "%d octets for iP-type %d", len(bin.content), typ)
	}
	addr, _ = netip.AddrFromSlice(bin.content)
	if addr.Is4In6() {
		return 0, netip.Addr{}, derr(bin.coff, p+".iP-value.iPBinaryAddress", ErrValue, "an IPv4-mapped IPv6 address")
	}
	return typ, addr, nil
}

// decodePrefixLength reads the optional iPv6PrefixLength [4] of an IPv6
// address and iPv4SubnetMask [5] (contiguous) of an IPv4 one, and returns
// the prefix's length, bits when neither is present.
func decodePrefixLength(r *reader, p string, typ uint8, bits int) (int, error) {
	if r.peek(ctx(4)) {
		f, err := r.next(p + ".iPv6PrefixLength")
		if err != nil {
			return 0, err
		}
		if typ != 1 {
			return 0, derr(f.off, p+".iPv6PrefixLength", ErrValue, "a prefix length on an IPv4 address")
		}
		v, err := f.uint(p+".iPv6PrefixLength", 128)
		if err != nil {
			return 0, err
		}
		bits = int(v)
	}
	if r.peek(ctx(5)) {
		f, err := r.next(p + ".iPv4SubnetMask")
		if err != nil {
			return 0, err
		}
		if typ != 0 || len(f.content) != 4 {
			return 0, derr(f.off, p+".iPv4SubnetMask", ErrValue, "a subnet mask must be 4 octets on an IPv4 address")
		}
		m := uint32(f.content[0])<<24 | uint32(f.content[1])<<16 | uint32(f.content[2])<<8 | uint32(f.content[3])
		ones := 0
		for ones < 32 && m&(1<<(31-ones)) != 0 {
			ones++
		}
		if ones < 32 && m<<ones != 0 {
			return 0, derr(f.coff, p+".iPv4SubnetMask", ErrValue, "a mask that is not contiguous")
		}
		bits = ones
	}
	return bits, nil
}

func decodeHI1(t tlv, n *HI1Notification) error {
	const p = "payload.hI1-Operation"
	r := t.inner()
	if r.empty() {
		return derr(t.off, p, ErrMissing, "no notification")
	}
	k, err := r.next(p)
	if err != nil {
		return err
	}
	if err := r.done(p); err != nil {
		return err
	}
	kind := intercept.HI1Kind(k.id & 0x1F)
	if k.id&0xE0 != classContext|constructed || kind < intercept.LIActivated || kind > intercept.LIModified {
		return derr(k.off, p, ErrUnsupported, "notification with identifier 0x%02x", k.id)
	}
	n.Kind = kind
	q := p + "." + kind.String() + "."
	in := k.inner()
	f, err := in.expect(q+"domainID", ctx(0))
	if err != nil {
		return err
	}
	if n.DomainVersion, err = f.version(q+"domainID", true, []uint32{0, 4, 0, 2, 2, 0, 1}, -1); err != nil {
		return err
	}
	if f, err = in.expect(q+"lawfulInterceptionIdentifier", ctx(1)); err != nil {
		return err
	}
	if n.LIID, err = intercept.LIIDFromBytes(f.content); err != nil {
		return derr(f.off, q+"lawfulInterceptionIdentifier", ErrValue, "%d octets, want 1 to 25", len(f.content))
	}
	if f, err = in.expect(q+"communicationIdentifier", cons(2)); err != nil {
		return err
	}
	cr := f.inner()
	ni, err := cr.expect(q+"communicationIdentifier.network-Identifier", cons(1))
	if err != nil {
		return err
	}
	if err := cr.done(q + "communicationIdentifier"); err != nil {
		return err
	}
	nr := ni.inner()
	op, err := nr.expect(q+"communicationIdentifier.network-Identifier.operator-Identifier", ctx(0))
	if err != nil {
		return err
	}
	if n.OperatorID, err = op.octets(q+"communicationIdentifier.network-Identifier.operator-Identifier", 1, 5, ""); err != nil {
		return err
	}
	if err := nr.done(q + "communicationIdentifier.network-Identifier"); err != nil {
		return err
	}
	if f, err = in.expect(q+"timeStamp", cons(3)); err != nil {
		return err
	}
	tr := f.inner()
	u, err := tr.expect(q+"timeStamp.utcTime", ctx(1))
	if err != nil {
		return err
	}
	if err := tr.done(q + "timeStamp"); err != nil {
		return err
	}
	if n.Time, err = parseUTCTime(u.content); err != nil {
		return derr(u.coff, q+"timeStamp.utcTime", ErrValue, "not a UTCTime YYMMDDhhmmssZ")
	}
	return in.done(q[:len(q)-1])
}

// parseUTCTime reads UTCTime content "YYMMDDhhmmssZ" (X.680 §47; years 50
// to 99 are 19xx, 00 to 49 are 20xx).
func parseUTCTime(b []byte) (time.Time, error) {
	if len(b) != 13 || b[12] != 'Z' {
		return time.Time{}, ErrValue
	}
	var g [15]byte
	century := "20"
	if b[0] >= '5' {
		century = "19"
	}
	copy(g[:], century)
	copy(g[2:], b)
	t, ok := parseGeneralized(g[:])
	if !ok {
		return time.Time{}, ErrValue
	}
	return t, nil
}
