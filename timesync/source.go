package timesync

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/beevik/ntp"
)

// Source is a time source the synchronisation check can ask.
type Source interface {
	// Name identifies the source in samples, reasons and errors.
	Name() string
	// Sample asks the source once. It returns within the context's deadline
	// or the source's own timeout, whichever comes first.
	Sample(ctx context.Context) (Sample, error)
}

// DefaultTimeout bounds one question to one source when neither the source
// nor the context sets a shorter limit.
const DefaultTimeout = 2 * time.Second

// The errors of the time sources, for [errors.Is]; a source's error also
// wraps the underlying cause.
var (
	// ErrNoAnswer: nothing answered in time (nothing listening, filtered,
	// timed out, daemon absent).
	ErrNoAnswer = errors.New("timesync: no answer from time source")
	// ErrBadAnswer: something answered, but not a valid time report.
	ErrBadAnswer = errors.New("timesync: invalid answer from time source")
	// ErrKissOfDeath: the NTP server asked us to go away (RFC 5905 §7.4:
	// RATE, DENY, RSTR, ...).
	ErrKissOfDeath = errors.New("timesync: NTP server sent a kiss-o'-death")
	// ErrBadAddress: the source is misconfigured (an NTP address that is
	// not host, host:port or [v6]:port); nothing was sent.
	ErrBadAddress = errors.New("timesync: bad time source address")
)

// NTPServer is an NTP server asked with one SNTP exchange (RFC 5905, via
// github.com/beevik/ntp).
type NTPServer struct {
	// Address is "host", "host:port", "[v6addr]:port"; the port defaults to
	// 123.
	Address string
	// Timeout bounds the exchange; zero means DefaultTimeout.
	Timeout time.Duration
}

// Name returns "ntp " + Address.
func (s NTPServer) Name() string { return "ntp " + s.Address }

// Sample performs one NTP exchange. A server that answers but says it is
// unsynchronised (leap indicator 3, or stratum 0 without a kiss code, or
// stratum 16) gives a Sample that says so, not an error: it is a finding.
func (s NTPServer) Sample(ctx context.Context) (Sample, error) {
	timeout := cmp0(s.Timeout, DefaultTimeout)
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
	}
	if err := checkNTPAddress(s.Address); err != nil {
		return Sample{}, err
	}
	if timeout <= 0 {
		return Sample{}, fmt.Errorf("%w: %w", ErrNoAnswer, context.DeadlineExceeded)
	}
	var stop func() bool
	dial := func(_, remote string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "udp", remote)
		if err == nil {
			stop = context.AfterFunc(ctx, func() { conn.Close() })
		}
		return conn, err
	}
	r, err := ntp.QueryWithOptions(s.Address, ntp.QueryOptions{Timeout: timeout, Dialer: dial})
	if stop != nil {
		stop()
	}
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
			return Sample{}, fmt.Errorf("%w: %w", ErrNoAnswer, err)
		}
		return Sample{}, fmt.Errorf("%w: %w", ErrBadAnswer, err)
	}
	sm := Sample{
		Source: s.Name(), Method: MethodNTP,
		Offset: r.ClockOffset, Stratum: int(r.Stratum), ReferenceID: r.ReferenceID,
		RootDelay: r.RootDelay, RootDispersion: r.RootDispersion, Delay: r.RTT,
		Leap: Leap(r.Leap), ReferenceTime: ntpRefTime(r.ReferenceTime),
	}
	switch {
	case r.Stratum == 0 && r.KissCode != "" && r.ReferenceID != 0:
		return Sample{}, fmt.Errorf("%w: code %q", ErrKissOfDeath, r.KissCode)
	case r.Stratum == 0 || r.Stratum >= 16 || r.Leap == ntp.LeapNotInSync:
		sm.Leap = LeapUnsynchronised
		return sm, nil
	}
	if err := r.Validate(); err != nil {
		return Sample{}, fmt.Errorf("%w: %w", ErrBadAnswer, err)
	}
	sm.Reference = describeReference(r.ReferenceID, sm.Stratum)
	return sm, nil
}

