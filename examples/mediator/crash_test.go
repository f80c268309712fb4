package main

import (
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/handover"
	"github.com/ccjkit/ccjkit/intercept/lemf"
	"github.com/ccjkit/ccjkit/intercept/x1"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/timesync"
)

// TestMediatorCrashes kills the mediator (SIGKILL) six times while an NE
// streams X3 to it, restarting it each time on its spool and state. The
// NE is a real handover (Protocol X2X3, with its own spool), which keeps
// what the mediator has not confirmed and sends it again after each
// reconnection. Before each kill the test stalls the mediator's link to
// the LEMF (itest.Gate: what the mediator writes is held, and dropped
// with a reset when it dies), so that the mediator dies holding records
// the LEMF has not confirmed and the NE was told were safe. The mediator,
// with -spool, answers a keep-alive only once what it confirms is
// durable (handover.Sync): so every record the NE sent reaches the LEMF
// — some twice, none never. Without it (no -spool) the same run loses
// thousands.
func TestMediatorCrashes(t *testing.T) {
	bin := build(t)
	p := newPKI(t)
	dir := t.TempDir()
	enc, _ := etsi.NewEncoder(rehearsal())
	var mu sync.Mutex
	seen := map[uint32]int{}
	rx, err := lemf.Listen(t.Context(), "tcp", "127.0.0.1:0", lemf.Config{Encoder: enc, Clock: timesync.SystemClock{},
		Decode: true, OnPDU: func(_ lemf.ConnInfo, pdu *etsi.PDU) {
			if pdu.Payload.Kind != etsi.CCSequence {
				return
			}
			for _, cc := range pdu.Payload.CC {
				if len(cc.Packet) < 4 {
					continue
				}
				id := binary.BigEndian.Uint32(cc.Packet[len(cc.Packet)-4:])
				mu.Lock()
				seen[id]++
				mu.Unlock()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()

	// The mediator reaches the LEMF through a gate the test stalls before
	// each kill, so that the mediator holds records the LEMF has not
	// confirmed when it dies.
	g := itest.NewGate(t, rx.Addr().String())
	now := time.Now().UTC().Truncate(time.Second)
	xid, _ := x1.NewUUID(nil)
	tasks := filepath.Join(dir, "tasks.json")
	os.WriteFile(tasks, fmt.Appendf(nil, `{"tasks": [{"xid": %q, "liid": "BE-CRASH-1", "delivery": "IRIAndCC",
	  "start": %q, "end": %q, "targets": ["192.0.2.10/32"], "usernames": []}]}`,
		xid.String(), now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339)), 0o600)
	args := func(listen string) []string {
		return []string{"-listen", listen, "-cert", p.mfCert, "-key", p.mfKey, "-ne-ca", p.caFile, "-tasks", tasks,
			"-lemf", g.Addr(), "-spool", filepath.Join(dir, "mf-spool"), "-state", filepath.Join(dir, "mf-state.json")}
	}
	mf := start(t, bin, args("127.0.0.1:0")...)
	addr := mf.addr(t, "X2/X3 from the NEs on")

	// The NE: a handover to the mediator, and an encoder of its task.
	ne, err := handover.New(handover.Config{Protocol: handover.X2X3, HI2: addr, HI3: addr,
		TLS: &tls.Config{RootCAs: p.ca.Pool, ServerName: "mf.test", MinVersion: tls.VersionTLS12,
			Certificates: []tls.Certificate{p.ca.Client(t, "router-1.ne.test")}},
		KeepAliveInterval: 50 * time.Millisecond, KeepAliveTimeout: 5 * time.Second, QueueBytes: 128 << 10,
		SpoolDir: filepath.Join(dir, "ne-spool"), Clock: timesync.SystemClock{},
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, DrainTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer ne.Close()
	neTask := intercept.Task{ID: [16]byte(xid), LIID: intercept.MustParseLIID("ne-local"),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.PrefixFrom(target, 32))},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), Delivery: intercept.IRIAndCC, Agency: "mf"}
	x, err := x2x3.NewEncoder([]intercept.Task{neTask}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key := intercept.StreamKey{LIID: neTask.LIID, CIN: 9, Stream: intercept.CC}
	se, err := x.NewStream(key)
	if err != nil {
		t.Fatal(err)
	}

	const total, kills = 30000, 6
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	// Kills about every 4,500 records, each after 2,000 records sent
	// behind a stalled LEMF link: the mediator holds them, unconfirmed by
	// the LEMF, and has answered the NE's keep-alives for most of them
	// (the NE asks every 32 KiB).
	killAt := map[int]bool{}
	for k := range kills {
		killAt[4000+4500*k+rng.IntN(500)] = true
	}
	var buf []byte
	var bounds []string
	for i := range total {
		if killAt[i+2000] {
			g.Set(false) // the LEMF stops reading: the mediator queues
		}
		if killAt[i] {
			mf.cmd.Process.Signal(syscall.SIGKILL)
			mf.wg.Wait()
			mf.cmd.Wait()
			g.Set(true)
			mf = start(t, bin, args(addr)...)
			mf.addr(t, "X2/X3 from the NEs on")
			if m := regexp.MustCompile(`HI3: the previous run crashed and lost between (\d+) and (\d+)`).FindStringSubmatch(mf.stdout.String()); m != nil {
				bounds = append(bounds, m[1]+"–"+m[2])
			}
		}
		pkt := itest.Packet(target, peer, 100, 0)
		binary.BigEndian.PutUint32(pkt[len(pkt)-4:], uint32(i))
		buf, err = se.AppendCC(buf[:0], &intercept.CCRecord{Seq: intercept.Seq(i), Time: time.Now(), Direction: intercept.FromTarget, Packet: pkt})
		if err != nil {
			t.Fatal(err)
		}
		if err := ne.Deliver(key, intercept.Seq(i), buf); err != nil {
			t.Fatalf("the NE refused record %d: %v", i, err)
		}
		if i%50 == 49 {
			time.Sleep(time.Millisecond) // a capture's pace
		}
	}
	itest.WaitFor(t, "the mediator to confirm everything the NE sent", func() bool { return ne.Queued() == 0 })
	if code := mf.stop(t); code != 0 {
		t.Fatalf("the mediator: exit %d\n%s", code, mf.stderr.String())
	}
	mu.Lock()
	defer mu.Unlock()
	var missing, twice int
	for i := range uint32(total) {
		switch n := seen[i]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	t.Logf("%d records through %d crashes of the mediator: %d missing at the LEMF, %d received more than once; the restarted mediators' bounds on what they lost of what they held: %v; the NE: %s",
		total, kills, missing, twice, bounds, strings.TrimSpace(ne.Stats().HI3.String()))
	if missing != 0 {
		var ranges []string
		for i := 0; i < total; i++ {
			if seen[uint32(i)] == 0 {
				j := i
				for j+1 < total && seen[uint32(j+1)] == 0 {
					j++
				}
				ranges = append(ranges, fmt.Sprintf("%d–%d", i, j))
				i = j
			}
		}
		t.Logf("missing: %v; kills at %v\nthe last mediator:\n%s\n%s\nLEMF: %s", ranges, killAt, mf.stdout.String(), mf.stderr.String(), rx.Report())
		t.Errorf("%d of the %d records the mediator confirmed never reached the LEMF", missing, total)
	}
}
