package provenance

import (
	"fmt"
	"strings"
)

// Problems is the error ccjkit returns when a check or a decoder finds one
// or more rules not met: every finding, not only the first, errors,
// warnings and information alike. What says what was judged ("requisition",
// "requisition: decode", "intercept: task", "radius: request", ...).
//
// Its Unwrap returns the error-severity findings, each of which unwraps to
// its sentinel, so errors.Is finds every sentinel and errors.As each
// [Finding]. It is the one problem-list error type of ccjkit.
type Problems struct {
	What     string    `json:"what"`
	Findings []Finding `json:"findings"`
}

// Check returns a *Problems holding every finding of fs when at least one
// is an error, and nil otherwise (warnings alone are no error).
func Check(what string, fs []Finding) error {
	if w, ok := Worst(fs); ok && w == Error {
		return &Problems{What: what, Findings: fs}
	}
	return nil
}

// Errors returns the error-severity findings, in order.
func (p *Problems) Errors() []Finding {
	var out []Finding
	for _, f := range p.Findings {
		if f.Severity == Error {
			out = append(out, f)
		}
	}
	return out
}

// Error lists the error-severity findings in English on one line, after
// what was judged and their number.
func (p *Problems) Error() string {
	errs := p.Errors()
	lines := make([]string, len(errs))
	for i, f := range errs {
		lines[i] = f.String()
	}
	rules := "rules"
	if len(lines) == 1 {
		rules = "rule"
	}
	return fmt.Sprintf("%s: %d %s not met: %s", p.What, len(lines), rules, strings.Join(lines, "; "))
}

// Unwrap returns the error-severity findings, so that errors.Is finds each
// of their sentinels and errors.As each Finding.
func (p *Problems) Unwrap() []error {
	errs := p.Errors()
	out := make([]error, len(errs))
	for i, f := range errs {
		out[i] = f
	}
	return out
}
