package dhcp_test

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
	"github.com/ccjkit/ccjkit/retention/source/dhcp"
	"github.com/ccjkit/ccjkit/timesync"
)

// Lines as the script wrote them when dnsmasq 2.90 called it.
const (
	addV4 = `{"time":1796543330,"args":["add","02:00:00:00:00:42","192.0.2.108"],"env":{"DNSMASQ_CLIENT_ID":"01:02:00:00:00:00:42","DNSMASQ_INTERFACE":"dhs0","DNSMASQ_LEASE_EXPIRES":"1796543930","DNSMASQ_REQUESTED_OPTIONS":"1,3,6,12,15,28,42","DNSMASQ_TAGS":"dhs0","DNSMASQ_TIME_REMAINING":"600","DNSMASQ_VENDOR_CLASS":"udhcp 1.35.0"}}`
	oldV4 = `{"time":1796543331,"args":["old","02:00:00:00:00:42","192.0.2.108","vm"],"env":{"DNSMASQ_LEASE_EXPIRES":"1796543931"}}`
	delV4 = `{"time":1796543390,"args":["del","02:00:00:00:00:42","192.0.2.108","vm"],"env":{"DNSMASQ_LEASE_EXPIRES":"1796543931"}}`
	// At startup, a lease from the lease file, relayed with option 82.
	startup = `{"time":1796540000,"args":["old","02:00:00:00:00:43","192.0.2.109"],"env":{"DNSMASQ_DATA_MISSING":"1","DNSMASQ_LEASE_EXPIRES":"1796540600","DNSMASQ_CIRCUIT_ID":"olt-1/0/3"}}`
	addV6   = `{"time":1796543400,"args":["add","00:01:00:01:2a:3b:4c:5d:02:00:00:00:00:42","2001:db8::1:42"],"env":{"DNSMASQ_IAID":"12345","DNSMASQ_MAC":"02:00:00:00:00:42","DNSMASQ_SERVER_DUID":"00:01:00:01:aa:bb:cc:dd:02:00:00:00:00:01"}}`
	tftp    = `{"time":1796543400,"args":["tftp","1024","192.0.2.108","/srv/tftp/boot.img"]}`
)

