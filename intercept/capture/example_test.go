package capture_test

import (
	"bytes"
	"context"
	"fmt"

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
