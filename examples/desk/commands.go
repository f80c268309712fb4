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

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/indemnity/pdf"
	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// session is one run of the desk: its flags, its outputs, its clock.
type session struct {
	ctx      context.Context
	stdin    io.Reader
	out, err io.Writer
	clock    timesync.Clock

	dir, cellPath, identity, lang   string
	name, role, anchorDir           string
	asJSON                          bool
	id, note, to, channel, at, what string
	items, due, format, output      string
	days                            int

	tag  language.Tag
	cfg  Config
	cell ccj.Cell
	reg  *register.Register
	me   register.Identity
	// found: this command may create and found the register (init, or
	// upgrade -found).
	found        bool
	upgradeFound bool
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
	fs.StringVar(&s.anchorDir, "anchors", defaultAnchors(), "`DIR` outside the register where this machine keeps its signed checkpoints (default $CCJKIT_ANCHORS, else ~/.local/state/ccjkit/anchors)")
	fs.StringVar(&s.identity, "identity", os.Getenv("CCJKIT_IDENTITY"), "your identity `FILE` (default $CCJKIT_IDENTITY): your name and keys")
	if cmd.name == "verify" || cmd.name == "repair" {
		return fs
	}
	fs.StringVar(&s.cellPath, "cell", "", "the cell `FILE` (default DIR/cell.json)")
	switch cmd.name {
	case "init":
		fs.StringVar(&s.name, "name", "", "your member `ID` in the cell file, when init creates your identity")
	case "member":
		fs.StringVar(&s.name, "name", "", "for keygen and upgrade: the new identity's `NAME`")
		fs.StringVar(&s.role, "role", "member", "for keygen: member, recovery or service")
		fs.BoolVar(&s.upgradeFound, "found", false, "for upgrade: also found the roster of the register in -dir, written by an earlier version")
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
	if s.cell, err = loadCell(s.cellPath, s.now()); err != nil {
		return err
	}
	return nil
}

// open opens the register as the acting member.
func (s *session) open() error {
	id, err := loadIdentity(s.identity)
	if err != nil {
		return err
	}
	if _, ok := s.cell.Member(id.Name()); id.Role() == register.RoleMember && !ok {
		return inputErr("%s: your identity's name is not a member of the cell in %s", s.identity, s.cellPath)
	}
	cfg := register.Config{Clock: s.clock, Identity: id, Found: s.found}
	if s.anchorDir != "" {
		a := s.anchors()
		cfg.Anchors = &a
	}
	reg, rep, err := register.Open(journalPath(s.dir), cfg)
	if errors.Is(err, register.ErrNotFounded) {
		return fmt.Errorf("no register in %s: desk init founds one (a register that vanished is restored from a backup: docs/recovery.md): %w", s.dir, err)
	}
	if errors.Is(err, journal.ErrCheckpoint) {
		return fmt.Errorf("the register does not hold what this machine's checkpoints vouch for: restore it from a backup (docs/recovery.md), then run desk verify: %w", err)
	}
	if err != nil {
		return err
	}
	if rep.TornBytes > 0 {
		fmt.Fprintf(s.err, "desk: the journal ends with an incomplete write (%d bytes, from a crash, never acknowledged); it is set aside in a quarantine file at the next write\n", rep.TornBytes)
	}
	s.reg, s.me = reg, id
	return nil
}

// anchors is where this machine keeps the register's checkpoints.
func (s *session) anchors() journal.Anchors { return journal.Anchors{Dir: s.anchorDir} }

// defaultAnchors is $CCJKIT_ANCHORS, else ~/.local/state/ccjkit/anchors
// ($XDG_STATE_HOME/ccjkit/anchors).
func defaultAnchors() string {
	if d := os.Getenv("CCJKIT_ANCHORS"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "ccjkit", "anchors")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "state", "ccjkit", "anchors")
	}
	return ""
}

// close signs a checkpoint of the register as it stands, keeps it in
// this machine's anchors, and closes the register.
func (s *session) close() {
	if s.reg == nil {
		return
	}
	if s.anchorDir != "" {
		cp, err := s.reg.Checkpoint()
		if err == nil {
			err = s.anchors().Keep(journalPath(s.dir), cp)
		}
		if err != nil {
			fmt.Fprintf(s.err, "desk: no checkpoint kept in %s: %v\n", s.anchorDir, err)
		}
	}
	s.reg.Close()
	s.reg = nil
}

