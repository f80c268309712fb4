package provenance_test

import (
	"errors"
	"fmt"

	"github.com/ccjkit/ccjkit/provenance"
)

// A check reports findings with their sources; the caller reads them back
// with one errors.As, whatever package made them.
func Example() {
	errLate := errors.New("example: answered late")
	fs := []provenance.Finding{{
		Rule:     "deadline",
		Severity: provenance.Error,
		Field:    "answered",
		Source: provenance.Source{Instrument: "Code d'instruction criminelle", Article: "art. 46bis §2",
			Certainty: provenance.Verified},
		Err:     errLate,
		Message: provenance.Text("the answer came after the deadline"),
	}}
	err := provenance.Check("case", fs)
	var ps *provenance.Problems
	if errors.As(err, &ps) {
		for _, f := range ps.Findings {
			fmt.Println(f)
		}
	}
	fmt.Println(errors.Is(err, errLate))
	// Output:
	// error deadline [answered]: the answer came after the deadline (Code d'instruction criminelle art. 46bis §2 [V])
	// true
}
