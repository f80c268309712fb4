package etsi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
)

var sizes = []int{64, 512, 1500}

// BenchmarkEncodeCC encodes one IPCC record per iteration into a reused
// buffer; BenchmarkCopyBaseline only copies the same packet into a buffer.
// Compare their MB/s (bytes are the packet's) side by side in one run.
func BenchmarkEncodeCC(b *testing.B) {
	enc, err := etsi.NewEncoder(profile(intercept.Microseconds))
	if err != nil {
		b.Fatal(err)
	}
	s, _ := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("BE-2026-0042"), CIN: 3, Stream: intercept.CC})
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := intercept.CCRecord{Time: at, Direction: intercept.FromTarget, Packet: make([]byte, n)}
			buf := make([]byte, 0, n+256)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				r.Seq = r.Seq.Next()
				r.Time = r.Time.Add(time.Microsecond)
				buf, err = s.AppendCC(buf[:0], &r)
				if err != nil {
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
			buf := make([]byte, 0, n+256)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				buf = append(buf[:0], pkt...)
			}
		})
	}
}

// BenchmarkDecodeCC decodes one IPCC record per iteration into a reused
// PDU (the packet is not copied); compare with BenchmarkCopyBaseline.
func BenchmarkDecodeCC(b *testing.B) {
	enc, _ := etsi.NewEncoder(profile(intercept.Microseconds))
	s, _ := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("BE-2026-0042"), CIN: 3, Stream: intercept.CC})
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			pdu, err := s.AppendCC(nil, &intercept.CCRecord{Seq: 7, Time: time.Unix(1700000000, 0), Packet: make([]byte, n)})
			if err != nil {
				b.Fatal(err)
			}
			var p etsi.PDU
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

// BenchmarkPeekCC: what a counting receiver pays per record, next to
// BenchmarkDecodeCC.
func BenchmarkPeekCC(b *testing.B) {
	enc, _ := etsi.NewEncoder(profile(intercept.Microseconds))
	s, _ := enc.NewStream(intercept.StreamKey{LIID: intercept.MustParseLIID("BE-2026-0042"), CIN: 3, Stream: intercept.CC})
	pdu, err := s.AppendCC(nil, &intercept.CCRecord{Seq: 7, Time: time.Unix(1700000000, 0), Packet: make([]byte, 1500)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := etsi.Peek(pdu); err != nil {
			b.Fatal(err)
		}
	}
}
