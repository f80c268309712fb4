package tlserr_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/ccjkit/ccjkit/internal/tlserr"
)

func TestIsRefusal(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"peer's alert", &net.OpError{Op: "remote error", Err: tls.AlertError(42)}, true},
		{"alert", tls.AlertError(45), true},
		{"unknown authority, wrapped", fmt.Errorf("dial: %w", x509.UnknownAuthorityError{}), true},
		{"expired", &tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Reason: x509.Expired}}, true},
		{"not TLS at all: no certificate refused", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, false},
		{"connection refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, false},
		{"end of stream", io.EOF, false},
		{"nil", nil, false},
		{"other", errors.New("something"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tlserr.IsRefusal(tt.err); got != tt.want {
				t.Errorf("IsRefusal(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
