package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/indemnity/pdf"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"golang.org/x/text/language"
)

// session is one run of the desk: its flags, its outputs, its clock.
type session struct {
	ctx      context.Context
	stdin    io.Reader
	out, err io.Writer
	clock    timesync.Clock

	dir, cellPath, identity, as, lang string
	asJSON                            bool
	id, note, to, channel, at, what   string
	items, due, format, output        string
	days                              int

	tag  language.Tag
	cfg  Config
	cell CellFile
	reg  *register.Register
}

func (s *session) flags(cmd *command) *flag.FlagSet {
	fs := flag.NewFlagSet("desk "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	fs.Usage = func() {
		fmt.Fprintf(s.err, "usage: desk %s [FLAGS] %s\n\n%s.\n\nFlags:\n", cmd.name, cmd.args, cmd.summary)
		fs.PrintDefaults()
	}
	fs.StringVar(&s.lang, "lang", "en", "language of the output: `fr`, nl, de or en")
	if cmd.name == "demo" {
		fs.StringVar(&s.dir, "keep", "", "keep the demonstration's register in `DIR` instead of a temporary directory")
		return fs
	}
	fs.StringVar(&s.dir, "dir", ".", "the register's `DIR`ectory (desk.json, ccj.journal)")
	fs.BoolVar(&s.asJSON, "json", false, "write JSON, for scripts")
	if cmd.name == "verify" {
		return fs
	}
	fs.StringVar(&s.cellPath, "cell", "", "the cell `FILE` (default DIR/cell.json)")
	fs.StringVar(&s.identity, "identity", os.Getenv("CCJKIT_IDENTITY"), "`FILE` holding your age secret key (default $CCJKIT_IDENTITY)")
	fs.StringVar(&s.as, "as", os.Getenv("CCJKIT_MEMBER"), "the cell `MEMBER` you act as (default $CCJKIT_MEMBER)")
	switch cmd.name {
	case "receive":
		fs.StringVar(&s.id, "id", "", "the case's `ID` in the cell (default: the next YYYY-NNNN)")
	case "ack", "check", "clarify", "contest", "invoice", "close", "cancel", "expire":
		fs.StringVar(&s.note, "note", "", "a `NOTE` kept with the step (reasons, a reference)")
	case "workorder":
		fs.StringVar(&s.due, "due", "", "when the result is needed: a `DURATION` (4h) or a Brussels time; default the case's deadline")
	case "answer":
		fs.StringVar(&s.to, "to", "", "the `RECIPIENT` the requisition says to answer (required)")
		fs.StringVar(&s.channel, "channel", "", "how: email, platform, post, hand, phone or handover (required)")
		fs.StringVar(&s.at, "at", "", "when it was delivered, Brussels `TIME` (default now)")
		fs.StringVar(&s.what, "what", "", "what was delivered, in words")
		fs.StringVar(&s.items, "items", "", "the kinds of data delivered, comma-separated (default those asked)")
	case "claim":
		fs.StringVar(&s.format, "format", "text", "text, csv or pdf")
		fs.StringVar(&s.output, "o", "", "for pdf, the output file `PREFIX` (default claim-YYYY-MM)")
	case "stats":
		fs.StringVar(&s.format, "format", "text", "text, csv or json")
	case "rota":
		fs.IntVar(&s.days, "days", 30, "how many `DAYS` ahead to check or export")
	}
	return fs
}

// language reads -lang.
func (s *session) language() error {
	for _, t := range requisition.Languages() {
		if b, _ := t.Base(); b.String() == s.lang {
			s.tag = t
			return nil
		}
	}
	return inputErr("-lang: one of fr, nl, de, en")
}

// load reads the desk's configuration and the cell file: bad input is
// reported before anything is opened.
func (s *session) load() error {
	if err := s.language(); err != nil {
		return err
	}
	if s.cellPath == "" {
		s.cellPath = filepath.Join(s.dir, "cell.json")
	}
	var err error
	if s.cfg, err = loadConfig(configPath(s.dir)); err != nil {
		return err
	}
	if s.cell, err = loadCell(s.cellPath); err != nil {
		return err
	}
	return nil
}

// open opens the register as the acting member.
func (s *session) open() error {
	if s.as == "" {
		return inputErr("-as: say which member of the cell you are (or set CCJKIT_MEMBER)")
	}
	if !slices.Contains(s.cell.memberIDs(), s.as) {
		return inputErr("-as: not a member of the cell in %s", s.cellPath)
	}
	id, err := loadIdentity(s.identity)
	if err != nil {
		return err
	}
	ring, err := register.NewKeyring(s.cfg.Keyring...)
	if err != nil {
		return inputErr("%s: keyring: %v", configPath(s.dir), err)
	}
	reg, rep, err := register.OpenRegister(journalPath(s.dir), register.Config{
		Clock: s.clock, Keyring: ring, Identity: id, Members: s.cell.memberIDs()})
	if err != nil {
		return err
	}
	if rep.TornBytes > 0 {
		fmt.Fprintf(s.err, "desk: the journal ended with an incomplete record (%d bytes, from a crash); it was cut back to the last whole record\n", rep.TornBytes)
	}
	s.reg = reg
	return nil
}

func (s *session) close() {
	if s.reg != nil {
		s.reg.Close()
	}
}

func (s *session) now() time.Time { return s.clock.Now() }

func (s *session) cellNow() (ccj.Cell, error) {
	return s.cell.withShifts(s.now().AddDate(0, 0, -62), s.now().AddDate(0, 0, max(s.days, 31)))
}

func (s *session) verdict() timesync.Verdict {
	v, why := verdict(s.ctx, s.clock)
	if why != "" {
		fmt.Fprintf(s.err, "desk: clock not checked (%s): the times recorded are this machine's, unverified\n", why)
	}
	return v
}

func (s *session) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.out, "%s\n", b)
	return err
}

