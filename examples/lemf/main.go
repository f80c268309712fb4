// Command lemf is a test receiver for rehearsing real-time interception
// before connecting to the police's facility: it accepts HI2 and HI3
// connections, answers keep-alives, prints one line per record received
// and, when stopped (Ctrl-C, or -for), a report of every stream's
// continuity — records, missing numbers, duplicates.
//
//	go run ./examples/lemf -listen 127.0.0.1:6000
//
// Records are printed with their LIID, CIN, stream, number and kind; the
// packets' contents are not printed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/timesync"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil))
}

// rehearsal is the profile the receiver answers keep-alives with. A
// receiver's keep-alive response carries only the keep-alive LIID and the
// header fields; for a rehearsal these placeholders do.
func rehearsal() intercept.Profile {
	return intercept.Profile{
		AuthorizationCountry: "BE", DeliveryCountry: "BE",
		OperatorID: "REHEARSAL", HI1OperatorID: "REHRS",
		Timestamps: intercept.Microseconds, PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID:     intercept.MustParseLIID("ccjkit-lemf"),
		KeepAliveInterval: 300 * time.Second, KeepAliveTimeout: 30 * time.Second,
	}
}

// run serves until ctx is done or -for elapses; ready, when set, is told
// the listening address.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) int {
	fs := flag.NewFlagSet("lemf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:6000", "address to listen on for HI2 and HI3")
	quiet := fs.Bool("quiet", false, "print only the final report")
	dur := fs.Duration("for", 0, "stop after this long (0: until interrupted)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	enc, err := etsi.NewEncoder(rehearsal())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	var mu sync.Mutex
	rx, err := lemf.Listen(ctx, "tcp", *listen, lemf.Config{
		Encoder: enc, Clock: timesync.SystemClock{}, Decode: true,
		OnPDU: func(c lemf.ConnInfo, p *etsi.PDU) {
			if *quiet {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintln(stdout, describe(c, p))
		},
	})
	if err != nil {
		fmt.Fprintln(stderr, "lemf:", err)
		return 1
	}
	fmt.Fprintf(stderr, "lemf: listening on %s\n", rx.Addr())
	if ready != nil {
		ready(rx.Addr().String())
	}
	if *dur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *dur)
		defer cancel()
	}
	<-ctx.Done()
	err = rx.Close()
	mu.Lock()
	defer mu.Unlock()
	fmt.Fprint(stdout, rx.Report())
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "lemf:", err)
	}
	return 0
}

// describe is one line about a record, in Brussels time.
func describe(c lemf.ConnInfo, p *etsi.PDU) string {
	h := p.Header
	at := h.Time.In(timesync.Brussels()).Format("2006-01-02 15:04:05.000000")
	s := fmt.Sprintf("conn %d  %s  LIID %s CIN %d seq %d  ", c.ID, at, h.LIID, h.CIN, h.Seq)
	switch p.Payload.Kind {
	case etsi.CCSequence:
		cc := p.Payload.CC[0]
		return s + fmt.Sprintf("CC %s, %d-byte packet", cc.Direction, len(cc.Packet))
	case etsi.IRISequence:
		iri := p.Payload.IRI[0]
		return s + fmt.Sprintf("IRI %s %s", iri.Type, iri.IPIRI.AccessEventType)
	case etsi.HI1Operation:
		return s + "HI1 " + [...]string{"?", "liActivated", "liDeactivated", "liModified"}[p.Payload.HI1.Kind]
	case etsi.TRIPayload:
		return s + "TRI " + p.Payload.TRI.String()
	}
	return s + "?"
}
