package journal

import (
	"fmt"
	"io"

	"github.com/ccjkit/ccjkit/timesync"
)

// OpenFaulty is [Open] on a file layer that asks fault before each
// operation that changes the disk or takes a lock, and fails that
// operation when fault returns an error; see faultFS for the op names. n
// counts the calls of op from 1. The Journal keeps the layer for its
// whole life: its appends, repairs and rereads go through it too.
func OpenFaulty(path string, o Options, fault func(op string, n int) error) (*Journal, OpenReport, error) {
	o.fs = newFaultFS(fault)
	return Open(path, o)
}

// RecoverHeaderlessFaulty is [RecoverHeaderless] on a faulty file layer.
func RecoverHeaderlessFaulty(path string, clock timesync.Clock, fault func(op string, n int) error) (string, error) {
	return recoverHeaderless(newFaultFS(fault), path, clock)
}

// ShortWrite, returned by a fault for a "write", makes the write store
// only its first Keep bytes (at most all but one) and return that count
// with Err — nil for a short count with no error, as write(2) may return;
// ENOSPC for what a full disk does to Go's WriteAt.
type ShortWrite struct {
	Keep int
	Err  error
}

func (s *ShortWrite) Error() string {
	return fmt.Sprintf("short write of %d bytes (%v)", s.Keep, s.Err)
}

func (s *ShortWrite) Unwrap() error { return s.Err }

// ScanBuffered is [Scan] with a buffer of bufSize bytes to start with, so
// that tests make it refill and move its window often.
func ScanBuffered(r io.Reader, bufSize int, opts ScanOptions, fn func(Record) error) (Summary, error) {
	return scan(r, -1, bufSize, opts, fn)
}
