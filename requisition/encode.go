package requisition

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ccjkit/ccjkit/internal/strictjson"
)

// ErrDecode is wrapped by every error of [Decode].
var ErrDecode = errors.New("requisition: cannot decode")

// Problem is one thing wrong with an encoded requisition, at the JSON path
// of the field at fault ("targets[2].addr"; "" for the document).
type Problem struct {
	Path string `json:"path"`
	Msg  string `json:"msg"`
}

// DecodeError lists every problem [Decode] found.
type DecodeError struct {
	Problems []Problem
}

// Error lists the problems.
func (e *DecodeError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		if p.Path == "" {
			parts[i] = p.Msg
		} else {
			parts[i] = p.Path + ": " + p.Msg
		}
	}
	return fmt.Sprintf("%v: %s", ErrDecode, strings.Join(parts, "; "))
}

// Unwrap returns [ErrDecode].
func (e *DecodeError) Unwrap() error { return ErrDecode }

// Decode reads a requisition from its JSON encoding, strictly: at most
// [MaxEncoded] bytes; no unknown field (names compared exactly); every value
// of the right type and range (enumerations by their keys, times in RFC 3339
// to the second, addresses as net/netip parses them); at most [MaxTargets]
// targets, [MaxItems] items, [MaxOffences] offences. Every problem is listed
// with its path. Decode checks the encoding only: whether the order is
// lawful is [Requisition.Validate]'s job.
func Decode(data []byte) (Requisition, error) {
	var r Requisition
	if err := strictjson.Decode(data, &r, MaxEncoded); err != nil {
		var se *strictjson.Error
		if errors.As(err, &se) {
			de := &DecodeError{}
			for _, p := range se.Problems {
				de.Problems = append(de.Problems, Problem{p.Path, p.Msg})
			}
			return Requisition{}, de
		}
		return Requisition{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	var problems []Problem
	bound := func(path string, n, max int) {
		if n > max {
			problems = append(problems, Problem{path, fmt.Sprintf("%d entries, more than %d", n, max)})
		}
	}
	bound("targets", len(r.Targets), MaxTargets)
	bound("items", len(r.Items), MaxItems)
	bound("offences", len(r.Offences), MaxOffences)
	if len(r.Reference) > MaxReference {
		problems = append(problems, Problem{"reference", fmt.Sprintf("longer than %d bytes", MaxReference)})
	}
	if len(problems) > 0 {
		return Requisition{}, &DecodeError{problems}
	}
	// An empty list is written as no list (omitempty); read it the same way,
	// so that a decoded requisition equals itself encoded and decoded again.
	if len(r.Offences) == 0 {
		r.Offences = nil
	}
	if len(r.Items) == 0 {
		r.Items = nil
	}
	if len(r.Targets) == 0 {
		r.Targets = nil
	}
	return r, nil
}

// Encode returns the JSON encoding of r, which [Decode] reads back.
func Encode(r Requisition) ([]byte, error) { return json.Marshal(r) }
