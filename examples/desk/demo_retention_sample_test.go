package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/retention/source/dhcp"
	"github.com/ccjkit/ccjkit/timesync"
)

var update = flag.Bool("update", false, "rewrite the demonstration's sample sessions (sample/"+sampleContracts+", …) from their generator")

// The sample sessions the demonstration ingests are the generator's
// output, byte for byte: go test ./examples/desk -run TestSampleSessions
// -update rewrites them.
func TestSampleSessions(t *testing.T) {
	files, err := generateSessions()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, name := range slices.Sorted(maps.Keys(files)) {
		b := files[name]
		total += len(b)
		path := filepath.Join("sample", name)
		if *update {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("sample/%s differs from the generator's output (%v); run go test ./examples/desk -run TestSampleSessions -update", name, err)
		}
	}
	// Small enough to read and to embed: tens of kilobytes.
	if total > 64<<10 {
		t.Errorf("the sample sessions take %d bytes", total)
	}
}

// The sample ISP's network: PPPoE subscribers whose sessions RADIUS
// accounting reports (an inside address behind the CGNAT, a /64 on the
// link and a delegated /56), DHCP subscribers (an inside address leased
// by dnsmasq to their router's MAC address), static contracts (public
// addresses and prefixes), and a CGNAT box translating the inside
// addresses to the pool 198.51.100.64/27.
type pppoeSub struct {
	ref, user         string
	addr              netip.Addr
	framed, delegated netip.Prefix
}

type dhcpSub struct {
	ref, mac string
	addr     netip.Addr
}

var (
	samplePPPoE = []pppoeSub{
		{"C-000042", "ppp-0042", netip.MustParseAddr("100.64.0.42"), netip.MustParsePrefix("2001:db8:3c4d:15::/64"), netip.MustParsePrefix("2001:db8:3c4e:4200::/56")},
		{"C-000051", "ppp-0051", netip.MustParseAddr("100.64.0.51"), netip.MustParsePrefix("2001:db8:3c4d:16::/64"), netip.MustParsePrefix("2001:db8:3c4e:5100::/56")},
		{"C-000063", "ppp-0063", netip.MustParseAddr("100.64.0.63"), netip.MustParsePrefix("2001:db8:3c4d:17::/64"), netip.MustParsePrefix("2001:db8:3c4e:6300::/56")},
		{"C-000078", "ppp-0078", netip.MustParseAddr("100.64.0.78"), netip.MustParsePrefix("2001:db8:3c4d:18::/64"), netip.MustParsePrefix("2001:db8:3c4e:7800::/56")},
	}
	sampleDHCPSubs = []dhcpSub{
		{"C-000107", "02:00:5e:10:01:07", netip.MustParseAddr("100.64.1.7")},
		{"C-000112", "02:00:5e:10:01:12", netip.MustParseAddr("100.64.1.12")},
		{"C-000118", "02:00:5e:10:01:18", netip.MustParseAddr("100.64.1.18")},
		{"C-000124", "02:00:5e:10:01:24", netip.MustParseAddr("100.64.1.24")},
	}
	// The contracts file, as the ISP's customer database exports it: a
	// contract that ended on the day a year back whose data the demo's
	// purge destroys, and running ones (among them the address and the
	// prefix two traffic-data cases of the month name).
	sampleContractsCSV = strings.Join([]string{
		"subscriber,prefix,from,until",
		"C-000017,198.51.100.9,2024-02-01,2025-11-09",
		"C-000023,198.51.100.23,2025-06-01,",
		"C-000031,2001:db8:3c4d:40::/64,2025-09-15,",
		"C-000036,198.51.100.24/30,2026-03-01,",
		"C-000039,2001:db8:3c50::/48,2026-03-01,",
	}, "\n") + "\n"
)

// span is one session of an address: from its start to its end (zero:
// still open when the sample ends).
type span struct{ from, until time.Time }

// flow is one connection through the CGNAT.
type flow struct {
	inside        netip.AddrPort
	public        netip.AddrPort
	peer          netip.AddrPort
	tcp           bool
	start, finish time.Time
}

// bt reads a Brussels wall-clock time.
func bt(s string) time.Time { return timesync.MustParseBrussels(s, timesync.Strict).Time() }

