package register_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// go test -run='^$' -bench='Verify|Replay|Step' -benchmem ./requisition/register/
//
// What signatures and sealing cost. Verify reads a journal of 2,000
// records of 600 bytes (a register's usual record) and checks it: the
// baseline is the same journal unsigned, whose check is the SHA-256 chain
// alone — the floor any verification pays; the ratio is the price of
// ed25519 per record.
func BenchmarkVerify(b *testing.B) {
	payload := make([]byte, 600)
	for _, tc := range []struct {
		name   string
		signed bool
	}{{"signed", true}, {"baseline=unsigned-chain", false}} {
		b.Run(tc.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "j")
			opts := journal.Options{Clock: timesynctest.NewClock(t0)}
			if tc.signed {
				id, _ := register.NewIdentity("alice", register.RoleMember)
				opts.Signer = register.SigningKey(id)
			}
			j, _, err := journal.Open(path, opts)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := j.Update(func(tx *journal.Tx) error {
				for range 2000 {
					if _, err := tx.Append("case", payload); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			j.Close()
			b.ReportAllocs()
			for b.Loop() {
				if recs, err := journal.ReadFile(path); err != nil || len(recs) != 2001 {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2001, "ns/record")
		})
	}
}

// Replay opens a register of 200 cases of 4 steps each — what every desk
// command does — beside Verify of the same journal, the part of the work
// that needs no key: the difference is opening each record (age) and
// replaying it.
func BenchmarkReplay(b *testing.B) {
	k := newKeys(b)
	clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
	path := filepath.Join(b.TempDir(), "ccj.journal")
	reg, _, err := register.Open(path, k.config(clock))
	if err != nil {
		b.Fatal(err)
	}
	for i := range 200 {
		id := fmt.Sprintf("c%d", i)
		if _, err := reg.Receive(id, sampleRequisition(), "alice", goodClock); err != nil {
			b.Fatal(err)
		}
		for _, ev := range []register.Event{register.Acknowledge, register.CheckLawful, register.Cancel} {
			if _, err := reg.Apply(id, ev, "alice", goodClock, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	reg.Close()
	b.Run("open-register", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, _, err := register.Open(path, k.config(clock))
			if err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
	})
	b.Run("baseline=verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := journal.ReadFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Step is one step of a case (a receipt) — checked, sealed, signed,
// appended under the lock after reading what others wrote, synced —
// beside a bare Journal.Append of the same size, unsigned and unsealed:
// the durable append alone, which the disk's sync dominates.
func BenchmarkStep(b *testing.B) {
	b.Run("register-step", func(b *testing.B) {
		k := newKeys(b)
		clock := timesynctest.NewClock(t0.Add(2 * time.Hour))
		reg, _, err := register.Open(filepath.Join(b.TempDir(), "ccj.journal"), k.config(clock))
		if err != nil {
			b.Fatal(err)
		}
		defer reg.Close()
		req := sampleRequisition()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			if _, err := reg.Receive(fmt.Sprintf("c%d", i), req, "alice", goodClock); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=append", func(b *testing.B) {
		j, _, err := journal.Open(filepath.Join(b.TempDir(), "j"), journal.Options{Clock: timesynctest.NewClock(t0)})
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		payload := make([]byte, 1200) // a sealed receipt's size
		b.ReportAllocs()
		for b.Loop() {
			if _, err := j.Append("case", payload); err != nil {
				b.Fatal(err)
			}
		}
	})
}
