// Command desk is a Justice Coordination Cell's desk: it receives judicial
// requisitions, checks them against the law, computes their deadlines,
// tells who is on call, gives technicians need-to-know work orders,
// records answers to the second in a sealed, tamper-evident register, and
// bills executed requests at the official tariff.
//
// With no arguments it runs a demonstration on embedded sample data — a
// cell, its rota and a month of requisitions — in a temporary register,
// with no network and no configuration:
//
//	go run ./examples/desk
//	go run ./examples/desk -lang fr
//
// Daily use works on a register directory (-dir, else $CCJKIT_DIR, else
// the current directory, holding desk.json and the journal) and a cell file (-cell: a ccj.Cell in JSON, its weekly rota
// under "patterns", as in sample/cell.json; the earlier form {"cell": ...,
// "rota": [...]} still loads), as a member whose identity file
// (-identity, or the file named by $CCJKIT_IDENTITY) holds their name and
// keys. The first member founds the register; the others make their
// identity and are added by a member:
//
//	desk init -dir /srv/ccj -cell cell.json -name alice -identity ~/.ccj/alice.identity
//	desk member keygen -name bob -identity ~/.ccj/bob.identity     (bob, on his machine)
//	desk member add "ccjkit-identity bob member …"                 (alice)
//	desk member keygen -name recovery -role recovery -identity r.identity   (print it, keep it in a safe)
//	desk member remove bob
//	desk member list
//	desk receive requisition.json          (the next case ID, or -id; a reference already received: -duplicate)
//	desk list
//	desk show 2026-0042
//	desk ack 2026-0042
//	desk review 2026-0042                   (the findings and what each decision would record; records nothing)
//	desk check 2026-0042                    (records it: lawful, or contested with the rules not met)
//	desk clarify|contest -note TEXT 2026-0042
//	desk workorder 2026-0042
//	desk result result.json
//	desk answer -to "FCCU Bruxelles" -channel email 2026-0042
//	desk answer -to … -channel … -without-result "the file was at hand" 2026-0042   (no result attached)
//	desk invoice|close|cancel|expire 2026-0042
//	desk claim -format pdf -o claims/ 2026-11  (claims/claim-NUMBER.pdf, one per office or authority; -o also takes a pattern with {number})
//	desk stats 2026
//	desk verify                             (no key needed; with -identity, every record replayed)
//	desk repair                             (a crash's incomplete write, or a header-less file)
//	desk rota check
//	desk rota export -days 14 > rota.ics    (UIDs stable: re-import updates)
//	desk rota import shared.ics             (what maps, what is new, what does not map)
//	desk rota show -month 2026-11 -svg rota.svg
//
// Flags may come before the command as after it (desk -dir /srv/ccj
// list); before it, -dir, -cell, -identity and -anchors are ignored by a
// command that does not take them. -lang chooses the language of the
// output, else $LC_ALL, $LC_MESSAGES or $LANG (fr_BE.UTF-8 is French),
// else English. desk -h and desk help list the commands, grouped by
// what they do to the register: those that write to it, those that only
// read it, those that open none; each command's -h says the same.
// desk -version prints the version the Go toolchain stamped.
//
// The clock is checked once per run, when a step is recorded: without
// chronyd the step's times carry no clock evidence, which the desk says
// once, after a command that recorded something (a refused command
// recorded nothing and says nothing of the clock).
//
// Several members may run the desk on one register at once. Every record
// is signed by the member who made it. After each command the desk keeps
// a signed checkpoint of the register in -anchors (default
// $CCJKIT_ANCHORS, else ~/.local/state/ccjkit/anchors), outside the
// register, and refuses a register that no longer holds what a kept
// checkpoint vouches for. See docs/security.md and docs/recovery.md.
//
// Exit status: 0 on success; 1 when a command fails or a register does
// not verify; 2 for bad input (a missing or malformed file, flag or
// argument, a case ID that names no case, an identity the register does
// not hold), in which case nothing was written. An unknown command or
// flag gets one line, which repeats nothing of what was typed. Every
// output passes through one escaping: a control character, whoever
// wrote it, is printed as \uXXXX, never sent to the terminal.
//
// The desk holds flags, files, output and exit codes; the rules — what
// is lawful, when an answer is due, who is on call, what a claim holds —
// are ccjkit's. To build your own tool, start here: main.go lists
// the commands, each with the function that declares its flags and the
// one that runs it; session.go opens the register as the acting member;
// desk.go reads the desk's files; one file per group of commands
// (cases.go, members.go, claim.go, verify.go, rota.go) holds them, each
// reading top to bottom; render.go and messages.go write for people, in
// four languages; demo.go and sample.go play the demonstration.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, timesync.SystemClock{}))
}

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitInput = 2
)

