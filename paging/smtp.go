package paging

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"

	gomail "github.com/wneessen/go-mail"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/timesync"
)

// TLSMode is how an SMTP sender protects its connection to the relay.
type TLSMode uint8

// The TLS modes. The zero mode, TLSMandatory, is the default: a relay that
// offers no STARTTLS gets nothing. TLSOpportunistic and TLSNone are for a
// relay on this machine only (SMTP.Check refuses them for any other host),
// such as a local Postfix that relays onward with its own TLS.
const (
	// TLSMandatory: STARTTLS (RFC 3207) is required, the server's
	// certificate verified; port 587 by default.
	TLSMandatory TLSMode = iota
	// TLSImplicit: TLS from the first byte (RFC 8314's implicit TLS);
	// port 465 by default.
	TLSImplicit
	// TLSOpportunistic: STARTTLS when the relay offers it, plain text
	// otherwise; loopback only; port 25 by default.
	TLSOpportunistic
	// TLSNone: plain text; loopback only; port 25 by default.
	TLSNone
)

// SMTP sends pages by e-mail (ccj.Email channels) through a relay, with
// github.com/wneessen/go-mail (v0.8.1): a small, maintained client that
// speaks STARTTLS and implicit TLS, the SMTP AUTH mechanisms and enhanced
// status codes, on the standard library and x/crypto.
//
// Each page is one message: From the cell's address, To the member's,
// Subject Page.Title (the case number and why: no content), a text/plain
// body Page.Text, a Date from Clock, a Message-ID the sender sets —
// "<ccjkit-{the page's Key}@{Domain}>", the same for every attempt of the
// same page to the same member, so that a mail client that gets the message
// twice shows it once —, Auto-Submitted: auto-generated (RFC 3834: no
// vacation reply) and the "urgent" importance headers. No User-Agent.
//
// The connection is the sender's own (go-mail dials through it): it is
// closed when the attempt ends, whatever happened, and cut when the
// attempt's context ends, so a relay that stalls costs one attempt's
// time (Retry.Timeout) and no lingering connection.
//
// The relay's replies classify failures: a 4xx reply is a ServerError
// (tried again), a 5xx one Rejected, a relay that does not offer the TLS
// the mode requires (or whose certificate does not verify) Misconfigured.
// Errors give the reply codes, never the server's text (which quotes
// addresses), the recipient or the password.
type SMTP struct {
	// Host is the relay's name (checked against its certificate) and
	// Port its port; 0 means the mode's default.
	Host string
	Port int
	// From is the cell's sender address, "ccj@example.be".
	From string
	// Username and Password authenticate to the relay (SMTP AUTH, the
	// strongest mechanism both sides speak; PLAIN and LOGIN only over
	// TLS); no Username means no authentication.
	Username string
	Password Secret
	// TLS is the TLS mode; the zero value is TLSMandatory.
	TLS TLSMode
	// TLSConfig verifies the relay; nil means the system's roots, TLS 1.2
	// at least, and Host as the server name.
	TLSConfig *tls.Config
	// Domain is the right-hand side of Message-IDs; "" means From's
	// domain.
	Domain string
	// HELO is the name sent in EHLO; "" means go-mail's default.
	HELO string
	// Clock dates the messages; nil means timesync.SystemClock.
	Clock timesync.Clock
}

// Check returns an error wrapping ErrSend (a *SendError, Misconfigured)
// when the sender cannot be used: no host, a From that is not an address,
// an unknown TLS mode, or TLSOpportunistic or TLSNone for a relay that is
// not on this machine.
func (s SMTP) Check() error {
	if s.Host == "" {
		return misconfigured("smtp", "no relay host")
	}
	if a, err := mail.ParseAddress(s.From); err != nil || a.Address != s.From {
		return misconfigured("smtp", "the sender address is not local@domain")
	}
	switch s.TLS {
	case TLSMandatory, TLSImplicit:
	case TLSOpportunistic, TLSNone:
		if !loopback(s.Host) {
			return misconfigured("smtp", "a relay without mandatory TLS must be on this machine (localhost, 127.0.0.1, ::1)")
		}
	default:
		return misconfigured("smtp", "unknown TLS mode")
	}
	if s.Port < 0 || s.Port > 65535 {
		return misconfigured("smtp", "the port is not 1 to 65535")
	}
	return nil
}

