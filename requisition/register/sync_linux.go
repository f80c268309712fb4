//go:build linux

package register

import (
	"os"

	"golang.org/x/sys/unix"
)

// fdatasync makes the file's data durable without forcing a sync of
// metadata that does not matter for reading it back (its access time).
func fdatasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }
