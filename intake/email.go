package intake

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-msgauth/authres"

	"github.com/ccjkit/ccjkit/requisition"
)

// EmailReader reads an RFC 5322 message as a mail server's pipe delivery
// hands it over (Postfix's pipe(8), an alias to a command, .forward). It
// reads the header with net/mail, walks the MIME structure with
// mime/multipart (both of the standard library), and reads the mail
// server's own Authentication-Results (RFC 8601) with
// github.com/emersion/go-msgauth's authres, a parser made for them.
//
// A part whose media type is application/json, or whose file name ends
// in .json, is read as a requisition in the library's JSON
// (requisition.Decode, strict); everything else — a PDF, a scan, a text —
// is listed and kept, for a member to transcribe.
type EmailReader struct {
	// AuthServID is the authserv-id that the cell's own mail server
	// writes in the Authentication-Results fields it adds (for Postfix
	// with OpenDKIM and OpenDMARC, their AuthservID setting; often the
	// server's host name). Only fields with this authserv-id are read:
	// any other was written by someone else — possibly the forger — and
	// is ignored (RFC 8601 §5). Empty: no field is trusted, and every
	// intake is unverified.
	AuthServID string
	// Domains are the sender domains the cell has listed as its
	// authorities' (say "just.fgov.be"); a sender outside them is
	// warned about. A listed domain also covers its subdomains.
	Domains []string
	// ReceivedBy is the host name the cell's mail server writes after
	// "by" in the Received field it adds on top of a message (Postfix's
	// myhostname), from which the moment it accepted the message is
	// read (Record.Accepted). Empty means AuthServID, which is often the
	// same host name; set it when the two differ (an authserv-id naming
	// the domain, a filter on another host), or no acceptance instant is
	// read.
	ReceivedBy string
	// MaxParts bounds the MIME parts read (DefaultMaxParts when 0), and
	// MaxDepth the nesting of multiparts (DefaultMaxDepth when 0).
	MaxParts, MaxDepth int
}

// The default bounds of an e-mail's MIME structure: 100 parts, multiparts
// nested 10 deep. What lies beyond is kept in the original, not read.
const (
	DefaultMaxParts = 100
	DefaultMaxDepth = 10
)

// Channel returns Email.
func (e *EmailReader) Channel() Channel { return Email }

// maxMessageID bounds a Message-ID kept as a key: RFC 5322 lines are at
// most 998 characters.
const maxMessageID = 998

// Read reads one message. It never fails: a message it cannot read is
// reported in the Reading's problems, which quote nothing of it.
func (e *EmailReader) Read(raw []byte) Reading {
	var r Reading
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		r.Problems = append(r.Problems, "the message's header cannot be read as RFC 5322")
		return r
	}
	h := msg.Header
	switch ids := h["Message-Id"]; {
	case len(ids) == 1 && validMessageID(strings.TrimSpace(ids[0])):
		// The Message-ID and the digest of the body: a message delivered
		// again, or sent again by its author, is the same; another message
		// under the same Message-ID (a sender that reuses them, a forger
		// who guessed one) is not, and is recorded.
		r.Key = "message-id:" + strings.TrimSpace(ids[0]) + " body-sha256:" + digest(bodyOf(raw))
	case len(ids) > 1:
		r.Problems = append(r.Problems, "the message has several Message-ID fields: a redelivery is recognised by its digest only")
	case len(ids) == 1:
		r.Problems = append(r.Problems, "the message's Message-ID is malformed: a redelivery is recognised by its digest only")
	default:
		r.Problems = append(r.Problems, "the message has no Message-ID: a redelivery is recognised by its digest only")
	}
	r.Authenticity = e.authenticity(h, &r.Problems)
	r.Accepted = e.accepted(h)
	r.Automatic = automatic(h)
	w := walker{e: e, maxParts: cmpOr(e.MaxParts, DefaultMaxParts), maxDepth: cmpOr(e.MaxDepth, DefaultMaxDepth)}
	w.walk(textproto.MIMEHeader(h), msg.Body, 0)
	r.Parts, r.Requisitions = w.parts, w.reqs
	r.Problems = append(r.Problems, w.problems...)
	return r
}

// bodyOf returns what follows a message's header: the bytes after the
// first empty line (CRLF or LF), or nothing.
func bodyOf(raw []byte) []byte {
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n")} {
		if i := bytes.Index(raw, sep); i >= 0 {
			return raw[i+len(sep):]
		}
	}
	return nil
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// maxText bounds what Text returns.
const maxText = 64 << 10

