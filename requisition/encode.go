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
	return strictjson.Format{What: "requisition: decode", Name: "requisition JSON encoding", Err: ErrDecode, Max: MaxEncoded, PlainText: true}
}

// Decode reads a requisition from its JSON encoding, strictly: at most
// [MaxEncoded] bytes; no unknown field (names compared exactly); every value
// of the right type and range (enumerations by their keys, times in RFC 3339
// to the second, addresses as net/netip parses them); at most [MaxTargets]
// targets, [MaxItems] items, [MaxOffences] offences; no control or
// bidirectional character in any text ([strictjson.IsControl]: an escape
// sequence or a line break in a reference or a target would repaint or
// forge the output that prints it); every time plausible — between
// [PlausibleFrom] and [PlausibleUntil], written with the offset of
// Belgian civil time at that instant, as a Belgian order gives it (see
// [Plausible]; those findings wrap [ErrImplausibleTime]). Decode checks
// the encoding only: whether the order is lawful is
// [Requisition.Validate]'s job.
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
		// The times are judged too, when the document is JSON, so that
		// every problem is listed at once.
		var ps *provenance.Problems
		if !errors.As(err, &ps) || !fieldsOnly(ps.Findings) {
			return Requisition{}, err
		}
		// The fields that did decode are judged too, read one by one
		// (one that failed reads as zero, and finds nothing more), so
		// that every problem comes at once.
		return Requisition{}, f.Check(append(ps.Findings, partial(data).decodeProblems(data, f)...))
	}
	if err := f.Check(r.decodeProblems(data, f)); err != nil {
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

// fieldsOnly reports whether every finding is about a field: the
// document itself is JSON of a bounded size.
func fieldsOnly(fs []provenance.Finding) bool {
	for _, f := range fs {
		if f.Field == "" {
			return false
		}
	}
	return true
}

// Encode returns the JSON encoding of r, which [Decode] reads back. An
// enumeration holding a value outside its set is an error that wraps
// [ErrUnknownValue].
func Encode(r Requisition) ([]byte, error) { return json.Marshal(r) }

// decodeProblems are the problems Decode finds beyond the JSON itself:
// the bounds, the office, the times no requisition carries.
func (r Requisition) decodeProblems(data []byte, f strictjson.Format) []provenance.Finding {
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
	problems = append(problems, r.Office.problems(f.Problem)...)
	return append(problems, plausibility(data, f.Problem)...)
}

// partial reads, leniently, the fields of data that decodeProblems judges
// — the reference, the lists, the office — each on its own, so that a
// field that does not decode leaves the others readable.
func partial(data []byte) Requisition {
	var raw map[string]json.RawMessage
	var r Requisition
	if json.Unmarshal(data, &raw) != nil {
		return r
	}
	json.Unmarshal(raw["reference"], &r.Reference)
	json.Unmarshal(raw["office"], &r.Office)
	var lists struct{ Targets, Items, Offences []json.RawMessage }
	json.Unmarshal(data, &lists)
	// Only the lengths count: placeholders of the right number.
	r.Targets = make([]Target, len(lists.Targets))
	r.Items = make([]Item, len(lists.Items))
	r.Offences = make([]string, len(lists.Offences))
	return r
}
