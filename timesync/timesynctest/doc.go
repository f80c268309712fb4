// Package timesynctest provides what tests of time-dependent code need, as
// net/http/httptest does for HTTP: a fake [timesync.Clock] that a test moves
// by hand, and rapid generators of Belgian instants and wall-clock times for
// property tests.
//
// The generators are the ones ccjkit's own tests use. They are biased toward
// the moments where time arithmetic goes wrong — the summer-time changes (a
// missing hour in March, a repeated hour in October), month ends, 29
// February, midnight — so that a property over deadlines, rotas or
// retention periods meets those moments in a hundred runs rather than once in
// a year.
//
//	func TestDeadlineNeverBeforeReceipt(t *testing.T) {
//		rapid.Check(t, func(t *rapid.T) {
//			received := timesynctest.Instant().Draw(t, "received")
//			due := myDeadline(received)
//			if due.Before(received) {
//				t.Fatalf("due %v before receipt %v", due, received)
//			}
//		})
//	}
package timesynctest
