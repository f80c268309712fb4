package static_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/provenance"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/static"
	"github.com/ccjkit/ccjkit/timesync"
)

var cfg = static.Config{Device: "crm", Clock: retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: 3e6}}

func ts(s string) timesync.Timestamp { return timesync.MustParseTimestamp(s) }

func TestParse(t *testing.T) {
	const h = static.Header + "\n"
	for _, tc := range []struct {
		name string
		file string
		want []retention.Assignment
	}{
		{"an address for a year, days", h + "C-1,198.51.100.7,2026-01-01,2026-12-31\n", []retention.Assignment{{
			Subscriber: "C-1", Prefix: netip.MustParsePrefix("198.51.100.7/32"),
			From: ts("2026-01-01T00:00:00+01:00"), Until: ts("2027-01-01T00:00:00+01:00")}}},
		{"an open contract", h + "C-1,198.51.100.8/29,2026-07-01T12:00:00+02:00,\n", []retention.Assignment{{
			Subscriber: "C-1", Prefix: netip.MustParsePrefix("198.51.100.8/29"), From: ts("2026-07-01T12:00:00+02:00")}}},
		{"an IPv6 address is a /128", h + "C-1,2001:db8::1,2026-01-01,\n", []retention.Assignment{{
			Subscriber: "C-1", Prefix: netip.MustParsePrefix("2001:db8::1/128"), From: ts("2026-01-01T00:00:00+01:00")}}},
		{"the autumn hour's two offsets", h + "C-1,198.51.100.7,2026-10-25T02:30:00+02:00,2026-10-25T02:30:00+01:00\n", []retention.Assignment{{
			Subscriber: "C-1", Prefix: netip.MustParsePrefix("198.51.100.7/32"),
			From: ts("2026-10-25T00:30:00Z"), Until: ts("2026-10-25T01:30:00Z")}}},
		{"CRLF line ends and a quoted field", "subscriber,prefix,from,until\r\n\"C-1\",198.51.100.7,2026-01-01,\r\n", []retention.Assignment{{
			Subscriber: "C-1", Prefix: netip.MustParsePrefix("198.51.100.7/32"), From: ts("2026-01-01T00:00:00+01:00")}}},
		{"one address after another, back to back", h + "C-1,198.51.100.7,2026-01-01,2026-05-31\nC-2,198.51.100.7,2026-06-01,\n", []retention.Assignment{
			{Subscriber: "C-1", Prefix: netip.MustParsePrefix("198.51.100.7/32"), From: ts("2026-01-01T00:00:00+01:00"), Until: ts("2026-06-01T00:00:00+02:00")},
			{Subscriber: "C-2", Prefix: netip.MustParsePrefix("198.51.100.7/32"), From: ts("2026-06-01T00:00:00+02:00")}}},
		{"the header alone", h, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := static.Parse(strings.NewReader(tc.file), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d assignments, want %d", len(got), len(tc.want))
			}
			for i, a := range got {
				w := tc.want[i]
				if a.Source.Kind != retention.Static || a.Source.Device != "crm" || a.Source.Hash == ([32]byte{}) || a.Clock != cfg.Clock {
					t.Errorf("[%d] evidence %+v, clock %+v", i, a.Source, a.Clock)
				}
				a.Source, a.Clock = retention.Evidence{}, retention.Clock{}
				if a != w {
					t.Errorf("[%d] = %+v, want %+v", i, a, w)
				}
			}
		})
	}
}

