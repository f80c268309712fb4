package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/timesync"
)

// stateFile is the pipeline's sequence state in NE mode, in -spool.
const stateFile = "sequence.json"

// mfAgency is the pipeline's one agency in NE mode: the mediation
// function, reached over X2/X3.
const mfAgency = "mf"

// X2/X3 keep-alive timings towards the mediation function.
const (
	mfKeepAliveInterval = 10 * time.Second
	mfKeepAliveTimeout  = 5 * time.Second
)

// startNEDelivery builds the pipeline of a point of interception: X2/X3
// PDUs (intercept/x2x3, the IRI inside X2 as TS 102 232-1 PS-PDUs) handed
// over mutual TLS by intercept/handover's X2X3 protocol — its bounded
// queue, disk spool, keep-alives, reconnection and loss accounting — to
// the destinations the ADMF gives each task, or to -mf (see router).
func startNEDelivery(o options, clock timesync.Clock) (*pipeline.Pipeline, *router, *neEncoder, error) {
	tlsCfg, err := x1.LoadClientTLS(o.mfCert, o.mfKey, o.mfCA)
	if err != nil {
		return nil, nil, nil, usage(fmt.Errorf("the X2/X3 certificates: %w", err))
	}
	iri, err := etsi.NewEncoder(rehearsal())
	if err != nil {
		return nil, nil, nil, err
	}
	enc := &neEncoder{iri: iri}
	if err := enc.add(nil); err != nil {
		return nil, nil, nil, err
	}
	r, err := newRouter(o.mf, tlsCfg, o.spool)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := pipeline.Config{Agencies: map[string]pipeline.Agency{mfAgency: {Encoder: enc, Handover: r}}, Clock: clock}
	if o.spool != "" {
		// The streams' numbering survives a restart, a crash included
		// (see pipeline.Pipeline.SaveState): what a crash lost reaches
		// the mediation function, and the agency, as a gap.
		cfg.StatePath = filepath.Join(o.spool, stateFile)
	}
	p, err := pipeline.New(cfg)
	if err != nil {
		r.Close()
		return nil, nil, nil, err
	}
	return p, r, enc, nil
}

// neEncoder is the pipeline's encoder in NE mode: an x2x3.Encoder that
// knows every task the ADMF gave, replaced as tasks come. x2x3.Encoder is
// immutable and bound to its tasks (an LIID → XID map); since a task's
// local LIID is its XID (neLIID), a task once known keeps its mapping, so
// the encoder only ever grows and no stream of a task the pipeline still
// holds loses its XID. It is deliberately no intercept.HI1Notifier:
// X2/X3 carries no HI1 notification (the mediation function's side).
type neEncoder struct {
	iri   *etsi.Encoder
	mu    sync.Mutex
	known map[[16]byte]intercept.Task
	cur   atomic.Pointer[x2x3.Encoder]
}

// Stream implements intercept.Encoder.
func (e *neEncoder) Stream(key intercept.StreamKey) (intercept.StreamEncoder, error) {
	return e.cur.Load().Stream(key)
}

// add makes the encoder know tasks too.
func (e *neEncoder) add(tasks []intercept.Task) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.known == nil {
		e.known = map[[16]byte]intercept.Task{}
	}
	all := make([]intercept.Task, 0, len(e.known)+len(tasks))
	seen := map[[16]byte]bool{}
	for _, t := range tasks {
		all = append(all, t)
		seen[t.ID] = true
	}
	for id, t := range e.known {
		if !seen[id] {
			all = append(all, t)
		}
	}
	enc, err := x2x3.NewEncoder(all, e.iri)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		e.known[t.ID] = t
	}
	e.cur.Store(enc)
	return nil
}

// neLIID is the local LIID of the task with XID xid: its 16 octets. A
// point of interception does not need the agency's LIID — the mediation
// function maps the XID to it — so it never holds it; the pipeline's
// statistics show it as 0x and the XID's hexadecimal digits.
func neLIID(xid x1.UUID) intercept.LIID {
	l, _ := intercept.LIIDFromBytes(xid[:])
	return l
}

// neTasking is the tap's X1 NE: an x1.Memory that keeps what the ADMF
// gave, and the pipeline's task set made from it. A change is made to
// both or to neither; the pipeline takes a new task set while it
// captures (Pipeline.SetTasks publishes a new matching table
// atomically), so nothing restarts.
type neTasking struct {
	*x1.Memory
	mu     sync.Mutex
	p      *pipeline.Pipeline
	enc    *neEncoder
	r      *router
	clock  timesync.Clock
	live   bool
	start  time.Time     // a replay's first packet
	length time.Duration // -for
	given  map[x1.UUID]time.Time
	first  chan struct{} // closed at the first activation
	once   sync.Once
}

