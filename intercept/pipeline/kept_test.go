package pipeline_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// blockingSource delivers its packets one batch at a time, then waits for
// ctx: a capture still running.
type blockingSource struct {
	batches [][]intercept.Packet
	sent    chan struct{}
}

func (s *blockingSource) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	for _, b := range s.batches {
		deliver(b)
	}
	close(s.sent)
	<-ctx.Done()
	return ctx.Err()
}

func (s *blockingSource) Stats() intercept.CaptureStats { return intercept.CaptureStats{} }

// TestKeptNumberingAfterACrash: a stream whose encoder cannot announce a
// CIN reset (X2/X3) keeps its numbering across restarts. While it runs,
// the state file reserves numbers ahead of it (saved at its first record,
// and again half way through the reservation); a process killed without
// Close restarts past the reservation, so that whatever it numbered
// before the crash is behind the new numbers: what the crash lost shows
// as a gap at the receiver, never hidden by numbers used twice.
func TestKeptNumberingAfterACrash(t *testing.T) {
	state := filepath.Join(t.TempDir(), "seq.json")
	tk := task(9, "LIID-KEPT", t0, t0.Add(time.Hour), intercept.AddressTarget(netip.PrefixFrom(alice4, 32)))
	start := func() (*pipeline.Pipeline, *sink) {
		s := &sink{}
		p, err := pipeline.New(pipeline.Config{
			Agencies:  map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: plainEncoder{}, Handover: s}},
			Clock:     timesynctest.NewClock(t0),
			StatePath: state,
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.SetTasks([]intercept.Task{tk}); err != nil {
			t.Fatal(err)
		}
		return p, s
	}
	// The first run numbers 700 records (past half the reservation, so an
	// early save comes) and is "killed": no Close.
	p, _ := start()
	src := &blockingSource{sent: make(chan struct{})}
	for range 700 {
		src.batches = append(src.batches, []intercept.Packet{pkt(t0.Add(time.Minute), alice4, peer4)})
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, src) }()
	<-src.sent
	// The saves asked for while it numbered (at the first record, and
	// half way through each reservation) leave a mark past the 700.
	itest.WaitFor(t, "a reservation past the 700 records", func() bool {
		b, err := os.ReadFile(state)
		if err != nil {
			return false
		}
		var f struct{ Streams []struct{ Next uint32 } }
		return json.Unmarshal(b, &f) == nil && len(f.Streams) == 1 && f.Streams[0].Next >= 700
	})
	cancel()
	<-done

	// The restart after the crash: the next number is the reservation,
	// beyond the 700 used; after a clean Close the next run continues
	// exactly where it stopped.
	p, s := start()
	p.Process([]intercept.Packet{pkt(t0.Add(time.Minute), alice4, peer4)})
	first := s.got[0].seq
	if first < 700 || first > 700+1024 {
		t.Fatalf("after the crash the stream continues at %d, want past 700 and within a reservation of 1024", first)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	p, s = start()
	p.Process([]intercept.Packet{pkt(t0.Add(time.Minute), alice4, peer4)})
	if s.got[0].seq != first+1 {
		t.Fatalf("after a clean stop the stream continues at %d, want %d", s.got[0].seq, first+1)
	}
	p.Close()
}

// A kept stream's first reservation is durable before its first record
// is handed over, without Run: a crash right after the first record
// cannot number the stream from the start again, nor a second crash
// after a restart reuse what the first restart numbered.
func TestKeptFirstReservationBeforeFirstRecord(t *testing.T) {
	state := filepath.Join(t.TempDir(), "seq.json")
	tk := task(9, "LIID-KEPT", t0, t0.Add(time.Hour), intercept.AddressTarget(netip.PrefixFrom(alice4, 32)))
	mark := func() uint32 {
		t.Helper()
		var f struct{ Streams []struct{ Next uint32 } }
		b, err := os.ReadFile(state)
		if err != nil || json.Unmarshal(b, &f) != nil || len(f.Streams) != 1 {
			t.Fatalf("the state file: %v %s", err, b)
		}
		return f.Streams[0].Next
	}
	run := func() uint32 {
		s := &sink{}
		p, err := pipeline.New(pipeline.Config{Agencies: map[string]pipeline.Agency{"NTSU-CTIF": {Encoder: plainEncoder{}, Handover: s}},
			Clock: timesynctest.NewClock(t0), StatePath: state})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.SetTasks([]intercept.Task{tk}); err != nil {
			t.Fatal(err)
		}
		p.Process([]intercept.Packet{pkt(t0.Add(time.Minute), alice4, peer4)})
		if len(s.got) != 1 {
			t.Fatalf("%d records", len(s.got))
		}
		return uint32(s.got[0].seq) // "killed": no Close, no Run
	}
	first := run()
	if m := mark(); m <= first {
		t.Fatalf("after the first record (%d) the state reserves up to %d", first, m)
	}
	second := run()
	if second <= first {
		t.Fatalf("after a crash the stream numbers %d again (first run %d)", second, first)
	}
	if third := run(); third <= second {
		t.Fatalf("after a second crash the stream numbers %d again (second run %d)", third, second)
	}
}
