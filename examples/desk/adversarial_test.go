package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// buildDesk builds the desk into a temporary directory and returns a
// function that runs it with the given environment additions.
func buildDesk(t *testing.T) func(env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the desk")
	}
	bin := filepath.Join(t.TempDir(), "desk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return func(env []string, args ...string) (string, string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return out.String(), errb.String(), 0
		case errors.As(err, &ee):
			return out.String(), errb.String(), ee.ExitCode()
		}
		t.Fatalf("running the desk: %v", err)
		return "", "", -1
	}
}

// rawControl reports the first control character of s the desk must
// never print as it is (all but tab, line feed, and carriage return
// before line feed), or -1.
func rawControl(s string) rune {
	for i, r := range s {
		if !strictjson.IsControl(r) || r == '\t' || r == '\n' || r == '\r' && strings.HasPrefix(s[i+1:], "\n") {
			continue
		}
		return r
	}
	return -1
}

// Hostile and mistaken input through the built desk: every row exits
// with status 2, says what is wrong in at most three lines, quotes
// nothing it refuses, prints no control character, and leaves the
// register byte-identical.
func TestAdversarialInput(t *testing.T) {
	desk := buildDesk(t)
	dir, identity := testDir(t)
	env := []string{"CCJKIT_IDENTITY=" + identity}
	write := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, errs, code := desk(env, "receive", "-dir", dir, write("req.json", requisitionJSON)); code != exitOK {
		t.Fatalf("receiving the good requisition: %d %s", code, errs)
	}
	req := func(old, new string) string {
		if !strings.Contains(requisitionJSON, old) {
			t.Fatalf("%q is not in the requisition", old)
		}
		return write("req.json", strings.Replace(requisitionJSON, old, new, 1))
	}
	const (
		ordered  = `"ordered": "2026-11-23T09:00:00+01:00"`
		received = `"received": "2026-11-23T10:00:00+01:00"`
		ref      = `"BR.21.L1.000777/26"`
		addr     = `"addr": "2001:db8::beef"`
	)
	cell, _ := os.ReadFile(filepath.Join(dir, "cell.json"))
	bob := identityFile(t, "bob") // in the cell, not in the register
	result := `{"ref":"wo-7k3m2q5xv4bnd6fj5hc6tw3r","by":"tech-1","completed":"2026-11-23T10:25:00+01:00","outcome":"found","data":"3 sessions"}`
	for _, tc := range []struct {
		name     string
		args     []string
		mentions []string // in the error
		never    []string // never in any output
	}{
		// Implausible times, refused at decode by the library.
		{"an order of year 0000", []string{"receive", req(ordered, `"ordered": "0000-06-01T09:00:00+01:00"`)}, []string{"ordered", "1974-01-01"}, []string{"0000-06"}},
		{"an order of year 9999", []string{"receive", req(ordered, `"ordered": "9999-06-01T09:00:00+02:00"`)}, []string{"ordered"}, []string{"9999"}},
		{"an offset no zone uses", []string{"receive", req(ordered, `"ordered": "2026-11-23T09:00:00+14:59"`)}, []string{"ordered", "offset"}, []string{"14:59"}},
		{"summer time in winter", []string{"receive", req(ordered, `"ordered": "2026-11-23T10:00:00+02:00"`)}, []string{"ordered", "+01:00"}, nil},
		{"a time in the spring gap", []string{"receive", req(received, `"received": "2026-03-29T02:30:00+02:00"`)}, []string{"received", "spring"}, []string{"02:30"}},
		{"UTC instead of Belgian time", []string{"receive", req(ordered, `"ordered": "2026-11-23T08:00:00Z"`)}, []string{"ordered"}, []string{"08:00"}},
		{"every bad time at once", []string{"receive", req(ordered+", "+received, `"ordered": "0001-01-01T00:00:00Z", "received": "2026-11-23T10:00:00+05:30"`)}, []string{"ordered", "received"}, []string{"0001", "05:30"}},
		// Control characters, refused at decode by the library.
		{"an escape sequence in the reference", []string{"receive", req(ref, `"BR.21\u001b[2J\u001b[31mPWNED"`)}, []string{"reference", "U+001B"}, []string{"PWNED", "BR.21"}},
		{"a forged line in the reference", []string{"receive", req(ref, `"BR.21\r\ndesk receive: received as case 2026-0099"`)}, []string{"reference"}, []string{"2026-0099"}},
		{"a NUL in a target", []string{"receive", req(`"kind": "ip", `+addr, `"kind": "phone", "value": "+3247\u00000123456"`)}, []string{"targets[0].value"}, []string{"3247"}},
		{"a bidi override in the reference", []string{"receive", req(ref, `"BR.21\u202e62/777000"`)}, []string{"reference", "U+202E"}, []string{"777000"}},
		{"a C1 control in an offence", []string{"receive", req(`["90ter-fraud"]`, `["90ter-\u009bfraud"]`)}, []string{"offences[0]"}, []string{"fraud"}},
		{"an escape in a result", []string{"result", write("res.json", strings.Replace(result, "tech-1", `tech\u001b]0;PWNED\u0007`, 1))}, []string{"by"}, []string{"PWNED"}},
		{"an escape in the cell file", []string{"list", "-cell", write("cell.json", strings.Replace(string(cell), `"alice"`, `"al\u001bice"`, 1))}, []string{"cell.json", "U+001B"}, nil},
		// Arguments and flags.
		{"an ID with a space", []string{"receive", "-id", "a b", write("req.json", requisitionJSON)}, []string{"-id"}, nil},
		{"an ID of 65 characters", []string{"receive", "-id", strings.Repeat("x", 65), write("req.json", requisitionJSON)}, []string{"-id", "64"}, []string{"xxxxx"}},
		{"a non-ASCII ID", []string{"receive", "-id", "dossier-é", write("req.json", requisitionJSON)}, []string{"-id"}, []string{"dossier"}},
		{"a note of 4097 bytes", []string{"ack", "-note", strings.Repeat("n", 4097), "2026-0001"}, []string{"-note", "4,096"}, []string{"nnnnn"}},
		{"a note not UTF-8", []string{"ack", "-note", "caf\xe9", "2026-0001"}, []string{"-note"}, []string{"caf"}},
		{"a note with an escape", []string{"ack", "-note", "ok\x1b[2J", "2026-0001"}, []string{"-note", "control"}, nil},
		{"a recipient on two lines", []string{"answer", "-to", "Cabinet\nFORGED", "-channel", "email", "2026-0001"}, []string{"-to"}, []string{"FORGED"}},
		{"an identity not in the register", []string{"ack", "-identity", bob, "2026-0001"}, []string{"roster"}, nil},
		{"a case that does not exist", []string{"show", "2026-9999"}, []string{"no such case"}, []string{"2026-9999"}},
		{"an unknown flag", []string{"receive", "-zzsecret", write("req.json", requisitionJSON)}, []string{"unknown flag", "desk receive -h"}, []string{"zzsecret"}},
		{"a flag's value of the wrong form", []string{"rota", "export", "-days", "zzsecret"}, []string{"-days"}, []string{"zzsecret"}},
		{"a flag without its value", []string{"receive", "-id"}, []string{"-id needs a value"}, nil},
		// Files that are not what they should be.
		{"a requisition that is not JSON", []string{"receive", write("z.json", "Zsecret")}, []string{"z.json", "not JSON"}, []string{"'Z'", "secret"}},
		{"a password file as requisition", []string{"receive", write("shadow", "root:$6$salt$hash:19000:0:99999:7:::\n")}, []string{"shadow", "not JSON"}, []string{"root", "'r'", "salt"}},
		{"a password file as cell", []string{"list", "-cell", write("shadow", "root:$6$salt$hash:19000:0:99999:7:::\n")}, []string{"shadow"}, []string{"root", "'r'", "salt"}},
		{"a password file as identity", []string{"list", "-identity", write("shadow", "root:$6$salt$hash:19000:0:99999:7:::\n")}, []string{"shadow"}, []string{"root", "salt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(journalPath(dir))
			args := append([]string{tc.args[0], "-dir", dir}, tc.args[1:]...)
			out, errs, code := desk(env, args...)
			if code != exitInput {
				t.Errorf("exit %d, want %d:\n%s", code, exitInput, errs)
			}
			if n := strings.Count(strings.TrimRight(errs, "\n"), "\n") + 1; n > 3 {
				t.Errorf("%d lines of error:\n%s", n, errs)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(errs, m) {
					t.Errorf("the error does not name %q:\n%s", m, errs)
				}
			}
			for _, s := range tc.never {
				if strings.Contains(out+errs, s) {
					t.Errorf("the output quotes %q:\n%s%s", s, out, errs)
				}
			}
			if r := rawControl(out + errs); r >= 0 {
				t.Errorf("U+%04X printed raw:\n%q", r, out+errs)
			}
			if after, _ := os.ReadFile(journalPath(dir)); !bytes.Equal(before, after) {
				t.Error("the register changed")
			}
		})
	}
}

