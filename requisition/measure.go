package requisition

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ccjkit/ccjkit/provenance"
)

// Measure is what a requisition orders the operator to do.
type Measure uint8

const (
	// Identification of the subscriber or habitual user of a service or
	// means of electronic communication, and of the services a person
	// subscribes to or uses (Code d'instruction criminelle art. 46bis;
	// IBPT brochure §3.12).
	Identification Measure = iota + 1
	// TrafficLocation: tracing of call data and localisation of the origin
	// or destination of communications (art. 88bis; brochure §3.13).
	TrafficLocation
	// Interception of communications in real time, delivered in clear to
	// the NTSU-CTIF (arts. 90ter-90quater; brochure §3.14).
	Interception
	// ExtendedSearch: extension of a search of a computer system to a
	// system elsewhere (art. 88ter).
	ExtendedSearch
	// Cooperation: ordered cooperation — information on how a system works
	// and how to access it, or operating it, searching, copying, making
	// inaccessible or removing data (art. 88quater).
	Cooperation
)

// measures lists every Measure, in order.
func measures() []Measure {
	return []Measure{Identification, TrafficLocation, Interception, ExtendedSearch, Cooperation}
}

// Measures returns every Measure, in order.
func Measures() []Measure { return measures() }

// String returns the measure's key: "identification", "traffic-location",
// "interception", "extended-search" or "cooperation".
func (m Measure) String() string {
	switch m {
	case Identification:
		return "identification"
	case TrafficLocation:
		return "traffic-location"
	case Interception:
		return "interception"
	case ExtendedSearch:
		return "extended-search"
	case Cooperation:
		return "cooperation"
	}
	return fmt.Sprintf("Measure(%d)", uint8(m))
}

// MarshalText returns the key; an unknown Measure is an error.
func (m Measure) MarshalText() ([]byte, error) { return marshalKey(m, measures()) }

// UnmarshalText accepts the keys [Measure.String] returns.
func (m *Measure) UnmarshalText(b []byte) error { return unmarshalKey(m, b, measures(), "measure") }

// Source returns the article the measure rests on, in the edition ccjkit
// follows.
func (m Measure) Source() provenance.Source {
	switch m {
	case Identification:
		return provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 46bis", Edition: "version of 2014", Certainty: provenance.Verified,
			URL: "https://actualitesdroitbelge.be/legislation/code-d-instruction-criminelle/code-d-instruction-criminelle---l-information-penale/article-46bis-du-code-d-instruction-criminelle", Until: Law2016RetentionInForce()}
	case TrafficLocation:
		return provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88bis", Edition: pre2016, Certainty: provenance.Verified, URL: seedURL, Until: Law2016RetentionInForce()}
	case Interception:
		return provenance.Source{Instrument: codeInstructionCriminelle, Article: "arts. 90ter-90quater", Edition: pre2016, Certainty: provenance.Verified,
			URL: "https://actualitesdroitbelge.be/legislation/code-penal/code-penal---les-ecoutes-telephoniques-en-procedure-penale/article-90-quater-du-code-d-instruction-criminelle", Until: Law2016RetentionInForce()}
	case ExtendedSearch:
		return provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88ter", Edition: pre2016, Certainty: provenance.Verified, URL: seedURL, Until: Law2016RetentionInForce()}
	case Cooperation:
		return provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88quater", Edition: pre2016, Certainty: provenance.Verified, URL: seedURL, Until: Law2016RetentionInForce()}
	}
	return provenance.Source{}
}

// Item is a kind of data a requisition asks for.
type Item uint8

const (
	// Subscriber identification (brochure §3.12, first indent).
	ItemIdentity       Item = iota + 1 // personal data: name, date of birth, identity document
	ItemAddress                        // the subscriber's address
	ItemBillingAddress                 // the billing address
	ItemContract                       // the contract: start, end, services
	// The means of communication used (brochure §3.12, second indent).
	ItemIMEI
	ItemIMSI
	ItemIPAddressPort // an IP address and source port, at a time
	ItemMAC
	// The services subscribed to or habitually used (§3.12, third indent).
	ItemServices
	// Traffic and location data (art. 88bis §1: day, hour, duration and, if
	// needed, place of each communication).
	ItemTrafficRecords
	ItemLocationRecords
	// The content of communications, intercepted (arts. 90ter-90quater).
	ItemContent
	// Information on a system or access to it (arts. 88ter, 88quater).
	ItemSystemAccess
)

func items() []Item {
	return []Item{ItemIdentity, ItemAddress, ItemBillingAddress, ItemContract, ItemIMEI, ItemIMSI, ItemIPAddressPort,
		ItemMAC, ItemServices, ItemTrafficRecords, ItemLocationRecords, ItemContent, ItemSystemAccess}
}

