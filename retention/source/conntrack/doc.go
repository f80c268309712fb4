// Package conntrack reads the NAT mappings of a Linux CGNAT — an
// nftables (or iptables) SNAT or masquerade box — from its connection
// tracking events, as `conntrack -E -o timestamp,extended` prints them
// (conntrack-tools), into retention.Mapping values.
//
// # What a line says
//
// Run on the NAT box, best as a service started before the NAT rules are
// loaded (so that no flow is older than the log):
//
//	conntrack -E -o timestamp,extended -e NEW,DESTROY
//
// Each line is one event of one tracked flow:
//
//	[1796542699.803976]	    [NEW] ipv4     2 udp      17 30 src=100.64.0.2 dst=198.51.100.2 sport=36267 dport=9000 [UNREPLIED] src=198.51.100.2 dst=198.51.100.1 sport=9000 dport=36267
//
// the time the event was read (seconds and microseconds since 1970, UTC),
// the event (NEW, UPDATE, DESTROY), the network and transport protocols
// by name and number, the seconds left before it times out (absent from
// some events), the TCP state, then the original tuple — the subscriber's
// inside source address and port towards the destination — and the reply
// tuple, whose destination is the public address and port the NAT
// translated the source to; flags in brackets and the fields conntrack
// adds (mark=, zone=, use=, id=, portid=, …, and last progname=) follow.
//
// A flow is translated when the reply's destination differs from the
// original source. Such a flow gives the mapping: inside address and
// port = the original source, public address and port = the reply's
// destination, the protocol, from the NEW event's second to the DESTROY
// event's (rounded up, so that every second the flow lived in part is
// covered). Flows the NAT did not translate, and protocols without ports
// (ICMP's identifiers, GRE's keys), give none and are counted.
//
// # Pairing
//
// A Reader pairs the events of one flow by its two tuples (and zone): a
// NEW opens a mapping, handed to the caller open (Until zero); the
// DESTROY closes it, handed again with its end — a store keeps the
// closed one in place of the open one with the same Public, Ports,
// Inside, InsidePort, Protocol and From. A flow first seen in an UPDATE
// or a DESTROY (it began before the log) opens at that event's second:
// the mapping is then known from that second on, never earlier, and
// counted in Stats.Late. A NEW for a flow still open closes the old one
// at the new one's second (a DESTROY was lost; Stats.Reopened). Reader.Open
// lists the mappings still open, for a shutdown.
//
// # Strictness and secrecy
//
// ParseLine reads one line strictly: every part must be present and well
// formed, the protocol names must match their numbers, the addresses
// their family, and an unknown field is refused. Every problem of a line
// is in one *provenance.Problems wrapping ErrInput, and ReadAll gathers
// every line's in one, naming the line numbers; none quotes the line,
// which holds subscribers' addresses. The evidence of a mapping is the
// SHA-256 of its event's line.
package conntrack
