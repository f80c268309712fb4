package pipeline

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

// session is one live access session: its CIN and its attributes as the
// latest event left them, kept whole so that an interception starting
// mid-session opens with all of them (OpenLI issues #34 and #52).
type session struct {
	cin   intercept.CIN
	attrs intercept.AccessEvent
}

// HandleEvent takes one access event from any source — a RADIUS
// accounting tap, DHCP leases, a VPN server's connect and disconnect
// hooks, static configuration — and:
//
//   - keeps the session table: accessAccept and sessionStart open a
//     session (or update it), interimUpdate updates it (opening it when
//     the start was missed), sessionEnd and accessEnd close it; the other
//     events change nothing;
//   - sends an IRI record of the event to every task whose username target
//     it concerns and whose window covers the event's time;
//   - rebuilds the matching table when a session's addresses changed, so
//     the target's packets are intercepted from the next batch on.
//
// An event missing its SessionID or with an unknown type or an invalid
// address is refused whole.
func (p *Pipeline) HandleEvent(ev intercept.AccessEvent) error {
	if err := checkEvent(ev); err != nil {
		return err
	}
	ev.Addresses = slices.Clone(ev.Addresses)

	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	p.activateDue(ev.Time)
	s, changed := p.updateSession(ev)
	p.reportEvent(ev, s)
	if p.endSession(ev, s) {
		changed = true
	}
	if changed {
		p.rebuild()
	}
	return nil
}

// checkEvent refuses an event with no SessionID, an unknown type, no time
// or an invalid address.
func checkEvent(ev intercept.AccessEvent) error {
	if ev.SessionID == "" {
		return fmt.Errorf("%w: SessionID is empty", ErrEvent)
	}
	if !ev.Type.IsKnown() {
		return fmt.Errorf("%w: unknown access event type %d (TS 102 232-3 accessEventType)", ErrEvent, uint8(ev.Type))
	}
	if ev.Time.IsZero() {
		return fmt.Errorf("%w: the event has no time", ErrEvent)
	}
	for i, a := range ev.Addresses {
		if !a.IsValid() {
			return fmt.Errorf("%w: Addresses[%d] is not a valid prefix", ErrEvent, i)
		}
	}
	return nil
}

// activateDue activates every pending task whose window covers at, as
// Tick would have, so that it opens on the sessions as they were before
// the event of that time.
func (p *Pipeline) activateDue(at time.Time) {
	for _, ts := range p.sortedTasks() {
		if ts.phase == pending && ts.task.Active(at) {
			p.activate(ts)
		}
	}
}

// updateSession applies ev to the session table: an accept, start or
// update opens the session or merges its attributes, an end merges its
// own (end time and reason, final counts) for the session's last IRI. It
// returns the session (nil for none) and whether the table changed.
func (p *Pipeline) updateSession(ev intercept.AccessEvent) (*session, bool) {
	s := p.sessions[ev.SessionID]
	changed := false
	switch ev.Type {
	case intercept.AccessAccept, intercept.SessionStart, intercept.InterimUpdate:
		if s == nil {
			s = &session{cin: p.cinOf(ev.SessionID)}
			p.sessions[ev.SessionID] = s
			changed = true
		}
		changed = merge(&s.attrs, ev) || changed
	case intercept.SessionEnd, intercept.AccessEnd:
		if s != nil {
			merge(&s.attrs, ev)
		}
	}
	return s, changed
}

// reportEvent sends an IRI of ev, with session s's attributes when there
// is one, to every active task delivering IRI whose window covers the
// event and whose username target it concerns.
func (p *Pipeline) reportEvent(ev intercept.AccessEvent, s *session) {
	// cinOf scans the live sessions: only an event of no known session
	// needs it.
	var cin intercept.CIN
	full := ev
	if s != nil {
		cin = s.cin
		full = s.attrs
		full.Type, full.Time = ev.Type, ev.Time
	} else {
		cin = p.cinOf(ev.SessionID)
	}
	for _, ts := range p.sortedTasks() {
		if ts.phase != active || !ts.task.Active(ev.Time) || !ts.task.Delivery.Includes(intercept.IRI) {
			continue
		}
		if !targetsUser(&ts.task, full.Username) {
			continue
		}
		ts.sessions[ev.SessionID] = true
		p.emitIRI(ts, cin, full)
	}
}

// endSession removes session s from the table and from every task when
// ev ends it, and reports whether it did.
func (p *Pipeline) endSession(ev intercept.AccessEvent, s *session) bool {
	if s == nil || (ev.Type != intercept.SessionEnd && ev.Type != intercept.AccessEnd) {
		return false
	}
	delete(p.sessions, ev.SessionID)
	for _, ts := range p.tasks {
		delete(ts.sessions, ev.SessionID)
	}
	return true
}

// merge folds event ev into a session's attributes, keeping what ev does
// not report, and says whether the addresses or the identity changed.
func merge(a *intercept.AccessEvent, ev intercept.AccessEvent) bool {
	changed := a.Username != ev.Username && ev.Username != ""
	if ev.Username != "" {
		a.Username = ev.Username
	}
	if len(ev.Addresses) > 0 {
		if !slices.Equal(a.Addresses, ev.Addresses) {
			changed = true
		}
		a.Addresses = ev.Addresses
	}
	a.SessionID = ev.SessionID
	a.Type, a.Time = ev.Type, ev.Time
	if ev.Assignment != 0 {
		a.Assignment = ev.Assignment
	}
	if ev.AccessType != 0 {
		a.AccessType = ev.AccessType
	}
	// A session starts once: the first start known stays (a later event
	// may derive it again, less precisely, as RADIUS's Acct-Session-Time
	// does to the second).
	switch {
	case !a.Start.IsZero():
	case !ev.Start.IsZero():
		a.Start = ev.Start
	case ev.Type == intercept.AccessAccept || ev.Type == intercept.SessionStart:
		a.Start = ev.Time
	}
	if !ev.End.IsZero() {
		a.End = ev.End
	}
	if ev.EndReason != 0 {
		a.EndReason = ev.EndReason
	}
	if ev.OctetsReceived != nil {
		v := *ev.OctetsReceived
		a.OctetsReceived = &v
	}
	if ev.OctetsSent != nil {
		v := *ev.OctetsSent
		a.OctetsSent = &v
	}
	return changed
}

// RunSessions feeds src's events to HandleEvent until src ends or ctx is
// done. A refused event is logged (without its identity) and skipped, so
// one bad event does not stop the feed; it returns src's result.
func (p *Pipeline) RunSessions(ctx context.Context, src intercept.SessionSource) error {
	return src.Sessions(ctx, func(ev intercept.AccessEvent) {
		if err := p.HandleEvent(ev); err != nil {
			p.log.Warn("an access event was refused", "event", ev, "err", err)
		}
	})
}

// Static is a SessionSource of fixed sessions from configuration: a
// subscriber with a static address is designated by username and given a
// static session here, so that IRIs can be sent about them (OpenLI
// likewise needs a user for static addresses).
type Static []intercept.AccessEvent

// Sessions delivers each configured session as a sessionStart (whatever
// its Type), with a static assignment unless another is given, then
// returns nil.
func (s Static) Sessions(ctx context.Context, deliver func(intercept.AccessEvent)) error {
	for _, ev := range s {
		if err := ctx.Err(); err != nil {
			return err
		}
		ev.Type = intercept.SessionStart
		if ev.Assignment == 0 {
			ev.Assignment = intercept.AssignmentStatic
		}
		deliver(ev)
	}
	return nil
}
