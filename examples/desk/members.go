package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/indemnity"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
)

func initFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.name, "name", "", "your member `ID` in the cell file, when init creates your identity")
}

// runInit founds a register in -dir: it writes desk.json and, unless it
// exists, your identity file, then opens the register as its founder.
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
	cell, err := loadCell(s.cellFile(), s.now())
	if err != nil {
		return err
	}
	// Every refusal comes before anything is written.
	for _, p := range []string{configPath(s.dir), journalPath(s.dir)} {
		if _, err := os.Lstat(p); err == nil {
			return inputErr("%s exists already: init founds a new register (to join one, a member adds you: desk member add)", p)
		}
	}
	// A cell file given elsewhere is copied into the directory, where
	// every later command reads it; one already there is never replaced.
	cellCopy := filepath.Join(s.dir, "cell.json")
	if same, _ := samePath(s.cellFile(), cellCopy); same {
		cellCopy = ""
	} else if _, err := os.Lstat(cellCopy); err == nil {
		return inputErr("%s exists already: init does not replace it (leave out -cell to use it)", cellCopy)
	}
	id, err := s.founderIdentity(cell)
	if err != nil {
		return err
	}
	var made []string // what init wrote, removed should founding fail
	if _, err := os.Lstat(s.identity); err != nil {
		made = append(made, s.identity)
	}
	undo := func(err error) error {
		for _, p := range made {
			os.Remove(p)
		}
		return err
	}
	if err := writeIdentity(s.identity, id); err != nil {
		return undo(err)
	}
	if err := writeConfig(s.dir); err != nil {
		return undo(err)
	}
	made = append(made, configPath(s.dir))
	if cellCopy != "" {
		b, err := os.ReadFile(s.cellFile())
		if err == nil {
			err = os.WriteFile(cellCopy, b, 0o600)
		}
		if err != nil {
			return undo(err)
		}
		made = append(made, cellCopy)
	}
	s.cell, s.found = cell, true
	if err := s.open(); err != nil {
		return undo(err)
	}
	defer s.close()
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("wrote %s: add the operator's details and billing", configPath(s.dir)))
	fmt.Fprintln(s.out, p.Sprintf("the register in %s is founded by %s; add the other members with: desk member add", journalPath(s.dir), id.Name()))
	if cellCopy != "" {
		fmt.Fprintln(s.out, p.Sprintf("copied the cell file to %s: the other commands read it there", cellCopy))
	}
	return nil
}

// samePath reports whether a and b name the same file path once made
// absolute and clean.
func samePath(a, b string) (bool, error) {
	aa, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	bb, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	return aa == bb, nil
}

// founderIdentity reads the identity in -identity, or makes one named
// -name when the file does not exist; its name must be a member of the
// cell.
func (s *session) founderIdentity(cell ccj.Cell) (register.Identity, error) {
	var id register.Identity
	if b, err := os.ReadFile(s.identity); err == nil {
		if id, err = register.ParseIdentity(string(b)); err != nil {
			return id, inputErr("%s: %v", s.identity, err)
		}
	} else {
		if s.name == "" {
			return id, inputErr("-name: your member ID in %s, to make your identity", s.cellPath)
		}
		if id, err = register.NewIdentity(s.name, register.RoleMember); err != nil {
			return id, inputErr("-name: %v", err)
		}
	}
	if _, ok := cell.Member(id.Name()); !ok {
		return id, inputErr("your identity's name is not a member of the cell in %s", s.cellPath)
	}
	return id, nil
}

