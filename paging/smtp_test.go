package paging_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/itest"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

const smtpPassword = "smtp-s3cr3t-pa55word"

// testCert is a certificate for 127.0.0.1 and localhost, and a pool that
// trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// smtpConn is how the test relay behaves on one connection.
type smtpConn struct {
	startTLS bool   // offers STARTTLS
	implicit bool   // TLS from the first byte
	rcpt     string // the reply to RCPT TO, "" for 250
	auth     string // the reply to AUTH, "" for 235
	stall    bool   // greets, then answers nothing
}

// smtpServer is a relay that speaks enough SMTP (RFC 5321, STARTTLS RFC
// 3207, AUTH PLAIN RFC 4954) for a client, and records what it was told.
type smtpServer struct {
	addr  string
	cert  tls.Certificate
	mu    sync.Mutex
	conns []smtpConn
	// accepted counts the connections; sessions are recorded as each
	// ends.
	accepted int
	sessions []smtpSession
}

// smtpSession is what one connection carried.
type smtpSession struct {
	tls      bool
	authUser string
	authPass string
	mailTLS  bool // TLS was on when MAIL FROM came
	from, to string
	data     string
}

func newSMTPServer(t *testing.T, cert tls.Certificate, conns ...smtpConn) *smtpServer {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{addr: l.Addr().String(), cert: cert, conns: conns}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.accepted++
			behaviour := smtpConn{startTLS: true}
			if len(s.conns) > 0 {
				behaviour, s.conns = s.conns[0], s.conns[1:]
			}
			s.mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); s.serve(c, behaviour) }()
		}
	}()
	return s
}

func (s *smtpServer) port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

// recorded returns the sessions, once every connection accepted has
// ended: the server records a session when its connection ends, which
// may be after the client read its last reply.
func (s *smtpServer) recorded(t *testing.T) []smtpSession {
	t.Helper()
	itest.WaitFor(t, "every SMTP session to end", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.sessions) == s.accepted
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpSession(nil), s.sessions...)
}

func (s *smtpServer) serve(c net.Conn, b smtpConn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute))
	var sess smtpSession
	defer func() { s.mu.Lock(); s.sessions = append(s.sessions, sess); s.mu.Unlock() }()
	cfg := &tls.Config{Certificates: []tls.Certificate{s.cert}}
	if b.implicit {
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		c, sess.tls = tc, true
	}
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 localhost ESMTP test relay")
	if b.stall {
		io.Copy(io.Discard, c) // until the client hangs up
		return
	}
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			lines := []string{"localhost"}
			if b.startTLS && !sess.tls {
				lines = append(lines, "STARTTLS")
			}
			if sess.tls {
				lines = append(lines, "AUTH PLAIN")
			}
			lines = append(lines, "ENHANCEDSTATUSCODES", "8BITMIME")
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				tp.PrintfLine("250%s%s", sep, l)
			}
		case "STARTTLS":
			if !b.startTLS || sess.tls {
				tp.PrintfLine("502 5.5.1 not offered")
				continue
			}
			tp.PrintfLine("220 2.0.0 ready")
			tc := tls.Server(c, cfg)
			if tc.Handshake() != nil {
				return
			}
			c, sess.tls = tc, true
			tp = textproto.NewConn(c)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			dec, _ := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(dec), "\x00")
			if strings.ToUpper(mech) == "PLAIN" && len(parts) == 3 {
				sess.authUser, sess.authPass = parts[1], parts[2]
			}
			if b.auth != "" {
				tp.PrintfLine("%s", b.auth)
				continue
			}
			tp.PrintfLine("235 2.7.0 authenticated")
		case "MAIL":
			sess.from, sess.mailTLS = arg, sess.tls
			tp.PrintfLine("250 2.1.0 ok")
		case "RCPT":
			sess.to = arg
			if b.rcpt != "" {
				tp.PrintfLine("%s", b.rcpt)
				continue
			}
			tp.PrintfLine("250 2.1.5 ok")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			data, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			sess.data = string(data)
			tp.PrintfLine("250 2.0.0 queued")
		case "RSET", "NOOP":
			tp.PrintfLine("250 2.0.0 ok")
		case "QUIT":
			tp.PrintfLine("221 2.0.0 bye")
			return
		default:
			tp.PrintfLine("502 5.5.2 unknown command")
		}
	}
}

