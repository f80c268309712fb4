package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/strictjson"
)

// This file holds what the desk does with input it did not expect: the
// exit status of each error, flags it cannot parse, unknown commands,
// text flags it refuses, and the one escaping every output passes
// through.

// exitCode is the exit status of a command that failed with err: 2 for
// bad input — a file or argument the desk refuses (errInput), input the
// register refuses (a malformed case ID, a note too long, a result it
// cannot take: register.ErrInput), a case ID that names no case or one
// that is taken (register.ErrCaseExists), a
// result whose reference names no work order, an
// identity the register's roster does not hold, a file ccjkit cannot
// decode — in every one of which nothing was written; 1 for the rest.
func exitCode(err error) int {
	var pipe *pipeError
	if errors.As(err, &pipe) {
		return pipe.code
	}
	var in *errInput
	for _, sentinel := range []error{register.ErrInput, register.ErrUnknownCase, register.ErrCaseExists, register.ErrUnknownRef, register.ErrActor,
		register.ErrDecode, requisition.ErrDecode, ccj.ErrDecode} {
		if errors.Is(err, sentinel) {
			return exitInput
		}
	}
	if errors.As(err, &in) {
		return exitInput
	}
	return exitFail
}

// unknownCommand says, on one line, that the command is unknown, without
// repeating it: what was typed may be anything, a secret pasted in the
// wrong place included.
func unknownCommand(w io.Writer, tag language.Tag) {
	fmt.Fprintln(w, printer(tag).Sprintf("desk: unknown command: 'desk help' lists the commands"))
}

// errorText is a failed command's error in the language tag asks for:
// the desk's own bad-input messages are translated; an error of the
// library, or of the system, is Go's, in English.
func errorText(err error, tag language.Tag) string {
	var in *errInput
	if errors.As(err, &in) && err.Error() == in.Error() {
		return in.Text(tag)
	}
	return err.Error()
}

// flagError says, on one line, what is wrong with a command's flags,
// naming the flag only when the command declares it, and never quoting a
// value or an unknown flag.
func flagError(w io.Writer, fs *flag.FlagSet, cmd command, err error, tag language.Tag) {
	p := printer(tag)
	msg := err.Error()
	what := p.Sprintf("an unknown flag, or a flag written wrongly")
	fs.VisitAll(func(f *flag.Flag) {
		switch {
		case strings.HasSuffix(msg, "flag needs an argument: -"+f.Name):
			what = p.Sprintf("-%s needs a value", f.Name)
		case strings.Contains(msg, " for flag -"+f.Name+": "), strings.Contains(msg, " for -"+f.Name+": "):
			what = p.Sprintf("-%s: a value of the wrong form", f.Name)
		}
	})
	fmt.Fprintln(w, p.Sprintf("desk %s: %s: 'desk %s -h' lists its flags", cmd.name, what, cmd.name))
}

// commandHelp writes a command's usage and its flags, for -h, in the
// language tag asks for.
func commandHelp(w io.Writer, fs *flag.FlagSet, cmd command, tag language.Tag) {
	p := printer(tag)
	fmt.Fprintf(w, "%s\n\n%s.\n%s\n\n%s\n", p.Sprintf("usage: desk %s [FLAGS] %s", cmd.name, placeholders(p, cmd.args)), p.Sprintf(cmd.summary),
		p.Sprintf(effectLine(commandEffect(cmd.name))), p.Sprintf("Flags:"))
	fs.VisitAll(func(f *flag.Flag) {
		name, _ := flag.UnquoteUsage(f)
		switch name { // flag's names of types
		case "string":
			name = "VALUE"
		case "int":
			name = "N"
		case "duration":
			name = "DURATION"
		}
		line := "  -" + f.Name
		if name != "" {
			line += " " + placeholders(p, name)
		}
		text := strings.ReplaceAll(p.Sprintf(f.Usage), "`", "")
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "0s" && !strings.Contains(f.Usage, "default") {
			text += " " + p.Sprintf("(default %q)", d)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, text)
	})
}