// command is one subcommand: flags adds the flags it takes besides
// -lang, which every command takes; run runs it on the positional
// arguments.
type command struct {
	name, args, summary string
	flags               func(*session, *flag.FlagSet)
	run                 func(*session, []string) error
}

func commands() []command {
	return []command{
		{"demo", "", "run the demonstration on embedded sample data (the default)", demoFlags, runDemo},
		{"init", "", "create a register directory: desk.json and your key", initFlags, runInit},
		{"receive", "FILE.json", "record a requisition as received (a reference already in the register: -duplicate)", receiveFlags, runReceive},
		{"list", "", "open cases, overdue first, with the time left", cellFlags, runList},
		{"show", "ID", "a case in full", cellFlags, runShow},
		{"ack", "ID", "acknowledge a case: you take it", stepFlags, transition(register.Acknowledge)},
		{"review", "ID", "a case's findings against the law, and what each decision would record", cellFlags, runReview},
		{"check", "ID", "record the decision the findings point to: lawful, or contested with the rules not met", cellFlags, runCheck},
		{"clarify", "ID", "record that the authority was asked to clarify (-note)", stepFlags, transition(register.AskClarification)},
		{"contest", "ID", "contest a case, with reasons (-note)", stepFlags, transition(register.Contest)},
		{"workorder", "ID", "issue a technician's work order and print it", workOrderFlags, runWorkOrder},
		{"result", "FILE.json", "attach a technician's result", cellFlags, runResult},
		{"answer", "ID", "record the answer (-to, -channel, -at, -what; -without-result when no result is attached)", answerFlags, runAnswer},
		{"invoice", "ID", "record that the cost statement was sent", stepFlags, transition(register.Invoice)},
		{"close", "ID", "close a case", stepFlags, transition(register.Close)},
		{"cancel", "ID", "record that the authority withdrew the order", stepFlags, transition(register.Cancel)},
		{"expire", "ID", "record that the order expired unanswered", stepFlags, transition(register.Expire)},
		{"claim", "YYYY-MM", "the month's cost statements, one per office or authority (-format text|csv|pdf; -o DIR/ or a pattern with {number})", claimFlags, runClaim},
		{"stats", "YYYY[-MM]", "statistics of a year or a month (-format text|csv|json)", statsFlags, runStats},
		{"pages", "YYYY-MM", "the month's acknowledgement of pages: cases paged, acknowledged, how soon, escalated; members never acknowledging", cellFlags, runPages},
		keepCommand(),
		schemaCommand(),
		valuesCommand(),
		templateCommand(),
		{"verify", "", "verify the register: chain, signatures, roster, this machine's checkpoints", registerFlags, runVerify},
		{"repair", "", "set aside a crash's incomplete write, or a header-less file", registerFlags, runRepair},
		{"member", "keygen|add|remove|list|upgrade", "the register's identities", memberFlags, runMember},
		rotaCommand(),
		retentionCommand(),
		intakeCommand(),
		watchCommand(),
		migrateCommand(),
		interceptCommand(),
	}
}

// effect is what a command does to the register, as the help says it.
type effect int

// The effects of the commands.
const (
	unclassified effect = iota
	// writes: the command records in the register (a step, a member),
	// signed, for good; init founds it, repair sets aside a crash's
	// incomplete write.
	writes
	// reads: the command opens the register and records nothing in it.
	reads
	// someWrite: some of the command's subcommands write, the others
	// read (member: add, remove and upgrade write).
	someWrite
	// noRegister: the command does not open a register.
	noRegister
	// lookupWrites: retention, whose lookup records itself in the
	// register; its other subcommands record nothing there. Listed with
	// someWrite.
	lookupWrites
	// intakeWrites: intake, whose receive, accept, transcribe and
	// callback record in the register; list and show record nothing.
	// Listed with someWrite.
	intakeWrites
)

// commandEffect says what the command called name does to the register.
// TestEveryCommandSaysWhatItWrites fails on a command left unclassified.
func commandEffect(name string) effect {
	switch name {
	case "init", "receive", "ack", "check", "clarify", "contest", "workorder", "result", "answer",
		"invoice", "close", "cancel", "expire", "repair", "watch", "migrate":
		return writes
	case "list", "show", "review", "claim", "stats", "pages", "keep", "verify":
		return reads
	case "member", "intercept":
		return someWrite
	case "retention":
		return lookupWrites
	case "intake":
		return intakeWrites
	case "demo", "schema", "values", "template", "rota":
		return noRegister
	}
	return unclassified
}

