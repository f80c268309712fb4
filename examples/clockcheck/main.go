// Command clockcheck tells whether this machine's clock may be used for
// times reported to Belgian judicial authorities: synchronised, good to the
// second, and traceable to GPS, PPS or an atomic clock (royal decree of
// 4 October 2023 art. 2; IBPT brochure §3.15).
//
// It asks the local chronyd (through chronyc) when one answers, and the NTP
// servers given with -server. It prints the verdict with each reason on its
// own line, or JSON with -json, and exits 0 when the clock is compliant, 1
// when it is not, 2 when no source could be asked or the flags are wrong.
// With -json a verdict is printed whenever the flags are right, a source
// answered or not: with none, it is not compliant, and says why in its
// failures and reasons (the exit status is still 2).
//
//	go run ./examples/clockcheck                      # the local chronyd
//	go run ./examples/clockcheck -server ntp.belnet.be -server 192.0.2.1:123
//	go run ./examples/clockcheck -sample              # embedded sample reports, no network
package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
)

//go:embed samples/*.csv
var samples embed.FS

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, timesync.SystemClock{}))
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// Exit statuses.
const (
	exitCompliant    = 0
	exitNotCompliant = 1
	exitNoSource     = 2
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer, clock timesync.Clock) int {
	fl := flag.NewFlagSet("clockcheck", flag.ContinueOnError)
	fl.SetOutput(stderr)
	var servers, trusted listFlag
	fl.Var(&servers, "server", "NTP server `HOST[:PORT]` to ask (repeatable)")
	fl.Var(&trusted, "trust", "upstream `ADDRESS` verified to be synchronised to GPS or an atomic clock (repeatable)")
	asJSON := fl.Bool("json", false, "print the verdict as JSON")
	noChrony := fl.Bool("no-chrony", false, "do not ask the local chronyd")
	socket := fl.String("chrony-socket", "", "chronyd command `socket` (default: chronyc's own)")
	timeout := fl.Duration("timeout", 3*time.Second, "give up on a source after this long")
	maxError := fl.Duration("max-error", timesync.DefaultMaxError, "largest worst-case clock error accepted")
	sample := fl.Bool("sample", false, "judge the embedded sample chrony reports instead of live sources (exit 0)")
	if err := fl.Parse(args); err != nil {
		return exitNoSource
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "clockcheck: unexpected argument %q (servers go after -server)\n", fl.Arg(0))
		return exitNoSource
	}
	if *maxError <= 0 || *timeout <= 0 {
		fmt.Fprintln(stderr, "clockcheck: -max-error and -timeout must be positive")
		return exitNoSource
	}
	policy := timesync.Policy{MaxError: *maxError, TrustedUpstreams: trusted}
	if *sample {
		return runSamples(stdout, stderr, policy, *asJSON)
	}

	var sources []timesync.Source
	chrony := timesync.Chrony{Socket: *socket, Timeout: *timeout}
	if !*noChrony {
		sources = append(sources, chrony)
	}
	for _, s := range servers {
		sources = append(sources, timesync.NTPServer{Address: s, Timeout: *timeout})
	}
	if len(sources) == 0 {
		fmt.Fprintln(stderr, "clockcheck: no time source to ask: -no-chrony and no -server given.")
		return noSourceJSON(stdout, stderr, *asJSON, timesync.Judge(clock.Now(), policy, nil, nil))
	}
	// Every source has its own timeout; the overall limit only guards
	// against a source that ignores it.
	ctx, cancel := context.WithTimeout(ctx, *timeout+time.Second)
	defer cancel()
	v := timesync.Check(ctx, clock, policy, sources...)

	// A chronyd that is simply not there is not a failure when NTP servers
	// were named: it is mentioned and left out of the verdict.
	var note string
	if !*noChrony {
		for i, f := range v.Failures {
			if f.Source == chrony.Name() && errors.Is(f.Err, timesync.ErrNoAnswer) {
				note = "no local chronyd answered (" + shorten(f.Err) + ")"
				if len(servers) == 0 {
					fmt.Fprintf(stderr, "clockcheck: no time source to ask: %s and no -server was given.\n", note)
					fmt.Fprintln(stderr, "clockcheck: run it where chronyd runs, or name NTP servers: -server HOST[:PORT]")
					return noSourceJSON(stdout, stderr, *asJSON, v)
				}
				failures := slices.Delete(slices.Clone(v.Failures), i, i+1)
				v = timesync.Judge(v.At, policy, v.Samples, failures)
				break
			}
		}
	}
	if *asJSON {
		if err := writeJSON(stdout, v); err != nil {
			fmt.Fprintln(stderr, "clockcheck:", err)
			return exitNoSource
		}
	} else {
		if note != "" {
			fmt.Fprintln(stdout, "note:", note)
		}
		printVerdict(stdout, v)
	}
	switch {
	case v.Compliant():
		return exitCompliant
	case len(v.Samples) == 0:
		return exitNoSource
	}
	return exitNotCompliant
}

