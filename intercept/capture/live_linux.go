package capture

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/afpacket"
	"golang.org/x/net/bpf"

	"github.com/ccjkit/ccjkit/intercept"
)

// Live captures from a network interface through a Linux AF_PACKET
// socket with a TPACKET_V3 ring shared with the kernel (gopacket's
// afpacket, pure Go), as an intercept.CaptureSource. It needs
// CAP_NET_RAW.
//
// The socket is SOCK_DGRAM: the kernel removes the link layer, so a
// VLAN-tagged or untagged frame, Ethernet or not, arrives as its IP
// datagram. Each packet carries the kernel's receive timestamp, which
// becomes the CC record's time. A kernel filter (SetTargets) keeps all
// but the targets' traffic out of the ring; until it is first set, the
// ring takes nothing. The kernel's drop counter (a full ring) is read
// into Stats().KernelDropped.
type Live struct {
	tp     *afpacket.TPacket
	logger *slog.Logger

	filterMu sync.Mutex // serialises SetTargets

	received, truncated, skipped atomic.Uint64
	closeOnce                    sync.Once
}

var _ intercept.TargetFilter = (*Live)(nil)

// LiveConfig says which interface to capture and how big the ring is.
type LiveConfig struct {
	// Interface is the interface's name, such as "eth1" (a mirror port,
	// or the subscribers' side of the access router). Required.
	Interface string
	// BlockBytes and Blocks size the ring: Blocks blocks of BlockBytes,
	// which the kernel fills and hands over one at a time. A packet
	// larger than FrameBytes is cut (and counted as truncated). 0 means
	// 1 MiB, 64 (a 64 MiB ring) and 128 KiB (whole packets even when the
	// interface merges segments, GRO). BlockBytes must be a multiple of
	// the page size and of FrameBytes.
	BlockBytes, Blocks, FrameBytes int
	// BlockTimeout is how long the kernel waits before handing over a
	// block that is not full, which bounds the delay a packet sees at low
	// rates. 0 means 10 ms.
	BlockTimeout time.Duration
	// Logger receives warnings; nil discards. It is never given a target.
	Logger *slog.Logger
}

// NewLive opens the capture on cfg.Interface with a filter that takes
// nothing: call SetTargets (the pipeline does, through
// intercept.TargetFilter) to let the targets' packets in. Its errors wrap
// ErrConfig or ErrSocket.
func NewLive(cfg LiveConfig) (*Live, error) {
	if cfg.Interface == "" {
		return nil, fmt.Errorf("%w: LiveConfig.Interface is required", ErrConfig)
	}
	if cfg.BlockBytes == 0 {
		cfg.BlockBytes = 1 << 20
	}
	if cfg.Blocks == 0 {
		cfg.Blocks = 64
	}
	if cfg.FrameBytes == 0 {
		cfg.FrameBytes = 128 << 10
	}
	if cfg.BlockTimeout == 0 {
		cfg.BlockTimeout = 10 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	tp, err := afpacket.NewTPacket(
		afpacket.OptInterface(cfg.Interface),
		afpacket.OptSocketType(afpacket.SocketDgram),
		afpacket.OptTPacketVersion(afpacket.TPacketVersion3),
		afpacket.OptBlockSize(cfg.BlockBytes),
		afpacket.OptNumBlocks(cfg.Blocks),
		afpacket.OptFrameSize(cfg.FrameBytes),
		afpacket.OptBlockTimeout(cfg.BlockTimeout),
		afpacket.OptPollTimeout(100*time.Millisecond), // how soon Capture sees a cancelled ctx
	)
	if err != nil {
		return nil, fmt.Errorf("%w: live capture on an interface: %w", ErrSocket, err)
	}
	l := &Live{tp: tp, logger: cfg.Logger}
	if err := l.attach([]bpf.Instruction{bpf.RetConstant{Val: 0}}); err != nil {
		tp.Close()
		return nil, err
	}
	// Packets the ring took before the filter was in place are not the
	// targets' by any choice of ours: drop them.
	for {
		if _, _, err := tp.ZeroCopyReadPacketData(); err != nil {
			break
		}
	}
	return l, nil
}

func (l *Live) attach(prog []bpf.Instruction) error {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return fmt.Errorf("%w: assembling the kernel filter: %w", ErrSocket, err)
	}
	if err := l.tp.SetBPF(raw); err != nil {
		return fmt.Errorf("%w: attaching the kernel filter: %w", ErrSocket, err)
	}
	return nil
}

// SetTargets replaces the kernel filter with one taking the packets from
// or to prefixes (see Filter), at once: the kernel swaps filters
// atomically. With too many prefixes for one filter it takes every IPv4
// and IPv6 packet instead, so nothing of a target is missed, and returns
// an error wrapping ErrFilterTooLarge saying so.
func (l *Live) SetTargets(prefixes []netip.Prefix) error {
	l.filterMu.Lock()
	defer l.filterMu.Unlock()
	prog, err := Filter(prefixes)
	if errors.Is(err, ErrFilterTooLarge) {
		all, _ := Filter([]netip.Prefix{netip.PrefixFrom(netip.IPv4Unspecified(), 0), netip.PrefixFrom(netip.IPv6Unspecified(), 0)})
		if aerr := l.attach(all); aerr != nil {
			return aerr
		}
		l.logger.Warn("capture: too many target prefixes for a kernel filter; taking all IP traffic", "prefixes", len(prefixes))
		return fmt.Errorf("%w; the capture takes all IP traffic instead", err)
	}
	if err != nil {
		return err
	}
	return l.attach(prog)
}

// Capture delivers each packet as it comes, in a batch of one whose Data
// points into the kernel's ring (no copy): it is valid until deliver
// returns. It returns ctx's error when cancelled, within 100 ms, or the
// error that stopped the socket.
func (l *Live) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	batch := make([]intercept.Packet, 1)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, ci, err := l.tp.ZeroCopyReadPacketData()
		if errors.Is(err, afpacket.ErrTimeout) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: reading the ring: %w", ErrSocket, err)
		}
		if len(data) == 0 || (data[0]>>4 != 4 && data[0]>>4 != 6) {
			l.skipped.Add(1)
			continue
		}
		length := max(ci.Length, len(data))
		if n, ok := ipLength(data); ok {
			length = n // drops Ethernet padding; tells a cut packet from a whole one
			data = data[:min(n, len(data))]
		}
		batch[0] = intercept.Packet{Time: ci.Timestamp.UTC(), Data: data, Length: length}
		l.received.Add(1)
		if length > len(data) {
			l.truncated.Add(1)
		}
		deliver(batch)
	}
}

// Stats returns the counters so far, the kernel's drops included (they
// are read from the socket, which is safe while Capture runs).
func (l *Live) Stats() intercept.CaptureStats {
	s := intercept.CaptureStats{Received: l.received.Load(), Truncated: l.truncated.Load()}
	if _, v3, err := l.tp.SocketStats(); err == nil {
		s.KernelDropped = uint64(v3.Drops())
	}
	return s
}

// Skipped counts packets that were not IP (the filter lets none through;
// a packet can only come before the first filter).
func (l *Live) Skipped() uint64 { return l.skipped.Load() }

// Close releases the socket and its ring. Call it after Capture returned.
func (l *Live) Close() error {
	l.closeOnce.Do(l.tp.Close)
	return nil
}
