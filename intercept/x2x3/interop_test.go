package x2x3_test

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/testenv"
)

// Wireshark's X2/X3 dissector (Debian's tshark, protocol "5gli") reads our
// PDUs and finds the header fields, the sequence number, the timestamp and
// the payload we encoded.
func TestTsharkReadsOurPDUs(t *testing.T) {
	tshark := testenv.LookPath(t, "tshark", "tshark")
	enc, err := x2x3.NewEncoder([]intercept.Task{task()}, iriEncoder(t))
	if err != nil {
		t.Fatal(err)
	}
	cc, _ := enc.NewStream(intercept.StreamKey{LIID: task().LIID, CIN: 9, Stream: intercept.CC})
	at := time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.UTC)
	v4 := []byte{0x45, 0, 0, 20, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 7, 198, 51, 100, 1}
	x3, err := cc.AppendCC(nil, &intercept.CCRecord{Seq: 4294967295, Time: at, Direction: intercept.FromTarget, Packet: v4})
	if err != nil {
		t.Fatal(err)
	}
	ka := x2x3.AppendKeepAlive(nil, 77)
	ack := x2x3.AppendKeepAliveAck(nil, 77)

	dir := t.TempDir()
	pcap := filepath.Join(dir, "x2x3.pcap")
	const port = 5566
	itest.WriteTCPPcap(t, pcap, port, [][]byte{x3, ka, ack})
	fields := []string{"li5g.ver", "li5g.type", "li5g.hl", "li5g.pl", "li5g.pf", "li5g.pd", "li5g.xid", "li5g.cid", "li5g.sq", "li5g.ts", "li5g.pld"}
	args := []string{"-n", "-r", pcap, "-d", "tcp.port==5566,5gli", "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	cmd := exec.Command(tshark, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "TZ=UTC") // no user profile; times in UTC
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, out)
	}
	var got [][]string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.Contains(line, "|") {
			row := strings.Split(line, "|")
			for i, v := range row {
				if v == "<MISSING>" { // tshark's word for a field the PDU lacks
					row[i] = ""
				}
			}
			got = append(got, row)
		}
	}
	xid := "5a1d3e10-4242-4f00-8000-000000000001"
	want := [][]string{
		{"5", "2", "60", "20", "5", "3", xid, "0000000000000009", "4294967295", "Nov 23, 2026 10:00:00.123456789 UTC", hex.EncodeToString(v4)},
		{"5", "3", "48", "0", "0", "0", "00000000-0000-0000-0000-000000000000", "0000000000000000", "77", "", ""},
		{"5", "4", "48", "0", "0", "0", "00000000-0000-0000-0000-000000000000", "0000000000000000", "77", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tshark's fields %v (-want +got):\n%s\nraw output:\n%s", fields, diff, out)
	}
}