// An unknown command gets one line that repeats nothing; help and -h
// still list everything.
func TestUnknownCommandAndFlags(t *testing.T) {
	desk := buildDesk(t)
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		maxLines int
		mentions []string
		never    string
	}{
		{"an unknown command", []string{"zzsecret", "-dir", "x"}, exitInput, 1, []string{"unknown command", "desk help"}, "zzsecret"},
		{"an unknown flag", []string{"receive", "-zzsecret"}, exitInput, 1, []string{"unknown flag"}, "zzsecret"},
		{"a flag of another command", []string{"list", "-days", "3"}, exitInput, 1, []string{"unknown flag"}, ""},
		{"a boolean flag given a word", []string{"list", "-json=zzsecret"}, exitInput, 1, []string{"-json"}, "zzsecret"},
		{"a command's help", []string{"receive", "-h"}, exitOK, 100, []string{"usage: desk receive", "-id"}, ""},
		{"the list of commands", []string{"help"}, exitOK, 100, []string{"receive", "verify"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := desk(nil, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s", code, tc.code, errs)
			}
			text := out + errs
			if n := strings.Count(strings.TrimRight(text, "\n"), "\n") + 1; n > tc.maxLines {
				t.Errorf("%d lines, want at most %d:\n%s", n, tc.maxLines, text)
			}
			for _, m := range tc.mentions {
				if !strings.Contains(text, m) {
					t.Errorf("the output lacks %q:\n%s", m, text)
				}
			}
			if tc.never != "" && strings.Contains(text, tc.never) {
				t.Errorf("the output repeats %q:\n%s", tc.never, text)
			}
		})
	}
}

