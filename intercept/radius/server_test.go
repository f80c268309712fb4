package radius_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	rad "layeh.com/radius"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/radius"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// server runs a Server on a loopback socket until the test ends.
type server struct {
	*radius.Server
	addr   *net.UDPAddr
	mu     sync.Mutex
	events []intercept.AccessEvent
	got    chan struct{}
}

func startServer(t *testing.T, cfg radius.Config) *server {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Clock == nil {
		cfg.Clock = timesynctest.NewClock(at)
	}
	if cfg.Clients == nil {
		cfg.Clients = []radius.Client{{Prefix: netip.MustParsePrefix("127.0.0.0/8"), Secret: []byte(secret)}}
	}
	s, err := radius.NewServer(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := &server{Server: s, addr: conn.LocalAddr().(*net.UDPAddr), got: make(chan struct{}, 1024)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- s.Sessions(ctx, func(ev intercept.AccessEvent) {
			srv.mu.Lock()
			srv.events = append(srv.events, ev)
			srv.mu.Unlock()
			srv.got <- struct{}{}
		})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Sessions returned %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Sessions did not return within 5 s of cancellation")
		}
		conn.Close()
	})
	return srv
}

// answered returns the server's Stats once it has counted n answers (a
// NAS can read an answer a moment before the server counts it), or after
// 5 s.
func (s *server) answered(t *testing.T, n uint64) radius.Stats {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	st := s.Stats()
	for st.Answered < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
		st = s.Stats()
	}
	return st
}

func (s *server) Events() []intercept.AccessEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]intercept.AccessEvent(nil), s.events...)
}

// nas is a client socket standing in for a NAS.
type nas struct {
	t    *testing.T
	conn *net.UDPConn
}

