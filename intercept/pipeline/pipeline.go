package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/timesync"
)

// Errors, for errors.Is. Their texts never quote a target, a username or
// an LIID's octets.
var (
	// ErrConfig: the configuration lacks something or holds an impossible value.
	ErrConfig = errors.New("pipeline: invalid configuration")
	// ErrTasks: a task set was refused; nothing was changed.
	ErrTasks = errors.New("pipeline: task set refused")
	// ErrEvent: an access event was refused.
	ErrEvent = errors.New("pipeline: access event refused")
	// ErrState: the persisted sequence state could not be read or written.
	ErrState = errors.New("pipeline: sequence state")
	// ErrClosed: the pipeline was closed.
	ErrClosed = errors.New("pipeline: closed")
)

// Agency is one receiving agency's side of the pipeline: how its records
// are encoded and where they go.
type Agency struct {
	// Encoder encodes the agency's records (an *etsi.Encoder for an
	// agency's HI2/HI3; an *x2x3.Encoder towards a delivery node). HI1
	// notifications are sent when it is an intercept.HI1Notifier, CIN
	// resets when its stream encoders are intercept.CINResetters:
	// *etsi.Encoder's are both.
	Encoder intercept.Encoder
	// Handover takes the encoded records; the pipeline never waits on it.
	Handover intercept.Handover
}

// Config is what a pipeline needs.
type Config struct {
	// Agencies are the receiving agencies by the name tasks give in
	// intercept.Task.Agency. At least one.
	Agencies map[string]Agency
	// Clock stamps what happens at the pipeline's own initiative: a task
	// added after its window opened, or removed before it closed. Required.
	Clock timesync.Clock
	// StatePath is the file holding the streams' sequence high-water marks
	// across restarts; "" keeps none (and then no CIN reset is sent after a
	// restart, so the receiver sees the numbers start again unannounced).
	// One pipeline per file, which New does not lock: two would overwrite
	// each other's marks. examples/tap keeps it in its -spool directory,
	// whose handover spool is locked (flock(2)) by the running tap.
	StatePath string
	// Logger receives what an operator should know; nil discards. At
	// levels up to Info it never receives a target, a username or an
	// LIID's octets.
	Logger *slog.Logger
}

// Pipeline turns captured packets and access events into numbered,
// encoded records handed to each agency's Handover: the matcher, the
// sequencer and the session table of the intercept package's seams.
//
// Process (the packet path) must be called from one goroutine at a time;
// every other method is safe for concurrent use, with Process and with
// each other.
type Pipeline struct {
	cfg Config
	log *slog.Logger

	snap atomic.Pointer[snapshot]

	// Owned by the goroutine calling Process.
	hits []hit
	buf  []byte
	rec  intercept.CCRecord // reused: a record passed to an interface escapes

	packets, notIP, unmatched atomic.Uint64
	kernelSeen                atomic.Uint64
	// latest is the latest capture time (Unix nanoseconds) the packet path
	// has judged. A capture delivers in capture order, so every packet
	// captured before it has been judged: an ended task whose end it has
	// passed can leave the table (Tick).
	latest atomic.Int64

	mu       sync.Mutex
	closed   bool
	tasks    map[[16]byte]*taskState
	streams  map[intercept.StreamKey]*stream
	liids    map[intercept.LIID]*liidCounters
	sessions map[string]*session
	restored map[intercept.StreamKey]intercept.Seq
	saveNow  chan struct{} // an early save of a kept stream's reservation
	iriBuf   []byte
	filter   intercept.TargetFilter // the running source's, while Run runs
}

// stream is one (LIID, CIN, stream) with its encoder and counter. Streams
// outlive snapshots: a rebuilt table points at the same streams, so
// numbering goes on.
type stream struct {
	key    intercept.StreamKey
	enc    intercept.StreamEncoder
	agency *Agency
	// agencyName is the name agency was configured under.
	agencyName string
	lc         *liidCounters
	// next is the number the next record gets. It is written by the one
	// goroutine that owns the stream (Process for CC, holders of mu for
	// IRI) and read by SaveState; hence atomic.
	next atomic.Uint32
	// reset is set when the stream existed before a restart: a CIN reset
	// goes out before its next record.
	reset atomic.Bool
	// kept is set, with a StatePath, for a stream whose encoder cannot
	// announce a CIN reset (X2/X3): its numbering continues across
	// restarts, and what the state file holds for it is a reservation
	// ahead of next (see SaveState). soft is where, half way through the
	// reservation last saved, the packet path asks for an early save.
	kept bool
	soft atomic.Uint32
}