func (s *session) now() time.Time { return s.clock.Now() }

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
		return inputErr("-identity: the file to keep your identity in (your name and secret keys)")
	}
	if err := s.language(); err != nil {
		return err
	}
	if s.cellPath == "" {
		s.cellPath = filepath.Join(s.dir, "cell.json")
	}
	cell, err := loadCell(s.cellPath, s.now())
	if err != nil {
		return err
	}
	if _, err := os.Stat(configPath(s.dir)); err == nil {
		return inputErr("%s exists already", configPath(s.dir))
	}
	var id register.Identity
	if b, err := os.ReadFile(s.identity); err == nil {
		if id, err = register.ParseIdentity(string(b)); err != nil {
			return inputErr("%s: %v", s.identity, err)
		}
	} else {
		if s.name == "" {
			return inputErr("-name: your member ID in %s, to make your identity", s.cellPath)
		}
		if id, err = register.NewIdentity(s.name, register.RoleMember); err != nil {
			return inputErr("-name: %v", err)
		}
	}
	if _, ok := cell.Member(id.Name()); !ok {
		return inputErr("your identity's name is not a member of the cell in %s", s.cellPath)
	}
	if err := writeIdentity(s.identity, id); err != nil {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	cfg := Config{MonthRule: requisition.FromNextDay, Billing: map[string]indemnity.Service{}}
	b, _ := json.MarshalIndent(cfg, "", "  ")
	if err := os.WriteFile(configPath(s.dir), append(b, '\n'), 0o600); err != nil {
		return err
	}
	s.cell, s.found = cell, true
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	fmt.Fprintf(s.out, "wrote %s: add the operator's details and billing\nthe register in %s is founded by %s; add the other members with: desk member add\n", configPath(s.dir), journalPath(s.dir), id.Name())
	return nil
}

