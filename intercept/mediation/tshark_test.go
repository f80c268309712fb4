package mediation_test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/hex"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/testenv"
)

// TestTsharkReadsTheNELink: Wireshark (Debian's tshark) captures the
// link from a point of interception — the handover an NE runs, Protocol
// X2X3, over mutual TLS — to the mediation function on loopback,
// decrypts it with the session keys the NE's TLS wrote
// (tls.Config.KeyLogWriter, set by this test, never by the programs), and
// its TS 103 221-2 dissector ("5gli") finds in the decrypted stream every
// X3 PDU the NE sent, with the task's XID and its sequence number.
func TestTsharkReadsTheNELink(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("captures on Linux's loopback interface")
	}
	tshark := testenv.LookPath(t, "tshark", "tshark")
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but the test cannot capture: not root")
		}
		t.Skip("skipping: capturing on loopback needs root")
	}
	r := newRig(t, nil)
	port := r.addr[strings.LastIndexByte(r.addr, ':')+1:]
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	kf, err := os.OpenFile(keys, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer kf.Close()

	pcap := filepath.Join(dir, "ne-mf.pcapng")
	cmd := exec.Command(tshark, "-n", "-i", "lo", "-f", "tcp port "+port, "-w", pcap)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	// tshark says when it captures; nothing is sent before.
	capturing, ended := make(chan struct{}), make(chan struct{})
	var errText lockedText
	go func() {
		defer close(ended)
		sc := bufio.NewScanner(stderr)
		once := false
		for sc.Scan() {
			errText.add(sc.Text())
			if !once && strings.Contains(sc.Text(), "Capture started") {
				once = true
				close(capturing)
			}
		}
	}()
	select {
	case <-capturing:
	case <-ended:
		t.Fatalf("tshark ended before capturing:\n%s", errText.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("tshark did not start capturing")
	}

	ho, err := handover.New(handover.Config{
		Protocol: handover.X2X3, HI2: r.addr, HI3: r.addr,
		TLS: &tls.Config{
			RootCAs: r.serverCA.Pool, ServerName: "mf.test",
			Certificates: []tls.Certificate{r.ca.Client(t, "router-1.isp.test")},
			KeyLogWriter: kf,
		},
		KeepAliveInterval: time.Second, KeepAliveTimeout: 5 * time.Second,
		Clock: r.clock, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ho.Close()
	enc, err := x2x3.NewEncoder([]intercept.Task{r.task}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := intercept.StreamKey{LIID: r.task.LIID, CIN: 3, Stream: intercept.CC}
	se, err := enc.NewStream(key)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	var buf []byte
	for i := range n {
		pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("198.51.100.7"), 100, byte(i))
		buf, err = se.AppendCC(buf[:0], &intercept.CCRecord{Seq: intercept.Seq(i), Time: t0, Direction: intercept.FromTarget, Packet: pkt})
		if err != nil {
			t.Fatal(err)
		}
		sent := ho.Stats().HI3.SentBytes
		if err := ho.Deliver(key, intercept.Seq(i), buf); err != nil {
			t.Fatal(err)
		}
		// One PDU per write, so one per TLS record: the dissector does
		// not reassemble PDUs across records.
		itest.WaitFor(t, "the PDU written", func() bool { return ho.Stats().HI3.SentBytes >= sent+uint64(len(buf)) })
	}
	itest.WaitFor(t, "the mediation function to deliver them", func() bool { return r.ho.count() == n })

	// The capture is read back and decrypted with the NE's session keys
	// by tshark, until its TLS streams hold every PDU (dumpcap writes its
	// file as it goes). Wireshark's 5gli dissector takes X2/X3 inside TLS
	// by a heuristic that knows only the PDU version 1 of TS 103 221-2
	// V1.1.1, not version 5, and does not reassemble PDUs: so the
	// decrypted streams' PDUs are put one per TCP segment in a pcap that
	// tshark decodes as 5gli.
	var pdus [][]byte
	itest.WaitFor(t, "tshark to decrypt every X3 PDU in the capture", func() bool {
		pdus = decryptedX3(t, tshark, pcap, keys, cmd.Env)
		return len(pdus) >= n
	})
	plain := filepath.Join(dir, "x3.pcap")
	itest.WriteTCPPcap(t, plain, 5566, pdus)
	dec := exec.Command(tshark, "-n", "-r", plain, "-d", "tcp.port==5566,5gli",
		"-T", "fields", "-E", "separator=|", "-E", "occurrence=f", "-e", "li5g.type", "-e", "li5g.xid", "-e", "li5g.sq")
	dec.Env = cmd.Env
	var errb strings.Builder
	dec.Stderr = &errb
	b, err := dec.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, errb.String())
	}
	xid := strings.ToLower(uuidString(r.task.ID))
	seen := map[int]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 3 || f[0] != "2" || strings.ToLower(f[1]) != xid {
			t.Errorf("tshark read %q, want an X3 PDU (type 2) of the task's XID", line)
			continue
		}
		sq, err := strconv.Atoi(f[2])
		if err != nil || seen[sq] {
			t.Errorf("tshark's sequence number %q: %v (or seen twice)", f[2], err)
		}
		seen[sq] = true
	}
	for i := range n {
		if !seen[i] {
			t.Errorf("tshark did not decode X3 PDU %d", i)
		}
	}
}

// decryptedX3 has tshark decrypt every TCP stream of the capture (its
// "follow,tls,raw" statistics, which print each direction's application
// data in hex, one direction indented) and returns the X3 PDUs framed
// from them.
func decryptedX3(t *testing.T, tshark, pcap, keys string, env []string) [][]byte {
	t.Helper()
	run := func(args ...string) string {
		c := exec.Command(tshark, append([]string{"-n", "-r", pcap, "-o", "tls.keylog_file:" + keys}, args...)...)
		c.Env = env
		b, _ := c.Output() // a capture still being written may end in a torn packet
		return string(b)
	}
	streams := map[string]bool{}
	for _, s := range strings.Fields(run("-T", "fields", "-e", "tcp.stream")) {
		streams[s] = true
	}
	var out [][]byte
	for s := range streams {
		dirs := map[bool][]byte{}
		for _, line := range strings.Split(run("-q", "-z", "follow,tls,raw,"+s), "\n") {
			indented := strings.HasPrefix(line, "\t")
			b, err := hex.DecodeString(strings.TrimSpace(line))
			if err != nil || len(b) == 0 {
				continue
			}
			dirs[indented] = append(dirs[indented], b...)
		}
		for _, stream := range dirs {
			fr := x2x3.NewFramer(bytes.NewReader(stream), 0)
			for {
				pdu, err := fr.Next()
				if err != nil {
					break
				}
				if p, err := x2x3.Decode(pdu); err == nil && p.Type == x2x3.X3 {
					out = append(out, bytes.Clone(pdu))
				}
			}
		}
	}
	return out
}

// lockedText gathers lines from one goroutine for another.
type lockedText struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedText) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s + "\n")
}

func (l *lockedText) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func uuidString(id [16]byte) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i, c := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b.WriteByte('-')
		}
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
