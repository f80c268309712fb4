package handover_test

import (
	"fmt"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// A handover whose receiver is unreachable never blocks the caller: the
// queue takes records until it is full, then refuses them — each refusal
// a counted gap — and Close says what the receiver never confirmed.
func ExampleHandover_Deliver() {
	enc, _ := etsi.NewEncoder(itest.Profile(time.Minute, 5*time.Second))
	ho, err := handover.New(handover.Config{
		HI2: "127.0.0.1:1", HI3: "127.0.0.1:1", // nothing listens there
		Encoder: enc, Clock: timesynctest.NewClock(time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)),
		QueueBytes: 64 << 10, MinBackoff: time.Millisecond, DrainTimeout: 10 * time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	key := intercept.StreamKey{LIID: intercept.MustParseLIID("BE-2026-0042"), CIN: 5, Stream: intercept.CC}
	record := make([]byte, 1000)
	refused := 0
	for seq := range intercept.Seq(100) {
		if err := ho.Deliver(key, seq, record); err != nil {
			refused++
		}
	}
	fmt.Println("refused:", refused)
	fmt.Println("queued:", ho.Queued())
	fmt.Println(ho.Close())
	// Output:
	// refused: 35
	// queued: 65000
	// handover: records not confirmed by the receiver: HI3: 65000 bytes
}
