package itest

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Gate is a TCP proxy on loopback towards a receiver whose sending
// direction can be stalled, as a receiver that stops reading or a
// congested line would: a sender's queue then fills up behind it. The
// receiver's answers always flow.
type Gate struct {
	ln   net.Listener
	to   string
	mu   sync.Mutex
	open chan struct{} // closed while traffic flows
}

// NewGate starts a gate towards the address to, flowing; it is closed
// when the test ends.
func NewGate(t testing.TB, to string) *Gate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &Gate{ln: ln, to: to, open: make(chan struct{})}
	close(g.open)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go g.serve(c)
		}
	}()
	return g
}

// Addr is where senders connect.
func (g *Gate) Addr() string { return g.ln.Addr().String() }

func (g *Gate) serve(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", g.to)
	if err != nil {
		return
	}
	defer up.Close()
	go func() { io.Copy(c, up); c.Close() }()
	buf := make([]byte, 32<<10)
	for {
		g.mu.Lock()
		open := g.open
		g.mu.Unlock()
		<-open
		n, err := c.Read(buf)
		if n > 0 {
			if _, err := up.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Set stalls (false) or resumes (true) the sending direction.
func (g *Gate) Set(flowing bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
		if !flowing {
			g.open = make(chan struct{})
		}
	default:
		if flowing {
			close(g.open)
		}
	}
}