// TestSMTP sends pages through a relay on loopback that speaks SMTP
// (RFC 5321), STARTTLS (RFC 3207) and AUTH PLAIN (RFC 4954), and checks
// the message (RFC 5322) and the TLS policy.
func TestSMTP(t *testing.T) {
	cert, pool := testCert(t)
	page := testPage(t, paging.NewRequest, language.French)
	ch := ccj.Channel{Kind: ccj.Email, Value: "alice@example.be"}
	key := page.Key("alice", ch)
	sent := at("2026-10-24 21:47:04")
	sender := func(srv *smtpServer, mode paging.TLSMode) paging.SMTP {
		return paging.SMTP{Host: "127.0.0.1", Port: srv.port(), From: "ccj@example.be", Username: "ccj", Password: smtpPassword,
			TLS: mode, TLSConfig: &tls.Config{RootCAs: pool}, Clock: timesynctest.NewClock(sent)}
	}
	tests := []struct {
		name  string
		conns []smtpConn
		mode  paging.TLSMode
		edit  func(*paging.SMTP)
		want  []paging.Failure
		tls   bool // the message went over TLS
	}{
		{name: "mandatory STARTTLS, authenticated", conns: []smtpConn{{startTLS: true}}, want: []paging.Failure{paging.NoFailure}, tls: true},
		{name: "implicit TLS (SMTPS)", conns: []smtpConn{{implicit: true}}, mode: paging.TLSImplicit, want: []paging.Failure{paging.NoFailure}, tls: true},
		{name: "opportunistic to a loopback relay that offers no STARTTLS: plain", conns: []smtpConn{{}}, mode: paging.TLSOpportunistic,
			edit: func(s *paging.SMTP) { s.Username, s.Password = "", "" }, want: []paging.Failure{paging.NoFailure}},
		{name: "opportunistic takes STARTTLS when offered", conns: []smtpConn{{startTLS: true}}, mode: paging.TLSOpportunistic,
			want: []paging.Failure{paging.NoFailure}, tls: true},
		{name: "mandatory TLS, a relay without STARTTLS: misconfigured, nothing sent", conns: []smtpConn{{}},
			want: []paging.Failure{paging.Misconfigured}},
		{name: "an untrusted certificate: misconfigured", conns: []smtpConn{{startTLS: true}},
			edit: func(s *paging.SMTP) { s.TLSConfig = nil }, want: []paging.Failure{paging.Misconfigured}},
		{name: "451 at RCPT: tried again, then sent", conns: []smtpConn{{startTLS: true, rcpt: "451 4.3.0 <alice@example.be> try later"}, {startTLS: true}},
			want: []paging.Failure{paging.ServerError, paging.NoFailure}, tls: true},
		{name: "a relay that stalls: the attempt's time runs out, thrice", conns: []smtpConn{{stall: true}, {stall: true}, {stall: true}},
			want: []paging.Failure{paging.Timeout, paging.Timeout, paging.Timeout}},
		{name: "550 at RCPT: rejected", conns: []smtpConn{{startTLS: true, rcpt: "550 5.1.1 <alice@example.be> unknown user"}},
			want: []paging.Failure{paging.Rejected}},
		{name: "credentials refused: rejected", conns: []smtpConn{{startTLS: true, auth: "535 5.7.8 bad credentials for " + smtpPassword}},
			want: []paging.Failure{paging.Rejected}},
		{name: "opportunistic to a relay elsewhere: refused before dialling", conns: nil, mode: paging.TLSOpportunistic,
			edit: func(s *paging.SMTP) { s.Host = "mail.example.be" }, want: []paging.Failure{paging.Misconfigured}},
		{name: "no TLS to a relay elsewhere: refused before dialling", conns: nil, mode: paging.TLSNone,
			edit: func(s *paging.SMTP) { s.Host = "192.0.2.1" }, want: []paging.Failure{paging.Misconfigured}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSMTPServer(t, cert, tt.conns...)
			s := sender(srv, tt.mode)
			if tt.edit != nil {
				tt.edit(&s)
			}
			attempts, _, err := deliverOne(t, s, ch, page)
			if got := failures(attempts); !equalFailures(got, tt.want) {
				t.Fatalf("attempts %v, want %v (%v)", got, tt.want, err)
			}
			checkSecrets(t, attempts, err, ch.Value)
			for _, a := range attempts {
				t.Logf("%s: %v", a.Failure, a.Err)
				if a.Err != nil && (strings.Contains(a.Err.Error(), smtpPassword) || strings.Contains(a.Err.Error(), "alice@")) {
					t.Errorf("the error shows the password or the address: %v", a.Err)
				}
				if a.Failure == paging.Rejected && a.Status < 500 {
					t.Errorf("a rejection without its reply code: %+v", a)
				}
			}
			var delivered []smtpSession
			for _, sess := range srv.recorded(t) {
				if sess.data != "" {
					delivered = append(delivered, sess)
				}
				if tt.want[0] == paging.Misconfigured && sess.from != "" {
					t.Error("a message was started on a connection the policy refuses")
				}
			}
			if tt.want[len(tt.want)-1] != paging.NoFailure {
				if len(delivered) != 0 {
					t.Errorf("%d messages delivered", len(delivered))
				}
				return
			}
			if len(delivered) != 1 {
				t.Fatalf("%d messages delivered", len(delivered))
			}
			d := delivered[0]
			if d.mailTLS != tt.tls {
				t.Errorf("TLS %v when the message was sent, want %v", d.mailTLS, tt.tls)
			}
			if s.Username != "" && (d.authUser != "ccj" || d.authPass != smtpPassword) {
				t.Errorf("authenticated as %q", d.authUser)
			}
			if d.from != "FROM:<ccj@example.be>" && !strings.HasPrefix(d.from, "FROM:<ccj@example.be> ") {
				t.Errorf("MAIL %s", d.from)
			}
			if !strings.HasPrefix(d.to, "TO:<alice@example.be>") {
				t.Errorf("RCPT %s", d.to)
			}
			checkMessage(t, d.data, page, key, sent)
		})
	}
}

