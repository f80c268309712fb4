package journal_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
	"github.com/ccjkit/ccjkit/timesync/timesynctest"
)

// Every error an exported function of journal returns can be inspected:
// errors.Is finds its sentinel, and errors.As the *CorruptError where a
// record is named.
func TestErrorsAreInspectable(t *testing.T) {
	dir := t.TempDir()
	path, j := newJournal(t, 3)
	j.Close()
	data := mustRead(t, path)
	damaged := bytes.Clone(data)
	damaged[len(damaged)-40] ^= 1
	damagedPath := filepath.Join(dir, "damaged")
	if err := os.WriteFile(damagedPath, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	emptyPath := filepath.Join(dir, "empty")
	if err := os.WriteFile(emptyPath, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	clock := timesynctest.NewClock(t0)
	for _, tc := range []struct {
		name    string
		call    func() error
		want    error
		corrupt bool
	}{
		{"Open without a clock", func() error { _, _, err := journal.Open(filepath.Join(dir, "a"), journal.Options{}); return err }, journal.ErrRecord, false},
		{"Open with a short signer", func() error {
			_, _, err := journal.Open(filepath.Join(dir, "b"), journal.Options{Clock: clock, Signer: make([]byte, 3)})
			return err
		}, journal.ErrRecord, false},
		{"Open, NoCreate, missing", func() error {
			_, _, err := journal.Open(filepath.Join(dir, "c"), journal.Options{Clock: clock, NoCreate: true})
			return err
		}, fs.ErrNotExist, false},
		{"Open of an empty file", func() error { _, _, err := journal.Open(emptyPath, journal.Options{Clock: clock}); return err }, journal.ErrNoHeader, false},
		{"Open of a damaged journal", func() error { _, _, err := journal.Open(damagedPath, journal.Options{Clock: clock}); return err }, journal.ErrCorrupt, true},
		{"Append of a reserved kind", func() error {
			j, _, err := journal.Open(filepath.Join(dir, "d"), journal.Options{Clock: clock})
			if err != nil {
				return err
			}
			defer j.Close()
			_, err = j.Append("journal", nil)
			return err
		}, journal.ErrRecord, false},
		{"Append after Close", func() error {
			j, _, err := journal.Open(filepath.Join(dir, "e"), journal.Options{Clock: clock})
			if err != nil {
				return err
			}
			j.Close()
			_, err = j.Append("event", nil)
			return err
		}, journal.ErrClosed, false},
		{"ReadRecords of damage", func() error { _, _, err := journal.ReadRecords(damaged); return err }, journal.ErrCorrupt, true},
		{"ReadRecords of nothing", func() error { _, _, err := journal.ReadRecords(nil); return err }, journal.ErrNoHeader, false},
		{"ReadFile of a missing file", func() error { _, err := journal.ReadFile(filepath.Join(dir, "none")); return err }, fs.ErrNotExist, false},
		{"Verify of damage", func() error { _, err := journal.Verify(damagedPath, journal.ScanOptions{}); return err }, journal.ErrCorrupt, true},
		{"Verify of an empty file", func() error { _, err := journal.Verify(emptyPath, journal.ScanOptions{}); return err }, journal.ErrNoHeader, false},
		{"Scan of a failing reader", func() error {
			_, err := journal.Scan(iotest.ErrReader(errors.New("disk gone")), journal.ScanOptions{}, nil)
			return err
		}, journal.ErrIO, false},
		{"Sign without a header", func() error { _, err := journal.Sign(nil, timesync.Now(clock), testSigner); return err }, journal.ErrCheckpoint, false},
		{"a malformed hash", func() error { var h journal.Hash; return h.UnmarshalText([]byte("zz")) }, journal.ErrCheckpoint, false},
		{"Anchors without a directory", func() error { return journal.Anchors{}.Save(journal.Checkpoint{}) }, journal.ErrConfig, false},
		{"RecoverHeaderless of a whole journal", func() error { _, err := journal.RecoverHeaderless(path, clock); return err }, journal.ErrCorrupt, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil {
				t.Fatalf("no error, want %v", tc.want)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("%v does not wrap %v", err, tc.want)
			}
			var ce *journal.CorruptError
			if errors.As(err, &ce) != tc.corrupt {
				t.Errorf("errors.As *CorruptError = %v, want %v (%v)", !tc.corrupt, tc.corrupt, err)
			}
		})
	}
}
