package pgjournal_test

import (
	"bytes"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// proxy forwards TCP connections to the server, and can cut one at a
// chosen moment: after forwarding the client's pipeline that holds a
// marker, up to its Sync message, so that the server receives the whole
// of it — a COMMIT included — and the client never reads the answer.
type proxy struct {
	l      net.Listener
	target string

	mu     sync.Mutex
	marker []byte
	didCut bool
}

func startProxy(t *testing.T, port int) *proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, target: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
	t.Cleanup(func() { l.Close() })
	go p.serve()
	return p
}

// dsn returns dsn pointed at the proxy.
func (p *proxy) dsn(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.l.Addr().String()
	return u.String()
}

// cutAfter arms the proxy: the next client pipeline holding marker is
// forwarded whole, then both sides of its connection are closed.
func (p *proxy) cutAfter(marker string) {
	p.mu.Lock()
	p.marker = []byte(marker)
	p.mu.Unlock()
}

func (p *proxy) cut() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.didCut
}

func (p *proxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		go func() {
			io.Copy(c, s)
			c.Close()
		}()
		go p.upstream(c, s)
	}
}

// sync is the extended protocol's Sync message, which ends a pipeline.
var syncMsg = []byte{'S', 0, 0, 0, 4}

func (p *proxy) upstream(c, s net.Conn) {
	defer s.Close()
	buf := make([]byte, 64<<10)
	armed := false
	for {
		n, err := c.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			p.mu.Lock()
			// The marker in the parameters, raw (binary format) or in
			// hexadecimal (bytea's text format).
			if p.marker != nil && (bytes.Contains(chunk, p.marker) || bytes.Contains(chunk, []byte(hex.EncodeToString(p.marker)))) {
				armed, p.marker = true, nil
			}
			p.mu.Unlock()
			if _, werr := s.Write(chunk); werr != nil {
				return
			}
			if armed && bytes.HasSuffix(chunk, syncMsg) {
				// The server has the whole pipeline: it will commit; the
				// client will not hear of it.
				p.mu.Lock()
				p.didCut = true
				p.mu.Unlock()
				c.Close()
				return
			}
		}
		if err != nil {
			return
		}
	}
}
