package paging_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The secrets of these tests: none may appear in an error, an attempt or
// a print of a sender.
const (
	ntfyToken     = "tk_s3cr3tNtfyT0ken"
	matrixToken   = "syt_s3cr3tMatrixT0ken"
	webhookSecret = "whsec-s3cr3t-shared"
	smsPassword   = "sms-s3cr3t-pa55"
	secretTopic   = "ccj-alice-s3cr3t-topic"
)

// exchange is one request a test server received.
type exchange struct {
	Method, Path, EscapedPath string
	Header                    http.Header
	Body                      []byte
}

// response is how a test server answers one request: a status and a
// body, or no answer until the client gives up (hang).
type response struct {
	status int
	body   string
	hang   bool
}

// server is a test server that records each request and answers them in
// the order of its script, then 200.
type server struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []exchange
	script []response
	// handle, when set, answers instead of the script.
	handle func(w http.ResponseWriter, r *http.Request, body []byte)
}

func newServer(t *testing.T, script ...response) *server {
	s := &server{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, exchange{Method: r.Method, Path: r.URL.Path, EscapedPath: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: body})
		var resp response
		if len(s.script) > 0 {
			resp, s.script = s.script[0], s.script[1:]
		} else {
			resp = response{status: 200, body: `{}`}
		}
		handle := s.handle
		s.mu.Unlock()
		if handle != nil {
			handle(w, r, body)
			return
		}
		if resp.hang {
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.status)
		io.WriteString(w, resp.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]exchange(nil), s.reqs...)
}

// refusedURL is the address of a server that no longer listens.
func refusedURL(t *testing.T) string {
	s := httptest.NewServer(http.NotFoundHandler())
	u := s.URL
	s.Close()
	return u
}