// reservation is how many numbers past next the state file reserves for
// a kept stream. A process killed between two saves has numbered fewer
// (an early save is asked for half way), so after a restart the stream
// continues past every number it may have used: the records lost in the
// crash show as a gap at the receiver, at most this many too large —
// never as a silent renumbering.
const reservation = 1024

// askSave asks the saver for an early save, without waiting.
func (p *Pipeline) askSave() {
	select {
	case p.saveNow <- struct{}{}:
	default:
	}
}

// New returns a pipeline with no task. It reads the persisted sequence
// state when cfg.StatePath names an existing file.
func New(cfg Config) (*Pipeline, error) {
	var probs []error
	if len(cfg.Agencies) == 0 {
		probs = append(probs, fmt.Errorf("%w: Agencies: at least one agency", ErrConfig))
	}
	for name, a := range cfg.Agencies {
		if a.Encoder == nil || a.Handover == nil {
			probs = append(probs, fmt.Errorf("%w: Agencies[%q]: an agency needs an Encoder and a Handover", ErrConfig, name))
		}
	}
	if cfg.Clock == nil {
		probs = append(probs, fmt.Errorf("%w: Clock is required (use timesync.SystemClock in production)", ErrConfig))
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	p := &Pipeline{
		cfg:      cfg,
		log:      cfg.Logger,
		tasks:    map[[16]byte]*taskState{},
		streams:  map[intercept.StreamKey]*stream{},
		liids:    map[intercept.LIID]*liidCounters{},
		sessions: map[string]*session{},
		hits:     make([]hit, 0, 16),
		saveNow:  make(chan struct{}, 1),
		buf:      make([]byte, 0, 2048),
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if cfg.StatePath != "" {
		st, err := loadState(cfg.StatePath)
		if err != nil {
			return nil, err
		}
		p.restored = st
		if len(st) > 0 {
			p.log.Info("sequence state restored: a CIN reset will precede each known stream's next record, or, where the encoder has none (X2/X3), its numbering continues past its reservation", "streams", len(st))
		}
	}
	p.snap.Store(newSnapshot())
	return p, nil
}

// Process runs the packet path over one batch: each packet is matched
// against the current table, and every stream it belongs to at its
// capture time gets a CC record, numbered, encoded and handed to the
// agency's Handover. It never blocks on the handover and, in the steady
// state, allocates nothing. It is the deliver function of a
// CaptureSource; call it from one goroutine at a time, with packets in
// capture order (a live capture and a file give them so): once it has
// judged a packet captured at or after an ended task's end, the next Tick
// takes that task out of the table.
func (p *Pipeline) Process(batch []intercept.Packet) {
	s := p.snap.Load()
	latest := p.latest.Load()
	for i := range batch {
		pk := &batch[i]
		p.packets.Add(1)
		ts := pk.Time.UnixNano()
		latest = max(latest, ts)
		hits, kind := s.match(p.hits[:0], pk.Data, ts)
		p.hits = hits[:0]
		if kind == pktNotIP {
			p.notIP.Add(1)
			continue
		}
		if len(hits) == 0 {
			p.unmatched.Add(1)
			continue
		}
		for _, h := range hits {
			if h.outside {
				h.st.lc.outside.Add(1)
				continue
			}
			p.emitCC(h.st, pk, h.dir)
		}
	}
	// Only now is every packet of the batch judged.
	if latest > p.latest.Load() {
		p.advance(latest)
	}
}

// advance moves the packet path's high-water mark of capture times to ts
// if that is later.
func (p *Pipeline) advance(ts int64) {
	for {
		cur := p.latest.Load()
		if ts <= cur || p.latest.CompareAndSwap(cur, ts) {
			return
		}
	}
}

func (p *Pipeline) emitCC(st *stream, pk *intercept.Packet, dir intercept.Direction) {
	lc := st.lc
	lc.cc.matched.Add(1)
	if pk.Truncated() {
		lc.cc.truncated.Add(1)
	}
	if st.reset.Load() {
		p.buf = p.sendReset(p.buf[:0], st, pk.Time)
	}
	// The number is taken before encoding and buffering: whatever is lost
	// after this point shows as a gap at the receiver, and is counted here.
	seq := intercept.Seq(st.next.Add(1) - 1)
	if st.kept && uint32(seq)-st.soft.Load() < 1<<31 {
		p.askSave()
	}
	p.rec = intercept.CCRecord{Seq: seq, Time: pk.Time, Direction: dir, Packet: pk.Data}
	out, err := st.enc.AppendCC(p.buf[:0], &p.rec)
	p.rec.Packet = nil // do not keep the capture's buffer
	if err == nil {
		p.buf = out
	}
	lc.cc.settle(st, seq, out, err)
}

// sendReset sends st's CIN reset, stamped t, and restarts its numbering at
// 0 (TS 102 232-1 TRIPayload cINReset: the CIN's sequence numbers start
// again). A reset the handover refuses stays owed and goes before the next
// record; a stream encoder that is no intercept.CINResetter (X2/X3) is
// never asked again. It returns the buffer for reuse.
func (p *Pipeline) sendReset(buf []byte, st *stream, t time.Time) []byte {
	r, ok := st.enc.(intercept.CINResetter)
	if !ok {
		st.reset.Store(false)
		return buf
	}
	out, err := r.AppendCINReset(buf, t)
	if err != nil {
		return buf
	}
	if err := st.agency.Handover.Deliver(st.key, 0, out); err != nil {
		return out
	}
	st.reset.Store(false)
	st.next.Store(0)
	st.lc.cinResets.Add(1)
	return out
}

// Run captures from src into the pipeline until src ends or ctx is done.
// Meanwhile, once a second, it fires the tasks' activations and
// deactivations that are due (Tick), attributes the capture's kernel drops
// to every task then active, and saves the sequence state. When src is an
// intercept.TargetFilter, Run gives it the targets' prefixes at once and
// again whenever tasks or sessions change them. It returns src's result:
// nil at the end of a finite source.
func (p *Pipeline) Run(ctx context.Context, src intercept.CaptureSource) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if f, ok := src.(intercept.TargetFilter); ok {
		p.mu.Lock()
		p.filter = f
		if err := f.SetTargets(p.snap.Load().prefixes()); err != nil {
			p.log.Warn("the capture's kernel filter could not be set", "err", err)
		}
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.filter = nil
			p.mu.Unlock()
		}()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				p.Tick(p.cfg.Clock.Now())
				if err := p.SaveState(); err != nil {
					p.log.Error("saving the sequence state failed", "err", err)
				}
			case <-p.saveNow:
				if err := p.SaveState(); err != nil {
					p.log.Error("saving the sequence state failed", "err", err)
				}
			}
		}
	}()
	err := src.Capture(ctx, func(batch []intercept.Packet) {
		p.Process(batch)
		p.noteKernelDrops(src.Stats().KernelDropped)
	})
	cancel()
	<-done
	p.noteKernelDrops(src.Stats().KernelDropped)
	// The capture has ended: nothing it took before now is still to come,
	// so tasks that ended before now need not linger for it.
	now := p.cfg.Clock.Now()
	p.advance(now.UnixNano())
	p.Tick(now)
	return err
}

// noteKernelDrops attributes newly reported kernel drops to every task in
// the table: a packet the kernel dropped cannot be matched, so each may
// have lost it.
func (p *Pipeline) noteKernelDrops(total uint64) {
	prev := p.kernelSeen.Load()
	if total <= prev || !p.kernelSeen.CompareAndSwap(prev, total) {
		return
	}
	for _, lc := range p.snap.Load().active {
		lc.possibleKernelLoss.Add(total - prev)
	}
}

// Close saves the sequence state and refuses further changes. It does
// not close the agencies' handovers, which the caller owns.
func (p *Pipeline) Close() error {
	err := p.saveState(true)
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	return err
}
