package capture_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"runtime"
	"testing"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/internal/itest"
)

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel of in.
func TestErrorsAreInspectable(t *testing.T) {
	var sample bytes.Buffer
	if err := itest.WriteSample(&sample); err != nil {
		t.Fatal(err)
	}
	many := make([]netip.Prefix, 800)
	for i := range many {
		many[i] = netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	live, socket := capture.ErrConfig, capture.ErrSocket
	if runtime.GOOS != "linux" {
		live, socket = errors.ErrUnsupported, errors.ErrUnsupported
	}
	for _, tc := range []struct {
		name string
		call func() error
		is   error
	}{
		{"Filter: an invalid prefix", func() error { _, err := capture.Filter([]netip.Prefix{{}}); return err }, capture.ErrPrefix},
		{"Filter: too many prefixes", func() error { _, err := capture.Filter(many); return err }, capture.ErrFilterTooLarge},
		{"NewFile: not a capture", func() error { _, err := capture.NewFile(bytes.NewReader([]byte("garbage"))); return err }, capture.ErrFormat},
		{"File.Capture: cut short", func() error {
			f, err := capture.NewFile(bytes.NewReader(sample.Bytes()[:sample.Len()/2]))
			if err != nil {
				return err
			}
			return f.Capture(t.Context(), func([]intercept.Packet) {})
		}, capture.ErrFormat},
		{"File.Capture: cancelled", func() error {
			f, err := capture.NewFile(bytes.NewReader(sample.Bytes()))
			if err != nil {
				return err
			}
			return f.Capture(cancelled, func([]intercept.Packet) {})
		}, context.Canceled},
		{"NewLive: no interface", func() error { _, err := capture.NewLive(capture.LiveConfig{}); return err }, live},
		{"NewLive: an interface that does not exist", func() error {
			_, err := capture.NewLive(capture.LiveConfig{Interface: "ccjkit-none0"})
			return err
		}, socket},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
		})
	}
}
