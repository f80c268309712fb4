package pgjournal_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ccjkit/ccjkit/internal/pgtest"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// benchPayload is the size of a record's payload in the benchmarks: a
// sealed register record of a few hundred bytes of JSON.
const benchPayload = 512

// BenchmarkAppend measures Append on PostgreSQL beside, in the same run
// and on the same server, a bare baseline writing the same bytes — a
// signed record's frame and its columns — into a table with no
// constraint, trigger or lock: an INSERT in autocommit (one round trip,
// one commit), and BEGIN, INSERT, COMMIT (three round trips). With one
// writer, and with eight goroutines (the store's group commit against
// eight connections each committing on its own). And the file journal on
// this machine's disk, for scale. Compare ns/op of the sub-benchmarks:
//
//	go test -run '^$' -bench Append ./requisition/register/journal/pgjournal/
func BenchmarkAppend(b *testing.B) {
	srv := pgtest.Start(b)
	ctx := context.Background()
	payload := make([]byte, benchPayload)
	rand.Read(payload)
	clock := timesynctest.NewClock(t0)
	tx := journal.NewTx(clock, 1, nil, nil)
	tx.Append("event", payload)
	frames, recs, _ := journal.Seal(tx, journal.ChainState{Next: 1, Signed: true}, key("bench"))
	frame, rec := frames[0], recs[0]

	// The databases are made once: the sub-benchmarks run several times
	// (b.N growing), and CREATE DATABASE is slow on a busy disk.
	db := 0
	store := func() string {
		db++
		return journalDB(b, srv, fmt.Sprintf("bench%d", db))
	}
	var seq atomic.Int64 // the bare rows' numbers, across the runs
	bare := func() string {
		db++
		dsn := srv.CreateDatabase(b, fmt.Sprintf("bare%d", db))
		if err := execSQL(b, dsn, "CREATE TABLE bare (seq bigint, prev bytea, hash bytea, frame bytea)"); err != nil {
			b.Fatal(err)
		}
		return dsn
	}
	store1, store8, stores8 := store(), store(), store()
	bare1, bare1tx, bare8 := bare(), bare(), bare()
	const insert = "INSERT INTO bare (seq, prev, hash, frame) VALUES ($1, $2, $3, $4)"

	b.Run("writers=1/store", func(b *testing.B) {
		s := openStore(b, store1, key("alice"))
		for b.Loop() {
			if _, err := s.Append("event", payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("writers=1/bare-insert-autocommit", func(b *testing.B) {
		c := connect(b, bare1)
		for b.Loop() {
			if _, err := c.Exec(ctx, insert, seq.Add(1), rec.Prev[:], rec.Hash[:], frame); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("writers=1/bare-begin-insert-commit", func(b *testing.B) {
		c := connect(b, bare1tx)
		for b.Loop() {
			err := pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, insert, seq.Add(1), rec.Prev[:], rec.Hash[:], frame)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("writers=8/store", func(b *testing.B) {
		s := openStore(b, store8, key("alice"))
		parallel(b, func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Append("event", payload); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("writers=8/stores", func(b *testing.B) {
		// Eight Stores, as eight processes: they take turns on the lock.
		dsn := stores8
		stores := make(chan *pgjournal.Store, writers)
		for w := range writers {
			stores <- openStore(b, dsn, key(fmt.Sprint("w", w)))
		}
		parallel(b, func(pb *testing.PB) {
			s := <-stores
			defer func() { stores <- s }()
			for pb.Next() {
				if _, err := s.Append("event", payload); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("writers=8/bare-insert-autocommit", func(b *testing.B) {
		conns := make(chan *pgx.Conn, writers)
		for range writers {
			conns <- connect(b, bare8)
		}
		parallel(b, func(pb *testing.PB) {
			c := <-conns
			defer func() { conns <- c }()
			for pb.Next() {
				if _, err := c.Exec(ctx, insert, seq.Add(1), rec.Prev[:], rec.Hash[:], frame); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("writers=1/file-journal", func(b *testing.B) {
		j, _, err := journal.Open(filepath.Join(b.TempDir(), "journal"), journal.Options{Clock: timesync.SystemClock{}, Signer: key("alice")})
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		for b.Loop() {
			if _, err := j.Append("event", payload); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// writers is the number of concurrent writers of the parallel
// benchmarks.
const writers = 8

// parallel runs body in writers goroutines (GOMAXPROCS permitting an
// exact division; never fewer).
func parallel(b *testing.B, body func(*testing.PB)) {
	b.SetParallelism((writers + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(body)
}

// connect opens a connection, closed when the benchmark ends.
func connect(b testing.TB, dsn string) *pgx.Conn {
	b.Helper()
	c, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// BenchmarkVerify measures Verify of a journal of 5,000 signed records
// of 512 bytes streamed from the database, beside journal.Scan of the
// same frames from memory (the checks alone, no database), and reports
// the records checked per second.
func BenchmarkVerify(b *testing.B) {
	const n = 5000
	srv := pgtest.Start(b)
	dsn := journalDB(b, srv, "verify")
	s := openStore(b, dsn, key("alice"))
	payload := make([]byte, benchPayload)
	rand.Read(payload)
	for done := 0; done < n; {
		_, err := s.Update(func(tx *journal.Tx) error {
			for range min(500, n-done) {
				if _, err := tx.Append("event", payload); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += min(500, n-done)
	}
	var file []byte
	c := connect(b, dsn)
	rows, err := c.Query(context.Background(), "SELECT frame FROM ccjkit_journal_records ORDER BY seq")
	if err != nil {
		b.Fatal(err)
	}
	frames, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range frames {
		file = append(file, f...)
	}
	b.Run("store", func(b *testing.B) {
		for b.Loop() {
			if sum, err := s.Verify(journal.ScanOptions{}); err != nil || sum.Records != n+1 {
				b.Fatalf("%d records, %v", sum.Records, err)
			}
		}
		b.ReportMetric(float64(n+1)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("scan-in-memory", func(b *testing.B) {
		for b.Loop() {
			if sum, err := journal.Scan(bytes.NewReader(file), journal.ScanOptions{}, nil); err != nil || sum.Records != n+1 {
				b.Fatalf("%d records, %v", sum.Records, err)
			}
		}
		b.ReportMetric(float64(n+1)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
}
