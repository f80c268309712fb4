// Package tlserr tells a TLS refusal — one side not accepting the
// other's certificate, or TLS itself — from other network errors, for the
// packages that report it as such (intercept/handover, intercept/x1).
package tlserr

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
)

// IsRefusal reports whether err is one side refusing the other's
// certificate or TLS itself: an alert from the peer (crypto/tls reports
// it as a net.OpError whose Op is "remote error", or a tls.AlertError),
// or our own verification failing.
func IsRefusal(err error) bool {
	var alert tls.AlertError
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var op *net.OpError
	return errors.As(err, &alert) || errors.As(err, &verify) || errors.As(err, &unknown) ||
		errors.As(err, &hostname) || errors.As(err, &invalid) ||
		(errors.As(err, &op) && op.Op == "remote error")
}
