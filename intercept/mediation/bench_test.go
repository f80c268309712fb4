package mediation_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
)

// BenchmarkMediation sends X3 PDUs from one NE over TLS on loopback: to
// the mediation function, whose handover only counts ("mf"), and, as the
// baseline in the same run, to a TLS server that reads the same bytes and
// discards them ("tls-baseline"). The ratio of their pdus/s is what the
// mediation costs over carrying the bytes.
func BenchmarkMediation(b *testing.B) {
	for _, size := range []int{64, 1500} {
		b.Run(fmt.Sprintf("mf/%dB", size), func(b *testing.B) {
			r := newRig(b, nil)
			r.ho.keep = false
			n := r.mustDial(b, "router-1.isp.test")
			b.ReportAllocs()
			sendX3(b, n.conn, r.task, size)
			n.keepAlive(1)
			if got := r.ho.count(); got != b.N {
				b.Fatalf("%d delivered of %d\n%s", got, b.N, r.srv.Stats())
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pdus/s")
		})
		b.Run(fmt.Sprintf("tls-baseline/%dB", size), func(b *testing.B) {
			r := newRig(b, nil) // for its certificates
			srvCfg := &tls.Config{
				Certificates: []tls.Certificate{r.serverCA.Server(b, "mf.test")},
				ClientAuth:   tls.RequireAndVerifyClientCert, ClientCAs: r.ca.Pool,
			}
			l, err := tls.Listen("tcp", "127.0.0.1:0", srvCfg)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			var read atomic.Int64
			done := make(chan struct{})
			go func() {
				defer close(done)
				c, err := l.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				buf := make([]byte, 64<<10)
				for {
					k, err := c.Read(buf)
					read.Add(int64(k))
					if err != nil {
						return
					}
				}
			}()
			c, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{
				RootCAs: r.serverCA.Pool, ServerName: "mf.test",
				Certificates: []tls.Certificate{r.ca.Client(b, "router-1.isp.test")},
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			sent := sendX3(b, c, r.task, size)
			c.Close()
			<-done
			if read.Load() != sent {
				b.Fatalf("read %d of %d bytes", read.Load(), sent)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pdus/s")
		})
	}
}

// sendX3 writes b.N X3 PDUs of task carrying size-byte packets to w, in
// writes of about 64 KiB, and returns the bytes written.
func sendX3(b *testing.B, w io.Writer, task intercept.Task, size int) int64 {
	b.Helper()
	enc, err := x2x3.NewEncoder([]intercept.Task{task}, nil)
	if err != nil {
		b.Fatal(err)
	}
	se, err := enc.NewStream(intercept.StreamKey{LIID: task.LIID, CIN: 1, Stream: intercept.CC})
	if err != nil {
		b.Fatal(err)
	}
	pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("198.51.100.7"), size, 0)
	buf := make([]byte, 0, 80<<10)
	rec := intercept.CCRecord{Time: t0, Direction: intercept.ToTarget, Packet: pkt}
	var total int64
	flush := func() {
		if _, err := w.Write(buf); err != nil {
			b.Fatal(err)
		}
		total += int64(len(buf))
		buf = buf[:0]
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := range b.N {
		rec.Seq = intercept.Seq(i)
		buf, _ = se.AppendCC(buf, &rec)
		if len(buf) >= 64<<10 {
			flush()
		}
	}
	if len(buf) > 0 {
		flush()
	}
	return total
}
