package pipeline_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

type discard struct{}

func (discard) Deliver(intercept.StreamKey, intercept.Seq, []byte) error { return nil }
func (discard) Close() error                                             { return nil }

// BenchmarkProcess measures the packet path alone — match, number,
// encode — against a handover that discards, with 4 tasks (a small ISP's
// usual handful, matched by scanning) or 64 (matched by hashing), one of
// which matches; the baseline is a copy of each packet, the least any
// interception must do.
func BenchmarkProcess(b *testing.B) {
	for _, size := range []int{64, 512, 1500} {
		target := netip.MustParseAddr("192.0.2.10")
		peer := netip.MustParseAddr("203.0.113.5")
		batch := make([]intercept.Packet, 64)
		for i := range batch {
			d := itest.Packet(target, peer, size, byte(i))
			batch[i] = intercept.Packet{Time: t0.Add(time.Duration(i) * time.Microsecond), Data: d, Length: len(d)}
		}
		for _, nTasks := range []int{4, 64} {
			b.Run(fmt.Sprintf("pipeline/tasks=%d/%d", nTasks, size), func(b *testing.B) {
				enc, _ := etsi.NewEncoder(itest.Profile(300*time.Second, 30*time.Second))
				p, _ := pipeline.New(pipeline.Config{
					Agencies: map[string]pipeline.Agency{"A": {Encoder: enc, Handover: discard{}}},
					Clock:    timesynctest.NewClock(t0),
				})
				var tasks []intercept.Task
				for i := range nTasks {
					a := netip.AddrFrom4([4]byte{10, 1, byte(i), 1})
					if i == 0 {
						a = target
					}
					tasks = append(tasks, intercept.Task{
						ID: [16]byte{byte(i + 1)}, LIID: intercept.MustParseLIID(fmt.Sprintf("L%d", i)),
						Targets:   []intercept.Target{intercept.AddressTarget(netip.PrefixFrom(a, 32))},
						NotBefore: t0, NotAfter: t0.Add(time.Hour), Delivery: intercept.CCOnly, Agency: "A",
					})
				}
				if err := p.SetTasks(tasks); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i += len(batch) {
					p.Process(batch[:min(len(batch), b.N-i)])
				}
			})
		}
		b.Run(fmt.Sprintf("copy-baseline/%d", size), func(b *testing.B) {
			buf := make([]byte, 0, 2048)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := range b.N {
				buf = append(buf[:0], batch[i%len(batch)].Data...)
			}
			_ = buf
		})
	}
}
