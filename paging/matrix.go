package paging

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/ccjkit/ccjkit/ccj"
)

// Matrix sends pages to members' Matrix accounts (ccj.Matrix channels,
// whose value is the member's user ID, "@alice:example.be") through the
// client-server API of a homeserver, as a bot account of the cell: each
// member has a room with the bot (a direct chat), and Rooms maps the
// member's user ID to that room's ID.
//
// A page is one request, the client-server API's "send a message event"
// (Matrix specification v1.1 and later, "PUT
// /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}" [V]):
//
//	PUT {Homeserver}/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}
//	Authorization: Bearer {Token}
//	Content-Type: application/json
//
//	{"msgtype": "m.text", "body": Page.Text, "m.mentions": {"user_ids": ["@alice:example.be"]}}
//
// The transaction ID is "ccjkit-" and the page's Key: the same for every
// attempt of the same page to the same member, so that a retry after a
// timeout is recognised by the homeserver, which answers with the event
// it already made instead of sending the message twice (the spec: the
// transaction ID is used "to ensure idempotency of requests"). m.text
// rather than m.notice, which clients may leave silent; the mention (v1.7's
// intentional mentions, ignored by older servers) makes the message
// notify under the member's mention rule as well.
//
// The homeserver answers 200 with the event ID. 429 (M_LIMIT_EXCEEDED),
// 5xx and a timeout are tried again; 401 and 403 (the token refused, the
// bot not in the room) and other statuses are Rejected, the error giving
// the Matrix error code (M_FORBIDDEN, ...) and never the token.
type Matrix struct {
	// Homeserver is the base URL of the bot's homeserver,
	// "https://matrix.example.be": https, or http to this machine.
	Homeserver string
	// Token is the bot's access token.
	Token Secret
	// Rooms maps a member's Matrix user ID (the channel's value) to the
	// ID of the room the bot shares with them, "!AbCd:example.be".
	Rooms map[string]string
	// Client is the HTTP client; nil means one that follows no redirect.
	Client *http.Client
}

// matrixErrCode is the form of a Matrix error code, quoted in errors.
var matrixErrCode = regexp.MustCompile(`^M_[A-Z_]{1,40}$`)

// Send sends p to the room of the member whose Matrix user ID is the
// channel's value.
func (m Matrix) Send(ctx context.Context, to ccj.Channel, p Page, key Key) error {
	if to.Kind != ccj.Matrix {
		return misconfigured("matrix", "the channel is not a Matrix account")
	}
	base, err := checkURL("matrix", "the homeserver's address", m.Homeserver)
	if err != nil {
		return err
	}
	room := m.Rooms[to.Value]
	if room == "" {
		return misconfigured("matrix", "no room is configured for the member's Matrix account")
	}
	if m.Token == "" {
		return misconfigured("matrix", "no access token")
	}
	body, err := json.Marshal(matrixMessage{MsgType: "m.text", Body: p.Text(), Mentions: &matrixMentions{UserIDs: []string{to.Value}}})
	if err != nil {
		return misconfigured("matrix", "the message cannot be encoded")
	}
	path := "/_matrix/client/v3/rooms/" + url.PathEscape(room) + "/send/m.room.message/" + url.PathEscape(TxnID(key))
	u := *base
	u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + path
	u.Path, err = url.PathUnescape(u.RawPath)
	if err != nil {
		return misconfigured("matrix", "the room ID cannot be put in a path")
	}
	u.RawQuery = ""
	req, err := http.NewRequest(http.MethodPut, u.String(), bytes.NewReader(body))
	if err != nil {
		return misconfigured("matrix", "the homeserver's address cannot be requested")
	}
	req.Header.Set("Authorization", "Bearer "+string(m.Token))
	req.Header.Set("Content-Type", "application/json")
	_, resp, err := do(ctx, "matrix", m.Client, req)
	if se, ok := err.(*SendError); ok && se.Status != 0 {
		var e struct {
			ErrCode string `json:"errcode"`
		}
		if json.Unmarshal(resp, &e) == nil && matrixErrCode.MatchString(e.ErrCode) {
			se.Err = &matrixError{code: e.ErrCode, cause: se.Err}
		}
	}
	return err
}

// TxnID is the Matrix transaction ID of the page with Key k: "ccjkit-"
// and the key.
func TxnID(k Key) string { return "ccjkit-" + string(k) }

type matrixMessage struct {
	MsgType  string          `json:"msgtype"`
	Body     string          `json:"body"`
	Mentions *matrixMentions `json:"m.mentions,omitempty"`
}

type matrixMentions struct {
	UserIDs []string `json:"user_ids"`
}

// matrixError adds the homeserver's error code to a failure.
type matrixError struct {
	code  string
	cause error
}

func (e *matrixError) Error() string { return e.cause.Error() + " " + e.code }
func (e *matrixError) Unwrap() error { return e.cause }
