package intercept

import (
	"fmt"
	"time"

	"github.com/ccjkit/ccjkit/internal/asn1text"
)

// TimestampForm is how a PS-PDU header carries its time: ETSI TS 102 232-1
// PSHeader timeStamp [5] (GeneralizedTime) or microSecondTimeStamp [7]
// (seconds and microseconds since 1970). Receivers differ; OpenLI made it a
// per-agency setting in 1.1.15.
type TimestampForm uint8

// The timestamp forms. The zero value is "not chosen", which a Profile
// refuses: the choice is the receiver's.
const (
	Microseconds    TimestampForm = 1 // microSecondTimeStamp [7]
	GeneralizedTime TimestampForm = 2 // timeStamp [5], to the microsecond, in UTC
)

// String returns "microseconds" or "generalized".
func (f TimestampForm) String() string {
	switch f {
	case Microseconds:
		return "microseconds"
	case GeneralizedTime:
		return "generalized"
	}
	return fmt.Sprintf("TimestampForm(%d)", uint8(f))
}

// Profile holds every national and per-agency choice the wire formats
// depend on, in one place, so that nothing about the receiver is scattered
// through the code. A Profile is a plain value: build it once from
// configuration, Validate it, and hand it to the encoders.
//
// For Belgium, start from Belgium, which fills what is public and refuses a
// profile that lacks what is not.
type Profile struct {
	// AuthorizationCountry is the ISO 3166-1 alpha-2 code of the country
	// that authorised the interception (PSHeader authorizationCountryCode
	// [2]); DeliveryCountry the country the records are delivered to
	// (communicationIdentifier deliveryCountryCode [2]). Each two capital
	// letters, or "" to omit the optional field.
	AuthorizationCountry, DeliveryCountry string

	// OperatorID identifies the operator to the receiver (PSHeader
	// networkIdentifier operatorIdentifier [0]): 1 to 16 octets.
	OperatorID string
	// NetworkElementID identifies the equipment that intercepted
	// (networkElementIdentifier [1]): 0 (omitted) to 16 octets.
	NetworkElementID string
	// HI1OperatorID is the operator's identifier in HI1 notifications
	// (TS 101 671 HI1NotificationOperations operator-Identifier, SIZE 1..5).
	HI1OperatorID string
	// InterceptionPointID is PSHeader interceptionPointID [6]: 0 (omitted)
	// to 8 printable characters.
	InterceptionPointID string

	// Timestamps is the header's timestamp form.
	Timestamps TimestampForm
	// PSDomainVersion is the version of ETSI TS 102 232-1's LI-PS-PDU
	// module the receiver expects: the header's li-psDomainId is the OID
	// 0.4.0.2.2.5.1.<PSDomainVersion>. OpenLI sends 17; the module was at 36
	// in 2026.
	PSDomainVersion uint32
	// IPAccessVersion is the version of ETSI TS 102 232-3's IPAccessPDU
	// module: IPCC and IPIRI carry the relative OIDs 5.3.<v>.2 and 5.3.<v>.1.
	// OpenLI sends 10.
	IPAccessVersion uint32
	// HI1DomainVersion is the version of the HI1NotificationOperations
	// module (TS 101 671): HI1 notifications carry the OID
	// 0.4.0.2.2.0.1.<HI1DomainVersion>. OpenLI sends 6.
	HI1DomainVersion uint32

	// KeepAliveLIID is the LIID written in keep-alive headers, which belong
	// to no interception. OpenLI writes its own name and version ("-" for the
	// Netherlands).
	KeepAliveLIID LIID
	// KeepAliveInterval is how long a handover link may stay idle before a
	// keep-alive is sent, and KeepAliveTimeout how long its response may
	// take before the link is dropped and re-established. OpenLI's defaults
	// are 300 s and 30 s.
	KeepAliveInterval, KeepAliveTimeout time.Duration
}

// Validate checks that every choice is made and possible, and returns a
// *ValidationError listing every problem, or nil.
func (p *Profile) Validate() error {
	ps := problems{what: "profile"}
	p.check(&ps)
	return ps.err()
}

