package timesync_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/timesync"
)

var judgedAt = time.Date(2026, 11, 23, 17, 0, 0, 0, time.UTC)

func gps(name string, offset time.Duration) timesync.Sample {
	return timesync.Sample{Source: name, Method: timesync.MethodNTP, Offset: offset, Stratum: 1,
		ReferenceID: 0x47505300, Reference: "GPS", RootDispersion: time.Millisecond, Delay: 2 * time.Millisecond}
}

// within is a GPS stratum-1 sample whose correction is offsetMs ± distMs.
func within(name string, offsetMs, distMs int) timesync.Sample {
	return timesync.Sample{Source: name, Method: timesync.MethodNTP, Offset: time.Duration(offsetMs) * time.Millisecond,
		Stratum: 1, ReferenceID: 0x47505300, Reference: "GPS", RootDispersion: time.Duration(distMs) * time.Millisecond}
}

func stratum2(name, upstream string, offset time.Duration) timesync.Sample {
	return timesync.Sample{Source: name, Method: timesync.MethodNTP, Offset: offset, Stratum: 2,
		Reference: upstream, RootDelay: 10 * time.Millisecond, RootDispersion: 5 * time.Millisecond, Delay: 4 * time.Millisecond}
}

func TestJudge(t *testing.T) {
	unsynced := timesync.Sample{Source: "ntp broken", Stratum: 0, Leap: timesync.LeapUnsynchronised}
	local := timesync.Sample{Source: "chrony", Method: timesync.MethodChrony, Stratum: 1, ReferenceID: timesync.LocalClockID, Reference: "LOCAL"}
	tests := []struct {
		name                                 string
		policy                               timesync.Policy
		samples                              []timesync.Sample
		failures                             []*timesync.SourceError
		synchronised, toTheSecond, traceable bool
		bound                                time.Duration
		reasonContains                       []string
	}{
		{name: "one GPS stratum 1, tiny offset", samples: []timesync.Sample{gps("ntp a", 200*time.Microsecond)},
			synchronised: true, toTheSecond: true, traceable: true, bound: 200*time.Microsecond + 2*time.Millisecond,
			reasonContains: []string{"ok   traceable [ntp a]: stratum 1 on reference clock GPS", "ok   accuracy: worst-case clock error 2.200 ms, within 100.000 ms"}},
		{name: "GPS but clock 300 ms off", samples: []timesync.Sample{gps("ntp a", -300*time.Millisecond)},
			synchronised: true, toTheSecond: false, traceable: true, bound: 302 * time.Millisecond,
			reasonContains: []string{"FAIL accuracy: worst-case clock error 302.000 ms exceeds 100.000 ms"}},
		{name: "looser policy accepts 300 ms", policy: timesync.Policy{MaxError: 400 * time.Millisecond},
			samples:      []timesync.Sample{gps("ntp a", -300*time.Millisecond)},
			synchronised: true, toTheSecond: true, traceable: true, bound: 302 * time.Millisecond},
		{name: "stratum 2, untrusted upstream", samples: []timesync.Sample{stratum2("ntp b", "192.0.2.7", 0)},
			synchronised: true, toTheSecond: true, traceable: false, bound: 12 * time.Millisecond,
			reasonContains: []string{"FAIL traceable [ntp b]: stratum 2 through 192.0.2.7"}},
		{name: "stratum 2, trusted upstream", policy: timesync.Policy{TrustedUpstreams: []string{"192.0.2.7"}},
			samples:      []timesync.Sample{stratum2("ntp b", "192.0.2.7", 0)},
			synchronised: true, toTheSecond: true, traceable: true, bound: 12 * time.Millisecond,
			reasonContains: []string{"ok   traceable [ntp b]: stratum 2, synchronised to trusted upstream 192.0.2.7"}},
		{name: "local clock is no reliable signal", samples: []timesync.Sample{local},
			synchronised: true, toTheSecond: true, traceable: false, bound: 0,
			reasonContains: []string{"stratum 1 on LOCAL, which is not a reliable signal"}},
		{name: "unsynchronised only", samples: []timesync.Sample{unsynced},
			synchronised: false, bound: -1,
			reasonContains: []string{"FAIL synchronised [ntp broken]: not synchronised (stratum 0, leap not synchronised)", "no synchronised time source"}},
		{name: "nothing answered", failures: []*timesync.SourceError{{Source: "ntp 127.0.0.1:9", Err: timesync.ErrNoAnswer}},
			bound: -1, reasonContains: []string{"FAIL reachable [ntp 127.0.0.1:9]: no usable answer"}},
		{name: "no source at all", bound: -1, reasonContains: []string{"no time source was asked"}},
		{name: "three agree, falseticker ignored",
			samples:      []timesync.Sample{gps("ntp a", time.Millisecond), gps("ntp b", 2*time.Millisecond), gps("ntp c", 900*time.Millisecond)},
			synchronised: true, toTheSecond: true, traceable: true, bound: 3 * time.Millisecond,
			reasonContains: []string{"FAIL agreement [ntp c]: offset 900.000 ms", "ok   agreement: 2 of 3 sources agree"}},
		{name: "two equal majorities that disagree widen the bound",
			samples:      []timesync.Sample{within("a", 0, 5), within("b", 2, 5), within("c", 150, 5), within("d", 152, 5), within("e", 75, 80)},
			synchronised: true, toTheSecond: false, traceable: true, bound: 155 * time.Millisecond,
			reasonContains: []string{"5 of 5 sources agree: the correction lies in [-3.000 ms, 155.000 ms]"}},
		{name: "a chain of overlaps keeps every source",
			samples:      []timesync.Sample{within("a", 10, 10), within("b", 25, 15), within("c", 40, 10)},
			synchronised: true, toTheSecond: true, traceable: true, bound: 40 * time.Millisecond,
			reasonContains: []string{"3 of 3 sources agree: the correction lies in [10.000 ms, 40.000 ms]"}},
		{name: "negative delays are no credit",
			samples: []timesync.Sample{func() timesync.Sample {
				s := gps("ntp a", 300*time.Millisecond)
				s.RootDispersion, s.Delay = 100*time.Millisecond, -150*time.Millisecond
				return s
			}()},
			synchronised: true, toTheSecond: false, traceable: true, bound: 400 * time.Millisecond},
		{name: "two disagree: no majority",
			samples:      []timesync.Sample{gps("ntp a", 0), gps("ntp b", 500*time.Millisecond)},
			synchronised: true, bound: -1, reasonContains: []string{"no majority"}},
		{name: "unsynchronised source does not vote",
			samples:      []timesync.Sample{gps("ntp a", 0), unsynced},
			synchronised: true, toTheSecond: true, traceable: true, bound: 2 * time.Millisecond},
		{name: "leap second announced is information",
			samples:      []timesync.Sample{func() timesync.Sample { s := gps("ntp a", 0); s.Leap = timesync.LeapInsert; return s }()},
			synchronised: true, toTheSecond: true, traceable: true, bound: 2 * time.Millisecond,
			reasonContains: []string{"ok   leap second [ntp a]: a leap second is announced (insert second)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := timesync.Judge(judgedAt, tt.policy, tt.samples, tt.failures)
			if v.Synchronised != tt.synchronised || v.ToTheSecond != tt.toTheSecond || v.Traceable != tt.traceable {
				t.Errorf("synchronised/to the second/traceable = %v/%v/%v, want %v/%v/%v\n%s",
					v.Synchronised, v.ToTheSecond, v.Traceable, tt.synchronised, tt.toTheSecond, tt.traceable, reasons(v))
			}
			if v.Compliant() != (tt.synchronised && tt.toTheSecond && tt.traceable) {
				t.Errorf("Compliant() = %v", v.Compliant())
			}
			if v.ErrorBound != tt.bound {
				t.Errorf("ErrorBound = %v, want %v", v.ErrorBound, tt.bound)
			}
			all := reasons(v)
			for _, want := range tt.reasonContains {
				if !strings.Contains(all, want) {
					t.Errorf("no reason contains %q; reasons:\n%s", want, all)
				}
			}
			for _, r := range v.Reasons {
				if !r.OK && r.Question != timesync.Reachable && r.Question != timesync.Agreement && r.Rule == "" && r.Source == "" {
					t.Errorf("failing reason without its rule: %v", r)
				}
			}
		})
	}
}