// effectLine says, in a command's help, what it does to the register.
func effectLine(e effect) string {
	switch e {
	case writes:
		return "Writes to the register: what it records is signed and kept for good."
	case reads:
		return "Reads the register and records nothing in it."
	case someWrite:
		return "Writes to the register for add, remove and upgrade; keygen and list record nothing."
	case noRegister:
		return "Does not open a register."
	case lookupWrites:
		return "Writes to the register for lookup (each lookup is recorded); the other subcommands record nothing in it."
	case intakeWrites:
		return "Writes to the register for receive, accept, transcribe and callback; list and show record nothing."
	}
	return ""
}

func usage(w io.Writer, tag language.Tag) {
	p := printer(tag)
	fmt.Fprintln(w, p.Sprintf("usage: desk [FLAGS] [COMMAND] [FLAGS] [ARGS]"))
	fmt.Fprintln(w, "\n"+p.Sprintf("With no command, desk runs the demonstration on sample data (desk demo -h)."))
	for _, group := range []struct {
		e     effect
		title string
	}{
		{writes, "Commands that write to the register (signed, kept for good):"},
		{reads, "Commands that read the register and record nothing:"},
		{someWrite, "Commands some of whose subcommands write to the register:"},
		{noRegister, "Commands that open no register:"},
	} {
		fmt.Fprintln(w, "\n"+p.Sprintf(group.title))
		for _, c := range commands() {
			if e := commandEffect(c.name); e == group.e || group.e == someWrite && (e == lookupWrites || e == intakeWrites) {
				fmt.Fprintf(w, "  %-10s %-13s %s\n", c.name, placeholders(p, c.args), p.Sprintf(c.summary))
			}
		}
	}
	fmt.Fprintln(w, "\n"+p.Sprintf("Flags go before or after the command: desk -dir /srv/ccj list is desk list -dir /srv/ccj."))
	for _, f := range [][2]string{
		{"-dir DIR", "the register's directory (default $CCJKIT_DIR, else the current directory)"},
		{"-identity FILE", "your identity file (default $CCJKIT_IDENTITY)"},
		{"-anchors DIR", "this machine's checkpoints (default $CCJKIT_ANCHORS)"},
		{"-lang LANG", "fr, nl, de or en (default from $LC_ALL, $LC_MESSAGES or $LANG, else en)"},
		{"-version", "the desk's version"},
	} {
		fmt.Fprintf(w, "  %-15s %s\n", placeholders(p, f[0]), p.Sprintf(f[1]))
	}
	fmt.Fprintln(w, p.Sprintf("Before the command, -dir, -cell, -identity and -anchors are ignored by a command that does not take them."))
	fmt.Fprintln(w, p.Sprintf("Run 'desk COMMAND -h' for a command's flags."))
}

// helpLanguage is the language of the help asked for with help or -h:
// -lang's value among args, else the environment's (defaultLanguage),
// read before the flags are parsed.
func helpLanguage(args []string) language.Tag {
	lang := defaultLanguage()
	for i, a := range args {
		switch {
		case (a == "-lang" || a == "--lang") && i+1 < len(args):
			lang = args[i+1]
		case strings.HasPrefix(a, "-lang="), strings.HasPrefix(a, "--lang="):
			lang = a[strings.Index(a, "=")+1:]
		}
	}
	for _, t := range languages() {
		if t.String() == lang {
			return t
		}
	}
	return language.English
}

// versionText is the desk's version, as the Go toolchain stamped it:
// the module's version, the commit it was built from, and Go's.
func versionText() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "desk (ccjkit): no build information"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	text := "desk (ccjkit) " + v
	settings := map[string]string{}
	for _, kv := range bi.Settings {
		settings[kv.Key] = kv.Value
	}
	if rev := settings["vcs.revision"]; rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		text += ", commit " + rev[:min(12, len(rev))]
	}
	if settings["vcs.modified"] == "true" && !strings.HasSuffix(v, "+dirty") {
		text += " with local changes"
	}
	return text + ", " + bi.GoVersion
}

// leadingFlag is a flag typed before the command, with its value when
// it takes one as the next argument; noValue: it takes one and none
// followed.
type leadingFlag struct {
	name    string
	args    []string
	noValue bool
}

