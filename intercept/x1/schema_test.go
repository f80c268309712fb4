package x1_test

import (
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/testenv"
)

// xmllint validates doc against the stored ETSI schemas with libxml2's
// validator, an implementation independent of ours.
func xmllint(t *testing.T, name string, doc []byte) {
	t.Helper()
	bin := testenv.LookPath(t, "xmllint", "libxml2-utils")
	f := filepath.Join(t.TempDir(), name+".xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join("testdata", "x1-all.xsd"), f).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint refuses %s: %v\n%s\n%s", name, err, out, doc)
	}
}

// cmpOpts compares decoded values: instants by Equal, LIIDs and netip by
// their comparable values.
func cmpOpts() cmp.Options {
	return cmp.Options{
		cmpopts.EquateComparable(intercept.LIID{}, intercept.Target{}, netip.AddrPort{}),
		cmpopts.EquateApproxTime(0),
		cmpopts.EquateEmpty(),
	}
}

// TestSchemaRequests encodes every request ccjkit writes, has xmllint
// validate it against TS 103 221-1's schema, and decodes it back.
func TestSchemaRequests(t *testing.T) {
	for _, m := range everyRequest() {
		t.Run(string(m.Type), func(t *testing.T) {
			req := &x1.Request{Messages: []x1.RequestMessage{m}}
			doc, err := x1.EncodeRequest(req)
			if err != nil {
				t.Fatal(err)
			}
			xmllint(t, string(m.Type), doc)
			back, err := x1.DecodeRequest(doc)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(req, back, cmpOpts()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	// All in one document.
	doc, err := x1.EncodeRequest(&x1.Request{Messages: everyRequest()})
	if err != nil {
		t.Fatal(err)
	}
	xmllint(t, "all", doc)
}

// TestSchemaResponses does the same for every response.
func TestSchemaResponses(t *testing.T) {
	for i, m := range everyResponse() {
		name := string(m.Type)
		if m.Error != nil {
			name += "-error"
		}
		t.Run(name, func(t *testing.T) {
			resp := &x1.Response{Messages: []x1.ResponseMessage{m}}
			doc, err := x1.EncodeResponse(resp)
			if err != nil {
				t.Fatal(err)
			}
			xmllint(t, name+strings.Repeat("x", i), doc)
			back, err := x1.DecodeResponse(doc)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(resp, back, cmpOpts()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	h := testHeader()
	h.TransactionID = x1.UUID{}
	doc, err := x1.EncodeResponse(&x1.Response{TopLevelError: &h})
	if err != nil {
		t.Fatal(err)
	}
	xmllint(t, "toplevel", doc)
	if _, err := x1.DecodeResponse(doc); err != nil {
		t.Fatal(err)
	}
}
