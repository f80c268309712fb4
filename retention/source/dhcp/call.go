package dhcp

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention/source/internal/strict"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
)

// ErrInput is wrapped by every finding about a call's line.
var ErrInput = errors.New("dhcp: invalid dnsmasq script call")

// MaxLine bounds a call's line, in bytes.
const MaxLine = 16 << 10

// what is what ParseCall's *provenance.Problems says was judged.
const what = "dhcp: dnsmasq script call"

func format() strictjson.Format {
	return strictjson.Format{What: what, Name: "dnsmasq script call line", Err: ErrInput, Max: MaxLine, PlainText: true}
}

// source is the rules' source: dnsmasq(8)'s --dhcp-script, as ccjkit
// reads it (dnsmasq 2.90).
func source() provenance.Source { return provenance.Rule("dnsmasq-dhcp-script") }

// The actions of a lease. dnsmasq has others ("init", "tftp",
// "arp-add", "arp-del", "relay-snoop"), which concern no lease.
const (
	ActionAdd = "add"
	ActionOld = "old"
	ActionDel = "del"
)

// line is a call's JSON form.
type line struct {
	Time int64             `json:"time"`
	Args []string          `json:"args"`
	Env  map[string]string `json:"env,omitempty"`
}

// EncodeCall appends to dst the JSON line of one call of the script: now
// (to the second), the arguments (os.Args[1:]) and the DNSMASQ_*
// variables of environ (os.Environ()), sorted; the rest of the
// environment is left out.
func EncodeCall(dst []byte, args, environ []string, now time.Time) []byte {
	l := line{Time: now.Unix(), Args: args}
	if l.Args == nil {
		l.Args = []string{}
	}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, "DNSMASQ_") {
			if l.Env == nil {
				l.Env = map[string]string{}
			}
			l.Env[k] = v
		}
	}
	b, _ := json.Marshal(l) // strings and numbers only: cannot fail
	return append(append(dst, b...), '\n')
}

// Call is one call of the script, as ParseCall read it.
type Call struct {
	// Time is when the script ran, to the second.
	Time timesync.Timestamp
	// Action is the first argument: ActionAdd, ActionOld, ActionDel, or
	// another of dnsmasq's actions (Lease reports false).
	Action string
	// Addr is the lease's address (add, old, del).
	Addr netip.Addr
	// MAC is the client's hardware address in lower case ("02:00:00:00:00:42",
	// a non-Ethernet type prefixed as "06-…"): the second argument for
	// IPv4, DNSMASQ_MAC for IPv6; "" when not known.
	MAC string
	// ClientID is the IPv4 client-id (DNSMASQ_CLIENT_ID) or the IPv6
	// client's DUID (the second argument), hex bytes in lower case; ""
	// when not given.
	ClientID string
	// CircuitID is a relay's option 82 circuit-id (DNSMASQ_CIRCUIT_ID) as
	// dnsmasq gives it; "" when none.
	CircuitID string
	// Expires is when the lease expires (DNSMASQ_LEASE_EXPIRES); zero
	// when not given.
	Expires timesync.Timestamp
	// Startup reports an "old" call for a lease read from dnsmasq's lease
	// file at startup (DNSMASQ_DATA_MISSING).
	Startup bool
}

// Lease reports whether the call is about a lease (add, old, del).
func (c Call) Lease() bool {
	return c.Action == ActionAdd || c.Action == ActionOld || c.Action == ActionDel
}

// The times a call may carry: 2000-01-01 to 2200-01-01, UTC (ccjkit's
// bound [T]: a DHCP server's clock outside it is wrong).
const (
	minTime = 946684800
	maxTime = 7258118400
)

