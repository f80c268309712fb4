// Package itest holds what the intercept packages' tests share: a complete
// profile and packet builders. It is not for production use.
package itest

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// Profile returns a complete Belgian profile with made-up identifiers; the
// keep-alive timings are the given ones.
func Profile(interval, timeout time.Duration) intercept.Profile {
	p, err := intercept.Belgium(intercept.Profile{
		OperatorID: "NEUTRINET", NetworkElementID: "vpn-1", HI1OperatorID: "NTNET",
		Timestamps: intercept.Microseconds, PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID:     intercept.MustParseLIID("ccjkit"),
		KeepAliveInterval: interval, KeepAliveTimeout: timeout,
	})
	if err != nil {
		panic(err) // a test fixture: the profile above is complete
	}
	return p
}

// Packet returns an IP datagram from src to dst (both IPv4 or both IPv6)
// carrying a UDP header and payload bytes counting up from fill, total
// bytes long (at least the headers' length).
func Packet(src, dst netip.Addr, total int, fill byte) []byte {
	hdr := 20
	if src.Is6() {
		hdr = 40
	}
	total = max(total, hdr+8)
	b := make([]byte, total)
	if src.Is4() {
		b[0] = 0x45
		binary.BigEndian.PutUint16(b[2:], uint16(total))
		b[8] = 64
		b[9] = 17
		s, d := src.As4(), dst.As4()
		copy(b[12:], s[:])
		copy(b[16:], d[:])
		var sum uint32
		for i := 0; i < 20; i += 2 {
			sum += uint32(binary.BigEndian.Uint16(b[i:]))
		}
		for sum > 0xffff {
			sum = sum>>16 + sum&0xffff
		}
		binary.BigEndian.PutUint16(b[10:], ^uint16(sum))
	} else {
		b[0] = 0x60
		binary.BigEndian.PutUint16(b[4:], uint16(total-40))
		b[6] = 17
		b[7] = 64
		s, d := src.As16(), dst.As16()
		copy(b[8:], s[:])
		copy(b[24:], d[:])
	}
	binary.BigEndian.PutUint16(b[hdr:], 40000)
	binary.BigEndian.PutUint16(b[hdr+2:], 53)
	binary.BigEndian.PutUint16(b[hdr+4:], uint16(total-hdr))
	for i := hdr + 8; i < total; i++ {
		b[i] = fill + byte(i)
	}
	return b
}

// SyncBuffer is a bytes.Buffer that several goroutines may write.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// WaitFor waits for an event a test needs — cond becoming true — polling
// every 50 ms, and fails the test if it has not come within a minute: a
// deadline generous enough for a loaded CI machine, never a fixed sleep.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
