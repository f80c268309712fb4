package requisitiontest_test

import (
	"errors"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/requisition"
	"github.com/ccjkit/ccjkit/requisition/requisitiontest"
)

// IMEI completes 14 digits with their Luhn check digit.
func ExampleIMEI() {
	fmt.Println(requisitiontest.IMEI("49015420323751"))
	// Output:
	// 490154203237518
}

// A property of your own: whatever your desk does with a requisition, it
// must refuse the ones that break a rule.
func TestDeskRefusesInvalid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := requisitiontest.Invalid().Draw(t, "case")
		if err := c.Requisition.Validate(c.At, requisition.FromNextDay); !errors.Is(err, c.Want) {
			t.Fatalf("breaking %s: %v", c.Rule, err)
		}
	})
}

func TestEveryBreakageIsReached(t *testing.T) {
	rules := map[string]bool{}
	rapid.Check(t, func(t *rapid.T) {
		rules[requisitiontest.Invalid().Draw(t, "case").Rule] = true
	})
	if len(rules) < 8 {
		t.Errorf("only %d of the breakages were drawn in 100 cases: %v", len(rules), rules)
	}
}
