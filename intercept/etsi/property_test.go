package etsi_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
)

func genTime(opt bool) *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		if opt && rapid.Bool().Draw(t, "absent") {
			return time.Time{}
		}
		// 1970 to 2200, to the microsecond, UTC.
		s := rapid.Int64Range(0, 7258118400).Draw(t, "s")
		us := rapid.Int64Range(0, 999999).Draw(t, "us")
		return time.Unix(s, us*1000).UTC()
	})
}

func genLIID() *rapid.Generator[intercept.LIID] {
	return rapid.Custom(func(t *rapid.T) intercept.LIID {
		l, _ := intercept.LIIDFromBytes(rapid.SliceOfN(rapid.Byte(), 1, 25).Draw(t, "liid"))
		return l
	})
}

func genPrintable(lo, hi int) *rapid.Generator[string] {
	return rapid.StringOfN(rapid.SampledFrom([]rune("ABCZabz09 '()+,-./:=?")), lo, hi, -1)
}

func genOctets(lo, hi int) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string { return string(rapid.SliceOfN(rapid.Byte(), lo, hi).Draw(t, "octets")) })
}

func genHeader() *rapid.Generator[etsi.Header] {
	return rapid.Custom(func(t *rapid.T) etsi.Header {
		h := etsi.Header{
			DomainVersion:        rapid.Uint32Range(1, 1<<32-1).Draw(t, "ver"),
			LIID:                 genLIID().Draw(t, "liid"),
			AuthorizationCountry: rapid.SampledFrom([]string{"", "BE", "NL"}).Draw(t, "auth"),
			OperatorID:           genOctets(1, 16).Draw(t, "op"),
			NetworkElementID:     genOctets(0, 16).Draw(t, "ne"),
			CIN:                  intercept.CIN(rapid.Uint32().Draw(t, "cin")),
			DeliveryCountry:      rapid.SampledFrom([]string{"", "BE"}).Draw(t, "deliv"),
			Seq:                  intercept.Seq(rapid.Uint32().Draw(t, "seq")),
			InterceptionPointID:  genPrintable(0, 8).Draw(t, "ipid"),
			Qualifier:            etsi.Qualifier(rapid.IntRange(0, 4).Draw(t, "q")),
			TimestampForm:        intercept.TimestampForm(rapid.IntRange(0, 2).Draw(t, "form")),
		}
		if h.TimestampForm != 0 {
			h.Time = genTime(false).Draw(t, "time")
		}
		return h
	})
}

func genAddress() *rapid.Generator[etsi.IPAddress] {
	return rapid.Custom(func(t *rapid.T) etsi.IPAddress {
		if rapid.Bool().Draw(t, "absent") {
			return etsi.IPAddress{}
		}
		var a netip.Addr
		if rapid.Bool().Draw(t, "v6") {
			a = netip.AddrFrom16([16]byte(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "a6")))
			if a.Is4In6() {
				a = a.Unmap()
			}
		} else {
			a = netip.AddrFrom4([4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "a4")))
		}
		return etsi.IPAddress{
			Prefix:     netip.PrefixFrom(a, rapid.IntRange(0, a.BitLen()).Draw(t, "bits")),
			Assignment: intercept.Assignment(rapid.IntRange(0, 3).Draw(t, "assign")),
		}
	})
}

func genU64() *rapid.Generator[*uint64] {
	return rapid.Custom(func(t *rapid.T) *uint64 {
		if rapid.Bool().Draw(t, "absent") {
			return nil
		}
		v := rapid.Uint64().Draw(t, "v")
		return &v
	})
}

