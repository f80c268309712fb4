package timesync

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// The legal rules the synchronisation check judges against.
const (
	// RuleReliableSignal: the clocks of every system involved must be
	// synchronised permanently with a reliable signal such as an atomic clock
	// or GPS. IBPT information brochure on operators' cooperation with the
	// judicial authorities, §3.15 [S: quoted in Neutrinet's 2021 post; the
	// brochure itself was not found, reference/belgian-law.md §6].
	RuleReliableSignal = "clocks synchronised permanently with a reliable signal such as an atomic clock or GPS (IBPT brochure §3.15)"
	// RuleToTheSecond: times of traffic data are given to the second (IBPT
	// brochure §3.15), in the 24-hour format and Belgian time with summer and
	// winter time, and operators synchronise their systems' clocks (royal
	// decree of 4 October 2023, art. 2 [V]; the tolerance it sets, if any,
	// was not retrieved [U], hence [Policy.MaxError]).
	RuleToTheSecond = "times given to the second on synchronised clocks (royal decree of 4 October 2023 art. 2; IBPT brochure §3.15)"
)

// Leap is a time source's leap-second indicator (RFC 5905 §7.3).
type Leap uint8

const (
	LeapNone           Leap = iota // no leap second announced
	LeapInsert                     // the last minute of the month has 61 seconds
	LeapDelete                     // the last minute of the month has 59 seconds
	LeapUnsynchronised             // the source's clock is not synchronised (alarm)
)

// String returns "normal", "insert second", "delete second" or
// "not synchronised".
func (l Leap) String() string {
	switch l {
	case LeapNone:
		return "normal"
	case LeapInsert:
		return "insert second"
	case LeapDelete:
		return "delete second"
	case LeapUnsynchronised:
		return "not synchronised"
	}
	return fmt.Sprintf("Leap(%d)", uint8(l))
}

// MarshalText returns [Leap.String].
func (l Leap) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Method says how a [Sample] was taken.
type Method uint8

const (
	// MethodNTP: one NTP exchange with a server; Offset is this machine's
	// clock measured against that server.
	MethodNTP Method = iota + 1
	// MethodChrony: the local chronyd's own account of how it disciplines
	// this machine's clock (chronyc tracking).
	MethodChrony
)

// String returns "ntp" or "chrony".
func (m Method) String() string {
	switch m {
	case MethodNTP:
		return "ntp"
	case MethodChrony:
		return "chrony"
	}
	return fmt.Sprintf("Method(%d)", uint8(m))
}

// MarshalText returns [Method.String].
func (m Method) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Sample is what one time source said about this machine's clock.
type Sample struct {
	Source string    `json:"source"` // the source's name, e.g. "ntp 127.0.0.1:123" or "chrony"
	Method Method    `json:"method"`
	At     time.Time `json:"at"` // when the sample was taken, from the injected Clock
	// Offset is the correction to add to this machine's clock to get the
	// source's time: positive means this machine is behind (slow). This is
	// the sign both NTP's clock offset and chronyc's CSV output use.
	Offset time.Duration `json:"offset_ns"`
	// Stratum is the source's distance from a reference clock: 1 is attached
	// to one (GPS, PPS, atomic), 2 synchronises from a stratum 1, ...; 0 and
	// 16 mean unsynchronised.
	Stratum int `json:"stratum"`
	// ReferenceID is the source's RFC 5905 reference identifier: four ASCII
	// letters naming the reference clock at stratum 1 ("GPS", "PPS"), the
	// upstream server's IPv4 address (or a hash of its IPv6 address) above.
	ReferenceID uint32 `json:"reference_id"`
	// Reference is the reference in words: the clock's name at stratum 1,
	// the upstream's address or name above, "" when unknown.
	Reference string `json:"reference"`
	// RootDelay and RootDispersion are the source's round-trip delay and
	// dispersion to its stratum 1 reference (RFC 5905 §7.3).
	RootDelay      time.Duration `json:"root_delay_ns"`
	RootDispersion time.Duration `json:"root_dispersion_ns"`
	// Delay is the round trip of the NTP exchange itself; 0 for chrony,
	// whose offset already accounts for its own measurements.
	Delay time.Duration `json:"delay_ns"`
	Leap  Leap          `json:"leap"`
	// ReferenceTime is when the source's clock was last set or corrected;
	// zero when unknown or never.
	ReferenceTime time.Time `json:"reference_time"`
}

