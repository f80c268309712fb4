package handover

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/timesync"
)

// Errors, for errors.Is.
var (
	// ErrConfig: the configuration lacks something or holds an impossible value.
	ErrConfig = errors.New("handover: invalid configuration")
	// ErrQueueFull: a record was refused because the link's queue is full;
	// its sequence number is a gap the receiver will see.
	ErrQueueFull = errors.New("handover: queue full, record refused")
	// ErrClosed: the handover was closed.
	ErrClosed = errors.New("handover: closed")
	// ErrUndelivered: Close gave up with records the receiver has not
	// confirmed.
	ErrUndelivered = errors.New("handover: records not confirmed by the receiver")
	// ErrSpool: the spool directory cannot be used (it is locked by
	// another handover, unreadable, or holds a file that is no segment).
	ErrSpool = errors.New("handover: spool unusable")
	// ErrStream: a record of neither IRI nor CC.
	ErrStream = errors.New("handover: record of an unknown stream")
	// ErrNoSpool: Sync was asked of a handover without a spool, which can
	// make nothing durable but by the receiver's confirmation.
	ErrNoSpool = errors.New("handover: no spool to make records durable in")
)

// Config is one agency's handover: where its HI2 and HI3 receivers are,
// how to reach them and how much may wait for them.
type Config struct {
	// HI2 and HI3 are the receiver's addresses ("host:port") for IRI and
	// CC records. Both are required; they may be the same.
	HI2, HI3 string
	// Protocol is what the links speak: ETSI (the zero value) towards an
	// agency's receiver, or X2X3 from a point of interception to a
	// mediation function. With X2X3, HI2 and HI3 are the mediation
	// function's addresses for X2 and X3 (usually the same).
	Protocol Protocol
	// Encoder writes the keep-alives; its profile's KeepAliveInterval and
	// KeepAliveTimeout time them. Required for ETSI, unused for X2X3.
	Encoder *etsi.Encoder
	// KeepAliveInterval and KeepAliveTimeout time the X2X3 keep-alives
	// (for ETSI the Encoder's profile does): a keep-alive goes out after
	// so long idle, and its answer is awaited so long. Both are required
	// for X2X3.
	KeepAliveInterval, KeepAliveTimeout time.Duration
	// TLS, when set, wraps both connections in TLS with this
	// configuration: give it Certificates to authenticate ccjkit to the
	// receiver (mutual TLS) and RootCAs to authenticate the receiver, whose
	// certificate must name the host or address in HI2 and HI3 unless
	// ServerName says otherwise. nil: plain TCP, as over a dedicated line
	// or VPN.
	TLS *tls.Config
	// QueueBytes bounds the memory each link holds: records not yet sent,
	// and records sent but not yet confirmed by a keep-alive response,
	// which are sent again after a reconnect. 0 means 16 MiB.
	QueueBytes int
	// SpoolDir, when set, puts a disk spool behind each link's memory
	// queue, in its sub-directory HI2 or HI3 (created, mode 0700): when the
	// memory queue is full, records are appended there, up to SpoolBytes
	// per link, and sent once the receiver has confirmed what preceded
	// them. What is unconfirmed at Close is kept there too, and a new
	// Handover on the same directory sends it first. One Handover at a
	// time may use a directory (an flock(2) lock). "": no spool.
	SpoolDir string
	// SpoolBytes bounds each link's spool. 0 means 1 GiB.
	SpoolBytes int64
	// SpoolSync is how often spooled records are written out and
	// fsync(2)ed: a crash or power cut loses at most that much of what
	// was spooled. 0 means 200 ms.
	SpoolSync time.Duration
	// MinBackoff and MaxBackoff bound the wait between reconnection
	// attempts, doubling from the first to the second. 0 means 100 ms and
	// 30 s.
	MinBackoff, MaxBackoff time.Duration
	// DrainTimeout bounds how long Close waits for the receiver to confirm
	// what is queued. 0 means 10 s.
	DrainTimeout time.Duration
	// Clock stamps the keep-alives. Required.
	Clock timesync.Clock
	// Logger receives connection events and faults; nil discards. It is
	// never given a record's content.
	Logger *slog.Logger
	// Dial, when set, replaces net.Dialer's DialContext (for tests and
	// special networks).
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// Handover delivers one agency's records over two links, HI2 for IRI and
// HI3 for CC, each one TCP (or TLS) connection kept up with reconnects and
// keep-alives. It implements intercept.Handover: Deliver copies the record
// into the link's bounded queue and never blocks.
type Handover struct {
	hi2, hi3 *link
	once     sync.Once
	closeErr error
}

// New validates cfg and starts the two links; they connect in the
// background and keep trying until Close.
func New(cfg Config) (*Handover, error) {
	var probs []error
	if cfg.HI2 == "" || cfg.HI3 == "" {
		probs = append(probs, fmt.Errorf("%w: HI2 and HI3 addresses are required", ErrConfig))
	}
	switch cfg.Protocol {
	case ETSI:
		if cfg.Encoder == nil {
			probs = append(probs, fmt.Errorf("%w: Encoder is required (it writes the keep-alives)", ErrConfig))
		}
	case X2X3:
		if cfg.KeepAliveInterval <= 0 || cfg.KeepAliveTimeout <= 0 {
			probs = append(probs, fmt.Errorf("%w: KeepAliveInterval and KeepAliveTimeout are required for X2X3", ErrConfig))
		}
	default:
		probs = append(probs, fmt.Errorf("%w: unknown Protocol %d", ErrConfig, uint8(cfg.Protocol)))
	}
	if cfg.Clock == nil {
		probs = append(probs, fmt.Errorf("%w: Clock is required", ErrConfig))
	}
	if cfg.QueueBytes < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 || cfg.DrainTimeout < 0 || cfg.SpoolBytes < 0 || cfg.SpoolSync < 0 {
		probs = append(probs, fmt.Errorf("%w: sizes and durations cannot be negative", ErrConfig))
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	if cfg.QueueBytes == 0 {
		cfg.QueueBytes = 16 << 20
	}
	if cfg.QueueBytes < 64<<10 {
		return nil, fmt.Errorf("%w: QueueBytes %d is below 64 KiB", ErrConfig, cfg.QueueBytes)
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff = 100 * time.Millisecond
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		return nil, fmt.Errorf("%w: MaxBackoff is below MinBackoff", ErrConfig)
	}
	if cfg.SpoolBytes == 0 {
		cfg.SpoolBytes = 1 << 30
	}
	if cfg.SpoolDir != "" && cfg.SpoolBytes < int64(cfg.QueueBytes) {
		return nil, fmt.Errorf("%w: SpoolBytes %d is below QueueBytes %d", ErrConfig, cfg.SpoolBytes, cfg.QueueBytes)
	}
	if cfg.SpoolSync == 0 {
		cfg.SpoolSync = 200 * time.Millisecond
	}
	if cfg.DrainTimeout == 0 {
		cfg.DrainTimeout = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Dial == nil {
		d := &net.Dialer{Timeout: 10 * time.Second}
		cfg.Dial = d.DialContext
	}
	w := newWire(&cfg)
	iriName, ccName := w.names()
	hi2, err := newLink(iriName, cfg.HI2, &cfg, w)
	if err != nil {
		return nil, err
	}
	hi3, err := newLink(ccName, cfg.HI3, &cfg, w)
	if err != nil {
		if hi2.sp != nil {
			hi2.sp.close()
		}
		return nil, err
	}
	h := &Handover{hi2: hi2, hi3: hi3}
	hi2.start()
	hi3.start()
	return h, nil
}

// Deliver queues one encoded record of stream key (IRI on HI2, CC on
// HI3). It copies pdu and returns at once: into the memory queue, or,
// when that is full or records already wait in the spool, into the
// spool's staging buffer (a write to disk per 256 KiB). A record neither
// has room for is refused with ErrQueueFull, so that the queue always
// holds an unbroken run of what was accepted and memory and disk stay
// bounded.
func (h *Handover) Deliver(key intercept.StreamKey, _ intercept.Seq, pdu []byte) error {
	switch key.Stream {
	case intercept.IRI:
		return h.hi2.enqueue(pdu)
	case intercept.CC:
		return h.hi3.enqueue(pdu)
	}
	return ErrStream
}

// Close stops accepting records, waits up to DrainTimeout for the
// receiver to confirm everything queued (a final keep-alive answered),
// then closes both connections. What is still unconfirmed is written to
// the spool, when there is one, for the next Handover on the directory to
// send; without a spool, or when the spool cannot keep it, Close returns
// ErrUndelivered with the amount.
func (h *Handover) Close() error {
	h.once.Do(func() {
		var wg sync.WaitGroup
		var e2, e3 error
		wg.Add(2)
		go func() { defer wg.Done(); e2 = h.hi2.close() }()
		go func() { defer wg.Done(); e3 = h.hi3.close() }()
		wg.Wait()
		h.closeErr = errors.Join(e2, e3)
	})
	return h.closeErr
}

// Sync makes every record Deliver accepted before it durable: confirmed
// by the receiver, or written to the spool and fsynced (the part of the
// memory queue the receiver has not confirmed is appended to a segment of
// its own, which a restart sends first and a later confirmation deletes).
// A crash of the process after Sync returns loses none of those records,
// whatever the receiver is doing. It waits for the disk, not the network:
// it holds each link's lock only while it copies the new part of the
// memory queue into the page cache, and fsyncs outside it. With
// everything confirmed it returns at once.
//
// A mediation function calls it before it answers a point of
// interception's keep-alive, which lets the point release what it holds.
// Without a spool it returns ErrNoSpool; when the spool cannot take what
// is unconfirmed (its quota, a write failure), an error wrapping ErrSpool.
func (h *Handover) Sync() error {
	var e2, e3 error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); e2 = h.hi2.sync() }()
	go func() { defer wg.Done(); e3 = h.hi3.sync() }()
	wg.Wait()
	return errors.Join(e2, e3)
}

// Stats returns both links' counters.
func (h *Handover) Stats() Stats {
	return Stats{HI2: h.hi2.stats(), HI3: h.hi3.stats()}
}

// Queued returns the bytes held on both links, in memory and spooled: not
// yet confirmed by the receiver, whether written or not. Without a spool
// a record is refused when its link's share would pass QueueBytes, so a capture loop or a benchmark can watch
// Queued to see the receiver falling behind before anything is refused.
// It does not allocate.
func (h *Handover) Queued() uint64 { return h.hi2.queued() + h.hi3.queued() }
