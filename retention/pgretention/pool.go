package pgretention

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"
)

// pool is the store's connections: up to max, each with the lookup's
// statements prepared once when it connects. (pgx's own pool,
// pgxpool, would bring a dependency the module does not otherwise need
// for what these few lines do.)
type pool struct {
	cfg     *pgx.ConnConfig
	prepare func(context.Context, *pgx.Conn) error
	slots   chan struct{} // a token per connection open or opening
	idle    chan *pgx.Conn

	mu     sync.Mutex
	closed bool
}

func newPool(cfg *pgx.ConnConfig, max int, prepare func(context.Context, *pgx.Conn) error) *pool {
	return &pool{cfg: cfg, prepare: prepare, slots: make(chan struct{}, max), idle: make(chan *pgx.Conn, max)}
}

// acquire returns an idle connection, or a new one when fewer than max
// are open, or waits for one.
func (p *pool) acquire(ctx context.Context) (*pgx.Conn, error) {
	for {
		select {
		case c := <-p.idle:
			if c.IsClosed() {
				<-p.slots
				continue
			}
			return c, nil
		default:
		}
		select {
		case c := <-p.idle:
			if c.IsClosed() {
				<-p.slots
				continue
			}
			return c, nil
		case p.slots <- struct{}{}:
			c, err := pgx.ConnectConfig(ctx, p.cfg.Copy())
			if err == nil {
				err = p.prepare(ctx, c)
				if err != nil {
					c.Close(context.WithoutCancel(ctx))
				}
			}
			if err != nil {
				<-p.slots
				return nil, err
			}
			return c, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// release gives a connection back: kept when it is healthy and out of
// any transaction, closed otherwise.
func (p *pool) release(c *pgx.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || c.IsClosed() || c.PgConn().TxStatus() != 'I' {
		c.Close(context.Background())
		<-p.slots
		return
	}
	p.idle <- c // never blocks: at most max connections exist
}

// close closes the idle connections and every one released afterwards.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for {
		select {
		case c := <-p.idle:
			c.Close(context.Background())
			<-p.slots
		default:
			return
		}
	}
}
