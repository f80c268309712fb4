// Package capture provides intercept.CaptureSource implementations: File
// replays a pcap or pcapng capture (read with gopacket's pcapgo, which
// handles both formats, both byte orders and both timestamp resolutions).
//
// Packets reach the pipeline as layer-3 datagrams with their capture
// time: the link layer is removed here, Ethernet padding is dropped using
// the IP header's own length, and a datagram the capture cut short keeps
// its length on the wire so the pipeline can count it as truncated.
//
// Live (Linux) captures from an interface through an AF_PACKET socket
// with a TPACKET_V3 ring (gopacket's afpacket, pure Go, no libpcap). It is
// an intercept.TargetFilter: the pipeline hands it the targets' prefixes,
// and Filter compiles them into a classic BPF program (golang.org/x/net/bpf)
// that the kernel runs on every packet, so other subscribers' traffic
// never reaches the ring, nor this process. Packets carry the kernel's
// receive timestamps; the kernel's drop counter becomes
// CaptureStats.KernelDropped, which the pipeline reports against every
// task then active.
package capture