func testPage(t *testing.T, kind paging.Kind, lang language.Tag) paging.Page {
	t.Helper()
	received := at("2026-10-24 21:47:03")
	c := paging.MustParseCaseID("2026-0042")
	code, err := paging.NewCode(codeKey, "alice", c, received.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	p := paging.Page{Case: c, Received: received, Class: paging.Urgent, Kind: kind, Code: code, Lang: lang}
	if kind == paging.Reminder {
		p.Percent, p.Due, p.Code = 80, received.Add(48*time.Hour), paging.Code{}
	}
	return p
}

// fastRetry is the retry of these tests: three attempts, half a
// second each (real time: a timeout is the client's own timer), the
// waits between them on the fake clock.
var fastRetry = paging.Retry{Attempts: 3, First: paging.Duration(5 * time.Second), Factor: 2, Cap: paging.Duration(time.Minute), Timeout: paging.Duration(500 * time.Millisecond)}

// deliverOne delivers p to a member whose only paging channel is ch, with
// sender s, and returns the attempts and the error.
func deliverOne(t *testing.T, s paging.Sender, ch ccj.Channel, p paging.Page) ([]paging.Attempt, *fakeSleep, error) {
	t.Helper()
	clock := timesynctest.NewClock(p.Received.Add(time.Second))
	sleep := &fakeSleep{clock: clock}
	d := paging.Dispatcher{Senders: map[ccj.ChannelKind]paging.Sender{ch.Kind: s}, Retry: fastRetry, Clock: clock, Sleep: sleep.Sleep}
	contact := member("alice", ch).Contact()
	attempts, err := d.Deliver(context.Background(), contact, p)
	return attempts, sleep, err
}

// failures lists the attempts' failures.
func failures(as []paging.Attempt) []paging.Failure {
	var out []paging.Failure
	for _, a := range as {
		out = append(out, a.Failure)
	}
	return out
}

// checkSecrets fails when an attempt's error, or err, shows a secret or
// the channel's address.
func checkSecrets(t *testing.T, as []paging.Attempt, err error, address string) {
	t.Helper()
	var texts []string
	if err != nil {
		texts = append(texts, err.Error())
	}
	for _, a := range as {
		if a.Err != nil {
			texts = append(texts, a.Err.Error())
		}
		b, _ := json.Marshal(a)
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		for _, secret := range []string{ntfyToken, matrixToken, webhookSecret, smsPassword, secretTopic, address} {
			if secret != "" && strings.Contains(s, secret) {
				t.Errorf("%q shows a secret or the channel's address", s)
			}
		}
	}
}

// httpRow is one row of the senders' tables: what the server answers,
// what must come of it, and what every request must be, per the service's
// documented API (doc).
type httpRow struct {
	name   string
	doc    string
	page   paging.Page
	script []response
	// requests is how many requests the server must see; want the
	// attempts' failures in order (NoFailure for the one that took it).
	requests int
	want     []paging.Failure
	check    func(t *testing.T, r exchange)
}

func runHTTPRows(t *testing.T, rows []httpRow, sender func(s *server) (paging.Sender, ccj.Channel)) {
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.script...)
			s, ch := sender(srv)
			attempts, sleep, err := deliverOne(t, s, ch, tt.page)
			reqs := srv.requests()
			if len(reqs) != tt.requests {
				t.Errorf("%d requests, want %d (%s)", len(reqs), tt.requests, tt.doc)
			}
			if got := failures(attempts); !equalFailures(got, tt.want) {
				t.Errorf("attempts %v, want %v (%v)", got, tt.want, err)
			}
			sentOK := len(tt.want) > 0 && tt.want[len(tt.want)-1] == paging.NoFailure
			if sentOK != (err == nil) {
				t.Errorf("error %v", err)
			}
			if !sentOK && !errors.Is(err, paging.ErrUndelivered) {
				t.Errorf("error %v does not wrap ErrUndelivered", err)
			}
			// The waits: First × Factor^(n-1) after each retryable failure.
			var wantWaits []time.Duration
			for i, f := range tt.want[:max(len(tt.want)-1, 0)] {
				if f.Retryable() {
					wantWaits = append(wantWaits, fastRetry.Delay(i+1))
				}
			}
			if !equalDurations(sleep.waits, wantWaits) {
				t.Errorf("waits %v, want %v", sleep.waits, wantWaits)
			}
			for i, r := range reqs {
				if tt.check != nil {
					tt.check(t, r)
				}
				if i > 0 && (!bytes.Equal(r.Body, reqs[0].Body) || r.EscapedPath != reqs[0].EscapedPath) {
					t.Errorf("attempt %d sent another request than the first", i+1)
				}
			}
			checkSecrets(t, attempts, err, ch.Value)
		})
	}
}

func equalFailures(a, b []paging.Failure) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The retry rows every HTTP sender shares: a 500 then success, a 429 then
// success, a timeout thrice, a refusal for good.
func retryRows(doc string, page paging.Page, check func(*testing.T, exchange)) []httpRow {
	return []httpRow{
		{name: "500 then 200: tried again with the same request", doc: doc, page: page, script: []response{{status: 500, body: `{}`}},
			requests: 2, want: []paging.Failure{paging.ServerError, paging.NoFailure}, check: check},
		{name: "503 twice then 200", doc: doc, page: page, script: []response{{status: 503}, {status: 503}},
			requests: 3, want: []paging.Failure{paging.ServerError, paging.ServerError, paging.NoFailure}, check: check},
		{name: "429 rate limited then 200", doc: doc, page: page, script: []response{{status: 429, body: `{"errcode":"M_LIMIT_EXCEEDED"}`}},
			requests: 2, want: []paging.Failure{paging.ServerError, paging.NoFailure}, check: check},
		{name: "no answer: three timeouts, the channel given up", doc: doc, page: page, script: []response{{hang: true}, {hang: true}, {hang: true}},
			requests: 3, want: []paging.Failure{paging.Timeout, paging.Timeout, paging.Timeout}, check: check},
		{name: "a timeout then 200", doc: doc, page: page, script: []response{{hang: true}},
			requests: 2, want: []paging.Failure{paging.Timeout, paging.NoFailure}, check: check},
		{name: "500 thrice: the channel given up", doc: doc, page: page, script: []response{{status: 500}, {status: 500}, {status: 500}},
			requests: 3, want: []paging.Failure{paging.ServerError, paging.ServerError, paging.ServerError}, check: check},
		{name: "403 refused for good: not tried again", doc: doc, page: page, script: []response{{status: 403, body: `{"errcode":"M_FORBIDDEN","error":"` + matrixToken + `"}`}},
			requests: 1, want: []paging.Failure{paging.Rejected}, check: check},
		{name: "a redirect is not followed", doc: doc, page: page, script: []response{{status: 302}},
			requests: 1, want: []paging.Failure{paging.Rejected}, check: check},
	}
}

