package x1

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// X1 runs over HTTPS with mutual authentication (TS 103 221-1 clause 7 and
// 8): the ADMF is the HTTP client, the NE the server, each presenting a
// certificate the other verifies against the CA it trusts. ccjkit uses
// crypto/tls only: TLS 1.2 or 1.3, Go's default cipher suites (no
// configuration of weaker ones), and client certificates required and
// verified.

// MinTLSVersion is the oldest TLS version either side accepts.
const MinTLSVersion = tls.VersionTLS12

// ServerTLS returns the TLS configuration of an NE: its certificate, and
// clients required to present a certificate that chains to clientCAs.
func ServerTLS(cert tls.Certificate, clientCAs *x509.CertPool) (*tls.Config, error) {
	if clientCAs == nil {
		return nil, fmt.Errorf("%w: an NE needs the CA pool its ADMF's certificates chain to", ErrTransport)
	}
	return &tls.Config{
		MinVersion:   MinTLSVersion,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clientCAs,
	}, nil
}

// ClientTLS returns the TLS configuration of an ADMF: its certificate, and
// servers verified against roots (and, as usual, by name).
func ClientTLS(cert tls.Certificate, roots *x509.CertPool) (*tls.Config, error) {
	if roots == nil {
		return nil, fmt.Errorf("%w: an ADMF needs the CA pool its NEs' certificates chain to", ErrTransport)
	}
	return &tls.Config{
		MinVersion:   MinTLSVersion,
		Certificates: []tls.Certificate{cert},
		RootCAs:      roots,
	}, nil
}

// LoadServerTLS is ServerTLS with the certificate, its key and the client
// CA certificates read from PEM files.
func LoadServerTLS(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	cert, pool, err := load(certFile, keyFile, clientCAFile)
	if err != nil {
		return nil, err
	}
	return ServerTLS(cert, pool)
}

// LoadClientTLS is ClientTLS with the certificate, its key and the CA
// certificates read from PEM files.
func LoadClientTLS(certFile, keyFile, caFile string) (*tls.Config, error) {
	cert, pool, err := load(certFile, keyFile, caFile)
	if err != nil {
		return nil, err
	}
	return ClientTLS(cert, pool)
}

func load(certFile, keyFile, caFile string) (tls.Certificate, *x509.CertPool, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("%w: certificate and key: %w", ErrTransport, err)
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("%w: CA file: %w", ErrTransport, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return tls.Certificate{}, nil, fmt.Errorf("%w: the CA file holds no PEM certificate", ErrTransport)
	}
	return cert, pool, nil
}

// errNoClientCert is the reason a request without a verified client
// certificate is refused.
var errNoClientCert = errors.New("x1: the request came without a verified client certificate")
