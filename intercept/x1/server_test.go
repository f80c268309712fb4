package x1_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// testNE is an NE served over HTTPS with mutual TLS, and the CA its
// clients' certificates must chain to.
type testNE struct {
	url    string
	ca     *tlstest.CA // signs the NE's and the ADMF's certificates
	mem    *x1.Memory
	server *x1.Server
}

func startNE(t testing.TB) *testNE {
	t.Helper()
	ca := tlstest.NewCA(t, "ccj test CA")
	mem := x1.NewMemory()
	srv := &x1.Server{NE: mem, Identifier: "ne-1", ADMF: "admf.ccj", BindADMFToCertificate: true,
		Clock: timesynctest.NewClock(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))}
	cfg, err := x1.ServerTLS(ca.Server(t, "ne-1"), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv)
	hs.TLS = cfg
	// The refused handshakes are the tests' point, not noise to print.
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	hs.StartTLS()
	t.Cleanup(hs.Close)
	return &testNE{url: hs.URL + "/X1/NE", ca: ca, mem: mem, server: srv}
}

func (ne *testNE) client(t testing.TB, cert tls.Certificate) *x1.Client {
	t.Helper()
	cfg, err := x1.ClientTLS(cert, ne.ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x1.NewClient(ne.url, cfg, "admf.ccj", "ne-1", timesynctest.NewClock(testWhen))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestLifecycle runs a task from creation of its destination to its end
// over HTTPS with mutual TLS, and the errors a wrong step gets.
func TestLifecycle(t *testing.T) {
	ne := startNE(t)
	c := ne.client(t, ne.ca.Client(t, "admf.ccj"))
	ctx := context.Background()

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Ping(ctx))
	must(c.Keepalive(ctx))
	task := testTask()
	if err := c.ActivateTask(ctx, task); !errors.Is(err, x1.DIDDoesNotExist) {
		t.Fatalf("activate before its destination: %v", err)
	}
	must(c.CreateDestination(ctx, testDestination()))
	if err := c.CreateDestination(ctx, testDestination()); !errors.Is(err, x1.DIDAlreadyExists) {
		t.Fatalf("second destination: %v", err)
	}
	must(c.ActivateTask(ctx, task))
	if err := c.ActivateTask(ctx, task); !errors.Is(err, x1.XIDAlreadyExists) {
		t.Fatalf("second activation: %v", err)
	}
	got, err := c.GetTaskDetails(ctx, testXID)
	must(err)
	if got.Status.Provisioning != x1.ProvisioningComplete || len(got.Task.Targets) != len(task.Targets) || got.Task.Targets[4] != task.Targets[4] {
		t.Fatalf("task details: %+v", got)
	}
	xids, dids, err := c.ListAllDetails(ctx)
	must(err)
	if len(xids) != 1 || xids[0] != testXID || len(dids) != 1 || dids[0] != testDID {
		t.Fatalf("list: %v %v", xids, dids)
	}
	d, err := c.GetDestinationDetails(ctx, testDID)
	must(err)
	if d.Destination.Address != testDestination().Address || d.Status.Delivery != x1.ActiveAndWorking {
		t.Fatalf("destination: %+v", d)
	}
	task.Targets = task.Targets[:1]
	must(c.ModifyTask(ctx, task))
	if tasks := ne.mem.Tasks(); len(tasks) != 1 || len(tasks[0].Targets) != 1 {
		t.Fatalf("after modify: %+v", tasks)
	}
	if err := c.RemoveDestination(ctx, testDID); !errors.Is(err, x1.DestinationInUse) {
		t.Fatalf("remove in use: %v", err)
	}
	must(c.DeactivateTask(ctx, testXID))
	if err := c.DeactivateTask(ctx, testXID); !errors.Is(err, x1.XIDDoesNotExist) {
		t.Fatalf("second deactivation: %v", err)
	}
	if err := c.ModifyTask(ctx, task); !errors.Is(err, x1.XIDDoesNotExist) {
		t.Fatalf("modify after the end: %v", err)
	}
	must(c.RemoveDestination(ctx, testDID))
	if _, err := c.GetDestinationDetails(ctx, testDID); !errors.Is(err, x1.DIDDoesNotExist) {
		t.Fatalf("removed destination: %v", err)
	}
	xids, dids, err = c.ListAllDetails(ctx)
	must(err)
	if len(xids) != 0 || len(dids) != 0 {
		t.Fatalf("left: %v %v", xids, dids)
	}
	// A task whose destinations do not take what it delivers.
	x3 := testDestination()
	x3.Delivery = intercept.CCOnly
	must(c.CreateDestination(ctx, x3))
	if err := c.ActivateTask(ctx, testTask()); !errors.Is(err, x1.InvalidCombinationOfDeliveryTypeAndDestinations) {
		t.Fatalf("X2andX3 to an X3 destination: %v", err)
	}
	// A prefix not in canonical form is the NE's generic failure.
	bad := testTask()
	bad.Targets = []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("198.51.100.7/24"))}
	bad.Delivery = intercept.CCOnly
	if err := c.ActivateTask(ctx, bad); !errors.Is(err, x1.GenericActivateTaskFailure) {
		t.Fatalf("non-canonical prefix: %v", err)
	}
}

