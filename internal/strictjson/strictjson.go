// Package strictjson decodes JSON the way ccjkit's formats require: a size
// limit, no unknown fields (compared exactly, not case-insensitively as
// encoding/json does), no trailing data, and every problem reported with the
// path of the field at fault — all of them, not only the first.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// ErrDecode is wrapped by every error of [Decode].
var ErrDecode = errors.New("strict JSON decoding failed")

// Problem is one thing wrong with the input, at a path such as
// "targets[2].addr" ("" for the document as a whole).
type Problem struct {
	Path string
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Error lists every problem found.
type Error struct {
	Problems []Problem
}

// Error joins the problems.
func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return fmt.Sprintf("%v: %s", ErrDecode, strings.Join(parts, "; "))
}

// Unwrap returns [ErrDecode].
func (e *Error) Unwrap() error { return ErrDecode }

// Decode decodes data into v (a pointer to a struct) strictly: at most max
// bytes, one JSON value, no field that v's type does not declare, every
// value of the right type and accepted by its UnmarshalText or
// UnmarshalJSON. On error v is left unchanged.
func Decode(data []byte, v any, max int) error {
	if len(data) > max {
		return &Error{[]Problem{{"", fmt.Sprintf("input is %d bytes, more than %d", len(data), max)}}}
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return &Error{[]Problem{{"", "not JSON: " + err.Error()}}}
	}
	if _, err := dec.Token(); err == nil {
		return &Error{[]Problem{{"", "data after the JSON value"}}}
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{[]Problem{{"", "strictjson: destination is not a non-nil pointer"}}}
	}
	var problems []Problem
	check(tree, rv.Type().Elem(), "", &problems)
	if len(problems) > 0 {
		return &Error{problems}
	}
	fresh := reflect.New(rv.Type().Elem())
	if err := json.Unmarshal(data, fresh.Interface()); err != nil {
		return &Error{[]Problem{{"", err.Error()}}}
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// check walks the decoded tree along type t and records every problem.
func check(node any, t reflect.Type, path string, problems *[]Problem) {
	add := func(msg string) { *problems = append(*problems, Problem{path, msg}) }
	pt := reflect.PointerTo(t)
	if pt.Implements(textUnmarshaler) && !pt.Implements(jsonUnmarshaler) {
		if _, ok := node.(string); !ok && node != nil {
			add("want a string")
			return
		}
	}
	if pt.Implements(textUnmarshaler) || pt.Implements(jsonUnmarshaler) {
		raw, _ := json.Marshal(node)
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			add(cleanError(err))
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if node != nil {
			check(node, t.Elem(), path, problems)
		}
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
				*problems = append(*problems, Problem{join(path, k), "unknown field"})
				continue
			}
			check(obj[k], f.Type, join(path, k), problems)
		}
	case reflect.Slice, reflect.Array:
		if node == nil && t.Kind() == reflect.Slice {
			return
		}
		arr, ok := node.([]any)
		if !ok {
			add("want an array")
			return
		}
		if t.Kind() == reflect.Array && len(arr) != t.Len() {
			add(fmt.Sprintf("want %d elements, got %d", t.Len(), len(arr)))
		}
		for i, e := range arr {
			check(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), problems)
		}
	default:
		raw, _ := json.Marshal(node)
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			add(cleanError(err))
		}
	}
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

// cleanError drops encoding/json's prefixes that name Go types.
func cleanError(err error) string {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return fmt.Sprintf("want %s, got JSON %s", kindName(ute.Type), ute.Value)
	}
	return err.Error()
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
	return t.String()
}
