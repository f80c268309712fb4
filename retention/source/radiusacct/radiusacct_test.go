package radiusacct_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/retention"
	"github.com/ccjkit/ccjkit/retention/source/radiusacct"
)

var synced = retention.Clock{Synchronised: true, ToTheSecond: true, ErrorBound: time.Millisecond}

// t0 is 2 November 2026, 10:00 in Brussels.
var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// req builds the Request intercept/radius reads for a session's status
// on nas at t0+sec, with the addresses given (prefixes), as Parse does
// (the SessionID is the NAS and the quoted Acct-Session-Id).
func req(status radius.Status, nas, id, user string, sec int, sessionTime int, addrs ...string) *radius.Request {
	r := &radius.Request{Status: status, NAS: nas}
	at := t0.Add(time.Duration(sec) * time.Second)
	r.Event.Time = at
	if typ, ok := status.AccessEventType(); ok {
		r.Event.Type = typ
		r.Event.SessionID = nas + " " + strconv.Quote(id)
		r.Event.Username = user
		for _, a := range addrs {
			r.Event.Addresses = append(r.Event.Addresses, netip.MustParsePrefix(a))
		}
		switch {
		case status == radius.StatusStart:
			r.Event.Start = at
		case sessionTime >= 0:
			r.Event.Start = at.Add(-time.Duration(sessionTime) * time.Second)
		}
		if status == radius.StatusStop {
			r.Event.End = at
		}
	}
	return r
}

type recorder struct{ got []string }

func (rec *recorder) emit(a retention.Assignment) error {
	u := "open"
	if !a.Open() {
		u = strconv.FormatInt(a.Until.Unix()-t0.Unix(), 10)
	}
	rec.got = append(rec.got, fmt.Sprintf("%s %s %d-%s", a.Subscriber, a.Prefix, a.From.Unix()-t0.Unix(), u))
	return nil
}

