package conntrack_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/retention"
)

// eventLine writes a conntrack line for flow f (its inside port 40000+f,
// public port 50000+f, or 50000 for every flow when shared) at second
// sec and microsecond usec.
func eventLine(typ string, f int, sec int64, usec int, shared bool) string {
	pub := 50000 + f
	if shared {
		pub = 50000 // one public port, distinct destinations: endpoint-independent mapping
	}
	return fmt.Sprintf("[%d.%06d]\t[%s] ipv4     2 udp      17 30 src=100.64.0.%d dst=198.51.100.%d sport=%d dport=53 src=198.51.100.%d dst=198.51.100.1 sport=53 dport=%d",
		sec, usec, typ, 2+f, 10+f, 40000+f, 10+f, pub)
}

// Over any sequence of NEW, UPDATE and DESTROY events of a few flows,
// the Reader pairs them as the package comment says — checked against a
// model of the open flows — and the mappings of one flow never overlap
// in time.
func TestPairingProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := newReader(t)
		shared := rapid.Bool().Draw(t, "shared")
		open := map[int]int64{} // flow → From (Unix seconds)
		type span struct{ from, until int64 }
		closed := map[int][]span{}
		sec := int64(1796542699)
		for i, n := 0, rapid.IntRange(1, 60).Draw(t, "n"); i < n; i++ {
			sec += rapid.Int64Range(0, 3).Draw(t, "step")
			f := rapid.IntRange(0, 3).Draw(t, "flow")
			typ := rapid.SampledFrom([]string{"NEW", "UPDATE", "DESTROY"}).Draw(t, "type")
			var want []string
			pub := 50000 + f
			if shared {
				pub = 50000
			}
			m := func(from, until int64) string {
				return fmt.Sprintf("198.51.100.1:%d 100.64.0.%d:%d/17 %d-%d", pub, 2+f, 40000+f, from, until)
			}
			from, isOpen := open[f]
			switch typ {
			case "NEW":
				if isOpen {
					until := max(sec, from+1)
					want = append(want, m(from, until))
					closed[f] = append(closed[f], span{from, until})
				}
				want = append(want, m(sec, 0))
				open[f] = sec
			case "UPDATE":
				if !isOpen {
					want = append(want, m(sec, 0))
					open[f] = sec
				}
			case "DESTROY":
				if !isOpen {
					from = sec
				}
				want = append(want, m(from, sec+1))
				closed[f] = append(closed[f], span{from, sec + 1})
				delete(open, f)
			}
			var got []string
			line := eventLine(typ, f, sec, rapid.IntRange(0, 999999).Draw(t, "usec"), shared)
			if err := r.Line([]byte(line), func(m retention.Mapping) error {
				if !m.Open() && !m.From.Before(m.Until) {
					t.Fatalf("a mapping ends before it starts: %s", brief(m))
				}
				got = append(got, brief(m))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("event %d (%s of flow %d at %d):\n got %q\nwant %q", i, typ, f, sec, got, want)
			}
			if len(r.Open()) != len(open) {
				t.Fatalf("%d open, want %d", len(r.Open()), len(open))
			}
		}
		for f, spans := range closed {
			for i := 1; i < len(spans); i++ {
				// One flow's mappings follow each other; they share at
				// most one second, the one in which the first ended and
				// the next began (ends are rounded up to cover it).
				a, b := spans[i-1], spans[i]
				if b.from < a.until-1 {
					t.Fatalf("flow %d: %v overlaps %v", f, b, a)
				}
			}
		}
	})
}

func FuzzParseLine(f *testing.F) {
	for _, l := range []string{udpNew, udpDestroy, tcpNew, tcpUpdate, tcpDestroy, snatPort, nat66, icmpNew, untouched, ""} {
		f.Add([]byte(l))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		r := newReader(t)
		err := r.Line(line, func(m retention.Mapping) error {
			if !m.Public.IsValid() || !m.Inside.IsValid() || m.From.IsZero() || m.Ports.First != m.Ports.Last || m.Source.Kind != retention.CGNAT {
				t.Fatalf("an invalid mapping %+v", m)
			}
			return nil
		})
		if err != nil && r.Stats().Refused != 1 {
			t.Fatalf("an error %v for a line not refused", err)
		}
	})
}
