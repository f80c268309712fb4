package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
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
	withoutResult                   string
	days, threshold                 int
	duplicate                       bool
	// dsnFile is -register-dsn: the file of a PostgreSQL register's
	// connection string.
	dsnFile string
	// demo: the session is one of the demonstration's, whose register
	// is its own journal file (never a database the environment names).
	demo bool
	// pg: the register open is kept in PostgreSQL, whose connection
	// string is dsn.
	pg  bool
	dsn string
	// pipe: the run is a mail server's pipe delivery, whose standard
	// error the server quotes in bounces: it says nothing of the cell.
	pipe bool

	tag  language.Tag
	cfg  Config
	cell ccj.Cell
	reg  *register.Register
	me   register.Identity
	// found: this command may create and found the register (init, or
	// upgrade -found).
	found        bool
	upgradeFound bool

	// clockVerdict is this run's clock check, made once (verdict), and
	// clockWhy why it is no evidence, if it is not; clockUsed: a step
	// was given it.
	clockVerdict *timesync.Verdict
	clockWhy     string
	clockUsed    bool
}

// registerFlags are the flags of every command that works on a
// register.
func registerFlags(s *session, fs *flag.FlagSet) {
	fs.StringVar(&s.dir, "dir", defaultDir(), "the register's `DIR`ectory (desk.json, ccj.journal; default $CCJKIT_DIR, else the current directory)")
	fs.BoolVar(&s.asJSON, "json", false, "write JSON, for scripts")
	fs.StringVar(&s.anchorDir, "anchors", defaultAnchors(), "`DIR` outside the register where this machine keeps its signed checkpoints (default $CCJKIT_ANCHORS, else ~/.local/state/ccjkit/anchors)")
	fs.StringVar(&s.identity, "identity", os.Getenv("CCJKIT_IDENTITY"), "your identity `FILE` (default $CCJKIT_IDENTITY): your name and keys")
	dsnFlag(s, fs)
}

// cellFlags are registerFlags and -cell: the flags of the commands that
// read the cell file too.
func cellFlags(s *session, fs *flag.FlagSet) {
	registerFlags(s, fs)
	fs.StringVar(&s.cellPath, "cell", "", "the cell `FILE` (default DIR/cell.json)")
}

// defaultDir is $CCJKIT_DIR, else the current directory.
func defaultDir() string {
	if d := os.Getenv("CCJKIT_DIR"); d != "" {
		return d
	}
	return "."
}

// defaultLanguage is the language the environment asks for, as POSIX
// reads it: the first of $LC_ALL, $LC_MESSAGES and $LANG that is set
// decides ("fr_BE.UTF-8" is fr); English when that one names a language
// the desk does not speak (C, POSIX, es_ES...) or none is set.
func defaultLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		locale := os.Getenv(v)
		if locale == "" {
			continue
		}
		base := locale
		if i := strings.IndexAny(locale, "_.@-"); i >= 0 {
			base = locale[:i]
		}
		base = strings.ToLower(base)
		for _, t := range requisition.Languages() {
			if b, _ := t.Base(); b.String() == base {
				return base
			}
		}
		break
	}
	return "en"
}

// language reads -lang: fr, nl, de or en (in a test binary, also the
// pseudo-locale en-XA).
func (s *session) language() error {
	for _, t := range languages() {
		if t.String() == s.lang {
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
	var err error
	if s.cfg, err = loadConfig(configPath(s.dir)); err != nil {
		return err
	}
	if s.cell, err = loadCell(s.cellFile(), s.now()); err != nil {
		return err
	}
	return nil
}

// cellFile returns the cell file's path: -cell, else cell.json in -dir.
func (s *session) cellFile() string {
	if s.cellPath == "" {
		s.cellPath = filepath.Join(s.dir, "cell.json")
	}
	return s.cellPath
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
	dsn, err := s.registerDSN()
	if err != nil {
		return err
	}
	if dsn != "" {
		// The register in PostgreSQL (docs/postgres.md): the same
		// register, its journal a database's; this machine's checkpoints
		// are checked against it by the journal's identity.
		reg, err := register.OpenStore(s.pgOpener(dsn), cfg)
		if err != nil {
			return err
		}
		s.reg, s.me, s.pg, s.dsn = reg, id, true, dsn
		return nil
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
		if err == nil && s.pg {
			err = s.anchors().Save(cp) // a database's journal has no path: by its identity
		} else if err == nil {
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

// verdict is the clock's verdict for a step to record: the clock is
// checked once per run, however many steps take it, and what was found
// is said once, by clockNote, when the command succeeded.
func (s *session) verdict() timesync.Verdict {
	if s.clockVerdict == nil {
		v, why := verdict(s.ctx, s.clock, s.tag)
		s.clockVerdict, s.clockWhy = &v, why
	}
	s.clockUsed = true
	return *s.clockVerdict
}

// clockNote says, once per run and only when a step was recorded, that
// the clock could not be checked: the steps carry no clock evidence. A
// command that failed recorded nothing and says nothing of the clock.
func (s *session) clockNote() {
	if s.clockUsed && s.clockWhy != "" {
		fmt.Fprintln(s.err, printer(s.tag).Sprintf("desk: clock not checked (%s): the times recorded are this machine's, unverified", s.clockWhy))
	}
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
		return "", inputErr("give one %s", phrase(what))
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
