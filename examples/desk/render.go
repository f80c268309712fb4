package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// stamp writes an instant to the second in Brussels time with its
// offset, as people read it in the language tag asks for
// (timesync.Timestamp.Display: 2026-11-30 18:00:00 +01:00 in English,
// 30/11/2026 18:00:00 +01:00 in French and Dutch, 30.11.2026 … in German).
func stamp(ts timesync.Timestamp, tag language.Tag) string { return ts.Display(tag) }

// left writes a duration to the minute, for people: "3 h 05 min".
func left(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	d = d.Round(time.Minute)
	s := fmt.Sprintf("%d h %02d min", d/time.Hour, (d%time.Hour)/time.Minute)
	if d >= 48*time.Hour {
		s = fmt.Sprintf("%d d %d h", d/(24*time.Hour), (d%(24*time.Hour))/time.Hour)
	}
	if neg {
		return "−" + s
	}
	return s
}

// indent writes text with a prefix on every line.
func indent(w io.Writer, prefix, text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintln(w, prefix+l)
	}
}

// renderCase writes a case as a member reads it: the order and its legal
// checks with citations, its deadline and how it was computed, who was on
// call, the technician's view, the answer against its deadline, and the
// history with the clock's evidence of each step.
func renderCase(w io.Writer, c register.Case, cell ccj.Cell, rule requisition.MonthRule, tag language.Tag, about string) {
	v := caseView{w: w, p: printer(tag), tag: tag}
	v.title(c, about)
	v.received(c.Requisition)
	v.line("State", c.State.Label(tag))
	v.checks(c.Requisition, rule)
	v.deadline(c)
	v.onCall(cell, c.Requisition.Received.Time())
	v.work(c)
	v.answer(c)
	v.history(c.History)
}

// caseView writes the parts of a case, in the language of tag.
type caseView struct {
	w   io.Writer
	p   *message.Printer
	tag language.Tag
}

// line writes a labelled line.
func (v caseView) line(label, value string) {
	fmt.Fprintf(v.w, "  %-14s %s\n", v.p.Sprintf(label), value)
}

func (v caseView) title(c register.Case, about string) {
	m := c.Requisition.Measure
	fmt.Fprintf(v.w, "\n══ %s · %s (%s) ══\n", c.ID, m.Label(v.tag), m.Source().Article)
	if about != "" {
		fmt.Fprintf(v.w, "   %s\n", about)
	}
}

func (v caseView) received(req requisition.Requisition) {
	// The time the order states it was received, not the cell's: the
	// history's first step is when the cell registered it.
	v.line("Received", v.p.Sprintf("%[1]s, as the order states — %[2]s, reference %[3]s, %[4]d {4:target|targets}", stamp(req.Received, v.tag), req.Authority.Label(v.tag), oneLine(req.Reference), len(req.Targets)))
}

// checks writes the legal checks, as at receipt.
func (v caseView) checks(req requisition.Requisition, rule requisition.MonthRule) {
	fs := req.Findings(req.Received.Time(), rule)
	if len(fs) == 0 {
		v.line("Checks", v.p.Sprintf("no finding: the order meets every rule ccjkit checks"))
		return
	}
	v.line("Checks", v.p.Sprintf("%[1]d {1:finding|findings}:", len(fs)))
	for _, f := range fs {
		fmt.Fprintf(v.w, "    - %s\n", f.Text(v.tag))
	}
}

// deadline writes the answer's deadline and its computation.
func (v caseView) deadline(c register.Case) {
	dl, err := c.Deadline()
	switch {
	case err != nil:
		v.line("Deadline", v.p.Sprintf("cannot be computed: %v", err))
		return
	case dl.Kind == requisition.Fixed:
		v.line("Deadline", v.p.Sprintf("before %s", stamp(timesync.FromTime(dl.At), v.tag)))
	default:
		v.line("Deadline", dl.Text(v.tag))
	}
	indent(v.w, "    · ", dl.ExplainIn(v.tag))
}

// onCall writes who was on call at instant at, when the case arrived.
func (v caseView) onCall(cell ccj.Cell, at time.Time) {
	oc := cell.OnCall(at)
	if len(oc.Order) == 0 {
		v.line("On call", v.p.Sprintf("nobody: the rota has a gap"))
		return
	}
	v.line("On call", v.p.Sprintf("%s; then %s", oneLine(oc.Order[0]), oneLine(strings.Join(oc.Order[1:], ", "))))
}

// work writes the technician's view of each work order, and what came
// back.
func (v caseView) work(c register.Case) {
	for _, wo := range c.WorkOrders {
		v.line("Work order", v.p.Sprintf("what the technician sees (%s):", ccj.MaySee(ccj.Technician, ccj.WorkOrder).Source.Article))
		indent(v.w, "    │ ", wo.Text(v.tag))
	}
	for _, r := range c.Results {
		v.line("Result", v.p.Sprintf("%s — %s, by %s at %s", oneLine(string(r.Ref)), r.Outcome.Label(v.tag), oneLine(r.By), stamp(r.Completed, v.tag)))
	}
}

// answer writes the answer's record, once there is one.
func (v caseView) answer(c register.Case) {
	if rec, err := register.AnswerRecordOf(c); err == nil {
		v.line("Answer", "")
		indent(v.w, "    ", rec.Text(v.tag))
	}
}

// history writes each step, at the time the cell recorded it, to the
// second, with the clock's evidence.
func (v caseView) history(steps []register.Transition) {
	v.line("History", v.p.Sprintf("when the cell recorded each step"))
	for _, t := range steps {
		fmt.Fprintf(v.w, "    %s  %-18s %-8s %s\n", stamp(t.At, v.tag), stepLabel(t, v.tag), oneLine(t.Actor), v.clock(t.Clock))
		if note := t.NoteText(v.tag); note != "" {
			indent(v.w, fmt.Sprintf("    %26s ", ""), note) // a note's every line indented: none poses as a step
		}
	}
}

// clock says whether a step's clock was checked and compliant.
func (v caseView) clock(e register.Evidence) string {
	switch {
	case e.Checked.IsZero():
		return v.p.Sprintf("clock not checked")
	case e.Compliant():
		return v.p.Sprintf("clock compliant")
	}
	return v.p.Sprintf("clock NOT compliant")
}

// stepLabel names a step of a case's history: its event, or for the
// receipt (which has none) "registered": the step's time is when the
// cell entered the order in the register, not the time of receipt the
// order states.
func stepLabel(t register.Transition, tag language.Tag) string {
	if t.Event == "" {
		return printer(tag).Sprintf("registered")
	}
	return t.Event.Label(tag)
}