// Synchronised reports whether the source says it is synchronised: a stratum
// from 1 to 15 and no alarm leap indicator (RFC 5905 §7.3).
func (s Sample) Synchronised() bool {
	return s.Leap != LeapUnsynchronised && s.Stratum >= 1 && s.Stratum <= 15
}

// Distance is the sample's root distance: half the round-trip delay to the
// reference clock plus the accumulated dispersion, plus half this exchange's
// own round trip. The source's time is within Distance of UTC (RFC 5905
// §11.2, "root synchronization distance"; chronyc(1), tracking). A negative
// delay or dispersion (a confused or lying source) counts as zero, never as a
// credit against the other terms.
func (s Sample) Distance() time.Duration {
	return max(s.RootDelay, 0)/2 + max(s.RootDispersion, 0) + max(s.Delay, 0)/2
}

// ErrorBound is the worst-case error of this machine's clock according to
// this sample alone: |Offset| + Distance. chronyc(1) gives the same bound for
// its tracking report ("clock_error <= |system_time_offset| +
// root_dispersion + 0.5 * root_delay").
func (s Sample) ErrorBound() time.Duration { return abs(s.Offset) + s.Distance() }

// LocalClockID is the reference identifier 127.127.1.1 that chronyd and ntpd
// announce when they serve their own free-running clock ("local" directive):
// a stratum without a reliable signal behind it.
const LocalClockID = 0x7F7F0101

// ReferenceClock returns the name of the reference clock of a stratum-1
// sample ("GPS", "PPS", "LOCAL" for [LocalClockID]) and "" otherwise.
func (s Sample) ReferenceClock() string {
	if s.Stratum != 1 {
		return ""
	}
	if s.ReferenceID == LocalClockID {
		return "LOCAL"
	}
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], s.ReferenceID)
	name := strings.TrimRight(string(b[:]), "\x00")
	for i := 0; i < len(name); i++ {
		if name[i] < 0x21 || name[i] > 0x7e {
			return fmt.Sprintf("%08X", s.ReferenceID)
		}
	}
	return name
}

// describeReference returns the reference as a person reads it.
func describeReference(id uint32, stratum int) string {
	if stratum == 1 {
		return Sample{Stratum: 1, ReferenceID: id}.ReferenceClock()
	}
	if stratum >= 2 && stratum <= 15 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], id)
		return netip.AddrFrom4(b).String()
	}
	return ""
}

// Policy holds the thresholds the check judges by. The zero Policy is the
// default policy: every zero field takes the default documented on it.
type Policy struct {
	// MaxError is the largest worst-case clock error at which times may
	// still be reported to the second. The law sets "to the second" but no
	// tolerance that we could find [U]. A time is reported by truncating to
	// its second (see Timestamp), so an error e moves a report into the
	// neighbouring second for a fraction e of all events; half a second is
	// the point where reports stop being "to the second" in any honest
	// sense. The default, 100 ms, stays well under it and leaves room for
	// the time between measurement and use. Zero or negative means the
	// default.
	MaxError time.Duration `json:"max_error_ns"`
	// ReferenceClocks lists the stratum-1 reference identifiers accepted as
	// a reliable signal. Default: [DefaultReferenceClocks].
	ReferenceClocks []string `json:"reference_clocks"`
	// TrustedUpstreams lists servers (as chronyd or a stratum-2 reply names
	// them: an IPv4 address, or the name chronyd shows) that the operator
	// has verified to be synchronised to a reliable signal, such as their
	// own GPS-fed stratum 1 or a national laboratory's server. A stratum 2
	// sample whose reference is listed counts as traceable. Default: none,
	// because from one hop the check cannot see further up the chain.
	TrustedUpstreams []string `json:"trusted_upstreams"`
}

// DefaultMaxError is [Policy.MaxError]'s default.
const DefaultMaxError = 100 * time.Millisecond

