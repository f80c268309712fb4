package lemf

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrConfig: the configuration lacks something.
var ErrConfig = errors.New("lemf: invalid configuration")

// Config is how a Receiver behaves.
type Config struct {
	// Encoder writes the keep-alive responses (its profile's keep-alive
	// LIID). Required.
	Encoder *etsi.Encoder
	// Clock stamps the keep-alive responses. Required.
	Clock timesync.Clock
	// Decode, when set, decodes every PDU in full (etsi.Decode) and hands
	// it to OnPDU; a PDU that does not decode is counted in
	// Report.DecodeErrors and the connection is kept. When unset, the
	// receiver reads only each PDU's stream, number and kind (etsi.Peek):
	// enough to check continuity and answer keep-alives, at a third of the
	// cost.
	Decode bool
	// OnPDU, when set with Decode, receives every decoded PDU but
	// keep-alives, from the connection's goroutine; the PDU and its
	// packets are valid only during the call.
	OnPDU func(c ConnInfo, p *etsi.PDU)
	// MaxPDU bounds a PDU's size; 0 means 1 MiB.
	MaxPDU int
	// TLS, when set, makes the receiver a TLS server with this
	// configuration (set ClientAuth to require the operator's certificate).
	TLS *tls.Config
	// Logger receives connection events; nil discards.
	Logger *slog.Logger
}

// ConnInfo describes the connection a PDU came on.
type ConnInfo struct {
	// ID numbers the receiver's connections from 1.
	ID     uint64
	Remote net.Addr
}

// Mode is how the receiver misbehaves, for rehearsing faults. The zero
// Mode behaves.
type Mode struct {
	// Stall stops reading from every connection (they stay open), as a
	// receiver whose disk is full would.
	Stall bool
	// ReadDelay sleeps this long before each read of at most ReadSize
	// bytes: a slow receiver.
	ReadDelay time.Duration
	// ReadSize bounds each read; 0 means 64 KiB.
	ReadSize int
	// KeepAliveDelay delays each keep-alive response.
	KeepAliveDelay time.Duration
	// WrongKeepAlive answers keep-alives with the wrong sequence number.
	WrongKeepAlive bool
}

// Receiver is a test LEMF: it accepts HI2 and HI3 connections, reads
// PS-PDUs, answers keep-alives, and checks each stream's numbering,
// reporting gaps and duplicates. It can be told to misbehave (SetMode,
// Reset, SendGarbage) to rehearse faults before connecting to the police.
type Receiver struct {
	cfg Config
	ln  net.Listener
	log *slog.Logger

	mu     sync.Mutex
	mode   Mode
	conns  map[uint64]net.Conn
	nextID uint64
	rep    Report
	// streams is per stream key: the next number expected.
	streams map[intercept.StreamKey]*StreamReport
	wg      sync.WaitGroup
	closed  bool
}

// Listen starts a receiver on address (such as "127.0.0.1:0").
func Listen(ctx context.Context, network, address string, cfg Config) (*Receiver, error) {
	if cfg.Encoder == nil || cfg.Clock == nil {
		return nil, fmt.Errorf("%w: Encoder and Clock are required", ErrConfig)
	}
	if cfg.MaxPDU == 0 {
		cfg.MaxPDU = 1 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if cfg.TLS != nil {
		ln = tls.NewListener(ln, cfg.TLS)
	}
	r := &Receiver{cfg: cfg, ln: ln, log: cfg.Logger, conns: map[uint64]net.Conn{}, streams: map[intercept.StreamKey]*StreamReport{}}
	r.wg.Add(1)
	go r.accept()
	return r, nil
}

// Addr is the address the receiver listens on.
func (r *Receiver) Addr() net.Addr { return r.ln.Addr() }

// SetMode changes how the receiver behaves, on open connections too.
func (r *Receiver) SetMode(m Mode) {
	r.mu.Lock()
	r.mode = m
	r.mu.Unlock()
}

func (r *Receiver) currentMode() Mode {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.mode
}

// Reset aborts every open connection with a TCP reset, as a crashing
// receiver would, and returns how many it aborted.
func (r *Receiver) Reset() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		c.Close()
	}
	return len(r.conns)
}

// SendGarbage writes bytes that are no PDU on every open connection.
func (r *Receiver) SendGarbage() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		c.SetWriteDeadline(time.Now().Add(time.Second))
		c.Write([]byte("this is not a PS-PDU\n"))
	}
}