func reasons(v timesync.Verdict) string {
	var b strings.Builder
	for _, r := range v.Reasons {
		fmt.Fprintln(&b, r)
	}
	return b.String()
}

// Property: the error bound Judge reports covers every correction that all
// the agreeing sources allow, and a compliant verdict never rests on an
// error larger than the policy's.
func TestJudgeBoundProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5).Draw(t, "n")
		var samples []timesync.Sample
		for i := range n {
			s := gps(fmt.Sprintf("s%d", i), time.Duration(rapid.Int64Range(-1e9, 1e9).Draw(t, "offset")))
			s.RootDispersion = time.Duration(rapid.Int64Range(0, 5e8).Draw(t, "dispersion"))
			samples = append(samples, s)
		}
		v := timesync.Judge(judgedAt, timesync.Policy{}, samples, nil)
		if v.ErrorBound < 0 {
			if v.ToTheSecond || n == 1 {
				t.Fatalf("no bound but to-the-second=%v with %d samples", v.ToTheSecond, n)
			}
			return
		}
		if v.ToTheSecond && v.ErrorBound > timesync.DefaultMaxError {
			t.Fatalf("to the second with bound %v", v.ErrorBound)
		}
		// The bound is never smaller than the best single source allows
		// for the truth at the edges of its own interval intersected with
		// the others': at least the smallest |offset| - distance.
		best := time.Duration(1 << 62)
		for _, s := range samples {
			best = min(best, s.ErrorBound())
		}
		if n == 1 && v.ErrorBound != best {
			t.Fatalf("single source: bound %v, want %v", v.ErrorBound, best)
		}
		if v.ErrorBound > best && n > 1 {
			// Intersecting can only narrow the interval of any agreeing source.
			for _, s := range samples {
				if v.ErrorBound > s.ErrorBound() && agreesWithAll(s, samples) {
					t.Fatalf("bound %v wider than agreeing source %s's %v", v.ErrorBound, s.Source, s.ErrorBound())
				}
			}
		}
	})
}

