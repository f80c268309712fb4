// Command tap replays a capture through ccjkit's interception pipeline to
// a receiver, as a rehearsal of real-time interception on one machine:
// packets of the targets given on the command line, inside the task's
// window, become ETSI TS 102 232 CC records handed over on HI3; the task's
// start and end become HI1 notifications on HI2. It prints the pipeline's
// and the handover's status when done.
//
//	go run ./examples/lemf -listen 127.0.0.1:6000          # one terminal
//	go run ./examples/tap -lemf 127.0.0.1:6000 \
//	    -target 192.0.2.10/32 -target 2001:db8:10::1/128   # another
//
// Without -file it replays the embedded sample capture (sample.pcapng:
// synthetic traffic from 14:00 in Brussels on 23 November 2026, 40 of
// whose packets are the target's). The replay's clock is the capture's:
// the task is given at the first packet's time, so its HI1 notifications
// carry the capture's times.
//
// -file replays a pcap or pcapng file (or a gzip-compressed pcap file, or
// a pipe such as -file <(zcat capture.pcap.gz)) as it reads it: the tap
// holds 256 KiB of it at a time and hands packets to the pipeline in
// batches of 64 (intercept/capture says why), so a file of any size
// replays in the same memory — under 64 MiB resident, queues included
// (TestReplayMemoryBounded). It is read twice: first only as far as its
// first IP packet, whose time is the replay's clock. A file reads faster
// than a receiver takes it: a replay waits while the handover holds more
// than 8 MiB unconfirmed (up to 10 s; a receiver that takes nothing for
// that long is not waited for again until it has), so that
// it delivers what it reads instead of having it refused for a full queue
// (a live capture never waits).
//
// With -user the order names a subscriber instead of an address: her
// RADIUS accounting says which addresses she holds, and when. Without
// -file the tap then replays the embedded sample-radius.pcapng, where
// alice@example.net logs on through a VPN, browses and logs off (its
// shared secret is ccjkit-rehearsal), and reads the accounting in the
// replayed capture itself (intercept/radius's Mirror); give
// -radius-secret-file for your own capture's secret. With -radius-listen
// it runs an accounting server instead, for a NAS (or FreeRADIUS's
// replicate module) to send to; it answers from the moment the capture
// runs, and prints "RADIUS accounting server on" its address then.
//
//	go run ./examples/tap -lemf 127.0.0.1:6000 -user alice@example.net
//
// With -iface it captures live from that interface instead (Linux,
// CAP_NET_RAW), with a kernel filter on the targets, from now until
// interrupted (Ctrl-C) or -for has passed. With -spool, records the
// receiver cannot take yet go to that directory, and records left there
// by an earlier run are sent first. With -lemf-ca (and -lemf-cert,
// -lemf-key) it reaches the receiver over TLS.
//
// With -x1-listen and -mf it runs as a point of interception (an NE) of
// ETSI's split instead: an ADMF tasks it over X1 (TS 103 221-1, HTTPS
// with mutual TLS: -x1-cert, -x1-key, -x1-ca), and it sends what the
// tasks match as X2 (IRI) and X3 (CC) PDUs (TS 103 221-2) over mutual
// TLS (-mf-ca; its certificate is -x1-cert unless -mf-cert says
// otherwise) to a mediation function, such as examples/mediator, which
// numbers and hands over to the agency. The tasks change the capture's
// matching while it runs; a replay starts at the first activation. Each
// task's records go to the destinations the ADMF named in it (X1 DIDs:
// X2 to those taking X2, X3 to those taking X3, each address over the same
// TLS), and to -mf when it names none. The delivery is
// intercept/handover's, one per destination address, so keep-alives,
// reconnection with backoff, the bounded queue, -spool (a sub-directory
// per destination other than -mf) and the loss counts are the same.
//
//	go run ./examples/tap -x1-listen 127.0.0.1:6201 -x1-cert tap.crt -x1-key tap.key \
//	    -x1-ca admf-ca.crt -mf 127.0.0.1:6100 -mf-ca ca.crt
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/pipeline"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/timesync"
)

//go:embed sample.pcapng
var sample []byte

