package paging

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
)

// Sentinel errors, for errors.Is. Every error of the package wraps one of
// them, and none quotes a secret (a token, a password, a signing secret)
// or a page's channel address.
var (
	// ErrPage: a page is malformed (Page.Check) or a case ID is not of the
	// form "2026-0042".
	ErrPage = errors.New("paging: invalid page")
	// ErrSend: one attempt to send a page on one channel failed; a
	// *SendError says how (its Failure).
	ErrSend = errors.New("paging: send failed")
	// ErrUndelivered: Dispatcher.Deliver tried every channel of the
	// member and none took the page.
	ErrUndelivered = errors.New("paging: page not delivered on any channel")
	// ErrPolicy: a Policy is malformed (Policy.Check, DecodePolicy).
	ErrPolicy = errors.New("paging: invalid policy")
	// ErrEvent: an event given to Next is malformed.
	ErrEvent = errors.New("paging: invalid event")
	// ErrNobody: the cell has nobody to page at the intake's instant —
	// nobody on call, no escalation list and no eligible member.
	ErrNobody = errors.New("paging: nobody to page")
	// ErrCode: an acknowledgement code is malformed or not the page's,
	// or a code cannot be made (a key too short).
	ErrCode = errors.New("paging: wrong acknowledgement code")
	// ErrCodeExpired: the acknowledgement code is the page's but no
	// longer (or not yet) valid.
	ErrCodeExpired = errors.New("paging: acknowledgement code expired")
)

// Failure is how an attempt to send a page failed: the error class the
// caller records in the register for each Attempt.
type Failure uint8

// The failures. Timeout, Unreachable and ServerError are worth trying
// again (Failure.Retryable); the others move on to the member's next
// channel at once.
const (
	// NoFailure: the channel took the page.
	NoFailure Failure = iota
	// Timeout: no answer within Retry.Timeout.
	Timeout
	// Unreachable: no connection — refused, reset, no route, a name
	// that does not resolve.
	Unreachable
	// ServerError: the service answered that it cannot take the page
	// now: HTTP 5xx, 408, 425 or 429; an SMTP 4xx reply.
	ServerError
	// Rejected: the service refused the page for good: any other HTTP
	// status that is not 2xx (credentials refused, room or topic
	// unknown, a redirect), an SMTP 5xx reply.
	Rejected
	// Misconfigured: the page cannot be sent as configured: a channel
	// address that is not an https URL, a member with no Matrix room, an
	// e-mail relay without the TLS the policy requires, a server
	// certificate that does not verify.
	Misconfigured
	// NoSender: the dispatcher has no sender for the channel's kind; the
	// channel is skipped without an attempt.
	NoSender
	// Canceled: the caller's context ended.
	Canceled
)

var failureKeys = []string{"none", "timeout", "unreachable", "server-error", "rejected", "misconfigured", "no-sender", "canceled"}

// String returns the failure's key: "none", "timeout", "unreachable",
// "server-error", "rejected", "misconfigured", "no-sender", "canceled".
func (f Failure) String() string {
	if int(f) < len(failureKeys) {
		return failureKeys[f]
	}
	return "failure(" + strconv.Itoa(int(f)) + ")"
}

// MarshalText returns Failure.String's key; an unknown Failure is an
// error.
func (f Failure) MarshalText() ([]byte, error) {
	if int(f) >= len(failureKeys) {
		return nil, fmt.Errorf("%w: unknown failure %d", ErrSend, f)
	}
	return []byte(failureKeys[f]), nil
}

// UnmarshalText accepts the keys Failure.String returns.
func (f *Failure) UnmarshalText(b []byte) error {
	for i, k := range failureKeys {
		if string(b) == k {
			*f = Failure(i)
			return nil
		}
	}
	return fmt.Errorf("%w: not a failure key", ErrSend)
}

// Retryable reports whether another attempt on the same channel may
// succeed: Timeout, Unreachable and ServerError.
func (f Failure) Retryable() bool { return f == Timeout || f == Unreachable || f == ServerError }

// SendError is the error of one failed attempt: its Failure, the
// service's status (an HTTP status or an SMTP reply code, 0 when none) and
// the cause. It wraps ErrSend and the cause. Its text names the service
// and the status, never the channel's address, a token or a password: a
// cause from the network is kept without the URL the HTTP client wraps
// it in.
type SendError struct {
	// Service names the sender: "ntfy", "matrix", "webhook", "sms", "smtp".
	Service string
	Failure Failure
	Status  int
	Err     error
}

func (e *SendError) Error() string {
	s := "paging: " + e.Service + ": " + e.Failure.String()
	if e.Status != 0 {
		s += " (" + strconv.Itoa(e.Status) + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns ErrSend and the cause.
func (e *SendError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrSend}
	}
	return []error{ErrSend, e.Err}
}

// sendErr returns a *SendError.
func sendErr(service string, f Failure, status int, err error) *SendError {
	return &SendError{Service: service, Failure: f, Status: status, Err: err}
}

// misconfigured returns the Misconfigured error of service, saying why.
func misconfigured(service, why string) *SendError {
	return sendErr(service, Misconfigured, 0, errors.New(why))
}

// classify returns the Failure of err: Canceled when the caller's context
// ctx ended, a *SendError's own, Timeout for a deadline, Misconfigured for a
// certificate that does not verify, Unreachable for anything else from
// the network or unknown.
func classify(ctx context.Context, err error) Failure {
	if err == nil {
		return NoFailure
	}
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return Canceled
	}
	var se *SendError
	if errors.As(err, &se) {
		return se.Failure
	}
	return networkFailure(err)
}

// networkFailure classifies an error of the network or of TLS.
func networkFailure(err error) Failure {
	var ne net.Error
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return Timeout
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify):
		return Misconfigured
	case errors.Is(err, context.Canceled):
		return Canceled
	}
	return Unreachable
}
