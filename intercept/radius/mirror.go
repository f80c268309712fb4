package radius

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept"
)

// Mirror is a passive RADIUS accounting tap and an
// intercept.SessionSource: it reads the Accounting-Requests in captured
// traffic — a mirror port, a copy of the RADIUS server's interface, a
// capture file — and turns each Start, Interim-Update and Stop into an
// access event, with the packet's capture time as its arrival. It never
// answers: the RADIUS server does. Only Accounting-Requests are read (the
// server's answers are left alone, whatever their ports), and the sender
// of a request from no configured client is not logged: on a BRAS's
// uplink it may be a subscriber. Retransmissions are recognised as a
// Server recognises them, and a NAS's Accounting-On or -Off ends its
// sessions as a Server does.
//
// The capture should reach the RADIUS server's accounting port before
// anything else drops packets; what the capture loses (the source's
// KernelDropped) is lost here too, and so are requests cut short by the
// capture (Stats.Truncated) or fragmented in IP (Stats.Fragments; a
// fragmented request is over the path's MTU, rare for accounting). Both
// are counted.
type Mirror struct {
	src   intercept.CaptureSource
	t     *tap
	ports []uint16
}

// NewMirror makes a tap reading src. Every problem with cfg is reported at
// once. A client without a secret is read unverified, and only when
// cfg.Options.SkipVerify is set: anyone who can put a packet on the
// tapped link could then forge events.
func NewMirror(src intercept.CaptureSource, cfg Config) (*Mirror, error) {
	var probs []error
	if src == nil {
		probs = append(probs, fmt.Errorf("%w: no capture source", ErrConfig))
	}
	t, err := newTap(cfg, false)
	if err != nil {
		probs = append(probs, err)
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	ports := slices.Clone(cfg.Ports)
	if len(ports) == 0 {
		ports = []uint16{1813, 1646}
	}
	return &Mirror{src: src, t: t, ports: ports}, nil
}

// fragment counts the first fragment of a UDP datagram to an accounting
// port (only the first holds the UDP header).
func (m *Mirror) fragment(udpHeader []byte) {
	if len(udpHeader) >= 9 && udpHeader[8] == byte(rad.CodeAccountingRequest) && slices.Contains(m.ports, binary.BigEndian.Uint16(udpHeader[2:])) {
		m.t.count(func(st *Stats) { st.Received++; st.Fragments++ })
	}
}

// Stats returns the counters so far; safe to call concurrently.
func (m *Mirror) Stats() Stats { return m.t.snapshot() }

// Sessions runs the capture source and delivers the events of the
// requests it finds, in capture order; it returns what the source's
// Capture returns. Call it, or Tee's Capture, once.
func (m *Mirror) Sessions(ctx context.Context, deliver func(intercept.AccessEvent)) error {
	r := m.reader()
	return m.src.Capture(ctx, func(batch []intercept.Packet) { r.read(batch, deliver, nil) })
}

// Tee returns a capture source for the pipeline that first shows each of
// the Mirror's source's batches to the Mirror, which delivers the events
// it finds, then passes the batch on: one capture — a mirror of a BRAS's
// uplink, a capture file — serving both the sessions and the packets, in
// capture order, so that a session's start is known before its first
// packet is matched. Run the pipeline on it (deliver is typically a call
// to the pipeline's HandleEvent) instead of calling Sessions.
//
// The source Tee returns is not an intercept.TargetFilter even when the
// Mirror's source is: a kernel filter on the targets' addresses would
// keep the RADIUS requests out.
func (m *Mirror) Tee(deliver func(intercept.AccessEvent)) intercept.CaptureSource {
	return tee{m, deliver}
}

type tee struct {
	m       *Mirror
	deliver func(intercept.AccessEvent)
}

func (t tee) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	r := t.m.reader()
	return t.m.src.Capture(ctx, func(batch []intercept.Packet) {
		// The packets before a request go on before its events: a batch
		// is cut at each request.
		last := 0
		r.read(batch, t.deliver, func(i int) {
			if i > last {
				deliver(batch[last:i])
				last = i
			}
		})
		if last < len(batch) {
			deliver(batch[last:])
		}
	})
}

