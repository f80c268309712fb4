package paging

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Secret is a token, a password or a signing key. Its text forms hide it
// — fmt's verbs, String, GoString and MarshalText all give "[secret]" — so
// that a sender's configuration printed or encoded for a log shows none;
// string(s) is the value.
type Secret string

const hidden = "[secret]"

// String returns "[secret]".
func (Secret) String() string { return hidden }

// GoString returns "[secret]".
func (Secret) GoString() string { return hidden }

// Format writes "[secret]" whatever the verb.
func (Secret) Format(f fmt.State, _ rune) { io.WriteString(f, hidden) }

// MarshalText returns "[secret]": a Secret is written nowhere.
func (Secret) MarshalText() ([]byte, error) { return []byte(hidden), nil }

// maxResponse bounds what is read of a service's answer.
const maxResponse = 64 << 10

// defaultClient is the HTTP client of a sender without its own: it
// follows no redirect (a page is posted where the channel says, and a
// redirect is an answer that did not take it).
var defaultClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// clientOr returns c, or the default client.
func clientOr(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return defaultClient
}

// checkURL returns the URL s when it is one a page may be sent to: https,
// or http to a loopback host; a host; no credentials, no fragment. why
// says which address it is, for the error; the error never quotes s.
func checkURL(service, why, s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return nil, misconfigured(service, why+" is not an absolute URL with a host, without credentials or fragment")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return nil, misconfigured(service, why+" is http to a host other than this machine: https is required")
		}
	default:
		return nil, misconfigured(service, why+" is not an https URL")
	}
	return u, nil
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// do sends req with client and returns the status and at most
// maxResponse bytes of the body for a 2xx answer or a failure; a network
// error is returned without the URL the HTTP client wraps it in (a topic
// or a webhook address may be a secret), classified.
func do(ctx context.Context, service string, client *http.Client, req *http.Request) (int, []byte, error) {
	resp, err := clientOr(client).Do(req.WithContext(ctx))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return 0, nil, sendErr(service, Timeout, 0, fmt.Errorf("%s %s: no answer in time", req.Method, service))
		}
		return 0, nil, sendErr(service, networkFailure(err), 0, fmt.Errorf("%s: %w", req.Method, err))
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if rerr != nil {
			// The service said yes; a body cut short does not undo it.
			return resp.StatusCode, nil, nil
		}
		return resp.StatusCode, body, nil
	}
	return resp.StatusCode, body, sendErr(service, statusFailure(resp.StatusCode), resp.StatusCode, fmt.Errorf("%s: HTTP %d %s", req.Method, resp.StatusCode, http.StatusText(resp.StatusCode)))
}

// statusFailure classifies an HTTP status that is not 2xx: 408, 425, 429
// and 5xx are worth trying again (ServerError), anything else is Rejected.
func statusFailure(status int) Failure {
	switch {
	case status == http.StatusRequestTimeout, status == http.StatusTooEarly, status == http.StatusTooManyRequests, status >= 500:
		return ServerError
	}
	return Rejected
}
