package mediation

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
)

// Reason is why the mediation function refused an X2 or X3 PDU: it was
// not delivered, and it was counted under its reason and its NE. The
// values' names are those Stats and String show.
type Reason uint8

// The reasons for refusing a PDU.
const (
	// Malformed: the PDU does not decode (TS 103 221-2), or its type is
	// neither X2 nor X3.
	Malformed Reason = iota + 1
	// UnknownTask: no task has the PDU's XID.
	UnknownTask
	// PendingTask: the task's window has not opened.
	PendingTask
	// EndedTask: the task was deactivated or its window has closed.
	EndedTask
	// OutsideWindow: the PDU's own timestamp lies outside the task's
	// window (NotBefore <= t < NotAfter), though the task is active now.
	OutsideWindow
	// NotOrdered: the task does not deliver this stream (an X3 PDU for
	// an IRIOnly task, an X2 PDU for a CCOnly one).
	NotOrdered
	// Unsupported: the payload is not one the mediation function hands
	// over — X3 other than an IPv4 or IPv6 packet, X2 other than a
	// TS 102 232-1 PS-PDU carrying IRI that package etsi decodes.
	Unsupported
	// NoAgency: the task names an agency the mediation function has no
	// handover for.
	NoAgency
	// TooManyCommunications: the record would open a communication
	// beyond Config.MaxCommunications.
	TooManyCommunications
	// EncodeFailed: the record was numbered but could not be encoded
	// (its time outside what the profile's timestamp form can carry):
	// a gap the receiver sees.
	EncodeFailed
	// HandoverRefused: the record was numbered and encoded but the
	// handover refused it (its queue full): a gap the receiver sees.
	HandoverRefused

	numReasons
)

// Reasons returns every reason, in order.
func Reasons() []Reason {
	out := make([]Reason, 0, numReasons-1)
	for r := Malformed; r < numReasons; r++ {
		out = append(out, r)
	}
	return out
}

