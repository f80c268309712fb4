package itest

import (
	"encoding/binary"
	"io"
	"net/netip"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	rad "layeh.com/radius"
)

// The RADIUS sample: a subscriber named in an order, rather than an
// address. Her NAS reports her session to the RADIUS server on the
// captured link.
const (
	// SampleUser is the subscriber's User-Name.
	SampleUser = "alice@example.net"
	// SampleRADIUSSecret is the sample's shared secret (a rehearsal's,
	// printed in the documentation: never use it for real).
	SampleRADIUSSecret = "ccjkit-rehearsal"
	// SampleRADIUSUserPackets is how many of the sample's datagrams are
	// hers while her session lasts.
	SampleRADIUSUserPackets = 10
)

var (
	sampleNAS    = netip.MustParseAddrPort("192.0.2.1:40001")
	sampleRADIUS = netip.MustParseAddrPort("192.0.2.53:1813")
)

// WriteRadiusSample writes the RADIUS sample capture, a pcapng file of 30
// Ethernet frames 10 ms apart from SampleStart:
//
//   - frame 0: the NAS's Accounting-Request Start for SampleUser, holding
//     SampleTarget4 and the IPv6 prefix of SampleTarget6, on a Virtual
//     port (a VPN, as Neutrinet's subscribers connect); frame 1 the
//     server's Accounting-Response;
//   - frames 2 to 21: every other one to or from her (10 datagrams), the
//     others between hosts nobody intercepts;
//   - frame 22: an Interim-Update with her octet counts; frame 23 the
//     Stop, her session over;
//   - frames 24 to 29: datagrams from her former address, which is
//     nobody's now.
//
// Its bytes are the same on every machine.
func WriteRadiusSample(w io.Writer) error {
	ng, err := pcapgo.NewNgWriterInterface(w, pcapgo.NgInterface{
		Name: "eth0", LinkType: layers.LinkTypeEthernet, SnapLength: 65535, TimestampResolution: 9,
	}, pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{
		Application: "ccjkit sample capture with RADIUS accounting", Comment: "synthetic traffic; documentation addresses only",
	}})
	if err != nil {
		return err
	}
	start, err := accounting(1, 1, 0, 0)
	if err != nil {
		return err
	}
	resp, err := (&rad.Packet{Code: rad.CodeAccountingResponse, Identifier: 1, Secret: []byte(SampleRADIUSSecret), Authenticator: [16]byte(start[4:20])}).Encode()
	if err != nil {
		return err
	}
	for i := range 30 {
		var ip []byte
		switch {
		case i == 0:
			ip = udpPacket(sampleNAS, sampleRADIUS, start)
		case i == 1:
			ip = udpPacket(sampleRADIUS, sampleNAS, resp)
		case i == 22 || i == 23:
			status := uint32(3) // Interim-Update, then Stop
			if i == 23 {
				status = 2
			}
			b, err := accounting(byte(i), status, 5000, 70000)
			if err != nil {
				return err
			}
			ip = udpPacket(sampleNAS, sampleRADIUS, b)
		case i < 22 && i%2 == 0:
			if i%4 == 0 {
				ip = Packet(SampleTarget4, samplePeer4, 100+i, byte(i))
			} else {
				ip = Packet(samplePeer6, SampleTarget6, 120+i, byte(i))
			}
		case i < 22:
			ip = Packet(sampleOther4, samplePeer4, 64+i, byte(i))
		default:
			ip = Packet(SampleTarget4, samplePeer4, 90+i, byte(i))
		}
		et := uint16(0x0800)
		if ip[0]>>4 == 6 {
			et = 0x86DD
		}
		if err := writeFrame(ng, i, ip, et, false); err != nil {
			return err
		}
	}
	return ng.Flush()
}

// accounting encodes one of the sample's Accounting-Requests.
func accounting(id byte, status uint32, in, out uint32) ([]byte, error) {
	p := &rad.Packet{Code: rad.CodeAccountingRequest, Identifier: id, Secret: []byte(SampleRADIUSSecret)}
	p.Add(40, rad.NewInteger(status))    // Acct-Status-Type
	p.Add(44, rad.Attribute("5f00a1"))   // Acct-Session-Id
	p.Add(1, rad.Attribute(SampleUser))  // User-Name
	p.Add(4, sampleNAS.Addr().AsSlice()) // NAS-IP-Address
	p.Add(32, rad.Attribute("vpn-1"))    // NAS-Identifier
	p.Add(61, rad.NewInteger(5))         // NAS-Port-Type = Virtual
	p.Add(8, SampleTarget4.AsSlice())    // Framed-IP-Address
	v6 := SampleTarget6.As16()
	p.Add(97, append([]byte{0, 64}, v6[:8]...)) // Framed-IPv6-Prefix, the /64
	if status != 1 {
		p.Add(42, rad.NewInteger(in))
		p.Add(43, rad.NewInteger(out))
	}
	p.Add(41, rad.NewInteger(0)) // Acct-Delay-Time
	return p.Encode()
}

// udpPacket is an IPv4 datagram carrying payload from src to dst, with its
// IPv4 checksum (the UDP checksum is left out, as IPv4 allows).
func udpPacket(src, dst netip.AddrPort, payload []byte) []byte {
	b := Packet(src.Addr(), dst.Addr(), 28+len(payload), 0)
	binary.BigEndian.PutUint16(b[20:], src.Port())
	binary.BigEndian.PutUint16(b[22:], dst.Port())
	binary.BigEndian.PutUint16(b[24:], uint16(8+len(payload)))
	copy(b[28:], payload)
	return b
}
