package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// The tests of issue 20's "commands that do what they say": the
// read-only review and the recorded decisions, an order received twice,
// an answer with no result, the times -at reads, flags before the
// command, $CCJKIT_DIR, $LANG, -version, and the clock's note.

// errLines counts the lines of standard error.
func errLines(s string) int {
	if s = strings.TrimRight(s, "\n"); s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

// deskAt is a register with alice's identity, requisition files, and a
// way to run the desk on it in process.
type deskAt struct {
	t             *testing.T
	dir, identity string
	clock         *timesynctest.Clock
}

func newDeskAt(t *testing.T) *deskAt {
	dir, identity := testDir(t)
	return &deskAt{t: t, dir: dir, identity: identity, clock: timesynctest.NewClock(brussels("2026-11-23 10:05"))}
}

// run runs a command with -dir and -identity after its name, a minute
// after the last.
func (d *deskAt) run(args ...string) (string, string, int) {
	d.t.Helper()
	d.clock.Advance(time.Minute)
	return desk(d.t, d.clock, append([]string{args[0], "-dir", d.dir, "-identity", d.identity}, args[1:]...)...)
}

// must runs a command that must succeed.
func (d *deskAt) must(args ...string) string {
	d.t.Helper()
	out, errs, code := d.run(args...)
	if code != exitOK {
		d.t.Fatalf("desk %v: exit %d\n%s", args, code, errs)
	}
	return out
}

// file writes a file and returns its path.
func (d *deskAt) file(name, content string) string {
	p := filepath.Join(d.t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		d.t.Fatal(err)
	}
	return p
}

// journal is the register's bytes.
func (d *deskAt) journal() []byte {
	b, _ := os.ReadFile(journalPath(d.dir))
	return b
}

// requisitionRef is requisitionJSON's reference: secret, never printed
// by a message about it.
const requisitionRef = "BR.21.L1.000777/26"

// review reads and records nothing; check, clarify and contest record,
// and say so.
func TestReviewRecordsNothing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(string) string // the requisition
		ack     bool
		want    []string // in review's output
		decides bool     // a decision may be recorded
	}{
		{"a lawful order, acknowledged", nil, true, []string{"nothing is recorded", "No finding is an error", "desk check 2026-0001 would record the order as lawful", "desk clarify 2026-0001", "desk contest 2026-0001"}, true},
		{"an order received before it was made", func(s string) string {
			return strings.Replace(s, `"ordered": "2026-11-23T09:00:00+01:00"`, `"ordered": "2026-11-23T11:00:00+01:00"`, 1)
		}, true, []string{"nothing is recorded", "A rule is not met: desk check 2026-0001 would record the contest (rules not met: "}, true},
		{"an order nobody acknowledged", nil, false, []string{"nothing is recorded", "no decision on the order can be recorded in this state"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDeskAt(t)
			req := requisitionJSON
			if tc.edit != nil {
				req = tc.edit(req)
			}
			d.must("receive", d.file("req.json", req))
			if tc.ack {
				d.must("ack", "2026-0001")
			}
			before := d.journal()
			out := d.must("review", "2026-0001")
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("review lacks %q:\n%s", w, out)
				}
			}
			var rv register.Review
			if err := json.Unmarshal([]byte(d.must("review", "-json", "2026-0001")), &rv); err != nil || rv.Case != "2026-0001" || rv.Allowed != tc.decides {
				t.Errorf("review -json: %v %+v", err, rv)
			}
			if !bytes.Equal(before, d.journal()) {
				t.Fatal("review wrote to the register")
			}
			out, _, code := d.run("check", "2026-0001")
			if !tc.decides {
				if code != exitFail || !bytes.Equal(before, d.journal()) {
					t.Errorf("check on an unacknowledged case: exit %d", code)
				}
				return
			}
			if code != exitOK || !strings.Contains(out, "2026-0001: recorded in the register: ") || bytes.Equal(before, d.journal()) {
				t.Errorf("check: exit %d:\n%s", code, out)
			}
		})
	}
}

