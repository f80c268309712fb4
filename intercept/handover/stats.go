package handover

import (
	"fmt"
	"slices"
	"strings"
)

// fault is why a connection was dropped.
type fault uint8

const (
	faultClosed        fault = iota // the handover was closed (not a fault)
	faultDial                       // the receiver could not be reached
	faultWrite                      // a write failed
	faultStalled                    // a write made no progress within the keep-alive timeout
	faultRead                       // the receiver closed or reset the connection
	faultUnexpected                 // the receiver sent something other than a keep-alive response
	faultWrongResponse              // a keep-alive response with the wrong number, or none asked
	faultLateResponse               // no keep-alive response within the timeout
	faultSpool                      // the spool could not be read back
	faultTLS                        // TLS refused: a certificate not accepted, by either side
	numFaults
)

var faultNames = [numFaults]string{
	"closed", "cannot connect", "write failed", "receiver not reading",
	"connection closed or reset by receiver", "unexpected bytes from receiver",
	"wrong keep-alive response", "keep-alive response late", "spool unreadable",
	"TLS refused (certificate not accepted)",
}

func (f fault) String() string { return faultNames[f] }

// LinkStats are one link's counters. Byte offsets and counters only grow.
type LinkStats struct {
	// Name is "HI2" or "HI3" ("X2" or "X3" for Protocol X2X3); Receiver
	// the address dialled.
	Name, Receiver string
	// Connected says whether a connection is up now.
	Connected bool
	// Accepted and Refused count records given to Deliver: queued, or
	// refused because the queue was full (each refused record is a gap the
	// receiver sees).
	Accepted, Refused           uint64
	AcceptedBytes, RefusedBytes uint64
	// QueuedBytes are held in memory now, not yet confirmed by the
	// receiver; UnsentBytes are the bytes not yet written, in memory or
	// in the spool.
	QueuedBytes, UnsentBytes uint64
	// Spool describes the disk spool behind the memory queue.
	Spool SpoolStats
	// SentBytes counts the bytes written, ResentBytes the part of them
	// written again after a reconnect (from the last confirmed point), and
	// ConfirmedBytes the bytes the receiver has confirmed reading (a
	// keep-alive response confirms everything sent before its keep-alive).
	SentBytes, ResentBytes, ConfirmedBytes uint64
	// KeepAlives sent and responses received.
	KeepAlives, KeepAliveResponses uint64
	// Connects counts connections established; Faults the connections
	// lost or attempts failed, by reason.
	Connects uint64
	Faults   map[string]uint64
}

// SpoolStats describe a link's disk spool.
type SpoolStats struct {
	// Enabled says whether the link has a spool (Config.SpoolDir).
	Enabled bool
	// Records counts the records written to the spool because the memory
	// queue was full or others waited there before them.
	Records uint64
	// Bytes are on disk (or about to be written) now, of Quota at most.
	Bytes, Quota uint64
	// Recovered are the bytes found in the spool at start, left by an
	// earlier run, which are sent before anything new.
	Recovered uint64
	// Damaged are the bytes cut off at start because a crash or power
	// cut tore the record they belonged to: records lost, which the
	// receiver sees as gaps.
	Damaged uint64
	// Failed says the spool could not be written and takes nothing more.
	Failed bool
	// Crash bounds what the previous run lost when it ended without
	// Close, from the ledger it kept in the spool directory; zero and not
	// Known when there was no previous run, or no ledger.
	Crash LossBound
}

// Stats are both links' counters.
type Stats struct {
	HI2, HI3 LinkStats
}

// String is a status a person reads at a glance, one line per link:
//
//	HI3 → 127.0.0.1:6003 up: 1200 records accepted, 0 refused (queue full); 1.2 MB in memory (0 B unsent); 3 keep-alives answered of 3; 1 connection; no faults
func (s Stats) String() string {
	return s.HI2.String() + "\n" + s.HI3.String() + "\n"
}

// String describes one link on one line.
func (l LinkStats) String() string {
	var b strings.Builder
	state := "DOWN"
	if l.Connected {
		state = "up"
	}
	fmt.Fprintf(&b, "%s → %s %s: %d records accepted, %d REFUSED (queue full); %s in memory (%s unsent); %d keep-alives answered of %d; %d connection(s)",
		l.Name, l.Receiver, state, l.Accepted, l.Refused, size(l.QueuedBytes), size(l.UnsentBytes),
		l.KeepAliveResponses, l.KeepAlives, l.Connects)
	if l.Spool.Enabled {
		fmt.Fprintf(&b, "; %s of %s spooled on disk", size(l.Spool.Bytes), size(l.Spool.Quota))
		if l.Spool.Recovered > 0 {
			fmt.Fprintf(&b, " (%s left by the previous run)", size(l.Spool.Recovered))
		}
		if l.Spool.Damaged > 0 {
			fmt.Fprintf(&b, ", %s DAMAGED by a crash and lost", size(l.Spool.Damaged))
		}
		if c := l.Spool.Crash; c.Known && c.Max > 0 {
			fmt.Fprintf(&b, "; the previous run CRASHED and lost %d to %d accepted record(s)", c.Min, c.Max)
		}
		if l.Spool.Failed {
			b.WriteString(", SPOOL FAILING (disk errors; see the log)")
		}
	}
	if l.ResentBytes > 0 {
		fmt.Fprintf(&b, "; %s sent again after reconnects", size(l.ResentBytes))
	}
	if len(l.Faults) == 0 {
		b.WriteString("; no faults")
	} else {
		var fs []string
		for k, v := range l.Faults {
			fs = append(fs, fmt.Sprintf("%s ×%d", k, v))
		}
		slices.Sort(fs)
		b.WriteString("; faults: " + strings.Join(fs, ", "))
	}
	return b.String()
}

func size(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
