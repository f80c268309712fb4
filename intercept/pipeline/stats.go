package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/ccjkit/ccjkit/intercept"
)

type streamCounters struct {
	matched, truncated, encoded, encodeFailed, delivered, refused atomic.Uint64
}

func (c *streamCounters) load() StreamStats {
	return StreamStats{
		Matched: c.matched.Load(), Truncated: c.truncated.Load(),
		Encoded: c.encoded.Load(), EncodeFailed: c.encodeFailed.Load(),
		Delivered: c.delivered.Load(), Refused: c.refused.Load(),
	}
}

// settle counts the fate of record seq of stream st, numbered and then
// encoded into out (or not, when encErr is set): an encode failure, a
// refusal by the handover, or a delivery. Each is a gap or a record at the
// receiver.
func (c *streamCounters) settle(st *stream, seq intercept.Seq, out []byte, encErr error) {
	if encErr != nil {
		c.encodeFailed.Add(1)
		return
	}
	c.encoded.Add(1)
	if err := st.agency.Handover.Deliver(st.key, seq, out); err != nil {
		c.refused.Add(1)
		return
	}
	c.delivered.Add(1)
}

// liidCounters are one LIID's counters, shared by all its streams.
type liidCounters struct {
	liid                                        intercept.LIID
	cc, iri                                     streamCounters
	outside, cinResets, hi1, possibleKernelLoss atomic.Uint64
}

// counters returns the LIID's counters, made the first time. Under mu.
func (p *Pipeline) counters(l intercept.LIID) *liidCounters {
	c := p.liids[l]
	if c == nil {
		c = &liidCounters{liid: l}
		p.liids[l] = c
	}
	return c
}

// StreamStats counts one LIID's records of one kind (CC or IRI), stage by
// stage. Every record that got a sequence number is in exactly one of
// EncodeFailed, Refused and Delivered, so Matched = EncodeFailed + Refused
// + Delivered, and the receiver sees a gap for each one not delivered.
type StreamStats struct {
	// Matched counts the records made: packets of a target inside the
	// window (CC); access events, interception starts and ends, and HI1
	// notifications (IRI).
	Matched uint64
	// Truncated counts CC records whose packet the capture had cut short.
	Truncated uint64
	// Encoded counts the records encoded; EncodeFailed those the encoder
	// refused (their sequence numbers are gaps).
	Encoded, EncodeFailed uint64
	// Delivered counts the records the handover accepted; Refused those it
	// refused because its queue was full (their numbers are gaps).
	Delivered, Refused uint64
}

// LIIDStats are one interception's counters.
type LIIDStats struct {
	LIID intercept.LIID
	// State is "pending", "active", "ended" or "removed".
	State string
	// CC and IRI count the two kinds of record.
	CC, IRI StreamStats
	// OutsideWindow counts packets of a target captured outside the
	// task's validity window: seen and, as the order requires, not
	// intercepted.
	OutsideWindow uint64
	// PossibleKernelLoss counts the packets the kernel dropped while the
	// task was active. A dropped packet cannot be matched, so every active
	// task may have lost it: this is an upper bound, not a count of loss.
	PossibleKernelLoss uint64
	// HI1 counts the HI1 notifications sent; CINResets the CIN resets sent
	// after a restart.
	HI1, CINResets uint64
}

// Stats is a snapshot of the pipeline's counters. Counters only grow.
type Stats struct {
	// Packets counts the packets given to Process; NotIP those that were
	// not IPv4 or IPv6 datagrams; Unmatched those no task's target was an
	// end of (they never leave).
	Packets, NotIP, Unmatched uint64
	// Sessions is the number of live access sessions.
	Sessions int
	// LIIDs are per interception, in LIID order.
	LIIDs []LIIDStats
}

// Stats returns the counters now.
func (p *Pipeline) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Stats{
		Packets: p.packets.Load(), NotIP: p.notIP.Load(), Unmatched: p.unmatched.Load(),
		Sessions: len(p.sessions),
	}
	state := map[intercept.LIID]string{}
	for _, ts := range p.tasks {
		state[ts.task.LIID] = [...]string{"pending", "active", "ended"}[ts.phase]
	}
	for l, c := range p.liids {
		st := state[l]
		if st == "" {
			st = "removed"
		}
		s.LIIDs = append(s.LIIDs, LIIDStats{
			LIID: l, State: st, CC: c.cc.load(), IRI: c.iri.load(),
			OutsideWindow: c.outside.Load(), PossibleKernelLoss: c.possibleKernelLoss.Load(),
			HI1: c.hi1.Load(), CINResets: c.cinResets.Load(),
		})
	}
	slices.SortFunc(s.LIIDs, func(a, b LIIDStats) int { return strings.Compare(a.LIID.String(), b.LIID.String()) })
	return s
}

// String is a status a person reads at a glance: one line for the packet
// path, then one per interception saying what was delivered and, in
// words, what was lost and why. It names LIIDs — the agency's references,
// which an operator needs to talk to the agency — and never a target.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "packets: %d seen, %d of a target, %d of no target, %d not IP; %d live session(s)\n",
		s.Packets, s.Packets-s.Unmatched-s.NotIP, s.Unmatched, s.NotIP, s.Sessions)
	for _, l := range s.LIIDs {
		fmt.Fprintf(&b, "LIID %s (%s): CC %d delivered of %d", l.LIID, l.State, l.CC.Delivered, l.CC.Matched)
		fmt.Fprintf(&b, ", IRI %d delivered of %d", l.IRI.Delivered, l.IRI.Matched)
		var lost []string
		if n := l.CC.Refused + l.IRI.Refused; n > 0 {
			lost = append(lost, fmt.Sprintf("%d LOST: handover queue full", n))
		}
		if n := l.CC.EncodeFailed + l.IRI.EncodeFailed; n > 0 {
			lost = append(lost, fmt.Sprintf("%d LOST: could not be encoded", n))
		}
		if l.PossibleKernelLoss > 0 {
			lost = append(lost, fmt.Sprintf("up to %d possibly LOST: kernel dropped packets", l.PossibleKernelLoss))
		}
		if l.CC.Truncated > 0 {
			lost = append(lost, fmt.Sprintf("%d truncated by the capture", l.CC.Truncated))
		}
		if len(lost) == 0 {
			b.WriteString("; nothing lost")
		} else {
			b.WriteString("; " + strings.Join(lost, "; "))
		}
		if l.OutsideWindow > 0 {
			fmt.Fprintf(&b, "; %d outside the order's period (not intercepted, as required)", l.OutsideWindow)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