func agreesWithAll(s timesync.Sample, all []timesync.Sample) bool {
	for _, o := range all {
		if o.Offset-o.Distance() > s.Offset+s.Distance() || s.Offset-s.Distance() > o.Offset+o.Distance() {
			return false
		}
	}
	return true
}

func TestSampleReferenceClock(t *testing.T) {
	tests := []struct {
		name string
		s    timesync.Sample
		want string
	}{
		{"GPS", timesync.Sample{Stratum: 1, ReferenceID: 0x47505300}, "GPS"},
		{"PPS", timesync.Sample{Stratum: 1, ReferenceID: 0x50505300}, "PPS"},
		{"GNSS, four letters", timesync.Sample{Stratum: 1, ReferenceID: 0x474e5353}, "GNSS"},
		{"local", timesync.Sample{Stratum: 1, ReferenceID: timesync.LocalClockID}, "LOCAL"},
		{"unprintable", timesync.Sample{Stratum: 1, ReferenceID: 0x01020304}, "01020304"},
		{"stratum 2 has none", timesync.Sample{Stratum: 2, ReferenceID: 0x47505300}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.ReferenceClock(); got != tt.want {
				t.Errorf("ReferenceClock() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSourceErrorWithoutCause(t *testing.T) {
	e := &timesync.SourceError{Source: "x"}
	if e.Error() != "x: unknown error" {
		t.Errorf("Error() = %q", e.Error())
	}
	if b, err := json.Marshal(e); err != nil || string(b) != `{"source":"x","error":"unknown error"}` {
		t.Errorf("json = %s, %v", b, err)
	}
}

func TestSourceErrorUnwraps(t *testing.T) {
	err := error(&timesync.SourceError{Source: "ntp x", Err: fmt.Errorf("%w: refused", timesync.ErrNoAnswer)})
	if !errors.Is(err, timesync.ErrNoAnswer) || err.Error() != "ntp x: timesync: no answer from time source: refused" {
		t.Errorf("err = %v", err)
	}
}

func TestVerdictJSONRoundTrip(t *testing.T) {
	v := timesync.Judge(judgedAt, timesync.Policy{}, []timesync.Sample{gps("ntp a", time.Millisecond)},
		[]*timesync.SourceError{{Source: "ntp b", Err: timesync.ErrNoAnswer}})
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back timesync.Verdict
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	opts := cmp.Comparer(func(a, b *timesync.SourceError) bool { return a.Source == b.Source && a.Err.Error() == b.Err.Error() })
	if diff := cmp.Diff(v, back, opts); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"leap":"sideways"}`, `{"method":""}`, `{"method":"Method(0)"}`} {
		var s timesync.Sample
		if err := json.Unmarshal([]byte(bad), &s); !errors.Is(err, timesync.ErrUnknownName) {
			t.Errorf("%s: err = %v, want ErrUnknownName", bad, err)
		}
	}
}
