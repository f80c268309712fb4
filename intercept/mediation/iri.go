package mediation

import (
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
)

// decodeIRI decodes the PS-PDU an X2 PDU carries into cs.ps and reports
// whether it is one the mediation function hands over: payload format
// TS 102 232 (1), a PS-PDU package etsi decodes in full, carrying IRI.
//
// Why the record is not turned back into an intercept.IRIRecord and
// encoded by the agency's StreamEncoder, as CC records are: that form
// cannot hold all that a decoded IRI payload may carry — the payload's own
// timestamp, an assignment per address, an iPVersion the addresses do not
// imply, several IRI payloads in one PS-PDU — so some NEs' records would
// lose fields on the way. Instead the decoded PDU keeps its payload, as
// decoded, and gets the mediation function's header (appendIRI); package
// etsi checks and encodes it whole. Nothing the decoder read is dropped,
// and what it does not read it refuses (etsi.ErrUnsupported), so the
// record is refused rather than handed over with less than it said.
func (cs *connState) decodeIRI() bool {
	p := &cs.pdu
	if p.PayloadFormat != x2x3.FormatETSI102232 {
		return false
	}
	if err := cs.ps.Decode(p.Payload); err != nil {
		return false
	}
	return cs.ps.Payload.Kind == etsi.IRISequence && len(cs.ps.Payload.IRI) > 0
}

// appendIRI appends the PS-PDU decoded by decodeIRI with the header the
// agency's profile gives record seq of stream key — what its
// etsi.StreamEncoder writes for an IRI record: the module version, the
// LIID, country codes, operator and network element identifiers,
// interception point, CIN, number and timestamp form — keeping the NE's
// record time and its qualifier (the time is when the NE intercepted, not
// when it was mediated), and the agency's IPAccessPDU version in each
// payload's object identifier. t is the record's time when the PS-PDU
// carries none.
func (cs *connState) appendIRI(dst []byte, ag *agency, key intercept.StreamKey, seq intercept.Seq, t time.Time) ([]byte, error) {
	ps := &cs.ps
	if !ps.Header.Time.IsZero() {
		t = ps.Header.Time
	}
	q := ps.Header.Qualifier
	if q == etsi.QualifierAbsent {
		q = etsi.TimeOfInterception
	}
	ps.Header = headerFor(&ag.profile, key, seq, t, q)
	for i := range ps.Payload.IRI {
		ps.Payload.IRI[i].IPAccessVersion = ag.profile.IPAccessVersion
	}
	return etsi.Append(dst, ps)
}

// headerFor is the PSHeader profile p gives a record of stream key, as
// etsi.Encoder writes it.
func headerFor(p *intercept.Profile, key intercept.StreamKey, seq intercept.Seq, t time.Time, q etsi.Qualifier) etsi.Header {
	return etsi.Header{
		DomainVersion:        p.PSDomainVersion,
		LIID:                 key.LIID,
		AuthorizationCountry: p.AuthorizationCountry,
		OperatorID:           p.OperatorID,
		NetworkElementID:     p.NetworkElementID,
		CIN:                  key.CIN,
		DeliveryCountry:      p.DeliveryCountry,
		Seq:                  seq,
		Time:                 t,
		TimestampForm:        p.Timestamps,
		InterceptionPointID:  p.InterceptionPointID,
		Qualifier:            q,
	}
}
