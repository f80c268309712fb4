package handover

import (
	"bytes"
	"encoding/binary"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// pdu makes a record of n octets (n >= 4) that frames as a PS-PDU: a
// SEQUENCE with a two-octet length, its content numbered so that a
// misplaced byte shows.
func pdu(n, id int) []byte {
	b := make([]byte, n)
	b[0], b[1] = 0x30, 0x82
	binary.BigEndian.PutUint16(b[2:], uint16(n-4))
	for i := 4; i < n; i++ {
		b[i] = byte(id + i)
	}
	return b
}

// The queue's bookkeeping, without sockets: whatever the interleaving of
// deliveries, writes, confirmations and reconnects, every byte the writer
// reads is the byte accepted at that stream offset, memory and disk stay
// within their bounds, a record is refused only when neither has room, and
// what Close keeps is exactly what was unconfirmed — Syncs between the
// steps included.
func TestSpoolBookkeeping(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		dir := t.TempDir()
		q := rapid.IntRange(64<<10, 256<<10).Draw(rt, "queue")
		quota := rapid.Int64Range(int64(q), 2<<20).Draw(rt, "quota")
		cfg := &Config{QueueBytes: q, SpoolDir: dir, SpoolBytes: quota, Logger: slog.New(slog.DiscardHandler)}
		l, err := newLink("HI3", "x", cfg, newWire(cfg))
		if err != nil {
			rt.Fatal(err)
		}
		defer l.cancel()
		var (
			stream  []byte // every accepted byte, at its stream offset
			sent    uint64
			records int
		)
		steps := rapid.IntRange(1, 300).Draw(rt, "steps")
		for range steps {
			switch rapid.IntRange(0, 4).Draw(rt, "action") {
			case 0: // deliver
				n := rapid.IntRange(4, 20000).Draw(rt, "size")
				rec := pdu(n, records)
				records++
				l.mu.Lock()
				ringRoom := l.memEnd == l.head && l.head-l.acked+uint64(n) <= uint64(q)
				spoolRoom := l.sp.room(uint64(n)) && n <= q
				l.mu.Unlock()
				err := l.enqueue(rec)
				if (err == nil) != (ringRoom || spoolRoom) {
					rt.Fatalf("enqueue of %d bytes = %v with ring room %v, spool room %v", n, err, ringRoom, spoolRoom)
				}
				if err == nil {
					stream = append(stream, rec...)
				}
			case 1: // the writer writes some
				if sent == l.memEnd {
					if _, err := l.refill(); err != nil {
						rt.Fatal(err)
					}
				}
				_, memEnd, _ := l.window()
				if sent < memEnd {
					b := l.chunk(sent, memEnd)
					b = b[:rapid.IntRange(1, len(b)).Draw(rt, "write")]
					if !bytes.Equal(b, stream[sent:sent+uint64(len(b))]) {
						rt.Fatalf("bytes at offset %d differ from those accepted there", sent)
					}
					sent += uint64(len(b))
				}
			case 2: // a keep-alive response confirms all that was sent
				l.mu.Lock()
				if sent == l.memEnd && sent > l.acked {
					l.acked = sent
					l.sp.release(sent)
				}
				l.mu.Unlock()
			case 3: // reconnect: send again from the last confirmation
				_, _, sent = l.window()
			case 4: // Sync: the unconfirmed memory queue into the spool
				if err := l.sync(); err != nil && !strings.Contains(err.Error(), "quota") {
					rt.Fatal(err)
				}
			}
			l.mu.Lock()
			if l.memEnd-l.acked > uint64(q) || l.sp.used > uint64(quota) || l.head != uint64(len(stream)) || l.memEnd > l.head {
				rt.Fatalf("bounds broken: head %d memEnd %d acked %d used %d (queue %d, quota %d, stream %d)",
					l.head, l.memEnd, l.acked, l.sp.used, q, quota, len(stream))
			}
			l.mu.Unlock()
		}

		// Close keeps what is unconfirmed; a new link sends it first.
		l.cancel()
		close(l.done)
		close(l.mdone)
		_, _, acked := l.window()
		if err := l.close(); err != nil {
			rt.Fatal(err)
		}
		l2, err := newLink("HI3", "x", cfg, newWire(cfg))
		if err != nil {
			rt.Fatal(err)
		}
		defer l2.sp.close()
		var got []byte
		for range 10000 {
			if _, err := l2.refill(); err != nil {
				rt.Fatal(err)
			}
			head, memEnd, _ := l2.window()
			for s := l2.acked; s < memEnd; {
				b := l2.chunk(s, memEnd)
				got = append(got, b...)
				s += uint64(len(b))
			}
			l2.mu.Lock()
			l2.acked = l2.memEnd
			l2.sp.release(l2.acked)
			l2.mu.Unlock()
			if memEnd == head {
				break
			}
		}
		// The kept stream is the unconfirmed part, preceded by the start of
		// a segment the receiver had partly confirmed (duplicates, never a
		// hole).
		want := stream[acked:]
		if !bytes.HasSuffix(got, want) || !bytes.HasSuffix(stream, got) {
			rt.Fatalf("after the restart %d bytes came back, want the last %d of %d", len(got), len(want), len(stream))
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "HI3", "*.spool")); len(left) != 0 {
			rt.Fatalf("segments left after everything was confirmed: %v", left)
		}
		os.RemoveAll(dir)
	})
}

// Records spooled and not yet written out (staged) are read back from the
// stage, sent and confirmed before the next SpoolSync: the confirmation
// releases the tail segment with its stage, and Close leaves no segment to
// send again at the next start.
func TestSpoolReleasesAConfirmedStage(t *testing.T) {
	dir := t.TempDir()
	cfg := &Config{QueueBytes: 64 << 10, SpoolDir: dir, SpoolBytes: 1 << 20, Logger: slog.New(slog.DiscardHandler)}
	l, err := newLink("HI3", "x", cfg, newWire(cfg))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; l.sp.spooled < 3; i++ { // the ring full, then three records staged
		if err := l.enqueue(pdu(1000, i)); err != nil {
			t.Fatal(err)
		}
	}
	var sent uint64
	for {
		head, memEnd, _ := l.window()
		if sent == head {
			break
		}
		if sent == memEnd {
			if _, err := l.refill(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		sent += uint64(len(l.chunk(sent, memEnd)))
		l.mu.Lock() // a keep-alive response confirms what was sent
		l.acked = sent
		l.sp.release(sent)
		l.mu.Unlock()
	}
	if st := l.stats().Spool; st.Bytes != 0 {
		t.Errorf("%d bytes still spooled with everything confirmed", st.Bytes)
	}
	l.cancel()
	close(l.done)
	close(l.mdone)
	if err := l.close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "HI3", "*.spool")); len(left) != 0 {
		t.Errorf("segments left with everything confirmed: %v", left)
	}
}
