package mediation_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A TLS configuration that could let an NE in without a verified
// certificate is refused.
func TestNewRefusesUnsafeTLS(t *testing.T) {
	cert := tls.Certificate{Certificate: [][]byte{{1}}}
	pool := x509.NewCertPool()
	tests := []struct {
		name string
		tls  *tls.Config
	}{
		{"no TLS", nil},
		{"no certificate", &tls.Config{ClientCAs: pool}},
		{"no client authority", &tls.Config{Certificates: []tls.Certificate{cert}}},
		{"a per-client config", &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: pool,
			GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { return &tls.Config{}, nil }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mediation.New(mediation.Config{TLS: tt.tls, Tasks: mediation.NewTable(timesynctest.NewClock(time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC))), Clock: timesynctest.NewClock(time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC))})
			if !errors.Is(err, mediation.ErrConfig) {
				t.Fatalf("New: %v", err)
			}
		})
	}
}
