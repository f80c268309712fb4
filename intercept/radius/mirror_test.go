package radius_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/capture"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/internal/testenv"
)

// frame is one datagram of a test capture.
type frame struct {
	at               time.Duration // after the capture's start, at
	src, dst         string        // address:port
	payload          []byte
	fragment, cutEnd bool
	atomic6          bool // an IPv6 datagram in an atomic fragment (offset 0, no more fragments)
}

// writeCapture writes frames as Ethernet/IP/UDP into a pcapng file.
func writeCapture(t *testing.T, frames []frame) []byte {
	t.Helper()
	var out bytes.Buffer
	ng, err := pcapgo.NewNgWriter(&out, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		src, dst := netip.MustParseAddrPort(f.src), netip.MustParseAddrPort(f.dst)
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}}
		udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
		var ipl gopacket.NetworkLayer
		if src.Addr().Is4() {
			eth.EthernetType = layers.EthernetTypeIPv4
			v4 := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
			if f.fragment {
				v4.Flags = layers.IPv4MoreFragments
			}
			ipl = v4
		} else {
			eth.EthernetType = layers.EthernetTypeIPv6
			ipl = &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
		}
		_ = udp.SetNetworkLayerForChecksum(ipl)
		buf := gopacket.NewSerializeBuffer()
		err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ipl.(gopacket.SerializableLayer), udp, gopacket.Payload(f.payload))
		if err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		if f.atomic6 {
			// Insert a Fragment header (next header UDP, offset 0, M 0)
			// after the IPv6 header, which now announces it.
			ip6 := b[14:]
			frag := []byte{17, 0, 0, 0, 0, 0, 0x12, 0x34}
			ip6[6] = 44
			binary.BigEndian.PutUint16(ip6[4:], binary.BigEndian.Uint16(ip6[4:])+8)
			b = append(append(append([]byte(nil), b[:14+40]...), frag...), b[14+40:]...)
		}
		ci := gopacket.CaptureInfo{Timestamp: at.Add(f.at), CaptureLength: len(b), Length: len(b)}
		if f.cutEnd {
			ci.CaptureLength -= 4
			b = b[:ci.CaptureLength]
		}
		if err := ng.WritePacket(ci, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := ng.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// mirrorFrames is a capture of a RADIUS server's link: two NASes'
// accounting, the server's answers, and what a tap must leave alone.
func mirrorFrames(t *testing.T) []frame {
	start := packet(t, secret, 1, base(1, ip(tFramedIP, "198.51.100.7"))...)
	return []frame{
		{at: 0, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: start},
		{at: time.Second, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: start}, // retransmitted
		{at: time.Second, src: "192.0.2.53:1813", dst: "192.0.2.1:40000", payload: []byte{5, 1, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}},
		{at: 2 * time.Second, src: "[2001:db8::1]:40001", dst: "[2001:db8::53]:1646",
			payload: packet(t, secret, 1, u32(tStatus, 3), str(tSessionID, "b-1"), str(tUserName, "bob"), ip(tNASIPv6, "2001:db8::1"), pfx(tDelegated6, "2001:db8:ff00::/56"))},
		{at: 2 * time.Second, src: "192.0.2.9:5353", dst: "192.0.2.53:53", payload: []byte("not radius")},
		{at: 3 * time.Second, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: packet(t, "forged", 2, base(2)...)},
		{at: 3 * time.Second, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: packet(t, secret, 3, base(2)...), fragment: true},
		{at: 3 * time.Second, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: packet(t, secret, 4, base(2)...), cutEnd: true},
		{at: 4 * time.Second, src: "198.51.100.200:40000", dst: "192.0.2.53:1813", payload: packet(t, secret, 5, base(2)...)},
		{at: 5 * time.Second, src: "192.0.2.1:40000", dst: "192.0.2.53:1813", payload: packet(t, secret, 6, base(2, u32(tDelay, 2))...)},
		// The server's answer to a NAS whose own port is 1813: not a request.
		{at: 5 * time.Second, src: "192.0.2.53:1813", dst: "192.0.2.2:1813", payload: []byte{5, 6, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}},
		// An atomic fragment is a whole datagram (RFC 8200 §4.5).
		{at: 6 * time.Second, src: "[2001:db8::1]:40001", dst: "[2001:db8::53]:1813", atomic6: true,
			payload: packet(t, secret, 2, u32(tStatus, 2), str(tSessionID, "b-1"), str(tUserName, "bob"), ip(tNASIPv6, "2001:db8::1"))},
	}
}

func mirrorConfig() radius.Config {
	return radius.Config{Clients: []radius.Client{
		{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Secret: []byte(secret)},
		{Prefix: netip.MustParsePrefix("2001:db8::/32"), Secret: []byte(secret)},
	}}
}

func TestMirror(t *testing.T) {
	src, err := capture.NewFile(bytes.NewReader(writeCapture(t, mirrorFrames(t))))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cfg := mirrorConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m, err := radius.NewMirror(src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got []intercept.AccessEvent
	if err := m.Sessions(context.Background(), func(ev intercept.AccessEvent) { got = append(got, ev) }); err != nil {
		t.Fatal(err)
	}
	type brief struct {
		Type      intercept.AccessEventType
		Time      time.Time
		SessionID string
		User      string
		Addresses int
	}
	var briefs []brief
	for _, ev := range got {
		briefs = append(briefs, brief{ev.Type, ev.Time, ev.SessionID, ev.Username, len(ev.Addresses)})
	}
	want := []brief{
		{intercept.SessionStart, at, `192.0.2.1 "0000A1B2"`, "alice@neutrinet.example", 1},
		{intercept.InterimUpdate, at.Add(2 * time.Second), `2001:db8::1 "b-1"`, "bob", 1},
		{intercept.SessionEnd, at.Add(3 * time.Second), `192.0.2.1 "0000A1B2"`, "alice@neutrinet.example", 0}, // 5 s less the Acct-Delay-Time
		{intercept.SessionEnd, at.Add(6 * time.Second), `2001:db8::1 "b-1"`, "bob", 0},
	}
	if d := cmp.Diff(want, briefs); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	wantStats := radius.Stats{Received: 9, Events: 4, Retransmissions: 1, NotAuthentic: 1, UnknownClient: 1, Fragments: 1, Truncated: 1}
	if d := cmp.Diff(wantStats, m.Stats()); d != "" {
		t.Errorf("Stats (-want +got):\n%s", d)
	}
	const words = "RADIUS accounting: 9 request(s) read, 4 access event(s) delivered, 1 retransmission(s) recognised; " +
		"1 from no configured client; 1 with a wrong authenticator (forged, or another secret); " +
		"1 lost: fragmented in IP; 1 lost: cut short by the capture"
	if got := m.Stats().String(); got != words {
		t.Errorf("Stats.String =\n%s\nwant\n%s", got, words)
	}
	// The unknown sender may be a subscriber: its address is not logged.
	if strings.Contains(logs.String(), "198.51.100.200") || !strings.Contains(logs.String(), "no configured client") {
		t.Errorf("logs:\n%s", logs.String())
	}
}

// TestMirrorAgreesWithTshark: Wireshark's RADIUS dissector reads the same
// capture; every Accounting-Request it finds, the Mirror read with the
// same identifier, status, session and user.
func TestMirrorAgreesWithTshark(t *testing.T) {
	tshark := testenv.LookPath(t, "tshark", "tshark")
	frames := mirrorFrames(t)
	var clean []frame // tshark reads every frame; keep the whole, unfragmented ones
	for _, f := range frames {
		if !f.fragment && !f.cutEnd {
			clean = append(clean, f)
		}
	}
	file := filepath.Join(t.TempDir(), "radius.pcapng")
	if err := os.WriteFile(file, writeCapture(t, clean), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tshark, "-n", "-r", file, "-Y", "radius.code == 4",
		"-T", "fields", "-E", "separator=|", "-e", "radius.id", "-e", "radius.Acct_Status_Type",
		"-e", "radius.Acct_Session_Id", "-e", "radius.User_Name")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	theirs := strings.Split(strings.TrimSpace(string(out)), "\n")

	src, err := capture.NewFile(bytes.NewReader(writeCapture(t, clean)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := mirrorConfig()
	cfg.Options.SkipVerify = true // read what tshark reads, forged or not
	cfg.Clients = nil
	cfg.RetransmitWindow = time.Nanosecond // and each retransmission too
	m, err := radius.NewMirror(src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var ours []string
	err = m.Sessions(context.Background(), func(ev intercept.AccessEvent) {
		sid, _ := strconv.Unquote(ev.SessionID[strings.LastIndexByte(ev.SessionID, ' ')+1:])
		status := map[intercept.AccessEventType]string{intercept.SessionStart: "1", intercept.SessionEnd: "2", intercept.InterimUpdate: "3"}[ev.Type]
		ours = append(ours, status+"|"+sid+"|"+ev.Username)
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	var theirsNoID []string
	for _, l := range theirs {
		_, rest, _ := strings.Cut(l, "|")
		theirsNoID = append(theirsNoID, rest)
	}
	if d := cmp.Diff(theirsNoID, ours); d != "" {
		t.Errorf("tshark (-) and the Mirror (+) disagree:\n%s", d)
	}
	if len(ours) != 7 {
		t.Errorf("the Mirror read %d requests, want 7", len(ours))
	}
}

func TestNewMirrorRefuses(t *testing.T) {
	tests := []struct {
		name string
		cfg  radius.Config
		want string
	}{
		{"no clients and verification on", radius.Config{}, "SkipVerify not set"},
		{"a client without a secret, verification on", radius.Config{Clients: []radius.Client{{Prefix: netip.MustParsePrefix("10.0.0.0/8")}}}, "Clients[0]: no Secret"},
		{"port 0", radius.Config{Options: radius.Options{SkipVerify: true}, Ports: []uint16{1813, 0}}, "Ports[1] is 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, _ := capture.NewFile(bytes.NewReader(writeCapture(t, nil)))
			_, err := radius.NewMirror(src, tt.cfg)
			if !errors.Is(err, radius.ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewMirror = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := radius.NewMirror(nil, radius.Config{Options: radius.Options{SkipVerify: true}}); err == nil || !strings.Contains(err.Error(), "no capture source") {
		t.Errorf("nil source: %v", err)
	}
}