// String returns the reason's name, such as "unknown-task".
func (r Reason) String() string {
	switch r {
	case Malformed:
		return "malformed"
	case UnknownTask:
		return "unknown-task"
	case PendingTask:
		return "pending-task"
	case EndedTask:
		return "ended-task"
	case OutsideWindow:
		return "outside-window"
	case NotOrdered:
		return "stream-not-ordered"
	case Unsupported:
		return "unsupported-payload"
	case NoAgency:
		return "no-agency"
	case TooManyCommunications:
		return "too-many-communications"
	case EncodeFailed:
		return "encode-failed"
	case HandoverRefused:
		return "handover-refused"
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// NEStats are one network element's counters, the NE named by its
// certificate. Counters only grow. Every X2 or X3 PDU received is counted
// once in Received and once in exactly one of Delivered, Duplicates and
// Refused, so that Received = Delivered + Duplicates + the sum of Refused.
type NEStats struct {
	// Name is the NE's name (see Server).
	Name string
	// Connections counts the connections accepted from the NE; Open
	// those open now; Faults those that ended on an error other than a
	// clean close (a framing error, a timeout, a reset).
	Connections, Open, Faults uint64
	// Bytes counts the octets of every PDU read, keep-alives included.
	Bytes uint64
	// KeepAlives counts the keep-alives answered; SyncFailures those left
	// unanswered because an agency's Sync failed (the connection was
	// closed, and the NE sends again what it holds).
	KeepAlives, SyncFailures uint64
	// Received counts the X2 and X3 PDUs read (and PDUs that did not
	// decode).
	Received uint64
	// Delivered counts the records handed to a handover, which accepted
	// them.
	Delivered uint64
	// Duplicates counts the PDUs not delivered because the NE had sent
	// them before (see the package documentation's de-duplication rule).
	Duplicates uint64
	// Renumbered counts the times the NE's own numbering of a
	// communication jumped back beyond the de-duplication window, taken
	// as a restart of the NE's counters: the PDU was delivered.
	Renumbered uint64
	// Skipped counts the numbers the NE's own numbering skipped, which the
	// mediation function skipped too (a gap at the receiver): records the
	// NE lost — its queue was full, or it crashed and continued past its
	// reservation (intercept/pipeline), in which case it is an upper
	// bound. Skips counts such jumps.
	Skipped, Skips uint64
	// Resets counts the CIN resets sent before the first record, after a
	// restart, of a stream numbered before it (Config.StatePath).
	Resets uint64
	// Unsequenced counts the PDUs delivered without a sequence number
	// attribute, which cannot be de-duplicated.
	Unsequenced uint64
	// Refused counts the PDUs refused, by reason; only reasons that
	// occurred are present.
	Refused map[Reason]uint64
}

// RefusedTotal returns the sum of Refused.
func (s NEStats) RefusedTotal() uint64 {
	var n uint64
	for _, v := range s.Refused {
		n += v
	}
	return n
}

// String describes the NE on one line.
func (s NEStats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "NE %q: %d connection(s) (%d open, %d fault(s)); %d PDU(s) received, %d delivered, %d duplicate(s), %d refused",
		s.Name, s.Connections, s.Open, s.Faults, s.Received, s.Delivered, s.Duplicates, s.RefusedTotal())
	if len(s.Refused) > 0 {
		b.WriteString(" (")
		for i, r := range slices.Sorted(maps.Keys(s.Refused)) {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %d", r, s.Refused[r])
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, "; %d keep-alive(s); %d byte(s)", s.KeepAlives, s.Bytes)
	if s.SyncFailures > 0 {
		fmt.Fprintf(&b, "; %d keep-alive(s) UNANSWERED: records could not be made durable", s.SyncFailures)
	}
	if s.Skips > 0 {
		fmt.Fprintf(&b, "; %d number(s) skipped in %d gap(s), passed on", s.Skipped, s.Skips)
	}
	if s.Resets > 0 {
		fmt.Fprintf(&b, "; %d CIN reset(s) after a restart", s.Resets)
	}
	if s.Renumbered > 0 || s.Unsequenced > 0 {
		fmt.Fprintf(&b, "; %d renumbering(s), %d unsequenced", s.Renumbered, s.Unsequenced)
	}
	return b.String()
}

// Stats are the mediation function's counters.
type Stats struct {
	// NEs are per network element, by name.
	NEs map[string]NEStats
	// Handshakes counts the TLS handshakes that failed — plain TCP, no
	// client certificate, one from another authority, an expired one — and
	// Overload the connections closed at once because MaxConns were open.
	// Neither has an NE name: the peer was not authenticated.
	Handshakes, Overload uint64
	// Communications is the number of communications (NE, XID,
	// correlation ID) the mediation function holds a CIN for now.
	Communications int
}

// String describes the mediation function, one line per NE in name order.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d NE(s), %d communication(s), %d failed handshake(s), %d connection(s) refused for load\n",
		len(s.NEs), s.Communications, s.Handshakes, s.Overload)
	for _, n := range slices.Sorted(maps.Keys(s.NEs)) {
		b.WriteString("  " + s.NEs[n].String() + "\n")
	}
	return b.String()
}

// neCounters are the live counters behind NEStats.
type neCounters struct {
	connections, open, faults, bytes, keepAlives atomic.Uint64
	syncFailures                                 atomic.Uint64
	received, delivered, duplicates              atomic.Uint64
	renumbered, unsequenced                      atomic.Uint64
	skipped, skips, resets                       atomic.Uint64
	refused                                      [numReasons]atomic.Uint64
}

func (c *neCounters) load(name string) NEStats {
	s := NEStats{
		Name: name, Connections: c.connections.Load(), Open: c.open.Load(), Faults: c.faults.Load(),
		Bytes: c.bytes.Load(), KeepAlives: c.keepAlives.Load(), SyncFailures: c.syncFailures.Load(), Received: c.received.Load(),
		Delivered: c.delivered.Load(), Duplicates: c.duplicates.Load(),
		Renumbered: c.renumbered.Load(), Unsequenced: c.unsequenced.Load(),
		Skipped: c.skipped.Load(), Skips: c.skips.Load(), Resets: c.resets.Load(),
		Refused: map[Reason]uint64{},
	}
	for r := Malformed; r < numReasons; r++ {
		if n := c.refused[r].Load(); n > 0 {
			s.Refused[r] = n
		}
	}
	return s
}
