package mediation_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The harness's bounds, the same on both sides.
const (
	// fourQueue is each handover's QueueBytes, and fourPace what it may
	// hold before the harness waits for the receiver to confirm some: the
	// pipeline's BenchmarkPipeline waits the same way.
	fourQueue = 32 << 20
	fourPace  = fourQueue / 2
	// fourBatch is the size of an NE's writes, and of the single node's
	// records between two looks at its handover's queue.
	fourBatch = 64 << 10
	// fourWindow is how much an NE sends between keep-alives; it waits
	// for the answer to the keep-alive before last before going on.
	fourWindow = 1 << 20
	fourNEs    = 4
)

// BenchmarkFourNEs compares, in one run, four NEs → one MF → a receiver
// with the single-node path, at 64, 512 and 1500 bytes per packet. Each
// reports the records the receiver got per second (pdus/s; b.N records
// in all, ns/op per record); "mf-4ne" also reports mf/single, its pdus/s
// over those of the single node's last run at the same size in the same
// process (with -count n, the n single runs come first). Everything is
// in-process on loopback, so that it is reproducible.
//
// "single/<size>B" is the single-node tap's work minus capture and
// matching: one goroutine numbers each packet as a CC record, encodes it
// straight to a TS 102 232 PS-PDU (etsi.StreamEncoder.AppendCC) and hands
// it to a handover.Handover, whose HI3 link writes it over one mutual-TLS
// connection to a receiver (lemf.Receiver with TLS: it reads each PDU's
// header, checks the stream's numbering and discards it, and answers
// keep-alives).
//
// "mf-4ne/<size>B" is four goroutines, each an NE with its own mutual-TLS
// connection, encoding the same packets as TS 103 221-2 X3 PDUs
// (x2x3.StreamEncoder) and writing them in 64 KiB writes, a quarter of
// b.N each, to one Server — which decrypts, frames, decodes, checks the
// task, de-duplicates, numbers, encodes to TS 102 232 and delivers to a
// handover.Handover like the single node's, to the same kind of receiver.
// The TLS handshakes (and a first keep-alive each) come before the timer.
//
// Both stop the timer once the receiver has every record, without gap or
// duplicate; the MF must have refused none. The machine's cores are
// shared by everything: the NEs' X3 encoding and TLS, the MF's TLS in and
// out, the handover's and the receiver's, which NEs on machines of their
// own would not take from the MF — so mf/single is the whole chain's
// throughput against the single node's on the same cores, not the MF's
// own cost (BenchmarkRecord measures that).
//
// Neither side may lose a record for want of room, so the harness — not
// the MF or the handover, which never wait — paces the senders: while a
// handover holds more than half its queue unconfirmed, the single node
// and the NEs wait before their next 64 KiB; and each NE sends a
// keep-alive every MiB and waits for the answer to the one before it,
// so that what is in flight between the NEs and the MF stays bounded.
func BenchmarkFourNEs(b *testing.B) {
	for _, size := range []int{64, 512, 1500} {
		var single float64
		b.Run(fmt.Sprintf("single/%dB", size), func(b *testing.B) {
			single = benchSingle(b, size)
		})
		b.Run(fmt.Sprintf("mf-4ne/%dB", size), func(b *testing.B) {
			if mf := benchFourNEs(b, size); single > 0 {
				b.ReportMetric(mf/single, "mf/single")
			}
		})
	}
}

