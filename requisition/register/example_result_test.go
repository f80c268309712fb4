package register_test

import (
	"fmt"

	"github.com/ccjkit/ccjkit/requisition/register"
)

// A complete technician's result (desk result FILE): the reference of the
// work order it answers — the only link to the case a technician sees —,
// who did the work, when it was completed, the outcome (found,
// nothing-held or not-possible) and the data, or why there is none.
// register.WorkResultSchema describes it (desk schema result); the same
// document is examples/desk/sample/result.json, whose reference the
// desk's sample register does not know: a real result carries the
// reference of a work order desk workorder printed.
func ExampleDecodeWorkResult() {
	r, err := register.DecodeWorkResult([]byte(`{
  "ref": "wo-7k3qzv2m5xw4hj6npart3cbd",
  "by": "tech-1",
  "completed": "2026-11-23T10:25:00+01:00",
  "outcome": "found",
  "data": "3 sessions: 2026-11-20 08:12:40 to 09:02:11 +01:00, subscriber 0042 (sample)"
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Ref, r.Outcome, "by", r.By, "at", r.Completed)
	// Output:
	// wo-7k3qzv2m5xw4hj6npart3cbd found by tech-1 at 2026-11-23T10:25:00+01:00
}