func TestParseCall(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       dhcp.Call
	}{
		{"an IPv4 add", addV4, dhcp.Call{Time: timesync.Unix(1796543330), Action: "add", Addr: netip.MustParseAddr("192.0.2.108"),
			MAC: "02:00:00:00:00:42", ClientID: "01:02:00:00:00:00:42", Expires: timesync.Unix(1796543930)}},
		{"an old at startup, relayed", startup, dhcp.Call{Time: timesync.Unix(1796540000), Action: "old", Addr: netip.MustParseAddr("192.0.2.109"),
			MAC: "02:00:00:00:00:43", CircuitID: "olt-1/0/3", Expires: timesync.Unix(1796540600), Startup: true}},
		{"an IPv6 add", addV6, dhcp.Call{Time: timesync.Unix(1796543400), Action: "add", Addr: netip.MustParseAddr("2001:db8::1:42"),
			MAC: "02:00:00:00:00:42", ClientID: "00:01:00:01:2a:3b:4c:5d:02:00:00:00:00:42"}},
		{"upper case, a token-ring MAC, an infinite lease", `{"time":1796543330,"args":["add","06-0A:0B:0C:0D:0E:0F","192.0.2.7"],"env":{"DNSMASQ_LEASE_EXPIRES":"0"}}`,
			dhcp.Call{Time: timesync.Unix(1796543330), Action: "add", Addr: netip.MustParseAddr("192.0.2.7"), MAC: "06-0a:0b:0c:0d:0e:0f"}},
		{"another action", tftp, dhcp.Call{Time: timesync.Unix(1796543400), Action: "tftp"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dhcp.ParseCall([]byte(tc.line))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseCallProblems(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		fields     []string
	}{
		{"not JSON", `add 02:00:00:00:00:42 192.0.2.108`, []string{""}},
		{"an unknown field", `{"time":1796543330,"args":["del","02:00:00:00:00:42","192.0.2.108"],"host":"x"}`, []string{"host"}},
		{"no time", `{"args":["del","02:00:00:00:00:42","192.0.2.108"]}`, []string{"time"}},
		{"a time in milliseconds", `{"time":1796543330000,"args":["del","02:00:00:00:00:42","192.0.2.108"]}`, []string{"time"}},
		{"no arguments", `{"time":1796543330,"args":[]}`, []string{"args"}},
		{"too few arguments", `{"time":1796543330,"args":["add","02:00:00:00:00:42"]}`, []string{"args"}},
		{"not a MAC", `{"time":1796543330,"args":["add","jan-laptop","192.0.2.108"]}`, []string{"args[1]"}},
		{"not an address", `{"time":1796543330,"args":["add","02:00:00:00:00:42","192.0.2.300"]}`, []string{"args[2]"}},
		{"a mapped address", `{"time":1796543330,"args":["add","02:00:00:00:00:42","::ffff:192.0.2.1"]}`, []string{"args[2]"}},
		{"not a DUID", `{"time":1796543330,"args":["add","02:00:00:00:00:4","2001:db8::1"]}`, []string{"args[1]"}},
		{"a bad client-id", `{"time":1796543330,"args":["add","02:00:00:00:00:42","192.0.2.1"],"env":{"DNSMASQ_CLIENT_ID":"jan"}}`, []string{"env.DNSMASQ_CLIENT_ID"}},
		{"a bad expiry", `{"time":1796543330,"args":["add","02:00:00:00:00:42","192.0.2.1"],"env":{"DNSMASQ_LEASE_EXPIRES":"soon"}}`, []string{"env.DNSMASQ_LEASE_EXPIRES"}},
		{"a variable not dnsmasq's", `{"time":1796543330,"args":["add","02:00:00:00:00:42","192.0.2.1"],"env":{"HOME":"/root"}}`, []string{"env"}},
		{"a control character", `{"time":1796543330,"args":["add","02:00:00:00:00:42","192.0.2.1","a\u001bb"]}`, []string{"args[3]"}},
		{"an action that is none", `{"time":1796543330,"args":["Add!"]}`, []string{"args[0]"}},
		{"every problem at once", `{"time":1,"args":["add","x","y"],"env":{"DNSMASQ_LEASE_EXPIRES":"x"}}`, []string{"time", "args[2]", "args[1]", "env.DNSMASQ_LEASE_EXPIRES"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dhcp.ParseCall([]byte(tc.line))
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, dhcp.ErrInput) {
				t.Fatalf("err = %v", err)
			}
			var fields []string
			for _, f := range ps.Findings {
				fields = append(fields, f.Field)
			}
			if fmt.Sprint(fields) != fmt.Sprint(tc.fields) {
				t.Errorf("fields = %q, want %q: %v", fields, tc.fields, err)
			}
			for _, s := range []string{"02:00", "192.0.2", "jan", "2001:db8", "/root"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error quotes %q: %v", s, err)
				}
			}
		})
	}
}

func TestEncodeCall(t *testing.T) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, timesync.Brussels())
	b := dhcp.EncodeCall(nil, []string{"del", "02:00:00:00:00:42", "192.0.2.108"}, []string{"PATH=/bin", "DNSMASQ_LEASE_EXPIRES=1793616000", "DNSMASQ_TAGS=a b"}, at)
	want := `{"time":1793610000,"args":["del","02:00:00:00:00:42","192.0.2.108"],"env":{"DNSMASQ_LEASE_EXPIRES":"1793616000","DNSMASQ_TAGS":"a b"}}` + "\n"
	if string(b) != want {
		t.Errorf("EncodeCall = %s", b)
	}
	if _, err := dhcp.ParseCall(b[:len(b)-1]); err != nil {
		t.Error(err)
	}
}