// Text returns the message's text/plain parts, their transfer encodings
// undone, one after the other (at most 64 KiB): what a person wrote, for
// a program that looks for a line in a reply. Nil for a message it cannot
// read.
func (e *EmailReader) Text(raw []byte) []byte {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	w := walker{e: e, maxParts: cmpOr(e.MaxParts, DefaultMaxParts), maxDepth: cmpOr(e.MaxDepth, DefaultMaxDepth), text: &bytes.Buffer{}}
	w.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0)
	return w.text.Bytes()
}

// validMessageID checks the shape RFC 5322 §3.6.4 gives a msg-id:
// "<" id-left "@" id-right ">", printable ASCII without spaces.
func validMessageID(id string) bool {
	if len(id) < 5 || len(id) > maxMessageID || id[0] != '<' || id[len(id)-1] != '>' {
		return false
	}
	in := id[1 : len(id)-1]
	at := strings.LastIndexByte(in, '@')
	if at <= 0 || at == len(in)-1 {
		return false
	}
	for i := 0; i < len(in); i++ {
		if in[i] <= ' ' || in[i] > '~' || in[i] == '<' || in[i] == '>' {
			return false
		}
	}
	return true
}

// authenticity reads the sender's domain and the results the cell's own
// mail server recorded.
func (e *EmailReader) authenticity(h mail.Header, problems *[]string) Authenticity {
	var a Authenticity
	if from, err := h.AddressList("From"); err != nil || len(from) != 1 || len(h["From"]) != 1 {
		*problems = append(*problems, "the message's From field does not name one address")
	} else if at := strings.LastIndexByte(from[0].Address, '@'); at > 0 {
		a.FromDomain = strings.ToLower(from[0].Address[at+1:])
		a.Listed = listed(a.FromDomain, e.Domains)
	}
	if e.AuthServID == "" {
		return a
	}
	for _, v := range h["Authentication-Results"] {
		id, results, err := authres.Parse(v)
		if err != nil {
			continue // not ours to read: ours parses
		}
		if !strings.EqualFold(id, e.AuthServID) {
			continue
		}
		// The topmost field of our server's is the one it added last
		// (RFC 8601 §2.1, fields are prepended); a server that does not
		// remove forged fields with its id (§5) would leave others below.
		a.ServID = e.AuthServID
		for _, res := range results {
			switch res := res.(type) {
			case *authres.SPFResult:
				a.SPF = better(a.SPF, string(res.Value))
			case *authres.DKIMResult:
				a.DKIM = better(a.DKIM, string(res.Value))
				if res.Value == authres.ResultPass && res.Domain != "" && !slices.Contains(a.DKIMDomains, strings.ToLower(res.Domain)) {
					a.DKIMDomains = append(a.DKIMDomains, strings.ToLower(res.Domain))
				}
			case *authres.DMARCResult:
				// A result for another domain than From's says nothing of
				// this sender.
				if a.FromDomain != "" && strings.EqualFold(strings.TrimSuffix(res.From, "."), a.FromDomain) {
					a.DMARC = better(a.DMARC, string(res.Value))
				}
			}
		}
		break
	}
	return a
}

