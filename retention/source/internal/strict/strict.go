// Package strict holds what the retention sources share to read their
// input strictly: a list of findings that ends as one
// *provenance.Problems, the checks of a device name and of a time written
// with a Belgian offset. Nothing here quotes its input.
package strict

import (
	"strconv"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/timesync"
)

// Findings collects the problems found in one input. The zero value is
// ready to use.
type Findings struct {
	list []provenance.Finding
}

// Add records a problem: the field at fault ("line 3, from"), the rule's
// short name, what is wrong (never the value), the rule's source and the
// sentinel the finding wraps.
func (f *Findings) Add(field, rule, text string, src provenance.Source, err error) {
	f.list = append(f.list, provenance.Finding{
		Rule: rule, Severity: provenance.Error, Field: field, Source: src, Err: err,
		Message: provenance.Text(text),
	})
}

// Len returns the number of problems recorded.
func (f *Findings) Len() int { return len(f.list) }

// Check returns a *provenance.Problems (What what) holding every problem,
// or nil when there is none.
func (f *Findings) Check(what string) error { return provenance.Check(what, f.list) }

// MaxDevice bounds a device name, in bytes.
const MaxDevice = 64

// Device reports whether name is a device name an Evidence may carry: 1
// to MaxDevice bytes of printable ASCII without spaces, like a host name
// or "bras-1".
func Device(name string) bool {
	if len(name) < 1 || len(name) > MaxDevice {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] <= ' ' || name[i] > '~' {
			return false
		}
	}
	return true
}

// BelgianTime reads an RFC 3339 time to the second whose offset is the
// one Brussels clocks showed at that instant (+01:00 in winter, +02:00 in
// summer; both exist in the repeated autumn hour, each naming its own
// instant). It returns what is wrong, without the value, when it is not.
func BelgianTime(s string) (timesync.Timestamp, string) {
	ts, err := timesync.ParseTimestamp(s)
	if err != nil {
		return timesync.Timestamp{}, "not an RFC 3339 time to the second (YYYY-MM-DDThh:mm:ss+01:00 or +02:00)"
	}
	written := 0
	if s[len(s)-1] != 'Z' {
		sign := 1
		if s[19] == '-' {
			sign = -1
		}
		h, _ := strconv.Atoi(s[20:22])
		m, _ := strconv.Atoi(s[23:25])
		written = sign * (h*3600 + m*60)
	}
	if off, _ := ts.Offset(); off != written {
		return timesync.Timestamp{}, "its offset is not the one Brussels clocks showed at that instant (+01:00 in winter, +02:00 in summer)"
	}
	return ts, ""
}

// Line names a field of line n of a text input: "line 3, from".
func Line(n int, field string) string {
	if field == "" {
		return "line " + strconv.Itoa(n)
	}
	return "line " + strconv.Itoa(n) + ", " + field
}
