package intercept

import (
	"fmt"
	"time"

	"github.com/ccjkit/ccjkit/internal/asn1text"
	"github.com/ccjkit/ccjkit/provenance"
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
// *provenance.Problems (What "intercept: profile") listing every rule not
// met, or nil. Each finding wraps ErrProfile.
func (p *Profile) Validate() error {
	var c checker
	p.check(&c)
	return c.err(whatProfile)
}

// check adds a finding for each choice that is missing or impossible.
func (p *Profile) check(c *checker) {
	p.checkCountries(c)
	p.checkIdentifiers(c)
	p.checkVersions(c)
	p.checkKeepAlives(c)
}

// checkCountries checks the two optional country codes.
func (p *Profile) checkCountries(c *checker) {
	for _, f := range []struct {
		field, v string
		src      provenance.Source
	}{
		{"AuthorizationCountry", p.AuthorizationCountry, etsiField("TS 102 232-1", "PSHeader authorizationCountryCode [2]")},
		{"DeliveryCountry", p.DeliveryCountry, etsiField("TS 102 232-1", "CommunicationIdentifier deliveryCountryCode [2]")},
	} {
		if f.v != "" && (len(f.v) != 2 || !isUpper(f.v[0]) || !isUpper(f.v[1])) {
			c.add("profile-country", f.src, f.field, ErrProfile, "a country code is two capital letters (ISO 3166-1 alpha-2)")
		}
	}
}

// checkIdentifiers checks the operator's and equipment's identifiers:
// their lengths and the interception point's characters.
func (p *Profile) checkIdentifiers(c *checker) {
	for _, f := range []struct {
		field, v string
		lo, hi   int
		assigned bool // the receiver assigns it
		src      provenance.Source
	}{
		{"OperatorID", p.OperatorID, 1, 16, true, etsiField("TS 102 232-1", "NetworkIdentifier operatorIdentifier [0]")},
		{"NetworkElementID", p.NetworkElementID, 0, 16, false, etsiField("TS 102 232-1", "NetworkIdentifier networkElementIdentifier [1]")},
		{"HI1OperatorID", p.HI1OperatorID, 1, 5, true, etsiField("TS 101 671", "HI1NotificationOperations operator-Identifier")},
		{"InterceptionPointID", p.InterceptionPointID, 0, 8, false, etsiField("TS 102 232-1", "PSHeader interceptionPointID [6]")},
	} {
		switch {
		case len(f.v) >= f.lo && len(f.v) <= f.hi:
		case f.assigned:
			c.choice("profile-identifier", f.src, f.field, "%d to %d octets, not %d", f.lo, f.hi, len(f.v))
		default:
			c.add("profile-identifier", f.src, f.field, ErrProfile, "%d to %d octets, not %d", f.lo, f.hi, len(f.v))
		}
	}
	if !isPrintableString(p.InterceptionPointID) {
		c.add("profile-identifier", etsiField("TS 102 232-1", "PSHeader interceptionPointID [6]"), "InterceptionPointID", ErrProfile, "only the characters of ASN.1 PrintableString")
	}
}

// checkVersions checks the timestamp form and the module versions, which
// the receiver chooses.
func (p *Profile) checkVersions(c *checker) {
	if p.Timestamps != Microseconds && p.Timestamps != GeneralizedTime {
		c.choice("profile-timestamp", etsiField("TS 102 232-1", "PSHeader timeStamp [5] or microSecondTimeStamp [7]"), "Timestamps", "choose Microseconds or GeneralizedTime, as the receiver expects")
	}
	if p.PSDomainVersion == 0 {
		c.choice("profile-version", etsiField("TS 102 232-1", "PSHeader li-psDomainId [0]"), "PSDomainVersion", "the LI-PS-PDU module version the receiver expects is required")
	}
	if p.IPAccessVersion == 0 {
		c.choice("profile-version", etsiField("TS 102 232-3", "IPAccessPDU module"), "IPAccessVersion", "the IPAccessPDU module version the receiver expects is required")
	}
	if p.HI1DomainVersion == 0 {
		c.choice("profile-version", etsiField("TS 101 671", "HI1NotificationOperations module"), "HI1DomainVersion", "the HI1NotificationOperations module version the receiver expects is required")
	}
}

// checkKeepAlives checks the keep-alives' LIID and timings.
func (p *Profile) checkKeepAlives(c *checker) {
	if !p.KeepAliveLIID.IsValid() {
		c.choice("profile-keepalive", etsiField("TS 102 232-1", "PSHeader lawfulInterceptionIdentifier [1]"), "KeepAliveLIID", "the LIID written in keep-alives is required")
	}
	if p.KeepAliveInterval <= 0 {
		c.choice("profile-keepalive", provenance.Rule("profile-keepalive"), "KeepAliveInterval", "must be positive")
	}
	if p.KeepAliveTimeout <= 0 {
		c.choice("profile-keepalive", provenance.Rule("profile-keepalive"), "KeepAliveTimeout", "must be positive")
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
	c := checker{note: " (not public for Belgium: take it from the NTSU-CTIF's specification)"}
	for _, f := range []struct{ field, v string }{
		{"AuthorizationCountry", p.AuthorizationCountry},
		{"DeliveryCountry", p.DeliveryCountry},
	} {
		if f.v != "" && f.v != BelgianCountry {
			c.add("profile-belgium", provenance.Rule("profile-belgium"), f.field, ErrProfile, "a Belgian order is authorised in and delivered to Belgium (BE)")
		}
	}
	p.AuthorizationCountry, p.DeliveryCountry = BelgianCountry, BelgianCountry
	p.check(&c)
	return p, c.err(whatProfile)
}