//go:embed sample-radius.pcapng
var sampleRadius []byte

// sampleSecret is sample-radius.pcapng's shared secret: a rehearsal's,
// public, never to be used for real.
const sampleSecret = "ccjkit-rehearsal"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type prefixes []netip.Prefix

type names []string

func (n *names) String() string { return strings.Join(*n, ",") }
func (n *names) Set(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	*n = append(*n, s)
	return nil
}

func (p *prefixes) String() string { return fmt.Sprint(*p) }
func (p *prefixes) Set(s string) error {
	x, err := netip.ParsePrefix(s)
	if err != nil {
		return err
	}
	*p = append(*p, x)
	return nil
}

// rehearsal is the rehearsal profile; the real one is copied from the
// NTSU-CTIF's specification into intercept.Belgium.
func rehearsal() intercept.Profile {
	return intercept.Profile{
		AuthorizationCountry: "BE", DeliveryCountry: "BE",
		OperatorID: "REHEARSAL", NetworkElementID: "tap", HI1OperatorID: "REHRS",
		Timestamps: intercept.Microseconds, PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID:     intercept.MustParseLIID("ccjkit-tap"),
		KeepAliveInterval: 10 * time.Second, KeepAliveTimeout: 5 * time.Second,
	}
}

// options are the command line's choices.
type options struct {
	addr, file, liid, iface, spool string
	lemfCA, lemfCert, lemfKey      string
	secretFile, radiusListen       string
	length                         time.Duration
	targets, clients               prefixes
	users                          names
	x1Listen, x1Cert, x1Key, x1CA  string
	x1ID, admfID                   string
	mf, mfCA, mfCert, mfKey        string
}

// ne reports whether the tap runs as a point of interception (an NE):
// tasked over X1, delivering X2/X3 to a mediation function.
func (o *options) ne() bool { return o.x1Listen != "" || o.mf != "" }

// accounting reports whether RADIUS accounting is read: for -user, or in
// NE mode when a server or a secret is given (an X1 task may name a
// subscriber).
func (o *options) accounting() bool {
	return len(o.users) > 0 || o.ne() && (o.radiusListen != "" || o.secretFile != "")
}

// exitError is an error with the exit code it gives; a nil err prints
// nothing (the flag package has already said why).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usage is a mistake on the command line: exit code 2.
func usage(err error) error { return &exitError{2, err} }

// errorLines is the errors that ended a rehearsal (the capture's, the
// handover's), each printed on its own line.
type errorLines []error

func (l errorLines) Error() string { return errors.Join(l...).Error() }

// lines returns the errors of l that are not nil, or nil for none.
func lines(errs ...error) error {
	var l errorLines
	for _, err := range errs {
		if err != nil {
			l = append(l, err)
		}
	}
	if l == nil {
		return nil
	}
	return l
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, stderr)
	if err == nil {
		err = rehearse(ctx, o, stdout, stderr)
	}
	return exitCode(err, stderr)
}

// exitCode prints err, if any, and returns the exit code it gives: 0 for
// none, 2 for a usage error, 1 otherwise.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	code := 1
	var e *exitError
	if errors.As(err, &e) {
		code = e.code
		if e.err == nil {
			return code
		}
	}
	errs, ok := err.(errorLines)
	if !ok {
		errs = errorLines{err}
	}
	for _, err := range errs {
		fmt.Fprintln(stderr, "tap:", strings.TrimSpace(err.Error()))
	}
	return code
}

