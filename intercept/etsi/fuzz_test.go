package etsi_test

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
)

// seedPDUs returns one PDU of each kind, encoded.
func seedPDUs(tb testing.TB) [][]byte {
	enc, err := etsi.NewEncoder(profile(intercept.Microseconds))
	if err != nil {
		tb.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 123000, time.UTC)
	liid := intercept.MustParseLIID("BE-2026-0042")
	cc, _ := enc.NewStream(intercept.StreamKey{LIID: liid, CIN: 3, Stream: intercept.CC})
	iri, _ := enc.NewStream(intercept.StreamKey{LIID: liid, CIN: 3, Stream: intercept.IRI})
	var out [][]byte
	add := func(b []byte, err error) {
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	add(cc.AppendCC(nil, &intercept.CCRecord{Seq: 1, Time: at, Direction: intercept.ToTarget, Packet: bytes.Repeat([]byte{0x45}, 200)}))
	rx := uint64(1 << 40)
	add(iri.AppendIRI(nil, &intercept.IRIRecord{Seq: 2, Type: intercept.IRIEnd, Event: intercept.AccessEvent{
		Type: intercept.AccessEnd, Time: at, Username: "member", AccessType: intercept.AccessFTTx,
		Addresses:  []netip.Prefix{netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("2001:db8::/56")},
		Assignment: intercept.AssignmentStatic, Start: at.Add(-time.Hour), End: at, EndReason: intercept.EndRegular,
		OctetsReceived: &rx, OctetsSent: &rx,
	}}))
	add(enc.AppendKeepAlive(nil, 5, at))
	add(iri.AppendCINReset(nil, at))
	add(enc.AppendHI1(nil, intercept.LIActivated, liid, 0, at))
	gt, _ := etsi.NewEncoder(profile(intercept.GeneralizedTime))
	add(gt.AppendKeepAliveResponse(nil, 5, at))
	return out
}

// FuzzDecode: Decode never panics, and what it accepts encodes again to
// a PDU that decodes to the same value.
func FuzzDecode(f *testing.F) {
	for _, b := range seedPDUs(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := etsi.Decode(b)
		if err != nil {
			var e *etsi.Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(b)) || e.Path == "" {
				t.Fatalf("error without a location: %v", err)
			}
			return
		}
		again, err := etsi.Marshal(p)
		if err != nil {
			t.Fatalf("a decoded PDU does not encode: %v", err)
		}
		q, err := etsi.Decode(again)
		if err != nil {
			t.Fatalf("re-encoded PDU does not decode: %v", err)
		}
		if diff := cmp.Diff(p, q, pduCmp); diff != "" {
			t.Fatalf("re-encoding changed the PDU:\n%s", diff)
		}
	})
}

// FuzzFramer: the framer never panics, returns only whole SEQUENCEs in
// order, and stops at the first error.
func FuzzFramer(f *testing.F) {
	var all []byte
	for _, b := range seedPDUs(f) {
		f.Add(b)
		all = append(all, b...)
	}
	f.Add(all)
	f.Fuzz(func(t *testing.T, b []byte) {
		fr := etsi.NewFramer(bytes.NewReader(b), 4096)
		var off int
		for range len(b) + 1 {
			pdu, err := fr.Next()
			if err != nil {
				if errors.Is(err, io.EOF) && off != len(b) {
					t.Fatalf("EOF at %d of %d", off, len(b))
				}
				return
			}
			if !bytes.Equal(pdu, b[off:off+len(pdu)]) || pdu[0] != 0x30 {
				t.Fatalf("PDU at %d is not the input's bytes", off)
			}
			off += len(pdu)
		}
		t.Fatal("the framer did not stop")
	})
}

// FuzzPeek: Peek never panics, and on every PDU Decode accepts it agrees
// with Decode.
func FuzzPeek(f *testing.F) {
	for _, s := range seedPDUs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, perr := etsi.Peek(b)
		p, err := etsi.Decode(b)
		if err != nil {
			return
		}
		if perr != nil {
			t.Fatalf("Decode accepts what Peek refuses: %v", perr)
		}
		want := etsi.Summary{LIID: p.Header.LIID, CIN: p.Header.CIN, Seq: p.Header.Seq, Kind: p.Payload.Kind}
		if p.Payload.Kind == etsi.TRIPayload {
			want.TRI = p.Payload.TRI
		}
		if s != want {
			t.Fatalf("Peek = %+v, Decode says %+v", s, want)
		}
	})
}
