package pipeline

import (
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
)

type phase uint8

const (
	pending phase = iota // the window has not opened, or Tick has not seen it open
	active               // activated: HI1 liActivated sent
	ended                // deactivated: HI1 liDeactivated sent; out of the table once lingering is over
)

type taskState struct {
	task    intercept.Task
	agency  *Agency
	lc      *liidCounters
	phase   phase
	addedAt time.Time // when the pipeline was given the task
	// lingering is set on a task Tick ended before the packet path had
	// judged a packet captured at or after its end: the capture may still
	// hold packets of its window (a ring block not yet handed over, a
	// capture thread behind the clock), so it stays in the table, its
	// packets judged on their capture time, until the packet path has
	// passed its end.
	lingering bool
	// sessions holds the IDs of the sessions an IRI-Begin was sent for,
	// so that the task's end closes exactly those.
	sessions map[string]bool
}

// SetTasks makes tasks the pipeline's whole task set, as an X1 or a
// register would state it. Tasks are told apart by ID: a task no longer in
// the set is deactivated now; a new task is activated when its window
// opens (now, if it already has); a task whose fields changed keeps its
// streams and numbering (a modification is not a deletion and a
// re-creation) and, when active, gets an HI1 liModified. The set is
// refused whole, with every problem listed, when a task is invalid, names
// an unknown agency, or repeats another's ID or LIID.
func (p *Pipeline) SetTasks(tasks []intercept.Task) error {
	var probs []error
	ids := map[[16]byte]int{}
	liids := map[intercept.LIID]int{}
	for i, t := range tasks {
		if err := t.Validate(); err != nil {
			probs = append(probs, fmt.Errorf("tasks[%d]: %w", i, err))
		}
		if _, ok := p.cfg.Agencies[t.Agency]; !ok && t.Agency != "" {
			probs = append(probs, fmt.Errorf("tasks[%d].Agency: no agency of that name is configured", i))
		}
		if j, dup := ids[t.ID]; dup {
			probs = append(probs, fmt.Errorf("tasks[%d].ID: the same ID as tasks[%d]", i, j))
		}
		ids[t.ID] = i
		if j, dup := liids[t.LIID]; dup && t.LIID.IsValid() {
			probs = append(probs, fmt.Errorf("tasks[%d].LIID: the same LIID as tasks[%d]; an LIID names one interception", i, j))
		}
		liids[t.LIID] = i
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: %w", ErrTasks, errors.Join(probs...))
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	for i, t := range tasks {
		if ts, ok := p.tasks[t.ID]; ok && ts.task.LIID == t.LIID && ts.task.Agency != t.Agency {
			probs = append(probs, fmt.Errorf("tasks[%d].Agency: a task cannot move to another agency; end it and give a new task", i))
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: %w", ErrTasks, errors.Join(probs...))
	}
	now := p.cfg.Clock.Now()
	// An LIID kept by another ID after a removal is a different
	// interception; remove first, then add.
	for id, ts := range p.tasks {
		if _, keep := ids[id]; keep && tasks[ids[id]].LIID == ts.task.LIID {
			continue
		}
		if ts.phase == active {
			p.deactivate(ts, later(now, ts.task.NotBefore))
		}
		delete(p.tasks, id)
	}
	for _, t := range tasks {
		t.Targets = slices.Clone(t.Targets)
		ts, known := p.tasks[t.ID]
		if !known {
			ag := p.cfg.Agencies[t.Agency]
			p.tasks[t.ID] = &taskState{
				task: t, agency: &ag, lc: p.counters(t.LIID),
				addedAt: now, sessions: map[string]bool{},
			}
			continue
		}
		if taskEqual(&ts.task, &t) {
			continue
		}
		ts.task = t
		if ts.phase == ended && t.Active(now) {
			ts.phase = pending // the window was extended past its old end
			ts.addedAt = now
		}
		if ts.phase == active {
			p.hi1(ts, intercept.LIModified, now)
			p.syncSessions(ts, now)
		}
	}
	p.tick(now)
	p.rebuild()
	return nil
}

func taskEqual(a, b *intercept.Task) bool {
	return a.ID == b.ID && a.LIID == b.LIID && slices.Equal(a.Targets, b.Targets) &&
		a.NotBefore.Equal(b.NotBefore) && a.NotAfter.Equal(b.NotAfter) &&
		a.Delivery == b.Delivery && a.Agency == b.Agency && a.AccessType == b.AccessType
}

func later(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// Tick fires the activations and deactivations due at now: a task whose
// window has opened gets its HI1 liActivated and, for each of its targets'
// sessions already running, an IRI-Begin marked
// startOfInterceptionWithSessionActive with the session's attributes; a
// task whose window has closed gets the matching end for those sessions
// and its HI1 liDeactivated. Each is stamped with the moment it actually
// happened (the window's bound, or when the task was given), not with the
// moment Tick ran. The packet path does not wait for Tick: it judges each
// packet on its own time.
func (p *Pipeline) Tick(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tick(now) {
		p.rebuild()
	}
}

// tick does Tick's work under mu and reports whether the table changed:
// a task ended, or an ended one stopped lingering.
func (p *Pipeline) tick(now time.Time) bool {
	changed := false
	latest := p.latest.Load()
	for _, ts := range p.sortedTasks() {
		t := &ts.task
		if ts.phase == pending && !now.Before(t.NotBefore) {
			if !p.activate(ts) {
				changed = true
			}
		}
		if ts.phase == active && !now.Before(t.NotAfter) {
			p.deactivate(ts, t.NotAfter)
			ts.phase = ended
			ts.lingering = true
			changed = true
		}
		if ts.phase == ended && ts.lingering && latest >= t.NotAfter.UnixNano() {
			ts.lingering = false
			changed = true
		}
	}
	return changed
}

// activate opens pending task ts at the moment its window opened or it
// was given, whichever is later; a task given after its window closed is
// ended at once, with nothing sent. It reports whether ts is active.
func (p *Pipeline) activate(ts *taskState) bool {
	t := &ts.task
	at := later(t.NotBefore, ts.addedAt)
	if !at.Before(t.NotAfter) {
		ts.phase = ended
		return false
	}
	ts.phase = active
	p.log.Info("interception activated", "task", *t, "at", at)
	p.hi1(ts, intercept.LIActivated, at)
	p.syncSessions(ts, at)
	return true
}

// sortedTasks returns the tasks in ID order, so that the records of one
// Tick go out in a reproducible order.
func (p *Pipeline) sortedTasks() []*taskState {
	out := make([]*taskState, 0, len(p.tasks))
	for _, ts := range p.tasks {
		out = append(out, ts)
	}
	slices.SortFunc(out, func(a, b *taskState) int { return compareID(a.task.ID, b.task.ID) })
	return out
}

func compareID(a, b [16]byte) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

// deactivate closes ts at instant at: the end marker for each session it
// opened, then HI1 liDeactivated.
func (p *Pipeline) deactivate(ts *taskState, at time.Time) {
	for _, id := range sortedKeys(ts.sessions) {
		if s := p.sessions[id]; s != nil {
			ev := s.attrs
			ev.Type = intercept.EndOfInterceptionWithSessionActive
			ev.Time = at
			p.emitIRI(ts, s.cin, ev)
		}
	}
	ts.sessions = map[string]bool{}
	p.hi1(ts, intercept.LIDeactivated, at)
	p.log.Info("interception deactivated", "task", ts.task, "at", at)
}

// syncSessions makes the sessions ts was opened for match the sessions
// its targets now hold: a session that became a target's gets an IRI-Begin
// startOfInterceptionWithSessionActive, one that stopped being one gets
// the end marker.
func (p *Pipeline) syncSessions(ts *taskState, at time.Time) {
	if !ts.task.Delivery.Includes(intercept.IRI) {
		return
	}
	want := map[string]bool{}
	for id, s := range p.sessions {
		if targetsUser(&ts.task, s.attrs.Username) {
			want[id] = true
		}
	}
	for _, id := range sortedKeys(ts.sessions) {
		if !want[id] {
			if s := p.sessions[id]; s != nil {
				ev := s.attrs
				ev.Type, ev.Time = intercept.EndOfInterceptionWithSessionActive, at
				p.emitIRI(ts, s.cin, ev)
			}
			delete(ts.sessions, id)
		}
	}
	for _, id := range sortedKeys(want) {
		if !ts.sessions[id] {
			s := p.sessions[id]
			ev := s.attrs
			ev.Type, ev.Time = intercept.StartOfInterceptionWithSessionActive, at
			p.emitIRI(ts, s.cin, ev)
			ts.sessions[id] = true
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func targetsUser(t *intercept.Task, username string) bool {
	for _, tg := range t.Targets {
		if tg.Kind == intercept.TargetUsername && tg.Username == username {
			return true
		}
	}
	return false
}

// hi1 sends an HI1 notification of kind for ts, stamped at, numbered on
// the LIID's CIN-0 IRI stream, when the agency's encoder is an
// intercept.HI1Notifier.
func (p *Pipeline) hi1(ts *taskState, kind intercept.HI1Kind, at time.Time) {
	enc, ok := ts.agency.Encoder.(intercept.HI1Notifier)
	if !ok {
		return
	}
	st, err := p.stream(ts, intercept.StreamKey{LIID: ts.task.LIID, CIN: 0, Stream: intercept.IRI})
	if err != nil {
		ts.lc.iri.matched.Add(1)
		ts.lc.iri.encodeFailed.Add(1)
		return
	}
	p.iriBuf = p.takeReset(st, at)
	ts.lc.iri.matched.Add(1)
	seq := intercept.Seq(st.next.Add(1) - 1)
	out, err := enc.AppendHI1(p.iriBuf[:0], kind, ts.task.LIID, seq, at)
	if err == nil {
		p.iriBuf = out
		ts.lc.hi1.Add(1)
	}
	ts.lc.iri.settle(st, seq, out, err)
}

// takeReset sends st's CIN reset if one is owed (IRI side, under mu).
func (p *Pipeline) takeReset(st *stream, at time.Time) []byte {
	if st.reset.Load() {
		return p.sendReset(p.iriBuf[:0], st, at)
	}
	return p.iriBuf
}

// emitIRI numbers, encodes and delivers one IRI record of ts about the
// session with CIN cin.
func (p *Pipeline) emitIRI(ts *taskState, cin intercept.CIN, ev intercept.AccessEvent) {
	lc := ts.lc
	st, err := p.stream(ts, intercept.StreamKey{LIID: ts.task.LIID, CIN: cin, Stream: intercept.IRI})
	if err != nil {
		lc.iri.matched.Add(1)
		lc.iri.encodeFailed.Add(1)
		return
	}
	if ev.AccessType == 0 && ts.task.AccessType != 0 {
		ev.AccessType = ts.task.AccessType
	}
	p.iriBuf = p.takeReset(st, ev.Time)
	lc.iri.matched.Add(1)
	seq := intercept.Seq(st.next.Add(1) - 1)
	if st.kept && uint32(seq)-st.soft.Load() < 1<<31 {
		p.askSave()
	}
	rec := intercept.IRIRecord{Seq: seq, Type: ev.Type.IRIType(), Event: ev}
	out, err := st.enc.AppendIRI(p.iriBuf[:0], &rec)
	if err == nil {
		p.iriBuf = out
	}
	lc.iri.settle(st, seq, out, err)
}

// stream returns the stream of key for ts, making it the first time.
// Under mu.
func (p *Pipeline) stream(ts *taskState, key intercept.StreamKey) (*stream, error) {
	if st, ok := p.streams[key]; ok && st.agencyName == ts.task.Agency {
		return st, nil
	}
	enc, err := ts.agency.Encoder.Stream(key)
	if err != nil {
		p.log.Error("a stream could not be prepared; its records are counted as encode failures", "err", err)
		return nil, err
	}
	st := &stream{key: key, enc: enc, agency: ts.agency, agencyName: ts.task.Agency, lc: ts.lc}
	_, resets := enc.(intercept.CINResetter)
	st.kept = p.cfg.StatePath != "" && !resets
	if mark, known := p.restored[key]; known {
		if st.kept {
			// Past every number the stream may have used before the
			// restart: what was lost then is a gap, not a renumbering.
			st.next.Store(uint32(mark))
			st.soft.Store(uint32(mark))
		} else {
			st.reset.Store(true)
		}
	}
	p.streams[key] = st
	if st.kept {
		// The stream's first reservation is durable before its first
		// number is used: a crash now cannot number it from the start
		// again, which would hide the loss in a renumbering.
		if err := p.saveStateLocked(false); err != nil {
			p.log.Error("saving the sequence state failed", "err", err)
		}
	}
	return st, nil
}

// cinOf returns the CIN of a session: FNV-1a of its ID (OpenLI likewise
// derives it from the RADIUS Acct-Session-Id), moved past 0 — kept for
// HI1 notifications — and past the CIN of any other live session.
func (p *Pipeline) cinOf(sessionID string) intercept.CIN {
	h := fnv.New32a()
	h.Write([]byte(sessionID))
	c := intercept.CIN(h.Sum32())
	for {
		if c != 0 {
			taken := false
			for id, s := range p.sessions {
				if s.cin == c && id != sessionID {
					taken = true
					break
				}
			}
			if !taken {
				return c
			}
		}
		c++
	}
}

// staticCIN is the CIN of a static address target: FNV-1a of the
// prefix's text form, past 0, so it stays the same across restarts.
func staticCIN(p netip.Prefix) intercept.CIN {
	h := fnv.New32a()
	h.Write([]byte(p.Masked().String()))
	if c := intercept.CIN(h.Sum32()); c != 0 {
		return c
	}
	return 1
}

// rebuild makes and publishes a new table from the tasks not ended (or
// ended and lingering) and the live sessions. Under mu.
func (p *Pipeline) rebuild() {
	s := newSnapshot()
	for _, ts := range p.sortedTasks() {
		if ts.phase == ended && !ts.lingering {
			continue
		}
		t := &ts.task
		if ts.phase != ended {
			s.active = append(s.active, ts.lc)
		}
		if !t.Delivery.Includes(intercept.CC) {
			continue
		}
		nb, na := t.NotBefore.UnixNano(), t.NotAfter.UnixNano()
		for _, tg := range t.Targets {
			switch tg.Kind {
			case intercept.TargetAddress:
				st, err := p.stream(ts, intercept.StreamKey{LIID: t.LIID, CIN: staticCIN(tg.Prefix), Stream: intercept.CC})
				if err != nil {
					continue
				}
				s.add(tg.Prefix, st, nb, na)
			case intercept.TargetUsername:
				for _, id := range p.sessionIDs() {
					ss := p.sessions[id]
					if ss.attrs.Username != tg.Username {
						continue
					}
					st, err := p.stream(ts, intercept.StreamKey{LIID: t.LIID, CIN: ss.cin, Stream: intercept.CC})
					if err != nil {
						continue
					}
					for _, a := range ss.attrs.Addresses {
						s.add(a, st, nb, na)
					}
				}
			}
		}
	}
	s.seal()
	// A kernel filter lets the new targets in before the table expects
	// them; removed ones the table stops matching at once either way (an
	// ended task lingers in both, so the packets of its window still in
	// the capture are matched).
	if p.filter != nil {
		if err := p.filter.SetTargets(s.prefixes()); err != nil {
			p.log.Warn("the capture's kernel filter could not be set", "err", err)
		}
	}
	p.snap.Store(s)
}

func (p *Pipeline) sessionIDs() []string {
	out := make([]string, 0, len(p.sessions))
	for id := range p.sessions {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