// splitCommand separates the flags typed before the command, the
// command's name ("" when none is given) and what follows it. A flag
// that some command declares with a value takes the next argument with
// it, so that "desk -dir X receive f.json" reads X as -dir's.
func splitCommand(args []string) (before []leadingFlag, name string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if i+1 < len(args) {
				return before, args[i+1], args[i+2:]
			}
			return before, "", nil
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return before, a, args[i+1:]
		}
		n, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := leadingFlag{name: n, args: []string{a}}
		if !hasValue && takesValue(n) {
			if i+1 < len(args) {
				i++
				f.args = append(f.args, args[i])
			} else {
				f.noValue = true
			}
		}
		before = append(before, f)
	}
	return before, "", nil
}

// takesValue reports whether a flag called name, of any command, takes a
// value (is not a boolean).
func takesValue(name string) bool {
	for _, c := range commands() {
		if f := flagSet(&session{}, c).Lookup(name); f != nil {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			return !ok || !b.IsBoolFlag()
		}
	}
	return false
}

// flagArgs returns the flags typed before the command as they were
// typed.
func flagArgs(before []leadingFlag) []string {
	var out []string
	for _, f := range before {
		out = append(out, f.args...)
	}
	return out
}

// leadingArgs returns the flags typed before the command, as arguments
// of cmd's flag set fs: a flag saying where things are (-dir, -cell,
// -identity, -anchors) that cmd does not take is left out, so that an
// alias such as "desk -dir /srv/ccj" serves every command.
func leadingArgs(fs *flag.FlagSet, before []leadingFlag) []string {
	var out []string
	for _, f := range before {
		switch f.name {
		case "dir", "cell", "identity", "anchors":
			if fs.Lookup(f.name) == nil {
				continue
			}
		}
		out = append(out, f.args...)
	}
	return out
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, clock timesync.Clock) int {
	out, errw := newEscaper(stdout), newEscaper(stderr)
	defer out.Flush()
	defer errw.Flush()
	stdout, stderr = out, errw
	before, name, args := splitCommand(args)
	for _, f := range before {
		if f.noValue {
			fmt.Fprintln(stderr, printer(helpLanguage(flagArgs(before))).Sprintf("desk: -%s needs a value: 'desk help' lists the flags", f.name))
			return exitInput
		}
		if f.name == "version" {
			fmt.Fprintln(stdout, versionText())
			return exitOK
		}
		if name == "" && (f.name == "h" || f.name == "help") {
			usage(stdout, helpLanguage(flagArgs(before)))
			return exitOK
		}
	}
	if name == "" {
		name = "demo"
	}
	if name == "help" {
		usage(stdout, helpLanguage(append(flagArgs(before), args...)))
		return exitOK
	}
	cmd, ok := findCommand(name)
	if !ok {
		unknownCommand(stderr, helpLanguage(append(flagArgs(before), args...)))
		return exitInput
	}
	s := &session{ctx: ctx, stdin: stdin, out: stdout, err: stderr, clock: clock}
	fs := flagSet(s, cmd)
	pos, err := parseInterspersed(fs, append(leadingArgs(fs, before), args...))
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(s.err, fs, cmd, helpLanguage(append(flagArgs(before), args...)))
		return exitOK
	}
	if err != nil {
		flagError(stderr, fs, cmd, err, helpLanguage(append(flagArgs(before), args...)))
		return exitInput
	}
	_ = s.language() // the language of what follows, refusals included; a bad -lang is the command's to refuse
	if err = s.checkFlags(); err == nil {
		err = cmd.run(s, pos)
	}
	if err == nil {
		s.clockNote()
		return exitOK
	}
	fmt.Fprintf(stderr, "desk %s: %s\n", name, errorText(err, s.tag))
	s.printProblems(err)
	return exitCode(err)
}

// findCommand returns the command called name.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// flagSet returns the flags of cmd: -lang, and those cmd declares.
func flagSet(s *session, cmd command) *flag.FlagSet {
	fs := flag.NewFlagSet("desk "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports a flag error in one line, and -h with commandHelp
	fs.Usage = func() {}
	fs.StringVar(&s.lang, "lang", defaultLanguage(), "language of the output: `fr`, nl, de or en (when not given: $LC_ALL, $LC_MESSAGES or $LANG)")
	cmd.flags(s, fs)
	return fs
}

// parseInterspersed parses flags that come before, between or after the
// positional arguments, as people type them.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
