// Command mediator runs a mediation function (MF): points of interception
// (NEs, such as examples/tap -mf) send it what they capture as ETSI TS 103
// 221-2 X2 (IRI) and X3 (CC) PDUs over mutual TLS; it checks every record
// against the tasks the administration function (ADMF) gave it, numbers
// each stream itself, drops retransmissions, and hands everything over to
// the agency once, as TS 102 232 on HI2 and HI3 (examples/lemf is a
// receiver to rehearse against).
//
//	go run ./examples/lemf -listen 127.0.0.1:6000
//	go run ./examples/mediator -listen 127.0.0.1:6100 -cert mf.crt -key mf.key -ne-ca ne-ca.crt \
//	    -x1-listen 127.0.0.1:6101 -x1-ca admf-ca.crt -lemf 127.0.0.1:6000
//
// Its tasks come from the ADMF over X1 (TS 103 221-1): with -x1-listen it
// runs an X1 NE server of its own over HTTPS with mutual TLS (its
// certificate is -x1-cert/-x1-key, by default -cert/-key; the ADMF's
// authority is -x1-ca), and each ActivateTask, ModifyTask and
// DeactivateTask that carries one set of mediation details (LIID,
// delivery towards the agency, start and end) changes its task table.
// With -tasks it reads a static table from a JSON file instead (or as
// well):
//
//	{"tasks": [{"xid": "2b0d…", "liid": "BE-DEMO-1", "delivery": "IRIAndCC",
//	            "start": "2026-11-23T14:00:00+01:00", "end": "2026-11-24T00:00:00+01:00",
//	            "targets": ["192.0.2.10/32"], "usernames": []}]}
//
// The agency is reached as examples/tap reaches it: -lemf for HI2 and
// HI3, with -lemf-ca (and -lemf-cert, -lemf-key for mutual
// authentication) for TLS, and -spool for a disk spool behind the queue.
// With -spool an NE's keep-alive — which lets the NE release what it
// holds — is answered only once what it sent is durable: confirmed by
// the agency, or written to the spool and fsynced (handover.Sync), so a
// crash of the mediator loses nothing an NE was told was safe. Its
// handover also reports, after a crash, how many records the crash lost
// (between a certain minimum and a maximum).
//
// It prints its statistics per NE — records received, delivered,
// duplicated and refused by reason — and the handover's on SIGUSR1 and
// when it stops (SIGINT, SIGTERM, or -for). No log line or statistic
// names a target, an LIID's mapping to a target, or a packet's content;
// NEs are named by their certificates.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/strictjson"
	"github.com/ccjkit/ccjkit/timesync"
)

// agency is the one agency's name in the task table: every task the ADMF
// gives this mediation function is handed over to -lemf.
const agency = "rehearsal"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, usr1))
}

// rehearsal is the rehearsal profile of the agency's records; the real one
// is copied from the NTSU-CTIF's specification into intercept.Belgium.
func rehearsal() intercept.Profile {
	return intercept.Profile{
		AuthorizationCountry: "BE", DeliveryCountry: "BE",
		OperatorID: "REHEARSAL", NetworkElementID: "mediator", HI1OperatorID: "REHRS",
		Timestamps: intercept.Microseconds, PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID:     intercept.MustParseLIID("ccjkit-mf"),
		KeepAliveInterval: 10 * time.Second, KeepAliveTimeout: 5 * time.Second,
	}
}

// options are the command line's choices.
type options struct {
	listen, cert, key, neCA         string
	x1Listen, x1Cert, x1Key, x1CA   string
	x1ID, admfID                    string
	tasks                           string
	lemf, lemfCA, lemfCert, lemfKey string
	spool, state                    string
	length                          time.Duration
}

