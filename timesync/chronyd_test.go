package timesync_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/internal/testenv"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// chronyd is a real chronyd serving NTP on 127.0.0.1 at a free port, with
// its command socket in a private directory. It never touches the system
// clock (-x).
type chronyd struct {
	addr   string // host:port of its NTP service
	socket string // its command socket, for chronyc -h
	dir    string
	log    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startChronyd runs chronyd with the given extra configuration lines and
// waits (at most 10 s) until its command socket answers.
func startChronyd(t *testing.T, extra ...string) *chronyd {
	t.Helper()
	bin := testenv.LookPath(t, "chronyd", "chrony")
	testenv.LookPath(t, "chronyc", "chrony")
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil { // chronyd refuses a socket directory others can read
		t.Fatal(err)
	}
	port := freeUDPPort(t)
	c := &chronyd{addr: fmt.Sprintf("127.0.0.1:%d", port), socket: filepath.Join(dir, "chronyd.sock"), dir: dir, log: &syncBuffer{}}
	conf := []string{
		fmt.Sprintf("port %d", port),
		"bindaddress 127.0.0.1",
		"allow 127.0.0.1",
		"bindcmdaddress " + c.socket,
		"cmdport 0",
		"pidfile " + filepath.Join(dir, "chronyd.pid"),
	}
	if os.Geteuid() == 0 {
		conf = append(conf, "user root") // stay root: no _chrony user needed, the directory is ours
	}
	for _, line := range extra {
		conf = append(conf, strings.ReplaceAll(line, "{dir}", dir))
	}
	confPath := filepath.Join(dir, "chrony.conf")
	if err := os.WriteFile(confPath, []byte(strings.Join(conf, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-d", "-x", "-f", confPath)
	cmd.Stdout, cmd.Stderr = c.log, c.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("chronyd log:\n%s", c.log)
		}
	})
	for i := 0; i < 100; i++ { // 100 × 100 ms
		select {
		case <-done:
			t.Fatalf("chronyd exited at start:\n%s", c.log)
		default:
		}
		if _, err := (timesync.Chrony{Socket: c.socket, Timeout: time.Second}).Sample(context.Background()); err == nil {
			return c
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("chronyd did not answer within 10 s:\n%s", c.log)
	return nil
}

func freeUDPPort(t *testing.T) int {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// feedGPS plays gpsd: it sends chronyd's SOCK refclock a sample every
// 100 ms saying the system clock is right (offset 0), until the test ends
// or 60 s have passed.
func feedGPS(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if conn, err := net.Dial("unixgram", path); err == nil {
				conn.Write(sockSample(time.Now()))
				conn.Close()
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
}

// sockSample encodes chrony's struct sock_sample (refclock_sock.c) for
// amd64/arm64: a timeval, the offset as a double, pulse, leap, padding and
// the magic "SOCK".
func sockSample(now time.Time) []byte {
	b := make([]byte, 40)
	binary.NativeEndian.PutUint64(b[0:], uint64(now.Unix()))
	binary.NativeEndian.PutUint64(b[8:], uint64(now.Nanosecond()/1000))
	binary.NativeEndian.PutUint64(b[16:], math.Float64bits(0))
	binary.NativeEndian.PutUint32(b[36:], 0x534f434b)
	return b
}

// waitVerdict checks the sources every 200 ms for at most 20 s until ok
// accepts the verdict, and returns the last verdict.
func waitVerdict(t *testing.T, ok func(timesync.Verdict) bool, sources ...timesync.Source) timesync.Verdict {
	t.Helper()
	var v timesync.Verdict
	for i := 0; i < 100; i++ {
		v = timesync.Check(context.Background(), timesync.SystemClock{}, timesync.Policy{}, sources...)
		if ok(v) {
			return v
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("verdict never reached the expected state; last:\n%s", reasons(v))
	return v
}

func TestChronydGPSIsCompliant(t *testing.T) {
	c := startChronyd(t, "refclock SOCK {dir}/gps.sock refid GPS poll 0 filter 1")
	feedGPS(t, filepath.Join(c.dir, "gps.sock"))
	ntpSrc := timesync.NTPServer{Address: c.addr, Timeout: time.Second}
	chronySrc := timesync.Chrony{Socket: c.socket}
	// The two sources are asked one after the other: the first verdict
	// that is compliant may hold an NTP answer from just before chronyd
	// selected the GPS. Wait until both say so.
	onGPS := func(s timesync.Sample) bool {
		return s.Stratum == 1 && s.ReferenceClock() == "GPS" && s.Leap == timesync.LeapNone
	}
	v := waitVerdict(t, func(v timesync.Verdict) bool {
		return v.Compliant() && len(v.Samples) == 2 && onGPS(v.Samples[0]) && onGPS(v.Samples[1])
	}, ntpSrc, chronySrc)
	for _, s := range v.Samples {
		if s.ErrorBound() > 50*time.Millisecond {
			t.Errorf("%s: error bound %v on loopback", s.Source, s.ErrorBound())
		}
	}
	if !strings.HasPrefix(v.Reference, "GPS via ") {
		t.Errorf("Reference = %q", v.Reference)
	}
}

func TestChronydUnsynchronised(t *testing.T) {
	// A GPS refclock with nothing feeding it: chronyd serves, unsynchronised.
	c := startChronyd(t, "refclock SOCK {dir}/gps.sock refid GPS poll 0 filter 1")
	ntpSrc := timesync.NTPServer{Address: c.addr, Timeout: time.Second}
	s, err := ntpSrc.Sample(context.Background())
	if err != nil {
		t.Fatalf("an unsynchronised server still answers: %v", err)
	}
	if s.Synchronised() || s.Leap != timesync.LeapUnsynchronised {
		t.Errorf("sample %+v should be unsynchronised", s)
	}
	v := timesync.Check(context.Background(), timesynctest.NewClock(judgedAt), timesync.Policy{}, ntpSrc, timesync.Chrony{Socket: c.socket})
	if v.Synchronised || v.Compliant() {
		t.Errorf("verdict:\n%s", reasons(v))
	}
	if !v.At.Equal(judgedAt) || !v.Samples[0].At.Equal(judgedAt) {
		t.Errorf("times do not come from the injected clock: %v, %v", v.At, v.Samples[0].At)
	}
}

func TestChronydLocalClockIsNotTraceable(t *testing.T) {
	c := startChronyd(t, "local stratum 1")
	v := waitVerdict(t, func(v timesync.Verdict) bool { return v.Synchronised && len(v.Samples) == 2 },
		timesync.NTPServer{Address: c.addr, Timeout: time.Second}, timesync.Chrony{Socket: c.socket})
	if v.Traceable || v.Compliant() {
		t.Errorf("a free-running local clock was judged traceable:\n%s", reasons(v))
	}
	if !strings.Contains(reasons(v), "stratum 1 on LOCAL, which is not a reliable signal") {
		t.Errorf("reasons:\n%s", reasons(v))
	}
}

func TestNTPNothingListening(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t))
	start := time.Now()
	_, err := timesync.NTPServer{Address: addr, Timeout: 2 * time.Second}.Sample(context.Background())
	if !errors.Is(err, timesync.ErrNoAnswer) {
		t.Fatalf("err = %v, want ErrNoAnswer", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

func TestChronycNoDaemon(t *testing.T) {
	testenv.LookPath(t, "chronyc", "chrony")
	_, err := timesync.Chrony{Socket: filepath.Join(t.TempDir(), "absent.sock"), Timeout: 2 * time.Second}.Sample(context.Background())
	if !errors.Is(err, timesync.ErrNoAnswer) {
		t.Fatalf("err = %v, want ErrNoAnswer", err)
	}
}

func TestChronycAbsent(t *testing.T) {
	_, err := timesync.Chrony{Command: filepath.Join(t.TempDir(), "no-chronyc")}.Sample(context.Background())
	if !errors.Is(err, timesync.ErrNoAnswer) {
		t.Fatalf("err = %v, want ErrNoAnswer", err)
	}
}

// fakeNTP answers every request on loopback with reply(request).
func fakeNTP(t *testing.T, reply func(req []byte) []byte) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	wg.Go(func() {
		buf := make([]byte, 1500)
		for i := 0; i < 1000; i++ {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if r := reply(buf[:n]); r != nil {
				pc.WriteTo(r, from)
			}
		}
	})
	return pc.LocalAddr().String()
}

func TestNTPFaults(t *testing.T) {
	// A well-formed server reply to req with the given stratum and
	// reference ID, leap indicator li.
	answer := func(req []byte, li, stratum byte, refid string) []byte {
		r := make([]byte, 48)
		r[0] = li<<6 | 4<<3 | 4 // version 4, mode 4 (server)
		r[1] = stratum
		copy(r[12:16], refid)
		copy(r[24:32], req[40:48]) // origin = client's transmit time
		now := uint64(time.Now().Unix()+2208988800) << 32
		binary.BigEndian.PutUint64(r[32:], now)
		binary.BigEndian.PutUint64(r[40:], now)
		return r
	}
	tests := []struct {
		name  string
		reply func([]byte) []byte
		want  error
	}{
		{"short garbage", func([]byte) []byte { return []byte("hello") }, timesync.ErrBadAnswer},
		{"48 bytes of garbage", func([]byte) []byte { return bytes.Repeat([]byte{0xA5}, 48) }, timesync.ErrBadAnswer},
		{"wrong origin timestamp", func(req []byte) []byte {
			r := answer(req, 0, 2, "\xc0\x00\x02\x01")
			r[30] ^= 0xff
			return r
		}, timesync.ErrBadAnswer},
		{"kiss of death", func(req []byte) []byte { return answer(req, 3, 0, "RATE") }, timesync.ErrKissOfDeath},
		{"silent server", func([]byte) []byte { return nil }, timesync.ErrNoAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := fakeNTP(t, tt.reply)
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := timesync.NTPServer{Address: addr}.Sample(ctx)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("took %v despite a 500 ms context", elapsed)
			}
		})
	}
	t.Run("stratum 16 is unsynchronised, not an error", func(t *testing.T) {
		addr := fakeNTP(t, func(req []byte) []byte { return answer(req, 3, 16, "") })
		s, err := timesync.NTPServer{Address: addr, Timeout: time.Second}.Sample(context.Background())
		if err != nil || s.Synchronised() {
			t.Fatalf("sample %+v, err %v", s, err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		addr := fakeNTP(t, func([]byte) []byte { return nil })
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := timesync.NTPServer{Address: addr, Timeout: 5 * time.Second}.Sample(ctx)
		if !errors.Is(err, timesync.ErrNoAnswer) || time.Since(start) > 2*time.Second {
			t.Fatalf("err = %v after %v", err, time.Since(start))
		}
	})
}

func TestNTPBadAddress(t *testing.T) {
	for _, a := range []string{"", "[::1", "[::1]x", "host:0", "host:99999", ":123", "a:b:c]"} {
		_, err := timesync.NTPServer{Address: a}.Sample(context.Background())
		if !errors.Is(err, timesync.ErrBadAddress) {
			t.Errorf("%q: err = %v, want ErrBadAddress", a, err)
		}
	}
	for _, a := range []string{"127.0.0.1", "localhost:1", "[::1]:123", "::1", "[::1]"} {
		_, err := timesync.NTPServer{Address: a, Timeout: 100 * time.Millisecond}.Sample(context.Background())
		if errors.Is(err, timesync.ErrBadAddress) {
			t.Errorf("%q refused as a bad address: %v", a, err)
		}
	}
}

func TestChronycGarbageIsABadAnswer(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "chronyc")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho garbage\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := timesync.Chrony{Command: fake}.Sample(context.Background())
	if !errors.Is(err, timesync.ErrBadAnswer) || !errors.Is(err, timesync.ErrChronySyntax) {
		t.Fatalf("err = %v, want ErrBadAnswer wrapping ErrChronySyntax", err)
	}
}