// placeholders translates the placeholders of a command's arguments or a
// flag's value (FILE.json, MEASURE, DIR): each word in capitals the
// catalogue has; the rest (ID, YYYY-MM, the names of subcommands) is
// typed as it is.
func placeholders(p *message.Printer, s string) string {
	var b strings.Builder
	word := func(w string) {
		if w != "" {
			w = p.Sprintf(w)
		}
		b.WriteString(w)
	}
	start := 0
	for i, r := range s {
		if r < 'A' || r > 'Z' {
			word(s[start:i])
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	word(s[start:])
	return b.String()
}

// checkFlags checks the text flags before anything is opened, with the
// register's own limits: -id is a case ID (register.CheckCaseID); -note,
// -what and -without-result are at most register.MaxText bytes of UTF-8, -to and -name
// at most register.MaxName; none holds a control or bidirectional
// character (strictjson.IsControl), but -note and -what may hold tabs
// and line feeds.
func (s *session) checkFlags() error {
	if s.id != "" {
		if err := register.CheckCaseID(s.id); err != nil {
			return inputErr("-id: a case ID is 1 to %d printable ASCII characters, no space", register.MaxCaseID)
		}
		if strings.HasPrefix(s.id, "I-") {
			return inputErr("-id: I- begins the numbers of intakes (I-17), not a case's")
		}
	}
	for _, f := range []struct {
		name, value string
		max         int
		lines       bool
	}{
		{"-note", s.note, register.MaxText, true},
		{"-what", s.what, register.MaxText, true},
		{"-without-result", s.withoutResult, register.MaxText, true},
		{"-to", s.to, register.MaxName, false},
		{"-name", s.name, register.MaxName, false},
	} {
		if !plainText(f.value, f.lines) || len(f.value) > f.max {
			if f.lines {
				return inputErr("%s: at most %d bytes of UTF-8, with no control character but tab and line feed", f.name, f.max)
			}
			return inputErr("%s: at most %d bytes of UTF-8, with no control character", f.name, f.max)
		}
	}
	return nil
}

// plainText reports whether s is UTF-8 with no control or bidirectional
// character, tabs and line feeds allowed when lines is set.
func plainText(s string, lines bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if strictjson.IsControl(r) && !(lines && (r == '\t' || r == '\n')) {
			return false
		}
	}
	return true
}

// appendEscaped appends r to b as the desk prints it: as it is, or, when
// it steers a terminal instead of being shown (strictjson.IsControl: an
// escape, a carriage return, a bidirectional override...), as \uXXXX —
// JSON's own escape, so that JSON the desk writes (where such characters
// can only be inside strings) stays JSON meaning the same text. Tabs and
// line feeds pass when lines is set. It is the one escaping of the desk's
// outputs: the escaper every output passes through and oneLine, for
// values printed on a line of their own, both use it.
func appendEscaped(b []byte, r rune, lines bool) []byte {
	if strictjson.IsControl(r) && !(lines && (r == '\t' || r == '\n')) {
		return fmt.Appendf(b, `\u%04x`, r)
	}
	return utf8.AppendRune(b, r)
}

// oneLine returns s escaped for a place on one line of text output (a
// reference, a name): line feeds and tabs escaped too, so that no value
// can start a line of its own; a byte that is not UTF-8 becomes U+FFFD.
// The output's escaper would pass its line feeds.
func oneLine(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || strictjson.IsControl(r) {
			var b []byte
			for _, r := range s {
				b = appendEscaped(b, r, false)
			}
			return string(b)
		}
	}
	return s
}

// escaper is the escaping every output of the desk passes through (run
// wraps its standard output and error in one each): each character is
// written by appendEscaped, lines allowed, whoever wrote it — a
// requisition recorded before the library refused control characters, a
// note, a name, a file's path, a library's rendering. A carriage return
// just before a line feed (iCalendar's line ends) passes too; a byte that
// is not UTF-8 becomes U+FFFD.
//
// A character or a carriage return split across two writes is held until
// the next; Flush writes what is held at the end.
type escaper struct {
	w    io.Writer
	held []byte // the start of a character, or a carriage return
	buf  []byte
}

func newEscaper(w io.Writer) *escaper { return &escaper{w: w} }

// Write writes p escaped; it returns len(p) unless the writer below fails.
func (e *escaper) Write(p []byte) (int, error) {
	data := append(e.held, p...)
	e.held = nil
	e.buf = e.buf[:0]
	for i := 0; i < len(data); {
		b := data[i]
		if b == '\r' && i+1 == len(data) {
			e.held = append(e.held, b)
			break
		}
		if b == '\r' && data[i+1] == '\n' {
			e.buf = append(e.buf, '\r', '\n')
			i += 2
			continue
		}
		if b < utf8.RuneSelf {
			e.buf = appendEscaped(e.buf, rune(b), true)
			i++
			continue
		}
		if !utf8.FullRune(data[i:]) {
			e.held = append(e.held, data[i:]...)
			break
		}
		r, n := utf8.DecodeRune(data[i:]) // RuneError for a byte that is not UTF-8
		e.buf = appendEscaped(e.buf, r, true)
		i += n
	}
	if _, err := e.w.Write(e.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is held: a carriage return at the end (escaped), or
// the start of a character never completed (U+FFFD).
func (e *escaper) Flush() error {
	if len(e.held) == 0 {
		return nil
	}
	r := utf8.RuneError
	if e.held[0] == '\r' {
		r = '\r'
	}
	e.held = nil
	_, err := e.w.Write(appendEscaped(e.buf[:0], r, true))
	return err
}