func genPayload() *rapid.Generator[etsi.Payload] {
	return rapid.Custom(func(t *rapid.T) etsi.Payload {
		switch rapid.IntRange(0, 3).Draw(t, "kind") {
		case 0:
			return etsi.Payload{Kind: etsi.IRISequence, IRI: rapid.SliceOfN(rapid.Custom(func(t *rapid.T) etsi.IRIPayload {
				return etsi.IRIPayload{
					Type:            intercept.IRIType(rapid.IntRange(1, 4).Draw(t, "type")),
					Time:            genTime(true).Draw(t, "time"),
					IPAccessVersion: rapid.Uint32Range(1, 1<<32-1).Draw(t, "v"),
					IPIRI: etsi.IPIRI{
						AccessEventType:   intercept.AccessEventType(rapid.IntRange(0, 10).Draw(t, "ev")),
						TargetUsername:    genOctets(0, 300).Draw(t, "user"),
						AccessType:        intercept.AccessType(rapid.IntRange(0, 9).Draw(t, "at")),
						IPVersion:         etsi.IPVersion(rapid.IntRange(0, 3).Draw(t, "ipv")),
						TargetAddress:     genAddress().Draw(t, "addr"),
						StartTime:         genTime(true).Draw(t, "start"),
						EndTime:           genTime(true).Draw(t, "end"),
						EndReason:         intercept.EndReason(rapid.IntRange(0, 4).Draw(t, "why")),
						OctetsReceived:    genU64().Draw(t, "rx"),
						OctetsTransmitted: genU64().Draw(t, "tx"),
						AdditionalAddress: genAddress().Draw(t, "addr2"),
					},
				}
			}), 1, 3).Draw(t, "iri")}
		case 1:
			return etsi.Payload{Kind: etsi.CCSequence, CC: rapid.SliceOfN(rapid.Custom(func(t *rapid.T) etsi.CCPayload {
				return etsi.CCPayload{
					Direction:       intercept.Direction(rapid.IntRange(0, 2).Draw(t, "dir")),
					Time:            genTime(true).Draw(t, "time"),
					IPAccessVersion: rapid.Uint32Range(1, 1<<32-1).Draw(t, "v"),
					Packet:          rapid.SliceOfN(rapid.Byte(), 0, 1600).Draw(t, "pkt"),
				}
			}), 1, 3).Draw(t, "cc")}
		case 2:
			return etsi.Payload{Kind: etsi.TRIPayload, TRI: etsi.TRI(rapid.IntRange(3, 7).Draw(t, "tri"))}
		}
		return etsi.Payload{Kind: etsi.HI1Operation, HI1: etsi.HI1Notification{
			Kind:          intercept.HI1Kind(rapid.IntRange(1, 3).Draw(t, "k")),
			DomainVersion: rapid.Uint32Range(1, 1<<32-1).Draw(t, "v"),
			LIID:          genLIID().Draw(t, "liid"),
			OperatorID:    genOctets(1, 5).Draw(t, "op"),
			Time:          time.Unix(rapid.Int64Range(0, 2524607999).Draw(t, "s"), 0).UTC(), // 1970 to 2049
		}}
	})
}

func genPDU() *rapid.Generator[etsi.PDU] {
	return rapid.Custom(func(t *rapid.T) etsi.PDU {
		return etsi.PDU{Header: genHeader().Draw(t, "header"), Payload: genPayload().Draw(t, "payload")}
	})
}

// decode(encode(x)) == x for every kind of PDU.
func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPDU().Draw(t, "pdu")
		b, err := etsi.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := etsi.Decode(b)
		if err != nil {
			t.Fatalf("decode: %v\n%x", err, b)
		}
		if diff := cmp.Diff(&p, got, pduCmp); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

// The templated stream encoders write the same bytes as Append for the
// same record.
func TestStreamEncoderMatchesAppend(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		form := intercept.TimestampForm(rapid.IntRange(1, 2).Draw(t, "form"))
		prof := profile(form)
		prof.InterceptionPointID = genPrintable(0, 8).Draw(t, "ipid")
		enc, err := etsi.NewEncoder(prof)
		if err != nil {
			t.Fatal(err)
		}
		key := intercept.StreamKey{LIID: genLIID().Draw(t, "liid"), CIN: intercept.CIN(rapid.Uint32().Draw(t, "cin")), Stream: intercept.CC}
		seq := intercept.Seq(rapid.Uint32().Draw(t, "seq"))
		at := genTime(false).Draw(t, "at")
		hdr := etsi.Header{DomainVersion: 17, LIID: key.LIID, AuthorizationCountry: "BE", OperatorID: "NEUTRINET",
			NetworkElementID: "vpn-1", CIN: key.CIN, DeliveryCountry: "BE", Seq: seq, Time: at, TimestampForm: form,
			InterceptionPointID: prof.InterceptionPointID, Qualifier: etsi.TimeOfInterception}
		prefix := []byte("prefix")
		if rapid.Bool().Draw(t, "cc") {
			s, err := enc.NewStream(key)
			if err != nil {
				t.Fatal(err)
			}
			r := intercept.CCRecord{Seq: seq, Time: at, Direction: intercept.Direction(rapid.IntRange(0, 2).Draw(t, "dir")),
				Packet: rapid.SliceOfN(rapid.Byte(), 0, 70000).Draw(t, "pkt")}
			got, err := s.AppendCC(prefix, &r)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := etsi.Append([]byte("prefix"), &etsi.PDU{Header: hdr, Payload: etsi.Payload{Kind: etsi.CCSequence,
				CC: []etsi.CCPayload{{Direction: r.Direction, IPAccessVersion: 10, Packet: r.Packet}}}})
			if !bytes.Equal(got, want) {
				t.Fatalf("AppendCC differs from Append:\n got %x\nwant %x", got, want)
			}
			return
		}
		key.Stream = intercept.IRI
		s, err := enc.NewStream(key)
		if err != nil {
			t.Fatal(err)
		}
		addr := genAddress().Draw(t, "addr")
		ev := intercept.AccessEvent{Type: intercept.AccessEventType(rapid.IntRange(0, 10).Draw(t, "ev")), Time: at,
			Username: genOctets(0, 40).Draw(t, "user"), AccessType: intercept.AccessFTTx, Start: genTime(true).Draw(t, "start"),
			Assignment: addr.Assignment}
		var ipv etsi.IPVersion
		if addr.Prefix.IsValid() {
			ev.Addresses = []netip.Prefix{addr.Prefix}
			ipv = etsi.IPv4
			if addr.Prefix.Addr().Is6() {
				ipv = etsi.IPv6
			}
		}
		r := intercept.IRIRecord{Seq: seq, Type: ev.Type.IRIType(), Event: ev}
		got, err := s.AppendIRI(prefix, &r)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := etsi.Append([]byte("prefix"), &etsi.PDU{Header: hdr, Payload: etsi.Payload{Kind: etsi.IRISequence,
			IRI: []etsi.IRIPayload{{Type: r.Type, IPAccessVersion: 10, IPIRI: etsi.IPIRI{
				AccessEventType: ev.Type, TargetUsername: ev.Username, AccessType: ev.AccessType, IPVersion: ipv,
				TargetAddress: addr, StartTime: ev.Start}}}}})
		if !bytes.Equal(got, want) {
			t.Fatalf("AppendIRI differs from Append:\n got %x\nwant %x", got, want)
		}
	})
}