// TestNtfy checks each request against ntfy's publish API
// (https://docs.ntfy.sh/publish/): "POST /mytopic" with the message as
// the body; "Message title: X-Title (alias Title)", "Message priority:
// X-Priority (alias Priority): 5 = max/urgent, 4 = high", "Tags & emojis:
// X-Tags (alias Tags), comma-separated", "Access tokens: Authorization:
// Bearer tk_…"; RFC 2047 encoded headers since ntfy 2.4.0.
func TestNtfy(t *testing.T) {
	const doc = "docs.ntfy.sh/publish"
	newRequest := testPage(t, paging.NewRequest, language.French)
	want := func(p paging.Page, priority, tags string, token bool) func(*testing.T, exchange) {
		return func(t *testing.T, r exchange) {
			t.Helper()
			if r.Method != http.MethodPost || r.Path != "/"+secretTopic {
				t.Errorf("%s %s, want POST /%s (%s: publish by POST to the topic)", r.Method, r.Path, secretTopic, doc)
			}
			title := r.Header.Get("Title")
			for _, c := range title {
				if c > 0x7e {
					t.Errorf("Title %q is not ASCII: RFC 2047 encoded-words are what ntfy decodes", title)
				}
			}
			if dec, err := new(mime.WordDecoder).DecodeHeader(title); err != nil || dec != p.Title() {
				t.Errorf("Title %q decodes to %q, want %q", title, dec, p.Title())
			}
			if got := r.Header.Get("Priority"); got != priority {
				t.Errorf("Priority %q, want %q (%s: message priority)", got, priority, doc)
			}
			if got := r.Header.Get("Tags"); got != tags {
				t.Errorf("Tags %q, want %q", got, tags)
			}
			if got := r.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			wantAuth := ""
			if token {
				wantAuth = "Bearer " + ntfyToken
			}
			if got := r.Header.Get("Authorization"); got != wantAuth {
				t.Errorf("Authorization %q, want %q (%s: access tokens)", got, wantAuth, doc)
			}
			if string(r.Body) != p.Text() {
				t.Errorf("body %q, want the page's text", r.Body)
			}
		}
	}
	rows := []httpRow{
		{name: "a new request rings: priority 5, rotating_light", doc: doc, page: newRequest, requests: 1,
			want: []paging.Failure{paging.NoFailure}, check: want(newRequest, "5", "rotating_light", true)},
		{name: "an escalation rings: priority 5, sos", doc: doc, page: testPage(t, paging.Escalation, language.Dutch), requests: 1,
			want: []paging.Failure{paging.NoFailure}, check: want(testPage(t, paging.Escalation, language.Dutch), "5", "sos", true)},
		{name: "a reminder: priority 4 (high), hourglass", doc: doc, page: testPage(t, paging.Reminder, language.German), requests: 1,
			want: []paging.Failure{paging.NoFailure}, check: want(testPage(t, paging.Reminder, language.German), "4", "hourglass", true)},
	}
	rows = append(rows, retryRows(doc, newRequest, want(newRequest, "5", "rotating_light", true))...)
	runHTTPRows(t, rows, func(s *server) (paging.Sender, ccj.Channel) {
		return paging.Ntfy{Tokens: map[string]paging.Secret{s.URL: ntfyToken}}, ccj.Channel{Kind: ccj.Ntfy, Value: s.URL + "/" + secretTopic}
	})

	// A token goes to its own server only.
	t.Run("a token is not sent to another server", func(t *testing.T) {
		srv := newServer(t)
		s := paging.Ntfy{Tokens: map[string]paging.Secret{"https://ntfy.example.be": ntfyToken}}
		if _, _, err := deliverOne(t, s, ccj.Channel{Kind: ccj.Ntfy, Value: srv.URL + "/" + secretTopic}, newRequest); err != nil {
			t.Fatal(err)
		}
		want(newRequest, "5", "rotating_light", false)(t, srv.requests()[0])
	})
	senderErrors(t, paging.Ntfy{}, ccj.Ntfy, newRequest)
}

