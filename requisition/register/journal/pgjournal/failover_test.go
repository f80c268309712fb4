package pgjournal_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/internal/itest"
	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// replicated starts a primary and a synchronous standby of it (standby1,
// named by synchronous_standby_names = 'FIRST 1 (standby1)', with
// synchronous_commit on, the default) holding database name with the
// journal's schema.
func replicated(t testing.TB, name string) (primary, standby *pgtest.Server) {
	t.Helper()
	primary = pgtest.Start(t)
	journalDB(t, primary, name)
	standby = primary.StartStandby(t, "standby1")
	primary.SetSynchronousStandbyNames(t, "FIRST 1 (standby1)")
	return primary, standby
}

// failoverDSN is the connection string a desk uses with a primary and its
// standby: both hosts, and target_session_attrs=read-write, so that it
// connects to whichever of them accepts writes — the primary, then the
// standby once promoted — with no change of configuration. The URL form,
// as docs/postgres.md gives it.
func failoverDSN(database string, servers ...*pgtest.Server) string {
	var hosts []string
	for _, s := range servers {
		hosts = append(hosts, fmt.Sprintf("127.0.0.1:%d", s.Port()))
	}
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable&target_session_attrs=read-write&connect_timeout=5", strings.Join(hosts, ","), database)
}