// DefaultReferenceClocks returns the stratum-1 reference identifiers of the
// IANA "Reference Identifier Codes" registry (RFC 5905 §7.3) that name
// satellite, radio, atomic or disciplined-pulse references. LOCL/LOCAL (a
// free-running local clock) and the kiss codes are not among them. A new
// slice is returned on each call.
func DefaultReferenceClocks() []string {
	return []string{
		"GPS", "GNSS", "GAL", "GLO", "BDS", "PPS", // satellite navigation and pulse per second
		"ATOM", "CDMA", "GOES", "IRIG", // atomic clock, CDMA/satellite, time code
		"DCF", "MSF", "HBG", "TDF", "JJY", "WWV", "WWVB", "WWVH", "CHU", "LORC", // radio time signals
		"NIST", "USNO", "PTB", "ACTS", // national laboratories (modem or NTP services)
	}
}

func (p Policy) maxError() time.Duration {
	if p.MaxError > 0 {
		return p.MaxError
	}
	return DefaultMaxError
}

func (p Policy) referenceClocks() []string {
	if len(p.ReferenceClocks) > 0 {
		return p.ReferenceClocks
	}
	return DefaultReferenceClocks()
}

// Question is one of the questions a [Verdict] answers.
type Question uint8

const (
	Reachable    Question = iota + 1 // did the source answer sensibly?
	Synchronised                     // does the source say it is synchronised?
	Agreement                        // do the sources agree with each other?
	Accuracy                         // is the worst-case error small enough to report to the second?
	Traceable                        // is the time traceable to GPS, PPS or an atomic clock?
	LeapSecond                       // is a leap second announced? (information only)
)

// String returns the question's name, such as "accuracy".
func (q Question) String() string {
	switch q {
	case Reachable:
		return "reachable"
	case Synchronised:
		return "synchronised"
	case Agreement:
		return "agreement"
	case Accuracy:
		return "accuracy"
	case Traceable:
		return "traceable"
	case LeapSecond:
		return "leap second"
	}
	return fmt.Sprintf("Question(%d)", uint8(q))
}

// MarshalText returns [Question.String].
func (q Question) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// Reason is one finding behind a [Verdict], good or bad.
type Reason struct {
	Question Question `json:"question"`
	OK       bool     `json:"ok"`
	Source   string   `json:"source,omitempty"` // the source it is about; "" for the verdict as a whole
	Text     string   `json:"text"`             // the finding, for a person
	Rule     string   `json:"rule,omitempty"`   // the legal rule at stake, with its citation
}

// String returns the reason on one line, for example
// "FAIL accuracy [chrony]: worst-case error 612.000 ms exceeds 100.000 ms".
func (r Reason) String() string {
	mark := "ok  "
	if !r.OK {
		mark = "FAIL"
	}
	src := ""
	if r.Source != "" {
		src = " [" + r.Source + "]"
	}
	return fmt.Sprintf("%s %s%s: %s", mark, r.Question, src, r.Text)
}

// SourceError is a source that gave no usable sample.
type SourceError struct {
	Source string
	Err    error
}

// Error returns the source's name and the cause.
func (e *SourceError) Error() string { return e.Source + ": " + e.cause() }

func (e *SourceError) cause() string {
	if e.Err == nil {
		return "unknown error"
	}
	return e.Err.Error()
}

// Unwrap returns the cause.
func (e *SourceError) Unwrap() error { return e.Err }

// MarshalJSON writes {"source": ..., "error": ...}.
func (e *SourceError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Source string `json:"source"`
		Error  string `json:"error"`
	}{e.Source, e.cause()})
}

// Verdict answers whether this machine's times can be reported to the second
// against a reliable, traceable signal, with the reasons.
type Verdict struct {
	At       time.Time      `json:"at"` // when the verdict was given
	Policy   Policy         `json:"policy"`
	Samples  []Sample       `json:"samples"`
	Failures []*SourceError `json:"failures"`

	// Synchronised: at least one source is synchronised.
	Synchronised bool `json:"synchronised"`
	// ToTheSecond: the synchronised sources agree (a majority of them have
	// a common interval) and the worst-case error is within MaxError.
	ToTheSecond bool `json:"to_the_second"`
	// Traceable: one of the agreeing sources is a reference clock in
	// Policy.ReferenceClocks, or is synchronised to a trusted upstream.
	Traceable bool `json:"traceable"`
	// ErrorBound is the worst-case error of this machine's clock given the
	// agreeing sources; -1ns when it cannot be bounded.
	ErrorBound time.Duration `json:"error_bound_ns"`
	// Reference names the reliable signal found, e.g. "GPS via chrony".
	Reference string `json:"reference,omitempty"`

	Reasons []Reason `json:"reasons"`
}

