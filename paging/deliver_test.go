package paging_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// TestDeliverFailover shows the order of channels, the retries with
// their waits on the fake clock, and the move to the next channel when
// one stays down or refuses for good.
func TestDeliverFailover(t *testing.T) {
	down := func(f paging.Failure) func(ccj.Channel, int) error {
		return func(ccj.Channel, int) error { return &paging.SendError{Service: "test", Failure: f} }
	}
	alice := member("alice",
		ccj.Channel{Kind: ccj.Email, Value: "alice@example.be"},
		ccj.Channel{Kind: ccj.Ntfy, Value: "https://ntfy.example.be/a"},
		ccj.Channel{Kind: ccj.Signal, Value: "alice.42"},
		ccj.Channel{Kind: ccj.Phone, Value: "+32470000001"},
		ccj.Channel{Kind: ccj.Matrix, Value: "@alice:example.be"},
	).Contact()
	t0 := at("2026-11-02 10:00:00")
	tests := []struct {
		name  string
		fail  map[ccj.ChannelKind]func(ccj.Channel, int) error
		want  []string // kind route attempt at failure
		waits []time.Duration
		err   error
	}{
		{name: "the first channel takes it", want: []string{"ntfy 0 1 10:00:00 none"}},
		{name: "ntfy down (server errors): three attempts, then Signal has no sender, then the phone",
			fail: map[ccj.ChannelKind]func(ccj.Channel, int) error{ccj.Ntfy: down(paging.ServerError)},
			want: []string{"ntfy 0 1 10:00:00 server-error", "ntfy 0 2 10:00:05 server-error", "ntfy 0 3 10:00:15 server-error",
				"signal 1 0 10:00:15 no-sender", "phone 2 1 10:00:15 none"},
			waits: []time.Duration{5 * time.Second, 10 * time.Second}},
		{name: "ntfy refuses for good: no retry",
			fail: map[ccj.ChannelKind]func(ccj.Channel, int) error{ccj.Ntfy: down(paging.Rejected)},
			want: []string{"ntfy 0 1 10:00:00 rejected", "signal 1 0 10:00:00 no-sender", "phone 2 1 10:00:00 none"}},
		{name: "the phone recovers on the second attempt",
			fail: map[ccj.ChannelKind]func(ccj.Channel, int) error{ccj.Ntfy: down(paging.Misconfigured), ccj.Phone: func(_ ccj.Channel, n int) error {
				if n == 1 {
					return errors.New("dial tcp: connection reset by peer") // not a SendError: unreachable
				}
				return nil
			}},
			want:  []string{"ntfy 0 1 10:00:00 misconfigured", "signal 1 0 10:00:00 no-sender", "phone 2 1 10:00:00 unreachable", "phone 2 2 10:00:05 none"},
			waits: []time.Duration{5 * time.Second}},
		{name: "everything down: e-mail last, then undelivered",
			fail: map[ccj.ChannelKind]func(ccj.Channel, int) error{ccj.Ntfy: down(paging.Rejected), ccj.Phone: down(paging.Rejected),
				ccj.Matrix: down(paging.Timeout), ccj.Email: down(paging.Rejected)},
			want: []string{"ntfy 0 1 10:00:00 rejected", "signal 1 0 10:00:00 no-sender", "phone 2 1 10:00:00 rejected",
				"matrix 3 1 10:00:00 timeout", "matrix 3 2 10:00:05 timeout", "matrix 3 3 10:00:15 timeout", "email 4 1 10:00:15 rejected"},
			waits: []time.Duration{5 * time.Second, 10 * time.Second}, err: paging.ErrUndelivered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := timesynctest.NewClock(t0)
			sleep := &fakeSleep{clock: clock}
			senders := map[ccj.ChannelKind]paging.Sender{}
			for _, k := range []ccj.ChannelKind{ccj.Ntfy, ccj.Phone, ccj.Matrix, ccj.Email} {
				senders[k] = &recorder{clock: clock, fail: tt.fail[k]}
			}
			d := paging.Dispatcher{Senders: senders, Clock: clock, Sleep: sleep.Sleep} // the default retry
			attempts, err := d.Deliver(context.Background(), alice, testPage(t, paging.NewRequest, language.English))
			var got []string
			for _, a := range attempts {
				got = append(got, fmt.Sprintf("%s %d %d %s %s", a.Channel, a.Route, a.Number, a.At.In(timesync.Brussels()).Format("15:04:05"), a.Failure))
				if a.Member != "alice" || a.Sent != (a.Failure == paging.NoFailure) {
					t.Errorf("%+v", a)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("attempts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.waits, sleep.waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("error %v, want %v", err, tt.err)
			}
		})
	}
}

// The route is the paging channels in the member's order, e-mail last.
func TestRoute(t *testing.T) {
	c := member("alice", ccj.Channel{Kind: ccj.Email, Value: "a@example.be"}, ccj.Channel{Kind: ccj.Other, Value: "pager"},
		ccj.Channel{Kind: ccj.Webhook, Value: "https://h.example.be/a"}, ccj.Channel{Kind: ccj.Phone, Value: "+32470000001"}).Contact()
	want := []ccj.Channel{{Kind: ccj.Webhook, Value: "https://h.example.be/a"}, {Kind: ccj.Phone, Value: "+32470000001"}, {Kind: ccj.Email, Value: "a@example.be"}}
	if diff := cmp.Diff(want, paging.Route(c)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The caller's context ends: during a wait, during an attempt.
func TestDeliverCanceled(t *testing.T) {
	alice := member("alice", ccj.Channel{Kind: ccj.Phone, Value: "+32470000001"}, ccj.Channel{Kind: ccj.Email, Value: "a@example.be"}).Contact()
	page := testPage(t, paging.NewRequest, language.English)
	t.Run("during a wait", func(t *testing.T) {
		clock := timesynctest.NewClock(page.Received)
		ctx, cancel := context.WithCancel(context.Background())
		rec := &recorder{clock: clock, fail: func(ccj.Channel, int) error { return &paging.SendError{Failure: paging.ServerError} }}
		d := paging.Dispatcher{Senders: map[ccj.ChannelKind]paging.Sender{ccj.Phone: rec, ccj.Email: rec}, Clock: clock,
			Sleep: func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }}
		attempts, err := d.Deliver(ctx, alice, page)
		if !errors.Is(err, context.Canceled) || len(attempts) != 1 {
			t.Errorf("%v, %+v", err, attempts)
		}
	})
	t.Run("during an attempt", func(t *testing.T) {
		clock := timesynctest.NewClock(page.Received)
		ctx, cancel := context.WithCancel(context.Background())
		blocking := senderFunc(func(ctx context.Context) error { cancel(); <-ctx.Done(); return ctx.Err() })
		d := paging.Dispatcher{Senders: map[ccj.ChannelKind]paging.Sender{ccj.Phone: blocking, ccj.Email: blocking}, Clock: clock}
		attempts, err := d.Deliver(ctx, alice, page)
		if !errors.Is(err, context.Canceled) || len(attempts) != 1 || attempts[0].Failure != paging.Canceled {
			t.Errorf("%v, %+v", err, attempts)
		}
	})
	t.Run("a malformed page is not sent", func(t *testing.T) {
		d := paging.Dispatcher{Senders: map[ccj.ChannelKind]paging.Sender{ccj.Phone: senderFunc(func(context.Context) error { t.Error("sent"); return nil })}}
		attempts, err := d.Deliver(context.Background(), alice, paging.Page{Kind: paging.NewRequest})
		if !errors.Is(err, paging.ErrPage) || attempts != nil {
			t.Errorf("%v, %+v", err, attempts)
		}
	})
}

type senderFunc func(ctx context.Context) error

func (f senderFunc) Send(ctx context.Context, _ ccj.Channel, _ paging.Page, _ paging.Key) error {
	return f(ctx)
}

// The waits: First × Factor^(n-1), at most Cap.
func TestRetryDelay(t *testing.T) {
	r := paging.Retry{Attempts: 6, First: paging.Duration(5 * time.Second), Factor: 2, Cap: paging.Duration(time.Minute), Timeout: paging.Duration(15 * time.Second)}
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		got = append(got, r.Delay(n))
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if w := paging.DefaultPolicy().Retry.Worst(); w != time.Minute {
		t.Errorf("the default retry's worst case is %v, want 1m (3×15s + 5s + 10s)", w)
	}
}

// A retry's fields left at zero take the default's: two attempts, the
// default wait between them, and time to make each.
func TestRetryPartial(t *testing.T) {
	clock := timesynctest.NewClock(at("2026-11-02 10:00:00"))
	sleep := &fakeSleep{clock: clock}
	var deadlines []time.Duration
	s := senderFunc(func(ctx context.Context) error {
		d, _ := ctx.Deadline()
		deadlines = append(deadlines, time.Until(d).Round(time.Second))
		return &paging.SendError{Failure: paging.ServerError}
	})
	d := paging.Dispatcher{Senders: map[ccj.ChannelKind]paging.Sender{ccj.Phone: s}, Retry: paging.Retry{Attempts: 2}, Clock: clock, Sleep: sleep.Sleep}
	attempts, err := d.Deliver(context.Background(), member("alice", ccj.Channel{Kind: ccj.Phone, Value: "+32470000001"}).Contact(), testPage(t, paging.NewRequest, language.English))
	if !errors.Is(err, paging.ErrUndelivered) || len(attempts) != 2 {
		t.Fatalf("%v, %+v", err, attempts)
	}
	if diff := cmp.Diff([]time.Duration{5 * time.Second}, sleep.waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{15 * time.Second, 15 * time.Second}, deadlines); diff != "" {
		t.Errorf("time per attempt (-want +got):\n%s", diff)
	}
}
