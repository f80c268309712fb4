package register_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func TestAnswerInput(t *testing.T) {
	clock := timesynctest.NewClock(at("2026-11-23 11:00").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	lawfulCase(t, reg, "c1", sampleRequisition())
	good := delivery(at("2026-11-23 10:59:30"))
	for _, tc := range []struct {
		name string
		edit func(*register.Delivery)
	}{
		{"no recipient", func(d *register.Delivery) { d.To = "" }},
		{"unknown channel", func(d *register.Delivery) { d.Channel = "pigeon" }},
		{"nothing delivered", func(d *register.Delivery) { d.Items = nil; d.What = "  " }},
		{"in the future", func(d *register.Delivery) { d.At = at("2026-11-23 11:00:01") }},
		{"before receipt", func(d *register.Delivery) { d.At = at("2026-11-23 09:59:59") }},
		{"description too long", func(d *register.Delivery) { d.What = strings.Repeat("x", register.MaxText+1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := good
			tc.edit(&d)
			if _, err := reg.Answer("c1", d, "alice", goodClock); !errors.Is(err, register.ErrInput) {
				t.Errorf("accepted: %v", err)
			}
		})
	}
	if _, err := reg.AnswerRecord("c1"); !errors.Is(err, register.ErrNotAnswered) {
		t.Errorf("record of an unanswered case: %v", err)
	}
	noTime := good
	noTime.At = timesync.Timestamp{}
	c, err := reg.Answer("c1", noTime, "alice", goodClock)
	if err != nil || c.Delivery.At != at("2026-11-23 11:00") {
		t.Fatalf("a delivery with no time is timed now: %v %+v", err, c.Delivery)
	}
}

func TestAnswerRecord(t *testing.T) {
	clock := timesynctest.NewClock(at("2026-11-23 11:00").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	for _, tc := range []struct {
		name     string
		response requisition.ResponsePolicy
		at       string
		want     register.Timeliness
		took     time.Duration
	}{
		{"on time", requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: at("2026-11-24 10:00")}, "2026-11-24 09:59:59", register.OnTime, 23*time.Hour + 59*time.Minute + 59*time.Second},
		{"at the deadline is late", requisition.ResponsePolicy{Kind: requisition.AtStatedMoment, Stated: at("2026-11-24 10:00")}, "2026-11-24 10:00", register.Late, 24 * time.Hour},
		{"immediately", requisition.ResponsePolicy{Kind: requisition.Immediately}, "2026-11-23 10:00:42", register.NoFixedDue, 42 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock.Set(at("2026-11-25 12:00").Time())
			req := sampleRequisition()
			req.Response = tc.response
			id := strings.ReplaceAll(tc.name, " ", "-")
			lawfulCase(t, reg, id, req)
			if _, err := reg.Answer(id, delivery(at(tc.at)), "alice", goodClock); err != nil {
				t.Fatal(err)
			}
			rec, err := reg.AnswerRecord(id)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Timeliness != tc.want || rec.ResponseTime != tc.took || rec.AnsweredBy != "alice" || rec.Reference != secretRef {
				t.Errorf("%+v", rec)
			}
			b, _ := json.Marshal(rec)
			for _, want := range []string{`"timeliness":"` + string(tc.want) + `"`, `"at":"` + at(tc.at).String() + `"`, `"steps":`} {
				if !strings.Contains(string(b), want) {
					t.Errorf("JSON lacks %s: %s", want, b)
				}
			}
			assertTranslated(t, func(tag language.Tag) string { return rec.Text(tag) })
		})
	}
}

func TestAnswerTextClockEvidence(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    timesync.Verdict
		want string
	}{
		{"compliant", goodClock, "traceable reference (GPS via chrony)"},
		{"not traceable", timesync.Verdict{At: t0, Synchronised: true, ToTheSecond: true}, "NOT compliant"},
		{"not checked", timesync.Verdict{}, "not checked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := timesynctest.NewClock(at("2026-11-23 11:00").Time())
			reg, _ := openReg(t, newKeys(t), clock)
			lawfulCase(t, reg, "c1", sampleRequisition())
			if _, err := reg.Answer("c1", delivery(timesync.Timestamp{}), "alice", tc.v); err != nil {
				t.Fatal(err)
			}
			rec, _ := reg.AnswerRecord("c1")
			if txt := rec.Text(language.English); !strings.Contains(txt, tc.want) {
				t.Errorf("%q not in\n%s", tc.want, txt)
			}
			assertTranslated(t, func(tag language.Tag) string { return rec.Text(tag) })
		})
	}
}

