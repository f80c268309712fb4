package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
)

// TestNEUser: the tap as a point of interception follows a subscriber
// named by the ADMF. The X1 task's target is her username (an NAI); the
// tap reads the RADIUS accounting in the capture it replays (the one
// event stream that also feeds retention), learns her addresses while her
// session lasts, and sends her packets as X3 and her session's events as
// X2 to the mediation function, which delivers them under the LIID: the
// 10 packets of her session and its 3 IRIs (begin, continue, end: the
// HI1 notifications are the mediation function's to make, not the NE's),
// nobody else's. It is the
// choice package tasking documents: the NEs that see the accounting
// follow the sessions themselves, rather than the ADMF sending a
// ModifyTask at each session.
func TestNEUser(t *testing.T) {
	ca, admfCA := tlstest.NewCA(t, "ccjkit test CA"), tlstest.NewCA(t, "ccjkit test ADMF CA")
	dir := t.TempDir()
	capture := filepath.Join(dir, "radius.pcapng")
	f, err := os.Create(capture)
	if err != nil {
		t.Fatal(err)
	}
	if err := itest.WriteRadiusSample(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte(sampleSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	m := startMF(t, ca)
	xid, _ := x1.NewUUID(nil)
	liid := intercept.MustParseLIID("BE-DEMO-9")
	targets := []intercept.Target{intercept.UsernameTarget(itest.SampleUser)}
	if err := m.table.Activate(intercept.Task{ID: [16]byte(xid), LIID: liid, Targets: targets,
		NotBefore: itest.SampleStart.Add(-time.Hour), NotAfter: itest.SampleStart.Add(time.Hour),
		Delivery: intercept.IRIAndCC, Agency: "NTSU-CTIF"}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr itest.SyncBuffer
	admf, exit := startNE(t, ca, admfCA, &stdout, &stderr, "-mf", m.addr, "-file", capture, "-radius-secret-file", secret)
	if err := admf.ActivateTask(t.Context(), x1.TaskDetails{XID: xid, Targets: targets, Delivery: intercept.IRIAndCC,
		Mediation: []x1.MediationDetails{{LIID: liid, Delivery: intercept.IRIAndCC,
			Start: itest.SampleStart.Add(-time.Hour), End: itest.SampleStart.Add(time.Hour)}}}); err != nil {
		t.Fatal(err)
	}
	if code := <-exit; code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	t.Logf("the tap's output:\n%s", out)
	for _, want := range []string{
		"RADIUS accounting: 3 request(s) read, 3 access event(s) delivered",
		"CC 10 delivered of 10, IRI 3 delivered of 3; nothing lost",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	count := func(s intercept.Stream) int {
		n := 0
		for _, st := range m.rx.Report().Streams {
			if st.Key.LIID == liid && st.Key.Stream == s {
				n += int(st.Unique)
			}
		}
		return n
	}
	itest.WaitFor(t, "the LEMF to have her 10 packets and her session's 3 IRIs", func() bool {
		return count(intercept.CC) == itest.SampleRADIUSUserPackets && count(intercept.IRI) == 3
	})
	for _, s := range m.rx.Report().Streams {
		if s.Key.LIID != liid || s.Gaps != 0 || s.Duplicates != 0 {
			t.Errorf("stream %+v", s)
		}
	}
	if st := m.srv.Stats().NEs["tap.test"]; st.RefusedTotal() != 0 {
		t.Errorf("at the MF: %s", st)
	}
	for _, secret := range []string{itest.SampleUser, liid.String()} {
		if strings.Contains(out+stderr.String(), secret) {
			t.Errorf("the tap printed %q", secret)
		}
	}
}