func one(args []string, what string) (string, error) {
	if len(args) != 1 {
		return "", inputErr("give one %s", what)
	}
	return args[0], nil
}

// begin loads, checks the arguments and opens the register.
func (s *session) begin(args []string, what string) (string, error) {
	arg, err := one(args, what)
	if err != nil {
		return "", err
	}
	if err := s.load(); err != nil {
		return "", err
	}
	return arg, nil
}

func runInit(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("init takes no argument")
	}
	if s.identity == "" {
		return inputErr("-identity: the file to keep your age secret key in")
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	var id register.Identity
	if b, err := os.ReadFile(s.identity); err == nil {
		if id, err = register.ParseIdentity(string(b)); err != nil {
			return inputErr("%s: not an age secret key", s.identity)
		}
	} else {
		if id, err = register.NewIdentity(); err != nil {
			return err
		}
		if err := os.WriteFile(s.identity, []byte(id.Secret()+"\n"), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "your secret key is in %s (keep it off the register's disk)\n", s.identity)
	}
	if _, err := os.Stat(configPath(s.dir)); err == nil {
		return inputErr("%s exists already", configPath(s.dir))
	}
	cfg := Config{MonthRule: requisition.FromNextDay, Keyring: []string{id.Public()}, Billing: map[string]indemnity.Service{}}
	b, _ := json.MarshalIndent(cfg, "", "  ")
	if err := os.WriteFile(configPath(s.dir), append(b, '\n'), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "wrote %s: add the other members' public keys to keyring, the operator's details, and billing\nyour public key: %s\n", configPath(s.dir), id.Public())
	return nil
}

// decodeFile loads the desk's files and reads and decodes the one file
// argument, all before the register is opened, so that bad input writes
// nothing.
func decodeFile[T any](s *session, args []string, what string, decode func([]byte) (T, error)) (T, error) {
	var zero T
	file, err := s.begin(args, what)
	if err != nil {
		return zero, err
	}
	b, err := readFile(file)
	if err != nil {
		return zero, err
	}
	v, err := decode(b)
	if err != nil {
		return zero, decodeErr(file, err)
	}
	return v, nil
}

func runReceive(s *session, args []string) error {
	req, err := decodeFile(s, args, "requisition file", requisition.Decode)
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	id := s.id
	if id == "" {
		id = nextID(s.reg.Cases(), s.now())
	}
	c, err := s.reg.Receive(id, req, s.as, s.verdict())
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(c)
	}
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("received as case %s", id))
	if dl, err := c.Deadline(); err == nil {
		fmt.Fprintln(s.out, p.Sprintf("answer due: %s", dl.String()))
	}
	if n := len(req.Findings(s.now(), s.cfg.MonthRule)); n > 0 {
		fmt.Fprintln(s.out, p.Sprintf("%d finding(s): run desk check %s", n, id))
	}
	return nil
}

