package mediation_test

import (
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/mediation"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/tlstest"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

var t0 = time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)

type delivery struct {
	key intercept.StreamKey
	seq intercept.Seq
	pdu []byte
}

// recorder is a fake intercept.Handover that keeps what it is given; it
// refuses everything while full is set.
type recorder struct {
	mu   sync.Mutex
	got  []delivery
	full bool
	n    int // records taken (kept or not)
	keep bool
}

func (r *recorder) Deliver(key intercept.StreamKey, seq intercept.Seq, pdu []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.full {
		return errors.New("recorder: full")
	}
	r.n++
	if r.keep {
		r.got = append(r.got, delivery{key: key, seq: seq, pdu: slices.Clone(pdu)})
	}
	return nil
}

func (r *recorder) Close() error { return nil }

func (r *recorder) records() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// rig is a mediation function on loopback with its CA, a task table on a
// fake clock and a recording handover.
type rig struct {
	clock        *timesynctest.Clock
	table        *mediation.Table
	ho           *recorder
	enc          *etsi.Encoder
	srv          *mediation.Server
	addr         string
	ca, serverCA *tlstest.CA
	serveErr     chan error
	task         intercept.Task
}

var (
	xidA = [16]byte{0xa1, 1, 2, 3, 4, 5, 0x40, 7, 0x80, 9, 10, 11, 12, 13, 14, 15}
	xidB = [16]byte{0xb2, 1, 2, 3, 4, 5, 0x40, 7, 0x80, 9, 10, 11, 12, 13, 14, 15}
)

func sampleTask(xid [16]byte, liid string, d intercept.Delivery) intercept.Task {
	return intercept.Task{
		ID: xid, LIID: intercept.MustParseLIID(liid),
		Targets:   []intercept.Target{intercept.AddressTarget(netip.MustParsePrefix("192.0.2.10/32"))},
		NotBefore: t0.Add(-time.Hour), NotAfter: t0.Add(time.Hour),
		Delivery: d, Agency: "NTSU-CTIF", AccessType: intercept.AccessFTTx,
	}
}