// init refuses a directory that holds a register, or desk.json, before it
// writes anything: no identity file, no desk.json.
func TestInitRefusesWritingNothing(t *testing.T) {
	desk := buildDesk(t)
	dir, _ := testDir(t)
	for _, tc := range []struct {
		name   string
		remove string // a file of the register's directory removed first
	}{
		{"desk.json and the register exist", ""},
		{"the register exists, desk.json does not", "desk.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.remove != "" {
				os.Remove(filepath.Join(dir, tc.remove))
			}
			before, _ := os.ReadFile(journalPath(dir))
			config, _ := os.ReadFile(configPath(dir))
			id := filepath.Join(t.TempDir(), "bob.identity")
			_, errs, code := desk(nil, "init", "-dir", dir, "-name", "bob", "-identity", id)
			if code != exitInput || !strings.Contains(errs, "exists already") {
				t.Errorf("exit %d: %s", code, errs)
			}
			if _, err := os.Stat(id); err == nil {
				t.Error("init wrote a new identity file though it refused")
			}
			if after, _ := os.ReadFile(configPath(dir)); !bytes.Equal(config, after) {
				t.Error("init wrote desk.json though it refused")
			}
			if after, _ := os.ReadFile(journalPath(dir)); !bytes.Equal(before, after) {
				t.Error("the register changed")
			}
		})
	}
}