// TestRefusedClients: no client certificate, a certificate of another CA,
// plain HTTP, an ADMF whose certificate names another identity.
func TestRefusedClients(t *testing.T) {
	ne := startNE(t)
	ctx := context.Background()
	t.Run("no client certificate", func(t *testing.T) {
		hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ne.ca.Pool, MinVersion: tls.VersionTLS12}}}
		_, err := hc.Post(ne.url, "application/xml", strings.NewReader("<X1Request/>"))
		if err == nil {
			t.Fatal("accepted without a client certificate")
		}
		if _, err := x1.NewClient(ne.url, &tls.Config{RootCAs: ne.ca.Pool, MinVersion: tls.VersionTLS12}, "admf.ccj", "ne-1", timesynctest.NewClock(testWhen)); !errors.Is(err, x1.ErrTransport) {
			t.Fatalf("NewClient without a certificate: %v", err)
		}
	})
	t.Run("certificate of another CA", func(t *testing.T) {
		other := tlstest.NewCA(t, "another CA")
		c := ne.client(t, other.Client(t, "admf.ccj"))
		err := c.Ping(ctx)
		if err == nil {
			t.Fatal("accepted a certificate of another CA")
		}
		if !strings.Contains(err.Error(), "tls") && !strings.Contains(err.Error(), "certificate") {
			t.Errorf("unclear error: %v", err)
		}
	})
	t.Run("certificate expired", func(t *testing.T) {
		c := ne.client(t, ne.ca.Expired(t, "admf.ccj"))
		err := c.Ping(ctx)
		if err == nil {
			t.Fatal("accepted an expired certificate")
		}
		if !errors.Is(err, x1.ErrTransport) || !strings.Contains(err.Error(), "expired") {
			t.Errorf("unclear error: %v", err)
		}
	})
	t.Run("plain HTTP", func(t *testing.T) {
		if _, err := x1.NewClient(strings.Replace(ne.url, "https:", "http:", 1), &tls.Config{}, "a", "b", timesynctest.NewClock(testWhen)); !errors.Is(err, x1.ErrTransport) {
			t.Fatalf("NewClient over http: %v", err)
		}
		plain := httptest.NewServer(ne.server)
		defer plain.Close()
		res, err := http.Post(plain.URL, "application/xml", strings.NewReader("<X1Request/>"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("plain HTTP: status %d", res.StatusCode)
		}
		if _, err := x1.NewHTTPServer(":0", ne.server, &tls.Config{MinVersion: tls.VersionTLS12}); !errors.Is(err, x1.ErrTransport) {
			t.Fatalf("NewHTTPServer without client authentication: %v", err)
		}
	})
	t.Run("certificate naming another ADMF", func(t *testing.T) {
		c := ne.client(t, ne.ca.Client(t, "someone-else"))
		if err := c.Ping(ctx); !errors.Is(err, x1.ADMFIdentifierDoesNotMatchCertificate) {
			t.Fatalf("got %v", err)
		}
	})
}