// writeIdentity writes an identity file, mode 0600, unless it exists.
func writeIdentity(path string, id register.Identity) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(id.Secret()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func runMember(s *session, args []string) error {
	if len(args) == 0 {
		return inputErr("member: keygen, add, remove, list or upgrade")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "keygen":
		if len(args) != 0 || s.name == "" || s.identity == "" {
			return inputErr("member keygen -name NAME [-role member|recovery|service] -identity FILE")
		}
		if _, err := os.Stat(s.identity); err == nil {
			return inputErr("%s exists already", s.identity)
		}
		id, err := register.NewIdentity(s.name, register.Role(s.role))
		if err != nil {
			return inputErr("%v", err)
		}
		if err := writeIdentity(s.identity, id); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "identity written to %s (keep it secret; a recovery identity belongs on paper, in a safe)\ngive a member this line to add it:\n%s\n", s.identity, id.Public())
		return nil
	case "upgrade":
		if len(args) != 2 || s.name == "" {
			return inputErr("member upgrade -name NAME OLD-AGE-KEY-FILE NEW-IDENTITY-FILE")
		}
		b, err := readFile(args[0])
		if err != nil {
			return err
		}
		id, err := register.UpgradeIdentity(string(b), s.name)
		if err != nil {
			return inputErr("%s: %v", args[0], err)
		}
		if _, err := os.Stat(args[1]); err == nil {
			return inputErr("%s exists already", args[1])
		}
		if err := writeIdentity(args[1], id); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "identity written to %s: it keeps your age key (which opens the records written before) and adds a signing key\n%s\n", args[1], id.Public())
		if !s.upgradeFound {
			return nil
		}
		// Found the roster of the register of the earlier format in -dir
		// with the new identity.
		if err := s.load(); err != nil {
			return err
		}
		s.identity, s.found = args[1], true
		if err := s.open(); err != nil {
			return err
		}
		defer s.close()
		fmt.Fprintf(s.out, "the register in %s is upgraded: its roster is founded by %s; add the other members with desk member add\n", s.dir, id.Name())
		return nil
	case "add", "remove", "list":
	default:
		return inputErr("member: keygen, add, remove, list or upgrade")
	}
	var arg string
	if sub != "list" {
		if len(args) != 1 {
			return inputErr("member %s: give one %s", sub, map[string]string{"add": "public identity line (or file holding it)", "remove": "name"}[sub])
		}
		arg = args[0]
	} else if len(args) != 0 {
		return inputErr("member list takes no argument")
	}
	var pub register.PublicIdentity
	if sub == "add" {
		line := arg
		if b, err := os.ReadFile(arg); err == nil {
			line = strings.TrimSpace(string(b))
		}
		var err error
		if pub, err = register.ParsePublicIdentity(line); err != nil {
			return inputErr("%v", err)
		}
	}
	if err := s.load(); err != nil {
		return err
	}
	if _, ok := s.cell.Member(pub.Name); sub == "add" && pub.Role == register.RoleMember && !ok {
		return inputErr("%s is not a member of the cell in %s: add them there first", pub.Name, s.cellPath)
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	switch sub {
	case "add":
		m, err := s.reg.AddMember(pub, s.verdict())
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%s added as %s by %s (record %d)\n", m.Name, m.Role, m.AddedBy, m.AddedAt)
	case "remove":
		if err := s.reg.RemoveMember(arg, s.verdict()); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%s removed: a new epoch key was drawn for the identities that remain\n", arg)
	case "list":
		ms := s.reg.Members()
		if s.asJSON {
			return s.printJSON(ms)
		}
		for _, m := range ms {
			state := "active"
			if !m.Active {
				state = fmt.Sprintf("removed %s by %s", stamp(m.Removed), m.RemovedBy)
			}
			fmt.Fprintf(s.out, "  %-12s %-9s added %s by %s; %s; %d record(s) signed\n", m.Name, m.Role, stamp(m.Added), m.AddedBy, state, m.Records)
		}
	}
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
	var c register.Case
	if s.id == "" {
		c, err = s.reg.ReceiveNext(req, s.me.Name(), s.verdict())
	} else {
		c, err = s.reg.Receive(s.id, req, s.me.Name(), s.verdict())
	}
	if err != nil {
		return err
	}
	id := c.ID
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
	renderCase(s.out, c, s.cell, s.cfg.MonthRule, s.tag, "")
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
		c, err := s.reg.Apply(id, ev, s.me.Name(), s.verdict(), s.note)
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
func checkCase(reg *register.Register, id string, now time.Time, rule requisition.MonthRule, actor string, v timesync.Verdict) (register.Case, []provenance.Finding, error) {
	c, ok := reg.Case(id)
	if !ok {
		return register.Case{}, nil, register.ErrUnknownCase
	}
	fs := c.Requisition.Findings(now, rule)
	var errs []string
	for _, f := range fs {
		if f.Severity == provenance.Error {
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
	c, fs, err := checkCase(s.reg, id, s.now(), s.cfg.MonthRule, s.me.Name(), s.verdict())
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
	c, err := s.reg.Answer(id, d, s.me.Name(), s.verdict())
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
	for _, id := range reg.CaseIDs() {
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
			Operator: cfg.Operator, Authority: a.Label(tag), From: f, To: requisition.BrusselsDate(until.Add(-time.Second))}
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
	fail := func(what string, err error) error {
		if s.asJSON {
			s.printJSON(map[string]any{"verified": false, "problem": what, "error": err.Error()})
		}
		return fmt.Errorf("%s does not verify: %w; the file was not modified", path, err)
	}
	if s.anchorDir != "" {
		// A register this machine kept must still be there, the same
		// journal.
		if err := s.anchors().CheckPath(path); err != nil && !errors.Is(err, journal.ErrNoHeader) {
			var ce *journal.CorruptError
			if !errors.As(err, &ce) {
				return fail("checkpoint", err)
			}
		}
	}
	if _, err := os.Stat(path); err != nil {
		return inputErr("%s: no journal", path)
	}
	recs, err := journal.ReadFile(path)
	torn := journal.IsTornTail(err)
	var ce *journal.CorruptError
	switch {
	case errors.Is(err, journal.ErrNoHeader):
		return fail("no-header", fmt.Errorf("%w: if the file is empty or holds only part of a header, run desk repair (docs/recovery.md)", err))
	case errors.As(err, &ce) && !torn:
		return fail("corrupt", fmt.Errorf("record %d (byte %d) is the first bad one: %s (docs/recovery.md)", ce.Seq, ce.Offset, ce.Reason))
	case err != nil && !torn:
		return err
	}
	audit, aerr := register.AuditRecords(recs)
	if aerr != nil {
		return fail("roster", aerr)
	}
	cps, cerr := s.anchors().CheckAnchors(recs)
	if cerr != nil {
		return fail("checkpoint", cerr)
	}
	// With an identity, the sealed records are opened and replayed too:
	// each step's actor must be the member who signed it.
	replayed := false
	if s.identity != "" && len(audit.Members) > 0 {
		id, err := loadIdentity(s.identity)
		if err != nil {
			return err
		}
		reg, _, err := register.Open(path, register.Config{Clock: s.clock, Identity: id})
		if err != nil {
			return fail("replay", err)
		}
		reg.Close()
		replayed = true
	}
	last := recs[len(recs)-1]
	if s.asJSON {
		return s.printJSON(map[string]any{"verified": true, "records": len(recs), "unsigned": audit.Unsigned, "members": audit.Members, "replayed": replayed,
			"checkpoints": len(cps), "torn_tail": torn, "last_seq": last.Seq, "last_hash": last.Hash.String(), "first": recs[0].Time, "last": last.Time})
	}
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("%s: %d records, hash chain intact, from %s to %s; last hash %s", path, len(recs), stamp(recs[0].Time), stamp(last.Time), last.Hash))
	if audit.Unsigned > 0 {
		fmt.Fprintln(s.out, p.Sprintf("%d record(s) unsigned (earlier format): verified by the chain, attributed only by their sealed content", audit.Unsigned))
	}
	for _, m := range audit.Members {
		fmt.Fprintln(s.out, p.Sprintf("signatures: %s (%s) signed %d record(s)", m.Name, m.Role, m.Records))
	}
	fmt.Fprintln(s.out, p.Sprintf("%d checkpoint(s) kept on this machine hold", len(cps)))
	if replayed {
		fmt.Fprintln(s.out, p.Sprintf("every record opened and replayed: each step was signed by the member it names"))
	}
	if torn {
		fmt.Fprintln(s.out, p.Sprintf("the journal ends with an incomplete write (never acknowledged); the next write sets it aside"))
	}
	return nil
}

func runRepair(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("repair takes no argument")
	}
	path := journalPath(s.dir)
	_, err := journal.ReadFile(path)
	switch {
	case errors.Is(err, journal.ErrNoHeader):
		moved, err := journal.RecoverHeaderless(path, s.clock)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "the header-less file was set aside as %s; the next desk command creates a new journal (run desk init again)\n", moved)
		return nil
	case journal.IsTornTail(err):
		id, err := loadIdentity(s.identity)
		if err != nil {
			return err
		}
		var anchors *journal.Anchors
		if s.anchorDir != "" {
			a := s.anchors()
			anchors = &a
		}
		recs, err := register.RepairJournal(path, id, s.clock, anchors)
		if err != nil {
			return fmt.Errorf("not repaired: %w", err)
		}
		if len(recs) == 0 {
			// Another member's write set it aside since we looked.
			fmt.Fprintln(s.out, "nothing to repair")
			return nil
		}
		fmt.Fprintf(s.out, "the incomplete last write was set aside (record %d records the repair)\n", recs[0].Seq)
		return nil
	case err != nil:
		return fmt.Errorf("%w: this is damage, not a crash's incomplete write: desk repair does not cut it; see docs/recovery.md", err)
	}
	fmt.Fprintln(s.out, "nothing to repair")
	return nil
}

func runRota(s *session, args []string) error {
	sub, err := s.begin(args, "of check or export")
	if err != nil {
		return err
	}
	switch sub {
	case "check":
		fs := s.cell.Report(s.now(), ccj.ReportOptions{Horizon: time.Duration(s.days) * 24 * time.Hour})
		if s.asJSON {
			return s.printJSON(fs)
		}
		bad := 0
		for _, f := range fs {
			fmt.Fprintf(s.out, "  - %s\n", f.Text(s.tag))
			if f.Severity == provenance.Error {
				bad++
			}
		}
		if bad > 0 {
			return fmt.Errorf("%d finding(s) are errors", bad)
		}
		fmt.Fprintln(s.out, printer(s.tag).Sprintf("the cell meets every rule checked"))
		return nil
	case "export":
		cell, err := s.cell.Expand(s.now(), s.now().AddDate(0, 0, s.days))
		if err != nil {
			return inputErr("-days: %v", err)
		}
		return cell.WriteICalendar(s.out, s.now())
	}
	return inputErr("rota: check or export")
}