// Close stops listening, closes every connection and waits for their
// goroutines.
func (r *Receiver) Close() error {
	r.mu.Lock()
	r.closed = true
	for _, c := range r.conns {
		c.Close()
	}
	r.mu.Unlock()
	err := r.ln.Close()
	r.wg.Wait()
	return err
}

func (r *Receiver) accept() {
	defer r.wg.Done()
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			c.Close()
			return
		}
		r.nextID++
		id := r.nextID
		r.conns[id] = c
		r.rep.Connections++
		r.mu.Unlock()
		r.log.Info("connection accepted", "conn", id, "remote", c.RemoteAddr().String())
		r.wg.Add(1)
		go r.serve(ConnInfo{ID: id, Remote: c.RemoteAddr()}, c)
	}
}

// modalReader reads as the current Mode says.
type modalReader struct {
	r    *Receiver
	c    net.Conn
	done chan struct{}
}

func (m *modalReader) Read(p []byte) (int, error) {
	for {
		mode := m.r.currentMode()
		if !mode.Stall {
			if mode.ReadDelay > 0 {
				select {
				case <-time.After(mode.ReadDelay):
				case <-m.done:
					return 0, net.ErrClosed
				}
			}
			size := mode.ReadSize
			if size <= 0 {
				size = 64 << 10
			}
			return m.c.Read(p[:min(len(p), size)])
		}
		select {
		case <-time.After(10 * time.Millisecond):
		case <-m.done:
			return 0, net.ErrClosed
		}
	}
}

func (r *Receiver) serve(ci ConnInfo, c net.Conn) {
	defer r.wg.Done()
	done := make(chan struct{})
	var wmu sync.Mutex
	var kwg sync.WaitGroup
	defer func() {
		close(done)
		c.Close()
		kwg.Wait()
		r.mu.Lock()
		delete(r.conns, ci.ID)
		r.mu.Unlock()
	}()
	fr := etsi.NewFramer(&modalReader{r: r, c: c, done: done}, r.cfg.MaxPDU)
	var pdu etsi.PDU
	var last *StreamReport // the stream of the connection's last record
	for {
		b, err := fr.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				r.mu.Lock()
				r.rep.ConnErrors++
				r.mu.Unlock()
			}
			r.log.Info("connection ended", "conn", ci.ID, "err", err)
			return
		}
		s, err := etsi.Peek(b)
		if err != nil {
			r.mu.Lock()
			r.rep.DecodeErrors++
			r.mu.Unlock()
			continue
		}
		if s.Kind == etsi.TRIPayload && s.TRI == etsi.KeepAlive {
			mode := r.currentMode()
			seq := s.Seq
			if mode.WrongKeepAlive {
				seq++
			}
			r.mu.Lock()
			r.rep.KeepAlives++
			r.mu.Unlock()
			kwg.Add(1)
			go func() {
				defer kwg.Done()
				if mode.KeepAliveDelay > 0 {
					select {
					case <-time.After(mode.KeepAliveDelay):
					case <-done:
						return
					}
				}
				resp, err := r.cfg.Encoder.AppendKeepAliveResponse(nil, seq, r.cfg.Clock.Now())
				if err != nil {
					return
				}
				wmu.Lock()
				defer wmu.Unlock()
				c.SetWriteDeadline(time.Now().Add(5 * time.Second))
				c.Write(resp)
			}()
			continue
		}
		if r.cfg.Decode {
			if err := pdu.Decode(b); err != nil {
				r.mu.Lock()
				r.rep.DecodeErrors++
				r.mu.Unlock()
				continue
			}
		}
		r.count(s, &last)
		if r.cfg.Decode && r.cfg.OnPDU != nil {
			r.cfg.OnPDU(ci, &pdu)
		}
	}
}

