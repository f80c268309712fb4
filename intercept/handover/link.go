package handover

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
)

// maxWrite bounds one write to the socket, so that a stalled receiver is
// noticed within the keep-alive timeout whatever the backlog.
const maxWrite = 64 << 10

// link is one handover interface (HI2 or HI3) to one receiver.
//
// Its queue is a ring of QueueBytes holding, at absolute byte offsets,
// [acked, head): records sent but not confirmed, then records not yet
// sent (from the writer's sent offset). Deliver appends at head; a
// keep-alive response moves acked to where the keep-alive was sent; after
// a reconnect, sending resumes from acked. The region [acked, head) is
// never overwritten, so the writer reads [sent, head) without the lock.
type link struct {
	name, addr string
	cfg        *Config

	mu      sync.Mutex
	ring    []byte
	head    uint64
	acked   uint64
	closing bool
	wake    chan struct{} // capacity 1: "there is something new"

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	c counters
}

type counters struct {
	accepted, refused, acceptedBytes, refusedBytes atomic.Uint64
	sentBytes, resentBytes                         atomic.Uint64
	keepAlives, keepAliveResponses                 atomic.Uint64
	connects                                       atomic.Uint64
	faults                                         [numFaults]atomic.Uint64
	connected                                      atomic.Bool
	sent                                           atomic.Uint64 // the writer's offset, for Stats
}

func newLink(name, addr string, cfg *Config) *link {
	ctx, cancel := context.WithCancel(context.Background())
	return &link{
		name: name, addr: addr, cfg: cfg,
		ring: make([]byte, cfg.QueueBytes),
		wake: make(chan struct{}, 1),
		ctx:  ctx, cancel: cancel, done: make(chan struct{}),
	}
}

func (l *link) enqueue(pdu []byte) error {
	n := uint64(len(pdu))
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return ErrClosed
	}
	q := uint64(len(l.ring))
	if l.head-l.acked+n > q {
		l.mu.Unlock()
		l.c.refused.Add(1)
		l.c.refusedBytes.Add(n)
		return ErrQueueFull
	}
	at := l.head % q
	k := copy(l.ring[at:], pdu)
	copy(l.ring, pdu[k:])
	l.head += n
	l.mu.Unlock()
	l.c.accepted.Add(1)
	l.c.acceptedBytes.Add(n)
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

// window returns head and acked.
func (l *link) window() (head, acked uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head, l.acked
}

// chunk returns the queued bytes from offset from, up to maxWrite and
// to, without wrapping.
func (l *link) chunk(from, to uint64) []byte {
	q := uint64(len(l.ring))
	at := from % q
	n := min(to-from, q-at, maxWrite)
	return l.ring[at : at+n]
}

