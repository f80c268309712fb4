package radius

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/provenance"
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
	// ErrMalformed: the packet breaks the encoding rules; the
	// *provenance.Problems it comes in lists every finding, each of which
	// wraps it.
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
	// Class holds the Class attributes, in order (RFC 2865 §5.25): what
	// the RADIUS server put in its Access-Accept for the NAS to return in
	// accounting, often the ISP's reference for the subscriber. Secret,
	// as the identity is.
	Class [][]byte
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

// whatRequest is what a *provenance.Problems of Parse says was judged.
const whatRequest = "radius: request"

// rfc returns the Source of an RFC citation such as "RFC 2866", "§5.13".
// ccjkit read RFC 2866 in its text (docs/intercept.md), except §5.2 and
// §5.3, which were not re-checked, so those citations are Verified; the
// other RFCs are cited as ccjkit reads them, confirmed by radclient and
// Wireshark rather than by their text, and are Unverified.
func rfc(instrument, article string) provenance.Source {
	src := provenance.Source{Instrument: instrument, Article: article}
	if instrument == "RFC 2866" && article != "§5.2" && article != "§5.3" {
		src.Certainty = provenance.Verified
	}
	return src
}

// overCollection is the Source of ccjkit's own rule that no session may
// hold an IPv6 prefix shorter than /32.
func overCollection() provenance.Source { return provenance.Rule("over-collection") }

// The attribute types read, with the RFC defining each.
const (
	attrUserName            = 1   // RFC 2865 §5.1
	attrUserPassword        = 2   // RFC 2865 §5.2
	attrCHAPPassword        = 3   // RFC 2865 §5.3
	attrNASIPAddress        = 4   // RFC 2865 §5.4
	attrFramedIPAddress     = 8   // RFC 2865 §5.8
	attrReplyMessage        = 18  // RFC 2865 §5.18
	attrState               = 24  // RFC 2865 §5.24
	attrClass               = 25  // RFC 2865 §5.25
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
	source, table provenance.Source
}

