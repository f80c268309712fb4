package intercept_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/provenance"
)

func TestLIIDText(t *testing.T) {
	tests := []struct {
		name, in, out string
		octets        []byte
		err           bool
	}{
		{name: "printable", in: "BE-2026-0042", out: "BE-2026-0042", octets: []byte("BE-2026-0042")},
		{name: "hex binary", in: "0x00ff10", out: "0x00ff10", octets: []byte{0, 0xff, 0x10}},
		{name: "printable starting 0x is written in hex", in: "0x3078", out: "0x3078", octets: []byte("0x")},
		{name: "25 octets", in: strings.Repeat("A", 25), out: strings.Repeat("A", 25), octets: bytes.Repeat([]byte("A"), 25)},
		{name: "26 octets", in: strings.Repeat("A", 26), err: true},
		{name: "empty", in: "", err: true},
		{name: "empty hex", in: "0x", err: true},
		{name: "space", in: "BE 1", err: true},
		{name: "bad hex", in: "0xzz", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := intercept.ParseLIID(tt.in)
			if tt.err {
				if !errors.Is(err, intercept.ErrLIID) {
					t.Fatalf("ParseLIID(%q) error = %v, want ErrLIID", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := l.String(); got != tt.out {
				t.Errorf("String = %q, want %q", got, tt.out)
			}
			if !bytes.Equal(l.Bytes(), tt.octets) {
				t.Errorf("Bytes = %x, want %x", l.Bytes(), tt.octets)
			}
		})
	}
}

func TestLIIDRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.Byte(), 1, intercept.MaxLIIDLen).Draw(t, "octets")
		l, err := intercept.LIIDFromBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		text, err := l.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back intercept.LIID
		if err := back.UnmarshalText(text); err != nil {
			t.Fatalf("UnmarshalText(%q): %v", text, err)
		}
		if back != l {
			t.Fatalf("round trip %x -> %q -> %x", b, text, back.Bytes())
		}
	})
}

func TestSeqWrapProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := intercept.Seq(rapid.Uint32().Draw(t, "s"))
		n := rapid.Uint32Range(0, 1<<31-1).Draw(t, "n")
		u := s.Add(n)
		if got := u.Since(s); got != n {
			t.Fatalf("(%d+%d).Since(%d) = %d", s, n, s, got)
		}
		if n > 0 && (!s.Before(u) || u.Before(s)) {
			t.Fatalf("%d should come before %d (n=%d)", s, u, n)
		}
		if s.Next() != s.Add(1) {
			t.Fatal("Next differs from Add(1)")
		}
	})
	if got := intercept.Seq(1<<32 - 1).Next(); got != 0 {
		t.Fatalf("4294967295.Next() = %d, want 0", got)
	}
	if intercept.Seq(0).Before(1<<31) || intercept.Seq(1<<31).Before(0) {
		t.Fatal("numbers 2^31 apart must be unordered")
	}
}

func validTask() intercept.Task {
	return intercept.Task{
		ID:        [16]byte{1},
		LIID:      intercept.MustParseLIID("BE-TEST-1"),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("192.0.2.7/32")), intercept.UsernameTarget("alice@vpn")},
		NotBefore: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC),
		Delivery:  intercept.IRIAndCC,
		Agency:    "NTSU-CTIF",
	}
}

func TestTaskValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*intercept.Task)
		fields []string
	}{
		{name: "valid", edit: func(*intercept.Task) {}},
		{name: "zero task lists every problem", edit: func(k *intercept.Task) { *k = intercept.Task{} },
			fields: []string{"ID", "LIID", "Targets", "NotBefore/NotAfter", "Delivery", "Agency"}},
		{name: "host bits", edit: func(k *intercept.Task) { k.Targets[0].Prefix = netip.MustParsePrefix("192.0.2.7/24") },
			fields: []string{"Targets[0].Prefix"}},
		{name: "mapped v4", edit: func(k *intercept.Task) { k.Targets[0].Prefix = netip.MustParsePrefix("::ffff:192.0.2.7/128") },
			fields: []string{"Targets[0].Prefix"}},
		{name: "duplicate target", edit: func(k *intercept.Task) { k.Targets = append(k.Targets, k.Targets[1]) },
			fields: []string{"Targets[2]"}},
		{name: "username with prefix", edit: func(k *intercept.Task) { k.Targets[1].Prefix = netip.MustParsePrefix("2001:db8::/48") },
			fields: []string{"Targets[1].Prefix"}},
		{name: "bad utf8 username", edit: func(k *intercept.Task) { k.Targets[1].Username = "\xff" },
			fields: []string{"Targets[1].Username"}},
		{name: "unknown kind", edit: func(k *intercept.Task) { k.Targets[0].Kind = 9 },
			fields: []string{"Targets[0].Kind", "Targets[0].Prefix"}[:1]},
		{name: "period reversed", edit: func(k *intercept.Task) { k.NotAfter = k.NotBefore },
			fields: []string{"NotAfter"}},
		{name: "access type", edit: func(k *intercept.Task) { k.AccessType = 10 },
			fields: []string{"AccessType"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := validTask()
			tt.edit(&k)
			err := k.Validate()
			var got []string
			var ve *provenance.Problems
			if errors.As(err, &ve) {
				if ve.What != "intercept: task" {
					t.Errorf("What = %q", ve.What)
				}
				for _, p := range ve.Findings {
					got = append(got, p.Field)
				}
			} else if err != nil {
				t.Fatalf("error of type %T", err)
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("problem fields (-want +got):\n%s", diff)
			}
			if err != nil && strings.Contains(err.Error(), "alice") {
				t.Errorf("error quotes a target: %v", err)
			}
		})
	}
}

