// Package capture provides intercept.CaptureSource implementations: File
// replays a pcap or pcapng capture (either byte order, either timestamp
// resolution; headers, pcapng and compressed pcap read with gopacket's
// pcapgo).
//
// Packets reach the pipeline as layer-3 datagrams with their capture
// time: the link layer is removed here, Ethernet padding is dropped using
// the IP header's own length, and a datagram the capture cut short keeps
// its length on the wire so the pipeline can count it as truncated.
//
// File streams, so a replay's memory does not grow with the file. It
// reads through a buffer of 256 KiB, which holds a record of libpcap's
// largest snap length: in chunks that size a file in the page cache reads
// markedly faster than in 64 KiB ones (BenchmarkFileCapture's read256-MB/s
// against its read-MB/s). It hands packets over in batches of BatchSize,
// 64: enough that the work done once a batch (the deliver call, the
// pipeline's, the counters' atomic additions) is spread thin, few enough
// that a batch of 1500-octet packets (96 KiB) is still in the processor's
// cache when the pipeline matches it. A pcap file's packets are handed
// over where they lie in the read buffer, copied nowhere; the buffer is
// refilled only once the batch pointing into it is delivered, so a batch
// also ends where the buffer does. A pcapng file's, and a compressed pcap
// file's (pcapgo reads both), are copied into an arena of 128 KiB that
// the batch shares, handed over early rather than grown. What a replay
// holds is therefore the read buffer and one batch with its arena — under
// 1 MiB with pcapgo's own buffers — whatever the file's size; only a
// record longer than the read buffer (a snap length over 256 KiB) is held
// apart, as long as it is.
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