// Compliant reports whether the machine's clock meets all three conditions:
// synchronised, good to the second, traceable to a reliable signal.
func (v Verdict) Compliant() bool { return v.Synchronised && v.ToTheSecond && v.Traceable }

// Judge gives the verdict on samples already taken (and on the sources that
// failed), at instant at, under policy p. It is a pure function: [Check]
// takes the samples and calls it, and tests call it directly.
//
// With several synchronised sources, Judge looks for the narrowest interval
// of corrections that a strict majority of the sources' error intervals
// [Offset-Distance, Offset+Distance] reach, allowing as few sources as
// possible to be wrong — the intersection step of NTP's clock selection
// (RFC 5905 §11.2.1, after Marzullo). Sources whose interval misses it are
// reported as disagreeing and ignored. The error bound is the largest
// |correction| in that interval, so two equal majorities that disagree
// widen the bound instead of one of them being dropped.
func Judge(at time.Time, p Policy, samples []Sample, failures []*SourceError) Verdict {
	v := Verdict{At: at.UTC(), Policy: p, Samples: samples, Failures: failures, ErrorBound: -1}
	add := func(q Question, ok bool, src, rule, format string, args ...any) {
		v.Reasons = append(v.Reasons, Reason{Question: q, OK: ok, Source: src, Text: fmt.Sprintf(format, args...), Rule: rule})
	}
	for _, f := range failures {
		add(Reachable, false, f.Source, "", "no usable answer: %v", f.Err)
	}
	var synced []Sample
	for _, s := range samples {
		if s.Synchronised() {
			synced = append(synced, s)
			add(Synchronised, true, s.Source, "", "stratum %d, reference %s, leap %s", s.Stratum, orUnknown(s.Reference), s.Leap)
			continue
		}
		add(Synchronised, false, s.Source, RuleReliableSignal, "not synchronised (stratum %d, leap %s)", s.Stratum, s.Leap)
	}
	if len(synced) == 0 {
		if len(samples)+len(failures) == 0 {
			add(Reachable, false, "", "", "no time source was asked")
		}
		add(Synchronised, false, "", RuleReliableSignal, "no synchronised time source: times cannot be vouched for")
		return v
	}
	v.Synchronised = true

	agree, lo, hi := intersect(synced)
	if len(agree)*2 <= len(synced) {
		add(Agreement, false, "", RuleToTheSecond, "%d sources, no majority agrees on the time: cannot tell which is right", len(synced))
		return v
	}
	for i, s := range synced {
		if !slices.Contains(agree, i) {
			add(Agreement, false, s.Source, "", "offset %s ±%s disagrees with the majority; ignored", ms(s.Offset), ms(s.Distance()))
		}
	}
	if len(synced) > 1 {
		add(Agreement, true, "", "", "%d of %d sources agree: the correction lies in [%s, %s]", len(agree), len(synced), ms(lo), ms(hi))
	}
	v.ErrorBound = max(abs(lo), abs(hi))
	limit := p.maxError()
	v.ToTheSecond = v.ErrorBound <= limit
	if v.ToTheSecond {
		add(Accuracy, true, "", RuleToTheSecond, "worst-case clock error %s, within %s", ms(v.ErrorBound), ms(limit))
	} else {
		add(Accuracy, false, "", RuleToTheSecond, "worst-case clock error %s exceeds %s: times cannot be reported to the second", ms(v.ErrorBound), ms(limit))
	}

	clocks := p.referenceClocks()
	for _, i := range agree {
		s := synced[i]
		switch refclock := s.ReferenceClock(); {
		case s.Stratum == 1 && slices.Contains(clocks, refclock):
			v.Traceable = true
			v.Reference = refclock + " via " + s.Source
			add(Traceable, true, s.Source, RuleReliableSignal, "stratum 1 on reference clock %s", refclock)
		case s.Stratum == 1:
			add(Traceable, false, s.Source, RuleReliableSignal, "stratum 1 on %s, which is not a reliable signal (not in the accepted reference clocks)", refclock)
		case s.Reference != "" && slices.Contains(p.TrustedUpstreams, s.Reference):
			v.Traceable = true
			v.Reference = s.Reference + " (trusted upstream) via " + s.Source
			add(Traceable, true, s.Source, RuleReliableSignal, "stratum %d, synchronised to trusted upstream %s", s.Stratum, s.Reference)
		default:
			add(Traceable, false, s.Source, RuleReliableSignal,
				"stratum %d through %s: the chain to GPS or an atomic clock cannot be seen from here (verify that server and list it in Policy.TrustedUpstreams)",
				s.Stratum, orUnknown(s.Reference))
		}
		if s.Leap == LeapInsert || s.Leap == LeapDelete {
			add(LeapSecond, true, s.Source, "", "a leap second is announced (%s) for the end of the month", s.Leap)
		}
	}
	return v
}

