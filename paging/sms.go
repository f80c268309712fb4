package paging

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/internal/ident"
)

// SMSGate sends pages as text messages to members' phones (ccj.Phone
// channels) through "SMS Gateway for Android" (github.com/capcom6/
// android-sms-gateway, open source): an Android phone of the cell with
// its SIM sends the messages, reached through the project's cloud server
// (https://api.sms-gate.app/3rdparty/v1) or a private one. The request is
// the one its Go client makes (github.com/android-sms-gateway/client-go,
// smsgateway.Client.Send and smsgateway.Message [V, read in the client's
// source; the server's OpenAPI was not read]):
//
//	POST {BaseURL}/messages
//	Authorization: Basic {User:Password}
//	Content-Type: application/json
//
//	{"id": "{32 hex digits of the page's Key}", "textMessage": {"text": Page.Text},
//	 "phoneNumbers": ["+32470000001"], "priority": 100}
//
// Priority 100 is above the client's "bypass threshold" (99): the message
// skips the gateway's sending limits and delays. Any 2xx answer (202
// Accepted: queued for the phone) takes the page; 408, 425, 429, 5xx and a
// timeout are tried again. The message ID is the page's Key, the same for
// every attempt; whether the gateway refuses a repeated ID was not checked
// [U], so a retry after a timeout may send the text twice.
//
// A queued message is not a delivered one: the gateway's delivery reports
// are outside this package.
type SMSGate struct {
	// BaseURL is the API's base, "https://api.sms-gate.app/3rdparty/v1":
	// https, or http to this machine.
	BaseURL string
	// User and Password are the gateway's credentials (Basic
	// authentication).
	User     string
	Password Secret
	// Client is the HTTP client; nil means one that follows no redirect.
	Client *http.Client
}

// Send queues p as a text message to the channel's phone number (E.164).
func (g SMSGate) Send(ctx context.Context, to ccj.Channel, p Page, key Key) error {
	if to.Kind != ccj.Phone {
		return misconfigured("sms", "the channel is not a phone number")
	}
	if !ident.IsE164(to.Value) {
		return misconfigured("sms", "the phone number is not in E.164 form")
	}
	u, err := checkURL("sms", "the gateway's address", g.BaseURL)
	if err != nil {
		return err
	}
	id := string(key)
	if len(id) > 32 {
		id = id[:32]
	}
	body, err := json.Marshal(smsMessage{ID: id, TextMessage: smsText{Text: p.Text()}, PhoneNumbers: []string{to.Value}, Priority: 100})
	if err != nil {
		return misconfigured("sms", "the message cannot be encoded")
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/messages"
	u.RawPath = ""
	req, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return misconfigured("sms", "the gateway's address cannot be requested")
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(g.User, string(g.Password))
	_, _, err = do(ctx, "sms", g.Client, req)
	return err
}

type smsMessage struct {
	ID           string   `json:"id"`
	TextMessage  smsText  `json:"textMessage"`
	PhoneNumbers []string `json:"phoneNumbers"`
	Priority     int      `json:"priority"`
}

type smsText struct {
	Text string `json:"text"`
}
