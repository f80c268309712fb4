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
// by an earlier run are sent first.
package main

import (
	"bytes"
	"context"
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("lemf", "127.0.0.1:6000", "the receiver's address (HI2 and HI3)")
	file := fs.String("file", "", "pcap or pcapng file to replay (default: the embedded sample)")
	liid := fs.String("liid", "BE-REHEARSAL-1", "the task's LIID")
	var targets prefixes
	fs.Var(&targets, "target", "a target address or prefix (repeatable)")
	length := fs.Duration("for", time.Hour, "the task's window, from the capture's first packet (live: from now)")
	iface := fs.String("iface", "", "capture live from this interface instead of replaying a file (Linux, needs CAP_NET_RAW)")
	spool := fs.String("spool", "", "a directory for the handover's disk spool (default: memory only)")
	var users names
	fs.Var(&users, "user", "a target subscriber's RADIUS User-Name (repeatable)")
	secretFile := fs.String("radius-secret-file", "", "a file holding the RADIUS shared secret (default with the embedded sample: its own)")
	radiusListen := fs.String("radius-listen", "", "run a RADIUS accounting server on this UDP address (such as 127.0.0.1:1813) instead of reading the accounting in the capture")
	var clients prefixes
	fs.Var(&clients, "radius-client", "an address or prefix RADIUS accounting may come from (repeatable; default: any)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if len(targets) == 0 && len(users) == 0 {
		fmt.Fprintln(stderr, "tap: give at least one -target, such as -target 192.0.2.10/32, or -user")
		return 2
	}
	if *iface != "" && len(users) > 0 && *radiusListen == "" {
		fmt.Fprintln(stderr, "tap: -user with -iface needs -radius-listen: the kernel filter keeps the accounting out of the capture")
		return 2
	}
	secret := []byte(sampleSecret)
	if *secretFile != "" {
		b, err := os.ReadFile(*secretFile)
		if err != nil {
			fmt.Fprintln(stderr, "tap:", err)
			return 1
		}
		secret = bytes.TrimRight(b, "\r\n")
	} else if len(users) > 0 && (*file != "" || *radiusListen != "") {
		fmt.Fprintln(stderr, "tap: give -radius-secret-file: only the embedded sample's secret is known")
		return 2
	}
	id, err := intercept.ParseLIID(*liid)
	if err != nil {
		fmt.Fprintln(stderr, "tap:", err)
		return 2
	}
	var (
		src     intercept.CaptureSource
		skipped func() uint64
		clock   timesync.Clock
		start   time.Time
	)
	if *iface != "" {
		live, err := capture.NewLive(capture.LiveConfig{Interface: *iface})
		if err != nil {
			fmt.Fprintln(stderr, "tap:", err)
			return 1
		}
		defer live.Close()
		src, skipped, clock = live, live.Skipped, timesync.SystemClock{}
		start = clock.Now()
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, start.Add(*length))
		defer cancel()
	} else {
		data := sample
		if len(users) > 0 {
			data = sampleRadius
		}
		if *file != "" {
			if data, err = os.ReadFile(*file); err != nil {
				fmt.Fprintln(stderr, "tap:", err)
				return 1
			}
		}
		// The replay's clock is the capture's first packet's time.
		if start, err = firstPacketTime(data); err != nil {
			fmt.Fprintln(stderr, "tap:", err)
			return 1
		}
		clock = timesync.ClockFunc(func() time.Time { return start })
		f, err := capture.NewFile(bytes.NewReader(data))
		if err != nil {
			fmt.Fprintln(stderr, "tap:", err)
			return 1
		}
		src, skipped = f, f.Skipped
	}
	enc, err := etsi.NewEncoder(rehearsal())
	if err != nil {
		fmt.Fprintln(stderr, "tap:", err)
		return 1
	}
	ho, err := handover.New(handover.Config{HI2: *addr, HI3: *addr, Encoder: enc, Clock: timesync.SystemClock{},
		DrainTimeout: 10 * time.Second, SpoolDir: *spool})
	if err != nil {
		fmt.Fprintln(stderr, "tap:", err)
		return 1
	}
	p, err := pipeline.New(pipeline.Config{Agencies: map[string]pipeline.Agency{"rehearsal": {Encoder: enc, Handover: ho}}, Clock: clock})
	if err != nil {
		fmt.Fprintln(stderr, "tap:", err)
		return 1
	}
	task := intercept.Task{ID: [16]byte{1}, LIID: id, NotBefore: start, NotAfter: start.Add(*length),
		Delivery: intercept.IRIAndCC, Agency: "rehearsal"}
	for _, t := range targets {
		task.Targets = append(task.Targets, intercept.AddressTarget(t))
	}
	for _, u := range users {
		task.Targets = append(task.Targets, intercept.UsernameTarget(u))
	}
	if err := p.SetTasks([]intercept.Task{task}); err != nil {
		fmt.Fprintln(stderr, "tap:", err)
		return 2
	}
	var accounting interface{ Stats() radius.Stats }
	stopServer := func() {}
	if len(users) > 0 {
		if len(clients) == 0 {
			clients = prefixes{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
		}
		cfg := radius.Config{Clock: timesync.SystemClock{}}
		for _, c := range clients {
			cfg.Clients = append(cfg.Clients, radius.Client{Prefix: c, Secret: secret})
		}
		if *radiusListen != "" {
			conn, err := net.ListenPacket("udp", *radiusListen)
			if err != nil {
				fmt.Fprintln(stderr, "tap:", err)
				return 1
			}
			defer conn.Close()
			srv, err := radius.NewServer(conn, cfg)
			if err != nil {
				fmt.Fprintln(stderr, "tap:", err)
				return 2
			}
			accounting = srv
			// The server answers once the capture runs: Run has then set
			// the kernel filter, so a session the NAS was answered for
			// has its packets taken from the answer on. Until then the
			// NAS's requests wait in the socket.
			started := &startedSource{CaptureSource: src, started: make(chan struct{})}
			if f, ok := src.(intercept.TargetFilter); ok {
				src = startedFilter{started, f}
			} else {
				src = started
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
			stopServer = func() { cancel(); <-done }
			defer stopServer() // on an early return; a second call does nothing
		} else {
			m, err := radius.NewMirror(src, cfg)
			if err != nil {
				fmt.Fprintln(stderr, "tap:", err)
				return 2
			}
			accounting = m
			src = m.Tee(func(ev intercept.AccessEvent) {
				if err := p.HandleEvent(ev); err != nil {
					fmt.Fprintln(stderr, "tap: an access event was refused:", err)
				}
			})
		}
	}
	runErr := p.Run(ctx, src)
	stopServer() // its counts are final, and it writes no more
	if *iface != "" && (errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded)) {
		runErr = nil // interrupted, or the window ended: the normal end of a live capture
		p.Tick(clock.Now())
	} else {
		p.Tick(start.Add(*length)) // the replay ends the task: HI1 liDeactivated at its end
	}
	closeErr := ho.Close()
	st := src.Stats()
	if *iface != "" {
		fmt.Fprintf(stdout, "captured %d packets (%d without IP skipped, %d dropped by the kernel)\n", st.Received, skipped(), st.KernelDropped)
	} else {
		fmt.Fprintf(stdout, "replayed %d packets (%d frames without IP skipped)\n", st.Received, skipped())
	}
	if accounting != nil {
		fmt.Fprintln(stdout, accounting.Stats())
	}
	fmt.Fprint(stdout, p.Stats())
	fmt.Fprint(stdout, ho.Stats())
	code := 0
	for _, err := range []error{runErr, closeErr} {
		if err != nil {
			fmt.Fprintln(stderr, "tap:", strings.TrimSpace(err.Error()))
			code = 1
		}
	}
	return code
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

func firstPacketTime(data []byte) (time.Time, error) {
	f, err := capture.NewFile(bytes.NewReader(data))
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
