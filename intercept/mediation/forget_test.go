package mediation_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/internal/itest"
)

// A communication forgotten (its task ended, the room taken by another)
// and made again when its task is activated anew gets its CIN again and
// numbers from 0: a CIN reset tells the receiver first, with or without
// a state file, so that the new numbers are not taken for duplicates.
func TestRemadeCommunicationAnnouncesItsNumbering(t *testing.T) {
	r := newRig(t, func(c *mediation.Config) { c.MaxCommunications = 1 })
	other := sampleTask(xidB, "LIID-B", intercept.IRIAndCC)
	if err := r.table.Activate(other); err != nil {
		t.Fatal(err)
	}
	n := r.mustDial(t, "router-1.isp.test", r.task, other)
	for i := range 3 {
		n.cc(r.task.LIID, 7, i, t0, 80)
	}
	n.keepAlive(1)
	// The task ends; another's record takes the room and the first
	// communication is forgotten.
	if err := r.table.Deactivate(r.task.ID); err != nil {
		t.Fatal(err)
	}
	n.cc(other.LIID, 1, 0, t0, 80)
	n.keepAlive(2)
	if err := r.table.Deactivate(other.ID); err != nil {
		t.Fatal(err)
	}
	// Activated anew, the task's communication 7 is made again.
	if err := r.table.Activate(r.task); err != nil {
		t.Fatal(err)
	}
	n.cc(r.task.LIID, 7, 3, t0, 80)
	n.keepAlive(3)
	itest.WaitFor(t, "the records", func() bool { return r.ho.count() == 6 })
	var got []string
	for _, d := range r.ho.records() {
		if d.key.LIID != r.task.LIID {
			continue
		}
		s, err := etsi.Peek(d.pdu)
		if err != nil {
			t.Fatal(err)
		}
		kind := "record"
		if s.Kind == etsi.TRIPayload && s.TRI == etsi.CINReset {
			kind = "reset"
		}
		got = append(got, kind+"@"+strconv.Itoa(int(d.seq)))
	}
	if want := "record@0 record@1 record@2 reset@0 record@0"; strings.Join(got, " ") != want {
		t.Errorf("the task's stream: %s, want %s\n%s", strings.Join(got, " "), want, r.srv.Stats())
	}
}