// ParseCall reads one line EncodeCall wrote (without its line end).
// Every problem is in one *provenance.Problems (What "dhcp: dnsmasq
// script call"), each finding wrapping ErrInput and naming the part at
// fault, never its value.
func ParseCall(b []byte) (Call, error) {
	var l line
	if err := format().Decode(b, &l); err != nil {
		return Call{}, err
	}
	var f strict.Findings
	add := func(field, text string) { f.Add(field, "call", text, source(), ErrInput) }
	var c Call
	if l.Time < minTime || l.Time >= maxTime {
		add("time", "missing, or not a time from 2000 to 2200 (seconds since 1970)")
	} else {
		c.Time = timesync.Unix(l.Time)
	}
	for k := range l.Env {
		if !strings.HasPrefix(k, "DNSMASQ_") {
			add("env", "a variable that is not dnsmasq's (DNSMASQ_*)")
			break
		}
	}
	if len(l.Args) == 0 {
		add("args", "missing: the action is the first argument")
		return c, f.Check(what)
	}
	c.Action = l.Args[0]
	if !c.Lease() {
		if !action(c.Action) {
			add("args[0]", "not an action (lower-case letters and dashes)")
		}
		return c, f.Check(what)
	}
	if len(l.Args) != 3 && len(l.Args) != 4 {
		add("args", "a lease's call has 3 or 4 arguments: action, MAC address or DUID, address, and the hostname if known")
		return c, f.Check(what)
	}
	a, err := netip.ParseAddr(l.Args[2])
	if err != nil || a.Zone() != "" || a.Is4In6() {
		add("args[2]", "not an IPv4 or IPv6 address")
	} else {
		c.Addr = a
	}
	if a.Is6() {
		if c.ClientID = hexBytes(l.Args[1], 130); c.ClientID == "" {
			add("args[1]", "not a DUID (hex bytes separated by colons)")
		}
		if m, ok := l.Env["DNSMASQ_MAC"]; ok {
			if c.MAC = mac(m); c.MAC == "" {
				add("env.DNSMASQ_MAC", "not a MAC address")
			}
		}
	} else {
		if c.MAC = mac(l.Args[1]); c.MAC == "" {
			add("args[1]", "not a MAC address (hex bytes separated by colons, a non-Ethernet type prefixed as 06-)")
		}
		if id, ok := l.Env["DNSMASQ_CLIENT_ID"]; ok && id != "" {
			if c.ClientID = hexBytes(id, 255); c.ClientID == "" {
				add("env.DNSMASQ_CLIENT_ID", "not a client-id (hex bytes separated by colons)")
			}
		}
		c.CircuitID = l.Env["DNSMASQ_CIRCUIT_ID"]
	}
	if e, ok := l.Env["DNSMASQ_LEASE_EXPIRES"]; ok {
		n, ok := number(e)
		switch {
		case !ok:
			add("env.DNSMASQ_LEASE_EXPIRES", "not a time (seconds since 1970)")
		case n != 0 && (n < minTime || n >= maxTime):
			add("env.DNSMASQ_LEASE_EXPIRES", "not a time from 2000 to 2200")
		case n != 0: // 0: an infinite lease
			c.Expires = timesync.Unix(n)
		}
	}
	c.Startup = l.Env["DNSMASQ_DATA_MISSING"] == "1"
	if err := f.Check(what); err != nil {
		return Call{}, err
	}
	return c, nil
}

func action(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

func number(s string) (int64, bool) {
	if s == "" || len(s) > 12 {
		return 0, false
	}
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int64(r-'0')
	}
	return n, true
}

// hexBytes returns s in lower case when it is 1 to max hex bytes
// separated by colons ("01:02:0a"), else "".
func hexBytes(s string, max int) string {
	parts := strings.Split(s, ":")
	if len(parts) > max {
		return ""
	}
	for _, p := range parts {
		if len(p) != 2 || !isHex(p[0]) || !isHex(p[1]) {
			return ""
		}
	}
	return strings.ToLower(s)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// mac returns a hardware address as dnsmasq prints it, in lower case:
// hex bytes separated by colons (1 to 16 of them), for a type other than
// Ethernet prefixed by the type in hex and a dash ("06-01:23:…"); "" if
// s is none.
func mac(s string) string {
	typ, rest, ok := strings.Cut(s, "-")
	if !ok {
		typ, rest = "", s
	} else if len(typ) == 0 || len(typ) > 2 || !isHex(typ[0]) || !isHex(typ[len(typ)-1]) {
		return ""
	}
	h := hexBytes(rest, 16)
	if h == "" {
		return ""
	}
	if typ != "" {
		return strings.ToLower(typ) + "-" + h
	}
	return h
}

// NormalMAC returns a MAC address as Call.MAC gives it (lower case, a
// non-Ethernet type prefixed), or "" if s is not one: for the keys of
// Subscribers.ByMAC.
func NormalMAC(s string) string { return mac(s) }

// NormalClientID returns a client-id or DUID as Call.ClientID gives it
// (hex bytes in lower case), or "" if s is not one.
func NormalClientID(s string) string { return hexBytes(s, 255) }