// Every command is classified by what it does to the register, and its
// help and the list of commands say it.
func TestEveryCommandSaysWhatItWrites(t *testing.T) {
	clock := timesynctest.NewClock(brussels("2026-11-23 10:05"))
	list, _, code := desk(t, clock, "help")
	if code != exitOK {
		t.Fatalf("help: exit %d", code)
	}
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			e := commandEffect(c.name)
			if e == unclassified {
				t.Fatalf("%s: commandEffect does not say what it does to the register", c.name)
			}
			_, help, code := desk(t, clock, c.name, "-h")
			if code != exitOK || !strings.Contains(help, effectLine(e)) {
				t.Errorf("%s -h (exit %d) does not say %q:\n%s", c.name, code, effectLine(e), help)
			}
			if !strings.Contains(list, "  "+c.name+" ") {
				t.Errorf("desk help does not list %s", c.name)
			}
		})
	}
	for _, want := range []string{"review", "Commands that write to the register", "Commands that read the register and record nothing"} {
		if !strings.Contains(list, want) {
			t.Errorf("desk help lacks %q", want)
		}
	}
	if !strings.Contains(list[strings.Index(list, "write to the register"):strings.Index(list, "read the register")], "  check ") {
		t.Error("check is not listed among the commands that write")
	}
	if !strings.Contains(list[strings.Index(list, "read the register"):], "  review ") {
		t.Error("review is not listed among the commands that read")
	}
}

// A flag before the command takes the next argument as its value when
// it is not boolean (splitCommand): that holds only if a flag's name is
// of one kind in every command that declares it.
func TestFlagKindsAgree(t *testing.T) {
	kind := map[string]bool{} // flag name → boolean
	for _, c := range commands() {
		flagSet(&session{}, c).VisitAll(func(f *flag.Flag) {
			b, ok := f.Value.(interface{ IsBoolFlag() bool })
			isBool := ok && b.IsBoolFlag()
			if k, seen := kind[f.Name]; seen && k != isBool {
				t.Errorf("-%s is boolean in some commands and takes a value in others (desk %s)", f.Name, c.name)
			}
			kind[f.Name] = isBool
		})
	}
}

// An order whose reference a case holds is refused without -duplicate,
// naming the case by its ID and never the reference; with -duplicate it
// becomes a new case, with a note.
func TestReceiveSameReference(t *testing.T) {
	for _, tc := range []struct {
		name    string
		second  string   // the second order's reference
		flags   []string // of the second receive
		code    int
		note    bool // stderr names 2026-0001
		written bool
	}{
		{"the same reference", requisitionRef, nil, exitInput, true, false},
		{"the same reference, retyped", " br.21.l1. 000777/26", nil, exitInput, true, false},
		{"the same reference, -duplicate", requisitionRef, []string{"-duplicate"}, exitOK, true, true},
		{"another reference", "BR.21.L1.000778/26", nil, exitOK, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDeskAt(t)
			d.must("receive", d.file("req.json", requisitionJSON))
			second := d.file("req.json", strings.Replace(requisitionJSON, requisitionRef, tc.second, 1))
			before := d.journal()
			out, errs, code := d.run(append(append([]string{"receive"}, tc.flags...), second)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tc.code, errs)
			}
			if strings.Contains(errs, "2026-0001") != tc.note || strings.Contains(out+errs, "000777") {
				t.Errorf("the message names the case by its ID only when the reference is the same, never the reference:\n%s%s", out, errs)
			}
			if tc.code == exitInput && (!strings.Contains(errs, "-duplicate") || errLines(errs) > 3) {
				t.Errorf("the refusal does not say how to proceed, in three lines at most:\n%s", errs)
			}
			if written := !bytes.Equal(before, d.journal()); written != tc.written {
				t.Errorf("written %v, want %v", written, tc.written)
			}
			if tc.written && !strings.Contains(out, "received as case 2026-0002") {
				t.Errorf("output:\n%s", out)
			}
		})
	}
}

