package pgjournal_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// noEventLimit bounds a wait for an event: reaching it is a failure (a
// writer wedged), not a timing.
const noEventLimit = time.Minute

// The server is killed (pg_ctl stop -m immediate: no checkpoint, recovery
// from the WAL at the next start) 20 times while four goroutines append:
// every append acknowledged is in the journal after the last restart, at
// the number it was given, none twice, and the chain verifies. Appends
// under way when the server dies fail (unreachable, not committed, or in
// doubt) and are never written again by the store.
func TestServerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test skipped in -short mode")
	}
	srv := pgtest.Start(t)
	dsn := journalDB(t, srv, "killed")
	s, err := pgjournal.Open(context.Background(), dsn, pgjournal.Options{Clock: timesynctest.NewClock(t0), Signer: key("alice"), Create: true, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const rounds, writers, acksPerRound = 20, 4, 8

	var mu sync.Mutex
	acked := map[string]uint64{}
	kinds := map[string]int{}
	round, stop := 0, false
	restarted := make(chan struct{}) // closed, and replaced, at each restart
	acks := make(chan struct{}, 1024)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				mu.Lock()
				r, next, done := round, restarted, stop
				mu.Unlock()
				if done {
					return
				}
				p := fmt.Sprintf("w%d.%d", w, i)
				rec, err := s.Append("event", []byte(p))
				mu.Lock()
				if err == nil {
					acked[p] = rec.Seq
				} else {
					kinds[errKind(err)]++
				}
				mu.Unlock()
				if err == nil {
					select {
					case acks <- struct{}{}:
					default:
					}
					continue
				}
				if !errors.Is(err, journal.ErrIO) {
					t.Errorf("a failed append does not wrap ErrIO: %v", err)
				}
				// Wait for the restart that follows (or has followed)
				// the kill this append met.
				_ = r
				select {
				case <-next:
				case <-time.After(noEventLimit):
					t.Errorf("writer %d: no restart after %v", w, err)
					return
				}
			}
		})
	}
	waitAcks := func(n int) {
		t.Helper()
		for range n {
			select {
			case <-acks:
			case <-time.After(noEventLimit):
				t.Fatalf("round %d: no acknowledgement for %v", round, noEventLimit)
			}
		}
	}
	for r := range rounds {
		// Drain what was acknowledged before, then wait for fresh ones.
		for len(acks) > 0 {
			<-acks
		}
		waitAcks(acksPerRound)
		port := srv.Port()
		srv.Stop(t, "immediate")
		srv.Restart(t)
		if srv.Port() != port {
			t.Fatalf("round %d: the server moved from port %d to %d (another process took it): the store's DSN is stale", r, port, srv.Port())
		}
		mu.Lock()
		round++
		close(restarted)
		restarted = make(chan struct{})
		mu.Unlock()
	}
	waitAcks(acksPerRound)
	mu.Lock()
	stop = true
	close(restarted)
	mu.Unlock()
	wg.Wait()
	recs := checkJournal(t, dsn, acked)
	t.Logf("%d rounds: %d appends acknowledged, %d records in the journal; failures by kind: %v", rounds, len(acked), len(recs)-1, kinds)
}

// errKind names the sentinel an append's error wraps.
func errKind(err error) string {
	for _, k := range []struct {
		err  error
		name string
	}{{pgjournal.ErrInDoubt, "in doubt"}, {pgjournal.ErrNotCommitted, "not committed"}, {pgjournal.ErrUnreachable, "unreachable"},
		{pgjournal.ErrReadOnly, "read-only"}, {pgjournal.ErrDiskFull, "disk full"}} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	return err.Error()
}

// The connection is cut mid-transaction (pg_terminate_backend from
// another session, while Update holds the lock): the write fails as not
// committed, nothing of it is in the database, and the next append, on a
// new connection, continues the chain.
func TestConnectionCut(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := journalDB(t, srv, "cut")
	s := openStore(t, dsn, key("alice"))
	if _, err := s.Append("event", []byte("before")); err != nil {
		t.Fatal(err)
	}
	admin := srv.Connect(t, "cut")
	ctx := context.Background()
	_, err := s.Update(func(tx *journal.Tx) error {
		for _, p := range []string{"cut.1", "cut.2", "cut.3"} {
			if _, err := tx.Append("event", []byte(p)); err != nil {
				return err
			}
		}
		// The session holding the journal's advisory lock is ours.
		var pid int
		if err := admin.QueryRow(ctx, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = 'cut')").Scan(&pid); err != nil {
			return err
		}
		var ok bool
		return admin.QueryRow(ctx, "SELECT pg_terminate_backend($1, 60000)", pid).Scan(&ok)
	})
	if !errors.Is(err, pgjournal.ErrNotCommitted) && !errors.Is(err, pgjournal.ErrUnreachable) || !errors.Is(err, journal.ErrIO) {
		t.Fatalf("a write whose session was terminated: %v", err)
	}
	t.Logf("the write cut mid-transaction: %v", err)
	var n int
	if err := admin.QueryRow(ctx, "SELECT count(*) FROM ccjkit_journal_records WHERE seq > 1").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d records of the cut write are in the database (%v)", n, err)
	}
	r, err := s.Append("event", []byte("after"))
	if err != nil || r.Seq != 2 {
		t.Fatalf("the next append: record %d, %v", r.Seq, err)
	}
	checkJournal(t, dsn, map[string]uint64{"before": 1, "after": 2})
}

