package pipeline_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// TestEndToEnd replays the sample capture through the pipeline and a TCP
// handover to the test LEMF: every packet of the target arrives exactly
// once, in order, byte for byte as captured; nothing else leaves.
func TestEndToEnd(t *testing.T) {
	enc, err := etsi.NewEncoder(itest.Profile(50*time.Millisecond, 2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	clock := timesynctest.NewClock(itest.SampleStart)
	var mu sync.Mutex
	var got [][]byte
	var seqs []intercept.Seq
	var cins []intercept.CIN
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{
		Encoder: enc, Clock: clock, Decode: true,
		OnPDU: func(_ lemf.ConnInfo, p *etsi.PDU) {
			if p.Payload.Kind == etsi.CCSequence {
				mu.Lock()
				got = append(got, bytes.Clone(p.Payload.CC[0].Packet))
				seqs = append(seqs, p.Header.Seq)
				cins = append(cins, p.Header.CIN)
				mu.Unlock()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	ho, err := handover.New(handover.Config{HI2: rx.Addr().String(), HI3: rx.Addr().String(), Encoder: enc, Clock: clock,
		MinBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{Agencies: map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: enc, Handover: ho}}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tk := task(1, "BE-E2E-1", itest.SampleStart, itest.SampleStart.Add(time.Hour),
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget4, 32)),
		intercept.AddressTarget(netip.PrefixFrom(itest.SampleTarget6, 128)))
	if err := p.SetTasks([]intercept.Task{tk}); err != nil {
		t.Fatal(err)
	}
	var sample bytes.Buffer
	if err := itest.WriteSample(&sample); err != nil {
		t.Fatal(err)
	}
	src, err := capture.NewFile(bytes.NewReader(sample.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	ref, _ := capture.NewFile(bytes.NewReader(sample.Bytes()))
	ref.Capture(t.Context(), func(batch []intercept.Packet) {
		for _, pk := range batch {
			src, dst := netip.AddrFrom4([4]byte(pk.Data[12:16])), netip.AddrFrom4([4]byte(pk.Data[16:20]))
			if pk.Data[0]>>4 == 6 {
				src, dst = netip.AddrFrom16([16]byte(pk.Data[8:24])), netip.AddrFrom16([16]byte(pk.Data[24:40]))
			}
			if src == itest.SampleTarget4 || dst == itest.SampleTarget4 || src == itest.SampleTarget6 || dst == itest.SampleTarget6 {
				want = append(want, bytes.Clone(pk.Data))
			}
		}
	})
	if len(want) != itest.SampleTargetPackets {
		t.Fatalf("the reference scan found %d target packets", len(want))
	}
	if err := p.Run(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	if err := ho.Close(); err != nil {
		t.Fatalf("handover did not drain: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != len(want) {
		t.Fatalf("the LEMF got %d CC records, want %d\n%s", len(got), len(want), rx.Report())
	}
	// One stream per target address, each numbered from 0 without a gap.
	next := map[intercept.CIN]intercept.Seq{}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) || seqs[i] != next[cins[i]] {
			t.Errorf("record %d: seq %d (want %d), packet identical: %v", i, seqs[i], next[cins[i]], bytes.Equal(got[i], want[i]))
		}
		next[cins[i]]++
	}
	if len(next) != 2 {
		t.Errorf("%d CC streams, want 2 (one per target address)", len(next))
	}
	st := p.Stats()
	if st.Packets != 90 || st.Unmatched != 50 || st.LIIDs[0].CC.Delivered != 40 {
		t.Errorf("pipeline stats:\n%s", st)
	}
	rep := rx.Report()
	for _, s := range rep.Streams {
		if s.Gaps != 0 || s.Duplicates != 0 {
			t.Errorf("stream %v: %+v", s.Key.Stream, s)
		}
	}
}

// BenchmarkPipeline measures the whole chain — in-memory packets, match,
// number, encode, queue, loopback TCP, a LEMF that reads each PDU's
// header and discards it — against BenchmarkPipelineBaseline's same
// packet bytes written to the same kind of socket with no processing.
// Both report packets per second; compare them at the same size.
func BenchmarkPipeline(b *testing.B) {
	for _, size := range []int{64, 512, 1500} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			enc, _ := etsi.NewEncoder(itest.Profile(time.Hour, time.Minute))
			clock := timesynctest.NewClock(t0)
			rx, err := lemf.Listen(context.Background(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: clock})
			if err != nil {
				b.Fatal(err)
			}
			defer rx.Close()
			const queue = 32 << 20
			ho, err := handover.New(handover.Config{HI2: rx.Addr().String(), HI3: rx.Addr().String(), Encoder: enc, Clock: clock, QueueBytes: queue})
			if err != nil {
				b.Fatal(err)
			}
			defer ho.Close()
			p, _ := pipeline.New(pipeline.Config{Agencies: map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: enc, Handover: ho}}, Clock: clock})
			target := netip.MustParseAddr("192.0.2.10")
			if err := p.SetTasks([]intercept.Task{task(1, "BENCH", t0, t0.Add(time.Hour), intercept.AddressTarget(netip.PrefixFrom(target, 32)))}); err != nil {
				b.Fatal(err)
			}
			batch := benchBatch(target, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i += len(batch) {
				for ho.Queued() > queue/2 {
					time.Sleep(20 * time.Microsecond) // the harness waits; the pipeline never does
				}
				p.Process(batch[:min(len(batch), b.N-i)])
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			key := intercept.StreamKey{LIID: intercept.MustParseLIID("BENCH"), CIN: staticCINOf(target), Stream: intercept.CC}
			if _, err := rx.WaitFor(ctx, func(r lemf.Report) bool { s, ok := r.Stream(key); return ok && s.Unique == uint64(b.N) }); err != nil {
				b.Fatalf("the LEMF did not get everything: %v\n%s", err, rx.Report())
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pkts/s")
			if r := p.Stats().LIIDs[0].CC.Refused; r != 0 {
				b.Fatalf("%d records refused", r)
			}
		})
	}
}

// BenchmarkPipelineBaseline writes the same packets' bytes, batched into
// 64 KiB writes, to a loopback TCP connection whose reader discards them.
func BenchmarkPipelineBaseline(b *testing.B) {
	for _, size := range []int{64, 512, 1500} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			done := make(chan int64)
			go func() {
				c, err := ln.Accept()
				if err != nil {
					done <- 0
					return
				}
				n, _ := io.Copy(io.Discard, c)
				done <- n
			}()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			w := bufio.NewWriterSize(c, 64<<10)
			batch := benchBatch(netip.MustParseAddr("192.0.2.10"), size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				w.Write(batch[i%len(batch)].Data)
			}
			w.Flush()
			c.Close()
			n := <-done
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pkts/s")
			if n != int64(b.N)*int64(size) {
				b.Fatalf("received %d bytes of %d", n, int64(b.N)*int64(size))
			}
		})
	}
}

func benchBatch(target netip.Addr, size int) []intercept.Packet {
	peer := netip.MustParseAddr("203.0.113.5")
	batch := make([]intercept.Packet, 64)
	for i := range batch {
		d := itest.Packet(target, peer, size, byte(i))
		batch[i] = intercept.Packet{Time: t0.Add(time.Duration(i) * time.Microsecond), Data: d, Length: len(d)}
	}
	return batch
}

// staticCINOf is the documented CIN of a static /32 or /128 target.
func staticCINOf(a netip.Addr) intercept.CIN { return cinOfPrefix(netip.PrefixFrom(a, a.BitLen())) }
