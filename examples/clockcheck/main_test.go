package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func runCapture(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	clock := timesynctest.NewClock(time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC))
	code = run(context.Background(), args, &out, &errOut, clock)
	return code, out.String(), errOut.String()
}

func TestSamples(t *testing.T) {
	code, out, _ := runCapture(t, "-sample")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"COMPLIANT at 2026-11-23T15:00:00+01:00: times may be reported to the second (error ≤ 0.013 ms; GPS via chrony (sample gps-stratum1))",
		"NOT COMPLIANT at 2026-11-23T15:00:00+01:00: not good to the second",
		"FAIL accuracy: worst-case clock error 612.900 ms exceeds 100.000 ms",
		"NOT COMPLIANT at 2026-11-23T15:00:00+01:00: no traceable reliable signal",
		"NOT COMPLIANT at 2026-11-23T15:00:00+01:00: not synchronised",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSamplesTrustedUpstream(t *testing.T) {
	_, out, _ := runCapture(t, "-sample", "-trust", "192.0.2.1")
	if !strings.Contains(out, "ok   traceable [chrony (sample stratum2-upstream)]: stratum 2, synchronised to trusted upstream 192.0.2.1") {
		t.Errorf("-trust not applied:\n%s", out)
	}
}

func TestSamplesJSON(t *testing.T) {
	code, out, _ := runCapture(t, "-sample", "-json")
	var vs []timesync.Verdict
	if err := json.Unmarshal([]byte(out), &vs); err != nil || code != 0 {
		t.Fatalf("exit %d, JSON %v:\n%s", code, err, out)
	}
	if len(vs) != 4 {
		t.Fatalf("%d verdicts, want 4", len(vs))
	}
	compliant := 0
	for _, v := range vs {
		if v.Synchronised && v.ToTheSecond && v.Traceable {
			compliant++
		}
	}
	if compliant != 1 {
		t.Errorf("%d compliant samples, want 1 (the GPS one)", compliant)
	}
}

func TestNoSourceSaysSoPlainly(t *testing.T) {
	code, out, errOut := runCapture(t, "-no-chrony")
	if code != exitNoSource || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if lines := strings.Count(errOut, "\n"); lines > 2 || !strings.Contains(errOut, "no -server given") {
		t.Errorf("want one or two plain lines, got:\n%s", errOut)
	}
}

// With -json and no time source to ask — none named, or a chronyd that
// does not answer and no server — a script still reads a verdict: not
// compliant, saying why, with the exit status of no source.
func TestNoSourceStillPrintsJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no source named", []string{"-no-chrony", "-json"}},
		{"a chronyd that does not answer", []string{"-chrony-socket", filepath.Join(t.TempDir(), "absent.sock"), "-timeout", "2s", "-json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCapture(t, tc.args...)
			if code != exitNoSource {
				t.Errorf("exit %d, want %d", code, exitNoSource)
			}
			var v timesync.Verdict
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("standard output is not a JSON verdict: %v\n%s", err, out)
			}
			if v.Compliant() || len(v.Reasons) == 0 || v.At.IsZero() {
				t.Errorf("verdict %+v", v)
			}
			if !strings.Contains(errOut, "no time source") {
				t.Errorf("standard error does not say why:\n%s", errOut)
			}
		})
	}
}

func TestUnreachableServerDoesNotHang(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close() // nothing listens there now
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close() // listens, never answers
	start := time.Now()
	code, out, _ := runCapture(t, "-no-chrony", "-timeout", "500ms", "-server", addr, "-server", silent.LocalAddr().String())
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("took %v with a 500 ms timeout", elapsed)
	}
	if code != exitNoSource {
		t.Errorf("exit %d, want %d", code, exitNoSource)
	}
	for _, want := range []string{"NOT COMPLIANT", fmt.Sprintf("FAIL reachable [ntp %s]", addr), "FAIL reachable [ntp " + silent.LocalAddr().String()} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestJSONExitCodesMatchText(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	text, _, _ := runCapture(t, "-no-chrony", "-timeout", "500ms", "-server", addr)
	js, out, _ := runCapture(t, "-no-chrony", "-timeout", "500ms", "-server", addr, "-json")
	if text != exitNoSource || js != exitNoSource {
		t.Errorf("exit codes text %d, json %d; want %d for both", text, js, exitNoSource)
	}
	var v timesync.Verdict
	if err := json.Unmarshal([]byte(out), &v); err != nil || len(v.Failures) != 1 {
		t.Errorf("json verdict %+v, %v", v, err)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"stray"}, {"-timeout", "soon"}, {"-max-error", "0"}, {"-timeout", "-1s"}} {
		if code, _, _ := runCapture(t, args...); code != exitNoSource {
			t.Errorf("%q: exit %d, want %d", args, code, exitNoSource)
		}
	}
}
