package handover

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
)

// The ledger is a link's record count at three points of its stream,
// kept where a crash of the process cannot take it: a small file in the
// spool directory, mapped into memory (mmap(2), MAP_SHARED) and written
// with plain atomic stores. A store into a shared mapping is in the
// kernel's page cache the moment it is made, so a process killed at any
// instant — SIGKILL, the OOM killer, a panic — leaves the file as it
// was, without a system call per record; msync(2) at each spool sync
// makes it durable against a power cut as far as the spool is.
//
// It holds, for the run that wrote it (offsets are the run's stream
// offsets, the ones its segment files are named by):
//
//	accepted        records Deliver accepted (the recovered ones included)
//	sentOff, sentN  a record boundary and the records before it: every
//	                record wholly before it may have reached the receiver,
//	                and no record after it did (set before each write)
//	confOff, confN  the same for what the receiver confirmed
//
// From these and the records a restart finds whole in the spool, the
// restart bounds what the crash lost (crashBound).
const (
	ledgerName  = "ledger"
	ledgerMagic = "CCJKLDG1"
	ledgerSize  = 4096

	offAccepted = 8
	offSentOff  = 16
	offSentN    = 24
	offConfOff  = 32
	offConfN    = 40
)

// ledgerValues are a ledger's fields.
type ledgerValues struct {
	accepted       uint64
	sentOff, sentN uint64
	confOff, confN uint64
}

// ledger is an open, mapped ledger. Its methods are safe to call on a
// nil ledger (no spool, or a system without mmap): they do nothing.
type ledger struct {
	f   *os.File
	mem []byte
}

// readLedger reads the ledger an earlier run left in dir, if any. ok is
// false when there is none, or it is not one this version wrote.
func readLedger(dir string) (v ledgerValues, ok bool) {
	b, err := os.ReadFile(filepath.Join(dir, ledgerName))
	if err != nil || len(b) != ledgerSize || string(b[:8]) != ledgerMagic {
		return v, false
	}
	le := binary.LittleEndian
	return ledgerValues{
		accepted: le.Uint64(b[offAccepted:]),
		sentOff:  le.Uint64(b[offSentOff:]), sentN: le.Uint64(b[offSentN:]),
		confOff: le.Uint64(b[offConfOff:]), confN: le.Uint64(b[offConfN:]),
	}, true
}

// openLedger creates or resets dir's ledger for a new run whose stream
// starts with accepted recovered records, and maps it. Where the system
// cannot map files it returns nil, nil: the link works without one and
// reports no bound after a crash.
func openLedger(dir string, accepted uint64) (*ledger, error) {
	path := filepath.Join(dir, ledgerName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*ledger, error) {
		f.Close()
		return nil, err
	}
	if err := f.Truncate(ledgerSize); err != nil {
		return fail(err)
	}
	mem, err := mapFile(f, ledgerSize)
	if err != nil {
		return fail(fmt.Errorf("mapping the ledger: %w", err))
	}
	if mem == nil {
		// No mapping here: no ledger at all, rather than one that would
		// stay as this start wrote it and bound the next crash wrongly.
		f.Close()
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, nil
	}
	l := &ledger{f: f, mem: mem}
	clear(mem)
	l.word(offAccepted).Store(accepted)
	copy(mem, ledgerMagic) // last: a crash before it leaves no ledger to read
	if err := syncMapping(mem); err != nil {
		unmap(mem)
		return fail(err)
	}
	return l, nil
}

// word returns the ledger's 8-byte field at off. The mapping is
// page-aligned and off a multiple of 8, so the word is aligned; the
// ledger is read back with little-endian byte order, which is the
// order of every platform whose mapping this package uses (mapFile
// refuses the others).
func (l *ledger) word(off int) *atomic.Uint64 {
	return wordAt(l.mem, off)
}

// setAccepted records that n records have been accepted.
func (l *ledger) setAccepted(n uint64) {
	if l != nil {
		l.word(offAccepted).Store(n)
	}
}

// setSent records that the records before boundary off, n of them, may
// have reached the receiver. The count is stored first: a crash between
// the two stores leaves a count ahead of its offset, which can only make
// the restart's lower bound smaller, never wrong.
func (l *ledger) setSent(off, n uint64) {
	if l != nil {
		l.word(offSentN).Store(n)
		l.word(offSentOff).Store(off)
	}
}

// setConfirmed records that the receiver confirmed the records before
// boundary off, n of them. The offset is stored first: a crash between
// the two stores leaves an offset ahead of its count, which can only
// make the restart's upper bound larger, never wrong.
func (l *ledger) setConfirmed(off, n uint64) {
	if l != nil {
		l.word(offConfOff).Store(off)
		l.word(offConfN).Store(n)
	}
}

// sync makes the ledger durable against a power cut.
func (l *ledger) sync() error {
	if l == nil {
		return nil
	}
	return syncMapping(l.mem)
}

// close syncs, unmaps and closes the ledger.
func (l *ledger) close() error {
	if l == nil {
		return nil
	}
	err := syncMapping(l.mem)
	if e := unmap(l.mem); err == nil {
		err = e
	}
	if e := l.f.Close(); err == nil {
		err = e
	}
	l.mem = nil
	return err
}

// LossBound bounds the records a link lost when the process that ran it
// before ended without Close — killed, crashed, or its machine stopped.
type LossBound struct {
	// Known says whether the restart could bound the loss: the spool
	// directory held a ledger (Config.SpoolDir, on a system with
	// mmap(2)). A link without a spool, or starting for the first time,
	// has no bound to give.
	Known bool
	// Min records were lost for certain: accepted by Deliver, never
	// wholly written to the receiver and not in the spool. Max is Min
	// plus the records written but not confirmed, which the receiver may
	// or may not have read. The receiver's true loss lies in [Min, Max]
	// after a process crash; after a power cut, records accepted after
	// the last spool sync (Config.SpoolSync) are beyond the ledger and
	// the bound may fall short of them.
	Min, Max uint64
}

// crashBound computes the loss from the previous run's ledger v and the
// records the restart found whole in the spool: wholeAfterSent of them
// end past v.sentOff, wholeAfterConf past v.confOff.
func crashBound(v ledgerValues, wholeAfterSent, wholeAfterConf uint64) LossBound {
	sub := func(a, b uint64) uint64 {
		if a < b {
			return 0
		}
		return a - b
	}
	lo := sub(sub(v.accepted, v.sentN), wholeAfterSent)
	hi := sub(sub(v.accepted, v.confN), wholeAfterConf)
	return LossBound{Known: true, Min: min(lo, hi), Max: hi}
}
