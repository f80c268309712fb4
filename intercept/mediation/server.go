package mediation

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccjkit/ccjkit/intercept"
	"github.com/ccjkit/ccjkit/intercept/etsi"
	"github.com/ccjkit/ccjkit/intercept/x2x3"
	"github.com/ccjkit/ccjkit/internal/durable"
	"github.com/ccjkit/ccjkit/timesync"
)

// Errors, for errors.Is. Their texts never quote an LIID, a target or a
// packet.
var (
	// ErrConfig: the configuration lacks something or holds an impossible
	// value.
	ErrConfig = errors.New("mediation: invalid configuration")
	// ErrTask: a task change was refused; the table is unchanged.
	ErrTask = errors.New("mediation: task refused")
	// ErrClosed: the server was shut down.
	ErrClosed = errors.New("mediation: server closed")
	// ErrSync: an agency's Sync failed, so a keep-alive went unanswered
	// and its connection was closed.
	ErrSync = errors.New("mediation: records could not be made durable")
)

// Defaults of Config's bounds.
const (
	DefaultDedupWindow       = 1 << 20
	DefaultMaxCommunications = 1 << 16
	DefaultMaxConns          = 256
	DefaultIdleTimeout       = 10 * time.Minute
	DefaultHandshakeTimeout  = 10 * time.Second
	DefaultWriteTimeout      = 10 * time.Second
)

// Agency is one receiving agency's side of the mediation function: the
// encoder of its TS 102 232 records (its profile: identifiers, timestamp
// form, module versions) and its HI2/HI3 handover.
type Agency struct {
	// Encoder writes the agency's PS-PDUs. Required.
	Encoder *etsi.Encoder
	// Handover takes them (a *handover.Handover); the mediation function
	// never waits on it. Required. The caller owns and closes it.
	Handover intercept.Handover
	// Sync, when set, makes every record the Handover accepted durable
	// (handover.Handover's Sync, with a spool). The mediation function
	// calls it before it answers an NE's keep-alive — the answer lets the
	// NE release what it holds — so that nothing an NE was told is safe
	// dies with the mediation function. When it fails the keep-alive is
	// not answered and the connection is closed: the NE sends again what
	// it holds, which de-duplication drops where it was delivered. nil:
	// the keep-alive is answered once the records are handed over, in
	// memory.
	Sync func() error
}

// Config is what a mediation function needs.
type Config struct {
	// TLS is the server's TLS configuration: Certificates (the mediation
	// function's own) and ClientCAs (the authority that issues the NEs'
	// certificates) are required. The server works on a copy in which
	// ClientAuth is tls.RequireAndVerifyClientCert and MinVersion at least
	// TLS 1.2, whatever is set here: an NE that does not present a
	// certificate the pool verifies is refused. GetCertificate may rotate
	// the server's certificate; GetConfigForClient is refused, since the
	// config it returns would decide client authentication itself.
	TLS *tls.Config
	// Tasks says which XIDs the ADMF gave, with their LIID, agency and
	// window. Required.
	Tasks Tasks
	// Agencies are the receiving agencies by the name tasks give in
	// intercept.Task.Agency. At least one.
	Agencies map[string]Agency
	// Clock gives "now" to records that carry no timestamp. Required.
	Clock timesync.Clock
	// MaxPDU bounds an X2/X3 PDU's size; 0 means x2x3.DefaultMaxPDU. A
	// larger PDU ends the connection (the framing is lost).
	MaxPDU int
	// DedupWindow is how far back, in an NE's own sequence numbers, a
	// PDU is still taken for a retransmission; 0 means DefaultDedupWindow.
	// See the package documentation.
	DedupWindow uint32
	// MaxCommunications bounds the communications (NE, XID, correlation
	// ID) held at once, each with its CIN and counters; 0 means
	// DefaultMaxCommunications. When full, those of tasks no longer
	// active are forgotten first.
	MaxCommunications int
	// MaxConns bounds the connections open at once; 0 means
	// DefaultMaxConns.
	MaxConns int
	// IdleTimeout closes a connection that sent nothing, not even a
	// keep-alive, for so long; 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// HandshakeTimeout bounds the TLS handshake and WriteTimeout the
	// writing of a keep-alive answer; 0 means their defaults.
	HandshakeTimeout, WriteTimeout time.Duration
	// Logger receives connection events; nil discards. It is never given
	// an LIID, a target or a record's content; it is given NE names.
	Logger *slog.Logger
	// StatePath is the file where the server keeps the streams it has
	// numbered, written durably before each stream's first record: after
	// a restart, each of them gets a CIN reset (TS 102 232-1 cINReset)
	// before its next record, numbered from 0 again, so that the receiver
	// takes the new numbering for a restart, not for duplicates. Empty:
	// none is kept, and after a restart the streams number from 0 again
	// unannounced (the server logs a warning at its start). One server
	// per file: New locks StatePath+".lock" (flock(2), released when the
	// server is shut down or its process ends) and refuses a file another
	// server holds, which would drop this one's streams at each write.
	StatePath string
}

