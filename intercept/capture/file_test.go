package capture_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/internal/itest"
)

type packet struct {
	at     time.Time
	data   []byte
	length int
}

func replay(t *testing.T, b []byte) ([]packet, *capture.File, error) {
	t.Helper()
	f, err := capture.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out []packet
	err = f.Capture(t.Context(), func(batch []intercept.Packet) {
		if len(batch) > capture.BatchSize {
			t.Errorf("a batch of %d", len(batch))
		}
		for _, p := range batch {
			out = append(out, packet{p.Time, bytes.Clone(p.Data), p.Length})
		}
	})
	return out, f, err
}

func TestSampleReplay(t *testing.T) {
	var buf bytes.Buffer
	if err := itest.WriteSample(&buf); err != nil {
		t.Fatal(err)
	}
	pkts, f, err := replay(t, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(pkts) != 90 || f.Skipped() != 10 || f.Stats().Received != 90 || f.Stats().Truncated != 0 {
		t.Fatalf("%d packets, %d skipped, stats %+v", len(pkts), f.Skipped(), f.Stats())
	}
	if !pkts[0].at.Equal(itest.SampleStart) || pkts[0].at.Location() != time.UTC {
		t.Errorf("first packet at %v", pkts[0].at)
	}
	// Frame 0 is a 28-byte datagram padded to Ethernet's minimum: the
	// padding is gone. Frame 3 (VLAN-tagged, IPv6) arrives whole.
	if len(pkts[0].data) != 28 || pkts[0].length != 28 {
		t.Errorf("padded datagram: %d bytes, length %d", len(pkts[0].data), pkts[0].length)
	}
	want := itest.Packet(itest.SampleTarget4, netipPeer4(), 28, 0)
	if !bytes.Equal(pkts[0].data, want) {
		t.Errorf("datagram 0 differs from what was written")
	}
}

func netipPeer4() netip.Addr { return netip.MustParseAddr("203.0.113.5") }

func TestLinkTypesAndTruncation(t *testing.T) {
	dgram := itest.Packet(itest.SampleTarget4, itest.SampleTarget4, 100, 7)
	tests := []struct {
		name  string
		lt    layers.LinkType
		frame []byte
		snap  int // bytes kept
		want  []byte
		len   int
	}{
		{"raw IP", layers.LinkTypeRaw, dgram, 100, dgram, 100},
		{"Linux cooked", layers.LinkTypeLinuxSLL, append([]byte{0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00}, dgram...), 116, dgram, 100},
		{"BSD loopback", layers.LinkTypeNull, append([]byte{2, 0, 0, 0}, dgram...), 104, dgram, 100},
		{"QinQ", layers.LinkTypeEthernet, append([]byte{2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0xA8, 0, 1, 0x81, 0x00, 0, 2, 0x08, 0x00}, dgram...), 122, dgram, 100},
		{"truncated by the snap length", layers.LinkTypeRaw, dgram, 60, dgram[:60], 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := pcapgo.NewWriterNanos(&buf)
			if err := w.WriteFileHeader(65535, tc.lt); err != nil {
				t.Fatal(err)
			}
			if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: itest.SampleStart, CaptureLength: tc.snap, Length: len(tc.frame)}, tc.frame[:tc.snap]); err != nil {
				t.Fatal(err)
			}
			pkts, f, err := replay(t, buf.Bytes())
			if err != nil || len(pkts) != 1 {
				t.Fatalf("%v, %d packets", err, len(pkts))
			}
			if !bytes.Equal(pkts[0].data, tc.want) || pkts[0].length != tc.len {
				t.Errorf("got %d bytes of length %d, want %d of %d", len(pkts[0].data), pkts[0].length, len(tc.want), tc.len)
			}
			if (tc.len > len(tc.want)) != (f.Stats().Truncated == 1) {
				t.Errorf("truncated count %d", f.Stats().Truncated)
			}
		})
	}
}

func TestBrokenFiles(t *testing.T) {
	var buf bytes.Buffer
	if err := itest.WriteSample(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := capture.NewFile(bytes.NewReader([]byte("not a capture file at all"))); !errors.Is(err, capture.ErrFormat) {
		t.Errorf("garbage: %v", err)
	}
	if _, err := capture.NewFile(bytes.NewReader(nil)); !errors.Is(err, capture.ErrFormat) {
		t.Errorf("empty: %v", err)
	}
	// Cut in the middle of a block: what came before is delivered, then
	// the error.
	pkts, _, err := replay(t, buf.Bytes()[:buf.Len()/2])
	if !errors.Is(err, capture.ErrFormat) || len(pkts) == 0 {
		t.Errorf("cut file: %v after %d packets", err, len(pkts))
	}
	// Cancelled.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	f, _ := capture.NewFile(bytes.NewReader(buf.Bytes()))
	if err := f.Capture(ctx, func([]intercept.Packet) {}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// FuzzFile: any input is refused cleanly or replayed, never a panic, and
// every packet handed over is an IP datagram no longer than its length.
func FuzzFile(f *testing.F) {
	var buf bytes.Buffer
	if err := itest.WriteSample(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes()[:2000])
	var pc bytes.Buffer
	w := pcapgo.NewWriter(&pc)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: itest.SampleStart, CaptureLength: 60, Length: 60}, make([]byte, 60))
	f.Add(pc.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := capture.NewFile(bytes.NewReader(b))
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		file.Capture(ctx, func(batch []intercept.Packet) {
			for _, p := range batch {
				if len(p.Data) == 0 || (p.Data[0]>>4 != 4 && p.Data[0]>>4 != 6) || len(p.Data) > p.Length {
					t.Fatalf("handed over a packet that is no datagram: %d bytes, length %d", len(p.Data), p.Length)
				}
			}
		})
	})
}
