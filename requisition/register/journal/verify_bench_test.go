package journal_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// verifyBenchRecords is the size of the journals BenchmarkVerify reads.
const verifyBenchRecords = 20_000

// benchJournal writes a journal of n records with 256-byte payloads,
// signed when signed is set, and returns its path.
func benchJournal(b *testing.B, n int, signed bool) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "j")
	o := journal.Options{Clock: timesynctest.NewClock(t0)}
	if signed {
		_, o.Signer, _ = ed25519.GenerateKey(nil)
	}
	j, _, err := journal.Open(path, o)
	if err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, 256)
	var wg sync.WaitGroup
	for range 16 { // group commit makes building it quick
		wg.Go(func() {
			for range n / 16 {
				if _, err := j.Append("event", payload); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkVerify checks a journal of 20,000 records with 256-byte
// payloads beside its baseline, SHA-256 over the same file's bytes read
// from the page cache in the same run: the chain pass (hashes, framing,
// sequence, links: Verify with ChainOnly) should cost at most twice the
// baseline, in memory that does not grow with the journal; the signature
// pass (ed25519, one per record: Verify) is measured apart, and so is
// ReadFile, which keeps every record in memory (what Verify did before it
// streamed).
func BenchmarkVerify(b *testing.B) {
	for _, kind := range []struct {
		name   string
		signed bool
	}{{"unsigned", false}, {"signed", true}} {
		path := benchJournal(b, verifyBenchRecords, kind.signed)
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		perRecord := func(b *testing.B) {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/verifyBenchRecords, "ns/record")
		}
		b.Run(kind.name+"/sha256-baseline", func(b *testing.B) {
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				h := sha256.New()
				if _, err := io.Copy(h, f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
			perRecord(b)
		})
		verify := func(name string, opts journal.ScanOptions) {
			b.Run(kind.name+"/"+name, func(b *testing.B) {
				b.SetBytes(fi.Size())
				b.ReportAllocs()
				for b.Loop() {
					sum, err := journal.Verify(path, opts)
					if err != nil || sum.Records != verifyBenchRecords+1 {
						b.Fatal(sum.Records, err)
					}
				}
				perRecord(b)
			})
		}
		verify("verify-chain", journal.ScanOptions{ChainOnly: true})
		if kind.signed {
			verify("verify-signatures", journal.ScanOptions{})
		}
		// Reading every record into memory, as Verify did before it
		// streamed.
		b.Run(kind.name+"/readfile", func(b *testing.B) {
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			for b.Loop() {
				recs, err := journal.ReadFile(path)
				if err != nil || len(recs) != verifyBenchRecords+1 {
					b.Fatal(len(recs), err)
				}
			}
			perRecord(b)
		})
	}
}