// Server is a mediation function (MF): it accepts TS 103 221-2 X2/X3
// connections over mutual TLS from the network elements that intercept
// (NEs), and hands what they send over on HI2/HI3 as TS 102 232 records,
// each stream numbered by the server itself. See the package
// documentation for the rules. Its methods are safe for concurrent use.
//
// An NE is named by its certificate: its first DNS name, else its first
// URI, else its subject's common name, else "sha256:" and the first 16
// hexadecimal digits of the certificate's SHA-256 — the name Stats uses.
type Server struct {
	cfg      Config
	tls      *tls.Config
	log      *slog.Logger
	agencies map[string]*agency
	// table is cfg.Tasks when it is a *Table, whose generation lets a
	// connection keep the task it read (connState.lookup); else nil.
	table *Table

	mu        sync.Mutex
	closed    bool
	listeners map[net.Listener]struct{}
	conns     map[net.Conn]struct{}
	nes       map[string]*neState
	cins      map[intercept.LIID]map[intercept.CIN]struct{}
	ncomms    int
	wg        sync.WaitGroup

	handshakes, overload atomic.Uint64

	// stateMu guards streams: the streams numbered in this process
	// (false) and those numbered before a restart and not yet again
	// (true: a CIN reset comes before their next record). Config.StatePath.
	stateMu   sync.Mutex
	streams   map[intercept.StreamKey]bool
	stateLock *os.File // StatePath's lock, released once Shutdown has ended every connection
	// forgotten holds, under stateMu, the streams of the communications
	// forgotten lately that had numbered records (at most maxForgotten,
	// the oldest going first; forgottenRing in the order they came): a
	// communication made again for one of them numbers from 0 again, and
	// a CIN reset must say so first.
	forgotten     map[intercept.StreamKey]int
	forgottenRing []intercept.StreamKey
	forgottenNext int
}

// maxForgotten bounds the streams remembered as forgotten: 65,536 keys,
// about 3 MiB.
const maxForgotten = 1 << 16

type agency struct {
	enc     *etsi.Encoder
	ho      intercept.Handover
	sync    func() error
	profile intercept.Profile
}

