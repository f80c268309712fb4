package capture

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ccjkit/ccjkit/intercept"
)

// ErrFormat: the input is not a pcap or pcapng file ccjkit can read.
var ErrFormat = errors.New("capture: unreadable capture file")

// BatchSize is how many packets File hands over at a time, at most.
const BatchSize = 64

const (
	// readBufferSize is File's read buffer: what a replay holds of the
	// file, whatever its size. Each read asks the kernel for some 170
	// 1500-octet frames, between two and three batches; and a pcap record
	// of any length libpcap writes (its maximum snap length, 256 KiB)
	// fits, so it is read in place.
	readBufferSize = pcapRecordHeader + pcapMaxCapture
	// pcapRecordHeader is the length of a pcap record's header.
	pcapRecordHeader = 16
	// pcapMaxCapture is libpcap's MAXIMUM_SNAPLEN: pcapgo, like tcpdump,
	// reads records up to that length even past a file's smaller snap
	// length, and none longer than the snap length beyond it.
	pcapMaxCapture = 262144
	// arenaSize is what a batch of copied packets takes before it is
	// handed over early: 64 packets of 2 KiB. A datagram longer than the
	// arena (an IPv6 jumbogram) grows it.
	arenaSize = BatchSize * 2048
)

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
//
// It streams the file through a read buffer of 256 KiB, so that a
// replay's memory does not grow with the file (see the package
// documentation).
type File struct {
	br       *bufio.Reader
	linkType layers.LinkType

	// A pcap file is read in place, in br: its records' byte order and
	// timestamp unit, the longest record taken, and a buffer for a record
	// longer than br's.
	inPlace    bool
	bigEndian  bool
	nanoFactor uint32
	maxCapture uint64
	large      bytes.Buffer

	// r reads the others, pcapng and compressed pcap, through pcapgo.
	r packetReader

	received, truncated, skipped atomic.Uint64
}

// NewFile reads the capture's header from r: a pcap file (any byte order,
// micro- or nanosecond timestamps, or compressed with gzip) or a pcapng
// file. r is read through File's own buffer, so it needs none.
func NewFile(r io.Reader) (*File, error) {
	br := bufio.NewReaderSize(r, readBufferSize)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	f := &File{br: br}
	if binary.BigEndian.Uint32(magic) == 0x0A0D0D0A {
		// With DefaultNgReaderOptions (libpcap's behaviour), NgReader
		// returns only the packets of interfaces of the first one's link
		// type, which is therefore every packet's.
		ng, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, fmt.Errorf("%w: pcapng: %w", ErrFormat, err)
		}
		f.r, f.linkType = ng, ng.LinkType()
		return f, nil
	}
	m := binary.LittleEndian.Uint32(magic) // as pcapgo reads it
	pr, err := pcapgo.NewReader(br)        // checks the rest of the header
	if err != nil {
		return nil, fmt.Errorf("%w: pcap: %w", ErrFormat, err)
	}
	f.linkType = pr.LinkType()
	switch m {
	case 0xA1B2C3D4, 0xD4C3B2A1: // microseconds, little- or big-endian
		f.inPlace, f.bigEndian, f.nanoFactor = true, m == 0xD4C3B2A1, 1000
	case 0xA1B23C4D, 0x4D3CB2A1: // nanoseconds
		f.inPlace, f.bigEndian, f.nanoFactor = true, m == 0x4D3CB2A1, 1
	default: // compressed, read through pcapgo's gzip reader
		f.r = pr
	}
	f.maxCapture = uint64(max(pr.Snaplen(), pcapMaxCapture))
	return f, nil
}

// Capture replays the file into deliver in batches of up to BatchSize
// packets and returns nil at its end, ctx's error when cancelled, or the
// error that stopped the reading (a file cut short, say) after delivering
// what came before it.
func (f *File) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	if f.inPlace {
		return f.captureInPlace(ctx, deliver)
	}
	return f.captureCopied(ctx, deliver)
}

// counts are a Capture's counters, added to File's (which Stats and
// Skipped read) once a batch rather than once a packet.
type counts struct{ received, truncated, skipped uint64 }

func (c *counts) packet(length, kept int) {
	c.received++
	if length > kept {
		c.truncated++
	}
}

func (f *File) publish(c *counts) {
	if c.received != 0 {
		f.received.Add(c.received)
	}
	if c.truncated != 0 {
		f.truncated.Add(c.truncated)
	}
	if c.skipped != 0 {
		f.skipped.Add(c.skipped)
	}
	*c = counts{}
}

