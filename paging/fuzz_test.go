package paging_test

import (
	"encoding/json"
	"testing"

	"github.com/ccjkit/ccjkit/paging"
)

// The decoders of what the register keeps and of desk.json's policy:
// whatever they accept encodes and decodes again to the same value.
func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte(`{"intake":{"case":"I-17","received":"2026-10-24T19:47:03Z","class":"unread"},"action":{"at":"2026-10-24T19:47:03Z","kind":"new","step":0,"who":"primary","members":["alice"]},"attempts":[],"event":{"kind":"paged","at":"2026-10-24T19:47:04Z"}}`))
	f.Add([]byte(`{"intake":{"case":"W-clock-20261206T011003Z","received":"2026-12-06T01:10:03Z","class":"unread"},"action":{"at":"2026-12-06T01:10:03Z","kind":"new","step":0,"who":"primary","members":["bob"]},"attempts":[],"event":{"kind":"paged","at":"2026-12-06T01:10:04Z"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := paging.DecodeRecord(b)
		if err != nil {
			return
		}
		back, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("an accepted record does not encode: %v", err)
		}
		if _, err := paging.DecodeRecord(back); err != nil {
			t.Fatalf("an accepted record does not decode again: %v", err)
		}
	})
}

func FuzzDecodeAck(f *testing.F) {
	f.Add([]byte(`{"case":"2026-0042","member":"alice","at":"2026-10-24T19:50:00Z"}`))
	f.Add([]byte(`{"case":"I-3","member":"bob","at":"2026-10-24T19:50:00Z","by_code":true,"issued":"2026-10-24T19:47:04Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := paging.DecodeAck(b)
		if err != nil {
			return
		}
		back, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("an accepted acknowledgement does not encode: %v", err)
		}
		if _, err := paging.DecodeAck(back); err != nil {
			t.Fatalf("an accepted acknowledgement does not decode again: %v", err)
		}
	})
}

func FuzzDecodePolicy(f *testing.F) {
	b, _ := json.Marshal(paging.DefaultPolicy())
	f.Add(b)
	f.Add([]byte(`{"ack_within":"10m","night_ack_within":"5m","night":{"start":"22:00","end":"07:00"},"reminders":[50,80,95]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := paging.DecodePolicy(b)
		if err != nil {
			return
		}
		back, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("an accepted policy does not encode: %v", err)
		}
		if _, err := paging.DecodePolicy(back); err != nil {
			t.Fatalf("an accepted policy does not decode again: %v", err)
		}
	})
}
