package etsi_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
)

var pduCmp = cmp.Options{
	cmpopts.EquateComparable(intercept.LIID{}, netip.Prefix{}),
	cmpopts.EquateEmpty(),
}

func profile(form intercept.TimestampForm) intercept.Profile {
	p, err := intercept.Belgium(intercept.Profile{
		OperatorID: "NEUTRINET", NetworkElementID: "vpn-1", HI1OperatorID: "NTNET",
		Timestamps: form, PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID:     intercept.MustParseLIID("ccjkit"),
		KeepAliveInterval: 300 * time.Second, KeepAliveTimeout: 30 * time.Second,
	})
	if err != nil {
		panic(err)
	}
	return p
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The bytes OpenLI's encoder (libwandder, as called by OpenLI 1.1.20)
// produces for the same input: a research helper compiled libwandder's
// encoder and made the calls OpenLI makes (see docs/intercept.md).
func TestSameBytesAsOpenLI(t *testing.T) {
	keepAlive := etsi.PDU{
		Header: etsi.Header{
			DomainVersion: 17, LIID: intercept.MustParseLIID("openli-1.1.20"),
			AuthorizationCountry: "BE", OperatorID: "op", NetworkElementID: "med-1", DeliveryCountry: "BE",
			Seq: 1, Time: time.Unix(1700000000, 123456000), TimestampForm: intercept.Microseconds,
			Qualifier: etsi.TimeOfInterception,
		},
		Payload: etsi.Payload{Kind: etsi.TRIPayload, TRI: etsi.KeepAlive},
	}
	want := unhex(t, `30 4d a1 45 80 07 04 00 02 02 05 01 11 81 0d 6f70656e6c692d312e312e3230 82 02 42 45
		a3 14 a0 0b 80 02 6f 70 81 05 6d 65 64 2d 31 81 01 00 82 02 42 45 84 01 01
		a7 0b 80 04 65 53 f1 00 81 03 01 e2 40 88 01 01 a2 04 a2 02 83 00`)
	got, err := etsi.Marshal(&keepAlive)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("keep-alive:\n got %x\nwant %x", got, want)
	}

	// The payload of an IPCC record with a 28-byte packet, toTarget.
	pkt := bytes.Repeat([]byte{0x45}, 28)
	cc := keepAlive
	cc.Payload = etsi.Payload{Kind: etsi.CCSequence, CC: []etsi.CCPayload{{Direction: intercept.ToTarget, IPAccessVersion: 10, Packet: pkt}}}
	got, err = etsi.Marshal(&cc)
	if err != nil {
		t.Fatal(err)
	}
	wantBody := append(unhex(t, `a2 31 a1 2f 30 2d 80 01 01 a2 28 a2 26 80 04 05 03 0a 02 a1 1e 80 1c`), pkt...)
	if !bytes.HasSuffix(got, wantBody) {
		t.Errorf("IPCC payload:\n got %x\nwant suffix %x", got, wantBody)
	}
}

// OpenLI writes an IPv4 target address with the subnet mask ff ff ff ff and
// long-form lengths with a leading zero octet; both are valid BER and
// decode to the same values as ours.
func TestDecodesOpenLIForms(t *testing.T) {
	enc, err := etsi.NewEncoder(profile(intercept.Microseconds))
	if err != nil {
		t.Fatal(err)
	}
	s, err := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("L1"), CIN: 7, Stream: intercept.IRI})
	if err != nil {
		t.Fatal(err)
	}
	ev := intercept.IRIRecord{Seq: 3, Type: intercept.IRIBegin, Event: intercept.AccessEvent{
		Type: intercept.AccessAccept, Time: time.Unix(1700000000, 0), Username: "u",
		Addresses: []netip.Prefix{netip.MustParsePrefix("192.0.2.10/32")}, Assignment: intercept.AssignmentDynamic,
	}}
	ours, err := s.AppendIRI(nil, &ev)
	if err != nil {
		t.Fatal(err)
	}
	short := unhex(t, `a4 0e 81 01 00 a2 06 81 04 c0 00 02 0a 83 01 02`)
	openli := unhex(t, `a4 14 81 01 00 a2 06 81 04 c0 00 02 0a 83 01 02 85 04 ff ff ff ff`)
	i := bytes.Index(ours, short)
	if i < 0 {
		t.Fatalf("our IRI does not contain the expected targetIPAddress %x: %x", short, ours)
	}
	// Splice OpenLI's form in and fix the enclosing lengths by re-framing
	// every element around it with leading-zero long-form lengths.
	theirs := reframe(t, ours, i, len(short), openli)
	a, err := etsi.Decode(ours)
	if err != nil {
		t.Fatal(err)
	}
	b, err := etsi.Decode(theirs)
	if err != nil {
		t.Fatalf("OpenLI's form: %v\n%x", err, theirs)
	}
	if diff := cmp.Diff(a, b, pduCmp); diff != "" {
		t.Errorf("decoded differently (-ours +openli):\n%s", diff)
	}
}

