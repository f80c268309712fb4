package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/provenance"
)

// Rule is the rule of every finding a [Format] makes.
const Rule = "decode"

// Format is one of ccjkit's JSON formats, as its decoding problems report
// it.
type Format struct {
	// What is what a *provenance.Problems says was judged, such as
	// "requisition: decode".
	What string
	// Name names the format, such as "requisition JSON encoding": the
	// findings' source is provenance.Rule(Name).
	Name string
	// Err is the sentinel every finding wraps, such as
	// requisition.ErrDecode.
	Err error
	// Max bounds the input, in bytes.
	Max int
	// PlainText refuses every string value (and every key of a map)
	// holding a character that steers how text is shown rather than
	// being shown ([IsControl]): an escape sequence, a carriage return or
	// a bidirectional override in a reference would repaint a terminal or
	// forge a line of every output that prints it. A field whose struct
	// tag is `strictjson:"lines"` may also hold tabs and line feeds, for
	// text of several lines.
	PlainText bool
}

// Problem returns the finding for one thing wrong with the input, at path
// ("targets[2].addr"; "" for the document as a whole), explained by msg,
// which must not quote the input.
func (f Format) Problem(path, msg string) provenance.Finding {
	return provenance.Finding{Rule: Rule, Severity: provenance.Error, Field: path, Source: provenance.Rule(f.Name),
		Err: f.Err, Message: provenance.Text(msg)}
}

// Check returns a *provenance.Problems holding fs, or nil when fs is
// empty.
func (f Format) Check(fs []provenance.Finding) error { return provenance.Check(f.What, fs) }

// fail returns the error of a single problem of the document as a whole.
func (f Format) fail(msg string) error {
	return f.Check([]provenance.Finding{f.Problem("", msg)})
}

// Decode decodes data into v (a pointer to a struct) strictly: at most
// f.Max bytes of valid UTF-8, one JSON value, no duplicate key, no null, no
// field that v's type does not declare, every value of the right type and
// accepted by its UnmarshalText or UnmarshalJSON. On error v is left
// unchanged, and the error is a *provenance.Problems listing every problem
// (see [Format.Problem]).
//
// Problems never quote the input's values, which may be secret (a target's
// address, a case reference): they name the field and what it needs. A key
// that is not a plain identifier is not quoted either.
func (f Format) Decode(data []byte, v any) error {
	if len(data) > f.Max {
		return f.fail(fmt.Sprintf("input is %d bytes, more than %d", len(data), f.Max))
	}
	if !utf8.Valid(data) {
		return f.fail("input is not valid UTF-8")
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return f.fail("strictjson: destination is not a non-nil pointer")
	}
	var problems []problem
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tree, err := readValue(dec, "", 0, &problems)
	if err != nil {
		return f.fail("not JSON: " + redactSyntax(err))
	}
	if _, err := dec.Token(); err == nil {
		return f.fail("data after the JSON value")
	}
	w := walker{plain: f.PlainText, problems: &problems}
	w.check(tree, rv.Type().Elem(), "", false)
	if len(problems) > 0 {
		fs := make([]provenance.Finding, len(problems))
		for i, p := range problems {
			fs[i] = f.Problem(p.path, p.msg)
		}
		return f.Check(fs)
	}
	fresh := reflect.New(rv.Type().Elem())
	if err := json.Unmarshal(data, fresh.Interface()); err != nil {
		return f.fail("cannot decode: " + cleanError(err))
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}

// problem is one thing wrong with the input, at a path.
type problem struct {
	path string
	msg  string
}

// MaxDepth bounds the nesting of objects and arrays: ccjkit's formats nest
// a few levels, and deeper input is hostile (the paths of its problems
// alone would grow quadratically).
const MaxDepth = 32

// errTooDeep reports input nested beyond MaxDepth.
var errTooDeep = fmt.Errorf("nested more than %d levels deep", MaxDepth)

// readValue reads one JSON value from dec into a tree of map[string]any,
// []any, json.Number, string, bool and nil, recording duplicate keys.
func readValue(dec *json.Decoder, path string, depth int, problems *[]problem) (any, error) {
	if depth > MaxDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := map[string]any{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key, _ := kt.(string)
			child, err := readValue(dec, join(path, safeKey(key)), depth+1, problems)
			if err != nil {
				return nil, err
			}
			if _, dup := obj[key]; dup {
				*problems = append(*problems, problem{join(path, safeKey(key)), "duplicate key"})
			}
			obj[key] = child
		}
		_, err := dec.Token() // '}'
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			child, err := readValue(dec, fmt.Sprintf("%s[%d]", path, len(arr)), depth+1, problems)
			if err != nil {
				return nil, err
			}
			arr = append(arr, child)
		}
		_, err := dec.Token() // ']'
		return arr, err
	}
	return tok, nil
}