// parseOptions reads the command line and refuses combinations that
// cannot work.
func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("tap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "lemf", "127.0.0.1:6000", "the receiver's address (HI2 and HI3)")
	fs.StringVar(&o.file, "file", "", "pcap or pcapng file to replay, streamed (default: the embedded sample)")
	fs.StringVar(&o.liid, "liid", "BE-REHEARSAL-1", "the task's LIID")
	fs.Var(&o.targets, "target", "a target address or prefix (repeatable)")
	fs.DurationVar(&o.length, "for", time.Hour, "the task's window, from the capture's first packet (live: from now)")
	fs.StringVar(&o.iface, "iface", "", "capture live from this interface instead of replaying a file (Linux, needs CAP_NET_RAW)")
	fs.StringVar(&o.spool, "spool", "", "a directory for the handover's disk spool (default: memory only)")
	fs.Var(&o.users, "user", "a target subscriber's RADIUS User-Name (repeatable)")
	fs.StringVar(&o.secretFile, "radius-secret-file", "", "a file holding the RADIUS shared secret (default with the embedded sample: its own)")
	fs.StringVar(&o.radiusListen, "radius-listen", "", "run a RADIUS accounting server on this UDP address (such as 127.0.0.1:1813) instead of reading the accounting in the capture")
	fs.Var(&o.clients, "radius-client", "an address or prefix RADIUS accounting may come from (repeatable; default: any)")
	fs.StringVar(&o.lemfCA, "lemf-ca", "", "TLS to the receiver: the authority of its certificate (PEM; default: plain TCP)")
	fs.StringVar(&o.lemfCert, "lemf-cert", "", "TLS to the receiver: our certificate, for mutual authentication (PEM)")
	fs.StringVar(&o.lemfKey, "lemf-key", "", "its private key (PEM)")
	fs.StringVar(&o.x1Listen, "x1-listen", "", "run as a point of interception (NE): an X1 server on this address, for the ADMF's tasks (needs -mf)")
	fs.StringVar(&o.x1Cert, "x1-cert", "", "the X1 server's certificate (PEM)")
	fs.StringVar(&o.x1Key, "x1-key", "", "its private key (PEM)")
	fs.StringVar(&o.x1CA, "x1-ca", "", "the authority that issues the ADMF's certificate (PEM)")
	fs.StringVar(&o.x1ID, "x1-ne", "tap", "this NE's X1 identifier (neIdentifier)")
	fs.StringVar(&o.admfID, "x1-admf", "admf", "the X1 identifier of the ADMF allowed to task it (admfIdentifier), which its certificate must name")
	fs.StringVar(&o.mf, "mf", "", "NE mode: the mediation function's X2/X3 address, instead of -lemf: where a task's records go when it names no destination")
	fs.StringVar(&o.mfCA, "mf-ca", "", "the authority of the mediation function's certificate (PEM)")
	fs.StringVar(&o.mfCert, "mf-cert", "", "our X2/X3 client certificate (PEM; default -x1-cert)")
	fs.StringVar(&o.mfKey, "mf-key", "", "its private key (PEM; default -x1-key)")
	if err := fs.Parse(args); err != nil {
		return o, usage(nil)
	}
	if (o.lemfCert == "") != (o.lemfKey == "") || o.lemfCert != "" && o.lemfCA == "" {
		return o, usage(errors.New("give -lemf-cert and -lemf-key together, with -lemf-ca"))
	}
	if o.ne() {
		err := neOptions(fs, &o)
		return o, err
	}
	if len(o.targets) == 0 && len(o.users) == 0 {
		return o, usage(errors.New("give at least one -target, such as -target 192.0.2.10/32, or -user"))
	}
	if o.iface != "" && len(o.users) > 0 && o.radiusListen == "" {
		return o, usage(errors.New("-user with -iface needs -radius-listen: the kernel filter keeps the accounting out of the capture"))
	}
	return o, nil
}

// radiusSecret returns the RADIUS shared secret: -radius-secret-file's, or
// the embedded sample's when the sample is what is read.
func (o *options) radiusSecret() ([]byte, error) {
	if o.secretFile != "" {
		b, err := os.ReadFile(o.secretFile)
		if err != nil {
			return nil, err
		}
		return bytes.TrimRight(b, "\r\n"), nil
	}
	if o.ne() && o.radiusListen != "" {
		return nil, usage(errors.New("give -radius-secret-file for -radius-listen"))
	}
	if len(o.users) > 0 && (o.file != "" || o.radiusListen != "") {
		return nil, usage(errors.New("give -radius-secret-file: only the embedded sample's secret is known"))
	}
	return []byte(sampleSecret), nil
}