// reframe replaces n bytes at i in the PDU b with r, rewriting the length
// of every element that contains them in the long form OpenLI uses
// (0x82, two octets, even when shorter would do).
func reframe(t *testing.T, b []byte, i, n int, r []byte) []byte {
	t.Helper()
	var walk func(b []byte, i int) []byte
	walk = func(b []byte, i int) []byte {
		if i == 0 && len(b) == n {
			return r
		}
		id, l, h := b[0], int(b[1]), 2
		if l > 0x80 {
			k := l & 0x7f
			l = 0
			for _, c := range b[2 : 2+k] {
				l = l<<8 | int(c)
			}
			h += k
		}
		content := b[h : h+l]
		out := []byte{}
		off := 0
		for off < len(content) {
			cl, ch := int(content[off+1]), 2
			if cl > 0x80 {
				k := cl & 0x7f
				cl = 0
				for _, c := range content[off+2 : off+2+k] {
					cl = cl<<8 | int(c)
				}
				ch += k
			}
			elem := content[off : off+ch+cl]
			if i-h >= off && i-h < off+len(elem) {
				elem = walk(elem, i-h-off)
			}
			out = append(out, elem...)
			off += ch + cl
		}
		return append([]byte{id, 0x82, byte(len(out) >> 8), byte(len(out))}, out...)
	}
	return walk(b, i)
}

func TestKeepAliveAndResponse(t *testing.T) {
	enc, err := etsi.NewEncoder(profile(intercept.GeneralizedTime))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 14, 30, 5, 250000000, time.UTC)
	ka, err := enc.AppendKeepAlive(nil, 41, at)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := enc.AppendKeepAliveResponse(nil, 41, at.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		b    []byte
		want etsi.TRI
	}{{"keep-alive", ka, etsi.KeepAlive}, {"response", resp, etsi.KeepAliveResponse}} {
		p, err := etsi.Decode(tt.b)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if p.Payload.Kind != etsi.TRIPayload || p.Payload.TRI != tt.want || p.Header.Seq != 41 || p.Header.CIN != 0 ||
			p.Header.LIID != intercept.MustParseLIID("ccjkit") || p.Header.Qualifier != etsi.TimeOfMediation ||
			p.Header.TimestampForm != intercept.GeneralizedTime {
			t.Errorf("%s: decoded %+v", tt.name, p)
		}
	}
	if !bytes.Contains(ka, []byte("20261123143005.250000Z")) {
		t.Errorf("keep-alive lacks its GeneralizedTime: %x", ka)
	}
}

func TestStreamMismatch(t *testing.T) {
	enc, _ := etsi.NewEncoder(profile(intercept.Microseconds))
	cc, _ := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("L"), Stream: intercept.CC})
	iri, _ := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("L"), Stream: intercept.IRI})
	if _, err := cc.AppendIRI(nil, &intercept.IRIRecord{}); !errors.Is(err, etsi.ErrStream) {
		t.Errorf("IRI on a CC stream: %v", err)
	}
	if _, err := iri.AppendCC(nil, &intercept.CCRecord{}); !errors.Is(err, etsi.ErrStream) {
		t.Errorf("CC on an IRI stream: %v", err)
	}
	if _, err := enc.NewStream(intercept.StreamKey{Stream: intercept.CC}); !errors.Is(err, intercept.ErrLIID) {
		t.Errorf("stream without LIID: %v", err)
	}
	for _, addrs := range [][]netip.Prefix{{{}}, {netip.MustParsePrefix("192.0.2.1/32"), {}}, {netip.MustParsePrefix("::ffff:192.0.2.1/128")}} {
		r := intercept.IRIRecord{Type: intercept.IRIReport, Event: intercept.AccessEvent{Time: time.Unix(1700000000, 0), Addresses: addrs}}
		if _, err := iri.AppendIRI(nil, &r); !errors.Is(err, etsi.ErrValue) {
			t.Errorf("addresses %v: %v", addrs, err)
		}
	}
	if _, err := etsi.NewEncoder(intercept.Profile{}); !errors.Is(err, intercept.ErrProfile) {
		t.Errorf("empty profile: %v", err)
	}
}

