package tasking_test

import (
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// startNE runs an X1 NE keeping its tasks in memory, over mutual TLS
// with certificates of the test's own authority, and returns it and an
// ADMF client to it.
func startNE(t *testing.T, name string) (*x1.Memory, *x1.Client) {
	t.Helper()
	ca := tlstest.NewCA(t, "test CA")
	mem := x1.NewMemory()
	stls, err := x1.ServerTLS(ca.Server(t, name, net.IPv4(127, 0, 0, 1)), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(&x1.Server{NE: mem, Identifier: name, ADMF: "cell-admf"})
	srv.TLS = stls
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ctls, err := x1.ClientTLS(ca.Client(t, "cell-admf"), ca.Pool)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x1.NewClient(srv.URL, ctls, "cell-admf", name, timesynctest.NewClock(time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return mem, c
}

// english is the language of the findings' texts the tests read.
func english() language.Tag { return language.English }
