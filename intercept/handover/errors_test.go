package handover_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel of in.
func TestErrorsAreInspectable(t *testing.T) {
	enc, err := etsi.NewEncoder(itest.Profile(time.Second, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	// A receiver that is never there: a closed listener's address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nowhere := ln.Addr().String()
	ln.Close()
	cfg := func() handover.Config {
		return handover.Config{HI2: nowhere, HI3: nowhere, Encoder: enc, Clock: timesynctest.NewClock(t0),
			QueueBytes: 64 << 10, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, DrainTimeout: time.Millisecond}
	}
	open := func(t *testing.T, c handover.Config) *handover.Handover {
		t.Helper()
		h, err := handover.New(c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		return h
	}
	pdu := make([]byte, 1000)
	for _, tc := range []struct {
		name string
		call func(t *testing.T) error
		is   error
	}{
		{"New: an empty configuration", func(*testing.T) error { _, err := handover.New(handover.Config{}); return err }, handover.ErrConfig},
		{"New: a queue below 64 KiB", func(*testing.T) error {
			c := cfg()
			c.QueueBytes = 1 << 10
			_, err := handover.New(c)
			return err
		}, handover.ErrConfig},
		{"New: a spool that is a file", func(t *testing.T) error {
			c := cfg()
			c.SpoolDir = filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(c.SpoolDir, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := handover.New(c)
			return err
		}, handover.ErrSpool},
		{"Deliver: an unknown stream", func(t *testing.T) error {
			return open(t, cfg()).Deliver(intercept.StreamKey{LIID: ccKey.LIID, Stream: 9}, 0, pdu)
		}, handover.ErrStream},
		{"Deliver: the queue is full", func(t *testing.T) error {
			h := open(t, cfg())
			for range 100 {
				if err := h.Deliver(ccKey, 0, pdu); err != nil {
					return err
				}
			}
			return nil
		}, handover.ErrQueueFull},
		{"Deliver: after Close", func(t *testing.T) error {
			h := open(t, cfg())
			h.Close()
			return h.Deliver(ccKey, 0, pdu)
		}, handover.ErrClosed},
		{"Close: records never confirmed", func(t *testing.T) error {
			h := open(t, cfg())
			if err := h.Deliver(ccKey, 0, pdu); err != nil {
				t.Fatal(err)
			}
			return h.Close()
		}, handover.ErrUndelivered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(t); !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
		})
	}
}