func TestEncodeRefusals(t *testing.T) {
	base := func() etsi.PDU {
		return etsi.PDU{
			Header: etsi.Header{DomainVersion: 17, LIID: intercept.MustParseLIID("L"), OperatorID: "op",
				Time: time.Unix(1700000000, 0), TimestampForm: intercept.Microseconds},
			Payload: etsi.Payload{Kind: etsi.TRIPayload, TRI: etsi.KeepAlive},
		}
	}
	tests := []struct {
		name string
		edit func(*etsi.PDU)
		path string
		err  error
	}{
		{"no LIID", func(p *etsi.PDU) { p.Header.LIID = intercept.LIID{} }, "pSHeader.lawfulInterceptionIdentifier", etsi.ErrMissing},
		{"long operator", func(p *etsi.PDU) { p.Header.OperatorID = strings.Repeat("o", 17) }, "pSHeader.communicationIdentifier.networkIdentifier.operatorIdentifier", etsi.ErrValue},
		{"country", func(p *etsi.PDU) { p.Header.DeliveryCountry = "B" }, "pSHeader.communicationIdentifier.deliveryCountryCode", etsi.ErrValue},
		{"before 1970", func(p *etsi.PDU) { p.Header.Time = time.Unix(-1, 0) }, "pSHeader.microSecondTimeStamp", etsi.ErrValue},
		{"empty CC sequence", func(p *etsi.PDU) { p.Payload = etsi.Payload{Kind: etsi.CCSequence} }, "payload.cCPayloadSequence", etsi.ErrMissing},
		{"integrity check", func(p *etsi.PDU) { p.Payload.TRI = 0 }, "payload.tRIPayload", etsi.ErrUnsupported},
		{"HI1 operator of 6", func(p *etsi.PDU) {
			p.Payload = etsi.Payload{Kind: etsi.HI1Operation, HI1: etsi.HI1Notification{Kind: intercept.LIActivated, DomainVersion: 6,
				LIID: intercept.MustParseLIID("L"), OperatorID: "SIXSIX", Time: time.Unix(1700000000, 0)}}
		}, "payload.hI1-Operation.communicationIdentifier.network-Identifier.operator-Identifier", etsi.ErrValue},
		{"IRI mapped address", func(p *etsi.PDU) {
			p.Payload = etsi.Payload{Kind: etsi.IRISequence, IRI: []etsi.IRIPayload{{Type: intercept.IRIReport, IPAccessVersion: 10,
				IPIRI: etsi.IPIRI{TargetAddress: etsi.IPAddress{Prefix: netip.MustParsePrefix("::ffff:1.2.3.4/128")}}}}}
		}, "payload.iRIPayloadSequence.iRIContents.iPIRI.iPIRIContents.targetIPAddress.iP-value", etsi.ErrValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.edit(&p)
			dst := []byte("kept")
			out, err := etsi.Append(dst, &p)
			var e *etsi.Error
			if !errors.As(err, &e) || !errors.Is(err, tt.err) || e.Path != tt.path {
				t.Fatalf("error = %v, want %v at %s", err, tt.err, tt.path)
			}
			if string(out) != "kept" {
				t.Errorf("dst changed to %q", out)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	enc, _ := etsi.NewEncoder(profile(intercept.Microseconds))
	s, _ := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("SECRET-LIID"), CIN: 1, Stream: intercept.CC})
	good, err := s.AppendCC(nil, &intercept.CCRecord{Seq: 9, Time: time.Unix(1700000000, 0), Direction: intercept.FromTarget, Packet: []byte{0x45, 0, 0, 20}})
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	seqAt := bytes.Index(good, []byte{0x84, 0x01, 0x09})
	qualAt := bytes.Index(good, []byte{0x88, 0x01, 0x01})
	tests := []struct {
		name string
		in   []byte
		err  error
		path string
		off  int64
	}{
		{"empty", nil, etsi.ErrMissing, "PS-PDU", 0},
		{"truncated", good[:len(good)-1], etsi.ErrTruncated, "PS-PDU", 1},
		{"trailing octet", append(append([]byte(nil), good...), 0), etsi.ErrSyntax, "PS-PDU", int64(len(good))},
		{"not a sequence", mutate(func(b []byte) []byte { b[0] = 0x31; return b }), etsi.ErrTag, "PS-PDU", 0},
		{"indefinite length", mutate(func(b []byte) []byte { b[1] = 0x80; return b }), etsi.ErrSyntax, "PS-PDU", 1},
		{"sequence number tag", mutate(func(b []byte) []byte { b[seqAt] = 0x85; return b }), etsi.ErrTag, "pSHeader.sequenceNumber", int64(seqAt)},
		{"optional field with indefinite length", mutate(func(b []byte) []byte { b[qualAt+1] = 0x80; return b }), etsi.ErrSyntax, "pSHeader.timeStampQualifier", int64(qualAt + 1)},
		{"optional field past the end", mutate(func(b []byte) []byte { b[qualAt+1] = 0x7f; return b }), etsi.ErrTruncated, "pSHeader.timeStampQualifier", int64(qualAt + 1)},
		{"negative sequence number", mutate(func(b []byte) []byte { b[seqAt+2] = 0x80; return b }), etsi.ErrValue, "pSHeader.sequenceNumber", int64(seqAt + 2)},
		{"direction out of range", mutate(func(b []byte) []byte {
			i := bytes.Index(b, []byte{0x80, 0x01, 0x00, 0xa2})
			b[i+2] = 7
			return b
		}), etsi.ErrValue, "payload.cCPayloadSequence.CCPayload.payloadDirection", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := etsi.Decode(tt.in)
			var e *etsi.Error
			if !errors.As(err, &e) || !errors.Is(err, tt.err) || e.Path != tt.path || (tt.off >= 0 && e.Offset != tt.off) {
				t.Fatalf("error = %v; want %v at %s offset %d", err, tt.err, tt.path, tt.off)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("the error quotes the LIID: %v", err)
			}
		})
	}
}
