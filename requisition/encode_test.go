package requisition_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
)

const goodJSON = `{
  "reference": "BR.12.34.567890/26",
  "measure": "traffic-location",
  "authority": "juge-instruction",
  "ordered": "2026-03-02T10:00:00+01:00",
  "received": "2026-03-02T10:30:00+01:00",
  "reasoned": true,
  "valid_until": "2026-05-03T00:00:00+02:00",
  "items": ["traffic-records", "location-records"],
  "targets": [
    {"kind": "ip", "addr": "2001:db8::1", "port": 443, "from": "2026-02-20T00:00:00+01:00", "until": "2026-03-01T00:00:00+01:00"},
    {"kind": "phone", "value": "+32470123456"}
  ],
  "response": {"kind": "real-time"}
}`

func TestDecode(t *testing.T) {
	r, err := requisition.Decode([]byte(goodJSON))
	if err != nil {
		t.Fatal(err)
	}
	if r.Measure != requisition.TrafficLocation || len(r.Targets) != 2 || r.Targets[0].Port != 443 || r.Response.Kind != requisition.RealTime {
		t.Errorf("decoded %+v", r)
	}
	if err := r.Validate(checkedAt, requisition.FromNextDay); err != nil {
		t.Errorf("the decoded example does not validate: %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		paths []string // each must be reported
	}{
		{"unknown field, with its path", strings.Replace(goodJSON, `"port": 443`, `"port": 443, "portt": 1`, 1), []string{"targets[0].portt: unknown field"}},
		{"case-insensitive match refused", strings.Replace(goodJSON, `"measure"`, `"Measure"`, 1), []string{"Measure: unknown field"}},
		{"all problems, not the first", strings.NewReplacer(`"traffic-location"`, `"tapping"`, `"juge-instruction"`, `7`, `"port": 443`, `"port": 70000`,
			`"2001:db8::1"`, `"2001:db8::zz"`, `"2026-03-02T10:30:00+01:00"`, `"2026-03-02T10:30:00.5+01:00"`).Replace(goodJSON),
			[]string{"measure: invalid value: want one of identification", "authority: want a string", "targets[0].port: want an integer in range", "targets[0].addr: invalid value: want an IPv4 or IPv6 address", "received: invalid value: want an RFC 3339"}},
		{"no value is quoted back", strings.NewReplacer(`"2001:db8::1"`, `"+32470999888"`, `"portt"`, `"x"`).Replace(strings.Replace(goodJSON, `"BR.12.34.567890/26"`, `["secret-ref"]`, 1)),
			[]string{"reference: want a string", "targets[0].addr: invalid value"}},
		{"duplicate key", strings.Replace(goodJSON, `"reasoned": true`, `"reasoned": true, "reasoned": false`, 1), []string{"reasoned: duplicate key"}},
		{"null refused", strings.Replace(goodJSON, `"reasoned": true`, `"reasoned": null`, 1), []string{"reasoned: null is not allowed"}},
		{"null in an array refused", strings.Replace(goodJSON, `["traffic-records", "location-records"]`, `[null]`, 1), []string{"items[0]: null is not allowed"}},
		{"invalid UTF-8", strings.Replace(goodJSON, "BR.12", "BR\xff.12", 1), []string{"not valid UTF-8"}},
		{"a secret-looking key is not quoted", strings.Replace(goodJSON, `"reasoned": true`, `"reasoned": true, "+32470999888": 1`, 1), []string{"(a key that is not a field name): unknown field"}},
		{"wrong shape", `{"items": "traffic-records"}`, []string{"items: want an array"}},
		{"trailing data", goodJSON + ` {}`, []string{"data after the JSON value"}},
		{"not JSON", `{"reference": `, []string{"not JSON"}},
		{"too big", `{"reference": "` + strings.Repeat("x", requisition.MaxEncoded) + `"}`, []string{"more than"}},
		{"too many targets", `{"targets": [` + strings.Repeat(`{"kind": "phone", "value": "+32470123456"},`, requisition.MaxTargets) + `{"kind": "phone", "value": "+32470123456"}]}`,
			[]string{"targets: 1001 entries, more than 1000"}},
		{"unknown certainty-like enum in response", strings.Replace(goodJSON, `"real-time"`, `"whenever"`, 1), []string{"response.kind:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := requisition.Decode([]byte(tt.json))
			for _, secret := range []string{"+32470999888", "secret-ref"} {
				if strings.Contains(fmt.Sprint(err), secret) {
					t.Errorf("the error quotes %q: %v", secret, err)
				}
			}
			if !errors.Is(err, requisition.ErrDecode) {
				t.Fatalf("err = %v, want ErrDecode", err)
			}
			var ps *provenance.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("%v is not a *provenance.Problems", err)
			}
			got := strings.Join(problemLines(ps), "\n")
			for _, p := range tt.paths {
				if !strings.Contains(got, p) {
					t.Errorf("error does not mention %q:\n%v", p, got)
				}
			}
		})
	}
}

