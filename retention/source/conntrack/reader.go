package conntrack

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrConfig: the Config is refused.
var ErrConfig = errors.New("conntrack: invalid configuration")

// MaxFindings bounds the findings ReadAll gathers; past it, one more says
// how many lines were refused besides.
const MaxFindings = 1000

// Config configures a Reader.
type Config struct {
	// Device is the ISP's name for the NAT box (1 to 64 printable ASCII
	// bytes, no spaces): the evidence's device.
	Device string
	// Clock returns the verdict of the NAT box's clock, which stamped
	// the events (retention.ClockOf of the latest timesync.Check).
	Clock func() retention.Clock
	// MaxOpen bounds the flows kept open (zero: 1<<22, about 4 million,
	// a large CGNAT's table). Past it, a NEW is still handed on open but
	// not kept: its DESTROY will come as a late flow (Stats.Dropped).
	MaxOpen int
}

// Stats counts what a Reader read and did. Counters only grow.
type Stats struct {
	Lines        uint64 // lines read
	Refused      uint64 // lines ParseLine refused
	Opened       uint64 // mappings opened (NEW, or first seen later)
	Closed       uint64 // mappings closed (DESTROY, or reopened)
	Late         uint64 // flows first seen in an UPDATE or a DESTROY: known from then only
	Reopened     uint64 // NEW of a flow still open: the old one closed then (a DESTROY lost)
	Untranslated uint64 // events of flows the NAT did not translate
	NoPorts      uint64 // events of protocols without ports (ICMP, GRE)
	Dropped      uint64 // NEW events past MaxOpen, not kept open
}

// key names a flow: its tuples, protocol and zone.
type key struct {
	orig, reply Tuple
	proto       uint8
	zone        uint16
}

// Reader pairs a NAT box's events into mappings. It is not safe for
// concurrent use: feed it one stream.
type Reader struct {
	device  string
	clock   func() retention.Clock
	maxOpen int
	open    map[key]retention.Mapping
	stats   Stats
}