// accepted reads when the cell's server accepted the message from the
// topmost Received field (RFC 5321 §4.4: each server prepends its own),
// when its "by" clause names the cell's server (AuthServID): the date
// after its last semicolon. A field written by anyone else says nothing.
func (e *EmailReader) accepted(h mail.Header) time.Time {
	rs := h["Received"]
	by := e.ReceivedBy
	if by == "" {
		by = e.AuthServID
	}
	if by == "" || len(rs) == 0 {
		return time.Time{}
	}
	top := strings.Join(strings.Fields(rs[0]), " ")
	semi := strings.LastIndexByte(top, ';')
	if semi < 0 || !strings.Contains(strings.ToLower(top[:semi]+" "), " by "+strings.ToLower(by)+" ") {
		return time.Time{}
	}
	date := strings.TrimSpace(top[semi+1:])
	if i := strings.IndexByte(date, '('); i > 0 {
		date = strings.TrimSpace(date[:i]) // a comment: "(CET)"
	}
	t, err := mail.ParseDate(date)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// automatic reports whether a message is a delivery report that must not
// wake anyone: a null envelope sender (Return-Path: <>, as the delivering
// server writes it: a bounce, RFC 5321 §4.5.5) or a multipart/report (RFC
// 6522: a delivery status notification). An Auto-Submitted field alone
// (RFC 3834) is not enough: a platform that sends genuine orders marks
// them so, as RFC 3834 asks automated senders to.
func automatic(h mail.Header) bool {
	for _, rp := range h["Return-Path"] {
		if strings.TrimSpace(rp) == "<>" {
			return true
		}
	}
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && mt == "multipart/report"
}

// better keeps "pass" once seen, else the first result.
func better(have, got string) string {
	if have == "" || got == string(authres.ResultPass) {
		return got
	}
	return have
}

// listed reports whether domain is one of the listed domains or under one.
func listed(domain string, domains []string) bool {
	for _, d := range domains {
		d = strings.ToLower(strings.TrimSuffix(d, "."))
		if d != "" && (domain == d || strings.HasSuffix(domain, "."+d)) {
			return true
		}
	}
	return false
}

// walker walks a MIME structure, bounded.
type walker struct {
	e                  *EmailReader
	maxParts, maxDepth int
	parts              []Part
	reqs               []requisition.Requisition
	problems           []string
	stopped            bool
	// text, when set, collects the text/plain parts (Text).
	text *bytes.Buffer
}

func (w *walker) problem(format string, args ...any) {
	w.problems = append(w.problems, fmt.Sprintf(format, args...))
}

// walk reads one entity: a multipart's parts in turn, or a leaf.
func (w *walker) walk(h textproto.MIMEHeader, body io.Reader, depth int) {
	if w.stopped {
		return
	}
	ct := h.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	switch {
	case ct == "":
		mt = "text/plain"
	case err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter):
		w.problem("part %d: its Content-Type cannot be read", len(w.parts)+1)
		mt = "application/octet-stream"
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth >= w.maxDepth {
			w.problem("multiparts are nested more than %d deep: what lies deeper is kept, not read", w.maxDepth)
			w.stopped = true
			return
		}
		boundary := params["boundary"]
		if boundary == "" {
			w.problem("a multipart has no boundary: its parts are kept, not read")
			return
		}
		mr := multipart.NewReader(body, boundary)
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				w.problem("the MIME structure is malformed after part %d: the rest is kept, not read", len(w.parts))
				return
			}
			if len(w.parts) >= w.maxParts {
				w.problem("the message has more than %d parts: the rest are kept, not read", w.maxParts)
				w.stopped = true
				return
			}
			w.walk(p.Header, p, depth+1)
			if w.stopped {
				return
			}
		}
	}
	if len(w.parts) >= w.maxParts {
		w.problem("the message has more than %d parts: the rest are kept, not read", w.maxParts)
		w.stopped = true
		return
	}
	n := len(w.parts) + 1
	data, err := decodeBody(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		w.problem("part %d: its transfer encoding cannot be decoded", n)
	}
	part := Part{Type: mt, Filename: filename(h, params), Size: len(data), SHA256: digest(data)}
	if w.text != nil && mt == "text/plain" && err == nil {
		w.text.Write(data[:min(len(data), maxText-w.text.Len())])
		w.text.WriteByte('\n')
	}
	if mt == "application/json" || strings.EqualFold(path.Ext(part.Filename), ".json") {
		switch cs := strings.ToLower(params["charset"]); {
		case err != nil:
		case cs != "" && cs != "utf-8" && cs != "us-ascii":
			w.problem("part %d: a requisition must be UTF-8, and the part declares another charset", n)
		default:
			req, derr := requisition.Decode(data)
			if derr != nil {
				w.problem("part %d: not a requisition this library reads (see the decoder's findings when transcribing)", n)
			} else {
				w.reqs = append(w.reqs, req)
				part.Requisition = true
			}
		}
	}
	w.parts = append(w.parts, part)
}

// decodeBody undoes a part's transfer encoding.
func decodeBody(cte string, body io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(body))
	case "", "7bit", "8bit", "binary":
		return io.ReadAll(body)
	default:
		b, err := io.ReadAll(body)
		if err != nil {
			return b, err
		}
		return b, errors.New("unknown transfer encoding")
	}
}

// maxFilename bounds a part's file name as kept.
const maxFilename = 255

// filename returns a part's file name, decoded (RFC 2231 and RFC 2047),
// or "" when it has none or it is not text.
func filename(h textproto.MIMEHeader, ctParams map[string]string) string {
	name := ""
	if _, params, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil {
		name = params["filename"]
	}
	if name == "" {
		name = ctParams["name"]
	}
	if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
		name = dec
	}
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || !utf8.ValidString(name) || len(name) > maxFilename {
		return ""
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f {
			return ""
		}
	}
	return name
}
