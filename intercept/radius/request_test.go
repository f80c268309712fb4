package radius_test

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/language"
	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/provenance"
)

const secret = "s3cret-shared"

// at is 2 November 2026, 10:14 in Brussels (09:14 UTC).
var at = time.Date(2026, 11, 2, 9, 14, 0, 0, time.UTC)

// attr is one attribute to put in a test packet.
type attr struct {
	t rad.Type
	v []byte
}

func str(t rad.Type, s string) attr { return attr{t, []byte(s)} }
func u32(t rad.Type, v uint32) attr { return attr{t, binary.BigEndian.AppendUint32(nil, v)} }
func ip(t rad.Type, s string) attr  { return attr{t, netip.MustParseAddr(s).AsSlice()} }
func pfx(t rad.Type, s string) attr {
	p := netip.MustParsePrefix(s)
	b := append([]byte{0, byte(p.Bits())}, p.Addr().AsSlice()[:(p.Bits()+7)/8]...)
	return attr{t, b}
}

// The attribute types the tests use (RFC 2865, 2866, 2869, 3162, 4818, 6911).
const (
	tUserName       rad.Type = 1
	tUserPassword   rad.Type = 2
	tNASIP          rad.Type = 4
	tFramedIP       rad.Type = 8
	tNASIdentifier  rad.Type = 32
	tStatus         rad.Type = 40
	tDelay          rad.Type = 41
	tInOctets       rad.Type = 42
	tOutOctets      rad.Type = 43
	tSessionID      rad.Type = 44
	tSessionTime    rad.Type = 46
	tTerminate      rad.Type = 49
	tInGigawords    rad.Type = 52
	tOutGigawords   rad.Type = 53
	tEventTimestamp rad.Type = 55
	tNASPortType    rad.Type = 61
	tNASIPv6        rad.Type = 95
	tFramedPrefix6  rad.Type = 97
	tDelegated6     rad.Type = 123
	tFramedIPv6     rad.Type = 168
	tVendor         rad.Type = 26
)

// tb is what packet needs of a *testing.T, *testing.F or *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