// Send sends p by e-mail to the channel's address.
func (s SMTP) Send(ctx context.Context, to ccj.Channel, p Page, key Key) error {
	if err := s.Check(); err != nil {
		return err
	}
	if to.Kind != ccj.Email {
		return misconfigured("smtp", "the channel is not an e-mail address")
	}
	if a, err := mail.ParseAddress(to.Value); err != nil || a.Address != to.Value {
		return misconfigured("smtp", "the member's address is not local@domain")
	}
	domain := s.Domain
	if domain == "" {
		domain = s.From[strings.LastIndexByte(s.From, '@')+1:]
	}
	clock := s.Clock
	if clock == nil {
		clock = timesync.SystemClock{}
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(s.From); err != nil {
		return misconfigured("smtp", "the sender address is refused")
	}
	if err := m.To(to.Value); err != nil {
		return misconfigured("smtp", "the member's address is refused")
	}
	m.Subject(p.Title())
	m.SetMessageIDWithValue("ccjkit-" + string(key) + "@" + domain)
	m.SetDateWithValue(clock.Now())
	m.SetImportance(gomail.ImportanceUrgent)
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, p.Text())

	// The connection is ours: go-mail leaves it open when the
	// conversation fails before the message (no STARTTLS, credentials
	// refused), and the context's end must cut a relay that stalls.
	var mu sync.Mutex
	var conns []net.Conn
	var stops []func() bool
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for i, c := range conns {
			stops[i]()
			c.Close()
		}
	}()
	cfg := s.tlsConfig()
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		if s.TLS == TLSImplicit {
			tc := tls.Client(conn, cfg)
			if err := tc.HandshakeContext(dctx); err != nil {
				conn.Close()
				return nil, err
			}
			conn = tc
		}
		// The dialling context ends with the dialling; the attempt's
		// ends with the attempt.
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		mu.Lock()
		conns, stops = append(conns, conn), append(stops, stop)
		mu.Unlock()
		return conn, nil
	}
	c, err := gomail.NewClient(s.Host, append(s.options(cfg), gomail.WithDialContextFunc(dial))...)
	if err != nil {
		return misconfigured("smtp", "the client cannot be configured")
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return smtpError(ctx, err)
	}
	return nil
}

// tlsConfig is the configuration that verifies the relay.
func (s SMTP) tlsConfig() *tls.Config {
	cfg := s.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	} else {
		cfg = cfg.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.Host
	}
	return cfg
}

// options are the go-mail client's options for s. Implicit TLS is the
// dialler's (go-mail's own TLS dialling is not used with a dialler of the
// caller's); go-mail then finds the connection encrypted and offers no
// STARTTLS on it.
func (s SMTP) options(cfg *tls.Config) []gomail.Option {
	port := s.Port
	var opts []gomail.Option
	switch s.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		if port == 0 {
			port = 465
		}
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	}
	if port == 0 {
		port = 25
	}
	opts = append(opts, gomail.WithPort(port), gomail.WithTLSConfig(cfg))
	if s.HELO != "" {
		opts = append(opts, gomail.WithHELO(s.HELO))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username), gomail.WithPassword(string(s.Password)))
	}
	return opts
}

// smtpError classifies an error of go-mail and says it without the
// relay's text: reply codes only, or the network's error.
func smtpError(ctx context.Context, err error) error {
	var se *gomail.SendError
	var te *textproto.Error
	code := 0
	switch {
	case errors.As(err, &se):
		code = se.ErrorCode()
	case errors.As(err, &te):
		code = te.Code
	}
	if code == 0 {
		// No reply code: the network, TLS, or go-mail's own refusal.
		var ne net.Error
		switch {
		case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
			return sendErr("smtp", Timeout, 0, errors.New("no answer in time"))
		case strings.Contains(err.Error(), "does not support STARTTLS"):
			return misconfigured("smtp", "the relay does not offer STARTTLS, which the TLS mode requires")
		case errors.Is(err, gomail.ErrNoSupportedAuthDiscovered), strings.Contains(err.Error(), "does not support SMTP AUTH"):
			return misconfigured("smtp", "the relay offers no authentication mechanism usable on this connection")
		case errors.As(err, &ne):
			f := networkFailure(err)
			return sendErr("smtp", f, 0, netCause(err))
		}
		f := networkFailure(err)
		if f == Unreachable && se != nil {
			return sendErr("smtp", Unreachable, 0, errors.New(se.Reason.String()))
		}
		if f == Misconfigured {
			return misconfigured("smtp", "the relay's certificate does not verify")
		}
		return sendErr("smtp", f, 0, errors.New("the relay's conversation failed"))
	}
	f := Rejected
	if code >= 400 && code < 500 {
		f = ServerError
	}
	why := "the relay refused"
	if code == 530 || code == 534 || code == 535 || code == 538 {
		why = "the relay refused the authentication"
	}
	if se != nil {
		why = "the relay refused while " + se.Reason.String()
		if esc := se.EnhancedStatusCode(); esc != "" {
			why += " (" + esc + ")"
		}
	}
	return sendErr("smtp", f, code, errors.New(why))
}

// netCause keeps a network error's own text (an address and port, the
// system's words), without what wraps it.
func netCause(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return fmt.Errorf("network error (timeout %s)", strconv.FormatBool(ne.Timeout()))
	}
	return errors.New("network error")
}
