package capture_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"

	"golang.org/x/net/bpf"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync"
)

// Replay a capture file (here the sample: synthetic traffic from 14:00 in
// Brussels on 23 November 2026) and look at what a pipeline would get.
func ExampleFile() {
	var pcapng bytes.Buffer
	if err := itest.WriteSample(&pcapng); err != nil {
		fmt.Println(err)
		return
	}
	f, err := capture.NewFile(&pcapng)
	if err != nil {
		fmt.Println(err)
		return
	}
	first := true
	err = f.Capture(context.Background(), func(batch []intercept.Packet) {
		if first {
			p := batch[0]
			fmt.Printf("first: %s, IPv%d, %d bytes\n", p.Time.In(timesync.Brussels()).Format("15:04:05.000"), p.Data[0]>>4, len(p.Data))
			first = false
		}
	})
	fmt.Println("error:", err)
	fmt.Printf("%d datagrams, %d frames without IP\n", f.Stats().Received, f.Skipped())
	// Output:
	// first: 14:00:00.000, IPv4, 28 bytes
	// error: <nil>
	// 90 datagrams, 10 frames without IP
}

// Compile the kernel filter for one subscriber's addresses and try it, in
// x/net/bpf's interpreter, on two packets.
func ExampleFilter() {
	prog, err := capture.Filter([]netip.Prefix{
		netip.MustParsePrefix("192.0.2.10/32"),
		netip.MustParsePrefix("2001:db8:10::/56"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	vm, err := bpf.NewVM(prog)
	if err != nil {
		fmt.Println(err)
		return
	}
	a := netip.MustParseAddr
	for _, pkt := range [][]byte{
		itest.Packet(a("2001:db8:10:5::1"), a("2001:db8:ffff::1"), 80, 0),
		itest.Packet(a("192.0.2.11"), a("198.51.100.1"), 60, 0),
	} {
		n, _ := vm.Run(pkt)
		fmt.Printf("%d instructions; a %d-octet packet: accepted %v\n", len(prog), len(pkt), n > 0)
	}
	// Output:
	// 27 instructions; a 80-octet packet: accepted true
	// 27 instructions; a 60-octet packet: accepted false
}
