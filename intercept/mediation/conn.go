package mediation

import (
	"errors"
	"fmt"
	"io"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
)

// connState is what one connection's goroutine owns: its buffers and
// decoded forms, reused from record to record, and what it remembers of
// the last record's task and communication, so that the next record of
// the same communication — the usual case — skips the maps and locks
// that find them again. What it remembers is checked before each use:
// nothing a record is judged on is older than it would be without.
type connState struct {
	s   *Server
	ne  *neState
	pdu x2x3.PDU
	ps  etsi.PDU
	rec intercept.CCRecord
	buf []byte
	ack []byte
	// tk is the last task read: from a *Table, valid while the table's
	// generation is tk.gen (its status is judged again on the clock for
	// every record); from another Tasks, only for the record at hand.
	tk    tableRead
	tkXID [16]byte
	tkOK  bool // tk is a *Table's read of tkXID
	tkAg  *agency
	// last is the last record's communication (lastKey), reused while it
	// is not forgotten and still its task's (LIID, agency).
	last    *comm
	lastKey commKey
}

func (s *Server) newConnState(ne *neState) *connState {
	return &connState{s: s, ne: ne, buf: make([]byte, 0, 2048), ack: make([]byte, 0, 64)}
}

// serve reads PDUs from r until it ends, answering keep-alives on w.
// beforeWrite, when set, moves the connection's write deadline (r moves
// its read deadline itself: idleReader). It returns nil at a clean end of
// the stream (between PDUs), else the error that ended it: after a
// framing error the stream cannot be read further.
func (cs *connState) serve(r io.Reader, w io.Writer, beforeWrite func() error) error {
	f := x2x3.NewFramer(r, cs.s.cfg.MaxPDU)
	for {
		b, err := f.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if errors.Is(err, x2x3.ErrTooLarge) || errors.Is(err, x2x3.ErrLength) || errors.Is(err, x2x3.ErrTruncated) {
				// What was read of it is a PDU the NE sent and we refuse.
				cs.ne.c.received.Add(1)
				cs.ne.c.refused[Malformed].Add(1)
			}
			return err
		}
		cs.ne.c.bytes.Add(uint64(len(b)))
		if err := cs.pdu.Decode(b); err != nil {
			cs.refuse(Malformed)
			continue
		}
		switch cs.pdu.Type {
		case x2x3.KeepAlive:
			// What the answer confirms is made durable first.
			if err := cs.s.syncAgencies(); err != nil {
				cs.ne.c.syncFailures.Add(1)
				return fmt.Errorf("%w: the keep-alive is not answered: %w", ErrSync, err)
			}
			cs.ack = x2x3.AppendKeepAliveAck(cs.ack[:0], cs.pdu.Seq)
			if beforeWrite != nil {
				if err := beforeWrite(); err != nil {
					return err
				}
			}
			// Counted before it is written, so that a reader of Stats
			// after the answer arrived sees it.
			cs.ne.c.keepAlives.Add(1)
			if _, err := w.Write(cs.ack); err != nil {
				return err
			}
		case x2x3.KeepAliveAck:
			// An answer to a keep-alive we never send: ignored.
		default:
			cs.record()
		}
	}
}

func (cs *connState) refuse(r Reason) {
	cs.ne.c.received.Add(1)
	cs.ne.c.refused[r].Add(1)
}

