// Package dhcp turns a DHCP server's leases into retention.Assignment
// values: who held which IPv4 or IPv6 address from when to when. It reads
// dnsmasq (Debian's dnsmasq and dnsmasq-base), the DHCP server small ISPs
// and their routers run, through its lease-change script.
//
// # dnsmasq's --dhcp-script
//
// dnsmasq runs the script given by --dhcp-script=PATH whenever a lease
// is created ("add"), changed or found at startup ("old"), or destroyed
// ("del": released or expired), with the action, the client's MAC address
// (for IPv6 its DUID), the address and the hostname as arguments, and
// DNSMASQ_* variables in its environment: the lease's expiry
// (DNSMASQ_LEASE_EXPIRES), the client-id (DNSMASQ_CLIENT_ID), a relay's
// option 82 circuit-id (DNSMASQ_CIRCUIT_ID), for IPv6 the client's MAC
// when known (DNSMASQ_MAC), and more (dnsmasq(8)). The script must not
// take long: dnsmasq runs one at a time and queues the rest, keeping only
// each lease's latest state, and the time a call carries is when the
// script ran.
//
// The script is a few lines of Go calling EncodeCall, which writes the
// call as one JSON line — when, the arguments, the DNSMASQ_* variables —
// appended to a file (or sent to a collector) that the ISP keeps:
//
//	func main() {
//		f, _ := os.OpenFile("/var/lib/ccjkit/dnsmasq.calls", os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
//		_, err := f.Write(dhcp.EncodeCall(nil, os.Args[1:], os.Environ(), time.Now()))
//		if err == nil { err = f.Sync() }
//		if err != nil { os.Exit(1) }
//	}
//
// ParseCall reads such a line back, strictly; Leases follows the leases.
// (ISC Kea's lease file and legal-log output are not read yet.)
//
// # Who the subscriber is
//
// A lease names a device, not a subscriber. Config.Subscribers maps what
// a lease carries to the ISP's subscriber reference: the circuit-id a
// relay added (option 82, RFC 3046: the line or port the request came
// from, the strongest), the client-id (for IPv6, the DUID), or the MAC
// address — tried in the order Config.Order gives (circuit-id, client-id,
// MAC by default). A lease none of them maps is no assignment: it is
// counted (Stats.Unmapped), never logged.
//
// # From calls to assignments
//
// "add" opens an assignment of the address (a /32 or /128) at the call's
// second, handed on open (Until zero); "del" closes it, handed on again
// with its end (the call's second rounded up, so that the second it ended
// in is covered); "old" opens it if no assignment of the address is open
// (a lease found at startup, DNSMASQ_DATA_MISSING: known from then on,
// counted in Stats.Late), or closes the open one and opens another when
// the lease changed hands. An "add" for an address held by another
// subscriber closes that one first. Leases.Expire closes, at their expiry,
// the leases whose DNSMASQ_LEASE_EXPIRES has passed with no "del" (dnsmasq
// was stopped). Other actions (init, tftp, arp-add, arp-del, relay-snoop)
// give nothing and are counted.
//
// # Strictness and secrecy
//
// ParseCall refuses a line that is not a call as EncodeCall writes it:
// strict JSON (strictjson), a known action with the right arguments, a
// MAC address, DUID or address where one belongs, the variables' numbers
// as numbers — every problem at once in one *provenance.Problems wrapping
// ErrInput, none quoting the line, which holds subscribers' addresses and
// devices. The evidence of an assignment is the SHA-256 of its call's
// line.
package dhcp