// post sends body to the NE with the ADMF's certificate and returns the
// status and the answer.
func post(t *testing.T, ne *testNE, body string) (int, []byte) {
	t.Helper()
	cfg, err := x1.ClientTLS(ne.ca.Client(t, "admf.ccj"), ne.ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
	defer hc.CloseIdleConnections()
	res, err := hc.Post(ne.url, "application/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// requestDoc returns a request whose one message has the given type and
// body after the header.
func requestDoc(typ, admf, ne, body string) string {
	return `<X1Request xmlns="http://uri.etsi.org/03221/X1/2017/10" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<x1RequestMessage xsi:type="` + typ + `"><admfIdentifier>` + admf + `</admfIdentifier><neIdentifier>` + ne + `</neIdentifier>` +
		`<messageTimestamp>2026-12-06T09:30:00.000000Z</messageTimestamp><version>v1.22.1</version>` +
		`<x1TransactionId>0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5</x1TransactionId>` + body + `</x1RequestMessage></X1Request>`
}

// TestErrorCodes: what the NE answers to requests it refuses.
func TestErrorCodes(t *testing.T) {
	ne := startNE(t)
	task := func(target string) string {
		return `<taskDetails><xId>3f8e6c2a-1b7d-4e59-9a02-6c1d2e3f4a5b</xId><targetIdentifiers><targetIdentifier>` + target +
			`</targetIdentifier></targetIdentifiers><deliveryType>X2andX3</deliveryType><listOfDIDs/></taskDetails>`
	}
	for _, tc := range []struct {
		name, doc string
		code      x1.ErrorCode
	}{
		{"unsupported request", requestDoc("GetNEStatusRequest", "admf.ccj", "ne-1", ""), x1.UnsupportedRequest},
		{"unsupported target", requestDoc("ActivateTaskRequest", "admf.ccj", "ne-1", task(`<imsi>206011234567890</imsi>`)), x1.UnsupportedTargetIdentifierType},
		{"schema error", requestDoc("ActivateTaskRequest", "admf.ccj", "ne-1", task(`<ipv4Address>not an address</ipv4Address>`)), x1.SyntaxSchemaError},
		{"unknown element", requestDoc("PingRequest", "admf.ccj", "ne-1", `<extra/>`), x1.SyntaxSchemaError},
		{"unexpected ADMF", requestDoc("PingRequest", "another-admf", "ne-1", ""), x1.UnexpectedADMFIdentifier},
		{"unexpected NE", requestDoc("PingRequest", "admf.ccj", "ne-2", ""), x1.UnexpectedNEIdentifier},
		{"XID does not exist", requestDoc("DeactivateTaskRequest", "admf.ccj", "ne-1", `<xId>3f8e6c2a-1b7d-4e59-9a02-6c1d2e3f4a5b</xId>`), x1.XIDDoesNotExist},
		{"UDP delivery", requestDoc("CreateDestinationRequest", "admf.ccj", "ne-1",
			`<destinationDetails><dId>8d2c4b6a-0e1f-4a3b-8c5d-7e9f0a1b2c3d</dId><deliveryType>X2Only</deliveryType><deliveryAddress><ipAddressAndPort>`+
				`<address xmlns="http://uri.etsi.org/03280/common/2017/07"><IPv4Address>192.0.2.1</IPv4Address></address>`+
				`<port xmlns="http://uri.etsi.org/03280/common/2017/07"><UDPPort>4000</UDPPort></port></ipAddressAndPort></deliveryAddress></destinationDetails>`),
			x1.UnsupportedDeliveryAddressType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(t, ne, tc.doc)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			xmllint(t, strings.ReplaceAll(tc.name, " ", "-"), body)
			resp, err := x1.DecodeResponse(body)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Messages) != 1 || resp.Messages[0].Error == nil {
				t.Fatalf("not an error response: %s", body)
			}
			if got := x1.ErrorCode(resp.Messages[0].Error.Code); got != tc.code {
				t.Fatalf("code %d (%v), want %d (%v)", got, got, tc.code, tc.code)
			}
			if bytes.Contains(body, []byte("206011234567890")) || bytes.Contains(body, []byte("not an address")) {
				t.Errorf("the answer quotes the request:\n%s", body)
			}
		})
	}
	t.Run("unreadable document", func(t *testing.T) {
		status, body := post(t, ne, `<!DOCTYPE x [<!ENTITY a "aaaa">]><X1Request/>`)
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		xmllint(t, "top-level", body)
		resp, err := x1.DecodeResponse(body)
		if err != nil || resp.TopLevelError == nil {
			t.Fatalf("not a top-level error: %v\n%s", err, body)
		}
	})
	t.Run("too large", func(t *testing.T) {
		status, _ := post(t, ne, requestDoc("PingRequest", "admf.ccj", "ne-1", "")+strings.Repeat(" ", 1<<20))
		if status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", status)
		}
	})
}