func (p *Profile) check(ps *problems) {
	country := func(field, v string) {
		if v != "" && (len(v) != 2 || !isUpper(v[0]) || !isUpper(v[1])) {
			ps.add(field, ErrProfile, "a country code is two capital letters (ISO 3166-1 alpha-2)")
		}
	}
	country("AuthorizationCountry", p.AuthorizationCountry)
	country("DeliveryCountry", p.DeliveryCountry)
	octets := func(field, v string, lo, hi int) {
		if len(v) < lo || len(v) > hi {
			ps.add(field, ErrProfile, "%d to %d octets, not %d", lo, hi, len(v))
		}
	}
	octets("OperatorID", p.OperatorID, 1, 16)
	octets("NetworkElementID", p.NetworkElementID, 0, 16)
	octets("HI1OperatorID", p.HI1OperatorID, 1, 5)
	octets("InterceptionPointID", p.InterceptionPointID, 0, 8)
	if !isPrintableString(p.InterceptionPointID) {
		ps.add("InterceptionPointID", ErrProfile, "only the characters of ASN.1 PrintableString")
	}
	if p.Timestamps != Microseconds && p.Timestamps != GeneralizedTime {
		ps.add("Timestamps", ErrProfile, "choose Microseconds or GeneralizedTime, as the receiver expects")
	}
	if p.PSDomainVersion == 0 {
		ps.add("PSDomainVersion", ErrProfile, "the LI-PS-PDU module version the receiver expects is required")
	}
	if p.IPAccessVersion == 0 {
		ps.add("IPAccessVersion", ErrProfile, "the IPAccessPDU module version the receiver expects is required")
	}
	if p.HI1DomainVersion == 0 {
		ps.add("HI1DomainVersion", ErrProfile, "the HI1NotificationOperations module version the receiver expects is required")
	}
	if !p.KeepAliveLIID.IsValid() {
		ps.add("KeepAliveLIID", ErrProfile, "the LIID written in keep-alives is required")
	}
	if p.KeepAliveInterval <= 0 {
		ps.add("KeepAliveInterval", ErrProfile, "must be positive")
	}
	if p.KeepAliveTimeout <= 0 {
		ps.add("KeepAliveTimeout", ErrProfile, "must be positive")
	}
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isPrintableString(s string) bool { return asn1text.Printable(s) }

// BelgianCountry is Belgium's ISO 3166-1 alpha-2 code.
const BelgianCountry = "BE"

// Belgium returns the profile for delivery to the Belgian police's central
// interception facility (NTSU-CTIF, defined by the royal decree of
// 9 January 2003 [V]). It fills what is public: both country codes are
// "BE". Everything else — the operator and network-element identifiers the
// facility assigns, the timestamp form, the ETSI module versions, the
// keep-alive LIID and timings — is not published; the caller copies it from
// the facility's technical specification into p, and Belgium refuses the
// profile, listing every missing choice, until it is complete. Country codes
// already set in p must be "BE".
//
// The questions to put to the NTSU-CTIF are listed in docs/intercept.md.
func Belgium(p Profile) (Profile, error) {
	ps := problems{what: "Belgian profile"}
	for _, c := range []struct{ field, v string }{
		{"AuthorizationCountry", p.AuthorizationCountry},
		{"DeliveryCountry", p.DeliveryCountry},
	} {
		if c.v != "" && c.v != BelgianCountry {
			ps.add(c.field, ErrProfile, "a Belgian order is authorised in and delivered to Belgium (BE)")
		}
	}
	p.AuthorizationCountry, p.DeliveryCountry = BelgianCountry, BelgianCountry
	p.check(&ps)
	for i := range ps.list {
		switch ps.list[i].Field {
		case "OperatorID", "HI1OperatorID", "Timestamps", "PSDomainVersion", "IPAccessVersion",
			"HI1DomainVersion", "KeepAliveLIID", "KeepAliveInterval", "KeepAliveTimeout":
			ps.list[i].Rule += " (not public for Belgium: take it from the NTSU-CTIF's specification)"
		}
	}
	return p, ps.err()
}