// senderErrors checks what a sender does without a server: a refused
// connection is Unreachable and tried again; an address over http to
// another host, or not a URL, is Misconfigured and not tried again.
func senderErrors(t *testing.T, s paging.Sender, kind ccj.ChannelKind, p paging.Page) {
	t.Run("connection refused: unreachable, tried again", func(t *testing.T) {
		base := refusedURL(t)
		value := base + "/" + secretTopic
		switch kind {
		case ccj.Matrix:
			value = "@bob:example.be"
		case ccj.Phone:
			value = "+32470000001"
		}
		attempts, _, err := deliverOne(t, senderAt(s, base), ccj.Channel{Kind: kind, Value: value}, p)
		if got := failures(attempts); !equalFailures(got, []paging.Failure{paging.Unreachable, paging.Unreachable, paging.Unreachable}) {
			t.Errorf("attempts %v (%v)", got, err)
		}
		checkSecrets(t, attempts, err, value)
	})
	if kind == ccj.Matrix || kind == ccj.Phone {
		return // their address is the sender's, not the channel's
	}
	values := []string{"http://ntfy.example.be/" + secretTopic, "ftp://ntfy.example.be/" + secretTopic, secretTopic}
	if kind == ccj.Ntfy {
		values = append(values, "https://ntfy.example.be/"+secretTopic+"?priority=1", "https://ntfy.example.be/")
	}
	for _, value := range values {
		t.Run("refused address: "+strings.ReplaceAll(value, secretTopic, "TOPIC"), func(t *testing.T) {
			attempts, _, err := deliverOne(t, s, ccj.Channel{Kind: kind, Value: value}, p)
			if got := failures(attempts); !equalFailures(got, []paging.Failure{paging.Misconfigured}) {
				t.Errorf("attempts %v (%v)", got, err)
			}
			checkSecrets(t, attempts, err, value)
		})
	}
}

// senderAt returns s pointed at base when s has a base address of its own.
func senderAt(s paging.Sender, base string) paging.Sender {
	switch v := s.(type) {
	case paging.Matrix:
		v.Homeserver = base
		return v
	case paging.SMSGate:
		v.BaseURL = base
		return v
	}
	return s
}

