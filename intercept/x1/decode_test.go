package x1_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/provenance"
)

// TestExamples: documents written by hand, not by our encoder, are valid
// for xmllint and decode to what they say.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "examples", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			xmllint(t, strings.TrimSuffix(filepath.Base(f), ".xml"), doc)
			if strings.Contains(f, "response") {
				if _, err := x1.DecodeResponse(doc); err != nil {
					t.Fatal(err)
				}
				return
			}
			if _, err := x1.DecodeRequest(doc); err != nil {
				t.Fatal(err)
			}
		})
	}
	doc, _ := os.ReadFile(filepath.Join("testdata", "examples", "activate-prefixed.xml"))
	req, err := x1.DecodeRequest(doc)
	if err != nil {
		t.Fatal(err)
	}
	m := req.Messages[0]
	want := []intercept.Target{
		intercept.AddressTarget(netip.MustParsePrefix("2001:db8:1::/48")),
		intercept.AddressTarget(netip.MustParsePrefix("10.0.0.0/8")),
		intercept.UsernameTarget("bob@isp.example"),
	}
	if m.Type != x1.ActivateTask || m.ADMF != "admf.ccj" || m.Version != "v1.13.1" || len(m.Task.Targets) != 3 {
		t.Fatalf("decoded: %+v", m)
	}
	for i, w := range want {
		if m.Task.Targets[i] != w {
			t.Errorf("target %d differs", i)
		}
	}
	if got := m.Task.Mediation[0].LIID.Len(); got != 13 {
		t.Errorf("hexadecimal LIID: %d octets", got)
	}
	if m.Timestamp.UTC().Format("15:04:05.000000") != "09:30:00.000001" {
		t.Errorf("timestamp %v", m.Timestamp)
	}
}

// findings returns the texts of err's findings, failing unless err is a
// *provenance.Problems.
func findings(t *testing.T, err error) []string {
	t.Helper()
	var ps *provenance.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("not a *provenance.Problems: %v", err)
	}
	var out []string
	for _, f := range ps.Findings {
		out = append(out, f.Field+": "+f.Text(language.English))
	}
	return out
}

// TestHostile: what the decoder refuses, with which sentinel, listing
// every problem and quoting none of the input.
func TestHostile(t *testing.T) {
	ping := func(extra string) string { return requestDoc("PingRequest", "admf.ccj", "ne-1", extra) }
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "SECRETlol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><X1Request>&lol3;</X1Request>`
	for _, tc := range []struct {
		name, doc string
		want      error
		texts     []string // substrings expected among the findings
		limits    *x1.Limits
	}{
		{name: "entity expansion", doc: laughs, want: x1.ErrDoctype, texts: []string{"document type declaration"}},
		{name: "external entity", doc: `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><X1Request>&e;</X1Request>`, want: x1.ErrDoctype},
		{name: "undeclared entity", doc: ping("") + "&SECRET;", want: x1.ErrMalformed},
		{name: "too large", doc: ping(strings.Repeat(" ", 2<<20)), want: x1.ErrLimit, texts: []string{"more than the limit"}},
		{name: "too deep", doc: strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100), want: x1.ErrLimit, texts: []string{"deeper than 16"}},
		{name: "too many elements", doc: "<X1Request>" + strings.Repeat("<a/>", 100) + "</X1Request>", want: x1.ErrLimit,
			limits: &x1.Limits{MaxBytes: 1 << 20, MaxDepth: 16, MaxElements: 50, MaxText: 100, MaxMessages: 4}},
		{name: "processing instruction", doc: ping("") + "<?php SECRET ?>", want: x1.ErrMalformed},
		{name: "another encoding", doc: `<?xml version="1.0" encoding="ISO-8859-1"?>` + ping(""), want: x1.ErrMalformed},
		{name: "not XML", doc: "SECRET", want: x1.ErrMalformed},
		{name: "unknown element", doc: ping("<SECRETelement/>"), want: x1.ErrSchema, texts: []string{"an element PingRequest does not allow"}},
		{name: "unknown attribute", doc: strings.Replace(ping(""), "<neIdentifier>", `<neIdentifier SECRET="1">`, 1), want: x1.ErrSchema, texts: []string{"attribute"}},
		{name: "wrong namespace", doc: strings.Replace(ping(""), "<version>", `<version xmlns="urn:SECRET">`, 1), want: x1.ErrSchema, texts: []string{"wrong namespace", "requires version"}},
		{name: "missing field", doc: strings.Replace(ping(""), "<version>v1.22.1</version>", "", 1), want: x1.ErrSchema, texts: []string{"requires version"}},
		{name: "out of order", doc: strings.Replace(strings.Replace(ping(""), "<version>v1.22.1</version>", "", 1), "<admfIdentifier>", "<version>v1.22.1</version><admfIdentifier>", 1),
			want: x1.ErrSchema, texts: []string{"out of order"}},
		{name: "every problem listed", doc: requestDoc("DeactivateTaskRequest", "admf.ccj", "ne-1", "<xId>SECRET</xId><SECRET/>"),
			want: x1.ErrSchema, texts: []string{"xId: not a UUID", "does not allow"}},
		{name: "upper-case UUID", doc: requestDoc("DeactivateTaskRequest", "admf.ccj", "ne-1", "<xId>3F8E6C2A-1B7D-4E59-9A02-6C1D2E3F4A5B</xId>"), want: x1.ErrSchema},
		{name: "nil XID", doc: requestDoc("DeactivateTaskRequest", "admf.ccj", "ne-1", "<xId>00000000-0000-0000-0000-000000000000</xId>"), want: x1.ErrValue},
		{name: "timestamp in milliseconds", doc: strings.Replace(ping(""), ".000000Z", ".000Z", 1), want: x1.ErrSchema, texts: []string{"QualifiedMicrosecondDateTime"}},
		{name: "version 2", doc: strings.Replace(ping(""), "v1.22.1", "v2.0.0", 1), want: x1.ErrSchema},
		{name: "no xsi:type", doc: strings.Replace(ping(""), ` xsi:type="PingRequest"`, "", 1), want: x1.ErrSchema, texts: []string{"needs an xsi:type"}},
		{name: "type from another namespace", doc: strings.Replace(ping(""), `xsi:type="PingRequest"`, `xmlns:o="urn:SECRET" xsi:type="o:PingRequest"`, 1), want: x1.ErrSchema},
		{name: "unsupported message", doc: requestDoc("DeactivateAllTasksRequest", "admf.ccj", "ne-1", ""), want: x1.ErrUnsupported},
		{name: "unsupported field", doc: requestDoc("ActivateTaskRequest", "admf.ccj", "ne-1",
			`<taskDetails><xId>3f8e6c2a-1b7d-4e59-9a02-6c1d2e3f4a5b</xId><targetIdentifiers><targetIdentifier><nai>a</nai></targetIdentifier></targetIdentifiers>`+
				`<deliveryType>X2Only</deliveryType><listOfDIDs/><implicitDeactivationAllowed>true</implicitDeactivationAllowed></taskDetails>`), want: x1.ErrUnsupported},
		{name: "text in element content", doc: strings.Replace(ping(""), "<version>", "SECRET<version>", 1), want: x1.ErrSchema},
		{name: "two roots", doc: ping("") + "<X1Request/>", want: x1.ErrMalformed},
		{name: "a response where a request is due", doc: `<X1Response xmlns="http://uri.etsi.org/03221/X1/2017/10"/>`, want: x1.ErrSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := x1.DefaultLimits()
			if tc.limits != nil {
				lim = *tc.limits
			}
			_, err := lim.DecodeRequest([]byte(tc.doc))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			got := strings.Join(findings(t, err), "\n")
			for _, w := range tc.texts {
				if !strings.Contains(got, w) {
					t.Errorf("findings lack %q:\n%s", w, got)
				}
			}
			if strings.Contains(got, "SECRET") || strings.Contains(err.Error(), "SECRET") {
				t.Errorf("the error quotes the input:\n%s", got)
			}
		})
	}
}

