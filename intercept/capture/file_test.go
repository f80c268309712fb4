package capture_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
	recs, _ := ethernetRecords(20)
	f.Add(pcapFile(binary.BigEndian, true, 65535, layers.LinkTypeEthernet, recs...))
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
		if len(b) >= 4 && bytes.Contains([]byte("\xd4\xc3\xb2\xa1\xa1\xb2\xc3\xd4\x4d\x3c\xb2\xa1\xa1\xb2\x3c\x4d"), b[:4]) {
			samePackets(t, b)
		}
	})
}

// samePackets: a plain pcap file, read in place, gives the packets, the
// counts and the errors its compressed copy, read through pcapgo, gives —
// except that a file cut right after a record's header is cut short,
// where pcapgo sees its end.
func samePackets(t *testing.T, b []byte) {
	type result struct {
		pkts    []packet
		stats   intercept.CaptureStats
		skipped uint64
		err     error
	}
	read := func(b []byte) result {
		f, err := capture.NewFile(bytes.NewReader(b))
		if err != nil {
			return result{err: err}
		}
		var r result
		r.err = f.Capture(t.Context(), func(batch []intercept.Packet) {
			for _, p := range batch {
				r.pkts = append(r.pkts, packet{p.Time, bytes.Clone(p.Data), p.Length})
			}
		})
		r.stats, r.skipped = f.Stats(), f.Skipped()
		return r
	}
	got, want := read(b), read(gzipped(t, b))
	if (got.err == nil) != (want.err == nil) && !(want.err == nil && errors.Is(got.err, io.ErrUnexpectedEOF)) {
		t.Fatalf("in place: %v; pcapgo: %v", got.err, want.err)
	}
	if len(got.pkts) != len(want.pkts) || got.stats != want.stats || got.skipped != want.skipped {
		t.Fatalf("in place: %d packets, %+v, %d skipped; pcapgo: %d, %+v, %d", len(got.pkts), got.stats, got.skipped, len(want.pkts), want.stats, want.skipped)
	}
	for i, p := range got.pkts {
		w := want.pkts[i]
		if !p.at.Equal(w.at) || p.length != w.length || !bytes.Equal(p.data, w.data) {
			t.Fatalf("packet %d: %v, %d octets of %d; pcapgo: %v, %d of %d", i, p.at, len(p.data), p.length, w.at, len(w.data), w.length)
		}
	}
}

// rec is a record of a hand-written pcap file.
type rec struct {
	at     time.Time
	data   []byte // the octets kept
	length int    // on the wire
}

// pcapFile writes a pcap file by hand, in either byte order with micro- or
// nanosecond timestamps (pcapgo writes only little-endian ones).
func pcapFile(order binary.AppendByteOrder, nanos bool, snaplen uint32, lt layers.LinkType, recs ...rec) []byte {
	magic := uint32(0xA1B2C3D4)
	if nanos {
		magic = 0xA1B23C4D
	}
	b := order.AppendUint32(nil, magic)
	b = order.AppendUint16(b, 2)
	b = order.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = order.AppendUint32(b, snaplen)
	b = order.AppendUint32(b, uint32(lt))
	for _, r := range recs {
		frac := r.at.Nanosecond() / 1000
		if nanos {
			frac = r.at.Nanosecond()
		}
		b = order.AppendUint32(b, uint32(r.at.Unix()))
		b = order.AppendUint32(b, uint32(frac))
		b = order.AppendUint32(b, uint32(len(r.data)))
		b = order.AppendUint32(b, uint32(r.length))
		b = append(b, r.data...)
	}
	return b
}