// TestMatrix checks each request against the client-server API, "PUT
// /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}" (Matrix
// specification v1.1 and later): the room ID and the transaction ID path
// parameters escaped, "Authorization: Bearer" with the access token, an
// m.room.message body {"msgtype": "m.text", "body": ...}; "the
// transaction ID ... will be used by the server to ensure idempotency of
// requests"; errors {"errcode": "M_...", "error": ...}, 429
// M_LIMIT_EXCEEDED when rate limited.
func TestMatrix(t *testing.T) {
	const doc = "Matrix client-server API v3: PUT /rooms/{roomId}/send/{eventType}/{txnId}"
	const room = "!RoomOfBob:example.be"
	page := testPage(t, paging.NewRequest, language.English)
	ch := ccj.Channel{Kind: ccj.Matrix, Value: "@bob:example.be"}
	txn := paging.TxnID(page.Key("alice", ch))
	check := func(t *testing.T, r exchange) {
		t.Helper()
		wantPath := "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/" + txn
		if r.Method != http.MethodPut || r.Path != wantPath {
			t.Errorf("%s %s, want PUT %s (%s)", r.Method, r.Path, wantPath, doc)
		}
		if !strings.HasPrefix(r.EscapedPath, "/_matrix/client/v3/rooms/%21RoomOfBob:example.be/send/") {
			t.Errorf("escaped path %s: the room ID is a path parameter, escaped", r.EscapedPath)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+matrixToken {
			t.Errorf("Authorization %q, want Bearer and the token", got)
		}
		if got := r.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type %q", got)
		}
		var body struct {
			MsgType  string `json:"msgtype"`
			Body     string `json:"body"`
			Mentions struct {
				UserIDs []string `json:"user_ids"`
			} `json:"m.mentions"`
		}
		f := strictjson.Format{What: "test", Name: "m.room.message", Max: 1 << 16}
		if err := f.Decode(r.Body, &body); err != nil {
			t.Errorf("body: %v", err)
		}
		if body.MsgType != "m.text" || body.Body != page.Text() || len(body.Mentions.UserIDs) != 1 || body.Mentions.UserIDs[0] != ch.Value {
			t.Errorf("body %+v", body)
		}
	}
	rows := []httpRow{{name: "send: 200 with the event ID", doc: doc, page: page, script: []response{{status: 200, body: `{"event_id":"$e1"}`}},
		requests: 1, want: []paging.Failure{paging.NoFailure}, check: check}}
	rows = append(rows, retryRows(doc, page, check)...)
	runHTTPRows(t, rows, func(s *server) (paging.Sender, ccj.Channel) {
		return paging.Matrix{Homeserver: s.URL, Token: matrixToken, Rooms: map[string]string{ch.Value: room}}, ch
	})

	// A retry after a timeout the homeserver did receive reuses the
	// transaction ID; the homeserver answers with the event it made, and
	// the room holds the message once.
	t.Run("a retry reuses the transaction ID: the page is not doubled", func(t *testing.T) {
		srv := newServer(t)
		var mu sync.Mutex
		events := map[string]string{} // transaction ID → event ID
		var room []string
		srv.handle = func(w http.ResponseWriter, r *http.Request, body []byte) {
			mu.Lock()
			id, seen := events[r.URL.Path]
			first := !seen
			if first {
				id = "$event" + string(rune('A'+len(events)))
				events[r.URL.Path] = id
				room = append(room, string(body))
			}
			mu.Unlock()
			if first { // the event is made, the answer lost
				<-r.Context().Done()
				return
			}
			io.WriteString(w, `{"event_id":"`+id+`"}`)
		}
		s := paging.Matrix{Homeserver: srv.URL, Token: matrixToken, Rooms: map[string]string{ch.Value: "!RoomOfBob:example.be"}}
		attempts, _, err := deliverOne(t, s, ch, page)
		if err != nil || !equalFailures(failures(attempts), []paging.Failure{paging.Timeout, paging.NoFailure}) {
			t.Fatalf("%v, %v", failures(attempts), err)
		}
		reqs := srv.requests()
		if len(reqs) != 2 || reqs[0].Path != reqs[1].Path || !strings.HasSuffix(reqs[0].Path, "/"+txn) {
			t.Errorf("requests %+v", reqs)
		}
		if len(room) != 1 {
			t.Errorf("the room holds %d messages", len(room))
		}
	})

	t.Run("the homeserver's error code is kept, its text is not", func(t *testing.T) {
		srv := newServer(t, response{status: 403, body: `{"errcode":"M_FORBIDDEN","error":"token ` + matrixToken + ` not in room"}`})
		s := paging.Matrix{Homeserver: srv.URL, Token: matrixToken, Rooms: map[string]string{ch.Value: room}}
		attempts, _, err := deliverOne(t, s, ch, page)
		if len(attempts) != 1 || !strings.Contains(attempts[0].Err.Error(), "M_FORBIDDEN") || attempts[0].Status != 403 {
			t.Errorf("%+v", attempts)
		}
		checkSecrets(t, attempts, err, "")
	})

	t.Run("a member without a room is misconfigured, nothing sent", func(t *testing.T) {
		srv := newServer(t)
		s := paging.Matrix{Homeserver: srv.URL, Token: matrixToken}
		attempts, _, _ := deliverOne(t, s, ch, page)
		if !equalFailures(failures(attempts), []paging.Failure{paging.Misconfigured}) || len(srv.requests()) != 0 {
			t.Errorf("%v, %d requests", failures(attempts), len(srv.requests()))
		}
	})
	t.Run("a homeserver over http to another host is misconfigured", func(t *testing.T) {
		s := paging.Matrix{Homeserver: "http://matrix.example.be", Token: matrixToken, Rooms: map[string]string{ch.Value: room}}
		attempts, _, _ := deliverOne(t, s, ch, page)
		if !equalFailures(failures(attempts), []paging.Failure{paging.Misconfigured}) {
			t.Errorf("%v", failures(attempts))
		}
	})
	senderErrors(t, paging.Matrix{Token: matrixToken, Rooms: map[string]string{"@bob:example.be": room}}, ccj.Matrix, page)
}

