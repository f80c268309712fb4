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

// problemsJSON is what -json prints for bad input in a file: every
// problem, each with its field, never the value found.
type problemsJSON struct {
	Error    string               `json:"error"`
	File     string               `json:"file"`
	Problems []provenance.Finding `json:"problems"`
}

// printProblems prints, under -json, every problem of a file that did not
// decode or check, on standard output; it reports whether it did.
func (s *session) printProblems(err error) bool {
	var fp *fileProblems
	if !s.asJSON || !errors.As(err, &fp) || fp.problems == nil {
		return false
	}
	return s.printJSON(problemsJSON{Error: "bad input", File: fp.file, Problems: fp.problems.Findings}) == nil
}