// problemLines returns the findings of a decoding error as "path:
// message" lines ("message" alone for the document as a whole).
func problemLines(ps *provenance.Problems) []string {
	var out []string
	for _, f := range ps.Findings {
		out = append(out, strings.TrimPrefix(f.Field+": "+f.Text(language.English), ": "))
	}
	return out
}

// Every problem of Decode is a finding of rule "decode" with its path, the
// format's technical source and ErrDecode.
func TestDecodeFindings(t *testing.T) {
	_, err := requisition.Decode([]byte(`{"measure": "wiretap", "targets": [{"kind": "ip", "adr": "192.0.2.1"}]}`))
	var ps *provenance.Problems
	if !errors.As(err, &ps) || ps.What != "requisition: decode" || len(ps.Findings) != 2 {
		t.Fatalf("err = %v", err)
	}
	for i, field := range []string{"measure", "targets[0].adr"} {
		f := ps.Findings[i]
		if f.Rule != "decode" || f.Severity != provenance.Error || f.Field != field || f.Err != requisition.ErrDecode ||
			f.Source.Certainty != provenance.Technical || f.Source.Instrument != "ccjkit" || f.Text(language.English) == "" {
			t.Errorf("finding %d = %+v", i, f)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(goodJSON))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"targets":[{"kind":"prefix","prefix":"192.0.2.0/24"}],"offences":["penal-470"]}`))
	f.Add([]byte(`{"response":{"kind":"at-stated-moment","stated":"2026-10-25T02:30:00+01:00"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := requisition.Decode(data)
		if err != nil {
			if !errors.Is(err, requisition.ErrDecode) {
				t.Fatalf("error %v does not wrap ErrDecode", err)
			}
			return
		}
		// Whatever decodes encodes, decodes back the same, and can be
		// validated without panicking.
		b, err := requisition.Encode(r)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		back, err := requisition.Decode(b)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", b, err)
		}
		if b2, _ := requisition.Encode(back); string(b2) != string(b) {
			t.Fatalf("round trip changed:\n%s\n%s", b, b2)
		}
		_ = r.Findings(checkedAt, requisition.FromNextDay)
	})
}

// Every response kind's text form round-trips, is the one its hint
// lists, and has a translated label (a regression: the key once came from
// String and did not match the hint).
func TestResponseKindText(t *testing.T) {
	for _, k := range []requisition.ResponseKind{requisition.RealTime, requisition.Immediately, requisition.AtStatedMoment} {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back requisition.ResponseKind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("%v: %q reads back as %v, %v", k, b, back, err)
		}
		if !strings.Contains(k.Hint(), string(b)) {
			t.Errorf("%v: hint %q does not list %q", k, k.Hint(), b)
		}
		for _, tag := range requisition.Languages() {
			if l := k.Label(tag); strings.Contains(l, ":") || l == "" {
				t.Errorf("%v in %v: label %q", k, tag, l)
			}
		}
	}
}

// Empty lists are written as no list, so Decode reads them as nil: a
// decoded requisition then equals itself encoded and decoded again (a
// register's replay found the difference).
func TestDecodeEmptyListsAsNil(t *testing.T) {
	r, err := requisition.Decode([]byte(`{"authority":"","received":"2026-01-01T10:00:00+01:00","reasoned":true,"items":[],"targets":[],"offences":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Items != nil || r.Targets != nil || r.Offences != nil {
		t.Errorf("empty lists decoded as %#v, %#v, %#v; want nil", r.Items, r.Targets, r.Offences)
	}
}