// close stops accepting, waits for the queue to be confirmed or the drain
// timeout, then stops the link.
func (l *link) close() error {
	l.mu.Lock()
	l.closing = true
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	deadline := time.NewTimer(l.cfg.DrainTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
wait:
	for {
		head, acked := l.window()
		if acked == head {
			break
		}
		select {
		case <-deadline.C:
			break wait
		case <-tick.C:
		}
	}
	l.cancel()
	<-l.done
	head, acked := l.window()
	if acked != head {
		return fmt.Errorf("%w: %s: %d bytes", ErrUndelivered, l.name, head-acked)
	}
	return nil
}

// run keeps the link connected until close.
func (l *link) run() {
	defer close(l.done)
	backoff := l.cfg.MinBackoff
	for l.ctx.Err() == nil {
		conn, err := l.dial()
		if err != nil {
			if l.ctx.Err() != nil {
				return
			}
			l.fault(faultDial, err)
		} else {
			l.c.connects.Add(1)
			l.c.connected.Store(true)
			l.cfg.Logger.Info("handover connected", "link", l.name, "receiver", l.addr)
			healthy, f, err := l.serve(conn)
			l.c.connected.Store(false)
			conn.Close()
			if l.ctx.Err() != nil {
				return
			}
			l.fault(f, err)
			if healthy {
				backoff = l.cfg.MinBackoff
			}
		}
		t := time.NewTimer(backoff)
		select {
		case <-l.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, l.cfg.MaxBackoff)
	}
}

func (l *link) fault(f fault, err error) {
	l.c.faults[f].Add(1)
	l.cfg.Logger.Warn("handover fault; reconnecting", "link", l.name, "receiver", l.addr, "fault", f.String(), "err", err)
}

func (l *link) dial() (net.Conn, error) {
	ctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
	defer cancel()
	c, err := l.cfg.Dial(ctx, "tcp", l.addr)
	if err != nil {
		return nil, err
	}
	if l.cfg.TLS == nil {
		return c, nil
	}
	tc := tls.Client(c, l.cfg.TLS)
	if err := tc.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return tc, nil
}

// serve sends on conn until a fault or close. It reports whether the
// receiver answered at least one keep-alive (the connection was healthy),
// and the fault.
func (l *link) serve(conn net.Conn) (healthy bool, f fault, err error) {
	ka := l.cfg.Encoder.Profile()
	interval, timeout := ka.KeepAliveInterval, ka.KeepAliveTimeout
	tickEvery := min(interval, timeout) / 8
	tickEvery = max(5*time.Millisecond, min(tickEvery, 250*time.Millisecond))

	// Resend from the last confirmed point.
	_, acked := l.window()
	prevSent := l.c.sent.Load()
	sent := acked
	resendUntil := prevSent

	stop := make(chan struct{})
	defer close(stop)
	acks := make(chan intercept.Seq, 4)
	readErr := make(chan error, 1)
	go l.read(conn, acks, readErr, stop)

	var (
		kaBuf       = make([]byte, 0, 128)
		kaSeq       intercept.Seq
		outstanding bool
		mark        uint64    // the offset the outstanding keep-alive confirms
		timerFrom   time.Time // when the response clock started (zero: not yet)
		lastWrite   = time.Now()
	)
	ticker := time.NewTicker(tickEvery)
	defer ticker.Stop()
	for {
		// Write what is queued, a bounded chunk at a time.
		head, ackedNow := l.window()
		for sent < head {
			b := l.chunk(sent, head)
			conn.SetWriteDeadline(time.Now().Add(timeout))
			n, werr := conn.Write(b)
			if n > 0 {
				if sent < resendUntil {
					l.c.resentBytes.Add(uint64(min(uint64(n), resendUntil-sent)))
				}
				sent += uint64(n)
				l.c.sent.Store(sent)
				l.c.sentBytes.Add(uint64(n))
				lastWrite = time.Now()
			}
			if werr != nil {
				return healthy, writeFault(werr), werr
			}
			select {
			case err := <-readErr:
				return healthy, classify(err), err
			default:
			}
		}
		l.c.sent.Store(sent)

		now := time.Now()
		if outstanding {
			if timerFrom.IsZero() {
				if empty, known := kernelQueueEmpty(conn); empty || !known {
					timerFrom = now
				}
			}
			if !timerFrom.IsZero() && now.Sub(timerFrom) > timeout {
				return healthy, faultLateResponse, fmt.Errorf("no keep-alive response within %v", timeout)
			}
		} else {
			l.mu.Lock()
			closing := l.closing
			l.mu.Unlock()
			idle := sent == head && now.Sub(lastWrite) >= interval
			if idle {
				if empty, known := kernelQueueEmpty(conn); known && !empty {
					idle = false // the kernel still holds unsent bytes: not idle (OpenLI #39)
				}
			}
			checkpoint := sent-ackedNow >= uint64(len(l.ring))/4 || (closing && sent == head && ackedNow < head)
			if idle || checkpoint {
				kaSeq++
				var kerr error
				kaBuf, kerr = l.cfg.Encoder.AppendKeepAlive(kaBuf[:0], kaSeq, l.cfg.Clock.Now())
				if kerr != nil {
					return healthy, faultWrite, kerr
				}
				conn.SetWriteDeadline(time.Now().Add(timeout))
				if _, werr := conn.Write(kaBuf); werr != nil {
					return healthy, writeFault(werr), werr
				}
				l.c.keepAlives.Add(1)
				outstanding, mark, timerFrom = true, sent, time.Time{}
				lastWrite = time.Now()
				if empty, known := kernelQueueEmpty(conn); empty || !known {
					timerFrom = lastWrite
				}
			}
		}

		select {
		case <-l.wake:
		case <-ticker.C:
		case <-l.ctx.Done():
			return healthy, faultClosed, nil
		case err := <-readErr:
			return healthy, classify(err), err
		case seq := <-acks:
			if !outstanding || seq != kaSeq {
				return healthy, faultWrongResponse, fmt.Errorf("keep-alive response %d, expected %d", seq, kaSeq)
			}
			outstanding = false
			healthy = true
			l.c.keepAliveResponses.Add(1)
			l.mu.Lock()
			if mark > l.acked {
				l.acked = mark
			}
			l.mu.Unlock()
		}
	}
}

// read reads what the receiver sends: keep-alive responses, and nothing
// else. Anything else is a fault (OpenLI likewise drops a receiver that
// sends unexpected bytes).
func (l *link) read(conn net.Conn, acks chan<- intercept.Seq, errs chan<- error, stop <-chan struct{}) {
	fr := etsi.NewFramer(conn, 4096)
	for {
		b, err := fr.Next()
		if err != nil {
			var ee *etsi.Error
			if errors.As(err, &ee) && !errors.Is(err, etsi.ErrTruncated) {
				err = unexpectedError{} // bytes that are no PDU
			} else {
				err = readError{err}
			}
			select {
			case errs <- err:
			default:
			}
			return
		}
		s, err := etsi.Peek(b)
		if err != nil || s.Kind != etsi.TRIPayload || s.TRI != etsi.KeepAliveResponse {
			select {
			case errs <- unexpectedError{}:
			default:
			}
			return
		}
		select {
		case acks <- s.Seq:
		case <-stop:
			return
		}
	}
}

type readError struct{ err error }

func (e readError) Error() string { return "reading from the receiver: " + e.err.Error() }
func (e readError) Unwrap() error { return e.err }

type unexpectedError struct{}

func (unexpectedError) Error() string {
	return "the receiver sent something other than a keep-alive response"
}

func classify(err error) fault {
	var u unexpectedError
	if errors.As(err, &u) {
		return faultUnexpected
	}
	return faultRead
}

// writeFault classifies a failed write: no progress before the deadline
// (the receiver does not read), the receiver reset or closed the
// connection, or anything else.
func writeFault(err error) fault {
	switch {
	case isTimeout(err):
		return faultStalled
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return faultRead
	}
	return faultWrite
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (l *link) stats() LinkStats {
	head, acked := l.window()
	s := LinkStats{
		Name: l.name, Receiver: l.addr, Connected: l.c.connected.Load(),
		Accepted: l.c.accepted.Load(), Refused: l.c.refused.Load(),
		AcceptedBytes: l.c.acceptedBytes.Load(), RefusedBytes: l.c.refusedBytes.Load(),
		QueuedBytes: head - acked, UnsentBytes: head - min(head, max(acked, l.c.sent.Load())),
		SentBytes: l.c.sentBytes.Load(), ResentBytes: l.c.resentBytes.Load(), ConfirmedBytes: acked,
		KeepAlives: l.c.keepAlives.Load(), KeepAliveResponses: l.c.keepAliveResponses.Load(),
		Connects: l.c.connects.Load(), Faults: map[string]uint64{},
	}
	for f := fault(0); f < numFaults; f++ {
		if n := l.c.faults[f].Load(); n > 0 && f != faultClosed {
			s.Faults[f.String()] = n
		}
	}
	return s
}

func (l *link) queued() uint64 {
	head, acked := l.window()
	return head - acked
}