// The connection breaks after the server received the COMMIT and before
// its answer reaches the store (a proxy cuts it): the store looks the
// write up under the lock, finds it, and acknowledges it — once.
func TestCommitAnswerLost(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := journalDB(t, srv, "lost")
	p := startProxy(t, srv.Port())
	s := openStore(t, p.dsn(t, dsn), key("alice"))
	if _, err := s.Append("event", []byte("before")); err != nil {
		t.Fatal(err)
	}
	p.cutAfter("answer lost") // in the INSERT sent with the COMMIT
	r, err := s.Append("event", []byte("answer lost"))
	if err != nil || r.Seq != 2 {
		t.Fatalf("an append whose COMMIT's answer was lost: record %d, %v", r.Seq, err)
	}
	if !p.cut() {
		t.Fatal("the proxy never cut the connection")
	}
	r, err = s.Append("event", []byte("after"))
	if err != nil || r.Seq != 3 {
		t.Fatalf("the next append: record %d, %v", r.Seq, err)
	}
	checkJournal(t, dsn, map[string]uint64{"before": 1, "answer lost": 2, "after": 3})
}

// The disk under the journal's table fills up (a tablespace on a small
// tmpfs; the WAL stays on the server's disk): appends fail with an error
// that says so, wrapping ErrIO; nothing acknowledged is missing, nothing
// of a failed write is there, and once space is freed appends go on.
func TestDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test skipped in -short mode")
	}
	srv := pgtest.Start(t)
	loc := srv.Tablespace(t, "small", "2M")
	ctx := context.Background()
	// The catalogue stays on the default tablespace; the journal's table
	// and its indexes go to the small one.
	dsn := srv.CreateDatabase(t, "diskfull")
	if err := execSQL(t, srv.DSN("postgres"), "ALTER DATABASE diskfull SET default_tablespace = small"); err != nil {
		t.Fatal(err)
	}
	if _, err := pgjournal.Migrate(ctx, dsn, pgjournal.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, dsn, key("alice"))
	acked := map[string]uint64{}
	var full error
	for i := 0; ; i++ {
		payload := make([]byte, 8<<10) // random: TOAST does not compress it
		rand.Read(payload)
		r, err := s.Append("event", payload)
		if err != nil {
			full = err
			break
		}
		acked[string(payload)] = r.Seq
		if i > 10000 {
			t.Fatalf("no error after %d appends of 8 KiB to a 2 MB tablespace (%s)", i, loc)
		}
	}
	if !errors.Is(full, pgjournal.ErrDiskFull) || !errors.Is(full, journal.ErrIO) {
		t.Fatalf("the append that found the disk full: %v", full)
	}
	t.Logf("after %d appends of 8 KiB: %v", len(acked), full)
	again := make([]byte, 8<<10)
	rand.Read(again)
	if _, err := s.Append("event", again); !errors.Is(err, pgjournal.ErrDiskFull) {
		t.Errorf("the next append: %v", err)
	}
	count := func() int {
		t.Helper()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		var n int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM ccjkit_journal_records").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 1+len(acked) {
		t.Fatalf("%d records; want the %d acknowledged and the header", n, len(acked))
	}
	checkJournal(t, dsn, acked)
	// More room: the store goes on, on the same chain.
	if out, err := exec.Command("mount", "-o", "remount,size=8M", loc).CombinedOutput(); err != nil {
		t.Fatalf("growing the tmpfs: %v: %s", err, out)
	}
	r, err := s.Append("event", []byte("after"))
	if err != nil || r.Seq != uint64(len(acked)+1) {
		t.Fatalf("an append once there is room: record %d, %v", r.Seq, err)
	}
	acked["after"] = r.Seq
	checkJournal(t, dsn, acked)
}

// The server is down: an append fails at once with ErrUnreachable (and
// ErrIO: not acknowledged) rather than waiting for it, and once it is
// back the same Store appends again, after the records it had.
func TestServerDown(t *testing.T) {
	srv := pgtest.Start(t)
	dsn := journalDB(t, srv, "down")
	s, err := pgjournal.Open(context.Background(), dsn, pgjournal.Options{Clock: timesynctest.NewClock(t0), Signer: key("alice"), Create: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Append("event", []byte("before")); err != nil {
		t.Fatal(err)
	}
	port := srv.Port()
	srv.Stop(t, "fast")
	for range 3 {
		if _, err := s.Append("event", []byte("while down")); !errors.Is(err, pgjournal.ErrUnreachable) || !errors.Is(err, journal.ErrIO) {
			t.Fatalf("an append while the server is down: %v", err)
		}
	}
	if _, err := s.Refresh(); !errors.Is(err, pgjournal.ErrUnreachable) {
		t.Errorf("Refresh while the server is down: %v", err)
	}
	srv.Restart(t)
	if srv.Port() != port {
		t.Fatalf("the server moved from port %d to %d (another process took it)", port, srv.Port())
	}
	r, err := s.Append("event", []byte("after"))
	if err != nil || r.Seq != 2 {
		t.Fatalf("the append after the restart: record %d, %v", r.Seq, err)
	}
	checkJournal(t, dsn, map[string]uint64{"before": 1, "after": 2})
}