// TestEncodeRefuses: values the encoder will not write.
func TestEncodeRefuses(t *testing.T) {
	h := testHeader()
	task := testTask()
	task.XID = x1.UUID{}
	task.Targets = append(task.Targets, intercept.UsernameTarget("bad\x01name"))
	dest := testDestination()
	dest.Address = netip.MustParseAddrPort("192.0.2.1:1")
	h2 := h
	h2.ADMF = " spaced "
	_, err := x1.EncodeRequest(&x1.Request{Messages: []x1.RequestMessage{
		{Header: h, Type: x1.ActivateTask, Task: &task},
		{Header: h, Type: x1.CreateDestination, Destination: &dest},
		{Header: h2, Type: x1.Ping, XID: testXID},
		{Header: h, Type: "DeactivateAllTasks"},
	}})
	if !errors.Is(err, x1.ErrValue) {
		t.Fatalf("got %v", err)
	}
	got := strings.Join(findings(t, err), "\n")
	for _, w := range []string{"taskDetails.xId: the nil UUID", "nai: a character XML cannot carry", "TCP port outside 2 to 65535",
		"admfIdentifier: an identifier is a token", "x1RequestMessage[2]: a field Ping does not carry", "x1RequestMessage[3].Type"} {
		if !strings.Contains(got, w) {
			t.Errorf("findings lack %q:\n%s", w, got)
		}
	}
}

// TestInterceptTask turns activated task details into an intercept.Task.
func TestInterceptTask(t *testing.T) {
	task, err := testTask().InterceptTask("NTSU-CTIF", intercept.AccessUndefined)
	if err != nil {
		t.Fatal(err)
	}
	if task.ID != [16]byte(testXID) || task.LIID != intercept.MustParseLIID("BE-NTSU-2026-0042") || !task.NotAfter.Equal(testEnd) || len(task.Targets) != 5 {
		t.Fatalf("task: %v", task)
	}
	noMediation := testTask()
	noMediation.Mediation = nil
	if _, err := noMediation.InterceptTask("NTSU-CTIF", intercept.AccessUndefined); !errors.Is(err, x1.ErrValue) {
		t.Fatalf("without mediation details: %v", err)
	}
	noEnd := testTask()
	noEnd.Mediation[0].End = noEnd.Mediation[0].Start.Add(-1)
	if _, err := noEnd.InterceptTask("NTSU-CTIF", intercept.AccessUndefined); !errors.Is(err, intercept.ErrTask) {
		t.Fatalf("window ending before it starts: %v", err)
	}
}