// The days the sample covers: the month's sessions from a few days
// before it (the first identification asks about 29 October) to its
// end, and two whole days a year back — one whose data the demo's purge
// destroys, one a preservation hold keeps.
var (
	sampleStart = bt("2026-10-26 00:00:00")
	sampleEnd   = bt("2026-11-30 18:00:00")
	shredDay    = bt("2025-11-09 00:00:00")
	heldDay     = bt("2025-11-29 00:00:00")
)

// generateSessions returns the sample's files by name: the contracts
// CSV, RADIUS accounting as a capture of the accounting port, dnsmasq's
// --dhcp-script calls, conntrack -E events, and the MAC addresses'
// subscribers.
func generateSessions() (map[string][]byte, error) {
	rng := rand.New(rand.NewPCG(2026, 11))
	// The sessions the month's cases ask about are pinned; the others
	// fill the month around them.
	pinned := map[string][]span{
		"C-000042": {{bt("2026-10-27 03:14:09"), bt("2026-10-31 03:02:55")}},
		"C-000107": {{bt("2026-11-17 19:40:12"), bt("2026-11-20 06:55:31")}},
	}
	old := map[string][]span{
		"C-000051": {{bt("2025-11-09 07:12:40"), bt("2025-11-09 23:41:02")}},
		"C-000107": {{bt("2025-11-09 06:30:11"), bt("2025-11-09 23:20:45")}},
		"C-000063": {{bt("2025-11-29 08:03:27"), bt("2025-11-29 22:58:13")}},
		"C-000112": {{bt("2025-11-29 08:10:05"), bt("2025-11-29 23:05:50")}},
		"C-000118": {{bt("2025-11-29 07:45:33"), bt("2025-11-29 22:40:19")}},
		"C-000124": {{bt("2025-11-29 09:00:02"), bt("2025-11-29 23:30:41")}},
	}
	sessions := map[string][]span{}
	refs := []string{}
	for _, s := range samplePPPoE {
		refs = append(refs, s.ref)
	}
	for _, s := range sampleDHCPSubs {
		refs = append(refs, s.ref)
	}
	for _, ref := range refs {
		sessions[ref] = append(slices.Clone(old[ref]), fill(rng, sampleStart.Add(time.Duration(rng.IntN(20*3600))*time.Second), pinned[ref])...)
	}
	insideOf := map[string]netip.Addr{}
	for _, s := range samplePPPoE {
		insideOf[s.ref] = s.addr
	}
	for _, s := range sampleDHCPSubs {
		insideOf[s.ref] = s.addr
	}
	flows := storyFlows()
	// Background: a flow a day, each from a subscriber online then,
	// to a public address the cases do not ask about.
	for _, day := range append([]time.Time{shredDay, heldDay}, days(sampleStart, sampleEnd)...) {
		flows = append(flows, backgroundFlow(rng, day, refs, sessions, insideOf))
	}
	files := map[string][]byte{sampleContracts: []byte(sampleContractsCSV)}
	var err error
	if files[sampleRADIUS], err = radiusCapture(sessions); err != nil {
		return nil, err
	}
	files[sampleDHCP] = dnsmasqCalls(sessions)
	files[sampleConntrack] = conntrackEvents(flows)
	subs := map[string]map[string]string{"mac": {}}
	for _, s := range sampleDHCPSubs {
		subs["mac"][s.mac] = s.ref
	}
	b, err := json.MarshalIndent(subs, "", "  ")
	if err != nil {
		return nil, err
	}
	files[sampleDHCPSubscribers] = append(b, '\n')
	return files, nil
}

// fill returns a subscriber's sessions from start to the sample's end:
// each lasts one to five days and the next begins a few seconds to a
// minute and a half after it (a router reconnecting), the pinned ones
// kept as they are; the last is still open.
func fill(rng *rand.Rand, start time.Time, pinned []span) []span {
	gap := func() time.Duration { return time.Duration(5+rng.IntN(85)) * time.Second }
	var out []span
	for t := start; ; {
		end := t.Add(time.Duration(24*3600+rng.IntN(4*24*3600)) * time.Second)
		switch {
		case len(pinned) > 0 && !end.Before(pinned[0].from.Add(-time.Hour)):
			// This session reaches the pinned one: it ends just before.
			if pinned[0].from.Sub(t) > 2*time.Minute {
				out = append(out, span{t, pinned[0].from.Add(-gap())})
			}
			out = append(out, pinned[0])
			t, pinned = pinned[0].until.Add(gap()), pinned[1:]
		case end.After(sampleEnd):
			return append(out, span{from: t})
		default:
			out = append(out, span{t, end})
			t = end.Add(gap())
		}
	}
}