// writeConfig writes a new desk.json in dir, for the cell to complete:
// periods in months counted from the next day, nothing billed yet.
func writeConfig(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	cfg := Config{MonthRule: requisition.FromNextDay, Billing: indemnity.Billing{}}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(configPath(dir), append(b, '\n'), 0o600)
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

func memberFlags(s *session, fs *flag.FlagSet) {
	cellFlags(s, fs)
	fs.StringVar(&s.name, "name", "", "for keygen and upgrade: the new identity's `NAME`")
	fs.StringVar(&s.role, "role", "member", "for keygen: member, recovery, service or watch")
	fs.BoolVar(&s.upgradeFound, "found", false, "for upgrade: also found the roster of the register in -dir, written by an earlier version")
}

// memberUsage names the member subcommands.
const memberUsage = "member: keygen, add, remove, list or upgrade"

// runMember runs a member subcommand.
func runMember(s *session, args []string) error {
	if err := s.language(); err != nil {
		return err
	}
	if len(args) == 0 {
		return inputErr(memberUsage)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "keygen":
		return memberKeygen(s, args)
	case "upgrade":
		return memberUpgrade(s, args)
	case "add":
		return memberAdd(s, args)
	case "remove":
		return memberRemove(s, args)
	case "list":
		return memberList(s, args)
	}
	return inputErr(memberUsage)
}

// memberKeygen makes a new identity in -identity and prints the public
// line a member adds.
func memberKeygen(s *session, args []string) error {
	if len(args) != 0 || s.name == "" || s.identity == "" {
		return inputErr("member keygen -name NAME [-role member|recovery|service|watch] -identity FILE")
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
	p := printer(s.tag)
	fmt.Fprintln(s.out, p.Sprintf("identity written to %s (keep it secret; a recovery identity belongs on paper, in a safe)", s.identity))
	fmt.Fprintln(s.out, p.Sprintf("give a member this line to add it:"))
	fmt.Fprintln(s.out, id.Public())
	return nil
}

// memberUpgrade makes an identity from the age key of an earlier
// version and, with -found, founds the roster of the register in -dir
// with it.
func memberUpgrade(s *session, args []string) error {
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
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("identity written to %s: it keeps your age key (which opens the records written before) and adds a signing key", args[1]))
	fmt.Fprintln(s.out, id.Public())
	if !s.upgradeFound {
		return nil
	}
	if err := s.load(); err != nil {
		return err
	}
	s.identity, s.found = args[1], true
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("the register in %s is upgraded: its roster is founded by %s; add the other members with desk member add", s.dir, id.Name()))
	return nil
}

// memberAdd adds the identity of a public line, given as such or in a
// file; a member identity must name a member of the cell.
func memberAdd(s *session, args []string) error {
	if len(args) != 1 {
		return inputErr("member add: give one public identity line (or file holding it)")
	}
	line := args[0]
	if b, err := os.ReadFile(line); err == nil {
		line = strings.TrimSpace(string(b))
	}
	pub, err := register.ParsePublicIdentity(line)
	if err != nil {
		return inputErr("%v", err)
	}
	if err := s.load(); err != nil {
		return err
	}
	if _, ok := s.cell.Member(pub.Name); pub.Role == register.RoleMember && !ok {
		return inputErr("%s is not a member of the cell in %s: add them there first", pub.Name, s.cellPath)
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	m, err := s.reg.AddMember(pub, s.verdict())
	if err != nil {
		return err
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("%s added as %s by %s (record %d)", m.Name, m.Role.Label(s.tag), m.AddedBy, m.AddedAt))
	return nil
}

// memberRemove removes an identity: the register draws a new epoch key
// for those that remain.
func memberRemove(s *session, args []string) error {
	if len(args) != 1 {
		return inputErr("member remove: give one name")
	}
	if err := s.load(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	if err := s.reg.RemoveMember(args[0], s.verdict()); err != nil {
		return err
	}
	fmt.Fprintln(s.out, printer(s.tag).Sprintf("%s removed: a new epoch key was drawn for the identities that remain", args[0]))
	return nil
}

// memberList lists the register's identities, those removed included.
func memberList(s *session, args []string) error {
	if len(args) != 0 {
		return inputErr("member list takes no argument")
	}
	if err := s.load(); err != nil {
		return err
	}
	if err := s.open(); err != nil {
		return err
	}
	defer s.close()
	ms := s.reg.Members()
	if s.asJSON {
		return s.printJSON(ms)
	}
	p := printer(s.tag)
	for _, m := range ms {
		state := p.Sprintf("active")
		if !m.Active {
			state = p.Sprintf("removed %s by %s", stamp(m.Removed, s.tag), m.RemovedBy)
		}
		fmt.Fprintf(s.out, "  %-12s %-9s %s\n", m.Name, m.Role.Label(s.tag),
			p.Sprintf("added %[1]s by %[2]s; %[3]s; %[4]d {4:record|records} signed", stamp(m.Added, s.tag), m.AddedBy, state, m.Records))
	}
	return nil
}