// noSourceJSON ends a run that had no time source to ask: under -json
// it prints the verdict all the same — not compliant, its failures and
// reasons saying why — so that a script always reads one; the status is
// exitNoSource either way.
func noSourceJSON(stdout, stderr io.Writer, asJSON bool, v timesync.Verdict) int {
	if asJSON {
		if err := writeJSON(stdout, v); err != nil {
			fmt.Fprintln(stderr, "clockcheck:", err)
		}
	}
	return exitNoSource
}

// runSamples judges every embedded sample report as if chronyc had printed
// it at a fixed instant.
func runSamples(stdout, stderr io.Writer, policy timesync.Policy, asJSON bool) int {
	at := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	names, err := fs.Glob(samples, "samples/*.csv")
	if err != nil {
		fmt.Fprintln(stderr, "clockcheck:", err)
		return exitNoSource
	}
	var verdicts []timesync.Verdict
	for i, name := range names {
		data, err := samples.ReadFile(name)
		if err != nil {
			fmt.Fprintln(stderr, "clockcheck:", err)
			return exitNoSource
		}
		s, err := timesync.ParseChronyTracking(data)
		if err != nil {
			fmt.Fprintf(stderr, "clockcheck: %s: %v\n", name, err)
			return exitNoSource
		}
		s.Source, s.At = "chrony (sample "+strings.TrimSuffix(path.Base(name), ".csv")+")", at
		v := timesync.Judge(at, policy, []timesync.Sample{s}, nil)
		verdicts = append(verdicts, v)
		if !asJSON {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			printVerdict(stdout, v)
		}
	}
	if asJSON {
		if err := writeJSON(stdout, verdicts); err != nil {
			fmt.Fprintln(stderr, "clockcheck:", err)
			return exitNoSource
		}
	}
	return exitCompliant
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printVerdict writes the verdict for a person: the answer first, then one
// line per source and one per reason.
func printVerdict(w io.Writer, v timesync.Verdict) {
	at := timesync.FromTime(v.At)
	if v.Compliant() {
		fmt.Fprintf(w, "COMPLIANT at %s: times may be reported to the second (error ≤ %s; %s)\n",
			at, ms(v.ErrorBound), v.Reference)
	} else {
		var missing []string
		if !v.Synchronised {
			missing = append(missing, "not synchronised")
		} else if !v.ToTheSecond {
			missing = append(missing, "not good to the second")
		}
		if v.Synchronised && !v.Traceable {
			missing = append(missing, "no traceable reliable signal")
		}
		fmt.Fprintf(w, "NOT COMPLIANT at %s: %s\n", at, strings.Join(missing, ", "))
	}
	for _, s := range v.Samples {
		fmt.Fprintf(w, "  source %s: stratum %d, reference %s, offset %s, error bound ±%s, leap %s\n",
			s.Source, s.Stratum, orDash(s.Reference), signedMs(s.Offset), ms(s.ErrorBound()), s.Leap)
	}
	for _, r := range v.Reasons {
		fmt.Fprintf(w, "  %s\n", r)
	}
}

func ms(d time.Duration) string {
	if d < 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}

func signedMs(d time.Duration) string {
	return fmt.Sprintf("%+.3f ms", float64(d)/float64(time.Millisecond))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// shorten keeps an error's last clause, enough for a one-line note.
func shorten(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		return msg[i+2:]
	}
	return msg
}
