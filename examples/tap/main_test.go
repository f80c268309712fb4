package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync"
)

var update = flag.Bool("update", false, "rewrite sample.pcapng")

// TestSampleIsGenerated: the shipped capture is the generator's output.
func TestSampleIsGenerated(t *testing.T) {
	var buf bytes.Buffer
	if err := itest.WriteSample(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("sample.pcapng", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(buf.Bytes(), sample) {
		t.Fatal("sample.pcapng differs from internal/itest.WriteSample's output; run go test ./examples/tap -update")
	}
}

// TestRadiusSampleIsGenerated: the shipped RADIUS capture is the
// generator's output, with the secret the tap knows.
func TestRadiusSampleIsGenerated(t *testing.T) {
	var buf bytes.Buffer
	if err := itest.WriteRadiusSample(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("sample-radius.pcapng", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(buf.Bytes(), sampleRadius) {
		t.Fatal("sample-radius.pcapng differs from internal/itest.WriteRadiusSample's output; run go test ./examples/tap -update")
	}
	if sampleSecret != itest.SampleRADIUSSecret {
		t.Fatal("the tap's sample secret is not the sample's")
	}
}

// replay runs the tap with args towards a test receiver, and returns its
// output and the unique CC and IRI records the receiver got, checking
// that no stream had a gap or a duplicate.
func replay(t *testing.T, args ...string) (out string, cc, iri int) {
	t.Helper()
	enc, _ := etsi.NewEncoder(rehearsal())
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if code := run(ctx, append([]string{"-lemf", rx.Addr().String()}, args...), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr.String(), stdout.String())
	}
	for _, s := range rx.Report().Streams {
		if s.Gaps != 0 || s.Duplicates != 0 {
			t.Errorf("stream %+v", s)
		}
		if s.Key.Stream == intercept.CC {
			cc += int(s.Unique)
		} else {
			iri += int(s.Unique)
		}
	}
	return stdout.String(), cc, iri
}

// TestReplayUserToReceiver: the order names a subscriber; her accounting
// in the replayed capture gives her addresses while her session lasts,
// and only those packets are intercepted, with her session's IRIs.
func TestReplayUserToReceiver(t *testing.T) {
	out, cc, iri := replay(t, "-user", itest.SampleUser, "-liid", "BE-DEMO-2")
	for _, want := range []string{
		"replayed 30 packets (0 frames without IP skipped)",
		"RADIUS accounting: 3 request(s) read, 3 access event(s) delivered; nothing refused or lost",
		"LIID BE-DEMO-2 (ended): CC 10 delivered of 10, IRI 5 delivered of 5; nothing lost",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if cc != itest.SampleRADIUSUserPackets || iri != 5 {
		t.Errorf("the receiver got %d CC and %d IRI records", cc, iri)
	}
}

func TestReplayToReceiver(t *testing.T) {
	out, cc, iri := replay(t, "-target", "192.0.2.10/32", "-target", "2001:db8:10::1/128", "-liid", "BE-DEMO-1")
	for _, want := range []string{
		"replayed 90 packets (10 frames without IP skipped)",
		"LIID BE-DEMO-1 (ended): CC 40 delivered of 40, IRI 2 delivered of 2; nothing lost",
		"HI3 → ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if cc != 40 || iri != 2 {
		t.Errorf("the receiver got %d CC and %d IRI records", cc, iri)
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(t.Context(), nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-target") {
		t.Errorf("no target: exit %d, %s", code, errOut.String())
	}
	if code := run(t.Context(), []string{"-target", "nonsense"}, &out, &errOut); code != 2 {
		t.Errorf("bad target: exit %d", code)
	}
	errOut.Reset()
	if code := run(t.Context(), []string{"-user", "u", "-file", "x.pcap"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-radius-secret-file") {
		t.Errorf("own capture without a secret: exit %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if code := run(t.Context(), []string{"-user", "u", "-iface", "lo"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-radius-listen") {
		t.Errorf("live without a server: exit %d, %s", code, errOut.String())
	}
}
