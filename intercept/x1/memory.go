package x1

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/ccjkit/ccjkit/intercept"
)

// Memory is an NE that keeps tasks and destinations in memory and checks
// them as TS 103 221-1 asks: an XID or DID is not created twice nor used
// when absent, a task's destinations exist and together receive what the
// task delivers, a destination in use is not removed. It is safe for
// concurrent use. A point of interception or a mediation function reads
// its tasks with Tasks (and turns them into intercept.Tasks with
// TaskDetails.InterceptTask), or is told of each change by OnChange.
//
// It does not deliver anything: GetDestinationDetails reports every
// destination as activeAndWorking, and every task as complete.
type Memory struct {
	mu    sync.Mutex
	tasks map[UUID]TaskDetails
	dests map[UUID]DestinationDetails
	// OnChange, when set before the first request, is called with the
	// XID and the task's new details after each activation or
	// modification, and with active false after a deactivation, while the
	// change is being made (the next change waits): it must not call back
	// into the Memory.
	OnChange func(xid UUID, t TaskDetails, active bool)
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{tasks: make(map[UUID]TaskDetails), dests: make(map[UUID]DestinationDetails)}
}

// Tasks returns the tasks held, ordered by XID.
func (m *Memory) Tasks() []TaskDetails {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]TaskDetails, 0, len(m.tasks))
	for _, t := range m.tasks {
		out = append(out, cloneTask(t))
	}
	slices.SortFunc(out, func(a, b TaskDetails) int { return bytes.Compare(a.XID[:], b.XID[:]) })
	return out
}

// Destinations returns the destinations held, ordered by DID.
func (m *Memory) Destinations() []DestinationDetails {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]DestinationDetails, 0, len(m.dests))
	for _, d := range m.dests {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b DestinationDetails) int { return bytes.Compare(a.DID[:], b.DID[:]) })
	return out
}

func cloneTask(t TaskDetails) TaskDetails {
	t.Targets = slices.Clone(t.Targets)
	t.DIDs = slices.Clone(t.DIDs)
	t.Mediation = slices.Clone(t.Mediation)
	return t
}

// checkTask applies the rules of a task; failure is the code of the
// request's generic failure.
func (m *Memory) checkTask(t TaskDetails, failure ErrorCode) error {
	if len(t.Targets) == 0 {
		return fmt.Errorf("%w: no target", failure)
	}
	for _, tg := range t.Targets {
		switch tg.Kind {
		case intercept.TargetAddress:
			if !tg.Prefix.IsValid() || tg.Prefix != tg.Prefix.Masked() {
				return fmt.Errorf("%w: a prefix that is not in canonical form", failure)
			}
		case intercept.TargetUsername:
			if len(tg.Username) == 0 || len(tg.Username) > intercept.MaxUsernameLen || !utf8.ValidString(tg.Username) {
				return fmt.Errorf("%w: a username of 1 to %d bytes of UTF-8", failure, intercept.MaxUsernameLen)
			}
		default:
			return fmt.Errorf("%w: a target of no known kind", UnsupportedTargetIdentifierType)
		}
	}
	var covered intercept.Delivery
	for _, did := range t.DIDs {
		d, ok := m.dests[did]
		if !ok {
			return DIDDoesNotExist
		}
		covered |= d.Delivery
	}
	if len(t.DIDs) == 0 && len(t.Mediation) == 0 || len(t.DIDs) > 0 && covered&t.Delivery != t.Delivery {
		return InvalidCombinationOfDeliveryTypeAndDestinations
	}
	return nil
}

// ActivateTask implements NE.
func (m *Memory) ActivateTask(_ context.Context, t TaskDetails) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tasks[t.XID]; ok {
		return XIDAlreadyExists
	}
	if err := m.checkTask(t, GenericActivateTaskFailure); err != nil {
		return err
	}
	m.tasks[t.XID] = cloneTask(t)
	if m.OnChange != nil {
		m.OnChange(t.XID, cloneTask(t), true)
	}
	return nil
}

// ModifyTask implements NE.
func (m *Memory) ModifyTask(_ context.Context, t TaskDetails) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tasks[t.XID]; !ok {
		return XIDDoesNotExist
	}
	if err := m.checkTask(t, GenericModifyTaskFailure); err != nil {
		return err
	}
	m.tasks[t.XID] = cloneTask(t)
	if m.OnChange != nil {
		m.OnChange(t.XID, cloneTask(t), true)
	}
	return nil
}

// DeactivateTask implements NE.
func (m *Memory) DeactivateTask(_ context.Context, xid UUID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tasks[xid]
	if !ok {
		return XIDDoesNotExist
	}
	delete(m.tasks, xid)
	if m.OnChange != nil {
		m.OnChange(xid, t, false)
	}
	return nil
}

// GetTaskDetails implements NE.
func (m *Memory) GetTaskDetails(_ context.Context, xid UUID) (TaskResponseDetails, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tasks[xid]
	if !ok {
		return TaskResponseDetails{}, XIDDoesNotExist
	}
	return TaskResponseDetails{Task: cloneTask(t), Status: TaskStatus{Provisioning: ProvisioningComplete}}, nil
}

// ListAllDetails implements NE: the XIDs and DIDs in order.
func (m *Memory) ListAllDetails(context.Context) (xids, dids []UUID, err error) {
	for _, t := range m.Tasks() {
		xids = append(xids, t.XID)
	}
	for _, d := range m.Destinations() {
		dids = append(dids, d.DID)
	}
	return xids, dids, nil
}

// CreateDestination implements NE.
func (m *Memory) CreateDestination(_ context.Context, d DestinationDetails) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dests[d.DID]; ok {
		return DIDAlreadyExists
	}
	m.dests[d.DID] = d
	return nil
}

// ModifyDestination implements NE. A destination's delivery type may not
// shrink below what a task using it needs.
func (m *Memory) ModifyDestination(_ context.Context, d DestinationDetails) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.dests[d.DID]
	if !ok {
		return DIDDoesNotExist
	}
	m.dests[d.DID] = d
	for _, t := range m.tasks {
		if err := m.checkTask(t, GenericModifyDestinationFailure); err != nil {
			m.dests[d.DID] = old
			return InvalidCombinationOfDeliveryTypeAndDestinations
		}
	}
	return nil
}

// RemoveDestination implements NE.
func (m *Memory) RemoveDestination(_ context.Context, did UUID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.dests[did]; !ok {
		return DIDDoesNotExist
	}
	for _, t := range m.tasks {
		if slices.Contains(t.DIDs, did) {
			return DestinationInUse
		}
	}
	delete(m.dests, did)
	return nil
}

// GetDestinationDetails implements NE.
func (m *Memory) GetDestinationDetails(_ context.Context, did UUID) (DestinationResponseDetails, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.dests[did]
	if !ok {
		return DestinationResponseDetails{}, DIDDoesNotExist
	}
	return DestinationResponseDetails{Destination: d, Status: DestinationStatus{Delivery: ActiveAndWorking}}, nil
}