// count checks s's number against its stream's. last is the stream the
// connection's previous record was on: records come in runs of one
// stream, and a report is never removed, so the map is consulted only
// when the stream changes.
func (r *Receiver) count(s etsi.Summary, last **StreamReport) {
	stream := intercept.CC
	switch s.Kind {
	case etsi.IRISequence, etsi.HI1Operation:
		stream = intercept.IRI
	case etsi.TRIPayload:
		if s.TRI != etsi.CINReset {
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rep.PDUs++
	if s.Kind == etsi.TRIPayload { // a CIN reset: the numbering of the LIID and CIN starts again
		r.rep.CINResets++
		for _, st := range []intercept.Stream{intercept.IRI, intercept.CC} {
			if sr := r.streams[intercept.StreamKey{LIID: s.LIID, CIN: s.CIN, Stream: st}]; sr != nil {
				sr.Resets++
				sr.started = false
			}
		}
		return
	}
	key := intercept.StreamKey{LIID: s.LIID, CIN: s.CIN, Stream: stream}
	sr := *last
	if sr == nil || sr.Key != key {
		sr = r.streams[key]
		if sr == nil {
			sr = &StreamReport{Key: key}
			r.streams[key] = sr
		}
		*last = sr
	}
	sr.Records++
	switch {
	case !sr.started:
		// A stream, or a CIN reset, starts at 0: numbers before the first
		// received are missing (or went to an earlier receiver).
		sr.started = true
		sr.Gaps += uint64(s.Seq)
		if s.Seq != 0 && len(sr.GapStarts) < 16 {
			sr.GapStarts = append(sr.GapStarts, 0)
		}
		sr.Next = s.Seq.Next()
	case s.Seq == sr.Next:
		sr.Next = s.Seq.Next()
	case sr.Next.Before(s.Seq):
		sr.Gaps += uint64(s.Seq.Since(sr.Next))
		if len(sr.GapStarts) < 16 {
			sr.GapStarts = append(sr.GapStarts, sr.Next)
		}
		sr.Next = s.Seq.Next()
	default:
		sr.Duplicates++
	}
	sr.Unique = sr.Records - sr.Duplicates
}

// StreamReport is what arrived on one stream.
type StreamReport struct {
	Key intercept.StreamKey
	// Records counts the records received, Unique those not received
	// before.
	Records, Unique uint64
	// Next is the number expected next.
	Next intercept.Seq
	// Gaps counts the numbers skipped; GapStarts lists where the first 16
	// gaps began.
	Gaps      uint64
	GapStarts []intercept.Seq
	// Duplicates counts records numbered before Next: sent again after a
	// reconnect, or out of order.
	Duplicates uint64
	// Resets counts the CIN resets received for the stream's LIID and CIN.
	Resets  uint64
	started bool
}

// Report is what the receiver has seen.
type Report struct {
	// Connections accepted; ConnErrors connections that ended on an error
	// other than a clean close (a framing error, a reset).
	Connections, ConnErrors uint64
	// PDUs counts records and CIN resets; KeepAlives the keep-alives
	// answered; CINResets the CIN resets; DecodeErrors the PDUs that did
	// not decode.
	PDUs, KeepAlives, CINResets, DecodeErrors uint64
	// Streams are per stream, in LIID, CIN, stream order.
	Streams []StreamReport
}

// Report returns what the receiver has seen so far.
func (r *Receiver) Report() Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	rep := r.rep
	for _, sr := range r.streams {
		c := *sr
		c.GapStarts = slices.Clone(sr.GapStarts)
		rep.Streams = append(rep.Streams, c)
	}
	slices.SortFunc(rep.Streams, func(a, b StreamReport) int {
		if c := strings.Compare(a.Key.LIID.String(), b.Key.LIID.String()); c != 0 {
			return c
		}
		if a.Key.CIN != b.Key.CIN {
			if a.Key.CIN < b.Key.CIN {
				return -1
			}
			return 1
		}
		return int(a.Key.Stream) - int(b.Key.Stream)
	})
	return rep
}

// Stream returns the report of one stream, and whether anything arrived
// on it.
func (rep Report) Stream(key intercept.StreamKey) (StreamReport, bool) {
	for _, s := range rep.Streams {
		if s.Key == key {
			return s, true
		}
	}
	return StreamReport{}, false
}

// String summarises the report, one line per stream. It names LIIDs, not
// targets: a receiver's operator needs them.
func (rep Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d connection(s), %d PDU(s), %d keep-alive(s) answered, %d CIN reset(s), %d undecodable\n",
		rep.Connections, rep.PDUs, rep.KeepAlives, rep.CINResets, rep.DecodeErrors)
	for _, s := range rep.Streams {
		fmt.Fprintf(&b, "  LIID %s CIN %d %s: %d record(s), %d missing, %d duplicate(s), next %d\n",
			s.Key.LIID, s.Key.CIN, s.Key.Stream, s.Unique, s.Gaps, s.Duplicates, s.Next)
	}
	return b.String()
}

// WaitFor polls the report until cond holds or ctx is done; it returns
// the last report and ctx's error if cond never held.
func (r *Receiver) WaitFor(ctx context.Context, cond func(Report) bool) (Report, error) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		rep := r.Report()
		if cond(rep) {
			return rep, nil
		}
		select {
		case <-ctx.Done():
			return rep, ctx.Err()
		case <-t.C:
		}
	}
}