// checkMessage reads the message as RFC 5322 and checks its headers and
// body.
func checkMessage(t *testing.T, data string, page paging.Page, key paging.Key, sent time.Time) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("not a message: %v\n%s", err, data)
	}
	h := m.Header
	if got, want := h.Get("Message-Id"), "<ccjkit-"+string(key)+"@example.be>"; got != want {
		t.Errorf("Message-ID %q, want %q", got, want)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != page.Title() {
		t.Errorf("Subject %q, want the title %q", subject, page.Title())
	}
	if d, err := h.Date(); err != nil || !d.Equal(sent) {
		t.Errorf("Date %v, want %v", d, sent)
	}
	if h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted %q", h.Get("Auto-Submitted"))
	}
	if h.Get("User-Agent") != "" || h.Get("X-Mailer") != "" {
		t.Errorf("the client names itself: %q %q", h.Get("User-Agent"), h.Get("X-Mailer"))
	}
	if h.Get("Importance") == "" {
		t.Error("no Importance header")
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	var body io.Reader = m.Body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(m.Body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, m.Body)
	}
	b, _ := io.ReadAll(bufio.NewReader(body))
	if got := strings.ReplaceAll(strings.TrimRight(string(b), "\r\n"), "\r\n", "\n"); got != page.Text() {
		t.Errorf("body %q, want the page's text %q", got, page.Text())
	}
}

// Check refuses what cannot be sent safely, before any connection.
func TestSMTPCheck(t *testing.T) {
	ok := paging.SMTP{Host: "mail.example.be", From: "ccj@example.be"}
	tests := []struct {
		name string
		edit func(*paging.SMTP)
		ok   bool
	}{
		{"mandatory TLS to a remote relay", func(*paging.SMTP) {}, true},
		{"implicit TLS", func(s *paging.SMTP) { s.TLS = paging.TLSImplicit }, true},
		{"no TLS to localhost", func(s *paging.SMTP) { s.Host, s.TLS = "localhost", paging.TLSNone }, true},
		{"opportunistic to ::1", func(s *paging.SMTP) { s.Host, s.TLS = "::1", paging.TLSOpportunistic }, true},
		{"no TLS to a remote relay", func(s *paging.SMTP) { s.TLS = paging.TLSNone }, false},
		{"opportunistic to a remote relay", func(s *paging.SMTP) { s.TLS = paging.TLSOpportunistic }, false},
		{"an unknown mode", func(s *paging.SMTP) { s.TLS = 9 }, false},
		{"no host", func(s *paging.SMTP) { s.Host = "" }, false},
		{"a sender that is no address", func(s *paging.SMTP) { s.From = "CCJ <ccj@example.be>" }, false},
		{"a port out of range", func(s *paging.SMTP) { s.Port = 70000 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			err := s.Check()
			if (err == nil) != tt.ok {
				t.Errorf("Check: %v", err)
			}
			var se *paging.SendError
			if err != nil && (!errors.As(err, &se) || se.Failure != paging.Misconfigured) {
				t.Errorf("%v is not Misconfigured", err)
			}
		})
	}
	if err := (paging.SMTP{Host: "localhost", From: "ccj@example.be", TLS: paging.TLSNone}).Send(context.Background(),
		ccj.Channel{Kind: ccj.Email, Value: "not an address"}, testPage(t, paging.NewRequest, language.English), "k"); err == nil {
		t.Error("a malformed recipient is sent to")
	}
}
