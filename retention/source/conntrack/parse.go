package conntrack

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
)

// ErrInput is wrapped by every finding about a line.
var ErrInput = errors.New("conntrack: invalid event line")

// MaxLine bounds a line, in bytes: conntrack's lines are a few hundred.
const MaxLine = 4096

// what is what ParseLine's *provenance.Problems says was judged.
const what = "conntrack: event"

// format is the source of the rules: conntrack-tools' output, as ccjkit
// reads it.
func format() provenance.Source { return provenance.Rule("conntrack-event-line") }

// Type is a conntrack event type.
type Type uint8

// The event types conntrack -E prints.
const (
	New Type = iota + 1
	Update
	Destroy
)

// String returns "NEW", "UPDATE" or "DESTROY".
func (t Type) String() string {
	switch t {
	case New:
		return "NEW"
	case Update:
		return "UPDATE"
	case Destroy:
		return "DESTROY"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Tuple is one direction of a flow: source and destination addresses
// and, for a protocol with ports, ports.
type Tuple struct {
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
}

// Event is one line of `conntrack -E -o timestamp,extended`.
type Event struct {
	// Time is when conntrack read the event, to the microsecond.
	Time time.Time
	Type Type
	// Protocol is the transport protocol's IANA number (6 TCP, 17 UDP).
	Protocol uint8
	// Ports reports whether the protocol's tuples have ports (TCP, UDP,
	// UDP-Lite, SCTP, DCCP); for the others the tuples' ports are 0.
	Ports bool
	// Orig is the original direction (from the subscriber), Reply the
	// reply's (its destination is the translated source).
	Orig, Reply Tuple
	// Zone is the conntrack zone (0 when not shown).
	Zone uint16
}

// Translated reports whether the NAT changed the source: the reply goes
// to another address or port than the original came from.
func (e Event) Translated() bool {
	return e.Reply.Dst != e.Orig.Src || (e.Ports && e.Reply.DstPort != e.Orig.SrcPort)
}

// protocols maps conntrack's protocol names to their numbers, and says
// whether their tuples have ports.
var protocols = map[string]struct {
	num   uint8
	ports bool
}{
	"tcp": {6, true}, "udp": {17, true}, "udplite": {136, true}, "sctp": {132, true}, "dccp": {33, true},
	"icmp": {1, false}, "icmpv6": {58, false}, "gre": {47, false}, "unknown": {0, false},
}

// extra lists the fields conntrack may print after the tuples, which
// ParseLine accepts without reading.
var extra = map[string]bool{
	"mark": true, "secctx": true, "zone": true, "zone-orig": true, "zone-reply": true, "use": true, "id": true,
	"portid": true, "delta-time": true, "labels": true, "helper": true, "timeout": true,
}

// lineParser collects one line's findings.
type lineParser struct {
	f         strict.Findings
	pos       string // "" or "line N, "
	unknownL4 bool   // the transport protocol's name is unknown
}

func (p *lineParser) add(field, text string) {
	p.f.Add(p.pos+field, "event", text, format(), ErrInput)
}

// ParseLine reads one event line (without its line end). Every problem
// is in one *provenance.Problems (What "conntrack: event"), each finding
// wrapping ErrInput and naming the part at fault, never its value.
func ParseLine(line []byte) (Event, error) { return parseLine(line, "") }

func parseLine(line []byte, pos string) (Event, error) {
	p := lineParser{pos: pos}
	ev := p.parse(line)
	if err := p.f.Check(what); err != nil {
		return Event{}, err
	}
	return ev, nil
}

func (p *lineParser) parse(line []byte) Event {
	var ev Event
	if len(line) > MaxLine {
		p.add("line", fmt.Sprintf("longer than %d bytes", MaxLine))
		return ev
	}
	for _, c := range line {
		if c != '\t' && (c < ' ' || c > '~') {
			p.add("line", "holds a byte that is not printable ASCII")
			return ev
		}
	}
	toks := bytes.Fields(line)
	if len(toks) == 0 {
		p.add("line", "empty")
		return ev
	}
	i := slices.IndexFunc(toks, isSrc)
	head := toks
	if i >= 0 {
		head = toks[:i]
	}
	l3 := p.header(head, &ev)
	if p.unknownL4 {
		return ev // the tuples' fields depend on the protocol
	}
	if i < 0 {
		p.add("original tuple", "missing: no src= on the line")
		return ev
	}
	tuples := toks[i:]
	j := slices.IndexFunc(tuples[1:], isSrc) + 1
	if j == 0 {
		rest := p.tuple("original tuple", tuples, &ev.Orig, ev.Ports, l3)
		if len(p.flags(rest)) == 0 {
			p.add("reply tuple", "missing: no second src= on the line")
		} else {
			p.add("reply tuple", "missing src=, or the fields are out of order")
		}
		return ev
	}
	if rest := p.flags(p.tuple("original tuple", tuples[:j], &ev.Orig, ev.Ports, l3)); len(rest) > 0 {
		p.add("original tuple", "a field that is not the protocol's, or out of order")
	}
	p.trailer(p.tuple("reply tuple", tuples[j:], &ev.Reply, ev.Ports, l3), &ev)
	return ev
}

func isSrc(tok []byte) bool { return bytes.HasPrefix(tok, []byte("src=")) }

// header reads what comes before the tuples: [time] [EVENT] l3proto
// l3num proto protonum [timeout] [STATE]. It returns the network
// protocol, 4 or 6 (0 when unknown).
func (p *lineParser) header(head [][]byte, ev *Event) int {
	if len(head) > 0 && !eventToken(head[0]) {
		ev.Time = p.time(head[0])
		head = head[1:]
	} else {
		p.add("time", "missing: run conntrack with -o timestamp")
	}
	if len(head) == 0 {
		p.add("event", "missing")
		return 0
	}
	ev.Type = p.eventType(head[0])
	head = head[1:]
	l3 := 0
	if len(head) > 0 && (string(head[0]) == "ipv4" || string(head[0]) == "ipv6") {
		if len(head) < 2 {
			p.add("network protocol", "missing its number")
			return 0
		}
		l3 = p.l3(head[0], head[1])
		head = head[2:]
	} else {
		p.add("network protocol", "missing (ipv4 2 or ipv6 10): run conntrack with -o extended")
	}
	if len(head) < 2 {
		p.add("transport protocol", "missing its name or number")
		return l3
	}
	ev.Protocol, ev.Ports = p.l4(head[0], head[1])
	head = head[2:]
	// The timeout (digits) and the TCP or SCTP state (capitals), when
	// present.
	if len(head) > 0 && digits(head[0]) {
		head = head[1:]
	}
	if len(head) > 0 && state(head[0]) {
		head = head[1:]
	}
	if len(head) > 0 {
		p.add("header", "more before the tuples than a timeout and a state")
	}
	return l3
}

func eventToken(tok []byte) bool {
	return string(tok) == "[NEW]" || string(tok) == "[UPDATE]" || string(tok) == "[DESTROY]"
}

// time reads "[seconds.microseconds]".
func (p *lineParser) time(tok []byte) time.Time {
	if len(tok) < 3 || tok[0] != '[' || tok[len(tok)-1] != ']' {
		p.add("time", "missing: run conntrack with -o timestamp")
		return time.Time{}
	}
	s, frac, ok := bytes.Cut(tok[1:len(tok)-1], []byte("."))
	if !ok || len(frac) != 6 || !digits(s) || !digits(frac) || len(s) > 12 {
		p.add("time", "not seconds and microseconds since 1970 ([1796542699.803976])")
		return time.Time{}
	}
	sec, _ := strconv.ParseInt(string(s), 10, 64)
	usec, _ := strconv.ParseInt(string(frac), 10, 64)
	return time.Unix(sec, usec*1000).UTC()
}

func (p *lineParser) eventType(tok []byte) Type {
	switch string(tok) {
	case "[NEW]":
		return New
	case "[UPDATE]":
		return Update
	case "[DESTROY]":
		return Destroy
	}
	p.add("event", "not [NEW], [UPDATE] or [DESTROY]")
	return 0
}

// l3 reads the network protocol's name and number, and returns 4 or 6.
func (p *lineParser) l3(name, num []byte) int {
	switch {
	case string(name) == "ipv4" && string(num) == "2":
		return 4
	case string(name) == "ipv6" && string(num) == "10":
		return 6
	default:
		p.add("network protocol", "its number is not its name's (ipv4 2, ipv6 10)")
	}
	return 0
}

// l4 reads the transport protocol's name and number.
func (p *lineParser) l4(name, numTok []byte) (uint8, bool) {
	num, err := strconv.ParseUint(string(numTok), 10, 8)
	if err != nil || !digits(numTok) {
		p.add("transport protocol", "its number is not 0 to 255")
		return 0, false
	}
	pr, known := protocols[string(name)]
	switch {
	case !known:
		p.unknownL4 = true
		p.add("transport protocol", "not a protocol conntrack names (tcp, udp, udplite, sctp, dccp, icmp, icmpv6, gre, unknown)")
	case string(name) == "unknown":
		return uint8(num), false
	case pr.num != uint8(num):
		p.add("transport protocol", "its number is not its name's")
	}
	return uint8(num), pr.ports
}

// tuple reads src=, dst= and the protocol's fields, and returns the
// tokens after them.
func (p *lineParser) tuple(name string, toks [][]byte, t *Tuple, ports bool, l3 int) [][]byte {
	want := []string{"src", "dst"}
	if ports {
		want = append(want, "sport", "dport")
	}
	for _, key := range want {
		if len(toks) == 0 {
			p.add(name, "missing "+key+"=")
			return nil
		}
		k, v, ok := bytes.Cut(toks[0], []byte("="))
		if !ok || string(k) != key {
			p.add(name, "missing "+key+"=, or the fields are out of order")
			return nil
		}
		toks = toks[1:]
		switch key {
		case "src", "dst":
			a, err := netip.ParseAddr(string(v))
			if err != nil || a.Zone() != "" || (l3 == 4 && !a.Is4()) || (l3 == 6 && !a.Is6()) {
				p.add(name+" "+key, "not an address of the network protocol")
				continue
			}
			if key == "src" {
				t.Src = a
			} else {
				t.Dst = a
			}
		default:
			n, err := strconv.ParseUint(string(v), 10, 16)
			if err != nil || !digits(v) {
				p.add(name+" "+key, "not a port 0 to 65535")
				continue
			}
			if key == "sport" {
				t.SrcPort = uint16(n)
			} else {
				t.DstPort = uint16(n)
			}
		}
	}
	// The fields of protocols without ports (ICMP's type, code and id,
	// GRE's keys) are not read.
	if !ports {
		for len(toks) > 0 {
			k, _, ok := bytes.Cut(toks[0], []byte("="))
			if !ok || !(string(k) == "type" || string(k) == "code" || string(k) == "id" || string(k) == "srckey" || string(k) == "dstkey") {
				break
			}
			if string(k) == "id" && name == "reply tuple" {
				break // -o id's id= comes after the reply tuple too; an ICMP id is read as a field either way
			}
			toks = toks[1:]
		}
	}
	return toks
}

// flags skips [FLAG] tokens.
func (p *lineParser) flags(toks [][]byte) [][]byte {
	for len(toks) > 0 && flag(toks[0]) {
		toks = toks[1:]
	}
	return toks
}

// trailer reads what follows the reply tuple: flags and the extra
// fields, of which only zone= is kept. progname= — the program that
// destroyed a flow from userspace (conntrack -D), which conntrack prints
// last, from the kernel's record of the process — ends the line: what
// follows it is its name, which may hold spaces.
func (p *lineParser) trailer(toks [][]byte, ev *Event) {
	for _, tok := range toks {
		if flag(tok) {
			continue
		}
		k, v, ok := bytes.Cut(tok, []byte("="))
		if ok && string(k) == "progname" {
			return
		}
		if !ok || !extra[string(k)] {
			p.add("fields after the tuples", "not a flag or a field conntrack prints (mark=, zone=, use=, id=, …)")
			return
		}
		if string(k) == "zone" {
			z, err := strconv.ParseUint(string(v), 10, 16)
			if err != nil || !digits(v) {
				p.add("zone", "not a zone 0 to 65535")
				return
			}
			ev.Zone = uint16(z)
		}
	}
}

func digits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// state reports whether b is a TCP or SCTP state name (SYN_SENT).
func state(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if (c < 'A' || c > 'Z') && c != '_' {
			return false
		}
	}
	return true
}

// flag reports whether b is a [FLAG] such as [ASSURED].
func flag(b []byte) bool {
	return len(b) >= 3 && b[0] == '[' && b[len(b)-1] == ']' && state(b[1:len(b)-1])
}
