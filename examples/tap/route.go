package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/timesync"
)

// errNoRoute: a record of a task none of whose destinations takes its
// stream. x1.Memory refuses such a task, so it does not happen; if it
// did, the pipeline would count the record as lost, not drop it silently.
var errNoRoute = errors.New("tap: no destination of the task takes this stream")

// router is the NE's handover (intercept.Handover): it sends each record
// of a task to the destinations the ADMF named in the task's DIDs — X2 to
// those that take X2, X3 to those that take X3 — and the records of a
// task that names none to -mf. Each destination address has its own
// handover.Handover (queue, spool, keep-alives, reconnection, loss
// counts), over the TLS of -mf-ca and -mf-cert; -mf's address, when a
// destination names it, is -mf's handover. A destination's handover is
// started when a task first uses it and kept until the tap ends: a
// destination modified or removed keeps what it had queued until then.
//
// Deliver is on the capture's path: it reads an immutable routing table,
// never waits and allocates nothing.
type router struct {
	tls     *tls.Config
	spool   string
	def     *handover.Handover
	defAddr netip.AddrPort // -mf's, when it is an address and port

	mu    sync.Mutex // guards hos and order
	hos   map[netip.AddrPort]*handover.Handover
	order []*handover.Handover // -mf's first, then in order of start

	routes atomic.Pointer[map[intercept.LIID][]route]
}

// route is one destination of a task: what it takes and its handover.
type route struct {
	delivery intercept.Delivery
	ho       *handover.Handover
}

// newHandover starts the X2/X3 handover to addr, spooling under dir.
func newHandover(addr string, cfg *tls.Config, dir string) (*handover.Handover, error) {
	return handover.New(handover.Config{Protocol: handover.X2X3, HI2: addr, HI3: addr, TLS: cfg,
		KeepAliveInterval: mfKeepAliveInterval, KeepAliveTimeout: mfKeepAliveTimeout,
		Clock: timesync.SystemClock{}, DrainTimeout: 10 * time.Second, SpoolDir: dir})
}

// newRouter starts the handover to -mf, the default destination.
func newRouter(mf string, cfg *tls.Config, spool string) (*router, error) {
	def, err := newHandover(mf, cfg, spool)
	if err != nil {
		return nil, err
	}
	r := &router{tls: cfg, spool: spool, def: def, hos: map[netip.AddrPort]*handover.Handover{}, order: []*handover.Handover{def}}
	if a, err := netip.ParseAddrPort(mf); err == nil {
		r.defAddr = a
		r.hos[a] = def
	}
	r.routes.Store(&map[intercept.LIID][]route{})
	return r, nil
}

// handover returns the handover to addr, starting it the first time. Its
// spool is a sub-directory of -spool named after the address.
func (r *router) handover(addr netip.AddrPort) (*handover.Handover, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ho, ok := r.hos[addr]; ok {
		return ho, nil
	}
	dir := ""
	if r.spool != "" {
		dir = filepath.Join(r.spool, "to-"+strings.NewReplacer(":", "_", "[", "", "]", "").Replace(addr.String()))
	}
	ho, err := newHandover(addr.String(), r.tls, dir)
	if err != nil {
		return nil, err
	}
	r.hos[addr] = ho
	r.order = append(r.order, ho)
	return ho, nil
}

// setRoutes makes the routes of tasks those of their destinations
// (dests by DID); a task without DIDs goes to -mf. Routes of tasks no
// longer given are kept, for the records of their window the capture
// still holds. It starts the handovers of new destination addresses, and
// changes nothing when one cannot start.
func (r *router) setRoutes(tasks []x1.TaskDetails, dests []x1.DestinationDetails) error {
	byDID := make(map[x1.UUID]x1.DestinationDetails, len(dests))
	for _, d := range dests {
		byDID[d.DID] = d
	}
	old := *r.routes.Load()
	next := make(map[intercept.LIID][]route, len(old)+len(tasks))
	for k, v := range old {
		next[k] = v
	}
	for _, td := range tasks {
		liid := neLIID(td.XID)
		if len(td.DIDs) == 0 {
			delete(next, liid)
			continue
		}
		var rs []route
		for _, did := range td.DIDs {
			d, ok := byDID[did]
			if !ok {
				return x1.DIDDoesNotExist
			}
			ho, err := r.handover(d.Address)
			if err != nil {
				return err
			}
			// Two destinations at one address are one handover: a
			// record goes there once, whichever of them takes it.
			if i := slices.IndexFunc(rs, func(x route) bool { return x.ho == ho }); i >= 0 {
				rs[i].delivery |= d.Delivery
				continue
			}
			rs = append(rs, route{delivery: d.Delivery, ho: ho})
		}
		next[liid] = rs
	}
	r.routes.Store(&next)
	return nil
}

// Deliver implements intercept.Handover: the record goes to each of its
// task's destinations that takes its stream. An error — one of them
// refused it (its queue full) — is the pipeline's to count as a loss.
func (r *router) Deliver(key intercept.StreamKey, seq intercept.Seq, pdu []byte) error {
	rs, ok := (*r.routes.Load())[key.LIID]
	if !ok {
		return r.def.Deliver(key, seq, pdu)
	}
	err, sent := error(nil), false
	for _, rt := range rs {
		if !rt.delivery.Includes(key.Stream) {
			continue
		}
		sent = true
		if e := rt.ho.Deliver(key, seq, pdu); e != nil && err == nil {
			err = e
		}
	}
	if !sent {
		return errNoRoute
	}
	return err
}

// Close closes every handover, each draining what it holds.
func (r *router) Close() error {
	r.mu.Lock()
	hos := r.order
	r.mu.Unlock()
	errs := make([]error, len(hos))
	var wg sync.WaitGroup
	for i, ho := range hos {
		wg.Go(func() { errs[i] = ho.Close() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Stats returns every handover's counters, -mf's first.
func (r *router) Stats() routerStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(routerStats, len(r.order))
	for i, ho := range r.order {
		out[i] = ho.Stats()
	}
	return out
}

// Queued returns the bytes the fullest destination's handover holds
// unconfirmed: what a replay paces itself by.
func (r *router) Queued() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var most uint64
	for _, ho := range r.order {
		most = max(most, ho.Queued())
	}
	return most
}

// routerStats are the counters of each destination's handover.
type routerStats []handover.Stats

func (s routerStats) String() string {
	var b strings.Builder
	for _, st := range s {
		fmt.Fprint(&b, st)
	}
	return b.String()
}
