package mediation_test

import (
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/internal/itest"
)

// A mediation function restarted with its state file tells the receiver
// that each stream it numbered before starts again: a CIN reset,
// numbered 0, before the stream's next record, numbered 0. A stream new
// since the restart gets none; without a state file, none is sent.
func TestRestartAnnouncesNewNumbering(t *testing.T) {
	state := filepath.Join(t.TempDir(), "mf-state.json")
	withState := func(c *mediation.Config) { c.StatePath = state }
	before := newRig(t, withState)
	n := before.mustDial(t, "router-1.isp.test")
	for i := range 3 {
		n.cc(before.task.LIID, 7, i, t0.Add(time.Duration(i)*time.Millisecond), 80)
	}
	itest.WaitFor(t, "three records delivered", func() bool { return before.ho.count() == 3 })
	if b, err := os.ReadFile(state); err != nil || !strings.Contains(string(b), `"CC"`) {
		t.Fatalf("the state file: %v %s", err, b)
	}

	// While it runs, no other server may take its state file.
	if _, err := mediation.New(mediation.Config{
		TLS:   &tls.Config{Certificates: []tls.Certificate{before.serverCA.Server(t, "mf.test")}, ClientCAs: before.ca.Pool},
		Tasks: before.table, Clock: before.clock, StatePath: state,
		Agencies: map[string]mediation.Agency{"NTSU-CTIF": {Encoder: before.enc, Handover: before.ho}},
	}); !errors.Is(err, mediation.ErrState) {
		t.Fatalf("a second server on the state file: %v, want ErrState", err)
	}

	// The restart: the server ends, a new one starts on the same state
	// file; the NE goes on with its communication 7 and opens
	// communication 8.
	if err := before.srv.Close(); err != nil {
		t.Fatal(err)
	}
	after := newRig(t, withState)
	n = after.mustDial(t, "router-1.isp.test")
	n.cc(after.task.LIID, 7, 3, t0.Add(10*time.Millisecond), 80)
	n.cc(after.task.LIID, 7, 4, t0.Add(11*time.Millisecond), 80)
	n.cc(after.task.LIID, 8, 0, t0.Add(12*time.Millisecond), 80)
	itest.WaitFor(t, "the records and the reset delivered", func() bool { return after.ho.count() == 4 })
	byCIN := map[intercept.CIN][]string{}
	for _, d := range after.ho.records() {
		s, err := etsi.Peek(d.pdu)
		if err != nil {
			t.Fatal(err)
		}
		kind := "record"
		if s.Kind == etsi.TRIPayload && s.TRI == etsi.CINReset {
			kind = "reset"
		}
		byCIN[d.key.CIN] = append(byCIN[d.key.CIN], kind+"@"+strconv.Itoa(int(d.seq)))
	}
	var resetCIN, freshCIN []string
	for _, v := range byCIN {
		if len(v) == 3 {
			resetCIN = v
		} else {
			freshCIN = v
		}
	}
	if strings.Join(resetCIN, " ") != "reset@0 record@0 record@1" || strings.Join(freshCIN, " ") != "record@0" {
		t.Fatalf("after the restart: %v", byCIN)
	}
	if st := after.srv.Stats().NEs["router-1.isp.test"]; st.Resets != 1 || !strings.Contains(st.String(), "1 CIN reset(s) after a restart") {
		t.Fatalf("stats: %s", st)
	}

	// Without a state file, a restart announces nothing.
	plain := newRig(t, nil)
	n = plain.mustDial(t, "router-1.isp.test")
	n.cc(plain.task.LIID, 7, 5, t0.Add(20*time.Millisecond), 80)
	itest.WaitFor(t, "one record delivered", func() bool { return plain.ho.count() == 1 })
	if s, _ := etsi.Peek(plain.ho.records()[0].pdu); s.Kind == etsi.TRIPayload {
		t.Fatal("a reset without a state file")
	}
}

// A state file that cannot be read stops the server at New, saying so
// without quoting it.
func TestStateFileRefused(t *testing.T) {
	state := filepath.Join(t.TempDir(), "mf-state.json")
	os.WriteFile(state, []byte(`{"version":1,"streams":[{"liid":"L","cin":7,"stream":"QQQ"}]}`), 0o600)
	_, err := mediation.New(mediation.Config{StatePath: state})
	if err == nil || !strings.Contains(err.Error(), "IRI or CC") || strings.Contains(err.Error(), "QQQ") {
		t.Fatalf("New: %v", err)
	}
}
