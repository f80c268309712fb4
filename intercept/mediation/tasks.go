package mediation

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/timesync"
)

// Status is what the mediation function knows of a task at an instant.
type Status uint8

// The statuses. The zero Status is Unknown: no task has the XID.
const (
	// Unknown: no task has the XID; its records are refused.
	Unknown Status = iota
	// Pending: the task is known but its window has not opened.
	Pending
	// Active: the task intercepts now.
	Active
	// Ended: the task was deactivated, or its window has closed.
	Ended
)

// String returns "unknown", "pending", "active" or "ended".
func (s Status) String() string {
	switch s {
	case Pending:
		return "pending"
	case Active:
		return "active"
	case Ended:
		return "ended"
	}
	return "unknown"
}

// Tasks is what the mediation function knows of the tasks the
// administration function (ADMF) gave: for an XID (TS 103 221's task
// UUID, intercept.Task's ID), the task and its status now. An X1 NE
// server, a register or a configuration file can stand behind it; Table
// is the in-memory one. Implementations must be safe for concurrent use:
// every connection asks, for every record (a *Table's connections ask
// again only once it changed, and judge the status on its clock
// themselves).
type Tasks interface {
	// Lookup returns the task with ID xid and its status now. For an
	// Unknown status the task is the zero Task.
	Lookup(xid [16]byte) (intercept.Task, Status)
}

// Table is an in-memory Tasks, changed as X1's ActivateTask, ModifyTask
// and DeactivateTask change an NE's tasks. It is safe for concurrent use.
// A task's status is judged on the clock at each Lookup: Pending before
// NotBefore, Active until NotAfter, Ended from NotAfter on or once
// deactivated, whatever the order of calls — so a task past its end is
// ended even if nobody deactivated it.
//
// A deactivated task is remembered as Ended, so that its late records are
// refused as records of an ended task rather than of an unknown one; its
// XID may be activated again. Memory grows with the number of XIDs ever
// activated, which the ADMF controls.
type Table struct {
	clock timesync.Clock
	mu    sync.RWMutex
	tasks map[[16]byte]*entry
	// gen counts the changes: each adds 1 under mu. While it is unchanged,
	// a task read from the table is still the table's, which lets a
	// connection of the mediation function keep the last task it read
	// instead of reading it again for every record (connState.lookup).
	gen atomic.Uint64
}

type entry struct {
	task        intercept.Task
	deactivated bool
}

// NewTable returns an empty table judging windows on clock.
func NewTable(clock timesync.Clock) *Table {
	return &Table{clock: clock, tasks: map[[16]byte]*entry{}}
}

// Lookup returns the task with ID xid and its status now.
func (t *Table) Lookup(xid [16]byte) (intercept.Task, Status) {
	now := t.clock.Now()
	r := t.read(xid)
	return r.task, r.status(now)
}

// tableRead is what the table held for an XID at one generation.
type tableRead struct {
	gen         uint64
	found       bool
	deactivated bool
	task        intercept.Task
}

// read returns what the table holds for xid, and its generation.
func (t *Table) read(xid [16]byte) tableRead {
	t.mu.RLock()
	defer t.mu.RUnlock()
	r := tableRead{gen: t.gen.Load()}
	if e := t.tasks[xid]; e != nil {
		r.found, r.deactivated, r.task = true, e.deactivated, e.task
	}
	return r
}

// status is the task's status at now: Ended once deactivated or from
// NotAfter on, Pending before NotBefore, else Active.
func (r *tableRead) status(now time.Time) Status {
	switch {
	case !r.found:
		return Unknown
	case r.deactivated || !now.Before(r.task.NotAfter):
		return Ended
	case now.Before(r.task.NotBefore):
		return Pending
	}
	return Active
}

// Activate adds task, which must be valid. It is refused (ErrTask) when
// an active or pending task already has its ID, or another such task its
// LIID: an LIID names one interception, and the records of two tasks under
// one LIID could not be told apart. A deactivated or ended task's ID may
// be activated again, as a new task.
func (t *Table) Activate(task intercept.Task) error {
	if err := task.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrTask, err)
	}
	task.Targets = slices.Clone(task.Targets)
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.tasks[task.ID]; e != nil && !e.deactivated && now.Before(e.task.NotAfter) {
		return fmt.Errorf("%w: a task with this ID is already active or pending (rule: one task per XID)", ErrTask)
	}
	if t.liidTaken(task.LIID, task.ID, now) {
		return fmt.Errorf("%w: another active or pending task has this LIID (rule: an LIID names one interception)", ErrTask)
	}
	t.tasks[task.ID] = &entry{task: task}
	t.gen.Add(1)
	return nil
}

// liidTaken reports whether a task other than id, not ended at now, has
// liid. Under mu.
func (t *Table) liidTaken(liid intercept.LIID, id [16]byte, now time.Time) bool {
	for xid, e := range t.tasks {
		if xid != id && !e.deactivated && e.task.LIID == liid && now.Before(e.task.NotAfter) {
			return true
		}
	}
	return false
}

// Modify replaces the task with task's ID by task, which must be valid:
// its window, targets, delivery and access type may change, as X1's
// ModifyTask changes them. It is refused (ErrTask) when no active or
// pending task has the ID, or when the LIID or the agency would change:
// the records already delivered were numbered under them, so such a
// change is a new task (deactivate this one, activate another).
func (t *Table) Modify(task intercept.Task) error {
	if err := task.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrTask, err)
	}
	task.Targets = slices.Clone(task.Targets)
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.tasks[task.ID]
	if e == nil || e.deactivated {
		return fmt.Errorf("%w: no task with this ID to modify (rule: ModifyTask needs an activated task)", ErrTask)
	}
	if e.task.LIID != task.LIID || e.task.Agency != task.Agency {
		return fmt.Errorf("%w: a task cannot change its LIID or agency; deactivate it and activate a new task", ErrTask)
	}
	e.task = task
	t.gen.Add(1)
	return nil
}

// Deactivate ends the task with ID xid now, whatever its window says.
// It is refused (ErrTask) when no task has the ID or it was already
// deactivated.
func (t *Table) Deactivate(xid [16]byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.tasks[xid]
	if e == nil || e.deactivated {
		return fmt.Errorf("%w: no activated task with this ID (rule: DeactivateTask needs an activated task)", ErrTask)
	}
	e.deactivated = true
	t.gen.Add(1)
	return nil
}
