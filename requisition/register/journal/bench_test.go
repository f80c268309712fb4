package journal_test

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// go test -run='^$' -bench=. -benchmem ./requisition/register/
//
// Append makes each record durable with one fdatasync; the baseline writes
// the same number of bytes with write+fdatasync to a file in the same
// directory, so the ratio is the register's own cost (framing, hashing,
// locking).
func BenchmarkAppend(b *testing.B) {
	payload := make([]byte, 256)
	b.Run("register", func(b *testing.B) {
		j, _, err := journal.Open(filepath.Join(b.TempDir(), "j"), journal.Options{Clock: timesynctest.NewClock(t0)})
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := j.Append("event", payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=write+fdatasync", func(b *testing.B) {
		f, err := os.OpenFile(filepath.Join(b.TempDir(), "raw"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		frame := make([]byte, 8+8+8+32+2+5+4+len(payload)+32) // the same bytes per record
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.Write(frame); err != nil {
				b.Fatal(err)
			}
			if err := unix.Fdatasync(int(f.Fd())); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Each Append takes the file's lock (flock), reads what other writers
// appended (catch-up), writes its frame in one WriteAt and fdatasyncs. The
// baseline is that write and sync alone — the same frame bytes (a signed
// record of 256 bytes of payload) written with WriteAt + fdatasync at the
// end of a plain file in the same directory, the disk's own limit — so
// that the ratio is the cost of locking, catching up, framing, hashing and
// signing. "two-journals" alternates appends between two Journals of one
// path, so that every append catches up the other's record. Each runs on
// the test's temporary directory ("disk") and, where there is one, on
// /dev/shm ("tmpfs"), where fdatasync costs nothing and the journal's own
// cost shows alone.
func BenchmarkAppendLocked(b *testing.B) {
	payload := make([]byte, 256)
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	open := func(b *testing.B, path string) *journal.Journal {
		j, _, err := journal.Open(path, journal.Options{Clock: timesynctest.NewClock(t0), Signer: key})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { j.Close() })
		return j
	}
	shm := func(b *testing.B) string {
		dir, err := os.MkdirTemp("/dev/shm", "ccjkit-bench-")
		if err != nil {
			b.Skip("no /dev/shm")
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	for _, fs := range []struct {
		name string
		dir  func(b *testing.B) string
	}{{"disk", func(b *testing.B) string { return b.TempDir() }}, {"tmpfs", shm}} {
		b.Run(fs.name+"/baseline=WriteAt+fdatasync", func(b *testing.B) {
			// The frame the journal writes, taken from a journal.
			path := filepath.Join(fs.dir(b), "j")
			j := open(b, path)
			before, _ := os.Stat(path)
			if _, err := j.Append("event", payload); err != nil {
				b.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			frame := data[before.Size():]
			f, err := os.OpenFile(filepath.Join(fs.dir(b), "raw"), os.O_CREATE|os.O_RDWR, 0o600)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			off := int64(0)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.WriteAt(frame, off); err != nil {
					b.Fatal(err)
				}
				if err := unix.Fdatasync(int(f.Fd())); err != nil {
					b.Fatal(err)
				}
				off += int64(len(frame))
			}
			b.ReportMetric(float64(len(frame)), "bytes/record")
		})
		b.Run(fs.name+"/journal", func(b *testing.B) {
			j := open(b, filepath.Join(fs.dir(b), "j"))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := j.Append("event", payload); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fs.name+"/two-journals", func(b *testing.B) {
			path := filepath.Join(fs.dir(b), "j")
			js := [2]*journal.Journal{open(b, path), open(b, path)}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := js[i%2].Append("event", payload); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// Group commit: 8 writers share each fdatasync.
func BenchmarkGroupCommit(b *testing.B) {
	payload := make([]byte, 256)
	for _, writers := range []int{1, 8} {
		b.Run(map[int]string{1: "writers=1", 8: "writers=8"}[writers], func(b *testing.B) {
			j, _, err := journal.Open(filepath.Join(b.TempDir(), "j"), journal.Options{Clock: timesynctest.NewClock(t0)})
			if err != nil {
				b.Fatal(err)
			}
			defer j.Close()
			b.ReportAllocs()
			var wg sync.WaitGroup
			per := b.N / writers
			b.ResetTimer()
			for range writers {
				wg.Go(func() {
					for range per {
						if _, err := j.Append("event", payload); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(per*writers)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