// errUsage is a mistake on the command line: exit code 2.
var errUsage = errors.New("usage")

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("mediator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:6100", "address to accept X2/X3 from the NEs on (TLS)")
	fs.StringVar(&o.cert, "cert", "", "the mediation function's certificate (PEM)")
	fs.StringVar(&o.key, "key", "", "its private key (PEM)")
	fs.StringVar(&o.neCA, "ne-ca", "", "the authority that issues the NEs' certificates (PEM)")
	fs.StringVar(&o.x1Listen, "x1-listen", "", "run an X1 NE server on this address, for the ADMF to task the mediation function")
	fs.StringVar(&o.x1Cert, "x1-cert", "", "the X1 server's certificate (PEM; default -cert)")
	fs.StringVar(&o.x1Key, "x1-key", "", "its private key (PEM; default -key)")
	fs.StringVar(&o.x1CA, "x1-ca", "", "the authority that issues the ADMF's certificate (PEM)")
	fs.StringVar(&o.x1ID, "x1-ne", "mediator", "this NE's X1 identifier (neIdentifier)")
	fs.StringVar(&o.admfID, "x1-admf", "admf", "the X1 identifier of the ADMF allowed to task it (admfIdentifier), which its certificate must name")
	fs.StringVar(&o.tasks, "tasks", "", "a JSON file of static tasks (instead of, or besides, X1)")
	fs.StringVar(&o.lemf, "lemf", "127.0.0.1:6000", "the agency's receiver (HI2 and HI3)")
	fs.StringVar(&o.lemfCA, "lemf-ca", "", "TLS to the receiver: the authority of its certificate (PEM; default: plain TCP)")
	fs.StringVar(&o.lemfCert, "lemf-cert", "", "TLS to the receiver: our certificate, for mutual authentication (PEM)")
	fs.StringVar(&o.lemfKey, "lemf-key", "", "its private key (PEM)")
	fs.StringVar(&o.spool, "spool", "", "a directory for the handover's disk spool (default: memory only)")
	fs.StringVar(&o.state, "state", "", "a file where the streams numbered are kept, so that after a restart each gets a CIN reset before its next record (default: none, and a restart's new numbering goes unannounced)")
	fs.DurationVar(&o.length, "for", 0, "stop after this long (0: until interrupted)")
	if err := fs.Parse(args); err != nil {
		return o, errUsage
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	switch {
	case o.cert == "" || o.key == "" || o.neCA == "":
		return o, fmt.Errorf("%w: give -cert, -key and -ne-ca: the NEs connect over mutual TLS", errUsage)
	case o.x1Listen == "" && o.tasks == "":
		return o, fmt.Errorf("%w: give -x1-listen (tasks from the ADMF over X1) or -tasks FILE", errUsage)
	case o.x1Listen != "" && o.x1CA == "":
		return o, fmt.Errorf("%w: -x1-listen needs -x1-ca, the ADMF's authority", errUsage)
	case (o.lemfCert == "") != (o.lemfKey == ""):
		return o, fmt.Errorf("%w: give -lemf-cert and -lemf-key together", errUsage)
	case o.lemfCert != "" && o.lemfCA == "":
		return o, fmt.Errorf("%w: -lemf-cert needs -lemf-ca", errUsage)
	}
	if o.x1Cert == "" {
		o.x1Cert, o.x1Key = o.cert, o.key
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, usr1 <-chan os.Signal) int {
	o, err := parseOptions(args, stderr)
	if err == nil {
		err = mediate(ctx, o, stdout, stderr, usr1)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		if err != errUsage {
			fmt.Fprintln(stderr, "mediator:", err)
		}
		return 2
	}
	fmt.Fprintln(stderr, "mediator:", err)
	return 1
}

// mediate runs the mediation function until ctx is done or -for passes.
func mediate(ctx context.Context, o options, stdout, stderr io.Writer, usr1 <-chan os.Signal) error {
	if o.length > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.length)
		defer cancel()
	}
	clock := timesync.SystemClock{}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	mfTLS, err := x1.LoadServerTLS(o.cert, o.key, o.neCA)
	if err != nil {
		return err
	}
	lemfTLS, err := receiverTLS(o)
	if err != nil {
		return err
	}
	table := mediation.NewTable(clock)
	if o.tasks != "" {
		n, err := loadTasks(o.tasks, table)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d static task(s) from %s\n", n, o.tasks)
	}
	enc, err := etsi.NewEncoder(rehearsal())
	if err != nil {
		return err
	}
	ho, err := handover.New(handover.Config{HI2: o.lemf, HI3: o.lemf, Encoder: enc, TLS: lemfTLS,
		Clock: clock, SpoolDir: o.spool, DrainTimeout: 10 * time.Second, Logger: log})
	if err != nil {
		return err
	}
	hs := ho.Stats()
	for _, l := range []handover.LinkStats{hs.HI2, hs.HI3} {
		if c := l.Spool.Crash; c.Known && c.Max > 0 {
			fmt.Fprintf(stdout, "%s: the previous run crashed and lost between %d and %d accepted record(s)\n", l.Name, c.Min, c.Max)
		}
	}
	ag := mediation.Agency{Encoder: enc, Handover: ho}
	if o.spool != "" {
		// An NE's keep-alive is answered once what it sent is durable:
		// confirmed by the LEMF or fsynced in the spool.
		ag.Sync = ho.Sync
	}
	srv, err := mediation.New(mediation.Config{TLS: mfTLS, Tasks: table, Clock: clock, Logger: log, StatePath: o.state,
		Agencies: map[string]mediation.Agency{agency: ag}})
	if err != nil {
		ho.Close()
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		ho.Close()
		return err
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := srv.Serve(ln); !errors.Is(err, mediation.ErrClosed) {
			fmt.Fprintln(stderr, "mediator: X2/X3 server stopped:", err)
		}
	})
	fmt.Fprintf(stdout, "X2/X3 from the NEs on %s\n", ln.Addr())
	// Without -state, after a restart the agency's streams are numbered
	// from 0 again, unannounced, which a receiver sees as numbers it had
	// already (lemf: duplicates). Say so where the operator looks.
	if o.state == "" {
		log.Warn("no -state: after a restart, the streams this mediation function numbered start again from 0 without a CIN reset, and the receiver sees numbers it already had")
	}
	stopX1 := func() {}
	if o.x1Listen != "" {
		stopX1, err = startX1(o, table, clock, stdout, stderr)
		if err != nil {
			srv.Close()
			wg.Wait()
			ho.Close()
			return err
		}
	}
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-usr1:
			printStats(stdout, srv, ho)
		}
	}
	stopX1()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shutErr := srv.Shutdown(sctx)
	wg.Wait()
	closeErr := ho.Close()
	printStats(stdout, srv, ho)
	return errors.Join(shutErr, closeErr)
}