// task is the rehearsal's one task: its LIID, the targets given, a window
// of -for from start.
func (o *options) task(id intercept.LIID, start time.Time) intercept.Task {
	task := intercept.Task{ID: [16]byte{1}, LIID: id, NotBefore: start, NotAfter: start.Add(o.length),
		Delivery: intercept.IRIAndCC, Agency: "rehearsal"}
	for _, t := range o.targets {
		task.Targets = append(task.Targets, intercept.AddressTarget(t))
	}
	for _, u := range o.users {
		task.Targets = append(task.Targets, intercept.UsernameTarget(u))
	}
	return task
}

// rehearse runs the rehearsal o describes: capture, pipeline, handover and,
// for -user, the accounting; then prints the status.
func rehearse(ctx context.Context, o options, stdout, stderr io.Writer) error {
	if o.ne() {
		return runNE(ctx, o, stdout, stderr)
	}
	secret, err := o.radiusSecret()
	if err != nil {
		return err
	}
	id, err := intercept.ParseLIID(o.liid)
	if err != nil {
		return usage(err)
	}
	in, err := openInput(o)
	if err != nil {
		return err
	}
	defer in.close()
	ctx, cancel := in.until(ctx, o)
	defer cancel()
	p, ho, err := startDelivery(o, in.clock)
	if err != nil {
		return err
	}
	printCrash(stdout, []handover.Stats{ho.Stats()})
	if err := p.SetTasks([]intercept.Task{o.task(id, in.start)}); err != nil {
		return usage(err)
	}
	acct, err := startAccounting(ctx, o, secret, in, p, stdout, stderr)
	if err != nil {
		return err
	}
	defer acct.stop() // on an early return; a second call does nothing
	runErr := p.Run(ctx, in.paced(ho.Queued))
	acct.stop() // its counts are final, and it writes no more
	runErr = endTask(p, in, o, runErr)
	closeErr := ho.Close()
	printStatus(stdout, in, acct, p, ho.Stats())
	return lines(runErr, closeErr)
}

// until bounds a live capture to -for from its start; a replay ends with
// its file.
func (in *input) until(ctx context.Context, o options) (context.Context, context.CancelFunc) {
	if !in.live {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, in.start.Add(o.length))
}

// paceLimit is how much a replay lets its handover hold unconfirmed
// before it waits: half of a link's memory queue (16 MiB by default), so
// that a file read faster than the receiver takes it is delivered, not
// refused for a full queue.
const paceLimit = 8 << 20

// paceWait bounds a replay's wait for its receiver before each batch.
const paceWait = 10 * time.Second

// paced returns the source to run: a replay waits, before each batch,
// while queued (the handover's unconfirmed bytes) is over paceLimit; a
// live capture never waits — the network does not.
func (in *input) paced(queued func() uint64) intercept.CaptureSource {
	if in.live {
		return in.src
	}
	return &pacedSource{CaptureSource: in.src, queued: queued}
}

// pacedSource is a replay that keeps pace with the receiver.
type pacedSource struct {
	intercept.CaptureSource
	queued func() uint64
	// gaveUp is set when the receiver took nothing for paceWait: the
	// replay stops waiting until the queue is below the limit again.
	gaveUp bool
}

func (s *pacedSource) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	return s.CaptureSource.Capture(ctx, func(b []intercept.Packet) {
		if s.gaveUp && s.queued() <= paceLimit {
			s.gaveUp = false
		}
		// A receiver that takes nothing for paceWait is not waited for
		// again until it has: the replay goes on, and its records are
		// spooled or refused and counted, as a live capture's would be.
		for give := time.Now().Add(paceWait); !s.gaveUp && s.queued() > paceLimit && ctx.Err() == nil; {
			if time.Now().After(give) {
				s.gaveUp = true
				break
			}
			time.Sleep(100 * time.Microsecond)
		}
		deliver(b)
	})
}

// input is where the packets come from.
type input struct {
	src     intercept.CaptureSource
	skipped func() uint64
	// clock is the pipeline's: the system's for a live capture, the
	// capture's first packet's time for a replay.
	clock timesync.Clock
	start time.Time
	live  bool
	close func()
}