// record handles one decoded X2 or X3 PDU: the task's checks, the
// payload's, de-duplication, numbering, encoding and delivery.
func (cs *connState) record() {
	p := &cs.pdu
	var stream intercept.Stream
	switch p.Type {
	case x2x3.X2:
		stream = intercept.IRI
	case x2x3.X3:
		stream = intercept.CC
	default:
		cs.refuse(Malformed)
		return
	}
	task, status, ag := cs.lookup(p.XID)
	switch status {
	case Unknown:
		cs.refuse(UnknownTask)
		return
	case Pending:
		cs.refuse(PendingTask)
		return
	case Ended:
		cs.refuse(EndedTask)
		return
	}
	t := p.Time
	if t.IsZero() {
		t = cs.s.cfg.Clock.Now()
	}
	if !task.Active(t) {
		cs.refuse(OutsideWindow)
		return
	}
	if !task.Delivery.Includes(stream) {
		cs.refuse(NotOrdered)
		return
	}
	if ag == nil {
		cs.refuse(NoAgency)
		return
	}
	// The payload is checked before the record takes a number: a refused
	// PDU is no record of the stream and leaves no gap.
	if stream == intercept.CC {
		if !ipPayload(p) {
			cs.refuse(Unsupported)
			return
		}
	} else if !cs.decodeIRI() {
		cs.refuse(Unsupported)
		return
	}
	c := cs.lockComm(commKey{xid: p.XID, corr: p.CorrelationID}, task, ag)
	if c == nil {
		cs.refuse(TooManyCommunications)
		return
	}
	defer c.mu.Unlock()
	cs.ne.c.received.Add(1)
	st := &c.cc
	if stream == intercept.IRI {
		st = &c.iri
	}
	var own int64 // the PDU's own timestamp, 0 when it has none
	if !p.Time.IsZero() {
		own = p.Time.UnixNano()
	}
	gap, ok := cs.judge(st, p.HasSeq, p.Seq, own)
	if !ok {
		cs.ne.c.duplicates.Add(1)
		return
	}
	key := intercept.StreamKey{LIID: c.liid, CIN: c.cin, Stream: stream}
	if st.enc == nil {
		enc, err := ag.enc.NewStream(key)
		if err != nil {
			cs.ne.c.refused[EncodeFailed].Add(1)
			return
		}
		reset, err := cs.s.firstRecord(key)
		if err != nil {
			cs.s.log.Error("the mediation state could not be saved: after a restart this stream's new numbering would not be announced", "ne", cs.ne.name, "err", err)
		}
		if reset {
			// Numbered before the restart: the receiver is told the
			// numbering starts again (the reset is numbered 0, and so is
			// the next record).
			out, err := enc.AppendCINReset(cs.buf[:0], t)
			if err == nil {
				err = ag.ho.Deliver(key, 0, out)
			}
			if err != nil {
				cs.s.resetNotSent(key) // the next record asks for it again
				cs.ne.c.refused[HandoverRefused].Add(1)
				return
			}
			cs.ne.c.resets.Add(1)
		}
		st.enc = enc
		st.used.Store(true)
	}
	// The NE's own gaps become the receiver's: a record the NE lost is
	// never hidden by the renumbering.
	if gap > 0 {
		st.next = st.next.Add(gap)
		cs.ne.c.skipped.Add(uint64(gap))
		cs.ne.c.skips.Add(1)
	}
	// The number is taken before encoding and delivery, as the pipeline
	// does: whatever is lost after this point shows as a gap.
	seq := st.next
	st.next = seq.Next()
	var out []byte
	var err error
	if stream == intercept.CC {
		cs.rec = intercept.CCRecord{Seq: seq, Time: t, Direction: direction(p.Direction), Packet: p.Payload}
		out, err = st.enc.AppendCC(cs.buf[:0], &cs.rec)
		cs.rec.Packet = nil
	} else {
		out, err = cs.appendIRI(cs.buf[:0], ag, key, seq, t)
	}
	if err != nil {
		cs.ne.c.refused[EncodeFailed].Add(1)
		return
	}
	cs.buf = out[:0]
	if err := ag.ho.Deliver(key, seq, out); err != nil {
		cs.ne.c.refused[HandoverRefused].Add(1)
		return
	}
	cs.ne.c.delivered.Add(1)
}

