package x2x3_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
)

var pduCmp = cmp.Options{cmpopts.EquateEmpty()}

func task() intercept.Task {
	return intercept.Task{
		ID:        [16]byte{0x5a, 0x1d, 0x3e, 0x10, 0x42, 0x42, 0x4f, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0x01},
		LIID:      intercept.MustParseLIID("BE-2026-0042"),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("192.0.2.7/32"))},
		NotBefore: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Delivery:  intercept.IRIAndCC,
		Agency:    "NTSU-CTIF",
	}
}

func iriEncoder(t testing.TB) intercept.Encoder {
	p, err := intercept.Belgium(intercept.Profile{
		OperatorID: "NEUTRINET", HI1OperatorID: "NTNET", Timestamps: intercept.Microseconds,
		PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6, KeepAliveLIID: intercept.MustParseLIID("ccjkit"),
		KeepAliveInterval: time.Minute, KeepAliveTimeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	e, err := etsi.NewEncoder(p)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func genPDU() *rapid.Generator[x2x3.PDU] {
	return rapid.Custom(func(t *rapid.T) x2x3.PDU {
		p := x2x3.PDU{
			Version:       rapid.Uint16().Draw(t, "ver"),
			Type:          x2x3.PDUType(rapid.IntRange(1, 4).Draw(t, "type")),
			PayloadFormat: x2x3.PayloadFormat(rapid.IntRange(0, 16).Draw(t, "fmt")),
			Direction:     x2x3.Direction(rapid.IntRange(0, 5).Draw(t, "dir")),
			XID:           [16]byte(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "xid")),
			CorrelationID: rapid.Uint64().Draw(t, "cid"),
			HasSeq:        rapid.Bool().Draw(t, "hasSeq"),
		}
		if p.HasSeq {
			p.Seq = rapid.Uint32().Draw(t, "seq")
		}
		if rapid.Bool().Draw(t, "hasTime") {
			p.Time = time.Unix(int64(rapid.Uint32().Draw(t, "s")), rapid.Int64Range(0, 999999999).Draw(t, "ns")).UTC()
		}
		p.Attributes = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) x2x3.Attribute {
			typ := x2x3.AttrType(rapid.SampledFrom([]uint16{1, 5, 6, 7, 10, 12, 14, 16, 17, 22, 300}).Draw(t, "at"))
			n := map[x2x3.AttrType]int{10: 4, 12: 16, 14: 2, 16: 1}[typ]
			if n == 0 {
				n = rapid.IntRange(0, 40).Draw(t, "n")
			}
			return x2x3.Attribute{Type: typ, Value: rapid.SliceOfN(rapid.Byte(), n, n).Draw(t, "v")}
		}), 0, 4).Draw(t, "attrs")
		if p.Type == x2x3.X2 || p.Type == x2x3.X3 {
			p.Payload = rapid.SliceOfN(rapid.Byte(), 0, 2000).Draw(t, "payload")
		}
		return p
	})
}

func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPDU().Draw(t, "pdu")
		b, err := x2x3.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := x2x3.Decode(b)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if diff := cmp.Diff(&p, got, pduCmp); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

func TestFramerProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pdus := rapid.SliceOfN(genPDU(), 0, 6).Draw(t, "pdus")
		var stream []byte
		var want [][]byte
		for i := range pdus {
			b, _ := x2x3.Marshal(&pdus[i])
			want = append(want, b)
			stream = append(stream, b...)
		}
		step := rapid.IntRange(1, 3000).Draw(t, "step")
		f := x2x3.NewFramer(io.MultiReader(chunks(stream, step)...), 0)
		for i := 0; ; i++ {
			b, err := f.Next()
			if errors.Is(err, io.EOF) {
				if i != len(want) {
					t.Fatalf("%d PDUs, want %d", i, len(want))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, want[i]) {
				t.Fatalf("PDU %d differs", i)
			}
		}
	})
}

func chunks(b []byte, n int) []io.Reader {
	var rs []io.Reader
	for len(b) > 0 {
		k := min(n, len(b))
		rs = append(rs, bytes.NewReader(b[:k]))
		b = b[k:]
	}
	return rs
}

