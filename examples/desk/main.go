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
// Daily use works on a register directory (-dir, holding desk.json and
// the journal) and a cell file (-cell: a ccj.Cell in JSON, its weekly rota
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
//	desk receive requisition.json          (the next case ID, or -id)
//	desk list
//	desk show 2026-0042
//	desk ack 2026-0042
//	desk check 2026-0042
//	desk workorder 2026-0042
//	desk result result.json
//	desk answer -to "FCCU Bruxelles" -channel email 2026-0042
//	desk invoice|close|cancel|expire 2026-0042
//	desk claim -format pdf -o claim 2026-11  (claim-AUTHORITY.pdf, one per authority)
//	desk stats 2026
//	desk verify                             (no key needed; with -identity, every record replayed)
//	desk repair                             (a crash's incomplete write, or a header-less file)
//	desk rota check
//	desk rota export -days 14 > rota.ics    (UIDs stable: re-import updates)
//	desk rota import shared.ics             (what maps, what is new, what does not map)
//	desk rota show -month 2026-11 -svg rota.svg
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
	"strings"

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
		{"receive", "FILE.json", "record a requisition as received", receiveFlags, runReceive},
		{"list", "", "open cases, overdue first, with the time left", cellFlags, runList},
		{"show", "ID", "a case in full", cellFlags, runShow},
		{"ack", "ID", "acknowledge a case: you take it", stepFlags, transition(register.Acknowledge)},
		{"check", "ID", "check a case against the law: lawful, or contested with the findings", cellFlags, runCheck},
		{"clarify", "ID", "record that the authority was asked to clarify (-note)", stepFlags, transition(register.AskClarification)},
		{"contest", "ID", "contest a case, with reasons (-note)", stepFlags, transition(register.Contest)},
		{"workorder", "ID", "issue a technician's work order and print it", workOrderFlags, runWorkOrder},
		{"result", "FILE.json", "attach a technician's result", cellFlags, runResult},
		{"answer", "ID", "record the answer (-to, -channel, -at, -what)", answerFlags, runAnswer},
		{"invoice", "ID", "record that the cost statement was sent", stepFlags, transition(register.Invoice)},
		{"close", "ID", "close a case", stepFlags, transition(register.Close)},
		{"cancel", "ID", "record that the authority withdrew the order", stepFlags, transition(register.Cancel)},
		{"expire", "ID", "record that the order expired unanswered", stepFlags, transition(register.Expire)},
		{"claim", "YYYY-MM", "the month's cost statements (-format text|csv|pdf, -o PREFIX)", claimFlags, runClaim},
		{"stats", "YYYY[-MM]", "statistics of a year or a month (-format text|csv|json)", statsFlags, runStats},
		keepCommand(),
		schemaCommand(),
		valuesCommand(),
		templateCommand(),
		{"verify", "", "verify the register: chain, signatures, roster, this machine's checkpoints", registerFlags, runVerify},
		{"repair", "", "set aside a crash's incomplete write, or a header-less file", registerFlags, runRepair},
		{"member", "keygen|add|remove|list|upgrade", "the register's identities", memberFlags, runMember},
		rotaCommand(),
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: desk [COMMAND] [FLAGS] [ARGS]")
	fmt.Fprintln(w, "\nWith no command, desk runs the demonstration on sample data. Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %-13s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'desk COMMAND -h' for a command's flags.")
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, clock timesync.Clock) int {
	out, errw := newEscaper(stdout), newEscaper(stderr)
	defer out.Flush()
	defer errw.Flush()
	stdout, stderr = out, errw
	name := "demo"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		usage(stdout)
		return exitOK
	}
	cmd, ok := findCommand(name)
	if !ok {
		unknownCommand(stderr)
		return exitInput
	}
	s := &session{ctx: ctx, stdin: stdin, out: stdout, err: stderr, clock: clock}
	fs := flagSet(s, cmd)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(s.err, fs, cmd)
		return exitOK
	}
	if err != nil {
		flagError(stderr, fs, cmd, err)
		return exitInput
	}
	if err = s.checkFlags(); err == nil {
		err = cmd.run(s, pos)
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "desk %s: %v\n", name, err)
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
	fs.StringVar(&s.lang, "lang", "en", "language of the output: `fr`, nl, de or en")
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
