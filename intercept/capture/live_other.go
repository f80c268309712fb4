//go:build !linux

package capture

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// Live is live capture, which needs Linux's AF_PACKET: elsewhere NewLive
// returns an error wrapping errors.ErrUnsupported.
type Live struct{}

// LiveConfig is as on Linux.
type LiveConfig struct {
	Interface                      string
	BlockBytes, Blocks, FrameBytes int
	BlockTimeout                   time.Duration
	Logger                         *slog.Logger
}

// NewLive returns an error wrapping errors.ErrUnsupported.
func NewLive(LiveConfig) (*Live, error) {
	return nil, errors.Join(errors.New("capture: live capture needs Linux AF_PACKET"), errors.ErrUnsupported)
}

// SetTargets is unsupported.
func (*Live) SetTargets([]netip.Prefix) error { return errors.ErrUnsupported }

// Capture is unsupported.
func (*Live) Capture(context.Context, func([]intercept.Packet)) error { return errors.ErrUnsupported }

// Stats is empty.
func (*Live) Stats() intercept.CaptureStats { return intercept.CaptureStats{} }

// Skipped is 0.
func (*Live) Skipped() uint64 { return 0 }

// Close does nothing.
func (*Live) Close() error { return nil }