// captureInPlace reads a pcap file's records where they lie in the read
// buffer: each packet's Data is a slice of it, copied nowhere. The buffer
// is refilled, which moves what it holds, only once the packets pointing
// into it are delivered, so a batch also ends where the buffer does.
func (f *File) captureInPlace(ctx context.Context, deliver func([]intercept.Packet)) error {
	batch := make([]intercept.Packet, BatchSize)
	k := 0 // packets in the batch
	var c counts
	fail := func(err error) error {
		f.handOver(deliver, batch[:k], &c)
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // the file ends inside a record
		}
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	// win is what the buffer holds past the records already read; the
	// buffer lets go of those when refilled.
	win := f.window()
	for n := 0; ; n++ {
		if n%BatchSize == 0 {
			if err := ctx.Err(); err != nil {
				f.handOver(deliver, batch[:k], &c)
				return err
			}
		}
		if len(win) < pcapRecordHeader {
			f.handOver(deliver, batch[:k], &c)
			k = 0
			var err error
			if win, err = f.refill(win, pcapRecordHeader); len(win) == 0 && errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return fail(err)
			}
		}
		var sec, frac, capLen, length uint32
		if f.bigEndian {
			sec, frac = binary.BigEndian.Uint32(win[0:]), binary.BigEndian.Uint32(win[4:])
			capLen, length = binary.BigEndian.Uint32(win[8:]), binary.BigEndian.Uint32(win[12:])
		} else {
			sec, frac = binary.LittleEndian.Uint32(win[0:]), binary.LittleEndian.Uint32(win[4:])
			capLen, length = binary.LittleEndian.Uint32(win[8:]), binary.LittleEndian.Uint32(win[12:])
		}
		if uint64(capLen) > f.maxCapture {
			return fail(fmt.Errorf("capture length exceeds snap length: %d > %d", capLen, f.maxCapture))
		}
		if capLen > length {
			return fail(fmt.Errorf("capture length exceeds original packet length: %d > %d", capLen, length))
		}
		var frame []byte
		apart := uint64(capLen) > uint64(f.br.Size()-pcapRecordHeader)
		size := pcapRecordHeader + int(capLen) // when not apart, fits any int
		switch {
		case apart:
			// Longer than the buffer (a snap length over 256 KiB): read
			// into f.large, which grows with what is read, so that a
			// corrupt length allocates no more than the file holds.
			f.handOver(deliver, batch[:k], &c)
			k = 0
			f.br.Discard(f.br.Buffered() - len(win) + pcapRecordHeader)
			f.large.Reset()
			if _, err := io.CopyN(&f.large, f.br, int64(capLen)); err != nil {
				return fail(err)
			}
			frame, win = f.large.Bytes(), f.window()
		case size > len(win):
			f.handOver(deliver, batch[:k], &c)
			k = 0
			var err error
			if win, err = f.refill(win, size); err != nil {
				return fail(err)
			}
			fallthrough
		default:
			frame, win = win[pcapRecordHeader:size:size], win[size:]
		}
		l3, wire, ok := datagram(f.linkType, frame, int(length))
		if !ok {
			c.skipped++
			continue
		}
		if wire > len(l3) {
			c.truncated++
		}
		// In 32 bits, as pcapgo computes it.
		batch[k] = intercept.Packet{Time: time.Unix(int64(sec), int64(frac*f.nanoFactor)).UTC(), Data: l3, Length: wire}
		k++
		if k == BatchSize || apart {
			f.handOver(deliver, batch[:k], &c)
			k = 0
		}
	}
}

// handOver delivers batch, unless it is empty, and adds it and c's counts
// to File's.
func (f *File) handOver(deliver func([]intercept.Packet), batch []intercept.Packet, c *counts) {
	if len(batch) > 0 {
		deliver(batch)
		c.received += uint64(len(batch))
	}
	f.publish(c)
}

// window returns what the read buffer holds, without reading.
func (f *File) window() []byte {
	b, _ := f.br.Peek(f.br.Buffered())
	return b
}

// refill is for when the read buffer's unread window win is shorter than
// need octets, and the packets pointing into the buffer have been handed
// over: it lets go of the records read, fills the buffer and returns the
// window, of at least need octets or with the error that left it short.
func (f *File) refill(win []byte, need int) ([]byte, error) {
	f.br.Discard(f.br.Buffered() - len(win)) // buffered: moves nothing
	if b, err := f.br.Peek(need); err != nil {
		return b, err
	}
	return f.window(), nil
}

// captureCopied reads pcapng and compressed pcap files through pcapgo,
// copying each datagram into an arena that the batch's packets share.
func (f *File) captureCopied(ctx context.Context, deliver func([]intercept.Packet)) error {
	batch := make([]intercept.Packet, 0, BatchSize)
	arena := make([]byte, 0, arenaSize)
	offs := make([][2]int, 0, BatchSize)
	var c counts
	flush := func() {
		if len(batch) > 0 {
			for i, o := range offs {
				batch[i].Data = arena[o[0]:o[1]:o[1]]
			}
			deliver(batch)
			batch, arena, offs = batch[:0], arena[:0], offs[:0]
		}
		f.publish(&c)
	}
	for n := 0; ; n++ {
		if n%BatchSize == 0 {
			if err := ctx.Err(); err != nil {
				flush()
				return err
			}
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
		l3, wire, ok := datagram(f.linkType, data, ci.Length)
		if !ok {
			c.skipped++
			continue
		}
		if len(batch) > 0 && len(arena)+len(l3) > cap(arena) {
			flush() // rather than grow the arena
		}
		start := len(arena)
		arena = append(arena, l3...)
		offs = append(offs, [2]int{start, len(arena)})
		batch = append(batch, intercept.Packet{Time: ci.Timestamp.UTC(), Length: wire})
		c.packet(wire, len(l3))
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

// datagram returns the IP datagram in a frame of link type lt that was
// wire octets long on the wire, and the datagram's own length on the
// wire, or false for a frame that carries none.
func datagram(lt layers.LinkType, frame []byte, wire int) (l3 []byte, length int, ok bool) {
	l3, cut, ok := network(lt, frame)
	if !ok || (l3[0]>>4 != 4 && l3[0]>>4 != 6) {
		return nil, 0, false
	}
	length = max(wire-cut, len(l3))
	if n, ok := ipLength(l3); ok {
		// The datagram's own length: it drops Ethernet padding, and
		// tells a truncated capture from a whole one.
		length = n
		l3 = l3[:min(n, len(l3))]
	}
	return l3[:len(l3):len(l3)], length, true
}

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
