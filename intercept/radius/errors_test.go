package radius_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// failingCapture is a capture source that fails at once.
type failingCapture struct{ err error }

func (c failingCapture) Capture(context.Context, func([]intercept.Packet)) error { return c.err }
func (failingCapture) Stats() intercept.CaptureStats                             { return intercept.CaptureStats{} }

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel in, and
// errors.As a *provenance.Problems where it lists findings (a malformed
// request) or a *net.OpError where the socket failed.
func TestErrorsAreInspectable(t *testing.T) {
	cfg := radius.Config{Clock: timesynctest.NewClock(at),
		Clients: []radius.Client{{Prefix: netip.MustParsePrefix("127.0.0.0/8"), Secret: []byte(secret)}}}
	good := packet(t, secret, 1, base(1)...)
	errSource := errors.New("the capture's own error")
	type as int
	const (
		neither as = iota
		problems
		netOp
	)
	for _, tc := range []struct {
		name string
		call func(t *testing.T) error
		is   error
		as   as
	}{
		{"Parse: an Access-Request", func(*testing.T) error {
			_, err := radius.Parse(append([]byte{1}, good[1:]...), []byte(secret), at, radius.Options{})
			return err
		}, radius.ErrNotAccounting, neither},
		{"Parse: no secret", func(*testing.T) error { _, err := radius.Parse(good, nil, at, radius.Options{}); return err }, radius.ErrNoSecret, neither},
		{"Parse: the wrong secret", func(*testing.T) error {
			_, err := radius.Parse(good, []byte("other"), at, radius.Options{})
			return err
		}, radius.ErrNotAuthentic, neither},
		{"Parse: shorter than a header", func(*testing.T) error {
			_, err := radius.Parse(good[:19], []byte(secret), at, radius.Options{})
			return err
		}, radius.ErrMalformed, problems},
		{"Parse: a missing status", func(t *testing.T) error {
			_, err := radius.Parse(packet(t, secret, 1, base(1)[1:]...), []byte(secret), at, radius.Options{})
			return err
		}, radius.ErrMalformed, problems},
		{"NewServer: no connection", func(*testing.T) error { _, err := radius.NewServer(nil, cfg); return err }, radius.ErrConfig, neither},
		{"NewMirror: no source", func(*testing.T) error { _, err := radius.NewMirror(nil, cfg); return err }, radius.ErrConfig, neither},
		{"Server.Serve: a closed socket", func(t *testing.T) error {
			conn, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv, err := radius.NewServer(conn, cfg)
			if err != nil {
				t.Fatal(err)
			}
			conn.Close()
			return srv.Serve(t.Context(), func(intercept.AccessEvent) error { return nil })
		}, net.ErrClosed, netOp},
		{"Server.Sessions: cancelled", func(t *testing.T) error {
			conn, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			srv, err := radius.NewServer(conn, cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
			defer cancel()
			return srv.Sessions(ctx, func(intercept.AccessEvent) {})
		}, context.DeadlineExceeded, neither},
		{"Mirror.Sessions: the capture's error", func(t *testing.T) error {
			m, err := radius.NewMirror(failingCapture{errSource}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			return m.Sessions(t.Context(), func(intercept.AccessEvent) {})
		}, errSource, neither},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var ps *provenance.Problems
			if got := errors.As(err, &ps); got != (tc.as == problems) {
				t.Errorf("errors.As *provenance.Problems = %v", got)
			}
			var op *net.OpError
			if got := errors.As(err, &op); got != (tc.as == netOp) {
				t.Errorf("errors.As *net.OpError = %v", got)
			}
		})
	}
}