// An answer to a case with no technician's result needs the member's
// reason; a result dated in the future, or naming no work order, is bad
// input; each refusal writes nothing and says nothing of the clock.
func TestAnswerAndResultInput(t *testing.T) {
	d := newDeskAt(t)
	d.must("receive", d.file("req.json", requisitionJSON))
	d.must("ack", "2026-0001")
	d.must("check", "2026-0001")
	var wo register.WorkOrder
	if err := json.Unmarshal([]byte(d.must("workorder", "-json", "2026-0001")), &wo); err != nil {
		t.Fatal(err)
	}
	result := func(ref string, completed time.Time) string {
		return d.file("res.json", fmt.Sprintf(`{"ref":%q,"by":"tech-1","completed":%q,"outcome":"found","data":"3 sessions"}`, ref, timesync.FromTime(completed)))
	}
	answer := []string{"answer", "-to", "Cabinet JI", "-channel", "platform", "2026-0001"}
	for _, tc := range []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"an answer with no result and no reason", answer, []string{"2026-0001", "no technician's result", "-without-result"}},
		{"a reason with a control character", append([]string{"answer", "-without-result", "at hand\x1b[2J"}, answer[1:]...), []string{"-without-result"}},
		{"a result completed in the future", []string{"result", result(string(wo.Ref), d.clock.Now().Add(time.Hour))}, []string{"future"}},
		{"a result naming no work order", []string{"result", result("wo-7k3m2q5xv4bnd6fj5hc6tw3r", d.clock.Now())}, []string{"work order"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := d.journal()
			_, errs, code := d.run(tc.args...)
			if code != exitInput || errLines(errs) > 3 {
				t.Errorf("exit %d, want %d, in three lines at most:\n%s", code, exitInput, errs)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(errs, m) {
					t.Errorf("the error does not name %q:\n%s", m, errs)
				}
			}
			if strings.Contains(errs, "clock not checked") {
				t.Errorf("a refusal speaks of the clock of a step it did not record:\n%s", errs)
			}
			if !bytes.Equal(before, d.journal()) {
				t.Error("the register changed")
			}
		})
	}
	out := d.must(append([]string{"answer", "-without-result", "the subscriber file was at hand"}, answer[1:]...)...)
	if !strings.Contains(out, "Answered without a technician's result: the subscriber file was at hand") {
		t.Errorf("the answer's record does not keep the reason:\n%s", out)
	}
}

