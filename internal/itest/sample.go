package itest

import (
	"encoding/binary"
	"io"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// The sample capture's hosts: the target's two addresses, a peer of
// theirs, and two hosts nobody intercepts.
var (
	SampleTarget4 = netip.MustParseAddr("192.0.2.10")
	SampleTarget6 = netip.MustParseAddr("2001:db8:10::1")
	samplePeer4   = netip.MustParseAddr("203.0.113.5")
	samplePeer6   = netip.MustParseAddr("2001:db8:ffff::5")
	sampleOther4  = netip.MustParseAddr("198.51.100.7")
	sampleOther6  = netip.MustParseAddr("2001:db8:20::7")
)

// SampleStart is the first packet's time: 14:00 in Brussels on
// 23 November 2026.
var SampleStart = time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)

// SampleTargetPackets is how many of the sample's frames carry an IP
// datagram to or from the target.
const SampleTargetPackets = 40

// WriteSample writes the sample capture, a pcapng file of 100 Ethernet
// frames 10 ms apart from SampleStart: 40 datagrams to or from the target
// (IPv4 and IPv6, some tagged 802.1Q, some short enough to be padded), 50
// between other hosts, and 10 ARP frames. Its bytes are the same on every
// machine.
func WriteSample(w io.Writer) error {
	ng, err := pcapgo.NewNgWriterInterface(w, pcapgo.NgInterface{
		Name: "eth0", LinkType: layers.LinkTypeEthernet, SnapLength: 65535, TimestampResolution: 9,
	}, pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{
		Application: "ccjkit sample capture", Comment: "synthetic traffic; documentation addresses only",
	}})
	if err != nil {
		return err
	}
	for i := range 100 {
		var ip []byte
		vlan := false
		switch {
		case i%10 == 9:
			if err := writeFrame(ng, i, arp(), 0x0806, false); err != nil {
				return err
			}
			continue
		case i%5 == 0 || i%5 == 1:
			// to or from the target, alternating families and directions
			size := []int{28, 120, 576, 1400}[i%4]
			switch i % 4 {
			case 0:
				ip = Packet(SampleTarget4, samplePeer4, size, byte(i))
			case 1:
				ip = Packet(samplePeer6, SampleTarget6, size+40, byte(i))
			case 2:
				ip = Packet(samplePeer4, SampleTarget4, size, byte(i))
			default:
				ip = Packet(SampleTarget6, samplePeer6, size, byte(i))
			}
			vlan = i%3 == 0
		default:
			if i%2 == 0 {
				ip = Packet(sampleOther4, samplePeer4, 64+i, byte(i))
			} else {
				ip = Packet(sampleOther6, samplePeer6, 80+i, byte(i))
			}
		}
		et := uint16(0x0800)
		if ip[0]>>4 == 6 {
			et = 0x86DD
		}
		if err := writeFrame(ng, i, ip, et, vlan); err != nil {
			return err
		}
	}
	return ng.Flush()
}

func writeFrame(ng *pcapgo.NgWriter, i int, payload []byte, et uint16, vlan bool) error {
	f := []byte{0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2}
	if vlan {
		f = binary.BigEndian.AppendUint16(f, 0x8100)
		f = binary.BigEndian.AppendUint16(f, 42)
	}
	f = binary.BigEndian.AppendUint16(f, et)
	f = append(f, payload...)
	for len(f) < 60 {
		f = append(f, 0) // Ethernet's minimum frame, padded
	}
	at := SampleStart.Add(time.Duration(i) * 10 * time.Millisecond)
	return ng.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(f), Length: len(f)}, f)
}

func arp() []byte {
	b := []byte{0, 1, 8, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 10}
	return b
}
