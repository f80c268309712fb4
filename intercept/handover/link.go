package handover

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/cpu"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/internal/tlserr"
)

// maxWrite bounds one write to the socket, so that a stalled receiver is
// noticed within the keep-alive timeout whatever the backlog.
const maxWrite = 64 << 10

// link is one handover interface (HI2 or HI3) to one receiver.
//
// Its stream is addressed by absolute byte offsets. [acked, head) is what
// the receiver has not confirmed: [acked, memEnd) in the memory ring of
// QueueBytes — records sent but not confirmed, then records not yet sent
// (from the writer's sent offset) — and [memEnd, head) in the disk spool.
// Deliver appends at head: to the ring while nothing waits in the spool
// and the ring has room, else to the spool. The writer refills the ring
// from the spool, whole PDUs at a time, as confirmations free it. A
// keep-alive response moves acked to where the keep-alive was sent; after
// a reconnect, sending resumes from acked. The region [acked, memEnd) is
// never overwritten, so the writer reads [sent, memEnd) without the lock.
type link struct {
	name, addr string
	cfg        *Config
	wire       wire

	mu      sync.Mutex
	ring    []byte
	head    uint64
	memEnd  uint64
	acked   uint64
	closing bool
	sp      *spool // nil: no spool
	shut    bool   // the spool is closed (close has run)
	// syncMu makes Sync, maintain's sync and the spool's closing one at a
	// time; taken before mu.
	syncMu sync.Mutex
	// keptEnd is where the memory queue written to the spool by Sync ends:
	// the next Sync writes from there (or from acked, if beyond).
	keptEnd uint64
	// accepted counts the records in the stream up to head (those
	// recovered from the spool at start included); ackedN those before
	// acked. The ledger mirrors them (see ledger.go).
	accepted, ackedN uint64
	// sentN is the most records the ledger says may have reached the
	// receiver; the writer alone touches it.
	sentN   uint64
	scratch []byte        // the writer's refill buffer
	wake    chan struct{} // capacity 1: "there is something new"

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // run has returned
	mdone  chan struct{} // maintain has returned

	_ cpu.CacheLinePad // keep the lock's line apart from the counters'
	c counters
}

// counters are grouped by writer, each group on cache lines of its own:
// Deliver's goroutine and the link's writer run on different cores, and
// counters sharing a line would bounce it between them on every record.
type counters struct {
	// Written by Deliver.
	accepted, refused, acceptedBytes, refusedBytes atomic.Uint64
	_                                              cpu.CacheLinePad
	// Written by the writer.
	sentBytes, resentBytes         atomic.Uint64
	keepAlives, keepAliveResponses atomic.Uint64
	connects                       atomic.Uint64
	faults                         [numFaults]atomic.Uint64
	connected, spoolFailed         atomic.Bool
	sent                           atomic.Uint64 // the writer's offset, for Stats
}

// newLink makes a link and opens its spool, recovering what an earlier
// run left there; start starts it.
func newLink(name, addr string, cfg *Config, w wire) (*link, error) {
	ctx, cancel := context.WithCancel(context.Background())
	l := &link{
		name: name, addr: addr, cfg: cfg, wire: w,
		ring: make([]byte, cfg.QueueBytes),
		wake: make(chan struct{}, 1),
		ctx:  ctx, cancel: cancel, done: make(chan struct{}), mdone: make(chan struct{}),
	}
	if cfg.SpoolDir != "" {
		segBytes := max(min(uint64(cfg.SpoolBytes)/16, 64<<20), 1<<20)
		sp, err := openSpool(filepath.Join(cfg.SpoolDir, name), uint64(cfg.SpoolBytes), segBytes, cfg.Logger, name, w)
		if err != nil {
			cancel()
			return nil, err
		}
		l.sp = sp
		l.head = sp.used
		l.accepted = sp.records
		l.scratch = make([]byte, min(refillBytes, len(l.ring)))
	}
	return l, nil
}

func (l *link) start() {
	go l.run()
	go l.maintain()
}

