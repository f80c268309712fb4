package itest

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Gate is a TCP proxy on loopback towards a receiver whose sending
// direction can be stalled, as a receiver that stops reading or a line
// that stops carrying would be. While stalled it reads what the sender
// writes and holds it, so that the sender's writes succeed and nothing is
// confirmed; when the flow resumes it forwards what it held. A sender
// that dies while the gate is stalled loses what the gate held — the
// connection to the receiver is reset — as what was in flight on a path
// that broke. The receiver's answers always flow.
type Gate struct {
	ln      net.Listener
	to      string
	mu      sync.Mutex
	cond    *sync.Cond
	flowing bool
}

// NewGate starts a gate towards the address to, flowing; it is closed
// when the test ends.
func NewGate(t testing.TB, to string) *Gate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &Gate{ln: ln, to: to, flowing: true}
	g.cond = sync.NewCond(&g.mu)
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

// Set stalls (false) or resumes (true) the sending direction.
func (g *Gate) Set(flowing bool) {
	g.mu.Lock()
	g.flowing = flowing
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *Gate) serve(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", g.to)
	if err != nil {
		return
	}
	go func() { io.Copy(c, up); c.Close() }()
	var held []byte
	var ended, dropped bool
	go func() { // the sender's bytes, held until they may flow
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			g.mu.Lock()
			held = append(held, buf[:n]...)
			if err != nil {
				ended = true
				if !g.flowing {
					dropped, held = true, nil // the sender died behind a stalled path
				}
			}
			g.mu.Unlock()
			g.cond.Broadcast()
			if err != nil {
				return
			}
		}
	}()
	for {
		g.mu.Lock()
		for !dropped && !(g.flowing && len(held) > 0) && !(ended && len(held) == 0) {
			g.cond.Wait()
		}
		switch {
		case dropped:
			g.mu.Unlock()
			if tc, ok := up.(*net.TCPConn); ok {
				tc.SetLinger(0) // a reset: what the receiver has not read is gone
			}
			up.Close()
			return
		case ended && len(held) == 0:
			g.mu.Unlock()
			up.Close()
			return
		}
		b := held
		held = nil
		g.mu.Unlock()
		if _, err := up.Write(b); err != nil {
			up.Close()
			return
		}
	}
}