func (t tee) Stats() intercept.CaptureStats { return t.m.src.Stats() }

// packetReader holds the decoders of one capture's goroutine.
type packetReader struct {
	m    *Mirror
	ip4  layers.IPv4
	ip6  layers.IPv6
	ext  layers.IPv6ExtensionSkipper
	udp  layers.UDP
	pay  gopacket.Payload
	seen []gopacket.LayerType
	p4   *gopacket.DecodingLayerParser
	p6   *gopacket.DecodingLayerParser
}

func (m *Mirror) reader() *packetReader {
	r := &packetReader{m: m, seen: make([]gopacket.LayerType, 0, 4)}
	r.p4 = gopacket.NewDecodingLayerParser(layers.LayerTypeIPv4, &r.ip4, &r.udp, &r.pay)
	r.p6 = gopacket.NewDecodingLayerParser(layers.LayerTypeIPv6, &r.ip6, &r.ext, &r.udp, &r.pay)
	r.p4.IgnoreUnsupported, r.p6.IgnoreUnsupported = true, true
	return r
}

// read finds the accounting requests in a batch and hands them to the
// tap; before each, it calls before (when not nil) with its index.
func (r *packetReader) read(batch []intercept.Packet, deliver func(intercept.AccessEvent), before func(int)) {
	m := r.m
	accept := func(ev intercept.AccessEvent) error { deliver(ev); return nil }
	ip4, ip6, ext, udp := &r.ip4, &r.ip6, &r.ext, &r.udp
	p4, p6 := r.p4, r.p6
	for i := range batch {
		pk := &batch[i]
		if len(pk.Data) == 0 {
			continue
		}
		var (
			src netip.Addr
			err error
		)
		r.seen = r.seen[:0]
		switch pk.Data[0] >> 4 {
		case 4:
			err = p4.DecodeLayers(pk.Data, &r.seen)
			if err == nil && len(r.seen) > 0 && r.seen[0] == layers.LayerTypeIPv4 {
				src, _ = netip.AddrFromSlice(ip4.SrcIP.To4())
				if ip4.Flags&layers.IPv4MoreFragments != 0 || ip4.FragOffset != 0 {
					if ip4.Protocol == layers.IPProtocolUDP && ip4.FragOffset == 0 {
						m.fragment(ip4.Payload)
					}
					continue
				}
			}
		case 6:
			err = p6.DecodeLayers(pk.Data, &r.seen)
			if err == nil && len(r.seen) > 0 && r.seen[0] == layers.LayerTypeIPv6 {
				src, _ = netip.AddrFromSlice(ip6.SrcIP.To16())
				if slices.Contains(r.seen, layers.LayerTypeIPv6Fragment) {
					// The skipper stopped after the fragment header
					// when it was the last extension: the offset and
					// the more-fragments flag are in its third and
					// fourth octets. An atomic fragment (offset 0, no
					// more) is a whole datagram (RFC 8200 §4.5).
					h := ext.Contents
					if len(h) < 4 || ext.NextHeader != layers.IPProtocolUDP {
						continue
					}
					if f := binary.BigEndian.Uint16(h[2:]); f>>3 != 0 || f&1 != 0 {
						if f>>3 == 0 {
							m.fragment(ext.Payload)
						}
						continue
					}
				}
			}
		default:
			continue
		}
		if err != nil || !slices.Contains(r.seen, layers.LayerTypeUDP) || !slices.Contains(m.ports, uint16(udp.DstPort)) {
			continue
		}
		payload := udp.Payload
		if n := int(udp.Length) - 8; n >= 0 && n < len(payload) {
			payload = payload[:n]
		}
		if len(payload) == 0 || payload[0] != byte(rad.CodeAccountingRequest) {
			// An answer to a NAS whose own port is an accounting port,
			// or something else: not a request.
			continue
		}
		if pk.Truncated() || int(udp.Length) > 8+len(udp.Payload) {
			m.t.count(func(st *Stats) { st.Received++; st.Truncated++ })
			continue
		}
		if before != nil {
			before(i)
		}
		m.t.handle(payload, netip.AddrPortFrom(src.Unmap(), uint16(udp.SrcPort)), pk.Time, accept, false)
	}
}
