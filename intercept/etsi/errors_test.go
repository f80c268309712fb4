package etsi_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/provenance"
)

// TestErrorsAreInspectable: every exported function of the package that
// returns an error returns one errors.Is finds a sentinel in, and
// errors.As an *etsi.Error (encoding, decoding, framing) or a
// *provenance.Problems (a profile NewEncoder refuses).
func TestErrorsAreInspectable(t *testing.T) {
	enc, err := etsi.NewEncoder(profile(intercept.Microseconds))
	if err != nil {
		t.Fatal(err)
	}
	liid := intercept.MustParseLIID("L")
	cc, _ := enc.NewStream(intercept.StreamKey{LIID: liid, CIN: 1, Stream: intercept.CC})
	iri, _ := enc.NewStream(intercept.StreamKey{LIID: liid, CIN: 1, Stream: intercept.IRI})
	late := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	good, err := cc.AppendCC(nil, &intercept.CCRecord{Time: time.Unix(1700000000, 0), Packet: []byte{0x45}})
	if err != nil {
		t.Fatal(err)
	}
	type as int
	const (
		etsiError as = iota
		problems
		neither
	)
	for _, tc := range []struct {
		name string
		call func() error
		is   error
		as   as
	}{
		{"NewEncoder: an incomplete profile", func() error { _, err := etsi.NewEncoder(intercept.Profile{}); return err }, intercept.ErrProfile, problems},
		{"Encoder.NewStream: no LIID", func() error { _, err := enc.NewStream(intercept.StreamKey{Stream: intercept.CC}); return err }, intercept.ErrLIID, neither},
		{"Encoder.Stream: unknown stream", func() error { _, err := enc.Stream(intercept.StreamKey{LIID: liid, Stream: 9}); return err }, intercept.ErrStream, neither},
		{"Marshal: a zero PDU", func() error { _, err := etsi.Marshal(&etsi.PDU{}); return err }, etsi.ErrValue, etsiError},
		{"Append: a zero PDU", func() error { _, err := etsi.Append(nil, &etsi.PDU{}); return err }, etsi.ErrValue, etsiError},
		{"Encoder.AppendHI1: unknown kind", func() error { _, err := enc.AppendHI1(nil, 0, liid, 0, time.Unix(0, 0)); return err }, etsi.ErrValue, etsiError},
		{"Encoder.AppendKeepAlive: after 9999", func() error { _, err := enc.AppendKeepAlive(nil, 0, late); return err }, etsi.ErrValue, etsiError},
		{"Encoder.AppendKeepAliveResponse: before 1970", func() error { _, err := enc.AppendKeepAliveResponse(nil, 0, time.Time{}); return err }, etsi.ErrValue, etsiError},
		{"StreamEncoder.AppendCINReset: after 9999", func() error { _, err := cc.AppendCINReset(nil, late); return err }, etsi.ErrValue, etsiError},
		{"StreamEncoder.AppendCC: on an IRI stream", func() error {
			_, err := iri.AppendCC(nil, &intercept.CCRecord{Time: time.Unix(0, 0)})
			return err
		}, etsi.ErrStream, etsiError},
		{"StreamEncoder.AppendIRI: on a CC stream", func() error {
			_, err := cc.AppendIRI(nil, &intercept.IRIRecord{Type: intercept.IRIBegin})
			return err
		}, etsi.ErrStream, etsiError},
		{"Decode: not a SEQUENCE", func() error { _, err := etsi.Decode([]byte{0x31, 0}); return err }, etsi.ErrTag, etsiError},
		{"PDU.Decode: cut short", func() error { var p etsi.PDU; return p.Decode(good[:len(good)-1]) }, etsi.ErrTruncated, etsiError},
		{"Peek: one octet", func() error { _, err := etsi.Peek([]byte{0x30}); return err }, etsi.ErrTruncated, etsiError},
		{"Framer.Next: cut short", func() error {
			_, err := etsi.NewFramer(bytes.NewReader(good[:len(good)-1]), 0).Next()
			return err
		}, etsi.ErrTruncated, etsiError},
		{"Framer.Next: over the limit", func() error { _, err := etsi.NewFramer(bytes.NewReader(good), 16).Next(); return err }, etsi.ErrTooLarge, etsiError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			var e *etsi.Error
			if got := errors.As(err, &e); got != (tc.as == etsiError) {
				t.Errorf("errors.As *etsi.Error = %v", got)
			}
			var ps *provenance.Problems
			if got := errors.As(err, &ps); got != (tc.as == problems) {
				t.Errorf("errors.As *provenance.Problems = %v", got)
			}
		})
	}
}
