package x2x3_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
)

func seeds(tb testing.TB) [][]byte {
	x3, err := x2x3.Marshal(&x2x3.PDU{Version: 5, Type: x2x3.X3, PayloadFormat: x2x3.FormatIPv4, Direction: x2x3.DirectionFromTarget,
		HasSeq: true, Seq: 3, Time: time.Unix(1795422600, 5), Attributes: []x2x3.Attribute{{Type: x2x3.AttrIPProtocol, Value: []byte{17}}},
		Payload: []byte{0x45, 0, 0, 20}})
	if err != nil {
		tb.Fatal(err)
	}
	return [][]byte{x3, x2x3.AppendKeepAlive(nil, 1), x2x3.AppendKeepAliveAck(nil, 1)}
}

// FuzzDecode: Decode never panics; what it accepts encodes back to the
// same octets (the encoding is canonical: fixed sizes, attributes in order).
func FuzzDecode(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := x2x3.Decode(b)
		if err != nil {
			var e *x2x3.Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(b)) {
				t.Fatalf("error without a location: %v", err)
			}
			return
		}
		again, err := x2x3.Marshal(p)
		if err != nil {
			t.Fatalf("a decoded PDU does not encode: %v", err)
		}
		q, err := x2x3.Decode(again)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, q, pduCmp); diff != "" {
			t.Fatalf("re-encoding changed the PDU:\n%s", diff)
		}
	})
}

// FuzzFramer: the framer never panics and returns the input's bytes in order.
func FuzzFramer(f *testing.F) {
	all := bytes.Join(seeds(f), nil)
	f.Add(all)
	f.Fuzz(func(t *testing.T, b []byte) {
		fr := x2x3.NewFramer(bytes.NewReader(b), 4096)
		off := 0
		for range len(b)/x2x3.HeaderLen + 2 {
			pdu, err := fr.Next()
			if err != nil {
				if errors.Is(err, io.EOF) && off != len(b) {
					t.Fatalf("EOF at %d of %d", off, len(b))
				}
				return
			}
			if !bytes.Equal(pdu, b[off:off+len(pdu)]) {
				t.Fatalf("PDU at %d is not the input's bytes", off)
			}
			off += len(pdu)
		}
		t.Fatal("the framer did not stop")
	})
}

var sizes = []int{64, 512, 1500}

// BenchmarkEncodeX3 encodes one X3 PDU per iteration into a reused buffer;
// compare its MB/s with BenchmarkCopyBaseline's in the same run.
func BenchmarkEncodeX3(b *testing.B) {
	enc, err := x2x3.NewEncoder([]intercept.Task{task()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := enc.NewStream(intercept.StreamKey{LIID: task().LIID, CIN: 1, Stream: intercept.CC})
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			pkt := make([]byte, n)
			pkt[0] = 0x45
			r := intercept.CCRecord{Time: time.Unix(1795422600, 0), Packet: pkt}
			buf := make([]byte, 0, n+128)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				r.Seq = r.Seq.Next()
				if buf, err = s.AppendCC(buf[:0], &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCopyBaseline(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			pkt := make([]byte, n)
			buf := make([]byte, 0, n+128)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				buf = append(buf[:0], pkt...)
			}
		})
	}
}

// BenchmarkDecodeX3 decodes one X3 PDU per iteration into a reused PDU.
func BenchmarkDecodeX3(b *testing.B) {
	enc, _ := x2x3.NewEncoder([]intercept.Task{task()}, nil)
	s, _ := enc.NewStream(intercept.StreamKey{LIID: task().LIID, CIN: 1, Stream: intercept.CC})
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			pkt := make([]byte, n)
			pkt[0] = 0x45
			pdu, err := s.AppendCC(nil, &intercept.CCRecord{Time: time.Unix(1795422600, 0), Packet: pkt})
			if err != nil {
				b.Fatal(err)
			}
			var p x2x3.PDU
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Decode(pdu); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