// NewReader makes a Reader. Every problem with cfg is reported at once.
func NewReader(cfg Config) (*Reader, error) {
	var probs []error
	if !strict.Device(cfg.Device) {
		probs = append(probs, fmt.Errorf("%w: Device must be 1 to %d printable ASCII bytes without spaces", ErrConfig, strict.MaxDevice))
	}
	if cfg.Clock == nil {
		probs = append(probs, fmt.Errorf("%w: Clock is required", ErrConfig))
	}
	if cfg.MaxOpen < 0 {
		probs = append(probs, fmt.Errorf("%w: MaxOpen cannot be negative", ErrConfig))
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	if cfg.MaxOpen == 0 {
		cfg.MaxOpen = 1 << 22
	}
	return &Reader{device: cfg.Device, clock: cfg.Clock, maxOpen: cfg.MaxOpen, open: map[key]retention.Mapping{}}, nil
}

// Stats returns the counters so far.
func (r *Reader) Stats() Stats { return r.stats }

// Line reads one event line (without its line end) and hands emit the
// mappings it opens or closes: an open one for a NEW (Until zero), the
// closed one for a DESTROY, the old one closed and the new one open for a
// NEW of a flow still open. A refused line's *provenance.Problems is
// returned, as ParseLine's; emit's error is returned as it is, and the
// event is then forgotten as if never read.
func (r *Reader) Line(line []byte, emit func(retention.Mapping) error) error {
	return r.line(line, "", emit)
}

func (r *Reader) line(line []byte, pos string, emit func(retention.Mapping) error) error {
	r.stats.Lines++
	ev, err := parseLine(line, pos)
	if err != nil {
		r.stats.Refused++
		return err
	}
	switch {
	case !ev.Ports:
		r.stats.NoPorts++
		return nil
	case !ev.Translated():
		r.stats.Untranslated++
		return nil
	}
	k := key{orig: ev.Orig, reply: ev.Reply, proto: ev.Protocol, zone: ev.Zone}
	ev2 := retention.Evidence{Kind: retention.CGNAT, Device: r.device, Hash: retention.HashRecord(line)}
	m, known := r.open[k]
	switch ev.Type {
	case New:
		if known {
			closed := m
			closed.Until, closed.Source = timesync.FromTime(ev.Time), ev2
			if closed.Until == closed.From {
				closed.Until = closed.Until.Add(1e9)
			}
			if err := emit(closed); err != nil {
				return err
			}
			delete(r.open, k)
			r.stats.Closed++
			r.stats.Reopened++
		}
		return r.opened(k, ev, ev2, emit)
	case Update:
		if known {
			return nil
		}
		r.stats.Late++
		return r.opened(k, ev, ev2, emit)
	default: // Destroy
		if !known {
			r.stats.Late++
			m = r.mapping(ev, ev2)
		}
		m.Until, m.Source = until(ev), ev2
		if err := emit(m); err != nil {
			return err
		}
		if !known {
			r.stats.Opened++
		}
		delete(r.open, k)
		r.stats.Closed++
		return nil
	}
}

// opened hands on a new open mapping and keeps it, room permitting.
func (r *Reader) opened(k key, ev Event, e retention.Evidence, emit func(retention.Mapping) error) error {
	m := r.mapping(ev, e)
	if err := emit(m); err != nil {
		return err
	}
	r.stats.Opened++
	if len(r.open) >= r.maxOpen {
		r.stats.Dropped++
		return nil
	}
	r.open[k] = m
	return nil
}

// mapping is the open mapping of a translated flow's event.
func (r *Reader) mapping(ev Event, e retention.Evidence) retention.Mapping {
	return retention.Mapping{
		Public: ev.Reply.Dst, Ports: retention.PortRange{First: ev.Reply.DstPort, Last: ev.Reply.DstPort},
		Inside: ev.Orig.Src, InsidePort: ev.Orig.SrcPort, Protocol: ev.Protocol,
		From: timesync.FromTime(ev.Time), Source: e, Clock: r.clock(),
	}
}

// until is the end of a mapping destroyed at ev.Time: the next whole
// second, so that the second it was destroyed in is covered.
func until(ev Event) timesync.Timestamp {
	ts := timesync.FromTime(ev.Time)
	return ts.Add(1e9)
}

// Open returns the mappings still open, ordered by public address, port
// and start.
func (r *Reader) Open() []retention.Mapping {
	out := make([]retention.Mapping, 0, len(r.open))
	for _, m := range r.open {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b retention.Mapping) int {
		if c := a.Public.Compare(b.Public); c != 0 {
			return c
		}
		if a.Ports.First != b.Ports.First {
			return int(a.Ports.First) - int(b.Ports.First)
		}
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		if c := a.Inside.Compare(b.Inside); c != 0 {
			return c
		}
		return int(a.Protocol) - int(b.Protocol)
	})
	return out
}

// ReadAll reads lines from rd until its end, handing emit the mappings
// as Line does. Refused lines are skipped, and their problems returned
// at the end in one *provenance.Problems naming the line numbers (at most
// MaxFindings, then one saying how many lines more were refused); a
// reading error or emit's error stops it and is returned as it is.
func (r *Reader) ReadAll(rd io.Reader, emit func(retention.Mapping) error) error {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 1024), MaxLine+2)
	var all []provenance.Finding
	more := 0
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		err := r.line(line, "line "+strconv.Itoa(n)+", ", emit)
		var ps *provenance.Problems
		switch {
		case errors.As(err, &ps):
			if len(all)+len(ps.Findings) <= MaxFindings {
				all = append(all, ps.Findings...)
			} else {
				more++
			}
		case err != nil:
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			all = append(all, provenance.Finding{Rule: "event", Severity: provenance.Error, Field: "line", Source: format(), Err: ErrInput,
				Message: provenance.Text(fmt.Sprintf("a line is longer than %d bytes: reading stopped there", MaxLine))})
			return provenance.Check(what, all)
		}
		return fmt.Errorf("conntrack: reading the events: %w", err)
	}
	if more > 0 {
		all = append(all, provenance.Finding{Rule: "event", Severity: provenance.Error, Field: "", Source: format(), Err: ErrInput,
			Message: provenance.Text(fmt.Sprintf("%d more line(s) refused, not listed", more))})
	}
	return provenance.Check(what, all)
}

// Public returns a mapping's public address and port as "addr:port", for
// tests and tools (never for logs).
func Public(m retention.Mapping) string {
	return netip.AddrPortFrom(m.Public, m.Ports.First).String()
}