// checkNTPAddress accepts "host", "host:port", "[v6]" and "[v6]:port" (a
// bare IPv6 literal too), with a port from 1 to 65535.
func checkNTPAddress(a string) error {
	bad := func(why string) error { return fmt.Errorf("%w: %q: %s", ErrBadAddress, a, why) }
	if a == "" {
		return bad("empty")
	}
	if _, err := netip.ParseAddr(strings.Trim(a, "[]")); err == nil && strings.Count(a, ":") > 1 && (a[0] == '[') == (a[len(a)-1] == ']') {
		return nil // an IPv6 literal without a port
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		if strings.ContainsAny(a, ":[]") {
			return bad(err.Error())
		}
		return nil // a host name or IPv4 address without a port
	}
	if host == "" {
		return bad("no host")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return bad("port must be 1-65535")
	}
	return nil
}

// ntpRefTime maps NTP's "never" (the era-0 epoch, or its era-1 rendering)
// to the zero time.
func ntpRefTime(t time.Time) time.Time {
	if t.Year() <= 1900 || t.Equal(time.Date(2036, 2, 7, 6, 28, 16, 0, time.UTC)) {
		return time.Time{}
	}
	return t.UTC()
}

func cmp0(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Chrony is the local chronyd, asked through chronyc's machine-readable
// tracking report (`chronyc -c -n tracking`). Its sample describes how
// chronyd disciplines this machine's clock.
type Chrony struct {
	// Command is the chronyc program; "" means "chronyc" on $PATH.
	Command string
	// Socket is chronyd's command socket (chronyc -h); "" means chronyc's
	// default (the daemon's standard socket, then 127.0.0.1 and ::1).
	Socket string
	// Timeout bounds the call; zero means DefaultTimeout.
	Timeout time.Duration
}

// Name returns "chrony", or "chrony " + Socket when a socket is set.
func (c Chrony) Name() string {
	if c.Socket != "" {
		return "chrony " + c.Socket
	}
	return "chrony"
}

// Sample runs chronyc and parses its tracking report. No chronyc, or no
// chronyd answering it, is an error wrapping [ErrNoAnswer].
func (c Chrony) Sample(ctx context.Context) (Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, cmp0(c.Timeout, DefaultTimeout))
	defer cancel()
	args := []string{"-c", "-n"}
	if c.Socket != "" {
		args = append(args, "-h", c.Socket)
	}
	args = append(args, "tracking")
	cmd := exec.CommandContext(ctx, cmp.Or(c.Command, "chronyc"), args...)
	cmd.WaitDelay = 100 * time.Millisecond
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		// chronyc prints "506 Cannot talk to daemon" on stdout.
		msg := bytes.TrimSpace(stderr.Bytes())
		if len(msg) == 0 {
			msg = bytes.TrimSpace(stdout.Bytes())
		}
		if len(msg) > 0 {
			err = fmt.Errorf("%w (%.200s)", err, msg)
		}
		return Sample{}, fmt.Errorf("%w: chronyc: %w", ErrNoAnswer, err)
	}
	s, err := ParseChronyTracking(stdout.Bytes())
	if err != nil {
		return Sample{}, fmt.Errorf("%w: chronyc: %w", ErrBadAnswer, err)
	}
	s.Source = c.Name()
	return s, nil
}

// Check asks every source at once, bounded by ctx and each source's timeout,
// and judges the answers with [Judge] at the instant clock gives. The
// returned Verdict keeps the samples in the order of the sources.
func Check(ctx context.Context, clock Clock, p Policy, sources ...Source) Verdict {
	type result struct {
		s   Sample
		err error
	}
	results := make([]result, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			s, err := src.Sample(ctx)
			if err == nil {
				s.Source = src.Name()
				s.At = clock.Now().UTC()
			}
			results[i] = result{s, err}
		})
	}
	wg.Wait()
	var samples []Sample
	var failures []*SourceError
	for i, r := range results {
		if r.err != nil {
			failures = append(failures, &SourceError{Source: sources[i].Name(), Err: r.err})
			continue
		}
		samples = append(samples, r.s)
	}
	return Judge(clock.Now(), p, samples, failures)
}
