// Package capture provides intercept.CaptureSource implementations: File
// replays a pcap or pcapng capture (read with gopacket's pcapgo, which
// handles both formats, both byte orders and both timestamp resolutions).
//
// Packets reach the pipeline as layer-3 datagrams with their capture
// time: the link layer is removed here, Ethernet padding is dropped using
// the IP header's own length, and a datagram the capture cut short keeps
// its length on the wire so the pipeline can count it as truncated.
//
// Live capture from an interface (AF_PACKET TPACKET_V3 with a kernel BPF
// filter built from the active targets) is not written yet.
package capture
