package x1_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept/x1"
)

// seeds adds the hand-written examples and every message ccjkit writes.
func seeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "examples", "*.xml"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, m := range everyRequest() {
		b, err := x1.EncodeRequest(&x1.Request{Messages: []x1.RequestMessage{m}})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, m := range everyResponse() {
		b, err := x1.EncodeResponse(&x1.Response{Messages: []x1.ResponseMessage{m}})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeRequest: the decoder never panics, and what it accepts the
// encoder writes back to the same value.
func FuzzDecodeRequest(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := x1.DecodeRequest(b)
		if err != nil {
			return
		}
		out, err := x1.EncodeRequest(req)
		if err != nil {
			t.Fatalf("decoded but cannot encode: %v", err)
		}
		back, err := x1.DecodeRequest(out)
		if err != nil {
			t.Fatalf("re-encoded document refused: %v\n%s", err, out)
		}
		if diff := cmp.Diff(req, back, cmpOpts()); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzDecodeResponse does the same for responses.
func FuzzDecodeResponse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		resp, err := x1.DecodeResponse(b)
		if err != nil {
			return
		}
		out, err := x1.EncodeResponse(resp)
		if err != nil {
			t.Fatalf("decoded but cannot encode: %v", err)
		}
		back, err := x1.DecodeResponse(out)
		if err != nil {
			t.Fatalf("re-encoded document refused: %v\n%s", err, out)
		}
		if diff := cmp.Diff(resp, back, cmpOpts()); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// plainActivate mirrors an ActivateTask for encoding/xml's Unmarshal: the
// baseline, which checks nothing (unknown elements are skipped, order and
// namespaces of children are not checked, values are not parsed).
type plainActivate struct {
	XMLName  xml.Name `xml:"http://uri.etsi.org/03221/X1/2017/10 X1Request"`
	Messages []struct {
		Type    string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
		ADMF    string `xml:"admfIdentifier"`
		NE      string `xml:"neIdentifier"`
		Time    string `xml:"messageTimestamp"`
		Version string `xml:"version"`
		Txn     string `xml:"x1TransactionId"`
		Task    struct {
			XID     string `xml:"xId"`
			Targets []struct {
				IPv4 string `xml:"ipv4Address"`
				IPv6 string `xml:"ipv6Address"`
				CIDR struct {
					V4 string `xml:"IPv4CIDR"`
				} `xml:"ipv4Cidr"`
				V6CIDR string `xml:"ipv6Cidr"`
				NAI    string `xml:"nai"`
			} `xml:"targetIdentifiers>targetIdentifier"`
			Delivery string   `xml:"deliveryType"`
			DIDs     []string `xml:"listOfDIDs>dId"`
			LIID     string   `xml:"listOfMediationDetails>mediationDetails>LIID"`
		} `xml:"taskDetails"`
	} `xml:"x1RequestMessage"`
}

// BenchmarkDecodeActivateTask compares, in one run, the strict decoder
// (well-formedness, limits, the schema's order, cardinalities, namespaces
// and value patterns, values parsed into Go types) with encoding/xml's
// Unmarshal of the same bytes into a mirror struct that checks nothing.
// Read the ratio of their ns/op.
func BenchmarkDecodeActivateTask(b *testing.B) {
	task := testTask()
	doc, err := x1.EncodeRequest(&x1.Request{Messages: []x1.RequestMessage{{Header: testHeader(), Type: x1.ActivateTask, Task: &task}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("strict", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := x1.DecodeRequest(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-xml-unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			var v plainActivate
			if err := xml.Unmarshal(doc, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