func newRig(tb testing.TB, tweak func(*mediation.Config)) *rig {
	tb.Helper()
	r := &rig{clock: timesynctest.NewClock(t0), ho: &recorder{keep: true}, ca: tlstest.NewCA(tb, "test NE CA"), serverCA: tlstest.NewCA(tb, "test MF CA")}
	r.table = mediation.NewTable(r.clock)
	r.task = sampleTask(xidA, "LIID-A", intercept.IRIAndCC)
	if err := r.table.Activate(r.task); err != nil {
		tb.Fatal(err)
	}
	var err error
	r.enc, err = etsi.NewEncoder(itest.Profile(time.Minute, 10*time.Second))
	if err != nil {
		tb.Fatal(err)
	}
	cfg := mediation.Config{
		TLS: &tls.Config{
			Certificates: []tls.Certificate{r.serverCA.Server(tb, "mf.test")},
			ClientCAs:    r.ca.Pool,
		},
		Tasks:    r.table,
		Agencies: map[string]mediation.Agency{"NTSU-CTIF": {Encoder: r.enc, Handover: r.ho}},
		Clock:    r.clock,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	r.srv, err = mediation.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	r.addr = l.Addr().String()
	r.serveErr = make(chan error, 1)
	go func() { r.serveErr <- r.srv.Serve(l) }()
	tb.Cleanup(func() {
		if err := r.srv.Close(); err != nil {
			tb.Error(err)
		}
		if err := <-r.serveErr; !errors.Is(err, mediation.ErrClosed) {
			tb.Errorf("Serve = %v, want ErrClosed", err)
		}
	})
	return r
}

// ne is a network element: an X2/X3 encoder for its tasks and a TLS
// connection to the mediation function.
type ne struct {
	tb   testing.TB
	conn *tls.Conn
	enc  *x2x3.Encoder
	buf  []byte
}

// dial connects an NE named name with a certificate from ca (nil: none).
func (r *rig) dial(tb testing.TB, name string, ca *tlstest.CA, tasks ...intercept.Task) (*ne, error) {
	tb.Helper()
	cfg := &tls.Config{RootCAs: r.serverCA.Pool, ServerName: "mf.test", MinVersion: tls.VersionTLS12}
	if ca != nil {
		cfg.Certificates = []tls.Certificate{ca.Client(tb, name)}
	}
	c, err := tls.Dial("tcp", r.addr, cfg)
	if err != nil {
		return nil, err
	}
	tb.Cleanup(func() { c.Close() })
	if len(tasks) == 0 {
		tasks = []intercept.Task{r.task}
	}
	neIRI, err := etsi.NewEncoder(itest.Profile(time.Minute, 10*time.Second))
	if err != nil {
		tb.Fatal(err)
	}
	enc, err := x2x3.NewEncoder(tasks, neIRI)
	if err != nil {
		tb.Fatal(err)
	}
	return &ne{tb: tb, conn: c, enc: enc}, nil
}

func (r *rig) mustDial(tb testing.TB, name string, tasks ...intercept.Task) *ne {
	tb.Helper()
	n, err := r.dial(tb, name, r.ca, tasks...)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// cc sends the X3 PDU of a CC record numbered seq of liid's communication cin.
func (n *ne) cc(liid intercept.LIID, cin intercept.CIN, seq int, at time.Time, size int) {
	n.tb.Helper()
	se, err := n.enc.Stream(intercept.StreamKey{LIID: liid, CIN: cin, Stream: intercept.CC})
	if err != nil {
		n.tb.Fatal(err)
	}
	pkt := itest.Packet(netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("198.51.100.7"), size, byte(seq))
	n.buf, err = se.AppendCC(n.buf[:0], &intercept.CCRecord{Seq: intercept.Seq(seq), Time: at, Direction: intercept.FromTarget, Packet: pkt})
	if err != nil {
		n.tb.Fatal(err)
	}
	n.write(n.buf)
}

// iri sends the X2 PDU of an IRI record numbered seq.
func (n *ne) iri(liid intercept.LIID, cin intercept.CIN, seq int, at time.Time) {
	n.tb.Helper()
	se, err := n.enc.Stream(intercept.StreamKey{LIID: liid, CIN: cin, Stream: intercept.IRI})
	if err != nil {
		n.tb.Fatal(err)
	}
	rec := sampleIRI(seq, at)
	n.buf, err = se.AppendIRI(n.buf[:0], &rec)
	if err != nil {
		n.tb.Fatal(err)
	}
	n.write(n.buf)
}

func sampleIRI(seq int, at time.Time) intercept.IRIRecord {
	return intercept.IRIRecord{Seq: intercept.Seq(seq), Type: intercept.IRIBegin, Event: intercept.AccessEvent{
		Type: intercept.AccessAccept, Time: at, SessionID: "s1", Username: itest.SampleUser,
		Addresses:  []netip.Prefix{netip.MustParsePrefix("192.0.2.10/32"), netip.MustParsePrefix("2001:db8:10::/56")},
		Assignment: intercept.AssignmentDynamic, AccessType: intercept.AccessFTTx, Start: at,
	}}
}

func (n *ne) write(b []byte) {
	n.tb.Helper()
	if _, err := n.conn.Write(b); err != nil {
		n.tb.Fatal(err)
	}
}

// keepAlive sends a keep-alive and waits for its answer, which it
// checks: once answered, every PDU sent before it has been handled.
func (n *ne) keepAlive(seq uint32) {
	n.tb.Helper()
	n.write(x2x3.AppendKeepAlive(nil, seq))
	n.conn.SetReadDeadline(time.Now().Add(time.Minute))
	b, err := x2x3.NewFramer(n.conn, 0).Next()
	if err != nil {
		n.tb.Fatalf("no keep-alive answer: %v", err)
	}
	p, err := x2x3.Decode(b)
	if err != nil {
		n.tb.Fatal(err)
	}
	if p.Type != x2x3.KeepAliveAck || !p.HasSeq || p.Seq != seq {
		n.tb.Fatalf("keep-alive answered with %v seq %d, want KeepaliveAck %d", p.Type, p.Seq, seq)
	}
}