func (l *link) enqueue(pdu []byte) error {
	n := uint64(len(pdu))
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return ErrClosed
	}
	q := uint64(len(l.ring))
	switch {
	case l.memEnd == l.head && l.head-l.acked+n <= q:
		at := l.head % q
		k := copy(l.ring[at:], pdu)
		copy(l.ring, pdu[k:])
		l.head += n
		l.memEnd = l.head
	case l.sp != nil && n <= q && l.sp.room(n) && l.spool(pdu):
		l.head += n
	default:
		l.mu.Unlock()
		l.c.refused.Add(1)
		l.c.refusedBytes.Add(n)
		return ErrQueueFull
	}
	l.accepted++
	if l.sp != nil {
		l.sp.ledger.setAccepted(l.accepted)
	}
	l.mu.Unlock()
	l.c.accepted.Add(1)
	l.c.acceptedBytes.Add(n)
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

// spool appends pdu to the spool at head, counting it accepted in the
// ledger first: a spool write may put it on disk, and a crash must then
// find it counted. A refusal takes the count back. Under mu.
func (l *link) spool(pdu []byte) bool {
	l.sp.ledger.setAccepted(l.accepted + 1)
	if l.sp.append(pdu, l.head) != nil {
		l.sp.ledger.setAccepted(l.accepted)
		return false
	}
	return true
}

// window returns head, memEnd and acked.
func (l *link) window() (head, memEnd, acked uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head, l.memEnd, l.acked
}

// refill moves whole PDUs from the spool into the ring's free space and
// returns how many bytes it moved. It holds the mutex throughout, disk
// read included: one read of at most 1 MiB, from the page cache as a rule,
// while Deliver is spooling anyway.
func (l *link) refill() (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sp == nil || l.memEnd == l.head {
		return 0, nil
	}
	q := uint64(len(l.ring))
	want := min(q-(l.memEnd-l.acked), l.head-l.memEnd, uint64(len(l.scratch)))
	if want < min(64<<10, l.head-l.memEnd) {
		return 0, nil // wait for more room than a sliver
	}
	buf := l.scratch[:want]
	for got := uint64(0); got < want; {
		s, pos, k, ok := l.sp.locate(l.memEnd + got)
		if !ok {
			return 0, fmt.Errorf("offset %d is in neither the spool nor the queue", l.memEnd+got)
		}
		k = min(k, want-got)
		if s == nil {
			copy(buf[got:got+k], l.sp.stage[pos:pos+k])
		} else if _, err := s.f.ReadAt(buf[got:got+k], int64(pos)); err != nil {
			return 0, err
		}
		got += k
	}
	var whole uint64
	for whole < want {
		n, err := l.wire.pduLength(buf[whole:])
		if err != nil {
			return 0, err
		}
		if n == 0 || whole+uint64(n) > want {
			break
		}
		whole += uint64(n)
	}
	at := l.memEnd % q
	k := copy(l.ring[at:], buf[:whole])
	copy(l.ring, buf[k:whole])
	l.memEnd += whole
	return whole, nil
}

// maintain writes the spool's staged records to disk and fsyncs what was
// written, every SpoolSync, until the link stops: a crash of the process
// loses nothing spooled more than SpoolSync ago, nor a power cut.
func (l *link) maintain() {
	defer close(l.mdone)
	if l.sp == nil {
		return
	}
	t := time.NewTicker(l.cfg.SpoolSync)
	defer t.Stop()
	var files []*os.File
	var reported bool
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
		// One at a time with Sync, so that a Sync never returns while a
		// segment it relies on is still being fsynced here; Deliver takes
		// the link's lock only, and never waits on the disk.
		l.syncMu.Lock()
		l.mu.Lock()
		err := l.sp.flush()
		files = l.sp.dirtyFiles(files[:0])
		lg := l.sp.ledger
		l.mu.Unlock()
		for _, f := range files {
			if e := f.Sync(); e != nil && !errors.Is(e, os.ErrClosed) && err == nil {
				err = e
			}
		}
		if e := lg.sync(); e != nil && err == nil {
			err = e
		}
		if err != nil {
			l.mu.Lock()
			if l.sp.err == nil {
				l.sp.err = err // what was marked synced may not be: the spool is not trusted again
			}
			l.mu.Unlock()
		}
		l.syncMu.Unlock()
		if err != nil && !reported {
			reported = true
			l.c.spoolFailed.Store(true)
			l.cfg.Logger.Error("handover spool cannot write; records that do not fit in memory are refused", "link", l.name, "err", err)
		}
	}
}