// printStats prints the per-NE statistics and the handover's.
func printStats(w io.Writer, srv *mediation.Server, ho *handover.Handover) {
	fmt.Fprint(w, srv.Stats())
	fmt.Fprint(w, ho.Stats())
}

// receiverTLS returns the TLS configuration towards the agency's
// receiver, or nil for plain TCP.
func receiverTLS(o options) (*tls.Config, error) {
	if o.lemfCA == "" {
		return nil, nil
	}
	return handover.LoadTLS(o.lemfCA, o.lemfCert, o.lemfKey)
}

// startX1 runs the X1 NE server whose tasks feed table, and returns the
// function that stops it.
func startX1(o options, table *mediation.Table, clock timesync.Clock, stdout, stderr io.Writer) (func(), error) {
	cfg, err := x1.LoadServerTLS(o.x1Cert, o.x1Key, o.x1CA)
	if err != nil {
		return nil, err
	}
	// The ADMF is who its certificate names: a certificate the same
	// authority issued to an NE cannot task the mediation function.
	h := &x1.Server{NE: newTasking(table), Identifier: o.x1ID, ADMF: o.admfID, BindADMFToCertificate: true, Clock: clock}
	hs, err := x1.NewHTTPServer(o.x1Listen, h, cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.x1Listen)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "mediator: X1 server stopped:", err)
		}
	}()
	fmt.Fprintf(stdout, "X1 from the ADMF on %s\n", ln.Addr())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
		<-done
	}, nil
}

// tasking is the mediation function's X1 NE: an x1.Memory that keeps
// what the ADMF gave (for GetTaskDetails, ListAllDetails and the
// destinations' rules) and a mediation.Table that the X2/X3 server
// checks every record against. A change is made to both or to neither.
type tasking struct {
	*x1.Memory
	mu    sync.Mutex // one change at a time, to both
	table *mediation.Table
}

func newTasking(table *mediation.Table) *tasking {
	return &tasking{Memory: x1.NewMemory(), table: table}
}

// task returns the mediation task td describes: its one set of mediation
// details gives the LIID, the delivery towards the agency and the window.
func (*tasking) task(td x1.TaskDetails) (intercept.Task, error) {
	return td.InterceptTask(agency, 0)
}

// ActivateTask implements x1.NE.
func (n *tasking) ActivateTask(ctx context.Context, td x1.TaskDetails) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	t, err := n.task(td)
	if err != nil {
		return fmt.Errorf("%w: %w", x1.GenericActivateTaskFailure, err)
	}
	if err := n.Memory.ActivateTask(ctx, td); err != nil {
		return err
	}
	if err := n.table.Activate(t); err != nil {
		n.Memory.DeactivateTask(ctx, td.XID)
		return fmt.Errorf("%w: %w", x1.GenericActivateTaskFailure, err)
	}
	return nil
}

// ModifyTask implements x1.NE.
func (n *tasking) ModifyTask(ctx context.Context, td x1.TaskDetails) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	t, err := n.task(td)
	if err != nil {
		return fmt.Errorf("%w: %w", x1.GenericModifyTaskFailure, err)
	}
	old, err := n.Memory.GetTaskDetails(ctx, td.XID)
	if err != nil {
		return err
	}
	if err := n.Memory.ModifyTask(ctx, td); err != nil {
		return err
	}
	if err := n.table.Modify(t); err != nil {
		n.Memory.ModifyTask(ctx, old.Task)
		return fmt.Errorf("%w: %w", x1.GenericModifyTaskFailure, err)
	}
	return nil
}

// DeactivateTask implements x1.NE.
func (n *tasking) DeactivateTask(ctx context.Context, xid x1.UUID) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.Memory.DeactivateTask(ctx, xid); err != nil {
		return err
	}
	if err := n.table.Deactivate(xid); err != nil {
		return fmt.Errorf("%w: %w", x1.GenericDeactivateTaskFailure, err)
	}
	return nil
}

// errTasks is the sentinel of the static tasks file's problems.
var errTasks = errors.New("mediator: tasks file")

// taskFile is the static tasks file.
type taskFile struct {
	Tasks []struct {
		XID       x1.UUID        `json:"xid"`
		LIID      string         `json:"liid"`
		Delivery  string         `json:"delivery"`
		Start     time.Time      `json:"start"`
		End       time.Time      `json:"end"`
		Targets   []netip.Prefix `json:"targets"`
		Usernames []string       `json:"usernames"`
	} `json:"tasks"`
}

// loadTasks activates the tasks of the JSON file at path in table and
// returns how many; on an error the program stops.
func loadTasks(path string, table *mediation.Table) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var f taskFile
	format := strictjson.Format{What: "mediator: tasks", Name: "mediator tasks file", Err: errTasks, Max: 16 << 20, PlainText: true}
	if err := format.Decode(b, &f); err != nil {
		return 0, err
	}
	var tasks []intercept.Task
	for i, ft := range f.Tasks {
		t := intercept.Task{ID: [16]byte(ft.XID), NotBefore: ft.Start, NotAfter: ft.End, Agency: agency}
		if t.LIID, err = intercept.ParseLIID(ft.LIID); err != nil {
			return 0, fmt.Errorf("%w: tasks[%d].liid: %w", errTasks, i, err)
		}
		switch ft.Delivery {
		case "IRIOnly":
			t.Delivery = intercept.IRIOnly
		case "CCOnly":
			t.Delivery = intercept.CCOnly
		case "IRIAndCC":
			t.Delivery = intercept.IRIAndCC
		default:
			return 0, fmt.Errorf("%w: tasks[%d].delivery: IRIOnly, CCOnly or IRIAndCC", errTasks, i)
		}
		for _, p := range ft.Targets {
			t.Targets = append(t.Targets, intercept.AddressTarget(p.Masked()))
		}
		for _, u := range ft.Usernames {
			t.Targets = append(t.Targets, intercept.UsernameTarget(u))
		}
		tasks = append(tasks, t)
	}
	for i, t := range tasks {
		if err := table.Activate(t); err != nil {
			return 0, fmt.Errorf("%w: tasks[%d]: %w", errTasks, i, err)
		}
	}
	return len(tasks), nil
}
