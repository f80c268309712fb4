package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

func receiveFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.id, "id", "", "the case's `ID` in the cell (default: the next YYYY-NNNN)")
	fs.BoolVar(&s.duplicate, "duplicate", false, "receive it although a case holds the same authority's reference (an order sent twice is one case)")
}

// runReceive records a requisition as a new case. An order whose
// reference a case already holds (register.CasesWithReference) is
// refused unless -duplicate says a second case is meant; either way the
// desk names those cases by their IDs, never the reference, which is
// secret.
func runReceive(s *session, args []string) error {
	req, err := decodeFile(s, args, "requisition file", requisition.Decode)
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	same := s.reg.CasesWithReference(req.Reference)
	p := printer(s.tag)
	if len(same) > 0 && !s.duplicate {
		return inputErr("%s", p.Sprintf("the register holds the same authority's reference (case %s): receiving it again makes a second case; give -duplicate if that is meant", caseList(same)))
	}
	var c register.Case
	if s.id == "" {
		c, err = s.reg.ReceiveNext(req, s.me.Name(), s.verdict())
	} else {
		c, err = s.reg.Receive(s.id, req, s.me.Name(), s.verdict())
	}
	if err != nil {
		return err
	}
	if len(same) > 0 { // said once the case is received, not before
		fmt.Fprintln(s.err, p.Sprintf("desk: the register holds the same authority's reference (case %s): received as a new case all the same (-duplicate)", caseList(same)))
	}
	if s.asJSON {
		return s.printJSON(c)
	}
	s.receivedDone(c)
	return nil
}

// receivedDone says under which ID a case was received, when its answer
// is due, and whether its order has findings to review.
func (s *session) receivedDone(c register.Case) {
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("received as case %s", c.ID))
	if dl, err := c.Deadline(); err == nil {
		fmt.Fprintln(s.out, p.Sprintf("answer due: %s", dl.Text(s.tag)))
	}
	if n := len(c.Requisition.Findings(s.now(), s.cfg.MonthRule)); n > 0 {
		fmt.Fprintln(s.out, p.Sprintf("%[1]d {1:finding|findings}: desk review %[2]s shows {1:it|them} and records nothing", n, c.ID))
	}
}

// caseList lists case IDs, "2026-0003, 2026-0007", the first five of
// more followed by "…".
func caseList(ids []string) string {
	const most = 5
	if len(ids) > most {
		return strings.Join(ids[:most], ", ") + ", …"
	}
	return strings.Join(ids, ", ")
}

func runList(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("list takes no argument")
	}
	if err := s.load(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	due := s.reg.OpenCases(s.now())
	if s.asJSON {
		return s.printJSON(due)
	}
	listDue(s.out, due, s.tag)
	return nil
}

func listDue(w io.Writer, due []register.Due, tag language.Tag) {
	p := printer(tag)
	if len(due) == 0 {
		fmt.Fprintln(w, p.Sprintf("no open case"))
		return
	}
	for _, d := range due {
		var when string
		switch {
		case d.Unknown:
			when = p.Sprintf("deadline unknown: check the requisition's response policy")
		case d.Deadline.Kind != requisition.Fixed:
			when = p.Sprintf("due %s", d.Deadline.Text(tag))
		case d.Overdue:
			when = p.Sprintf("OVERDUE by %s (due %s)", left(-d.Left), stamp(timesync.FromTime(d.Deadline.At), tag))
		default:
			when = p.Sprintf("%s left (due %s)", left(d.Left), stamp(timesync.FromTime(d.Deadline.At), tag))
		}
		fmt.Fprintf(w, "  %-12s %-22s %s\n", d.Case, d.State.Label(tag), when)
	}
}

func runShow(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	c, ok := s.reg.Case(id)
	if !ok {
		return register.ErrUnknownCase
	}
	if s.asJSON {
		return s.printJSON(c)
	}
	renderCase(s.out, c, s.cell, s.cfg.MonthRule, s.tag, "")
	return nil
}

// stepFlags are the flags of a step of a case's life: cellFlags and
// -note.
func stepFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.note, "note", "", "a `NOTE` kept with the step (reasons, a reference)")
}

