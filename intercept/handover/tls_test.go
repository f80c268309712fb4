package handover_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// pki is a certificate authority of the test's own, issuing to the
// receiver (for 127.0.0.1) and to ISPs.
type pki struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newPKI(t *testing.T, name string) *pki {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &pki{cert: cert, key: key, pool: pool}
}

func (p *pki) issue(t *testing.T, name string, usage x509.ExtKeyUsage, ips ...net.IP) tls.Certificate {
	t.Helper()
	return p.issueUntil(t, time.Now().Add(time.Hour), name, usage, ips...)
}

// issueUntil issues a certificate valid until notAfter (in the past: an
// expired one).
func (p *pki) issueUntil(t *testing.T, notAfter time.Time, name string, usage x509.ExtKeyUsage, ips ...net.IP) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: notAfter.Add(-2 * time.Hour), NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.cert, &key.PublicKey, p.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// Mutual TLS: the receiver admits only an ISP whose certificate its
// authority issued, and the ISP only a receiver its authority vouches for.
func TestMutualTLS(t *testing.T) {
	police, isps, stranger := newPKI(t, "test LEMF CA"), newPKI(t, "test ISP CA"), newPKI(t, "someone else")
	serverCert := police.issue(t, "lemf", x509.ExtKeyUsageServerAuth, net.IPv4(127, 0, 0, 1))
	enc, _ := etsi.NewEncoder(itest.Profile(30*time.Millisecond, time.Second))
	clock := timesynctest.NewClock(t0)
	rcv, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: clock, TLS: &tls.Config{
		Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert,
		ClientCAs: isps.pool, MinVersion: tls.VersionTLS13,
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer rcv.Close()
	addr := rcv.Addr().String()

	tests := []struct {
		name    string
		client  *tls.Config
		deliver bool
	}{
		{"ISP certificate, receiver verified", &tls.Config{
			Certificates: []tls.Certificate{isps.issue(t, "neutrinet", x509.ExtKeyUsageClientAuth)}, RootCAs: police.pool, MinVersion: tls.VersionTLS13}, true},
		{"no client certificate", &tls.Config{RootCAs: police.pool, MinVersion: tls.VersionTLS13}, false},
		{"client certificate from another authority", &tls.Config{
			Certificates: []tls.Certificate{stranger.issue(t, "intruder", x509.ExtKeyUsageClientAuth)}, RootCAs: police.pool, MinVersion: tls.VersionTLS13}, false},
		{"client certificate expired", &tls.Config{
			Certificates: []tls.Certificate{isps.issueUntil(t, time.Now().Add(-time.Minute), "neutrinet", x509.ExtKeyUsageClientAuth)}, RootCAs: police.pool, MinVersion: tls.VersionTLS13}, false},
		{"receiver not trusted", &tls.Config{
			Certificates: []tls.Certificate{isps.issue(t, "neutrinet", x509.ExtKeyUsageClientAuth)}, RootCAs: stranger.pool, MinVersion: tls.VersionTLS13}, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := ccKey
			key.CIN = ccKey.CIN + 1 + intercept.CIN(i)
			ho, err := handover.New(handover.Config{HI2: addr, HI3: addr, Encoder: enc, Clock: clock, TLS: tt.client,
				MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, DrainTimeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			se, _ := enc.NewStream(key)
			for seq := range 20 {
				pdu, err := se.AppendCC(nil, ccRecord(seq))
				if err != nil {
					t.Fatal(err)
				}
				if err := ho.Deliver(key, ccRecord(seq).Seq, pdu); err != nil {
					t.Fatal(err)
				}
			}
			if !tt.deliver {
				// Wait for a refusal (a handshake, slow under load), then close.
				const refused = "TLS refused (certificate not accepted)"
				for deadline := time.Now().Add(10 * time.Second); ho.Stats().HI3.Faults[refused] == 0 && time.Now().Before(deadline); {
					time.Sleep(5 * time.Millisecond)
				}
				if err := ho.Close(); err == nil {
					t.Error("Close = nil: records were confirmed over a connection that should not exist")
				}
				st := ho.Stats().HI3
				if st.KeepAliveResponses != 0 || st.Faults[refused] == 0 {
					t.Errorf("stats = %s, want TLS refusals and no keep-alive answered", st)
				}
				if s, ok := rcv.Report().Stream(key); ok {
					t.Errorf("the receiver got records: %+v", s)
				}
				return
			}
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			if _, err := rcv.WaitFor(ctx, func(r lemf.Report) bool { s, ok := r.Stream(key); return ok && s.Unique == 20 }); err != nil {
				t.Fatalf("records did not arrive over TLS: %v\n%s", err, ho.Stats())
			}
			if err := ho.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

func ccRecord(seq int) *intercept.CCRecord {
	return &intercept.CCRecord{Seq: intercept.Seq(seq), Time: t0, Packet: itest.Packet(netip4(1), netip4(2), 120, byte(seq))}
}
