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