func transition(ev register.Event) func(*session, []string) error {
	return func(s *session, args []string) error {
		if ev == register.Acknowledge && len(args) == 2 {
			// "desk ack CASE CODE", as a page says: the member's identity
			// signs the acknowledgement; the code is for replies by e-mail.
			args = args[:1]
		}
		id, err := s.begin(args, "case ID")
		if err != nil {
			return err
		}
		if err := s.open(); err != nil {
			return err
		}
		defer s.close()
		if ev == register.Acknowledge && (strings.HasPrefix(id, "I-") || strings.HasPrefix(id, "W-")) {
			return s.ackIntake(id)
		}
		if ev == register.Invoice {
			if err := s.billable(id); err != nil {
				return err
			}
		}
		c, err := s.reg.Apply(id, ev, s.me.Name(), s.verdict(), s.note)
		if err != nil {
			return err
		}
		return s.stepDone(c)
	}
}

// stepDone says which step was recorded in the register, when, and
// where the case now stands.
func (s *session) stepDone(c register.Case) error {
	if s.asJSON {
		return s.printJSON(c.History[len(c.History)-1])
	}
	t := c.History[len(c.History)-1]
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("%s: recorded in the register: %s (%s); the case is now %s",
		c.ID, t.Event.Label(s.tag), stamp(t.At, s.tag), c.State.Label(s.tag)))
	return nil
}

// runReview prints a case's findings at the clock's now and what each
// decision would record, and records nothing (register.Review): the
// reading before desk check, clarify or contest.
func runReview(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	rv, err := s.reg.Review(id, s.cfg.MonthRule)
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(rv)
	}
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("Review of case %s at %s (%s): nothing is recorded", id, stamp(rv.At, s.tag), rv.State.Label(s.tag)))
	if len(rv.Findings) == 0 {
		fmt.Fprintln(s.out, "  "+p.Sprintf("no finding: the order meets every rule ccjkit checks"))
	}
	for _, f := range rv.Findings {
		fmt.Fprintf(s.out, "  - %s\n", f.Text(s.tag))
	}
	if !rv.Allowed {
		fmt.Fprintln(s.out, p.Sprintf("The case is %s: no decision on the order can be recorded in this state.", rv.State.Label(s.tag)))
		return nil
	}
	if rv.Step == register.Contest {
		fmt.Fprintln(s.out, p.Sprintf("A rule is not met: desk check %s would record the contest (%s).", id, rv.Summary.Text(s.tag)))
	} else {
		fmt.Fprintln(s.out, p.Sprintf("No finding is an error: desk check %s would record the order as lawful.", id))
	}
	fmt.Fprintln(s.out, p.Sprintf("Each of these records a decision: desk check %s (as above), desk clarify %s -note TEXT (the authority was asked to clarify), desk contest %s -note TEXT (contested, with your reasons).", id, id, id))
	return nil
}

// runCheck records the decision the findings point to: lawful, or
// contested with the rules not met (register.Check).
func runCheck(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	c, fs, err := s.reg.Check(id, s.cfg.MonthRule, s.me.Name(), s.verdict())
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(fs)
	}
	for _, f := range fs {
		fmt.Fprintf(s.out, "  - %s\n", f.Text(s.tag))
	}
	return s.stepDone(c)
}

func workOrderFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.due, "due", "", "when the result is needed: a `DURATION` (4h) or a Brussels time; default the case's deadline")
}

func runWorkOrder(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	due, err := s.dueTime()
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	wo, err := s.reg.IssueWorkOrder(id, nil, due, s.me.Name(), s.verdict())
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(wo)
	}
	fmt.Fprint(s.out, wo.Text(s.tag))
	return nil
}

// dueTime reads -due: a duration from now or a Brussels time; the zero
// time when it is not given.
func (s *session) dueTime() (time.Time, error) {
	if s.due == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s.due); err == nil && d > 0 {
		return s.now().Add(d), nil
	}
	ts, err := timesync.ParseBrussels(s.due, timesync.Strict)
	if err == nil {
		return ts.Time(), nil
	}
	if wc := (*timesync.WallClockError)(nil); errors.As(err, &wc) {
		return time.Time{}, brusselsErr("-due", wc)
	}
	return time.Time{}, inputErr("-due: a duration such as 4h, or a Brussels time such as 2026-11-24 10:00")
}

