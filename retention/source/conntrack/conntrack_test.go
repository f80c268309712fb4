package conntrack_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/conntrack"
	"github.com/ccjkit/ccjkit/timesync"
)

// Lines conntrack-tools 1.4.7 printed on an nftables masquerade box.
const (
	udpNew     = "[1796542699.803976]\t    [NEW] ipv4     2 udp      17 30 src=100.64.0.2 dst=198.51.100.2 sport=36267 dport=9000 [UNREPLIED] src=198.51.100.2 dst=198.51.100.1 sport=9000 dport=36267"
	udpDestroy = "[1796542700.652245]\t[DESTROY] ipv4     2 udp      17 29 src=100.64.0.2 dst=198.51.100.2 sport=36267 dport=9000 [UNREPLIED] src=198.51.100.2 dst=198.51.100.1 sport=9000 dport=36267 [USERSPACE] portid=2481400390"
	tcpNew     = "[1796542700.124452]\t    [NEW] ipv4     2 tcp      6 120 SYN_SENT src=100.64.0.2 dst=198.51.100.2 sport=37326 dport=9001 [UNREPLIED] src=198.51.100.2 dst=198.51.100.1 sport=9001 dport=37326"
	tcpUpdate  = "[1796542700.124497]\t [UPDATE] ipv4     2 tcp      6 432000 ESTABLISHED src=100.64.0.2 dst=198.51.100.2 sport=37326 dport=9001 src=198.51.100.2 dst=198.51.100.1 sport=9001 dport=37326 [ASSURED]"
	tcpDestroy = "[1796542700.652529]\t[DESTROY] ipv4     2 tcp      6 119 TIME_WAIT src=100.64.0.2 dst=198.51.100.2 sport=37326 dport=9001 src=198.51.100.2 dst=198.51.100.1 sport=9001 dport=37326 [ASSURED] [USERSPACE] portid=2481400390"
	// A SNAT to another port, IPv6 (NPTv6-less NAT66), ICMP, and a flow
	// the NAT did not translate.
	snatPort  = "[1796542701.000000]\t    [NEW] ipv4     2 tcp      6 120 SYN_SENT src=100.64.0.3 dst=198.51.100.2 sport=40000 dport=443 [UNREPLIED] src=198.51.100.2 dst=198.51.100.1 sport=443 dport=61001 mark=0 zone=0 use=1"
	nat66     = "[1796542701.500000]\t    [NEW] ipv6     10 udp      17 30 src=fd00::2 dst=2001:db8::2 sport=5353 dport=53 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=53 dport=5353"
	icmpNew   = "[1796542702.000000]\t    [NEW] ipv4     2 icmp     1 30 src=100.64.0.2 dst=198.51.100.2 type=8 code=0 id=77 [UNREPLIED] src=198.51.100.2 dst=198.51.100.1 type=0 code=0 id=77"
	untouched = "[1796542702.000000]\t    [NEW] ipv4     2 udp      17 30 src=198.51.100.1 dst=198.51.100.2 sport=123 dport=123 [UNREPLIED] src=198.51.100.2 dst=198.51.100.1 sport=123 dport=123"
)

