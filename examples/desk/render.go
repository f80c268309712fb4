package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

// stamp writes an instant to the second in Brussels time with its offset.
func stamp(ts timesync.Timestamp) string {
	if ts.IsZero() {
		return "—"
	}
	return ts.Format(timesync.DisplayLayout)
}

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
	p := printer(tag)
	req := c.Requisition
	fmt.Fprintf(w, "\n══ %s · %s ══\n", c.ID, fmt.Sprintf("%s (%s)", req.Measure.Label(tag), req.Measure.Source().Article))
	if about != "" {
		fmt.Fprintf(w, "   %s\n", about)
	}
	line := func(label, value string) { fmt.Fprintf(w, "  %-14s %s\n", p.Sprintf(label), value) }
	line("Received", p.Sprintf("%s — %s, reference %s, %d target(s)", stamp(req.Received), req.Authority.Label(tag), req.Reference, len(req.Targets)))
	line("State", c.State.Label(tag))

	// The legal checks, as at receipt.
	fs := req.Findings(req.Received.Time(), rule)
	if len(fs) == 0 {
		line("Checks", p.Sprintf("no finding: the order meets every rule ccjkit checks"))
	} else {
		line("Checks", p.Sprintf("%d finding(s):", len(fs)))
		for _, f := range fs {
			fmt.Fprintf(w, "    - %s\n", f.Text(tag))
		}
	}

	// The deadline and its computation.
	if dl, err := c.Deadline(); err != nil {
		line("Deadline", p.Sprintf("cannot be computed: %v", err))
	} else {
		if dl.Kind == requisition.Fixed {
			line("Deadline", p.Sprintf("before %s", stamp(timesync.FromTime(dl.At))))
		} else {
			line("Deadline", dl.String())
		}
		indent(w, "    · ", dl.ExplainIn(tag))
	}

	// Who was on call when it arrived.
	oc := cell.OnCall(req.Received.Time())
	if len(oc.Order) == 0 {
		line("On call", p.Sprintf("nobody: the rota has a gap"))
	} else {
		line("On call", p.Sprintf("%s; then %s", oc.Order[0], strings.Join(oc.Order[1:], ", ")))
	}

	// The technician's view, and what came back.
	for _, wo := range c.WorkOrders {
		line("Work order", p.Sprintf("what the technician sees (%s):", ccj.MaySee(ccj.Technician, ccj.WorkOrder).Source.Article))
		indent(w, "    │ ", wo.Text(tag))
	}
	for _, r := range c.Results {
		line("Result", p.Sprintf("%s — %s, by %s at %s", r.Ref, r.Outcome.Label(tag), r.By, stamp(r.Completed)))
	}

	// The answer.
	if rec, err := register.AnswerRecordOf(c); err == nil {
		line("Answer", "")
		indent(w, "    ", rec.Text(tag))
	}

	// The history, to the second, with the clock's evidence.
	line("History", "")
	for _, t := range c.History {
		clock := p.Sprintf("clock not checked")
		if !t.Clock.Checked.IsZero() {
			clock = p.Sprintf("clock compliant")
			if !t.Clock.Compliant() {
				clock = p.Sprintf("clock NOT compliant")
			}
		}
		fmt.Fprintf(w, "    %s  %-18s %-8s %s\n", stamp(t.At), stepLabel(t, tag), t.Actor, clock)
		if t.Note != "" {
			fmt.Fprintf(w, "    %26s %s\n", "", t.Note)
		}
	}
}

// stepLabel names a step of a case's history: its event, or for the
// receipt (which has none) the state it led to.
func stepLabel(t register.Transition, tag language.Tag) string {
	if t.Event == "" {
		return t.To.Label(tag)
	}
	return t.Event.Label(tag)
}