func gzipped(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ethernetRecords returns n Ethernet frames of many lengths: IPv4 and
// IPv6, some tagged, some padded, some cut by a snap length of 200, and
// every seventh an ARP frame; and how many carry IP.
func ethernetRecords(n int) ([]rec, int) {
	a := netip.MustParseAddr
	var recs []rec
	ip := 0
	for i := range n {
		at := itest.SampleStart.Add(time.Duration(i)*time.Millisecond + time.Duration(i%1000)*time.Microsecond)
		f := []byte{2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}
		if i%3 == 0 {
			f = binary.BigEndian.AppendUint16(f, 0x8100)
			f = binary.BigEndian.AppendUint16(f, 42)
		}
		var payload []byte
		et := uint16(0x0800)
		switch {
		case i%7 == 6:
			et, payload = 0x0806, make([]byte, 28)
		case i%2 == 0:
			payload = itest.Packet(a("192.0.2.10"), a("203.0.113.5"), 28+(i*37)%1472, byte(i))
		default:
			et, payload = 0x86DD, itest.Packet(a("2001:db8:10::1"), a("2001:db8::5"), 48+(i*53)%1452, byte(i))
		}
		if et != 0x0806 {
			ip++
		}
		f = binary.BigEndian.AppendUint16(f, et)
		f = append(f, payload...)
		for len(f) < 60 {
			f = append(f, 0)
		}
		kept := f
		if i%11 == 10 {
			kept = f[:min(len(f), 200)]
		}
		recs = append(recs, rec{at: at, data: kept, length: len(f)})
	}
	return recs, ip
}

// TestPcapInPlace: a pcap file, read in place, gives what pcapgo's reading
// of the same file gives (compressed, it is read through pcapgo), in both
// byte orders and timestamp units, over a file several times the read
// buffer's size.
func TestPcapInPlace(t *testing.T) {
	recs, ip := ethernetRecords(3000)
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, nanos := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v nanoseconds=%v", order, nanos), func(t *testing.T) {
				b := pcapFile(order, nanos, 65535, layers.LinkTypeEthernet, recs...)
				if len(b) < 1<<20 {
					t.Fatalf("a file of %d octets", len(b))
				}
				pkts, f, err := replay(t, b)
				if err != nil {
					t.Fatal(err)
				}
				want, g, err := replay(t, gzipped(t, b))
				if err != nil {
					t.Fatal(err)
				}
				if len(pkts) != ip || f.Skipped() != uint64(len(recs)-ip) || f.Stats() != g.Stats() || f.Skipped() != g.Skipped() {
					t.Fatalf("%d packets, %d skipped, %+v; pcapgo: %d, %d, %+v", len(pkts), f.Skipped(), f.Stats(), len(want), g.Skipped(), g.Stats())
				}
				if f.Stats().Truncated == 0 {
					t.Error("no truncated packet")
				}
				for i := range pkts {
					p, w := pkts[i], want[i]
					if !p.at.Equal(w.at) || p.at.Location() != time.UTC || p.length != w.length || !bytes.Equal(p.data, w.data) {
						t.Fatalf("packet %d: %v, %d octets of %d; pcapgo: %v, %d of %d", i, p.at, len(p.data), p.length, w.at, len(w.data), w.length)
					}
				}
				if !nanos && !pkts[1].at.Equal(recs[1].at.Truncate(time.Microsecond)) || nanos && !pkts[1].at.Equal(recs[1].at) {
					t.Errorf("second packet at %v, written at %v", pkts[1].at, recs[1].at)
				}
			})
		}
	}
}