// The evidence is the hash of the line as read, without its line end.
func TestEvidenceIsTheLine(t *testing.T) {
	line := `"C-1",198.51.100.7,2026-01-01,`
	got, err := static.Parse(strings.NewReader(static.Header+"\r\n"+line+"\r\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Source.Hash != retention.HashRecord([]byte(line)) {
		t.Error("the evidence is not the SHA-256 of the line as read")
	}
}

func TestProblems(t *testing.T) {
	const h = static.Header + "\n"
	for _, tc := range []struct {
		name string
		file string
		want []string // the findings' fields, in order
	}{
		{"empty file", "", []string{"line 1"}},
		{"no header", "C-1,198.51.100.7,2026-01-01,\n", []string{"line 1"}},
		{"header in another order", "prefix,subscriber,from,until\n", []string{"line 1"}},
		{"three fields", h + "C-1,198.51.100.7,2026-01-01\n", []string{"line 2"}},
		{"a bare quote", h + "C-1,198.51.100.7,2026\"-01-01,\n", []string{"line 2"}},
		{"an unclosed quote", h + "C-1,198.51.100.7,\"2026-01-01,\n", []string{"line 2"}},
		{"a name with a space", h + "Jan Peeters,198.51.100.7,2026-01-01,\n", []string{"line 2, subscriber"}},
		{"no subscriber", h + ",198.51.100.7,2026-01-01,\n", []string{"line 2, subscriber"}},
		{"host bits set", h + "C-1,198.51.100.7/24,2026-01-01,\n", []string{"line 2, prefix"}},
		{"an IPv4 /8", h + "C-1,10.0.0.0/8,2026-01-01,\n", []string{"line 2, prefix"}},
		{"an IPv6 /16", h + "C-1,2001::/16,2026-01-01,\n", []string{"line 2, prefix"}},
		{"a mapped address", h + "C-1,::ffff:198.51.100.7,2026-01-01,\n", []string{"line 2, prefix"}},
		{"a zone", h + "C-1,fe80::1%eth0,2026-01-01,\n", []string{"line 2, prefix"}},
		{"not an address", h + "C-1,example.net,2026-01-01,\n", []string{"line 2, prefix"}},
		{"a day that does not exist", h + "C-1,198.51.100.7,2026-02-29,\n", []string{"line 2, from"}},
		{"UTC instead of Brussels", h + "C-1,198.51.100.7,2026-01-01T00:00:00Z,\n", []string{"line 2, from"}},
		{"summer offset in winter", h + "C-1,198.51.100.7,2026-01-01T00:00:00+02:00,\n", []string{"line 2, from"}},
		{"the skipped spring hour", h + "C-1,198.51.100.7,2026-03-29T02:30:00+01:00,\n", nil},
		{"a fraction of a second", h + "C-1,198.51.100.7,2026-01-01T00:00:00.5+01:00,\n", []string{"line 2, from"}},
		{"no from", h + "C-1,198.51.100.7,,\n", []string{"line 2, from"}},
		{"a bad until", h + "C-1,198.51.100.7,2026-01-01,soon\n", []string{"line 2, until"}},
		{"ends before it starts", h + "C-1,198.51.100.7,2026-06-01,2026-05-31\n", []string{"line 2, until"}},
		{"ends when it starts", h + "C-1,198.51.100.7,2026-06-01T00:00:00+02:00,2026-06-01T00:00:00+02:00\n", []string{"line 2, until"}},
		{"two contracts for the same address", h + "C-1,198.51.100.7,2026-01-01,\nC-2,198.51.100.7,2026-06-01,2026-06-30\n", []string{"line 3, prefix"}},
		{"an address inside another's prefix", h + "C-2,198.51.100.9,2026-01-01,\nC-1,198.51.100.8/29,2026-01-01,2026-12-31\n", []string{"line 3, prefix"}},
		{"every problem at once", h + "bad name,x,y,z\nC-1,198.51.100.7,2026-01-01\n", []string{"line 2, subscriber", "line 2, prefix", "line 2, from", "line 2, until", "line 3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == nil { // the skipped hour: +01:00 at 02:30 is 03:30 summer time, a valid instant written wrongly
				tc.want = []string{"line 2, from"}
			}
			_, err := static.Parse(strings.NewReader(tc.file), cfg)
			var ps *provenance.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v, want a *provenance.Problems", err)
			}
			var fields []string
			for _, f := range ps.Findings {
				fields = append(fields, f.Field)
				if !errors.Is(f, static.ErrInput) {
					t.Errorf("finding %v does not wrap ErrInput", f)
				}
			}
			if fmt.Sprint(fields) != fmt.Sprint(tc.want) {
				t.Errorf("fields = %q, want %q\n%v", fields, tc.want, err)
			}
			for _, secret := range []string{"Jan", "Peeters", "198.51", "2001:", "example.net", "C-1", "C-2", "soon", "eth0"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes the input (%q): %v", secret, err)
				}
			}
		})
	}
}

func TestConfig(t *testing.T) {
	for _, dev := range []string{"", "a b", strings.Repeat("x", 65), "crm\n"} {
		if _, err := static.Parse(strings.NewReader(static.Header+"\n"), static.Config{Device: dev}); !errors.Is(err, static.ErrConfig) {
			t.Errorf("Device %q: err = %v, want ErrConfig", dev, err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	r := strings.NewReader(static.Header + "\n" + strings.Repeat("x", static.MaxSize))
	if _, err := static.Parse(r, cfg); !errors.Is(err, static.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

// Contracts written as the format says read back as they were, whatever
// the times (DST changes included) and addresses.
func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 20).Draw(t, "n")
		var b strings.Builder
		b.WriteString(static.Header + "\n")
		var want []retention.Assignment
		for i := range n {
			// Distinct /32s, so that no two overlap.
			addr := netip.AddrFrom4([4]byte{198, 51, 100, byte(i)})
			from := timesync.Unix(rapid.Int64Range(1767222000, 1798758000).Draw(t, "from"))
			a := retention.Assignment{Subscriber: retention.Subscriber(fmt.Sprintf("C-%d", i)), Prefix: netip.PrefixFrom(addr, 32), From: from}
			until := ""
			if rapid.Bool().Draw(t, "closed") {
				a.Until = from.Add(time.Duration(rapid.Int64Range(1, 1e8).Draw(t, "secs")) * time.Second)
				until = a.Until.String()
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s\n", a.Subscriber, addr, from, until)
			want = append(want, a)
		}
		got, err := static.Parse(strings.NewReader(b.String()), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d assignments, want %d", len(got), len(want))
		}
		for i := range got {
			got[i].Source, got[i].Clock = retention.Evidence{}, retention.Clock{}
			if got[i] != want[i] {
				t.Fatalf("[%d] = %+v, want %+v", i, got[i], want[i])
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		static.Header + "\nC-1,198.51.100.7,2026-01-01,2026-12-31\n",
		static.Header + "\r\nC-1,2001:db8::/48,2026-10-25T02:30:00+01:00,\r\n",
		static.Header + "\nC-1,198.51.100.8/29,2026-01-01,\nC-2,198.51.100.9,2026-01-01,\n",
		"\"a\nb\",\"\"\"\",x,y\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := static.Parse(strings.NewReader(string(data)), cfg)
		if err != nil {
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, static.ErrInput) {
				t.Fatalf("err %v is not a *provenance.Problems of ErrInput", err)
			}
			return
		}
		for _, a := range as {
			if !retention.ValidSubscriber(a.Subscriber) || !a.Prefix.IsValid() || a.Prefix.Masked() != a.Prefix || a.From.IsZero() ||
				(!a.Until.IsZero() && !a.From.Before(a.Until)) || a.Source.Kind != retention.Static {
				t.Fatalf("accepted an invalid assignment %+v", a)
			}
		}
	})
}