// days returns the Brussels midnights from from to until.
func days(from, until time.Time) []time.Time {
	var out []time.Time
	for d := timesync.Day(from); timesync.DayStart(d).Before(until); d = d.AddDate(0, 0, 1) {
		out = append(out, timesync.DayStart(d))
	}
	return out
}

// storyFlows are the flows the month's cases ask about: the address and
// port of 2026-0006 (and two other subscribers' flows on that address at
// that second, which the port tells apart), the address and port of
// 2026-0007 on the day a year back the purge destroys, and the shared
// address of 2026-0008 with five flows of four subscribers at its
// second.
func storyFlows() []flow {
	ap := netip.MustParseAddrPort
	return []flow{
		{ap("100.64.1.7:41234"), ap("198.51.100.77:52113"), ap("203.0.113.50:443"), true, bt("2026-11-19 08:12:31").Add(204118 * time.Microsecond), bt("2026-11-19 08:15:02").Add(553020 * time.Microsecond)},
		{ap("100.64.0.51:50122"), ap("198.51.100.77:61377"), ap("203.0.113.80:443"), true, bt("2026-11-19 08:11:58").Add(90011 * time.Microsecond), bt("2026-11-19 08:19:40").Add(7002 * time.Microsecond)},
		{ap("100.64.1.24:38811"), ap("198.51.100.77:49152"), ap("192.0.2.53:53"), false, bt("2026-11-19 08:12:44").Add(661200 * time.Microsecond), bt("2026-11-19 08:13:15").Add(12400 * time.Microsecond)},
		{ap("100.64.1.7:47001"), ap("198.51.100.71:40312"), ap("203.0.113.21:443"), true, bt("2025-11-09 19:26:40").Add(512734 * time.Microsecond), bt("2025-11-09 19:29:21").Add(220931 * time.Microsecond)},
		{ap("100.64.1.12:51010"), ap("198.51.100.80:23817"), ap("203.0.113.80:443"), true, bt("2025-11-29 20:30:12").Add(118330 * time.Microsecond), bt("2025-11-29 20:36:52").Add(400118 * time.Microsecond)},
		{ap("100.64.1.12:51022"), ap("198.51.100.80:23829"), ap("203.0.113.80:443"), true, bt("2025-11-29 20:31:01").Add(900554 * time.Microsecond), bt("2025-11-29 20:33:30").Add(51007 * time.Microsecond)},
		{ap("100.64.1.18:44790"), ap("198.51.100.80:40961"), ap("203.0.113.14:443"), true, bt("2025-11-29 20:25:40").Add(7411 * time.Microsecond), bt("2025-11-29 20:45:02").Add(300300 * time.Microsecond)},
		{ap("100.64.1.24:60330"), ap("198.51.100.80:1071"), ap("192.0.2.53:53"), false, bt("2025-11-29 20:31:06").Add(450000 * time.Microsecond), bt("2025-11-29 20:31:37").Add(451200 * time.Microsecond)},
		{ap("100.64.0.63:33568"), ap("198.51.100.80:57344"), ap("203.0.113.99:993"), true, bt("2025-11-29 19:58:20").Add(660101 * time.Microsecond), bt("2025-11-29 21:10:44").Add(100 * time.Microsecond)},
	}
}

// storyPublic are the public addresses of the story's flows: background
// flows keep off them, so that each case's answer is the story's.
var storyPublic = []string{"198.51.100.71", "198.51.100.77", "198.51.100.80"}

// backgroundFlow returns a flow on day from a subscriber online for its
// whole length.
func backgroundFlow(rng *rand.Rand, day time.Time, refs []string, sessions map[string][]span, insideOf map[string]netip.Addr) flow {
	for {
		ref := refs[rng.IntN(len(refs))]
		start := day.Add(time.Duration(rng.IntN(24*3600))*time.Second + time.Duration(rng.IntN(1e6))*time.Microsecond)
		tcp := rng.IntN(3) > 0
		length := time.Duration(31+rng.IntN(60)) * time.Second
		if tcp {
			length = time.Duration(20+rng.IntN(1800))*time.Second + time.Duration(rng.IntN(1e6))*time.Microsecond
		}
		finish := start.Add(length)
		if finish.After(sampleEnd) || !slices.ContainsFunc(sessions[ref], func(s span) bool {
			return !start.Before(s.from.Add(time.Second)) && (s.until.IsZero() || finish.Add(time.Second).Before(s.until))
		}) {
			continue
		}
		public := netip.AddrFrom4([4]byte{198, 51, 100, byte(64 + rng.IntN(32))})
		if slices.Contains(storyPublic, public.String()) {
			continue
		}
		peer := netip.AddrPortFrom(netip.AddrFrom4([4]byte{203, 0, 113, byte(1 + rng.IntN(254))}), 443)
		if !tcp {
			peer = netip.MustParseAddrPort("192.0.2.53:53")
		}
		return flow{netip.AddrPortFrom(insideOf[ref], uint16(32768+rng.IntN(28000))), netip.AddrPortFrom(public, uint16(1024+rng.IntN(64000))), peer, tcp, start, finish}
	}
}