func ruleOf(t rad.Type) (attrRule, bool) {
	t2865, t2866, t2869, t3162 := rfc("RFC 2865", "§5.44"), rfc("RFC 2866", "§5.13"), rfc("RFC 2869", "§5.19"), rfc("RFC 3162", "§3")
	switch t {
	case attrUserName:
		return attrRule{"User-Name", true, false, rfc("RFC 2865", "§5.1"), t2865}, true
	case attrUserPassword:
		return attrRule{"User-Password", false, true, rfc("RFC 2865", "§5.2"), rfc("RFC 2866", "§4.1")}, true
	case attrCHAPPassword:
		return attrRule{"CHAP-Password", false, true, rfc("RFC 2865", "§5.3"), rfc("RFC 2866", "§4.1")}, true
	case attrReplyMessage:
		return attrRule{"Reply-Message", false, true, rfc("RFC 2865", "§5.18"), rfc("RFC 2866", "§4.1")}, true
	case attrState:
		return attrRule{"State", false, true, rfc("RFC 2865", "§5.24"), rfc("RFC 2866", "§4.1")}, true
	case attrClass:
		return attrRule{"Class", false, false, rfc("RFC 2865", "§5.25"), t2866}, true
	case attrNASIPAddress:
		return attrRule{"NAS-IP-Address", true, false, rfc("RFC 2865", "§5.4"), t2865}, true
	case attrFramedIPAddress:
		return attrRule{"Framed-IP-Address", true, false, rfc("RFC 2865", "§5.8"), t2865}, true
	case attrNASIdentifier:
		return attrRule{"NAS-Identifier", true, false, rfc("RFC 2865", "§5.32"), t2865}, true
	case attrNASPortType:
		return attrRule{"NAS-Port-Type", true, false, rfc("RFC 2865", "§5.41"), t2865}, true
	case attrAcctStatusType:
		return attrRule{"Acct-Status-Type", true, false, rfc("RFC 2866", "§5.1"), t2866}, true
	case attrAcctDelayTime:
		return attrRule{"Acct-Delay-Time", true, false, rfc("RFC 2866", "§5.2"), t2866}, true
	case attrAcctInputOctets:
		return attrRule{"Acct-Input-Octets", true, false, rfc("RFC 2866", "§5.3"), t2866}, true
	case attrAcctOutputOctets:
		return attrRule{"Acct-Output-Octets", true, false, rfc("RFC 2866", "§5.4"), t2866}, true
	case attrAcctSessionID:
		return attrRule{"Acct-Session-Id", true, false, rfc("RFC 2866", "§5.5"), t2866}, true
	case attrAcctSessionTime:
		return attrRule{"Acct-Session-Time", true, false, rfc("RFC 2866", "§5.7"), t2866}, true
	case attrAcctTerminateCause:
		return attrRule{"Acct-Terminate-Cause", true, false, rfc("RFC 2866", "§5.10"), t2866}, true
	case attrAcctInputGigawords:
		return attrRule{"Acct-Input-Gigawords", true, false, rfc("RFC 2869", "§5.1"), t2869}, true
	case attrAcctOutputGigawords:
		return attrRule{"Acct-Output-Gigawords", true, false, rfc("RFC 2869", "§5.2"), t2869}, true
	case attrEventTimestamp:
		return attrRule{"Event-Timestamp", true, false, rfc("RFC 2869", "§5.3"), t2869}, true
	case attrNASIPv6Address:
		return attrRule{"NAS-IPv6-Address", true, false, rfc("RFC 3162", "§2.1"), t3162}, true
	case attrFramedIPv6Prefix:
		return attrRule{"Framed-IPv6-Prefix", false, false, rfc("RFC 3162", "§2.3"), t3162}, true
	case attrDelegatedIPv6Prefix:
		return attrRule{"Delegated-IPv6-Prefix", false, false, rfc("RFC 4818", "§3"), rfc("RFC 4818", "§3")}, true
	case attrFramedIPv6Address:
		return attrRule{"Framed-IPv6-Address", false, false, rfc("RFC 6911", "§3.1"), rfc("RFC 6911", "§3.1")}, true
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
// with a *provenance.Problems (What "radius: request") listing every
// finding, each wrapping ErrMalformed, its Field the attribute's name
// ("packet" for the packet's own fields) and its Source the RFC section;
// no finding quotes a value.
func Parse(pkt, secret []byte, received time.Time, opts Options) (*Request, error) {
	p, err := readPacket(pkt, secret, opts)
	if err != nil {
		return nil, err
	}
	var d decoder
	var a attributes
	for _, avp := range p.Attributes {
		d.read(&a, avp)
	}
	d.requireMandatory(&a)
	if err := provenance.Check(whatRequest, d.findings); err != nil {
		return nil, err
	}
	r := &Request{
		Identifier:    p.Identifier,
		Authenticator: p.Authenticator,
		Status:        Status(a.status),
		NAS:           a.nasName(),
		Delay:         time.Duration(a.delay) * time.Second,
		Class:         a.class,
	}
	r.Event = a.event(r.Status, r.NAS, r.Delay, received, opts)
	return r, nil
}

// readPacket checks that pkt is an Accounting-Request, frames it, and
// verifies its Request Authenticator against secret unless opts says to
// skip it.
func readPacket(pkt, secret []byte, opts Options) (*rad.Packet, error) {
	if len(pkt) >= 1 && rad.Code(pkt[0]) != rad.CodeAccountingRequest {
		return nil, fmt.Errorf("%w: code %d", ErrNotAccounting, pkt[0])
	}
	p, err := rad.Parse(pkt, secret)
	if err != nil {
		var d decoder
		d.add("packet", "packet", strings.TrimPrefix(err.Error(), "radius: "), rfc("RFC 2865", "§3, §5"))
		return nil, provenance.Check(whatRequest, d.findings)
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
	return p, nil
}

// attributes holds what Parse read of a request's attributes.
type attributes struct {
	status                       uint32
	username, sessionID, nasID   string
	class                        [][]byte
	nasIP, nasIP6                netip.Addr
	addresses                    []netip.Prefix
	inOct, outOct, inGig, outGig uint32
	haveIn, haveOut              bool
	sessionTime                  uint32
	haveSessionTime              bool
	eventTime                    time.Time
	portType                     uint32
	havePortType                 bool
	delay                        uint32
	cause                        uint32
}

// read reads one attribute into a, if Parse reads its type, after
// checking that it may be present and how often.
func (d *decoder) read(a *attributes, avp *rad.AVP) {
	rule, known := ruleOf(avp.Type)
	if !known || !d.admit(rule, avp.Type) {
		return
	}
	v := avp.Attribute
	switch avp.Type {
	case attrUserName:
		if d.text(rule, v) {
			a.username = string(v)
		}
	case attrNASIdentifier:
		if d.text(rule, v) {
			a.nasID = string(v)
		}
	case attrAcctSessionID:
		if d.text(rule, v) {
			a.sessionID = string(v)
		}
	case attrClass:
		if d.text(rule, v) {
			a.class = append(a.class, bytes.Clone(v))
		}
	case attrAcctStatusType:
		a.status, _ = d.integer(rule, v)
	case attrAcctDelayTime:
		a.delay, _ = d.integer(rule, v)
	case attrAcctInputOctets:
		a.inOct, a.haveIn = d.integer(rule, v)
	case attrAcctOutputOctets:
		a.outOct, a.haveOut = d.integer(rule, v)
	case attrAcctInputGigawords:
		a.inGig, _ = d.integer(rule, v)
	case attrAcctOutputGigawords:
		a.outGig, _ = d.integer(rule, v)
	case attrAcctSessionTime:
		a.sessionTime, a.haveSessionTime = d.integer(rule, v)
	case attrAcctTerminateCause:
		a.cause, _ = d.integer(rule, v)
	case attrNASPortType:
		a.portType, a.havePortType = d.integer(rule, v)
	case attrEventTimestamp:
		if t, ok := d.integer(rule, v); ok {
			a.eventTime = time.Unix(int64(t), 0).UTC()
		}
	case attrNASIPAddress:
		a.nasIP, _ = d.ipv4(rule, v)
	case attrNASIPv6Address:
		a.nasIP6, _ = d.ipv6(rule, v)
	default:
		d.readAddress(a, rule, avp.Type, v)
	}
}

// admit counts an attribute of type t and reports whether it is to be
// read: a forbidden one is a finding (once), and so is the second of one
// that may be present only once.
func (d *decoder) admit(rule attrRule, t rad.Type) bool {
	if d.counts[t] < 255 {
		d.counts[t]++
	}
	if rule.forbidden {
		if d.counts[t] == 1 {
			d.add(rule.name, "forbidden", "must not be present in an Accounting-Request", rule.table)
		}
		return false
	}
	if rule.once && d.counts[t] > 1 {
		if d.counts[t] == 2 {
			d.add(rule.name, "once", "present more than once; at most one is allowed", rule.table)
		}
		return false
	}
	return true
}

// readAddress reads an attribute giving the session an address or prefix.
// Framed-IP-Address's 0.0.0.0, 255.255.255.254 and 255.255.255.255 are no
// address of the session (RFC 2865 §5.8).
func (d *decoder) readAddress(a *attributes, rule attrRule, t rad.Type, v rad.Attribute) {
	switch t {
	case attrFramedIPAddress:
		if ip, ok := d.ipv4(rule, v); ok && !ip.IsUnspecified() && ip != netip.AddrFrom4([4]byte{255, 255, 255, 255}) && ip != netip.AddrFrom4([4]byte{255, 255, 255, 254}) {
			a.addresses = append(a.addresses, netip.PrefixFrom(ip, 32))
		}
	case attrFramedIPv6Address:
		if ip, ok := d.ipv6(rule, v); ok {
			a.addresses = append(a.addresses, netip.PrefixFrom(ip, 128))
		}
	case attrFramedIPv6Prefix, attrDelegatedIPv6Prefix:
		if pfx, ok := d.prefix6(rule, v); ok {
			a.addresses = append(a.addresses, pfx)
		}
	}
}

// requireMandatory adds a finding for each required attribute missing:
// Acct-Status-Type, a session's Acct-Session-Id, and one attribute
// naming the NAS.
func (d *decoder) requireMandatory(a *attributes) {
	if d.counts[attrAcctStatusType] == 0 {
		d.add("Acct-Status-Type", "missing", "missing", rfc("RFC 2866", "§5.1, §5.13"))
	}
	if Status(a.status).IsSession() && d.counts[attrAcctSessionID] == 0 {
		d.add("Acct-Session-Id", "missing", "missing; every session's request carries one", rfc("RFC 2866", "§5.5, §5.13"))
	}
	if d.counts[attrNASIPAddress] == 0 && d.counts[attrNASIPv6Address] == 0 && d.counts[attrNASIdentifier] == 0 {
		d.add("NAS-IP-Address", "missing", "missing, and so are NAS-IPv6-Address and NAS-Identifier; one is required", rfc("RFC 2866", "§4.1"))
	}
}

// nasName names the NAS by the identifiers it sent, in the order
// NAS-IP-Address, NAS-IPv6-Address, NAS-Identifier (quoted).
func (a *attributes) nasName() string {
	var nas []string
	if a.nasIP.IsValid() {
		nas = append(nas, a.nasIP.String())
	}
	if a.nasIP6.IsValid() {
		nas = append(nas, a.nasIP6.String())
	}
	if a.nasID != "" {
		nas = append(nas, strconv.Quote(a.nasID))
	}
	return strings.Join(nas, " ")
}

// event builds the request's access event: for a session status, the
// session's identity, addresses, times, access type, end reason and
// counts; for the other statuses, its time only.
func (a *attributes) event(status Status, nas string, delay time.Duration, received time.Time, opts Options) intercept.AccessEvent {
	at := a.eventTime
	if at.IsZero() {
		at = received.UTC().Add(-delay)
	}
	typ, ok := status.AccessEventType()
	if !ok {
		return intercept.AccessEvent{Time: at}
	}
	ev := intercept.AccessEvent{
		Type:       typ,
		Time:       at,
		SessionID:  nas + " " + strconv.Quote(a.sessionID),
		Username:   a.username,
		Addresses:  a.addresses,
		Assignment: intercept.AssignmentDynamic,
		AccessType: opts.AccessType,
	}
	if a.havePortType {
		if t, ok := AccessTypeOf(a.portType); ok {
			ev.AccessType = t
		}
	}
	a.sessionTimes(&ev, status)
	a.octets(&ev)
	return ev
}

// sessionTimes sets the session's start (a Start's time, or the time less
// the Acct-Session-Time) and, for a Stop, its end and end reason.
func (a *attributes) sessionTimes(ev *intercept.AccessEvent, status Status) {
	switch {
	case status == StatusStart:
		ev.Start = ev.Time
	case a.haveSessionTime:
		ev.Start = ev.Time.Add(-time.Duration(a.sessionTime) * time.Second)
	}
	if status == StatusStop {
		ev.End = ev.Time
		ev.EndReason = EndReasonOf(a.cause)
	}
}

// octets sets the event's counts from the target's point of view: the
// NAS's input octets (with their Gigawords) are what the target sent.
func (a *attributes) octets(ev *intercept.AccessEvent) {
	if a.haveIn {
		v := uint64(a.inGig)<<32 | uint64(a.inOct)
		ev.OctetsSent = &v
	}
	if a.haveOut {
		v := uint64(a.outGig)<<32 | uint64(a.outOct)
		ev.OctetsReceived = &v
	}
}

// decoder collects findings while reading attributes.
type decoder struct {
	findings []provenance.Finding
	counts   [256]uint8 // per attribute type, saturating
}

// add records a finding about attribute attr: the rule's name, what is
// wrong (never the value) and where the rule is written. Each wraps
// ErrMalformed.
func (d *decoder) add(attr, rule, text string, src provenance.Source) {
	d.findings = append(d.findings, provenance.Finding{
		Rule:     rule,
		Severity: provenance.Error,
		Field:    attr,
		Source:   src,
		Err:      ErrMalformed,
		Message:  provenance.Text(text),
	})
}

func (d *decoder) text(r attrRule, a rad.Attribute) bool {
	if len(a) == 0 {
		d.add(r.name, "text", "empty; the value is one or more octets", r.source)
		return false
	}
	return true
}

func (d *decoder) integer(r attrRule, a rad.Attribute) (uint32, bool) {
	v, err := rad.Integer(a)
	if err != nil {
		d.add(r.name, "integer", fmt.Sprintf("is %d octets; an integer is 4", len(a)), r.source)
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
		d.add(r.name, "address", fmt.Sprintf("is %d octets; an IPv%d address is %d", len(a), v, size), r.source)
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
		d.add(r.name, "over-collection", fmt.Sprintf("prefix length %d is shorter than /%d: it would intercept far more than one subscriber", a[1], minPrefix6), overCollection())
		return netip.Prefix{}, false
	}
	if err != nil {
		d.add(r.name, "prefix", "not a valid IPv6 prefix: "+err.Error(), r.source)
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