// packet encodes an Accounting-Request with its authenticator.
func packet(t tb, key string, id byte, attrs ...attr) []byte {
	t.Helper()
	p := &rad.Packet{Code: rad.CodeAccountingRequest, Identifier: id, Secret: []byte(key)}
	for _, a := range attrs {
		p.Add(a.t, a.v)
	}
	b, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// base is a well-formed Start for user alice from NAS 192.0.2.1.
func base(status uint32, more ...attr) []attr {
	return append([]attr{
		u32(tStatus, status),
		str(tSessionID, "0000A1B2"),
		str(tUserName, "alice@neutrinet.example"),
		ip(tNASIP, "192.0.2.1"),
	}, more...)
}

func u64(v uint64) *uint64 { return &v }

func TestParse(t *testing.T) {
	const sid = `192.0.2.1 "0000A1B2"`
	tests := []struct {
		name  string
		attrs []attr
		opts  radius.Options
		want  radius.Request
	}{
		{
			name:  "start with an IPv4 address, no Event-Timestamp: arrival less Acct-Delay-Time",
			attrs: base(1, ip(tFramedIP, "198.51.100.7"), u32(tDelay, 3), u32(tNASPortType, 15)),
			want: radius.Request{Status: radius.StatusStart, NAS: "192.0.2.1", Delay: 3 * time.Second,
				Event: intercept.AccessEvent{Type: intercept.SessionStart, Time: at.Add(-3 * time.Second), SessionID: sid,
					Username: "alice@neutrinet.example", Addresses: []netip.Prefix{netip.MustParsePrefix("198.51.100.7/32")},
					Assignment: intercept.AssignmentDynamic, AccessType: intercept.AccessLAN, Start: at.Add(-3 * time.Second)}},
		},
		{
			name: "dual-stack start with Event-Timestamp, prefixes and an IPv6 address",
			attrs: base(1, ip(tFramedIP, "198.51.100.7"), pfx(tFramedPrefix6, "2001:db8:10::/64"),
				pfx(tDelegated6, "2001:db8:ff00::/56"), ip(tFramedIPv6, "2001:db8:10::1"),
				u32(tEventTimestamp, uint32(at.Add(-time.Minute).Unix())), u32(tDelay, 9)),
			want: radius.Request{Status: radius.StatusStart, NAS: "192.0.2.1", Delay: 9 * time.Second,
				Event: intercept.AccessEvent{Type: intercept.SessionStart, Time: at.Add(-time.Minute), SessionID: sid,
					Username: "alice@neutrinet.example", Addresses: []netip.Prefix{
						netip.MustParsePrefix("198.51.100.7/32"), netip.MustParsePrefix("2001:db8:10::/64"),
						netip.MustParsePrefix("2001:db8:ff00::/56"), netip.MustParsePrefix("2001:db8:10::1/128")},
					Assignment: intercept.AssignmentDynamic, Start: at.Add(-time.Minute)}},
		},
		{
			name:  "interim update: start is the event time less Acct-Session-Time; octets with gigawords, target's view",
			attrs: base(3, u32(tSessionTime, 3600), u32(tInOctets, 5), u32(tInGigawords, 2), u32(tOutOctets, 7), u32(tNASPortType, 16)),
			want: radius.Request{Status: radius.StatusInterimUpdate, NAS: "192.0.2.1",
				Event: intercept.AccessEvent{Type: intercept.InterimUpdate, Time: at, SessionID: sid,
					Username: "alice@neutrinet.example", Assignment: intercept.AssignmentDynamic, AccessType: intercept.AccessXDSL,
					Start: at.Add(-time.Hour), OctetsSent: u64(2<<32 | 5), OctetsReceived: u64(7)}},
		},
		{
			name:  "stop: end time and end reason",
			attrs: base(2, u32(tSessionTime, 60), u32(tTerminate, 2)),
			want: radius.Request{Status: radius.StatusStop, NAS: "192.0.2.1",
				Event: intercept.AccessEvent{Type: intercept.SessionEnd, Time: at, SessionID: sid,
					Username: "alice@neutrinet.example", Assignment: intercept.AssignmentDynamic,
					Start: at.Add(-time.Minute), End: at, EndReason: intercept.EndConnectionLoss}},
		},
		{
			name:  "stop with a cause ETSI has no word for: end reason absent",
			attrs: base(2, u32(tTerminate, 11)),
			want: radius.Request{Status: radius.StatusStop, NAS: "192.0.2.1",
				Event: intercept.AccessEvent{Type: intercept.SessionEnd, Time: at, SessionID: sid,
					Username: "alice@neutrinet.example", Assignment: intercept.AssignmentDynamic, End: at}},
		},
		{
			name:  "Framed-IP-Address values that are not addresses are left out (RFC 2865 §5.8)",
			attrs: base(3, ip(tFramedIP, "255.255.255.254")),
			want: radius.Request{Status: radius.StatusInterimUpdate, NAS: "192.0.2.1",
				Event: intercept.AccessEvent{Type: intercept.InterimUpdate, Time: at, SessionID: sid,
					Username: "alice@neutrinet.example", Assignment: intercept.AssignmentDynamic}},
		},
		{
			name:  "Virtual port (a VPN): the operator's access type applies",
			attrs: base(3, u32(tNASPortType, 5)),
			opts:  radius.Options{AccessType: intercept.AccessFTTx},
			want: radius.Request{Status: radius.StatusInterimUpdate, NAS: "192.0.2.1",
				Event: intercept.AccessEvent{Type: intercept.InterimUpdate, Time: at, SessionID: sid,
					Username: "alice@neutrinet.example", Assignment: intercept.AssignmentDynamic, AccessType: intercept.AccessFTTx}},
		},
		{
			name: "the NAS by every identity it gives, in a fixed order; vendor attributes ignored",
			attrs: []attr{str(tNASIdentifier, "bras-1"), u32(tStatus, 3), ip(tNASIPv6, "2001:db8::1"),
				str(tSessionID, "77"), ip(tNASIP, "192.0.2.1"), {tVendor, []byte{0, 0, 0x0d, 0xe9, 1, 3, 'x'}}},
			want: radius.Request{Status: radius.StatusInterimUpdate, NAS: `192.0.2.1 2001:db8::1 "bras-1"`,
				Event: intercept.AccessEvent{Type: intercept.InterimUpdate, Time: at, SessionID: `192.0.2.1 2001:db8::1 "bras-1" "77"`,
					Assignment: intercept.AssignmentDynamic}},
		},
		{
			name:  "Accounting-On: no session needed, no event but its time",
			attrs: []attr{u32(tStatus, 7), str(tNASIdentifier, "bras-1")},
			want:  radius.Request{Status: radius.StatusAccountingOn, NAS: `"bras-1"`, Event: intercept.AccessEvent{Time: at}},
		},
		{
			name:  "a tunnel status is read, with no event",
			attrs: []attr{u32(tStatus, 9), str(tNASIdentifier, "bras-1")},
			want:  radius.Request{Status: radius.Status(9), NAS: `"bras-1"`, Event: intercept.AccessEvent{Time: at}},
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := packet(t, secret, byte(i), tt.attrs...)
			got, err := radius.Parse(pkt, []byte(secret), at, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Identifier = byte(i)
			copy(tt.want.Authenticator[:], pkt[4:20])
			if d := cmp.Diff(&tt.want, got, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Prefix{})); d != "" {
				t.Errorf("Parse (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	good := packet(t, secret, 1, base(1)...)
	tests := []struct {
		name   string
		pkt    []byte
		key    []byte
		opts   radius.Options
		is     error
		attrs  []string // the findings' attributes, in order
		source string   // a source every finding... the first finding cites
	}{
		{name: "an Access-Request", pkt: append([]byte{1}, good[1:]...), key: []byte(secret), is: radius.ErrNotAccounting},
		{name: "wrong secret", pkt: good, key: []byte("other"), is: radius.ErrNotAuthentic},
		{name: "one altered octet", pkt: func() []byte { b := append([]byte(nil), good...); b[len(b)-1] ^= 1; return b }(), key: []byte(secret), is: radius.ErrNotAuthentic},
		{name: "no secret and no SkipVerify", pkt: good, is: radius.ErrNoSecret},
		{name: "shorter than a header", pkt: good[:19], key: []byte(secret), is: radius.ErrMalformed, attrs: []string{"packet"}},
		{name: "length field beyond the datagram", pkt: func() []byte {
			b := append([]byte(nil), good...)
			binary.BigEndian.PutUint16(b[2:], uint16(len(b)+1))
			return b
		}(), key: []byte(secret), is: radius.ErrMalformed, attrs: []string{"packet"}},
		{name: "missing status", pkt: packet(t, secret, 1, base(1)[1:]...), key: []byte(secret), is: radius.ErrMalformed,
			attrs: []string{"Acct-Status-Type"}, source: "RFC 2866 §5.1, §5.13"},
		{name: "missing session id", pkt: packet(t, secret, 1, u32(tStatus, 2), ip(tNASIP, "192.0.2.1")), key: []byte(secret), is: radius.ErrMalformed,
			attrs: []string{"Acct-Session-Id"}, source: "RFC 2866 §5.5, §5.13"},
		{name: "no NAS identity", pkt: packet(t, secret, 1, u32(tStatus, 1), str(tSessionID, "1")), key: []byte(secret), is: radius.ErrMalformed,
			attrs: []string{"NAS-IP-Address"}, source: "RFC 2866 §4.1"},
		{name: "a password in accounting", pkt: packet(t, secret, 1, base(1, attr{tUserPassword, []byte("0123456789abcdef")})...), key: []byte(secret),
			is: radius.ErrMalformed, attrs: []string{"User-Password"}, source: "RFC 2866 §4.1"},
		{name: "two user names", pkt: packet(t, secret, 1, base(1, str(tUserName, "bob"))...), key: []byte(secret),
			is: radius.ErrMalformed, attrs: []string{"User-Name"}, source: "RFC 2865 §5.44"},
		{name: "an empty session id", pkt: packet(t, secret, 1, u32(tStatus, 1), attr{tSessionID, nil}, ip(tNASIP, "192.0.2.1")), key: []byte(secret),
			is: radius.ErrMalformed, attrs: []string{"Acct-Session-Id"}, source: "RFC 2866 §5.5"},
		{name: "an integer of 3 octets", pkt: packet(t, secret, 1, base(1, attr{tDelay, []byte{0, 0, 1}})...), key: []byte(secret),
			is: radius.ErrMalformed, attrs: []string{"Acct-Delay-Time"}, source: "RFC 2866 §5.2"},
		{name: "an IPv4 address of 16 octets", pkt: packet(t, secret, 1, base(1, ip(tFramedIP, "2001:db8::1"))...), key: []byte(secret),
			is: radius.ErrMalformed, attrs: []string{"Framed-IP-Address"}, source: "RFC 2865 §5.8"},
		{name: "an IPv6 prefix with host bits", pkt: packet(t, secret, 1, base(1, attr{tFramedPrefix6, append([]byte{0, 48}, netip.MustParseAddr("2001:db8:1:1::").AsSlice()...)})...),
			key: []byte(secret), is: radius.ErrMalformed, attrs: []string{"Framed-IPv6-Prefix"}, source: "RFC 3162 §2.3"},
		{name: "an IPv6 prefix with a reserved octet set", pkt: packet(t, secret, 1, base(1, attr{tDelegated6, []byte{1, 16, 0x20, 0x01}})...),
			key: []byte(secret), is: radius.ErrMalformed, attrs: []string{"Delegated-IPv6-Prefix"}, source: "RFC 4818 §3"},
		{name: "an IPv6 prefix field too short for its length", pkt: packet(t, secret, 1, base(1, attr{tFramedPrefix6, []byte{0, 64, 0x20, 0x01}})...),
			key: []byte(secret), is: radius.ErrMalformed, attrs: []string{"Framed-IPv6-Prefix"}, source: "RFC 3162 §2.3"},
		{name: "an IPv6 prefix as wide as an ISP's: over-collection", pkt: packet(t, secret, 1, base(1, attr{tDelegated6, []byte{0, 0}})...),
			key: []byte(secret), is: radius.ErrMalformed, attrs: []string{"Delegated-IPv6-Prefix"}, source: "ccjkit over-collection"},
		{name: "every finding at once", pkt: packet(t, secret, 1, str(tUserName, "a"), str(tUserName, "b"), attr{tInOctets, []byte{1}}, attr{tNASIPv6, []byte{1, 2}}, u32(tStatus, 3)),
			key: []byte(secret), is: radius.ErrMalformed, attrs: []string{"User-Name", "Acct-Input-Octets", "NAS-IPv6-Address", "Acct-Session-Id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := radius.Parse(tt.pkt, tt.key, at, tt.opts)
			if !errors.Is(err, tt.is) {
				t.Fatalf("Parse = %v, %v; want %v", r, err, tt.is)
			}
			if r != nil {
				t.Errorf("Parse returned a request with its error")
			}
			for _, secret := range []string{"alice", "neutrinet", "198.51", "2001:db8", "A1B2"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes case detail %q: %v", secret, err)
				}
			}
			var pe *provenance.Problems
			if tt.attrs == nil {
				if errors.As(err, &pe) && tt.is != radius.ErrMalformed {
					t.Errorf("unexpected findings: %v", err)
				}
				return
			}
			if !errors.As(err, &pe) {
				t.Fatalf("%v is not a *provenance.Problems", err)
			}
			var got []string
			for _, f := range pe.Findings {
				got = append(got, f.Field)
				if f.Rule == "" || f.Text(language.English) == "" || f.Source.Instrument == "" {
					t.Errorf("finding %+v lacks its rule, text or source", f)
				}
				if !errors.Is(f, radius.ErrMalformed) {
					t.Errorf("finding %v does not wrap ErrMalformed", f)
				}
			}
			if d := cmp.Diff(tt.attrs, got); d != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", d, err)
			}
			if src := pe.Findings[0].Source; tt.source != "" && src.Instrument+" "+src.Article != tt.source {
				t.Errorf("source = %q, want %q", src.Instrument+" "+src.Article, tt.source)
			}
		})
	}
}

// TestParsePadding: octets beyond the Length field are padding, ignored,
// and not covered by the authenticator (RFC 2866 §3).
func TestParsePadding(t *testing.T) {
	pkt := append(packet(t, secret, 3, base(1)...), 0, 0, 0, 0xff)
	r, err := radius.Parse(pkt, []byte(secret), at, radius.Options{})
	if err != nil || r.Status != radius.StatusStart || r.Event.Username != "alice@neutrinet.example" {
		t.Fatalf("Parse(padded) = %v, %v", r, err)
	}
}

// TestSessionNamesDoNotCollide: identifiers holding spaces cannot make two
// sessions share a name (and so a CIN and a session table entry).
func TestSessionNamesDoNotCollide(t *testing.T) {
	name := func(nasID, sid string) string {
		r, err := radius.Parse(packet(t, secret, 1, u32(tStatus, 1), ip(tNASIP, "10.0.0.1"), str(tNASIdentifier, nasID), str(tSessionID, sid)),
			[]byte(secret), at, radius.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r.Event.SessionID
	}
	if a, b := name("bras x", "y"), name("bras", "x y"); a == b {
		t.Errorf("two sessions share the name %s", a)
	}
}

func TestParseSkipVerify(t *testing.T) {
	pkt := packet(t, "unknown to the tap", 9, base(1)...)
	r, err := radius.Parse(pkt, nil, at, radius.Options{SkipVerify: true})
	if err != nil || r.Status != radius.StatusStart {
		t.Fatalf("Parse = %v, %v", r, err)
	}
}

func TestRequestHidesCaseDetail(t *testing.T) {
	r, err := radius.Parse(packet(t, secret, 1, base(1, ip(tFramedIP, "198.51.100.7"))...), []byte(secret), at, radius.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s := r.String(); strings.Contains(s, "alice") || strings.Contains(s, "198.51") || strings.Contains(s, "A1B2") {
		t.Errorf("String = %q reveals case detail", s)
	}
}

func TestMappings(t *testing.T) {
	access := []struct {
		port uint32
		want intercept.AccessType
		ok   bool
	}{
		{0, intercept.AccessDialup, true}, {2, intercept.AccessDialup, true}, {5, 0, false},
		{13, intercept.AccessXDSL, true}, {15, intercept.AccessLAN, true}, {16, intercept.AccessXDSL, true},
		{17, intercept.AccessCableModem, true}, {18, intercept.AccessWirelessOther, true},
		{19, intercept.AccessWirelessLAN, true}, {32, 0, false}, {1 << 31, 0, false},
	}
	for _, tt := range access {
		if got, ok := radius.AccessTypeOf(tt.port); got != tt.want || ok != tt.ok {
			t.Errorf("AccessTypeOf(%d) = %v, %v; want %v, %v", tt.port, got, ok, tt.want, tt.ok)
		}
	}
	ends := map[uint32]intercept.EndReason{0: 0, 1: intercept.EndRegular, 2: intercept.EndConnectionLoss,
		3: intercept.EndConnectionLoss, 4: intercept.EndConnectionTimeout, 5: intercept.EndConnectionTimeout, 6: 0, 18: 0}
	for c, want := range ends {
		if got := radius.EndReasonOf(c); got != want {
			t.Errorf("EndReasonOf(%d) = %v, want %v", c, got, want)
		}
	}
	names := map[radius.Status]string{1: "Start", 2: "Stop", 3: "Interim-Update", 7: "Accounting-On", 8: "Accounting-Off", 15: "Failed", 10: "Tunnel(10)", 99: "Status(99)"}
	for s, want := range names {
		if s.String() != want {
			t.Errorf("Status(%d).String() = %q, want %q", uint32(s), s.String(), want)
		}
	}
}