// conntrackEvents writes the flows' NEW and DESTROY events as conntrack -E
// -o timestamp,extended prints them on an nftables masquerade box
// (conntrack-tools 1.4.7), in time order.
func conntrackEvents(flows []flow) []byte {
	type event struct {
		at   time.Time
		line string
	}
	var evs []event
	for _, f := range flows {
		orig := fmt.Sprintf("src=%s dst=%s sport=%d dport=%d", f.inside.Addr(), f.peer.Addr(), f.inside.Port(), f.peer.Port())
		reply := fmt.Sprintf("src=%s dst=%s sport=%d dport=%d", f.peer.Addr(), f.public.Addr(), f.peer.Port(), f.public.Port())
		if f.tcp {
			evs = append(evs, event{f.start, fmt.Sprintf("    [NEW] ipv4     2 tcp      6 120 SYN_SENT %s [UNREPLIED] %s", orig, reply)},
				event{f.finish, fmt.Sprintf("[DESTROY] ipv4     2 tcp      6 %s %s [ASSURED] [USERSPACE] portid=%d", orig, reply, 2481400390)})
		} else {
			evs = append(evs, event{f.start, fmt.Sprintf("    [NEW] ipv4     2 udp      17 30 %s [UNREPLIED] %s", orig, reply)},
				event{f.finish, fmt.Sprintf("[DESTROY] ipv4     2 udp      17 %s %s [ASSURED] [USERSPACE] portid=%d", orig, reply, 2481400390)})
		}
	}
	slices.SortStableFunc(evs, func(a, b event) int { return a.at.Compare(b.at) })
	var b bytes.Buffer
	for _, e := range evs {
		fmt.Fprintf(&b, "[%d.%06d]\t%s\n", e.at.Unix(), e.at.Nanosecond()/1000, e.line)
	}
	return b.Bytes()
}

// dnsmasqCalls writes the DHCP subscribers' leases as the --dhcp-script
// of package dhcp writes dnsmasq's calls (dhcp.EncodeCall): add when a
// router takes its lease, del when it releases it.
func dnsmasqCalls(sessions map[string][]span) []byte {
	type call struct {
		at   time.Time
		line []byte
	}
	var calls []call
	for _, s := range sampleDHCPSubs {
		for _, sp := range sessions[s.ref] {
			expires := sp.from.Add(7 * 24 * time.Hour)
			env := []string{"DNSMASQ_INTERFACE=eth1", fmt.Sprintf("DNSMASQ_LEASE_EXPIRES=%d", expires.Unix())}
			calls = append(calls, call{sp.from, dhcp.EncodeCall(nil, []string{"add", s.mac, s.addr.String()}, env, sp.from)})
			if !sp.until.IsZero() {
				env := []string{"DNSMASQ_INTERFACE=eth1", fmt.Sprintf("DNSMASQ_LEASE_EXPIRES=%d", expires.Unix())}
				calls = append(calls, call{sp.until, dhcp.EncodeCall(nil, []string{"del", s.mac, s.addr.String()}, env, sp.until)})
			}
		}
	}
	slices.SortStableFunc(calls, func(a, b call) int { return a.at.Compare(b.at) })
	var b bytes.Buffer
	for _, c := range calls {
		b.Write(c.line)
	}
	return b.Bytes()
}

// The RADIUS capture's hosts: the BRAS sends its accounting to the RADIUS
// server's port 1813; the capture is of the server's interface, filtered
// on that port (the server's answers are not in it: the tap reads
// requests only).
var (
	sampleBRASMAC   = net.HardwareAddr{0x02, 0x00, 0x5e, 0x00, 0x0a, 0x01}
	sampleServerMAC = net.HardwareAddr{0x02, 0x00, 0x5e, 0x00, 0x0a, 0x02}
	sampleServer    = netip.MustParseAddr("192.0.2.2")
)

