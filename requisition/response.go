package requisition

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// ResponseKind is what a requisition or the law says about when the answer
// is due. The zero value means "not recorded": ccjkit does not assume one. The Code d'instruction criminelle leaves the delay to a royal
// decree (art. 88bis §2: "dans un délai à fixer par le Roi" [V, text before
// 2016]); the figures of that decree are not in our sources [U]. So ccjkit
// sets no number: the response policy is data, taken from the requisition.
type ResponseKind uint8

const (
	// RealTime: "temps réel", defined by the royal decree of 9 January 2003
	// art. 1 3° as the minimum time needed to carry out the task by the
	// rules of the art, without interruption, with adequate means and staff
	// [V]. A best-effort notion, not a number of minutes.
	RealTime ResponseKind = iota + 1
	// Immediately: the IBPT brochure §3.14 says interception requests
	// received from the NTSU-CTIF duty desk "doivent être exécutées
	// immédiatement" [S: quoted in Neutrinet's post of 10 February 2021,
	// the project's seed; the brochure itself was not found].
	Immediately
	// AtStatedMoment: the requisition itself states the moment the answer
	// is due.
	AtStatedMoment
)

// String returns "real time", "immediately" or "at the stated moment".
func (k ResponseKind) String() string {
	switch k {
	case RealTime:
		return "real time"
	case Immediately:
		return "immediately"
	case AtStatedMoment:
		return "at the stated moment"
	}
	return fmt.Sprintf("ResponseKind(%d)", uint8(k))
}

// Source returns the legal basis of the kind.
func (k ResponseKind) Source() provenance.Source {
	switch k {
	case RealTime:
		return provenance.Source{Instrument: arrete2003, Article: "art. 1 3°", Edition: "as replaced by the royal decree of 8 February 2011",
			Certainty: provenance.Verified, URL: "https://wetwijzer.be/laws/2003009111"}
	case Immediately:
		return provenance.Source{Instrument: "IBPT, brochure informative sur les obligations de collaboration avec les autorités judiciaires",
			Article: "§3.14", Edition: "as quoted in Neutrinet's post of 10 February 2021; the brochure itself was not found", Certainty: provenance.Secondary}
	case AtStatedMoment:
		return provenance.Source{Instrument: "the requisition", Article: "the moment it states", Certainty: provenance.Technical}
	}
	return provenance.Source{Instrument: "ccjkit", Article: "no response policy recorded", Certainty: provenance.Technical}
}

func responseKinds() []ResponseKind { return []ResponseKind{RealTime, Immediately, AtStatedMoment} }

// key is the text form: "real-time", "immediately", "at-stated-moment";
// "" for the zero value.
func (k ResponseKind) key() string {
	switch k {
	case RealTime:
		return "real-time"
	case Immediately:
		return "immediately"
	case AtStatedMoment:
		return "at-stated-moment"
	}
	return ""
}

// MarshalText returns "real-time", "immediately" or "at-stated-moment", and
// "" for the zero value.
func (k ResponseKind) MarshalText() ([]byte, error) {
	if k != 0 && !slices.Contains(responseKinds(), k) {
		return nil, fmt.Errorf("%w: %v", ErrUnknownValue, k)
	}
	return []byte(k.key()), nil
}

// UnmarshalText accepts the forms MarshalText returns.
func (k *ResponseKind) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*k = 0
		return nil
	}
	for _, v := range responseKinds() {
		if v.key() == string(b) {
			*k = v
			return nil
		}
	}
	return fmt.Errorf("%w: not a response kind (want %s)", ErrUnknownValue, k.Hint())
}

// ResponsePolicy is when the answer to a requisition is due.
type ResponsePolicy struct {
	Kind ResponseKind `json:"kind"`
	// Stated is the moment the requisition gives, for AtStatedMoment.
	Stated timesync.Timestamp `json:"stated,omitzero"`
}

// ErrResponsePolicy is wrapped by the errors of [ResponsePolicy.Due].
var ErrResponsePolicy = errors.New("requisition: invalid response policy")

// Due returns when the answer to a requisition received at instant received
// is due. RealTime and Immediately give an Unfixed deadline whose steps
// quote what the words mean; AtStatedMoment gives the stated instant, which
// must not be before receipt.
func (p ResponsePolicy) Due(received time.Time) (Deadline, error) {
	src := p.Kind.Source()
	switch p.Kind {
	case RealTime:
		return Deadline{Kind: Unfixed, Rule: p.Kind.String(), label: p.Kind, Steps: []Step{
			step(src, timesync.FromTime(received), "received"),
			step(src, phrase("as soon as possible"), "answer in real time: the minimum time the task needs by the rules of the art, without interruption, with adequate means and staff; the law sets no number"),
		}}, nil
	case Immediately:
		return Deadline{Kind: Unfixed, Rule: p.Kind.String(), label: p.Kind, Steps: []Step{
			step(src, timesync.FromTime(received), "received"),
			step(src, phrase("as soon as possible"), "execute immediately"),
		}}, nil
	case AtStatedMoment:
		if p.Stated.IsZero() {
			return Deadline{}, fmt.Errorf("%w: %v without a stated moment", ErrResponsePolicy, p.Kind)
		}
		if p.Stated.Time().Before(received) {
			return Deadline{}, fmt.Errorf("%w: the stated moment %v is before receipt %v; ask the authority",
				ErrResponsePolicy, p.Stated, timesync.FromTime(received))
		}
		return Deadline{Kind: Fixed, At: p.Stated.Time(), Rule: p.Kind.String(), label: p.Kind, Steps: []Step{
			step(src, timesync.FromTime(received), "received"),
			step(src, p.Stated, "the requisition states the moment the answer is due"),
		}}, nil
	}
	return Deadline{}, fmt.Errorf("%w: %v", ErrResponsePolicy, p.Kind)
}

// Hint lists the valid text forms, for decoding errors.
func (ResponseKind) Hint() string { return "one of real-time, immediately, at-stated-moment" }