// sync makes what the receiver has not confirmed durable: the part of the
// memory queue no segment holds is written to the spool (appended to the
// segment the last sync wrote), and every segment written since its last
// fsync, the directory when a file was created, and the ledger are
// synced — the disk waits outside the link's lock. Nothing unconfirmed:
// nothing to do, whatever state the spool is in. One sync at a time per
// link, maintain's included.
func (l *link) sync() error {
	if l.sp == nil {
		return ErrNoSpool
	}
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	l.mu.Lock()
	if l.shut {
		l.mu.Unlock()
		return ErrClosed
	}
	if l.acked == l.head {
		l.mu.Unlock()
		return nil // the receiver confirmed everything
	}
	var err error
	if from := max(l.acked, l.keptEnd); from < l.memEnd {
		err = l.sp.keep(l.ring, from, l.memEnd, true)
		if err == nil {
			l.keptEnd = l.memEnd
		}
	} else {
		err = l.sp.flush()
	}
	if err != nil {
		// Nothing marked synced: what was written stays dirty for maintain.
		l.mu.Unlock()
		return fmt.Errorf("%w: %s: %w", ErrSpool, l.name, err)
	}
	files := l.sp.dirtyFiles(nil)
	created := l.sp.created
	l.sp.created = false
	dir, lg := l.sp.dir, l.sp.ledger
	l.mu.Unlock()
	var errs []error
	for _, f := range files {
		if e := f.Sync(); e != nil && !errors.Is(e, os.ErrClosed) {
			errs = append(errs, e)
		}
	}
	if created {
		errs = append(errs, durable.SyncDir(dir))
	}
	errs = append(errs, lg.sync()) // close waits for syncMu before unmapping it
	if err := errors.Join(errs...); err != nil {
		l.mu.Lock()
		if l.sp.err == nil {
			l.sp.err = err // what was marked synced may not be: the spool is not trusted again
		}
		l.mu.Unlock()
		return fmt.Errorf("%w: %s: %w", ErrSpool, l.name, err)
	}
	return nil
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
		head, _, acked := l.window()
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
	<-l.mdone
	l.syncMu.Lock() // no Sync uses the spool or its ledger while it closes
	defer l.syncMu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	head, acked := l.head, l.acked
	if l.sp == nil {
		if acked != head {
			return fmt.Errorf("%w: %s: %d bytes", ErrUndelivered, l.name, head-acked)
		}
		return nil
	}
	var kept error
	if acked != head {
		kept = l.sp.keep(l.ring, max(acked, l.keptEnd), l.memEnd, false)
	}
	closeErr := l.sp.close()
	l.shut = true
	if kept != nil || closeErr != nil {
		return fmt.Errorf("%w: %s: %d bytes, and the spool could not keep them: %w", ErrUndelivered, l.name, head-acked, errors.Join(kept, closeErr))
	}
	if acked != head {
		l.cfg.Logger.Info("handover closed with records unconfirmed; they are kept in the spool for the next start", "link", l.name, "bytes", head-acked)
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
			f := faultDial
			if isTLSRefusal(err) {
				f = faultTLS
			}
			l.fault(f, err)
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
	cfg := l.cfg.TLS
	if cfg.ServerName == "" {
		// As tls.Dial does: verify the receiver under the name or address
		// dialled.
		cfg = cfg.Clone()
		cfg.ServerName, _, _ = net.SplitHostPort(l.addr)
	}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return tc, nil
}

// serve sends on conn until a fault or close. It reports whether the
// receiver answered at least one keep-alive (the connection was healthy),
// and the fault. Each round writes what is queued, sends or times a
// keep-alive, and waits for something to happen.
func (l *link) serve(conn net.Conn) (healthy bool, f fault, err error) {
	s := l.newSession(conn)
	stop := make(chan struct{})
	defer close(stop)
	go l.read(conn, s.acks, s.readErr, stop)
	ticker := time.NewTicker(s.tickEvery())
	defer ticker.Stop()
	for {
		head, acked, end := s.writeQueued()
		if end == nil {
			end = s.keepAlive(head, acked)
		}
		if end == nil {
			end = s.wait(ticker.C)
		}
		if end != nil {
			return s.healthy, end.f, end.err
		}
	}
}

// session is the state of one connection's serve loop.
type session struct {
	l                 *link
	conn              net.Conn
	interval, timeout time.Duration
	// sent is the stream offset written so far; the bytes before
	// resendUntil were sent on an earlier connection and are sent again.
	sent, resendUntil uint64
	// wOff is the record boundary the walker has reached (at or after
	// the confirmed offset) and wN the records before it: the ledger's
	// sent point moves with it, ahead of every write.
	wOff, wN uint64
	hdr      [16]byte
	acks     chan intercept.Seq
	readErr  chan error

	kaBuf       []byte
	kaSeq       intercept.Seq
	outstanding bool      // a keep-alive awaits its response
	mark, markN uint64    // the offset the outstanding keep-alive confirms, and the records before it
	timerFrom   time.Time // when the response clock started (zero: not yet)
	lastWrite   time.Time
	healthy     bool // a keep-alive was answered
}

// ending is why a session ends: a fault, and its error.
type ending struct {
	f   fault
	err error
}

// newSession starts a session on conn, resending from the last confirmed
// point.
func (l *link) newSession(conn net.Conn) *session {
	interval, timeout := l.wire.times()
	l.mu.Lock()
	acked, ackedN := l.acked, l.ackedN
	l.mu.Unlock()
	return &session{
		l: l, conn: conn,
		interval: interval, timeout: timeout,
		sent: acked, resendUntil: l.c.sent.Load(),
		wOff: acked, wN: ackedN,
		acks:      make(chan intercept.Seq, 4),
		readErr:   make(chan error, 1),
		kaBuf:     make([]byte, 0, 128),
		lastWrite: time.Now(),
	}
}

// tickEvery is how often the session looks at the clock when nothing
// happens: an eighth of the shorter of the keep-alive interval and
// timeout, within 5 to 250 ms.
func (s *session) tickEvery() time.Duration {
	d := min(s.interval, s.timeout) / 8
	return max(5*time.Millisecond, min(d, 250*time.Millisecond))
}

// writeQueued writes what is queued, a bounded chunk at a time, refilling
// the ring from the spool as it goes. It returns the queue's head and the
// confirmed offset as last seen.
func (s *session) writeQueued() (head, acked uint64, end *ending) {
	l := s.l
	head, memEnd, acked := l.window()
	for {
		if s.sent == memEnd {
			k, rerr := l.refill()
			if rerr != nil {
				return head, acked, &ending{faultSpool, rerr}
			}
			if k == 0 {
				break
			}
			head, memEnd, acked = l.window()
		}
		if end := s.write(l.chunk(s.sent, memEnd)); end != nil {
			return head, acked, end
		}
	}
	l.c.sent.Store(s.sent)
	return head, acked, nil
}

// write writes one chunk of the queue and counts what went out, resent
// bytes apart.
func (s *session) write(b []byte) *ending {
	l := s.l
	if err := s.walk(s.sent + uint64(len(b))); err != nil {
		return &ending{faultSpool, err}
	}
	s.conn.SetWriteDeadline(time.Now().Add(s.timeout))
	n, werr := s.conn.Write(b)
	if n > 0 {
		if s.sent < s.resendUntil {
			l.c.resentBytes.Add(uint64(min(uint64(n), s.resendUntil-s.sent)))
		}
		s.sent += uint64(n)
		l.c.sent.Store(s.sent)
		l.c.sentBytes.Add(uint64(n))
		s.lastWrite = time.Now()
	}
	if werr != nil {
		f, err := writeFailure(werr, s.readErr)
		return &ending{f, err}
	}
	select {
	case err := <-s.readErr:
		return &ending{classify(err), err}
	default:
	}
	return nil
}

// walk moves the walker over the whole records that end at or before
// the stream offset to, and, before the bytes up to to are written,
// tells the ledger that the records before it may reach the receiver.
// The records walked are in the ring between the confirmed offset and
// memEnd, which nothing overwrites while the writer reads them.
func (s *session) walk(to uint64) error {
	l := s.l
	q := uint64(len(l.ring))
	for s.wOff < to {
		k := min(to-s.wOff, uint64(len(s.hdr)))
		at := s.wOff % q
		c := copy(s.hdr[:k], l.ring[at:])
		copy(s.hdr[c:k], l.ring)
		n, err := l.wire.pduLength(s.hdr[:k])
		if err != nil {
			return fmt.Errorf("the queue holds something other than a PDU at offset %d: %w", s.wOff, err)
		}
		if n == 0 || s.wOff+uint64(n) > to {
			break
		}
		s.wOff += uint64(n)
		s.wN++
	}
	if l.sp != nil && s.wN > l.sentN {
		l.sentN = s.wN
		l.sp.ledger.setSent(s.wOff, s.wN)
	}
	return nil
}

// keepAlive times the outstanding keep-alive's response, or sends a
// keep-alive when one is due.
func (s *session) keepAlive(head, acked uint64) *ending {
	now := time.Now()
	if s.outstanding {
		return s.checkResponseTime(now)
	}
	if s.keepAliveDue(now, head, acked) {
		return s.sendKeepAlive()
	}
	return nil
}

// checkResponseTime starts the response clock once the kernel has sent
// the keep-alive, and ends the session when the response is late.
func (s *session) checkResponseTime(now time.Time) *ending {
	if s.timerFrom.IsZero() {
		if empty, known := kernelQueueEmpty(s.conn); empty || !known {
			s.timerFrom = now
		}
	}
	if !s.timerFrom.IsZero() && now.Sub(s.timerFrom) > s.timeout {
		return &ending{faultLateResponse, fmt.Errorf("no keep-alive response within %v", s.timeout)}
	}
	return nil
}

// keepAliveDue reports whether a keep-alive is to be sent: the link is
// idle (everything written, the kernel's queue empty, for the interval),
// or a checkpoint is due (a quarter of the ring is unconfirmed, or the
// handover is closing with everything written but not confirmed).
func (s *session) keepAliveDue(now time.Time, head, acked uint64) bool {
	l := s.l
	l.mu.Lock()
	closing := l.closing
	l.mu.Unlock()
	idle := s.sent == head && now.Sub(s.lastWrite) >= s.interval
	if idle {
		if empty, known := kernelQueueEmpty(s.conn); known && !empty {
			idle = false // the kernel still holds unsent bytes: not idle (OpenLI #39)
		}
	}
	checkpoint := s.sent-acked >= uint64(len(l.ring))/4 || (closing && s.sent == head && acked < head)
	return idle || checkpoint
}

// sendKeepAlive writes the next keep-alive; its response will confirm
// everything sent before it. The response clock starts now if the kernel
// has already sent it.
func (s *session) sendKeepAlive() *ending {
	l := s.l
	s.kaSeq++
	var kerr error
	s.kaBuf, kerr = l.wire.appendKeepAlive(s.kaBuf[:0], s.kaSeq, l.cfg.Clock.Now())
	if kerr != nil {
		return &ending{faultWrite, kerr}
	}
	s.conn.SetWriteDeadline(time.Now().Add(s.timeout))
	if _, werr := s.conn.Write(s.kaBuf); werr != nil {
		f, err := writeFailure(werr, s.readErr)
		return &ending{f, err}
	}
	l.c.keepAlives.Add(1)
	// The walker is at the last whole record written, which is s.sent
	// after writeQueued: what the response will confirm.
	s.outstanding, s.mark, s.markN, s.timerFrom = true, s.wOff, s.wN, time.Time{}
	s.lastWrite = time.Now()
	if empty, known := kernelQueueEmpty(s.conn); empty || !known {
		s.timerFrom = s.lastWrite
	}
	return nil
}

// wait waits for more to send, a tick, the handover's close, the reader's
// error or a keep-alive response.
func (s *session) wait(tick <-chan time.Time) *ending {
	l := s.l
	select {
	case <-l.wake:
	case <-tick:
	case <-l.ctx.Done():
		return &ending{faultClosed, nil}
	case err := <-s.readErr:
		return &ending{classify(err), err}
	case seq := <-s.acks:
		return s.confirm(seq)
	}
	return nil
}

// confirm takes a keep-alive response: it must answer the outstanding
// keep-alive, and confirms everything sent before it, which the spool
// may then release.
func (s *session) confirm(seq intercept.Seq) *ending {
	l := s.l
	if !s.outstanding || seq != s.kaSeq {
		return &ending{faultWrongResponse, fmt.Errorf("keep-alive response %d, expected %d", seq, s.kaSeq)}
	}
	s.outstanding = false
	s.healthy = true
	l.c.keepAliveResponses.Add(1)
	l.mu.Lock()
	if s.mark > l.acked {
		l.acked, l.ackedN = s.mark, s.markN
		if l.sp != nil {
			l.sp.ledger.setConfirmed(s.mark, s.markN)
			l.sp.release(s.mark)
		}
	}
	l.mu.Unlock()
	return nil
}

// read reads what the receiver sends: keep-alive responses, and nothing
// else. Anything else is a fault (OpenLI likewise drops a receiver that
// sends unexpected bytes).
func (l *link) read(conn net.Conn, acks chan<- intercept.Seq, errs chan<- error, stop <-chan struct{}) {
	fr := l.wire.newFramer(conn, 4096)
	for {
		b, err := fr.Next()
		if err != nil {
			if l.wire.notPDU(err) {
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
		seq, ok := l.wire.keepAliveAnswer(b)
		if !ok {
			select {
			case errs <- unexpectedError{}:
			default:
			}
			return
		}
		select {
		case acks <- seq:
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
	if isTLSRefusal(err) {
		// With TLS 1.3 a receiver refusing our certificate says so after
		// the handshake, in an alert the first read gets.
		return faultTLS
	}
	return faultRead
}

// isTLSRefusal reports whether err is one side refusing the other's
// certificate (or TLS itself): an alert from the receiver, or ours.
func isTLSRefusal(err error) bool { return tlserr.IsRefusal(err) }

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

// writeFailure classifies a failed write, preferring what the receiver
// said before it closed: a TLS alert (our certificate refused) or
// unexpected bytes explain a reset better than the reset does.
func writeFailure(werr error, readErr <-chan error) (fault, error) {
	if f := writeFault(werr); f == faultRead {
		t := time.NewTimer(50 * time.Millisecond)
		defer t.Stop()
		select {
		case rerr := <-readErr:
			if rf := classify(rerr); rf != faultRead {
				return rf, rerr
			}
		case <-t.C:
		}
	}
	return writeFault(werr), werr
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (l *link) stats() LinkStats {
	l.mu.Lock()
	head, memEnd, acked := l.head, l.memEnd, l.acked
	var sp SpoolStats
	if l.sp != nil {
		sp = SpoolStats{Enabled: true, Records: l.sp.spooled, Bytes: l.sp.used, Quota: l.sp.quota,
			Recovered: l.sp.recovered, Damaged: l.sp.damaged, Failed: l.sp.err != nil || l.c.spoolFailed.Load(),
			Crash: l.sp.crash}
	}
	l.mu.Unlock()
	s := LinkStats{Spool: sp,
		Name: l.name, Receiver: l.addr, Connected: l.c.connected.Load(),
		Accepted: l.c.accepted.Load(), Refused: l.c.refused.Load(),
		AcceptedBytes: l.c.acceptedBytes.Load(), RefusedBytes: l.c.refusedBytes.Load(),
		QueuedBytes: memEnd - acked, UnsentBytes: head - min(head, max(acked, l.c.sent.Load())),
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
	head, _, acked := l.window()
	return head - acked
}