// openInput opens the live capture of -iface, or the file (or embedded
// sample) to replay.
func openInput(o options) (*input, error) {
	if o.iface != "" {
		live, err := capture.NewLive(capture.LiveConfig{Interface: o.iface})
		if err != nil {
			return nil, err
		}
		clock := timesync.SystemClock{}
		return &input{src: live, skipped: live.Skipped, clock: clock, start: clock.Now(), live: true,
			close: func() { live.Close() }}, nil
	}
	var r io.Reader = bytes.NewReader(sample)
	if len(o.users) > 0 {
		r = bytes.NewReader(sampleRadius)
	}
	closeFile := func() {}
	if o.file != "" {
		f, err := os.Open(o.file)
		if err != nil {
			return nil, err
		}
		r, closeFile = f, func() { f.Close() }
	}
	src, start, err := openReplay(r)
	if err != nil {
		closeFile()
		return nil, err
	}
	return &input{src: src, skipped: src.Skipped, clock: timesync.ClockFunc(func() time.Time { return start }),
		start: start, close: closeFile}, nil
}

// openReplay returns the replay of the capture r and its first packet's
// time, which is the replay's clock. It streams: the file is read twice,
// the first time only as far as that packet, so a replay holds what
// capture.File does (its read buffer and a batch) whatever the file's
// size. A file that cannot seek (a pipe) is read once: what the first
// reading took — up to two reads of 256 KiB — is kept and read again.
func openReplay(r io.Reader) (*capture.File, time.Time, error) {
	s, seekable := r.(io.Seeker)
	var begin int64
	if seekable {
		var err error
		begin, err = s.Seek(0, io.SeekCurrent)
		seekable = err == nil
	}
	var head bytes.Buffer
	scan := r
	if !seekable {
		scan = io.TeeReader(r, &head)
	}
	start, err := firstPacketTime(scan)
	if err != nil {
		return nil, time.Time{}, err
	}
	if seekable {
		if _, err := s.Seek(begin, io.SeekStart); err != nil {
			return nil, time.Time{}, err
		}
	} else {
		r = io.MultiReader(&head, r)
	}
	f, err := capture.NewFile(r)
	if err != nil {
		return nil, time.Time{}, err
	}
	return f, start, nil
}

// startDelivery builds the encoder, the handover to -lemf and the
// pipeline feeding it.
func startDelivery(o options, clock timesync.Clock) (*pipeline.Pipeline, *handover.Handover, error) {
	enc, err := etsi.NewEncoder(rehearsal())
	if err != nil {
		return nil, nil, err
	}
	tlsCfg, err := receiverTLS(o)
	if err != nil {
		return nil, nil, usage(err)
	}
	ho, err := handover.New(handover.Config{HI2: o.addr, HI3: o.addr, Encoder: enc, TLS: tlsCfg, Clock: timesync.SystemClock{},
		DrainTimeout: 10 * time.Second, SpoolDir: o.spool})
	if err != nil {
		return nil, nil, err
	}
	p, err := pipeline.New(pipeline.Config{Agencies: map[string]pipeline.Agency{"rehearsal": {Encoder: enc, Handover: ho}}, Clock: clock})
	if err != nil {
		return nil, nil, err
	}
	return p, ho, nil
}

// accounting is the RADIUS side of a -user rehearsal: a server or a
// mirror, or nothing without -user.
type accounting struct {
	stats interface{ Stats() radius.Stats } // nil without -user
	stop  func()
}

