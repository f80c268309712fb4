package x1

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
)

// NE is what a network element (a point of interception, or a mediation
// function) does with the tasks and destinations an ADMF gives it over X1.
// Server calls it, one request message at a time, in the order of the
// request. An error it returns is answered with an ErrorResponse: the
// ErrorCode it wraps (errors.As), or the generic failure code of the
// request type. Its text is not sent: the description is the code's
// meaning, so that no detail of the NE's state leaves it by accident.
type NE interface {
	// ActivateTask starts a task; XIDAlreadyExists when the XID is held.
	ActivateTask(ctx context.Context, t TaskDetails) error
	// ModifyTask replaces a held task's details; XIDDoesNotExist when
	// there is none.
	ModifyTask(ctx context.Context, t TaskDetails) error
	// DeactivateTask ends a task; XIDDoesNotExist when there is none.
	DeactivateTask(ctx context.Context, xid UUID) error
	// GetTaskDetails returns a held task and its status.
	GetTaskDetails(ctx context.Context, xid UUID) (TaskResponseDetails, error)
	// ListAllDetails returns the XIDs and DIDs held.
	ListAllDetails(ctx context.Context) (xids, dids []UUID, err error)
	// CreateDestination adds a destination; DIDAlreadyExists when held.
	CreateDestination(ctx context.Context, d DestinationDetails) error
	// ModifyDestination replaces a held destination; DIDDoesNotExist.
	ModifyDestination(ctx context.Context, d DestinationDetails) error
	// RemoveDestination removes a destination; DIDDoesNotExist, or
	// DestinationInUse while a task delivers to it.
	RemoveDestination(ctx context.Context, did UUID) error
	// GetDestinationDetails returns a held destination and its status.
	GetDestinationDetails(ctx context.Context, did UUID) (DestinationResponseDetails, error)
}

// Server is the NE side of X1: an http.Handler that reads X1Requests
// POSTed to it over HTTPS by an authenticated ADMF, applies each message to
// NE and answers with an X1Response (or an X1TopLevelErrorResponse when the
// document cannot be read at all).
//
// It refuses, before reading anything: a request that did not come over
// TLS or came without a verified client certificate (403), a method other
// than POST (405), a body that is not XML (415) or larger than
// Limits.MaxBytes (413). Serve it with NewHTTPServer, which requires
// client certificates in the TLS handshake itself.
type Server struct {
	// NE applies the tasks.
	NE NE
	// Identifier is this NE's neIdentifier: a message naming another is
	// answered UnexpectedNEIdentifier.
	Identifier string
	// ADMF is the admfIdentifier of the ADMF allowed to task this NE: a
	// message naming another is answered UnexpectedADMFIdentifier.
	ADMF string
	// BindADMFToCertificate, when set, also requires the client
	// certificate's subject common name or one of its DNS names to equal
	// the message's admfIdentifier (ADMFIdentifierDoesNotMatchCertificate).
	BindADMFToCertificate bool
	// Clock timestamps the responses; nil means timesync.SystemClock.
	Clock timesync.Clock
	// Limits bound what a request may hold; the zero Limits means
	// DefaultLimits.
	Limits Limits
}

func (s *Server) limits() Limits {
	if s.Limits == (Limits{}) {
		return DefaultLimits()
	}
	return s.Limits
}

func (s *Server) now() time.Time {
	if s.Clock == nil {
		return timesync.SystemClock{}.Now()
	}
	return s.Clock.Now()
}

// xmlContentType reports whether a Content-Type names XML.
func xmlContentType(v string) bool {
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		return false
	}
	if cs, ok := params["charset"]; ok && cs != "utf-8" && cs != "UTF-8" {
		return false
	}
	return mt == "application/xml" || mt == "text/xml"
}

// contentType is what both sides send.
const contentType = "application/xml; charset=utf-8"

