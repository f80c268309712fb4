package etsi

import (
	"bytes"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// FuzzPeekPaths: Peek's fast path accepts exactly what its slow path
// accepts, with the same summary, so the fast path never changes Peek's
// answer and the slow one runs only to explain a refusal.
func FuzzPeekPaths(f *testing.F) {
	prof, err := intercept.Belgium(intercept.Profile{
		OperatorID: "NEUTRINET", NetworkElementID: "vpn-1", HI1OperatorID: "NTNET",
		Timestamps: intercept.Microseconds, PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID:     intercept.MustParseLIID("ccjkit"),
		KeepAliveInterval: 300 * time.Second, KeepAliveTimeout: 30 * time.Second,
	})
	if err != nil {
		f.Fatal(err)
	}
	enc, err := NewEncoder(prof)
	if err != nil {
		f.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	key := intercept.StreamKey{LIID: intercept.MustParseLIID("BE-2026-0042"), CIN: 1 << 31, Stream: intercept.CC}
	cc, _ := enc.NewStream(key)
	b, err := cc.AppendCC(nil, &intercept.CCRecord{Seq: 1<<32 - 1, Time: at, Packet: bytes.Repeat([]byte{0x45}, 300)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	key.Stream = intercept.IRI
	iri, _ := enc.NewStream(key)
	b, _ = iri.AppendIRI(nil, &intercept.IRIRecord{Seq: 0, Type: intercept.IRIBegin, Event: intercept.AccessEvent{Type: intercept.SessionStart, Time: at, Username: "u"}})
	f.Add(b)
	b, _ = enc.AppendKeepAlive(nil, 7, at)
	f.Add(b)
	b, _ = enc.AppendKeepAliveResponse(nil, 7, at)
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := peekFast(b)
		slow, err := peekSlow(b)
		if ok != (err == nil) {
			t.Fatalf("fast path ok=%v, slow path err=%v", ok, err)
		}
		if ok && fast != slow {
			t.Fatalf("fast %+v, slow %+v", fast, slow)
		}
	})
}