// lookup returns the task with ID xid, its status now and its agency
// (nil when the server has none by the task's name). The task is valid
// until the next call. With a *Table, the task read for the previous
// record is reused while the table's generation says it is unchanged: a
// change (ActivateTask, ModifyTask, DeactivateTask) that returned before
// the record was read is always seen. The status is judged on the
// table's clock each time, as Table.Lookup judges it.
func (cs *connState) lookup(xid [16]byte) (*intercept.Task, Status, *agency) {
	tab := cs.s.table
	if tab == nil {
		var st Status
		cs.tkOK = false
		cs.tk.task, st = cs.s.cfg.Tasks.Lookup(xid)
		return &cs.tk.task, st, cs.s.agencies[cs.tk.task.Agency]
	}
	now := tab.clock.Now()
	if !cs.tkOK || cs.tkXID != xid || cs.tk.gen != tab.gen.Load() {
		cs.tk = tab.read(xid)
		cs.tkXID, cs.tkOK, cs.tkAg = xid, true, cs.s.agencies[cs.tk.task.Agency]
	}
	return &cs.tk.task, cs.tk.status(now), cs.tkAg
}

// lockComm returns the NE's communication k for a record of task, made
// if need be (Server.comm), with its mutex locked; nil when it would be
// one beyond Config.MaxCommunications. The previous record's
// communication is reused when it is k's, still task's and not
// forgotten. One forgotten before its mutex was taken is looked up again,
// so that no record is numbered under a CIN released before; forget does
// not wait for the mutex, so a record that holds it as its communication
// is forgotten still finishes under the old CIN, as before this cache.
func (cs *connState) lockComm(k commKey, task *intercept.Task, ag *agency) *comm {
	c := cs.last
	if c == nil || cs.lastKey != k || c.liid != task.LIID || c.agency != ag || c.gone.Load() {
		if c = cs.s.comm(cs.ne, k.xid, k.corr, task, ag); c == nil {
			return nil
		}
		cs.last, cs.lastKey = c, k
	}
	c.mu.Lock()
	for c.gone.Load() {
		c.mu.Unlock()
		cs.last = nil
		if c = cs.s.comm(cs.ne, k.xid, k.corr, task, ag); c == nil {
			return nil
		}
		cs.last = c
		c.mu.Lock()
	}
	return c
}

// judge applies the de-duplication rule to a PDU with sequence number seq
// (when hasSeq) and timestamp t (Unix nanoseconds, 0 for none) on stream st, under
// the communication's mutex. It reports whether the PDU is new and, if
// so, how many of the NE's numbers it skipped (its gap), and records it.
func (cs *connState) judge(st *commStream, hasSeq bool, seq uint32, t int64) (gap uint32, ok bool) {
	if !hasSeq {
		cs.ne.c.unsequenced.Add(1)
		return 0, true
	}
	if !st.started {
		st.started, st.highest, st.latest = true, seq, t
		return 0, true
	}
	window := cs.s.cfg.DedupWindow
	ahead := seq - st.highest // modulo 2³²
	switch {
	case ahead != 0 && ahead < 1<<31:
		// Forward: new. A jump beyond the window is a renumbering of
		// the NE's, not a loss.
		if ahead <= window {
			gap = ahead - 1
		} else {
			cs.ne.c.renumbered.Add(1)
		}
	case st.highest-seq < window && !(t != 0 && st.latest != 0 && t > st.latest):
		// At or behind the highest within the window, and not later than
		// everything delivered (or without a time to tell): sent before.
		return 0, false
	default:
		// Behind, but later than anything delivered, or beyond the
		// window: the NE's numbering started again.
		cs.ne.c.renumbered.Add(1)
	}
	st.highest = seq
	st.latest = max(st.latest, t)
	return gap, true
}

// ipPayload reports whether an X3 PDU carries an IP packet of the family
// its payload format says.
func ipPayload(p *x2x3.PDU) bool {
	if len(p.Payload) == 0 {
		return false
	}
	switch p.PayloadFormat {
	case x2x3.FormatIPv4:
		return p.Payload[0]>>4 == 4
	case x2x3.FormatIPv6:
		return p.Payload[0]>>4 == 6
	}
	return false
}

func direction(d x2x3.Direction) intercept.Direction {
	switch d {
	case x2x3.DirectionToTarget:
		return intercept.ToTarget
	case x2x3.DirectionFromTarget:
		return intercept.FromTarget
	}
	return intercept.Indeterminate
}