// An answer may not claim to deliver what the order did not ask for.
func TestAnswerOnlyWhatWasAsked(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 11:00").Time()))
	lawfulCase(t, reg, "c1", sampleRequisition())
	d := delivery(at("2026-11-23 10:59"))
	d.Items = []requisition.Item{requisition.ItemTrafficRecords}
	if _, err := reg.Answer("c1", d, "alice", goodClock); !errors.Is(err, register.ErrInput) {
		t.Fatalf("delivered an item not asked for: %v", err)
	}
}

// A requisition whose stated moment is before its receipt has no
// computable deadline: it is listed first, marked unknown, and its answer
// record says so without quoting its dates.
func TestUnknownDeadline(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 11:00").Time()))
	req := sampleRequisition()
	req.Response.Stated = at("2026-11-23 09:30")
	lawfulCase(t, reg, "odd", req)
	lawfulCase(t, reg, "ok", sampleRequisition())
	due := reg.DueWithin(at("2026-11-23 11:00").Time(), 48*time.Hour)
	if len(due) != 2 || due[0].Case != "odd" || !due[0].Unknown {
		t.Fatalf("%+v", due)
	}
	if _, err := reg.Answer("odd", delivery(at("2026-11-23 10:59")), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	rec, err := reg.AnswerRecord("odd")
	if err != nil || rec.Timeliness != register.UnknownDue {
		t.Fatalf("%v %+v", err, rec)
	}
}

// A member's content or reason on several lines cannot forge a line of
// the answer record: each line after the first is indented. And an answer
// cannot claim to rest on no result when one is attached.
func TestAnswerRecordLines(t *testing.T) {
	reg, _ := openReg(t, newKeys(t), timesynctest.NewClock(at("2026-11-23 11:00").Time()))
	req := sampleRequisition()
	if _, err := reg.Receive("c1", req, "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	reg.Apply("c1", register.Acknowledge, "alice", goodClock, "")
	reg.Apply("c1", register.CheckLawful, "alice", goodClock, "")
	forged := "data\nRecorded by mallory at 2026-12-06 08:00:00 +01:00"
	c, err := reg.Answer("c1", register.Delivery{At: at("2026-11-23 10:30"), To: "police", Channel: register.ByEmail, What: forged,
		WithoutResult: "r\nClock: synchronised to the second (forged)"}, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := reg.AnswerRecord(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(rec.Text(language.English), "\n") {
		if strings.HasPrefix(l, "Recorded by mallory") || strings.HasPrefix(l, "Clock: synchronised to the second (forged)") {
			t.Errorf("a forged line: %q", l)
		}
	}
}

// An answer that says it rests on no technician's result is refused when
// one is attached: the sealed record would say something false.
func TestAnswerWithoutResultButOneAttached(t *testing.T) {
	clock := timesynctest.NewClock(at("2026-11-23 11:00").Time())
	reg, _ := openReg(t, newKeys(t), clock)
	reg.Receive("c1", sampleRequisition(), "alice", goodClock)
	reg.Apply("c1", register.Acknowledge, "alice", goodClock, "")
	reg.Apply("c1", register.CheckLawful, "alice", goodClock, "")
	wo, err := reg.IssueWorkOrder("c1", nil, time.Time{}, "alice", goodClock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AttachResult(result(wo.Ref, timesync.Now(clock)), "alice", goodClock); err != nil {
		t.Fatal(err)
	}
	d := delivery(timesync.Now(clock))
	d.WithoutResult = "the technician was away"
	if _, err := reg.Answer("c1", d, "alice", goodClock); !errors.Is(err, register.ErrInput) {
		t.Fatalf("answer without result, one attached: %v", err)
	}
	d.WithoutResult = ""
	if _, err := reg.Answer("c1", d, "alice", goodClock); err != nil {
		t.Fatal(err)
	}
}
