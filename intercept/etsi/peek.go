package etsi

import "github.com/ccjkit/ccjkit/intercept"

// Summary is what a receiver routes a PS-PDU on: its stream, its number
// and the kind of its payload.
type Summary struct {
	LIID intercept.LIID
	CIN  intercept.CIN
	Seq  intercept.Seq
	Kind PayloadKind
	// TRI is the TRI alternative when Kind is TRIPayload.
	TRI TRI
}

// Peek reads a PS-PDU's LIID, CIN, sequence number and payload kind
// without decoding the rest: a receiver that only counts records and
// answers keep-alives (as intercept/lemf does when told to discard) needs
// no more, and Peek costs a fraction of Decode. It checks the syntax of
// what it reads and nothing else; use Decode to validate a PDU.
func Peek(b []byte) (Summary, error) {
	if s, ok := peekFast(b); ok {
		return s, nil
	}
	return peekSlow(b)
}

// peekFast is Peek's path for a well-formed PDU: the same reading with
// TLV headers read by a small function returning slices, and no error
// (nor its path and offset) to build. It accepts exactly what peekSlow accepts (FuzzPeekPaths checks
// it); on anything else it reports false and peekSlow says what is wrong.
func peekFast(b []byte) (s Summary, ok bool) {
	id, top, _, ok := tl(b)
	if !ok || id != tagSequence {
		return s, false
	}
	id, h, in, ok := tl(top)
	if !ok || id != cons(1) {
		return s, false
	}
	if id, _, h, ok = tl(h); !ok || id != ctx(0) { // li-psDomainId
		return s, false
	}
	var f []byte
	if id, f, h, ok = tl(h); !ok || id != ctx(1) || len(f) == 0 || len(f) > intercept.MaxLIIDLen {
		return s, false
	}
	s.LIID, _ = intercept.LIIDFromBytes(f)
	if len(h) > 0 && h[0] == ctx(2) { // authorizationCountryCode
		if _, _, h, ok = tl(h); !ok {
			return s, false
		}
	}
	var c []byte
	if id, c, h, ok = tl(h); !ok || id != cons(3) {
		return s, false
	}
	if id, _, c, ok = tl(c); !ok || id != cons(0) { // networkIdentifier
		return s, false
	}
	if id, f, _, ok = tl(c); !ok || id != ctx(1) {
		return s, false
	}
	v, ok := uint32Of(f)
	if !ok {
		return s, false
	}
	s.CIN = intercept.CIN(v)
	if id, f, _, ok = tl(h); !ok || id != ctx(4) {
		return s, false
	}
	if v, ok = uint32Of(f); !ok {
		return s, false
	}
	s.Seq = intercept.Seq(v)
	var pl []byte
	if id, pl, _, ok = tl(in); !ok || id != cons(2) {
		return s, false
	}
	id, a, _, ok := tl(pl)
	if !ok {
		return s, false
	}
	switch id {
	case cons(0):
		s.Kind = IRISequence
	case cons(1):
		s.Kind = CCSequence
	case cons(2):
		s.Kind = TRIPayload
		t, _, _, ok := tl(a)
		if !ok {
			return s, false
		}
		s.TRI = TRI(t & 0x1F)
	case cons(3):
		s.Kind = HI1Operation
	default:
		return s, false
	}
	return s, true
}

// tl reads the TLV at the start of b as reader.next does — a one-octet
// identifier, a definite length of at most four octets — and returns its
// identifier, its content and what follows it.
func tl(b []byte) (id byte, content, rest []byte, ok bool) {
	if len(b) < 2 || b[0]&0x1F == 0x1F {
		return 0, nil, nil, false
	}
	l, h := int(b[1]), 2
	if l >= 0x80 {
		k := l & 0x7F
		if k == 0 || k > 4 || len(b) < 2+k {
			return 0, nil, nil, false
		}
		var n uint64
		for _, c := range b[2 : 2+k] {
			n = n<<8 | uint64(c)
		}
		h += k
		if n > uint64(len(b)-h) {
			return 0, nil, nil, false
		}
		l = int(n)
	}
	if l > len(b)-h {
		return 0, nil, nil, false
	}
	return b[0], b[h : h+l], b[h+l:], true
}

// uint32Of reads a minimally encoded non-negative INTEGER of at most
// 2³²−1, as tlv.uint does.
func uint32Of(c []byte) (uint32, bool) {
	if len(c) == 0 || len(c) > 5 || c[0]&0x80 != 0 || len(c) > 1 && c[0] == 0 && c[1]&0x80 == 0 {
		return 0, false
	}
	if len(c) == 5 && c[0] != 0 {
		return 0, false
	}
	var v uint32
	for _, b := range c {
		v = v<<8 | uint32(b)
	}
	return v, true
}

// peekSlow is Peek with the error that says what is wrong.
func peekSlow(b []byte) (Summary, error) {
	var s Summary
	r := reader{b: b}
	top, err := r.expect("PS-PDU", tagSequence)
	if err != nil {
		return s, err
	}
	in := top.inner()
	h, err := in.expect("pSHeader", cons(1))
	if err != nil {
		return s, err
	}
	hr := h.inner()
	if _, err := hr.expect("pSHeader.li-psDomainId", ctx(0)); err != nil {
		return s, err
	}
	f, err := hr.expect("pSHeader.lawfulInterceptionIdentifier", ctx(1))
	if err != nil {
		return s, err
	}
	if s.LIID, err = intercept.LIIDFromBytes(f.content); err != nil {
		return s, derr(f.off, "pSHeader.lawfulInterceptionIdentifier", ErrValue, "%d octets, want 1 to 25", len(f.content))
	}
	if hr.peek(ctx(2)) {
		if _, err := hr.next("pSHeader.authorizationCountryCode"); err != nil {
			return s, err
		}
	}
	c, err := hr.expect("pSHeader.communicationIdentifier", cons(3))
	if err != nil {
		return s, err
	}
	cr := c.inner()
	if _, err := cr.expect("pSHeader.communicationIdentifier.networkIdentifier", cons(0)); err != nil {
		return s, err
	}
	if f, err = cr.expect("pSHeader.communicationIdentifier.communicationIdentityNumber", ctx(1)); err != nil {
		return s, err
	}
	v, err := f.uint("pSHeader.communicationIdentifier.communicationIdentityNumber", 1<<32-1)
	if err != nil {
		return s, err
	}
	s.CIN = intercept.CIN(v)
	if f, err = hr.expect("pSHeader.sequenceNumber", ctx(4)); err != nil {
		return s, err
	}
	if v, err = f.uint("pSHeader.sequenceNumber", 1<<32-1); err != nil {
		return s, err
	}
	s.Seq = intercept.Seq(v)
	pl, err := in.expect("payload", cons(2))
	if err != nil {
		return s, err
	}
	pr := pl.inner()
	a, err := pr.next("payload")
	if err != nil {
		return s, err
	}
	switch a.id {
	case cons(0):
		s.Kind = IRISequence
	case cons(1):
		s.Kind = CCSequence
	case cons(2):
		s.Kind = TRIPayload
		tr := a.inner()
		t, err := tr.next("payload.tRIPayload")
		if err != nil {
			return s, err
		}
		s.TRI = TRI(t.id & 0x1F)
	case cons(3):
		s.Kind = HI1Operation
	default:
		return s, derr(a.off, "payload", ErrUnsupported, "payload alternative with identifier 0x%02x", a.id)
	}
	return s, nil
}
