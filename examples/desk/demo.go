package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

func demoFlags(s *session, fs *flag.FlagSet) {
	fs.StringVar(&s.dir, "keep", "", "keep the demonstration's register in `DIR` instead of a temporary directory")
}

// runDemo plays the sample month on a register of its own, then shows
// each case, the open cases, the cell, the cost statements, the
// statistics and the register's verification.
func runDemo(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("the demonstration takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	d, err := newDemo(s)
	if err != nil {
		return err
	}
	defer d.close()
	if err := d.openRegisters(); err != nil {
		return err
	}
	if err := d.openRetention(); err != nil {
		return err
	}
	if err := d.openNight(); err != nil {
		return err
	}
	d.introduce()
	if err := d.playMonth(); err != nil {
		return err
	}
	d.showCases()
	if err := d.showNight(); err != nil {
		return err
	}
	if err := d.showRetention(); err != nil {
		return err
	}
	if err := d.showIntercept(); err != nil {
		return err
	}
	d.showOpenCases()
	if err := d.showCell(); err != nil {
		return err
	}
	if err := d.showClaims(); err != nil {
		return err
	}
	d.showStatistics()
	return d.showRegister()
}

// demo is the demonstration under way.
type demo struct {
	s *session
	p *message.Printer
	sampleData
	// from and until bound the sample month; end is when it is shown.
	from, until, end time.Time
	// dir holds the register (a temporary directory unless -keep).
	dir, tmp string
	clock    *demoClock
	// regs is the register each member acts through; reg the first
	// member's; ids their identities.
	regs map[string]*register.Register
	reg  *register.Register
	ids  map[string]register.Identity
	// ret is the retention store beside the register, which answers the
	// identifications.
	ret *demoRetention
	// night is the night an e-mailed requisition pages the cell
	// (demo_night.go).
	night *demoNight
	// ne is the point of interception the ADMF tasks over X1
	// (demo_intercept.go), once a member starts an interception.
	ne *demoNE
}

// newDemo loads the sample and makes the register's directory.
func newDemo(s *session) (*demo, error) {
	data, err := loadSample()
	if err != nil {
		return nil, err
	}
	from, until, err := month(data.month.Month)
	if err != nil {
		return nil, err
	}
	d := &demo{s: s, p: printer(s.tag), sampleData: data, from: from, until: until, end: data.month.Now.Time(),
		dir: s.dir, clock: newDemoClock(from), regs: map[string]*register.Register{}, ids: map[string]register.Identity{}}
	if d.dir == "" {
		d.tmp, err = os.MkdirTemp("", "ccjkit-desk-demo-")
		d.dir = d.tmp
	} else {
		err = os.MkdirAll(d.dir, 0o700)
	}
	return d, err
}

// close closes the members' registers and removes the temporary
// directory.
func (d *demo) close() {
	if d.ne != nil {
		d.ne.close()
	}
	if d.ret != nil {
		d.ret.st.Close()
	}
	if d.night != nil && d.night.watchReg != nil {
		d.night.watchReg.Close()
	}
	for _, r := range d.regs {
		r.Close()
	}
	if d.tmp != "" {
		os.RemoveAll(d.tmp)
	}
}

// openRegisters gives each member an identity: the first founds the
// register and adds the others, and each acts through their own
// Register on the one journal, as several members' processes would.
func (d *demo) openRegisters() error {
	for i, mb := range d.cell.Members {
		id, err := register.NewIdentity(mb.ID, register.RoleMember)
		if err != nil {
			return err
		}
		d.ids[mb.ID] = id
		if i > 0 {
			if _, err := d.reg.AddMember(id.Public(), timesync.Verdict{}); err != nil {
				return err
			}
		}
		r, _, err := register.Open(journalPath(d.dir), register.Config{Clock: d.clock, Identity: id, Found: i == 0})
		if err != nil {
			return err
		}
		d.regs[mb.ID] = r
		if i == 0 {
			d.reg = r
		}
	}
	return nil
}

// introduce says what the demonstration plays, where, and what this
// machine's clock, checked once, shows: the sample's times are
// simulated, so their steps carry no verdict.
func (d *demo) introduce() {
	fmt.Fprintln(d.s.out, d.p.Sprintf("ccjkit desk — demonstration on sample data: %s, %d requisitions", timesync.DisplayMonth(timesync.Day(d.from).Year(), timesync.Day(d.from).Month(), d.s.tag), len(d.month.Cases)+1))
	fmt.Fprintln(d.s.out, d.p.Sprintf("Register: %s (sealed to %d members, hash-chained)", journalPath(d.dir), len(d.cell.Members)))
	real, why := verdict(d.s.ctx, d.s.clock, d.s.tag)
	if why != "" {
		fmt.Fprintln(d.s.out, d.p.Sprintf("This machine's clock: unknown (%s); the sample's times are simulated and carry no clock evidence.", why))
		return
	}
	fmt.Fprintln(d.s.out, d.p.Sprintf("This machine's clock: %s; the sample's times are simulated and carry no clock evidence.", strings.TrimSpace(evidenceLine(d.s, real))))
}

// playMonth plays every step of the month in time order, each by the
// member on call at that moment, with the retention store's nightly
// runs in between, and the night of an e-mailed requisition in its
// place (playNight). A lookup step looks up the addresses the case's work
// order asks about in the store, a hold step places a preservation hold
// on them, and a result step without data reports what the lookup
// answered.
func (d *demo) playMonth() error {
	for _, ev := range d.plan {
		if err := d.playNightBefore(ev.at); err != nil {
			return err
		}
		if err := d.nightly(ev.at); err != nil {
			return err
		}
		d.clock.Set(ev.at)
		sc := d.month.Cases[ev.c]
		actor := d.onCall(ev.at)
		var err error
		switch st := ev.step; st.Do {
		case "lookup":
			err = d.playLookup(sc.ID, actor)
		case "hold":
			err = d.playHold(sc.ID, actor)
		case "intercept":
			err = d.playIntercept(sc.ID, actor, st)
		default:
			if st.Do == "result" && st.Data == "" {
				st.Data = d.lookupResult(sc.ID)
			}
			err = play(d.regs[actor], sc, d.reqs[ev.c], st, actor, d.cfg, timesync.Verdict{}, ev.at)
		}
		if err != nil {
			return fmt.Errorf("sample case %s, step %s: %w", sc.ID, ev.step.Do, err)
		}
	}
	if err := d.playNightBefore(d.end); err != nil {
		return err
	}
	if err := d.nightly(d.end); err != nil {
		return err
	}
	d.clock.Set(d.end)
	return d.reg.Refresh()
}

// onCall returns the member on call at instant at (the first member
// when the rota has a gap).
func (d *demo) onCall(at time.Time) string {
	if oc := d.cell.OnCall(at); len(oc.Order) > 0 {
		return oc.Order[0]
	}
	return d.cell.Members[0].ID
}

func (d *demo) section(title string) {
	fmt.Fprintf(d.s.out, "\n━━ %s ━━\n", d.p.Sprintf(title))
}

func (d *demo) showCases() {
	for _, sc := range d.month.Cases {
		c, _ := d.reg.Case(sc.ID)
		renderCase(d.s.out, c, d.cell, d.cfg.MonthRule, d.s.tag, d.p.Sprintf(sc.About))
	}
}

func (d *demo) showOpenCases() {
	d.section("Open cases at the end of the month")
	fmt.Fprintln(d.s.out, d.p.Sprintf("at %s:", stamp(timesync.FromTime(d.end), d.s.tag)))
	listDue(d.s.out, d.reg.OpenCases(d.end), d.s.tag)
}

// showCell writes the cell's compliance report, and the month's
// acknowledgement figures.
func (d *demo) showCell() error {
	d.section("The cell")
	fs := d.cell.Report(d.end, ccj.ReportOptions{})
	if len(fs) == 0 {
		fmt.Fprintln(d.s.out, d.p.Sprintf("the cell meets every rule checked"))
	}
	for _, f := range fs {
		fmt.Fprintf(d.s.out, "  - %s\n", f.Text(d.s.tag))
	}
	return d.ackFigures()
}

// showClaims writes the month's cost statements, each also as a PDF in
// the register's directory.
func (d *demo) showClaims() error {
	d.section("Cost statements")
	cs, unbilled, err := indemnity.PeriodClaims(d.reg.Cases(), claimPeriod(d.cfg, d.from, d.until, d.end), d.s.tag)
	if err != nil {
		return err
	}
	for _, c := range cs {
		c.Text(d.s.out, c.Language)
		path := filepath.Join(d.dir, "claim-"+c.Number+".pdf")
		if err := writePDF(path, c.Claim, c.Language); err != nil {
			return err
		}
		if d.tmp == "" {
			fmt.Fprintln(d.s.out, d.p.Sprintf("PDF: %s", path))
		} else {
			// The temporary directory goes with the demonstration: do not
			// point at a file that will be gone.
			fmt.Fprintln(d.s.out, d.p.Sprintf("PDF: written, and removed with the demonstration's temporary directory (desk demo -keep DIR keeps it)"))
		}
		fmt.Fprintln(d.s.out)
	}
	if len(unbilled) > 0 {
		printUnbilled(d.s.out, d.s.tag, unbilled)
	}
	return nil
}

func (d *demo) showStatistics() {
	d.section("Statistics")
	fmt.Fprint(d.s.out, d.reg.Statistics(d.from, d.until, register.StatsOptions{}).Text(d.s.tag))
}

// showRegister checks the register as an auditor would: one streaming
// pass with no key that opens the records, checking a signed checkpoint
// of the register as it goes.
func (d *demo) showRegister() error {
	d.section("The register")
	cp, err := d.reg.Checkpoint()
	if err != nil {
		return err
	}
	checkpoints := func([16]byte) ([]journal.Checkpoint, error) { return []journal.Checkpoint{cp}, nil }
	audit, sum, err := register.AuditJournal(journalPath(d.dir), journal.ScanOptions{Checkpoints: checkpoints})
	if err != nil {
		return fmt.Errorf("the demonstration's register does not verify: %w", err)
	}
	fmt.Fprintln(d.s.out, d.p.Sprintf("%d records, hash chain intact; last record %d, hash %s", sum.Records, sum.Records-1, sum.Last))
	for _, m := range audit.Members {
		fmt.Fprintln(d.s.out, d.p.Sprintf("signatures: %[1]s (%[2]s) signed %[3]d {3:record|records}", m.Name, m.Role.Label(d.s.tag), m.Records))
	}
	fmt.Fprintln(d.s.out, d.p.Sprintf("signed checkpoint of record %d verified with the auditor's public key alone (no key that opens the records)", cp.Seq))
	if d.tmp != "" {
		fmt.Fprintln(d.s.out, d.p.Sprintf("(the temporary register and PDFs are removed on exit; -keep DIR keeps them)"))
	}
	return nil
}

// evidenceLine says what a verdict shows, in the session's language.
func evidenceLine(s *session, v timesync.Verdict) string {
	e := register.EvidenceOf(v)
	p := printer(s.tag)
	if e.Compliant() {
		return p.Sprintf("synchronised to the second to %s", e.Reference)
	}
	yes := func(b bool) string {
		if b {
			return p.Sprintf("yes")
		}
		return p.Sprintf("no")
	}
	return p.Sprintf("NOT compliant (synchronised: %v, to the second: %v, traceable: %v)", yes(e.Synchronised), yes(e.ToTheSecond), yes(e.Traceable))
}