func TestEncoderRecords(t *testing.T) {
	enc, err := x2x3.NewEncoder([]intercept.Task{task()}, iriEncoder(t))
	if err != nil {
		t.Fatal(err)
	}
	key := intercept.StreamKey{LIID: task().LIID, CIN: 9, Stream: intercept.CC}
	s, err := enc.NewStream(key)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.UTC)
	pkt := []byte{0x60, 0, 0, 0, 0, 0, 59, 64}
	b, err := s.AppendCC(nil, &intercept.CCRecord{Seq: 1<<32 - 1, Time: at, Direction: intercept.ToTarget, Packet: pkt})
	if err != nil {
		t.Fatal(err)
	}
	want := &x2x3.PDU{Version: x2x3.Version, Type: x2x3.X3, PayloadFormat: x2x3.FormatIPv6, Direction: x2x3.DirectionToTarget,
		XID: task().ID, CorrelationID: 9, Seq: 1<<32 - 1, HasSeq: true, Time: at, Payload: pkt}
	got, err := x2x3.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, pduCmp); diff != "" {
		t.Errorf("X3 (-want +got):\n%s", diff)
	}

	key.Stream = intercept.IRI
	si, err := enc.NewStream(key)
	if err != nil {
		t.Fatal(err)
	}
	b, err = si.AppendIRI(nil, &intercept.IRIRecord{Seq: 4, Type: intercept.IRIBegin, Event: intercept.AccessEvent{
		Type: intercept.AccessAccept, Time: at, Username: "member-0042", AccessType: intercept.AccessFTTx}})
	if err != nil {
		t.Fatal(err)
	}
	x2, err := x2x3.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	inner, err := etsi.Decode(x2.Payload)
	if err != nil {
		t.Fatalf("the X2 payload is not a PS-PDU: %v", err)
	}
	if x2.Type != x2x3.X2 || x2.PayloadFormat != x2x3.FormatETSI102232 || x2.Seq != 4 || inner.Header.Seq != 4 ||
		inner.Payload.IRI[0].IPIRI.TargetUsername != "member-0042" {
		t.Errorf("X2 = %+v, inner %+v", x2, inner)
	}

	if _, err := s.AppendCC(nil, &intercept.CCRecord{Time: at, Packet: []byte{0x00}}); !errors.Is(err, x2x3.ErrUnsupported) {
		t.Errorf("a non-IP packet: %v", err)
	}
	if _, err := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("other"), Stream: intercept.CC}); !errors.Is(err, x2x3.ErrValue) {
		t.Errorf("an unknown LIID: %v", err)
	}
	noIRI, _ := x2x3.NewEncoder([]intercept.Task{task()}, nil)
	sn, _ := noIRI.NewStream(key)
	if _, err := sn.AppendIRI(nil, &intercept.IRIRecord{}); !errors.Is(err, x2x3.ErrUnsupported) {
		t.Errorf("IRI without an IRI encoder: %v", err)
	}
	if _, err := x2x3.NewEncoder([]intercept.Task{task(), task()}, nil); !errors.Is(err, x2x3.ErrValue) {
		t.Errorf("two tasks with one LIID: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := x2x3.AppendKeepAlive(nil, 7)
	x3, _ := x2x3.Marshal(&x2x3.PDU{Type: x2x3.X3, PayloadFormat: x2x3.FormatIPv4, HasSeq: true, Time: time.Unix(1, 0),
		Attributes: []x2x3.Attribute{{Type: x2x3.AttrSourcePort, Value: []byte{0, 80}}}, Payload: []byte{0x45}})
	set := func(b []byte, at int, v ...byte) []byte {
		c := append([]byte(nil), b...)
		copy(c[at:], v)
		return c
	}
	tests := []struct {
		name  string
		in    []byte
		err   error
		field string
		off   int64
	}{
		{"short", good[:39], x2x3.ErrTruncated, "header", 39},
		{"type 0", set(good, 2, 0, 0), x2x3.ErrValue, "header.pduType", 2},
		{"header length 39", set(good, 4, 0, 0, 0, 39), x2x3.ErrLength, "header.headerLength", 4},
		{"extra octet", append(append([]byte(nil), good...), 0), x2x3.ErrLength, "header.headerLength", 4},
		{"format 17", set(good, 12, 0, 17), x2x3.ErrValue, "header.payloadFormat", 12},
		{"direction 6", set(good, 14, 0, 6), x2x3.ErrValue, "header.payloadDirection", 14},
		{"keep-alive with payload", set(x3, 2, 0, 3), x2x3.ErrValue, "header.payloadLength", 8},
		{"seq of 3 octets", set(good, 42, 0, 3), x2x3.ErrLength, "attribute[0].length", 42},
		{"nanoseconds", set(x3, 56, 0x3b, 0x9a, 0xca, 0x00), x2x3.ErrValue, "attribute[1].nanoseconds", 56},
		{"port of 3 octets", set(x3, 62, 0, 3), x2x3.ErrLength, "attribute[2].length", 62},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := x2x3.Decode(tt.in)
			var e *x2x3.Error
			if !errors.As(err, &e) || !errors.Is(err, tt.err) || e.Field != tt.field || e.Offset != tt.off {
				t.Fatalf("error = %v; want %v at %s offset %d", err, tt.err, tt.field, tt.off)
			}
		})
	}
}

func TestKeepAliveBytes(t *testing.T) {
	got := x2x3.AppendKeepAlive(nil, 0x01020304)
	want := make([]byte, 48)
	binary.BigEndian.PutUint16(want[0:], 5)
	binary.BigEndian.PutUint16(want[2:], 3)
	binary.BigEndian.PutUint32(want[4:], 48)
	copy(want[40:], []byte{0, 8, 0, 4, 1, 2, 3, 4})
	if !bytes.Equal(got, want) {
		t.Errorf("keep-alive\n got %x\nwant %x", got, want)
	}
	ack, _ := x2x3.Decode(x2x3.AppendKeepAliveAck(nil, 9))
	if ack.Type != x2x3.KeepAliveAck || !ack.HasSeq || ack.Seq != 9 {
		t.Errorf("ack = %+v", ack)
	}
}