// -at and -due read Brussels times: the autumn hour and the spring gap get
// the library's error, naming both instants or the hour skipped; a
// malformed time says which form is wanted and repeats nothing.
func TestTimeFlags(t *testing.T) {
	d := newDeskAt(t)
	d.must("receive", d.file("req.json", requisitionJSON))
	d.must("ack", "2026-0001")
	d.must("check", "2026-0001")
	for _, tc := range []struct {
		name     string
		args     []string
		mentions []string
		never    string
	}{
		{"-at in the repeated autumn hour", []string{"answer", "-to", "x", "-channel", "email", "-at", "2026-10-25 02:30", "2026-0001"},
			[]string{"-at", "occurs twice", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-25 02:30:00 +02:00"}, ""},
		{"-at in the spring gap", []string{"answer", "-to", "x", "-channel", "email", "-at", "29/03/2026 02:30", "2026-0001"},
			[]string{"-at", "does not exist", "skipped"}, ""},
		{"-at with an offset Brussels did not use", []string{"answer", "-to", "x", "-channel", "email", "-at", "2026-11-23 10:00 +02:00", "2026-0001"},
			[]string{"-at", "did not use"}, ""},
		{"-at malformed", []string{"answer", "-to", "x", "-channel", "email", "-at", "zzsecret", "2026-0001"},
			[]string{"-at", "a Brussels time such as"}, "zzsecret"},
		{"-due in the repeated autumn hour", []string{"workorder", "-due", "2026-10-25 02:30", "2026-0001"},
			[]string{"-due", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"}, ""},
		{"-due malformed", []string{"workorder", "-due", "zzsecret", "2026-0001"}, []string{"-due", "a duration such as 4h"}, "zzsecret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := d.journal()
			out, errs, code := d.run(tc.args...)
			if code != exitInput || errLines(errs) > 3 {
				t.Errorf("exit %d, want %d, in three lines at most:\n%s", code, exitInput, errs)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(errs, m) {
					t.Errorf("the error does not name %q:\n%s", m, errs)
				}
			}
			if tc.never != "" && strings.Contains(out+errs, tc.never) {
				t.Errorf("the output repeats %q:\n%s", tc.never, errs)
			}
			if !bytes.Equal(before, d.journal()) {
				t.Error("the register changed")
			}
		})
	}
}

// Flags go before the command as after it; $CCJKIT_DIR names the
// register's directory; -h lists the commands; -version says the
// version.
func TestFlagsBeforeTheCommand(t *testing.T) {
	d := newDeskAt(t)
	req := d.file("req.json", requisitionJSON)
	for _, tc := range []struct {
		name     string
		env      map[string]string
		args     []string
		code     int
		mentions []string
		never    string
	}{
		{"-dir and -identity before receive", nil, []string{"-dir", d.dir, "-identity", d.identity, "receive", req}, exitOK, []string{"received as case 2026-0001"}, ""},
		{"-dir=DIR before list", nil, []string{"-dir=" + d.dir, "-identity", d.identity, "list"}, exitOK, []string{"2026-0001"}, ""},
		{"-json before the command", nil, []string{"-json", "-dir", d.dir, "-identity", d.identity, "list"}, exitOK, []string{`"case": "2026-0001"`}, ""},
		{"flags on both sides", nil, []string{"-dir", d.dir, "show", "-identity", d.identity, "2026-0001"}, exitOK, []string{"2026-0001"}, ""},
		{"$CCJKIT_DIR", map[string]string{"CCJKIT_DIR": d.dir, "CCJKIT_IDENTITY": d.identity}, []string{"list"}, exitOK, []string{"2026-0001"}, ""},
		{"-dir before a command that takes none", nil, []string{"-dir", d.dir, "template", "identification"}, exitOK, []string{`"measure": "identification"`}, ""},
		{"-lang before the demonstration", nil, []string{"-lang", "xx"}, exitInput, []string{"-lang"}, "xx"},
		{"-h", nil, []string{"-h"}, exitOK, []string{"Commands that write to the register", "receive", "review", "verify", "-version", "CCJKIT_DIR"}, ""},
		{"-version", nil, []string{"-version"}, exitOK, []string{"desk (ccjkit)", "go1."}, ""},
		{"-version before a command", nil, []string{"-version", "list"}, exitOK, []string{"desk (ccjkit)"}, ""},
		{"-dir without its value", nil, []string{"-dir"}, exitInput, []string{"-dir needs a value"}, ""},
		{"an unknown flag before the command", nil, []string{"-zzsecret", "list"}, exitInput, []string{"unknown flag"}, "zzsecret"},
		{"an unknown command after flags", nil, []string{"-dir", d.dir, "zzsecret"}, exitInput, []string{"unknown command"}, "zzsecret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			d.clock.Advance(time.Minute)
			out, errs, code := desk(t, d.clock, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tc.code, errs)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(out+errs, m) {
					t.Errorf("the output lacks %q:\n%s%s", m, out, errs)
				}
			}
			if tc.never != "" && strings.Contains(out+errs, tc.never) {
				t.Errorf("the output repeats %q", tc.never)
			}
		})
	}
}

// $LC_ALL, $LC_MESSAGES and $LANG choose the language when -lang is not
// given, as POSIX reads them.
func TestLanguageFromEnvironment(t *testing.T) {
	d := newDeskAt(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"LANG French", map[string]string{"LANG": "fr_BE.UTF-8"}, nil, "aucun dossier ouvert"},
		{"LANG Dutch, no region", map[string]string{"LANG": "nl"}, nil, "geen open dossier"},
		{"LC_ALL before LANG", map[string]string{"LC_ALL": "de_BE.UTF-8", "LANG": "fr_BE.UTF-8"}, nil, "kein offener Vorgang"},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "nl_BE@euro", "LANG": "fr_BE.UTF-8"}, nil, "geen open dossier"},
		{"LC_ALL=C is English", map[string]string{"LC_ALL": "C", "LANG": "fr_BE.UTF-8"}, nil, "no open case"},
		{"a language the desk does not speak", map[string]string{"LANG": "es_ES.UTF-8"}, nil, "no open case"},
		{"-lang before LANG", map[string]string{"LANG": "fr_BE.UTF-8"}, []string{"-lang", "de"}, "kein offener Vorgang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out := d.must(append([]string{"list"}, tc.args...)...)
			if !strings.Contains(out, tc.want) {
				t.Errorf("want %q:\n%s", tc.want, out)
			}
		})
	}
}

// The clock is checked once per run, and said once, only when a step was
// recorded.
func TestClockNoteOncePerRun(t *testing.T) {
	var errb bytes.Buffer
	s := &session{ctx: context.Background(), out: &bytes.Buffer{}, err: &errb, clock: timesynctest.NewClock(brussels("2026-11-23 10:05"))}
	s.language()
	s.clockNote()
	if errb.Len() != 0 {
		t.Errorf("a note with no step recorded: %s", errb.String())
	}
	first := s.verdict()
	if second := s.verdict(); !first.At.Equal(second.At) {
		t.Error("the clock was checked twice in one run")
	}
	s.clockNote()
	if n := strings.Count(errb.String(), "clock not checked"); n > 1 || (n == 1) != (s.clockWhy != "") {
		t.Errorf("%d notes (why %q):\n%s", n, s.clockWhy, errb.String())
	}
}

