package radius

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept"
)

// The sentinels Parse's errors wrap.
var (
	// ErrNotAccounting: the packet is not an Accounting-Request (RFC 2866
	// §4.1, code 4).
	ErrNotAccounting = errors.New("radius: not an Accounting-Request (RFC 2866 §4.1, code 4)")
	// ErrNotAuthentic: the Request Authenticator does not match the shared
	// secret (RFC 2866 §3): the packet was forged, altered, or the secret
	// is wrong. RFC 2866 §4.1 has such a packet silently discarded.
	ErrNotAuthentic = errors.New("radius: Request Authenticator does not match the shared secret (RFC 2866 §3)")
	// ErrNoSecret: Parse was given no shared secret and not told to skip
	// the verification.
	ErrNoSecret = errors.New("radius: no shared secret to verify the Request Authenticator (RFC 2866 §3)")
	// ErrMalformed: the packet breaks the encoding rules; the *Error it
	// comes in lists every finding.
	ErrMalformed = errors.New("radius: malformed Accounting-Request")
)

// Status is the Acct-Status-Type of an Accounting-Request, RFC 2866 §5.1.
type Status uint32

// The status types of RFC 2866 §5.1. The values 9 to 14 are reserved
// there for tunnel accounting (RFC 2867) and 15 for failed attempts.
const (
	StatusStart         Status = 1
	StatusStop          Status = 2
	StatusInterimUpdate Status = 3 // Interim-Update: the session goes on
	StatusAccountingOn  Status = 7 // the NAS starts accounting, e.g. on boot
	StatusAccountingOff Status = 8 // the NAS stops accounting, e.g. before a reboot
	StatusFailed        Status = 15
)

// String returns the RFC's name, such as "Interim-Update".
func (s Status) String() string {
	switch s {
	case StatusStart:
		return "Start"
	case StatusStop:
		return "Stop"
	case StatusInterimUpdate:
		return "Interim-Update"
	case StatusAccountingOn:
		return "Accounting-On"
	case StatusAccountingOff:
		return "Accounting-Off"
	case StatusFailed:
		return "Failed"
	}
	if s >= 9 && s <= 14 {
		return fmt.Sprintf("Tunnel(%d)", uint32(s))
	}
	return fmt.Sprintf("Status(%d)", uint32(s))
}

// IsSession reports whether s is about one session (Start, Stop or
// Interim-Update) and so becomes an access event.
func (s Status) IsSession() bool {
	return s == StatusStart || s == StatusStop || s == StatusInterimUpdate
}

// IsNAS reports whether s is about the whole NAS (Accounting-On or
// Accounting-Off): every session the NAS had is gone.
func (s Status) IsNAS() bool { return s == StatusAccountingOn || s == StatusAccountingOff }

// AccessEventType returns the ETSI TS 102 232-3 accessEventType a session
// status becomes: Start is sessionStart, Stop is sessionEnd, Interim-Update
// is interimUpdate. ok is false for the other statuses.
//
// OpenLI reports an accounting Start as accessAccept and a Stop as
// accessEnd (its accessplugins/radius.c), folding authentication into
// accounting; an accounting tap sees no authentication, so ccjkit uses the
// session events ETSI defines for it.
func (s Status) AccessEventType() (intercept.AccessEventType, bool) {
	switch s {
	case StatusStart:
		return intercept.SessionStart, true
	case StatusStop:
		return intercept.SessionEnd, true
	case StatusInterimUpdate:
		return intercept.InterimUpdate, true
	}
	return 0, false
}

// Request is one Accounting-Request as Parse read it.
//
// It is case detail when it concerns a target: its String and the
// Event's LogValue hide the identity and addresses.
type Request struct {
	// Identifier and Authenticator are the packet's; with the sender's
	// address they tell a retransmission from a new request (RFC 2866
	// §4.1).
	Identifier    uint8
	Authenticator [16]byte
	// Status is the Acct-Status-Type.
	Status Status
	// NAS identifies the NAS that sent the request, from NAS-IP-Address,
	// NAS-IPv6-Address and NAS-Identifier (quoted as Go quotes strings),
	// those present joined by spaces in that order (RFC 2866 §4.1 requires
	// one of them).
	NAS string
	// Delay is the Acct-Delay-Time: how long the NAS had been trying to
	// send the request (RFC 2866 §5.2).
	Delay time.Duration
	// Event is the access event of a session status (Status.IsSession);
	// its SessionID is NAS and the quoted Acct-Session-Id joined with a
	// space, since an Acct-Session-Id is unique only within its NAS; the
	// quotes keep two sessions from sharing a name when identifiers hold
	// spaces. For the other statuses Event holds only Time.
	Event intercept.AccessEvent
}