// syncAgencies makes durable what every agency's handover accepted (each
// Agency.Sync), before a keep-alive's answer confirms it to an NE.
func (s *Server) syncAgencies() error {
	var errs []error
	for name, a := range s.agencies {
		if a.sync == nil {
			continue
		}
		if err := a.sync(); err != nil {
			errs = append(errs, fmt.Errorf("agency %q: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// neState is one NE's counters and communications, shared by its
// connections.
type neState struct {
	name string
	c    neCounters
	mu   sync.Mutex
	// comms are the NE's communications by XID and correlation ID.
	comms map[commKey]*comm
}

type commKey struct {
	xid  [16]byte
	corr uint64
}

// New validates cfg and returns a server that serves nothing yet.
func New(cfg Config) (*Server, error) {
	var probs []error
	if cfg.TLS == nil || len(cfg.TLS.Certificates) == 0 && cfg.TLS.GetCertificate == nil {
		probs = append(probs, fmt.Errorf("%w: TLS with the server's Certificates is required (rule: X2/X3 only over mutual TLS)", ErrConfig))
	} else if cfg.TLS.GetConfigForClient != nil {
		// The config it returns would carry its own ClientAuth, which
		// could let an NE in without a verified certificate.
		probs = append(probs, fmt.Errorf("%w: TLS.GetConfigForClient is refused: rotate the server's certificate with GetCertificate (rule: X2/X3 only over mutual TLS)", ErrConfig))
	} else if cfg.TLS.ClientCAs == nil {
		probs = append(probs, fmt.Errorf("%w: TLS.ClientCAs is required: the authority the NEs' certificates are verified against (rule: X2/X3 only over mutual TLS)", ErrConfig))
	}
	if cfg.Tasks == nil {
		probs = append(probs, fmt.Errorf("%w: Tasks is required", ErrConfig))
	}
	if cfg.Clock == nil {
		probs = append(probs, fmt.Errorf("%w: Clock is required (use timesync.SystemClock in production)", ErrConfig))
	}
	if len(cfg.Agencies) == 0 {
		probs = append(probs, fmt.Errorf("%w: Agencies: at least one agency", ErrConfig))
	}
	ags := make(map[string]*agency, len(cfg.Agencies))
	for name, a := range cfg.Agencies {
		if a.Encoder == nil || a.Handover == nil {
			probs = append(probs, fmt.Errorf("%w: Agencies[%q]: an agency needs an Encoder and a Handover", ErrConfig, name))
			continue
		}
		ags[name] = &agency{enc: a.Encoder, ho: a.Handover, sync: a.Sync, profile: a.Encoder.Profile()}
	}
	if cfg.MaxPDU < 0 || cfg.MaxCommunications < 0 || cfg.MaxConns < 0 || cfg.IdleTimeout < 0 ||
		cfg.HandshakeTimeout < 0 || cfg.WriteTimeout < 0 {
		probs = append(probs, fmt.Errorf("%w: a bound or timeout is negative", ErrConfig))
	}
	var streams map[intercept.StreamKey]bool
	var stateLock *os.File
	if cfg.StatePath != "" {
		var err error
		if stateLock, err = durable.Lock(cfg.StatePath + ".lock"); err != nil {
			probs = append(probs, fmt.Errorf("%w: in use by another mediation function, or not writable: %w", ErrState, err))
		} else if streams, err = loadState(cfg.StatePath); err != nil {
			probs = append(probs, err)
		}
	}
	if len(probs) > 0 {
		if stateLock != nil {
			stateLock.Close()
		}
		return nil, errors.Join(probs...)
	}
	if cfg.MaxPDU == 0 {
		cfg.MaxPDU = x2x3.DefaultMaxPDU
	}
	if cfg.DedupWindow == 0 {
		cfg.DedupWindow = DefaultDedupWindow
	}
	cfg.DedupWindow = min(cfg.DedupWindow, 1<<31-1)
	if cfg.MaxCommunications == 0 {
		cfg.MaxCommunications = DefaultMaxCommunications
	}
	if cfg.MaxConns == 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.HandshakeTimeout == 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	tc := cfg.TLS.Clone()
	tc.ClientAuth = tls.RequireAndVerifyClientCert
	tc.MinVersion = max(tc.MinVersion, tls.VersionTLS12)
	s := &Server{
		cfg: cfg, tls: tc, log: cfg.Logger, agencies: ags,
		listeners: map[net.Listener]struct{}{}, conns: map[net.Conn]struct{}{},
		nes: map[string]*neState{}, cins: map[intercept.LIID]map[intercept.CIN]struct{}{}, streams: streams, stateLock: stateLock,
		forgotten: map[intercept.StreamKey]int{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.table, _ = cfg.Tasks.(*Table)
	return s, nil
}

// Serve accepts connections on l — a plain listener: the server does TLS
// itself, so that nothing reaches it unauthenticated — until Shutdown or
// Close, and then returns ErrClosed; it returns l's error if accepting
// fails otherwise. Each connection is served by a goroutine of its own.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.listeners[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
	}()
	var backoff time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		s.mu.Lock()
		switch {
		case s.closed:
			s.mu.Unlock()
			c.Close()
			return ErrClosed
		case len(s.conns) >= s.cfg.MaxConns:
			s.mu.Unlock()
			s.overload.Add(1)
			s.log.Warn("connection refused: too many open", "remote", c.RemoteAddr(), "max", s.cfg.MaxConns)
			c.Close()
			continue
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.handle(c)
	}
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Shutdown stops accepting, closes every connection — a record being
// processed is finished first, so each NE loses nothing it was not told
// of: what it sent after its last answered keep-alive it sends again — and
// waits for the connections' goroutines until ctx is done. It does not
// close the agencies' handovers, which the caller owns.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	for l := range s.listeners {
		l.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		s.stateMu.Lock()
		if s.stateLock != nil {
			s.stateLock.Close() // no connection writes the state any more
			s.stateLock = nil
		}
		s.stateMu.Unlock()
		return nil
	case <-ctx.Done():
		return fmt.Errorf("mediation: shutdown: connections still being served: %w", ctx.Err())
	}
}

// Close is Shutdown without a deadline.
func (s *Server) Close() error { return s.Shutdown(context.Background()) }

// handle serves one accepted connection: the TLS handshake, then the
// PDUs until the connection ends.
func (s *Server) handle(raw net.Conn) {
	defer s.wg.Done()
	defer func() {
		raw.Close()
		s.mu.Lock()
		delete(s.conns, raw)
		s.mu.Unlock()
	}()
	tc := tls.Server(raw, s.tls)
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.HandshakeTimeout)
	err := tc.HandshakeContext(ctx)
	cancel()
	if err != nil {
		s.handshakes.Add(1)
		s.log.Warn("connection refused: TLS handshake failed", "remote", raw.RemoteAddr(), "err", err)
		return
	}
	chains := tc.ConnectionState().VerifiedChains
	if len(chains) == 0 || len(chains[0]) == 0 {
		// Never reached with the config New builds; a second line of
		// defence: an NE is named only by a verified certificate.
		s.handshakes.Add(1)
		s.log.Warn("connection refused: no verified client certificate", "remote", raw.RemoteAddr())
		return
	}
	name := NEName(chains[0][0])
	ne := s.ne(name)
	ne.c.connections.Add(1)
	ne.c.open.Add(1)
	defer ne.c.open.Add(^uint64(0))
	s.log.Info("NE connected", "ne", name, "remote", raw.RemoteAddr())
	cs := s.newConnState(ne)
	err = cs.serve(&idleReader{c: tc, idle: s.cfg.IdleTimeout},
		tc, func() error { return tc.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout)) })
	if err != nil && !s.isClosed() {
		ne.c.faults.Add(1)
		s.log.Warn("NE connection ended on a fault", "ne", name, "err", err)
		return
	}
	s.log.Info("NE disconnected", "ne", name)
}

// idleReader reads c, moving its read deadline to idle from now before
// each read — so a connection silent for idle is closed — but at most once
// a second: moving it costs a timer reset, and a second is precise enough
// for a timeout of minutes. The framer reads c only when its buffer runs
// dry, not once per PDU, so most PDUs do not even read the time.
type idleReader struct {
	c    net.Conn
	idle time.Duration
	last time.Time
}

func (r *idleReader) Read(p []byte) (int, error) {
	if now := time.Now(); now.Sub(r.last) > time.Second {
		r.last = now
		if err := r.c.SetReadDeadline(now.Add(r.idle)); err != nil {
			return 0, err
		}
	}
	return r.c.Read(p)
}

// NEName returns the name a certificate gives its NE: its first DNS
// name, else its first URI, else its subject's common name, else
// "sha256:" and the first 16 hexadecimal digits of its SHA-256.
func NEName(c *x509.Certificate) string {
	switch {
	case len(c.DNSNames) > 0:
		return c.DNSNames[0]
	case len(c.URIs) > 0:
		return c.URIs[0].String()
	case c.Subject.CommonName != "":
		return c.Subject.CommonName
	}
	sum := sha256.Sum256(c.Raw)
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// ne returns the NE named name, made the first time.
func (s *Server) ne(name string) *neState {
	s.mu.Lock()
	defer s.mu.Unlock()
	ne := s.nes[name]
	if ne == nil {
		ne = &neState{name: name, comms: map[commKey]*comm{}}
		s.nes[name] = ne
	}
	return ne
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	nes := make([]*neState, 0, len(s.nes))
	for _, ne := range s.nes {
		nes = append(nes, ne)
	}
	st := Stats{NEs: make(map[string]NEStats, len(nes)), Communications: s.ncomms,
		Handshakes: s.handshakes.Load(), Overload: s.overload.Load()}
	s.mu.Unlock()
	for _, ne := range nes {
		st.NEs[ne.name] = ne.c.load(ne.name)
	}
	return st
}

// comm is one communication: the records one NE sent for one task under
// one correlation ID, handed over under the mediation function's own CIN.
// Its mutex orders its records: each takes its number, is encoded and is
// delivered under it, so the handover receives them in numbering order.
type comm struct {
	mu     sync.Mutex
	liid   intercept.LIID
	cin    intercept.CIN
	agency *agency
	// gone is set when the communication is forgotten and its CIN
	// released: a connection that kept it looks it up again.
	gone atomic.Bool
	// iri and cc are its two streams, made on first use.
	iri, cc commStream
}

// commStream is one of a communication's streams: the NE's numbering as
// seen so far, for de-duplication, and the mediation function's own.
type commStream struct {
	enc *etsi.StreamEncoder
	// used is set once the stream has numbered a record (its enc made),
	// for forget, which reads it without the communication's lock.
	used atomic.Bool
	// next is the number the next record gets.
	next intercept.Seq
	// started says the NE's numbering has been seen: highest is its
	// highest sequence number delivered and latest the latest timestamp
	// delivered (Unix nanoseconds; 0 when none had one).
	started bool
	highest uint32
	latest  int64
}

// comm returns ne's communication (xid, corr) for a record of task,
// making it — with a CIN of its own under task's LIID — the first time, or
// again when the XID now stands for another LIID or agency. It returns
// nil when MaxCommunications are held by tasks still active.
func (s *Server) comm(ne *neState, xid [16]byte, corr uint64, task *intercept.Task, ag *agency) *comm {
	k := commKey{xid: xid, corr: corr}
	ne.mu.Lock()
	c := ne.comms[k]
	ne.mu.Unlock()
	if c != nil && c.liid == task.LIID && c.agency == ag {
		return c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ne.mu.Lock()
	defer ne.mu.Unlock()
	if c = ne.comms[k]; c != nil {
		if c.liid == task.LIID && c.agency == ag {
			return c // made meanwhile by another connection of the NE
		}
		s.forget(ne, k, c)
	}
	if s.ncomms >= s.cfg.MaxCommunications {
		s.sweep(ne)
		if s.ncomms >= s.cfg.MaxCommunications {
			return nil
		}
	}
	c = &comm{liid: task.LIID, agency: ag, cin: s.allocCIN(task.LIID, ne.name, xid, corr)}
	ne.comms[k] = c
	s.ncomms++
	return c
}

// allocCIN gives a new communication of liid its CIN: FNV-1a of the NE's
// name, the XID and the correlation ID — the same communication gets the
// same CIN after a restart of the mediation function, unless collisions
// were resolved in another order — moved past 0, which carries an LIID's
// HI1 notifications, and past every CIN the LIID's communications hold.
// Under s.mu.
func (s *Server) allocCIN(liid intercept.LIID, name string, xid [16]byte, corr uint64) intercept.CIN {
	h := fnv.New32a()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write(xid[:])
	var b [8]byte
	for i := range b {
		b[i] = byte(corr >> (56 - 8*i))
	}
	h.Write(b[:])
	taken := s.cins[liid]
	if taken == nil {
		taken = map[intercept.CIN]struct{}{}
		s.cins[liid] = taken
	}
	c := intercept.CIN(h.Sum32())
	for {
		if _, t := taken[c]; c != 0 && !t {
			taken[c] = struct{}{}
			return c
		}
		c++
	}
}

// forget drops ne's communication k, releasing its CIN. Under s.mu and
// ne.mu.
func (s *Server) forget(ne *neState, k commKey, c *comm) {
	c.gone.Store(true)
	delete(ne.comms, k)
	s.dropStreams(c.liid, c.cin, c.iri.used.Load(), c.cc.used.Load())
	if taken := s.cins[c.liid]; taken != nil {
		delete(taken, c.cin)
		if len(taken) == 0 {
			delete(s.cins, c.liid)
		}
	}
	s.ncomms--
}

// sweep forgets the communications of tasks that are no longer active or
// pending, in every NE. Under s.mu and locked's mu (the NE being served).
func (s *Server) sweep(locked *neState) {
	for _, ne := range s.nes {
		if ne != locked {
			ne.mu.Lock()
		}
		for k, c := range ne.comms {
			if task, st := s.cfg.Tasks.Lookup(k.xid); st == Unknown || st == Ended || task.LIID != c.liid {
				s.forget(ne, k, c)
			}
		}
		if ne != locked {
			ne.mu.Unlock()
		}
	}
}
