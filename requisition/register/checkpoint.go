package register

import (
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

// Checkpoint signs a checkpoint of the register's journal with the
// identity's key, reading it under the shared lock: it writes nothing,
// and a torn tail is left where it is.
//
// It vouches only for what this Register has read and checked (the
// roster, every step): records other processes appended since are left
// to the next checkpoint.
func (r *Register) Checkpoint() (journal.Checkpoint, error) {
	r.mu.Lock()
	next, broken := r.next, r.broken
	r.mu.Unlock()
	if broken != nil {
		return journal.Checkpoint{}, broken
	}
	return r.j.Checkpoint(next, timesync.Now(r.cfg.Clock), r.cfg.Identity.sign)
}