// String hides the identity and addresses: only the status and the number
// of addresses show.
func (r *Request) String() string {
	return fmt.Sprintf("Accounting-Request %v with %d address(es) [secret]", r.Status, len(r.Event.Addresses))
}

// Options are the choices Parse leaves to the operator.
type Options struct {
	// SkipVerify accepts a packet without checking its Request
	// Authenticator. Only for a passive tap that does not know the shared
	// secret: anyone who can put a packet on the tapped link can then
	// forge access events. Leave it false wherever the secret is known.
	SkipVerify bool
	// AccessType is the access type reported when the request has no
	// NAS-Port-Type, or one with no ETSI counterpart (see AccessTypeOf),
	// for an ISP that knows what its access network is. Zero: not
	// reported.
	AccessType intercept.AccessType
}

// Finding is one way a request breaks the rules. It names the attribute
// and the rule, never the attribute's value.
type Finding struct {
	// Attribute is the attribute's name ("Acct-Session-Id"), or "packet"
	// for the packet's own fields.
	Attribute string
	// Rule says what is wrong.
	Rule string
	// Source is where the rule is written ("RFC 2866 §5.13").
	Source string
}

// String gives the attribute, the rule and its source.
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s (%s)", f.Attribute, f.Rule, f.Source)
}

// Error is a malformed request's every finding. It wraps ErrMalformed.
type Error struct {
	Findings []Finding
}

