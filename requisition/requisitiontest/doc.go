// Package requisitiontest provides rapid generators of requisitions for
// property tests: [Valid] draws requisitions that pass
// requisition.Requisition.Validate at the moment they come with, and
// [Invalid] draws requisitions that break one named rule, with the sentinel
// the validation must report. Other ISPs' tools use them to property-test
// their own handling of requisitions, as ccjkit does.
//
//	rapid.Check(t, func(t *rapid.T) {
//		c := requisitiontest.Invalid().Draw(t, "case")
//		err := myDesk.Accept(c.Requisition, c.At)
//		if !errors.Is(err, c.Want) {
//			t.Fatalf("accepted a requisition breaking %s: %v", c.Rule, err)
//		}
//	})
package requisitiontest
