package lemf_test

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel in: its own, the
// context's, or the network's (as a *net.OpError).
func TestErrorsAreInspectable(t *testing.T) {
	enc, err := etsi.NewEncoder(itest.Profile(time.Minute, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	cfg := lemf.Config{Encoder: enc, Clock: timesynctest.NewClock(time.Unix(1700000000, 0))}
	listen := func(t *testing.T) *lemf.Receiver {
		t.Helper()
		rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rx.Close() })
		return rx
	}
	for _, tc := range []struct {
		name  string
		call  func(t *testing.T) error
		is    error
		netOp bool // errors.As finds a *net.OpError
	}{
		{"Listen: no encoder", func(t *testing.T) error {
			_, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{})
			return err
		}, lemf.ErrConfig, false},
		{"Listen: an address in use", func(t *testing.T) error {
			rx := listen(t)
			_, err := lemf.Listen(t.Context(), "tcp", rx.Addr().String(), cfg)
			return err
		}, syscall.EADDRINUSE, true},
		{"Receiver.Close: twice", func(t *testing.T) error {
			rx := listen(t)
			rx.Close()
			return rx.Close()
		}, net.ErrClosed, true},
		{"Receiver.WaitFor: a condition that never holds", func(t *testing.T) error {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
			defer cancel()
			_, err := listen(t).WaitFor(ctx, func(lemf.Report) bool { return false })
			return err
		}, context.DeadlineExceeded, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var op *net.OpError
			if got := errors.As(err, &op); got != tc.netOp {
				t.Errorf("errors.As *net.OpError = %v, want %v", got, tc.netOp)
			}
		})
	}
}