// TestPcapLargeRecord: a record longer than the read buffer (an IPv6
// jumbogram under a snap length of 1 MiB) is read whole, between two
// ordinary ones.
func TestPcapLargeRecord(t *testing.T) {
	a := netip.MustParseAddr
	small := itest.Packet(a("192.0.2.10"), a("203.0.113.5"), 100, 1)
	jumbo := itest.Packet(a("2001:db8:10::1"), a("2001:db8::5"), 300<<10, 2)
	binary.BigEndian.PutUint16(jumbo[4:], 0) // a jumbogram's payload length
	at := itest.SampleStart
	b := pcapFile(binary.LittleEndian, true, 1<<20, layers.LinkTypeRaw,
		rec{at, small, len(small)}, rec{at, jumbo, len(jumbo)}, rec{at, small, len(small)}, rec{at, jumbo, len(jumbo)})
	pkts, f, err := replay(t, b)
	if err != nil || len(pkts) != 4 || f.Stats().Received != 4 {
		t.Fatalf("%v, %d packets, %+v", err, len(pkts), f.Stats())
	}
	for i, want := range [][]byte{small, jumbo, small, jumbo} {
		if !bytes.Equal(pkts[i].data, want) || pkts[i].length != len(want) {
			t.Errorf("packet %d: %d octets of %d, want %d", i, len(pkts[i].data), pkts[i].length, len(want))
		}
	}
}

// TestPcapBroken: a pcap file cut short, inside a record's header or its
// data, or just after a header, gives the packets before the cut, then
// ErrFormat wrapping io.ErrUnexpectedEOF; one that ends between records
// is whole. A record longer on the file than on the wire, or than the
// snap length allows, is refused.
func TestPcapBroken(t *testing.T) {
	recs, _ := ethernetRecords(200)
	b := pcapFile(binary.LittleEndian, false, 65535, layers.LinkTypeEthernet, recs...)
	whole := 24 + 16 + len(recs[0].data)
	for _, tc := range []struct {
		name string
		cut  int
		err  error
		pkts int // at least
	}{
		{"between records", whole, nil, 1},
		{"in a header", whole + 9, io.ErrUnexpectedEOF, 1},
		{"after a header", whole + 16, io.ErrUnexpectedEOF, 1},
		{"in the data", whole + 30, io.ErrUnexpectedEOF, 1},
		{"far on", len(b) - 1, io.ErrUnexpectedEOF, 150},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkts, _, err := replay(t, b[:tc.cut])
			if tc.err == nil && err != nil || tc.err != nil && (!errors.Is(err, capture.ErrFormat) || !errors.Is(err, tc.err)) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
			if len(pkts) < tc.pkts {
				t.Errorf("%d packets before the cut", len(pkts))
			}
		})
	}
	dgram := itest.Packet(itest.SampleTarget4, itest.SampleTarget4, 100, 7)
	for _, tc := range []struct {
		name    string
		snaplen uint32
		r       rec
	}{
		{"longer than on the wire", 65535, rec{itest.SampleStart, dgram, 99}},
		{"beyond the snap length", 1 << 20, rec{itest.SampleStart, make([]byte, 1<<20+1), 1<<20 + 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := pcapFile(binary.BigEndian, false, tc.snaplen, layers.LinkTypeRaw, rec{itest.SampleStart, dgram, 100}, tc.r)
			pkts, _, err := replay(t, b)
			if !errors.Is(err, capture.ErrFormat) || len(pkts) != 1 {
				t.Errorf("%v after %d packets", err, len(pkts))
			}
		})
	}
}

// TestPcapngJumboFrames: a pcapng file's datagrams are copied into an
// arena of 128 KiB, and a batch that would overflow it is handed over
// early rather than grow it; every datagram arrives intact.
func TestPcapngJumboFrames(t *testing.T) {
	var buf bytes.Buffer
	ng, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeRaw)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for i := range 200 {
		d := itest.Packet(itest.SampleTarget4, netipPeer4(), 9000-i, byte(i))
		want = append(want, d)
		if err := ng.WritePacket(gopacket.CaptureInfo{Timestamp: itest.SampleStart, CaptureLength: len(d), Length: len(d)}, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := ng.Flush(); err != nil {
		t.Fatal(err)
	}
	pkts, _, err := replay(t, buf.Bytes())
	if err != nil || len(pkts) != len(want) {
		t.Fatalf("%v, %d packets", err, len(pkts))
	}
	for i := range want {
		if !bytes.Equal(pkts[i].data, want[i]) {
			t.Fatalf("datagram %d differs", i)
		}
	}
}
