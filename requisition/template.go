package requisition

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
)

// TemplateReference is the reference a [Template] carries: a placeholder
// that says it must be replaced.
const TemplateReference = "REPLACE: the authority's reference"

// Template returns a complete requisition for measure m, signed and
// received at instant at (to the second), that [Requisition.Validate] at
// that instant finds lawful (no finding of severity error; warnings may
// remain, such as the ones on the text in force after 2016): a starting
// point to edit into the order actually received, never a record of one.
//
// It is ordered by the authority that may order m in ordinary
// circumstances (the procureur du Roi for identification, the juge
// d'instruction otherwise), as a reasoned order, with the data m asks for
// most often, the offence interception needs (the catalogue's first of
// art. 90ter), the longest period the law allows by every month rule
// where it sets one, and a target of the kind m fits: an address of the
// documentation ranges (RFC 3849) at a one-second moment a week before,
// an example user name, or an example subscriber reference. The answer is
// due at a moment one day after receipt, or immediately for an
// interception. The reference is [TemplateReference].
//
// An unknown measure is an error wrapping [ErrUnknownValue].
func Template(m Measure, at time.Time) (Requisition, error) {
	now := timesync.FromTime(at)
	r := Requisition{
		Reference: TemplateReference,
		Measure:   m,
		Authority: JugeInstruction,
		Ordered:   now,
		Received:  now,
		Reasoned:  true,
		Response:  ResponsePolicy{Kind: AtStatedMoment, Stated: now.Add(24 * time.Hour)},
	}
	week := now.Add(-7 * 24 * time.Hour)
	ip := Target{Kind: TargetIP, Addr: netip.MustParseAddr("2001:db8::1"), From: week, Until: week.Add(time.Second)}
	subscriber := Target{Kind: TargetSubscriber, Value: "EXAMPLE-CONTRACT-0001"}
	switch m {
	case Identification:
		r.Authority = ProcureurDuRoi
		r.Items = []Item{ItemIdentity, ItemAddress}
		r.Targets = []Target{ip}
	case TrafficLocation:
		r.Items = []Item{ItemTrafficRecords}
		r.Targets = []Target{{Kind: TargetIP, Addr: ip.Addr, From: week, Until: week.Add(24 * time.Hour)}}
	case Interception:
		r.Offences = []string{first90ter()}
		r.Items = []Item{ItemContent}
		r.Targets = []Target{{Kind: TargetUsername, Value: "example-user"}}
		r.Response = ResponsePolicy{Kind: Immediately}
	case ExtendedSearch:
		r.Items = []Item{ItemSystemAccess}
		r.Targets = []Target{subscriber}
	case Cooperation:
		r.Cooperation = CooperationInformation
		r.Items = []Item{ItemSystemAccess}
		r.Targets = []Target{subscriber}
	default:
		return Requisition{}, fmt.Errorf("%w: not a measure (want %s)", ErrUnknownValue, m.Hint())
	}
	if months, _ := m.MaxMonths(); months > 0 {
		// FromOrderDay never ends later than any other rule: the period
		// is lawful whichever rule the cell counts by.
		end, err := ValidityEnd(at, months, FromOrderDay)
		if err != nil {
			return Requisition{}, err
		}
		r.ValidUntil = timesync.FromTime(end.At)
	}
	return r, nil
}

// first90ter returns the ID of the catalogue's first offence of art.
// 90ter §§2-4.
func first90ter() string {
	for _, o := range offenceCatalogue() {
		if o.In(List90ter) {
			return o.ID
		}
	}
	return ""
}
