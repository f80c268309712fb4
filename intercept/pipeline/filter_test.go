package pipeline_test

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
)

// filteringSource is a capture source with a kernel filter: it records
// each filter it is given, and captures nothing until cancelled.
type filteringSource struct {
	mu      sync.Mutex
	filters [][]netip.Prefix
	started chan struct{}
}

func (s *filteringSource) SetTargets(p []netip.Prefix) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.filters = append(s.filters, p)
	return nil
}

func (s *filteringSource) last() []netip.Prefix {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filters[len(s.filters)-1]
}

func (s *filteringSource) Capture(ctx context.Context, _ func([]intercept.Packet)) error {
	close(s.started)
	<-ctx.Done()
	return ctx.Err()
}

func (s *filteringSource) Stats() intercept.CaptureStats { return intercept.CaptureStats{} }

// Run keeps a filtering source's filter equal to the table's prefixes: at
// start, when tasks change and when sessions give or take addresses.
func TestRunKeepsTheKernelFilterOnTheTargets(t *testing.T) {
	f := newFixture(t, "")
	f.clock.Set(t0)
	pfx := netip.MustParsePrefix
	if err := f.p.SetTasks([]intercept.Task{task(1, "LIID-A", t0, t0.Add(time.Hour), intercept.AddressTarget(pfx("192.0.2.10/32")))}); err != nil {
		t.Fatal(err)
	}
	src := &filteringSource{started: make(chan struct{})}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.p.Run(ctx, src) }()
	<-src.started
	if d := cmp.Diff([]netip.Prefix{pfx("192.0.2.10/32")}, src.last(), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
		t.Errorf("filter at start (-want +got):\n%s", d)
	}

	err := f.p.SetTasks([]intercept.Task{
		task(1, "LIID-A", t0, t0.Add(time.Hour), intercept.AddressTarget(pfx("192.0.2.10/32"))),
		task(2, "LIID-S", t0, t0.Add(time.Hour), intercept.UsernameTarget("alice@vpn")),
	})
	if err != nil {
		t.Fatal(err)
	}
	ev := intercept.AccessEvent{Type: intercept.SessionStart, Time: t0, SessionID: "s1", Username: "alice@vpn",
		Addresses: []netip.Prefix{pfx("198.51.100.7/32"), pfx("2001:db8:10::/56")}}
	if err := f.p.HandleEvent(ev); err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{pfx("192.0.2.10/32"), pfx("198.51.100.7/32"), pfx("2001:db8:10::/56")}
	if d := cmp.Diff(want, src.last(), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
		t.Errorf("filter with the session (-want +got):\n%s", d)
	}
	ev.Type, ev.Time = intercept.SessionEnd, t0.Add(time.Minute)
	if err := f.p.HandleEvent(ev); err != nil {
		t.Fatal(err)
	}
	if err := f.p.SetTasks(nil); err != nil {
		t.Fatal(err)
	}
	if got := src.last(); len(got) != 0 {
		t.Errorf("filter with no task: %v, want empty", got)
	}
	cancel()
	<-done
	n := len(src.filters)
	if err := f.p.SetTasks([]intercept.Task{task(3, "LIID-B", t0, t0.Add(time.Hour), intercept.AddressTarget(pfx("192.0.2.99/32")))}); err != nil {
		t.Fatal(err)
	}
	if len(src.filters) != n {
		t.Error("the filter was set after Run returned")
	}
}