func dialNAS(t *testing.T, s *server) *nas {
	t.Helper()
	c, err := net.DialUDP("udp", nil, s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &nas{t, c}
}

func (n *nas) send(pkt []byte) {
	n.t.Helper()
	if _, err := n.conn.Write(pkt); err != nil {
		n.t.Fatal(err)
	}
}

// answer reads the next datagram within 5 s and checks it is the
// authentic Accounting-Response to req.
func (n *nas) answer(req []byte) []byte {
	n.t.Helper()
	buf := make([]byte, 4096)
	_ = n.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	k, err := n.conn.Read(buf)
	if err != nil {
		n.t.Fatalf("no answer: %v", err)
	}
	resp := buf[:k]
	if resp[0] != byte(rad.CodeAccountingResponse) || resp[1] != req[1] {
		n.t.Fatalf("answer has code %d, id %d; want 5, %d", resp[0], resp[1], req[1])
	}
	if !rad.IsAuthenticResponse(resp, req, []byte(secret)) {
		n.t.Fatal("the Accounting-Response's authenticator is wrong")
	}
	return resp
}

func TestServerDeliversInOrderThenAnswers(t *testing.T) {
	s := startServer(t, radius.Config{})
	n := dialNAS(t, s)
	reqs := [][]byte{
		packet(t, secret, 1, base(1, ip(tFramedIP, "198.51.100.7"))...),
		packet(t, secret, 2, base(3, u32(tSessionTime, 300), u32(tInOctets, 1000))...),
		packet(t, secret, 3, base(2, u32(tSessionTime, 600), u32(tTerminate, 1))...),
	}
	for _, r := range reqs {
		n.send(r)
		n.answer(r)
		// The event was delivered before the answer was sent.
		select {
		case <-s.got:
		default:
			t.Fatal("answered before the event was delivered")
		}
	}
	var types []intercept.AccessEventType
	for _, ev := range s.Events() {
		types = append(types, ev.Type)
		if ev.SessionID != `192.0.2.1 "0000A1B2"` {
			t.Errorf("SessionID = %q", ev.SessionID)
		}
	}
	if d := cmp.Diff([]intercept.AccessEventType{intercept.SessionStart, intercept.InterimUpdate, intercept.SessionEnd}, types); d != "" {
		t.Errorf("event order (-want +got):\n%s", d)
	}
	want := radius.Stats{Received: 3, Events: 3, Answered: 3}
	if d := cmp.Diff(want, s.answered(t, 3)); d != "" {
		t.Errorf("Stats (-want +got):\n%s", d)
	}
}

func TestServerRetransmission(t *testing.T) {
	clock := timesynctest.NewClock(at)
	s := startServer(t, radius.Config{Clock: clock, RetransmitWindow: 10 * time.Second})
	n := dialNAS(t, s)
	req := packet(t, secret, 7, base(1)...)
	n.send(req)
	first := n.answer(req)
	n.send(req) // the NAS missed the answer and sends the same request
	if again := n.answer(req); string(again) != string(first) {
		t.Error("the retransmission was answered differently")
	}
	clock.Advance(11 * time.Second) // beyond the window: a new request
	n.send(req)
	n.answer(req)
	if got := len(s.Events()); got != 2 {
		t.Errorf("%d events, want 2 (the retransmission within the window is not a new event)", got)
	}
	st := s.answered(t, 3)
	if st.Retransmissions != 1 || st.Answered != 3 || st.Events != 2 {
		t.Errorf("Stats = %+v", st)
	}
}

// TestServerDiscards: what must not be answered is not, and is counted; a
// good request sent after each is answered first, so nothing else came.
func TestServerDiscards(t *testing.T) {
	good := func(id byte) []byte { return packet(t, secret, id, base(3)...) }
	tests := []struct {
		name string
		bad  []byte
		want radius.Stats
	}{
		{name: "wrong secret", bad: packet(t, "not the secret", 1, base(1)...),
			want: radius.Stats{Received: 2, NotAuthentic: 1, Events: 1, Answered: 1}},
		{name: "malformed: no session id", bad: packet(t, secret, 1, u32(tStatus, 1), ip(tNASIP, "192.0.2.1")),
			want: radius.Stats{Received: 2, Malformed: 1, Events: 1, Answered: 1}},
		{name: "an Access-Request", bad: func() []byte {
			p := rad.New(rad.CodeAccessRequest, []byte(secret))
			p.Identifier = 1
			b, _ := p.Encode()
			return b
		}(), want: radius.Stats{Received: 2, NotAccounting: 1, Events: 1, Answered: 1}},
		{name: "garbage after the Accounting-Request code", bad: []byte("\x04hello"),
			want: radius.Stats{Received: 2, Malformed: 1, Events: 1, Answered: 1}},
		{name: "over 4096 octets", bad: make([]byte, 4097),
			want: radius.Stats{Received: 2, Malformed: 1, Events: 1, Answered: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startServer(t, radius.Config{})
			n := dialNAS(t, s)
			n.send(tt.bad)
			g := good(2)
			n.send(g)
			n.answer(g)
			if d := cmp.Diff(tt.want, s.answered(t, 1)); d != "" {
				t.Errorf("Stats (-want +got):\n%s", d)
			}
		})
	}
}

func TestServerUnknownClient(t *testing.T) {
	// Two clients configured; loopback is neither, so nothing is answered.
	s := startServer(t, radius.Config{Clients: []radius.Client{
		{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Secret: []byte(secret)},
		{Prefix: netip.MustParsePrefix("2001:db8::/32"), Secret: []byte(secret)},
	}})
	n := dialNAS(t, s)
	n.send(packet(t, secret, 1, base(1)...))
	deadline := time.Now().Add(5 * time.Second)
	for s.Stats().UnknownClient == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := s.Stats(); st.UnknownClient != 1 || st.Answered != 0 || st.Events != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestServerNASRestartEndsItsSessions(t *testing.T) {
	s := startServer(t, radius.Config{})
	n := dialNAS(t, s)
	send := func(id byte, attrs ...attr) {
		p := packet(t, secret, id, attrs...)
		n.send(p)
		n.answer(p)
	}
	onA := func(status uint32, sid string) []attr {
		return []attr{u32(tStatus, status), str(tSessionID, sid), str(tNASIdentifier, "bras-a")}
	}
	send(1, onA(1, "s2")...)
	send(2, onA(1, "s1")...)
	send(3, onA(1, "s3")...)
	send(4, onA(2, "s3")...) // ended normally before the reboot
	send(5, u32(tStatus, 1), str(tSessionID, "s1"), str(tNASIdentifier, "bras-b"))
	send(6, u32(tStatus, 7), str(tNASIdentifier, "bras-a"), u32(tEventTimestamp, uint32(at.Unix())))
	evs := s.Events()
	var ends []string
	for _, ev := range evs[5:] {
		if ev.Type != intercept.SessionEnd || !ev.Time.Equal(at) || !ev.End.Equal(at) || ev.EndReason != 0 {
			t.Errorf("made event %+v", ev)
		}
		ends = append(ends, ev.SessionID)
	}
	if d := cmp.Diff([]string{`"bras-a" "s1"`, `"bras-a" "s2"`}, ends); d != "" {
		t.Errorf("sessions ended by bras-a's Accounting-On (-want +got):\n%s", d)
	}
	st := s.answered(t, 6)
	if st.NASRestarts != 1 || st.EndedByNAS != 2 || st.Events != 7 || st.Answered != 6 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestServerMaxSessions(t *testing.T) {
	s := startServer(t, radius.Config{MaxSessions: 1})
	n := dialNAS(t, s)
	for i, sid := range []string{"a", "b"} {
		p := packet(t, secret, byte(i), u32(tStatus, 1), str(tSessionID, sid), str(tNASIdentifier, "n"))
		n.send(p)
		n.answer(p)
	}
	p := packet(t, secret, 9, u32(tStatus, 8), str(tNASIdentifier, "n"))
	n.send(p)
	n.answer(p)
	if st := s.answered(t, 3); st.Untracked != 1 || st.EndedByNAS != 1 || st.Events != 3 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestNewServerRefusesEveryProblem(t *testing.T) {
	_, err := radius.NewServer(nil, radius.Config{
		Clients:          []radius.Client{{Prefix: netip.Prefix{}}, {Prefix: netip.MustParsePrefix("10.0.0.0/8")}},
		Options:          radius.Options{SkipVerify: true},
		Ports:            []uint16{0},
		RetransmitWindow: -1,
	})
	if !errors.Is(err, radius.ErrConfig) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"no connection", "SkipVerify", "Clock is required", "Clients[0]: Prefix", "Clients[0]: no Secret", "Clients[1]: no Secret", "Ports[0]", "negative"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not mention %q:\n%v", want, err)
		}
	}
	if _, err := radius.NewServer(nil, radius.Config{}); err == nil || !strings.Contains(err.Error(), "no Clients") {
		t.Errorf("no clients: %v", err)
	}
}

// TestServeAnswersOnlyWhatWasAccepted: a request whose event the handler
// refused is not answered (RFC 2866 §4.1) nor remembered, so the NAS's
// retransmission is handled anew once the handler accepts it.
func TestServeAnswersOnlyWhatWasAccepted(t *testing.T) {
	srv, n := bareServer(t)
	var (
		mu     sync.Mutex
		refuse = true
		got    []intercept.AccessEvent
	)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, func(ev intercept.AccessEvent) error {
			mu.Lock()
			defer mu.Unlock()
			if refuse && ev.Username == "refuse-me" {
				return errors.New("pipeline: closed")
			}
			got = append(got, ev)
			return nil
		})
	}()
	defer func() {
		cancel()
		<-done
	}()
	refused := packet(t, secret, 1, u32(tStatus, 1), str(tSessionID, "r"), str(tUserName, "refuse-me"), ip(tNASIP, "192.0.2.1"))
	n.send(refused)
	good := packet(t, secret, 2, base(1)...)
	n.send(good)
	n.answer(good) // the first answer is the second request's: the first got none
	mu.Lock()
	refuse = false
	mu.Unlock()
	n.send(refused) // the NAS's retransmission
	n.answer(refused)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Username != "alice@neutrinet.example" || got[1].Username != "refuse-me" {
		t.Errorf("accepted events: %+v", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for srv.Stats().Answered < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if st := srv.Stats(); st.Refused != 1 || st.Events != 2 || st.Answered != 2 || st.Retransmissions != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

// TestServeAgainOnTheSameSocket: stopping clears the deadline used to
// stop, so the caller's socket can be served again.
func TestServeAgainOnTheSameSocket(t *testing.T) {
	srv, n := bareServer(t)
	for round := range 2 {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Sessions(ctx, func(intercept.AccessEvent) {}) }()
		req := packet(t, secret, byte(round), base(1)...)
		n.send(req)
		n.answer(req)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("round %d: Sessions = %v", round, err)
		}
	}
}

// bareServer is a Server on a loopback socket, not yet serving, and a NAS
// talking to it.
func bareServer(t *testing.T) (*radius.Server, *nas) {
	t.Helper()
	conn := listen(t)
	srv, err := radius.NewServer(conn, radius.Config{
		Clients: []radius.Client{{Prefix: netip.MustParsePrefix("127.0.0.1/32"), Secret: []byte(secret)}},
		Clock:   timesynctest.NewClock(at),
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv, dialNAS(t, &server{addr: udpAddr(conn)})
}
