package x1

import (
	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/provenance"
)

// InterceptTask returns the intercept.Task the details describe, for a
// pipeline that delivers to the agency itself: the task's ID is its XID,
// its targets are the details' targets, and its LIID, delivery and window
// come from its one MediationDetails (a point of interception tasked
// without one delivers X2/X3 to a mediation function and has no LIID: it
// cannot run an intercept.Task). agency and access are the pipeline's own
// settings. The result is checked by intercept.Task.Validate; the error
// is a *provenance.Problems.
func (td TaskDetails) InterceptTask(agency string, access intercept.AccessType) (intercept.Task, error) {
	if len(td.Mediation) != 1 {
		var p problems
		p.add(ErrValue, "x1-mediation", provenance.Rule("x1-mediation"), "listOfMediationDetails",
			"an intercept.Task needs exactly one mediationDetails (LIID, window), not %d", len(td.Mediation))
		return intercept.Task{}, p.err(whatTask)
	}
	md := td.Mediation[0]
	t := intercept.Task{
		ID:         td.XID,
		LIID:       md.LIID,
		Targets:    append([]intercept.Target(nil), td.Targets...),
		NotBefore:  md.Start,
		NotAfter:   md.End,
		Delivery:   md.Delivery,
		Agency:     agency,
		AccessType: access,
	}
	if err := t.Validate(); err != nil {
		return intercept.Task{}, err
	}
	return t, nil
}