func TestParseLine(t *testing.T) {
	a := netip.MustParseAddr
	for _, tc := range []struct {
		name string
		line string
		want conntrack.Event
	}{
		{"a UDP NEW", udpNew, conntrack.Event{Time: time.Unix(1796542699, 803976000).UTC(), Type: conntrack.New, Protocol: 17, Ports: true,
			Orig:  conntrack.Tuple{Src: a("100.64.0.2"), Dst: a("198.51.100.2"), SrcPort: 36267, DstPort: 9000},
			Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1"), SrcPort: 9000, DstPort: 36267}}},
		{"a TCP UPDATE with a state", tcpUpdate, conntrack.Event{Time: time.Unix(1796542700, 124497000).UTC(), Type: conntrack.Update, Protocol: 6, Ports: true,
			Orig:  conntrack.Tuple{Src: a("100.64.0.2"), Dst: a("198.51.100.2"), SrcPort: 37326, DstPort: 9001},
			Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1"), SrcPort: 9001, DstPort: 37326}}},
		{"a DESTROY with flags and portid", udpDestroy, conntrack.Event{Time: time.Unix(1796542700, 652245000).UTC(), Type: conntrack.Destroy, Protocol: 17, Ports: true,
			Orig:  conntrack.Tuple{Src: a("100.64.0.2"), Dst: a("198.51.100.2"), SrcPort: 36267, DstPort: 9000},
			Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1"), SrcPort: 9000, DstPort: 36267}}},
		{"extra fields, a zone", strings.Replace(snatPort, "zone=0", "zone=7", 1), conntrack.Event{Time: time.Unix(1796542701, 0).UTC(), Type: conntrack.New, Protocol: 6, Ports: true, Zone: 7,
			Orig:  conntrack.Tuple{Src: a("100.64.0.3"), Dst: a("198.51.100.2"), SrcPort: 40000, DstPort: 443},
			Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1"), SrcPort: 443, DstPort: 61001}}},
		{"IPv6", nat66, conntrack.Event{Time: time.Unix(1796542701, 500000000).UTC(), Type: conntrack.New, Protocol: 17, Ports: true,
			Orig:  conntrack.Tuple{Src: a("fd00::2"), Dst: a("2001:db8::2"), SrcPort: 5353, DstPort: 53},
			Reply: conntrack.Tuple{Src: a("2001:db8::2"), Dst: a("2001:db8::1"), SrcPort: 53, DstPort: 5353}}},
		{"ICMP has no ports", icmpNew, conntrack.Event{Time: time.Unix(1796542702, 0).UTC(), Type: conntrack.New, Protocol: 1,
			Orig: conntrack.Tuple{Src: a("100.64.0.2"), Dst: a("198.51.100.2")}, Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1")}}},
		{"a DESTROY by conntrack -D names the program (seen in the peer test)", tcpDestroy + " progname=conntrack", conntrack.Event{Time: time.Unix(1796542700, 652529000).UTC(), Type: conntrack.Destroy, Protocol: 6, Ports: true,
			Orig:  conntrack.Tuple{Src: a("100.64.0.2"), Dst: a("198.51.100.2"), SrcPort: 37326, DstPort: 9001},
			Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1"), SrcPort: 9001, DstPort: 37326}}},
		{"a program name with a space", tcpDestroy + " progname=my tool", conntrack.Event{Time: time.Unix(1796542700, 652529000).UTC(), Type: conntrack.Destroy, Protocol: 6, Ports: true,
			Orig:  conntrack.Tuple{Src: a("100.64.0.2"), Dst: a("198.51.100.2"), SrcPort: 37326, DstPort: 9001},
			Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1"), SrcPort: 9001, DstPort: 37326}}},
		{"no timeout (a DESTROY without -o extended's timer)", strings.Replace(udpDestroy, " 29 ", " ", 1), conntrack.Event{Time: time.Unix(1796542700, 652245000).UTC(), Type: conntrack.Destroy, Protocol: 17, Ports: true,
			Orig:  conntrack.Tuple{Src: a("100.64.0.2"), Dst: a("198.51.100.2"), SrcPort: 36267, DstPort: 9000},
			Reply: conntrack.Tuple{Src: a("198.51.100.2"), Dst: a("198.51.100.1"), SrcPort: 9000, DstPort: 36267}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := conntrack.ParseLine([]byte(tc.line))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseLineProblems(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		fields     []string
	}{
		{"empty", "", []string{"line"}},
		{"no timestamp (-o timestamp missing)", strings.SplitN(udpNew, "\t", 2)[1], []string{"time"}},
		{"a timestamp in milliseconds", strings.Replace(udpNew, ".803976]", ".803]", 1), []string{"time"}},
		{"an unknown event", strings.Replace(udpNew, "[NEW]", "[OLD]", 1), []string{"event"}},
		{"no -o extended", strings.Replace(udpNew, "ipv4     2 ", "", 1), []string{"network protocol"}},
		{"ipv4 numbered 10", strings.Replace(udpNew, "ipv4     2", "ipv4     10", 1), []string{"network protocol"}},
		{"udp numbered 6", strings.Replace(udpNew, "udp      17", "udp      6", 1), []string{"transport protocol"}},
		{"an unknown protocol name", strings.Replace(udpNew, "udp      17", "quic      17", 1), []string{"transport protocol"}},
		{"an IPv6 address in an IPv4 flow", strings.Replace(udpNew, "src=100.64.0.2", "src=fd00::2", 1), []string{"original tuple src"}},
		{"a port too large", strings.Replace(udpNew, "sport=36267", "sport=70000", 1), []string{"original tuple sport"}},
		{"a signed port", strings.Replace(udpNew, "dport=36267", "dport=+36267", 1), []string{"reply tuple dport"}},
		{"no reply tuple", strings.SplitN(udpNew, " [UNREPLIED]", 2)[0], []string{"reply tuple"}},
		{"fields out of order", strings.Replace(udpNew, "src=100.64.0.2 dst=198.51.100.2", "dst=198.51.100.2 src=100.64.0.2", 1), []string{"header", "original tuple"}},
		{"an unknown trailing field", udpNew + " owner=alice", []string{"fields after the tuples"}},
		{"a control character", strings.Replace(udpNew, "[NEW]", "[N\x1bEW]", 1), []string{"line"}},
		{"too long", udpNew + strings.Repeat(" [ASSURED]", 500), []string{"line"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := conntrack.ParseLine([]byte(tc.line))
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, conntrack.ErrInput) {
				t.Fatalf("err = %v", err)
			}
			var fields []string
			for _, f := range ps.Findings {
				fields = append(fields, f.Field)
			}
			if fmt.Sprint(fields) != fmt.Sprint(tc.fields) {
				t.Errorf("fields = %q, want %q: %v", fields, tc.fields, err)
			}
			for _, s := range []string{"100.64", "198.51", "fd00", "alice", "36267"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error quotes %q: %v", s, err)
				}
			}
		})
	}
}

var synced = retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 2 * time.Millisecond}

func newReader(t interface {
	Helper()
	Fatal(...any)
}) *conntrack.Reader {
	t.Helper()
	r, err := conntrack.NewReader(conntrack.Config{Device: "cgnat-1", Clock: func() retention.Clock { return synced }})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// brief is a mapping as the tests compare it: public addr:port, inside
// addr:port, protocol, from and until (Unix seconds; 0 open).
func brief(m retention.Mapping) string {
	u := int64(0)
	if !m.Until.IsZero() {
		u = m.Until.Unix()
	}
	return fmt.Sprintf("%s %s:%d/%d %d-%d", conntrack.Public(m), m.Inside, m.InsidePort, m.Protocol, m.From.Unix(), u)
}

func TestReader(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string
		stats conntrack.Stats
	}{
		{"NEW then DESTROY", []string{udpNew, udpDestroy},
			[]string{"198.51.100.1:36267 100.64.0.2:36267/17 1796542699-0", "198.51.100.1:36267 100.64.0.2:36267/17 1796542699-1796542701"},
			conntrack.Stats{Lines: 2, Opened: 1, Closed: 1}},
		{"updates change nothing", []string{tcpNew, tcpUpdate, tcpUpdate, tcpDestroy},
			[]string{"198.51.100.1:37326 100.64.0.2:37326/6 1796542700-0", "198.51.100.1:37326 100.64.0.2:37326/6 1796542700-1796542701"},
			conntrack.Stats{Lines: 4, Opened: 1, Closed: 1}},
		{"a flow older than the log, seen in an UPDATE", []string{tcpUpdate, tcpDestroy},
			[]string{"198.51.100.1:37326 100.64.0.2:37326/6 1796542700-0", "198.51.100.1:37326 100.64.0.2:37326/6 1796542700-1796542701"},
			conntrack.Stats{Lines: 2, Opened: 1, Closed: 1, Late: 1}},
		{"a DESTROY alone covers its second", []string{udpDestroy},
			[]string{"198.51.100.1:36267 100.64.0.2:36267/17 1796542700-1796542701"},
			conntrack.Stats{Lines: 1, Opened: 1, Closed: 1, Late: 1}},
		{"a lost DESTROY: the old mapping ends at the new NEW", []string{udpNew, strings.Replace(udpNew, "1796542699", "1796542799", 1)},
			[]string{"198.51.100.1:36267 100.64.0.2:36267/17 1796542699-0", "198.51.100.1:36267 100.64.0.2:36267/17 1796542699-1796542799", "198.51.100.1:36267 100.64.0.2:36267/17 1796542799-0"},
			conntrack.Stats{Lines: 2, Opened: 2, Closed: 1, Reopened: 1}},
		{"a SNAT to another port", []string{snatPort}, []string{"198.51.100.1:61001 100.64.0.3:40000/6 1796542701-0"}, conntrack.Stats{Lines: 1, Opened: 1}},
		{"IPv6", []string{nat66}, []string{"[2001:db8::1]:5353 fd00::2:5353/17 1796542701-0"}, conntrack.Stats{Lines: 1, Opened: 1}},
		{"ICMP and untranslated flows give nothing", []string{icmpNew, untouched}, nil, conntrack.Stats{Lines: 2, NoPorts: 1, Untranslated: 1}},
		{"a refused line", []string{"garbage"}, nil, conntrack.Stats{Lines: 1, Refused: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReader(t)
			var got []string
			for _, l := range tc.lines {
				_ = r.Line([]byte(l), func(m retention.Mapping) error {
					if m.Source.Kind != retention.CGNAT || m.Source.Device != "cgnat-1" || m.Source.Hash != retention.HashRecord([]byte(l)) || m.Clock != synced {
						t.Errorf("evidence %+v, clock %+v", m.Source, m.Clock)
					}
					got = append(got, brief(m))
					return nil
				})
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("mappings\n got %q\nwant %q", got, tc.want)
			}
			if r.Stats() != tc.stats {
				t.Errorf("stats %+v, want %+v", r.Stats(), tc.stats)
			}
		})
	}
}

// A refusal by emit leaves the flow as if the event was never read, so
// that it is handed on again when read again.
func TestEmitRefuses(t *testing.T) {
	r := newReader(t)
	boom := errors.New("store full")
	if err := r.Line([]byte(udpNew), func(retention.Mapping) error { return boom }); err != boom {
		t.Fatalf("err = %v", err)
	}
	if len(r.Open()) != 0 {
		t.Fatal("a refused NEW was kept open")
	}
	n := 0
	_ = r.Line([]byte(udpNew), func(retention.Mapping) error { n++; return nil })
	if err := r.Line([]byte(udpDestroy), func(retention.Mapping) error { return boom }); err != boom {
		t.Fatalf("err = %v", err)
	}
	if len(r.Open()) != 1 || n != 1 {
		t.Fatal("a refused DESTROY closed the mapping")
	}
}

func TestReadAll(t *testing.T) {
	r := newReader(t)
	in := strings.Join([]string{udpNew, "bad line 10.0.0.1", tcpNew, "", udpDestroy + "\r"}, "\n") + "\n"
	var got []retention.Mapping
	err := r.ReadAll(strings.NewReader(in), func(m retention.Mapping) error { got = append(got, m); return nil })
	var ps *provenance.Problems
	if !errors.As(err, &ps) || !strings.HasPrefix(ps.Findings[0].Field, "line 2, ") || ps.Findings[len(ps.Findings)-1].Field != "line 4, line" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "10.0.0.1") {
		t.Error("quotes the line")
	}
	if len(got) != 3 {
		t.Errorf("%d mappings", len(got))
	}
	open := r.Open()
	if len(open) != 1 || open[0].Protocol != 6 {
		t.Errorf("Open = %v", open)
	}
	// Past MaxFindings, the rest are counted.
	r = newReader(t)
	err = r.ReadAll(strings.NewReader(strings.Repeat("x\n", conntrack.MaxFindings+5)), func(retention.Mapping) error { return nil })
	if !errors.As(err, &ps) || len(ps.Findings) > conntrack.MaxFindings+1 || !strings.Contains(ps.Findings[len(ps.Findings)-1].String(), "more line(s) refused") {
		t.Errorf("findings: %d", len(ps.Findings))
	}
	// A line past MaxLine stops the reading.
	r = newReader(t)
	err = r.ReadAll(strings.NewReader(udpNew+"\n"+strings.Repeat("x", conntrack.MaxLine+10)+"\n"+udpDestroy+"\n"), func(retention.Mapping) error { return nil })
	if !errors.As(err, &ps) || r.Stats().Lines != 1 {
		t.Errorf("err = %v, %+v", err, r.Stats())
	}
}

func TestConfig(t *testing.T) {
	for _, c := range []conntrack.Config{{}, {Device: "cgnat 1", Clock: func() retention.Clock { return synced }}, {Device: "x", Clock: func() retention.Clock { return synced }, MaxOpen: -1}} {
		if _, err := conntrack.NewReader(c); !errors.Is(err, conntrack.ErrConfig) {
			t.Errorf("%+v: err = %v", c, err)
		}
	}
}

func TestMaxOpen(t *testing.T) {
	r, _ := conntrack.NewReader(conntrack.Config{Device: "x", Clock: func() retention.Clock { return synced }, MaxOpen: 1})
	nop := func(retention.Mapping) error { return nil }
	_ = r.Line([]byte(udpNew), nop)
	_ = r.Line([]byte(tcpNew), nop)
	if st := r.Stats(); st.Dropped != 1 || st.Opened != 2 || len(r.Open()) != 1 {
		t.Errorf("%+v", st)
	}
}

var _ = timesync.Unix
