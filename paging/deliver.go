package paging

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ccjkit/ccjkit/ccj"
	"github.com/ccjkit/ccjkit/timesync"
)

// Sender sends a page on one channel of a member: Ntfy, Matrix, Webhook,
// SMSGate and SMTP are the package's. Send makes one attempt and returns
// nil when the service took the page; otherwise an error, best a
// *SendError saying its Failure (an error of another type is classified
// by what it wraps: a deadline is a Timeout, anything else from the
// network Unreachable). It honours ctx, whose deadline is the attempt's
// time limit. key identifies the page to that member on that channel
// (Page.Key): every attempt of the same page gets the same key, and a
// sender whose service can drop a repeated request passes it on.
type Sender interface {
	Send(ctx context.Context, to ccj.Channel, p Page, key Key) error
}

// Attempt is one try to send a page on one channel, or one channel skipped
// for want of a sender: what the caller records in the register, one
// record each. It names the channel's kind and place, never its address.
type Attempt struct {
	// Member is the member paged.
	Member string `json:"member"`
	// Channel is the channel's kind; Route its place in the member's
	// route (Route(contact)[Route]), from 0.
	Channel ccj.ChannelKind `json:"channel"`
	Route   int             `json:"route"`
	// Number counts the attempts on this channel from 1; 0 for a channel
	// skipped (NoSender).
	Number int `json:"attempt"`
	// At is when the attempt started, by the dispatcher's clock.
	At time.Time `json:"at"`
	// Sent says the channel took the page; otherwise Failure says how
	// it failed and Status gives the service's status, if any.
	Sent    bool    `json:"sent"`
	Failure Failure `json:"failure"`
	Status  int     `json:"status,omitempty"`
	// Err is the attempt's error, for a log; it holds no secret and no
	// address, and is not encoded.
	Err error `json:"-"`
}

// Route returns the channels Dispatcher.Deliver tries, in order: the
// contact's paging channels (ccj.Contact.Paging, in the member's order:
// phones, Signal, Matrix, ntfy, webhooks), then the member's e-mail
// address (ccj.Contact.Email), if any. ccj leaves e-mail out of the paging
// channels because nobody is woken by it; it comes last here so that a
// page no other channel took still reaches the member in writing.
func Route(c ccj.Contact) []ccj.Channel {
	out := append([]ccj.Channel(nil), c.Paging...)
	if c.Email != "" {
		out = append(out, ccj.Channel{Kind: ccj.Email, Value: c.Email})
	}
	return out
}

// Retry is how a dispatcher tries one channel again: at most Attempts
// attempts, each given Timeout, the n-th failed attempt followed by a wait
// of First × Factor^(n-1), at most Cap. There is no jitter: one cell
// pages a few members, not a crowd that would retry in step.
type Retry struct {
	Attempts int      `json:"attempts"`
	First    Duration `json:"first"`
	Factor   float64  `json:"factor"`
	Cap      Duration `json:"cap"`
	Timeout  Duration `json:"timeout"`
}

// withDefaults fills the fields left at zero (or below) with
// DefaultPolicy's.
func (r Retry) withDefaults() Retry {
	d := DefaultPolicy().Retry
	if r.Attempts <= 0 {
		r.Attempts = d.Attempts
	}
	if r.First <= 0 {
		r.First = d.First
	}
	if !(r.Factor >= 1) {
		r.Factor = d.Factor
	}
	if r.Cap <= 0 {
		r.Cap = d.Cap
	}
	if r.Timeout <= 0 {
		r.Timeout = d.Timeout
	}
	return r
}

// Delay returns the wait after the n-th failed attempt on a channel (n
// from 1): First × Factor^(n-1), at most Cap.
func (r Retry) Delay(n int) time.Duration {
	d := float64(r.First) * math.Pow(r.Factor, float64(n-1))
	if d >= float64(r.Cap) || math.IsInf(d, 0) || math.IsNaN(d) {
		return time.Duration(r.Cap)
	}
	return time.Duration(d)
}

// Worst returns the longest a dispatcher spends on one channel that stays
// down: every attempt's Timeout and the waits between them.
func (r Retry) Worst() time.Duration {
	w := time.Duration(r.Attempts) * time.Duration(r.Timeout)
	for n := 1; n < r.Attempts; n++ {
		w += r.Delay(n)
	}
	return w
}

// Dispatcher delivers pages: a sender per channel kind, how to retry, a
// clock for the attempts' instants and a way to wait between them.
type Dispatcher struct {
	// Senders sends each kind of channel; a kind without a sender is
	// skipped (an Attempt with Failure NoSender).
	Senders map[ccj.ChannelKind]Sender
	// Retry is how each channel is tried (Policy.Retry); a field left at
	// zero means DefaultPolicy's.
	Retry Retry
	// Clock stamps the attempts; nil means timesync.SystemClock.
	Clock timesync.Clock
	// Sleep waits d or until ctx ends (then it returns ctx's error); nil
	// means a timer. Tests pass one that moves a fake clock instead.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Deliver sends page p to the member of contact to: it tries each channel
// of Route(to) in order, each up to Retry.Attempts times with the waits of
// Retry.Delay between them while the failure is retryable, and stops at
// the first channel that takes the page. It returns every attempt, in
// order — the caller records each in the register — and nil when a
// channel took the page; an error wrapping ErrUndelivered when none did;
// the context's error when ctx ended (the attempt it cut short recorded
// as Canceled); an error wrapping ErrPage, and no attempt, when p is
// malformed.
//
// Each channel's attempts share the page's Key for that member and
// channel (Page.Key), so a retry after a timeout that the service did
// receive is recognised where the service can (Matrix, the webhook's
// receiver, an e-mail's Message-ID).
func (d Dispatcher) Deliver(ctx context.Context, to ccj.Contact, p Page) ([]Attempt, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	r := d.Retry.withDefaults()
	clock := d.Clock
	if clock == nil {
		clock = timesync.SystemClock{}
	}
	sleep := d.Sleep
	if sleep == nil {
		sleep = sleepTimer
	}
	var out []Attempt
	route := Route(to)
	for i, ch := range route {
		s := d.Senders[ch.Kind]
		if s == nil {
			out = append(out, Attempt{Member: to.ID, Channel: ch.Kind, Route: i, At: clock.Now(), Failure: NoSender})
			continue
		}
		key := p.Key(to.ID, ch)
		for n := 1; n <= r.Attempts; n++ {
			a := Attempt{Member: to.ID, Channel: ch.Kind, Route: i, Number: n, At: clock.Now()}
			actx, cancel := context.WithTimeout(ctx, time.Duration(r.Timeout))
			err := s.Send(actx, ch, p, key)
			cancel()
			if err == nil {
				a.Sent = true
				return append(out, a), nil
			}
			a.Err, a.Failure = err, classify(ctx, err)
			var se *SendError
			if errors.As(err, &se) {
				a.Status = se.Status
			}
			if ctx.Err() != nil {
				a.Failure = Canceled
				return append(out, a), ctx.Err()
			}
			out = append(out, a)
			if !a.Failure.Retryable() || n == r.Attempts {
				break
			}
			if err := sleep(ctx, r.Delay(n)); err != nil {
				return out, err
			}
		}
	}
	return out, fmt.Errorf("%w: %d channels tried", ErrUndelivered, len(route))
}

// sleepTimer waits d or until ctx ends.
func sleepTimer(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
