package radius_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/provenance"
)

// TestParseArithmetic: for random sessions, what Parse computes — the
// event's time from the arrival and the Acct-Delay-Time or from the
// Event-Timestamp, the start from the Acct-Session-Time, 64-bit octet
// counts from octets and gigawords, the target's point of view — agrees
// with the RFCs' definitions written out here.
func TestParseArithmetic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		status := rapid.SampledFrom([]uint32{1, 2, 3}).Draw(t, "status")
		received := time.Unix(rapid.Int64Range(1<<30, 1<<32-1).Draw(t, "received"), rapid.Int64Range(0, 999999999).Draw(t, "ns")).UTC()
		delay := rapid.Uint32Range(0, 1<<20).Draw(t, "delay")
		sessionTime := rapid.Uint32().Draw(t, "sessionTime")
		in, out := rapid.Uint64().Draw(t, "in"), rapid.Uint64().Draw(t, "out")
		stamp := rapid.Bool().Draw(t, "eventTimestamp")
		ts := rapid.Uint32().Draw(t, "ts")
		user := rapid.StringN(1, 64, 253).Draw(t, "user")
		v4 := netip.AddrFrom4([4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "v4"))).Unmap()
		bits := rapid.IntRange(32, 128).Draw(t, "bits")
		v6, _ := netip.AddrFrom16([16]byte(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "v6"))).Prefix(bits)

		attrs := []attr{u32(tStatus, status), str(tSessionID, "S"), str(tUserName, user), str(tNASIdentifier, "n"),
			u32(tDelay, delay), u32(tSessionTime, sessionTime),
			u32(tInOctets, uint32(in)), u32(tInGigawords, uint32(in>>32)),
			u32(tOutOctets, uint32(out)), u32(tOutGigawords, uint32(out>>32)),
			ip(tFramedIP, v4.String()), pfx(tFramedPrefix6, v6.String())}
		if stamp {
			attrs = append(attrs, u32(tEventTimestamp, ts))
		}
		r, err := radius.Parse(packet(t, secret, 1, attrs...), []byte(secret), received, radius.Options{})
		if err != nil {
			t.Fatal(err)
		}
		when := received.Add(-time.Duration(delay) * time.Second)
		if stamp {
			when = time.Unix(int64(ts), 0).UTC()
		}
		want := intercept.AccessEvent{Time: when, SessionID: `"n" "S"`, Username: user,
			Assignment: intercept.AssignmentDynamic, OctetsSent: &in, OctetsReceived: &out,
			Start: when.Add(-time.Duration(sessionTime) * time.Second)}
		want.Type, _ = radius.Status(status).AccessEventType()
		if v4.IsUnspecified() || v4 == netip.AddrFrom4([4]byte{255, 255, 255, 255}) || v4 == netip.AddrFrom4([4]byte{255, 255, 255, 254}) {
			want.Addresses = []netip.Prefix{v6}
		} else {
			want.Addresses = []netip.Prefix{netip.PrefixFrom(v4, 32), v6}
		}
		switch status {
		case 1:
			want.Start = when // a Start starts now, whatever Acct-Session-Time says
		case 2:
			want.End = when
		}
		if d := cmp.Diff(want, r.Event, cmpopts.EquateComparable(netip.Prefix{})); d != "" {
			t.Fatalf("event (-want +got):\n%s", d)
		}
		if r.Delay != time.Duration(delay)*time.Second {
			t.Fatalf("Delay = %v", r.Delay)
		}
	})
}