func TestTaskActiveBoundaries(t *testing.T) {
	k := validTask()
	for _, tt := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"before", k.NotBefore.Add(-time.Nanosecond), false},
		{"at start", k.NotBefore, true},
		{"inside", k.NotBefore.Add(time.Hour), true},
		{"last nanosecond", k.NotAfter.Add(-time.Nanosecond), true},
		{"at end", k.NotAfter, false},
	} {
		if got := k.Active(tt.at); got != tt.want {
			t.Errorf("%s: Active = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLogValuesHideTargets(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	k := validTask()
	ev := intercept.AccessEvent{Type: intercept.AccessAccept, Username: "alice@vpn", Addresses: []netip.Prefix{netip.MustParsePrefix("192.0.2.7/32")}}
	log.Info("task", "task", k, "target", k.Targets[0], "event", ev)
	printed := fmt.Sprintf("%v %+v %v %+v %s", k, k, ev, ev, k.Targets)
	for _, secret := range []string{"alice", "192.0.2.7", "BE-TEST-1"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("log shows %q: %s", secret, buf.String())
		}
		if strings.Contains(printed, secret) {
			t.Errorf("fmt shows %q: %s", secret, printed)
		}
	}
}

func TestBelgiumProfile(t *testing.T) {
	_, err := intercept.Belgium(intercept.Profile{})
	var ve *provenance.Problems
	if !errors.As(err, &ve) {
		t.Fatalf("empty profile: %v", err)
	}
	var fields []string
	for _, p := range ve.Findings {
		fields = append(fields, p.Field)
		if text := p.Text(language.English); !strings.Contains(text, "NTSU-CTIF") {
			t.Errorf("%s: the message does not say where the value comes from: %s", p.Field, text)
		}
	}
	want := []string{"OperatorID", "HI1OperatorID", "Timestamps", "PSDomainVersion", "IPAccessVersion", "HI1DomainVersion", "KeepAliveLIID", "KeepAliveInterval", "KeepAliveTimeout"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("missing choices (-want +got):\n%s", diff)
	}

	p, err := intercept.Belgium(completeProfile())
	if err != nil {
		t.Fatal(err)
	}
	if p.AuthorizationCountry != "BE" || p.DeliveryCountry != "BE" {
		t.Errorf("countries = %q, %q", p.AuthorizationCountry, p.DeliveryCountry)
	}
	nl := completeProfile()
	nl.DeliveryCountry = "NL"
	if _, err := intercept.Belgium(nl); !errors.Is(err, intercept.ErrProfile) {
		t.Errorf("a Dutch delivery country was accepted: %v", err)
	}
}

func completeProfile() intercept.Profile {
	return intercept.Profile{
		OperatorID: "NEUTRINET", HI1OperatorID: "NTNET", Timestamps: intercept.Microseconds,
		PSDomainVersion: 17, IPAccessVersion: 10, HI1DomainVersion: 6,
		KeepAliveLIID: intercept.MustParseLIID("ccjkit"), KeepAliveInterval: 300 * time.Second, KeepAliveTimeout: 30 * time.Second,
	}
}

func TestEnumsAccessEventIRIType(t *testing.T) {
	tests := map[intercept.AccessEventType]intercept.IRIType{
		intercept.AccessAttempt: intercept.IRIReport, intercept.AccessAccept: intercept.IRIBegin,
		intercept.AccessReject: intercept.IRIReport, intercept.AccessFailed: intercept.IRIReport,
		intercept.SessionStart: intercept.IRIBegin, intercept.SessionEnd: intercept.IRIEnd,
		intercept.InterimUpdate: intercept.IRIContinue, intercept.StartOfInterceptionWithSessionActive: intercept.IRIBegin,
		intercept.AccessEnd: intercept.IRIEnd, intercept.EndOfInterceptionWithSessionActive: intercept.IRIEnd,
		intercept.AccessEventUnknown: intercept.IRIReport,
	}
	for e, want := range tests {
		if got := e.IRIType(); got != want {
			t.Errorf("%v.IRIType() = %v, want %v", e, got, want)
		}
	}
}
