package main

import (
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

//go:embed sample/*.json
var sample embed.FS

// Month is the demonstration's script: requisitions, and what the cell
// does with each, step by step.
type Month struct {
	Month string             `json:"month"`
	Now   timesync.Timestamp `json:"now"`
	Cases []SampleCase       `json:"cases"`
}

// SampleCase is one requisition and its script.
type SampleCase struct {
	ID          string          `json:"id"`
	About       string          `json:"about"`
	Requisition json.RawMessage `json:"requisition"`
	Script      []Step          `json:"script"`
}

// Step is one thing the cell does, some time after the one before.
type Step struct {
	After   string `json:"after"` // a Go duration; "d" days are allowed
	Do      string `json:"do"`
	Due     string `json:"due,omitempty"` // work-order: a duration
	Outcome string `json:"outcome,omitempty"`
	Data    string `json:"data,omitempty"`
	To      string `json:"to,omitempty"`
	Channel string `json:"channel,omitempty"`
}

// parseAfter reads a duration with optional days: "2d16h10m".
func parseAfter(s string) (time.Duration, error) {
	var days time.Duration
	if d, rest, ok := strings.Cut(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err != nil {
			return 0, err
		}
		days, s = time.Duration(n)*24*time.Hour, rest
	}
	if s == "" {
		return days, nil
	}
	d, err := time.ParseDuration(s)
	return days + d, err
}

type scheduled struct {
	at   time.Time
	c    int
	step Step
}

func readSample(name string, v any) error {
	b, err := sample.ReadFile("sample/" + name)
	if err != nil {
		return err
	}
	return fileFormat().Decode(b, v)
}

func demoFlags(s *session, fs *flag.FlagSet) {
	fs.StringVar(&s.dir, "keep", "", "keep the demonstration's register in `DIR` instead of a temporary directory")
}

func runDemo(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("the demonstration takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	p := printer(s.tag)
	var cfg Config
	var m Month
	for name, v := range map[string]any{"desk.json": &cfg, "month.json": &m} {
		if err := readSample(name, v); err != nil {
			return fmt.Errorf("sample %s: %w", name, err)
		}
	}
	b, err := sample.ReadFile("sample/cell.json")
	if err != nil {
		return err
	}
	cell, err := ccj.DecodeCell(b)
	if err != nil {
		return fmt.Errorf("sample cell.json: %w", err)
	}
	reqs := make([]requisition.Requisition, len(m.Cases))
	var plan []scheduled
	for i, sc := range m.Cases {
		r, err := requisition.Decode(sc.Requisition)
		if err != nil {
			return fmt.Errorf("sample case %s: %w", sc.ID, err)
		}
		reqs[i] = r
		at := r.Received.Time()
		plan = append(plan, scheduled{at, i, Step{Do: "receive"}})
		for _, st := range sc.Script {
			d, err := parseAfter(st.After)
			if err != nil {
				return fmt.Errorf("sample case %s: %w", sc.ID, err)
			}
			at = at.Add(d)
			plan = append(plan, scheduled{at, i, st})
		}
	}
	slices.SortStableFunc(plan, func(a, b scheduled) int { return a.at.Compare(b.at) })
	first, until, err := month(m.Month)
	if err != nil {
		return err
	}
	end := m.Now.Time()

	// A register in a temporary directory, sealed to a key for each
	// member, opened by the first.
	dir := s.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "ccjkit-desk-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	// Each member has an identity; the first founds the register and
	// adds the others, and each acts through their own Register on the
	// one journal, as several members' processes would.
	clock := newDemoClock(first)
	regs := map[string]*register.Register{}
	defer func() {
		for _, r := range regs {
			r.Close()
		}
	}()
	var reg *register.Register // the first member's
	for i, mb := range cell.Members {
		id, err := register.NewIdentity(mb.ID, register.RoleMember)
		if err != nil {
			return err
		}
		if i > 0 {
			if _, err := reg.AddMember(id.Public(), timesync.Verdict{}); err != nil {
				return err
			}
		}
		r, _, err := register.Open(journalPath(dir), register.Config{Clock: clock, Identity: id, Found: i == 0})
		if err != nil {
			return err
		}
		regs[mb.ID] = r
		if i == 0 {
			reg = r
		}
	}

	// This machine's clock, checked once: the sample's times are
	// simulated, so their steps carry no verdict.
	real, why := verdict(s.ctx, s.clock)
	fmt.Fprintln(s.out, p.Sprintf("ccjkit desk — demonstration on sample data: %s, %d requisitions", m.Month, len(m.Cases)))
	fmt.Fprintln(s.out, p.Sprintf("Register: %s (sealed to %d members, hash-chained)", journalPath(dir), len(cell.Members)))
	if why != "" {
		fmt.Fprintln(s.out, p.Sprintf("This machine's clock: unknown (%s); the sample's times are simulated and carry no clock evidence.", why))
	} else {
		fmt.Fprintln(s.out, p.Sprintf("This machine's clock: %s; the sample's times are simulated and carry no clock evidence.", strings.TrimSpace(evidenceLine(s, real))))
	}

	// Play the month.
	none := timesync.Verdict{}
	for _, ev := range plan {
		clock.Set(ev.at)
		sc := m.Cases[ev.c]
		actor := cell.Members[0].ID
		if oc := cell.OnCall(ev.at); len(oc.Order) > 0 {
			actor = oc.Order[0]
		}
		if err := play(regs[actor], sc, reqs[ev.c], ev.step, actor, cfg, none, ev.at); err != nil {
			return fmt.Errorf("sample case %s, step %s: %w", sc.ID, ev.step.Do, err)
		}
	}
	clock.Set(end)
	if err := reg.Refresh(); err != nil {
		return err
	}

	for _, sc := range m.Cases {
		c, _ := reg.Case(sc.ID)
		renderCase(s.out, c, cell, cfg.MonthRule, s.tag, sc.About)
	}

	section := func(title string) { fmt.Fprintf(s.out, "\n━━ %s ━━\n", p.Sprintf(title)) }
	section("Open cases at the end of the month")
	fmt.Fprintln(s.out, p.Sprintf("at %s:", stamp(timesync.FromTime(end))))
	listDue(s.out, reg.OpenCases(end), s.tag)

	section("The cell")
	fs := cell.Report(end, ccj.ReportOptions{})
	if len(fs) == 0 {
		fmt.Fprintln(s.out, p.Sprintf("the cell meets every rule checked"))
	}
	for _, f := range fs {
		fmt.Fprintf(s.out, "  - %s\n", f.Text(s.tag))
	}

	section("Cost statements")
	from := first
	cs, unbilled, err := indemnity.PeriodClaims(reg.Cases(), claimPeriod(cfg, from, until, end), s.tag)
	if err != nil {
		return err
	}
	for _, c := range cs {
		c.Text(s.out, s.tag)
		path := filepath.Join(dir, "claim-"+c.Number+".pdf")
		if err := writePDF(path, c.Claim, s.tag); err != nil {
			return err
		}
		fmt.Fprintln(s.out, p.Sprintf("PDF: %s", path))
		fmt.Fprintln(s.out)
	}
	if len(unbilled) > 0 {
		fmt.Fprintln(s.out, p.Sprintf("Not billed (no tariff line for their measure in desk.json's billing): %s", strings.Join(unbilled, ", ")))
	}

	section("Statistics")
	fmt.Fprint(s.out, reg.Statistics(from, until, register.StatsOptions{}).Text(s.tag))

	section("The register")
	// An auditor's check: one streaming pass, with no key that opens the
	// records, checking a signed checkpoint of the register as it goes.
	cp, err := reg.Checkpoint()
	if err != nil {
		return err
	}
	checkpoints := func([16]byte) ([]journal.Checkpoint, error) { return []journal.Checkpoint{cp}, nil }
	audit, sum, err := register.AuditJournal(journalPath(dir), journal.ScanOptions{Checkpoints: checkpoints})
	if err != nil {
		return fmt.Errorf("the demonstration's register does not verify: %w", err)
	}
	fmt.Fprintln(s.out, p.Sprintf("%d records, hash chain intact; last record %d, hash %s", sum.Records, sum.Records-1, sum.Last))
	for _, m := range audit.Members {
		fmt.Fprintln(s.out, p.Sprintf("signatures: %s (%s) signed %d record(s)", m.Name, m.Role, m.Records))
	}
	fmt.Fprintln(s.out, p.Sprintf("signed checkpoint of record %d verified with the auditor's public key alone (no key that opens the records)", cp.Seq))
	if s.dir == "" {
		fmt.Fprintln(s.out, p.Sprintf("(the temporary register and PDFs are removed on exit; -keep DIR keeps them)"))
	}
	return nil
}

// play performs one scripted step of a sample case.
func play(reg *register.Register, sc SampleCase, req requisition.Requisition, st Step, actor string, cfg Config, v timesync.Verdict, at time.Time) error {
	// Another member may have acted since this one last looked.
	if err := reg.Refresh(); err != nil {
		return err
	}
	var err error
	switch st.Do {
	case "receive":
		_, err = reg.Receive(sc.ID, req, actor, v)
	case "check":
		_, _, err = reg.Check(sc.ID, cfg.MonthRule, actor, v)
	case "work-order":
		var due time.Time
		if st.Due != "" {
			d, perr := parseAfter(st.Due)
			if perr != nil {
				return perr
			}
			due = at.Add(d)
		}
		_, err = reg.IssueWorkOrder(sc.ID, nil, due, actor, v)
	case "result":
		c, _ := reg.Case(sc.ID)
		if len(c.WorkOrders) == 0 {
			return fmt.Errorf("no work order")
		}
		var o register.Outcome
		if err := o.UnmarshalText([]byte(st.Outcome)); err != nil {
			return err
		}
		_, err = reg.AttachResult(register.WorkResult{Ref: c.WorkOrders[len(c.WorkOrders)-1].Ref, By: "tech-1",
			Completed: timesync.FromTime(at), Outcome: o, Data: st.Data}, actor, v)
	case "answer":
		_, err = reg.Answer(sc.ID, register.Delivery{To: st.To, Channel: register.Channel(st.Channel), Items: req.Items}, actor, v)
	default:
		_, err = reg.Apply(sc.ID, register.Event(st.Do), actor, v, "")
	}
	return err
}

// demoClock is the demonstration's clock: the sample month's time, set
// step by step as the script plays. It is safe for concurrent use, as a
// timesync.Clock must be.
type demoClock struct {
	mu  sync.Mutex
	now time.Time
}

func newDemoClock(t time.Time) *demoClock { return &demoClock{now: t} }

// Now returns the time the clock was last set to.
func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set sets the clock to t.
func (c *demoClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// evidenceLine says what a verdict shows, in the session's language.
func evidenceLine(s *session, v timesync.Verdict) string {
	e := register.EvidenceOf(v)
	p := printer(s.tag)
	if e.Compliant() {
		return p.Sprintf("synchronised to the second to %s", e.Reference)
	}
	return p.Sprintf("NOT compliant (synchronised: %v, to the second: %v, traceable: %v)", e.Synchronised, e.ToTheSecond, e.Traceable)
}