// radiusCapture writes the PPPoE subscribers' sessions as the
// Accounting-Requests (Start, Stop) their BRAS sent, captured as a pcap
// file of Ethernet frames.
func radiusCapture(sessions map[string][]span) ([]byte, error) {
	type req struct {
		at      time.Time
		sub     pppoeSub
		status  uint32
		session string
		sp      span
	}
	var reqs []req
	n := 0
	for _, s := range samplePPPoE {
		for _, sp := range sessions[s.ref] {
			n++
			id := fmt.Sprintf("%08x", 0x5e000000+n*7919)
			reqs = append(reqs, req{sp.from, s, 1, id, sp})
			if !sp.until.IsZero() {
				reqs = append(reqs, req{sp.until, s, 2, id, sp})
			}
		}
	}
	slices.SortStableFunc(reqs, func(a, b req) int { return a.at.Compare(b.at) })
	nas := netip.MustParsePrefix(sampleNAS).Addr()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return nil, err
	}
	for i, r := range reqs {
		p := &rad.Packet{Code: rad.CodeAccountingRequest, Identifier: byte(i), Secret: []byte(sampleRADIUSSecret)}
		p.Add(40, rad.NewInteger(r.status))            // Acct-Status-Type: Start, Stop
		p.Add(44, rad.Attribute(r.session))            // Acct-Session-Id
		p.Add(1, rad.Attribute(r.sub.user))            // User-Name
		p.Add(25, rad.Attribute(r.sub.ref))            // Class: the subscriber's reference, from the Access-Accept
		p.Add(4, nas.AsSlice())                        // NAS-IP-Address
		p.Add(32, rad.Attribute("bras-1"))             // NAS-Identifier
		p.Add(61, rad.NewInteger(15))                  // NAS-Port-Type: Ethernet (PPPoE)
		p.Add(8, r.sub.addr.AsSlice())                 // Framed-IP-Address
		p.Add(97, prefixAttr(r.sub.framed))            // Framed-IPv6-Prefix
		p.Add(123, prefixAttr(r.sub.delegated))        // Delegated-IPv6-Prefix
		p.Add(55, rad.NewInteger(uint32(r.at.Unix()))) // Event-Timestamp
		p.Add(41, rad.NewInteger(0))                   // Acct-Delay-Time
		if r.status == 2 {
			p.Add(46, rad.NewInteger(uint32(r.sp.until.Sub(r.sp.from)/time.Second)))      // Acct-Session-Time
			p.Add(42, rad.NewInteger(uint32(r.sp.until.Sub(r.sp.from)/time.Second)*911))  // Acct-Input-Octets
			p.Add(43, rad.NewInteger(uint32(r.sp.until.Sub(r.sp.from)/time.Second)*4099)) // Acct-Output-Octets
			p.Add(49, rad.NewInteger(2))                                                  // Acct-Terminate-Cause: Lost-Carrier
		}
		payload, err := p.Encode()
		if err != nil {
			return nil, err
		}
		frame, err := udpFrame(nas, sampleServer, uint16(50000+i%1000), 1813, payload)
		if err != nil {
			return nil, err
		}
		// Captured a few milliseconds after the NAS stamped it.
		at := r.at.Add(time.Duration(3+i%17) * time.Millisecond)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(frame), Length: len(frame)}, frame); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// prefixAttr is an IPv6 prefix as RADIUS carries it (RFC 3162 §2.3, RFC
// 4818 §3): a reserved octet, the length, the prefix's significant
// octets.
func prefixAttr(p netip.Prefix) []byte {
	a := p.Addr().As16()
	return append([]byte{0, byte(p.Bits())}, a[:(p.Bits()+7)/8]...)
}

// udpFrame is an Ethernet frame carrying a UDP datagram over IPv4, with
// its checksums.
func udpFrame(src, dst netip.Addr, sport, dport uint16, payload []byte) ([]byte, error) {
	eth := &layers.Ethernet{SrcMAC: sampleBRASMAC, DstMAC: sampleServerMAC, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src.AsSlice(), DstIP: dst.AsSlice(), Flags: layers.IPv4DontFragment}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		return nil, err
	}
	buf := gopacket.NewSerializeBuffer()
	err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, udp, gopacket.Payload(payload))
	return buf.Bytes(), err
}
