package register_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// OpenCases lists every open case, whatever its deadline, in the order of
// DueWithin; Cases and CaseIDs list every case, open or not.
func TestOpenCasesAndCases(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(t0.Add(2*time.Hour)))
	later := sampleRequisition()
	later.Response.Stated = at("2027-05-30 10:00")
	for _, c := range []struct {
		id  string
		req requisition.Requisition
	}{{"far", later}, {"stated", sampleRequisition()}, {"gone", sampleRequisition()}} {
		if _, err := reg.Receive(c.id, c.req, "alice", goodClock); err != nil {
			t.Fatal(err)
		}
	}
	reg.Apply("gone", register.Acknowledge, "alice", goodClock, "")
	reg.Apply("gone", register.Cancel, "alice", goodClock, "withdrawn")
	now := at("2026-11-24 08:00").Time()
	var ids []string
	for _, d := range reg.OpenCases(now) {
		ids = append(ids, d.Case)
	}
	if diff := cmp.Diff([]string{"stated", "far"}, ids); diff != "" {
		t.Errorf("OpenCases (-want +got):\n%s", diff)
	}
	brief := func(ds []register.Due) []string {
		var out []string
		for _, d := range ds {
			out = append(out, fmt.Sprint(d.Case, d.State, d.Overdue, d.Left, d.Unknown, d.Deadline.At))
		}
		return out
	}
	if diff := cmp.Diff(brief(reg.DueWithin(now, 100*365*24*time.Hour)), brief(reg.OpenCases(now))); diff != "" {
		t.Errorf("OpenCases differs from DueWithin over a century:\n%s", diff)
	}
	if diff := cmp.Diff([]string{"far", "gone", "stated"}, reg.CaseIDs()); diff != "" {
		t.Errorf("CaseIDs (-want +got):\n%s", diff)
	}
	cs := reg.Cases()
	if len(cs) != 3 || cs[1].ID != "gone" || cs[1].State != register.Cancelled {
		t.Fatalf("Cases: %+v", cs)
	}
	cs[1].History[0].Note = "changed"
	if again, _ := reg.Case("gone"); again.History[0].Note == "changed" {
		t.Error("Cases returned the register's own case, not a copy")
	}
}

// Check finds a lawful order lawful and contests one that breaks a rule,
// naming the rule and its article in the note, never the target or the
// reference; an unknown case is ErrUnknownCase.
func TestCheck(t *testing.T) {
	// An order of 2015 that is not reasoned, judged by the text before the
	// laws of 2016 ([V]): contested. (The same order of 2026 is judged on a
	// text ccjkit has not retrieved: a warning, not an error.)
	unreasoned := sampleRequisition()
	unreasoned.Reasoned = false
	for _, ts := range []*timesync.Timestamp{&unreasoned.Ordered, &unreasoned.Received, &unreasoned.Response.Stated, &unreasoned.Targets[0].From, &unreasoned.Targets[0].Until} {
		*ts = timesync.FromTime(ts.Time().AddDate(-11, 0, 0))
	}
	for _, tc := range []struct {
		name    string
		req     requisition.Requisition
		state   register.State
		event   register.Event
		inNote  string
		errRule bool
	}{
		{"lawful order", sampleRequisition(), register.Lawful, register.CheckLawful, "none an error", false},
		{"order not reasoned", unreasoned, register.Contested, register.Contest, "rules not met: ", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(tc.req.Received.Time().Add(30*time.Minute)))
			if _, err := reg.Receive("c", tc.req, "alice", goodClock); err != nil {
				t.Fatal(err)
			}
			if _, err := reg.Apply("c", register.Acknowledge, "alice", goodClock, ""); err != nil {
				t.Fatal(err)
			}
			c, fs, err := reg.Check("c", requisition.FromNextDay, "alice", goodClock)
			if err != nil {
				t.Fatal(err)
			}
			last := c.History[len(c.History)-1]
			note := last.NoteText(language.English)
			if c.State != tc.state || last.Event != tc.event || !strings.Contains(note, tc.inNote) {
				t.Fatalf("state %s, event %s, note %q", c.State, last.Event, note)
			}
			if strings.Contains(note, secretRef) || strings.Contains(note, secretAddr) {
				t.Errorf("the note %q shows a secret", note)
			}
			w, _ := provenance.Worst(fs)
			if (w == provenance.Error) != tc.errRule {
				t.Errorf("worst finding %v", w)
			}
		})
	}
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(t0))
	if _, _, err := reg.Check("nope", requisition.FromNextDay, "alice", goodClock); !errors.Is(err, register.ErrUnknownCase) {
		t.Errorf("unknown case: %v", err)
	}
}

// Every value of the register's enumerations has a label in each
// language, never the catalogue key; a value outside its enumeration is
// shown as it is.
func TestLabels(t *testing.T) {
	type labelled interface{ Label(language.Tag) string }
	var all []labelled
	for _, s := range register.States() {
		all = append(all, s)
	}
	for _, e := range register.Events() {
		all = append(all, e)
	}
	for _, c := range register.Channels() {
		all = append(all, c)
	}
	for _, r := range register.Roles() {
		all = append(all, r)
	}
	all = append(all, register.Found, register.NothingHeld, register.NotPossible,
		register.OnTime, register.Late, register.NoFixedDue, register.UnknownDue)
	for _, v := range all {
		for _, tag := range requisition.Languages() {
			l := v.Label(tag)
			if l == "" || strings.Contains(l, ":") && !strings.Contains(l, " ") {
				t.Errorf("%v in %v: %q", v, tag, l)
			}
		}
	}
	if got := register.State("odd").Label(language.French); got != "odd" {
		t.Errorf("an unknown state is labelled %q", got)
	}
	if got, want := register.Acknowledged.Label(language.French), "pris en charge"; got != want {
		t.Errorf("Acknowledged in French: %q, want %q", got, want)
	}
}