// What the register holds is printed escaped, whoever wrote it: a
// requisition recorded through the library before decoding refused
// control characters, or a note of several lines. JSON output stays JSON
// and means the same text.
func TestOutputIsEscaped(t *testing.T) {
	desk := buildDesk(t)
	dir, identity := testDir(t)
	env := []string{"CCJKIT_IDENTITY=" + identity}
	text, _ := os.ReadFile(identity)
	id, err := register.ParseIdentity(string(text))
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := register.Open(journalPath(dir), register.Config{Clock: timesynctest.NewClock(brussels("2026-11-23 10:05")), Identity: id})
	if err != nil {
		t.Fatal(err)
	}
	r, err := requisition.Decode([]byte(requisitionJSON))
	if err != nil {
		t.Fatal(err)
	}
	hostile := "BR\x1b[2J\x1b[31m\r\nFORGED\u202e\u0085\x00end"
	r.Reference = hostile
	if _, err := reg.Receive("2026-0001", r, "alice", timesync.Verdict{}); err != nil {
		t.Fatal(err)
	}
	reg.Close()
	if _, errs, code := desk(env, "ack", "-dir", dir, "-note", "first line\n    2026-11-23 10:00:00 +01:00  closed   mallory", "2026-0001"); code != exitOK {
		t.Fatalf("ack with a note of two lines: %d %s", code, errs)
	}
	for _, args := range [][]string{{"show", "2026-0001"}, {"list"}, {"claim", "2026-11"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errs, code := desk(env, append(append(args[:1:1], "-dir", dir), args[1:]...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if r := rawControl(out + errs); r >= 0 {
				t.Errorf("U+%04X printed raw:\n%q", r, out)
			}
			if args[0] == "show" {
				for _, want := range []string{`BR\u001b[2J\u001b[31m\u000d`, `\u202e\u0085\u0000end`} {
					if !strings.Contains(out, want) {
						t.Errorf("show lacks %q:\n%s", want, out)
					}
				}
				for _, l := range strings.Split(out, "\n") {
					if strings.HasPrefix(l, "FORGED") {
						t.Errorf("a line of the reference is printed as a line of its own:\n%s", out)
					}
					if strings.Contains(l, "mallory") && !strings.HasPrefix(l, strings.Repeat(" ", 31)) {
						t.Errorf("a note's second line is not indented as a note: %q", l)
					}
				}
			}
		})
	}
	out, _, code := desk(env, "show", "-json", "-dir", dir, "2026-0001")
	if code != exitOK {
		t.Fatalf("show -json: exit %d", code)
	}
	if r := rawControl(out); r >= 0 {
		t.Errorf("U+%04X printed raw in JSON", r)
	}
	var c register.Case
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.Requisition.Reference != hostile {
		t.Errorf("show -json does not read back: %v, %q", err, c.Requisition.Reference)
	}
}

// The escaping every output passes through: what it lets pass, what it
// escapes, whatever the writes' boundaries.
func TestEscaper(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain text", "ré 2026 €\n", "ré 2026 €\n"},
		{"tab and line feed", "a\tb\nc\n", "a\tb\nc\n"},
		{"iCalendar line ends", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"},
		{"a lone carriage return", "ok\rFORGED\n", `ok\u000dFORGED` + "\n"},
		{"a carriage return at the end", "ok\r", `ok\u000d`},
		{"two carriage returns", "a\r\r\nb", `a\u000d` + "\r\nb"},
		{"an escape sequence", "\x1b[2J\x1b]0;t\x07", `\u001b[2J\u001b]0;t\u0007`},
		{"NUL and DEL", "\x00\x7f", `\u0000\u007f`},
		{"C1 controls", "\u009b\u0085", `\u009b\u0085`},
		{"bidi controls", "a\u202eb\u2066c\u200f", `a\u202eb\u2066c\u200f`},
		{"line separators", "a\u2028b\u2029", `a\u2028b\u2029`},
		{"not UTF-8", "a\xffb", "a\ufffdb"},
		{"a character cut at the end", "a\xe2\x82", "a\ufffd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for split := 0; split <= len(tc.in); split++ {
				var b bytes.Buffer
				e := newEscaper(&b)
				for _, part := range []string{tc.in[:split], tc.in[split:]} {
					if n, err := e.Write([]byte(part)); n != len(part) || err != nil {
						t.Fatalf("Write = %d, %v", n, err)
					}
				}
				if err := e.Flush(); err != nil {
					t.Fatal(err)
				}
				if b.String() != tc.want {
					t.Errorf("split at %d: %q, want %q", split, b.String(), tc.want)
				}
			}
		})
	}
}

// Whatever is written, in whatever pieces, the escaper's output is UTF-8
// with no control character but tabs, line feeds and CR LF, and a
// text without control characters passes unchanged.
func FuzzEscaper(f *testing.F) {
	f.Add([]byte("BEGIN:VCALENDAR\r\n"), 3)
	f.Add([]byte("\x1b[2J\r\u202e\xff"), 1)
	f.Add([]byte("é€\n"), 2)
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		if split < 0 || split > len(data) {
			split = len(data) / 2
		}
		var b bytes.Buffer
		e := newEscaper(&b)
		e.Write(data[:split])
		e.Write(data[split:])
		e.Flush()
		out := b.String()
		if !utf8.ValidString(out) {
			t.Fatalf("%q: not UTF-8", out)
		}
		if r := rawControl(out); r >= 0 {
			t.Fatalf("%q: U+%04X raw", out, r)
		}
		if utf8.Valid(data) && rawControl(string(data)) < 0 && !bytes.Contains(data, []byte("\r")) && out != string(data) {
			t.Fatalf("%q changed to %q", data, out)
		}
	})
}