// ServeHTTP answers one X1 request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 {
		http.Error(w, errNoClientCert.Error(), http.StatusForbidden)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "x1: POST an X1Request", http.StatusMethodNotAllowed)
		return
	}
	if !xmlContentType(r.Header.Get("Content-Type")) {
		http.Error(w, "x1: the body must be application/xml or text/xml in UTF-8", http.StatusUnsupportedMediaType)
		return
	}
	lim := s.limits()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(lim.MaxBytes)))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			http.Error(w, fmt.Sprintf("x1: the body is larger than %d bytes", lim.MaxBytes), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "x1: the body could not be read", http.StatusBadRequest)
		return
	}
	resp := s.answer(r.Context(), body, r.TLS)
	out, err := EncodeResponse(resp)
	if err != nil {
		// The answers were checked one by one; this cannot be reached
		// unless the top-level header is at fault (an empty Identifier).
		http.Error(w, "x1: the NE cannot write its answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

// answer decodes the request and answers each of its messages.
func (s *Server) answer(ctx context.Context, body []byte, state *tls.ConnectionState) *Response {
	var p problems
	parsed := s.limits().decodeRequestParts(body, &p)
	top := func() *Response {
		return &Response{TopLevelError: &Header{ADMF: s.ADMF, NE: s.Identifier, Timestamp: s.now(), Version: SchemaVersion}}
	}
	if len(p.fs) > 0 || len(parsed) == 0 {
		return top()
	}
	for _, m := range parsed {
		if m.msg.Type == "" {
			return top()
		}
	}
	resp := &Response{Messages: make([]ResponseMessage, len(parsed))}
	for i := range parsed {
		resp.Messages[i] = s.answerOne(ctx, &parsed[i], state)
	}
	return resp
}

func (s *Server) answerOne(ctx context.Context, m *parsedRequest, state *tls.ConnectionState) ResponseMessage {
	h := Header{ADMF: m.msg.ADMF, NE: m.msg.NE, Timestamp: s.now(), Version: SchemaVersion, TransactionID: m.msg.TransactionID}
	// The answer echoes the request's identifiers when they are usable,
	// and states this NE's own otherwise, so that it stays schema-valid.
	if _, err := EncodeResponse(&Response{Messages: []ResponseMessage{{Header: h, Type: Ping, OK: Acknowledged}}}); err != nil {
		h.ADMF, h.NE = s.ADMF, s.Identifier
	}
	fail := func(code ErrorCode) ResponseMessage {
		return ResponseMessage{Header: h, Type: m.msg.Type, Error: &ErrorInformation{Code: int(code), Description: code.String()}}
	}
	if len(m.p.fs) > 0 {
		err := m.p.err(whatRequest)
		switch {
		case errors.Is(err, ErrUnsupportedTarget):
			return fail(UnsupportedTargetIdentifierType)
		case errors.Is(err, ErrUnsupportedAddress):
			return fail(UnsupportedDeliveryAddressType)
		case !m.msg.Type.Supported():
			return fail(UnsupportedRequest)
		default:
			return fail(SyntaxSchemaError)
		}
	}
	if s.ADMF != "" && m.msg.ADMF != s.ADMF {
		return fail(UnexpectedADMFIdentifier)
	}
	if s.BindADMFToCertificate && !certNames(state, m.msg.ADMF) {
		return fail(ADMFIdentifierDoesNotMatchCertificate)
	}
	if m.msg.NE != s.Identifier {
		return fail(UnexpectedNEIdentifier)
	}
	out := ResponseMessage{Header: h, Type: m.msg.Type}
	var err error
	switch m.msg.Type {
	case ActivateTask:
		err = s.NE.ActivateTask(ctx, *m.msg.Task)
	case ModifyTask:
		err = s.NE.ModifyTask(ctx, *m.msg.Task)
	case DeactivateTask:
		err = s.NE.DeactivateTask(ctx, m.msg.XID)
	case GetTaskDetails:
		var d TaskResponseDetails
		d, err = s.NE.GetTaskDetails(ctx, m.msg.XID)
		out.Task = &d
	case ListAllDetails:
		out.XIDs, out.DIDs, err = s.NE.ListAllDetails(ctx)
	case CreateDestination:
		err = s.NE.CreateDestination(ctx, *m.msg.Destination)
	case ModifyDestination:
		err = s.NE.ModifyDestination(ctx, *m.msg.Destination)
	case RemoveDestination:
		err = s.NE.RemoveDestination(ctx, m.msg.DID)
	case GetDestinationDetails:
		var d DestinationResponseDetails
		d, err = s.NE.GetDestinationDetails(ctx, m.msg.DID)
		out.Destination = &d
	case Ping, Keepalive:
	}
	if err != nil {
		var code ErrorCode
		if !errors.As(err, &code) {
			code = genericFailure(m.msg.Type)
		}
		return fail(code)
	}
	if okAnswered(m.msg.Type) {
		out.OK = AcknowledgedAndCompleted
	}
	// What the NE returned must itself be writable.
	if _, err := EncodeResponse(&Response{Messages: []ResponseMessage{out}}); err != nil {
		return fail(GenericError)
	}
	return out
}

// genericFailure is the code of a request type's failure for a reason the
// NE did not name.
func genericFailure(t MessageType) ErrorCode {
	switch t {
	case ActivateTask:
		return GenericActivateTaskFailure
	case ModifyTask:
		return GenericModifyTaskFailure
	case DeactivateTask:
		return GenericDeactivateTaskFailure
	case CreateDestination:
		return GenericCreateDestinationFailure
	case ModifyDestination:
		return GenericModifyDestinationFailure
	case RemoveDestination:
		return GenericRemoveDestinationFailure
	}
	return GenericError
}

// certNames reports whether the verified client certificate names id.
func certNames(state *tls.ConnectionState, id string) bool {
	if state == nil || len(state.VerifiedChains) == 0 || len(state.VerifiedChains[0]) == 0 {
		return false
	}
	c := state.VerifiedChains[0][0]
	if c.Subject.CommonName == id {
		return true
	}
	for _, n := range c.DNSNames {
		if n == id {
			return true
		}
	}
	return false
}

// NewHTTPServer returns an http.Server for an X1 handler on addr: TLS with
// cfg (which must require and verify client certificates, TLS 1.2 or
// later: ServerTLS makes one), and bounded header size and timeouts so that
// a slow or idle peer cannot hold the NE. Serve it with
// ListenAndServeTLS("", "") or ServeTLS(listener, "", "").
func NewHTTPServer(addr string, h http.Handler, cfg *tls.Config) (*http.Server, error) {
	if cfg == nil || cfg.ClientAuth != tls.RequireAndVerifyClientCert || cfg.ClientCAs == nil {
		return nil, fmt.Errorf("%w: an X1 server requires and verifies client certificates", ErrTransport)
	}
	if cfg.MinVersion < MinTLSVersion {
		return nil, fmt.Errorf("%w: an X1 server accepts TLS 1.2 or later only", ErrTransport)
	}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		TLSConfig:         cfg,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}, nil
}