// benchSingle is BenchmarkFourNEs's single node; it returns its pdus/s.
func benchSingle(b *testing.B, size int) float64 {
	enc, err := etsi.NewEncoder(itest.Profile(time.Minute, 10*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	rcv, ho := newDiscardReceiver(b, enc, timesynctest.NewClock(t0))
	defer rcv.Close()
	defer ho.Close()
	key := intercept.StreamKey{LIID: intercept.MustParseLIID("LIID-A"), CIN: 1, Stream: intercept.CC}
	se, err := enc.NewStream(key)
	if err != nil {
		b.Fatal(err)
	}
	rec := benchRecord(size)
	buf := make([]byte, 0, 2048)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	var batch int
	for i := range b.N {
		if batch >= fourBatch {
			batch = 0
			for ho.Queued() > fourPace {
				time.Sleep(20 * time.Microsecond) // the harness waits; the tap never does
			}
		}
		rec.Seq = intercept.Seq(i)
		if buf, err = se.AppendCC(buf[:0], &rec); err != nil {
			b.Fatal(err)
		}
		if err := ho.Deliver(key, rec.Seq, buf); err != nil {
			b.Fatalf("record %d refused: %v", i, err)
		}
		batch += len(buf)
	}
	waitReceived(b, rcv, 1)
	b.StopTimer()
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "pdus/s")
	return rate
}

// benchFourNEs is BenchmarkFourNEs's four NEs and MF; it returns their
// pdus/s.
func benchFourNEs(b *testing.B, size int) float64 {
	var rcv *lemf.Receiver
	var ho *handover.Handover
	r := newRig(b, func(cfg *mediation.Config) {
		enc := cfg.Agencies["NTSU-CTIF"].Encoder
		rcv, ho = newDiscardReceiver(b, enc, cfg.Clock)
		cfg.Agencies = map[string]mediation.Agency{"NTSU-CTIF": {Encoder: enc, Handover: ho}}
	})
	defer rcv.Close()
	defer ho.Close()
	defer r.srv.Close() // before the handover: nothing is delivered to it closed
	nes := make([]*ne, 0, fourNEs)
	var senders int
	for i := range fourNEs {
		n := r.mustDial(b, fmt.Sprintf("router-%d.isp.test", i+1))
		defer n.conn.Close()
		n.keepAlive(0) // the MF has the connection
		nes = append(nes, n)
		if b.N/fourNEs+boolInt(i < b.N%fourNEs) > 0 {
			senders++
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make([]error, fourNEs)
	for i, n := range nes {
		count := b.N/fourNEs + boolInt(i < b.N%fourNEs)
		wg.Go(func() { errs[i] = sendPaced(n.conn, r.task, size, count, ho) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		b.Fatal(err)
	}
	waitReceived(b, rcv, senders)
	b.StopTimer()
	var delivered, refused uint64
	for _, s := range r.srv.Stats().NEs {
		delivered += s.Delivered
		refused += s.Duplicates + s.RefusedTotal()
	}
	if delivered != uint64(b.N) || refused != 0 {
		b.Fatalf("the MF delivered %d of %d records\n%s", delivered, b.N, r.srv.Stats())
	}
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "pdus/s")
	return rate
}

// sendPaced is one NE of benchFourNEs: it writes count X3 PDUs of task,
// each carrying a size-byte packet, to c in writes of fourBatch, waiting
// while ho holds more than fourPace, and sends a keep-alive every
// fourWindow, waiting for the answer to the previous one before going on.
func sendPaced(c *tls.Conn, task intercept.Task, size, count int, ho *handover.Handover) error {
	enc, err := x2x3.NewEncoder([]intercept.Task{task}, nil)
	if err != nil {
		return err
	}
	se, err := enc.NewStream(intercept.StreamKey{LIID: task.LIID, CIN: 1, Stream: intercept.CC})
	if err != nil {
		return err
	}
	if err := c.SetReadDeadline(time.Now().Add(10 * time.Minute)); err != nil {
		return err
	}
	answers := x2x3.NewFramer(c, 0)
	rec := benchRecord(size)
	buf := make([]byte, 0, fourBatch+4096)
	var ka uint32 // keep-alives sent
	var window int
	flush := func() error {
		for ho.Queued() > fourPace {
			time.Sleep(20 * time.Microsecond) // the harness waits; the MF never does
		}
		_, err := c.Write(buf)
		window += len(buf)
		buf = buf[:0]
		if err != nil || window < fourWindow {
			return err
		}
		window = 0
		ka++
		if _, err := c.Write(x2x3.AppendKeepAlive(nil, ka)); err != nil {
			return err
		}
		if ka < 2 {
			return nil
		}
		return awaitAnswer(answers, ka-1)
	}
	for i := range count {
		rec.Seq = intercept.Seq(i)
		if buf, err = se.AppendCC(buf, &rec); err != nil {
			return err
		}
		if len(buf) >= fourBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(buf) > 0 {
		return flush()
	}
	return nil
}

// awaitAnswer reads the MF's answer to keep-alive seq.
func awaitAnswer(f *x2x3.Framer, seq uint32) error {
	b, err := f.Next()
	if err != nil {
		return fmt.Errorf("no answer to keep-alive %d: %w", seq, err)
	}
	p, err := x2x3.Decode(b)
	if err != nil {
		return err
	}
	if p.Type != x2x3.KeepAliveAck || !p.HasSeq || p.Seq != seq {
		return fmt.Errorf("keep-alive %d answered with %v %d", seq, p.Type, p.Seq)
	}
	return nil
}

// benchRecord is the CC record both sides send: a size-byte IPv4 packet
// to the target.
func benchRecord(size int) intercept.CCRecord {
	pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("198.51.100.7"), size, 0)
	return intercept.CCRecord{Time: t0, Direction: intercept.ToTarget, Packet: pkt}
}

// newDiscardReceiver starts a receiver that reads each PDU's header over
// mutual TLS, checks its stream's numbering, discards it and answers
// keep-alives, and a handover to it with a fourQueue queue, connected.
// The caller closes both (the handover first); a cleanup does too.
func newDiscardReceiver(b *testing.B, enc *etsi.Encoder, clock timesync.Clock) (*lemf.Receiver, *handover.Handover) {
	b.Helper()
	lemfCA, opCA := tlstest.NewCA(b, "test LEMF CA"), tlstest.NewCA(b, "test operator CA")
	rcv, err := lemf.Listen(context.Background(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: clock, TLS: &tls.Config{
		Certificates: []tls.Certificate{lemfCA.Server(b, "lemf.test")},
		ClientAuth:   tls.RequireAndVerifyClientCert, ClientCAs: opCA.Pool,
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { rcv.Close() })
	addr := rcv.Addr().String()
	ho, err := handover.New(handover.Config{HI2: addr, HI3: addr, Encoder: enc, Clock: clock, QueueBytes: fourQueue,
		TLS: &tls.Config{RootCAs: lemfCA.Pool, ServerName: "lemf.test", Certificates: []tls.Certificate{opCA.Client(b, "mf.isp.test")}},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ho.Close() })
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		if st := ho.Stats(); st.HI2.Connected && st.HI3.Connected {
			break
		} else if time.Now().After(deadline) {
			b.Fatalf("the handover did not connect:\n%s", st)
		}
	}
	return rcv, ho
}

// waitReceived waits until the receiver has b.N records on streams
// streams, each unbroken and without duplicates.
func waitReceived(b *testing.B, rcv *lemf.Receiver, streams int) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := rcv.WaitFor(ctx, func(rep lemf.Report) bool { return rep.PDUs >= uint64(b.N) })
	if err != nil {
		b.Fatalf("the receiver did not get every record: %v\n%s", err, rep)
	}
	var unique uint64
	for _, s := range rep.Streams {
		if s.Gaps != 0 || s.Duplicates != 0 {
			b.Fatalf("stream at the receiver: %+v", s)
		}
		unique += s.Unique
	}
	if len(rep.Streams) != streams || unique != uint64(b.N) {
		b.Fatalf("the receiver got %d record(s) on %d stream(s), want %d on %d\n%s", unique, len(rep.Streams), b.N, streams, rep)
	}
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}
