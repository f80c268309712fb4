package requisition

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrImplausibleTime is wrapped by the findings of [Decode] about a time
// no requisition can carry: outside [PlausibleFrom]–[PlausibleUntil], or
// written with an offset that was not Belgian civil time at that instant.
// It wraps [ErrDecode].
var ErrImplausibleTime = fmt.Errorf("%w: implausible time", ErrDecode)

// The plausible window of a requisition's times, in Brussels civil time.
const (
	plausibleFromYear  = FirstHolidayYear
	plausibleUntilYear = 2200
)

// PlausibleFrom returns the first instant a requisition's time may be:
// 1 January 1974, 00:00 Brussels time.
//
// The bound is ccjkit's own [T], not the law's: an order, its receipt,
// its confirmation, its end, its answer's moment and the window of data
// it asks about all fall after it. It is the first day of the oldest rule
// ccjkit applies to an order's dates — the public holidays of the law of
// 4 January 1974 ([FirstHolidayYear]), which count the working days of a
// period — so that every time [Decode] accepts is one ccjkit can judge.
// (Orders under the articles ccjkit models, and the data a small
// operator holds, are far younger.) A time before it is a typing error
// ("0026" for "2026") or hostile input: accepted, it gave a case whose
// rota and calendar could not be computed.
func PlausibleFrom() timesync.Timestamp { return plausibleStart(plausibleFromYear) }

// PlausibleUntil returns the first instant past the times a requisition
// may carry: 1 January 2200, 00:00 Brussels time [T].
//
// No order is signed, and no period runs, that far ahead: a later time is
// a typing error ("9999") or hostile input. The bound keeps the whole
// window (226 years) within what a time.Duration measures exactly (about
// 292 years), so that the time between any two plausible times — a
// deadline's time left, a period's length — is exact, never saturated.
// How far ahead an order may lawfully reach is [Requisition.Validate]'s
// question (an order dated after the check is an error there).
func PlausibleUntil() timesync.Timestamp { return plausibleStart(plausibleUntilYear) }

// plausibleStart is the first instant of 1 January of year, Brussels time.
func plausibleStart(year int) timesync.Timestamp {
	return timesync.FromTime(time.Date(year, time.January, 1, 0, 0, 0, 0, timesync.Brussels()))
}

// Plausible reports whether ts is a time a requisition may carry: from
// [PlausibleFrom] (included) to [PlausibleUntil] (excluded). The zero
// Timestamp ("no time") is not plausible; a field that may be left out is
// checked only when given.
func Plausible(ts timesync.Timestamp) bool {
	return !ts.IsZero() && !ts.Before(PlausibleFrom()) && ts.Before(PlausibleUntil())
}

// plausibility returns a finding for every time of the requisition JSON
// data, decoded as r, that no order can carry: [Decode] calls it once
// the encoding is sound. Every field of type timesync.Timestamp is found
// by its type, wherever it is (ordered, received, valid_until,
// confirmed, targets[i].from and .until, response.stated, and any
// added later), and judged as it was written:
//
//   - within [PlausibleFrom]–[PlausibleUntil];
//   - with the offset of Belgian civil time at that instant: +01:00 in
//     winter, +02:00 in summer. A Belgian judicial order gives Belgian
//     time, so an offset that Brussels did not use at that instant (Z or
//     another zone's; +14:59; +02:00 in winter or in the hour the spring
//     change skips, which does not exist on a Brussels clock) is a time
//     copied wrongly, and the instant it names is not the one the
//     document states. In the autumn's repeated hour both offsets exist
//     and each names its own instant.
//
// The findings name the field and the rule, never the time written.
func plausibility(data []byte, f func(path, msg string) provenance.Finding) []provenance.Finding {
	var tree any
	if json.Unmarshal(data, &tree) != nil {
		return nil // Decode has refused it already
	}
	var out []provenance.Finding
	for _, w := range writtenTimes(tree, reflect.TypeFor[Requisition](), "") {
		ts, err := timesync.ParseTimestamp(w.text)
		if err != nil {
			continue // Decode has refused it already
		}
		if !Plausible(ts) {
			fd := f(w.path, fmt.Sprintf("a time outside %s to %s Brussels time, which no requisition carries (a typing error?)",
				PlausibleFrom().Format(time.DateOnly), PlausibleUntil().Add(-time.Second).Format(time.DateOnly)))
			fd.Err = ErrImplausibleTime
			out = append(out, fd)
			continue
		}
		if off, _ := ts.Offset(); writtenOffset(w.text) != off {
			fd := f(w.path, fmt.Sprintf("the offset is not Belgian civil time at that instant, which was %s: write the time as the document gives it, in Belgian time (a time in the hour the spring change skips does not exist)",
				offsetText(off)))
			fd.Err = ErrImplausibleTime
			out = append(out, fd)
		}
	}
	return out
}

// writtenTime is a time as written in the JSON, at its path.
type writtenTime struct{ path, text string }

// writtenTimes walks the JSON tree along type t and returns the text of
// every value whose type is timesync.Timestamp, with its path.
func writtenTimes(node any, t reflect.Type, path string) []writtenTime {
	if t == reflect.TypeFor[timesync.Timestamp]() {
		if s, ok := node.(string); ok && s != "" {
			return []writtenTime{{path, s}}
		}
		return nil
	}
	var out []writtenTime
	switch t.Kind() {
	case reflect.Pointer:
		return writtenTimes(node, t.Elem(), path)
	case reflect.Struct:
		obj, _ := node.(map[string]any)
		for field := range t.Fields() {
			name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
			if !field.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = field.Name
			}
			if v, ok := obj[name]; ok {
				out = append(out, writtenTimes(v, field.Type, joinPath(path, name))...)
			}
		}
	case reflect.Slice, reflect.Array:
		arr, _ := node.([]any)
		for i, v := range arr {
			out = append(out, writtenTimes(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// writtenOffset returns the offset, in seconds, of an RFC 3339 time that
// ParseTimestamp accepted: "Z" or ±hh:mm at its end.
func writtenOffset(s string) int {
	if strings.HasSuffix(s, "Z") || len(s) < 6 {
		return 0
	}
	o := s[len(s)-6:]
	h := int(o[1]-'0')*10 + int(o[2]-'0')
	m := int(o[4]-'0')*10 + int(o[5]-'0')
	sec := h*3600 + m*60
	if o[0] == '-' {
		return -sec
	}
	return sec
}

// offsetText writes an offset in seconds as ±hh:mm.
func offsetText(off int) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
}
