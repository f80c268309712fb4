package paging_test

import (
	"context"
	"sync"
	"time"

	"github.com/rickb777/date/v2"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/paging"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// at is the instant Brussels clocks show at s ("2026-10-25 02:41:17 CEST"
// for the first of the repeated hour).
func at(s string) time.Time { return timesync.MustParseBrussels(s, timesync.Strict).Time() }

// show writes t as people read it in English: Brussels time to the second
// with its offset.
func show(t time.Time) string { return timesync.FromTime(t).Display(paging.Languages()[0]) }

// codeKey is the acknowledgement key of the tests: 32 bytes, fixed.
var codeKey = []byte("0123456789abcdef0123456789abcdef")

func member(id string, channels ...ccj.Channel) ccj.Member {
	return ccj.Member{ID: id, Name: id, Role: ccj.CellMember, ResidesInBelgium: true, Channels: channels,
		Advice: ccj.Advice{Status: ccj.AdvicePositive, Granted: date.New(2024, 1, 15), Reference: "AS-" + id}}
}

// weekendCell is a cell whose Saturday night (18:00 to Sunday 08:00) is
// alice's, bob her backup, with carol then dan on the escalation list,
// erin a member called only when everyone is, and frank, without a
// security advice, never called.
func weekendCell() ccj.Cell {
	frank := member("frank", ccj.Channel{Kind: ccj.Phone, Value: "+32470000006"})
	frank.Advice = ccj.Advice{Status: ccj.AdvicePending}
	return ccj.Cell{
		Name: "Test CCJ", Operator: "Test asbl",
		Members: []ccj.Member{
			member("alice", ccj.Channel{Kind: ccj.Ntfy, Value: "https://ntfy.example.be/ccj-alice"}, ccj.Channel{Kind: ccj.Phone, Value: "+32470000001"}, ccj.Channel{Kind: ccj.Email, Value: "alice@example.be"}),
			member("bob", ccj.Channel{Kind: ccj.Matrix, Value: "@bob:example.be"}),
			member("carol", ccj.Channel{Kind: ccj.Phone, Value: "+32470000003"}),
			member("dan", ccj.Channel{Kind: ccj.Webhook, Value: "https://hooks.example.be/dan"}),
			member("erin", ccj.Channel{Kind: ccj.Email, Value: "erin@example.be"}),
			frank,
		},
		Patterns: []ccj.Pattern{{Weekday: time.Saturday, Start: "18:00", End: "08:00", Days: 1,
			Primaries: []string{"alice"}, Backups: []string{"bob"}, Anchor: date.New(2026, 1, 5)}},
		Escalation: []string{"carol", "dan", "frank"},
	}
}

// sent is one page a recording sender got.
type sent struct {
	Member string
	Kind   ccj.ChannelKind
	Page   paging.Page
	Key    paging.Key
	At     time.Time
}

// recorder is a Sender that takes every page and remembers it, with the
// fake clock's instant.
type recorder struct {
	mu    sync.Mutex
	clock *timesynctest.Clock
	pages []sent
	// fail, when set, says the failure of an attempt.
	fail func(to ccj.Channel, n int) error
	n    map[paging.Key]int
}

func (r *recorder) Send(_ context.Context, to ccj.Channel, p paging.Page, key paging.Key) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[paging.Key]int{}
	}
	r.n[key]++
	if r.fail != nil {
		if err := r.fail(to, r.n[key]); err != nil {
			return err
		}
	}
	r.pages = append(r.pages, sent{Kind: to.Kind, Page: p, Key: key, At: r.clock.Now()})
	return nil
}

// fakeSleep moves the clock instead of waiting, and records the waits.
type fakeSleep struct {
	clock *timesynctest.Clock
	waits []time.Duration
}

func (s *fakeSleep) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.waits = append(s.waits, d)
	s.clock.Advance(d)
	return nil
}