// nextID returns the next case ID of the year: YYYY-NNNN.
func nextID(ids []string, now time.Time) string {
	year := requisition.BrusselsDate(now).Year()
	n := 1
	for _, id := range ids {
		var y, k int
		if c, _ := fmt.Sscanf(id, "%d-%d", &y, &k); c == 2 && y == year && k >= n {
			n = k + 1
		}
	}
	return fmt.Sprintf("%d-%04d", year, n)
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
	due := s.reg.DueWithin(s.now(), 100*365*24*time.Hour)
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
			when = p.Sprintf("due %s", d.Deadline.String())
		case d.Overdue:
			when = p.Sprintf("OVERDUE by %s (due %s)", left(-d.Left), stamp(timesync.FromTime(d.Deadline.At)))
		default:
			when = p.Sprintf("%s left (due %s)", left(d.Left), stamp(timesync.FromTime(d.Deadline.At)))
		}
		fmt.Fprintf(w, "  %-12s %-22s %s\n", d.Case, p.Sprintf("state:"+string(d.State)), when)
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
	cell, err := s.cell.withShifts(c.Requisition.Received.Time().AddDate(0, 0, -2), c.Requisition.Received.Time().AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	renderCase(s.out, c, cell, s.cfg.MonthRule, s.tag, "")
	return nil
}

func transition(ev register.Event) func(*session, []string) error {
	return func(s *session, args []string) error {
		id, err := s.begin(args, "case ID")
		if err != nil {
			return err
		}
		if err := s.open(); err != nil {
			return err
		}
		defer s.close()
		c, err := s.reg.Apply(id, ev, s.as, s.verdict(), s.note)
		if err != nil {
			return err
		}
		return s.stepDone(c)
	}
}

func (s *session) stepDone(c register.Case) error {
	if s.asJSON {
		return s.printJSON(c.History[len(c.History)-1])
	}
	t := c.History[len(c.History)-1]
	fmt.Fprintf(s.out, "%s: %s → %s (%s)\n", c.ID, printer(s.tag).Sprintf("event:"+string(t.Event)), printer(s.tag).Sprintf("state:"+string(c.State)), stamp(t.At))
	return nil
}

// checkCase checks a case's requisition at now: lawful when no finding is
// an error, contested otherwise, with the rules and articles as the note.
func checkCase(reg *register.Register, id string, now time.Time, rule requisition.MonthRule, actor string, v timesync.Verdict) (register.Case, []requisition.Finding, error) {
	c, ok := reg.Case(id)
	if !ok {
		return register.Case{}, nil, register.ErrUnknownCase
	}
	fs := c.Requisition.Findings(now, rule)
	var errs []string
	for _, f := range fs {
		if f.Severity == requisition.Error {
			errs = append(errs, f.Rule+" ("+f.Source.Article+")")
		}
	}
	if len(errs) == 0 {
		c, err := reg.Apply(id, register.CheckLawful, actor, v, fmt.Sprintf("%d finding(s), none an error", len(fs)))
		return c, fs, err
	}
	c, err := reg.Apply(id, register.Contest, actor, v, "rules not met: "+strings.Join(errs, "; "))
	return c, fs, err
}

