package handover_test

import (
	"context"
	"crypto/tls"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Mutual TLS: the receiver admits only an ISP whose certificate its
// authority issued, and the ISP only a receiver its authority vouches for.
func TestMutualTLS(t *testing.T) {
	police, isps, stranger := tlstest.NewCA(t, "test LEMF CA"), tlstest.NewCA(t, "test ISP CA"), tlstest.NewCA(t, "someone else")
	serverCert := police.Server(t, "lemf")
	enc, _ := etsi.NewEncoder(itest.Profile(30*time.Millisecond, time.Second))
	clock := timesynctest.NewClock(t0)
	rcv, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: clock, TLS: &tls.Config{
		Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert,
		ClientCAs: isps.Pool, MinVersion: tls.VersionTLS13,
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
			Certificates: []tls.Certificate{isps.Client(t, "neutrinet")}, RootCAs: police.Pool, MinVersion: tls.VersionTLS13}, true},
		{"no client certificate", &tls.Config{RootCAs: police.Pool, MinVersion: tls.VersionTLS13}, false},
		{"client certificate from another authority", &tls.Config{
			Certificates: []tls.Certificate{stranger.Client(t, "intruder")}, RootCAs: police.Pool, MinVersion: tls.VersionTLS13}, false},
		{"client certificate expired", &tls.Config{
			Certificates: []tls.Certificate{isps.Expired(t, "neutrinet")}, RootCAs: police.Pool, MinVersion: tls.VersionTLS13}, false},
		{"receiver not trusted", &tls.Config{
			Certificates: []tls.Certificate{isps.Client(t, "neutrinet")}, RootCAs: stranger.Pool, MinVersion: tls.VersionTLS13}, false},
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
