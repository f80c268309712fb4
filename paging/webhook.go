package paging

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/timesync"
)

// The webhook's headers.
const (
	// SignatureHeader carries "sha256=" and the hexadecimal HMAC-SHA256
	// of the request's body under the shared secret (Webhook.Secret).
	SignatureHeader = "X-Ccjkit-Signature"
	// IdempotencyHeader carries the page's Key, the same for every
	// attempt of the same page to the same member on the same channel:
	// a receiver drops a request whose key it has seen (the header of the
	// IETF draft "The Idempotency-Key HTTP Header Field").
	IdempotencyHeader = "Idempotency-Key"
)

// WebhookBody is the JSON a Webhook posts: the page's fields as data, and
// its title and text in its language. Instants are RFC 3339 in Brussels
// time to the second.
type WebhookBody struct {
	// Version is 1.
	Version int `json:"version"`
	// Key is the page's Key, as in IdempotencyHeader.
	Key      Key       `json:"key"`
	Case     CaseID    `json:"case"`
	Received time.Time `json:"received"`
	Class    Class     `json:"class"`
	Kind     Kind      `json:"kind"`
	Step     int       `json:"step"`
	Percent  int       `json:"percent,omitempty"`
	Due      time.Time `json:"due,omitzero"`
	// Ack is the command that acknowledges the page (Page.AckLine), Code
	// its one-time code ("" for none).
	Ack  string `json:"ack"`
	Code string `json:"code,omitempty"`
	Lang string `json:"lang"`
	// Title and Text are Page.Title and Page.Text.
	Title string `json:"title"`
	Text  string `json:"text"`
}

// Webhook posts pages as JSON (a WebhookBody) to the address of a
// ccj.Webhook channel, for a member's own relay: a home automation
// server, a gateway to a pager, a script. The request is
//
//	POST {channel's URL}
//	Content-Type: application/json
//	Idempotency-Key: {the page's Key}
//	X-Ccjkit-Signature: sha256={hex HMAC-SHA256(Secret, body)}   (when Secret is set)
//
// and any 2xx answer takes the page; 408, 425, 429, 5xx and a timeout are
// tried again, anything else (a redirect included) is Rejected. Every
// attempt of a page sends the same body, key and signature. A receiver
// checks the signature over the raw body before decoding it
// (VerifySignature), and drops a key it has already seen.
type Webhook struct {
	// Secret is the HMAC-SHA256 key shared with the receiver; "" sends
	// no signature.
	Secret Secret
	// Client is the HTTP client; nil means one that follows no redirect.
	Client *http.Client
}

// Send posts p to the channel's URL.
func (w Webhook) Send(ctx context.Context, to ccj.Channel, p Page, key Key) error {
	if to.Kind != ccj.Webhook {
		return misconfigured("webhook", "the channel is not a webhook")
	}
	u, err := checkURL("webhook", "the webhook's address", to.Value)
	if err != nil {
		return err
	}
	body, err := json.Marshal(webhookBody(p, key))
	if err != nil {
		return misconfigured("webhook", "the page cannot be encoded")
	}
	req, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return misconfigured("webhook", "the webhook's address cannot be requested")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(IdempotencyHeader, string(key))
	if w.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(w.Secret, body))
	}
	_, _, err = do(ctx, "webhook", w.Client, req)
	return err
}

func webhookBody(p Page, key Key) WebhookBody {
	b := WebhookBody{Version: 1, Key: key, Case: p.Case, Received: brussels(p.Received), Class: p.Class, Kind: p.Kind,
		Step: p.Step, Percent: p.Percent, Due: brussels(p.Due), Ack: p.AckLine(), Code: p.Code.String(),
		Lang: messages().Match(p.Lang).String(), Title: p.Title(), Text: p.Text()}
	return b
}

// brussels returns t to the second in Brussels time; the zero time stays
// zero.
func brussels(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return timesync.FromTime(t).Time().In(timesync.Brussels())
}

// Sign returns the value of SignatureHeader for body under secret:
// "sha256=" and the hexadecimal HMAC-SHA256.
func Sign(secret Secret, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature reports whether header, a SignatureHeader value, is the
// signature of body under secret, in constant time: what a receiver
// checks before it reads the body.
func VerifySignature(secret Secret, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	want := strings.TrimPrefix(Sign(secret, body), "sha256=")
	return hmac.Equal([]byte(strings.ToLower(got)), []byte(want))
}