func runCheck(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	c, fs, err := checkCase(s.reg, id, s.now(), s.cfg.MonthRule, s.as, s.verdict())
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

func runWorkOrder(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	var due time.Time
	if s.due != "" {
		if d, err := time.ParseDuration(s.due); err == nil && d > 0 {
			due = s.now().Add(d)
		} else if ts, err := timesync.ParseBrussels(s.due, timesync.Strict); err == nil {
			due = ts.Time()
		} else {
			return inputErr("-due: a duration such as 4h, or a Brussels time such as 2026-11-24 10:00")
		}
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	wo, err := s.reg.IssueWorkOrder(id, nil, due, s.as, s.verdict())
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(wo)
	}
	fmt.Fprint(s.out, wo.Text(s.tag))
	return nil
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
	c, err := s.reg.AttachResult(res, s.as, s.verdict())
	if err != nil {
		return err
	}
	return s.stepDone(c)
}

func runAnswer(s *session, args []string) error {
	id, err := s.begin(args, "case ID")
	if err != nil {
		return err
	}
	if s.to == "" {
		return inputErr("-to: the recipient is needed")
	}
	if !slices.Contains(register.Channels(), register.Channel(s.channel)) {
		return inputErr("-channel: %s", register.Channel("").Hint())
	}
	d := register.Delivery{To: s.to, Channel: register.Channel(s.channel), What: s.what}
	if s.at != "" {
		if d.At, err = timesync.ParseBrussels(s.at, timesync.Strict); err != nil {
			return inputErr("-at: a Brussels time such as 2026-11-23 10:12:07")
		}
	}
	for _, it := range strings.Split(s.items, ",") {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		var item requisition.Item
		if err := item.UnmarshalText([]byte(it)); err != nil {
			return inputErr("-items: %s", item.Hint())
		}
		d.Items = append(d.Items, item)
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	if c, ok := s.reg.Case(id); ok && d.Items == nil && d.What == "" {
		d.Items = c.Requisition.Items
	}
	c, err := s.reg.Answer(id, d, s.as, s.verdict())
	if errors.Is(err, register.ErrInput) {
		return inputErr("%v", err)
	}
	if err != nil {
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

// month parses YYYY-MM into the Brussels instants that bound it.
func month(arg string) (from, until time.Time, err error) {
	ts, err := timesync.ParseBrussels(arg+"-01 00:00", timesync.Strict)
	if err != nil || len(arg) != 7 {
		return time.Time{}, time.Time{}, inputErr("a month as YYYY-MM")
	}
	next := ts.Brussels().AddDate(0, 1, 0)
	return ts.Time(), next.UTC(), nil
}

// claims builds the cost statements of the cases answered in [from,
// until), one per authority, and lists the answered cases no tariff line
// covers.
func claims(reg *register.Register, cfg Config, from, until time.Time, issued time.Time, tag language.Tag) ([]indemnity.Claim, []string, error) {
	groups := map[requisition.Authority][]indemnity.Executed{}
	var unbilled []string
	for _, id := range reg.Cases() {
		c, _ := reg.Case(id)
		if c.Delivery == nil || c.Delivery.At.Time().Before(from) || !c.Delivery.At.Time().Before(until) {
			continue
		}
		svc, ok := cfg.Billing[c.Requisition.Measure.String()]
		if !ok {
			unbilled = append(unbilled, id)
			continue
		}
		groups[c.Requisition.Authority] = append(groups[c.Requisition.Authority], indemnity.Executed{
			Service: svc, Reference: c.Requisition.Reference, Ordered: c.Requisition.Ordered, Executed: c.Delivery.At})
	}
	var out []indemnity.Claim
	var errs []error
	for _, a := range []requisition.Authority{requisition.JugeInstruction, requisition.ProcureurDuRoi, requisition.AuditeurDuTravail, requisition.OfficierPoliceJudiciaire} {
		ex := groups[a]
		if len(ex) == 0 {
			continue
		}
		f := requisition.BrusselsDate(from)
		h := indemnity.Header{Number: fmt.Sprintf("%04d-%02d-%s", f.Year(), int(f.Month()), a), Issued: requisition.BrusselsDate(issued),
			Operator: cfg.Operator, Authority: requisition.Label(tag, a), From: f, To: requisition.BrusselsDate(until.Add(-time.Second))}
		c, err := indemnity.NewClaim(h, ex, indemnity.ClaimOptions{})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, c)
	}
	return out, unbilled, errors.Join(errs...)
}

func runClaim(s *session, args []string) error {
	arg, err := s.begin(args, "month (YYYY-MM)")
	if err != nil {
		return err
	}
	from, until, err := month(arg)
	if err != nil {
		return err
	}
	if !slices.Contains([]string{"text", "csv", "pdf"}, s.format) {
		return inputErr("-format: text, csv or pdf")
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	cs, unbilled, err := claims(s.reg, s.cfg, from, until, s.now(), s.tag)
	if err != nil {
		return err
	}
	if s.asJSON {
		return s.printJSON(cs)
	}
	for _, c := range cs {
		switch s.format {
		case "text":
			c.Text(s.out, s.tag)
			fmt.Fprintln(s.out)
		case "csv":
			c.CSV(s.out)
		case "pdf":
			prefix := s.output
			if prefix == "" {
				prefix = "claim-" + arg
			}
			path := prefix + "-" + c.Number[8:] + ".pdf"
			if err := writePDF(path, c, s.tag); err != nil {
				return err
			}
			fmt.Fprintln(s.out, path)
		}
	}
	if len(unbilled) > 0 && s.format == "text" {
		fmt.Fprintln(s.out, printer(s.tag).Sprintf("Not billed (no tariff line for their measure in desk.json's billing): %s", strings.Join(unbilled, ", ")))
	}
	return nil
}

func writePDF(path string, c indemnity.Claim, tag language.Tag) error {
	var b bytes.Buffer
	if err := pdf.Write(&b, c, tag, pdf.Options{}); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}

func runStats(s *session, args []string) error {
	arg, err := s.begin(args, "year (YYYY) or month (YYYY-MM)")
	if err != nil {
		return err
	}
	var from, until time.Time
	switch len(arg) {
	case 4:
		f, _, e1 := month(arg + "-01")
		_, u, e2 := month(arg + "-12")
		from, until, err = f, u, errors.Join(e1, e2)
		if err != nil {
			err = inputErr("a year as YYYY")
		}
	default:
		from, until, err = month(arg)
	}
	if err != nil {
		return err
	}
	if !slices.Contains([]string{"text", "csv", "json"}, s.format) {
		return inputErr("-format: text, csv or json")
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	st := s.reg.Statistics(from, until, register.StatsOptions{})
	switch {
	case s.asJSON || s.format == "json":
		return s.printJSON(st)
	case s.format == "csv":
		_, err = s.out.Write(st.CSV())
		return err
	}
	fmt.Fprint(s.out, st.Text(s.tag))
	return nil
}

func runVerify(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("verify takes no argument")
	}
	if err := s.language(); err != nil {
		return err
	}
	path := journalPath(s.dir)
	if _, err := os.Stat(path); err != nil {
		return inputErr("%s: no journal", path)
	}
	recs, err := register.Verify(path)
	var ce *register.CorruptError
	if errors.As(err, &ce) {
		if s.asJSON {
			s.printJSON(map[string]any{"verified": false, "first_bad_record": ce.Seq})
		}
		return fmt.Errorf("%s does not verify: record %d (byte %d) is the first bad one: %s; the file was not modified", path, ce.Seq, ce.Offset, ce.Reason)
	}
	if err != nil {
		return err
	}
	last := recs[len(recs)-1]
	if s.asJSON {
		return s.printJSON(map[string]any{"verified": true, "records": len(recs), "last_seq": last.Seq, "last_hash": last.Hash.String(), "first": recs[0].Time, "last": last.Time})
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("%s: %d records, hash chain intact, from %s to %s; last hash %s", path, len(recs), stamp(recs[0].Time), stamp(last.Time), last.Hash))
	return nil
}

func runRota(s *session, args []string) error {
	sub, err := s.begin(args, "of check or export")
	if err != nil {
		return err
	}
	cell, err := s.cellNow()
	if err != nil {
		return err
	}
	switch sub {
	case "check":
		fs := cell.Report(s.now(), ccj.ReportOptions{Horizon: time.Duration(s.days) * 24 * time.Hour})
		if s.asJSON {
			return s.printJSON(fs)
		}
		bad := 0
		for _, f := range fs {
			fmt.Fprintf(s.out, "  - %s\n", f.Text(s.tag))
			if f.Severity == requisition.Error {
				bad++
			}
		}
		if bad > 0 {
			return fmt.Errorf("%d finding(s) are errors", bad)
		}
		fmt.Fprintln(s.out, printer(s.tag).Sprintf("the cell meets every rule checked"))
		return nil
	case "export":
		return cell.WriteICalendar(s.out, s.now())
	}
	return inputErr("rota: check or export")
}