// Error lists every finding.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(ErrMalformed.Error())
	b.WriteString(": ")
	for i, f := range e.Findings {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Unwrap returns ErrMalformed.
func (e *Error) Unwrap() error { return ErrMalformed }

// The attribute types read, with the RFC defining each.
const (
	attrUserName            = 1   // RFC 2865 §5.1
	attrUserPassword        = 2   // RFC 2865 §5.2
	attrCHAPPassword        = 3   // RFC 2865 §5.3
	attrNASIPAddress        = 4   // RFC 2865 §5.4
	attrFramedIPAddress     = 8   // RFC 2865 §5.8
	attrReplyMessage        = 18  // RFC 2865 §5.18
	attrState               = 24  // RFC 2865 §5.24
	attrNASIdentifier       = 32  // RFC 2865 §5.32
	attrAcctStatusType      = 40  // RFC 2866 §5.1
	attrAcctDelayTime       = 41  // RFC 2866 §5.2
	attrAcctInputOctets     = 42  // RFC 2866 §5.3
	attrAcctOutputOctets    = 43  // RFC 2866 §5.4
	attrAcctSessionID       = 44  // RFC 2866 §5.5
	attrAcctSessionTime     = 46  // RFC 2866 §5.7
	attrAcctTerminateCause  = 49  // RFC 2866 §5.10
	attrAcctInputGigawords  = 52  // RFC 2869 §5.1
	attrAcctOutputGigawords = 53  // RFC 2869 §5.2
	attrEventTimestamp      = 55  // RFC 2869 §5.3
	attrNASPortType         = 61  // RFC 2865 §5.41
	attrNASIPv6Address      = 95  // RFC 3162 §2.1
	attrFramedIPv6Prefix    = 97  // RFC 3162 §2.3
	attrDelegatedIPv6Prefix = 123 // RFC 4818 §3
	attrFramedIPv6Address   = 168 // RFC 6911 §3.1
)

// attrRule is what Parse knows of one attribute type.
type attrRule struct {
	name string
	// once: at most one may be present (the RFCs' tables of attributes).
	once bool
	// forbidden in an Accounting-Request (RFC 2866 §4.1).
	forbidden bool
	// source is the RFC section defining the attribute; table the one
	// limiting its count.
	source, table string
}

func ruleOf(t rad.Type) (attrRule, bool) {
	const t2865, t2866, t2869, t3162 = "RFC 2865 §5.44", "RFC 2866 §5.13", "RFC 2869 §5.19", "RFC 3162 §3"
	switch t {
	case attrUserName:
		return attrRule{"User-Name", true, false, "RFC 2865 §5.1", t2865}, true
	case attrUserPassword:
		return attrRule{"User-Password", false, true, "RFC 2865 §5.2", "RFC 2866 §4.1"}, true
	case attrCHAPPassword:
		return attrRule{"CHAP-Password", false, true, "RFC 2865 §5.3", "RFC 2866 §4.1"}, true
	case attrReplyMessage:
		return attrRule{"Reply-Message", false, true, "RFC 2865 §5.18", "RFC 2866 §4.1"}, true
	case attrState:
		return attrRule{"State", false, true, "RFC 2865 §5.24", "RFC 2866 §4.1"}, true
	case attrNASIPAddress:
		return attrRule{"NAS-IP-Address", true, false, "RFC 2865 §5.4", t2865}, true
	case attrFramedIPAddress:
		return attrRule{"Framed-IP-Address", true, false, "RFC 2865 §5.8", t2865}, true
	case attrNASIdentifier:
		return attrRule{"NAS-Identifier", true, false, "RFC 2865 §5.32", t2865}, true
	case attrNASPortType:
		return attrRule{"NAS-Port-Type", true, false, "RFC 2865 §5.41", t2865}, true
	case attrAcctStatusType:
		return attrRule{"Acct-Status-Type", true, false, "RFC 2866 §5.1", t2866}, true
	case attrAcctDelayTime:
		return attrRule{"Acct-Delay-Time", true, false, "RFC 2866 §5.2", t2866}, true
	case attrAcctInputOctets:
		return attrRule{"Acct-Input-Octets", true, false, "RFC 2866 §5.3", t2866}, true
	case attrAcctOutputOctets:
		return attrRule{"Acct-Output-Octets", true, false, "RFC 2866 §5.4", t2866}, true
	case attrAcctSessionID:
		return attrRule{"Acct-Session-Id", true, false, "RFC 2866 §5.5", t2866}, true
	case attrAcctSessionTime:
		return attrRule{"Acct-Session-Time", true, false, "RFC 2866 §5.7", t2866}, true
	case attrAcctTerminateCause:
		return attrRule{"Acct-Terminate-Cause", true, false, "RFC 2866 §5.10", t2866}, true
	case attrAcctInputGigawords:
		return attrRule{"Acct-Input-Gigawords", true, false, "RFC 2869 §5.1", t2869}, true
	case attrAcctOutputGigawords:
		return attrRule{"Acct-Output-Gigawords", true, false, "RFC 2869 §5.2", t2869}, true
	case attrEventTimestamp:
		return attrRule{"Event-Timestamp", true, false, "RFC 2869 §5.3", t2869}, true
	case attrNASIPv6Address:
		return attrRule{"NAS-IPv6-Address", true, false, "RFC 3162 §2.1", t3162}, true
	case attrFramedIPv6Prefix:
		return attrRule{"Framed-IPv6-Prefix", false, false, "RFC 3162 §2.3", t3162}, true
	case attrDelegatedIPv6Prefix:
		return attrRule{"Delegated-IPv6-Prefix", false, false, "RFC 4818 §3", "RFC 4818 §3"}, true
	case attrFramedIPv6Address:
		return attrRule{"Framed-IPv6-Address", false, false, "RFC 6911 §3.1", "RFC 6911 §3.1"}, true
	}
	return attrRule{}, false
}

// Parse reads one Accounting-Request (RFC 2866 §4.1): it checks the
// Request Authenticator against secret (unless opts.SkipVerify), then
// reads the attributes an access event needs. received is when the packet
// arrived, from the caller's clock or the capture's timestamp.
//
// The event's time is the Event-Timestamp when the NAS sent one (RFC 2869
// §5.3), else received less the Acct-Delay-Time (RFC 2866 §5.2). A Start
// sets the session's start to that time; a Stop or Interim-Update with an
// Acct-Session-Time sets it to that time less the session time, and a
// Stop sets the session's end. Octet counts join the Acct-*-Octets with
// their Gigawords (RFC 2869 §5.1–5.2); the NAS counts from its port, so
// its input octets are what the target sent. Addresses come from
// Framed-IP-Address, Framed-IPv6-Prefix, Delegated-IPv6-Prefix and
// Framed-IPv6-Address; Framed-IP-Address's values 255.255.255.255 and
// 255.255.255.254 ask the NAS or the user to choose one (RFC 2865 §5.8)
// and 0.0.0.0 is none, so they are not addresses of the session. The
// addresses are reported as dynamically assigned: accounting gives them
// per session, and RADIUS has no attribute saying otherwise (ccjkit's
// reading; a static subscriber is better given a pipeline.Static session).
//
// Attributes Parse does not read are ignored, as RFC 2865 §5 allows a
// server to (vendors add many). The ones it reads must be well formed and,
// where the RFCs' tables say so, present at most once; User-Password,
// CHAP-Password, Reply-Message and State must not be present (RFC 2866
// §4.1); a session status needs its Acct-Session-Id (RFC 2866 §5.5) and
// every request a NAS-IP-Address, NAS-IPv6-Address or NAS-Identifier
// (RFC 2866 §4.1). An IPv6 prefix shorter than /32 is refused too: that
// rule is ccjkit's, not the RFCs', since taking it would intercept far
// more than one subscriber. A request that breaks any of these is refused
// with an *Error listing every finding; no finding quotes a value.
func Parse(pkt, secret []byte, received time.Time, opts Options) (*Request, error) {
	if len(pkt) >= 1 && rad.Code(pkt[0]) != rad.CodeAccountingRequest {
		return nil, fmt.Errorf("%w: code %d", ErrNotAccounting, pkt[0])
	}
	p, err := rad.Parse(pkt, secret)
	if err != nil {
		return nil, &Error{Findings: []Finding{{Attribute: "packet", Rule: strings.TrimPrefix(err.Error(), "radius: "), Source: "RFC 2865 §3, §5"}}}
	}
	pkt = whole(pkt)
	if !opts.SkipVerify {
		if len(secret) == 0 {
			return nil, ErrNoSecret
		}
		if !rad.IsAuthenticRequest(pkt, secret) {
			return nil, ErrNotAuthentic
		}
	}
	r := &Request{Identifier: p.Identifier, Authenticator: p.Authenticator}
	var d decoder
	var (
		status                       uint32
		sessionID, nasID             string
		nasIP, nasIP6                netip.Addr
		inOct, outOct, inGig, outGig uint32
		haveIn, haveOut              bool
		sessionTime                  uint32
		haveSessionTime              bool
		eventTime                    time.Time
		portType                     uint32
		havePortType                 bool
		delay                        uint32
		cause                        uint32
	)
	ev := &r.Event
	for _, avp := range p.Attributes {
		rule, known := ruleOf(avp.Type)
		if !known {
			continue
		}
		if d.counts[avp.Type] < 255 {
			d.counts[avp.Type]++
		}
		if rule.forbidden {
			if d.counts[avp.Type] == 1 {
				d.add(rule.name, "must not be present in an Accounting-Request", rule.table)
			}
			continue
		}
		if rule.once && d.counts[avp.Type] > 1 {
			if d.counts[avp.Type] == 2 {
				d.add(rule.name, "present more than once; at most one is allowed", rule.table)
			}
			continue
		}
		a := avp.Attribute
		switch avp.Type {
		case attrUserName:
			if d.text(rule, a) {
				ev.Username = string(a)
			}
		case attrNASIdentifier:
			if d.text(rule, a) {
				nasID = string(a)
			}
		case attrAcctSessionID:
			if d.text(rule, a) {
				sessionID = string(a)
			}
		case attrAcctStatusType:
			status, _ = d.integer(rule, a)
		case attrAcctDelayTime:
			delay, _ = d.integer(rule, a)
		case attrAcctInputOctets:
			inOct, haveIn = d.integer(rule, a)
		case attrAcctOutputOctets:
			outOct, haveOut = d.integer(rule, a)
		case attrAcctInputGigawords:
			inGig, _ = d.integer(rule, a)
		case attrAcctOutputGigawords:
			outGig, _ = d.integer(rule, a)
		case attrAcctSessionTime:
			sessionTime, haveSessionTime = d.integer(rule, a)
		case attrAcctTerminateCause:
			cause, _ = d.integer(rule, a)
		case attrNASPortType:
			portType, havePortType = d.integer(rule, a)
		case attrEventTimestamp:
			if v, ok := d.integer(rule, a); ok {
				eventTime = time.Unix(int64(v), 0).UTC()
			}
		case attrNASIPAddress:
			nasIP, _ = d.ipv4(rule, a)
		case attrFramedIPAddress:
			if ip, ok := d.ipv4(rule, a); ok && !ip.IsUnspecified() && ip != netip.AddrFrom4([4]byte{255, 255, 255, 255}) && ip != netip.AddrFrom4([4]byte{255, 255, 255, 254}) {
				ev.Addresses = append(ev.Addresses, netip.PrefixFrom(ip, 32))
			}
		case attrNASIPv6Address:
			nasIP6, _ = d.ipv6(rule, a)
		case attrFramedIPv6Address:
			if ip, ok := d.ipv6(rule, a); ok {
				ev.Addresses = append(ev.Addresses, netip.PrefixFrom(ip, 128))
			}
		case attrFramedIPv6Prefix, attrDelegatedIPv6Prefix:
			if pfx, ok := d.prefix6(rule, a); ok {
				ev.Addresses = append(ev.Addresses, pfx)
			}
		}
	}
	r.Status = Status(status)
	if d.counts[attrAcctStatusType] == 0 {
		d.add("Acct-Status-Type", "missing", "RFC 2866 §5.1, §5.13")
	}
	if r.Status.IsSession() && d.counts[attrAcctSessionID] == 0 {
		d.add("Acct-Session-Id", "missing; every session's request carries one", "RFC 2866 §5.5, §5.13")
	}
	var nas []string
	if nasIP.IsValid() {
		nas = append(nas, nasIP.String())
	}
	if nasIP6.IsValid() {
		nas = append(nas, nasIP6.String())
	}
	if nasID != "" {
		nas = append(nas, strconv.Quote(nasID))
	}
	if d.counts[attrNASIPAddress] == 0 && d.counts[attrNASIPv6Address] == 0 && d.counts[attrNASIdentifier] == 0 {
		d.add("NAS-IP-Address", "missing, and so are NAS-IPv6-Address and NAS-Identifier; one is required", "RFC 2866 §4.1")
	}
	if len(d.findings) > 0 {
		return nil, &Error{Findings: d.findings}
	}
	r.NAS = strings.Join(nas, " ")
	r.Delay = time.Duration(delay) * time.Second
	ev.Time = eventTime
	if ev.Time.IsZero() {
		ev.Time = received.UTC().Add(-r.Delay)
	}
	typ, ok := r.Status.AccessEventType()
	if !ok {
		r.Event = intercept.AccessEvent{Time: ev.Time}
		return r, nil
	}
	ev.Type = typ
	ev.SessionID = r.NAS + " " + strconv.Quote(sessionID)
	ev.Assignment = intercept.AssignmentDynamic
	ev.AccessType = opts.AccessType
	if havePortType {
		if at, ok := AccessTypeOf(portType); ok {
			ev.AccessType = at
		}
	}
	switch {
	case r.Status == StatusStart:
		ev.Start = ev.Time
	case haveSessionTime:
		ev.Start = ev.Time.Add(-time.Duration(sessionTime) * time.Second)
	}
	if r.Status == StatusStop {
		ev.End = ev.Time
		ev.EndReason = EndReasonOf(cause)
	}
	if haveIn {
		v := uint64(inGig)<<32 | uint64(inOct)
		ev.OctetsSent = &v
	}
	if haveOut {
		v := uint64(outGig)<<32 | uint64(outOct)
		ev.OctetsReceived = &v
	}
	return r, nil
}

// decoder collects findings while reading attributes.
type decoder struct {
	findings []Finding
	counts   [256]uint8 // per attribute type, saturating
}

func (d *decoder) add(attr, rule, source string) {
	d.findings = append(d.findings, Finding{Attribute: attr, Rule: rule, Source: source})
}

func (d *decoder) text(r attrRule, a rad.Attribute) bool {
	if len(a) == 0 {
		d.add(r.name, "empty; the value is one or more octets", r.source)
		return false
	}
	return true
}

func (d *decoder) integer(r attrRule, a rad.Attribute) (uint32, bool) {
	v, err := rad.Integer(a)
	if err != nil {
		d.add(r.name, fmt.Sprintf("is %d octets; an integer is 4", len(a)), r.source)
		return 0, false
	}
	return v, true
}

func (d *decoder) ipv4(r attrRule, a rad.Attribute) (netip.Addr, bool) { return d.address(r, a, 4) }

func (d *decoder) ipv6(r attrRule, a rad.Attribute) (netip.Addr, bool) { return d.address(r, a, 16) }

// address reads an IPv4 (size 4) or IPv6 (size 16) address attribute.
func (d *decoder) address(r attrRule, a rad.Attribute, size int) (netip.Addr, bool) {
	if len(a) != size {
		v := 4
		if size == 16 {
			v = 6
		}
		d.add(r.name, fmt.Sprintf("is %d octets; an IPv%d address is %d", len(a), v, size), r.source)
		return netip.Addr{}, false
	}
	addr, _ := netip.AddrFromSlice(a)
	return addr, true
}

func (d *decoder) prefix6(r attrRule, a rad.Attribute) (netip.Prefix, bool) {
	// layeh's reader checks the length (2 to 18 octets), the prefix
	// length (at most 128) and that no bit beyond it is set; RFC 3162
	// §2.3 also has the reserved octet zero and the Prefix field hold
	// every octet the prefix length covers.
	n, err := rad.IPv6Prefix(a)
	switch {
	case err != nil:
	case a[0] != 0:
		err = errors.New("reserved octet is not zero")
	case len(a)-2 < (int(a[1])+7)/8:
		err = errors.New("prefix field shorter than its prefix length")
	case int(a[1]) < minPrefix6:
		// Not the RFC's rule but ccjkit's: no subscriber holds a prefix
		// as wide as a whole ISP's allocation, and taking one would
		// intercept everybody in it.
		d.add(r.name, fmt.Sprintf("prefix length %d is shorter than /%d: it would intercept far more than one subscriber", a[1], minPrefix6), "ccjkit's over-collection rule")
		return netip.Prefix{}, false
	}
	if err != nil {
		d.add(r.name, "not a valid IPv6 prefix: "+err.Error(), r.source)
		return netip.Prefix{}, false
	}
	ones, _ := n.Mask.Size()
	addr, _ := netip.AddrFromSlice(n.IP.To16())
	return netip.PrefixFrom(addr, ones), true
}

// minPrefix6 is the shortest IPv6 prefix a session may hold: /32, the
// size of a whole ISP's usual allocation. A NAS reporting a shorter one is
// misconfigured; taking it would attribute everybody's traffic in it to one
// subscriber.
const minPrefix6 = 32

// AccessTypeOf returns the ETSI TS 102 232-3 internetAccessType of a
// NAS-Port-Type (RFC 2865 §5.41). Only the port types whose medium is
// plain map: Async, Sync and the ISDN types are dialup; SDSL, ADSL-CAP,
// ADSL-DMT, IDSL and xDSL are xDSL; Cable is cableModem; Ethernet is LAN;
// Wireless-802.11 is wirelessLAN; Wireless-Other is wirelessOther. The
// others — Virtual (a tunnel such as a VPN), the PPPoE-over types of RFC
// 4603, X.25 — say nothing of the access medium, and ok is false
// (Options.AccessType then applies).
func AccessTypeOf(nasPortType uint32) (t intercept.AccessType, ok bool) {
	switch nasPortType {
	case 0, 1, 2, 3, 4: // Async, Sync, ISDN Sync, ISDN Async V.120, ISDN Async V.110
		return intercept.AccessDialup, true
	case 11, 12, 13, 14, 16: // SDSL, ADSL-CAP, ADSL-DMT, IDSL, xDSL
		return intercept.AccessXDSL, true
	case 15: // Ethernet
		return intercept.AccessLAN, true
	case 17: // Cable
		return intercept.AccessCableModem, true
	case 18: // Wireless - Other
		return intercept.AccessWirelessOther, true
	case 19: // Wireless - IEEE 802.11
		return intercept.AccessWirelessLAN, true
	}
	return 0, false
}

// EndReasonOf returns the ETSI TS 102 232-3 endReason of an
// Acct-Terminate-Cause (RFC 2866 §5.10): User-Request is regular;
// Lost-Carrier and Lost-Service are connectionLoss; Idle-Timeout and
// Session-Timeout are connectionTimeout. The other causes (administrative
// resets, NAS errors and reboots, port events) have no ETSI counterpart
// and give 0, the absent field; so does 0 itself.
func EndReasonOf(cause uint32) intercept.EndReason {
	switch cause {
	case 1: // User-Request
		return intercept.EndRegular
	case 2, 3: // Lost-Carrier, Lost-Service
		return intercept.EndConnectionLoss
	case 4, 5: // Idle-Timeout, Session-Timeout
		return intercept.EndConnectionTimeout
	}
	return 0
}

// whole returns the packet its Length field covers: the octets beyond it
// are padding, to be ignored (RFC 2866 §3), and the authenticator does not
// cover them. A packet whose Length is out of range is returned as it is.
func whole(pkt []byte) []byte {
	if len(pkt) < 20 {
		return pkt
	}
	if n := int(binary.BigEndian.Uint16(pkt[2:4])); n >= 20 && n <= len(pkt) {
		return pkt[:n]
	}
	return pkt
}
