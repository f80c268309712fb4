package radius

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// Server is a RADIUS accounting server (RFC 2866) and an
// intercept.SessionSource: each Start, Interim-Update and Stop it receives
// becomes an access event, delivered in the order received, then answered
// with an Accounting-Response. Point a NAS's accounting at it, or have the
// RADIUS server copy its accounting to it (FreeRADIUS's replicate module).
//
// It answers only what it could read and have accepted: RFC 2866 §4.1
// has a server that cannot record a request not answer it, so that the
// NAS sends it again. Serve hands each event to a handler that may refuse
// it (the pipeline's HandleEvent, which refuses events once the pipeline
// is closed, say), and a request is answered only once every event it
// carried was accepted; Sessions, the intercept.SessionSource method,
// cannot refuse. A retransmission is answered again from memory without a
// second event.
//
// When a NAS sends Accounting-On or Accounting-Off (it booted, or is about
// to stop), every session the server saw it open is gone: the server
// delivers a sessionEnd for each, with the request's time and no end
// reason, since the NAS gave none.
type Server struct {
	conn net.PacketConn
	t    *tap
}

// NewServer makes a server reading from conn, which it does not close.
// Every client needs a secret. Every problem with cfg is reported at once.
func NewServer(conn net.PacketConn, cfg Config) (*Server, error) {
	var probs []error
	if conn == nil {
		probs = append(probs, fmt.Errorf("%w: no connection", ErrConfig))
	}
	if cfg.Options.SkipVerify {
		probs = append(probs, fmt.Errorf("%w: Options.SkipVerify: a server verifies every request (RFC 2866 §3)", ErrConfig))
	}
	if len(cfg.Clients) == 0 {
		probs = append(probs, fmt.Errorf("%w: no Clients: every request would be discarded (RFC 2865 §3)", ErrConfig))
	}
	t, err := newTap(cfg, true)
	if err != nil {
		probs = append(probs, err)
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	return &Server{conn: conn, t: t}, nil
}

// Stats returns the counters so far; safe to call concurrently.
func (s *Server) Stats() Stats { return s.t.snapshot() }

// Sessions reads requests until ctx is done and returns ctx's error, or
// the socket's error if reading fails for another reason. It delivers
// each event before answering its request. Call Sessions or Serve, one at
// a time.
func (s *Server) Sessions(ctx context.Context, deliver func(intercept.AccessEvent)) error {
	return s.Serve(ctx, func(ev intercept.AccessEvent) error { deliver(ev); return nil })
}

// Serve is Sessions with a handler that may refuse an event: a request
// whose events were not all accepted is not answered, and not remembered,
// so that the NAS's retransmission is handled anew (Stats.Refused counts
// the refusals). With the pipeline:
//
//	err := srv.Serve(ctx, p.HandleEvent)
func (s *Server) Serve(ctx context.Context, handle func(intercept.AccessEvent) error) error {
	// The socket is the caller's: clear any deadline it holds, and the
	// one set below to stop, so that it can be served again.
	_ = s.conn.SetReadDeadline(time.Time{})
	defer s.conn.SetReadDeadline(time.Time{})
	stop := context.AfterFunc(ctx, func() {
		// A deadline in the past wakes the blocked read.
		_ = s.conn.SetReadDeadline(time.Unix(1, 0))
	})
	defer stop()
	buf := make([]byte, maxPacket+1)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("radius: reading the socket: %w", err)
		}
		resp := s.t.handle(buf[:n], addrPortOf(from), s.t.clock.Now(), handle, true)
		if resp == nil {
			continue
		}
		if _, err := s.conn.WriteTo(resp, from); err != nil {
			s.t.count(func(st *Stats) { st.SendFailed++ })
			s.t.log.Warn("radius: an Accounting-Response could not be sent", "err", err)
			continue
		}
		s.t.count(func(st *Stats) { st.Answered++ })
	}
}

// addrPortOf turns a UDP peer's net.Addr into its address and port.
func addrPortOf(a net.Addr) netip.AddrPort {
	if u, ok := a.(*net.UDPAddr); ok {
		ap := u.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return netip.AddrPort{}
}
