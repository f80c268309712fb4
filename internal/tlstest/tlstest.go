// Package tlstest makes the certificates of tests that run mutual TLS:
// an authority of the test's own, and certificates it issues for servers
// and clients, in memory or written as the PEM files programs read. Keys
// are ECDSA P-256, valid from an hour ago to an hour from now. It is not
// for production use.
package tlstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a certificate authority of the test's own.
type CA struct {
	// Cert is the authority's certificate and Pool a pool holding it.
	Cert *x509.Certificate
	Pool *x509.CertPool
	key  *ecdsa.PrivateKey
}

// NewCA returns a new authority named name.
func NewCA(tb testing.TB, name string) *CA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(tb), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &CA{Cert: cert, Pool: pool, key: key}
}

// Server returns a certificate for a server named name (a DNS name),
// valid also for 127.0.0.1, ::1 and ips, usable as a client's too (an NE
// serves X1 and is a client on X2/X3).
func (ca *CA) Server(tb testing.TB, name string, ips ...net.IP) tls.Certificate {
	tb.Helper()
	ips = append([]net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, ips...)
	return ca.issue(tb, name, ips, x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth)
}

// Client returns a client's certificate named name (its common name and
// DNS name).
func (ca *CA) Client(tb testing.TB, name string) tls.Certificate {
	tb.Helper()
	return ca.issue(tb, name, nil, x509.ExtKeyUsageClientAuth)
}

// Expired returns a client's and server's certificate named name that
// expired a minute ago, for tests of its refusal.
func (ca *CA) Expired(tb testing.TB, name string) tls.Certificate {
	tb.Helper()
	return ca.issueUntil(tb, time.Now().Add(-time.Minute), name, []net.IP{net.IPv4(127, 0, 0, 1)},
		x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth)
}

func (ca *CA) issue(tb testing.TB, name string, ips []net.IP, usage ...x509.ExtKeyUsage) tls.Certificate {
	tb.Helper()
	return ca.issueUntil(tb, time.Now().Add(time.Hour), name, ips, usage...)
}

func (ca *CA) issueUntil(tb testing.TB, notAfter time.Time, name string, ips []net.IP, usage ...x509.ExtKeyUsage) tls.Certificate {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(tb), Subject: pkix.Name{CommonName: name},
		NotBefore: notAfter.Add(-2 * time.Hour), NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: usage,
		DNSNames: []string{name}, IPAddresses: ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// WriteCA writes the authority's certificate as PEM to dir/name and
// returns the path.
func (ca *CA) WriteCA(tb testing.TB, dir, name string) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	write(tb, path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}))
	return path
}

// WritePair writes c's certificate and key as PEM to dir/name.crt and
// dir/name.key (mode 0600) and returns both paths.
func WritePair(tb testing.TB, c tls.Certificate, dir, name string) (certFile, keyFile string) {
	tb.Helper()
	key, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	if err != nil {
		tb.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	write(tb, certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Certificate[0]}))
	write(tb, keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}))
	return certFile, keyFile
}

func write(tb testing.TB, path string, b []byte) {
	tb.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
}

func serial(tb testing.TB) *big.Int {
	tb.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
