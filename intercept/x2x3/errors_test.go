package x2x3_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/provenance"
)

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel in, and
// errors.As an *x2x3.Error, a *provenance.Problems (a task NewEncoder
// refuses) or the IRI encoder's own error type.
func TestErrorsAreInspectable(t *testing.T) {
	tk := task()
	enc, err := x2x3.NewEncoder([]intercept.Task{tk}, iriEncoder(t))
	if err != nil {
		t.Fatal(err)
	}
	bare, err := x2x3.NewEncoder([]intercept.Task{tk}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cc, _ := enc.NewStream(intercept.StreamKey{LIID: tk.LIID, CIN: 1, Stream: intercept.CC})
	iri, _ := enc.NewStream(intercept.StreamKey{LIID: tk.LIID, CIN: 1, Stream: intercept.IRI})
	bareIRI, _ := bare.NewStream(intercept.StreamKey{LIID: tk.LIID, CIN: 1, Stream: intercept.IRI})
	at := time.Unix(1700000000, 0)
	good, err := cc.AppendCC(nil, &intercept.CCRecord{Time: at, Packet: []byte{0x45, 0, 0, 20}})
	if err != nil {
		t.Fatal(err)
	}
	type as int
	const (
		x2x3Error as = iota
		problems
		etsiError
		neither
	)
	for _, tc := range []struct {
		name string
		call func() error
		is   error
		as   as
	}{
		{"NewEncoder: an invalid task", func() error {
			_, err := x2x3.NewEncoder([]intercept.Task{{}}, nil)
			return err
		}, intercept.ErrTask, problems},
		{"NewEncoder: the same task twice", func() error {
			_, err := x2x3.NewEncoder([]intercept.Task{tk, tk}, nil)
			return err
		}, x2x3.ErrValue, x2x3Error},
		{"Encoder.NewStream: no LIID", func() error {
			_, err := enc.NewStream(intercept.StreamKey{Stream: intercept.CC})
			return err
		}, intercept.ErrLIID, neither},
		{"Encoder.Stream: an LIID of no task", func() error {
			_, err := enc.Stream(intercept.StreamKey{LIID: intercept.MustParseLIID("other"), Stream: intercept.CC})
			return err
		}, x2x3.ErrValue, x2x3Error},
		{"Marshal: unknown PDU type", func() error { _, err := x2x3.Marshal(&x2x3.PDU{}); return err }, x2x3.ErrValue, x2x3Error},
		{"Append: a keep-alive with a payload", func() error {
			_, err := x2x3.Append(nil, &x2x3.PDU{Type: x2x3.KeepAlive, Payload: []byte{1}})
			return err
		}, x2x3.ErrValue, x2x3Error},
		{"StreamEncoder.AppendCC: not IP", func() error {
			_, err := cc.AppendCC(nil, &intercept.CCRecord{Time: at, Packet: []byte{0x10}})
			return err
		}, x2x3.ErrUnsupported, x2x3Error},
		{"StreamEncoder.AppendIRI: no IRI encoder", func() error {
			_, err := bareIRI.AppendIRI(nil, &intercept.IRIRecord{Type: intercept.IRIBegin, Event: intercept.AccessEvent{Time: at}})
			return err
		}, x2x3.ErrUnsupported, x2x3Error},
		{"StreamEncoder.AppendIRI: the IRI encoder refuses", func() error {
			_, err := iri.AppendIRI(nil, &intercept.IRIRecord{Type: 0, Event: intercept.AccessEvent{Time: at}})
			return err
		}, etsi.ErrValue, etsiError},
		{"Decode: cut short", func() error { _, err := x2x3.Decode(good[:len(good)-1]); return err }, x2x3.ErrLength, x2x3Error},
		{"PDU.Decode: a header only", func() error { var p x2x3.PDU; return p.Decode(good[:8]) }, x2x3.ErrTruncated, x2x3Error},
		{"Framer.Next: cut short", func() error {
			_, err := x2x3.NewFramer(bytes.NewReader(good[:len(good)-1]), 0).Next()
			return err
		}, x2x3.ErrTruncated, x2x3Error},
		{"Framer.Next: over the limit", func() error { _, err := x2x3.NewFramer(bytes.NewReader(good), 16).Next(); return err }, x2x3.ErrTooLarge, x2x3Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var xe *x2x3.Error
			if got := errors.As(err, &xe); got != (tc.as == x2x3Error) {
				t.Errorf("errors.As *x2x3.Error = %v", got)
			}
			var ps *provenance.Problems
			if got := errors.As(err, &ps); got != (tc.as == problems) {
				t.Errorf("errors.As *provenance.Problems = %v", got)
			}
			var ee *etsi.Error
			if got := errors.As(err, &ee); got != (tc.as == etsiError) {
				t.Errorf("errors.As *etsi.Error = %v", got)
			}
		})
	}
}