// TestWebhook checks each request against the webhook's documented form
// (Webhook): POST, Content-Type: application/json, Idempotency-Key (the
// IETF httpapi draft), X-Ccjkit-Signature: sha256= and the HMAC-SHA256 of
// the body, a WebhookBody.
func TestWebhook(t *testing.T) {
	const doc = "paging.Webhook"
	page := testPage(t, paging.NewRequest, language.German)
	ch := ccj.Channel{Kind: ccj.Webhook}
	check := func(signed bool) func(*testing.T, exchange) {
		return func(t *testing.T, r exchange) {
			t.Helper()
			if r.Method != http.MethodPost || r.Path != "/hooks/"+secretTopic {
				t.Errorf("%s %s", r.Method, r.Path)
			}
			if got := r.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type %q", got)
			}
			sig := r.Header.Get(paging.SignatureHeader)
			if signed != paging.VerifySignature(webhookSecret, r.Body, sig) || (!signed && sig != "") {
				t.Errorf("signature %q (signed %v)", sig, signed)
			}
			var b paging.WebhookBody
			f := strictjson.Format{What: "test", Name: "webhook body", Max: 1 << 16}
			if err := f.Decode(r.Body, &b); err != nil {
				t.Fatalf("body: %v", err)
			}
			if r.Header.Get(paging.IdempotencyHeader) != string(b.Key) || b.Key == "" {
				t.Errorf("Idempotency-Key %q, body key %q", r.Header.Get(paging.IdempotencyHeader), b.Key)
			}
			if b.Version != 1 || b.Case != page.Case || !b.Received.Equal(page.Received) || b.Kind != paging.NewRequest || b.Class != paging.Urgent ||
				b.Code != page.Code.String() || b.Ack != page.AckLine() || b.Lang != "de" || b.Title != page.Title() || b.Text != page.Text() {
				t.Errorf("body %+v", b)
			}
			if !strings.Contains(string(r.Body), `"received":"2026-10-24T21:47:03+02:00"`) {
				t.Errorf("the receipt is not RFC 3339 in Brussels time: %s", r.Body)
			}
		}
	}
	rows := []httpRow{
		{name: "posted, signed: 204", doc: doc, page: page, script: []response{{status: 204}}, requests: 1,
			want: []paging.Failure{paging.NoFailure}, check: check(true)},
		{name: "any 2xx takes it: 202", doc: doc, page: page, script: []response{{status: 202}}, requests: 1,
			want: []paging.Failure{paging.NoFailure}, check: check(true)},
		{name: "404: rejected", doc: doc, page: page, script: []response{{status: 404}}, requests: 1,
			want: []paging.Failure{paging.Rejected}, check: check(true)},
	}
	rows = append(rows, retryRows(doc, page, check(true))...)
	runHTTPRows(t, rows, func(s *server) (paging.Sender, ccj.Channel) {
		ch.Value = s.URL + "/hooks/" + secretTopic
		return paging.Webhook{Secret: webhookSecret}, ch
	})
	runHTTPRows(t, []httpRow{{name: "no secret, no signature", doc: doc, page: page, requests: 1,
		want: []paging.Failure{paging.NoFailure}, check: check(false)}}, func(s *server) (paging.Sender, ccj.Channel) {
		ch.Value = s.URL + "/hooks/" + secretTopic
		return paging.Webhook{}, ch
	})
	senderErrors(t, paging.Webhook{Secret: webhookSecret}, ccj.Webhook, page)

	if paging.VerifySignature(webhookSecret, []byte(`{}`), paging.Sign("other", []byte(`{}`))) || paging.VerifySignature(webhookSecret, []byte(`{}`), "") {
		t.Error("VerifySignature accepts a wrong signature")
	}
}

