package handover_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/internal/tlstest"
)

func TestLoadTLS(t *testing.T) {
	dir := t.TempDir()
	ca := tlstest.NewCA(t, "receiver CA")
	caFile := ca.WriteCA(t, dir, "ca.pem")
	cert, key := tlstest.WritePair(t, ca.Client(t, "tap"), dir, "tap")
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("SECRET-CONTENT"), 0o600)
	tests := []struct {
		name          string
		ca, cert, key string
		ok            bool
		certificates  int
	}{
		{"the receiver authenticated", caFile, "", "", true, 0},
		{"mutual TLS", caFile, cert, key, true, 1},
		{"no CA file", filepath.Join(dir, "none.pem"), "", "", false, 0},
		{"a CA file without a certificate", notPEM, "", "", false, 0},
		{"a certificate without its key", caFile, cert, "", false, 0},
		{"a key without its certificate", caFile, "", key, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := handover.LoadTLS(tt.ca, tt.cert, tt.key)
			if !tt.ok {
				if !errors.Is(err, handover.ErrConfig) {
					t.Fatalf("LoadTLS: %v", err)
				}
				if err != nil && (strings.Contains(err.Error(), "SECRET-CONTENT")) {
					t.Fatalf("the error quotes the file: %v", err)
				}
				return
			}
			if err != nil || cfg.RootCAs == nil || len(cfg.Certificates) != tt.certificates || cfg.MinVersion < 0x0303 {
				t.Fatalf("LoadTLS: %+v, %v", cfg, err)
			}
		})
	}
}
