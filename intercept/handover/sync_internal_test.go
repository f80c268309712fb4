package handover

import (
	"log/slog"
	"path/filepath"
	"testing"
)

// A Sync at every keep-alive, for hours, with a receiver that confirms
// nothing: each appends what is new to the segment the last one wrote,
// so the spool holds a handful of files whatever the number of Syncs, and
// a Sync with nothing unconfirmed does nothing.
func TestSyncsShareSegments(t *testing.T) {
	dir := t.TempDir()
	cfg := &Config{QueueBytes: 1 << 20, SpoolDir: dir, SpoolBytes: 64 << 20, Logger: slog.New(slog.DiscardHandler)}
	l, err := newLink("HI3", "x", cfg, newWire(cfg))
	if err != nil {
		t.Fatal(err)
	}
	defer l.cancel()
	if err := l.sync(); err != nil {
		t.Fatalf("a Sync with nothing to keep: %v", err)
	}
	const syncs = 3000
	for i := range syncs {
		if err := l.enqueue(pdu(200, i)); err != nil {
			t.Fatal(err)
		}
		if err := l.sync(); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "HI3", "*.spool"))
	if len(files) > 2 {
		t.Errorf("%d Syncs left %d segment files, want one or two", syncs, len(files))
	}
	l.mu.Lock()
	used, head, acked := l.sp.used, l.head, l.acked
	l.mu.Unlock()
	if used != head-acked {
		t.Errorf("the spool counts %d bytes, the queue holds %d", used, head-acked)
	}
}