// FuzzParse: no input makes Parse panic; what it accepts is coherent, and
// what it refuses is refused with findings that name their source and
// quote no attribute value.
func FuzzParse(f *testing.F) {
	f.Add(packet(f, secret, 1, base(1, ip(tFramedIP, "198.51.100.7"), pfx(tFramedPrefix6, "2001:db8::/48"))...))
	f.Add(packet(f, secret, 2, base(3, u32(tSessionTime, 60), u32(tInOctets, 1), u32(tInGigawords, 1))...))
	f.Add(packet(f, secret, 3, base(2, u32(tTerminate, 4), u32(tEventTimestamp, 1800000000))...))
	f.Add(packet(f, secret, 4, u32(tStatus, 7), str(tNASIdentifier, "n")))
	f.Add(packet(f, secret, 5, str(tUserName, "zzzz"), str(tUserName, "zzzz"), attr{tInOctets, []byte{1}}))
	f.Add([]byte{4, 0, 0, 20})
	f.Fuzz(func(t *testing.T, pkt []byte) {
		for _, opts := range []radius.Options{{SkipVerify: true}, {}} {
			r, err := radius.Parse(pkt, []byte(secret), at, opts)
			if err != nil {
				if r != nil {
					t.Fatal("a request came with an error")
				}
				var pe *provenance.Problems
				if errors.As(err, &pe) {
					if len(pe.Findings) == 0 {
						t.Fatal("a *provenance.Problems without findings")
					}
					for _, fd := range pe.Findings {
						if fd.Source.Instrument == "" || fd.Rule == "" || fd.Message == nil || fd.Field == "" {
							t.Fatalf("incomplete finding %+v", fd)
						}
					}
					if strings.Contains(err.Error(), "zzzz") {
						t.Fatalf("the error quotes a value: %v", err)
					}
				}
				continue
			}
			if r.Event.Time.IsZero() {
				t.Fatal("no time")
			}
			if typ, ok := r.Status.AccessEventType(); ok {
				if r.Event.Type != typ || !strings.HasPrefix(r.Event.SessionID, r.NAS+" ") || r.NAS == "" {
					t.Fatalf("incoherent request %+v", r)
				}
				for _, a := range r.Event.Addresses {
					if !a.IsValid() || a != a.Masked() && a.Bits() != a.Addr().BitLen() {
						t.Fatalf("invalid address %v", a)
					}
				}
			} else if r.Event.Type != 0 || r.Event.SessionID != "" {
				t.Fatalf("an event for status %v", r.Status)
			}
		}
	})
}

// packets is a CaptureSource of fixed datagrams.
type packets [][]byte

func (ps packets) Capture(ctx context.Context, deliver func([]intercept.Packet)) error {
	batch := make([]intercept.Packet, 0, len(ps))
	for _, p := range ps {
		batch = append(batch, intercept.Packet{Time: at, Data: p, Length: len(p)})
	}
	deliver(batch)
	return nil
}

func (ps packets) Stats() intercept.CaptureStats { return intercept.CaptureStats{} }

// FuzzMirror: no captured datagram makes the Mirror panic; through Tee,
// every packet of the batch is passed on exactly once, in order, whatever
// the Mirror made of it.
func FuzzMirror(f *testing.F) {
	req := packet(f, secret, 1, base(1)...)
	f.Add(ipv4UDP(1813, req))
	f.Add(ipv4UDP(1646, req[:30]))
	f.Add([]byte{0x60, 0, 0, 0, 0, 8, 44, 64})
	f.Fuzz(func(t *testing.T, b []byte) {
		src := packets{b, ipv4UDP(1813, req), b}
		m, err := radius.NewMirror(src, radius.Config{Options: radius.Options{SkipVerify: true}})
		if err != nil {
			t.Fatal(err)
		}
		var passed [][]byte
		err = m.Tee(func(intercept.AccessEvent) {}).Capture(context.Background(), func(batch []intercept.Packet) {
			for _, p := range batch {
				passed = append(passed, p.Data)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(passed) != 3 || !bytes.Equal(passed[0], b) || !bytes.Equal(passed[2], b) {
			t.Fatalf("Tee passed on %d packets", len(passed))
		}
		if st := m.Stats(); st.Events < 1 {
			t.Fatalf("the well-formed request in the middle was not read: %+v", st)
		}
	})
}

// ipv4UDP is a datagram from 192.0.2.1:40000 to 192.0.2.53 on port.
func ipv4UDP(port uint16, payload []byte) []byte {
	b := make([]byte, 28+len(payload))
	b[0], b[8], b[9] = 0x45, 64, 17
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	copy(b[12:], []byte{192, 0, 2, 1, 192, 0, 2, 53})
	binary.BigEndian.PutUint16(b[20:], 40000)
	binary.BigEndian.PutUint16(b[22:], port)
	binary.BigEndian.PutUint16(b[24:], uint16(8+len(payload)))
	copy(b[28:], payload)
	return b
}
