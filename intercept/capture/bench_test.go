package capture_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/internal/itest"
)

// benchFileBytes is how large a capture file the benchmarks replay: far
// larger than any cache but the page cache, so the read loop is measured
// at its steady state.
const benchFileBytes = 256 << 20

// BenchmarkFileCapture measures capture.File's read loop (Capture into a
// deliver func that discards) against a plain sequential read of the same
// file, at 64- and 1500-octet Ethernet frames, in a pcap file (read in
// place) and a pcapng one (read by pcapgo, copied into the arena), and
// reports them, in the same run, as ratios:
//
//	MB/s, pkts/s   the capture source (ns/op is one pass over the file)
//	read-MB/s      the file read in 64 KiB chunks, timed apart
//	ratio          capture MB/s ÷ read-MB/s (goal: ≥ 0.8)
//	read256-MB/s   the file read in 256 KiB chunks, File's buffer size
//	ratio256       capture MB/s ÷ read256-MB/s: the read loop's own cost
//
// Each iteration does all three, one after the other, so a machine whose
// load changes during the run slows them alike. The file is written once,
// outside the timer, to b.TempDir(); having just been written it is in the
// page cache, and every side reads it from there: the ratios are the read
// loop's CPU cost against a read's (the system calls and the copy out of
// the page cache), not the disk's speed.
func BenchmarkFileCapture(b *testing.B) {
	for _, tc := range []struct {
		format string
		frame  int
	}{{"pcap", 64}, {"pcap", 1500}, {"pcapng", 64}, {"pcapng", 1500}} {
		b.Run(fmt.Sprintf("%s/frame=%d", tc.format, tc.frame), func(b *testing.B) {
			path, packets := writeBenchFile(b, tc.format, tc.frame, benchFileBytes)
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			var read, read256, capt time.Duration
			for b.Loop() {
				b.StopTimer()
				t0 := time.Now()
				readPlain(b, path, 64<<10)
				read += time.Since(t0)
				t0 = time.Now()
				readPlain(b, path, 256<<10)
				read256 += time.Since(t0)
				b.StartTimer()

				t0 = time.Now()
				if n := captureDiscard(b, path); n != packets {
					b.Fatalf("captured %d packets of %d", n, packets)
				}
				capt += time.Since(t0)
			}
			mb := float64(st.Size()) * float64(b.N) / 1e6
			b.ReportMetric(float64(packets)*float64(b.N)/capt.Seconds(), "pkts/s")
			b.ReportMetric(mb/read.Seconds(), "read-MB/s")
			b.ReportMetric(read.Seconds()/capt.Seconds(), "ratio")
			b.ReportMetric(mb/read256.Seconds(), "read256-MB/s")
			b.ReportMetric(read256.Seconds()/capt.Seconds(), "ratio256")
		})
	}
}

// readPlain reads the file at path sequentially in chunks of chunk octets
// and throws them away: what reading the file costs.
func readPlain(b *testing.B, path string, chunk int) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, chunk)
	for {
		_, err := f.Read(buf)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// captureDiscard replays the file at path through capture.File into a
// deliver func that only counts, and returns the count.
func captureDiscard(b *testing.B, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	src, err := capture.NewFile(f)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	if err := src.Capture(context.Background(), func(batch []intercept.Packet) { n += len(batch) }); err != nil {
		b.Fatal(err)
	}
	return n
}

// writeBenchFile writes a pcap or pcapng file (format) of about size
// octets of Ethernet frames of frame octets (IPv4, UDP) to b.TempDir() and
// returns its path and how many packets it holds.
func writeBenchFile(b *testing.B, format string, frame, size int) (string, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("frame%d.%s", frame, format))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	var w interface {
		WritePacket(gopacket.CaptureInfo, []byte) error
	}
	flush := bw.Flush
	record := 16 + frame // octets a packet takes in the file
	if format == "pcapng" {
		ng, err := pcapgo.NewNgWriter(bw, layers.LinkTypeEthernet)
		if err != nil {
			b.Fatal(err)
		}
		flush = func() error { return errors.Join(ng.Flush(), bw.Flush()) }
		w, record = ng, 32+(frame+3)&^3
	} else {
		pw := pcapgo.NewWriterNanos(bw)
		if err := pw.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
			b.Fatal(err)
		}
		w = pw
	}
	eth := make([]byte, 14, frame)
	copy(eth, []byte{2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2})
	binary.BigEndian.PutUint16(eth[12:], 0x0800)
	data := append(eth, itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("203.0.113.5"), frame-14, 0)...)
	at := itest.SampleStart
	n := 0
	for written := 0; written < size; written += record {
		ci := gopacket.CaptureInfo{Timestamp: at.Add(time.Duration(n) * time.Microsecond), CaptureLength: frame, Length: frame}
		if err := w.WritePacket(ci, data); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, n
}
