package main

import (
	"errors"

	"github.com/ccjkit/ccjkit/provenance"
)

// fileProblems is bad input in a file: the short message decodeErr makes
// for people (at most three lines), and every problem, for -json.
type fileProblems struct {
	*errInput
	file     string
	problems *provenance.Problems
}

// Unwrap returns the bad input, so that errors.As finds it.
func (e *fileProblems) Unwrap() error { return e.errInput }

// problemsJSON is what -json prints for a command that failed with
// problems: every one, each with its field, never the value found. The
// exit status says whether it was bad input (2, nothing written).
type problemsJSON struct {
	// File is the file at fault, when the problems are a file's.
	File     string               `json:"file,omitempty"`
	Problems []provenance.Finding `json:"problems"`
}

// printProblems prints, under -json, every problem of a command that
// failed with problems — a file that did not decode or check, input the
// library refused — on standard output; it reports whether it did.
func (s *session) printProblems(err error) bool {
	if !s.asJSON {
		return false
	}
	var out problemsJSON
	var fp *fileProblems
	var ps *provenance.Problems
	switch {
	case errors.As(err, &fp) && fp.problems != nil:
		out.File, out.Problems = fp.file, fp.problems.Findings
	case errors.As(err, &ps):
		out.Problems = ps.Findings
	default:
		return false
	}
	return s.printJSON(out) == nil
}
