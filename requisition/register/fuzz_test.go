package register_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ccjkit/ccjkit/requisition/register"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

func FuzzReadRecords(f *testing.F) {
	dir := f.TempDir()
	j, _, err := register.Open(filepath.Join(dir, "j"), timesynctest.NewClock(t0))
	if err != nil {
		f.Fatal(err)
	}
	j.Append("event", []byte("hello"))
	j.Append("answer", []byte("world"))
	j.Close()
	data, _ := os.ReadFile(filepath.Join(dir, "j"))
	f.Add(data)
	f.Add(data[:len(data)-5])
	f.Add([]byte("CCJR"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, valid, err := register.ReadRecords(data)
		if valid < 0 || valid > int64(len(data)) {
			t.Fatalf("valid prefix %d of %d bytes", valid, len(data))
		}
		if err != nil && !errors.Is(err, register.ErrCorrupt) {
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		}
		// The valid prefix re-reads to the same records, cleanly.
		again, v2, err2 := register.ReadRecords(data[:valid])
		if err2 != nil || v2 != valid || len(again) != len(recs) {
			t.Fatalf("prefix re-read: %d records, %v", len(again), err2)
		}
	})
}