func newLeases(t interface {
	Helper()
	Fatal(...any)
}) *dhcp.Leases {
	t.Helper()
	l, err := dhcp.NewLeases(dhcp.Config{Device: "dnsmasq-1", Clock: func() retention.Clock { return synced },
		Subscribers: dhcp.Subscribers{
			ByMAC:       map[string]retention.Subscriber{"02:00:00:00:00:42": "C-000042", "02:00:00:00:00:44": "C-000044"},
			ByCircuitID: map[string]retention.Subscriber{"olt-1/0/3": "C-000043"},
			ByClientID:  map[string]retention.Subscriber{"00:01:00:01:2A:3B:4C:5D:02:00:00:00:00:42": "C-000042"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func brief(a retention.Assignment) string {
	u := int64(0)
	if !a.Until.IsZero() {
		u = a.Until.Unix()
	}
	return fmt.Sprintf("%s %s %d-%d", a.Subscriber, a.Prefix, a.From.Unix(), u)
}

func TestLeases(t *testing.T) {
	handOver := strings.Replace(strings.Replace(addV4, "02:00:00:00:00:42", "02:00:00:00:00:44", 1), "1796543330", "1796543500", 1)
	unknown := strings.Replace(strings.Replace(addV4, "02:00:00:00:00:42", "02:00:00:00:00:99", 1), "01:02:00:00:00:00:42", "01:02:00:00:00:00:99", 1)
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string
		stats dhcp.Stats
	}{
		{"add, old (a hostname), del", []string{addV4, oldV4, delV4},
			[]string{"C-000042 192.0.2.108/32 1796543330-0", "C-000042 192.0.2.108/32 1796543330-1796543391"},
			dhcp.Stats{Calls: 3, Opened: 1, Closed: 1}},
		{"a lease found at startup, by circuit-id", []string{startup},
			[]string{"C-000043 192.0.2.109/32 1796540000-0"}, dhcp.Stats{Calls: 1, Opened: 1, Late: 1}},
		{"IPv6 by DUID", []string{addV6}, []string{"C-000042 2001:db8::1:42/128 1796543400-0"}, dhcp.Stats{Calls: 1, Opened: 1}},
		{"the address changes hands", []string{addV4, handOver},
			[]string{"C-000042 192.0.2.108/32 1796543330-0", "C-000042 192.0.2.108/32 1796543330-1796543500", "C-000044 192.0.2.108/32 1796543500-0"},
			dhcp.Stats{Calls: 2, Opened: 2, Closed: 1}},
		{"an unmapped device closes the old lease, opens nothing", []string{addV4, unknown},
			[]string{"C-000042 192.0.2.108/32 1796543330-0", "C-000042 192.0.2.108/32 1796543330-1796543331"},
			dhcp.Stats{Calls: 2, Opened: 1, Closed: 1, Unmapped: 1}},
		{"a del alone covers its second", []string{delV4}, []string{"C-000042 192.0.2.108/32 1796543390-1796543391"},
			dhcp.Stats{Calls: 1, Opened: 1, Closed: 1, Late: 1}},
		{"other actions", []string{tftp}, nil, dhcp.Stats{Calls: 1, Other: 1}},
		{"a refused line", []string{"{}"}, nil, dhcp.Stats{Calls: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLeases(t)
			var got []string
			for _, line := range tc.lines {
				_ = l.Line([]byte(line), func(a retention.Assignment) error {
					if a.Source.Kind != retention.DHCP || a.Source.Device != "dnsmasq-1" || a.Source.Hash != retention.HashRecord([]byte(line)) || a.Clock != synced {
						t.Errorf("evidence %+v", a.Source)
					}
					got = append(got, brief(a))
					return nil
				})
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("assignments\n got %q\nwant %q", got, tc.want)
			}
			if l.Stats() != tc.stats {
				t.Errorf("stats %+v, want %+v", l.Stats(), tc.stats)
			}
		})
	}
}

func TestExpire(t *testing.T) {
	l := newLeases(t)
	var got []string
	emit := func(a retention.Assignment) error { got = append(got, brief(a)); return nil }
	_ = l.Line([]byte(addV4), emit)
	_ = l.Line([]byte(addV6), emit) // no expiry: never expires
	_ = l.Expire(time.Unix(1796543929, 0), emit)
	if len(got) != 2 {
		t.Fatalf("expired before its time: %q", got)
	}
	_ = l.Expire(time.Unix(1796543930, 0), emit)
	if len(got) != 3 || got[2] != "C-000042 192.0.2.108/32 1796543330-1796543930" || l.Stats().Expired != 1 || len(l.Open()) != 1 {
		t.Errorf("%q %+v", got, l.Stats())
	}
}

func TestEmitRefuses(t *testing.T) {
	l := newLeases(t)
	boom := errors.New("store down")
	if err := l.Line([]byte(addV4), func(retention.Assignment) error { return boom }); err != boom || len(l.Open()) != 0 {
		t.Fatalf("err = %v, open %d", err, len(l.Open()))
	}
	_ = l.Line([]byte(addV4), func(retention.Assignment) error { return nil })
	if err := l.Line([]byte(delV4), func(retention.Assignment) error { return boom }); err != boom || len(l.Open()) != 1 {
		t.Fatalf("a refused del closed the lease")
	}
}

func TestConfig(t *testing.T) {
	clock := func() retention.Clock { return synced }
	for _, tc := range []struct {
		name string
		cfg  dhcp.Config
	}{
		{"nothing", dhcp.Config{}},
		{"a key that is no MAC", dhcp.Config{Device: "d", Clock: clock, Subscribers: dhcp.Subscribers{ByMAC: map[string]retention.Subscriber{"jan": "C-1"}}}},
		{"a reference with a space", dhcp.Config{Device: "d", Clock: clock, Subscribers: dhcp.Subscribers{ByMAC: map[string]retention.Subscriber{"02:00:00:00:00:01": "Jan P"}}}},
		{"one MAC twice", dhcp.Config{Device: "d", Clock: clock, Subscribers: dhcp.Subscribers{ByMAC: map[string]retention.Subscriber{"02:00:00:00:00:0a": "C-1", "02:00:00:00:00:0A": "C-2"}}}},
		{"a key twice in the order", dhcp.Config{Device: "d", Clock: clock, Order: []dhcp.Key{dhcp.MAC, dhcp.MAC}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dhcp.NewLeases(tc.cfg)
			if !errors.Is(err, dhcp.ErrConfig) {
				t.Fatalf("err = %v", err)
			}
			for _, s := range []string{"jan", "Jan", "02:00", "C-1"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("quotes %q: %v", s, err)
				}
			}
		})
	}
	// The order decides: by MAC first, the same lease is C-000044's.
	l, _ := dhcp.NewLeases(dhcp.Config{Device: "d", Clock: clock, Order: []dhcp.Key{dhcp.MAC, dhcp.CircuitID},
		Subscribers: dhcp.Subscribers{ByMAC: map[string]retention.Subscriber{"02:00:00:00:00:43": "C-000044"}, ByCircuitID: map[string]retention.Subscriber{"olt-1/0/3": "C-000043"}}})
	var who retention.Subscriber
	_ = l.Line([]byte(startup), func(a retention.Assignment) error { who = a.Subscriber; return nil })
	if who != "C-000044" {
		t.Errorf("subscriber %q, want C-000044 (MAC first)", who)
	}
}

// Whatever the calls, one address's assignments never overlap but for
// the second one ends and the next begins in, and every one ends after it
// starts.
func TestLeasesProperty(t *testing.T) {
	macs := []string{"02:00:00:00:00:42", "02:00:00:00:00:44", "02:00:00:00:00:99"}
	rapid.Check(t, func(t *rapid.T) {
		l := newLeases(t)
		type span struct{ from, until int64 }
		var spans []span
		sec := int64(1796543330)
		for i, n := 0, rapid.IntRange(1, 40).Draw(t, "n"); i < n; i++ {
			sec += rapid.Int64Range(0, 100).Draw(t, "step")
			line := fmt.Sprintf(`{"time":%d,"args":["%s","%s","192.0.2.108"],"env":{"DNSMASQ_LEASE_EXPIRES":"%d"}}`, sec,
				rapid.SampledFrom([]string{"add", "old", "del"}).Draw(t, "action"), rapid.SampledFrom(macs).Draw(t, "mac"), sec+60)
			emit := func(a retention.Assignment) error {
				if !a.Open() {
					if !a.From.Before(a.Until) {
						t.Fatalf("ends before it starts: %s", brief(a))
					}
					spans = append(spans, span{a.From.Unix(), a.Until.Unix()})
				}
				return nil
			}
			if err := l.Line([]byte(line), emit); err != nil {
				t.Fatal(err)
			}
			if rapid.Bool().Draw(t, "expire") {
				_ = l.Expire(time.Unix(sec, 0), emit)
			}
			if len(l.Open()) > 1 {
				t.Fatal("two open assignments of one address")
			}
		}
		for i := 1; i < len(spans); i++ {
			if spans[i].from < spans[i-1].until-1 {
				t.Fatalf("%v overlaps %v", spans[i], spans[i-1])
			}
		}
	})
}

func FuzzParseCall(f *testing.F) {
	for _, l := range []string{addV4, oldV4, delV4, startup, addV6, tftp, "{}", ""} {
		f.Add([]byte(l))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := dhcp.ParseCall(b)
		if err != nil {
			var ps *provenance.Problems
			if !errors.As(err, &ps) || !errors.Is(err, dhcp.ErrInput) {
				t.Fatalf("err %v", err)
			}
			return
		}
		if c.Lease() && (!c.Addr.IsValid() || (c.MAC == "" && c.ClientID == "")) || c.Time.IsZero() {
			t.Fatalf("accepted %+v", c)
		}
		l := newLeases(t)
		_ = l.Call(c, retention.HashRecord(b), func(a retention.Assignment) error {
			if !retention.ValidSubscriber(a.Subscriber) || !a.Prefix.IsValid() || a.Source.Kind != retention.DHCP {
				t.Fatalf("emitted %+v", a)
			}
			return nil
		})
	})
}