// task is the pipeline's task for td: its targets and delivery, its XID
// as ID and local LIID, and its window from the one set of mediation
// details when the ADMF gave one, else from the replay's start (live:
// the activation) for -for.
func (n *neTasking) task(td x1.TaskDetails) (intercept.Task, error) {
	t := intercept.Task{ID: [16]byte(td.XID), LIID: neLIID(td.XID), Targets: td.Targets, Delivery: td.Delivery, Agency: mfAgency}
	if len(td.Mediation) > 1 {
		return t, x1.UnsupportedCombinationOfTargetIdentifiers
	}
	from, ok := n.given[td.XID]
	if !ok {
		from = n.start
		if n.live {
			from = n.clock.Now()
		}
	}
	t.NotBefore, t.NotAfter = from, from.Add(n.length)
	if len(td.Mediation) == 1 {
		m := td.Mediation[0]
		if !m.Start.IsZero() {
			t.NotBefore = m.Start
		}
		if !m.End.IsZero() {
			t.NotAfter = m.End
		}
	}
	return t, t.Validate()
}

// apply makes the pipeline's task set and the routes of its records the
// Memory's tasks and destinations.
func (n *neTasking) apply() error {
	var tasks []intercept.Task
	given := n.Memory.Tasks()
	for _, td := range given {
		t, err := n.task(td)
		if err != nil {
			return err
		}
		tasks = append(tasks, t)
	}
	if err := n.enc.add(tasks); err != nil {
		return err
	}
	if err := n.r.setRoutes(given, n.Memory.Destinations()); err != nil {
		return err
	}
	return n.p.SetTasks(tasks)
}

// ActivateTask implements x1.NE.
func (n *neTasking) ActivateTask(ctx context.Context, td x1.TaskDetails) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, err := n.task(td); err != nil {
		return fmt.Errorf("%w: %w", x1.GenericActivateTaskFailure, err)
	}
	if err := n.Memory.ActivateTask(ctx, td); err != nil {
		return err
	}
	n.given[td.XID] = n.clock.Now()
	if err := n.apply(); err != nil {
		n.Memory.DeactivateTask(ctx, td.XID)
		delete(n.given, td.XID)
		return fmt.Errorf("%w: %w", x1.GenericActivateTaskFailure, err)
	}
	n.once.Do(func() { close(n.first) })
	return nil
}

// ModifyTask implements x1.NE.
func (n *neTasking) ModifyTask(ctx context.Context, td x1.TaskDetails) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, err := n.task(td); err != nil {
		return fmt.Errorf("%w: %w", x1.GenericModifyTaskFailure, err)
	}
	old, err := n.Memory.GetTaskDetails(ctx, td.XID)
	if err != nil {
		return err
	}
	if err := n.Memory.ModifyTask(ctx, td); err != nil {
		return err
	}
	if err := n.apply(); err != nil {
		n.Memory.ModifyTask(ctx, old.Task)
		return fmt.Errorf("%w: %w", x1.GenericModifyTaskFailure, err)
	}
	return nil
}

// DeactivateTask implements x1.NE.
func (n *neTasking) DeactivateTask(ctx context.Context, xid x1.UUID) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	old, err := n.Memory.GetTaskDetails(ctx, xid)
	if err != nil {
		return err
	}
	if err := n.Memory.DeactivateTask(ctx, xid); err != nil {
		return err
	}
	if err := n.apply(); err != nil {
		n.Memory.ActivateTask(ctx, old.Task)
		return fmt.Errorf("%w: %w", x1.GenericDeactivateTaskFailure, err)
	}
	delete(n.given, xid)
	return nil
}

// ModifyDestination implements x1.NE: the tasks delivering to the
// destination send to its new address from now on.
func (n *neTasking) ModifyDestination(ctx context.Context, d x1.DestinationDetails) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	old, err := n.Memory.GetDestinationDetails(ctx, d.DID)
	if err != nil {
		return err
	}
	if err := n.Memory.ModifyDestination(ctx, d); err != nil {
		return err
	}
	if err := n.apply(); err != nil {
		n.Memory.ModifyDestination(ctx, old.Destination)
		n.apply()
		return fmt.Errorf("%w: %w", x1.GenericModifyDestinationFailure, err)
	}
	return nil
}

// startX1 runs the tap's X1 NE server on -x1-listen, feeding p, and
// returns the tasking (whose first channel is closed at the first
// activation) and the function that stops the server.
func startX1(o options, in *input, p *pipeline.Pipeline, enc *neEncoder, r *router, stdout, stderr io.Writer) (*neTasking, func(), error) {
	cfg, err := x1.LoadServerTLS(o.x1Cert, o.x1Key, o.x1CA)
	if err != nil {
		return nil, nil, usage(fmt.Errorf("the X1 certificates: %w", err))
	}
	n := &neTasking{Memory: x1.NewMemory(), p: p, enc: enc, r: r, clock: in.clock, live: in.live, start: in.start,
		length: o.length, given: map[x1.UUID]time.Time{}, first: make(chan struct{})}
	if in.live {
		n.clock = timesync.SystemClock{}
	}
	// The ADMF is who its certificate names (BindADMFToCertificate): a
	// certificate the same authority issued to another NE cannot task it.
	hs, err := x1.NewHTTPServer(o.x1Listen, &x1.Server{NE: n, Identifier: o.x1ID, ADMF: o.admfID, BindADMFToCertificate: true}, cfg)
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", o.x1Listen)
	if err != nil {
		return nil, nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "tap: the X1 server stopped:", err)
		}
	}()
	fmt.Fprintf(stdout, "X1 NE server on %s\n", ln.Addr())
	return n, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
		<-done
	}, nil
}