// safeKey returns key if it looks like a field name, else a placeholder:
// a key is quoted in a problem only when it cannot be a secret.
func safeKey(key string) string {
	if len(key) == 0 || len(key) > 40 {
		return "(a key that is not a field name)"
	}
	letters := false
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letters = true
		case r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return "(a key that is not a field name)"
		}
	}
	if !letters {
		return "(a key that is not a field name)"
	}
	return key
}

// redactSyntax keeps encoding/json's syntax errors, which quote at most one
// character, and drops anything else.
func redactSyntax(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", unquoteSyntax(se.Error()), se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "unexpected end of input"
	}
	if errors.Is(err, errTooDeep) {
		return err.Error()
	}
	return "malformed input"
}

// unquoteSyntax drops the character encoding/json's syntax errors quote
// ("invalid character 'Z' looking for beginning of value"), which is a
// byte of the input — of any file the program was pointed at: "invalid
// character looking for beginning of value". The rest of such a message
// is encoding/json's own words.
func unquoteSyntax(msg string) string {
	const prefix = "invalid character "
	rest, ok := strings.CutPrefix(msg, prefix+"'")
	if !ok {
		return msg
	}
	// The character as strconv.Quote writes one byte between single
	// quotes: an escape (\x00, \u009b, \n, \', \\) or one character.
	switch {
	case strings.HasPrefix(rest, `\u`) && len(rest) >= 6:
		rest = rest[6:]
	case strings.HasPrefix(rest, `\x`) && len(rest) >= 4:
		rest = rest[4:]
	case strings.HasPrefix(rest, `\`) && len(rest) >= 2:
		rest = rest[2:]
	default:
		_, n := utf8.DecodeRuneInString(rest)
		rest = rest[n:]
	}
	if rest, ok = strings.CutPrefix(rest, "'"); !ok {
		return "invalid character"
	}
	return "invalid character" + rest
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// walker walks a decoded tree along a type and records every problem.
type walker struct {
	// plain: refuse control characters in strings (Format.PlainText).
	plain    bool
	problems *[]problem
}

// check walks node along type t; lines says the field's tag lets its
// strings hold tabs and line feeds.
func (w walker) check(node any, t reflect.Type, path string, lines bool) {
	add := func(msg string) { *w.problems = append(*w.problems, problem{path, msg}) }
	if node == nil {
		add("null is not allowed; leave the field out instead")
		return
	}
	if str, ok := node.(string); ok && w.plain {
		if msg := controlProblem(str, lines); msg != "" {
			add(msg)
			return
		}
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(textUnmarshaler) && !pt.Implements(jsonUnmarshaler) {
		str, ok := node.(string)
		if !ok {
			add("want a string")
			return
		}
		// rickb777/date's parser normalises impossible dates (2026-00-00
		// becomes 2025-11-30): hold calendar days to YYYY-MM-DD exactly.
		if t.PkgPath() == "github.com/rickb777/date/v2" && t.Name() == "Date" {
			if _, err := time.Parse(time.DateOnly, str); err != nil {
				add("invalid value: want " + wellKnown(t))
			}
			return
		}
	}
	if pt.Implements(textUnmarshaler) || pt.Implements(jsonUnmarshaler) {
		w.below(node, path)
		raw, _ := json.Marshal(node)
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			add(describe(t, err))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		w.check(node, t.Elem(), path, lines)
	case reflect.Struct:
		obj, ok := node.(map[string]any)
		if !ok {
			add("want an object")
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				*w.problems = append(*w.problems, problem{join(path, safeKey(k)), "unknown field"})
				continue
			}
			w.check(obj[k], f.Type, join(path, k), f.Tag.Get("strictjson") == "lines")
		}
	case reflect.Slice, reflect.Array:
		arr, ok := node.([]any)
		if !ok {
			add("want an array")
			return
		}
		if t.Kind() == reflect.Array && len(arr) != t.Len() {
			add(fmt.Sprintf("want %d elements, got %d", t.Len(), len(arr)))
		}
		for i, e := range arr {
			w.check(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), lines)
		}
	default:
		w.below(node, path)
		raw, _ := json.Marshal(node)
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			add(describe(t, err))
		}
	}
}

// below checks the strings and keys below node, a value its type decodes
// as a whole (a map, a type with UnmarshalJSON), with no line allowed;
// node itself, when a string, was checked already.
func (w walker) below(node any, path string) {
	if !w.plain {
		return
	}
	switch n := node.(type) {
	case map[string]any:
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := join(path, safeKey(k))
			if msg := controlProblem(k, false); msg != "" {
				*w.problems = append(*w.problems, problem{p, "the key " + msg})
			}
			w.text(n[k], p)
		}
	case []any:
		for i, e := range n {
			w.text(e, fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

// text checks node, found below a value decoded as a whole: a string
// with no line allowed, or what is below it.
func (w walker) text(node any, path string) {
	if s, ok := node.(string); ok {
		if msg := controlProblem(s, false); msg != "" {
			*w.problems = append(*w.problems, problem{path, msg})
		}
		return
	}
	w.below(node, path)
}

// IsControl reports whether r steers how text is shown rather than being
// shown, so that text holding it can repaint a terminal, forge a line of
// output or reorder what a reader sees: the control characters (C0,
// DEL, C1: Unicode's general category Cc, tab, line feed and carriage
// return included), the bidirectional controls (Unicode's Bidi_Control:
// the marks and the embeddings, overrides and isolates, such as U+202E
// RIGHT-TO-LEFT OVERRIDE), the line and paragraph separators U+2028
// and U+2029, and the other format characters (Unicode's general category
// Cf: zero-width space and joiners, the byte-order mark, the soft hyphen,
// tag characters), which show nothing and so let two texts that read the
// same differ — a reference written twice would not be seen as one. A
// [Format] with PlainText refuses them in its strings. (The zero-width
// joiners some scripts need are refused too: ccjkit's texts are
// references, identifiers and Belgian names.)
func IsControl(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Bidi_Control, r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// controlProblem says what is wrong with s when it holds a character
// IsControl refuses (tabs and line feeds allowed when lines is set), or
// "". It names the character's code point and its byte offset, never the
// text around it.
func controlProblem(s string, lines bool) string {
	for i, r := range s {
		if !IsControl(r) || lines && (r == '\t' || r == '\n') {
			continue
		}
		allowed := ""
		if lines {
			allowed = " (tabs and line feeds are allowed here)"
		}
		return fmt.Sprintf("holds a control character (U+%04X at byte %d): control and bidirectional characters are refused, so that no output printing the text can be repainted or forged%s", r, i, allowed)
	}
	return ""
}

// Hinter is implemented by types that can say what a valid value looks
// like, for problem messages that must not quote the invalid one.
type Hinter interface {
	// Hint returns a short description such as "one of a, b, c".
	Hint() string
}

// wellKnown describes the types of other packages that ccjkit's formats
// use.
func wellKnown(t reflect.Type) string {
	switch t.PkgPath() + "." + t.Name() {
	case "github.com/ccjkit/ccjkit/timesync.Timestamp":
		return "an RFC 3339 date-time to the second with its offset, such as 2026-10-25T02:30:00+01:00"
	case "net/netip.Addr":
		return "an IPv4 or IPv6 address"
	case "net/netip.Prefix":
		return "an IP prefix such as 192.0.2.0/24"
	case "github.com/rickb777/date/v2.Date":
		return "a date YYYY-MM-DD"
	case "time.Time":
		return "an RFC 3339 date-time"
	}
	return ""
}

// describe says what a field of type t needs, without quoting the value.
func describe(t reflect.Type, err error) string {
	if h, ok := reflect.Zero(t).Interface().(Hinter); ok {
		return "invalid value: want " + h.Hint()
	}
	if w := wellKnown(t); w != "" {
		return "invalid value: want " + w
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return "want " + kindName(t)
	}
	return "invalid value: want " + kindName(t)
}

// jsonFields maps the JSON names of t's exported fields to the fields, as
// encoding/json names them (tag name, else the Go name; "-" skipped;
// embedded structs flattened).
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// cleanError describes a decoding error without quoting input values.
func cleanError(err error) string {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return fmt.Sprintf("%s: want %s", ute.Field, kindName(ute.Type))
	}
	return "malformed input"
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a valid " + t.Name()
}
