package capture

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ccjkit/ccjkit/intercept"
)

// ErrFormat: the input is not a pcap or pcapng file ccjkit can read.
var ErrFormat = errors.New("capture: unreadable capture file")

// BatchSize is how many packets File hands over at a time.
const BatchSize = 64

type packetReader interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// File replays a pcap or pcapng capture as an intercept.CaptureSource,
// as fast as it reads, keeping each packet's recorded time (it becomes the
// CC record's timestamp and is judged against the tasks' windows). It
// removes the link layer — Ethernet with its 802.1Q and 802.1ad tags,
// Linux cooked capture (SLL), BSD loopback, or none (raw IP) — and skips
// frames that carry no IP datagram (ARP, say), counting them in
// Stats().Skipped.
type File struct {
	r        packetReader
	ng       *pcapgo.NgReader
	linkType layers.LinkType

	received, truncated, skipped atomic.Uint64
}

// NewFile reads the capture's header from r: a pcap file (any byte order,
// micro- or nanosecond timestamps) or a pcapng file.
func NewFile(r io.Reader) (*File, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	f := &File{}
	if binary.BigEndian.Uint32(magic) == 0x0A0D0D0A {
		ng, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, fmt.Errorf("%w: pcapng: %w", ErrFormat, err)
		}
		f.r, f.ng, f.linkType = ng, ng, ng.LinkType()
		return f, nil
	}
	pr, err := pcapgo.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("%w: pcap: %w", ErrFormat, err)
	}
	f.r, f.linkType = pr, pr.LinkType()
	return f, nil
}

// Capture replays the file into deliver in batches of up to BatchSize
// packets and returns nil at its end, ctx's error when cancelled, or the
// error that stopped the reading (a file cut short, say) after delivering
// what came before it.
func (f *File) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	batch := make([]intercept.Packet, 0, BatchSize)
	arena := make([]byte, 0, BatchSize*2048)
	offs := make([][2]int, 0, BatchSize)
	flush := func() {
		if len(offs) == 0 {
			return
		}
		for i, o := range offs {
			batch[i].Data = arena[o[0]:o[1]:o[1]]
		}
		deliver(batch)
		batch, arena, offs = batch[:0], arena[:0], offs[:0]
	}
	for {
		if err := ctx.Err(); err != nil {
			flush()
			return err
		}
		data, ci, err := f.r.ZeroCopyReadPacketData()
		if errors.Is(err, io.EOF) {
			flush()
			return nil
		}
		if err != nil {
			flush()
			return fmt.Errorf("%w: %w", ErrFormat, err)
		}
		lt := f.linkType
		if f.ng != nil {
			if intf, err := f.ng.Interface(ci.InterfaceIndex); err == nil {
				lt = intf.LinkType
			}
		}
		l3, cut, ok := network(lt, data)
		if !ok || (l3[0]>>4 != 4 && l3[0]>>4 != 6) {
			f.skipped.Add(1)
			continue
		}
		length := max(ci.Length-cut, len(l3))
		if n, ok := ipLength(l3); ok {
			// The datagram's own length: it drops Ethernet padding, and
			// tells a truncated capture from a whole one.
			length = n
			l3 = l3[:min(n, len(l3))]
		}
		start := len(arena)
		arena = append(arena, l3...)
		offs = append(offs, [2]int{start, len(arena)})
		batch = append(batch, intercept.Packet{Time: ci.Timestamp.UTC(), Length: length})
		f.received.Add(1)
		if length > len(l3) {
			f.truncated.Add(1)
		}
		if len(batch) == BatchSize {
			flush()
		}
	}
}

// Stats returns the counters so far. A file has no kernel drops.
func (f *File) Stats() intercept.CaptureStats {
	return intercept.CaptureStats{Received: f.received.Load(), Truncated: f.truncated.Load()}
}

// Skipped counts the frames that carried no IP datagram.
func (f *File) Skipped() uint64 { return f.skipped.Load() }

// network returns the IP datagram in a frame of link type lt, how many
// link-layer octets were removed, and whether there is one.
func network(lt layers.LinkType, b []byte) ([]byte, int, bool) {
	switch lt {
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12: // 12: raw IP on OpenBSD
		return b, 0, len(b) > 0 && (b[0]>>4 == 4 || b[0]>>4 == 6)
	case layers.LinkTypeEthernet:
		return ethernet(b)
	case layers.LinkTypeLinuxSLL:
		if len(b) < 16 {
			return nil, 0, false
		}
		return etherType(binary.BigEndian.Uint16(b[14:16]), b[16:], 16)
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		if len(b) < 4 {
			return nil, 0, false
		}
		// The address family, in the capturing host's byte order (Null)
		// or big-endian (Loop): 2 is IPv4; 24, 28 and 30 are IPv6.
		fam := binary.LittleEndian.Uint32(b)
		if fam > 0xFFFF {
			fam = binary.BigEndian.Uint32(b)
		}
		switch fam {
		case 2, 24, 28, 30:
			return b[4:], 4, len(b) > 4
		}
		return nil, 0, false
	}
	return nil, 0, false
}

func ethernet(b []byte) ([]byte, int, bool) {
	if len(b) < 14 {
		return nil, 0, false
	}
	off := 12
	et := binary.BigEndian.Uint16(b[off:])
	for i := 0; i < 2 && (et == 0x8100 || et == 0x88A8); i++ { // 802.1Q, 802.1ad (QinQ)
		off += 4
		if len(b) < off+2 {
			return nil, 0, false
		}
		et = binary.BigEndian.Uint16(b[off:])
	}
	return etherType(et, b[off+2:], off+2)
}

func etherType(et uint16, rest []byte, cut int) ([]byte, int, bool) {
	switch et {
	case 0x0800, 0x86DD:
		return rest, cut, len(rest) > 0
	}
	return nil, 0, false
}

// ipLength returns the length an IPv4 or IPv6 header gives its datagram.
func ipLength(b []byte) (int, bool) {
	switch {
	case len(b) >= 20 && b[0]>>4 == 4:
		n := int(binary.BigEndian.Uint16(b[2:4]))
		return n, n >= 20
	case len(b) >= 40 && b[0]>>4 == 6:
		n := int(binary.BigEndian.Uint16(b[4:6]))
		return n + 40, n > 0 // 0: a jumbogram, whose length is elsewhere
	}
	return 0, false
}