// The primary of a synchronous pair is killed (pg_ctl stop -m immediate)
// while six appenders — three Stores, as three desks, two goroutines each
// — append through one multi-host connection string; the standby is
// promoted, and the same Stores go on on it with no change of
// configuration. Every append acknowledged before the kill is on the
// promoted standby exactly once, at the number its writer was told, the
// chain verifies, and appends continue at the next numbers, through the
// multi-host string and through the standby's own. Before the failover
// the standby, still read-only, refuses a write with ErrReadOnly.
func TestFailover(t *testing.T) {
	primary, standby := replicated(t, "failover")
	ctx := context.Background()
	dsn := failoverDSN("failover", primary, standby)
	const stores, perStore, before, after = 3, 2, 150, 60
	var ss []*pgjournal.Store
	for i := range stores {
		s, err := pgjournal.Open(ctx, dsn, pgjournal.Options{Clock: timesynctest.NewClock(t0), Signer: key("alice"), Create: i == 0, Timeout: 20 * time.Second})
		if err != nil {
			t.Fatalf("opening store %d on %s: %v", i, dsn, err)
		}
		defer s.Close()
		ss = append(ss, s)
	}

	// A read-only standby refuses a write, which says where writes go.
	ro, err := pgjournal.Open(ctx, standby.DSN("failover"), pgjournal.Options{Clock: timesynctest.NewClock(t0), Signer: key("alice"), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("opening the standby read-only: %v", err)
	}
	if _, err = ro.Append("event", []byte("on the standby")); !errors.Is(err, pgjournal.ErrReadOnly) || !errors.Is(err, journal.ErrIO) {
		t.Fatalf("an append on the standby: %v; want ErrReadOnly and ErrIO", err)
	}
	t.Logf("an append on the read-only standby: %v", err)
	ro.Close()

	var (
		mu         sync.Mutex
		acked      = map[string]uint64{} // payload: the number its writer was told
		ackedAfter = map[string]uint64{} // those of appends begun once the standby was promoted
		kinds      = map[string]int{}
		isPromoted bool
		stop       bool
		firstAfter time.Time // the first acknowledgement of an append begun after the promotion
	)
	promoted := make(chan struct{})
	acks := make(chan struct{}, 4096)
	var wg sync.WaitGroup
	for i, s := range ss {
		for g := range perStore {
			wg.Go(func() {
				for n := 0; ; n++ {
					mu.Lock()
					done, after := stop, isPromoted
					mu.Unlock()
					if done {
						return
					}
					p := fmt.Sprintf("s%d.g%d.%d", i, g, n)
					rec, err := s.Append("event", []byte(p))
					mu.Lock()
					if err == nil {
						acked[p] = rec.Seq
						if after {
							ackedAfter[p] = rec.Seq
							if firstAfter.IsZero() {
								firstAfter = time.Now()
							}
						}
					} else {
						kinds[errKind(err)]++
					}
					mu.Unlock()
					if err == nil {
						acks <- struct{}{}
						continue
					}
					if !errors.Is(err, journal.ErrIO) {
						t.Errorf("a failed append does not wrap ErrIO: %v", err)
					}
					// The primary is gone: wait for the promotion rather
					// than knocking at a read-only standby.
					select {
					case <-promoted:
					case <-time.After(noEventLimit):
						t.Errorf("store %d: no promotion after %v", i, err)
						return
					}
				}
			})
		}
	}
	waitAcks := func(n int) {
		t.Helper()
		for range n {
			select {
			case <-acks:
			case <-time.After(noEventLimit):
				t.Fatalf("no acknowledgement for %v", noEventLimit)
			}
		}
	}

	waitAcks(before)
	killedAt := time.Now()
	primary.Stop(t, "immediate")
	mu.Lock()
	ackedBefore := len(acked) // every one before the primary died
	beforeKill := maps.Clone(acked)
	mu.Unlock()
	standby.Promote(t)
	promotedAt := time.Now()
	mu.Lock()
	isPromoted = true
	mu.Unlock()
	close(promoted)
	for len(acks) > 0 {
		<-acks
	}
	waitAcks(after)
	mu.Lock()
	stop = true
	mu.Unlock()
	wg.Wait()

	// Every append begun after the promotion comes after every one
	// acknowledged before the primary died: the chain goes on at the next
	// numbers. (An append begun before the kill but still queued in its
	// Store then is written after the promotion, in any order with the
	// appends begun after it: nothing had been acknowledged of it.)
	var lastBefore uint64
	for _, seq := range beforeKill {
		lastBefore = max(lastBefore, seq)
	}
	for p, seq := range ackedAfter {
		if seq <= lastBefore {
			t.Errorf("%s, appended after the failover, is record %d, before record %d acknowledged before it", p, seq, lastBefore)
		}
	}

	// A desk that connects to the promoted standby by its own address
	// appends at the next number.
	sdsn := standby.DSN("failover")
	s, err := pgjournal.Open(ctx, sdsn, pgjournal.Options{Clock: timesynctest.NewClock(t0), Signer: key("alice")})
	if err != nil {
		t.Fatalf("opening the promoted standby: %v", err)
	}
	head := uint64(len(s.Initial()))
	rec, err := s.Append("event", []byte("on the promoted standby"))
	if err != nil || rec.Seq != head {
		t.Fatalf("an append on the promoted standby: record %d, %v; want record %d", rec.Seq, err, head)
	}
	acked["on the promoted standby"] = rec.Seq
	s.Close()

	recs := checkJournal(t, sdsn, acked)
	t.Logf("%d appends acknowledged before the primary died, %d begun before and acknowledged after it (found on the promoted standby), %d begun after the promotion, 1 on the standby's own DSN: %d acknowledged, all on the promoted standby once each; %d records there; failures by kind: %v",
		ackedBefore, len(acked)-ackedBefore-len(ackedAfter)-1, len(ackedAfter), len(acked), len(recs)-1, kinds)
	t.Logf("primary killed to standby promoted: %v; killed to the first acknowledgement of an append begun after the promotion: %v",
		promotedAt.Sub(killedAt).Round(time.Millisecond), firstAfter.Sub(killedAt).Round(time.Millisecond))
}

// With synchronous_standby_names set and its standby down, the primary's
// COMMIT waits for a standby that is not there, and the append is not
// acknowledged: it fails after Options.Timeout spent writing and another
// looking the write up, as in doubt (ErrInDoubt, ErrIO). When pgx gives
// up on the COMMIT it cancels it, and PostgreSQL then commits on the
// primary alone (the server logs "canceling wait for synchronous
// replication"): the record is there, on one machine, and the store does
// not acknowledge it — looking it up, it commits a transaction of its own,
// which waits for the standby as the write did. Once the standby is back
// the record reaches it; Refresh hands it over as the journal's, and the
// next append follows it.
func TestSynchronousStandbyDown(t *testing.T) {
	primary, standby := replicated(t, "syncdown")
	dsn := primary.DSN("syncdown")
	const timeout = 3 * time.Second
	s, err := pgjournal.Open(context.Background(), dsn, pgjournal.Options{Clock: timesynctest.NewClock(t0), Signer: key("alice"), Create: true, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r, err := s.Append("event", []byte("before")); err != nil || r.Seq != 1 {
		t.Fatalf("the first append: record %d, %v", r.Seq, err)
	}

	standby.Stop(t, "fast")
	start := time.Now()
	_, err = s.Append("event", []byte("standby down"))
	took := time.Since(start)
	if !errors.Is(err, pgjournal.ErrInDoubt) || !errors.Is(err, journal.ErrIO) {
		t.Fatalf("an append with the synchronous standby down: %v; want ErrInDoubt and ErrIO", err)
	}
	if took < timeout {
		t.Errorf("the append failed after %v, before Options.Timeout (%v)", took, timeout)
	}
	t.Logf("an append with the synchronous standby down failed after %v: %v", took.Round(time.Millisecond), err)
	log, err := os.ReadFile(primary.LogFile())
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(log, []byte("canceling wait for synchronous replication")); n == 0 {
		t.Error("the primary's log says no COMMIT waited for the standby")
	}

	standby.Restart(t)
	sdsn := standby.DSN("syncdown")
	itest.WaitFor(t, "the write that waited on the standby", func() bool { return records(sdsn) == 3 })
	handed, err := s.Refresh()
	if err != nil || len(handed) != 1 || string(handed[0].Payload) != "standby down" || handed[0].Seq != 2 {
		t.Fatalf("Refresh handed over %d records (%v); want record 2, the write that waited", len(handed), err)
	}
	r, err := s.Append("event", []byte("after"))
	if err != nil || r.Seq != 3 {
		t.Fatalf("the append after the standby came back: record %d, %v", r.Seq, err)
	}
	want := map[string]uint64{"before": 1, "standby down": 2, "after": 3}
	checkJournal(t, dsn, want)
	itest.WaitFor(t, "the last append on the standby", func() bool { return records(sdsn) == 4 })
	checkJournal(t, sdsn, want)
}

// records returns the number of records (the header included) in the
// journal at dsn, or -1 when it cannot be read.
func records(dsn string) int {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return -1
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM ccjkit_journal_records").Scan(&n); err != nil {
		return -1
	}
	return n
}

// BenchmarkAppendSynchronous measures Append with a synchronous standby
// beside the same primary without one (synchronous_standby_names set,
// then cleared; the standby streaming throughout), in the same run: one
// writer, and eight goroutines of one Store (group commit). Compare
// ns/op of standby=sync and standby=async:
//
//	go test -run '^$' -bench AppendSynchronous ./requisition/register/journal/pgjournal/
func BenchmarkAppendSynchronous(b *testing.B) {
	primary, _ := replicated(b, "syncbench")
	s := openStore(b, primary.DSN("syncbench"), key("alice"))
	payload := make([]byte, benchPayload)
	rand.Read(payload)
	for _, mode := range []struct{ name, names string }{{"async", ""}, {"sync", "FIRST 1 (standby1)"}} {
		primary.SetSynchronousStandbyNames(b, mode.names)
		b.Run("writers=1/standby="+mode.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Append("event", payload); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("writers=8/standby="+mode.name, func(b *testing.B) {
			parallel(b, func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Append("event", payload); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