// intersect finds, for the smallest number f of sources allowed to be wrong
// (f < n/2), the lowest correction lo reached by at least n-f intervals and
// the highest hi reached by at least n-f intervals, with lo <= hi. It
// returns the indices of the sources whose interval meets [lo, hi]; none
// when no majority exists.
func intersect(samples []Sample) (agree []int, lo, hi time.Duration) {
	type edge struct {
		at    time.Duration
		start bool
	}
	edges := make([]edge, 0, 2*len(samples))
	for _, s := range samples {
		d := s.Distance()
		edges = append(edges, edge{s.Offset - d, true}, edge{s.Offset + d, false})
	}
	// Intervals are closed: at the same point, starts come before ends
	// when scanning up (and so ends before starts when scanning down).
	slices.SortFunc(edges, func(a, b edge) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		switch {
		case a.start == b.start:
			return 0
		case a.start:
			return -1
		}
		return 1
	})
	n := len(samples)
	for need := n; need*2 > n; need-- {
		foundLo, foundHi := false, false
		count := 0
		for _, e := range edges {
			if e.start {
				count++
			} else {
				count--
			}
			if count >= need {
				lo, foundLo = e.at, true
				break
			}
		}
		count = 0
		for i := len(edges) - 1; i >= 0; i-- {
			if e := edges[i]; !e.start {
				count++
			} else {
				count--
			}
			if count >= need {
				hi, foundHi = edges[i].at, true
				break
			}
		}
		if foundLo && foundHi && lo <= hi {
			for i, s := range samples {
				d := s.Distance()
				if s.Offset-d <= hi && lo <= s.Offset+d {
					agree = append(agree, i)
				}
			}
			return agree, lo, hi
		}
	}
	return nil, 0, 0
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// ms formats a duration in milliseconds with microsecond resolution.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// ErrUnknownName is returned when text names no Leap, Method or Question.
var ErrUnknownName = errors.New("timesync: unknown name")

// unmarshalName finds text among the String forms of the values 0..n-1 of
// an enumeration.
func unmarshalName[T ~uint8](text []byte, n int, kind string) (T, error) {
	for i := range n {
		v := T(i)
		if fmt.Sprint(v) == string(text) {
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w: %q is not a %s", ErrUnknownName, text, kind)
}

// UnmarshalText accepts the forms [Leap.String] returns.
func (l *Leap) UnmarshalText(text []byte) (err error) {
	*l, err = unmarshalName[Leap](text, int(LeapUnsynchronised)+1, "leap indicator")
	return err
}

// UnmarshalText accepts "ntp" and "chrony".
func (m *Method) UnmarshalText(text []byte) (err error) {
	*m, err = unmarshalName[Method](text, int(MethodChrony)+1, "sampling method")
	if err == nil && *m == 0 {
		err = fmt.Errorf("%w: %q is not a sampling method", ErrUnknownName, text)
	}
	return err
}

// UnmarshalText accepts the forms [Question.String] returns.
func (q *Question) UnmarshalText(text []byte) (err error) {
	*q, err = unmarshalName[Question](text, int(LeapSecond)+1, "question")
	if err == nil && *q == 0 {
		err = fmt.Errorf("%w: %q is not a question", ErrUnknownName, text)
	}
	return err
}

// UnmarshalJSON reads what [SourceError.MarshalJSON] writes. The cause comes
// back as text: errors.Is against the package's sentinels no longer holds
// for a decoded SourceError.
func (e *SourceError) UnmarshalJSON(b []byte) error {
	var v struct {
		Source string `json:"source"`
		Error  string `json:"error"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Source, e.Err = v.Source, errors.New(v.Error)
	return nil
}
