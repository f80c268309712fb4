package tasking_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// pki is a test CA that issues the NE's and the ADMF's certificates.
type pki struct {
	ca   *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &pki{ca: ca, key: key, pool: pool}
}

func (p *pki) issue(t *testing.T, name string, serial int64) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// startNE runs an X1 NE keeping its tasks in memory, and returns it and
// an ADMF client to it.
func startNE(t *testing.T, name string) (*x1.Memory, *x1.Client) {
	t.Helper()
	p := newPKI(t)
	mem := x1.NewMemory()
	stls, err := x1.ServerTLS(p.issue(t, name, 2), p.pool)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(&x1.Server{NE: mem, Identifier: name, ADMF: "cell-admf"})
	srv.TLS = stls
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ctls, err := x1.ClientTLS(p.issue(t, "cell-admf", 3), p.pool)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x1.NewClient(srv.URL, ctls, "cell-admf", name, timesynctest.NewClock(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return mem, c
}

// language is the language of the findings' texts the tests read.
func english() language.Tag { return language.English }
