package requisition

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/strictjson"
)

// ErrDecode is wrapped by every finding of the errors of [Decode].
var ErrDecode = errors.New("requisition: cannot decode")

// format is the requisition's JSON encoding, as [Decode] reports its
// problems.
func format() strictjson.Format {
	return strictjson.Format{What: "requisition: decode", Name: "requisition JSON encoding", Err: ErrDecode, Max: MaxEncoded}
}

// Decode reads a requisition from its JSON encoding, strictly: at most
// [MaxEncoded] bytes; no unknown field (names compared exactly); every value
// of the right type and range (enumerations by their keys, times in RFC 3339
// to the second, addresses as net/netip parses them); at most [MaxTargets]
// targets, [MaxItems] items, [MaxOffences] offences. Decode checks the
// encoding only: whether the order is lawful is [Requisition.Validate]'s
// job.
//
// Its error is a [*provenance.Problems] (What "requisition: decode") that
// lists every problem: each a finding of rule "decode" whose Field is the
// JSON path at fault ("targets[2].addr"; "" for the document), whose source
// is ccjkit's own format rule, and which wraps [ErrDecode]. No problem
// quotes the input's values.
func Decode(data []byte) (Requisition, error) {
	f := format()
	var r Requisition
	if err := f.Decode(data, &r); err != nil {
		return Requisition{}, err
	}
	var problems []provenance.Finding
	bound := func(path string, n, max int) {
		if n > max {
			problems = append(problems, f.Problem(path, fmt.Sprintf("%d entries, more than %d", n, max)))
		}
	}
	bound("targets", len(r.Targets), MaxTargets)
	bound("items", len(r.Items), MaxItems)
	bound("offences", len(r.Offences), MaxOffences)
	if len(r.Reference) > MaxReference {
		problems = append(problems, f.Problem("reference", fmt.Sprintf("longer than %d bytes", MaxReference)))
	}
	if err := f.Check(problems); err != nil {
		return Requisition{}, err
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

// Encode returns the JSON encoding of r, which [Decode] reads back. An
// enumeration holding a value outside its set is an error that wraps
// [ErrUnknownValue].
func Encode(r Requisition) ([]byte, error) { return json.Marshal(r) }
