package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync"
)

// replayChildEnv carries the tap's arguments, one a line, to the test
// binary run as a child by TestReplayMemoryBounded.
const replayChildEnv = "CCJKIT_TAP_REPLAY_CHILD"

// memoryBound is what the tap may hold resident, whatever the capture's
// size.
const memoryBound = 64 << 20

// TestReplayMemoryBounded: the tap streams a capture file, so replaying
// one four times the bound (256 MiB of 1500-octet frames, every one the
// target's) keeps its peak resident set (VmHWM) within 64 MiB — capture,
// pipeline, encoder and the handover's queues together. It runs the tap
// in a process of its own, this test binary again (TestReplayMemoryChild),
// towards a receiver in this one, which reads what it gets and answers
// keep-alives.
func TestReplayMemoryBounded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads the peak resident set from /proc/self/status (Linux)")
	}
	if testing.Short() {
		t.Skip("writes and replays a 256 MiB capture; run without -short")
	}
	if raceEnabled() {
		t.Skip("the race detector's shadow memory is no measure of the tap's")
	}
	path, packets := writeLargeCapture(t, 4*memoryBound)
	enc, _ := etsi.NewEncoder(rehearsal())
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	args := []string{"-lemf", rx.Addr().String(), "-file", path, "-target", itest.SampleTarget4.String() + "/32"}
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestReplayMemoryChild$")
	cmd.Env = append(os.Environ(), replayChildEnv+"="+strings.Join(args, "\n"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	began := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("the tap: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	took := time.Since(began)
	out := stdout.String()
	if want := fmt.Sprintf("replayed %d packets (0 frames without IP skipped)", packets); !strings.Contains(out, want) {
		t.Fatalf("output lacks %q:\n%s\n%s", want, out, stderr.String())
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no VmHWM in the output:\n%s", out)
	}
	kib, _ := strconv.Atoi(m[1])
	var cc uint64
	for _, s := range rx.Report().Streams {
		if s.Key.Stream == intercept.CC {
			cc += s.Unique
		}
	}
	t.Logf("%s\n%d MiB, %d packets in %v (%.0f packets/s): peak resident %d KiB; the receiver got %d CC records", out,
		4*memoryBound>>20, packets, took.Round(time.Millisecond), float64(packets)/took.Seconds(), kib, cc)
	if kib<<10 > memoryBound {
		t.Errorf("the tap's peak resident set was %d KiB, over %d KiB", kib, memoryBound>>10)
	}
	// Paced by the receiver, the replay loses nothing.
	if !strings.Contains(out, fmt.Sprintf("CC %d delivered of %d", packets, packets)) {
		t.Errorf("the tap did not deliver every packet:\n%s", out)
	}
	itest.WaitFor(t, "the receiver to have every CC record", func() bool {
		var n uint64
		for _, s := range rx.Report().Streams {
			if s.Key.Stream == intercept.CC {
				n += s.Unique
			}
		}
		return n == uint64(packets)
	})
}

// TestReplayMemoryChild is the tap that TestReplayMemoryBounded runs in a
// process of its own: it runs with the arguments in $CCJKIT_TAP_REPLAY_CHILD
// and prints its output, then its peak resident set (VmHWM).
func TestReplayMemoryChild(t *testing.T) {
	args := os.Getenv(replayChildEnv)
	if args == "" {
		t.Skip("run by TestReplayMemoryBounded")
	}
	if code := run(t.Context(), strings.Split(args, "\n"), os.Stdout, os.Stderr); code != 0 {
		t.Fatalf("exit %d", code)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Print(line)
		}
	}
}

// writeLargeCapture writes a pcap file of about size octets to
// t.TempDir(): Ethernet frames of 1500 octets, IPv4 datagrams from the
// sample's target, 10 µs apart from the sample's start. It returns the
// file's path and how many packets it holds.
func writeLargeCapture(t *testing.T, size int) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "large.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := pcapgo.NewWriter(bw)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	frame := []byte{2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}
	frame = binary.BigEndian.AppendUint16(frame, 0x0800)
	frame = append(frame, itest.Packet(itest.SampleTarget4, netip.MustParseAddr("203.0.113.5"), 1500-len(frame), 0)...)
	n := 0
	for written := 24; written < size; written += 16 + len(frame) {
		at := itest.SampleStart.Add(time.Duration(n) * 10 * time.Microsecond)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(frame), Length: len(frame)}, frame); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, n
}

// raceEnabled reports whether this binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// TestReplayFromPipe: a capture that cannot seek (a pipe, say) is read
// once, what finding its first packet took kept and read again: the
// replay has every packet, from the first packet's time, as when it can
// seek — the sample, and a capture of 2 MiB, longer than what is kept.
func TestReplayFromPipe(t *testing.T) {
	path, packets := writeLargeCapture(t, 2<<20)
	for _, tc := range []struct {
		name    string
		open    func() io.Reader
		packets int
		skipped uint64
	}{
		{"sample", func() io.Reader { return bytes.NewReader(sample) }, 90, 10},
		{"2 MiB", func() io.Reader {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}, packets, 0},
	} {
		for _, seekable := range []bool{true, false} {
			r := tc.open()
			if !seekable {
				r = struct{ io.Reader }{r} // hides Seek
			}
			src, start, err := openReplay(r)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			if err := src.Capture(t.Context(), func(b []intercept.Packet) { n += len(b) }); err != nil {
				t.Fatal(err)
			}
			if !start.Equal(itest.SampleStart) || n != tc.packets || src.Skipped() != tc.skipped {
				t.Errorf("%s, seekable %v: from %v, %d packets, %d skipped", tc.name, seekable, start, n, src.Skipped())
			}
		}
	}
}