// String returns the item's key, such as "billing-address".
func (i Item) String() string {
	switch i {
	case ItemIdentity:
		return "identity"
	case ItemAddress:
		return "address"
	case ItemBillingAddress:
		return "billing-address"
	case ItemContract:
		return "contract"
	case ItemIMEI:
		return "imei"
	case ItemIMSI:
		return "imsi"
	case ItemIPAddressPort:
		return "ip-address-port"
	case ItemMAC:
		return "mac"
	case ItemServices:
		return "services"
	case ItemTrafficRecords:
		return "traffic-records"
	case ItemLocationRecords:
		return "location-records"
	case ItemContent:
		return "content"
	case ItemSystemAccess:
		return "system-access"
	}
	return fmt.Sprintf("Item(%d)", uint8(i))
}

// MarshalText returns the key; an unknown Item is an error.
func (i Item) MarshalText() ([]byte, error) { return marshalKey(i, items()) }

// UnmarshalText accepts the keys [Item.String] returns.
func (i *Item) UnmarshalText(b []byte) error { return unmarshalKey(i, b, items(), "item") }

// Items returns the data a measure may ask for. Identification covers the
// subscriber, the means and the services (art. 46bis; IBPT brochure §3.12).
// Traffic and location adds the records of communications (art. 88bis §1:
// day, hour, duration and place); the brochure's §3.13 lists the
// identification data under it too. (The brochure is known from its
// quotation in Neutrinet's post of 10 February 2021 [S]; it was not found
// itself.) Interception
// delivers content and the data that go with it (arts. 90ter-90quater).
// The search measures ask for access to a system (arts. 88ter, 88quater).
func (m Measure) Items() []Item {
	ident := []Item{ItemIdentity, ItemAddress, ItemBillingAddress, ItemContract, ItemIMEI, ItemIMSI, ItemIPAddressPort, ItemMAC, ItemServices}
	switch m {
	case Identification:
		return ident
	case TrafficLocation:
		return append(ident, ItemTrafficRecords, ItemLocationRecords)
	case Interception:
		return append(ident, ItemTrafficRecords, ItemLocationRecords, ItemContent)
	case ExtendedSearch, Cooperation:
		return []Item{ItemSystemAccess}
	}
	return nil
}

// MaxMonths is the longest period, in months, an order for the measure may
// state, and its source; 0 when the law sets none. Art. 88bis §1 al. 4:
// two months from the order, renewable; art. 90quater §1: one month from
// the decision (extensions up to six months in all, art. 90quinquies). Both
// [V] in their text before 2016; the durations after the law of 25 December
// 2016 were not retrieved [U].
func (m Measure) MaxMonths() (int, provenance.Source) {
	switch m {
	case TrafficLocation:
		return 2, provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 88bis §1 al. 4", Edition: pre2016, Certainty: provenance.Verified, URL: seedURL, Until: Law2016RetentionInForce()}
	case Interception:
		return 1, provenance.Source{Instrument: codeInstructionCriminelle, Article: "art. 90quater §1", Edition: pre2016, Certainty: provenance.Verified,
			URL: "https://actualitesdroitbelge.be/legislation/code-penal/code-penal---les-ecoutes-telephoniques-en-procedure-penale/article-90-quater-du-code-d-instruction-criminelle", Until: Law2016RetentionInForce()}
	}
	return 0, provenance.Source{}
}

// marshalKey and unmarshalKey implement the text forms of the
// enumerations. An enumeration whose zero value means "not set" (Measure,
// Authority, Item, TargetKind) writes it as "" and reads "" back, as
// net/netip does for its zero values; any other value outside the
// enumeration is an error.
func marshalKey[T interface {
	comparable
	fmt.Stringer
}](v T, all []T) ([]byte, error) {
	var zero T
	switch {
	case slices.Contains(all, v):
		return []byte(v.String()), nil
	case v == zero:
		return []byte{}, nil
	}
	return nil, fmt.Errorf("%w: %v", ErrUnknownValue, v)
}

func unmarshalKey[T interface {
	comparable
	fmt.Stringer
}](dst *T, b []byte, all []T, kind string) error {
	for _, v := range all {
		if v.String() == string(b) {
			*dst = v
			return nil
		}
	}
	var zero T
	if len(b) == 0 && !slices.Contains(all, zero) {
		*dst = zero
		return nil
	}
	return fmt.Errorf("%w: not a %s (want %s)", ErrUnknownValue, kind, hint(all))
}

// hint lists the text forms of an enumeration, for decoding problems that
// must not quote the invalid input.
func hint[T fmt.Stringer](all []T) string {
	keys := make([]string, len(all))
	for i, v := range all {
		keys[i] = v.String()
	}
	return "one of " + strings.Join(keys, ", ")
}

// Hint lists the valid text forms, for decoding errors.
func (Measure) Hint() string { return hint(measures()) }

// Hint lists the valid text forms, for decoding errors.
func (Item) Hint() string { return hint(items()) }
