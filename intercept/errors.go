package intercept

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, for errors.Is. Error texts never contain a target's
// address or identity, nor an LIID's octets.
var (
	// ErrLIID: an LIID is empty, longer than 25 octets, or not in its text form.
	ErrLIID = errors.New("intercept: invalid LIID")
	// ErrStream: a stream is neither IRI nor CC.
	ErrStream = errors.New("intercept: invalid stream")
	// ErrTarget: a target is incomplete or malformed.
	ErrTarget = errors.New("intercept: invalid target")
	// ErrTask: a task breaks one of its rules (see Task.Validate).
	ErrTask = errors.New("intercept: invalid task")
	// ErrProfile: a national profile lacks a choice or holds an impossible one.
	ErrProfile = errors.New("intercept: invalid profile")
)

// Problem is one rule a task or profile does not meet: the field at fault
// (a Go-style path such as "Targets[1].Prefix"), what is wrong, and the
// sentinel. Its text names fields, never their values when they identify a
// target.
type Problem struct {
	Field string
	Rule  string
	Err   error
}

// Error returns "Field: Rule".
func (p Problem) Error() string { return p.Field + ": " + p.Rule }

// Unwrap returns the sentinel.
func (p Problem) Unwrap() error { return p.Err }

// ValidationError carries every problem found, not just the first.
type ValidationError struct {
	What     string // "task" or "profile"
	Problems []Problem
}

// Error lists the problems on one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return fmt.Sprintf("intercept: %s has %d problem(s): %s", e.What, len(parts), strings.Join(parts, "; "))
}

// Unwrap returns each problem, so errors.Is finds their sentinels.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

type problems struct {
	what string
	list []Problem
}

func (ps *problems) add(field string, sentinel error, format string, args ...any) {
	ps.list = append(ps.list, Problem{Field: field, Rule: fmt.Sprintf(format, args...), Err: sentinel})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ValidationError{What: ps.what, Problems: ps.list}
}
