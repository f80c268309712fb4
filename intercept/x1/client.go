package x1

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/ccjkit/ccjkit/internal/tlserr"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrRefused: the NE answered with an X1TopLevelErrorResponse (it could
// not read the request), with an HTTP status other than 200, or with a
// response that does not answer the request (another transaction, another
// type, another number of messages).
var ErrRefused = errors.New("x1: the NE did not answer the request")

// Client is the ADMF side of X1: it POSTs requests to one NE over HTTPS
// with its client certificate, and reads the answers strictly.
type Client struct {
	url    string
	http   *http.Client
	admf   string
	ne     string
	clock  timesync.Clock
	limits Limits
	// Random, when set, is where transaction identifiers are read from
	// (crypto/rand otherwise): tests set it to get fixed ones.
	Random io.Reader
}

// NewClient returns a client of the NE at url (https only), identifying
// as admf to the NE named ne, authenticated and verifying the NE with cfg
// (ClientTLS makes one; it must hold a client certificate). clock
// timestamps the requests.
func NewClient(rawURL string, cfg *tls.Config, admf, ne string, clock timesync.Clock) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%w: X1 runs over https only", ErrTransport)
	}
	if cfg == nil || (len(cfg.Certificates) == 0 && cfg.GetClientCertificate == nil) {
		return nil, fmt.Errorf("%w: an ADMF authenticates with a client certificate", ErrTransport)
	}
	if cfg.MinVersion < MinTLSVersion || cfg.InsecureSkipVerify {
		return nil, fmt.Errorf("%w: TLS 1.2 or later, with the NE's certificate verified", ErrTransport)
	}
	if clock == nil {
		return nil, fmt.Errorf("%w: a client needs a clock to timestamp its requests", ErrTransport)
	}
	tr := &http.Transport{
		TLSClientConfig:       cfg.Clone(),
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Client{
		url: u.String(),
		http: &http.Client{
			Transport: tr,
			Timeout:   time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return fmt.Errorf("%w: an NE does not redirect", ErrRefused)
			},
		},
		admf: admf, ne: ne, clock: clock, limits: DefaultLimits(),
	}, nil
}

// Close closes the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Do sends the messages in one X1Request and returns the NE's answers,
// one per message and in order; an ErrorResponse is an answer, not an
// error of Do. Fields of a message's header left zero are filled: the
// client's ADMF and NE identifiers, the clock's time, SchemaVersion and a
// random transaction identifier.
func (c *Client) Do(ctx context.Context, msgs ...RequestMessage) ([]ResponseMessage, error) {
	req := &Request{Messages: make([]RequestMessage, len(msgs))}
	for i, m := range msgs {
		if m.ADMF == "" {
			m.ADMF = c.admf
		}
		if m.NE == "" {
			m.NE = c.ne
		}
		if m.Timestamp.IsZero() {
			m.Timestamp = c.clock.Now()
		}
		if m.Version == "" {
			m.Version = SchemaVersion
		}
		if m.TransactionID.IsZero() {
			u, err := NewUUID(c.Random)
			if err != nil {
				return nil, err
			}
			m.TransactionID = u
		}
		req.Messages[i] = m
	}
	body, err := EncodeRequest(req)
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", contentType)
	res, err := c.http.Do(hr)
	if err != nil {
		if tlserr.IsRefusal(err) {
			return nil, fmt.Errorf("%w: TLS refused (a certificate not accepted, by one side or the other): %w", ErrTransport, err)
		}
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, int64(c.limits.MaxBytes)+1))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: HTTP status %d", ErrRefused, res.StatusCode)
	}
	resp, err := c.limits.DecodeResponse(data)
	if err != nil {
		return nil, err
	}
	if resp.TopLevelError != nil {
		return nil, fmt.Errorf("%w: a top-level error response (the NE could not read the request)", ErrRefused)
	}
	if len(resp.Messages) != len(req.Messages) {
		return nil, fmt.Errorf("%w: %d answers to %d messages", ErrRefused, len(resp.Messages), len(req.Messages))
	}
	for i, m := range resp.Messages {
		if m.TransactionID != req.Messages[i].TransactionID || m.Type != req.Messages[i].Type {
			return nil, fmt.Errorf("%w: answer %d is not for request message %d", ErrRefused, i, i)
		}
	}
	return resp.Messages, nil
}

// one sends one message and returns its answer, or the NE's error as a
// *ResponseError.
func (c *Client) one(ctx context.Context, m RequestMessage) (ResponseMessage, error) {
	res, err := c.Do(ctx, m)
	if err != nil {
		return ResponseMessage{}, err
	}
	if res[0].Error != nil {
		return res[0], &ResponseError{Request: m.Type, Info: *res[0].Error}
	}
	return res[0], nil
}

// ActivateTask asks the NE to start the task.
func (c *Client) ActivateTask(ctx context.Context, t TaskDetails) error {
	_, err := c.one(ctx, RequestMessage{Type: ActivateTask, Task: &t})
	return err
}

// ModifyTask replaces the details of a task the NE holds.
func (c *Client) ModifyTask(ctx context.Context, t TaskDetails) error {
	_, err := c.one(ctx, RequestMessage{Type: ModifyTask, Task: &t})
	return err
}

// DeactivateTask ends a task.
func (c *Client) DeactivateTask(ctx context.Context, xid UUID) error {
	_, err := c.one(ctx, RequestMessage{Type: DeactivateTask, XID: xid})
	return err
}

// GetTaskDetails returns a task as the NE holds it, with its status.
func (c *Client) GetTaskDetails(ctx context.Context, xid UUID) (*TaskResponseDetails, error) {
	res, err := c.one(ctx, RequestMessage{Type: GetTaskDetails, XID: xid})
	if err != nil {
		return nil, err
	}
	return res.Task, nil
}

// ListAllDetails returns the XIDs and DIDs the NE holds.
func (c *Client) ListAllDetails(ctx context.Context) (xids, dids []UUID, err error) {
	res, err := c.one(ctx, RequestMessage{Type: ListAllDetails})
	if err != nil {
		return nil, nil, err
	}
	return res.XIDs, res.DIDs, nil
}

// CreateDestination gives the NE a destination for its X2/X3.
func (c *Client) CreateDestination(ctx context.Context, d DestinationDetails) error {
	_, err := c.one(ctx, RequestMessage{Type: CreateDestination, Destination: &d})
	return err
}

// ModifyDestination replaces a destination's details.
func (c *Client) ModifyDestination(ctx context.Context, d DestinationDetails) error {
	_, err := c.one(ctx, RequestMessage{Type: ModifyDestination, Destination: &d})
	return err
}

// RemoveDestination removes a destination no task uses.
func (c *Client) RemoveDestination(ctx context.Context, did UUID) error {
	_, err := c.one(ctx, RequestMessage{Type: RemoveDestination, DID: did})
	return err
}

// GetDestinationDetails returns a destination as the NE holds it.
func (c *Client) GetDestinationDetails(ctx context.Context, did UUID) (*DestinationResponseDetails, error) {
	res, err := c.one(ctx, RequestMessage{Type: GetDestinationDetails, DID: did})
	if err != nil {
		return nil, err
	}
	return res.Destination, nil
}

// Ping checks that the NE answers X1.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.one(ctx, RequestMessage{Type: Ping})
	return err
}

// Keepalive tells the NE the ADMF is still there (TS 103 221-1 clause
// 6.6.2); an ADMF sends it periodically.
func (c *Client) Keepalive(ctx context.Context) error {
	_, err := c.one(ctx, RequestMessage{Type: Keepalive})
	return err
}
