package intake_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/intake"
)

// problemTexts are the problems EmailReader reports, digits replaced by #:
// a problem outside them would be one that quotes the message.
var problemTexts = map[string]bool{
	"the message's header cannot be read as RFC #":                                                true,
	"the message has several Message-ID fields: a redelivery is recognised by its digest only":    true,
	"the message's Message-ID is malformed: a redelivery is recognised by its digest only":        true,
	"the message has no Message-ID: a redelivery is recognised by its digest only":                true,
	"the message's From field does not name one address":                                          true,
	"part #: its Content-Type cannot be read":                                                     true,
	"multiparts are nested more than # deep: what lies deeper is kept, not read":                  true,
	"a multipart has no boundary: its parts are kept, not read":                                   true,
	"the MIME structure is malformed after part #: the rest is kept, not read":                    true,
	"the message has more than # parts: the rest are kept, not read":                              true,
	"part #: its transfer encoding cannot be decoded":                                             true,
	"part #: a requisition must be UTF-#, and the part declares another charset":                  true,
	"part #: not a requisition this library reads (see the decoder's findings when transcribing)": true,
}

var digits = regexp.MustCompile(`[0-9]+`)

// FuzzEmailReader: any bytes are read without a panic, into parts within
// the bounds, and problems from the fixed list only.
func FuzzEmailReader(f *testing.F) {
	f.Add(message(genuine, [2]string{"r.json", "{}"}, [2]string{"s.pdf", "%PDF"}))
	f.Add([]byte("Message-ID: <a@b>\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: multipart/alternative; boundary=y\r\n\r\n--y\r\n\r\nhi\r\n--y--\r\n--x--\r\n"))
	f.Add([]byte("From: =?utf-8?q?=C3=A9?= <a@b>\r\nContent-Type: application/json; name*=utf-8''r%C3%A9.json\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{=3D}"))
	f.Add([]byte("Authentication-Results: mx.cell.example; dmarc=pass header.from=x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := (&intake.EmailReader{AuthServID: "mx.cell.example", Domains: []string{"just.fgov.be"}, MaxParts: 20, MaxDepth: 4}).Read(raw)
		if len(r.Parts) > 20 {
			t.Fatalf("%d parts read, more than the bound", len(r.Parts))
		}
		for _, p := range r.Problems {
			if !problemTexts[digits.ReplaceAllString(p, "#")] {
				t.Fatalf("a problem outside the fixed list: %q", p)
			}
		}
		if r.Key != "" && (!strings.HasPrefix(r.Key, "message-id:<") || !strings.Contains(r.Key, "> body-sha256:")) {
			t.Fatalf("key %q", r.Key)
		}
	})
}

// FuzzDecodeRecord: any bytes decode or are refused without a panic, and
// a record that decodes encodes back to one that decodes the same.
func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte(`{"version":1,"channel":"email","received":"2026-11-23T20:47:03Z","clock":{"synchronised":true,"to_the_second":true,"traceable":true,"error_bound_ns":0},"key":"k","status":"readable","size":1,"sha256":"00","raw":"YQ==","authenticity":{"listed":false}}`))
	f.Add([]byte(`{"version":2}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := intake.DecodeRecord(b)
		if err != nil {
			return
		}
		again, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := intake.DecodeRecord(again); err != nil {
			t.Fatalf("a decoded record does not decode again: %v", err)
		}
	})
}