// chunkReader returns its data in the chunk sizes given, cycling.
type chunkReader struct {
	data   []byte
	chunks []int
	i      int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(c.chunks[c.i%len(c.chunks)], len(p), len(c.data))
	c.i++
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// Framing a concatenation of PDUs delivered in random pieces yields the
// same PDUs, and a stream cut inside a PDU is reported with its offset.
func TestFramerProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pdus := rapid.SliceOfN(genPDU(), 0, 6).Draw(t, "pdus")
		var stream []byte
		var want [][]byte
		for i := range pdus {
			b, err := etsi.Marshal(&pdus[i])
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, b)
			stream = append(stream, b...)
		}
		cut := len(stream)
		if rapid.Bool().Draw(t, "cut") && len(stream) > 0 {
			cut = rapid.IntRange(0, len(stream)-1).Draw(t, "at")
		}
		f := etsi.NewFramer(&chunkReader{data: stream[:cut], chunks: rapid.SliceOfN(rapid.IntRange(1, 3000), 1, 5).Draw(t, "chunks")}, 0)
		var off int
		for i := 0; ; i++ {
			b, err := f.Next()
			if errors.Is(err, io.EOF) {
				// A clean end: the cut fell between PDUs, all before it read.
				if off != cut {
					t.Fatalf("EOF at %d, cut at %d", off, cut)
				}
				n, end := 0, 0
				for n < len(want) && end+len(want[n]) <= cut {
					end += len(want[n])
					n++
				}
				if i != n {
					t.Fatalf("%d PDUs, want %d", i, n)
				}
				return
			}
			if err != nil {
				var e *etsi.Error
				if !errors.As(err, &e) || !errors.Is(err, etsi.ErrTruncated) || cut == len(stream) || e.Offset < int64(off) || e.Offset > int64(cut) {
					t.Fatalf("PDU %d: %v (cut %d of %d, PDU at %d)", i, err, cut, len(stream), off)
				}
				return
			}
			if !bytes.Equal(b, want[i]) {
				t.Fatalf("PDU %d differs", i)
			}
			off += len(b)
		}
	})
}

func TestFramerLimits(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		max  int
		err  error
	}{
		{"too large", []byte{0x30, 0x82, 0x10, 0x00}, 100, etsi.ErrTooLarge},
		{"five length octets", []byte{0x30, 0x85, 1, 0, 0, 0, 0}, 0, etsi.ErrTooLarge},
		{"not a sequence", []byte{0x04, 0x00}, 0, etsi.ErrTag},
		{"indefinite", []byte{0x30, 0x80, 0, 0}, 0, etsi.ErrSyntax},
		{"one octet", []byte{0x30}, 0, etsi.ErrTruncated},
		{"header plus length past a 32-bit int", []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xfe, 0x00}, math.MaxInt32, etsi.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := etsi.NewFramer(bytes.NewReader(tt.in), tt.max).Next()
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
		})
	}
}

// Sequence numbers near 2³² are encoded in five octets and decode back;
// the wrap to 0 takes one.
func TestSequenceWrapEncoding(t *testing.T) {
	enc, _ := etsi.NewEncoder(profile(intercept.Microseconds))
	s, _ := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("L"), Stream: intercept.CC})
	seq := intercept.Seq(1<<32 - 2)
	var buf []byte
	var p etsi.PDU
	for range 4 {
		buf, _ = s.AppendCC(buf[:0], &intercept.CCRecord{Seq: seq, Time: time.Unix(1700000000, 0)})
		if err := p.Decode(buf); err != nil {
			t.Fatal(err)
		}
		if p.Header.Seq != seq {
			t.Fatalf("decoded %d, want %d", p.Header.Seq, seq)
		}
		seq = seq.Next()
	}
	if seq != 2 {
		t.Fatalf("after wrapping, %d", seq)
	}
}