// TestSMSGate checks each request against SMS Gateway for Android's API as
// its Go client makes it (android-sms-gateway/client-go,
// smsgateway.Client.Send): POST {base}/messages, Basic authentication, a
// smsgateway.Message {"id", "textMessage": {"text"}, "phoneNumbers",
// "priority"}.
func TestSMSGate(t *testing.T) {
	const doc = "android-sms-gateway client-go smsgateway.Client.Send"
	page := testPage(t, paging.NewRequest, language.French)
	ch := ccj.Channel{Kind: ccj.Phone, Value: "+32470000001"}
	check := func(t *testing.T, r exchange) {
		t.Helper()
		if r.Method != http.MethodPost || r.Path != "/3rdparty/v1/messages" {
			t.Errorf("%s %s (%s)", r.Method, r.Path, doc)
		}
		if got, want := r.Header.Get("Authorization"), "Basic "+base64.StdEncoding.EncodeToString([]byte("cell:"+smsPassword)); got != want {
			t.Errorf("Authorization %q", got)
		}
		var m struct {
			ID          string `json:"id"`
			TextMessage struct {
				Text string `json:"text"`
			} `json:"textMessage"`
			PhoneNumbers []string `json:"phoneNumbers"`
			Priority     int      `json:"priority"`
		}
		f := strictjson.Format{What: "test", Name: "message", Max: 1 << 16}
		if err := f.Decode(r.Body, &m); err != nil {
			t.Fatal(err)
		}
		if len(m.ID) != 32 || m.ID != string(page.Key("alice", ch)) || m.TextMessage.Text != page.Text() ||
			len(m.PhoneNumbers) != 1 || m.PhoneNumbers[0] != ch.Value || m.Priority != 100 {
			t.Errorf("message %+v", m)
		}
	}
	rows := []httpRow{{name: "queued: 202 Accepted", doc: doc, page: page, script: []response{{status: 202, body: `{"id":"x","state":"Pending"}`}},
		requests: 1, want: []paging.Failure{paging.NoFailure}, check: check}}
	rows = append(rows, retryRows(doc, page, check)...)
	runHTTPRows(t, rows, func(s *server) (paging.Sender, ccj.Channel) {
		return paging.SMSGate{BaseURL: s.URL + "/3rdparty/v1", User: "cell", Password: smsPassword}, ch
	})
	senderErrors(t, paging.SMSGate{User: "cell", Password: smsPassword}, ccj.Phone, page)
}

// A sender given a channel of another kind refuses it without a request.
func TestSenderWrongKind(t *testing.T) {
	page := testPage(t, paging.NewRequest, language.English)
	for _, s := range []paging.Sender{paging.Ntfy{}, paging.Matrix{}, paging.Webhook{}, paging.SMSGate{}, paging.SMTP{Host: "localhost", From: "ccj@example.be", TLS: paging.TLSNone}} {
		err := s.Send(context.Background(), ccj.Channel{Kind: ccj.Other, Value: "x"}, page, "k")
		var se *paging.SendError
		if !errors.As(err, &se) || se.Failure != paging.Misconfigured || !errors.Is(err, paging.ErrSend) {
			t.Errorf("%T: %v", s, err)
		}
	}
}