// neOptions checks the options of NE mode: X1 and X2/X3 both configured,
// and none of the options of a task given on the command line or of a
// handover to the agency.
func neOptions(fs *flag.FlagSet, o *options) error {
	var clash []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "target", "user", "liid":
			clash = append(clash, "-"+f.Name+" (tasks come from the ADMF over X1)")
		case "lemf", "lemf-ca", "lemf-cert", "lemf-key":
			clash = append(clash, "-"+f.Name+" (records go to the mediation function, -mf)")
		}
	})
	switch {
	case len(clash) > 0:
		return usage(fmt.Errorf("as an NE the tap takes no %s", strings.Join(clash, ", no ")))
	case o.x1Listen == "" || o.mf == "":
		return usage(errors.New("as an NE the tap needs both -x1-listen (its tasks) and -mf (where its X2/X3 go)"))
	case o.x1Cert == "" || o.x1Key == "" || o.x1CA == "" || o.mfCA == "":
		return usage(errors.New("as an NE the tap needs -x1-cert, -x1-key, -x1-ca and -mf-ca: X1 and X2/X3 run over mutual TLS"))
	case (o.mfCert == "") != (o.mfKey == ""):
		return usage(errors.New("give -mf-cert and -mf-key together"))
	}
	if o.mfCert == "" {
		o.mfCert, o.mfKey = o.x1Cert, o.x1Key
	}
	return nil
}

// runNE runs the tap as a point of interception: its tasks from the ADMF
// over X1, its records to the mediation function over X2/X3. A replay
// starts at the first task the ADMF activates, in the capture's time; a
// live capture runs from the start, taking tasks as they come.
func runNE(ctx context.Context, o options, stdout, stderr io.Writer) error {
	var secret []byte
	if o.accounting() {
		var err error
		if secret, err = o.radiusSecret(); err != nil {
			return err
		}
	}
	in, err := openInput(o)
	if err != nil {
		return err
	}
	defer in.close()
	ctx, cancel := in.until(ctx, o)
	defer cancel()
	if _, err := os.Stat(filepath.Join(o.spool, stateFile)); o.spool != "" && err == nil {
		fmt.Fprintln(stdout, "sequence state of an earlier run found: after a crash its streams continue past their reserved numbers, and the mediation function passes the gap on")
	}
	p, ho, enc, err := startNEDelivery(o, in.clock)
	if err != nil {
		return err
	}
	printCrash(stdout, ho.Stats())
	tasking, stopX1, err := startX1(o, in, p, enc, ho, stdout, stderr)
	if err != nil {
		ho.Close()
		return err
	}
	if !in.live {
		fmt.Fprintln(stdout, "the replay starts at the first task the ADMF activates")
		select {
		case <-tasking.first:
		case <-ctx.Done():
			stopX1()
			closeErr := ho.Close()
			printStatus(stdout, in, &accounting{stop: func() {}}, p, ho.Stats())
			return closeErr
		}
	}
	acct, err := startAccounting(ctx, o, secret, in, p, stdout, stderr)
	if err != nil {
		stopX1()
		ho.Close()
		return err
	}
	defer acct.stop()
	runErr := p.Run(ctx, in.paced(ho.Queued))
	acct.stop()
	stopX1() // no task changes after the capture
	runErr = endTask(p, in, o, runErr)
	stateErr := p.Close() // the exact numbers: a clean restart skips none
	closeErr := ho.Close()
	printStatus(stdout, in, acct, p, ho.Stats())
	return lines(runErr, stateErr, closeErr)
}

// printCrash says, for each link whose spool held a ledger of a previous
// run that ended without Close, how many of its accepted records that
// crash lost: its handover's bound (handover.LossBound). A destination's
// handover started later by a task logs its own.
func printCrash(w io.Writer, sts []handover.Stats) {
	for _, st := range sts {
		for _, l := range []handover.LinkStats{st.HI2, st.HI3} {
			if c := l.Spool.Crash; c.Known && c.Max > 0 {
				fmt.Fprintf(w, "%s: the previous run crashed and lost between %d and %d accepted record(s)\n", l.Name, c.Min, c.Max)
			}
		}
	}
}