// brusselsTime reads a flag's Brussels time (timesync.ParseBrussels).
// A time the clock changes make ambiguous or skip gets the library's
// error, which names the two instants it may mean or the hour skipped;
// a malformed one says which form is wanted and what is wrong with it,
// never repeating what was typed.
func brusselsTime(flag, value string) (timesync.Timestamp, error) {
	ts, err := timesync.ParseBrussels(value, timesync.Strict)
	if err == nil {
		return ts, nil
	}
	if wc := (*timesync.WallClockError)(nil); errors.As(err, &wc) {
		return ts, brusselsErr(flag, wc)
	}
	why := ""
	if pe := (*timesync.ParseError)(nil); errors.As(err, &pe) {
		why = " (" + pe.Detail + ")"
	}
	return ts, inputErr("%s: a Brussels time such as 2026-11-23 10:12:07, or with its offset, 2026-10-25 02:30:00 +01:00%s", flag, why)
}

// brusselsErr is the library's error about a time the clock changes make
// ambiguous or skip, with how to write the instant meant. Quoting the
// time is safe: the library read it as a date and a time.
func brusselsErr(flag string, wc *timesync.WallClockError) error {
	if errors.Is(wc, timesync.ErrAmbiguous) {
		return inputErr("%s: %v; write the offset after the time, as in %s", flag, wc, wc.Candidates[0].Format(timesync.DisplayLayout))
	}
	return inputErr("%s: %v", flag, wc)
}

func runResult(s *session, args []string) error {
	res, err := decodeFile(s, args, "result file", register.DecodeWorkResult)
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	c, err := s.reg.AttachResult(res, s.me.Name(), s.verdict())
	if err != nil {
		return err
	}
	return s.stepDone(c)
}

func answerFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.to, "to", "", "the `RECIPIENT` the requisition says to answer (required)")
	fs.StringVar(&s.channel, "channel", "", "how: email, platform, post, hand, phone or handover (required)")
	fs.StringVar(&s.at, "at", "", "when it was delivered, Brussels `TIME` (default now)")
	fs.StringVar(&s.what, "what", "", "what was delivered, in words")
	fs.StringVar(&s.items, "items", "", "the kinds of data delivered, comma-separated (default those asked)")
	fs.StringVar(&s.withoutResult, "without-result", "", "the `REASON` the answer rests on no technician's result: needed when none is attached (desk result), kept with the answer")
}

// runAnswer records the answer to a case: to whom, how, when and what
// was delivered (by default the data the requisition asked for).
func runAnswer(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	d, err := s.delivery()
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	c, ok := s.reg.Case(id)
	if ok && d.Items == nil && d.What == "" {
		d.Items = c.Requisition.Items
	}
	c, err = s.reg.Answer(id, d, s.me.Name(), s.verdict())
	if err != nil {
		// The library lists every problem (-json prints them all); alone,
		// the missing result gets the desk's own advice.
		var ps *provenance.Problems
		if errors.Is(err, register.ErrNoResult) && (!errors.As(err, &ps) || len(ps.Findings) == 1) {
			return inputErr("%s", printer(s.tag).Sprintf("case %s has no technician's result attached: attach it (desk result FILE), or say why the answer rests on none (-without-result REASON)", id))
		}
		return err
	}
	rec, err := register.AnswerRecordOf(c)
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(rec)
	}
	fmt.Fprint(s.out, rec.Text(s.tag))
	return nil
}

// delivery reads the answer's flags: -to, -channel, -at, -what, -items.
func (s *session) delivery() (register.Delivery, error) {
	d := register.Delivery{To: s.to, What: s.what, WithoutResult: s.withoutResult}
	if s.to == "" {
		return d, inputErr("-to: the recipient is needed")
	}
	if err := d.Channel.UnmarshalText([]byte(s.channel)); err != nil {
		return d, inputErr("-channel: %s", d.Channel.Hint())
	}
	if s.at != "" {
		var err error
		if d.At, err = brusselsTime("-at", s.at); err != nil {
			return d, err
		}
	}
	for _, it := range strings.Split(s.items, ",") {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		var item requisition.Item
		if err := item.UnmarshalText([]byte(it)); err != nil {
			return d, inputErr("-items: %s", item.Hint())
		}
		d.Items = append(d.Items, item)
	}
	return d, nil
}