func newSessions(t interface {
	Helper()
	Fatal(...any)
}, cfg radiusacct.Config) *radiusacct.Sessions {
	t.Helper()
	if cfg.Device == "" {
		cfg.Device = "radius-1"
	}
	if cfg.Clock == nil {
		cfg.Clock = func() retention.Clock { return synced }
	}
	s, err := radiusacct.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const nas1, nas2 = `192.0.2.1 "bras-1"`, `192.0.2.2 "bras-2"`

func TestSessions(t *testing.T) {
	v4, v6, pd := "198.51.100.7/32", "2001:db8:10::/64", "2001:db8:ff00::/56"
	for _, tc := range []struct {
		name  string
		reqs  []*radius.Request
		want  []string
		stats radiusacct.Stats
	}{
		{"start, interim, stop: dual stack and a delegated prefix", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4, v6, pd),
			req(radius.StatusInterimUpdate, nas1, "s1", "C-000042", 300, 300, v4),
			req(radius.StatusStop, nas1, "s1", "C-000042", 600, 600),
		}, []string{
			"C-000042 198.51.100.7/32 0-open", "C-000042 2001:db8:10::/64 0-open", "C-000042 2001:db8:ff00::/56 0-open",
			"C-000042 2001:db8:10::/64 0-300", "C-000042 2001:db8:ff00::/56 0-300", // gone at the interim
			"C-000042 198.51.100.7/32 0-601",
		}, radiusacct.Stats{Requests: 3, Opened: 3, Closed: 3}},
		{"an interim without addresses changes nothing", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
			req(radius.StatusInterimUpdate, nas1, "s1", "C-000042", 300, 300),
		}, []string{"C-000042 198.51.100.7/32 0-open"}, radiusacct.Stats{Requests: 2, Opened: 1}},
		{"an address added at an interim opens then", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
			req(radius.StatusInterimUpdate, nas1, "s1", "C-000042", 300, 300, v4, v6),
		}, []string{"C-000042 198.51.100.7/32 0-open", "C-000042 2001:db8:10::/64 300-open"}, radiusacct.Stats{Requests: 2, Opened: 2}},
		{"a session first seen in an interim starts at its session time", []*radius.Request{
			req(radius.StatusInterimUpdate, nas1, "s1", "C-000042", 300, 250, v4),
		}, []string{"C-000042 198.51.100.7/32 50-open"}, radiusacct.Stats{Requests: 1, Opened: 1, Late: 1}},
		{"a Stop alone, with its session time", []*radius.Request{
			req(radius.StatusStop, nas1, "s1", "C-000042", 600, 100, v4),
		}, []string{"C-000042 198.51.100.7/32 500-open", "C-000042 198.51.100.7/32 500-601"}, radiusacct.Stats{Requests: 1, Opened: 1, Closed: 1, Late: 1}},
		{"a repeated Start opens nothing again", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
		}, []string{"C-000042 198.51.100.7/32 0-open"}, radiusacct.Stats{Requests: 2, Opened: 1}},
		{"Accounting-On closes every session of its NAS, not another's", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
			req(radius.StatusStart, nas2, "s1", "C-000043", 10, -1, "198.51.100.8/32"),
			req(radius.StatusAccountingOn, nas1, "", "", 900, -1),
		}, []string{"C-000042 198.51.100.7/32 0-open", "C-000043 198.51.100.8/32 10-open", "C-000042 198.51.100.7/32 0-900"},
			radiusacct.Stats{Requests: 3, Opened: 2, Closed: 1, NASRestarts: 1}},
		{"Accounting-Off covers its second", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
			req(radius.StatusAccountingOff, nas1, "", "", 900, -1),
		}, []string{"C-000042 198.51.100.7/32 0-open", "C-000042 198.51.100.7/32 0-901"}, radiusacct.Stats{Requests: 2, Opened: 1, Closed: 1, NASRestarts: 1}},
		{"a new session on a held address closes the old one", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4, v6),
			req(radius.StatusStart, nas1, "s2", "C-000043", 700, -1, v4),
		}, []string{"C-000042 198.51.100.7/32 0-open", "C-000042 2001:db8:10::/64 0-open",
			"C-000042 198.51.100.7/32 0-700", "C-000042 2001:db8:10::/64 0-700", "C-000043 198.51.100.7/32 700-open"},
			radiusacct.Stats{Requests: 2, Opened: 3, Closed: 2, Displaced: 1}},
		{"the same address on another NAS is another network's", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
			req(radius.StatusStart, nas2, "s1", "C-000043", 10, -1, v4),
		}, []string{"C-000042 198.51.100.7/32 0-open", "C-000043 198.51.100.7/32 10-open"}, radiusacct.Stats{Requests: 2, Opened: 2}},
		{"an unmapped identity gives nothing but ends the holder", []*radius.Request{
			req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, v4),
			req(radius.StatusStart, nas1, "s2", "jan peeters", 700, -1, v4),
		}, []string{"C-000042 198.51.100.7/32 0-open", "C-000042 198.51.100.7/32 0-700"}, radiusacct.Stats{Requests: 2, Opened: 1, Closed: 1, Unmapped: 1, Displaced: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			s := newSessions(t, radiusacct.Config{Emit: rec.emit})
			for i, r := range tc.reqs {
				if err := s.Request(r, []byte{byte(i)}); err != nil {
					t.Fatal(err)
				}
			}
			if fmt.Sprint(rec.got) != fmt.Sprint(tc.want) {
				t.Errorf("assignments\n got %q\nwant %q", rec.got, tc.want)
			}
			if s.Stats() != tc.stats {
				t.Errorf("stats %+v, want %+v", s.Stats(), tc.stats)
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	withClass := func(classes ...string) *radius.Request {
		r := req(radius.StatusStart, nas1, "s1", "alice@neutrinet.example", 0, -1, "198.51.100.7/32")
		for _, c := range classes {
			r.Class = append(r.Class, []byte(c))
		}
		return r
	}
	for _, tc := range []struct {
		name string
		cfg  radiusacct.Config
		r    *radius.Request
		want retention.Subscriber // "" for none
	}{
		{"User-Name through the map", radiusacct.Config{Subscribers: map[string]retention.Subscriber{"alice@neutrinet.example": "C-000042"}}, withClass(), "C-000042"},
		{"the User-Name itself, without a map", radiusacct.Config{}, withClass("C-000042"), "alice@neutrinet.example"},
		{"Class as the reference", radiusacct.Config{Identity: radiusacct.Class}, withClass("C-000042"), "C-000042"},
		{"the first Class that maps", radiusacct.Config{Identity: radiusacct.Class, Subscribers: map[string]retention.Subscriber{"contract=42": "C-000042"}},
			withClass("profile=gold", "contract=42"), "C-000042"},
		{"no Class", radiusacct.Config{Identity: radiusacct.Class}, withClass(), ""},
		{"a Class that is no reference", radiusacct.Config{Identity: radiusacct.Class}, withClass("gold plan"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []retention.Subscriber
			tc.cfg.Emit = func(a retention.Assignment) error { got = append(got, a.Subscriber); return nil }
			s := newSessions(t, tc.cfg)
			if err := s.Request(tc.r, nil); err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.want == "" && len(got) != 0:
				t.Errorf("got %q, want none", got)
			case tc.want != "" && (len(got) != 1 || got[0] != tc.want):
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  radiusacct.Config
	}{
		{"nothing", radiusacct.Config{}},
		{"a device with a space", radiusacct.Config{Device: "radius 1", Clock: func() retention.Clock { return synced }, Emit: func(retention.Assignment) error { return nil }}},
		{"an invalid reference", radiusacct.Config{Device: "r", Clock: func() retention.Clock { return synced }, Emit: func(retention.Assignment) error { return nil },
			Subscribers: map[string]retention.Subscriber{"alice": "Alice Peeters"}}},
		{"an unknown identity", radiusacct.Config{Device: "r", Clock: func() retention.Clock { return synced }, Emit: func(retention.Assignment) error { return nil }, Identity: 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := radiusacct.New(tc.cfg)
			if !errors.Is(err, radiusacct.ErrConfig) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "alice") || strings.Contains(err.Error(), "Peeters") {
				t.Errorf("quotes the map: %v", err)
			}
		})
	}
}

// A refused assignment refuses the request; the NAS's retransmission
// completes what was not handed on.
func TestEmitRefuses(t *testing.T) {
	var rec recorder
	fail := 2 // the second assignment fails once
	s := newSessions(t, radiusacct.Config{Emit: func(a retention.Assignment) error {
		if fail--; fail == 0 {
			return errors.New("store full")
		}
		return rec.emit(a)
	}})
	r := req(radius.StatusStart, nas1, "s1", "C-000042", 0, -1, "198.51.100.7/32", "2001:db8:10::/64")
	if err := s.Request(r, nil); err == nil {
		t.Fatal("the refusal was not returned")
	}
	if err := s.Request(r, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"C-000042 198.51.100.7/32 0-open", "C-000042 2001:db8:10::/64 0-open"}
	if fmt.Sprint(rec.got) != fmt.Sprint(want) || len(s.Open()) != 2 || s.Stats().Refused != 1 {
		t.Errorf("got %q, %d open, %+v", rec.got, len(s.Open()), s.Stats())
	}
}

// Whatever the requests, one NAS never has two sessions holding one
// address at once: its assignments of an address, in the order handed
// on, overlap at most in the one second a Stop ended in and the next
// began in; and every closed one ends after it starts.
func TestNoOverlapProperty(t *testing.T) {
	pool := []string{"198.51.100.7/32", "198.51.100.8/32", "2001:db8:ff00::/56"}
	rapid.Check(t, func(t *rapid.T) {
		type span struct{ from, until int64 } // until 0: open
		spans := map[string][]span{}          // NAS + prefix → spans, in order
		var nas string
		s := newSessions(t, radiusacct.Config{Emit: func(a retention.Assignment) error {
			k := nas + " " + a.Prefix.String()
			ss := spans[k]
			if a.Open() {
				spans[k] = append(ss, span{a.From.Unix(), 0})
				return nil
			}
			if !a.From.Before(a.Until) {
				t.Fatalf("closed before it opened: %+v", a)
			}
			// A closing value replaces its open one.
			for i := range ss {
				if ss[i].until == 0 && ss[i].from == a.From.Unix() {
					ss[i].until = a.Until.Unix()
					return nil
				}
			}
			spans[k] = append(ss, span{a.From.Unix(), a.Until.Unix()})
			return nil
		}})
		sec := 0
		for i, n := 0, rapid.IntRange(1, 50).Draw(t, "n"); i < n; i++ {
			sec += rapid.IntRange(0, 50).Draw(t, "step")
			nas = rapid.SampledFrom([]string{nas1, nas2}).Draw(t, "nas")
			status := rapid.SampledFrom([]radius.Status{radius.StatusStart, radius.StatusInterimUpdate, radius.StatusStop, radius.StatusAccountingOn, radius.StatusAccountingOff}).Draw(t, "status")
			id := fmt.Sprint(rapid.IntRange(1, 4).Draw(t, "session"))
			addrs := rapid.SliceOfNDistinct(rapid.SampledFrom(pool), 0, 2, func(s string) string { return s }).Draw(t, "addrs")
			st := rapid.IntRange(-1, sec).Draw(t, "sessionTime")
			r := req(status, nas, id, "C-00004"+id, sec, st, addrs...)
			if err := s.Request(r, []byte(id)); err != nil {
				t.Fatal(err)
			}
		}
		for k, ss := range spans {
			for i := range ss {
				for j := range i {
					a, b := ss[j], ss[i]
					aEnd, bEnd := a.until, b.until
					if aEnd == 0 {
						aEnd = 1 << 40
					}
					if bEnd == 0 {
						bEnd = 1 << 40
					}
					lo, hi := max(a.from, b.from), min(aEnd, bEnd)
					if hi-lo > 1 {
						t.Fatalf("%s: %v and %v overlap by %d s", k, a, b, hi-lo)
					}
				}
			}
		}
	})
}

// radiusacctConfig is the peer test's configuration: the Class is the
// reference.
func radiusacctConfig(emit func(retention.Assignment) error) radiusacct.Config {
	return radiusacct.Config{Identity: radiusacct.Class, Emit: emit}
}