// startAccounting starts reading RADIUS accounting for -user: a server on
// -radius-listen, or a mirror over the capture (which then becomes
// in.src's tee).
func startAccounting(ctx context.Context, o options, secret []byte, in *input, p *pipeline.Pipeline, stdout, stderr io.Writer) (*accounting, error) {
	if !o.accounting() {
		return &accounting{stop: func() {}}, nil
	}
	clients := o.clients
	if len(clients) == 0 {
		clients = prefixes{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
	}
	cfg := radius.Config{Clock: timesync.SystemClock{}}
	for _, c := range clients {
		cfg.Clients = append(cfg.Clients, radius.Client{Prefix: c, Secret: secret})
	}
	if o.radiusListen != "" {
		return startServer(ctx, o.radiusListen, cfg, in, p, stdout, stderr)
	}
	m, err := radius.NewMirror(in.src, cfg)
	if err != nil {
		return nil, usage(err)
	}
	in.src = m.Tee(func(ev intercept.AccessEvent) {
		if err := p.HandleEvent(ev); err != nil {
			fmt.Fprintln(stderr, "tap: an access event was refused:", err)
		}
	})
	return &accounting{stats: m, stop: func() {}}, nil
}

// startServer runs a RADIUS accounting server on addr, answering from the
// moment the capture runs: Run has then set the kernel filter, so a
// session the NAS was answered for has its packets taken from the answer
// on. Until then the NAS's requests wait in the socket.
func startServer(ctx context.Context, addr string, cfg radius.Config, in *input, p *pipeline.Pipeline, stdout, stderr io.Writer) (*accounting, error) {
	conn, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, err
	}
	srv, err := radius.NewServer(conn, cfg)
	if err != nil {
		conn.Close()
		return nil, usage(err)
	}
	started := &startedSource{CaptureSource: in.src, started: make(chan struct{})}
	if f, ok := in.src.(intercept.TargetFilter); ok {
		in.src = startedFilter{started, f}
	} else {
		in.src = started
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-started.started:
		case <-sctx.Done():
			return
		}
		fmt.Fprintf(stdout, "RADIUS accounting server on %s\n", conn.LocalAddr())
		if err := srv.Serve(sctx, p.HandleEvent); !errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "tap: the RADIUS accounting server stopped:", err)
		}
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			<-done
			conn.Close()
		})
	}
	return &accounting{stats: srv, stop: stop}, nil
}

// endTask fires the task's end after the capture and returns what the
// capture's end means: a live capture interrupted or past its window ended
// normally, at the clock's time; a replay ends the task at its window's
// end (HI1 liDeactivated then).
func endTask(p *pipeline.Pipeline, in *input, o options, runErr error) error {
	if in.live && (errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded)) {
		p.Tick(in.clock.Now())
		return nil
	}
	p.Tick(in.start.Add(o.length))
	return runErr
}

// printStatus prints what was captured, the accounting's counts, and the
// pipeline's and the handovers' status (links).
func printStatus(stdout io.Writer, in *input, acct *accounting, p *pipeline.Pipeline, links fmt.Stringer) {
	st := in.src.Stats()
	if in.live {
		fmt.Fprintf(stdout, "captured %d packets (%d without IP skipped, %d dropped by the kernel)\n", st.Received, in.skipped(), st.KernelDropped)
	} else {
		fmt.Fprintf(stdout, "replayed %d packets (%d frames without IP skipped)\n", st.Received, in.skipped())
	}
	if acct.stats != nil {
		fmt.Fprintln(stdout, acct.stats.Stats())
	}
	fmt.Fprint(stdout, p.Stats())
	fmt.Fprint(stdout, links)
}

// startedSource closes started when Run starts capturing from it, which
// Run does after setting a TargetFilter's kernel filter.
type startedSource struct {
	intercept.CaptureSource
	started chan struct{}
}

func (s *startedSource) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	close(s.started)
	return s.CaptureSource.Capture(ctx, deliver)
}

// startedFilter is a startedSource whose source has a kernel filter.
type startedFilter struct {
	*startedSource
	intercept.TargetFilter
}

// firstPacketTime returns the time of the first IP packet in the capture
// r, reading r only as far as that packet.
func firstPacketTime(r io.Reader) (time.Time, error) {
	f, err := capture.NewFile(r)
	if err != nil {
		return time.Time{}, err
	}
	var first time.Time
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.Capture(ctx, func(b []intercept.Packet) {
		if first.IsZero() && len(b) > 0 {
			first = b[0].Time
			cancel()
		}
	})
	if first.IsZero() {
		return first, fmt.Errorf("%w: no IP packet in the capture", capture.ErrFormat)
	}
	return first, nil
}

// receiverTLS returns the TLS configuration towards the agency's
// receiver (-lemf-ca, and -lemf-cert and -lemf-key for mutual
// authentication), or nil for plain TCP.
func receiverTLS(o options) (*tls.Config, error) {
	if o.lemfCA == "" {
		return nil, nil
	}
	return handover.LoadTLS(o.lemfCA, o.lemfCert, o.lemfKey)
}