// The history says the cell's times; the order's own time of receipt is
// labelled as the order's.
func TestReceivedTimesLabelled(t *testing.T) {
	d := newDeskAt(t)
	d.must("receive", d.file("req.json", requisitionJSON))
	out := d.must("show", "2026-0001")
	for _, want := range []string{
		"Received       2026-11-23 10:00:00 +01:00, as the order states",
		"History        when the cell recorded each step",
		"2026-11-23 10:06:00 +01:00  registered ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}

// Through the built desk, as a cell uses it: flags before the command,
// $CCJKIT_DIR and $LANG, an order received twice, review then check,
// an answer without a result, the autumn hour, -h and -version. Every
// refusal exits 2 in at most three lines and leaves the register as it
// was; review leaves it too.
func TestCommandsThroughBinary(t *testing.T) {
	bin := buildDesk(t)
	dir, identity := testDir(t)
	files := t.TempDir()
	req := filepath.Join(files, "req.json")
	os.WriteFile(req, []byte(requisitionJSON), 0o600)
	env := []string{"CCJKIT_IDENTITY=" + identity}
	dirEnv := append([]string{"CCJKIT_DIR=" + dir}, env...)
	for _, tc := range []struct {
		name     string
		env      []string
		args     []string
		code     int
		writes   bool
		mentions []string
		never    []string
	}{
		{"receive, -dir before the command", env, []string{"-dir", dir, "receive", req}, exitOK, true, []string{"received as case 2026-0001"}, nil},
		{"the same order again", dirEnv, []string{"receive", req}, exitInput, false, []string{"2026-0001", "-duplicate"}, []string{"000777"}},
		{"the same order again, -duplicate", dirEnv, []string{"receive", "-duplicate", req}, exitOK, true, []string{"received as case 2026-0002", "2026-0001"}, []string{"000777"}},
		{"review before ack", dirEnv, []string{"review", "2026-0001"}, exitOK, false, []string{"nothing is recorded"}, nil},
		{"ack", dirEnv, []string{"ack", "2026-0001"}, exitOK, true, []string{"recorded in the register"}, nil},
		{"review in French, from LANG", append([]string{"LANG=fr_BE.UTF-8"}, dirEnv...), []string{"review", "2026-0001"}, exitOK, false, []string{"rien n'est enregistré", "desk check 2026-0001"}, nil},
		{"check records", dirEnv, []string{"check", "2026-0001"}, exitOK, true, []string{"2026-0001: recorded in the register: found lawful"}, nil},
		{"answer without a result", dirEnv, []string{"answer", "-to", "x", "-channel", "email", "2026-0001"}, exitInput, false, []string{"-without-result"}, []string{"clock not checked"}},
		{"answer in the autumn hour", dirEnv, []string{"answer", "-to", "x", "-channel", "email", "-without-result", "at hand", "-at", "2026-10-25 02:30", "2026-0001"}, exitInput, false,
			[]string{"2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"}, nil},
		{"answer with a reason", dirEnv, []string{"answer", "-to", "x", "-channel", "email", "-without-result", "the subscriber file was at hand", "2026-0001"}, exitOK, true,
			[]string{"Answered without a technician's result", "as it states"}, nil},
		{"-h lists the commands", nil, []string{"-h"}, exitOK, false, []string{"review", "Commands that read the register and record nothing"}, nil},
		{"-version", nil, []string{"-version"}, exitOK, false, []string{"desk (ccjkit)"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(journalPath(dir))
			out, errs, code := bin(tc.env, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tc.code, errs)
			}
			if code != exitOK && errLines(errs) > 3 {
				t.Errorf("%d lines of error:\n%s", errLines(errs), errs)
			}
			if n := strings.Count(errs, "clock not checked"); n > 1 {
				t.Errorf("the clock's note %d times", n)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(out+errs, m) {
					t.Errorf("the output lacks %q:\n%s%s", m, out, errs)
				}
			}
			for _, n := range tc.never {
				if strings.Contains(out+errs, n) {
					t.Errorf("the output has %q:\n%s%s", n, out, errs)
				}
			}
			after, _ := os.ReadFile(journalPath(dir))
			if written := !bytes.Equal(before, after); written != tc.writes {
				t.Errorf("the register written: %v, want %v", written, tc.writes)
			}
		})
	}
}
